"""Read a long-format CSV report (one row per indicator, region and year)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Sequence
from typing import TextIO, cast

from qcheck.loaders.columns import is_header
from qcheck.loaders.table import Batch, BatchedRows, LaneFactory, iter_records
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem, ProblemSink

DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 10
BATCH_ROWS = 4096  # rows read at a time by a streamed file


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
        try:
            if any(is_header(row) for row in csv.reader(lines, delimiter=delimiter)):
                return delimiter
        except csv.Error:  # a cell the reader refuses; reading the file will report it
            continue
    return None


def stream_csv(
    stream: TextIO, *, source: str, problems: ProblemSink, lane_for: LaneFactory | None = None
) -> Iterator[RawRecord]:
    """Yield the records of an open CSV file, reading it line by line; close it at the end."""
    with stream:
        head = list(itertools.islice(stream, SNIFF_LINES))
        lines = itertools.chain(head, stream)
        delimiter = sniff_delimiter([line for line in head if line.strip()])
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        batches = BatchedRows(_numbered_batches(reader, source, BATCH_ROWS))
        yield from iter_records(batches, source=source, problems=problems, lane_for=lane_for)


def _numbered_batches(reader: Iterator[list[str]], source: str, size: int) -> Iterator[Batch]:
    """Yield the rows in batches, with the line each starts on; a malformed line is an error.

    The rows read before a malformed line are yielded before the error is raised.
    """
    line = 1
    while True:
        rows: list[list[str]] = []
        try:
            # extend keeps the rows read before the reader fails
            rows.extend(itertools.islice(reader, size))
        except csv.Error as error:
            starts = _starts(rows, line)
            if rows:
                yield starts[:-1], cast("list[list[object]]", rows)
            raise _bad_csv(error, source, starts[-1]) from None
        if not rows:
            return
        read_to = reader.line_num  # type: ignore[attr-defined]
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
    reason, reason_zh = str(error), f"无法拆分为单元格：{error}"
    if "unexpected end of data" in reason:
        reason = "a quoted cell that starts here is never closed"
        reason_zh = "从此行开始的引号单元格没有闭合"
    return InputError(
        [
            Problem(
                source=source,
                row=line,
                code="bad-csv",
                message=f"the CSV cannot be split into cells: {reason}",
                hint="check the quotes on this line",
                message_zh=reason_zh,
                hint_zh="请检查此行的引号",
            )
        ]
    )
