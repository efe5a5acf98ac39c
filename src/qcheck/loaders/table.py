"""Turn the rows of a table (CSV or spreadsheet) into raw records: header, titles, cells."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypedDict, cast

from qcheck.loaders.columns import (
    ROW_NUMBER_HEADERS,
    field_for_header,
    is_header,
    map_headers,
    year_of_value_header,
)
from qcheck.measurements import RawRecord, is_blank
from qcheck.names import bracketed_unit, normalize_name
from qcheck.problems import InputError, Problem, ProblemSink
from qcheck.words import Listed, Word, has_word

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from qcheck.intake import ColumnBatch

NO_EXTRAS: dict[str, object] = {}
TITLE_ROWS = 5  # rows above the header that may hold a report title, as exported from Excel
# A report has fewer than 20 columns, a wide table one a year: a row of more is refused before
# its cells are looked at (a header of a million columns took 16 s and 650 MB).
MAX_COLUMNS = 1_000
MAX_CELL = 32_767  # characters in a cell: Excel's own limit
Row = tuple[int, list[object]]
COLUMN_BATCH = 65_536  # rows of a long table checked together as columns
# Rows checked one at a time before the rest of a table goes a batch of columns at a time (see
# qcheck.intake). Where importing pyarrow starts to pay: CPU seconds for a whole evaluate of a
# CSV file over 2,000 regions, as columns / as rows: 5,000 rows 0.47 / 0.50, 10,000 rows
# 0.55 / 0.53, 20,000 rows 0.53 / 0.62, 40,000 rows 0.60 / 0.82 (medians of 5).
ROWS_ALONE = 10_000
Batch = tuple[Sequence[int], list[list[object]]]  # the line each row starts on, and the rows


@dataclass(frozen=True)
class Layout:
    """What a table's header says: where each field is, and what it says of every row."""

    source: str
    sheet: str | None
    row: int  # the header's row
    labels: tuple[str, ...]  # each column's header as written, stripped
    positions: dict[int, str]  # column index to the field it holds
    headers: dict[str, str]  # field to its column's label in messages
    unread_columns: dict[int, str]  # columns qcheck does not read, by index, with their labels
    value_unit: str | None  # the unit in brackets in the value column's header, as in 数值（%）
    value_year: int | None  # the year a value column's header names, as in 2020年
    decimal_comma: bool = False  # see RawRecord
    delimiter: str | None = None  # what splits a CSV file's cells (None for a spreadsheet)
    column_label: Callable[[int, str], str] = lambda _index, header: header

    @property
    def width(self) -> int:
        """How many columns the header has."""
        return len(self.labels)

    def label(self, index: int) -> str | None:
        """Return the label of a column by its header, if it has one."""
        if index < self.width and self.labels[index]:
            return self.column_label(index, self.labels[index])
        return None

    def filled(self, field: str, cell: object) -> object:
        """Return a row's cell for a field, or what the header says for it if it is blank."""
        if field == "unit" and self.value_unit is not None and is_blank(cell):
            return self.value_unit
        if field == "year" and self.value_year is not None and is_blank(cell):
            return self.value_year
        return cell

    def refusal(self, row: Sequence[object], number: int) -> Problem | None:
        """Return the problem with a row not read: too wide, too long, or past the header."""
        source, sheet = self.source, self.sheet
        oversize = oversized(row, source=source, sheet=sheet, row=number, label=self.label)
        if oversize is not None:
            return oversize
        width = self.width
        extra = [cell for cell in row[width:] if not is_blank(cell)] if len(row) > width else None
        if extra:
            return _extra_cells(
                extra, source=source, sheet=sheet, row=number, delimiter=self.delimiter
            )
        return None

    def record(self, number: int, row: list[object], problems: ProblemSink) -> RawRecord | None:
        """Return the record of a row: none for a blank row or one with cells past the header.

        The problem with a row that cannot be read goes to ``problems``.
        """
        if is_blank_row(row):
            return None
        refusal = self.refusal(row, number)
        if refusal is not None:
            problems.append(refusal)
            return None
        source, sheet, width = self.source, self.sheet, self.width
        positions = self.positions.items()
        if len(row) >= width:
            cells = {field: row[index] for index, field in positions}
        else:
            cells = {field: row[index] if index < len(row) else None for index, field in positions}
        headers = self.headers
        for field in ("unit", "year"):
            cell = cells.get(field)
            filled = self.filled(field, cell)
            if filled is not cell:
                cells[field] = filled
                headers = {**headers, field: self.headers["value"]}
        extras = (
            {label: row[index] for index, label in self.unread_columns.items() if index < len(row)}
            if self.unread_columns
            else NO_EXTRAS
        )
        return RawRecord(
            source=source,
            sheet=sheet,
            row=number,
            cells=cells,
            headers=headers,
            extras=extras,
            decimal_comma=self.decimal_comma,
        )


class TableOptions(TypedDict, total=False):
    """How a table is read (see find_layout)."""

    sheet: str | None
    column_label: Callable[[int, str], str]
    decimal_comma: bool
    delimiter: str | None


def iter_records(
    rows: Iterable[Row], *, source: str, problems: ProblemSink, **options: Unpack[TableOptions]
) -> Iterator[RawRecord]:
    """Find the header among the first rows, then yield every later non-empty row as a record.

    See iter_rows, which this is without batches of columns.
    """
    found = iter_rows(rows, source=source, problems=problems, **options)
    return cast("Iterator[RawRecord]", found)


def iter_rows(
    rows: Iterable[Row],
    *,
    source: str,
    problems: ProblemSink,
    columns_after: int | None = None,
    **options: Unpack[TableOptions],
) -> Iterator[RawRecord | ColumnBatch]:
    """Find the header among the first rows, then yield every later non-empty row.

    Rows come as records, or after the first ``columns_after`` in batches of columns (see
    qcheck.intake). Problems are appended to ``problems`` as they are found, before the row
    they concern. See find_layout for the options.
    """
    rows = iter(rows)
    found = find_layout(rows, source=source, problems=problems, **options)
    if found is None:
        return
    layout, below_header = found
    left = itertools.chain(below_header, rows)
    for number, row in left if columns_after is None else itertools.islice(left, columns_after):
        record = layout.record(number, row, problems)
        if record is not None:
            yield record
    if columns_after is not None:
        yield from _column_batches(layout, left)


def _column_batches(layout: Layout, rows: Iterator[Row]) -> Iterator[ColumnBatch]:
    """Yield rows in batches of columns; those read before a row that fails, then the failure."""
    while True:
        batch: list[Row] = []
        try:
            batch.extend(itertools.islice(rows, COLUMN_BATCH))  # keeps rows read before a failure
        except (InputError, OSError):  # the rows before a line that cannot be read are checked
            if batch:
                yield _columns(layout, batch)
            raise
        if not batch:
            return
        yield _columns(layout, batch)


def _columns(layout: Layout, batch: list[Row]) -> ColumnBatch:
    """Return rows as a batch of columns (importing pyarrow: only a table this long gets here)."""
    from qcheck.intake import ColumnBatch

    return ColumnBatch.of_rows(layout, batch)


def find_layout(
    rows: Iterator[Row],
    *,
    source: str,
    problems: ProblemSink,
    sheet: str | None = None,
    column_label: Callable[[int, str], str] = lambda _index, header: header,
    decimal_comma: bool = False,
    delimiter: str | None = None,
) -> tuple[Layout, list[Row]] | None:
    """Read the first rows up to the header; return the table's layout and the rows read below it.

    Return None, with the problems in ``problems``, if the table has no usable header.
    ``decimal_comma``: the table may use the comma as its decimal mark (see RawRecord).
    ``delimiter``: what splits a CSV file's cells (None for a spreadsheet).
    """
    leading = _leading_rows(rows)
    for number, row in leading:
        oversize = oversized(row, source=source, sheet=sheet, row=number)
        if oversize is not None:
            problems.append(oversize)
            return None
    if not leading:
        problems.append(Problem.of("no-data", source=source, sheet=sheet))
        return None
    header_row, header = max(leading, key=lambda item: (_known_fields(item[1]), -item[0]))
    labels = ["" if cell is None else str(cell).strip() for cell in header]
    for number, row in leading:
        if number < header_row:
            problems.append(
                Problem.of("title-row", source=source, sheet=sheet, row=number, cells=_joined(row))
            )
    positions, written, header_problems = map_headers(labels, source=source, row=header_row)
    for found in header_problems:
        problems.append(replace(found, sheet=sheet))
    if any(found.severity == "error" for found in header_problems):
        return None
    layout = Layout(
        source=source,
        sheet=sheet,
        row=header_row,
        labels=tuple(labels),
        positions=positions,
        headers={field: column_label(index, written[field]) for index, field in positions.items()},
        unread_columns=_unread_columns(labels, positions, column_label),
        value_unit=bracketed_unit(written["value"]),
        value_year=year_of_value_header(written["value"]),
        decimal_comma=decimal_comma,
        delimiter=delimiter,
        column_label=column_label,
    )
    return layout, [(n, row) for n, row in leading if n > header_row]


def oversized(
    cells: Sequence[object],
    *,
    source: str,
    sheet: str | None,
    row: int,
    label: Callable[[int], str | None] = lambda _index: None,
) -> Problem | None:
    """Return the problem with a row of more than MAX_COLUMNS cells or a cell over MAX_CELL."""
    if len(cells) > MAX_COLUMNS:
        return too_wide(source=source, sheet=sheet, row=row, width=len(cells))
    try:
        if sum(map(len, cells)) <= MAX_CELL:  # type: ignore[arg-type]
            return None
    except TypeError:  # a spreadsheet's empty cells and dates have no length
        pass
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL:
            return too_long(
                source=source,
                sheet=sheet,
                row=row,
                length=len(cell),
                index=index,
                label=label(index),
            )
    return None


def too_wide(*, source: str, sheet: str | None, row: int, width: int | None) -> Problem:
    """Return the problem with a row of more than MAX_COLUMNS cells (``width``, if known)."""
    return Problem.of(
        "too-large",
        source=source,
        sheet=sheet,
        row=row,
        words="wide" if width else "wider",
        hints=("too-large.wide",),
        width=width,
        limit=MAX_COLUMNS,
    )


def too_long(
    *,
    source: str,
    sheet: str | None,
    row: int,
    length: int,
    index: int | None = None,
    label: str | None = None,
    at_least: bool = False,
) -> Problem:
    """Return the problem with a cell over MAX_CELL characters: ``length``, or more if ``at_least``.

    The cell is named by its column's ``label``, else by its position ``index``, if known.
    """
    cell = Word("cell.this") if label or index is None else Word("cell.column", column=index + 1)
    return Problem.of(
        "too-large",
        source=source,
        sheet=sheet,
        row=row,
        column=label,
        words="longer" if at_least else "long",
        hints=("too-large.long",),
        cell=cell,
        length=length,
        limit=MAX_CELL,
    )


EXTRA_CELLS_SHOWN = 5  # surplus cells quoted in a message; the rest are counted


def _extra_cells(
    extra: list[object], *, source: str, sheet: str | None, row: int, delimiter: str | None
) -> Problem:
    """Return the problem with cells beyond the header: the first few, and how many more."""
    shown = [str(cell) for cell in extra[:EXTRA_CELLS_SHOWN]]
    more = len(extra) - len(shown)
    hints = ["extra-cells"]
    if delimiter is not None:  # a CSV file: the delimiter inside a cell splits it
        hints.append("extra-cells.quote")
    named = f"delimiter.{delimiter}"
    return Problem.of(
        "extra-cells",
        source=source,
        sheet=sheet,
        row=row,
        hints=tuple(hints),
        count=len(extra),
        cells=Listed(shown, each="quote.column", more=more),
        delimiter=Word(named) if has_word(named) else Listed([delimiter], each="quote.column"),
    )


def _unread_columns(
    labels: list[str], positions: dict[int, str], column_label: Callable[[int, str], str]
) -> dict[int, str]:
    """Return the labelled columns no field reads, by index, each named apart from the others.

    Two columns headed alike (部门, 部门) are both looked at, so each needs its own name: the
    later ones are named by their position too, 部门 (5).
    """
    unread: dict[int, str] = {}
    for index, label in enumerate(labels):
        if label and index not in positions and normalize_name(label) not in ROW_NUMBER_HEADERS:
            name = column_label(index, label)
            unread[index] = f"{name} ({index + 1})" if name in unread.values() else name
    return unread


def is_blank_row(cells: Sequence[object]) -> bool:
    """Whether a row has nothing but spaces in its cells: it is skipped, as an empty line is.

    A cell holding FALSE or 0 is not blank.
    """
    return all(map(is_blank, cells))


def _joined(row: list[object]) -> str:
    return " ".join(str(cell).strip() for cell in row if not is_blank(cell))


def _known_fields(row: list[object]) -> int:
    """How many distinct columns a row names: the header is the row that names the most."""
    return len({field_for_header(str(cell)) for cell in row if not is_blank(cell)} - {None})


def _leading_rows(rows: Iterator[Row]) -> list[Row]:
    """Return the first non-empty rows, up to and including the header (or a few titles)."""
    leading: list[Row] = []
    for number, row in rows:
        if len(row) > MAX_COLUMNS:  # refused by the caller, before its cells are looked at
            leading.append((number, row))
            break
        if not is_blank_row(row):
            leading.append((number, row))
            if is_header(row) or len(leading) == TITLE_ROWS + 1:
                break
    return leading
