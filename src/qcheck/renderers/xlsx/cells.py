"""The workbook's grid: sheets with a header row, cells that keep their type, print setup.

What every sheet of the workbook shares, whatever it holds: numbers stored as numbers in
their formats, text stored as text (never a formula), columns as wide as their text, the
header frozen and filtered, fills by status, A4 landscape printing.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from qcheck.decimals import FIGURE_DIGITS
from qcheck.i18n import rounded
from qcheck.verdicts import STATUS_FACTS, Status
from qcheck.words import Lang, label

if TYPE_CHECKING:
    from openpyxl.chart import BarChart, LineChart
    from openpyxl.worksheet.worksheet import Worksheet

# The fill of each status's colour (STATUS_FACTS' style): light, so that black text and the
# status symbol stay readable, in print too.
FILLS = {
    "green": "C6EFCE",
    "red": "FFC7CE",
    "yellow": "FFEB9C",
    "cyan": "DDEBF7",
    "magenta": "E4DFEC",
}
HEADER_FILL = "D9D9D9"
WIDEST = 60  # characters; a longer cell wraps
CELL_UNITS = 32_767  # the UTF-16 units a cell holds in Excel
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
REPLACEMENT = "\ufffd"
CHART_ROWS = 16  # the rows a chart covers, so that the next one starts below it
CHART_COLUMNS = 10  # the columns (of the default width) a chart covers, and a gap
# A number format rounds half away from zero (0.125 in 0.00 shows 0.13), not half to even.
EXCEL_ROUNDING = ROUND_HALF_UP
_DIGITS = re.compile(r"0(?:\.(0+))?")  # the digits of a number format: 0, 0.0, 0.00, ...


@dataclass(frozen=True)
class Number:
    """A figure to store as a number, with the format Excel shows it in."""

    value: float | int
    format: str


Cell = str | Number | int | datetime | None


def clean(text: str) -> str:
    """Return a text as the workbook can hold it: a control character is no XML, it shows as �.

    For every text openpyxl writes, in a cell or not (a chart's title, the properties): left
    in, it makes a workbook that neither openpyxl nor Excel reads back without repair.
    """
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, text)


def status_fill(status: Status) -> str:
    """Return the fill colour of a status, from the colour of its style."""
    return FILLS[STATUS_FACTS[status].style.split()[-1]]


class Grid:
    """A workbook being filled, sheet by sheet, in one language: its cells and their layout."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.workbook = Workbook()
        self.sheets: dict[str, Worksheet] = {}
        # By sheet: the first column filled by status, the cell holding the status word and the
        # words; where only some columns are filled (the overview's), the last of them.
        self.fills: dict[str, tuple[str, str, dict[Status, str]]] = {}
        self.last_filled: dict[str, int] = {}
        self.rows: dict[str, int] = {}  # by sheet: the last row written
        self.columns: dict[str, int] = {}  # by sheet: its table's columns
        self.widths: dict[str, dict[int, int]] = {}  # by sheet and column: the widest text
        self.footers: dict[str, int] = {}  # by sheet: the rows below its table, not filtered
        self.chart_ends: dict[str, list[int]] = {}  # by sheet: the row below each band's chart

    def label(self, key: str, **params: object) -> str:
        """Return a word of this workbook's language."""
        return label(self.lang, key, **params)

    def sheet(self, key: str, headers: Sequence[str], *, wrap: bool = False) -> Worksheet:
        """Return the sheet named by ``key``, made with its header row if it is new."""
        if key in self.sheets:
            return self.sheets[key]
        if not self.sheets:
            sheet = self.workbook.active
            assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
            sheet.title = clean(self.label(key))
        else:
            sheet = self.workbook.create_sheet(clean(self.label(key)))
        self.sheets[key] = sheet
        self.rows[sheet.title] = 1 if headers else 0
        self.columns[sheet.title] = len(headers)
        widths = self.widths[sheet.title] = {}
        for column, header in enumerate(headers, 1):
            cell = sheet.cell(1, column, header)
            cell.data_type = "s"
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if not wrap:  # a wrapped header (the overview's targets) takes no width
                widths[column] = text_width(header)
        return sheet

    def append(self, sheet: Worksheet, cells: Sequence[Cell]) -> None:
        """Add a row: text stays text (never a formula), numbers get their format."""
        # Counted here: a sheet's max_row looks at every cell it has.
        row = self.rows[sheet.title] = self.rows[sheet.title] + 1
        widths = self.widths[sheet.title]
        for column, value in enumerate(cells, 1):
            if value is None:
                continue
            if isinstance(value, Number):
                cell = sheet.cell(row, column, value.value)
                cell.number_format = value.format
                width = number_width(value)
            elif isinstance(value, datetime):
                cell = sheet.cell(row, column, value)
                cell.number_format = DATE_FORMAT
                width = len(DATE_FORMAT)
            elif isinstance(value, str):
                text = clean(value)
                # XML reads a carriage return as a line feed: said so, not left to the reader.
                text = self.fitted(text.replace("\r\n", "\n").replace("\r", "\n"))
                cell = sheet.cell(row, column, text)
                cell.data_type = "s"  # "=..." from an input is text, not a formula
                width = text_width(text)
                if width > WIDEST or "\n" in text:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:  # a year, a count
                sheet.cell(row, column, value)
                width = len(str(value))
            widths[column] = max(widths.get(column, 0), width)

    def fitted(self, text: str) -> str:
        """Return a text as a cell holds it: past Excel's limit, cut, saying how much is left out.

        Excel counts a cell's characters in UTF-16 units (an emoji is two) and refuses to open
        a workbook with a longer cell.
        """
        if 2 * len(text) <= CELL_UNITS or len(_units(text)) <= 2 * CELL_UNITS:
            return text
        marker = self.label("xlsx.cut", count=len(text))  # the longest it can be
        kept = _units(text)[: 2 * CELL_UNITS - len(_units(marker))]
        # A character in two units is kept whole or left out, never halved.
        if 0xD800 <= int.from_bytes(kept[-2:], "little") <= 0xDBFF:
            kept = kept[:-2]
        head = kept.decode("utf-16-le", "surrogatepass")
        return head + self.label("xlsx.cut", count=len(text) - len(head))

    def _finish(self, sheet: Worksheet, *, table: bool) -> None:
        """Size the columns for their text, freeze and filter the header, set up printing."""
        for column, width in self.widths[sheet.title].items():
            sheet.column_dimensions[get_column_letter(column)].width = min(
                max(width + 2, 6), WIDEST
            )
        rows = self.rows[sheet.title]
        last = get_column_letter(max(self.widths[sheet.title], default=1))
        if table:
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
            sheet.auto_filter.ref = f"A1:{last}{rows - self.footers.get(sheet.title, 0)}"
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.orientation = sheet.ORIENTATION_LANDSCAPE
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        setup.fitToWidth, setup.fitToHeight = 1, 0
        if sheet.title in self.fills and rows > 1:
            first, key_cell, words = self.fills[sheet.title]
            if sheet.title in self.last_filled:
                last = get_column_letter(self.last_filled[sheet.title])
            _fills(sheet, f"{first}2:{last}{rows}", key_cell, words)

    def place(
        self,
        sheet: Worksheet,
        chart: BarChart | LineChart,
        *,
        title: str,
        percent: bool,
        row: int = 0,
    ) -> None:
        """Put a chart, with its title, right of its sheet's table, both axes shown.

        Beside ``row`` (the first it draws), in the first band of columns no chart covers
        there; without one, below the chart before.
        """
        chart.title = clean(title)
        # Excel hides an axis written without saying it is shown.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.number_format = "0%" if percent else "General"
        chart.display_blanks = "gap"
        chart.legend = None
        chart.height, chart.width = 7.5, 15
        # By band: the row below its last chart.
        ends = self.chart_ends.setdefault(sheet.title, [1])
        band = next((n for n, end in enumerate(ends) if end <= row), None) if row else 0
        if band is None:
            band = len(ends)
            ends.append(row)
        top = row or ends[band]
        ends[band] = top + CHART_ROWS
        column = get_column_letter(self.columns[sheet.title] + 2 + band * CHART_COLUMNS)
        sheet.add_chart(chart, f"{column}{top}")

    def save(self, *, plain: Collection[str] = ()) -> bytes:
        """Return the workbook's bytes, each sheet sized and set up for printing.

        Each sheet's header is frozen and filtered, but those of ``plain`` (keys): no table.
        """
        for key, sheet in self.sheets.items():
            self._finish(sheet, table=key not in plain)
        properties = self.workbook.properties
        for name in ("title", "creator"):
            if isinstance(text := getattr(properties, name), str):
                setattr(properties, name, clean(text))
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _units(text: str) -> bytes:
    """Return a text in UTF-16, as Excel counts a cell's characters: two bytes a unit."""
    return text.encode("utf-16-le", "surrogatepass")


def _fills(sheet: Worksheet, reference: str, key_cell: str, words: dict[Status, str]) -> None:
    """Fill the rows (or cells) of ``reference`` by the status word in ``key_cell``."""
    seen: set[str] = set()
    for status, word in words.items():
        if word in seen:
            continue
        seen.add(word)
        quoted = word.replace('"', '""')
        colour = status_fill(status)
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        formula = [f'{key_cell}="{quoted}"']
        sheet.conditional_formatting.add(reference, FormulaRule(formula=formula, fill=fill))  # type: ignore[no-untyped-call]


def number_shape(places: int) -> str:
    """Return the number format showing ``places`` decimals."""
    return "0." + "0" * places if places else "0"


def decimals(number: Decimal) -> int:
    """Return how many decimals a figure has."""
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def shown_places(number: Decimal, places: int) -> int | None:
    """Return the decimals a format shows ``number`` with: ``places``, fewer where it has fewer.

    None where Excel cannot show it so: it shows 15 significant digits of a number and pads
    the rest with zeros, so that 94.00000000000000001 would show as 94.
    """
    shown = min(places, decimals(number))
    digits = rounded(number, shown, EXCEL_ROUNDING).normalize().as_tuple().digits
    return shown if len(digits) <= FIGURE_DIGITS else None


def number_width(number: Number) -> int:
    """Return how many narrow characters a number shows as in its format (its first section)."""
    section = number.format.split(";")[0]
    match = _DIGITS.search(section)
    places = len(match.group(1) or "") if match else 0
    value = abs(number.value) * (100 if section.endswith("%") else 1)
    digits = f"{value:.{places}f}"
    shown = _DIGITS.sub(digits, section, count=1) if match else section
    return text_width(shown.replace('"', ""))


@lru_cache(maxsize=4096)  # a batch repeats the same names and words in every file's rows
def text_width(text: str) -> int:
    """Return how many narrow characters a text's longest line is: a wide (CJK) one counts two."""
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in longest)
