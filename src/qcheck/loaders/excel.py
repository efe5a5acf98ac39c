"""Read an Excel workbook (.xlsx) report: one sheet, same columns as CSV."""

from __future__ import annotations

import io
import itertools
import re
import shlex
from collections.abc import Iterator, MutableMapping
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from qcheck.loaders.columns import field_for_header, is_header, is_year_like
from qcheck.loaders.streams import MAX_BYTES_HINT, too_large, unreadable
from qcheck.loaders.table import MAX_COLUMNS, ROWS_ALONE, TITLE_ROWS, Layout, iter_rows
from qcheck.loaders.xlsx import (
    FORMATTED,
    DamageError,
    Hollow,
    Marks,
    Package,
    Sheet,
    Stale,
    UnpackedError,
    cell_position,
    column_letters,
    refuse_ole2,
)
from qcheck.measurements import RawRecord, is_blank, parse_number, parse_qualitative
from qcheck.names import NameIndex, without_bracketed_tail
from qcheck.problems import InputError, Problem, ProblemSink
from qcheck.words import Listed, Word

if TYPE_CHECKING:
    from qcheck.intake import ColumnBatch
    from qcheck.loaders.formats import Opened

READ_FIELDS_BLANK_OK = ("note",)  # a field whose cell may be merged or an uncalculated formula
HIDDEN_ROWS_SHOWN = 5  # hidden rows named in a warning; the rest are counted
_LOOK_CHUNK = 4096  # bytes of a sheet not read parsed at a time, to find its header (see below)
_PLAIN_ARGUMENT = re.compile(r"[^\s'\"\\$`!*?;&|<>()\[\]{}#~]+")  # typed as is in a shell


def read(opened: Opened) -> Iterator[RawRecord | ColumnBatch]:
    """Read a workbook input: its first visible sheet, or the one --sheet names."""
    catalogue = opened.catalogue
    return stream_excel(
        opened.file,
        source=opened.source,
        sheet=opened.options.sheet,
        problems=opened.problems,
        max_bytes=opened.options.max_bytes,
        sheets_read=opened.sheets_read,
        indicator_names=catalogue.indicator_names if catalogue else None,
    )


def stream_excel(
    workbook_file: Path | bytes | BinaryIO,
    *,
    source: str,
    problems: ProblemSink,
    sheet: str | None = None,
    max_bytes: int,
    sheets_read: MutableMapping[str, str] | None = None,
    indicator_names: NameIndex[Any] | None = None,
) -> Iterator[RawRecord | ColumnBatch]:
    """Yield the rows of the first visible sheet (or ``sheet``) of a workbook, as they are read.

    The first ROWS_ALONE rows come as records, the rest of a long sheet in batches of columns
    (its rows Excel marks as records).

    The workbook is a file's path, its bytes, or a seekable file (read from its start, left
    open). The name of the sheet read goes to ``sheets_read[source]``. Other sheets holding a
    table (see _holds_table; ``indicator_names`` are the names it knows) are warned of. Raise
    InputError when the workbook is damaged, protected, unpacks beyond ``max_bytes``, or
    lacks the sheet.
    """
    where: list[str | None] = [None]  # the sheet being read, for messages
    try:
        with ExitStack() as stack:
            file = _open(workbook_file, stack)
            refuse_ole2(file.read(8), file.read)
            file.seek(0)
            package = Package(file, max_bytes=max_bytes)
            stack.callback(package.close)
            chosen = _choose(package, sheet, source)
            where[0] = chosen.name
            if sheets_read is not None:
                sheets_read[source] = chosen.name
            others = _sheets_with_tables(package, chosen, where, indicator_names)
            _warn_unread(others, chosen, source, problems)
            where[0] = chosen.name
            rows, marks = package.rows(chosen, package.merged(chosen))
            columns: dict[str, int] = {}  # a column's label -> its number, from 1

            def label(index: int, header: str) -> str:
                labelled = f"{header} ({column_letters(index + 1)})"
                columns[labelled] = index + 1
                return labelled

            read = iter_rows(
                rows,
                source=source,
                sheet=chosen.name,
                problems=_PointedElsewhere(problems, others[0].name) if others else problems,
                column_label=label,
                columns_after=ROWS_ALONE,
            )
            seen = _Seen(marks, columns, problems)
            for item in read:
                if isinstance(item, RawRecord):
                    if seen.keeps(item):
                        yield item
                else:
                    yield from seen.parts(item)
            if seen.hidden_rows:
                problems.append(
                    _hidden_rows(seen.hidden_rows, seen.hidden_count, source, chosen.name)
                )
    except DamageError as error:
        raise InputError([_damage(error, source, where[0])]) from None
    except UnpackedError as error:
        problem = too_large(source, error.size, error.limit, MAX_BYTES_HINT, what="unpacked")
        raise InputError([problem]) from None
    except OSError as error:
        raise InputError([unreadable(source, error)]) from None


def _open(workbook_file: Path | bytes | BinaryIO, stack: ExitStack) -> IO[bytes]:
    if isinstance(workbook_file, bytes):
        return io.BytesIO(workbook_file)
    if isinstance(workbook_file, Path):
        return stack.enter_context(workbook_file.open("rb"))
    workbook_file.seek(0)
    return workbook_file


def _choose(package: Package, name: str | None, source: str) -> Sheet:
    """Return the sheet to read: the one named, else the first that Excel shows."""
    if name is None:
        visible = next((sheet for sheet in package.sheets if sheet.visible), None)
        if visible is None:
            raise DamageError("all-hidden", own=True)
        return visible
    named = next((sheet for sheet in package.sheets if sheet.name == name), None)
    if named is None:
        names = [sheet.name for sheet in package.sheets]
        raise InputError(
            [
                Problem.of(
                    "no-such-sheet",
                    source=source,
                    name=name,
                    sheets=Listed(names, each="quote.column"),
                )
            ]
        )
    return named


def _sheets_with_tables(
    package: Package,
    chosen: Sheet,
    where: list[str | None],
    indicator_names: NameIndex[Any] | None,
) -> list[Sheet]:
    """Return the other sheets whose first rows hold a report table, visible ones first.

    Only the first rows are looked at (the first part of a sheet is parsed, not all of it).
    """
    found = []
    for sheet in package.sheets:
        if sheet is chosen:
            continue
        where[0] = sheet.name
        rows, _ = package.rows(sheet, chunk=_LOOK_CHUNK)
        leading = (row[:MAX_COLUMNS] for _, row in rows if not all(map(is_blank, row)))
        if any(
            _holds_table(row, indicator_names) for row in itertools.islice(leading, TITLE_ROWS + 1)
        ):
            found.append(sheet)
    return sorted(found, key=lambda sheet: not sheet.visible)  # --sheet hints name the first


def _holds_table(row: list[object], indicator_names: NameIndex[Any] | None) -> bool:
    """Whether a row shows a table qcheck would read or refuse as a year-column one.

    That is a header naming the indicator and value columns, or the indicator column beside
    a year (指标 | 2018年 | 2019年), or a known indicator's name beside a figure (a number, not
    a year, or a met / not met word): a table under any header. A cover, a sheet of
    instructions or a list of names for drop-downs has none of them.
    """
    if is_header(row):
        return True
    texts = [cell for cell in row if isinstance(cell, str) and cell.strip()]
    if "indicator" in map(field_for_header, texts) and any(map(is_year_like, texts)):
        return True
    if indicator_names is None or not any(_known(text, indicator_names) for text in texts):
        return False
    return any(_is_figure(cell) for cell in row if not is_blank(cell))


def _known(text: str, indicator_names: NameIndex[Any]) -> bool:
    """Whether a cell names a known indicator, maybe with its unit in brackets after it."""
    return (
        indicator_names.get(text) is not None
        or indicator_names.get(without_bracketed_tail(text)) is not None
    )


def _is_figure(cell: object) -> bool:
    if isinstance(cell, str) and is_year_like(cell):
        return False
    for parse in (parse_number, parse_qualitative):
        try:
            parse(cell)
        except ValueError:
            continue
        return True
    return False


def _warn_unread(others: list[Sheet], chosen: Sheet, source: str, problems: ProblemSink) -> None:
    """Warn of other sheets that hold a report table: their rows were never read."""
    for hidden in (False, True):
        names = [sheet.name for sheet in others if sheet.visible is not hidden]
        if not names:
            continue
        problems.append(
            Problem.of(
                "hidden-sheet" if hidden else "unread-sheet",
                source=source,
                sheet=chosen.name,
                sheets=Listed(names, each="quote.sheet"),
                first=_argument(names[0]),
            )
        )


class _PointedElsewhere:
    """A sink that adds, to a sheet's lack of a header, the sheet that has one."""

    def __init__(self, problems: ProblemSink, other: str) -> None:
        self._problems = problems
        self._other = other

    def append(self, problem: Problem, /) -> None:
        """Pass a problem on, pointing a missing header or an empty sheet to the other sheet."""
        if problem.code in ("missing-column", "no-data"):
            command = f"--sheet {_argument(self._other)}"
            problem = problem.with_hint("other-sheet", other=self._other, command=command)
        self._problems.append(problem)


def _argument(text: str) -> str:
    """Return a sheet name as it is typed after --sheet: quoted only if the shell needs it."""
    return text if _PLAIN_ARGUMENT.fullmatch(text) else shlex.quote(text)


class _Seen:
    """What Excel marks in a sheet's rows (hidden, merged, uncalculated) and what is told of it."""

    def __init__(self, marks: Marks, columns: dict[str, int], problems: ProblemSink) -> None:
        self.marks = marks
        self.columns = columns
        self.problems = problems
        self.hidden_rows: list[int] = []  # the first few hidden rows read, then their count
        self.hidden_count = 0
        self.first = True

    def keeps(self, record: RawRecord) -> bool:
        """Tell what Excel marks in a record; whether it is read (a cell it empties: not)."""
        marks = self.marks
        if self.first and marks.hidden_columns:  # the columns read are known from here on
            _warn_hidden_columns(record, self.columns, marks, self.problems)
        self.first = False
        if marks.hidden_rows and record.row in marks.hidden_rows:
            self.hidden_count += 1
            if len(self.hidden_rows) < HIDDEN_ROWS_SHOWN:
                self.hidden_rows.append(record.row)
        flagged = marks.flagged and record.row in marks.flagged
        return not (flagged and _as_excel_stores(record, self.problems))

    def parts(self, batch: ColumnBatch) -> Iterator[RawRecord | ColumnBatch]:
        """Yield a batch's rows in order: rows with a cell Excel marks as records, others batched.

        Records are told about as ``keeps`` tells; a hidden row left in a batch is counted as
        ``keeps`` counts it (if it is read). Until a first record is read, rows come as records
        too (it tells of hidden columns).
        """
        marks, layout = self.marks, batch.layout
        rows = batch.rows or []
        numbers = batch.numbers.to_pylist()
        start = 0
        for index, number in enumerate(numbers):
            if not (self.first or number in marks.flagged):
                if number in marks.hidden_rows:
                    self._count_hidden(layout, number, rows[index])
                continue
            if start < index:
                yield batch.part(start, index)
            start = index + 1
            record = layout.record(number, rows[index], self.problems)
            if record is not None and self.keeps(record):
                yield record
        if start < len(numbers):
            yield batch.part(start, len(numbers))

    def _count_hidden(self, layout: Layout, number: int, row: list[object]) -> None:
        """Count a hidden row left in a batch, if it is read (its problems are told there)."""
        if layout.record(number, row, []) is not None:
            self.hidden_count += 1
            if len(self.hidden_rows) < HIDDEN_ROWS_SHOWN:
                self.hidden_rows.append(number)


def _as_excel_stores(record: RawRecord, problems: ProblemSink) -> bool:
    """Report the cells of a record that may not be what Excel shows; True if one is blank.

    A cell under a merged range (not its first), a formula Excel never calculated and a value
    its number format shows as nothing read as blank, but the user sees (or meant) a value
    there, or sees none where the workbook holds one: the row cannot be read as written. A
    formula's stored result in a workbook Excel recalculates on opening is read, with a
    warning: the program that wrote it may have stored a placeholder.
    """
    found = False
    for field, cell in record.cells.items():
        if field in READ_FIELDS_BLANK_OK or not isinstance(cell, (Hollow, Stale)):
            continue
        found = found or isinstance(cell, Hollow)
        params: dict[str, Any]
        if isinstance(cell, Stale):
            code, params = "formula-recalculated", {"formula": cell.formula, "value": str(cell)}
        elif cell.merged:
            code, params = "merged-cell", {"range": cell.detail}
        elif cell.why == FORMATTED:
            code, params = "hidden-by-format", {"value": cell.detail}
        else:
            code, params = "formula-not-calculated", {"formula": cell.detail}
        problems.append(
            Problem.of(
                code,
                source=record.source,
                sheet=record.sheet,
                row=record.row,
                column=record.headers.get(field),
                **params,
            )
        )
    return found


def _warn_hidden_columns(
    record: RawRecord, columns: dict[str, int], marks: Marks, problems: ProblemSink
) -> None:
    """Warn of each column qcheck reads (the note excepted) that Excel hides."""
    for field, label in record.headers.items():
        if field in READ_FIELDS_BLANK_OK or not marks.column_hidden(columns.get(label, 0)):
            continue
        problems.append(
            Problem.of(
                "hidden-column", source=record.source, sheet=record.sheet, column=label, label=label
            )
        )


def _hidden_rows(rows: list[int], count: int, source: str, sheet: str) -> Problem:
    """Return the warning that rows Excel hides were read: the first few, and how many more."""
    more = count - len(rows)
    listed = Word("rows.more" if more else "rows.listed", rows=Listed(rows), count=more)
    return Problem.of(
        "hidden-row", source=source, sheet=sheet, row=rows[0], count=count, rows=listed
    )


def _damage(error: DamageError, source: str, sheet: str | None) -> Problem:
    place = cell_position(error.cell) if error.cell else None
    row, column = (place[0], column_letters(place[1])) if place else (None, None)
    if error.own:
        return Problem.of(
            "bad-excel", source=source, sheet=sheet, row=row, column=column, words=error.words
        )
    damage = Word(f"damage.{error.words}", **error.params)
    return Problem.of(
        "bad-excel", source=source, sheet=sheet, row=row, column=column, damage=damage
    )
