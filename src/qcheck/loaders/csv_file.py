"""Read a long-format CSV report (one row per indicator, region and year)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from qcheck.loaders.table import Row, records_from_rows
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem

DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 10


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter seen most often in the first lines (comma when none is)."""
    counts = {delimiter: sum(line.count(delimiter) for line in lines) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(text: str, *, source: str) -> tuple[list[RawRecord], list[Problem]]:
    """Split CSV text into raw records; return them and any problems with the table."""
    lines = text.splitlines(keepends=True)
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    reader = csv.reader(lines, delimiter=sniff_delimiter(sample))
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
            raise InputError(
                [
                    Problem(
                        source=source,
                        row=line,
                        code="bad-csv",
                        message=f"the CSV cannot be split into cells: {error}",
                        hint="check the quotes on this line",
                    )
                ]
            ) from None
        yield line, list(row)
        line = reader.line_num + 1  # type: ignore[attr-defined]
