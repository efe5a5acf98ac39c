"""The HTML charts' marks a reader needs: who is off the line, where an axis is broken, legends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcheck.renderers.html.charts import COLOURS, LABEL_ROOM, OFF_LINE, SMALL, fit
from qcheck.renderers.html.geometry import FONT, text_width
from tests.helpers import SAMPLES, run_cli
from tests.renderers.html.parse import Element, parse
from tests.renderers.html.test_html import charts_of, check_figure, sample_page


def _legend(figure: Element) -> str:
    [legend] = figure.find_all("p", class_="chart-legend")
    return legend.text()


def test_a_county_below_a_means_line_is_marked_below_it_not_failing() -> None:
    """Gaotai at 81% against the mean's 82% line looked like every other county."""
    root = parse(sample_page("zh", str(SAMPLES / "counties")))
    figure = charts_of(root, "regions")["good_air_days_ratio"]
    check_figure(figure)
    off = figure.find_all("rect", class_="off")
    assert len(off) == 1
    assert off[0].attrs["fill"] == OFF_LINE
    assert off[0].attrs["fill"] != COLOURS["red"]
    labels = [text.text() for text in figure.find_all("text")]
    assert "81% ▼" in labels
    assert not any("▼" in label for label in labels if not label.startswith("81%"))
    legend = _legend(figure)
    assert "低于目标线" in legend
    assert "平均 86.3%" in legend  # the mean's dashed mark, named
    assert "未达标" not in legend  # a county under a mean's line fails nothing


def test_a_county_below_a_means_line_is_no_failure_when_the_mean_is_missing() -> None:
    """Without Sunan's figure there is no mean; Gaotai is still only below the line."""
    root = parse(sample_page("en"))
    figure = charts_of(root, "regions")["good_air_days_ratio"]
    assert "81% ▼" in [text.text() for text in figure.find_all("text")]
    assert "▼ below the line" in _legend(figure)
    assert "not met" not in _legend(figure)


def test_a_county_failing_an_every_county_rule_is_marked_not_met() -> None:
    targets = SAMPLES / "targets-2025-example.yaml"
    args = [str(SAMPLES / "report-2025-example.csv"), "--targets", str(targets)]
    root = parse(run_cli(["evaluate", *args, "--format", "html", "--lang", "zh"]).stdout)
    figure = charts_of(root, "regions")["water_source_quality"]
    [off] = figure.find_all("rect", class_="off")
    assert off.attrs["fill"] == COLOURS["red"]
    assert "93.5% ✘" in [text.text() for text in figure.find_all("text")]
    assert "✘ 未达标" in _legend(figure)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", "坐标轴在0与70%之间断开"), ("en", "axis broken between 0 and 70%")],
)
def test_the_counties_axis_is_broken_visibly_and_said_so(lang: str, words: str) -> None:
    root = parse(sample_page(lang, str(SAMPLES / "counties")))
    figure = charts_of(root, "regions")["good_air_days_ratio"]
    assert figure.find_all("polyline", class_="broken")
    assert words in _legend(figure)
    axis = [text.text() for text in figure.find_all("text")][-3:]
    assert axis == ["0", "70", "100"]


@pytest.mark.parametrize(("lang", "words"), [("zh", "坐标轴自89%起"), ("en", "axis from 89%")])
def test_a_bullet_axis_not_from_zero_says_where_it_starts(lang: str, words: str) -> None:
    root = parse(sample_page(lang))
    figure = charts_of(root, "bullet")["consumer_goods_pass_rate"]
    assert figure.find_all("polyline", class_="broken")
    assert words in [text.text() for text in figure.find_all("text")]


def test_the_numeric_headers_do_not_wrap() -> None:
    """实际 and 差距 wrapped a character a line in a narrow column."""
    page = sample_page("zh")
    root = parse(page)
    table = root.find_all("table", class_="targets")[0]
    headers = {
        th.text().rstrip(" |"): th.attrs.get("class", "")
        for th in table.find_all("th", scope="col")
    }
    assert headers["实际"] == headers["差距"] == "num"
    assert headers["状态"] == "status"
    rules = re.findall(r"([^{}]*)\{([^}]*)\}", page)
    nowrap = [selector for selector, body in rules if "white-space: nowrap" in body]
    assert any("th.num" in selector for selector in nowrap)
    assert any("th.status" in selector for selector in nowrap)


def test_a_long_county_name_is_written_on_two_lines_not_cut() -> None:
    """The name "Sunan Yugur Autonomous County" ran 60 px past the page's left edge at 800 px."""
    root = parse(sample_page("en", str(SAMPLES / "counties")))
    figure = charts_of(root, "regions")["good_air_days_ratio"]
    lines = [tspan.text() for tspan in figure.find_all("tspan") if tspan.attrs.get("x")]
    assert lines == ["Sunan Yugur", "Autonomous County"]
    assert all(text_width(line, SMALL) <= LABEL_ROOM for line in lines)


@given(
    st.lists(st.text(alphabet="abcdefghij县区", min_size=1, max_size=20), min_size=1, max_size=6)
)
def test_a_bars_label_fits_its_room_in_at_most_two_lines(words: list[str]) -> None:
    name = " ".join(words)
    lines = fit(name)
    assert 1 <= len(lines) <= 2
    assert " ".join(line.text for line in lines) == name
    size = SMALL if len(lines) > 1 else FONT
    for line in lines:
        assert line.length is not None or text_width(line.text, size) <= LABEL_ROOM
        assert line.length is None or line.length <= LABEL_ROOM


def test_charts_fit_a_narrow_window_and_go_two_a_row_on_a4() -> None:
    """At 800 px and on A4 (186 mm wide) two 360 px charts did not fit a row."""
    page = sample_page("en")
    style = page[page.index("<style>") : page.index("</style>")]
    screen, _, printed = style.partition("@media print")
    assert re.search(r"figure\.chart \{[^}]*max-width: 100%", screen)
    assert re.search(r"@media screen and \(max-width: 860px\) \{ body \{ padding: 0\.8rem", screen)
    assert re.search(r"figure\.chart \{ width: 48%; \}", printed)


def test_the_counties_marked_failing_are_those_the_rule_failed(tmp_path: Path) -> None:
    # A range has no single line to draw, so only the rule's verdict can say who failed.
    text = (SAMPLES / "targets-2025-example.yaml").read_text(encoding="utf-8")
    every = "rule: {kind: every_region, test: {kind: at_least, threshold: 95}}"
    assert every in text
    targets = tmp_path / "targets.yaml"
    ranged = "rule: {kind: every_region, test: {kind: between, low: 95, high: 100}}"
    targets.write_text(text.replace(every, ranged), encoding="utf-8")
    args = [str(SAMPLES / "report-2025-example.csv"), "--targets", str(targets), "--lang", "en"]
    result = run_cli(["evaluate", *args, "--format", "json"])
    [water] = [
        r
        for r in json.loads(result.stdout)["reports"][0]["results"]
        if r["id"] == "water_source_quality"
    ]
    assert water["failed_regions"]
    root = parse(run_cli(["evaluate", *args, "--format", "html"]).stdout)
    figure = charts_of(root, "regions")["water_source_quality"]
    marked = [t.text() for t in figure.find_all("text") if t.text().endswith("✘")]
    assert len(marked) == len(water["failed_regions"])
    assert len(figure.find_all("rect", class_="off")) == len(water["failed_regions"])
