"""The pyarrow CSV reader gives the rows, lines and problems the Python reader gives."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcheck.loaders import arrow_csv
from qcheck.loaders.arrow_csv import CsvTable, read_csv
from qcheck.loaders.csv_file import FIELD_LIMIT, stream_csv
from qcheck.loaders.encoding import open_text
from qcheck.loaders.table import MAX_CELL, MAX_COLUMNS
from qcheck.measurements import RawRecord, is_blank
from qcheck.problems import InputError, Problem

SOURCE = "report.csv"
# A row as compared: its line, its cells by field, the cells of the columns no field reads.
Read = tuple[int, dict[str, object], dict[str, object]]
# What a reader gives: its rows, its problems, and the problems of the error it raised.
Outcome = tuple[list[Read], list[Problem], list[Problem] | None]


def python_reader(data: bytes) -> Outcome:
    """Read a file as qcheck reads CSV today: open_text, then stream_csv's records."""
    problems: list[Problem] = []
    rows: list[Read] = []
    try:
        text = open_text(io.BytesIO(data), source=SOURCE)
        for record in stream_csv(text, source=SOURCE, problems=problems):
            assert isinstance(record, RawRecord)  # a short file: records only
            assert record.row is not None
            rows.append((record.row, dict(record.cells), dict(record.extras)))
    except InputError as error:
        return rows, problems, error.problems
    return rows, problems, None


def arrow_reader(data: bytes) -> Outcome:
    """Read a file with read_csv, each row's cells put by field as iter_records puts them."""
    problems: list[Problem] = []
    rows: list[Read] = []
    try:
        text = open_text(io.BytesIO(data), source=SOURCE)
        table = read_csv(text.buffer, encoding=text.encoding, source=SOURCE, problems=problems)
        if table is not None:
            rows.extend(_reads(table))
    except InputError as error:
        return rows, problems, error.problems
    return rows, problems, None


def _reads(table: CsvTable) -> Iterator[Read]:
    header = table.header
    for batch in table.batches:
        assert batch.rows.schema.names == [str(index) for index in range(header.width)]
        columns = [column.to_pylist() for column in batch.rows.columns]
        for index, line in enumerate(batch.lines.to_pylist()):
            row = [column[index] for column in columns]
            cells: dict[str, object] = {
                field: row[position] for position, field in header.positions.items()
            }
            if header.value_unit is not None and is_blank(cells.get("unit")):
                cells["unit"] = header.value_unit
            if header.value_year is not None and is_blank(cells.get("year")):
                cells["year"] = header.value_year
            # A cell the row lacks is null: not among the extras, as iter_records leaves it out.
            extras = {
                label: row[position]
                for position, label in header.unread_columns.items()
                if row[position] is not None
            }
            yield line, cells, extras


@contextmanager
def small_pieces(head: int, chunk: int, block: int, left_out: int) -> Iterator[None]:
    """Read with a head, chunks and pyarrow blocks of so many bytes: many of each in a test."""
    with mock.patch.multiple(
        arrow_csv, HEAD_BYTES=head, CHUNK=chunk, BLOCK_SIZE=block, MAX_LEFT_OUT=left_out
    ):
        yield


def assert_same(data: bytes) -> Outcome:
    """Assert that both readers give the same rows and problems; return what they give."""
    expected = python_reader(data)
    assert arrow_reader(data) == expected
    return expected


# --- the differential test ---------------------------------------------------------------

HEADERS = [
    ["indicator", "value"],
    ["indicator", "year", "region", "value", "note"],
    ["指标", "年份", "数值（%）", "备注"],
    ["序号", "indicator", "value", "", "remark"],
    ["indicator", "2020年完成值", "unit"],
]
PLAIN = st.sampled_from(["", " ", "a", "95.2", "甘州区", "达到", "\u3000", "x y", '5"', "1,5"])
TRICKY = st.text(alphabet='ab"\r\n,;\t 甲', max_size=6)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """Draw a CSV file: its bytes and its encoding."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))

    def end() -> str:
        return draw(st.sampled_from(["\n", "\r\n", "\r"])) if ending == "mixed" else ending

    def written(cell: str) -> str:
        if any(char in cell for char in (delimiter, '"', "\r", "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    header = draw(st.sampled_from(HEADERS))
    lines = [draw(st.sampled_from(["2020年报表", f"report{delimiter}{delimiter}", ""]))]
    lines = [*lines[: draw(st.integers(0, 1))], delimiter.join(header)]
    for _ in range(draw(st.integers(0, 20))):
        kind = draw(st.sampled_from(["row"] * 6 + ["blank", "spaces", "raw", "quoted"]))
        if kind == "blank":
            lines.append(draw(st.sampled_from(["", delimiter * 2])))
        elif kind == "spaces":
            lines.append(draw(st.sampled_from([" ", "\t", "\u3000", f" {delimiter} "])))
        elif kind == "raw":  # written as drawn: quotes may be malformed
            lines.append(delimiter.join(draw(st.lists(TRICKY, min_size=1, max_size=3))))
        else:
            width = draw(st.sampled_from([len(header)] * 4 + list(range(1, len(header) + 3))))
            cells = draw(st.lists(TRICKY if kind == "quoted" else PLAIN, min_size=width))
            lines.append(delimiter.join(map(written, cells[:width])))
    text = "".join(line + end() for line in lines)
    if draw(st.booleans()):
        text = text.removesuffix("\n").removesuffix("\r")
    text += draw(st.sampled_from([""] * 5 + ['"never closed', 'x,"a"b']))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.encode(encoding), encoding


PIECES = st.sampled_from(
    [
        (1 << 20, 1 << 20, 1 << 20, 1 << 16),  # as shipped
        (1 << 20, 1 << 20, 1 << 20, 2),  # Python reads on past two irregular rows
        (64, 8, 64, 1 << 16),  # a head that may end before the header, chunks and blocks of a line
        (256, 16, 128, 4),
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=csv_files(), pieces=PIECES)
@example(drawn=(b'indicator,value\na,"1\r\n2"\r\nb,2\n', "utf-8"), pieces=(64, 8, 64, 1 << 16))
@example(drawn=(b"indicator,value\n\n \nb,2,,\nc\n", "utf-8"), pieces=(64, 8, 64, 1 << 16))
@example(
    drawn=(b'indicator,value\na,"1"x\nb,2\n', "utf-8"), pieces=(1 << 20, 1 << 20, 1 << 20, 1 << 16)
)
def test_rows_lines_and_problems_as_the_python_reader(
    drawn: tuple[bytes, str], pieces: tuple[int, int, int, int]
) -> None:
    data, _encoding = drawn
    with small_pieces(*pieces):
        assert_same(data)


def test_spaces_are_those_str_strip_removes() -> None:
    assert set(arrow_csv.SPACES) == {chr(code) for code in range(0x110000) if chr(code).isspace()}


# --- what each kind of row gives ---------------------------------------------------------


def read_rows(data: bytes) -> tuple[list[tuple[int, list[str | None]]], list[Problem], CsvTable]:
    """Read a UTF-8 file with read_csv: (line, cells) of each row, the problems, the table."""
    problems: list[Problem] = []
    table = read_csv(io.BytesIO(data), encoding="utf-8", source=SOURCE, problems=problems)
    assert table is not None
    rows = [
        (line, list(cells))
        for batch in table.batches
        for line, cells in zip(
            batch.lines.to_pylist(), zip(*batch.rows.to_pydict().values(), strict=True), strict=True
        )
    ]
    return rows, problems, table


def test_a_cell_empty_is_empty_text_and_one_the_row_lacks_is_null() -> None:
    data = b"indicator,value,note\na,1,\nb,2\n"
    rows, problems, _table = read_rows(data)
    assert rows == [(2, ["a", "1", ""]), (3, ["b", "2", None])]
    assert problems == []
    assert_same(data)


def test_blank_and_whitespace_lines_are_skipped_but_counted() -> None:
    data = "indicator,value\n\n  \n,\n\u3000,\t\na,1\n".encode()
    rows, problems, _table = read_rows(data)
    assert rows == [(6, ["a", "1"])]
    assert problems == []
    assert_same(data)


def test_quoted_line_breaks_count_as_lines() -> None:
    data = b'indicator,note,value\r\na,"one\r\ntwo\rthree\nfour",1\r\nb,,2\r\n'
    rows, _problems, _table = read_rows(data)
    assert rows == [(2, ["a", "one\r\ntwo\rthree\nfour", "1"]), (6, ["b", "", "2"])]
    assert_same(data)


def test_cells_past_the_header_refuse_the_row_unless_blank() -> None:
    data = b"indicator,value\na,1,x,y\nb,2,, \nc,3\n"
    rows, problems, _table = read_rows(data)
    assert rows == [(3, ["b", "2"]), (4, ["c", "3"])]
    assert [(p.code, p.row) for p in problems] == [("extra-cells", 2)]
    assert problems[0].message == "2 cell(s) beyond the last header: 'x', 'y'"
    assert_same(data)


def test_a_cell_too_long_refuses_its_row_naming_the_column() -> None:
    data = b"indicator,value\na," + b"9" * (MAX_CELL + 1) + b"\nb,2\n"
    rows, problems, _table = read_rows(data)
    assert rows == [(3, ["b", "2"])]
    assert [(p.code, p.row, p.column) for p in problems] == [("too-large", 2, "value")]
    assert_same(data)


def test_a_row_too_wide_is_refused() -> None:
    data = b"indicator,value\na,1\n" + b"x," * MAX_COLUMNS + b"x\nb,2\n"
    rows, problems, _table = read_rows(data)
    assert [line for line, _cells in rows] == [2, 4]
    assert [(p.code, p.row) for p in problems] == [("too-large", 3)]
    assert "1,001 cells" in problems[0].message
    assert_same(data)


def test_a_semicolon_file_may_use_the_decimal_comma() -> None:
    rows, _problems, table = read_rows(b"indicator;value\na;1,5\n")
    assert (table.delimiter, table.decimal_comma) == (";", True)
    assert rows == [(2, ["a", "1,5"])]


def test_title_rows_above_the_header_are_warned_of() -> None:
    data = "2020年报表\n\nindicator,value\na,1\n".encode()
    rows, problems, table = read_rows(data)
    assert table.header.row == 3
    assert rows == [(4, ["a", "1"])]
    assert [(p.code, p.row) for p in problems] == [("title-row", 1)]
    assert_same(data)


# --- where pyarrow reads otherwise, Python reads -----------------------------------------


def raw_pyarrow(data: bytes) -> list[dict[str, str]]:
    """Read rows as pyarrow reads them, untouched."""
    import pyarrow.csv as pa_csv

    options = pa_csv.ReadOptions(column_names=["a", "b"])
    return pa_csv.read_csv(io.BytesIO(data), read_options=options).to_pylist()  # type: ignore[no-any-return]


def test_text_after_a_closing_quote_is_bad_csv_where_pyarrow_reads_it() -> None:
    assert raw_pyarrow(b'"a"b,1\n') == [{"a": "ab", "b": 1}]
    data = b'indicator,value\nx,1\n"a"b,1\ny,2\n'
    expected = assert_same(data)
    assert expected[0] == [(2, {"indicator": "x", "value": "1"}, {})]
    assert expected[2] is not None
    assert [(p.code, p.row) for p in expected[2]] == [("bad-csv", 3)]


def test_a_quote_never_closed_is_bad_csv_at_its_row_where_pyarrow_reads_it() -> None:
    assert raw_pyarrow(b'x,"1\ny,2\n') == [{"a": "x", "b": "1\ny,2\n"}]
    data = b'indicator,value\nx,1\nz,"1\ny,2\n'
    _rows, _problems, raised = assert_same(data)
    assert raised is not None
    assert [(p.code, p.row) for p in raised] == [("bad-csv", 3)]
    assert raised[0].message.endswith("a quoted cell that starts here is never closed")


def test_a_row_longer_than_a_block_is_read_by_python() -> None:
    data = b'indicator,value\na,1\nb,"' + b"x" * 200 + b'"\nc,3\n'
    with small_pieces(1 << 20, 16, 64, 1 << 16), spied_python() as resumed:
        rows, problems, _table = read_rows(data)
        assert_same(data)
    assert resumed[0] == 3
    assert [line for line, _cells in rows] == [2, 3, 4]
    assert problems == []


def test_a_cell_over_the_python_readers_limit_is_refused_as_it_refuses_it() -> None:
    data = b"indicator,value\n" + b"a,1\n" * 10 + b"b," + b"9" * (FIELD_LIMIT + 1) + b"\nc,3\n"
    with small_pieces(1 << 20, 1 << 20, 4 << 20, 1 << 16), spied_python() as resumed:
        rows, _problems, raised = assert_same(data)
    assert resumed == [12]
    assert [line for line, _cells, _extras in rows] == list(range(2, 12))
    assert raised is not None
    assert [(p.code, p.row) for p in raised] == [("too-large", 12)]


def test_a_header_past_the_head_is_found_by_reading_the_file_in_python() -> None:
    data = b"\n" * 100 + b"indicator,value\na,1\n"
    with small_pieces(64, 16, 64, 1 << 16):
        rows, _problems, table = read_rows(data)
        assert_same(data)
    assert table.header.row == 101
    assert rows == [(102, ["a", "1"])]


def test_rows_left_out_by_pyarrow_are_kept_within_a_bound() -> None:
    short = b"indicator,value,note\n" + b"a,1\n" * 50 + b"b,2,x\n" * 10 + b"c,3\n" * 50
    with small_pieces(1 << 20, 1 << 20, 64, 1 << 16), spied_python() as resumed:
        rows, _problems, _table = read_rows(short)
        assert_same(short)
    assert resumed == []
    assert [line for line, _cells in rows] == list(range(2, 112))
    # At the start of a file, pyarrow yields no batch until it reads a row of the header's
    # width: the rows it leaves out until then are kept, MAX_LEFT_OUT at most.
    with small_pieces(1 << 20, 1 << 20, 1 << 20, 40), spied_python() as resumed:
        rows, _problems, _table = read_rows(short)
    assert resumed == [2]
    assert [line for line, _cells in rows] == list(range(2, 112))


@contextmanager
def spied_python() -> Iterator[list[int]]:
    """Record each line from which Python's reader reads on, in place of pyarrow."""
    resumed: list[int] = []
    python_from = arrow_csv._Reading._python_from

    def spy(reading: arrow_csv._Reading, line: int) -> Iterator[arrow_csv.NumberedBatch]:
        resumed.append(line)
        return python_from(reading, line)

    with mock.patch.object(arrow_csv._Reading, "_python_from", spy):
        yield resumed


def test_rows_are_read_as_the_batches_are_taken() -> None:
    stream = io.BytesIO(b"indicator,value\n" + b"a,1\n" * 2_000_000)
    problems: list[Problem] = []
    # pyarrow reads some 36 blocks ahead: with blocks of 16 KiB, well short of the 8 MB.
    with small_pieces(1 << 20, 1 << 14, 1 << 14, 1 << 16):
        table = read_csv(stream, encoding="utf-8", source=SOURCE, problems=problems)
        assert table is not None
        first = next(table.batches)
        assert first.lines[0].as_py() == 2
        assert stream.tell() < 2 << 20
        rest = sum(batch.rows.num_rows for batch in table.batches)
    assert first.rows.num_rows + rest == 2_000_000
    assert stream.closed


def test_a_quoted_crlf_across_two_blocks_keeps_its_lf() -> None:
    assert raw_pyarrow_blocks(b'xxxx,"a\r\nb"\n', block=8) == [{"a": "xxxx", "b": "a\rb"}]
    data = b'indicator,value\nxxxx,"a\r\nb"\nc,3\n'
    with small_pieces(1 << 20, 1 << 20, 8, 1 << 16):
        rows, _problems, _table = read_rows(data)
        assert_same(data)
    assert rows == [(2, ["xxxx", "a\r\nb"]), (4, ["c", "3"])]


def raw_pyarrow_blocks(data: bytes, *, block: int) -> list[dict[str, str]]:
    """Read rows of text as pyarrow reads them in blocks of ``block`` bytes, untouched."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    options = pa_csv.ReadOptions(column_names=["a", "b"], block_size=block)
    parse = pa_csv.ParseOptions(newlines_in_values=True)
    convert = pa_csv.ConvertOptions(column_types={"a": pa.string(), "b": pa.string()})
    table = pa_csv.read_csv(
        io.BytesIO(data), read_options=options, parse_options=parse, convert_options=convert
    )
    return table.to_pylist()  # type: ignore[no-any-return]
