"""k_of_regions: at least k counties' figures pass the test (六县区中至少 5 个达标)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcheck.evaluation import Result, Status
from qcheck.i18n import Texts
from tests.rules.helpers import REGIONS, judge, judged_in
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

FIVE_AT_80 = {"kind": "k_of_regions", "k": 5, "test": {"kind": "at_least", "threshold": 80}}
CATALOGUE = catalogue_of(FIVE_AT_80)


def of(
    figures: Mapping[str | None, object], rule: dict[str, Any] = FIVE_AT_80, **kw: Any
) -> Result:
    return judge(catalogue_of(rule, **kw), *rows_of(figures), year=YEAR)


def test_exactly_k_passing_meets_it_and_the_kth_best_is_shown() -> None:
    result = of(six(90, 80, 85, 99, 81, 10))
    assert result.status is Status.PASS
    assert (result.value, result.value_region, result.gap) == (Decimal(80), "linze", Decimal(0))
    assert result.failed_regions == ("sunan",)
    texts = Texts("en", CATALOGUE)
    assert texts.result_value(result) == "80% (Linze)"
    assert texts.reasons(result) == "2023: 5 of 6 regions met; not met in Sunan 10%"


def test_k_minus_one_passing_fails_it_naming_those_failing() -> None:
    result = of(six(90, 79.99, 85, 99, 81, 10))
    assert result.status is Status.FAIL
    assert result.failed_regions == ("linze", "sunan")
    # The best of those failing: the figure that would have had to pass.
    assert (result.value, result.value_region, result.gap) == (
        Decimal("79.99"),
        "linze",
        Decimal("-0.01"),
    )
    assert Texts("zh", CATALOGUE).reasons(result) == (
        "2023年6个县区中4个达标；未达标：临泽县 79.99%、肃南县 10%"
    )


def test_k_passing_meets_it_even_with_others_absent_who_are_named() -> None:
    result = of(six(90, 80, 85, 99, 81, None))
    assert (result.status, result.value) == (Status.PASS, Decimal(80))
    assert Texts("en", CATALOGUE).reasons(result) == (
        "2023: 5 of 6 regions met; 2023: no value from Sunan"
    )


def test_too_few_passing_but_enough_absent_is_missing_naming_them() -> None:
    result = of(six(90, None, 85, 99, 81, 10))
    assert result.status is Status.MISSING
    assert result.value is None
    assert result.failed_regions == ("sunan",)
    assert Texts("en", CATALOGUE).reasons(result) == (
        "2023: 4 of 6 regions met; not met in Sunan 10%; 2023: no value from Linze"
    )


def test_too_few_even_counting_the_absent_fails_it() -> None:
    result = of(six(90, None, 85, 99, 70, 10))
    assert result.status is Status.FAIL
    assert result.failed_regions == ("minle", "sunan")
    # Linze absent ranks first, so the fifth is the better of the two failing.
    assert (result.value, result.value_region) == (Decimal(70), "minle")


def test_nothing_reported_is_missing_naming_every_county() -> None:
    result = of({})
    assert result.status is Status.MISSING
    assert [r.code for r in result.reasons] == ["regions-missing"]
    assert result.reasons[0].params["regions"] == REGIONS


def test_k_of_one_is_met_by_a_single_county() -> None:
    rule = {**FIVE_AT_80, "k": 1}
    assert of(six(None, None, 80, None, None, None), rule).status is Status.PASS
    assert of(six(10, 10, 10, 10, 10, 10), rule).status is Status.FAIL
    result = of(six(10, None, 79, 1, 10, 10), rule)
    assert (result.status, result.value_region) == (Status.MISSING, None)


def test_at_most_counts_those_under_the_line() -> None:
    rule = {"kind": "k_of_regions", "k": 2, "test": {"kind": "at_most", "threshold": 5}}
    result = of(six(9, 5, 7, 4, 6, 8), rule)
    # 4 is the best, 5 the second best.
    assert (result.status, result.value, result.value_region) == (Status.PASS, 5, "linze")
    failing = of(six(9, 5.5, 7, 4, 6, 8), rule)
    assert (failing.status, failing.value, failing.value_region) == (
        Status.FAIL,
        Decimal("5.5"),
        "linze",
    )


def test_equals_counts_those_on_the_value() -> None:
    rule = {"kind": "k_of_regions", "k": 3, "test": {"kind": "equals", "threshold": 100}}
    assert of(six(100, 100, 100, 99, 98, 0), rule).status is Status.PASS
    assert of(six(100, 100, 99.9, 100.0, 98, 0), rule).status is Status.PASS
    assert of(six(100, 100, 99.9, 99, 98, 0), rule).status is Status.FAIL


def test_achieved_in_k_counties() -> None:
    rule = {"kind": "k_of_regions", "k": 4, "test": {"kind": "achieved"}}
    met = of(six("是", "否", "达到", "是", "达到", None), rule, unit=None)
    assert (met.status, met.value, met.value_region) == (Status.PASS, True, None)
    failed = of(six("是", "否", "否", "是", "达到", "否"), rule, unit=None)
    assert (failed.status, failed.value, failed.value_region) == (Status.FAIL, False, "linze")
    catalogue = catalogue_of(rule, unit=None)
    texts = Texts("en", catalogue)
    assert texts.rule(catalogue.targets[0]) == "at least 4 of 6 regions met"
    assert texts.reasons(failed) == "2023: 3 of 6 regions met; not met in Linze, Gaotai, Sunan"


def test_named_regions_are_the_n_of_k_of_n() -> None:
    rule = {**FIVE_AT_80, "k": 2, "regions": ["ganzhou", "linze", "sunan"]}
    catalogue = catalogue_of(rule)
    assert Texts("zh", catalogue).rule(catalogue.targets[0]) == "3个县区中至少2个≥80%"
    assert of(six(90, 10, 10, 10, 10, 80), rule).status is Status.PASS
    assert of(six(90, 10, 90, 90, 90, 10), rule).status is Status.FAIL


def test_not_yet_due_before_its_first_year() -> None:
    rule = {**FIVE_AT_80, "first_year": 2024}
    assert of(six(*[90] * 6), rule, target_year=2025).status is Status.NOT_DUE


figure = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1))


@settings(max_examples=80, deadline=None)
@given(st.lists(figure, min_size=6, max_size=6), st.integers(min_value=1, max_value=6))
def test_the_verdict_is_a_plain_count(values: list[Decimal | None], k: int) -> None:
    figures: dict[str | None, Decimal] = {
        r: v for r, v in zip(REGIONS, values, strict=True) if v is not None
    }
    result = of(figures, {**FIVE_AT_80, "k": k})
    passed = sum(v >= 80 for v in figures.values())
    absent = 6 - len(figures)
    if passed >= k:
        expected = Status.PASS
    elif passed + absent < k:
        expected = Status.FAIL
    else:
        expected = Status.MISSING
    assert result.status is expected
    assert result.failed_regions == tuple(r for r, v in figures.items() if v < 80)
    if expected is Status.PASS:
        # The k-th best figure passes, and decides.
        assert result.value == sorted(figures.values(), reverse=True)[k - 1]
    if expected is Status.FAIL:
        assert isinstance(result.value, Decimal)
        assert result.value < 80


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        (
            {**FIVE_AT_80, "k": 7},
            "target 't': k 7 is more than the 6 regions counted, so no report could meet it",
        ),
        (
            {**FIVE_AT_80, "k": 3, "regions": ["ganzhou", "linze"]},
            "target 't': k 3 is more than the 2 regions counted",
        ),
        ({**FIVE_AT_80, "k": 0}, "rule.k"),
        ({**FIVE_AT_80, "k": "five"}, "rule.k"),
        ({**FIVE_AT_80, "k": 2.5}, "rule.k"),
        ({"kind": "k_of_regions", "test": {"kind": "at_least", "threshold": 80}}, "rule.k"),
        ({**FIVE_AT_80, "regions": ["ganzhou", "x"]}, "regions: unknown region 'x'"),
        (
            {**FIVE_AT_80, "test": {"kind": "at_least", "threshold": 80, "years": "every"}},
            "the test of a regional rule takes no 'years'",
        ),
        ({**FIVE_AT_80, "threshold": 80}, "rule.threshold"),
    ],
    ids=[
        "k above six",
        "k above the regions named",
        "k zero",
        "k text",
        "k fraction",
        "no k",
        "unknown region",
        "years on the test",
        "threshold beside the test",
    ],
)
def test_a_bad_definition_is_refused_naming_target_and_field(
    in_tmp: Path, rule: dict[str, Any], said: str
) -> None:
    english, chinese = check_refused(rule)
    assert said in english
    assert "[invalid-targets]" in chinese


def test_k_too_large_is_refused_in_chinese(in_tmp: Path) -> None:
    _, chinese = check_refused({**FIVE_AT_80, "k": 7})
    assert "目标 't'：k 为 7，多于所计的 6 个县区，任何报表都无法达到" in chinese


def test_json_carries_k_and_the_counties(in_tmp: Path) -> None:
    found = json_result(FIVE_AT_80, six(90, 79, 85, 99, 81, None))
    assert (found["status"], found["rule"], found["threshold"]) == ("missing", "k_of_regions", 80)
    assert found["value"] is None
    assert found["rule_facts"] == {"test": "at_least", "threshold": 80, "regions": None, "k": 5}
    assert found["failed_regions"] == ["linze"]
    assert [reason["code"] for reason in found["reasons"]] == [
        "regions-passed",
        "regions-failed",
        "regions-missing",
    ]
    assert found["reason"] == (
        "2023: 4 of 6 regions met; not met in Linze 79%; 2023: no value from Sunan"
    )


def test_the_table_at_80_columns(in_tmp: Path) -> None:
    result = run_on(FIVE_AT_80, six(90, 79, 85, 99, 70, 81), columns=80)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    (row,) = [line for line in lines if line.startswith("Test indicator")]
    assert "79% (Linze)" in row
    assert "-1 pp" in row
    assert "✘ not met" in row
    assert "at least 5 of 6 regions ≥80%" in " ".join(result.stdout.split())


def test_the_table_in_chinese(in_tmp: Path) -> None:
    result = run_on(FIVE_AT_80, six(90, 80, 85, 99, 70, 81), "--lang", "zh", columns=80)
    assert result.exit_code == 0
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("测试指标")]
    assert "6个县区中至少5个≥80%" in row
    assert "80%（临泽县）" in row
    assert "✔ 达标" in row
    assert "2023年6个县区中5个达标；未达标：民乐县 70%" in result.stdout


def test_the_template_asks_for_each_county(in_tmp: Path) -> None:
    assert template_regions(FIVE_AT_80) == [
        "Ganzhou",
        "Linze",
        "Gaotai",
        "Shandan",
        "Minle",
        "Sunan",
    ]


def test_a_threshold_taking_an_answer_counts_a_county_answering_met() -> None:
    test = {"kind": "at_least", "threshold": 80, "answer_accepted": True}
    result = of(six("达到", 70, "达到", 80, "未达到", 85), {**FIVE_AT_80, "k": 4, "test": test})
    assert result.status is Status.PASS
    assert result.failed_regions == ("linze", "minle")


def test_a_milestone_before_the_rules_first_year_is_refused(in_tmp: Path) -> None:
    test = {"kind": "milestone", "thresholds": {2021: 70, 2023: 90}}
    english, _ = check_refused({**FIVE_AT_80, "first_year": 2022, "test": test})
    assert "thresholds: the year 2021 is outside the rule's period 2022–2025" in english
