"""The mean of regions: unweighted or weighted, over all regions or some, with a reported mean."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qcheck.decimals import held
from qcheck.evaluation import Status
from qcheck.i18n import Texts
from qcheck.template import template_rows
from tests.rules.helpers import REGIONS, catalogue_of, judge, report_of
from tests.rules.regional import check_refused, json_result

PASS, FAIL, MISSING = Status.PASS, Status.FAIL, Status.MISSING
AT_LEAST_82 = {"kind": "at_least", "threshold": 82}


def mean(**more: Any) -> dict[str, Any]:
    """Return a mean-of-regions rule of at least 82."""
    return {"kind": "mean_of_regions", "test": AT_LEAST_82, **more}


def rows(*values: str, year: int = 2025) -> list[tuple[str, str, int, str]]:
    """Return a row per region, in order, for the values given."""
    return [("t", value, year, region) for region, value in zip(REGIONS, values, strict=False)]


@pytest.mark.parametrize(("last", "status"), [("82", PASS), ("81.99", FAIL), ("82.01", PASS)])
def test_the_unweighted_mean_on_the_line(last: str, status: Status) -> None:
    result = judge(catalogue_of(mean()), *rows("82", "82", "82", "82", "82", last), year=2025)
    assert result.status is status
    assert result.reasons[0].code == "mean-of-regions"


def test_weights_weigh_the_regions() -> None:
    weights = dict(zip(REGIONS, (5, 1, 1, 1, 1, 1), strict=True))
    catalogue = catalogue_of(mean(weights=weights))
    result = judge(catalogue, *rows("95", "70", "70", "70", "70", "70"), year=2025)
    assert result.value == held(Decimal(95 * 5 + 70 * 5) / 10)
    assert result.status is PASS
    assert result.reasons[0].code == "weighted-mean-of-regions"
    unweighted = judge(catalogue_of(mean()), *rows("95", "70", "70", "70", "70", "70"), year=2025)
    assert unweighted.status is FAIL


def test_a_subset_of_regions_is_averaged_and_others_are_not_asked_for() -> None:
    catalogue = catalogue_of(mean(regions=["ganzhou", "linze"]))
    result = judge(catalogue, ("t", "80", 2025, "ganzhou"), ("t", "84", 2025, "linze"), year=2025)
    assert (result.status, result.value) == (PASS, Decimal(82))
    asked = {row.region for row in template_rows(catalogue=catalogue, year=2025)}
    assert asked == {"ganzhou", "linze"}


def test_an_absent_region_without_a_reported_mean_is_missing_naming_it() -> None:
    result = judge(catalogue_of(mean()), *rows("90", "90", "90", "90", "90"), year=2025)
    assert result.status is MISSING
    (reason,) = result.reasons
    assert reason.params["regions"] == ("sunan",)


def test_a_reported_mean_decides_when_a_region_is_absent_and_says_so() -> None:
    city = ("t", "81", 2025, "全市")
    result = judge(catalogue_of(mean()), *rows("90", "90", "90", "90", "90"), city, year=2025)
    assert (result.status, result.value) == (FAIL, Decimal(81))
    assert [r.code for r in result.reasons] == ["reported-mean-used"]


def test_every_region_reported_decides_over_a_reported_mean_and_a_difference_is_told() -> None:
    city = ("t", "81", 2025, "全市")
    result = judge(catalogue_of(mean()), *rows(*["90"] * 6), city, year=2025)
    assert (result.status, result.value) == (PASS, Decimal(90))
    assert [r.code for r in result.reasons] == ["mean-of-regions", "reported-mean-differs"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (mean(regions=["atlantis"]), "unknown region 'atlantis'"),
        (mean(weights={"ganzhou": 1}), "no weight for 'linze'"),
        (mean(weights=dict.fromkeys(REGIONS, 0)), "weights must be above zero"),
        (mean(test={"kind": "achieved"}), "have no mean"),
        (mean(test={**AT_LEAST_82, "answer_accepted": True}), "have no mean"),
        (mean(regions=["ganzhou", "linze", "ganzhou"]), "regions: 'ganzhou' is named twice"),
        (
            mean(regions=["ganzhou", "linze"], weights={"ganzhou": 1, "linze": 1, "gaotai": 1}),
            "weights: 'gaotai' is not one of the regions averaged",
        ),
        (mean(weights={**dict.fromkeys(REGIONS, 1), "atlantis": 1}), "'atlantis' is not one of"),
        (
            mean(last_year=2024, test={"kind": "milestone", "thresholds": {2025: 90}}),
            "thresholds: the year 2025 is outside the rule's period 2021–2024",
        ),
        (mean(test={**AT_LEAST_82, "region": "ganzhou"}), "takes no 'region'"),
        (mean(test={**AT_LEAST_82, "years": "every"}), "takes no 'years'"),
        (mean(test={"kind": "at_least", "threshold": 182}), "outside the range"),
    ],
)
def test_bad_definitions_are_refused_naming_the_target(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        catalogue_of(rule, unit=None if rule["test"]["kind"] == "achieved" else "%")
    assert "'t'" in str(error.value)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=6, max_size=6),
    weights=st.lists(st.integers(min_value=1, max_value=9), min_size=6, max_size=6),
)
def test_the_weighted_mean_is_the_arithmetic_one(values: list[Decimal], weights: list[int]) -> None:
    catalogue = catalogue_of(mean(weights=dict(zip(REGIONS, weights, strict=True))))
    result = judge(catalogue, *rows(*map(str, values)), year=2025)
    total = sum((w * v for w, v in zip(weights, values, strict=True)), Decimal(0))
    expected = held(total / sum(weights))
    assert result.value == expected
    assert result.status is (PASS if expected >= 82 else FAIL)


def test_a_test_taking_an_answer_is_refused_in_both_languages(in_tmp: Path) -> None:
    english, chinese = check_refused(mean(test={**AT_LEAST_82, "answer_accepted": True}))
    assert "target 't': met / not met answers have no mean" in english
    assert "目标 't'：达到 / 未达到 的回答无法求平均值" in chinese


def test_weights_outside_the_regions_are_refused_in_chinese(in_tmp: Path) -> None:
    rule = mean(regions=["ganzhou", "linze"], weights={"ganzhou": 1, "linze": 1, "sunan": 1})
    _, chinese = check_refused(rule)
    assert "目标 't'：weights 中的 'sunan' 不在求平均的县区（regions）之中" in chinese


SOME = ["ganzhou", "linze"]


def test_a_city_wide_row_is_not_the_mean_of_some_regions_and_says_so() -> None:
    catalogue = catalogue_of(mean(regions=SOME))
    city = ("t", "90", 2025, "全市")
    report = report_of(catalogue, ("t", "84", 2025, "ganzhou"), city, year=2025)
    (result,) = report.results
    assert (result.status, result.value) == (MISSING, None)
    assert [r.code for r in result.reasons] == ["regions-missing", "city-value-not-mean"]
    assert Texts("en", catalogue).reasons(result) == (
        "2025: no value from Linze; 2025: the city-wide figure is not the mean of the 2 regions "
        "averaged, so it is not used"
    )
    assert "全市数据不是所列2个县区的平均值，未采用" in Texts("zh", catalogue).reasons(result)
    assert report.unused_this_year == 1  # the city-wide row is pointed out


def test_a_city_wide_row_beside_some_regions_is_neither_compared_nor_used() -> None:
    catalogue = catalogue_of(mean(regions=SOME))
    rows = (("t", "80", 2025, "ganzhou"), ("t", "84", 2025, "linze"), ("t", "70", 2025, "全市"))
    report = report_of(catalogue, *rows, year=2025)
    (result,) = report.results
    assert (result.status, result.value) == (PASS, Decimal(82))
    assert [r.code for r in result.reasons] == ["mean-of-regions"]
    assert report.unused_this_year == 1
    city_alone = judge(catalogue, ("t", "90", 2025, "全市"), year=2025)
    assert city_alone.status is MISSING
    assert [r.code for r in city_alone.reasons] == ["no-value", "city-value-not-mean"]


def test_every_region_named_is_a_mean_a_city_wide_row_may_stand_for() -> None:
    catalogue = catalogue_of(mean(regions=list(reversed(REGIONS))))
    city = ("t", "81", 2025, "全市")
    result = judge(catalogue, *rows("90", "90", "90", "90", "90"), city, year=2025)
    assert (result.status, result.value) == (FAIL, Decimal(81))
    assert [r.code for r in result.reasons] == ["reported-mean-used"]


def test_json_rule_facts_name_the_test_the_regions_and_the_weights(in_tmp: Path) -> None:
    weights = {"ganzhou": 2, "linze": 1}
    found = json_result(mean(regions=SOME, weights=weights), {"ganzhou": 90, "linze": 60})
    assert found["rule_facts"] == {
        "test": "at_least",
        "threshold": 82,
        "regions": SOME,
        "weights": weights,
    }
    assert (found["status"], found["value"]) == ("fail", 80)
