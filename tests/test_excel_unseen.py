"""What a workbook holds but Excel does not show: none of it may decide a verdict unseen.

Formats that show nothing, hidden rows and columns, tables on sheets not read.
"""

from __future__ import annotations

import pytest

from qcheck.loaders.xlsx import Hollow
from tests.test_excel import EXIT_BAD_INPUT, EXIT_OK, HEADER_ROW, food_row, save, validated
from tests.test_inputs import _in_tmp, evaluated, where  # noqa: F401 - _in_tmp is autouse
from tests.test_xlsx_reader import (
    REGION_HEADER,
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
    return with_styles(one_sheet(HEADER_ROW, row), styles(0, 164, codes={164: code}))


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
