"""Read a long-format CSV report (one row per indicator, region and year)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from qcheck.loaders.columns import is_header
from qcheck.loaders.encoding import open_text
from qcheck.loaders.table import (
    MAX_COLUMNS,
    ROWS_ALONE,
    Batch,
    iter_rows,
    too_long,
    too_wide,
)
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem, ProblemSink

if TYPE_CHECKING:
    from qcheck.intake import ColumnBatch
    from qcheck.loaders.formats import Opened

DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 10
BATCH_ROWS = 4096  # rows read at a time by a streamed file
# Characters the CSV reader reads into a cell (its own limit is 131,072), so that a cell longer
# than MAX_CELL is reported with its column, and a quote never closed is caught before long.
FIELD_LIMIT = 1 << 20
# A CSV file this large (some 10,000 rows or more) is read by pyarrow (see qcheck.intake).
ARROW_CSV_BYTES = 1 << 20


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter that splits the first lines into a recognisable header.

    Among comma, tab and semicolon, one that yields a row naming the indicator and value
    columns wins; otherwise the one seen most often (comma when none is seen).
    """
    by_count = sorted(DELIMITERS, key=lambda d: -sum(line.count(d) for line in lines))
    found = _header_delimiter(lines, by_count)
    if found is not None:
        return found
    best = by_count[0]
    return best if any(best in line for line in lines) else ","


def names_columns(text: str) -> bool:
    """Whether the first lines of a text hold a header that names the required columns."""
    lines = [line for line in text.splitlines() if line.strip()][:SNIFF_LINES]
    return _header_delimiter(lines, DELIMITERS) is not None


def _header_delimiter(lines: list[str], delimiters: Sequence[str]) -> str | None:
    """Return the first delimiter that splits one of the lines into a header (None if none)."""
    for delimiter in delimiters:
        cut = [_cut(line, delimiter) for line in lines]
        try:
            with _long_cells():
                rows = csv.reader(cut, delimiter=delimiter)
                if any(len(row) <= MAX_COLUMNS and is_header(row) for row in rows):
                    return delimiter
        except csv.Error:  # a cell the reader refuses; reading the file will report it
            continue
    return None


def _cut(line: str, delimiter: str) -> str:
    """Return a line cut after MAX_COLUMNS delimiters: enough to tell that a row is too wide."""
    if line.count(delimiter) < MAX_COLUMNS:
        return line
    end = -1
    for _ in range(MAX_COLUMNS):
        end = line.find(delimiter, end + 1)
    return line[: end + 1]


def _too_wide_from_the_start(head: list[str], delimiter: str) -> tuple[int, int | None] | None:
    """Return the line and width of a row, at or above the header, with too many cells.

    The first lines are read cut after MAX_COLUMNS delimiters, so a header of a million columns
    is refused before it is split. The width is known when the row is one line without quotes.
    """
    index = next((n for n, line in enumerate(head) if line.count(delimiter) >= MAX_COLUMNS), None)
    if index is None:
        return None
    try:
        with _long_cells():
            reader = csv.reader([*head[:index], _cut(head[index], delimiter)], delimiter=delimiter)
            rows = list(reader)
    except csv.Error:  # reading the file will report it
        return None
    for row, line in zip(rows, _starts(rows, 1), strict=False):
        if len(row) > MAX_COLUMNS:
            whole = line == index + 1 and '"' not in head[index]
            return line, head[index].count(delimiter) + 1 if whole else None
        if is_header(row):
            return None
    return None


@contextmanager
def _long_cells() -> Iterator[None]:
    """Let the CSV reader read cells of up to FIELD_LIMIT characters, and no more, while it reads.

    The reader's limit is a setting of the csv module, which other code in the process may have
    raised (frictionless sets it to 2**31); it is put back at once, before any other code runs.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read(opened: Opened) -> Iterator[RawRecord | ColumnBatch]:
    """Read a CSV input: a large one with pyarrow, else with Python's CSV reader."""
    binary = opened.file.open("rb") if isinstance(opened.file, Path) else opened.file
    text = open_text(binary, source=opened.source, encoding=opened.options.encoding)
    if opened.size < ARROW_CSV_BYTES:
        return stream_csv(text, source=opened.source, problems=opened.problems)
    from qcheck.loaders.arrow_csv import stream_csv_columns  # pyarrow, for a file this large

    return stream_csv_columns(text, source=opened.source, problems=opened.problems)


def stream_csv(
    stream: TextIO, *, source: str, problems: ProblemSink
) -> Iterator[RawRecord | ColumnBatch]:
    """Yield the rows of an open CSV file, reading it line by line; close it at the end.

    The first ROWS_ALONE rows come as records, the rest of a long file in batches of columns.
    """
    with stream:
        head = list(itertools.islice(stream, SNIFF_LINES))
        delimiter = head_delimiter(head, source=source, problems=problems)
        if delimiter is None:
            return
        lines = itertools.chain(head, stream)
        batches = numbered_batches(lines, delimiter=delimiter, source=source)
        rows = itertools.chain.from_iterable(
            zip(numbers, batch, strict=True) for numbers, batch in batches
        )
        # Where the semicolon separates cells, the comma may be the decimal mark (European).
        yield from iter_rows(
            rows,
            source=source,
            problems=problems,
            decimal_comma=delimiter == ";",
            delimiter=delimiter,
            columns_after=ROWS_ALONE,
        )


def head_delimiter(head: list[str], *, source: str, problems: ProblemSink) -> str | None:
    """Return the delimiter of a CSV file by its first SNIFF_LINES lines (all, if fewer).

    None if a row at or above the header has too many cells: the problem is appended.
    """
    delimiter = sniff_delimiter([line for line in head if line.strip()])
    wide = _too_wide_from_the_start(head, delimiter)
    if wide is not None:
        problems.append(too_wide(source=source, sheet=None, row=wide[0], width=wide[1]))
        return None
    return delimiter


def numbered_batches(
    lines: Iterable[str],
    *,
    delimiter: str,
    source: str,
    size: int = BATCH_ROWS,
    lines_before: int = 0,
) -> Iterator[Batch]:
    """Yield the rows of a CSV file's lines in batches, with the line each starts on.

    ``lines_before``: how many lines of the file come before ``lines``. A malformed line is
    an InputError, raised once the rows before it are yielded.
    """
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    return _numbered_batches(reader, source, size, lines_before)


def _numbered_batches(
    reader: Iterator[list[str]], source: str, size: int, lines_before: int = 0
) -> Iterator[Batch]:
    """Yield the rows in batches, with the line each starts on; a malformed line is an error.

    The rows read before a malformed line are yielded before the error is raised. The reader
    may have read rows already, and the file ``lines_before`` lines before its first.
    """
    line = lines_before + reader.line_num + 1  # type: ignore[attr-defined]
    while True:
        rows: list[list[str]] = []
        try:
            # extend keeps the rows read before the reader fails
            with _long_cells():
                rows.extend(itertools.islice(reader, size))
        except csv.Error as error:
            starts = _starts(rows, line)
            if rows:
                yield starts[:-1], cast("list[list[object]]", rows)
            if "field larger than field limit" in str(error):
                problem = too_long(
                    source=source, sheet=None, row=starts[-1], length=FIELD_LIMIT, at_least=True
                )
                raise InputError([problem]) from None
            raise _bad_csv(error, source, starts[-1]) from None
        if not rows:
            return
        read_to = lines_before + reader.line_num  # type: ignore[attr-defined]
        if read_to - line + 1 == len(rows):  # one line per row: the usual case
            yield range(line, read_to + 1), cast("list[list[object]]", rows)
        else:
            yield _starts(rows, line)[:-1], cast("list[list[object]]", rows)
        line = read_to + 1


def _starts(rows: list[list[str]], first: int) -> list[int]:
    """Return the line each row starts on, then the line after the last row.

    A row takes one line, plus one for each line break inside its quoted cells.
    """
    starts = [first]
    for row in rows:
        starts.append(starts[-1] + 1 + sum(_line_breaks(cell) for cell in row))
    return starts


def _line_breaks(cell: str) -> int:
    # Files are read with newline="", so a quoted cell keeps \r\n, \r and \n as written.
    return cell.count("\n") + cell.count("\r") - cell.count("\r\n")


def _bad_csv(error: csv.Error, source: str, line: int) -> InputError:
    """Return the error for a line the CSV reader cannot split, pointing at its quotes."""
    unclosed = "unexpected end of data" in str(error)
    return InputError(
        [
            Problem.of(
                "bad-csv",
                source=source,
                row=line,
                words="unclosed" if unclosed else "",
                hints=("bad-csv",),
                reason=str(error),
            )
        ]
    )
