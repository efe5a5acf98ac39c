"""The Excel workbook (-o result.xlsx), read back with openpyxl as an analyst's Excel would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qcheck import __version__
from qcheck.evaluation import Status
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import Problem
from qcheck.renderers import renderer_for
from qcheck.renderers.xlsx import FILLS, status_fill
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import STATUS_FACTS
from qcheck.words import Lang, label
from tests.helpers import SAMPLES, run_cli
from tests.renderers.reports import every_case

FAILURES = SAMPLES / "report-2020-with-failures.csv"
ALL_MET = SAMPLES / "report-2020-all-met.csv"
PROGRESS = SAMPLES / "report-2019-progress.csv"
CATALOGUE = load_catalogue()
SHEETS = {
    "zh": ["汇总", "县区", "趋势", "问题", "说明"],
    "en": ["Summary", "Counties", "Trend", "Problems", "About"],
}
DIGEST = "ab" * 32


def book(data: str | bytes) -> Workbook:
    """Return a workbook read back in normal mode (read-only mode has no charts)."""
    assert isinstance(data, bytes)
    return load_workbook(io.BytesIO(data))


def evaluated(*args: str | Path, lang: Lang = "zh") -> Workbook:
    """Run evaluate with -o result.xlsx (in the current folder); return the workbook written."""
    result = run_cli(["evaluate", *map(str, args), "-o", "result.xlsx", "--lang", lang])
    assert result.exit_code in (0, 1), result.output
    return load_workbook("result.xlsx")


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def row_of(sheet: Worksheet, target_id: str, *, column: int = 2) -> list[Any]:
    """Return the cells of the (first) row whose ``column`` holds ``target_id``."""
    for row in sheet.iter_rows():
        if row[column - 1].value == target_id:
            return list(row)
    raise AssertionError(f"no row for {target_id}")


def header(sheet: Worksheet) -> list[Any]:
    return [cell.value for cell in sheet[1]]


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in an empty folder."""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sheets_are_named_in_the_users_language(lang: Lang) -> None:
    workbook = evaluated(FAILURES, lang=lang)
    assert workbook.sheetnames == SHEETS[lang]
    assert header(workbook[SHEETS[lang][0]])[:5] == [
        label(lang, key) for key in ("area", "id", "indicator", "xlsx.symbol", "status")
    ]


def test_figures_are_numbers_in_their_formats() -> None:
    summary = evaluated(FAILURES)["汇总"]
    keys = list(header(summary))
    value, line, gap = (keys.index(label("zh", key)) for key in ("actual", "xlsx.line", "gap"))
    food = row_of(summary, "food_safety_pass_rate")
    assert (food[value].value, food[value].number_format) == (0.935, "0.0%")
    assert food[value].data_type == "n"
    assert (food[line].value, food[line].number_format) == (0.94, "0%")
    # A rate's gap is in percentage points, said in the format: -0.5 个百分点.
    assert food[gap].value == -0.5
    assert '"个百分点"' in food[gap].number_format
    assert food[gap].number_format.startswith("+")
    training = row_of(evaluated(ALL_MET)["汇总"], "sme_quality_training")
    assert (training[value].value, training[value].number_format) == (135, "0")
    assert isinstance(training[value].value, int)
    # A yes / no answer is a word, not 1 or 0.
    assert row_of(summary, "key_services_level")[value].value == "未达到"
    # A figure of another year than the one evaluated says whose it is.
    notes = keys.index(label("zh", "notes"))
    assert "2019年" in row_of(summary, "consumer_goods_pass_rate")[notes].value


def test_each_row_has_a_status_symbol_and_word_filled_by_status() -> None:
    summary = evaluated(FAILURES)["汇总"]
    food = [cell.value for cell in row_of(summary, "food_safety_pass_rate")]
    assert food[3:5] == [STATUS_FACTS[Status.FAIL].symbol, "未达标"]
    rules = {
        rule.formula[0]: (str(ranges.sqref), rule.dxf.fill.fgColor.rgb)
        for ranges in summary.conditional_formatting
        for rule in ranges.rules
    }
    last = summary.max_row
    assert rules['$E2="未达标"'] == (f"A2:N{last}", "00" + status_fill(Status.FAIL))
    assert rules['$E2="达标"'] == (f"A2:N{last}", "00" + FILLS["green"])
    assert rules['$E2="缺数据"'][1] == "00" + status_fill(Status.MISSING)


def test_the_header_is_frozen_filtered_and_printed_on_every_a4_landscape_page() -> None:
    workbook = evaluated(FAILURES)
    for name in ("汇总", "县区", "趋势", "问题"):
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", name
        assert sheet.print_title_rows == "$1:$1", name
    for each in workbook.worksheets:
        setup = each.page_setup
        assert (str(setup.paperSize), setup.orientation) == ("9", "landscape"), each.title
        fit = each.sheet_properties.pageSetUpPr
        assert fit is not None
        assert fit.fitToPage is True
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)


def test_columns_are_wide_enough_for_chinese_names() -> None:
    summary = evaluated(FAILURES)["汇总"]
    names = [cell.value for cell in summary["C"][1:]]
    shortest = min(names, key=len)
    assert summary.column_dimensions["C"].width >= 2 * len(shortest) + 2
    assert summary.column_dimensions["B"].width < 2 * len("completed_projects_compliance")


def test_a_county_that_sent_nothing_is_an_empty_cell_marked_missing_and_a_gap() -> None:
    counties = evaluated(FAILURES)["县区"]
    assert header(counties) == ["编号", "指标", "县区", "实际", "单位", "目标值", "状态"]
    air = [row for row in rows(counties) if row[0] == "good_air_days_ratio"]
    by_county = {row[2]: row for row in air}
    assert by_county["甘州区"][3] == 0.84
    assert by_county["肃南裕固族自治县"][3] is None  # never 0
    assert by_county["肃南裕固族自治县"][6] == "缺数据"
    # The result's row, named by its rule: the mean of six needs all six.
    assert by_county["6县区平均≥82%"][3:] == (None, "%", 0.82, "缺数据")
    first = next(n for n, row in enumerate(rows(counties), 1) if row[0] == "good_air_days_ratio")
    (chart,) = counties._charts  # type: ignore[attr-defined]
    assert [type(part).__name__ for part in chart._charts] == ["BarChart", "LineChart"]
    bars, line = chart._charts
    values = f"'县区'!$D${first}:$D${first + 5}"
    assert [s.val.numRef.f for s in bars.series] == [values]
    assert bars.series[0].cat.numRef.f == f"'县区'!$C${first}:$C${first + 5}"
    assert [s.val.numRef.f for s in line.series] == [values.replace("$D", "$F")]
    assert chart.display_blanks == "gap"
    assert (chart.x_axis.delete, chart.y_axis.delete) == (False, False)


def test_the_trend_sheet_has_a_column_per_year_and_a_line_chart_per_numeric_target() -> None:
    result = run_cli(
        ["evaluate", str(ALL_MET), "--years", "2018-2020", "-o", "result.xlsx", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    workbook = load_workbook("result.xlsx")
    trend = workbook["Trend"]
    assert header(trend)[4:7] == ["2018", "2019", "2020"]
    goods = row_of(trend, "consumer_goods_pass_rate")
    assert [cell.value for cell in goods[4:8]] == [0.915, 0.923, 0.931, 0.9]
    assert goods[4].number_format == "0.0%"
    assert goods[8].value == "rising"
    charts = trend._charts  # type: ignore[attr-defined]
    assert {type(chart).__name__ for chart in charts} == {"LineChart"}
    row = goods[0].row
    references = {chart.series[0].val.numRef.f for chart in charts}
    assert f"'Trend'!$E${row}:$G${row}" in references
    # Only figures are drawn: a target answered yes / no has no chart.
    assert len(charts) == sum(
        1
        for line in trend.iter_rows(min_row=2, min_col=5, max_col=7, values_only=True)
        if any(isinstance(cell, float | int) for cell in line)
    )
    # The summary is the last year's, as `evaluate --year 2020` gives it.
    assert workbook["Summary"].max_row == 1 + len(CATALOGUE.targets)
    about = [row[:2] for row in rows(workbook["About"])]
    assert ("Year", 2020) in about
    assert ("Trend", "2018–2020") in about


def test_a_single_year_comes_with_the_plans_years_before_it() -> None:
    trend = evaluated(FAILURES)["趋势"]
    assert header(trend)[4:8] == ["2018", "2019", "2020", "目标值"]
    assert trend._charts  # type: ignore[attr-defined]


def test_the_plans_first_year_has_one_year_column_and_no_chart() -> None:
    trend = evaluated(FAILURES, "--year", "2018")["趋势"]
    assert header(trend)[4:6] == ["2018", "目标值"]
    assert trend._charts == []  # type: ignore[attr-defined]


def test_text_from_the_input_never_becomes_a_formula() -> None:
    formula = '=HYPERLINK("http://example.invalid","x")'
    problem = Problem.of("not-a-number", source=formula, row=2, column="value", value="=1+1")
    validation = Validation(sources=(formula,), rows=1, measurements=0, problems=(problem,))
    rendered = renderer_for("xlsx", lang="en").render_validation(validation, strict=False, limit=9)
    problems = book(rendered)["Problems"]
    assert problems["A2"].value == formula
    assert problems["A2"].data_type == "s"
    assert (problems["C2"].value, problems["D2"].value, problems["F2"].value) == (
        2,
        "value",
        "not-a-number",
    )
    assert problems["G2"].value == problem.text("en")
    about = book(rendered)["About"]
    sources = [row for row in rows(about) if row[0] == label("en", "sources")]
    assert [row[:2] for row in sources] == [(label("en", "sources"), formula)]


def test_every_problem_is_listed_with_where_and_how_to_fix_it() -> None:
    Path("report.csv").write_text(
        "指标,年份,地区,数值\n食品安全抽检合格率,2020,全市,97\n食品安全抽检合格率,2020,甘州区,93\n",
        encoding="utf-8",
    )
    problems = evaluated("report.csv", lang="en")["Problems"]
    # The same columns, in the same words, as the CSV of `qcheck validate`.
    assert header(problems) == [
        "Source",
        "Sheet",
        "Row",
        "Column",
        "Severity",
        "Code",
        "Problem",
        "How to fix",
    ]
    (row,) = rows(problems)[1:]
    assert row[:6] == ("report.csv", None, 3, None, "warning", "unused-row")
    assert row[6]
    assert row[7]


def test_the_about_sheet_traces_the_workbook_to_its_inputs() -> None:
    report = replace(every_case(CATALOGUE), sources=("a.csv",), digests={"a.csv": DIGEST})
    workbook = book(renderer_for("xlsx", lang="zh").render([report], limit=10))
    about = rows(workbook["说明"])
    assert about[0] == (label("zh", "title", city="张掖市", year=2020), None, None)
    assert ("数据来源", "a.csv", f"SHA-256：{DIGEST}") in about
    assert ("生成工具", f"qcheck {__version__}", None) in about
    assert ("城市", "张掖市", None) in about
    legend = [row[:2] for row in about if row[0] in {f.symbol for f in STATUS_FACTS.values()}]
    assert len(legend) == len(Status)
    assert workbook.properties.creator == f"qcheck {__version__}"
    assert workbook.properties.title == about[0][0]


def test_without_a_digest_a_source_has_none() -> None:
    report = replace(every_case(CATALOGUE), sources=("-",))
    about = rows(book(renderer_for("xlsx", lang="en").render([report], limit=10))["About"])
    (source,) = [row for row in about if row[0] == label("en", "sources")]
    assert source[1] == "-"
    assert not any("SHA-256" in str(cell) for row in about for cell in row)


def test_every_status_has_a_fill_from_its_style() -> None:
    for status, facts in STATUS_FACTS.items():
        assert status_fill(status) == FILLS[facts.style.split()[-1]]


def test_each_gives_an_overview_first_and_one_table_per_sheet_with_a_file_column() -> None:
    Path("bad.csv").write_text("指标,年份,数值\n食品安全抽检合格率,2020,abc\n", encoding="utf-8")
    result = run_cli(
        [
            "evaluate",
            str(PROGRESS),
            str(ALL_MET),
            "bad.csv",
            "--each",
            "-o",
            "r.xlsx",
            "--lang",
            "zh",
        ]
    )
    assert result.exit_code == 2, result.output
    workbook = load_workbook("r.xlsx")
    assert workbook.sheetnames == ["总览", *SHEETS["zh"]]
    overview = workbook["总览"]
    names = header(overview)
    assert names[0] == "文件"
    assert names[1] == CATALOGUE.targets[0].name_zh
    assert names[-4:] == ["达标", "达标（临界）", "未达标", "缺数据"]
    lines = rows(overview)[1:]
    assert [line[0] for line in lines] == [str(PROGRESS), str(ALL_MET), "bad.csv", "合计"]
    assert lines[1][1] == "✔ 达标"
    assert lines[1][-4:] == (26, 1, 0, 0)
    assert lines[2][1] == "输入有误"
    assert lines[3][-4:] == (26, 1, 1, 26)
    (fills,) = {str(ranges.sqref) for ranges in overview.conditional_formatting}
    assert fills == f"B2:{get_column_letter(1 + len(CATALOGUE.targets))}5"
    summary = workbook["汇总"]
    assert header(summary)[0] == "文件"
    files = [row[0] for row in rows(summary)[1:]]
    assert files == [str(PROGRESS)] * 27 + [str(ALL_MET)] * 27
    problems = rows(workbook["问题"])
    assert any(row[0] == "bad.csv" and row[5] == "not-a-number" for row in problems)


def test_a_workbook_is_the_same_whether_written_to_a_file_or_redirected() -> None:
    args = ["evaluate", str(FAILURES), "--format", "xlsx", "-o", "r.xlsx", "--lang", "zh"]
    printed = run_cli(args)
    assert printed.exit_code == 1, printed.stderr
    assert printed.stdout_bytes.startswith(b"PK\x03\x04")
    assert rows(book(printed.stdout_bytes)["汇总"]) == rows(load_workbook("r.xlsx")["汇总"])


@pytest.mark.parametrize(
    ("lang", "words", "hint"),
    [
        (
            "en",
            "Error: Invalid value for '--format': --format xlsx writes an Excel workbook",
            "-o FILE.xlsx",
        ),
        ("zh", "错误：'--format' 的值无效：--format xlsx 写出的是 Excel 工作簿", "-o 文件名.xlsx"),
    ],
)
@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_a_workbook_for_a_terminal_is_refused_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, words: str, hint: str, command: str
) -> None:
    monkeypatch.setattr("click.testing._NamedTextIOWrapper.isatty", lambda _self: True)
    Path("earlier.xlsx").write_bytes(b"an earlier run's workbook")
    args = [command, str(FAILURES), "--format", "xlsx", "-o", "earlier.xlsx", "--lang", lang]
    result = run_cli(args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert hint in result.stderr
    assert result.stdout_bytes == b""
    # Refused before anything is read, as any usage error: no earlier verdict is left.
    assert Path("earlier.xlsx").read_bytes() == b""


def test_validate_writes_the_problems_to_a_workbook() -> None:
    Path("bad.csv").write_text("指标,年份,数值\n食品安全抽检合格率,2020,abc\n", encoding="utf-8")
    result = run_cli(["validate", "bad.csv", "-o", "v.xlsx", "--lang", "en"])
    assert result.exit_code == 2
    workbook = load_workbook("v.xlsx")
    assert workbook.sheetnames == ["Problems", "About"]
    (problem,) = rows(workbook["Problems"])[1:]
    assert problem[:6] == ("bad.csv", None, 2, "数值", "error", "not-a-number")


def test_a_percent_figure_keeps_the_decimals_that_decide_it() -> None:
    rendered = renderer_for("xlsx", lang="en").render([every_case(CATALOGUE)], limit=10)
    summary = book(rendered)["Summary"]
    for row in summary.iter_rows(min_row=2):
        cell = row[5]
        if isinstance(cell.value, float) and cell.number_format.endswith("%"):
            shown = Decimal(str(cell.value)) * 100
            places = len(cell.number_format) - len("0.%") if "." in cell.number_format else 0
            assert shown == round(shown, places), (row[1].value, cell.number_format)


def test_one_report_of_a_trend_is_one_year() -> None:
    report = every_case(CATALOGUE)
    workbook = book(renderer_for("xlsx", lang="en").render_trend(Trend((report,)), limit=10))
    assert header(workbook["Trend"])[4:6] == ["2020", "Line"]
    assert workbook["Trend"]._charts == []  # type: ignore[attr-defined]


def test_an_overview_by_lead_unit_names_each_columns_unit() -> None:
    inputs = [str(ALL_MET), str(PROGRESS)]
    result = run_cli(
        ["evaluate", *inputs, "--each", "--by", "unit", "-o", "r.xlsx", "--lang", "zh"]
    )
    assert result.exit_code == 1, result.output
    names = header(load_workbook("r.xlsx")["总览"])
    goods = [name for name in names if name.startswith("重点消费品质量监督抽查合格率\n")]
    # Led by two units, the target has a column under each, each naming its unit.
    assert len(goods) == 2
    assert goods[0] != goods[1]
    assert all(name.endswith(")") for name in goods)


def test_a_batch_is_written_without_looking_at_every_cell_for_each_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A sheet's max_row looks at every cell it has: asked once a row, a batch of 300 files
    # took minutes.
    looked: list[int] = []
    max_row = Worksheet.max_row

    def counted(sheet: Worksheet) -> int:
        looked.append(1)
        return max_row.fget(sheet)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(Worksheet, "max_row", property(counted))
    report = every_case(CATALOGUE)
    renderer = renderer_for("xlsx", lang="en")
    renderer.render([report, report], limit=10)
    few = len(looked)
    looked.clear()
    renderer.render([report] * 20, limit=10)
    assert len(looked) == few


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_from_an_input_is_kept_as_text(text: str) -> None:
    # A control character is no XML: openpyxl refuses it, and the run would end in a traceback.
    problem = Problem.of("not-a-number", source=text, row=2, column="value", value=text)
    validation = Validation(sources=(text,), rows=1, measurements=0, problems=(problem,))
    rendered = renderer_for("xlsx", lang="zh").render_validation(validation, strict=False, limit=9)
    cell = book(rendered)["问题"]["A2"]
    shown = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    assert cell.value == (shown or None)
    if shown:
        assert cell.data_type == "s"


def test_a_file_named_with_a_control_character_is_named_in_the_workbook() -> None:
    name = "a\x01.csv"
    Path(name).write_bytes(ALL_MET.read_bytes())
    about = rows(evaluated(name, lang="en")["About"])
    assert ("Data", "a\ufffd.csv") in [row[:2] for row in about]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_real_process_writes_the_workbook_to_a_file_and_refuses_a_terminal() -> None:
    command = [sys.executable, "-m", "qcheck", "evaluate", str(FAILURES), "--format", "xlsx"]
    env = {**os.environ, "LANG": "C.UTF-8"}
    with Path("redirected.xlsx").open("wb") as stdout:
        redirected = subprocess.run(
            [*command, "--lang", "en"], stdout=stdout, stderr=subprocess.PIPE, env=env, check=False
        )
    assert redirected.returncode == 1, redirected.stderr
    assert load_workbook("redirected.xlsx").sheetnames == SHEETS["en"]
    leader, follower = os.openpty()
    try:
        terminal = subprocess.run(
            [*command, "--lang", "zh"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert terminal.returncode == 2
    assert "-o 文件名.xlsx" in terminal.stderr.decode()
