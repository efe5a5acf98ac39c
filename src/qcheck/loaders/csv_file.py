"""Read a long-format CSV report (one row per indicator, region and year)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator

from qcheck.loaders.columns import is_header, map_headers
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem

DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 10
TITLE_ROWS = 5  # rows above the header that may hold a report title, as exported from Excel


def decode(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; raise a located error otherwise."""
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise InputError(
            [
                Problem(
                    source=source,
                    code="bad-encoding",
                    message=f"the bytes at offset {error.start} are not valid {codec.upper()}",
                    hint="save the file as UTF-8 (Excel: 'CSV UTF-8')",
                )
            ]
        ) from None


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter seen most often in the first lines (comma when none is)."""
    counts = {delimiter: sum(line.count(delimiter) for line in lines) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(text: str, *, source: str) -> tuple[list[RawRecord], list[Problem]]:
    """Split CSV text into raw records; return them and any problems with the headers."""
    lines = text.splitlines(keepends=True)
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    rows = _numbered_rows(csv.reader(lines, delimiter=sniff_delimiter(sample)))
    leading: list[tuple[int, list[str]]] = []
    for number, row in rows:
        if any(cell.strip() for cell in row):
            leading.append((number, row))
            if is_header(row) or len(leading) == TITLE_ROWS + 1:
                break
    if not leading:
        return [], [
            Problem(
                source=source,
                code="no-data",
                message="the file is empty",
                hint="add a header row and data rows",
            )
        ]
    header_row, header = next(((n, row) for n, row in leading if is_header(row)), leading[0])
    titles = [(n, row) for n, row in leading if n < header_row]
    rows = itertools.chain([(n, row) for n, row in leading if n > header_row], rows)
    title_problems = [
        Problem(
            source=source,
            row=number,
            code="title-row",
            severity="warning",
            message="read as a title above the header, not as data: "
            + " ".join(cell.strip() for cell in row if cell.strip()),
        )
        for number, row in titles
    ]
    positions, written, problems = map_headers(header, source=source, row=header_row)
    problems = title_problems + problems
    if any(problem.severity == "error" for problem in problems):
        return [], problems
    records = []
    for row_number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        extra = [cell for index, cell in enumerate(row) if index >= len(header) and cell.strip()]
        if extra:
            problems.append(
                Problem(
                    source=source,
                    row=row_number,
                    code="extra-cells",
                    message=f"{len(extra)} cell(s) beyond the last header: "
                    + ", ".join(map(repr, extra)),
                    hint="give them a header or remove them; a comma inside a value needs quotes",
                )
            )
            continue
        cells = {
            field: row[index] if index < len(row) else "" for index, field in positions.items()
        }
        records.append(RawRecord(source=source, row=row_number, cells=cells, headers=written))
    return records, problems


def _numbered_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Yield each row with the line number it starts on."""
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1  # type: ignore[attr-defined]
