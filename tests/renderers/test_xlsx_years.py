"""The workbook of several years: each year's own status, and the years named as evaluated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from qcheck.renderers import renderer_for
from qcheck.words import label
from tests.helpers import run_cli
from tests.renderers.test_xlsx import ALL_MET, CATALOGUE, FAILURES, header, row_of, rows

FOOD = "食品安全抽检合格率"


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in an empty folder."""


def _failed_2019() -> Path:
    """Return the all-met report with food safety off track in 2019 (and its 2017 baseline)."""
    path = Path("am.csv")
    extra = f"{FOOD},2019,全市,80,%,\n{FOOD},2017,全市,79,%,\n"
    path.write_text(ALL_MET.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_a_years_workbook_shows_each_years_own_status_and_counts() -> None:
    path = _failed_2019()
    result = run_cli(
        ["evaluate", str(path), "--years", "2018-2020", "-o", "r.xlsx", "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    workbook = load_workbook("r.xlsx")
    trend = workbook["Trend"]
    statuses = ["Status (2018)", "Status (2019)", "Status (2020)"]
    assert header(trend)[-3:] == statuses
    food = [cell.value for cell in row_of(trend, "food_safety_pass_rate")]
    assert food[-3:] == ["? missing", "↘ off track", "✔ met"]
    # Each status cell is filled by its own word.
    ranges = [str(rule.sqref) for rule in trend.conditional_formatting]
    assert ranges == [f"J2:L{trend.max_row}"]
    formulas = {r.formula[0] for cf in trend.conditional_formatting for r in cf.rules}
    assert 'J2="↘ off track"' in formulas
    about = [row[:2] for row in rows(workbook["About"])]
    assert about[0][0] == "Zhangye City: quality targets, 2018–2020"
    results = [text for key, text in about if key == "Results"]
    assert [text.split(":")[0] for text in results] == ["2018", "2019", "2020"]
    assert "1 off track" in results[1]


def test_a_single_years_workbook_keeps_its_history_as_it_was() -> None:
    result = run_cli(["evaluate", str(FAILURES), "-o", "r.xlsx", "--lang", "en"])
    assert result.exit_code == 1, result.output
    workbook = load_workbook("r.xlsx")
    assert header(workbook["Trend"])[-1] == "Direction"
    about = [row[:2] for row in rows(workbook["About"])]
    assert about[0][0] == label("en", "title", city="Zhangye City", year=2020)
    assert len([key for key, _ in about if key == "Results"]) == 1


@pytest.mark.parametrize(
    ("lang", "title", "years"),
    [
        ("en", "Zhangye City: quality targets, 2018, 2020", "2018, 2020"),
        ("zh", "张掖市2018、2020年质量目标核查", "2018、2020"),
    ],
)
def test_years_not_evaluated_are_not_named(lang: Any, title: str, years: str) -> None:
    args = ["evaluate", str(FAILURES), "--years", "2018,2020", "-o", "r.xlsx", "--lang", lang]
    assert run_cli(args).exit_code == 1
    about = [row[:2] for row in rows(load_workbook("r.xlsx")[label(lang, "xlsx.sheet.about")])]
    assert about[0][0] == title
    assert (label(lang, "trend"), years) in about


@pytest.mark.parametrize(
    ("years", "named"),
    [
        ((2020,), "2020"),
        ((2018, 2019, 2020), "2018–2020"),
        ((2016, 2018, 2019, 2020), "2016, 2018–2020"),
    ],
)
def test_years_are_named_run_by_run(years: tuple[int, ...], named: str) -> None:
    texts = renderer_for("xlsx", lang="en").texts_for(CATALOGUE)
    assert texts.years(years) == named
