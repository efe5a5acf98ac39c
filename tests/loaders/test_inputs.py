"""Inputs as departments send them, checked end to end through the command line.

Encodings, delimiters, Excel, numbers, units, names, duplicates, years, hostile YAML, size
and error limits, and the exit codes of validate. Every test writes its own input bytes (or
builds its own workbook) in a temporary directory, runs the command line there through
CliRunner, and checks the exact problem code, position (file, sheet, row, column) and exit
code. File names are relative, so a problem's ``source`` is the bare name.
"""

from __future__ import annotations

import codecs
import json
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from qcheck.catalogue import Catalogue
from qcheck.cli import main

EXIT_OK, EXIT_NOT_MET, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

# The same small report in every encoding: Chinese headers and names, one target met,
# one not met, one figure for another year.
REPORT = (
    "指标,数值,年份\n"
    "食品安全抽检合格率,95.2,2020\n"
    "主要农产品质量安全监测合格率,97.5,2020\n"
    "重点消费品质量监督抽查合格率,91,2019\n"
)
SIX_COUNTIES = ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县")
FOOD = "食品安全抽检合格率"  # food_safety_pass_rate, %, at least 94
PM10 = "可吸入颗粒物平均浓度"  # pm10_concentration, ug/m3
SME = "参加质量基础能力免费培训的中小微企业负责人"  # sme_quality_training, 户
AIR = "城市空气质量优良天数比例"  # good_air_days_ratio, %, mean of the six counties


# ---- helpers ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in a temporary directory of its own."""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def write(name: str, text: str, encoding: str = "utf-8") -> str:
    """Write ``text`` to ``name`` in the current (temporary) directory; return the name."""
    Path(name).write_bytes(text.encode(encoding))
    return name


def csv_file(*rows: str, header: str = "指标,数值,年份", name: str = "report.csv") -> str:
    return write(name, "\n".join((header, *rows)) + "\n")


def validation(*args: str) -> tuple[int, dict[str, Any]]:
    """Run ``qcheck validate ARGS --format json``; return the exit code and the validation."""
    result = run("validate", *args, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)["validation"]
    return result.exit_code, document


def only_problem(*args: str) -> dict[str, Any]:
    """Validate and return the one problem found."""
    _, found = validation(*args)
    problems: list[dict[str, Any]] = found["problems"]
    assert len(problems) == 1, problems
    return problems[0]


def where(problem: Mapping[str, Any]) -> tuple[Any, ...]:
    """Return the code and position of a problem: (code, source, sheet, row, column)."""
    return tuple(problem.get(key) for key in ("code", "source", "sheet", "row", "column"))


def evaluated(*args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    """Run ``qcheck evaluate ARGS --format json``; return the exit code and results by id."""
    result = run("evaluate", *args, "--format", "json")
    assert result.stdout, result.stderr
    (report,) = json.loads(result.stdout)["reports"]
    return result.exit_code, {item["id"]: item for item in report["results"]}


def observed(*args: str, indicator: str = "food_safety_pass_rate") -> list[dict[str, Any]]:
    """Evaluate and return the observations of one indicator."""
    _, results = evaluated(*args)
    observations: list[dict[str, Any]] = results[indicator]["observations"]
    return observations


def workbook(
    name: str,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    formats: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """Build an .xlsx with one sheet per entry (in order); ``formats`` maps (sheet, cell)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    for (title, cell), number_format in (formats or {}).items():
        book[title][cell].number_format = number_format
    book.save(name)
    return name


# ---- 1. encodings ------------------------------------------------------------------------


def utf16_tab_text(text: str) -> bytes:
    """Encode as Excel's "Unicode text" does: UTF-16 LE with a BOM, tabs, CRLF line ends."""
    return codecs.BOM_UTF16_LE + text.replace(",", "\t").replace("\n", "\r\n").encode("utf-16-le")


ENCODED_REPORTS = {
    "utf-8": REPORT.encode("utf-8"),
    "utf-8 with BOM": REPORT.encode("utf-8-sig"),
    "gbk": REPORT.encode("gbk"),
    "gb18030": REPORT.encode("gb18030"),
    "utf-16 tab-separated": utf16_tab_text(REPORT),
}


def evaluate_in(directory: Path, data: bytes, monkeypatch: pytest.MonkeyPatch) -> Result:
    """Evaluate ``data`` saved as report.txt in ``directory``, so every output names the same."""
    directory.mkdir()
    (directory / "report.txt").write_bytes(data)
    monkeypatch.chdir(directory)
    return run("evaluate", "report.txt", "--format", "json", "--lang", "en")


@pytest.mark.parametrize("encoding", list(ENCODED_REPORTS))
def test_every_encoding_evaluates_identically(
    encoding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = evaluate_in(tmp_path / "reference", REPORT.encode("utf-8"), monkeypatch)
    result = evaluate_in(tmp_path / "encoded", ENCODED_REPORTS[encoding], monkeypatch)
    assert result.stderr == ""
    assert (result.exit_code, result.stdout) == (reference.exit_code, reference.stdout)
    by_id = {item["id"]: item for item in json.loads(result.stdout)["reports"][0]["results"]}
    food = by_id["food_safety_pass_rate"]
    assert (food["value"], food["status"]) == (95.2, "pass")
    assert by_id["agricultural_products_pass_rate"]["status"] == "fail"
    assert by_id["consumer_goods_pass_rate"]["failed_years"] == []


def test_bytes_valid_in_no_encoding_name_the_offset() -> None:
    Path("latin.csv").write_bytes(b"indicator,value\nfood\x80\xff,9\n")
    code, found = validation("latin.csv")
    assert code == EXIT_BAD_INPUT
    (problem,) = found["problems"]
    assert where(problem) == ("bad-encoding", "latin.csv", None, None, None)
    assert problem["message"] == "byte 0x80 at offset 20 is not valid text in UTF-8 nor GB18030"
    result = run("evaluate", "latin.csv")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "latin.csv: [bad-encoding] byte 0x80 at offset 20" in result.stderr


def test_encoding_gbk_is_forced_where_detection_would_read_utf8() -> None:
    # In GBK, 值 is D6 B5: also valid UTF-8 (U+05B5), so detection reads the file as UTF-8.
    path = write("gbk.csv", "indicator,值\nfood_safety_pass_rate,95.2\n", "gbk")
    code, found = validation(path)
    assert code == EXIT_BAD_INPUT
    assert [(p["code"], p["row"], p.get("column")) for p in found["problems"]] == [
        ("missing-column", 1, None),
        ("unknown-column", 1, "\u05b5"),  # 值 read as UTF-8
    ]
    code, found = validation(path, "--encoding", "gbk")
    assert (code, found["problems"], found["measurements"]) == (EXIT_OK, [], 1)
    assert observed(path, "--encoding", "gbk")[0]["value"] == 95.2


def test_encoding_utf8_on_a_gbk_file_is_bad_encoding() -> None:
    path = write("gbk.csv", REPORT, "gbk")
    code, found = validation(path, "--encoding", "utf-8")
    assert code == EXIT_BAD_INPUT
    (problem,) = found["problems"]
    assert where(problem) == ("bad-encoding", "gbk.csv", None, None, None)
    # 指 is D6 B8 in GBK: a valid two-byte UTF-8 sequence, so the first bad byte is at 2.
    assert problem["message"] == "byte 0xB1 at offset 2 is not valid text in UTF-8"
    assert run("evaluate", path, "--encoding", "utf-8").exit_code == EXIT_BAD_INPUT


@pytest.mark.parametrize(
    "name",
    ["nonsense", "base64", "rot13"],
)
@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_unknown_encoding_is_a_usage_error(command: str, name: str) -> None:
    path = csv_file("食品安全抽检合格率,95.2,2020")
    result = run(command, path, "--encoding", name)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Usage:" in result.stderr
    assert f"Invalid value for '--encoding': unknown encoding '{name}'" in result.stderr


def test_forced_utf16le_strips_the_bom_excel_writes() -> None:
    Path("unicode.txt").write_bytes(utf16_tab_text(REPORT))
    code, found = validation("unicode.txt", "--encoding", "utf-16-le")
    assert (code, found["problems"], found["measurements"]) == (EXIT_OK, [], 3)


# ---- 2. delimiters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "delimiter"), [("comma.csv", ","), ("tab.tsv", "\t"), ("semicolon.csv", ";")]
)
def test_delimiter_is_detected(name: str, delimiter: str) -> None:
    text = "指标,数值,年份,地区\n食品安全抽检合格率,95.2,2019,\n可吸入颗粒物平均浓度,61,2020,\n"
    path = write(name, text.replace(",", delimiter))
    code, found = validation(path)
    assert (code, found["problems"], found["rows"], found["measurements"]) == (EXIT_OK, [], 2, 2)
    assert observed(path, "--year", "2019") == [
        {"year": 2019, "region": None, "value": 95.2, "source": name, "row": 2}
    ]


# ---- 3. Excel ----------------------------------------------------------------------------

HEADER = ["指标", "年份", "地区", "数值"]  # the value is column D


def food_row(value: object, year: object = 2020) -> list[object]:
    """Return a worksheet row under HEADER: the food safety figure, city-wide."""
    return [FOOD, year, None, value]


@pytest.fixture
def two_sheets() -> str:
    return workbook(
        "report.xlsx",
        {
            "2020年": [HEADER, food_row(95.5)],
            "2019年": [HEADER, food_row(93, 2019)],
        },
    )


def test_excel_reads_the_first_sheet_by_default(two_sheets: str) -> None:
    assert observed(two_sheets, "--year", "2020") == [
        {"year": 2020, "region": None, "value": 95.5, "source": "report.xlsx", "row": 2}
    ]
    code, found = validation(two_sheets)
    (warning,) = found["problems"]
    assert (code, found["rows"], where(warning)) == (
        EXIT_OK,
        1,
        ("unread-sheet", "report.xlsx", "2020年", None, None),
    )


def test_excel_sheet_option_reads_another_sheet(two_sheets: str) -> None:
    code, results = evaluated(two_sheets, "--sheet", "2019年", "--year", "2019")
    food = results["food_safety_pass_rate"]
    # 2019 is before the 2020 due year, and with no earlier figure no pace is known yet.
    assert (code, food["status"], food["value"], food["year"]) == (0, "not_due", 93, 2019)


def test_excel_unknown_sheet_lists_the_sheets(two_sheets: str) -> None:
    problem = only_problem(two_sheets, "--sheet", "2018年")
    assert where(problem) == ("no-such-sheet", "report.xlsx", None, None, None)
    assert problem["message"] == "the workbook has no sheet '2018年'"
    assert problem["hint"] == "its sheets are '2020年', '2019年'"
    assert run("evaluate", two_sheets, "--sheet", "2018年").exit_code == EXIT_BAD_INPUT


def test_excel_errors_name_sheet_row_and_lettered_column() -> None:
    path = workbook(
        "report.xlsx",
        {
            "数据": [
                HEADER,
                food_row(95),
                ["主要农产品质量安全监测合格率", 2020, None, "九十八"],
                [AIR, "2O20", "甘州区", 85],
                [AIR, 2020, "酒泉市", 85],
            ]
        },
    )
    code, found = validation(path)
    assert code == EXIT_BAD_INPUT
    assert [where(problem) for problem in found["problems"]] == [
        ("not-a-number", "report.xlsx", "数据", 3, "数值 (D)"),
        ("bad-year", "report.xlsx", "数据", 4, "年份 (B)"),
        ("unknown-region", "report.xlsx", "数据", 5, "地区 (C)"),
    ]
    result = run("evaluate", path)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "report.xlsx, sheet '数据', row 3, column '数值 (D)': [not-a-number]" in result.stderr


def test_excel_percent_format_is_read_as_shown() -> None:
    path = workbook(
        "report.xlsx",
        {"S": [HEADER, food_row(0.952)]},
        formats={("S", "D2"): "0.0%"},
    )
    code, found = validation(path)
    assert (code, found["problems"]) == (EXIT_OK, [])  # no looks-like-fraction warning
    assert observed(path)[0]["value"] == 95.2


@pytest.mark.parametrize("number_format", ['0.0"%"', "0.0\\%"])
def test_excel_literal_percent_sign_is_not_scaled(number_format: str) -> None:
    path = workbook(
        "report.xlsx",
        {"S": [HEADER, food_row(95.2)]},
        formats={("S", "D2"): number_format},
    )
    code, found = validation(path)
    assert (code, found["problems"]) == (EXIT_OK, [])
    assert observed(path)[0]["value"] == 95.2


def test_excel_formula_float_noise_is_read_as_excel_shows_it() -> None:
    path = workbook("report.xlsx", {"S": [HEADER, food_row(93.99999999999999)]})
    code, results = evaluated(path)
    food = results["food_safety_pass_rate"]
    # 94 on the line, as Excel shows it: met, inside the catalogue's 1 pp band.
    assert (code, food["status"], food["value"], food["gap"]) == (EXIT_OK, "pass_at_risk", 94, 0)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda _good: bytes((i * 37 + 11) % 256 for i in range(2048)), id="noise"),
        pytest.param(lambda good: good[: len(good) // 2], id="truncated"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_damaged_workbook_is_bad_excel(command: str, damage: Callable[[bytes], bytes]) -> None:
    good = Path(workbook("good.xlsx", {"S": [HEADER, food_row(95)]}))
    Path("damaged.xlsx").write_bytes(damage(good.read_bytes()))
    result = run(command, "damaged.xlsx")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Traceback" not in result.output + result.stderr
    problem = only_problem("damaged.xlsx")
    assert where(problem) == ("bad-excel", "damaged.xlsx", None, None, None)
    assert problem["message"].startswith("cannot be read as an Excel workbook")


def test_xls_is_unsupported_with_a_hint_to_save_as_xlsx() -> None:
    Path("old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # OLE2 header
    problem = only_problem("old.xls")
    assert where(problem) == ("unsupported-format", "old.xls", None, None, None)
    assert problem["message"] == "qcheck does not read .xls files"
    assert ".xlsx" in problem["hint"]
    assert run("evaluate", "old.xls").exit_code == EXIT_BAD_INPUT


def test_excel_title_row_above_the_header_is_a_warning() -> None:
    path = workbook(
        "report.xlsx",
        {"填报表": [["张掖市2020年质量指标填报表"], HEADER, food_row(95)]},
    )
    code, found = validation(path)
    assert code == EXIT_OK
    (problem,) = found["problems"]
    assert where(problem) == ("title-row", "report.xlsx", "填报表", 1, None)
    assert problem["severity"] == "warning"
    assert problem["message"].endswith("张掖市2020年质量指标填报表")
    assert observed(path)[0]["row"] == 3


def test_excel_duplicate_error_names_the_sheet() -> None:
    path = workbook(
        "report.xlsx",
        {"数据": [HEADER, food_row(95), food_row(96)]},
    )
    assert where(only_problem(path)) == ("duplicate", "report.xlsx", "数据", 3, "数值 (D)")


# ---- 4. numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "written", "value"),
    [
        (FOOD, "95.2", 95.2),
        (FOOD, "95.2%", 95.2),
        (FOOD, "９５．２％", 95.2),
        (FOOD, " 95.2 ", 95.2),
        (FOOD, "\u300095.2\u3000", 95.2),  # ideographic spaces
        (SME, "1,234", 1234),
    ],
)
def test_numbers_as_people_type_them(indicator: str, written: str, value: float) -> None:
    path = csv_file(f'{indicator},"{written}",2020')
    code, found = validation(path)
    assert (code, found["problems"]) == (EXIT_OK, [])
    (target,) = (item for item in evaluated(path)[1].values() if item["name_zh"] == indicator)
    assert target["observations"][0]["value"] == value


@pytest.mark.parametrize(
    ("written", "code", "message"),
    [
        ("NaN", "not-finite", "'NaN' is not a finite number"),
        ("inf", "not-finite", "'inf' is not a finite number"),
        ("-Infinity", "not-finite", "'-Infinity' is not a finite number"),
        ("", "empty-value", "the value is empty"),
        ("   ", "empty-value", "the value is empty"),
        ("abc", "not-a-number", "'abc' is not a number"),
        ("95,2", "not-a-number", "'95,2' is not a number"),
        ("100.5", "out-of-range", "100.5 % is outside the range 0..100"),
        ("-1", "out-of-range", "-1 % is outside the range 0..100"),
        ("100.5%", "out-of-range", "100.5 % is outside the range 0..100"),
    ],
)
def test_bad_numbers_have_their_own_code(written: str, code: str, message: str) -> None:
    path = csv_file("食品安全抽检合格率,95,2019", f'食品安全抽检合格率,"{written}",2020')
    problem = only_problem(path)
    assert where(problem) == (code, "report.csv", None, 3, "数值")
    assert problem["message"] == message
    result = run("evaluate", path)
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"report.csv, row 3, column '数值': [{code}] {message}" in result.stderr


def test_fraction_for_a_percentage_is_refused_as_implausible() -> None:
    # It was used as written with a warning, and 0.95% failed the target; now it is never judged.
    path = csv_file("食品安全抽检合格率,0.95,2020")
    code, found = validation(path)
    assert code == EXIT_BAD_INPUT
    (problem,) = found["problems"]
    assert where(problem) == ("implausible", "report.csv", None, 2, "数值")
    assert problem["severity"] == "error"
    assert "write 95%" in problem["hint"]
    for fail_on in ("fail", "never"):
        result = run("evaluate", path, "--fail-on", fail_on)
        assert result.exit_code == EXIT_BAD_INPUT
        assert "[implausible]" in result.stderr


def test_strict_refuses_a_row_no_target_reads() -> None:
    # The only food-safety figure is a county's: the city-wide target is missing, and that
    # row would otherwise pass unnoticed under --strict.
    path = csv_file("食品安全抽检合格率,97,2020,甘州区", header="指标,数值,年份,县区")
    code, found = validation(path)
    assert code == EXIT_OK
    (problem,) = found["problems"]
    assert where(problem) == ("unused-row", "report.csv", None, 2, None)
    assert problem["severity"] == "warning"
    assert "Ganzhou District" in problem["message"]
    assert "甘州区" in problem["message_zh"]
    strict_code, strict = validation(path, "--strict")
    assert (strict_code, strict["valid"]) == (EXIT_BAD_INPUT, False)
    assert run("evaluate", path, "--fail-on", "never").exit_code == EXIT_OK
    result = run("evaluate", path, "--strict", "--fail-on", "never")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "[unused-row]" in result.stderr
    each = run("evaluate", path, "--strict", "--each", "--fail-on", "never")
    assert each.exit_code == EXIT_BAD_INPUT


def test_every_row_no_target_reads_is_counted_when_few_are_listed() -> None:
    counties = ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南县")
    rows = [f"食品安全抽检合格率,{90 + i},2020,{county}" for i, county in enumerate(counties)]
    path = csv_file(*rows, header="指标,数值,年份,县区")
    _, found = validation(path)
    assert [p["code"] for p in found["problems"]] == ["unused-row"] * 6
    _, limited = validation(path, "--max-errors", "2")
    assert len(limited["problems"]) == 2
    assert (limited["warning_count"], limited["problems_not_shown"]) == (6, 4)


# ---- 5. units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "value", "unit"),
    [
        (FOOD, "95", "%"),
        (FOOD, "95", "百分比"),
        (PM10, "61", "ug/m3"),
        (PM10, "61", "µg/m³"),
        (PM10, "61", "微克/立方米"),
        (SME, "120", "户"),
        (SME, "120", "家"),
    ],
)
def test_units_accepted(indicator: str, value: str, unit: str) -> None:
    path = csv_file(f"{indicator},{value},2020,{unit}", header="指标,数值,年份,单位")
    code, found = validation(path)
    assert (code, found["problems"], found["measurements"]) == (EXIT_OK, [], 1)


@pytest.mark.parametrize(
    ("indicator", "value", "unit", "message"),
    [
        (PM10, "61", "%", "this indicator is measured in ug/m3, not %"),
        (FOOD, "95", "户", "this indicator is measured in %, not 户"),
        (SME, "120", "百分比", "this indicator is measured in 户, not %"),
        (PM10, "61", "mg/m3", "unknown unit 'mg/m3'"),
    ],
)
def test_unit_mismatch_is_reported_at_the_unit_column(
    indicator: str, value: str, unit: str, message: str
) -> None:
    path = csv_file(f"{indicator},{value},2020,{unit}", header="指标,数值,年份,单位")
    problem = only_problem(path)
    assert where(problem) == ("unit-mismatch", "report.csv", None, 2, "单位")
    assert problem["message"] == message
    assert run("evaluate", path).exit_code == EXIT_BAD_INPUT

    assert problem["hint"] == "fix or empty the unit column"


def test_a_unit_from_the_value_header_is_fixed_in_the_header() -> None:
    path = csv_file(f"{PM10},61,2020", f"{FOOD},95,2020", header="指标,数值（%）,年份")
    problem = only_problem(path)
    assert where(problem) == ("unit-mismatch", "report.csv", None, 2, "数值（%）")
    assert problem["hint"] == "fix the unit in brackets in the header '数值（%）', or remove it"
    assert problem["hint_zh"] == "请更正列标题“数值（%）”括号中的单位，或将其删去"
    result = run("evaluate", path, "--lang", "zh")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "请更正列标题“数值（%）”括号中的单位" in result.stderr


@pytest.mark.parametrize(
    ("header", "row", "unit_column"),
    [
        ("指标,数值（%）,年份", f"{FOOD}（ug/m3）,95,2020", "数值（%）"),
        ("指标,数值,单位,年份", f"{FOOD}（ug/m3）,95,%,2020", "单位"),
        ("指标,数值,单位,年份", f"{PM10}（%）,61,ug/m3,2020", "单位"),
    ],
)
def test_a_unit_in_the_name_that_disagrees_with_the_unit_given_is_refused(
    header: str, row: str, unit_column: str
) -> None:
    # Either unit may be the wrong one: neither is dropped in favour of the other.
    problem = only_problem(csv_file(row, header=header))
    assert where(problem) == ("unit-mismatch", "report.csv", None, 2, "指标")
    assert f"column '{unit_column}'" in problem["message"]


def test_a_unit_in_the_name_that_agrees_with_the_unit_given_is_accepted() -> None:
    code, found = validation(csv_file(f"{FOOD}（%）,95,百分比,2020", header="指标,数值,单位,年份"))
    assert (code, found["problems"]) == (EXIT_OK, [])


# ---- 6. names ----------------------------------------------------------------------------


def test_misspelt_indicator_gets_a_suggestion() -> None:
    problem = only_problem(csv_file("食品安全抽检合格律,95,2020"))
    assert where(problem) == ("unknown-indicator", "report.csv", None, 2, "指标")
    assert "did you mean '食品安全抽检合格率'" in problem["message"]


@pytest.mark.parametrize(
    "written", ["PM10", "ＰＭ１０", " PM10 ", "\u3000PM10\u3000", "pm10", " 可吸入颗粒物平均浓度 "]
)
def test_indicator_names_are_normalized(written: str) -> None:
    path = csv_file(f'"{written}",61,2020')
    code, found = validation(path)
    assert (code, found["problems"]) == (EXIT_OK, [])
    assert observed(path, indicator="pm10_concentration")[0]["value"] == 61


def test_unknown_region() -> None:
    path = csv_file(f"{AIR},85,2020,酒泉市", header="指标,数值,年份,地区")
    problem = only_problem(path)
    assert where(problem) == ("unknown-region", "report.csv", None, 2, "地区")
    assert problem["message"].startswith("unknown region '酒泉市'")


@pytest.mark.parametrize(
    ("written", "region"),
    [("甘州", "ganzhou"), ("肃南", "sunan"), (" 甘州区 ", "ganzhou"), ("Ｓｕｎａｎ", "sunan")],
)
def test_region_aliases_accepted(written: str, region: str) -> None:
    path = csv_file(f"{AIR},85,2020,{written}", header="指标,数值,年份,地区")
    code, found = validation(path)
    assert (code, found["problems"]) == (EXIT_OK, [])
    assert observed(path, indicator="good_air_days_ratio")[0]["region"] == region


# ---- 7. duplicates -----------------------------------------------------------------------


def test_conflicting_duplicate_is_an_error_naming_both_rows() -> None:
    path = csv_file(
        "食品安全抽检合格率,95,2020",
        "重点消费品质量监督抽查合格率,95,2020",
        "food_safety_pass_rate,96,2020年",
    )
    code, found = validation(path)
    assert code == EXIT_BAD_INPUT
    (duplicate,) = found["problems"]
    assert where(duplicate) == ("duplicate", "report.csv", None, 4, "数值")
    assert duplicate["message"] == (
        "food_safety_pass_rate, city-wide, 2020 is 96 here but 95 in report.csv, row 2"
    )


def test_identical_duplicate_is_a_warning() -> None:
    path = csv_file(
        "食品安全抽检合格率,95,2020,",
        "food_safety_pass_rate,95.0,2020年,全市",  # the same figure, spelt differently
        header="指标,数值,年份,地区",
    )
    code, found = validation(path)
    assert code == EXIT_OK
    (problem,) = found["problems"]
    assert where(problem) == ("duplicate-identical", "report.csv", None, 3, None)
    assert problem["severity"] == "warning"
    assert problem["message"] == (
        "repeats report.csv, row 2 (food_safety_pass_rate, city-wide, 2020), same value"
    )
    assert run("evaluate", path).exit_code == EXIT_OK
    assert validation(path, "--strict")[0] == EXIT_BAD_INPUT


# ---- 8. years ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_year_out_of_range(year: str) -> None:
    problem = only_problem(csv_file(f"食品安全抽检合格率,95,{year}"))
    assert where(problem) == ("out-of-range", "report.csv", None, 2, "年份")
    assert problem["message"] == f"year {year} is outside 2000-2100"


@pytest.mark.parametrize("year", ["2020年", "2020.0", " 2020 ", "２０２０"])
def test_year_spellings_accepted(year: str) -> None:
    path = csv_file(f"食品安全抽检合格率,95,{year}")
    code, found = validation(path)
    assert (code, found["problems"]) == (EXIT_OK, [])
    assert observed(path)[0]["year"] == 2020


# ---- 9. YAML -----------------------------------------------------------------------------


def yaml_problem(text: str) -> dict[str, Any]:
    path = write("report.yaml", text)
    assert run("evaluate", path).exit_code == EXIT_BAD_INPUT
    problem = only_problem(path)
    assert problem["code"] == "bad-yaml"
    return problem


def nested_yaml(depth: int) -> str:
    """Return valid YAML nested ``depth`` levels: a list of mappings, a value in nested lists."""
    # The top mapping is level 1, the list level 2, the item level 3; the value adds the rest.
    value = "[" * (depth - 3) + "95" + "]" * (depth - 3)
    return f"measurements:\n  - indicator: food_safety_pass_rate\n    value: {value}\n"


def test_yaml_python_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    problem = yaml_problem(f'- !!python/object/apply:os.system ["echo hi > {marker}"]\n')
    assert (problem["source"], problem["row"]) == ("report.yaml", 1)
    assert "python/object/apply:os.system" in problem["message"]
    assert not marker.exists()


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    lines = ["lol: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    lines.append("measurements: *a9")  # 9**10 nodes once expanded
    started = time.perf_counter()
    problem = yaml_problem("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
    assert problem["message"] == "refused: aliases expand to more than 10,000 extra nodes"


@pytest.mark.parametrize("depth", [40, 33])
def test_yaml_nested_too_deep_is_refused(depth: int) -> None:
    problem = yaml_problem(nested_yaml(depth))
    assert problem["message"] == "refused: nesting deeper than 32 levels"
    assert problem["row"] == 3


def test_yaml_nested_32_deep_is_parsed() -> None:
    path = write("report.yaml", nested_yaml(32))
    code, found = validation(path)
    assert code == EXIT_BAD_INPUT
    assert "bad-yaml" not in {problem["code"] for problem in found["problems"]}
    assert where(found["problems"][0]) == ("bad-structure", "report.yaml", None, 2, "value")


def test_yaml_syntax_error_names_the_line() -> None:
    problem = yaml_problem(
        "measurements:\n"
        "  - indicator: food_safety_pass_rate\n"
        "    value: 95: 96\n"
        "  - indicator: consumer_goods_pass_rate\n"
    )
    assert (problem["source"], problem["row"]) == ("report.yaml", 3)
    assert problem["message"].startswith("not valid YAML: mapping values are not allowed")


# ---- 10. size ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_file_over_max_bytes_is_too_large(kind: str) -> None:
    if kind == "csv":
        path = csv_file(*["食品安全抽检合格率,95,2020"] * 5)
    else:
        path = workbook("report.xlsx", {"S": [HEADER, food_row(95)]})
    size = Path(path).stat().st_size
    assert size > 100
    problem = only_problem(path, "--max-bytes", "100")
    assert where(problem) == ("too-large", path, None, None, None)
    assert problem["message"] == f"the file has {size:,} bytes, over the limit of 100"
    assert run("evaluate", path, "--max-bytes", "100").exit_code == EXIT_BAD_INPUT
    # A workbook is a zip: the limit also bounds what it unpacks to (see test_excel.py).
    limit = size if kind == "csv" else max(size, unpacked_size(path))
    assert validation(path, "--max-bytes", str(limit))[0] == EXIT_OK


def unpacked_size(path: str) -> int:
    """Return the bytes a workbook's parts unpack to, as their headers declare them."""
    with zipfile.ZipFile(path) as package:
        return sum(info.file_size for info in package.infolist())


# ---- 11. every error at once -------------------------------------------------------------


@pytest.fixture
def bad_rows() -> str:
    """150 rows whose values are not numbers."""
    return csv_file(*(f"食品安全抽检合格率,x{n},{2000 + n % 100}" for n in range(150)))


def test_validate_lists_100_problems_then_counts_the_rest(bad_rows: str) -> None:
    code, found = validation(bad_rows)
    assert code == EXIT_BAD_INPUT
    assert (len(found["problems"]), found["problems_not_shown"]) == (100, 50)
    assert found["error_count"] == 150
    assert [p["row"] for p in found["problems"]] == list(range(2, 102))
    table = run("validate", bad_rows, "--lang", "en")
    assert table.exit_code == EXIT_BAD_INPUT
    assert table.stdout.count("not-a-number") == 100
    assert "... and 50 more" in table.stdout


def test_max_errors_limits_the_list(bad_rows: str) -> None:
    _, found = validation(bad_rows, "--max-errors", "5")
    assert (len(found["problems"]), found["problems_not_shown"]) == (5, 145)


def test_evaluate_says_how_many_more(bad_rows: str) -> None:
    result = run("evaluate", bad_rows)
    assert result.exit_code == EXIT_BAD_INPUT
    # Standard output holds the problems, as validate lists them, not results.
    assert result.stdout == run("validate", bad_rows).stdout
    assert result.stderr.count("[not-a-number]") == 100
    assert "... and 50 more" in result.stderr
    assert "150 error(s) in the input" in result.stderr
    assert run("evaluate", bad_rows, "--max-errors", "5").stderr.count("[not-a-number]") == 5


# ---- 12. nothing lost --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_input_files_are_left_byte_identical(kind: str) -> None:
    if kind == "csv":
        path = write("report.csv", REPORT, "gbk")
    else:
        path = workbook("report.xlsx", {"S": [HEADER, food_row(95)]})
    before = Path(path).read_bytes()
    for command in ("evaluate", "validate"):
        for output in ("table", "json"):
            assert run(command, path, "--format", output).exit_code in (EXIT_OK, EXIT_NOT_MET)
    assert Path(path).read_bytes() == before


# ---- 13. validate exit codes and summary -------------------------------------------------

CLEAN = "食品安全抽检合格率,95,2020"
WARNING = "食品安全抽检合格率（比例）,0.95,2020"  # read as 95%, said in a warning
ERROR = "食品安全抽检合格率,abc,2020"


@pytest.mark.parametrize(
    ("row", "strict", "expected"),
    [
        (CLEAN, False, EXIT_OK),
        (CLEAN, True, EXIT_OK),
        (WARNING, False, EXIT_OK),
        (WARNING, True, EXIT_BAD_INPUT),
        (ERROR, False, EXIT_BAD_INPUT),
        (ERROR, True, EXIT_BAD_INPUT),
    ],
)
def test_validate_exit_codes(row: str, strict: bool, expected: int) -> None:
    args = [csv_file(row), *(["--strict"] if strict else [])]
    assert run("validate", *args).exit_code == expected
    code, found = validation(*args)
    assert (code, found["valid"], found["strict"]) == (expected, expected == EXIT_OK, strict)


@pytest.mark.parametrize(
    ("lang", "row", "summary"),
    [
        ("en", CLEAN, "1 file(s), 1 row(s): 0 error(s), 0 warning(s) — valid"),
        ("en", WARNING, "1 file(s), 1 row(s): 0 error(s), 1 warning(s) — valid"),
        ("en", ERROR, "1 file(s), 1 row(s): 1 error(s), 0 warning(s) — not valid"),
        ("zh", CLEAN, "1个文件，1行：错误0项，警告0项 —— 可以评估"),
        ("zh", WARNING, "1个文件，1行：错误0项，警告1项 —— 可以评估"),
        ("zh", ERROR, "1个文件，1行：错误1项，警告0项 —— 不可评估"),
    ],
)
def test_validate_table_ends_with_the_summary(lang: str, row: str, summary: str) -> None:
    result = run("validate", csv_file(row), "--lang", lang)
    assert result.stdout.splitlines()[-1] == summary


# ---- 14. an error deep in a large file ---------------------------------------------------

LARGE_ROWS = 20_000
BAD_ROW = 19_991  # the line of the bad value; the header is line 1


@pytest.fixture
def large_report(catalogue: Catalogue) -> str:
    """20,000 valid rows and one bad value at BAD_ROW.

    Only 18 indicators x 7 regions x 101 years = 12,726 (indicator, region, year) are
    distinct, so the rows after those repeat earlier ones with the same value: warnings
    (duplicate-identical), not errors.
    """
    value = {"%": "95", "ug/m3": "30", "户": "120", None: "达到"}
    keys = [
        (target.id, value[target.unit], year, region)
        for year in range(2000, 2101)
        for region in ("", *SIX_COUNTIES)
        for target in catalogue.targets
    ]
    rows = [",".join(map(str, keys[n % len(keys)])) for n in range(LARGE_ROWS)]
    rows[BAD_ROW - 2] = "food_safety_pass_rate,abc,2020,"  # a row in error is never a duplicate
    return csv_file(*rows, header="indicator,value,year,region", name="large.csv")


def test_error_deep_in_a_large_file_names_its_row(large_report: str) -> None:
    code, found = validation(large_report, "--max-errors", "1")
    assert code == EXIT_BAD_INPUT
    assert (found["rows"], found["error_count"]) == (LARGE_ROWS, 1)
    (problem,) = found["problems"]  # errors are listed before warnings
    assert where(problem) == ("not-a-number", "large.csv", None, BAD_ROW, "value")
    result = run("evaluate", large_report)
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"large.csv, row {BAD_ROW}, column 'value': [not-a-number]" in result.stderr
