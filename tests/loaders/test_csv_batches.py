"""Reading a CSV in batches numbers rows and reports bad lines as reading row by row would."""

from __future__ import annotations

import csv
import io

from hypothesis import example, given
from hypothesis import strategies as st

from qcheck.loaders.csv_file import _numbered_batches
from qcheck.problems import InputError

CELL = st.one_of(
    st.sampled_from(["a", "", "95", "甘州区", " "]),
    st.text(alphabet='ab,"\r\n ', max_size=6).map(
        lambda text: f'"{text.replace(chr(34), 2 * chr(34))}"'
    ),
)
LINE = st.lists(CELL, max_size=4).map(",".join)
ENDING = st.sampled_from(["\n", "\r\n", "\r"])


def _read(text: str, *, size: int | None) -> tuple[list[tuple[int, list[object]]], int | None]:
    """Rows with their line numbers, and the line of a reading error (None if none)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[object]]] = []
    if size is None:  # row by row: a row starts on the line after the one the last ended on
        line = 1
        while True:
            try:
                rows.append((line, next(reader)))  # type: ignore[arg-type]
            except StopIteration:
                return rows, None
            except csv.Error:
                return rows, line
            line = reader.line_num + 1
    try:
        for numbers, batch in _numbered_batches(reader, "a.csv", size):
            rows.extend(zip(numbers, batch, strict=True))
    except InputError as error:
        return rows, error.problems[0].row
    return rows, None


@given(
    lines=st.lists(st.tuples(LINE, ENDING), max_size=12),
    tail=st.sampled_from(["", '"never closed', "x\0y"]),
    size=st.integers(min_value=1, max_value=5),
)
@example(lines=[('"a\r\nb",c', "\r\n"), ("d", "\n")], tail="", size=1)
@example(lines=[('"a\rb\nc"', "\r"), ("d", "\r")], tail='"never closed', size=2)
def test_batches_number_rows_as_row_by_row(
    lines: list[tuple[str, str]], tail: str, size: int
) -> None:
    text = "".join(line + ending for line, ending in lines) + tail
    assert _read(text, size=size) == _read(text, size=None)
