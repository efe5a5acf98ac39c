"""every_region: each county's figure passes the test (各县区均达到 80%)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qcheck.evaluation import Status, unused_row_problems
from qcheck.i18n import Texts
from qcheck.renderers.base import decisive_origin
from tests.helpers import run_cli
from tests.rules.helpers import REGIONS, document, judge, judged_in, report_of
from tests.rules.regional import (
    YEAR,
    check_refused,
    json_result,
    rows_of,
    run_on,
    six,
    template_regions,
)

# Judged in the plan's due year: before it, a target is on pace or not yet due.
catalogue_of = judged_in(2023)

AT_LEAST_80 = {"kind": "every_region", "test": {"kind": "at_least", "threshold": 80}}
CATALOGUE = catalogue_of(AT_LEAST_80)


def codes(result: Any) -> list[str]:
    return [reason.code for reason in result.reasons]


def test_every_county_on_the_line_meets_it_and_the_weakest_is_shown() -> None:
    result = judge(CATALOGUE, *rows_of(six(90, 80, 85, 99, 81, 80.5)), year=YEAR)
    assert result.status is Status.PASS
    assert (result.value, result.value_region, result.gap) == (Decimal(80), "linze", Decimal(0))
    assert result.failed_regions == ()
    assert len(result.observations) == 6
    assert Texts("en", CATALOGUE).reasons(result) == "2023: 6 of 6 regions met"


def test_one_county_just_under_the_line_fails_it_naming_the_county() -> None:
    result = judge(CATALOGUE, *rows_of(six(90, 79.99, 85, 99, 81, 80)), year=YEAR)
    assert result.status is Status.FAIL
    assert result.failed_regions == ("linze",)
    assert (result.value, result.value_region) == (Decimal("79.99"), "linze")
    assert result.gap == Decimal("-0.01")
    texts = Texts("en", CATALOGUE)
    assert texts.result_value(result) == "79.99% (Linze)"
    assert texts.reasons(result) == "2023: 5 of 6 regions met; not met in Linze 79.99%"


def test_every_county_just_over_the_line_meets_it() -> None:
    result = judge(CATALOGUE, *rows_of(six(*["80.01"] * 6)), year=YEAR)
    assert (result.status, result.value, result.value_region) == (
        Status.PASS,
        Decimal("80.01"),
        "ganzhou",
    )


def test_the_worst_failing_county_is_shown_and_every_failing_one_named() -> None:
    result = judge(CATALOGUE, *rows_of(six(90, 79, 60, 99, 81, 70)), year=YEAR)
    assert result.status is Status.FAIL
    assert result.failed_regions == ("linze", "gaotai", "sunan")
    assert (result.value, result.value_region, result.gap) == (Decimal(60), "gaotai", Decimal(-20))
    assert Texts("zh", CATALOGUE).reasons(result) == (
        "2023年6个县区中3个达标；未达标：临泽县 79%、高台县 60%、肃南县 70%"
    )


def test_a_failing_county_fails_it_even_with_another_absent() -> None:
    figures = six(90, 79, 85, 99, 81, 80)
    del figures["minle"]
    result = judge(CATALOGUE, *rows_of(figures), year=YEAR)
    assert result.status is Status.FAIL
    assert codes(result) == ["regions-passed", "regions-failed", "regions-missing"]
    assert Texts("en", CATALOGUE).reasons(result) == (
        "2023: 4 of 6 regions met; not met in Linze 79%; 2023: no value from Minle"
    )


def test_an_absent_county_with_the_others_met_is_missing_naming_it() -> None:
    figures = six(90, 80, 85, 99, 81, 80)
    del figures["sunan"], figures["gaotai"]
    result = judge(CATALOGUE, *rows_of(figures), year=YEAR)
    assert result.status is Status.MISSING
    assert result.value is None
    assert result.reasons[-1].params == {"year": YEAR, "regions": ("gaotai", "sunan")}
    assert len(result.observations) == 4  # the counties given are used, not left unread


def test_no_county_at_all_is_missing_naming_every_county() -> None:
    result = judge(CATALOGUE, year=YEAR)
    assert result.status is Status.MISSING
    assert codes(result) == ["regions-missing"]  # not "0 of 6 met", which reads as failing
    assert result.reasons[-1].params["regions"] == REGIONS


def test_a_city_wide_row_is_no_countys_figure() -> None:
    figures = {None: 95, **six(90, 80, 85, 99, 81, None)}
    report = report_of(CATALOGUE, *rows_of(figures), year=YEAR)
    (result,) = report.results
    assert result.status is Status.MISSING
    assert result.reasons[-1].params["regions"] == ("sunan",)
    assert all(obs.region is not None for obs in result.observations)
    (problem,), _ = unused_row_problems(report)
    assert problem.hint is not None
    assert "a city-wide figure for a target judged on" in problem.hint
    assert problem.hint_zh is not None
    assert "填写了全市数据" in problem.hint_zh


def test_a_city_wide_row_alone_is_missing_naming_every_county() -> None:
    result = judge(CATALOGUE, *rows_of({None: 95}), year=YEAR)
    assert result.status is Status.MISSING
    assert result.reasons[-1].params["regions"] == REGIONS


def test_at_most_shows_the_highest_county() -> None:
    catalogue = catalogue_of({"kind": "every_region", "test": {"kind": "at_most", "threshold": 5}})
    passing = judge(catalogue, *rows_of(six(1, 5, 2, 0, 3, 4.5)), year=YEAR)
    assert (passing.status, passing.value, passing.value_region) == (Status.PASS, 5, "linze")
    failing = judge(catalogue, *rows_of(six(1, 5.01, 2, 9, 3, 4.5)), year=YEAR)
    assert (failing.status, failing.value, failing.value_region) == (Status.FAIL, 9, "shandan")
    assert failing.failed_regions == ("linze", "shandan")


def test_equals_fails_on_either_side() -> None:
    catalogue = catalogue_of({"kind": "every_region", "test": {"kind": "equals", "threshold": 100}})
    assert judge(catalogue, *rows_of(six(*[100] * 6)), year=YEAR).status is Status.PASS
    result = judge(catalogue, *rows_of(six(100, 99.5, 100, 100, 100, 100)), year=YEAR)
    assert (result.status, result.failed_regions) == (Status.FAIL, ("linze",))


ACHIEVED = {"kind": "every_region", "test": {"kind": "achieved"}}


def test_achieved_in_every_county() -> None:
    catalogue = catalogue_of(ACHIEVED, unit=None)
    met = judge(catalogue, *rows_of(six(*["是"] * 6)), year=YEAR)
    assert (met.status, met.value, met.value_region) == (Status.PASS, True, None)
    result = judge(catalogue, *rows_of(six("是", "否", "达到", "是", "未达到", "是")), year=YEAR)
    assert (result.status, result.value) == (Status.FAIL, False)
    assert result.failed_regions == ("linze", "minle")
    texts = Texts("zh", catalogue)
    assert texts.rule(catalogue.targets[0]) == "6个县区均达到"
    assert texts.result_value(result) == "未达到（临泽县）"  # the first failing
    assert result.value_region == "linze"
    assert texts.reasons(result) == "2023年6个县区中4个达标；未达标：临泽县、民乐县"


def test_named_regions_only_are_counted() -> None:
    rule = {**AT_LEAST_80, "regions": ["ganzhou", "linze"]}
    catalogue = catalogue_of(rule)
    report = report_of(catalogue, *rows_of(six(90, 80, 10, 10, 10, 10)), year=YEAR)
    (result,) = report.results
    assert (result.status, result.value_region) == (Status.PASS, "linze")
    assert Texts("en", catalogue).rule(catalogue.targets[0]) == "each of 2 regions ≥80%"
    assert report.unused_this_year == 4  # the other counties' rows are pointed out


def test_before_its_period_it_is_not_yet_due() -> None:
    catalogue = catalogue_of({**AT_LEAST_80, "first_year": 2024}, target_year=2025)
    result = judge(catalogue, *rows_of(six(*[10] * 6)), year=YEAR)
    assert result.status is Status.NOT_DUE


def test_after_its_period_it_judges_its_last_year_and_says_so() -> None:
    catalogue = catalogue_of({**AT_LEAST_80, "last_year": 2022})
    result = judge(catalogue, *rows_of(six(*[90] * 6), year=2022), year=YEAR)
    assert (result.status, result.value_year) == (Status.PASS, 2022)
    assert Texts("en", catalogue).result_value(result) == "90% (Ganzhou, 2022)"


def test_the_decisive_row_is_the_shown_countys() -> None:
    report = report_of(CATALOGUE, *rows_of(six(90, 80, 70, 99, 81, 80)), year=YEAR)
    origin = decisive_origin(report.results[0])
    assert origin is not None
    assert origin.row == 4


figure = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))


@settings(max_examples=60, deadline=None)
@given(st.lists(figure, min_size=6, max_size=6))
def test_the_verdict_is_a_plain_count(values: list[Decimal | None]) -> None:
    figures: dict[str | None, Decimal] = {
        r: v for r, v in zip(REGIONS, values, strict=True) if v is not None
    }
    result = judge(CATALOGUE, *rows_of(figures), year=YEAR)
    failing = [r for r, v in figures.items() if v < 80]
    expected = Status.FAIL if failing else Status.MISSING if len(figures) < 6 else Status.PASS
    assert result.status is expected
    assert result.failed_regions == tuple(failing)
    if expected is not Status.MISSING:
        weakest = min(figures.values())
        assert result.value == weakest
        assert result.value_region is not None
        assert figures[result.value_region] == weakest


@pytest.mark.parametrize(
    ("rule", "unit", "said"),
    [
        (
            {**AT_LEAST_80, "regions": ["ganzhou", "nowhere"]},
            "%",
            "target 't': regions: unknown region 'nowhere'",
        ),
        (
            {**AT_LEAST_80, "regions": ["ganzhou", "linze", "ganzhou"]},
            "%",
            "target 't': regions: 'ganzhou' is named twice",
        ),
        (
            {
                "kind": "every_region",
                "test": {"kind": "at_least", "threshold": 80, "years": "every"},
            },
            "%",
            "target 't': the test of a regional rule takes no 'years'",
        ),
        (
            {
                "kind": "every_region",
                "test": {"kind": "at_least", "threshold": 80, "region": "linze"},
            },
            "%",
            "target 't': the test of a regional rule takes no 'region'",
        ),
        (
            {"kind": "every_region", "test": {"kind": "at_least", "threshold": 800}},
            "%",
            "target 't': threshold is 800, outside the range of its unit '%'",
        ),
        ({"kind": "every_region"}, "%", "rule.test"),
        (
            {"kind": "every_region", "test": {"kind": "decrease", "baseline_year": 2020}},
            "%",
            "rule.test",
        ),
        ({**AT_LEAST_80, "region": "linze"}, "%", "rule.region"),
        (ACHIEVED, "%", "a qualitative target has no unit"),
        (AT_LEAST_80, None, "a every_region target needs a unit"),
    ],
    ids=[
        "unknown region",
        "region twice",
        "years on the test",
        "region on the test",
        "threshold beyond its unit",
        "no test",
        "a test of two figures",
        "a region on the rule",
        "achieved with a unit",
        "threshold without a unit",
    ],
)
def test_a_bad_definition_is_refused_naming_target_and_field(
    in_tmp: Path, rule: dict[str, Any], unit: str | None, said: str
) -> None:
    english, chinese = check_refused(rule, unit=unit)
    assert said in english
    assert "[invalid-targets]" in chinese


def test_a_bad_definition_is_refused_in_chinese(in_tmp: Path) -> None:
    _, chinese = check_refused({**AT_LEAST_80, "regions": ["nowhere"]})
    assert "目标 't'：regions 中有未知县区 'nowhere'" in chinese
    _, chinese = check_refused({**AT_LEAST_80, "regions": ["linze", "linze"]})
    assert "目标 't'：regions 中 'linze' 出现了两次" in chinese


def test_no_regions_in_the_catalogue_is_refused(in_tmp: Path) -> None:
    text = yaml.safe_dump({**document(AT_LEAST_80), "regions": []})
    Path("t.yaml").write_text(text, encoding="utf-8")
    result = run_cli(["targets", "--check", "t.yaml", "--lang", "zh"])
    assert result.exit_code == 2
    assert "目标 't' 读取各县区的数据，但未定义任何县区（regions）" in result.stderr


def test_json_carries_the_failing_counties_and_the_rule_facts(in_tmp: Path) -> None:
    found = json_result(AT_LEAST_80, six(90, 79.5, 85, 99, 81, None))
    assert found["status"] == "fail"
    assert (found["rule"], found["threshold"], found["value"], found["gap"]) == (
        "every_region",
        80,
        79.5,
        -0.5,
    )
    assert found["failed_regions"] == ["linze"]
    assert found["rule_facts"] == {"test": "at_least", "threshold": 80, "regions": None}
    assert found["reasons"] == [
        {"code": "regions-passed", "year": YEAR, "passed": 4, "count": 6},
        {"code": "regions-failed", "year": YEAR, "regions": ["linze"], "figures": [79.5]},
        {"code": "regions-missing", "year": YEAR, "regions": ["sunan"]},
    ]
    assert {obs["region"] for obs in found["observations"]} == set(REGIONS) - {"sunan"}


def test_the_table_at_80_columns_names_the_weakest_county(in_tmp: Path) -> None:
    result = run_on(AT_LEAST_80, six(90, 79.5, 85, 99, 81, 80), columns=80)
    assert result.exit_code == 1
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("Test indicator")]
    assert "each of 6 regions ≥80%" in row
    assert "79.5% (Linze)" in row
    assert "-0.5 pp" in row
    assert "✘ not met" in row
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_the_table_in_chinese(in_tmp: Path) -> None:
    result = run_on(AT_LEAST_80, six(90, 79.5, 85, 99, 81, 80), "--lang", "zh", columns=80)
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("测试指标")]
    assert "6个县区均≥80%" in row
    assert "79.5%（临泽县）" in row
    assert "2023年6个县区中5个达标；未达标：临泽县 79.5%" in result.stdout


def test_markdown_names_the_weakest_county(in_tmp: Path) -> None:
    result = run_on(AT_LEAST_80, six(90, 79.5, 85, 99, 81, 80), "--format", "markdown")
    assert "79.5% (Linze)" in result.stdout


def test_the_city_wide_row_is_pointed_out_as_what_it_is(in_tmp: Path) -> None:
    result = run_on(AT_LEAST_80, {None: 95, **six(90, 80, 85, 99, 81, 80)})
    assert result.exit_code == 0
    assert (
        "city-wide (a city-wide figure for a target judged on counties' figures)" in result.stderr
    )
    assert "a county's figure" not in result.stderr


def test_the_template_asks_for_each_county_and_no_city_wide_row(in_tmp: Path) -> None:
    names = ["Ganzhou", "Linze", "Gaotai", "Shandan", "Minle", "Sunan"]
    assert template_regions(AT_LEAST_80) == names
    assert template_regions({**AT_LEAST_80, "regions": ["minle", "linze"]}) == ["Minle", "Linze"]


@pytest.mark.usefixtures("github_actions")  # annotations: as in a step
def test_a_github_annotation_points_at_the_failing_countys_row(in_tmp: Path) -> None:
    result = run_on(
        ACHIEVED, six("是", "是", "否", "是", "是", "是"), "--format", "github", unit=None
    )
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert line.startswith("::error file=r.csv,line=4,")  # 高台县, the third row


ANSWER_OR_80 = {
    "kind": "every_region",
    "test": {"kind": "at_least", "threshold": 80, "answer_accepted": True},
}


def test_a_threshold_taking_an_answer_takes_it_from_each_county() -> None:
    catalogue = catalogue_of(ANSWER_OR_80)
    met = judge(catalogue, *rows_of(six("达到", 90, "达到", 80, "是", 85)), year=YEAR)
    assert (met.status, met.failed_regions, len(met.observations)) == (Status.PASS, (), 6)
    failed = judge(catalogue, *rows_of(six("达到", 90, "未达到", 80, "是", 85)), year=YEAR)
    assert (failed.status, failed.failed_regions) == (Status.FAIL, ("gaotai",))


def test_a_county_answering_met_is_accepted_on_the_command_line(in_tmp: Path) -> None:
    result = run_on(ANSWER_OR_80, six("达到", 90, "达到", 80, "达到", 85))
    assert result.exit_code == 0, result.output


def test_a_milestone_after_the_rules_last_year_is_refused(in_tmp: Path) -> None:
    rule = {
        "kind": "every_region",
        "last_year": 2024,
        "test": {"kind": "milestone", "thresholds": {2025: 90}},
    }
    english, chinese = check_refused(rule)
    assert "target 't': thresholds: the year 2025 is outside the rule's period 2021–2024" in english
    assert "目标 't'：thresholds 中的 2025 年不在该规则的考核期 2021–2024 之内" in chinese


def test_a_milestone_inside_the_rules_period_is_judged_against_its_line() -> None:
    rule = {
        "kind": "every_region",
        "first_year": 2022,
        "last_year": 2024,
        "test": {"kind": "milestone", "thresholds": {2022: 70, 2024: 90}},
    }
    result = judge(catalogue_of(rule, target_year=2025), *rows_of(six(*[80] * 6)), year=YEAR)
    assert (result.status, result.value) == (Status.PASS, Decimal(80))
