"""Limits on a table's columns and a cell's length, shared by CSV and Excel, hit before the cost."""

from __future__ import annotations

import csv
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from qcheck.catalogue import Catalogue
from qcheck.loaders.files import check_files
from qcheck.loaders.table import MAX_CELL, MAX_COLUMNS
from tests.helpers import run_cli

FOOD = "食品安全抽检合格率"


pytestmark = pytest.mark.usefixtures("in_tmp")


def _problems(path: str, *args: str) -> list[dict[str, Any]]:
    result = run_cli(["validate", path, *args, "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    problems: list[dict[str, Any]] = json.loads(result.stdout)["validation"]["problems"]
    return problems


def _where(problem: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(problem.get(key) for key in ("code", "sheet", "row", "column"))


def test_a_header_of_a_million_columns_is_refused_before_it_is_split(catalogue: Catalogue) -> None:
    header = "指标,数值," + ",".join(f"c{n}" for n in range(1_000_000))
    Path("wide.csv").write_text(f"{header}\n{FOOD},95\n", encoding="utf-8")
    tracemalloc.start()
    try:
        _, validation = check_files(["wide.csv"], catalogue=catalogue)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (problem,) = validation.problems
    assert (problem.code, problem.row, problem.column) == ("too-large", 1, None)
    assert problem.message == "the row has 1,000,002 cells, over the limit of 1,000 columns"
    assert problem.message_zh == "该行有1,000,002个单元格，超过1,000列的上限"
    # Before: 650 MB (and 16 s). The line itself is 8 MB of text (16 MB in memory).
    assert peak < 60 * 1024 * 1024, f"{peak:,} bytes"


def test_a_row_just_at_the_limit_is_read() -> None:
    header = ["指标", "数值", *(f"c{n}" for n in range(MAX_COLUMNS - 2))]
    with Path("edge.csv").open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, [FOOD, "95"]])
    result = run_cli(["validate", "edge.csv", "--format", "json"])
    found = json.loads(result.stdout)["validation"]
    assert {problem["code"] for problem in found["problems"]} == {"unknown-column"}
    assert (result.exit_code, found["measurements"]) == (0, 1)


def test_a_wide_data_row_is_refused_naming_its_row() -> None:
    Path("report.csv").write_text(f"指标,数值\n{FOOD},95{',' * 5000}\n", encoding="utf-8")
    (problem,) = _problems("report.csv")
    assert _where(problem) == ("too-large", None, 2, None)
    assert problem["message"] == "the row has 5,002 cells, over the limit of 1,000 columns"


def test_a_wide_header_with_quotes_is_refused_without_a_count() -> None:
    header = '"指标",数值,' + ",".join(["x"] * 2000)
    Path("report.csv").write_text(f"{header}\n{FOOD},95\n", encoding="utf-8")
    (problem,) = _problems("report.csv")
    assert _where(problem) == ("too-large", None, 1, None)
    assert problem["message"] == (
        "the row has more than 1,000 cells, over the limit of 1,000 columns"
    )


@pytest.mark.parametrize("length", [MAX_CELL + 1, 200_000])
def test_a_long_note_is_too_large_naming_its_column(length: int) -> None:
    Path("report.csv").write_text(f'指标,数值,备注\n{FOOD},95,"{"x" * length}"\n', encoding="utf-8")
    (problem,) = _problems("report.csv")
    assert _where(problem) == ("too-large", None, 2, "备注")
    assert problem["message"] == f"the cell has {length:,} characters, over the limit of 32,767"
    assert problem["hint"] == (
        "shorten it; if it should be short, look for a quote that is never closed"
    )
    assert problem["message_zh"] == f"该单元格有{length:,}个字符，超过32,767个字符的上限"


def test_a_cell_at_the_limit_is_read() -> None:
    Path("report.csv").write_text(
        f'指标,数值,备注\n{FOOD},95,"{"x" * MAX_CELL}"\n', encoding="utf-8"
    )
    result = run_cli(["validate", "report.csv", "--format", "json"])
    assert result.exit_code == 0, result.output


def test_a_cell_past_the_reader_limit_is_too_large_naming_its_row() -> None:
    Path("report.csv").write_text(
        f'指标,数值,备注\n{FOOD},95,x\n{FOOD},96,"{"y" * 2_000_000}"\n', encoding="utf-8"
    )
    problems = _problems("report.csv")
    assert [_where(problem) for problem in problems] == [("too-large", None, 3, None)]
    assert problems[0]["message"] == (
        "the cell has more than 1,048,576 characters, over the limit of 32,767"
    )


def test_the_reader_limit_holds_when_other_code_raised_the_csv_modules() -> None:
    # frictionless, in the same process, sets the csv module's limit to 2**31.
    previous = csv.field_size_limit(2**31 - 1)
    try:
        test_a_cell_past_the_reader_limit_is_too_large_naming_its_row()
        assert csv.field_size_limit() == 2**31 - 1  # put back as it was
    finally:
        csv.field_size_limit(previous)


def test_a_long_cell_in_the_header_names_its_position() -> None:
    Path("report.csv").write_text(f'指标,数值,"{"h" * 40_000}"\n{FOOD},95,x\n', encoding="utf-8")
    (problem,) = _problems("report.csv")
    assert _where(problem) == ("too-large", None, 1, None)
    assert problem["message"] == (
        "the cell in column 3 has 40,000 characters, over the limit of 32,767"
    )


def test_a_long_note_on_a_row_of_judged_cells_is_refused() -> None:
    # The first rows judge every cell of the later ones, which remembered verdicts would accept.
    rows = [f"{FOOD},95,{year},x" for year in range(2000, 2020)]
    rows += [f"PM10,95,{year},x" for year in range(2000, 2010)]
    rows.append(f'PM10,95,2010,"{"x" * (MAX_CELL + 1)}"')
    Path("report.csv").write_text("指标,数值,年份,备注\n" + "\n".join(rows) + "\n")
    (problem,) = _problems("report.csv")
    assert _where(problem) == ("too-large", None, 32, "备注")


@pytest.mark.parametrize("header", ["序号", "备注"])
def test_a_long_cell_no_verdict_covers_is_refused(header: str) -> None:
    # A row-number column is read by no rule, like a note: only its length is checked, and a
    # fast lane once took such rows without that check. Rows in batches and one by one both.
    # Every cell of the long row is judged by the rows before it, and its key is new.
    rows = [f"{n},{FOOD},95,{year}" for n, year in enumerate(range(2000, 2010))]
    rows += [f"{n},PM10,95,{year}" for n, year in enumerate(range(2010, 2020))]
    rows += [f"{n},PM10,96,{year}" for n, year in enumerate(range(2000, 2010))]
    rows.append(f'"{"9" * (MAX_CELL + 1)}",{FOOD},95,2015')
    rows += [f"{n},{FOOD},96,{year}" for n, year in enumerate(range(2016, 2020))]
    for path, extra in (("batch.csv", rows), ("single.csv", rows[:31])):
        Path(path).write_text(f"{header},指标,数值,年份\n" + "\n".join(extra) + "\n")
        (problem,) = _problems(path)
        assert (problem["code"], problem["column"]) == ("too-large", header), path


def test_excel_shares_the_limits() -> None:
    # A workbook's cells hold at most 32,767 characters (openpyxl cuts longer ones): only the
    # width can be over.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "数据"
    sheet.append(["指标", "数值", "备注"])
    sheet.append([FOOD, 95, "x" * MAX_CELL])
    sheet.append([FOOD, 96, *(["x"] * MAX_COLUMNS)])
    workbook.save("report.xlsx")
    (problem,) = _problems("report.xlsx")
    assert _where(problem) == ("too-large", "数据", 3, None)
    assert problem["message"] == "the row has 1,002 cells, over the limit of 1,000 columns"
