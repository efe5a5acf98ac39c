"""The Arrow column path gives exactly what the row path gives, for any rows and batches."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import qcheck.loaders.arrow_csv
import qcheck.loaders.csv_file
import qcheck.loaders.excel
import qcheck.loaders.files
import qcheck.loaders.table
import qcheck.rows
from qcheck.catalogue import Catalogue
from qcheck.intake import ColumnBatch, Intake
from qcheck.loaders.files import check_files, check_inputs
from qcheck.loaders.table import MAX_CELL, find_layout
from qcheck.measurements import MeasurementRow, RawRecord
from qcheck.problems import ProblemSink
from qcheck.rows import CellVerdicts
from tests.core.test_verdicts import FOOD, FULL, ROW, _state, _text

SHAPES = st.sampled_from(
    [
        FULL,
        "indicator,year,region,value",
        "指标,数值",
        "indicator,year,value,序号",
        "indicator,value,department",  # a column not read, which may name regions
        "指标,年份,地区,数值（%）",  # a unit for every row in the value's header
        "指标,地区,2019年完成值",  # a year for every row in the value's header
    ]
)
FILES = st.lists(st.tuples(SHAPES, st.lists(ROW, max_size=30)), min_size=1, max_size=3)


def _batches(path: Path, size: int, problems: ProblemSink) -> Iterator[ColumnBatch]:
    """Read a one-line-a-row CSV file as batches of ``size`` rows of Arrow columns."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    numbered = iter([(number, list[object](row)) for number, row in enumerate(rows, 1)])
    found = find_layout(numbered, source=str(path), problems=problems)
    assert found is not None
    assert not found[1]
    layout = found[0]
    data = rows[1:]
    for start in range(0, len(data), size):
        chunk = data[start : start + size]
        numbers = pa.array(range(start + 2, start + 2 + len(chunk)), pa.int64())
        columns = [pa.array([row[i] for row in chunk], pa.string()) for i in range(layout.width)]
        yield ColumnBatch(layout, numbers, columns)


def _batches_taken(patch: pytest.MonkeyPatch) -> list[int]:
    """Count the rows of each batch the intake takes, from now on; return the counts."""
    taken: list[int] = []
    take = Intake.take

    def counting(intake: Intake, batch: ColumnBatch) -> int:
        taken.append(len(batch.numbers))
        return take(intake, batch)

    patch.setattr(Intake, "take", counting)
    return taken


def _tables_read(patch: pytest.MonkeyPatch) -> list[object]:
    """Keep each table pyarrow's CSV reader reads, from now on; return the list of them."""
    tables: list[object] = []
    read_csv = qcheck.loaders.arrow_csv.read_csv

    def reading(*args: Any, **kwargs: Any) -> Any:
        tables.append(read_csv(*args, **kwargs))
        return tables[-1]

    patch.setattr(qcheck.loaders.arrow_csv, "read_csv", reading)
    return tables


def _both(
    catalogue: Catalogue, texts: Sequence[str], *, size: int, keep_all: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check files as rows (a CSV file's reader) and as batches of ``size`` rows of columns."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"r{n}.csv" for n in range(len(texts))]
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text, encoding="utf-8")
        rows = _state(*check_files(paths, catalogue=catalogue, keep_all=keep_all))

        def reader(path: Path) -> Any:
            def read(
                problems: ProblemSink, _sheets: MutableMapping[str, str]
            ) -> Iterator[RawRecord | ColumnBatch]:
                return _batches(path, size, problems)

            return read

        inputs = [(str(path), reader(path)) for path in paths]
        columns = _state(*check_inputs(inputs, catalogue=catalogue, keep_all=keep_all))
    return rows, columns


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=FILES, size=st.sampled_from([1, 2, 3, 7, 1000]))
@example(files=[(FULL, [(FOOD, "2020", "", "95", "", "")] * 3)], size=2)  # repeats over batches
@example(files=[(FULL, [(FOOD, "2020", "", "95", "", "")])] * 2, size=1)  # and over files
@example(files=[("indicator,value,department", [(FOOD, "95", "甘州", "", "", "")] * 2)], size=1)
def test_columns_give_what_rows_give(
    catalogue: Catalogue, files: list[tuple[str, list[tuple[str, ...]]]], size: int
) -> None:
    rows, columns = _both(catalogue, [_text(shape, rows) for shape, rows in files], size=size)
    assert columns == rows


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=FILES)
def test_columns_give_every_row_when_asked(
    catalogue: Catalogue, files: list[tuple[str, list[tuple[str, ...]]]]
) -> None:
    texts = [_text(shape, rows) for shape, rows in files]
    rows, columns = _both(catalogue, texts, size=3, keep_all=True)
    assert columns == rows


def test_a_long_cell_is_refused_on_the_column_path(catalogue: Catalogue) -> None:
    rows = [(FOOD, str(year), "", "95", "", "x") for year in range(2000, 2020)]
    rows.append((FOOD, "2020", "", "95", "", "x" * (MAX_CELL + 1)))
    rows_state, columns = _both(catalogue, [_text(FULL, rows)], size=100)
    assert columns == rows_state
    assert [p.code for p in columns["problems"]] == ["too-large"]


def test_the_model_sees_each_distinct_cell_once(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    judged: list[RawRecord] = []
    remember = qcheck.rows.RowValidator.remember

    def counting(validator: Any, record: RawRecord) -> None:
        judged.append(record)
        remember(validator, record)

    monkeypatch.setattr(qcheck.rows.RowValidator, "remember", counting)
    counties = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]
    rows = [
        ("good_air_days_ratio", str(year), county, "85", "", "")
        for year in range(2000, 2021)
        for county in counties
    ]
    _, columns = _both(catalogue, [_text(FULL, rows)], size=1000)
    assert columns["problems"] == ()
    # The first row holding each new cell, in order: the first six (every county), then the
    # first of each of the 20 later years.
    assert [record.row for record in judged] == [*range(2, 8), *range(8, 128, 6)]


def test_verdicts_are_shared_by_the_row_and_column_paths(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [(FOOD, str(year), "", "95", "", "") for year in range(2000, 2021)]
    path = tmp_path / "r.csv"
    path.write_text(_text(FULL, rows), encoding="utf-8")
    parquet = tmp_path / "r.parquet"
    columns = list(zip(*rows, strict=True))
    pq.write_table(pa.table(dict(zip(FULL.split(","), columns, strict=True))), parquet)
    verdicts = CellVerdicts()
    check_files([path], catalogue=catalogue, verdicts=verdicts)
    calls: list[object] = []
    monkeypatch.setattr(MeasurementRow, "model_validate", calls.append)
    _, validation = check_files([parquet], catalogue=catalogue, verdicts=verdicts)
    assert validation.problems == ()
    assert validation.measurements == 21
    assert calls == []  # every cell was judged when the CSV file was read


# CSV text as departments write it: quoted line breaks, blank lines, short rows, cells past the
# header, a quote never closed (the rows before it are still checked).
CSV_LINES = st.one_of(
    ROW.map(lambda row: ",".join(f'"{cell}"' for cell in row)),
    st.sampled_from(
        [
            "",
            " , ,",
            f'{FOOD},2019,,"9\n5"',
            f'"{FOOD}","2018","甘州","96","","多行\r\n备注"',
            f"{FOOD},2017",
            f"{FOOD},2016,,95,,,extra",
            f"{FOOD},2015,,95,,,,",
        ]
    ),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(CSV_LINES, max_size=40),
    unclosed=st.booleans(),
    alone=st.integers(0, 5),
    size=st.sampled_from([1, 2, 5, 1000]),
    arrow=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)
@example(
    lines=[f"{FOOD},2020,,95"] * 3, unclosed=False, alone=0, size=2, arrow=False, encoding="utf-8"
)
@example(
    lines=[f"{FOOD},2020,,95", f"{FOOD},2016,,95,,,x"],
    unclosed=True,
    alone=0,
    size=2,
    arrow=True,
    encoding="gb18030",
)
def test_a_long_csv_file_gives_what_it_gives_read_row_by_row(
    catalogue: Catalogue,
    lines: list[str],
    unclosed: bool,
    alone: int,
    size: int,
    arrow: bool,
    encoding: str,
) -> None:
    """Rows after ``alone`` come as columns; with ``arrow``, pyarrow reads the whole file."""
    text = FULL + "\n" + "\n".join(lines) + ("\n" + f'{FOOD},2014,,"95' if unclosed else "") + "\n"
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "r.csv"
        path.write_text(text, encoding=encoding)
        by_rows = _state(*check_files([path], catalogue=catalogue))
        patch.setattr(qcheck.loaders.csv_file, "ROWS_ALONE", alone)
        patch.setattr(qcheck.loaders.table, "COLUMN_BATCH", size)
        if arrow:
            patch.setattr(qcheck.loaders.csv_file, "ARROW_CSV_BYTES", 0)
        taken = _batches_taken(patch)
        by_columns = _state(*check_files([path], catalogue=catalogue))
    assert by_columns == by_rows
    rows = len(list(csv.reader(io.StringIO("\n".join(lines) + "\n"))))
    if rows > alone and not arrow:  # a long file's rest is checked as columns
        assert taken


def _cell(reference: str, cell: object) -> str:
    """Return a sheet cell's XML: text inline, a number, a boolean, or a formula never run."""
    if isinstance(cell, bool):
        return f'<c r="{reference}" t="b"><v>{int(cell)}</v></c>'
    if isinstance(cell, (int, float)):
        return f'<c r="{reference}"><v>{cell}</v></c>'
    if isinstance(cell, str) and cell.startswith("="):
        return f'<c r="{reference}"><f>{cell[1:]}</f></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{cell}</t></is></c>'


EXCEL_CELLS = st.one_of(
    st.sampled_from([FOOD, "PM10", "nope", "", "甘州", "全市", "达到", "=A1", "95%"]),
    st.sampled_from([95, 95.5, 0.5, 2019, 2020.0, 60, True, 1]),
)
EXCEL_ROWS = st.lists(
    st.tuples(
        st.tuples(st.sampled_from([FOOD, "PM10", "nope", ""]), EXCEL_CELLS, EXCEL_CELLS),
        st.booleans(),  # hidden
    ),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=EXCEL_ROWS, alone=st.integers(0, 4), size=st.sampled_from([1, 3, 1000]))
def test_a_long_sheet_gives_what_it_gives_read_row_by_row(
    catalogue: Catalogue, rows: list[tuple[tuple[object, ...], bool]], alone: int, size: int
) -> None:
    from tests.loaders.test_excel import sheet_xml, xlsx

    names = ("指标", "数值", "年份")
    header = "".join(_cell(f"{letter}1", name) for letter, name in zip("ABC", names, strict=True))
    lines = [f'<row r="1">{header}</row>']
    for number, (cells, hidden) in enumerate(rows, 2):
        xml = "".join(
            _cell(f"{letter}{number}", cell)
            for letter, cell in zip("ABC", cells, strict=True)
            if cell != ""
        )
        hide = ' hidden="1"' if hidden else ""
        lines.append(f'<row r="{number}"{hide}>{xml}</row>')
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "r.xlsx"
        path.write_bytes(xlsx({"数据": sheet_xml(*lines)}))
        by_rows = _state(*check_files([path], catalogue=catalogue))
        patch.setattr(qcheck.loaders.excel, "ROWS_ALONE", alone)
        patch.setattr(qcheck.loaders.table, "COLUMN_BATCH", size)
        by_columns = _state(*check_files([path], catalogue=catalogue))
    assert by_columns == by_rows


def test_a_long_sheet_is_checked_as_columns(catalogue: Catalogue) -> None:
    rows: list[tuple[tuple[object, ...], bool]]
    rows = [((FOOD, 95, year), year % 7 == 0) for year in range(2000, 2050)]
    rows.append(((FOOD, "=A1", 2050), False))  # a formula never calculated: a record
    with pytest.MonkeyPatch.context() as patch:
        taken = _batches_taken(patch)
        test_a_long_sheet_gives_what_it_gives_read_row_by_row.hypothesis.inner_test(  # type: ignore[attr-defined]
            catalogue=catalogue, rows=rows, alone=5, size=10
        )
    # 51 rows: 5 alone, then batches around the formula, which comes as a record; hidden rows
    # stay in the batches (a sheet with every other row hidden made batches of one row).
    assert sum(taken) == 51 - 5 - 1


def test_a_small_file_repeating_a_row_of_a_large_one_names_that_row(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    table = {"indicator": [FOOD, FOOD], "year": ["2019", "2020"], "value": ["95", "95"]}
    pq.write_table(pa.table(table), tmp_path / "a.parquet")  # checked as columns
    (tmp_path / "b.csv").write_text(f"indicator,year,value\n{FOOD},2020,96\n", encoding="utf-8")
    _, validation = check_files([tmp_path / "a.parquet", tmp_path / "b.csv"], catalogue=catalogue)
    (problem,) = validation.problems
    assert (problem.code, problem.source, problem.row) == ("duplicate", str(tmp_path / "b.csv"), 2)
    assert problem.message.endswith(f"but 95 in {tmp_path / 'a.parquet'}, row 3")


def test_a_large_csv_file_is_read_by_pyarrow(catalogue: Catalogue, tmp_path: Path) -> None:
    rows = [f"{FOOD},{year},,95" for year in range(2000, 2030)] + [f"{FOOD},2015,,96,x"]
    path = tmp_path / "r.csv"
    path.write_text("indicator,year,region,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    by_rows = _state(*check_files([path], catalogue=catalogue))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qcheck.loaders.csv_file, "ARROW_CSV_BYTES", 0)
        tables = _tables_read(patch)
        taken = _batches_taken(patch)
        by_columns = _state(*check_files([path], catalogue=catalogue))
    assert len(tables) == 1
    assert sum(taken) == 30  # the row with a cell past the header is left out by the reader
    assert by_columns == by_rows
    assert [(p.code, p.row) for p in by_columns["problems"]] == [("extra-cells", 32)]


def test_a_csv_file_of_a_mebibyte_or_more_is_read_by_pyarrow(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "large.csv"
    rows = (f"{FOOD},{2000 + n % 101},,{90 + n % 10}\n" for n in range(40_000))
    path.write_text("indicator,year,region,value\n" + "".join(rows), encoding="utf-8")
    assert path.stat().st_size >= qcheck.loaders.csv_file.ARROW_CSV_BYTES
    tables = _tables_read(monkeypatch)
    taken = _batches_taken(monkeypatch)
    _, validation = check_files([path], catalogue=catalogue)
    assert len(tables) == 1
    assert sum(taken) == validation.rows == 40_000


def test_a_batch_is_split_into_parts_only_without_its_readers_problems() -> None:
    from qcheck.loaders.table import find_layout
    from qcheck.problems import Problem

    found = find_layout(iter([(1, list[object](["indicator", "value"]))]), source="r", problems=[])
    assert found is not None
    rows: list[tuple[int, list[object]]] = [(2, ["a", "1"]), (4, ["b", "2"]), (7, ["c", "3"])]
    batch = ColumnBatch.of_rows(found[0], rows)
    parts = [batch.part(0, 1), batch.part(1, 3)]
    assert [part.numbers.to_pylist() for part in parts] == [[2], [4, 7]]
    assert [list(part.rows or ()) for part in parts] == [[["a", "1"]], [["b", "2"], ["c", "3"]]]
    left_out = (Problem.of("extra-cells", source="r", row=3, count=1, cells="x"),)
    with pytest.raises(ValueError, match="not split"):
        batch._replace(problems=left_out).part(0, 1)


def test_past_the_verdicts_kept_a_row_on_the_column_path_is_judged_once(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real figures are mostly distinct: past VERDICTS_KEPT, each new row was judged twice, to be
    # remembered (which no longer happened) and again to be told (found by review).
    rows = [f"{FOOD},{year},,{90 + (year - 2000) / 10}" for year in range(2000, 2050)]
    path = tmp_path / "r.csv"
    path.write_text("indicator,year,region,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    by_rows = _state(*check_files([path], catalogue=catalogue))
    calls: list[object] = []
    validate = MeasurementRow.model_validate

    def counting(*args: Any, **kwargs: Any) -> MeasurementRow:
        calls.append(args)
        return validate(*args, **kwargs)

    monkeypatch.setattr(qcheck.rows, "VERDICTS_KEPT", 0)
    monkeypatch.setattr(qcheck.loaders.csv_file, "ROWS_ALONE", 0)
    monkeypatch.setattr(MeasurementRow, "model_validate", counting)
    by_columns = _state(*check_files([path], catalogue=catalogue))
    assert by_columns == by_rows
    assert len(calls) == 50
