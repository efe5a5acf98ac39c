"""Read an Excel workbook (.xlsx) report: one sheet, same columns as CSV."""

from __future__ import annotations

import io
from collections.abc import Iterator, MutableMapping
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from qcheck.loaders.table import iter_records
from qcheck.loaders.xlsx import (
    DamageError,
    Hollow,
    Package,
    Sheet,
    UnpackedError,
    column_letters,
    refuse_ole2,
)
from qcheck.measurements import RawRecord, is_blank
from qcheck.problems import InputError, Problem, ProblemSink, os_reason

READ_FIELDS_BLANK_OK = ("note",)  # a field whose cell may be merged or an uncalculated formula


def stream_excel(
    workbook_file: Path | bytes,
    *,
    source: str,
    problems: ProblemSink,
    sheet: str | None = None,
    max_bytes: int,
    sheets_read: MutableMapping[str, str] | None = None,
) -> Iterator[RawRecord]:
    """Yield the records of the first visible sheet (or ``sheet``) of a workbook, row by row.

    The name of the sheet read goes to ``sheets_read[source]``. Raise InputError when the
    workbook is damaged, protected, unpacks beyond ``max_bytes``, or lacks the sheet.
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
            _warn_hidden(package, chosen, source, problems, where)
            where[0] = chosen.name
            rows, flagged = package.rows(chosen, package.merged(chosen))
            records = iter_records(
                rows,
                source=source,
                sheet=chosen.name,
                problems=problems,
                column_label=lambda index, header: f"{header} ({column_letters(index + 1)})",
            )
            for record in records:
                if flagged and record.row in flagged and _blank_by_excel(record, problems):
                    continue
                yield record
    except DamageError as error:
        raise InputError([_damage(error, source, where[0])]) from None
    except UnpackedError as error:
        raise InputError([_too_large(error, source)]) from None
    except OSError as error:
        reason, reason_zh = os_reason(error)
        raise InputError(
            [
                Problem(
                    source=source,
                    code="unreadable",
                    message=reason,
                    message_zh=f"无法读取：{reason_zh}",
                )
            ]
        ) from None


def _open(workbook_file: Path | bytes, stack: ExitStack) -> IO[bytes]:
    if isinstance(workbook_file, bytes):
        return io.BytesIO(workbook_file)
    return stack.enter_context(workbook_file.open("rb"))


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


def _warn_hidden(
    package: Package, chosen: Sheet, source: str, problems: ProblemSink, where: list[str | None]
) -> None:
    """Warn of hidden sheets that hold data: a draft there was never read."""
    holding = []
    for sheet in package.sheets:
        if sheet.visible or sheet is chosen:
            continue
        where[0] = sheet.name
        rows, _ = package.rows(sheet)
        if any(not is_blank(cell) for _, row in rows for cell in row):
            holding.append(sheet.name)
    if holding:
        problems.append(
            Problem(
                source=source,
                sheet=chosen.name,
                code="hidden-sheet",
                severity="warning",
                message="hidden sheet(s) hold data that was not read: "
                + ", ".join(map(repr, holding)),
                hint="if one is the report, unhide it or name it with --sheet; else delete it",
                message_zh="隐藏的工作表中有未读取的数据：" + "、".join(f"“{n}”" for n in holding),
                hint_zh="如果其中有报表，请取消隐藏或用 --sheet 指定；否则请删除",
            )
        )


def _blank_by_excel(record: RawRecord, problems: ProblemSink) -> bool:
    """Report the cells of a record that are blank only as Excel stores them; True if any.

    A cell under a merged range (not its first) and a formula Excel never calculated read as
    blank, but the user sees (or meant) a value there: the row cannot be read as written.
    """
    found = False
    for field, cell in record.cells.items():
        if field in READ_FIELDS_BLANK_OK or not isinstance(cell, Hollow):
            continue
        found = True
        code, message, hint, message_zh, hint_zh = (
            (
                "merged-cell",
                f"the cell is part of the merged range {cell.detail}, so it is empty here",
                "unmerge the cells and fill in every row",
                f"该单元格属于合并单元格 {cell.detail}，此处为空",
                "请取消合并，并逐行填写",
            )
            if cell.merged
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
                message=message,
                hint=hint,
                message_zh=message_zh,
                hint_zh=hint_zh,
            )
        )
    return found


def _damage(error: DamageError, source: str, sheet: str | None) -> Problem:
    row, column = None, None
    if error.cell:
        letters = error.cell.rstrip("0123456789")
        row, column = int(error.cell[len(letters) :]), letters.upper()
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


def _too_large(error: UnpackedError, source: str) -> Problem:
    return Problem(
        source=source,
        code="too-large",
        message=f"the workbook unpacks to {error.size:,} bytes, over the limit of {error.limit:,}",
        hint="split the report, or raise the limit with --max-bytes",
        message_zh=f"工作簿解压后{error.size:,}字节，超过上限{error.limit:,}字节",
        hint_zh="请拆分报表，或用 --max-bytes 提高上限",
    )
