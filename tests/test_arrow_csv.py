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
from qcheck.loaders.csv_file import stream_csv
from qcheck.loaders.encoding import open_text
from qcheck.measurements import is_blank
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
                for position, label in header.unread.items()
                if row[position] is not None
            }
            yield line, cells, extras


@contextmanager
def small_pieces(head: int, chunk: int, block: int, irregular: int) -> Iterator[None]:
    """Read with a head, chunks and pyarrow blocks of so many bytes: many of each in a test."""
    with mock.patch.multiple(
        arrow_csv, HEAD_BYTES=head, CHUNK=chunk, BLOCK_SIZE=block, IRREGULAR=irregular
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
        (1 << 20, 1 << 20, 1 << 20, 8),  # as shipped
        (1 << 20, 1 << 20, 1 << 20, 0),  # irregular rows never left to Python
        (64, 8, 64, 8),  # a head that may end before the header, chunks and blocks of a line
        (256, 16, 128, 0),
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=csv_files(), pieces=PIECES)
@example(drawn=(b'indicator,value\na,"1\r\n2"\r\nb,2\n', "utf-8"), pieces=(64, 8, 64, 0))
@example(drawn=(b"indicator,value\n\n \nb,2,,\nc\n", "utf-8"), pieces=(64, 8, 64, 0))
@example(drawn=(b'indicator,value\na,"1"x\nb,2\n', "utf-8"), pieces=(1 << 20, 1 << 20, 1 << 20, 8))
def test_rows_lines_and_problems_as_the_python_reader(
    drawn: tuple[bytes, str], pieces: tuple[int, int, int, int]
) -> None:
    data, _encoding = drawn
    with small_pieces(*pieces):
        assert_same(data)


def test_spaces_are_those_str_strip_removes() -> None:
    assert set(arrow_csv.SPACES) == {chr(code) for code in range(0x110000) if chr(code).isspace()}
