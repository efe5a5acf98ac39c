"""The between kind: a figure kept within a range (保持在 85%–95%)."""

from __future__ import annotations

import json
import operator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qcheck.evaluation import Status
from qcheck.i18n import Texts
from qcheck.rules.between import Between
from qcheck.template import template_rows
from tests.helpers import run_cli
from tests.rules.helpers import REGIONS, as_yaml, judge, judged_in

RANGE = {"kind": "between", "low": 85, "high": 95}
# The comparisons that put a figure inside, by which ends count: (against low, against high).
INSIDE = {
    "both": (operator.ge, operator.le),
    "low": (operator.ge, operator.lt),
    "high": (operator.gt, operator.le),
    "neither": (operator.gt, operator.lt),
}

# Judged in the plan's due year: before it, a target is on pace or not yet due.
catalogue_of = judged_in(2023)


def between(**fields: Any) -> dict[str, Any]:
    """Return the 85%–95% rule with ``fields`` changed."""
    return {**RANGE, **fields}


@pytest.mark.parametrize("inclusive", list(INSIDE))
@pytest.mark.parametrize(
    ("value", "inside"),
    [
        ("84.99", {"both": False, "low": False, "high": False, "neither": False}),
        ("85", {"both": True, "low": True, "high": False, "neither": False}),
        ("85.01", {"both": True, "low": True, "high": True, "neither": True}),
        ("94.99", {"both": True, "low": True, "high": True, "neither": True}),
        ("95", {"both": True, "low": False, "high": True, "neither": False}),
        ("95.01", {"both": False, "low": False, "high": False, "neither": False}),
    ],
)
def test_each_end_counts_as_inclusive_says(
    inclusive: str, value: str, inside: dict[str, bool]
) -> None:
    catalogue = catalogue_of(between(inclusive=inclusive))
    result = judge(catalogue, ("t", value, 2023), year=2023)
    assert result.status == (Status.PASS if inside[inclusive] else Status.FAIL)
    assert result.value == Decimal(value)


def test_both_ends_count_unless_stated() -> None:
    rule = catalogue_of(RANGE).targets[0].rule
    assert isinstance(rule, Between)
    assert rule.inclusive == "both"


@pytest.mark.parametrize(
    ("value", "gap"),
    [("90", None), ("85", None), ("84.5", Decimal("-0.5")), ("96.25", Decimal("1.25"))],
)
def test_the_gap_is_to_the_nearer_end_and_none_inside(value: str, gap: Decimal | None) -> None:
    result = judge(catalogue_of(RANGE), ("t", value, 2023), year=2023)
    assert result.gap == gap


def test_a_figure_on_an_end_left_out_fails_with_no_distance() -> None:
    result = judge(catalogue_of(between(inclusive="low")), ("t", "95", 2023), year=2023)
    assert result.status == Status.FAIL
    assert result.gap == 0


@settings(max_examples=200, deadline=None)
@given(
    low=st.decimals(min_value=0, max_value=100, places=2),
    high=st.decimals(min_value=0, max_value=100, places=2),
    value=st.decimals(min_value=0, max_value=100, places=3),
    inclusive=st.sampled_from(list(INSIDE)),
)
def test_the_verdict_is_membership_of_the_interval(
    low: Decimal, high: Decimal, value: Decimal, inclusive: str
) -> None:
    low, high = min(low, high), max(low, high)
    if low == high:
        inclusive = "both"
    rule = Between(kind="between", low=low, high=high, inclusive=inclusive)
    above, below = INSIDE[inclusive]
    inside = above(value, low) and below(value, high)
    assert rule.passes(value, 2023) is inside
    gap = rule.gap(value, 2023)
    assert (gap is None) is inside
    if gap is not None:
        assert gap == value - (low if value <= low else high)
    # Regional rules rank by distance: signed by the verdict, sized by the nearer end.
    distance = rule.distance(value, 2023)
    assert abs(distance) == min(abs(value - low), abs(value - high))
    assert distance >= 0 if inside else distance <= 0


@settings(max_examples=30, deadline=None)
@given(value=st.decimals(min_value=80, max_value=100, places=2))
def test_an_evaluated_figure_passes_exactly_inside_the_range(value: Decimal) -> None:
    result = judge(catalogue_of(RANGE), ("t", str(value), 2023), year=2023)
    assert result.status == (Status.PASS if 85 <= value <= 95 else Status.FAIL)


def test_a_missing_year_is_missing() -> None:
    result = judge(catalogue_of(RANGE), ("t", "90", 2022), year=2023)
    assert result.status == Status.MISSING
    assert [reason.code for reason in result.reasons] == ["no-value"]


def test_every_year_is_judged_and_an_absent_one_named() -> None:
    catalogue = catalogue_of(between(years="every"))
    rows = [("t", "90", 2021), ("t", "96", 2022), ("t", "90", 2023)]
    failed = judge(catalogue, *rows, year=2023)
    assert failed.status == Status.FAIL
    assert failed.failed_years == (2022,)
    missing = judge(catalogue, rows[0], rows[2], year=2023)
    assert missing.status == Status.MISSING
    assert missing.reasons[0].params == {"year": 2022}


def test_a_named_region_is_read_and_its_absence_named() -> None:
    catalogue = catalogue_of(between(region="ganzhou"))
    assert judge(catalogue, ("t", "90", 2023, "甘州区"), year=2023).status == Status.PASS
    assert judge(catalogue, ("t", "80", 2023, "甘州区"), year=2023).status == Status.FAIL
    missing = judge(catalogue, ("t", "90", 2023), ("t", "90", 2023, "临泽县"), year=2023)
    assert missing.status == Status.MISSING
    assert missing.reasons[0].code == "regions-missing"
    assert missing.reasons[0].params["regions"] == ("ganzhou",)


def test_the_mean_of_the_regions_is_judged_by_the_range() -> None:
    catalogue = catalogue_of({"kind": "mean_of_regions", "test": RANGE})
    values = ("84", "86", "85", "85", "84", "86")  # mean 85: on the low end
    rows = [("t", value, 2023, region) for region, value in zip(REGIONS, values, strict=True)]
    result = judge(catalogue, *rows, year=2023)
    assert (result.status, result.value) == (Status.PASS, Decimal(85))
    higher = [("t", "96", 2023, region) for region in REGIONS]
    assert judge(catalogue, *higher, year=2023).gap == 1
    missing = judge(catalogue, *rows[1:], year=2023)
    assert missing.status == Status.MISSING
    assert missing.reasons[0].params["regions"] == ("ganzhou",)


def test_an_end_left_out_reads_as_a_strict_comparison() -> None:
    open_low = catalogue_of(between(inclusive="high", low="85.5"))
    target = open_low.targets[0]
    assert Texts("en", open_low).rule(target) == ">85.5% and ≤95%"
    assert Texts("zh", open_low).rule(target) == ">85.5%且≤95%"
    neither = catalogue_of(between(inclusive="neither"))
    assert Texts("en", neither).rule(neither.targets[0]) == ">85% and <95%"


@pytest.mark.parametrize(
    ("lang", "rule", "unit", "words"),
    [
        ("en", RANGE, "%", "85%–95%"),
        ("zh", RANGE, "%", "85%–95%"),
        ("en", {"kind": "between", "low": 100, "high": 200}, "户", "100–200 households"),
        ("zh", {"kind": "between", "low": 100, "high": 200}, "户", "100–200 户"),
        ("zh", between(region="ganzhou"), "%", "甘州区85%–95%"),
        ("en", {"kind": "mean_of_regions", "test": RANGE}, "%", "mean of 6 regions 85%–95%"),
    ],
)
def test_a_range_in_words(lang: str, rule: dict[str, Any], unit: str, words: str) -> None:
    catalogue = catalogue_of(rule, unit=unit)
    assert Texts(lang, catalogue).rule(catalogue.targets[0]) == words


def test_a_figure_just_outside_is_never_shown_as_the_end() -> None:
    catalogue = catalogue_of(RANGE)
    result = judge(catalogue, ("t", "95.0001", 2023), year=2023)
    texts = Texts("en", catalogue)
    assert (texts.result_value(result), texts.gap(result)) == ("95.0001%", "+0.0001 pp")


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (between(low=95, high=85), "low 95 must not be above high 85"),
        (between(low=90, high=90, inclusive="low"), "low and high are both 90"),
        (between(low=90, high=90, inclusive="neither"), "low and high are both 90"),
        (between(low=-1), "low is -1, outside the range of its unit '%'"),
        (between(high=101), "high is 101, outside the range of its unit '%'"),
    ],
)
def test_a_range_no_report_could_meet_is_refused(rule: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=f"target 't': {field}"):
        catalogue_of(rule)


def test_equal_ends_are_one_allowed_figure_when_both_count() -> None:
    catalogue = catalogue_of(between(low=90, high=90))
    assert judge(catalogue, ("t", "90", 2023), year=2023).status == Status.PASS
    assert judge(catalogue, ("t", "90.01", 2023), year=2023).status == Status.FAIL


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        (between(inclusive="yes"), "between.inclusive"),
        ({"kind": "between", "low": 85}, "between.high"),
        (between(low="high"), "between.low"),
    ],
)
def test_a_bad_field_is_refused_by_its_path(rule: dict[str, Any], key: str) -> None:
    with pytest.raises(ValidationError, match=f"targets.0.rule.{key}"):
        catalogue_of(rule)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "target 't': low 95 must not be above high 85"),
        ("zh", "目标 't'：low（95）不得大于 high（85）"),
    ],
)
def test_targets_check_refuses_a_reversed_range(tmp_path: Path, lang: str, said: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(as_yaml(between(low=95, high=85)), encoding="utf-8")
    result = run_cli(["targets", "--check", str(path), "--lang", lang])
    assert result.exit_code == 2
    assert said in result.stderr
    assert "Traceback" not in result.output


def test_targets_check_refuses_an_end_outside_the_unit_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(as_yaml(between(high=120)), encoding="utf-8")
    result = run_cli(["targets", "--check", str(path), "--lang", "zh"])
    assert result.exit_code == 2
    assert (
        "目标 't'：high 为 120，超出其单位 '%' 的取值范围，报表中的数值不会落在那里"
        in result.stderr
    )


def test_json_carries_the_range_and_no_gap_inside(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(as_yaml(between(inclusive="high")), encoding="utf-8")
    (tmp_path / "r.csv").write_text("indicator,value,year\nt,90,2023\n", encoding="utf-8")
    result = run_cli(
        [
            "evaluate",
            str(tmp_path / "r.csv"),
            "--targets",
            str(tmp_path / "t.yaml"),
            "--year",
            "2023",
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["reports"][0]["results"]
    assert found["rule"] == "between"
    assert found["rule_facts"] == {"low": 85, "high": 95, "inclusive": "high"}
    assert (found["status"], found["value"], found["gap"]) == ("pass", 90, None)
    assert found["target"] == ">85% and ≤95%"


@pytest.mark.parametrize(("lang", "words"), [("en", "85%–95%"), ("zh", "85%–95%")])
def test_the_table_shows_the_range_and_a_dash_for_the_gap(
    tmp_path: Path, lang: str, words: str
) -> None:
    (tmp_path / "t.yaml").write_text(as_yaml(RANGE), encoding="utf-8")
    (tmp_path / "r.csv").write_text("indicator,value,year\nt,90,2023\n", encoding="utf-8")
    args = ["evaluate", str(tmp_path / "r.csv"), "--targets", str(tmp_path / "t.yaml")]
    result = run_cli([*args, "--year", "2023", "--lang", lang], COLUMNS="80")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if words in line)
    assert "90%" in line
    assert "—" in line


def test_the_template_asks_for_the_figure_the_range_reads() -> None:
    city = template_rows(catalogue=catalogue_of(RANGE), year=2023)
    assert [(row.year, row.region) for row in city] == [(2023, None)]
    every = template_rows(catalogue=catalogue_of(between(years="every")), year=2023)
    assert [(row.year, row.region) for row in every] == [(2021, None), (2022, None), (2023, None)]
    county = template_rows(catalogue=catalogue_of(between(region="linze")), year=2023)
    assert [(row.year, row.region) for row in county] == [(2023, "linze")]


@pytest.mark.parametrize(
    ("value", "distance"),
    [("90", 5), ("86", 1), ("94.5", Decimal("0.5")), ("85", 0), ("84.5", Decimal("-0.5"))],
)
def test_the_distance_is_to_the_nearer_end_inside_and_outside(
    value: str, distance: Decimal
) -> None:
    rule = Between(kind="between", low=Decimal(85), high=Decimal(95))
    assert rule.distance(Decimal(value), 2023) == distance


def test_the_weakest_county_inside_the_range_is_the_nearest_to_an_end() -> None:
    catalogue = catalogue_of({"kind": "every_region", "test": RANGE})
    values = ("90", "90", "86", "90", "94.5", "90")
    rows = [("t", value, 2023, region) for region, value in zip(REGIONS, values, strict=True)]
    result = judge(catalogue, *rows, year=2023)
    assert (result.status, result.value, result.value_region) == (
        Status.PASS,
        Decimal("94.5"),
        "minle",
    )
    assert result.gap is None  # inside the range: no gap to show


def test_the_kth_best_county_inside_the_range_is_shown() -> None:
    catalogue = catalogue_of({"kind": "k_of_regions", "k": 3, "test": RANGE})
    values = ("90", "86", "88", "70", "70", "70")
    rows = [("t", value, 2023, region) for region, value in zip(REGIONS, values, strict=True)]
    result = judge(catalogue, *rows, year=2023)
    assert (result.status, result.value, result.value_region) == (
        Status.PASS,
        Decimal(86),
        "linze",
    )


@pytest.mark.parametrize(
    ("low", "high", "inclusive", "refused"),
    [
        ("2.2", "2.8", "both", True),
        ("2", "3", "neither", True),
        ("2", "3", "low", False),
        ("2.5", "3", "both", False),
        ("1", "1000", "neither", False),
    ],
)
def test_a_range_of_no_whole_number_is_refused_for_a_count(
    low: str, high: str, inclusive: str, refused: bool
) -> None:
    from pydantic import ValidationError

    from tests.rules.helpers import catalogue_of

    rule = {"kind": "between", "low": low, "high": high, "inclusive": inclusive}
    if refused:
        with pytest.raises(ValidationError, match="no whole number lies between"):
            catalogue_of(rule, unit="户")
    else:
        catalogue_of(rule, unit="户")
