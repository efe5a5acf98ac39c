"""In-memory tables in the Python API: the same checks as the same rows in a CSV file."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import qcheck
from qcheck import check_files, check_table
from qcheck.catalogue import Catalogue
from qcheck.dataset import Dataset
from qcheck.problems import Problem
from qcheck.validation import Validation
from tests.helpers import SAMPLES

HEADER = ["indicator", "year", "region", "value", "unit", "note"]
ROWS: list[list[str | None]] = [
    ["consumer_goods_pass_rate", "2020", None, "93.1", "%", None],  # row index 0
    ["consumer_goods_pass_rate", "2019", None, "92.3", "%", "ok"],
    ["no_such_indicator", "2020", None, "1", None, None],  # unknown indicator
    ["consumer_goods_pass_rate", "2018", None, "ninety", "%", None],  # row index 3: bad value
    ["consumer_goods_pass_rate", "2020", None, "94.0", "%", None],  # duplicates row index 0
]


class CStreamOnly:
    """An object that offers its rows only through the Arrow C stream (as pandas, polars do)."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self._table.__arrow_c_stream__(requested_schema)


def as_table(header: list[str], rows: list[list[str | None]]) -> pa.Table:
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(header)})


def write_csv(header: list[str], rows: list[list[str | None]], path: Path) -> Path:
    lines = [",".join(header)] + [",".join(cell or "" for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measured(dataset: Dataset) -> list[tuple[object, ...]]:
    return [
        (m.indicator, m.value, m.year, m.region, m.note, m.origin.row)
        for m in dataset.everything or ()
    ]


def unlocated(problems: tuple[Problem, ...], source: str) -> list[dict[str, Any]]:
    """Problems with the source and the row left out, and the source's name taken out of texts."""
    return [
        {
            **problem.to_dict(),
            "source": "r",
            "row": None,
            "message": _unnamed(problem.message, source),
            "message_zh": _unnamed(problem.message_zh, source),
        }
        for problem in problems
    ]


def _unnamed(text: str, source: str) -> str:
    """Take the earlier row's location out of a duplicate's text: it differs by its kind."""
    where = re.escape(source) + r"(, row (index )?\d+|，(第\d+行|行索引\d+))"
    return re.sub(where, "<where>", text)


def run(obj: object, catalogue: Catalogue, **kwargs: object) -> tuple[Dataset, Validation]:
    return check_table(obj, catalogue=catalogue, keep_all=True, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("wrap", [lambda t: t, CStreamOnly, lambda t: t.to_reader()])
def test_table_checks_as_the_same_csv(catalogue: Catalogue, tmp_path: Path, wrap: object) -> None:
    csv_path = write_csv(HEADER, ROWS, tmp_path / "r.csv")
    from_file, file_checked = check_files([csv_path], catalogue=catalogue, keep_all=True)
    from_table, table_checked = run(wrap(as_table(HEADER, ROWS)), catalogue)  # type: ignore[operator]

    file_rows = [(*m[:-1], m[-1] - 2) for m in measured(from_file)]  # type: ignore[operator]
    assert measured(from_table) == file_rows  # row index = file line - 2 (the header is line 1)
    assert [m[-1] for m in measured(from_table)] == [0, 1]
    assert unlocated(table_checked.problems, "<table>") == unlocated(
        file_checked.problems, str(csv_path)
    )
    assert {p.code for p in table_checked.problems} >= {"unknown-indicator", "duplicate"}
    rows = {p.code: p.row for p in table_checked.problems}
    file_rows_by_code = {p.code: p.row for p in file_checked.problems}
    assert rows == {code: row - 2 for code, row in file_rows_by_code.items()}  # type: ignore[operator]
    assert (table_checked.rows, table_checked.measurements) == (5, 2)
    assert table_checked.sources == ("<table>",)


def test_a_bad_cell_names_its_row_index(catalogue: Catalogue) -> None:
    _dataset, checked = run(as_table(HEADER, ROWS), catalogue, source="counties")
    bad = next(p for p in checked.problems if p.column == "value" and p.row == 3)
    assert bad.source == "counties"
    assert bad.describe().startswith("counties, row index 3, column 'value': ")
    assert bad.describe("zh").startswith("counties，行索引3，“value”列：")
    duplicate = next(p for p in checked.problems if p.code == "duplicate")
    assert duplicate.row == 4
    assert "counties, row index 0" in duplicate.message
    assert "counties，行索引0" in (duplicate.message_zh or "")


def test_file_rows_are_still_rows(tmp_path: Path, catalogue: Catalogue) -> None:
    csv_path = write_csv(HEADER, ROWS, tmp_path / "r.csv")
    _dataset, checked = check_files([csv_path], catalogue=catalogue)
    bad = next(p for p in checked.problems if p.column == "value" and p.code != "duplicate")
    assert bad.describe().startswith(f"{csv_path}, row 5, column 'value': ")


def test_column_name_problems_have_no_row(catalogue: Catalogue) -> None:
    table = pa.table({"indicator": ["consumer_goods_pass_rate"], "year": ["2020"]})
    _dataset, checked = run(table, catalogue)
    missing = [p for p in checked.problems if p.severity == "error"]
    assert missing
    assert all(p.row is None for p in missing)
    assert all("row index" not in p.describe() for p in missing)


def test_a_column_of_lists_is_refused_by_name(catalogue: Catalogue) -> None:
    table = as_table(HEADER, ROWS[:1]).append_column("extra", pa.array([[1, 2]]))
    _dataset, checked = run(table, catalogue)
    assert [(p.code, p.column, p.row) for p in checked.problems] == [("bad-parquet", "extra", None)]


def test_typed_columns_read_as_their_text(catalogue: Catalogue) -> None:
    table = pa.table(
        {
            "indicator": ["consumer_goods_pass_rate"],
            "year": pa.array([2020], pa.int64()),
            "value": pa.array([93.1], pa.float64()),
            "unit": ["%"],
        }
    )
    dataset, checked = run(table, catalogue)
    assert checked.problems == ()
    assert [(m.value, m.year) for m in dataset.everything or ()] == [(Decimal("93.1"), 2020)]


def test_the_sample_as_a_table_evaluates_as_the_file(catalogue: Catalogue) -> None:
    import pyarrow.csv as pacsv

    sample = SAMPLES / "report-2020-with-failures.csv"
    options = pacsv.ConvertOptions(strings_can_be_null=True, column_types=None)
    table = pacsv.read_csv(sample, convert_options=options)
    table = table.cast(pa.schema([(name, pa.string()) for name in table.column_names]))
    from_file, _ = check_files([sample], catalogue=catalogue)
    from_table, checked = check_table(table, catalogue=catalogue)
    assert checked.is_valid(strict=False)
    year = catalogue.plan.target_year
    file_report = qcheck.evaluate(catalogue=catalogue, measurements=from_file, year=year)
    table_report = qcheck.evaluate(catalogue=catalogue, measurements=from_table, year=year)
    assert [(r.target.id, r.status, r.value) for r in table_report.results] == [
        (r.target.id, r.status, r.value) for r in file_report.results
    ]


def test_another_object_is_a_type_error(catalogue: Catalogue) -> None:
    with pytest.raises(TypeError, match="pyarrow Table"):
        check_table([["indicator", "value"]], catalogue=catalogue)


def test_no_dataframe_library_is_imported() -> None:
    installed = [name for name in ("pandas", "polars") if importlib.util.find_spec(name)]
    if not installed:
        pytest.skip("neither pandas nor polars is installed")
    # pyarrow imports pandas, where installed, to make an array of Python objects: the table is
    # read from CSV bytes instead, so that only qcheck's own imports are seen.
    script = (
        "import io, sys, pyarrow.csv, qcheck\n"
        "text = b'indicator,value\\nconsumer_goods_pass_rate,93\\n'\n"
        "table = pyarrow.csv.read_csv(io.BytesIO(text))\n"
        "qcheck.check_table(table, catalogue=qcheck.load_catalogue())\n"
        f"print([name for name in {installed!r} if name in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
