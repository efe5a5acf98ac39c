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
        unpacked = ("the workbook unpacks to", "工作簿解压后")
        problem = too_large(source, error.size, error.limit, MAX_BYTES_HINT, what=unpacked)
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
            raise DamageError(
                "every sheet of the workbook is hidden",
                "工作簿的所有工作表都已隐藏",
                hint=(
                    "unhide the report's sheet, or name it with --sheet",
                    "请取消隐藏报表所在的工作表，或用 --sheet 指定",
                ),
            )
        return visible
    named = next((sheet for sheet in package.sheets if sheet.name == name), None)
    if named is None:
        names = [sheet.name for sheet in package.sheets]
        raise InputError(
            [
                Problem(
                    source=source,
                    code="no-such-sheet",
                    message=f"the workbook has no sheet {name!r}",
                    hint="its sheets are " + ", ".join(map(repr, names)),
                    message_zh=f"工作簿中没有工作表“{name}”",
                    hint_zh="现有工作表：" + "、".join(names),
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
        listed, listed_zh = ", ".join(map(repr, names)), "、".join(f"“{n}”" for n in names)
        code, message, hint, message_zh, hint_zh = (
            (
                "hidden-sheet",
                f"hidden sheet(s) hold data that was not read: {listed}",
                "if one is the report, unhide it or name it with --sheet; else delete it",
                f"隐藏的工作表中有未读取的数据：{listed_zh}",
                "如果其中有报表，请取消隐藏或用 --sheet 指定；否则请删除",
            )
            if hidden
            else (
                "unread-sheet",
                f"only this sheet was read, but sheet(s) {listed} also hold a report table",
                f"to read another, run again with --sheet {_argument(names[0])}; "
                "keep a report on one sheet, or save each sheet as its own file",
                f"只读取了此工作表，但工作表{listed_zh}中也有报表",
                f"如需读取其他工作表，请加 --sheet {_argument(names[0])} 重新运行；"
                "请把报表放在一个工作表中，或把每个工作表另存为一个文件",
            )
        )
        problems.append(
            Problem(
                source=source,
                sheet=chosen.name,
                code=code,
                severity="warning",
                message=message,
                hint=hint,
                message_zh=message_zh,
                hint_zh=hint_zh,
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
            hint = f"if the report is on sheet {self._other!r}, run again with {command}"
            hint_zh = f"如果报表在工作表“{self._other}”中，请加 {command} 重新运行"
            problem = problem.with_hint(hint, hint_zh, joiner="; or, ")
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
        code, message, hint, message_zh, hint_zh = (
            (
                "formula-recalculated",
                f"the cell holds a formula (={cell.formula}) whose stored result, {cell}, "
                "Excel never calculated: the workbook asks Excel to recalculate every formula "
                "when it is opened",
                "open the workbook in Excel or WPS and save it, so Excel's result is stored",
                f"该单元格的公式（={cell.formula}）保存的结果“{cell}”并非 Excel 计算所得："
                "工作簿要求 Excel 打开时重新计算所有公式",
                "请用 Excel 或 WPS 打开工作簿并保存，以保存 Excel 的计算结果",
            )
            if isinstance(cell, Stale)
            else (
                "merged-cell",
                f"the cell is part of the merged range {cell.detail}, so it is empty here",
                "unmerge the cells and fill in every row",
                f"该单元格属于合并单元格 {cell.detail}，此处为空",
                "请取消合并，并逐行填写",
            )
            if cell.merged
            else (
                "hidden-by-format",
                f"the cell holds {cell.detail!r}, but its number format shows nothing there: "
                "Excel shows an empty cell",
                "give the cell a number format that shows it (General), or clear the cell",
                f"该单元格的值为“{cell.detail}”，但其数字格式不显示任何内容：Excel 中显示为空白",
                "请改用能显示该值的数字格式（如“常规”），或清除该单元格",
            )
            if cell.why == FORMATTED
            else (
                "formula-not-calculated",
                f"the cell holds a formula (={cell.detail}) that was never calculated",
                "open the workbook in Excel or WPS and save it, so the result is stored",
                f"该单元格的公式（={cell.detail}）从未计算过",
                "请用 Excel 或 WPS 打开工作簿并保存，以保存计算结果",
            )
        )
        problems.append(
            Problem(
                source=record.source,
                sheet=record.sheet,
                row=record.row,
                column=record.headers.get(field),
                code=code,
                severity="warning" if isinstance(cell, Stale) else "error",
                message=message,
                hint=hint,
                message_zh=message_zh,
                hint_zh=hint_zh,
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
            Problem(
                source=record.source,
                sheet=record.sheet,
                column=label,
                code="hidden-column",
                severity="warning",
                message=f"the column {label} is hidden in Excel, but it was read",
                hint="unhide it and check its cells; if it is no part of the report, delete it",
                message_zh=f"“{label}”列在 Excel 中已隐藏，但仍被读取",
                hint_zh="请取消隐藏并核对其中的单元格；如果它不属于报表，请删除",
            )
        )


def _hidden_rows(rows: list[int], count: int, source: str, sheet: str) -> Problem:
    """Return the warning that rows Excel hides were read: the first few, and how many more."""
    more = count - len(rows)
    listed = ", ".join(map(str, rows)) + (f" and {more:,} more" if more else "")
    listed_zh = "、".join(map(str, rows)) + ("行等" if more else "行")
    return Problem(
        source=source,
        sheet=sheet,
        row=rows[0],
        code="hidden-row",
        severity="warning",
        message=f"{count:,} row(s) hidden in Excel were read as data: rows {listed}",
        hint="unhide them (a filter hides rows too) and check them; delete a row that is no "
        "part of the report, such as an old draft",
        message_zh=f"在 Excel 中隐藏的{count:,}行被作为数据读取：第{listed_zh}",
        hint_zh="请取消隐藏（筛选也会隐藏行）并核对；删除不属于报表的行，如旧的草稿数据",
    )


def _damage(error: DamageError, source: str, sheet: str | None) -> Problem:
    place = cell_position(error.cell) if error.cell else None
    row, column = (place[0], column_letters(place[1])) if place else (None, None)
    hint, hint_zh = error.hint or (
        "open it in Excel and save it again as .xlsx, or save it as CSV UTF-8",
        "请在 Excel 中打开后重新另存为 .xlsx，或另存为 CSV UTF-8",
    )
    plain = error.hint is None
    return Problem(
        source=source,
        sheet=sheet,
        row=row,
        column=column,
        code="bad-excel",
        message=f"cannot be read as an Excel workbook: {error.message}" if plain else error.message,
        hint=hint,
        message_zh=f"无法作为 Excel 工作簿读取：{error.message_zh}" if plain else error.message_zh,
        hint_zh=hint_zh,
    )
