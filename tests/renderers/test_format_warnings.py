"""Every output format carries the warnings about the input, as its readers look for them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from junitparser import JUnitXml, Skipped
from openpyxl import Workbook

from qcheck.evaluation import Report, evaluate
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import Problem
from qcheck.renderers import FORMATS, renderer_for
from qcheck.words import Lang, label
from tests.helpers import SAMPLES, csv_records, run_cli, shown_stdout, shown_text, written
from tests.renderers.html.parse import parse
from tests.renderers.test_codequality import check_codequality
from tests.renderers.test_formats import SUFFIXES, check_sarif, parse_command

pytestmark = pytest.mark.usefixtures("in_tmp")

AIR = "六县区城市空气质量优良天数比例平均"
COUNTIES = ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县")
WORKBOOK = "report.xlsx"
CLEAN = "clean.csv"
CATALOGUE = load_catalogue()
UNREAD = "unread-sheet"


def two_sheet_workbook() -> None:
    """Save a workbook whose city sheet is read and whose visible county sheet is not."""
    workbook = Workbook()
    city = workbook.active
    assert city is not None
    city.title = "全市"
    city.append(["指标", "年份", "地区", "数值"])
    city.append([AIR, 2020, "全市", 85])
    counties = workbook.create_sheet("县区")
    counties.append(["指标", "年份", "地区", "数值"])
    for county in COUNTIES:
        counties.append([AIR, 2020, county, 80])
    workbook.save(WORKBOOK)


def warning_count(lang: Lang, count: int = 1) -> str:
    return label(lang, "warning_count", count=count)


def assert_carries_unread_sheet(output_format: str, text: str, lang: Lang) -> None:
    """Check that ``text`` shows the unread sheet where readers of its format look."""
    if output_format == "github":
        lines = text.splitlines()
        (index,) = [n for n, line in enumerate(lines) if f"title=qcheck%3A {UNREAD}::" in line]
        level, properties, message = parse_command(lines[index])
        assert (level, properties["file"]) == ("warning", WORKBOOK)
        assert "县区" in message
        notice = next(n for n, line in enumerate(lines) if line.startswith("::notice"))
        assert index < notice
        assert warning_count(lang) in lines[notice]
    elif output_format == "sarif":
        (found,) = [r for r in check_sarif(text) if r["ruleId"] == UNREAD]
        assert (found["kind"], found["level"]) == ("fail", "warning")
        (location,) = found["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == WORKBOOK
        assert found["properties"] == {"sheet": "全市"}
        assert "县区" in found["message"]["text"]
    elif output_format == "codequality":
        (found,) = [i for i in check_codequality(text) if i["check_name"] == UNREAD]
        assert (found["severity"], found["location"]["path"]) == ("minor", WORKBOOK)
        assert "县区" in found["description"]
        assert "全市" in found["description"]  # the sheet read: a location names the file alone
    elif output_format == "junit":
        xml = JUnitXml.fromstring(text)
        (suite,) = [s for s in xml if s.name.startswith(WORKBOOK)]
        (case,) = [c for c in suite if c.name == label(lang, "input_warnings")]
        (skipped,) = case.result
        assert isinstance(skipped, Skipped)
        assert skipped.message.startswith(warning_count(lang))
        assert UNREAD in skipped.message
        assert UNREAD in case.system_out
        # Warnings alone never fail a test: only targets not met do.
        assert (suite.failures, suite.errors) == (0, 0)
    elif output_format == "markdown":
        assert label(lang, "with_warnings", summary="", count=1) in text
        assert f"**⚠️ {label(lang, 'input_warnings')}**" in text
        (line,) = [line for line in text.splitlines() if f"`{UNREAD}`" in line]
        assert line.startswith(f"| {WORKBOOK}")
        assert "县区" in line
    elif output_format == "table":
        assert label(lang, "warnings_elsewhere", count=1) in text
    elif output_format == "html":
        parts = [
            p for p in parse(text).find_all("section", class_="report") if WORKBOOK in p.text()
        ]
        (part,) = parts or parse(text).find_all("section", class_="report")
        assert label(lang, "with_warnings", summary="", count=1) in part.text()
        (details,) = part.find_all("details", class_="problems")
        assert warning_count(lang) in details.elements()[0].text()
        (listed,) = [tr.text() for tr in details.find_all("tr") if UNREAD in tr.text()]
        assert listed.startswith(WORKBOOK)
        assert "县区" in listed
    elif output_format == "xlsx":
        assert label(lang, "with_warnings", summary="", count=1) in text
        problems = text.split(f"[{label(lang, 'xlsx.sheet.problems')}]\n", 1)[1]
        (line,) = [line for line in problems.splitlines() if f"\t{UNREAD}\t" in line]
        assert line.startswith(f"{WORKBOOK}\t全市\t")
        assert "县区" in line
    elif output_format == "csv":
        warning = label(lang, "warning")
        rows = [r for r in csv_records(text, lang) if r["status"] == warning]
        (row,) = [r for r in rows if r["source"] == WORKBOOK]
        assert (row["id"], row["sheet"], row["year"]) == (UNREAD, "全市", "2020")
        assert "县区" in row["reason"]
    else:
        (report,) = [r for r in json.loads(text)["reports"] if r["source"] == [WORKBOOK]]
        assert [w["code"] for w in report["warnings"]] == [UNREAD]


def assert_clean(output_format: str, text: str, lang: Lang) -> None:
    """Check that a report without warnings says nothing about warnings."""
    words = [label(lang, "input_warnings"), warning_count(lang), UNREAD]
    words.append(f",{label(lang, 'warning')},")  # a CSV's warning row
    if output_format != "github":  # the GitHub annotation for missing data is a ::warning
        words.append("::warning")
    assert not [word for word in words if word in text]


def evaluate_outputs(*args: str) -> tuple[Result, dict[str, str]]:
    """Run evaluate with an output file of every suffix; return the result and each file."""
    files = {output_format: f"out{suffix}" for suffix, output_format in SUFFIXES.items()}
    outputs = [option for path in files.values() for option in ("-o", path)]
    result = run_cli(["evaluate", *args, *outputs])
    return result, {fmt: shown_text(written(Path(path))) for fmt, path in files.items()}


@pytest.mark.usefixtures("github_actions")  # annotations: as in a step
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_shows_a_sheet_not_read(output_format: str, lang: Lang) -> None:
    two_sheet_workbook()
    result, files = evaluate_outputs(WORKBOOK, "--format", output_format, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert_carries_unread_sheet(output_format, shown_stdout(result), lang)
    for file_format, text in files.items():
        assert_carries_unread_sheet(file_format, text, lang)


@pytest.mark.usefixtures("github_actions")  # annotations: as in a step
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_shows_a_sheet_not_read_in_each_report(output_format: str, lang: Lang) -> None:
    two_sheet_workbook()
    shutil.copy(SAMPLES / "report-2020-all-met.csv", CLEAN)
    args = [WORKBOOK, CLEAN, "--each", "--format", output_format, "--lang", lang]
    result, files = evaluate_outputs(*args)
    assert result.exit_code == 0, result.output
    for file_format, text in [(output_format, shown_stdout(result)), *files.items()]:
        assert_carries_unread_sheet(file_format, text, lang)
    # The clean report alone says nothing of warnings: they belong to the workbook.
    alone, clean_files = evaluate_outputs(CLEAN, "--format", output_format, "--lang", lang)
    for file_format, text in [(output_format, shown_stdout(alone)), *clean_files.items()]:
        assert_clean(file_format, text, lang)


def test_junit_counts_the_warnings_case_as_skipped_not_failed() -> None:
    two_sheet_workbook()
    xml = JUnitXml.fromstring(run_cli(["evaluate", WORKBOOK, "--format", "junit"]).stdout)
    (suite,) = xml
    assert (suite.tests, suite.failures, suite.errors) == (len(CATALOGUE.targets) + 1, 0, 0)
    missing = sum(
        case.name != label("en", "input_warnings") and bool(case.result) for case in suite
    )
    assert suite.skipped == missing + 1


def test_strict_still_refuses_the_workbook() -> None:
    two_sheet_workbook()
    result = run_cli(["evaluate", WORKBOOK, "--strict", "--format", "junit"])
    assert result.exit_code == 2
    (suite,) = JUnitXml.fromstring(result.stdout)
    assert suite.failures == 1  # validate's document: the warning fails under --strict


@pytest.mark.usefixtures("github_actions")  # annotations: as in a step
def test_a_row_no_rule_reads_is_a_warning_in_every_format() -> None:
    # A county's figure for a target judged on the city-wide figure is read by no rule.
    Path("report.csv").write_text(
        "指标,年份,地区,数值\n食品安全抽检合格率,2020,全市,97\n食品安全抽检合格率,2020,甘州区,93\n",
        encoding="utf-8",
    )
    for output_format in ("github", "sarif", "csv", "markdown"):
        text = run_cli(["evaluate", "report.csv", "--format", output_format]).stdout
        assert "unused-row" in text, output_format
    github = run_cli(["evaluate", "report.csv", "--format", "github"]).stdout
    (line,) = [line for line in github.splitlines() if "unused-row" in line]
    assert line.startswith("::warning file=report.csv,line=3,title=qcheck%3A unused-row::")


# ---- hand-built reports ---------------------------------------------------------------------


def fraction(row: int) -> Problem:
    return Problem.of(
        "looks-like-fraction", source="a.csv", row=row, column="数值", value="0.95", percent="95"
    )


def report(problems: int, omitted: int = 0) -> Report:
    return evaluate(
        catalogue=CATALOGUE,
        measurements=[],
        year=2020,
        sources=("a.csv",),
        problems=[fraction(row) for row in range(2, 2 + problems)],
        omitted_problems=omitted,
    )


def render(output_format: str, built: Report, *, lang: Lang = "en", limit: int = 100) -> str:
    return shown_text(renderer_for(output_format, lang=lang).render([built], limit=limit))


def test_the_summary_counts_every_warning_and_lists_at_most_the_limit() -> None:
    from qcheck.renderers.base import input_warnings

    built = report(5, omitted=10)
    warnings = input_warnings(built, 2)
    assert ([p.row for p in warnings.shown], warnings.more, warnings.count) == ([2, 3], 13, 15)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_github_lists_the_warnings_up_to_the_limit(lang: Lang) -> None:
    lines = render("github", report(5, omitted=10), lang=lang, limit=2).splitlines()
    commands = [parse_command(line) for line in lines]
    assert commands[0] == (
        "warning",
        {"file": "a.csv", "line": "2", "title": "qcheck: looks-like-fraction"},
        f"数值: {fraction(2).detail(lang)}",
    )
    assert commands[1][1]["line"] == "3"
    # Named by its inputs, not pinned on the first file as if it were a finding there.
    assert commands[2] == (
        "warning",
        {"title": "qcheck"},
        f"a.csv: {label(lang, 'more', count=13)}",
    )
    # The report's counts are the first notice (its 20 missing targets pass GitHub's cap of 10
    # warnings, so a notice saying how many more follows it).
    notices = [message for level, _, message in commands if level == "notice"]
    assert notices[0].endswith(label(lang, "with_warnings", summary="", count=15))


def test_sarif_lists_the_warnings_and_says_how_many_more() -> None:
    log = render("sarif", report(3, omitted=1), limit=2)
    results = check_sarif(log)
    warnings = [r for r in results if r["ruleId"] == "looks-like-fraction"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in warnings] == [
        2,
        3,
    ]
    assert {(r["kind"], r["level"]) for r in warnings} == {("fail", "warning")}
    (invocation,) = json.loads(log)["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == f"a.csv: {label('en', 'more', count=2)}"
    assert "invocations" not in json.loads(render("sarif", report(3), limit=3))["runs"][0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_says_warnings_in_its_summary_line(lang: Lang) -> None:
    text = render("markdown", report(3), lang=lang, limit=2)
    summary = label(lang, "summary", total=27, passed=0, failed=0, missing=27)
    assert f"**{label(lang, 'with_warnings', summary=summary, count=3)}**" in text
    rows = [line for line in text.splitlines() if "`looks-like-fraction`" in line]
    assert rows == [
        f"| {fraction(row).location(lang)} | `looks-like-fraction` | {fraction(row).detail(lang)} |"
        for row in (2, 3)
    ]
    assert label(lang, "more", count=1) in text


def test_junit_lists_the_warnings_in_a_skipped_case() -> None:
    xml = JUnitXml.fromstring(render("junit", report(3, omitted=4), lang="zh", limit=2))
    (suite,) = xml
    (case,) = [c for c in suite if c.classname == "qcheck.input"]
    assert case.name == "输入警告"
    (skipped,) = case.result
    assert skipped.message == f"输入有7条警告；第一条：{fraction(2).describe('zh')}"
    assert case.system_out.splitlines() == [
        fraction(2).describe("zh"),
        fraction(3).describe("zh"),
        label("zh", "more", count=5),
    ]


def test_csv_has_a_warning_row_per_warning_listed() -> None:
    rows = csv_records(render("csv", report(3), limit=2))
    warnings = [row for row in rows if row["status"] == label("en", "warning")]
    assert [(row["id"], row["reason"]) for row in warnings] == [
        ("looks-like-fraction", fraction(2).describe("en")),
        ("looks-like-fraction", fraction(3).describe("en")),
        ("", label("en", "more", count=1)),
    ]
    assert {row["source"] for row in warnings} == {"a.csv"}
    assert len(rows) == len(CATALOGUE.targets) + 3


def test_table_says_there_are_warnings_under_its_summary() -> None:
    lines = render("table", report(3, omitted=2)).splitlines()
    assert lines[-1] == label("en", "warnings_elsewhere", count=5)
    assert lines[-2] == label("en", "summary", total=27, passed=0, failed=0, missing=27)


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_report_without_warnings_says_none(output_format: str) -> None:
    assert_clean(output_format, render(output_format, report(0)), "en")


def test_json_lists_every_warning_whatever_the_limit() -> None:
    document: dict[str, Any] = json.loads(render("json", report(3, omitted=2), limit=1))
    (built,) = document["reports"]
    assert (len(built["warnings"]), built["warnings_not_listed"]) == (3, 2)
