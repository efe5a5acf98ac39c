"""The workbook's figures as Excel shows them: never on the wrong side of their line."""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from qcheck.catalogue import Target
from qcheck.decimals import held
from qcheck.evaluation import Result, Status
from qcheck.i18n import fewest_places
from qcheck.loaders.targets import load_catalogue
from qcheck.renderers import renderer_for
from qcheck.renderers.xlsx.cells import EXCEL_ROUNDING
from qcheck.words import label
from tests.helpers import SAMPLES, run_cli
from tests.renderers.reports import every_case

CATALOGUE = load_catalogue()
FOOD = CATALOGUE.target("food_safety_pass_rate")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
DIGITS = re.compile(r"0(?:\.(0+))?")


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in an empty folder."""


def shown(cell: Any) -> Decimal:
    """Return the figure a cell shows, formatted as Excel formats the formats the workbook uses.

    Excel shows 15 significant digits of the number it holds, then rounds them half away from
    zero to the format's decimals; a section's sign is the number's.
    """
    if cell.data_type == "s":
        found = NUMBER.search(str(cell.value))
        assert found, cell.value
        return Decimal(found.group())
    value = cell.value
    assert isinstance(value, int | float)
    sections = cell.number_format.split(";")
    section = sections[1] if value < 0 and len(sections) > 1 else sections[0]
    match = DIGITS.search(section)
    assert match, cell.number_format
    places = len(match.group(1) or "")
    figure = abs(Decimal(format(value, ".15g")))
    if section.endswith("%"):
        figure *= 100
    figure = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return -figure if value < 0 else figure


def with_line(target: Target, line: Decimal, unit: str | None) -> Target:
    """Return ``target`` judged against ``line`` (at least), in ``unit``."""
    rule = target.rule.model_copy(update={"threshold": line})
    return target.model_copy(update={"rule": rule, "unit": unit})


def summary_cells(target: Target, value: Decimal) -> dict[str, Any]:
    """Return the summary's value, line and gap cells of a not-met result of ``target``."""
    rule = target.rule
    result = Result(
        target=target,
        status=Status.FAIL,
        year=2020,
        value=value,
        gap=rule.gap(value, 2020),  # type: ignore[attr-defined]
        pairs=rule.pairs(value, 2020),  # type: ignore[attr-defined]
    )
    report = every_case(CATALOGUE)
    results = tuple(result if r.target.id == target.id else r for r in report.results)
    rendered = renderer_for("xlsx", lang="en").render([replace(report, results=results)], limit=9)
    assert isinstance(rendered, bytes)
    summary = load_workbook(io.BytesIO(rendered))["Summary"]
    names = [cell.value for cell in summary[1]]
    (row,) = [row for row in summary.iter_rows(min_row=2) if row[1].value == target.id]
    return {key: row[names.index(label("en", key))] for key in ("actual", "xlsx.line", "gap")}


@pytest.mark.parametrize(
    ("value", "places"),
    [(Decimal("93.99999999"), 8), (Decimal("93.9999999999999"), 13)],
)
def test_a_figure_just_under_its_line_shows_under_it(value: Decimal, places: int) -> None:
    cells = summary_cells(FOOD, value)
    figure, line, gap = cells["actual"], cells["xlsx.line"], cells["gap"]
    assert figure.number_format == "0." + "0" * places + "%"
    assert shown(figure) == value
    assert shown(line) == 94
    assert shown(gap) == value - 94


@settings(max_examples=150, deadline=None)
@given(
    line=st.decimals(min_value=1, max_value=100, places=20),
    lines_places=st.integers(0, 20),
    below=st.integers(1, 10**6),
    scale=st.integers(0, 18),
    percent=st.booleans(),
)
def test_any_figure_under_its_line_shows_under_it(
    line: Decimal, lines_places: int, below: int, scale: int, percent: bool
) -> None:
    line = round(line, lines_places)
    value = held(line - Decimal(below).scaleb(-scale))
    if value < 0 or value >= line:
        return
    cells = summary_cells(with_line(FOOD, line, "%" if percent else None), value)
    assert shown(cells["actual"]) < shown(cells["xlsx.line"])
    gap = shown(cells["gap"])
    assert gap < 0


def test_a_county_just_under_the_line_shows_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files it writes stay out of the working tree
    Path("air.csv").write_text(
        "指标,年份,地区,数值\n"
        + "".join(
            f"城市空气质量优良天数比例,2020,{county},{figure}\n"
            for county, figure in [
                ("甘州区", "81.9999999"),
                ("临泽县", "90"),
                ("高台县", "90"),
                ("山丹县", "90"),
                ("民乐县", "90"),
                ("肃南裕固族自治县", "90"),
            ]
        ),
        encoding="utf-8",
    )
    result = run_cli(["evaluate", "air.csv", "-o", "r.xlsx", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    counties = load_workbook("r.xlsx")["Counties"]
    (ganzhou,) = [
        row
        for row in counties.iter_rows(min_row=2)
        if row[0].value == "good_air_days_ratio" and row[2].value == "Ganzhou District"
    ]
    assert shown(ganzhou[3]) == Decimal("81.9999999")
    assert shown(ganzhou[3]) < shown(ganzhou[5]) == 82


def test_a_county_figure_judged_from_an_earlier_year_is_shown_with_its_year() -> None:
    inputs = [str(SAMPLES / "city-2020.csv"), str(SAMPLES / "counties")]
    result = run_cli(["evaluate", *inputs, "-o", "r.xlsx", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    counties = load_workbook("r.xlsx")["Counties"]
    rows = [
        row
        for row in counties.iter_rows(min_row=2, values_only=True)
        if row[0] == "ganzhou_export_demo_county"
    ]
    county, judged = rows
    # Done in 2019 (counties/ganzhou.csv): the figure the result judged, never "missing".
    assert county[2:4] == ("Ganzhou District (2019)", "done")
    assert county[6] is None
    assert judged[3:] == ("done", None, None, "met")


def test_a_line_with_more_digits_than_excel_shows_is_text() -> None:
    # Excel shows 15 significant digits: as a number, 94.00000000000000001 would show as 94.
    line = Decimal("94.00000000000000001")
    cells = summary_cells(with_line(FOOD, line, "%"), Decimal(94))
    assert cells["xlsx.line"].value == "94.00000000000000001%"
    assert cells["xlsx.line"].data_type == "s"
    assert shown(cells["actual"]) < shown(cells["xlsx.line"])
    assert shown(cells["gap"]) == Decimal("-0.00000000000000001")


def test_the_decimals_are_those_at_which_excel_keeps_the_side() -> None:
    # At two decimals Excel shows 93.985 as 93.99, on a line of 93.99 (a county's figure has
    # no gap to ask for more): half to even would keep 93.98.
    pair = (Decimal("93.985"), Decimal("93.99"))
    assert fewest_places(pair) == 2
    assert fewest_places(pair, rounding=EXCEL_ROUNDING) == 3


def test_a_column_is_wide_enough_for_the_decimals_it_shows() -> None:
    # Narrower than its text, Excel shows a number as ####.
    cells = summary_cells(FOOD, Decimal("93.9999999999999"))
    figure = cells["actual"]
    width = figure.parent.column_dimensions[figure.column_letter].width
    assert width >= len("93.9999999999999%")


def test_a_county_missing_the_year_is_missing_whatever_it_sent_before() -> None:
    figures = [("甘州区", 2020), ("临泽县", 2020), ("高台县", 2020), ("山丹县", 2020)]
    figures += [("民乐县", 2020), ("肃南裕固族自治县", 2019)]
    Path("air.csv").write_text(
        "指标,年份,地区,数值\n"
        + "".join(f"城市空气质量优良天数比例,{year},{county},90\n" for county, year in figures),
        encoding="utf-8",
    )
    result = run_cli(["evaluate", "air.csv", "-o", "r.xlsx", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    counties = load_workbook("r.xlsx")["Counties"]
    air = [row for row in counties.iter_rows(values_only=True) if row[0] == "good_air_days_ratio"]
    by_county = {row[2]: row for row in air}
    assert by_county["Sunan Yugur Autonomous County"][3:] == (None, "%", 0.82, "missing")


def test_a_county_answering_again_later_shows_the_answer_judged() -> None:
    # Done in 2019, and said again for 2020: the rule judged 2019's, so does the sheet
    # (as the page's chart does), not the evaluated year's.
    shutil.copytree(SAMPLES / "counties", "counties")
    with Path("counties/ganzhou.csv").open("a", encoding="utf-8") as county:
        county.write("甘州区创建出口食品农产品质量安全示范县,2020,甘州区,完成,\n")
    inputs = [str(SAMPLES / "city-2020.csv"), "counties"]
    told = json.loads(run_cli(["evaluate", *inputs, "--format", "json"]).stdout)
    [demo] = [r for r in told["reports"][0]["results"] if r["id"] == "ganzhou_export_demo_county"]
    assert demo["value_year"] == 2019
    assert run_cli(["evaluate", *inputs, "-o", "r.xlsx", "--lang", "en"]).exit_code in (0, 1)
    counties = load_workbook("r.xlsx")["Counties"]
    names = [
        row[2]
        for row in counties.iter_rows(min_row=2, values_only=True)
        if row[0] == "ganzhou_export_demo_county"
    ]
    assert names[0] == "Ganzhou District (2019)"
