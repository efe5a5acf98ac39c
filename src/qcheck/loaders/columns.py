"""Column headers matched to the fields of a report (declared in shape), however spelled."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from qcheck.loaders.shape import HEADER_NAMES, REQUIRED
from qcheck.measurements import cell_text
from qcheck.names import normalize_name, without_bracketed_tail
from qcheck.problems import Problem
from qcheck.words import Listed, Word

_BY_NAME = {normalize_name(name): field for field, names in HEADER_NAMES.items() for name in names}
# The traditional forms of the characters of the headers above (指標, 數值, 地區, 單位, 備註...):
# a Big5 file, or one typed in Taiwan or Hong Kong, names its columns so.
TRADITIONAL = str.maketrans("標稱數實際區縣屬單計備註說", "标称数实际区县属单计备注说")


_YEARISH = re.compile(r"(19|20)\d\d\s*年?(\s*\([^()]*\))?", re.ASCII)
# A value column named for its year, as in 2020年完成值: the figures are that year's.
_YEAR_VALUE = re.compile(r"((?:19|20)\d\d)\s*年?度?\s*(.+)", re.ASCII)
# Row numbers that spreadsheets add: not data, and not worth a warning.
ROW_NUMBER_HEADERS = frozenset({"序号", "编号", "行号", "no", "no.", "#"})


def year_of_value_header(header: str) -> int | None:
    """Return the year in a value header such as 2020年完成值, or None."""
    match = _YEAR_VALUE.fullmatch(without_bracketed_tail(normalize_name(header)))
    # Names are folded with NFKC, which makes digits of ² and ⁰: the year must be typed in digits.
    if (
        match
        and _BY_NAME.get(match.group(2)) == "value"
        and cell_text(header).startswith(match.group(1))
    ):
        return int(match.group(1))
    return None


@functools.lru_cache(maxsize=4096)
def field_for_header(header: str) -> str | None:
    """Return the field a header names (``indicator``, ``value``...), or None.

    A trailing note in brackets, such as the unit in 数值（%）, is not part of the name.
    """
    name = normalize_name(header).translate(TRADITIONAL)
    found = _BY_NAME.get(name) or _BY_NAME.get(without_bracketed_tail(name))
    if found is None and year_of_value_header(header) is not None:
        return "value"
    return found


def is_year_like(header: str) -> bool:
    """Whether a header names a year, as the columns of a wide table do (2019, 2019年)."""
    return bool(_YEARISH.fullmatch(normalize_name(header)))


def is_header(cells: Iterable[object]) -> bool:
    """Whether a row names every required column, so it can be taken as the header."""
    fields = {field_for_header(str(cell)) for cell in cells if cell is not None}
    return all(field in fields for field in REQUIRED)


def map_headers(
    headers: list[str], *, source: str, row: int | None
) -> tuple[dict[int, str], dict[str, str], list[Problem]]:
    """Map header positions to fields; return positions, field->header as written, problems."""
    positions: dict[int, str] = {}
    written: dict[str, str] = {}
    problems: list[Problem] = []
    year_columns = [label for label in headers if label and is_year_like(label)]
    for index, label in enumerate(headers):
        field = field_for_header(label) if label else None
        if field is None:
            if (
                label
                and label not in year_columns
                and normalize_name(label) not in ROW_NUMBER_HEADERS
            ):
                problems.append(
                    Problem.of(
                        "unknown-column",
                        source=source,
                        row=row,
                        column=label,
                        label=label,
                        columns=Listed(Word(f"field.{field}") for field in HEADER_NAMES),
                    )
                )
            continue
        if field in written:
            problems.append(
                Problem.of(
                    "duplicate-column",
                    source=source,
                    row=row,
                    column=label,
                    first=written[field],
                    label=label,
                    field=Word(f"field.{field}"),
                )
            )
            continue
        positions[index] = field
        written[field] = label
    for field in REQUIRED:
        if field not in written:
            problems.append(
                Problem.of(
                    "missing-column",
                    source=source,
                    row=row,
                    field=Word(f"field.{field}"),
                    header=Word(f"header.{field}"),
                )
            )
    if year_columns:
        problems.append(
            Problem.of(
                "year-column",
                source=source,
                row=row,
                column=year_columns[0],
                columns=Listed(year_columns, each="quote.column"),
            )
        )
    return positions, written, problems
