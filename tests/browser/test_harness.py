"""The browser harness proven on hand-made pages: it sees what it is meant to catch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import DATA, unavailable
from tests.browser.harness import (
    A4_POINTS,
    LETTER_INCHES,
    Browser,
    Figure,
    Programs,
    chart_splits,
    page_sizes,
    pdf_pages,
    png_size,
    squeezed,
)

#: A fontconfig that knows one Latin font only: Chinese text falls back to it and shows boxes.
LATIN_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{folder}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
LATIN_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def test_a_clean_page_has_no_console_error_and_no_request(browser: Browser) -> None:
    loaded = browser.load(DATA / "clean.html")
    assert loaded.errors == ()
    assert loaded.requests == ()


def test_an_image_from_a_host_is_caught_as_a_request(browser: Browser) -> None:
    loaded = browser.load(DATA / "remote-image.html")
    assert loaded.requests == ("http://example.invalid/x.png",)


def test_the_image_never_arrives(browser: Browser) -> None:
    browser.load(DATA / "remote-image.html")
    assert browser.script("return document.images[0].naturalWidth") == 0


def test_a_host_is_caught_under_the_pages_policy_too(browser: Browser, tmp_path: Path) -> None:
    # Blocked before the policy is asked (measured: as a request, with no console error); the
    # test holds that it is caught, whichever way.
    page = (DATA / "clean.html").read_text(encoding="utf-8")
    page = page.replace("</body>", '<img alt="" src="https://example.invalid/y.png"></body>')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    loaded = browser.load(tmp_path / "page.html")
    caught = [*loaded.requests, *loaded.errors]
    assert any("example.invalid/y.png" in seen for seen in caught), loaded


def test_an_inline_script_refused_by_the_policy_is_a_console_error(browser: Browser) -> None:
    loaded = browser.load(DATA / "script-error.html")
    assert len(loaded.errors) == 1
    assert "script" in loaded.errors[0]
    assert browser.script("return document.title") != "ran"


def test_errors_of_one_page_are_not_counted_against_the_next(browser: Browser) -> None:
    browser.load(DATA / "script-error.html")
    assert browser.load(DATA / "clean.html").errors == ()


def test_chinese_text_is_drawn_with_a_chinese_font(
    browser: Browser, chinese_fonts: frozenset[str]
) -> None:
    browser.load(DATA / "clean.html")
    assert browser.cjk_font("h1") in chinese_fonts
    # The text of elements inside the one selected counts too.
    assert browser.cjk_font("table") in chinese_fonts


def test_without_a_chinese_font_the_check_fails(
    programs: Programs, chinese_fonts: frozenset[str], tmp_path: Path
) -> None:
    latin = next((Path(path) for path in LATIN_FONTS if Path(path).is_file()), None)
    if latin is None:
        unavailable(f"none of {', '.join(LATIN_FONTS)} to fall back to")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / latin.name).symlink_to(latin)
    config = tmp_path / "fonts.conf"
    config.write_text(
        LATIN_ONLY.format(folder=tmp_path / "fonts", cache=tmp_path / "cache"), encoding="utf-8"
    )
    bare = Browser(programs, env={"FONTCONFIG_FILE": str(config), "HOME": str(tmp_path)})
    try:
        bare.load(DATA / "clean.html")
        drawn = bare.fonts("h1")
        assert drawn
        assert not set(drawn) & chinese_fonts
        assert bare.cjk_font("h1") is None
    finally:
        bare.quit()


def test_the_pdf_is_a4_with_page_numbers(browser: Browser) -> None:
    browser.load(DATA / "charts-split.html")
    pdf = browser.print_pdf()
    sizes = page_sizes(pdf)
    assert len(sizes) > 1
    assert all(size == pytest.approx(A4_POINTS, abs=1) for size in sizes)
    pages = pdf_pages(pdf)
    assert all(f"{number}/{len(pages)}" in text for number, text in enumerate(pages, 1))


def test_the_pages_own_paper_size_wins_over_the_readers(browser: Browser, tmp_path: Path) -> None:
    browser.load(DATA / "clean.html")
    assert page_sizes(browser.print_pdf(paper=LETTER_INCHES)) == [pytest.approx(A4_POINTS, abs=1)]
    page = (DATA / "clean.html").read_text(encoding="utf-8").replace("@page { size: A4; }", "")
    (tmp_path / "letter.html").write_text(page, encoding="utf-8")
    browser.load(tmp_path / "letter.html")
    assert page_sizes(browser.print_pdf(paper=LETTER_INCHES)) == [pytest.approx((612, 792), abs=1)]


def test_a_chart_across_two_pages_is_found(browser: Browser) -> None:
    browser.load(DATA / "charts-split.html")
    figures = browser.figures()
    assert len(figures) == 24
    split = browser.split_charts(browser.print_pdf())
    assert split
    for heads, feet in split.values():
        assert len(heads) == len(feet) == 1
        assert feet[0] == heads[0] + 1


def test_charts_kept_whole_are_not_split(browser: Browser, tmp_path: Path) -> None:
    page = (DATA / "charts-split.html").read_text(encoding="utf-8")
    kept = page.replace("</style>", "figure.chart { break-inside: avoid; }\n</style>")
    (tmp_path / "kept.html").write_text(kept, encoding="utf-8")
    browser.load(tmp_path / "kept.html")
    assert browser.split_charts(browser.print_pdf()) == {}


def test_chinese_the_pdf_spells_otherwise_is_still_found(browser: Browser) -> None:
    # Chrome's PDF gives 食 back as the radical ⻝, 户 as 戶 and — as ―; NFKC undoes none.
    browser.load(DATA / "clean.html")
    assert browser.split_charts(browser.print_pdf()) == {}
    assert browser.pdf_reading(["86.5% ok"]) == {}


def test_a_chart_whose_text_is_not_in_the_pdf_counts_as_split(browser: Browser) -> None:
    browser.load(DATA / "clean.html")
    ghost = Figure("ghost", "bullet", "不在页面上的图表", "86.5%")
    assert chart_splits(browser.print_pdf(), [ghost]) == {
        "ghost/bullet (不在页面上的图表)": ([], [1])
    }


def test_figures_are_read_with_caption_and_value_line(browser: Browser) -> None:
    browser.load(DATA / "clean.html")
    assert browser.figures() == [
        Figure(
            "good_air_days_ratio",
            "bullet",
            "空气质量优良天数比例",
            "实际 86.5% ✓ 达标 · 目标 ≥ 82%",
        ),
        Figure(
            "food_safety_pass_rate",
            "bullet",
            "食品安全抽检合格率（民乐县）",
            "? — 缺数据（目标 每年≥100 户）",
        ),
    ]


def test_charts_are_images_named_by_their_title(browser: Browser, tmp_path: Path) -> None:
    browser.load(DATA / "clean.html")
    assert browser.image_names() == [
        "空气质量优良天数比例：实际 86.5%，目标 ≥82%",
        "食品安全抽检合格率：缺数据",
    ]
    page = (DATA / "clean.html").read_text(encoding="utf-8")
    (tmp_path / "untitled.html").write_text(
        re.sub(r"<title>食品.*?</title>", "", page), encoding="utf-8"
    )
    browser.load(tmp_path / "untitled.html")
    assert browser.image_names()[1] == ""


def test_the_screenshot_is_the_size_asked(browser: Browser) -> None:
    browser.load(DATA / "clean.html")
    assert png_size(browser.screenshot(640, 480)) == (640, 480)


def test_squeezed_text_compares_as_printed() -> None:
    assert squeezed("项⽬ 完成\n率") == "项目完成率"


def test_a_missing_browser_skips_the_test() -> None:
    with pytest.raises(pytest.skip.Exception, match="chromium not found"):
        unavailable("chromium not found", {})


def test_a_missing_browser_fails_the_test_in_ci() -> None:
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        unavailable("chromium not found", {"CI": "true"})
