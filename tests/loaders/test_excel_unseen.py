"""What a workbook holds but Excel does not show: none of it may decide a verdict unseen.

Formats that show nothing, hidden rows and columns, tables on sheets not read.
"""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest

from qcheck.loaders.xlsx import Hollow
from tests.helpers import SAMPLES
from tests.loaders.test_excel import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    HEADER_ROW,
    food_row,
    save,
    table_xml,
    validated,
    xlsx,
)
from tests.loaders.test_inputs import _in_tmp, evaluated, run, where  # noqa: F401 - _in_tmp is autouse
from tests.loaders.test_xlsx_reader import (
    REGION_HEADER,
    amend,
    cells_of,
    one_sheet,
    region_row,
    styled,
    styles,
    with_styles,
)

# ---- 1. number formats that show nothing ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "shown"),
    [
        ("0.00%;;", "0", ""),  # the zero section is empty: Excel shows an empty cell
        ("0.00%;;", "-0.5", ""),  # so is the negative one
        ("0.00%;;", "0.952", "95.2%"),
        ("0;-0;;@", "0", ""),
        ("0;-0;;@", "-3", "-3"),
        (";;;", "95", ""),  # the way to hide a cell's content
        ("0;[Red];0", "-1", ""),  # a colour alone shows nothing
        ("0.0;-0.0;_)", "0", ""),
        ('0;-0;"-"', "0", "0"),  # a dash for zero is shown: read as the zero it stands for
        ("", "95", "95"),  # an empty format is General
    ],
)
def test_a_number_reads_blank_where_its_format_shows_nothing(
    code: str, raw: str, shown: str
) -> None:
    codes = {164: code.replace('"', "&quot;")}
    data = with_styles(one_sheet(styled(raw, 0)), styles(164, codes=codes))
    ((_, [cell]),) = cells_of(data)
    assert cell == shown
    assert isinstance(cell, Hollow) is (shown == "")


def hidden_by_format(code: str, value: str = "<v>0</v>") -> bytes:
    row = food_row(2, value).replace('<c r="B2"', '<c r="B2" s="1"')
    codes = {164: code.replace('"', "&quot;")}
    return with_styles(one_sheet(HEADER_ROW, row), styles(0, 164, codes=codes))


@pytest.mark.parametrize("code", ["0.00%;;", "0;-0;;@", ";;;"])
def test_a_figure_excel_shows_as_an_empty_cell_is_not_judged(code: str) -> None:
    # A zero formatted 0.00%;; was judged 0%, though the user saw an empty cell.
    path = save("report.xlsx", hidden_by_format(code))
    exit_code, found = validated(path)
    (problem,) = found["problems"]
    assert (exit_code, where(problem)) == (
        EXIT_BAD_INPUT,
        ("hidden-by-format", "report.xlsx", "S", 2, "数值 (B)"),
    )
    assert problem["message"] == (
        "the cell holds '0', but its number format shows nothing there: Excel shows an empty cell"
    )
    assert problem["message_zh"].startswith("该单元格的值为“0”")
    assert problem["hint_zh"]


@pytest.mark.parametrize("code", ['""', "_-", '" ";" ";" "', "* "])
def test_a_format_of_one_section_that_shows_only_blanks_hides_the_figure(code: str) -> None:
    # Each shows 96 as an empty cell: it was judged 96, met, with no word.
    exit_code, found = validated(save("report.xlsx", hidden_by_format(code, "<v>96</v>")))
    assert exit_code == EXIT_BAD_INPUT
    assert [problem["code"] for problem in found["problems"]] == ["hidden-by-format"]


def test_a_small_number_excel_holds_as_zero_reads_as_zero() -> None:
    _, row = cells_of(one_sheet(HEADER_ROW, food_row(2, "<v>1e-400</v>")))
    assert row == (2, ["食品安全抽检合格率", "0"])


def test_text_hidden_by_its_format_is_not_read_as_a_region() -> None:
    # 甘州区 formatted ;;; is an empty cell in Excel: the user sees a city-wide figure.
    rows = [REGION_HEADER, region_row(2, ' s="1" t="inlineStr"><is><t>甘州区</t></is>')]
    data = with_styles(one_sheet(*rows), styles(0, 164, codes={164: ";;;"}))
    exit_code, found = validated(save("report.xlsx", data))
    (problem,) = found["problems"]
    assert (exit_code, where(problem)) == (
        EXIT_BAD_INPUT,
        ("hidden-by-format", "report.xlsx", "S", 2, "地区 (C)"),
    )


def test_text_shown_by_a_format_of_three_sections_is_read() -> None:
    rows = [REGION_HEADER, region_row(2, ' s="1" t="inlineStr"><is><t>甘州区</t></is>')]
    data = with_styles(one_sheet(*rows), styles(0, 164, codes={164: "0.00%;;"}))
    assert cells_of(data)[1] == (2, ["食品安全抽检合格率", "95", "甘州区"])


def test_a_note_hidden_by_its_format_reads_blank_and_the_row_counts() -> None:
    header = HEADER_ROW.replace("</row>", '<c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>')
    row = food_row(2).replace("</row>", '<c r="C2" s="1"><v>0</v></c></row>')
    data = with_styles(one_sheet(header, row), styles(0, 164, codes={164: "0;-0;"}))
    code, results = evaluated(save("report.xlsx", data))
    assert (code, results["food_safety_pass_rate"]["value"]) == (EXIT_OK, 95)


# ---- 2. hidden rows and columns -------------------------------------------------------------


def amend_sheet(data: bytes, cols: str) -> bytes:
    """Return a workbook whose sheets have ``cols`` (column widths, hidden ones) before the rows."""
    return amend(data, change=lambda _, text: text.replace("<sheetData>", cols + "<sheetData>"))


def hide_rows(data_rows: list[str], hidden: set[int]) -> list[str]:
    return [
        row.replace(f'<row r="{n}"', f'<row r="{n}" hidden="1"', 1) if n in hidden else row
        for n, row in enumerate(data_rows, 1)
    ]


def test_a_hidden_draft_row_is_read_but_named() -> None:
    # An old draft figure, hidden in Excel, decided the verdict unseen: read, and now named.
    other = food_row(3, "<v>99</v>").replace("食品安全抽检合格率", "主要农产品质量安全监测合格率")
    rows = hide_rows([HEADER_ROW, food_row(2, "<v>96</v>"), other], {2})
    path = save("report.xlsx", one_sheet(*rows))
    code, found = validated(path)
    (warning,) = found["problems"]
    assert (code, where(warning)) == (EXIT_OK, ("hidden-row", "report.xlsx", "S", 2, None))
    assert warning["severity"] == "warning"
    assert warning["message"] == "1 row(s) hidden in Excel were read as data: rows 2"
    assert warning["message_zh"] == "在 Excel 中隐藏的1行被作为数据读取：第2行"
    assert validated(path, "--strict")[0] == EXIT_BAD_INPUT
    assert evaluated(path)[1]["food_safety_pass_rate"]["value"] == 96  # read: it is data


def test_many_hidden_rows_name_the_first_few_and_count_the_rest() -> None:
    rows = hide_rows([HEADER_ROW, *map(food_row, range(2, 12))], set(range(3, 12)))
    _, found = validated(save("report.xlsx", one_sheet(*rows)))
    (warning,) = [p for p in found["problems"] if p["code"] == "hidden-row"]
    assert warning["message"] == (
        "9 row(s) hidden in Excel were read as data: rows 3, 4, 5, 6, 7 and 4 more"
    )
    assert warning["message_zh"].endswith("第3、4、5、6、7行等")


def test_hidden_rows_above_the_header_or_blank_are_not_named() -> None:
    title = '<row r="1" hidden="1"><c r="A1" t="inlineStr"><is><t>草稿</t></is></c></row>'
    header = HEADER_ROW.replace('"1"', '"2"').replace('1"', '2"')
    rows = [title, header, food_row(3), '<row r="4" hidden="1"/>']
    code, found = validated(save("report.xlsx", one_sheet(*rows)))
    assert (code, [p["code"] for p in found["problems"]]) == (EXIT_OK, ["title-row"])


@pytest.mark.parametrize(
    ("cols", "named"),
    [
        ('<col min="3" max="3" hidden="1"/>', ["地区 (C)"]),
        ('<col min="1" max="3" width="0" hidden="true"/>', ["指标 (A)", "数值 (B)", "地区 (C)"]),
        ('<col min="3" max="3" width="20"/>', []),
        ('<col min="4" max="9" hidden="1"/>', []),  # no column read
    ],
)
def test_a_hidden_column_qcheck_reads_is_named(cols: str, named: list[str]) -> None:
    # A hidden region column made county figures of what the user saw as city-wide ones.
    rows = [REGION_HEADER, region_row(2, ' t="inlineStr"><is><t>甘州区</t></is>')]
    data = amend_sheet(one_sheet(*rows), f"<cols>{cols}</cols>")
    code, found = validated(save("report.xlsx", data))
    assert code == EXIT_OK
    assert [where(p) for p in found["problems"] if p["code"] != "unused-row"] == [
        ("hidden-column", "report.xlsx", "S", None, label) for label in named
    ]
    if named:
        assert found["problems"][0]["message"] == (
            f"the column {named[0]} is hidden in Excel, but it was read"
        )


def test_a_hidden_note_column_is_not_named() -> None:
    header = HEADER_ROW.replace("</row>", '<c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>')
    hidden = '<cols><col min="3" max="3" hidden="1"/></cols>'
    data = amend_sheet(one_sheet(header, food_row(2)), hidden)
    code, found = validated(save("report.xlsx", data))
    assert (code, found["problems"]) == (EXIT_OK, [])


# ---- 3. tables on sheets not read -----------------------------------------------------------

CONSUMER_GOODS = "重点消费品质量监督抽查合格率"  # met when stable at 90% or more
with (SAMPLES / "report-2020-all-met.csv").open(encoding="utf-8", newline="") as _sample:
    GOOD_SHEET = table_xml(*(row[:4] for row in csv.reader(_sample)))  # a full report, all met


def unread(*rows: tuple[object, ...], state: str | None = None) -> list[dict[str, Any]]:
    """Validate a report (all met) with a second sheet of the rows; return its problems."""
    states = {"B": state} if state else None
    save("v3.xlsx", xlsx({"A": GOOD_SHEET, "B": table_xml(*rows)}, states=states))
    result = run("evaluate", "v3.xlsx", "--format", "json")
    assert result.exit_code == EXIT_OK, result.stderr  # all met, on sheet A alone
    (report,) = json.loads(result.stdout)["reports"]
    problems: list[dict[str, Any]] = report["warnings"]
    return problems


def test_a_wide_table_on_a_second_sheet_is_named() -> None:
    # Read alone, sheet A met every target; sheet B's 85 are below the stable 90%.
    named = unread(("指标", "2018年", "2019年", "2020年"), (CONSUMER_GOODS, 85, 85, 85))
    assert [where(p) for p in named] == [("unread-sheet", "v3.xlsx", "A", None, None)]
    assert named[0]["message"] == (
        "only this sheet was read, but sheet(s) 'B' also hold a report table"
    )


def test_a_wide_table_without_figures_is_named_by_its_header_alone() -> None:
    named = unread(("指标", 2018, 2019, 2020))
    assert [p["code"] for p in named] == ["unread-sheet"]


@pytest.mark.parametrize("state", [None, "hidden"])
def test_known_names_beside_figures_under_any_header_are_named(state: str | None) -> None:
    rows = (("项目", "数值"), (CONSUMER_GOODS, "85%"), ("食品安全抽检合格率（%）", 95))
    named = unread(*rows, state=state)
    assert [p["code"] for p in named] == ["hidden-sheet" if state else "unread-sheet"]


@pytest.mark.parametrize(
    "rows",
    [
        (
            ("填报说明",),
            ("1. 每个指标填一行，如：",),
            (CONSUMER_GOODS,),
            ("2. 数值填写实际完成值。",),
        ),
        ((CONSUMER_GOODS,), ("食品安全抽检合格率",), ("甘州区",)),  # a list for drop-downs
        ((CONSUMER_GOODS, "甘州区", 2020),),  # a year is no figure
        (("项目", "数值"), ("某个未知指标", 85)),
    ],
)
def test_instructions_and_lists_of_names_are_not_named(rows: tuple[tuple[object, ...]]) -> None:
    assert unread(*rows) == []


def test_the_look_at_a_sheet_not_read_stays_within_its_first_rows() -> None:
    titles = [(f"标题{n}",) for n in range(6)]
    assert unread(*titles, ("项目", "数值"), (CONSUMER_GOODS, 85)) == []
