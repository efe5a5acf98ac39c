"""A headless chromium, driven by Selenium with the network shut off: what the browser tests see.

The browser and its driver are the system's (Debian's ``chromium`` and ``chromium-driver``);
nothing is ever downloaded: the driver is given by path, so Selenium Manager never runs.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import ascii_letters, digits
from typing import Any, cast

from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

#: Where Debian puts the browser: the real binary first (``/usr/bin/chromium`` is a shell
#: wrapper that adds flags of its own), then whatever ``chromium`` is on PATH.
BROWSER_PATHS = ("/usr/lib/chromium/chromium",)
BROWSER_NAMES = ("chromium", "chromium-browser")
DRIVER_NAMES = ("chromedriver",)
#: Every scheme a page could reach a host by; file: and data: stay open.
BLOCKED_URLS = ("http://*", "https://*", "ws://*", "wss://*", "ftp://*")
#: Schemes that stay inside the file: anything else is a request that left it.
LOCAL_SCHEMES = ("file:", "data:", "about:")
#: The viewport the pages are laid out in, and the README's screenshots are taken at.
WIDTH = 1200
HEIGHT = 900
#: A4 in inches, as Page.printToPDF takes it; 595 × 842 points.
A4_INCHES = (8.27, 11.69)
A4_POINTS = (595.0, 842.0)
#: US Letter: printed on it, a page whose stylesheet asks for A4 still comes out A4.
LETTER_INCHES = (8.5, 11.0)
#: What marks each character of a sample printed to learn how a PDF reads it back.
MARK = "qc"
#: The page numbers printed at the foot of every page: "3 / 7".
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


@dataclass(frozen=True)
class Programs:
    """The browser and its driver, as found on this machine."""

    browser: str
    driver: str


@dataclass(frozen=True)
class Loaded:
    """What loading a page left behind: console errors and requests that left the file."""

    errors: tuple[str, ...]
    requests: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """A chart as a reader sees it: its target and kind, caption and value line (visible text)."""

    target: str
    chart: str
    caption: str
    foot: str


def find_programs() -> Programs | str:
    """Return the browser and driver to use, or why there are none."""
    browser = next((path for path in BROWSER_PATHS if os.access(path, os.X_OK)), None)
    browser = browser or next(filter(None, map(shutil.which, BROWSER_NAMES)), None)
    driver = next(filter(None, map(shutil.which, DRIVER_NAMES)), None)
    missing = [
        name for name, found in (("chromium", browser), ("chromedriver", driver)) if not found
    ]
    if browser is None or driver is None:
        return (
            f"{' and '.join(missing)} not found: install the packages chromium and "
            "chromium-driver (apt-get install chromium chromium-driver fonts-noto-cjk)"
        )
    return Programs(browser, driver)


@cache
def zh_families() -> frozenset[str]:
    """Return the font families fontconfig has for Chinese (empty without fontconfig)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    listed = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(","))


class Browser:
    """A headless chromium with every request off the machine blocked, and its logs kept."""

    def __init__(self, programs: Programs, env: Mapping[str, str] | None = None) -> None:
        """Start the browser (``env``: the driver's and so the browser's environment)."""
        options = webdriver.ChromeOptions()
        options.binary_location = programs.browser
        for argument in (
            "--headless=new",
            "--no-sandbox",  # tests and CI run as root
            "--disable-gpu",
            "--disable-dev-shm-usage",
            # No name resolves and every proxied request goes nowhere: a request that slipped
            # past the blocked URLs below still reaches no host.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            f"--window-size={WIDTH},{HEIGHT}",
            "--lang=zh-CN",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        service = Service(programs.driver, env=dict(env) if env is not None else None)
        self.driver = webdriver.Chrome(service=service, options=options)
        self.cdp("Network.enable")
        self.cdp("Network.setBlockedURLs", urls=list(BLOCKED_URLS))

    def cdp(self, command: str, **params: Any) -> dict[str, Any]:
        """Send a Chrome DevTools Protocol command; return its result."""
        return cast("dict[str, Any]", self.driver.execute_cdp_cmd(command, params))

    def quit(self) -> None:
        """Stop the browser and its driver."""
        self.driver.quit()

    def load(self, path: Path) -> Loaded:
        """Open the file ``path``; return the console errors and the requests that left it."""
        self._logs("browser")
        self._logs("performance")
        self.driver.get(path.resolve().as_uri())
        errors = tuple(
            str(entry["message"]) for entry in self._logs("browser") if entry["level"] == "SEVERE"
        )
        requests = []
        for entry in self._logs("performance"):
            event = json.loads(entry["message"])["message"]
            if event["method"] == "Network.requestWillBeSent":
                url = str(event["params"]["request"]["url"])
                if not url.startswith(LOCAL_SCHEMES):
                    requests.append(url)
        return Loaded(errors, tuple(requests))

    def _logs(self, kind: str) -> list[dict[str, Any]]:
        """Return (and so clear) the entries of one of the browser's logs."""
        entries = self.driver.get_log(kind)  # type: ignore[no-untyped-call]  # Selenium's own
        return cast("list[dict[str, Any]]", entries)

    def script(self, source: str, *args: object) -> Any:
        """Run JavaScript in the page (``arguments[0]``… are ``args``); return its result."""
        return self.driver.execute_script(source, *args)

    def fonts(self, selector: str) -> dict[str, int]:
        """Return the fonts that drew the text of the matched elements: family → glyphs."""
        self.cdp("DOM.enable")
        self.cdp("CSS.enable")
        root = self.cdp("DOM.getDocument", depth=-1)["root"]["nodeId"]
        nodes = self.cdp("DOM.querySelectorAll", nodeId=root, selector=f"{selector}, {selector} *")
        glyphs: dict[str, int] = {}
        for node in nodes["nodeIds"]:
            for font in self.cdp("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]:
                family = str(font["familyName"])
                glyphs[family] = glyphs.get(family, 0) + int(font["glyphCount"])
        return glyphs

    def cjk_font(self, selector: str) -> str | None:
        """Return the Chinese font that drew most of the matched text, or None (boxes)."""
        chinese = zh_families()
        drawn = sorted(self.fonts(selector).items(), key=lambda item: -item[1])
        return next((family for family, _ in drawn if family in chinese), None)

    def figures(self) -> list[Figure]:
        """Return the page's charts (``figure.chart``), in the order of the document."""
        found = self.script(
            "return [...document.querySelectorAll('figure.chart')].map(f => ["
            "f.dataset.target || '', f.dataset.chart || '',"
            "f.querySelector(':scope > figcaption')?.innerText || '',"
            "f.querySelector(':scope > .chart-foot')?.innerText || ''])"
        )
        return [Figure(*map(str, row)) for row in found]

    def image_names(self) -> list[str]:
        """Return the name a screen reader gives each image of the page (role image), in order."""
        nodes = self.cdp("Accessibility.getFullAXTree")["nodes"]
        return [
            str(node.get("name", {}).get("value", ""))
            for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") == "image"
        ]

    def print_pdf(self, paper: tuple[float, float] = A4_INCHES, *, footer: bool = True) -> bytes:
        """Print the page as a reader's browser would, page numbers in the footer.

        ``paper`` (inches) is the reader's paper; the page's ``@page { size }`` wins over it.
        """
        width, height = paper
        printed = self.cdp(
            "Page.printToPDF",
            paperWidth=width,
            paperHeight=height,
            preferCSSPageSize=True,
            printBackground=True,
            displayHeaderFooter=footer,
            headerTemplate="<span></span>",
            footerTemplate=FOOTER,
        )
        return base64.b64decode(printed["data"])

    def pdf_reading(self, texts: Iterable[str], like: str = "figure.chart") -> dict[str, str]:
        """Return how a PDF printed here reads back each character of ``texts``, when not as is.

        Characters that share a glyph in a CJK font come back from Chrome's PDF as one of them
        (食 as the radical ⻝, 户 as 戶, — as ―), which NFKC does not undo. This prints the
        characters in the font and language of the first ``like`` element of the open page,
        reads them back, and opens the page again.
        """
        chars = sorted(set(squeezed("".join(texts))) - set(ascii_letters + digits))
        if not chars:
            return {}
        family, lang = self.script(
            "const e = document.querySelector(arguments[0]) || document.body;"
            "return [getComputedStyle(e).fontFamily, document.documentElement.lang]",
            like,
        )
        lines = "".join(f"<p>{MARK}{n:05}:{html.escape(c)}</p>" for n, c in enumerate(chars))
        sample = (
            f'<!DOCTYPE html><html lang="{html.escape(lang)}"><meta charset="utf-8">'
            f'<body style="font-family: {html.escape(family)}">{lines}</body></html>'
        )
        page = self.script("return window.location.href")
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "sample.html").write_text(sample, encoding="utf-8")
            self.driver.get((Path(folder) / "sample.html").as_uri())
            read = "".join(pdf_pages(self.print_pdf(footer=False)))
        self.driver.get(page)
        found = dict(re.findall(rf"{MARK}(\d{{5}}):(.*?)(?={MARK}\d{{5}}:|$)", read))
        readings = {c: found.get(f"{n:05}", c) for n, c in enumerate(chars)}
        return {c: reading for c, reading in readings.items() if reading != c}

    def split_charts(self, pdf: bytes) -> dict[str, tuple[list[int], list[int]]]:
        """Return the open page's charts that ``pdf``, its print, splits (see chart_splits)."""
        figures = self.figures()
        reading = self.pdf_reading(text for f in figures for text in (f.caption, f.foot))
        return chart_splits(pdf, figures, reading)

    def screenshot(self, width: int = WIDTH, height: int = HEIGHT) -> bytes:
        """Return a PNG of the top of the page, ``width`` × ``height`` CSS pixels."""
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        try:
            return self.driver.get_screenshot_as_png()
        finally:
            self.cdp("Emulation.clearDeviceMetricsOverride")


def squeezed(text: str) -> str:
    """Return ``text`` NFKC-normalised without whitespace, as a PDF's text is compared.

    pypdf reads some CJK characters of Chrome's PDFs as their compatibility forms (the Kangxi
    radical ⽬ for 目), and breaks lines where the page did.
    """
    return "".join(unicodedata.normalize("NFKC", text).split())


def png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's width and height in pixels (ValueError if it is not a PNG)."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def pdf_pages(pdf: bytes) -> list[str]:
    """Return the text of each page of a PDF, squeezed."""
    return [squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Return each page's width and height in points."""
    return [
        (float(page.mediabox.width), float(page.mediabox.height))
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def chart_splits(
    pdf: bytes, figures: Iterable[Figure], reading: Mapping[str, str] | None = None
) -> dict[str, tuple[list[int], list[int]]]:
    """Return the charts whose caption and value line are on no page together.

    Each is keyed "target/chart (caption)", with the pages (from 1) its caption and its value
    line are on; a chart whose caption or value line is on no page is there too, as it cannot
    be said whole. ``reading`` (``Browser.pdf_reading``) spells the texts as the PDF reads them.
    """
    pages = pdf_pages(pdf)
    spell = str.maketrans(dict(reading or {}))
    split = {}
    for figure in figures:
        caption = squeezed(figure.caption).translate(spell)
        foot = squeezed(figure.foot).translate(spell)
        heads = [number for number, text in enumerate(pages, 1) if caption and caption in text]
        feet = [number for number, text in enumerate(pages, 1) if foot and foot in text]
        if not set(heads) & set(feet):
            split[f"{figure.target}/{figure.chart} ({figure.caption})"] = (heads, feet)
    return split
