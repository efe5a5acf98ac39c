"""The workbook's layout: charts beside their data, filters, long text, the About sheet."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from qcheck.problems import Problem
from qcheck.renderers import renderer_for
from qcheck.validation import Validation
from qcheck.words import Lang, label
from tests.helpers import SAMPLES, run_cli

CHART_ROWS = 16  # the rows a chart covers


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in an empty folder."""


def title(chart: Any) -> str:
    return "".join(run.t for line in chart.title.tx.rich.p for run in line.r or [])


def test_each_files_county_chart_names_it_and_stands_beside_its_rows() -> None:
    result = run_cli(["evaluate", str(SAMPLES), "--each", "-o", "each.xlsx", "--lang", "en"])
    assert result.exit_code in (0, 1, 2), result.output
    counties = load_workbook("each.xlsx")["Counties"]
    charts = counties._charts  # type: ignore[attr-defined]
    assert len(charts) > 3
    placed = []
    for chart in charts:
        data = chart.series[0].val.numRef.f  # 'Counties'!$E$11:$E$16
        first = int(data.split("!")[1].split(":")[0].split("$")[-1])
        source = counties.cell(first, 1).value
        # The title names the file whose figures it draws, and the chart starts on their row.
        assert str(source) in title(chart)
        anchor = chart.anchor._from
        assert anchor.row + 1 == first
        placed.append((anchor.col, anchor.row))
    assert len({title(chart) for chart in charts}) == len(charts)
    # No chart covers another: in the same columns, one starts where the one above ends.
    for column, row in placed:
        for other_column, other_row in placed:
            if (column, row) != (other_column, other_row) and column == other_column:
                assert abs(row - other_row) >= CHART_ROWS


def problems_cell(text: str, lang: Lang = "en") -> str:
    """Return the file cell of a problem whose file is named ``text``, read back."""
    problem = Problem.of("not-a-number", source=text, row=2, column="value", value="x")
    validation = Validation(sources=("a.csv",), rows=1, measurements=0, problems=(problem,))
    rendered = renderer_for("xlsx", lang=lang).render_validation(validation, strict=False, limit=9)
    assert isinstance(rendered, bytes)
    value = load_workbook(io.BytesIO(rendered))[label(lang, "xlsx.sheet.problems")]["A2"].value
    assert isinstance(value, str)
    return value


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_text_past_excels_cell_limit_is_cut_saying_how_much_is_left_out(lang: Lang) -> None:
    # 20,000 emoji are 40,000 UTF-16 units: Excel holds 32,767 in a cell.
    text = "😀" * 20_000
    cell = problems_cell(text, lang)
    assert units(cell) <= 32_767
    kept = len(cell.split("…")[0])
    assert set(cell.split("…")[0]) == {"😀"}  # no emoji halved
    assert cell.endswith(label(lang, "xlsx.cut", count=20_000 - kept))


def test_a_text_at_excels_cell_limit_is_kept_whole() -> None:
    text = "a" + "😀" * 16_383  # 32,767 units
    assert problems_cell(text) == text


def test_the_overviews_filter_leaves_the_totals_out() -> None:
    inputs = [str(SAMPLES / "report-2020-all-met.csv"), str(SAMPLES / "report-2019-progress.csv")]
    result = run_cli(["evaluate", *inputs, "--each", "-o", "r.xlsx", "--lang", "en"])
    assert result.exit_code == 1, result.output
    overview = load_workbook("r.xlsx")["Overview"]
    last = overview.max_row
    assert overview.cell(last, 1).value == label("en", "totals")
    # Sorted with the files, the totals row would land among them.
    assert overview.auto_filter.ref == f"A1:{get_column_letter(overview.max_column)}{last - 1}"


def test_a_validations_about_sheet_gives_its_counts_and_verdict() -> None:
    Path("bad.csv").write_text("指标,年份,数值\n食品安全抽检合格率,2020,abc\n", encoding="utf-8")
    result = run_cli(["validate", "bad.csv", "-o", "v.xlsx", "--lang", "en"])
    assert result.exit_code == 2
    about = [row[:2] for row in load_workbook("v.xlsx")["About"].iter_rows(values_only=True)]
    (results,) = [line for line in about if line[0] == label("en", "xlsx.results")]
    assert "1 error" in str(results[1])
    assert label("en", "invalid") in str(results[1])
    assert ("Data", "bad.csv") in about
