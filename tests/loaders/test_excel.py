"""Excel workbooks as they arrive: hidden sheets, damage, passwords, formulas, merges, size.

Workbooks are written by hand (a zip of XML strings) so that each damage is exact.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.loaders.test_inputs import _in_tmp, run, where  # noqa: F401 - _in_tmp is autouse

EXIT_OK, EXIT_NOT_MET, EXIT_BAD_INPUT = 0, 1, 2
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>指标</t></is></c>' + (
    '<c r="B1" t="inlineStr"><is><t>数值</t></is></c></row>'
)


def food_row(number: int, value: str = "<v>95</v>", cell_type: str = "n") -> str:
    """Return a sheet row: the food safety figure (B), with the value cell's XML given."""
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>食品安全抽检合格率</t></is></c>'
        f'<c r="B{number}" t="{cell_type}">{value}</c></row>'
    )


def sheet_xml(*rows: str, after: str = "", prolog: str = "") -> str:
    """Return a worksheet part: the rows, then what follows sheetData (merges)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">'
        f"<sheetData>{''.join(rows)}</sheetData>{after}</worksheet>"
    )


def xlsx(
    sheets: Mapping[str, str],
    *,
    states: Mapping[str, str] | None = None,
    strings: list[str] | None = None,
) -> bytes:
    """Return a workbook with the given sheets (name -> sheet XML), in order."""
    parts: dict[str, str] = {
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_REL}"><Relationship Id="r1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    }
    listed, relations = [], []
    for index, (name, xml) in enumerate(sheets.items(), 1):
        state = (states or {}).get(name)
        state_attr = f' state="{state}"' if state else ""
        listed.append(f'<sheet name="{name}" sheetId="{index}"{state_attr} r:id="s{index}"/>')
        relations.append(
            f'<Relationship Id="s{index}" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet{index}.xml"/>'
        )
        parts[f"xl/worksheets/sheet{index}.xml"] = xml
    if strings is not None:
        relations.append(
            f'<Relationship Id="strings" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        items = "".join(f"<si><t>{text}</t></si>" for text in strings)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{"".join(listed)}</sheets></workbook>'
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE_REL}">{"".join(relations)}</Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def save(name: str, data: bytes) -> str:
    Path(name).write_bytes(data)
    return name


def validated(*args: str) -> tuple[int, dict[str, Any]]:
    result = run("validate", *args, "--format", "json")
    assert "Traceback" not in result.output + result.stderr, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)["validation"]
    return result.exit_code, document


GOOD = xlsx({"数据": sheet_xml(HEADER_ROW, food_row(2))})


# ---- 1. hidden sheets ----------------------------------------------------------------------


def hidden_draft(state: str = "hidden") -> bytes:
    return xlsx(
        {
            "草稿": sheet_xml(HEADER_ROW, food_row(2, "<v>80</v>")),
            "报表": sheet_xml(HEADER_ROW, food_row(2, "<v>95</v>")),
        },
        states={"草稿": state},
    )


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_the_first_visible_sheet_is_read_and_hidden_data_is_named(state: str) -> None:
    path = save("report.xlsx", hidden_draft(state))
    result = run("evaluate", path, "--format", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    (report,) = json.loads(result.stdout)["reports"]
    food = next(r for r in report["results"] if r["id"] == "food_safety_pass_rate")
    assert (food["status"], food["value"]) == ("pass", 95)
    assert report["sheets"] == {"report.xlsx": "报表"}
    (warning,) = report["warnings"]
    assert where(warning) == ("hidden-sheet", "report.xlsx", "报表", None, None)
    assert warning["message"] == "hidden sheet(s) hold data that was not read: '草稿'"
    assert "hidden-sheet" in result.stderr


def test_sheet_option_still_reads_a_hidden_sheet() -> None:
    path = save("report.xlsx", hidden_draft())
    result = run("evaluate", path, "--sheet", "草稿", "--format", "json")
    assert result.exit_code == EXIT_NOT_MET
    (report,) = json.loads(result.stdout)["reports"]
    assert report["sheets"] == {"report.xlsx": "草稿"}
    assert [where(warning) for warning in report["warnings"]] == [
        ("unread-sheet", "report.xlsx", "草稿", None, None)  # 报表, visible, was not read
    ]


def test_an_empty_hidden_sheet_is_not_named() -> None:
    path = save(
        "report.xlsx",
        xlsx(
            {"空": sheet_xml(), "报表": sheet_xml(HEADER_ROW, food_row(2))}, states={"空": "hidden"}
        ),
    )
    code, found = validated(path)
    assert (code, found["problems"], found["sheets"]) == (EXIT_OK, [], {"report.xlsx": "报表"})


def test_every_sheet_hidden_is_bad_excel() -> None:
    path = save(
        "report.xlsx", xlsx({"S": sheet_xml(HEADER_ROW, food_row(2))}, states={"S": "hidden"})
    )
    code, found = validated(path)
    (problem,) = found["problems"]
    assert (code, problem["code"]) == (EXIT_BAD_INPUT, "bad-excel")
    assert "--sheet" in problem["hint"]


# ---- 1b. other sheets with a report table ---------------------------------------------------

AIR = "六县区城市空气质量优良天数比例平均"  # met at 82% or more: the six counties' mean
COUNTIES = ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县")


def table_xml(*rows: Sequence[object]) -> str:
    """Return a worksheet part holding the rows: text as inline strings, numbers as numbers."""
    written = []
    for number, row in enumerate(rows, 1):
        cells = "".join(
            f'<c r="{"ABCDEFGH"[index]}{number}"><v>{value}</v></c>'
            if isinstance(value, (int, float))
            else f'<c r="{"ABCDEFGH"[index]}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for index, value in enumerate(row)
        )
        written.append(f'<row r="{number}">{cells}</row>')
    return sheet_xml(*written)


AIR_HEADER = ("指标", "年份", "地区", "数值")
CITY_SHEET = table_xml(AIR_HEADER, (AIR, 2020, "全市", 85))
COUNTY_SHEET = table_xml(AIR_HEADER, *((AIR, 2020, county, 80) for county in COUNTIES))
INSTRUCTIONS = table_xml(
    ("填报说明",), ("1. 每个指标填一行。",), ("2. 数值填写实际完成值，百分比可带%。",)
)


def air(*args: str) -> tuple[int, dict[str, Any]]:
    """Evaluate report.xlsx; return the exit code and the air quality result."""
    result = run("evaluate", "report.xlsx", *args, "--format", "json")
    (report,) = json.loads(result.stdout)["reports"]
    found: dict[str, Any] = next(r for r in report["results"] if r["id"] == "good_air_days_ratio")
    return result.exit_code, {**found, "warnings": report["warnings"]}


def test_a_second_visible_sheet_with_a_report_table_is_named() -> None:
    # Read alone, the city-wide 85 met the target; the counties' mean on the next sheet is 80.
    save("report.xlsx", xlsx({"全市": CITY_SHEET, "县区": COUNTY_SHEET}))
    code, found = air()
    assert (code, found["status"], found["value"]) == (EXIT_OK, "pass", 85)
    (warning,) = found["warnings"]
    assert where(warning) == ("unread-sheet", "report.xlsx", "全市", None, None)
    assert warning["message"] == (
        "only this sheet was read, but sheet(s) '县区' also hold a report table"
    )
    assert warning["hint"] == (
        "to read another, run again with --sheet 县区; keep a report on one sheet, "
        "or save each sheet as its own file"
    )
    assert warning["message_zh"] == "只读取了此工作表，但工作表“县区”中也有报表"
    assert "--sheet 县区" in warning["hint_zh"]
    assert "unread-sheet" in run("evaluate", "report.xlsx", "--lang", "zh").stderr
    strict = run("evaluate", "report.xlsx", "--strict")
    assert strict.exit_code == EXIT_BAD_INPUT
    assert "Traceback" not in strict.stderr


def test_the_sheet_option_reads_the_second_sheet_and_names_the_first() -> None:
    save("report.xlsx", xlsx({"全市": CITY_SHEET, "县区": COUNTY_SHEET}))
    code, found = air("--sheet", "县区")
    assert (code, found["status"], found["value"]) == (EXIT_NOT_MET, "fail", 80)
    assert [(w["code"], w["sheet"], w["message"]) for w in found["warnings"]] == [
        (
            "unread-sheet",
            "县区",
            "only this sheet was read, but sheet(s) '全市' also hold a report table",
        )
    ]


def test_hidden_and_visible_sheets_not_read_are_named_apart() -> None:
    save(
        "report.xlsx",
        xlsx(
            {"全市": CITY_SHEET, "草稿": COUNTY_SHEET, "县 区": COUNTY_SHEET},
            states={"草稿": "hidden"},
        ),
    )
    code, found = air()
    assert code == EXIT_OK
    assert [(w["code"], w["message"]) for w in found["warnings"]] == [
        ("unread-sheet", "only this sheet was read, but sheet(s) '县 区' also hold a report table"),
        ("hidden-sheet", "hidden sheet(s) hold data that was not read: '草稿'"),
    ]
    assert "--sheet '县 区'" in found["warnings"][0]["hint"]  # as typed in a shell


def test_a_sheet_of_instructions_or_one_empty_is_not_named() -> None:
    path = save(
        "report.xlsx",
        xlsx(
            {
                "数据": sheet_xml(HEADER_ROW, food_row(2)),
                "填报说明": INSTRUCTIONS,
                "空": sheet_xml(),
                "下拉列表": table_xml(*((county,) for county in COUNTIES)),
            },
            states={"空": "hidden", "下拉列表": "hidden"},
        ),
    )
    assert validated(path)[1]["problems"] == []


def test_a_report_table_below_the_title_rows_is_found_but_not_one_lower() -> None:
    titles = [(f"标题{n}",) for n in range(5)]
    low = table_xml(*titles, AIR_HEADER, (AIR, 2020, "甘州区", 80))
    lower = table_xml(*titles, ("备注",), AIR_HEADER, (AIR, 2020, "甘州区", 80))
    path = save("report.xlsx", xlsx({"全市": CITY_SHEET, "低": low, "更低": lower}))
    (warning,) = validated(path)[1]["problems"]
    assert warning["message"].endswith("sheet(s) '低' also hold a report table")


def test_only_the_first_rows_of_a_sheet_not_read_are_looked_at() -> None:
    # The rest of the sheet is never parsed: damage far below its header goes unseen, and a
    # sheet of a million bytes costs a few milliseconds.
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{AIR}</t></is></c></row>'
        for n in range(3, 20_000)
    )
    big = CITY_SHEET.replace("</sheetData>", rows + '<row r="1"></row></sheetData>')
    path = save("report.xlsx", xlsx({"全市": CITY_SHEET, "县区": big}))
    code, found = validated(path)
    assert (code, [p["code"] for p in found["problems"]]) == (EXIT_OK, ["unread-sheet"])


# ---- 1c. a cover sheet read first -----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "codes"),
    [
        (
            table_xml(("张掖市2020年质量指标完成情况",), ("填报单位：市场监管局",)),
            ["missing-column"],
        ),
        (INSTRUCTIONS, ["missing-column"]),
        (sheet_xml(), ["no-data"]),
    ],
)
def test_a_cover_sheet_read_first_points_to_the_sheet_with_the_table(
    first: str, codes: list[str]
) -> None:
    path = save("report.xlsx", xlsx({"封面": first, "数据": CITY_SHEET}))
    code, found = validated(path)
    errors = [p for p in found["problems"] if p["severity"] == "error"]
    assert code == EXIT_BAD_INPUT
    assert sorted({p["code"] for p in errors}) == codes
    for problem in errors:
        assert problem["sheet"] == "封面"
        assert problem["hint"].endswith(
            "; or, if the report is on sheet '数据', run again with --sheet 数据"
        )
        assert problem["hint_zh"].endswith("；如果报表在工作表“数据”中，请加 --sheet 数据 重新运行")
    zh = run("evaluate", path, "--lang", "zh").stderr
    assert "如果报表在工作表“数据”中，请加 --sheet 数据 重新运行" in zh
    assert validated(path, "--sheet", "数据")[0] == EXIT_OK


def test_a_missing_column_without_another_table_keeps_its_hint() -> None:
    path = save("report.xlsx", xlsx({"封面": INSTRUCTIONS, "说明": INSTRUCTIONS}))
    code, found = validated(path)
    hints = {p["hint"] for p in found["problems"] if p["code"] == "missing-column"}
    assert (code, hints) == (
        EXIT_BAD_INPUT,
        {"add a header named indicator / 指标", "add a header named value / 数值"},
    )


@pytest.mark.usefixtures("github_actions")  # annotations: as in a step
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sheet_read_is_named_wherever_the_source_is(lang: str) -> None:
    path = save("report.xlsx", hidden_draft())
    named = "report.xlsx (sheet '报表')" if lang == "en" else "report.xlsx（工作表“报表”）"
    table = run("evaluate", path, "--lang", lang)
    assert named in table.stdout
    markdown = run("evaluate", path, "--lang", lang, "--format", "markdown")
    assert named in markdown.stdout
    junit = run("evaluate", path, "--lang", lang, "--format", "junit")
    assert f'name="{named} (2020)"' in junit.stdout.replace("&quot;", '"')
    csv_lines = run("evaluate", path, "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("Source,Sheet,")  # the headers in words, English by default
    assert csv_lines[1].startswith("report.xlsx,报表,")
    sarif = json.loads(run("evaluate", path, "--format", "sarif").stdout)
    assert {r["properties"]["sheet"] for r in sarif["runs"][0]["results"]} == {"报表"}
    github = run("evaluate", path, "--lang", lang, "--format", "github").stdout
    assert f"::notice title=qcheck::{named}: " in github


# ---- 2. damage inside a sheet ----------------------------------------------------------------

DAMAGED = {
    "text in a number cell": (sheet_xml(HEADER_ROW, food_row(2, "<v>abc</v>")), 2, "B"),
    "NaN in a number cell": (sheet_xml(HEADER_ROW, food_row(2, "<v>NaN</v>")), 2, "B"),
    "truncated sheet XML": (sheet_xml(HEADER_ROW, food_row(2))[:-40], None, None),
    "undefined entity": (sheet_xml(HEADER_ROW, food_row(2, "<v>&bad;</v>")), None, None),
    "external entity": (
        sheet_xml(
            HEADER_ROW,
            food_row(2, "<is><t>&e;</t></is>", "inlineStr"),
            prolog='<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        ),
        None,
        None,
    ),
    "bad shared-string index": (sheet_xml(HEADER_ROW, food_row(2, "<v>7</v>", "s")), 2, "B"),
    "garbage date cell": (sheet_xml(HEADER_ROW, food_row(2, "<v>31/02/20x</v>", "d")), 2, "B"),
    "row beyond Excel's last row": (sheet_xml(HEADER_ROW, food_row(1_048_577)), None, None),
    **{
        f"number {raw} beyond a double": (
            sheet_xml(HEADER_ROW, food_row(2, f"<v>{raw}</v>")),
            2,
            "B",
        )
        for raw in ("1e30000000", "1e1000000", "-1e1000000", "1e309")
    },
    # A reference that is no cell is named as written: it gives no row or column to report.
    **{
        f"cell reference {ref[:8]}": (sheet_xml(HEADER_ROW, food_row(2).replace("B2", ref)), *at)
        for ref, at in [
            *((ref, (None, None)) for ref in ("D", "D2x", "Ｄ２", "D٢", "D²", "B0", "XFE2")),
            ("B" + "9" * 5000, (None, None)),
            ("A2", (2, "A")),  # a cell again: misplaced, and named
        ]
    },
    **{
        f"merged range {ref[:8]}": (
            sheet_xml(
                HEADER_ROW, food_row(2), after=f'<mergeCells><mergeCell ref="{ref}"/></mergeCells>'
            ),
            None,
            None,
        )
        for ref in ("A0:B1", "A2:XFE2", "A1:B" + "9" * 5000, "ABCD1:B2")
    },
}


def damaged(kind: str) -> bytes:
    return xlsx({"数据": DAMAGED[kind][0]}, strings=["x"])


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_damage_inside_a_sheet_is_bad_excel_naming_file_and_sheet(kind: str) -> None:
    path = save("damaged.xlsx", damaged(kind))
    code, found = validated(path)
    assert code == EXIT_BAD_INPUT
    problem = found["problems"][-1]
    _, row, column = DAMAGED[kind]
    assert where(problem) == ("bad-excel", "damaged.xlsx", "数据", row, column)
    result = run("evaluate", path)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Traceback" not in result.stderr
    assert "damaged.xlsx, sheet '数据'" in result.stderr
    assert "root:" not in result.output  # nothing of /etc/passwd


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_damage_under_each_does_not_stop_the_other_files(kind: str) -> None:
    save("a-damaged.xlsx", damaged(kind))
    save("b-good.xlsx", GOOD)
    result = run("evaluate", "a-damaged.xlsx", "b-good.xlsx", "--each", "--format", "json")
    assert result.exit_code == EXIT_BAD_INPUT
    document = json.loads(result.stdout)
    assert [report["source"] for report in document["reports"]] == [["b-good.xlsx"]]
    (failure,) = document["input_errors"]
    assert failure["source"] == ["a-damaged.xlsx"]
    assert failure["problems"][-1]["code"] == "bad-excel"


def test_a_workbook_without_worksheets_is_bad_excel() -> None:
    path = save("empty.xlsx", xlsx({}))
    code, found = validated(path)
    (problem,) = found["problems"]
    assert (code, where(problem)) == (EXIT_BAD_INPUT, ("bad-excel", "empty.xlsx", None, None, None))
    assert "no worksheets" in problem["message"]


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    prolog = f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
    cell = food_row(2, "<is><t>&e;</t></is>", "inlineStr")
    path = save("xxe.xlsx", xlsx({"S": sheet_xml(HEADER_ROW, cell, prolog=prolog)}))
    for args in (("validate", path, "--format", "json"), ("evaluate", path)):
        result = run(*args)
        assert result.exit_code == EXIT_BAD_INPUT
        assert "TOP-SECRET" not in result.output + result.stderr
    assert "declares a DTD" in run("validate", path).stdout


# ---- 3. passwords and old workbooks ---------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_a_password_protected_workbook_says_so_and_how_to_fix_it() -> None:
    stream_name = "EncryptedPackage".encode("utf-16-le")
    path = save("locked.xlsx", OLE2 + bytes(504) + stream_name + bytes(64))
    code, found = validated(path)
    (problem,) = found["problems"]
    assert (code, where(problem)) == (
        EXIT_BAD_INPUT,
        ("bad-excel", "locked.xlsx", None, None, None),
    )
    assert problem["message"] == "the workbook is protected with a password"
    assert "remove the password" in problem["hint"]
    assert "CSV UTF-8" in problem["hint"]
    assert "BadZipFile" not in problem["message"]


def test_an_old_xls_renamed_xlsx_is_told_to_save_as_xlsx() -> None:
    path = save("old.xlsx", OLE2 + bytes(504))
    code, found = validated(path)
    (problem,) = found["problems"]
    assert (code, problem["code"]) == (EXIT_BAD_INPUT, "bad-excel")
    assert ".xls" in problem["message"]
    assert problem["hint"] == "save it as .xlsx or CSV UTF-8"


# ---- 4. formulas never calculated -----------------------------------------------------------


def test_a_formula_without_a_cached_value_is_named() -> None:
    path = save(
        "report.xlsx",
        xlsx({"S": sheet_xml(HEADER_ROW, food_row(2, "<f>SUM(C2:C3)</f>"))}),
    )
    code, found = validated(path)
    (problem,) = found["problems"]
    assert (code, where(problem)) == (
        EXIT_BAD_INPUT,
        ("formula-not-calculated", "report.xlsx", "S", 2, "数值 (B)"),
    )
    assert problem["message"] == "the cell holds a formula (=SUM(C2:C3)) that was never calculated"
    assert "open the workbook in Excel or WPS and save it" in problem["hint"]


def test_a_calculated_formula_reads_its_value() -> None:
    path = save(
        "report.xlsx", xlsx({"S": sheet_xml(HEADER_ROW, food_row(2, "<f>A9</f><v>95</v>"))})
    )
    assert validated(path) == (
        EXIT_OK,
        {**validated(path)[1], "problems": [], "measurements": 1},
    )


# ---- 5. merged cells ------------------------------------------------------------------------


def test_a_merged_indicator_names_the_range_on_every_row_below() -> None:
    rows = [HEADER_ROW, food_row(2)]
    rows += [f'<row r="{n}"><c r="A{n}"/><c r="B{n}"><v>9{n}</v></c></row>' for n in (3, 4)]
    merge = '<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells>'
    path = save("report.xlsx", xlsx({"S": sheet_xml(*rows, after=merge)}))
    code, found = validated(path)
    assert code == EXIT_BAD_INPUT
    assert [where(p) for p in found["problems"]] == [
        ("merged-cell", "report.xlsx", "S", 3, "指标 (A)"),
        ("merged-cell", "report.xlsx", "S", 4, "指标 (A)"),
    ]
    problem = found["problems"][0]
    assert problem["message"] == "the cell is part of the merged range A2:A4, so it is empty here"
    assert problem["hint"] == "unmerge the cells and fill in every row"


def test_a_merged_title_above_the_header_is_no_problem() -> None:
    title = '<row r="1"><c r="A1" t="inlineStr"><is><t>2020年填报表</t></is></c></row>'
    rows = [title, HEADER_ROW.replace('r="1"', 'r="2"').replace('1"', '2"'), food_row(3)]
    merge = '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    path = save("report.xlsx", xlsx({"S": sheet_xml(*rows, after=merge)}))
    code, found = validated(path)
    assert code == EXIT_OK
    assert [p["code"] for p in found["problems"]] == ["title-row"]


# ---- 6. what a workbook unpacks to ----------------------------------------------------------


def test_the_size_limit_bounds_what_a_workbook_unpacks_to() -> None:
    big = food_row(2, "<is><t>" + "x" * 2_000_000 + "</t></is>", "inlineStr")
    path = save("big.xlsx", xlsx({"S": sheet_xml(HEADER_ROW, big)}))
    assert Path(path).stat().st_size < 100_000
    code, found = validated(path, "--max-bytes", "1000000")
    (problem,) = found["problems"]
    assert (code, where(problem)) == (EXIT_BAD_INPUT, ("too-large", "big.xlsx", None, None, None))
    assert problem["message"].startswith("the workbook unpacks to 2,00")
    assert problem["message"].endswith("over the limit of 1,000,000")
    assert problem["message_zh"].startswith("工作簿解压后2,00")
    assert problem["message_zh"].endswith("字节，超过上限1,000,000字节")
    assert problem["hint"] == "split the report, or raise the limit with --max-bytes"
    assert problem["hint_zh"] == "请拆分报表，或用 --max-bytes 提高上限"


def test_a_part_that_unpacks_beyond_its_declared_size_is_refused() -> None:
    data = bytearray(xlsx({"S": sheet_xml(HEADER_ROW, food_row(2), "<row r='3'/>" * 20000)}))
    # Lower the sheet's uncompressed size in the central directory to 100 bytes.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
        real = info.file_size
    name = b"xl/worksheets/sheet1.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    assert int.from_bytes(data[central + 24 : central + 28], "little") == real
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path = save("lying.xlsx", bytes(data))
    code, found = validated(path)
    assert code == EXIT_BAD_INPUT
    assert [p["code"] for p in found["problems"]] == ["bad-excel"]
