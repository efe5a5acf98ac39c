"""Read a long-format CSV report (one row per indicator, region and year)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import TextIO, cast

from qcheck.loaders.columns import is_header
from qcheck.loaders.table import LaneFactory, Row, iter_records, records_from_rows
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem, ProblemSink

DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 10


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter that splits the first lines into a recognisable header.

    Among comma, tab and semicolon, one that yields a row naming the indicator and value
    columns wins; otherwise the one seen most often (comma when none is seen).
    """
    by_count = sorted(DELIMITERS, key=lambda d: -sum(line.count(d) for line in lines))
    for delimiter in by_count:
        try:
            if any(is_header(row) for row in csv.reader(lines, delimiter=delimiter)):
                return delimiter
        except csv.Error:  # a cell the reader refuses; reading the file will report it
            continue
    best = by_count[0]
    return best if any(best in line for line in lines) else ","


def stream_csv(
    stream: TextIO, *, source: str, problems: ProblemSink, lane_for: LaneFactory | None = None
) -> Iterator[RawRecord]:
    """Yield the records of an open CSV file, reading it line by line; close it at the end."""
    with stream:
        head = list(itertools.islice(stream, SNIFF_LINES))
        lines = itertools.chain(head, stream)
        delimiter = sniff_delimiter([line for line in head if line.strip()])
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        numbered = _numbered_rows(reader, source)
        yield from iter_records(numbered, source=source, problems=problems, lane_for=lane_for)


def read_csv(text: str, *, source: str) -> tuple[list[RawRecord], list[Problem]]:
    """Split CSV text into raw records; return them and any problems with the table."""
    lines = text.splitlines(keepends=True)
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file
    reader = csv.reader(lines, delimiter=sniff_delimiter(sample), strict=True)
    return records_from_rows(_numbered_rows(reader, source), source=source)


def _numbered_rows(reader: Iterator[list[str]], source: str) -> Iterator[Row]:
    """Yield each row with the line it starts on; a malformed line is a located error."""
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason, reason_zh = str(error), f"无法拆分为单元格：{error}"
            if "unexpected end of data" in reason:
                reason = "a quoted cell that starts here is never closed"
                reason_zh = "从此行开始的引号单元格没有闭合"
            raise InputError(
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
            ) from None
        yield line, cast("list[object]", row)
        line = reader.line_num + 1  # type: ignore[attr-defined]
