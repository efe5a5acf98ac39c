"""Turn the rows of a table (CSV or spreadsheet) into raw records: header, titles, cells."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from qcheck.loaders.columns import (
    ROW_NUMBER_HEADERS,
    field_for_header,
    is_header,
    map_headers,
    year_of_value_header,
)
from qcheck.loaders.streams import problem
from qcheck.measurements import RawRecord, is_blank
from qcheck.names import bracketed_unit, normalize_name
from qcheck.problems import Problem, ProblemSink

NO_EXTRAS: dict[str, object] = {}
TITLE_ROWS = 5  # rows above the header that may hold a report title, as exported from Excel
# A report has fewer than 20 columns, a wide table one a year: a row of more is refused before
# its cells are looked at (a header of a million columns took 16 s and 650 MB).
MAX_COLUMNS = 1_000
MAX_CELL = 32_767  # characters in a cell: Excel's own limit
Row = tuple[int, list[object]]
Batch = tuple[Sequence[int], list[list[object]]]  # the line each row starts on, and the rows


class BatchedRows:
    """Rows read in batches: iterated one at a time (for the header), then the rest in batches."""

    def __init__(self, batches: Iterator[Batch]) -> None:
        self._batches = batches
        self._numbers: Sequence[int] = ()
        self._rows: list[list[object]] = []
        self._next = 0

    def __iter__(self) -> Iterator[Row]:
        return self

    def __next__(self) -> Row:
        while self._next >= len(self._rows):
            self._numbers, self._rows = next(self._batches)
            self._next = 0
        index = self._next
        self._next += 1
        return self._numbers[index], self._rows[index]

    def rest(self) -> Iterator[Batch]:
        """Yield the rows not yet iterated, in batches."""
        if self._next < len(self._rows):
            yield self._numbers[self._next :], self._rows[self._next :]
        self._rows, self._next = [], 0
        yield from self._batches


@dataclass(frozen=True)
class Layout:
    """Where a table's fields are: column positions, and what its header says of every row."""

    source: str
    sheet: str | None
    positions: dict[int, str]
    width: int
    unread: dict[int, str]
    value_unit: str | None
    value_year: int | None
    decimal_comma: bool = False  # see RawRecord


class Lane(Protocol):
    """Takes rows off the general path (see qcheck.fastlane)."""

    def take(self, number: int, row: list[object]) -> bool:
        """Take one row; False leaves it to the general path."""

    def take_batch(self, numbers: Sequence[int], rows: list[list[object]]) -> Iterator[Row]:
        """Take a batch of rows; yield, in order, each row left to the general path."""


# Given a table's layout, a lane may take rows off the general path.
LaneFactory = Callable[[Layout], Lane | None]


def iter_records(
    rows: Iterable[Row],
    *,
    source: str,
    problems: ProblemSink,
    sheet: str | None = None,
    column_label: Callable[[int, str], str] = lambda _index, header: header,
    lane_for: LaneFactory | None = None,
    decimal_comma: bool = False,
    delimiter: str | None = None,
) -> Iterator[RawRecord]:
    """Find the header among the first rows, then yield every later non-empty row as a record.

    Problems are appended to ``problems`` as they are found, before the row they concern.
    Rows a lane from ``lane_for`` takes are not yielded. ``decimal_comma``: the table may use
    the comma as its decimal mark (see RawRecord). ``delimiter``: what splits a CSV file's
    cells (None for a spreadsheet).
    """
    rows = iter(rows)
    found = find_header(
        rows, source=source, problems=problems, sheet=sheet, column_label=column_label
    )
    if found is None:
        return
    positions, width, unread = found.positions, found.width, found.unread
    headers, value_unit, value_year = found.headers, found.value_unit, found.value_year

    fields = list(positions.items())
    layout = Layout(source, sheet, positions, width, unread, value_unit, value_year, decimal_comma)
    # A lane takes its rows in batches: only a table read in batches has one.
    batched = rows if isinstance(rows, BatchedRows) else None
    lane = lane_for(layout) if lane_for and batched else None

    def record_of(row_number: int, row: list[object]) -> RawRecord | None:
        """Return the record of a row: none for a blank row or one with cells past the header."""
        if is_blank_row(row):
            return None
        refusal = refused(
            row,
            width=width,
            source=source,
            sheet=sheet,
            row=row_number,
            label=found.name,
            delimiter=delimiter,
        )
        if refusal is not None:
            problems.append(refusal)
            return None
        if len(row) >= width:
            cells = {field: row[index] for index, field in fields}
        else:
            cells = {field: row[index] if index < len(row) else None for index, field in fields}
        row_headers = headers
        if value_unit is not None and is_blank(cells.get("unit")):
            cells["unit"] = value_unit
            row_headers = {**headers, "unit": headers["value"]}
        if value_year is not None and is_blank(cells.get("year")):
            cells["year"] = value_year
            row_headers = {**row_headers, "year": headers["value"]}
        extras = (
            {label: row[index] for index, label in unread.items() if index < len(row)}
            if unread
            else NO_EXTRAS
        )
        return RawRecord(
            source=source,
            sheet=sheet,
            row=row_number,
            cells=cells,
            headers=row_headers,
            extras=extras,
            decimal_comma=decimal_comma,
        )

    left: Iterable[Row] = itertools.chain(found.below, rows)
    if lane is not None and batched is not None:
        left = _left_by_batches(lane, found.below, batched)
    for number, row in left:
        record = record_of(number, row)
        if record is not None:
            yield record


@dataclass(frozen=True)
class Header:
    """A table's header row: which column holds each field, and what it says of every row."""

    row: int  # the number of its row
    labels: list[str]  # its cells, as text
    positions: dict[int, str]  # column index -> the field it holds
    headers: dict[str, str]  # field -> its column, as messages name it
    unread: dict[int, str]  # column index -> name, of the labelled columns no field reads
    names: list[str | None]  # each column as messages name it; None where it has no label
    value_unit: str | None  # a unit in brackets after the value column's label
    value_year: int | None  # the year the value column's label names
    below: list[Row]  # rows read below the header while looking for it

    @property
    def width(self) -> int:
        """How many columns the header has: cells past them are beyond the last header."""
        return len(self.labels)

    def name(self, index: int) -> str | None:
        """Return how messages name a column by its header, if it has one."""
        return self.names[index] if index < self.width else None


def find_header(
    rows: Iterator[Row],
    *,
    source: str,
    problems: ProblemSink,
    sheet: str | None = None,
    column_label: Callable[[int, str], str] = lambda _index, header: header,
) -> Header | None:
    """Find the header among the first rows, reading no more of them than iter_records does.

    Its problems, those of the title rows above it, of an empty table or a row too large to
    look at are appended to ``problems``; None when there is no header to read rows by.
    """
    leading = _leading_rows(rows)
    for number, row in leading:
        oversize = oversized(row, source=source, sheet=sheet, row=number)
        if oversize is not None:
            problems.append(oversize)
            return None
    if not leading:
        problems.append(
            Problem(
                source=source,
                sheet=sheet,
                code="no-data",
                message="the file is empty",
                hint="add a header row and data rows",
                message_zh="文件为空",
                hint_zh="请添加标题行和数据行",
            )
        )
        return None
    header_row, header = max(leading, key=lambda item: (_known_fields(item[1]), -item[0]))
    labels = ["" if cell is None else str(cell).strip() for cell in header]
    titles = [
        Problem(
            source=source,
            sheet=sheet,
            row=number,
            code="title-row",
            severity="warning",
            message="read as a title above the header, not as data: " + _joined(row),
            message_zh="视为表头上方的标题行，不作为数据：" + _joined(row),
        )
        for number, row in leading
        if number < header_row
    ]
    for title in titles:
        problems.append(title)
    positions, written, header_problems = map_headers(labels, source=source, row=header_row)
    for found in header_problems:
        problems.append(replace(found, sheet=sheet))
    if any(found.severity == "error" for found in header_problems):
        return None
    headers = {field: column_label(index, written[field]) for index, field in positions.items()}
    unread = {
        index: column_label(index, label)
        for index, label in enumerate(labels)
        if label and index not in positions and normalize_name(label) not in ROW_NUMBER_HEADERS
    }
    return Header(
        row=header_row,
        labels=labels,
        positions=positions,
        headers=headers,
        unread=unread,
        names=[column_label(index, label) if label else None for index, label in enumerate(labels)],
        value_unit=bracketed_unit(written["value"]),
        value_year=year_of_value_header(written["value"]),
        below=[(n, row) for n, row in leading if n > header_row],
    )


def refused(
    cells: Sequence[object],
    *,
    width: int,
    source: str,
    sheet: str | None,
    row: int,
    label: Callable[[int], str | None] = lambda _index: None,
    delimiter: str | None = None,
) -> Problem | None:
    """Return the problem with a row that is not read: too wide, too long, or past the header.

    ``width``: how many columns the header has; cells beyond them must be blank.
    ``delimiter``: what splits a CSV file's cells (None for a spreadsheet).
    """
    oversize = oversized(cells, source=source, sheet=sheet, row=row, label=label)
    if oversize is not None:
        return oversize
    extra = [cell for cell in cells[width:] if not is_blank(cell)] if len(cells) > width else None
    if extra:
        return _extra_cells(extra, source=source, sheet=sheet, row=row, delimiter=delimiter)
    return None


def is_blank_row(cells: Sequence[object]) -> bool:
    """Whether a row has nothing but spaces in its cells: it is skipped, as an empty line is."""
    return not any(cells) or all(is_blank(cell) for cell in cells)


def _left_by_batches(lane: Lane, first: list[Row], rows: BatchedRows) -> Iterator[Row]:
    """Yield the rows a lane leaves to the general path, giving it the rest in batches."""
    for number, row in first:
        if not lane.take(number, row):
            yield number, row
    for numbers, batch in rows.rest():
        yield from lane.take_batch(numbers, batch)


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
    cells = f"{width:,} cells" if width else f"more than {MAX_COLUMNS:,} cells"
    cells_zh = f"{width:,}个单元格" if width else f"超过{MAX_COLUMNS:,}个单元格"
    return problem(
        source,
        "too-large",
        (
            f"the row has {cells}, over the limit of {MAX_COLUMNS:,} columns",
            f"该行有{cells_zh}，超过{MAX_COLUMNS:,}列的上限",
        ),
        (
            "a report needs a few columns (indicator, value, year, region, unit, note): "
            "delete the others",
            "报表只需几列（指标、数值、年份、地区、单位、备注），请删除其余各列",
        ),
        sheet=sheet,
        row=row,
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
    where = "the cell" if label or index is None else f"the cell in column {index + 1}"
    where_zh = "该单元格" if label or index is None else f"第{index + 1}列的单元格"
    size = f"{'more than ' if at_least else ''}{length:,} characters"
    size_zh = f"{'超过' if at_least else ''}{length:,}个字符"
    return Problem(
        source=source,
        sheet=sheet,
        row=row,
        column=label,
        code="too-large",
        message=f"{where} has {size}, over the limit of {MAX_CELL:,}",
        hint="shorten it; if it should be short, look for a quote that is never closed",
        message_zh=f"{where_zh}有{size_zh}，超过{MAX_CELL:,}个字符的上限",
        hint_zh="请缩短内容；如内容本应很短，请检查是否有未闭合的引号",
    )


EXTRA_CELLS_SHOWN = 5  # surplus cells quoted in a message; the rest are counted
DELIMITER_NAMES = {",": ("comma", "逗号"), "\t": ("tab", "制表符"), ";": ("semicolon", "分号")}


def _extra_cells(
    extra: list[object], *, source: str, sheet: str | None, row: int, delimiter: str | None
) -> Problem:
    """Return the problem with cells beyond the header: the first few, and how many more."""
    shown = [str(cell) for cell in extra[:EXTRA_CELLS_SHOWN]]
    more = len(extra) - len(shown)
    listed = ", ".join(map(repr, shown)) + (f" and {more:,} more" if more else "")
    listed_zh = "、".join(shown) + (f"等（另有{more:,}个）" if more else "")
    hint, hint_zh = "give them a header or remove them", "请为其添加列标题或删除"
    if delimiter is not None:  # a CSV file: the delimiter inside a cell splits it
        name, name_zh = DELIMITER_NAMES.get(delimiter, (repr(delimiter), delimiter))
        hint += f"; a {name} inside a value needs quotes"
        hint_zh += f"；数值中的{name_zh}需要加引号"
    return problem(
        source,
        "extra-cells",
        (
            f"{len(extra):,} cell(s) beyond the last header: {listed}",
            f"最后一列之后还有{len(extra):,}个单元格：{listed_zh}",
        ),
        (hint, hint_zh),
        sheet=sheet,
        row=row,
    )


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
