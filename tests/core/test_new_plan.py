"""A new plan's own targets file, end to end: its template, schema, places, years and units."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import Result

from qcheck.loaders.targets import load_catalogue, parse_targets
from qcheck.names import normalize_name
from tests.helpers import run_cli

# A 2021–2025 plan of four counties of its own, with no 全市 among its city-wide words.
PLAN = """\
plan:
  title: 某市质量提升行动方案（2021—2025年）
  city_zh: 某市
  city_en: Moushi
  start_year: 2021
  target_year: 2025
city_aliases: [本市]
areas:
  - {id: q, name_zh: 质量, name_en: Quality}
units:
  - {id: "%", name_zh: "%", name_en: "%", minimum: 0, maximum: 100}
  - id: ratio
    name_zh: 比例
    name_en: ratio
    minimum: 0
    maximum: 1
    converts: {to: "%", factor: 100}
regions:
  - {id: jia, name_zh: 甲县, name_en: Jia County}
  - {id: yi, name_zh: 乙县, name_en: Yi County}
  - {id: bing, name_zh: 丙区, name_en: Bing District}
  - {id: ding, name_zh: 丁区, name_en: Ding District}
targets:
  - id: rate
    name_zh: 合格率
    name_en: Pass rate
    area: q
    unit: "%"
    rule: {kind: at_least, threshold: 90}
    source: {clause: 一, text: 合格率达到90%以上}
  - id: share
    name_zh: 占比
    name_en: Share
    area: q
    unit: ratio
    rule: {kind: at_least, threshold: 0.5}
    source: {clause: 二, text: 占比达到0.5}
  - id: mean
    name_zh: 平均率
    name_en: Mean rate
    area: q
    unit: "%"
    rule: {kind: mean_of_regions, test: {kind: at_least, threshold: 80}}
    source: {clause: 三, text: 四县区平均达到80%}
"""


@pytest.fixture
def plan(tmp_path: Path) -> str:
    """Write the plan's targets file; return its path."""
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def filled(template: str, values: dict[str, str]) -> str:
    """Fill in a CSV template's value column, by the indicator's name."""
    rows = list(csv.reader(io.StringIO(template)))
    for row in rows[1:]:
        row[3] = values[row[0]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def evaluate(plan: str, report: Path, *args: str) -> Result:
    """Run ``qcheck evaluate`` on a report under the plan, as JSON unless told otherwise."""
    return run_cli(["evaluate", str(report), "--targets", plan, "--format", "json", *args])


def verdicts(result: Result) -> dict[str, str]:
    """Return each target's status from ``qcheck evaluate --format json``."""
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return {item["id"]: item["status"] for item in document["reports"][0]["results"]}


# ---- the template's city-wide word is one the plan accepts -----------------------------------


@pytest.mark.parametrize(("lang", "word"), [("en", "Moushi"), ("zh", "某市")])
def test_the_template_of_a_new_plan_round_trips(
    plan: str, tmp_path: Path, lang: str, word: str
) -> None:
    template = run_cli(["template", "--targets", plan, "--lang", lang])
    assert template.exit_code == 0, template.output
    regions = [row[2] for row in csv.reader(io.StringIO(template.stdout))][1:]
    assert regions[:2] == [word, word]
    names = {"en": ("Pass rate", "Share", "Mean rate"), "zh": ("合格率", "占比", "平均率")}[lang]
    report = tmp_path / "r.csv"
    values = dict(zip(names, ("95", "0.8", "85"), strict=True))
    report.write_text(filled(template.stdout, values), encoding="utf-8")
    assert verdicts(evaluate(plan, report)) == {"rate": "pass", "share": "pass", "mean": "pass"}


def test_the_default_catalogue_keeps_its_word_for_city_wide() -> None:
    from qcheck.places import city_word

    catalogue = load_catalogue()
    assert (city_word(catalogue, "zh"), city_word(catalogue, "en")) == ("全市", "city-wide")


def test_a_region_named_like_the_city_word_is_no_city_wide_word(plan: str) -> None:
    text = PLAN.replace(
        "{id: ding, name_zh: 丁区, name_en: Ding District}",
        "{id: ding, name_zh: 丁区, name_en: Ding District, aliases: [city-wide]}",
    )
    catalogue = parse_targets(text, source="plan.yaml")
    from qcheck.places import city_word

    assert city_word(catalogue, "en") == "Moushi"


def test_an_unknown_region_is_explained_with_the_plans_own_places(
    plan: str, tmp_path: Path
) -> None:
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,region,value\nrate,2025,city-wide,95\n", encoding="utf-8")
    english = run_cli(["evaluate", str(report), "--targets", plan, "--lang", "en"])
    assert english.exit_code == 2
    said = english.stderr
    assert (
        "use one of the 4 counties/districts (Jia County, Yi County, Bing District, Ding " in said
    )
    assert "leave it empty or write Moushi)" in said
    assert "six" not in said
    chinese = run_cli(["evaluate", str(report), "--targets", plan, "--lang", "zh"])
    said = chinese.stderr
    assert "请填写以下4个县区之一：甲县、乙县、丙区、丁区；全市数据请留空或填“本市”、“某市”" in said
    assert "六县区" not in said
    assert "全市”" not in said


def test_a_county_row_for_a_city_wide_target_says_the_plans_city_word(
    plan: str, tmp_path: Path
) -> None:
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,region,value\nrate,2025,,95\nrate,2025,甲县,95\n", "utf-8")
    result = run_cli(["evaluate", str(report), "--targets", plan, "--strict", "--lang", "zh"])
    assert result.exit_code == 2
    assert "[unused-row]" in result.stderr
    assert "县区一栏留空或填“某市”" in result.stderr


# ---- the schema of a report lists what the loader accepts ------------------------------------


def test_the_schema_of_a_report_lists_the_plans_places(plan: str) -> None:
    result = run_cli(["schema", "measurements", "--targets", plan])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    region = document["$defs"]["Row"]["properties"]["region"]
    names = set(region["anyOf"][0]["enum"])
    assert {"jia", "甲县", "Jia County", "某市", "Moushi", "本市"} <= names
    assert "张掖" not in region["description"]
    assert "本市, 某市, Moushi" in region["description"]
    accepted = load_catalogue(plan).region_names.as_mapping()
    assert all(normalize_name(name) in accepted for name in names)


# ---- years outside the plan --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "words"),
    [("2019", "the plan runs from 2021; 2019 is before it"), ("2030", "2030 is after it")],
)
def test_the_template_refuses_a_year_outside_the_plan(plan: str, year: str, words: str) -> None:
    template = run_cli(["template", "--targets", plan, "--year", year, "--lang", "en"])
    assert template.exit_code == 2
    assert words in template.stderr
    assert template.stdout == ""
    evaluate = run_cli(["evaluate", "-", "--targets", plan, "--year", year, "--lang", "en"])
    assert words in evaluate.stderr


@pytest.mark.parametrize("command", ["template", "evaluate"])
def test_the_help_says_the_default_year_is_the_plans(command: str) -> None:
    result = run_cli([command, "--help"], COLUMNS="300")
    assert "Default: 2020" not in result.stdout
    assert "Default: the plan's target year" in " ".join(result.stdout.split())
    from qcheck.cli.options import YEAR_DEFAULT

    year = load_catalogue().plan.target_year
    assert f"({year} in the built-in catalogue)" in YEAR_DEFAULT


# ---- a target measured in a unit that converts -------------------------------------------------


def test_a_target_in_a_converting_unit_is_judged_on_its_figures_as_written(
    plan: str, tmp_path: Path
) -> None:
    report = tmp_path / "r.csv"
    lines = ["indicator,year,region,value,unit", "share,2025,,0.4,ratio", "share,2024,,0.6,"]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = json.loads(evaluate(plan, report, "--lang", "en").stdout)
    (share,) = [r for r in document["reports"][0]["results"] if r["id"] == "share"]
    assert (share["status"], share["value"]) == ("fail", 0.4)
    assert not [w for w in document["reports"][0]["warnings"] if w["code"] == "unit-converted"]
    # 2024 is before the 2025 due year: a figure meeting the line already is on track.
    assert verdicts(evaluate(plan, report, "--year", "2024"))["share"] == "on_track"


def test_a_ratio_written_for_a_percentage_target_is_still_converted(
    plan: str, tmp_path: Path
) -> None:
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,region,value,unit\nrate,2025,,0.95,ratio\n", "utf-8")
    document = json.loads(evaluate(plan, report).stdout)
    (rate,) = [r for r in document["reports"][0]["results"] if r["id"] == "rate"]
    assert (rate["status"], rate["value"]) == ("pass", 95)
    assert [w["code"] for w in document["reports"][0]["warnings"]] == ["unit-converted"]


# ---- every problem of a targets file, in the user's language -----------------------------------


def _check(tmp_path: Path, text: str, lang: str) -> Result:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return run_cli(["targets", "--check", str(path), "--lang", lang])


TWO_BAD = PLAN.replace(
    "rule: {kind: at_least, threshold: 90}",
    "rule: {kind: at_least, threshold: 90, first_year: 2024, last_year: 2023}",
).replace(
    "rule: {kind: at_least, threshold: 0.5}",
    "rule: {kind: at_least, threshold: 0.5, first_year: 2025, last_year: 2022}",
)


def test_targets_check_reports_every_targets_problem(tmp_path: Path) -> None:
    result = _check(tmp_path, TWO_BAD, "en")
    assert result.exit_code == 2
    assert "column 'targets.0(rate)'" in result.stderr
    assert "target 'rate': first_year 2024 is after last_year 2023" in result.stderr
    assert "target 'share': first_year 2025 is after last_year 2022" in result.stderr
    assert "Value error" not in result.stderr
    assert "2 problem(s)" in result.stderr


def test_targets_check_reports_every_targets_problem_in_chinese(tmp_path: Path) -> None:
    result = _check(tmp_path, TWO_BAD, "zh")
    assert result.exit_code == 2
    assert "目标 'rate'：first_year 2024 晚于 last_year 2023" in result.stderr
    assert "目标 'share'：first_year 2025 晚于 last_year 2022" in result.stderr
    assert "is after" not in result.stderr


def test_a_rules_field_is_named_without_its_kind(tmp_path: Path) -> None:
    text = PLAN.replace(
        "rule: {kind: at_least, threshold: 90}", "rule: {kind: at_least, threshold: high}"
    )
    result = _check(tmp_path, text, "en")
    assert "column 'targets.0(rate).rule.threshold'" in result.stderr
    nested = PLAN.replace(
        "test: {kind: at_least, threshold: 80}", "test: {kind: at_least, threshold: x}"
    )
    result = _check(tmp_path, nested, "en")
    assert "column 'targets.2(mean).rule.test.threshold'" in result.stderr


def test_a_file_whose_only_target_is_refused_says_that_only(tmp_path: Path) -> None:
    head, _ = PLAN.split("targets:\n")
    text = head + "targets:\n  - {id: t, name_zh: 甲, name_en: T, area: q, unit: '%',\n"
    text += "     rule: {kind: at_least, threshold: high}, source: {clause: 一, text: 甲}}\n"
    result = _check(tmp_path, text, "en")
    assert result.exit_code == 2
    assert "1 problem(s)" in result.stderr
    assert "at least 1 item" not in result.stderr
