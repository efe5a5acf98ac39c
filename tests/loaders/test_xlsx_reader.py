"""qcheck's workbook reader against openpyxl's, and against workbooks from other writers.

qcheck read workbooks with openpyxl (read-only, data_only) before it had its own reader. The
reader must read what that one read, cell by cell, or a verdict changes silently: where the two
differ, what Excel shows the user decides, and a test here says which and why.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from qcheck.loaders.excel import stream_excel
from qcheck.loaders.xlsx import Hollow, Package
from qcheck.measurements import plain_decimal
from qcheck.problems import InputError
from tests.loaders.test_excel import (
    EXIT_BAD_INPUT,
    EXIT_NOT_MET,
    EXIT_OK,
    HEADER_ROW,
    MAIN,
    REL,
    food_row,
    save,
    sheet_xml,
    validated,
    xlsx,
)
from tests.loaders.test_inputs import _in_tmp, evaluated, run, where  # noqa: F401 - _in_tmp is autouse

# openpyxl, the reference, warns of a styles part as small as a test's.
pytestmark = pytest.mark.filterwarnings("ignore:Workbook contains no default style")
Rows = list[tuple[int, list[Any]]]
UNCALCULATED = "<formula never calculated>"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PACKAGE_RELS = "application/vnd.openxmlformats-package.relationships+xml"


# ---- the two readers ------------------------------------------------------------------------


def openpyxl_rows(data: bytes, sheet: str) -> Rows:
    """Read a sheet as qcheck did with openpyxl: read-only, data_only, its display rules."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        worksheet: Any = book[sheet]
        worksheet.reset_dimensions()
        rows: Rows = []
        for cells in worksheet.iter_rows():
            number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
            if number is not None:
                rows.append((number, [_openpyxl_shown(cell) for cell in cells]))
        return _trimmed(rows)
    finally:
        book.close()


def _openpyxl_shown(cell: Any) -> object:
    """Return a cell as qcheck's openpyxl reader showed it (git show 6deb537, _cell_value).

    That reader took a number for a percentage if its format held a % anywhere; Excel looks
    at the section it shows the number by (see 3. below), and so does this reference.
    """
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    if "%" in re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', "", _section(cell.number_format, value)):
        return plain_decimal(number * 100) + "%"
    return plain_decimal(number)


def _section(number_format: str | None, value: float) -> str:
    """Return the section of a format (no conditions, no ; quoted) Excel shows a number by."""
    sections = (number_format or "").split(";")
    if len(sections) == 1 or (value >= 0 and len(sections) == 2) or value > 0:
        return sections[0]
    return sections[1] if value < 0 else sections[2]


def qcheck_rows(data: bytes, sheet: str) -> Rows:
    """Read a sheet with qcheck's reader; a formula never calculated reads UNCALCULATED."""
    package = Package(io.BytesIO(data), max_bytes=1 << 30)
    try:
        (chosen,) = [candidate for candidate in package.sheets if candidate.name == sheet]
        rows, _ = package.rows(chosen, package.merged(chosen))
        shown = [(number, [_uncalculated(cell) for cell in cells]) for number, cells in rows]
        return _trimmed(shown)
    finally:
        package.close()


def _uncalculated(cell: object) -> object:
    return UNCALCULATED if isinstance(cell, Hollow) and cell.why == "uncalculated" else cell


def _trimmed(rows: Rows) -> Rows:
    """Drop the empty cells at the end of each row, then the rows left empty."""
    kept: Rows = []
    for number, cells in rows:
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            kept.append((number, cells))
    return kept


def sheet_read(data: bytes) -> str:
    """Return the name of the sheet qcheck reads when none is named."""
    read: dict[str, str] = {}
    try:
        for _ in stream_excel(
            data, source="x.xlsx", problems=[], max_bytes=1 << 30, sheets_read=read
        ):
            pass
    except InputError:
        pass  # a sheet of random cells need not be a report; the sheet was chosen before
    return read["x.xlsx"]


# ---- amending hand-written packages ---------------------------------------------------------


def amend(
    data: bytes,
    parts: Mapping[str, str | bytes] | None = None,
    *,
    relations: Sequence[tuple[str, str]] = (),
    change: Callable[[str, str], str] | None = None,
) -> bytes:
    """Return a package with parts added or replaced, workbook relations added, text changed.

    ``relations`` are (type, target) pairs; ``change`` rewrites each XML part (name, text).
    """
    added = dict(parts or {})
    if relations:
        rels = "xl/_rels/workbook.xml.rels"
        listed = "".join(
            f'<Relationship Id="extra{index}" Type="{kind}" Target="{target}"/>'
            for index, (kind, target) in enumerate(relations)
        )
        added[rels] = _read(data, rels).replace("</Relationships>", listed + "</Relationships>")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            if name not in added:
                content: str | bytes = source.read(name).decode("utf-8")
                target.writestr(name, change(name, str(content)) if change else content)
        for name, content in added.items():
            target.writestr(
                name, change(name, content) if change and isinstance(content, str) else content
            )
    return buffer.getvalue()


def _read(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(part).decode("utf-8")


def for_openpyxl(data: bytes) -> bytes:
    """Return a hand-written package with the [Content_Types].xml openpyxl needs (Excel too)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    kinds = {"xl/workbook.xml": "sheet.main", "xl/sharedStrings.xml": "sharedStrings"}
    kinds["xl/styles.xml"] = "styles"
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{SHEETML}.{kind}+xml"/>'
        for name in names
        if (kind := kinds.get(name, "worksheet" if name.startswith("xl/worksheets/") else ""))
    )
    types = (
        f'<Types xmlns="{CONTENT_TYPES}"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Default Extension="rels" ContentType="{PACKAGE_RELS}"/>{overrides}</Types>'
    )
    return amend(data, {"[Content_Types].xml": types})


def styles(*formats: int, codes: Mapping[int, str] | None = None, after: str = "") -> str:
    """Return a styles part: one cell style per number format id, custom codes, then ``after``."""
    numbers = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{code}"/>'
        for number, code in (codes or {}).items()
    )
    xfs = "".join(f'<xf numFmtId="{number}"/>' for number in formats)
    return (
        f'<styleSheet xmlns="{MAIN}"><numFmts>{numbers}</numFmts>'
        '<cellStyleXfs><xf numFmtId="10"/></cellStyleXfs>'  # not a cell's: the named style's
        f"<cellXfs>{xfs}</cellXfs>{after}</styleSheet>"
    )


def sst(*items: str) -> str:
    """Return a shared strings part with the given <si> contents."""
    return f'<sst xmlns="{MAIN}">' + "".join(f"<si>{item}</si>" for item in items) + "</sst>"


def with_styles(data: bytes, part: str) -> bytes:
    return amend(data, {"xl/styles.xml": part}, relations=[(f"{REL}/styles", "styles.xml")])


def one_sheet(*rows: str, after: str = "", strings: list[str] | None = None) -> bytes:
    return xlsx({"S": sheet_xml(*rows, after=after)}, strings=strings)


def cells_of(data: bytes) -> Rows:
    """Return what qcheck reads from the only sheet, S."""
    return qcheck_rows(data, "S")


def styled(value: str, style: int, row: int = 2) -> str:
    return f'<row r="{row}"><c r="A{row}" s="{style}"><v>{value}</v></c></row>'


SHEET = sheet_xml(HEADER_ROW, food_row(2), food_row(3, "<v>96</v>"))
FOOD = [(1, ["指标", "数值"]), (2, ["食品安全抽检合格率", "95"]), (3, ["食品安全抽检合格率", "96"])]


# ---- 1. the differential test: workbooks openpyxl writes -----------------------------------

NUMBER_FORMATS = (
    "General",
    "0.0%",
    "0%",
    "0.00%",
    '0.0"%"',
    "0.0\\%",
    '"增长"0.0%',
    "[Red]0.0%;-0.0%",
    "#,##0",
    "#,##0.00;[Red]-#,##0.00",
    "@",
    "0.00E+00",
    "yyyy-mm-dd",
    'yyyy"年"m"月"d"日"',
    "h:mm",
    "[h]:mm:ss",
    "mm:ss",
    # Excel shows a number by the section its sign picks (positive;negative;zero), and _x, *x
    # and [...] show no percent sign.
    "0.000;0.0%",
    "0.00;0%",
    "0.0;-0.0;0%",
    "0_%",
    "0*%",
    "[$%-804]0.0",
)
# Characters a cell can hold: XML 1.0 takes no other control character than tab and line breaks.
CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Cn")) | st.sampled_from(
    "甘州区 \t\n\r'=%_,.-0123456789"
)
TEXT = st.text(CHARACTERS, max_size=12).filter(lambda text: "_x" not in text)  # see 3. below
# Whole numbers past 15 digits read as Excel shows them, not as openpyxl did: see 3. below.
# openpyxl writes 16 significant digits, so a float from 1e15 to 1e16 that is whole at 16
# digits (1355043890177321.5 is written 1355043890177322) is such a whole number. (Up to
# 1e300: 1.797693134862316e+308 is no double.)
# Subnormal doubles (below 2.2e-308) are left out: their shortest form has fewer digits than
# the 15 the old reader printed of their binary value, and no report holds one.
FLOATS = st.sampled_from(
    [93.99999999999999, 0.1 + 0.2, 1e-7, 1e20, -94.5, 0.952, -0.0, 1 / 3, 2.5e-300]
) | st.floats(-1e300, 1e300).filter(
    lambda number: (
        not (10**15 <= abs(number) < 10**16 and float(f"{number:.16g}").is_integer())
        and (number == 0 or abs(number) >= sys.float_info.min)
    )
)
ERRORS = st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"])


CELL_KINDS = [
    "int",
    "float",
    "text",
    "rich",
    "long",
    "bool",
    "datetime",
    "date",
    "time",
    "error",
    "formula",
]


@st.composite
def cell_values(draw: st.DrawFn) -> tuple[str, object, str]:
    """Return (kind, value, number format) for a cell a report can hold."""
    kind = draw(st.sampled_from(CELL_KINDS))
    number_format = "General"
    value: object
    if kind in ("int", "float"):
        value = draw(st.integers(-(10**15) + 1, 10**15 - 1) if kind == "int" else FLOATS)
        number_format = draw(st.sampled_from(NUMBER_FORMATS))
    elif kind == "text":
        value = draw(TEXT)
    elif kind == "rich":
        plain, bold = draw(TEXT.filter(bool)), draw(TEXT.filter(bool))
        value = CellRichText(plain, TextBlock(InlineFont(b=True), bold))
    elif kind == "long":
        value = draw(st.sampled_from(["长" * 32_767, "x " * 5_000]))
    elif kind == "bool":
        value = draw(st.booleans())
    elif kind == "datetime":
        value = draw(st.datetimes(datetime(1904, 1, 2), datetime(9999, 12, 31)))
    elif kind == "date":
        value = draw(st.dates(date(1904, 1, 2), date(9999, 12, 31)))
    elif kind == "time":
        value = draw(st.times())
    elif kind == "error":
        value = draw(ERRORS)
    else:
        value = "=SUM(A1:A2)"
    return kind, value, number_format


SHEET_NAMES = (
    st.text(st.sampled_from("数据报表 abcXYZ'\"&<>()-_1"), min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda name: bool(name) and name[0] != "'" and name[-1] != "'")
)
SHEETS = st.lists(
    st.tuples(
        SHEET_NAMES,
        st.sampled_from(["visible", "visible", "hidden", "veryHidden"]),
        st.dictionaries(
            st.tuples(st.integers(1, 30), st.integers(1, 8)),
            cell_values(),
            max_size=12,
        ),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda sheet: sheet[0].casefold(),
).filter(lambda sheets: any(state == "visible" for _, state, _ in sheets))


def openpyxl_workbook(sheets: list[tuple[str, str, dict[Any, Any]]], *, mac: bool) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    if mac:
        book.epoch = CALENDAR_MAC_1904
    for name, state, cells in sheets:
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        for (row, column), (kind, value, number_format) in cells.items():
            cell = sheet.cell(row=row, column=column, value=value)
            if kind == "text":
                cell.data_type = "s"  # a text that starts with = stays text
            elif kind == "error":
                cell.data_type = "e"
            if number_format != "General":
                cell.number_format = number_format
    book.active = next(i for i, (_, state, _) in enumerate(sheets) if state == "visible")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")  # no date: #VALUE!
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sheets=SHEETS, mac=st.booleans())
def test_every_cell_reads_as_openpyxl_read_it(
    sheets: list[tuple[str, str, dict[Any, Any]]], mac: bool
) -> None:
    data = openpyxl_workbook(sheets, mac=mac)
    for name, _, cells in sheets:
        expected = dict(openpyxl_rows(data, name))
        formulas = [place for place, (kind, _, _) in cells.items() if kind == "formula"]
        for row, column in formulas:  # openpyxl reads nothing; qcheck says it was never run
            found = expected.setdefault(row, [])
            found.extend([None] * (column - len(found)))
            assert found[column - 1] is None
            found[column - 1] = UNCALCULATED
        assert qcheck_rows(data, name) == sorted(expected.items()), name
    first_visible = next(name for name, state, _ in sheets if state == "visible")
    assert sheet_read(data) == first_visible


# ---- 2. other writers -----------------------------------------------------------------------


def test_a_workbook_xlsxwriter_writes_reads_as_openpyxl_reads_it() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("数据 1")
    percent = book.add_format({"num_format": "0.0%"})
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    grouped = book.add_format({"num_format": "#,##0"})
    sheet.write_row(0, 0, ["指标", "数值", "年份", "备注"])
    sheet.write_row(1, 0, ["食品安全抽检合格率", 0.952, 2020, "甘州\n区"])
    sheet.write(1, 1, 0.952, percent)
    sheet.write_number(2, 1, 93.99999999999999)
    sheet.write_number(3, 1, 0.1 + 0.2)
    sheet.write_number(4, 1, 1234567, grouped)
    sheet.write_number(5, 1, -1e-7)
    sheet.write_formula(6, 1, "=1+1", None, 2)
    sheet.write_formula(7, 1, '="x"', None, "x")
    sheet.write_formula(8, 1, "=1/0", None, "#DIV/0!")
    sheet.write_boolean(9, 1, True)
    sheet.write_datetime(10, 1, datetime(2020, 1, 2, 3, 4, 5), dated)
    sheet.write_rich_string(11, 1, "甘州", book.add_format({"bold": True}), "区")
    sheet.write_string(12, 1, "  '=95 ")
    sheet.write_blank(13, 1, None, percent)
    sheet.write_number(15, 5, 7)  # after an empty row, in a column past the header
    hidden = book.add_worksheet("草稿")
    hidden.write(0, 0, 1)
    hidden.hide()
    book.close()
    data = buffer.getvalue()
    assert qcheck_rows(data, "数据 1") == openpyxl_rows(data, "数据 1")
    assert qcheck_rows(data, "数据 1")[1] == (
        2,
        ["食品安全抽检合格率", "95.2%", "2020", "甘州\n区"],
    )
    assert sheet_read(data) == "数据 1"


def strict(data: bytes) -> bytes:
    """Return a package in Strict OOXML: its own namespaces, as Excel's "Strict" save writes."""
    return amend(
        data,
        change=lambda _, text: text.replace(
            MAIN, "http://purl.oclc.org/ooxml/spreadsheetml/main"
        ).replace(REL, "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    )


def prefixed(data: bytes) -> bytes:
    """Return a package whose XML names carry an x: prefix, as some .NET writers do."""

    def change(name: str, text: str) -> str:
        if not name.startswith("xl/") or "_rels" in name:
            return text
        text = text.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')
        return re.sub(r"<(/?)([A-Za-z]+[ />])", r"<\1x:\2", text)

    return amend(data, change=change)


RICH_STRINGS = sst(
    "<t>95.2%</t>",
    '<r><t>甘州</t></r><r><rPr><b/></rPr><t>区</t></r><rPh sb="0" eb="2"><t>gan zhou</t></rPh>'
    '<phoneticPr fontId="1"/>',
)
PRODUCERS: dict[str, tuple[bytes, Rows]] = {
    "a formula's text result (t=str)": (
        one_sheet(HEADER_ROW, food_row(2, '<f>A9&amp;""</f><v>95.0</v>', "str")),
        [FOOD[0], (2, ["食品安全抽检合格率", "95.0"])],
    ),
    "an error value (t=e)": (
        one_sheet(HEADER_ROW, food_row(2, "<f>1/0</f><v>#DIV/0!</v>", "e")),
        [FOOD[0], (2, ["食品安全抽检合格率", "#DIV/0!"])],
    ),
    "shared formulas": (
        one_sheet(
            HEADER_ROW,
            food_row(2, '<f t="shared" ref="B2:B3" si="0">C2*100</f><v>95</v>'),
            food_row(3, '<f t="shared" si="0"/><v>96</v>'),
        ),
        FOOD,
    ),
    "a dimension that lies": (
        xlsx({"S": SHEET.replace("<sheetData>", '<dimension ref="A1:B2"/><sheetData>')}),
        FOOD,
    ),
    "cells and rows without r": (
        one_sheet(
            re.sub(r' r="[A-Z]*[0-9]+"', "", HEADER_ROW),
            re.sub(r' r="[A-Z]*[0-9]+"', "", food_row(2)),
            '<row r="5"><c r="B5"><v>1</v></c><c><v>2</v></c></row>',
        ),
        [*FOOD[:2], (5, [None, "1", "2"])],
    ),
    "shared strings, rich and with a reading": (
        amend(
            one_sheet(
                HEADER_ROW, food_row(2, "<v>0</v>", "s"), food_row(3, "<v>1</v>", "s"), strings=[]
            ),
            {"xl/sharedStrings.xml": RICH_STRINGS},
        ),
        [FOOD[0], (2, ["食品安全抽检合格率", "95.2%"]), (3, ["食品安全抽检合格率", "甘州区"])],
    ),
    "a rich inline string": (
        one_sheet(
            HEADER_ROW,
            food_row(
                2,
                '<is><r><t>9</t></r><r><rPr><b/></rPr><t xml:space="preserve">5 </t></r>'
                '<rPh sb="0" eb="1"><t>jiu</t></rPh></is>',
                "inlineStr",
            ),
        ),
        [FOOD[0], (2, ["食品安全抽检合格率", "95 "])],
    ),
    "x: prefixes": (prefixed(xlsx({"S": SHEET})), FOOD),
    "an absolute relation target": (
        amend(
            xlsx({"S": SHEET}),
            change=lambda _, text: text.replace('Target="worksheets/', 'Target="/xl/worksheets/'),
        ),
        FOOD,
    ),
}


@pytest.mark.parametrize("kind", list(PRODUCERS))
def test_hand_written_workbooks_read_as_openpyxl_reads_them(kind: str) -> None:
    data, expected = PRODUCERS[kind]
    assert qcheck_rows(data, "S") == expected
    assert openpyxl_rows(for_openpyxl(data), "S") == expected


def test_a_strict_ooxml_workbook_is_read_as_the_transitional_one() -> None:
    # openpyxl cannot read Strict OOXML at all; qcheck reads it as its transitional twin.
    data = strict(with_styles(xlsx({"S": SHEET}), styles(0)))
    assert "purl.oclc.org" in _read(data, "xl/workbook.xml")
    assert qcheck_rows(data, "S") == FOOD


def test_an_xlsm_workbook_is_read_like_an_xlsx() -> None:
    macro = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    data = amend(
        xlsx({"数据": sheet_xml(HEADER_ROW, food_row(2, "<v>96</v>"))}),
        {"xl/vbaProject.bin": bytes(512)},
        relations=[(macro, "vbaProject.bin")],
    )
    code, results = evaluated(save("report.xlsm", data))
    assert code == EXIT_OK
    assert results["food_safety_pass_rate"]["value"] == 96


def test_excels_last_row_and_column_are_read() -> None:
    far = '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'
    data = one_sheet(HEADER_ROW, far)
    (_, (number, cells)) = qcheck_rows(data, "S")
    assert (number, len(cells), cells[-1]) == (1_048_576, 16_384, "7")


# ---- 3. where qcheck reads otherwise than before, and why -----------------------------------


def test_a_long_figure_is_rounded_as_excel_rounds_the_double_it_holds() -> None:
    # 93.99999999999995 is the double 93.99999999999994315...: Excel shows 93.9999999999999,
    # short of 94. Rounding the text's digits instead (half to even) made it 94, a pass.
    data = one_sheet(HEADER_ROW, food_row(2, "<v>93.99999999999995</v>"))
    assert cells_of(data)[1] == (2, ["食品安全抽检合格率", "93.9999999999999"])
    assert cells_of(data) == openpyxl_rows(for_openpyxl(data), "S")
    code, results = evaluated(save("report.xlsx", data))
    assert (code, results["food_safety_pass_rate"]["status"]) == (EXIT_NOT_MET, "fail")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0.1234567890123455", "0.123456789012345"),  # a double just below the tie
        ("0.30000000000000004", "0.3"),
        ("93.999999999999986", "94"),
        ("1.0000000000000002E-7", "0.0000001"),
        ("12345678901234567890", "12345678901234600000"),
    ],
)
def test_numbers_show_the_15_digits_excel_shows(raw: str, shown: str) -> None:
    assert cells_of(one_sheet(styled(raw, 0)))[0] == (2, [shown])


def test_whole_numbers_past_15_digits_read_as_excel_shows_them() -> None:
    # openpyxl read 1000000000000001 as the whole number it is written as; Excel holds a double
    # and shows 15 digits, 1000000000000000, and so does qcheck, as for every other figure.
    data = one_sheet(styled("1000000000000001", 0))
    assert openpyxl_rows(for_openpyxl(data), "S") == [(2, ["1000000000000001"])]
    assert cells_of(data) == [(2, ["1000000000000000"])]


@pytest.mark.parametrize(
    ("code", "raw", "shown"),
    [
        ("0.000;0.0%", "0.952", "0.952"),  # a positive number: the first section, no %
        ("0.000;0.0%", "-0.5", "-50%"),
        ("0.00;0%", "94.5", "94.5"),
        ("0.00;0%", "0", "0"),  # two sections: zero goes to the first
        ("0.0;0.0;0%", "0", "0%"),
        ("0.0;0.0;0%", "0.5", "0.5"),
        ("0_%", "95", "95"),  # a space as wide as %
        ("0*%", "95", "95"),  # % repeated to fill the cell: no x100 either
        ("0\\%", "95", "95"),
        ('0"%"', "95", "95"),
        ("[$%-804]0", "95", "95"),
        ("0.0%;@", "-0.5", "-50%"),  # the text section is for text
        ("[>=1]0.0;0.0%", "0.952", "95.2%"),  # a condition picks the section
        ("[>=1]0.0;0.0%", "95", "95"),
        ('"a;b"0%;0', "0.5", "50%"),  # a quoted ; splits no section
        ("yyyy-mm-dd;0.00", "-1", "-1"),
        ("0.00;yyyy-mm-dd", "43831", "43831"),
        ("0.00;yyyy-mm-dd", "-43831", datetime(1779, 12, 28)),  # as yyyy-mm-dd alone reads it
    ],
)
def test_a_number_format_applies_by_the_section_excel_shows_the_number_by(
    code: str, raw: str, shown: object
) -> None:
    # qcheck took a number for a percentage if its format held a % anywhere: 0.952 formatted
    # 0.000;0.0% shows 0.952 and was read 95.2, a pass.
    codes = {164: code.replace('"', "&quot;")}
    data = with_styles(one_sheet(styled(raw, 0)), styles(164, codes=codes))
    assert cells_of(data) == [(2, [shown])]


def test_a_figure_formatted_by_sections_is_judged_as_excel_shows_it() -> None:
    figures = [
        ("食品安全抽检合格率", "0.952", "0.000;0.0%"),  # was 95.2%, a pass
        ("主要农产品质量安全监测合格率", "94.5", "0.00;0%"),  # was 9450%, out of range
        (TRAINED, "150", "0_%"),  # was 15000%, not a count
    ]
    rows = [
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{name}</t></is></c>'
        f'<c r="B{n}" s="{n - 1}"><v>{raw}</v></c></row>'
        for n, (name, raw, _) in enumerate(figures, 2)
    ]
    codes = {164 + index: code for index, (_, _, code) in enumerate(figures)}
    data = with_styles(one_sheet(HEADER_ROW, *rows), styles(0, *codes, codes=codes))
    assert [cells[1] for _, cells in cells_of(data)[1:]] == ["0.952", "94.5", "150"]
    # 0.952, as shown, is no credible food safety pass rate: refused (it failed as 0.952%).
    # The other two are read as shown, and accepted.
    code, found = validated(save("report.xlsx", data))
    assert code == EXIT_BAD_INPUT
    (problem,) = found["problems"]
    assert where(problem) == ("implausible", "report.xlsx", "S", 2, "数值 (B)")
    assert problem["message"].startswith("0.952 % is not a credible figure")


TIMES = with_styles(
    one_sheet(
        styled("0.5", 0, 2),
        styled("1.5", 1, 3),
        styled("43831.1", 2, 4),
        styled("0.0000001", 0, 5),
        styled("1", 2, 6),
        styled("59", 2, 7),
        styled("61", 2, 8),
        styled("0.99999999999", 0, 9),
    ),
    styles(164, 165, 166, codes={164: "h:mm", 165: "[h]:mm:ss", 166: "yyyy-mm-dd h:mm"}),
)


def test_times_and_durations_read_as_excel_shows_them() -> None:
    # A time of day is no date of 31 December 1899, and a duration past 24 hours no date at
    # all; times are shown to the millisecond (43831.1 is 02:24, not 02:23:59.999996).
    assert cells_of(TIMES) == [
        (2, [time(12, 0)]),
        (3, [timedelta(days=1, hours=12)]),
        (4, [datetime(2020, 1, 1, 2, 24)]),
        (5, [time(0, 0, 0, 9000)]),
        (6, [datetime(1900, 1, 1)]),
        (7, [datetime(1900, 2, 28)]),
        (8, [datetime(1900, 3, 1)]),
        (9, [datetime(1900, 1, 1)]),
    ]
    assert cells_of(TIMES) == openpyxl_rows(for_openpyxl(TIMES), "S")


TRAINED = "参加质量基础能力免费培训的中小微企业负责人"  # a count: at least 100 every year


def test_east_asian_built_in_date_formats_show_dates() -> None:
    # Excel in Chinese shows format 31 as yyyy"年"m"月"d"日" without the workbook spelling it
    # out; openpyxl knew no format 31 and read 43831 households where the user sees a date.
    rows = [
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{TRAINED}</t></is></c>'
        f'<c r="B{n}" s="{style}"><v>43831</v></c><c r="C{n}"><v>{year}</v></c></row>'
        for n, style, year in ((2, 1, 2019), (3, 2, 2020))
    ]
    header = HEADER_ROW.replace("</row>", '<c r="C1" t="inlineStr"><is><t>年份</t></is></c></row>')
    data = with_styles(one_sheet(header, *rows), styles(0, 31, 57))
    assert [cells[1] for _, cells in cells_of(data)[1:]] == [datetime(2020, 1, 1)] * 2
    code, found = validated(save("report.xlsx", data))
    assert code == EXIT_BAD_INPUT
    assert [where(problem) for problem in found["problems"]] == [
        ("not-a-number", "report.xlsx", "S", row, "数值 (B)") for row in (2, 3)
    ]


def test_number_formats_of_conditional_formats_leave_cells_alone() -> None:
    # A dxf's numFmt may reuse an id of the cells' own formats; it formats only highlights.
    dxf = '<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.0%"/></dxf></dxfs>'
    data = with_styles(
        one_sheet(HEADER_ROW, food_row(2).replace('<c r="B2"', '<c r="B2" s="1"')),
        styles(0, 164, codes={164: "0.0"}, after=dxf),
    )
    assert cells_of(data) == [FOOD[0], (2, ["食品安全抽检合格率", "95"])]
    assert cells_of(data) == openpyxl_rows(for_openpyxl(data), "S")
    code, results = evaluated(save("report.xlsx", data))
    assert (code, results["food_safety_pass_rate"]["value"]) == (EXIT_OK, 95)


SPLIT_NAME = "食品安全抽检_x000D_\n合格率"  # a line break pasted from Windows, as Excel writes it
ESCAPED = amend(
    one_sheet(
        HEADER_ROW,
        food_row(2, "<v>0</v>", "s"),
        styled("1", 0, 3).replace("<c ", '<c t="s" '),
        food_row(4, "<is><t>_xD83D__xDE00__xD800_</t></is>", "inlineStr"),
        food_row(5, '<f>"a"</f><v>a_x000A_b</v>', "str"),
        strings=[],
    ),
    {
        "xl/sharedStrings.xml": sst(
            f"<t>{SPLIT_NAME}</t>", "<t>_x005F_x0041_ is typed, _x0041_ is A</t>"
        )
    },
)


def test_escaped_characters_read_as_excel_shows_them() -> None:
    # Excel writes a character XML cannot hold as _xHHHH_ (a carriage return is _x000D_) and
    # an underscore that would start one as _x005F_; Excel shows the character. openpyxl left
    # the escape in the text, so a name with a pasted line break matched nothing.
    assert cells_of(ESCAPED)[1:] == [
        (2, ["食品安全抽检合格率", "食品安全抽检\r\n合格率"]),
        (3, ["_x0041_ is typed, A is A"]),
        (4, ["食品安全抽检合格率", "😀_xD800_"]),  # half a character stays as written
        (5, ["食品安全抽检合格率", "a\nb"]),
    ]
    assert openpyxl_rows(for_openpyxl(ESCAPED), "S")[1][1][1] == "食品安全抽检_x000D_\n合格率"


def test_a_name_with_an_escaped_line_break_is_known() -> None:
    data = amend(
        one_sheet(
            HEADER_ROW,
            food_row(2).replace(
                't="inlineStr"><is><t>食品安全抽检合格率</t></is>', 't="s"><v>0</v>'
            ),
            strings=[],
        ),
        {"xl/sharedStrings.xml": sst(f"<t>{SPLIT_NAME}</t>")},
    )
    code, results = evaluated(save("report.xlsx", data))
    assert (code, results["food_safety_pass_rate"]["value"]) == (EXIT_OK, 95)


def region_row(number: int, region: str) -> str:
    return food_row(number).replace("</row>", f'<c r="C{number}"{region}</c></row>')


REVISION = "http://schemas.microsoft.com/office/spreadsheetml/2014/revision"
REGION_HEADER = HEADER_ROW.replace(
    "</row>", '<c r="C1" t="inlineStr"><is><t>地区</t></is></c></row>'
)


def test_a_formula_whose_text_result_is_empty_is_an_empty_cell() -> None:
    # Excel writes =IF(...,"",...) with an empty result as t="str" and <v></v>: calculated,
    # and empty. It was read as a formula never calculated, and the row refused.
    empty = ' t="str"><f>IF(1,"","甘州区")</f><v></v>'
    data = one_sheet(REGION_HEADER, region_row(2, empty))
    assert cells_of(data) == [(1, ["指标", "数值", "地区"]), (2, ["食品安全抽检合格率", "95"])]
    assert cells_of(data) == openpyxl_rows(for_openpyxl(data), "S")
    code, results = evaluated(save("report.xlsx", data))
    assert (code, results["food_safety_pass_rate"]["value"]) == (EXIT_OK, 95)


def test_an_empty_formula_result_in_the_value_column_is_an_empty_value() -> None:
    data = one_sheet(HEADER_ROW, food_row(2, '<f>IF(1,"",1)</f><v></v>', "str"))
    code, found = validated(save("report.xlsx", data))
    assert code == EXIT_BAD_INPUT
    assert [where(p) for p in found["problems"]] == [
        ("empty-value", "report.xlsx", "S", 2, "数值 (B)")
    ]


def test_a_formula_without_a_value_or_a_type_is_still_never_calculated() -> None:
    for value in ("<v></v>", "<v/>", ""):
        data = one_sheet(HEADER_ROW, food_row(2, f"<f>SUM(C2:C3)</f>{value}"))
        assert cells_of(data)[1] == (2, ["食品安全抽检合格率", UNCALCULATED])


@pytest.mark.parametrize(
    "merge",
    [
        "<mergeCell ref='C2:C3'/>",
        '<mergeCell ref = "C2:C3" />',
        '<x:mergeCell xr:uid="{1}" ref="c2:c3"/>',
    ],
)
def test_a_merged_region_is_found_however_its_attribute_is_written(merge: str) -> None:
    # Single quotes and spaces around = are XML as good as any: a merged region missed reads
    # as empty below its first row, and those rows count as city-wide.
    rows = [REGION_HEADER, region_row(2, ' t="inlineStr"><is><t>甘州区</t></is>')]
    rows.append(region_row(3, "/>").replace("<v>95</v>", "<v>96</v>").replace("/></c>", "/>"))
    after = f'<mergeCells count="1" xmlns:x="{MAIN}" xmlns:xr="{REVISION}">{merge}</mergeCells>'
    code, found = validated(save("report.xlsx", one_sheet(*rows, after=after)))
    assert code == EXIT_BAD_INPUT
    (problem,) = found["problems"]
    assert where(problem) == ("merged-cell", "report.xlsx", "S", 3, "地区 (C)")
    assert "C2:C3" in problem["message"]


def test_part_names_are_matched_whatever_their_case() -> None:
    # Part names are case-insensitive in a package (ECMA-376 part 2); Excel and openpyxl
    # open a workbook whose relation names xl/SharedStrings.xml for xl/sharedStrings.xml.
    data = amend(
        one_sheet(HEADER_ROW, food_row(2, "<v>0</v>", "s"), strings=["95"]),
        change=lambda _, text: text.replace(
            'Target="sharedStrings.xml"', 'Target="SharedStrings.xml"'
        ),
    )
    assert cells_of(data) == [FOOD[0], (2, ["食品安全抽检合格率", "95"])]
    assert cells_of(data) == openpyxl_rows(for_openpyxl(data), "S")


def test_iso_dates_read_as_openpyxl_reads_them() -> None:
    dates = ("2020-01-02T03:04:05Z", "2020-01-02", "12:30:00")
    data = one_sheet(
        *(styled(raw, 0, row).replace("<c ", '<c t="d" ') for row, raw in enumerate(dates, 2))
    )
    assert cells_of(data) == [
        (2, [datetime(2020, 1, 2, 3, 4, 5)]),
        (3, [date(2020, 1, 2)]),
        (4, [time(12, 30)]),
    ]
    assert cells_of(data) == openpyxl_rows(for_openpyxl(data), "S")


def xlsxwriter_report(
    value: str, *, result: int = 0, indicator: str = "食品安全抽检合格率"
) -> bytes:
    """Return a report xlsxwriter writes, its figure (food safety's) a formula (=``value``).

    xlsxwriter works out no formula: it stores 0, or the ``result`` it is given.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, ["指标", "数值", "备注"])
    sheet.write_row(1, 0, [indicator])
    sheet.write_formula(1, 1, value, None, result)
    sheet.write_formula(1, 2, '="from " & "a formula"')
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize("result", [0, 96])
def test_a_stored_result_excel_will_recalculate_is_read_with_a_warning(result: int) -> None:
    # xlsxwriter asks Excel to recalculate every formula on opening: Excel shows 96 where 0 is
    # stored. A warning, not an error: many writers store true results and ask the same.
    # A count, where a stored 0 is a figure a report may give (a pass rate of 0 is refused).
    data = xlsxwriter_report("=C9+96", result=result, indicator=TRAINED)
    assert 'fullCalcOnLoad="1"' in _read(data, "xl/workbook.xml")
    stored = str(result)
    code, found = validated(save("report.xlsx", data))
    assert code == EXIT_OK
    (warning,) = found["problems"]
    assert where(warning) == ("formula-recalculated", "report.xlsx", "数据", 2, "数值 (B)")
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        f"the cell holds a formula (=C9+96) whose stored result, {stored}, Excel never "
        "calculated: the workbook asks Excel to recalculate every formula when it is opened"
    )
    assert run("validate", "report.xlsx", "--strict").exit_code == EXIT_BAD_INPUT
    assert warning["message_zh"].startswith(f"该单元格的公式（=C9+96）保存的结果“{stored}”并非")


def test_a_workbook_calculated_by_hand_or_saved_by_excel_has_no_such_warning() -> None:
    data = xlsxwriter_report("=C9+96", result=96)
    for calculation in ('calcId="191029"', 'fullCalcOnLoad="1" calcMode="manual"'):
        changed = re.sub(
            r"<calcPr [^>]*/>", f"<calcPr {calculation}/>", _read(data, "xl/workbook.xml")
        )
        assert calculation in changed
        path = save("report.xlsx", amend(data, {"xl/workbook.xml": changed}))
        assert validated(path) == (EXIT_OK, {**validated(path)[1], "problems": []})


def test_a_half_millisecond_rounds_as_openpyxl_rounds_it() -> None:
    book = Workbook()
    sheet: Any = book.active
    sheet["A1"] = time(0, 44, 1, 19500)
    sheet["A2"] = timedelta(days=1, microseconds=19500)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert qcheck_rows(data, "Sheet") == openpyxl_rows(data, "Sheet")
    assert qcheck_rows(data, "Sheet")[0] == (1, [time(0, 44, 1, 20000)])


@pytest.mark.filterwarnings("ignore:Cell C2 is marked as a date")
def test_a_number_past_the_last_date_in_a_date_cell_is_no_date() -> None:
    # Excel shows ####### for 1e10 formatted as a date; openpyxl read the error #VALUE!. The
    # whole workbook was refused as damaged; now a cell qcheck reads would be not-a-number.
    header = HEADER_ROW.replace("</row>", '<c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>')
    row = food_row(2).replace("</row>", '<c r="C2" s="1"><v>1E10</v></c></row>')
    data = with_styles(one_sheet(header, row), styles(0, 14))
    assert cells_of(data)[1] == (2, ["食品安全抽检合格率", "95", "#VALUE!"])
    assert cells_of(data) == openpyxl_rows(for_openpyxl(data), "S")
    code, results = evaluated(save("report.xlsx", data))
    assert (code, results["food_safety_pass_rate"]["value"]) == (EXIT_OK, 95)


# Any text an attribute can hold, and texts close to a reference: A1, A, 1, $A$1, A1:B2...
REFERENCES = st.text(CHARACTERS, max_size=10) | st.from_regex(
    r"\$?[A-Za-zＡ-Ｚ]{0,4}\$?[0-9٠-٩²０-９]{0,8}(:[A-Z]{0,4}[0-9]{0,8})?[x ]?", fullmatch=True
)


@settings(max_examples=300, deadline=None)
@given(
    cell=REFERENCES,
    row=st.none() | st.just("2") | REFERENCES,
    merge=st.none() | REFERENCES,
)
def test_any_reference_reads_or_is_bad_excel(cell: str, row: str | None, merge: str | None) -> None:
    # A reference that is no cell once crashed the error message meant to name it (exit 3).
    body = food_row(2).replace('r="B2"', f"r={quoteattr(cell)}")
    body = body.replace(' r="2"', "" if row is None else f" r={quoteattr(row)}", 1)
    after = "" if merge is None else f"<mergeCells><mergeCell ref={quoteattr(merge)}/></mergeCells>"
    data = one_sheet(HEADER_ROW, body, after=after)
    refused: list[tuple[str, str | None]] = []
    try:
        for _ in stream_excel(data, source="x.xlsx", problems=[], max_bytes=1 << 30):
            pass
    except InputError as error:
        refused = [(problem.code, problem.sheet) for problem in error.problems]
    assert refused in ([], [("bad-excel", "S")])


@pytest.mark.parametrize("ref", ["D2x:E3", "D2:E", "2:3", "", "D2:E3:F4", "D0:E3"])
def test_a_merge_reference_that_names_no_cells_is_bad_excel(ref: str) -> None:
    # Such a merge was skipped: rows under the range Excel shows merged read as empty there.
    after = f"<mergeCells><mergeCell ref={quoteattr(ref)}/></mergeCells>"
    data = one_sheet(HEADER_ROW, food_row(2), food_row(3), after=after)
    code, found = validated(save("report.xlsx", data))
    (problem,) = found["problems"]
    assert (code, where(problem)) == (EXIT_BAD_INPUT, ("bad-excel", "report.xlsx", "S", None, None))
    assert problem["message"] == (
        f"cannot be read as an Excel workbook: the merged range {ref!r} names no cells"
    )


def test_a_merge_whose_corners_are_reversed_is_the_same_range() -> None:
    rows = [REGION_HEADER, region_row(2, ' t="inlineStr"><is><t>甘州区</t></is>')]
    rows.append(region_row(3, "/>").replace("/></c>", "/>"))
    after = '<mergeCells><mergeCell ref="C3:C2"/></mergeCells>'
    code, found = validated(save("report.xlsx", one_sheet(*rows, after=after)))
    (problem,) = found["problems"]
    assert (code, where(problem)) == (
        EXIT_BAD_INPUT,
        ("merged-cell", "report.xlsx", "S", 3, "地区 (C)"),
    )
    assert "C2:C3" in problem["message"]
