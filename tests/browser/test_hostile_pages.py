"""The HTML report in a real browser against hostile input: overlong words, bidi, wide tables."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from qcheck.formats import FORMATS
from tests.browser.harness import Browser, page_sizes, pdf_pages
from tests.helpers import SAMPLES, run_cli

pytestmark = pytest.mark.skipif("html" not in FORMATS, reason="no --format html")

FAILURES = SAMPLES / "report-2020-with-failures.csv"
ALL_MET = SAMPLES / "report-2020-all-met.csv"
NARROW = 800  # a small laptop's window, in CSS pixels
OVERFLOW = """
const root = document.documentElement;
return [root.scrollWidth, root.clientWidth, document.body.scrollWidth, document.body.clientWidth];
"""


def write(tmp_path: Path, *args: str) -> Path:
    page = tmp_path / "page.html"
    result = run_cli(["evaluate", *args, "-o", str(page)])
    assert result.exit_code in (0, 1), result.output
    return page


def widths_at(browser: Browser, width: int, media: str = "screen") -> list[int]:
    """Return the page's and its body's scroll and client widths in a window ``width`` wide."""
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=900,
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.cdp("Emulation.setEmulatedMedia", media=media)
    try:
        return [int(n) for n in browser.script(OVERFLOW)]
    finally:
        browser.cdp("Emulation.setEmulatedMedia", media="")
        browser.cdp("Emulation.clearDeviceMetricsOverride")


def test_the_each_overview_prints_every_column_on_a4(browser: Browser, tmp_path: Path) -> None:
    page = write(tmp_path, str(FAILURES), str(ALL_MET), "--each", "--lang", "en")
    browser.load(page)
    columns = browser.script(
        "return [...document.querySelectorAll('table.matrix thead th')].map(th => th.innerText)"
    )
    numbers = [c for c in columns if c.isdigit()]
    assert len(numbers) == 27
    pdf = browser.print_pdf(footer=False)
    [overview] = [(n, text) for n, text in enumerate(pdf_pages(pdf)) if "1234567891011" in text]
    number, text = overview
    # Every target's column, and the counts' columns, are on the page: none cut at its edge.
    assert "".join(numbers) in text
    for word in columns:
        assert "".join(word.split()) in text
    width, height = page_sizes(pdf)[number]
    assert width > height  # the overview's page is landscape
    # Printed on it (A4 landscape less its margins: 1040 px), the table's last column fits.
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        width=1040,
        height=700,
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.cdp("Emulation.setEmulatedMedia", media="print")
    try:
        right = browser.script(
            "return [...document.querySelectorAll('table.matrix th, table.matrix td')]"
            ".every(cell => cell.getBoundingClientRect().right <= 1040)"
        )
    finally:
        browser.cdp("Emulation.setEmulatedMedia", media="")
        browser.cdp("Emulation.clearDeviceMetricsOverride")
    assert right
    # On a narrow screen the table scrolls in its box; the page itself does not overflow.
    root_scroll, root_client, body_scroll, body_client = widths_at(browser, NARROW)
    assert root_scroll <= root_client
    assert body_scroll <= body_client


def test_long_unbroken_words_stay_on_the_page(browser: Browser, tmp_path: Path) -> None:
    long_name = "Food" + "safety" * 66  # 400 characters without a space
    targets = tmp_path / "targets.yaml"
    text = (SAMPLES / "targets-2025-example.yaml").read_text(encoding="utf-8")
    targets.write_text(
        text.replace("name_en: Food safety sampling pass rate", f"name_en: {long_name}"),
        encoding="utf-8",
    )
    url = "https://example.invalid/" + "a" * 300
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - target: food_safety_pass_rate\n    year: 2025\n"
        f"    reason: see {url}\n    approved_by: bureau\n    expires: 2099-12-31\n",
        encoding="utf-8",
    )
    data = SAMPLES / "report-2025-example.csv"
    args = [str(data), "--targets", str(targets), "--waivers", str(waivers), "--year", "2025"]
    page = write(tmp_path, *args, "--lang", "en")
    assert long_name in page.read_text(encoding="utf-8")
    browser.load(page)
    for media, width in (("screen", NARROW), ("print", 700)):
        root_scroll, root_client, body_scroll, body_client = widths_at(browser, width, media)
        assert root_scroll <= root_client, media
        assert body_scroll <= body_client, media
    # The status column stays beside the name, inside the page.
    right = browser.script(
        "const cell = document.querySelector('#target-food_safety_pass_rate td.status');"
        "return cell.getBoundingClientRect().right <= document.documentElement.clientWidth"
    )
    assert right


def test_a_bidi_override_in_a_name_turns_no_digest_around(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "r\u202eabc.csv"
    shutil.copy(FAILURES, data)
    page = write(tmp_path, str(data), "--lang", "en")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    browser.load(page)
    shown, places = browser.script(
        "const e = document.querySelector('ul.sources .digest');"
        "const node = e.firstChild; const places = [];"
        "for (let i = 0; i < node.length; i++) {"
        "  const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);"
        "  const box = r.getBoundingClientRect(); places.push([box.top, box.left]); }"
        "return [e.innerText, places];"
    )
    assert shown == f"SHA-256: {digest}"
    # Each character of the digest stands right of the one before it, or on a line below.
    assert places == sorted(places)
    assert places[0] < places[-1]
