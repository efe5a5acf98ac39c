"""Read an Excel workbook (.xlsx) report with openpyxl: one sheet, same columns as CSV."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from qcheck.loaders.table import Row, iter_records
from qcheck.measurements import RawRecord, plain_decimal
from qcheck.problems import InputError, Problem, ProblemSink

# Excel keeps 15 significant digits; a formula's 93.99999999999999 is the 94 its user sees.
EXCEL_DIGITS = 15


def stream_excel(
    workbook_file: Path | bytes, *, source: str, problems: ProblemSink, sheet: str | None = None
) -> Iterator[RawRecord]:
    """Yield the records of the first sheet (or ``sheet``) of a workbook, row by row."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    opened = io.BytesIO(workbook_file) if isinstance(workbook_file, bytes) else workbook_file
    try:
        workbook = load_workbook(opened, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise InputError(
            [
                Problem(
                    source=source,
                    code="bad-excel",
                    message="cannot be read as an Excel workbook "
                    f"({type(error).__name__}: {error})",
                    hint="open it in Excel and save it again as .xlsx, or save it as CSV UTF-8",
                    message_zh=f"无法作为 Excel 工作簿读取（{type(error).__name__}）",
                    hint_zh="请在 Excel 中打开后重新另存为 .xlsx，或另存为 CSV UTF-8",
                )
            ]
        ) from None
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(
                [
                    Problem(
                        source=source,
                        code="no-such-sheet",
                        message=f"the workbook has no sheet {sheet!r}",
                        hint="its sheets are " + ", ".join(map(repr, names)),
                        message_zh=f"工作簿中没有工作表“{sheet}”",
                        hint_zh="现有工作表：" + "、".join(names),
                    )
                ]
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # stored dimensions can be wrong; read every row
        yield from iter_records(
            _rows(worksheet),
            source=source,
            sheet=worksheet.title,
            problems=problems,
            column_label=lambda index, header: f"{header} ({get_column_letter(index + 1)})",
        )
    finally:
        workbook.close()


def _rows(worksheet: Any) -> Iterator[Row]:
    """Yield each non-empty row with its number and its cells as the user sees them."""
    for cells in worksheet.iter_rows():
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
        if number is None:
            continue
        yield number, [_cell_value(cell) for cell in cells]


def _cell_value(cell: Any) -> object:
    """Return a cell's value as shown: percent-formatted 0.952 is '95.2%'."""
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    number = (
        Decimal(format(value, f".{EXCEL_DIGITS}g")) if isinstance(value, float) else Decimal(value)
    )
    if _shows_percent(cell.number_format or ""):
        return plain_decimal(number * 100) + "%"
    return plain_decimal(number)


@functools.cache  # a sheet has a few formats and thousands of cells
def _shows_percent(number_format: str) -> bool:
    """Whether a number format scales by 100: a % outside quotes and not escaped with \\."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in unquoted
