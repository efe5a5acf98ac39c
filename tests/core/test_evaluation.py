"""Evaluating measurements against every kind of rule, at its boundaries."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcheck.catalogue import Catalogue, Target
from qcheck.evaluation import (
    FailOn,
    Reason,
    Report,
    Result,
    Status,
    evaluate,
    exit_code_for,
)
from qcheck.loaders.files import load_measurements
from qcheck.measurements import Measurement, held
from qcheck.problems import Problem
from qcheck.verdicts import ALWAYS_COUNTED, STATUS_FACTS, InUnit
from qcheck.words import has_word
from tests.helpers import REPO_ROOT, SAMPLES
from tests.rules.helpers import catalogue_of
from tests.rules.helpers import judge as judge_one

if TYPE_CHECKING:
    from tests.conftest import Measure, Row

YEAR = 2020
FOOD = "food_safety_pass_rate"
DRUGS = "essential_drugs_coverage"
WATER = "drinking_water_quality_ratio"
LEADING = "leading_products_level"
CONSUMER = "consumer_goods_pass_rate"
SME = "sme_quality_training"
AIR = "good_air_days_ratio"
PM10 = "pm10_concentration"
COUNTIES = ("甘州", "临泽", "高台", "山丹", "民乐", "肃南")
REGION_IDS = ("ganzhou", "linze", "gaotai", "shandan", "minle", "sunan")

PASS, FAIL, MISSING = Status.PASS, Status.FAIL, Status.MISSING
#: Met by less than the warning band: the shipped catalogue's 1 pp for %, 1 µg/m³ for PM.
AT_RISK = Status.PASS_AT_RISK

#: Every target passes for 2020 with these rows; the good_air_days_ratio city-wide row is
#: extra (the six counties decide) and is reported as unused. Those on their line (or less
#: than the warning band above it) are met, at risk: AT_RISK_IN_PASSING.
PASSING_ROWS: tuple[Row, ...] = (
    (LEADING, "达到", 2020),
    (CONSUMER, "95", 2018),
    (CONSUMER, "90", 2019),
    (CONSUMER, "92.5", 2020),
    ("manufacturing_pass_rate", "92", 2018),
    ("manufacturing_pass_rate", "93", 2019),
    ("manufacturing_pass_rate", "94", 2020),
    ("agricultural_products_pass_rate", "98.2", 2020),
    (FOOD, "94", 2020),
    (DRUGS, "100", 2020),
    ("completed_projects_compliance", "100", 2020),
    ("major_projects_first_acceptance_rate", "100%", 2020),
    ("water_projects_pass_rate", "100", 2020),
    ("water_projects_inspection_rate", "100", 2020),
    ("large_projects_excellence_rate", "75", 2020),
    ("service_satisfaction", "85", 2020),
    ("key_services_level", "是", 2020),
    (PM10, "60", 2017),
    (PM10, "54", 2020),  # a fall of 10% exactly: the marked fall the catalogue asks for
    ("pm25_concentration", "30", 2017),
    ("pm25_concentration", "27", 2020),
    *(
        (AIR, value, 2020, county)
        for county, value in zip(COUNTIES, ("80", "84", "82", "83", "81", "82"), strict=True)
    ),
    (AIR, "90", 2020, "全市"),
    (WATER, "96.85", 2020),
    (SME, "100", 2018),
    (SME, "130", 2019),
    (SME, "100", 2020),
    # The plan's commitments: done by their date, or met each year of their period.
    ("ganzhou_export_demo_county", "完成", 2019, "甘州"),
    ("food_safety_demo_city", "完成", 2020),
    ("startup_work_plans", "完成", 2018),
    *(("yearly_supervision_assessment", "达到", year) for year in (2018, 2019, 2020)),
    *(("quality_funding_in_budget", "是", year) for year in (2019, 2020)),
    ("quality_accident_reporting", "完成", 2020),
    ("quality_risk_monitoring", "完成", 2018),
    *(("quality_in_performance_assessment", "达到", year) for year in (2018, 2019, 2020)),
    ("quality_in_cadre_training", "完成", 2019),
)
AT_RISK_IN_PASSING = frozenset(
    {
        "agricultural_products_pass_rate",  # 98.2 against ≥98
        FOOD,  # 94 against ≥94
        "large_projects_excellence_rate",  # 75 against ≥75
        "service_satisfaction",  # 85 against ≥85
        PM10,  # 54, a fall of 10% exactly from 60
        "pm25_concentration",  # 27, a fall of 10% exactly from 30
        AIR,  # a mean of 82 against ≥82
        WATER,  # 96.85 against ≥96.85
    }
)


def passing_status(target_id: str, keys: set[tuple[str, str | None, int]] | None = None) -> Status:
    """Return the status a target of the passing rows (or of those with ``keys``) has.

    Met, or met at risk on its line. The city-wide 90 of good-air days stands in for the
    mean of the six counties (82, on its line) only where a county is absent.
    """
    if keys is not None and target_id == AIR:
        six = all((AIR, region, YEAR) in keys for region in REGION_IDS)
        return AT_RISK if six else PASS
    return AT_RISK if target_id in AT_RISK_IN_PASSING else PASS


def run(
    catalogue: Catalogue, measurements: Iterable[Measurement], year: int = YEAR
) -> dict[str, Result]:
    report = evaluate(catalogue=catalogue, measurements=measurements, year=year)
    return {result.target.id: result for result in report.results}


def judge(
    catalogue: Catalogue, measure: Measure, *rows: Row, year: int = YEAR
) -> dict[str, Result]:
    return run(catalogue, measure(*rows), year)


def reason_codes(result: Result) -> list[str]:
    return [reason.code for reason in result.reasons]


def reason(result: Result, code: str) -> Reason:
    [found] = [reason for reason in result.reasons if reason.code == code]
    return found


@pytest.fixture(scope="module")
def passing(measure: Measure) -> list[Measurement]:
    return measure(*PASSING_ROWS)


# ---- comparisons with a threshold ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "gap"),
    [
        ("94", AT_RISK, "0"),  # on the line: inside the 1 pp band
        ("94.0", AT_RISK, "0"),
        ("94%", AT_RISK, "0"),
        ("94.00001", AT_RISK, "0.00001"),
        ("94.99", AT_RISK, "0.99"),
        ("95", PASS, "1"),  # a band away from the line: met
        ("100", PASS, "6"),
        ("93.99", FAIL, "-0.01"),
        ("93.99999", FAIL, "-0.00001"),
        ("50", FAIL, "-44"),  # the least plausible figure (0 is refused before judging)
    ],
)
def test_at_least(
    catalogue: Catalogue, measure: Measure, value: str, status: Status, gap: str
) -> None:
    result = judge(catalogue, measure, (FOOD, value))[FOOD]
    assert result.status is status
    assert result.value == Decimal(value.rstrip("%"))
    assert result.gap == Decimal(gap)
    assert result.year == YEAR
    assert [obs.value for obs in result.observations] == [Decimal(value.rstrip("%"))]


@pytest.mark.parametrize(
    ("value", "status", "gap"),
    [("100", PASS, "0"), ("100.0", PASS, "0"), ("99.99", FAIL, "-0.01"), ("10", FAIL, "-90")],
)
def test_equals_100(
    catalogue: Catalogue, measure: Measure, value: str, status: Status, gap: str
) -> None:
    result = judge(catalogue, measure, (DRUGS, value))[DRUGS]
    assert (result.status, result.gap) == (status, Decimal(gap))


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("96.85", AT_RISK),
        ("96.850", AT_RISK),
        ("96.86", AT_RISK),
        ("97.85", PASS),
        ("96.84", FAIL),
        ("96.849", FAIL),
    ],
)
def test_threshold_with_decimals(
    catalogue: Catalogue, measure: Measure, value: str, status: Status
) -> None:
    result = judge(catalogue, measure, (WATER, value))[WATER]
    assert result.status is status
    assert result.gap == Decimal(value) - Decimal("96.85")


@pytest.mark.parametrize("target_id", [FOOD, DRUGS, WATER])
def test_absent_comparison_is_missing(catalogue: Catalogue, target_id: str) -> None:
    result = run(catalogue, [])[target_id]
    assert (result.status, result.value, result.gap) == (MISSING, None, None)
    assert reason(result, "no-value").params == {"year": YEAR}


# ---- qualitative --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "status", "value"),
    [("达到", PASS, True), ("是", PASS, True), ("未达到", FAIL, False), ("否", FAIL, False)],
)
def test_qualitative(
    catalogue: Catalogue, measure: Measure, answer: str, status: Status, value: bool
) -> None:
    result = judge(catalogue, measure, (LEADING, answer))[LEADING]
    assert (result.status, result.value, result.gap) == (status, value, None)


def test_qualitative_absent_is_missing(catalogue: Catalogue) -> None:
    result = run(catalogue, [])[LEADING]
    assert result.status is MISSING
    assert reason_codes(result) == ["no-value"]


def test_qualitative_of_another_year_does_not_count(catalogue: Catalogue, measure: Measure) -> None:
    assert judge(catalogue, measure, (LEADING, "达到", 2019))[LEADING].status is MISSING


# ---- every reported year ------------------------------------------------------------------
# No target of the default catalogue reads every reported year (稳定在 asks for every year), so
# these use a catalogue of one target of that policy over the same years.

STABLE = "t"


@pytest.fixture(scope="module")
def stable() -> Catalogue:
    rule = {"kind": "at_least", "threshold": 90, "years": "every_reported"}
    return catalogue_of(rule, start_year=2018, target_year=2020)


def judge_stable(catalogue: Catalogue, *rows: Row) -> Result:
    return judge_one(catalogue, *((STABLE, *row) for row in rows), year=YEAR)


def test_every_reported_fails_on_an_earlier_year(stable: Catalogue) -> None:
    result = judge_stable(stable, ("89.99", 2018), ("95", 2020))
    assert result.status is FAIL
    assert result.failed_years == (2018,)
    assert (result.value, result.gap) == (Decimal("89.99"), Decimal("-0.01"))
    assert reason(result, "failed-years").params == {"years": (2018,)}
    assert {obs.year for obs in result.observations} == {2018, 2020}


def test_every_reported_passes_when_all_years_meet(stable: Catalogue) -> None:
    result = judge_stable(stable, ("90", 2018), ("90.5", 2019), ("95", 2020))
    assert result.status is PASS
    assert (result.value, result.gap, result.failed_years) == (Decimal(95), Decimal(5), ())
    assert {obs.year for obs in result.observations} == {2018, 2019, 2020}


def test_every_reported_needs_only_the_evaluated_year(stable: Catalogue) -> None:
    assert judge_stable(stable, ("95", 2020)).status is PASS


def test_every_reported_without_the_evaluated_year_is_missing(stable: Catalogue) -> None:
    result = judge_stable(stable, ("95", 2018), ("95", 2019))
    assert result.status is MISSING
    assert reason(result, "no-value").params == {"year": 2020}


def test_every_reported_failing_year_fails_even_without_the_evaluated_year(
    stable: Catalogue,
) -> None:
    result = judge_stable(stable, ("95", 2018), ("89", 2019))
    assert result.status is FAIL
    assert result.failed_years == (2019,)
    assert result.value == Decimal(89)


def test_every_reported_lists_every_failing_year(stable: Catalogue) -> None:
    result = judge_stable(stable, ("80", 2018), ("95", 2019), ("85", 2020))
    assert result.status is FAIL
    assert result.failed_years == (2018, 2020)


def test_years_before_the_plan_are_not_checked(catalogue: Catalogue, measure: Measure) -> None:
    measurements = measure(
        (CONSUMER, "50", 2017),
        (CONSUMER, "95", 2018),
        (CONSUMER, "95", 2019),
        (CONSUMER, "95", 2020),
    )
    report = evaluate(catalogue=catalogue, measurements=measurements, year=YEAR)
    result = {r.target.id: r for r in report.results}[CONSUMER]
    assert result.status is PASS
    assert [m.year for m in report.unused] == [2017]


# ---- every year ---------------------------------------------------------------------------


def test_every_year_passes(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (SME, "100", 2018), (SME, "100", 2019), (SME, "100", 2020))[
        SME
    ]
    assert (result.status, result.value, result.gap) == (PASS, Decimal(100), Decimal(0))


def test_every_year_fails_naming_the_year(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (SME, "100", 2018), (SME, "99", 2019), (SME, "150", 2020))[
        SME
    ]
    assert result.status is FAIL
    assert result.failed_years == (2019,)
    assert (result.value, result.gap) == (Decimal(99), Decimal(-1))
    assert reason(result, "failed-years").params == {"years": (2019,)}


def _years_named(result: Result) -> set[int]:
    named: set[int] = set()
    for found in result.reasons:
        if found.code == "no-value":
            year = found.params["year"]
            assert isinstance(year, int)
            named.add(year)
        elif found.code == "years-missing":
            years = found.params["years"]
            assert isinstance(years, tuple)
            named.update(int(year) for year in years)
    return named


def test_every_year_with_a_year_absent_is_missing(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (SME, "100", 2018), (SME, "100", 2020))[SME]
    assert result.status is MISSING
    assert _years_named(result) == {2019}


def test_every_year_with_years_absent_names_them(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (SME, "100", 2020))[SME]
    assert result.status is MISSING
    assert reason(result, "years-missing").params == {"years": (2018, 2019)}


def test_every_year_with_nothing_is_missing(catalogue: Catalogue) -> None:
    result = run(catalogue, [])[SME]
    assert result.status is MISSING
    assert _years_named(result) == {2018, 2019, 2020}


# ---- mean of the six counties -------------------------------------------------------------


def _county_rows(values: Iterable[str], counties: Iterable[str] = COUNTIES) -> list[Row]:
    return [(AIR, value, YEAR, county) for county, value in zip(counties, values, strict=True)]


def test_mean_exactly_at_the_threshold_passes_without_float_error(
    catalogue: Catalogue, measure: Measure
) -> None:
    rows = _county_rows(["80.1", "83.9", "82", "82", "81.5", "82.5"])
    result = judge(catalogue, measure, *rows)[AIR]
    assert result.status is AT_RISK  # met, on the line: inside the 1 pp band
    assert isinstance(result.value, Decimal)
    assert result.value == Decimal(82)
    assert isinstance(result.gap, Decimal)
    assert result.gap == Decimal(0)
    assert reason(result, "mean-of-regions").params == {"count": 6, "year": YEAR}
    assert {obs.region for obs in result.observations} == set(REGION_IDS)


def test_mean_just_below_the_threshold_fails(catalogue: Catalogue, measure: Measure) -> None:
    rows = _county_rows(["80.1", "83.9", "82", "82", "81.5", "82.44"])
    result = judge(catalogue, measure, *rows)[AIR]
    assert result.status is FAIL
    assert (result.value, result.gap) == (Decimal("81.99"), Decimal("-0.01"))


def test_mean_with_a_county_absent_is_missing(catalogue: Catalogue, measure: Measure) -> None:
    rows = _county_rows(["90"] * 5, COUNTIES[:5])
    result = judge(catalogue, measure, *rows)[AIR]
    assert result.status is MISSING
    assert reason(result, "regions-missing").params == {"year": YEAR, "regions": ("sunan",)}
    assert len(result.observations) == 5


@pytest.mark.parametrize(("value", "status"), [("83", PASS), ("82", AT_RISK), ("81.9", FAIL)])
def test_a_county_absent_and_a_reported_mean_judges_the_reported_mean(
    catalogue: Catalogue, measure: Measure, value: str, status: Status
) -> None:
    """Five counties and a city-wide row: the city-wide row is the mean, whatever the five say."""
    rows = _county_rows(["90"] * 5, COUNTIES[:5])
    result = judge(catalogue, measure, *rows, (AIR, value, YEAR, "全市"))[AIR]
    assert (result.status, result.value) == (status, Decimal(value))
    assert reason(result, "reported-mean-used").params == {"year": YEAR, "regions": ("sunan",)}
    assert len(result.observations) == 6


def test_mean_names_every_absent_county(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (AIR, "90", YEAR, "高台"))[AIR]
    assert result.status is MISSING
    regions = reason(result, "regions-missing").params["regions"]
    assert regions == ("ganzhou", "linze", "shandan", "minle", "sunan")


@pytest.mark.parametrize(("value", "status"), [("83", PASS), ("82", AT_RISK), ("81.9", FAIL)])
def test_city_value_stands_in_for_the_mean(
    catalogue: Catalogue, measure: Measure, value: str, status: Status
) -> None:
    result = judge(catalogue, measure, (AIR, value, YEAR, "全市"))[AIR]
    assert (result.status, result.value) == (status, Decimal(value))
    assert "city-value-as-mean" in reason_codes(result)


def test_mean_with_nothing_is_missing(catalogue: Catalogue) -> None:
    result = run(catalogue, [])[AIR]
    assert result.status is MISSING
    assert reason_codes(result) == ["no-value"]


def test_counties_of_another_year_do_not_count(catalogue: Catalogue, measure: Measure) -> None:
    rows = [(AIR, "90", 2019, county) for county in COUNTIES]
    assert judge(catalogue, measure, *rows)[AIR].status is MISSING


def test_counties_decide_over_a_city_value(catalogue: Catalogue, measure: Measure) -> None:
    rows = _county_rows(["80"] * 6)
    measurements = measure(*rows, (AIR, "95", YEAR, "全市"))
    report = evaluate(catalogue=catalogue, measurements=measurements, year=YEAR)
    result = {r.target.id: r for r in report.results}[AIR]
    assert (result.status, result.value) == (FAIL, Decimal(80))
    # The reported city-wide mean is a cross-check, used and flagged when it disagrees.
    assert report.unused == ()
    assert reason_codes(result) == ["mean-of-regions", "reported-mean-differs"]
    differs = result.reasons[1].params
    assert (differs["reported"], differs["computed"]) == (InUnit(Decimal(95)), InUnit(Decimal(80)))


def test_a_reported_mean_that_agrees_is_not_flagged(catalogue: Catalogue, measure: Measure) -> None:
    rows = _county_rows(["80", "81", "82", "83", "84", "85"])
    measurements = measure(*rows, (AIR, "82.5", YEAR, "全市"))
    result = run(catalogue, measurements, YEAR)[AIR]
    # No reported-mean-differs; a mean of 82.5 is met by less than the 1 pp band.
    assert reason_codes(result) == ["mean-of-regions", "inside-band"]


# ---- decrease from a baseline year --------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status", "codes"),
    [
        # A fall of 10% exactly, the catalogue's marked fall, by less than its 1 µg/m³ band.
        ("54", AT_RISK, ["inside-band"]),
        ("53.99", AT_RISK, ["inside-band"]),
        ("53", PASS, []),  # a band below the line: met
        ("30", PASS, []),
        ("54.01", FAIL, ["decrease-too-small"]),
        ("59.9", FAIL, ["decrease-too-small"]),
        ("60", FAIL, ["decrease-not-made"]),
        ("61", FAIL, ["decrease-not-made"]),
    ],
)
def test_decrease(
    catalogue: Catalogue, measure: Measure, now: str, status: Status, codes: list[str]
) -> None:
    result = judge(catalogue, measure, (PM10, "60", 2017), (PM10, now, 2020))[PM10]
    change = Decimal(now) - Decimal(60)
    assert result.status is status
    assert reason_codes(result) == codes
    assert (result.value, result.baseline, result.baseline_year) == (
        Decimal(now),
        Decimal(60),
        2017,
    )
    assert result.gap == change
    assert result.relative_change == held(change / Decimal(60) * 100)
    assert {obs.year for obs in result.observations} == {2017, 2020}


def test_decrease_relative_change_is_a_percentage(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (PM10, "80", 2017), (PM10, "60", 2020))[PM10]
    assert result.relative_change == Decimal(-25)
    result = judge(catalogue, measure, (PM10, "60", 2017), (PM10, "59.9", 2020))[PM10]
    assert result.relative_change is not None
    assert round(result.relative_change, 4) == Decimal("-0.1667")


def test_a_relative_fall_from_zero_is_judged_by_its_direction(
    catalogue: Catalogue, measure: Measure
) -> None:
    """No share of 0 can be asked for: a concentration of 0 that stays 0 has not fallen."""
    result = judge(catalogue, measure, (PM10, "0", 2017), (PM10, "0", 2020))[PM10]
    assert (result.status, result.relative_change) == (FAIL, None)
    assert reason(result, "zero-baseline").params == {"year": 2017}


def test_decrease_without_baseline_is_missing(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (PM10, "20", 2020))[PM10]
    assert result.status is MISSING
    assert reason(result, "no-baseline").params == {"year": 2017}
    assert result.baseline_year == 2017


def test_decrease_with_a_county_baseline_is_missing(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (PM10, "60", 2017, "甘州"), (PM10, "20", 2020))[PM10]
    assert result.status is MISSING
    assert reason_codes(result) == ["no-baseline"]


def test_decrease_without_current_value_is_missing(catalogue: Catalogue, measure: Measure) -> None:
    result = judge(catalogue, measure, (PM10, "60", 2017))[PM10]
    assert result.status is MISSING
    assert reason_codes(result) == ["no-value"]


def test_decrease_with_nothing_names_both(catalogue: Catalogue) -> None:
    result = run(catalogue, [])[PM10]
    assert result.status is MISSING
    assert reason_codes(result) == ["no-baseline", "no-value"]


# ---- the evaluated year, city-wide figures, unused rows, summary --------------------------


def test_evaluating_another_year_uses_its_rows(catalogue: Catalogue, measure: Measure) -> None:
    measurements = measure(
        (FOOD, "95", 2019),
        (FOOD, "90", 2020),
        (CONSUMER, "95", 2018),
        (CONSUMER, "95", 2019),
        (CONSUMER, "80", 2020),
        (SME, "100", 2018),
        (SME, "100", 2019),
        (PM10, "60", 2017),
        (PM10, "54", 2019),
        (PM10, "65", 2020),
    )
    report = evaluate(catalogue=catalogue, measurements=measurements, year=2019)
    assert report.year == 2019
    results = {r.target.id: r for r in report.results}
    assert all(result.year == 2019 for result in report.results)
    # 2019 is before the 2020 due year: a figure meeting the line already is on track.
    assert (results[FOOD].status, results[FOOD].value) == (Status.ON_TRACK, Decimal(95))
    assert [obs.year for obs in results[FOOD].observations] == [2019]
    assert results[CONSUMER].status is PASS
    assert results[SME].status is PASS
    # On the 2020 line already, by less than its 1 µg/m³ band.
    assert (results[PM10].status, results[PM10].value) == (Status.ON_TRACK_AT_RISK, Decimal(54))
    later = run(catalogue, measurements, 2020)
    assert later[FOOD].status is FAIL
    assert later[CONSUMER].failed_years == (2020,)
    assert later[SME].status is MISSING
    assert later[PM10].status is FAIL


def test_city_wide_target_with_only_county_rows(catalogue: Catalogue, measure: Measure) -> None:
    measurements = measure((FOOD, "95", YEAR, "临泽"), (FOOD, "96", YEAR, "甘州"))
    report = evaluate(catalogue=catalogue, measurements=measurements, year=YEAR)
    result = {r.target.id: r for r in report.results}[FOOD]
    assert result.status is MISSING
    assert reason(result, "no-city-value").params == {"year": YEAR, "regions": ("ganzhou", "linze")}
    assert report.unused == tuple(measurements)


def test_unused_measurements_are_reported(catalogue: Catalogue, measure: Measure) -> None:
    measurements = measure(
        (FOOD, "95", 2020),
        (FOOD, "96", 2019),
        (DRUGS, "100", 2020, "山丹"),
        (PM10, "60", 2017),
        (PM10, "55", 2018),
        (LEADING, "达到", 2020),
    )
    report = evaluate(catalogue=catalogue, measurements=measurements, year=YEAR, sources=["a.csv"])
    assert [(m.indicator, m.year, m.region) for m in report.unused] == [
        (FOOD, 2019, None),
        (DRUGS, 2020, "shandan"),
        (PM10, 2018, None),
    ]
    assert report.sources == ("a.csv",)


def test_results_follow_the_catalogue_order(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=YEAR)
    assert [r.target for r in report.results] == list(catalogue.targets)


def test_summary_counts(catalogue: Catalogue, measure: Measure) -> None:
    measurements = measure(
        (FOOD, "95"),
        (DRUGS, "100"),
        (LEADING, "达到"),
        (WATER, "90"),
        ("service_satisfaction", "80"),
    )
    summary = evaluate(catalogue=catalogue, measurements=measurements, year=YEAR).summary
    assert (summary.passed, summary.failed, summary.missing) == (3, 2, 22)
    assert summary.total == 27


def test_all_passing_dataset(catalogue: Catalogue, passing: list[Measurement]) -> None:
    report = evaluate(catalogue=catalogue, measurements=passing, year=YEAR)
    assert [r.status for r in report.results] == [
        passing_status(r.target.id) for r in report.results
    ]
    assert report.summary.count(AT_RISK) == len(AT_RISK_IN_PASSING) == 8
    assert (report.summary.passed, report.summary.failed, report.summary.missing) == (19, 0, 0)
    assert report.unused == ()


def test_problems_are_carried_into_the_report(catalogue: Catalogue) -> None:
    problem = Problem.of("duplicate-identical", source="a.csv")
    report = evaluate(catalogue=catalogue, measurements=[], year=YEAR, problems=[problem])
    assert report.problems == (problem,)


# ---- exit codes ---------------------------------------------------------------------------

STATUS_SETS = [
    frozenset(combination)
    for size in range(4)
    for combination in itertools.combinations(list(Status), size)
]


def _report(catalogue: Catalogue, statuses: Iterable[Status]) -> Report:
    targets = catalogue.targets
    results = tuple(
        Result(target=targets[index], status=status, year=YEAR)
        for index, status in enumerate(statuses)
    )
    return Report(catalogue=catalogue, sources=(), year=YEAR, results=results)


@pytest.mark.parametrize(
    "statuses", STATUS_SETS, ids=lambda s: "+".join(sorted(x.value for x in s)) or "none"
)
@pytest.mark.parametrize("fail_on", ["fail", "missing", "warn", "never"])
def test_exit_code(catalogue: Catalogue, statuses: frozenset[Status], fail_on: FailOn) -> None:
    failing = {Status.FAIL, Status.OFF_TRACK}
    lacking = failing | {Status.MISSING}
    warned = lacking | {Status.PASS_AT_RISK, Status.ON_TRACK_AT_RISK}
    bad = {"fail": failing, "missing": lacking, "warn": warned, "never": set()}[fail_on]
    expected = bool(statuses & bad)
    ordered = sorted(statuses, key=lambda status: status.value)
    assert exit_code_for([_report(catalogue, ordered)], fail_on=fail_on) == int(expected)
    # Spread over several reports (one per year), the verdict is the same.
    reports = [_report(catalogue, [status]) for status in ordered]
    assert exit_code_for(reports, fail_on=fail_on) == int(expected)


def test_exit_code_of_real_reports(catalogue: Catalogue, passing: list[Measurement]) -> None:
    all_pass = evaluate(catalogue=catalogue, measurements=passing, year=YEAR)
    empty = evaluate(catalogue=catalogue, measurements=[], year=YEAR)
    assert exit_code_for([all_pass], fail_on="missing") == 0
    assert exit_code_for([empty], fail_on="fail") == 0
    assert exit_code_for([empty], fail_on="missing") == 1
    assert exit_code_for([all_pass, empty], fail_on="missing") == 1
    assert exit_code_for([all_pass, empty], fail_on="never") == 0


# ---- missing data never passes ------------------------------------------------------------


def _has_what_it_needs(target: Target, keys: set[tuple[str, str | None, int]]) -> bool:
    """Whether the rows a target's rule needs for 2020 are present, read from the rule."""
    spec = target.rule.model_dump()
    first = spec.get("first_year") or 2018

    def city(year: int) -> bool:  # the city-wide row, or the named region's
        return (target.id, spec.get("region"), year) in keys

    if spec["kind"] == "decrease":
        return city(spec["baseline_year"]) and city(YEAR)
    if spec["kind"] == "mean_of_regions":
        # Every county, or a reported city-wide mean.
        return all((target.id, region, YEAR) in keys for region in REGION_IDS) or city(YEAR)
    if spec["kind"] == "due":  # a "done" by the due year (the passing rows are all done)
        return any(city(year) for year in range(first, spec["due"].year + 1))
    if spec["years"] == "every":
        return all(city(year) for year in range(first, YEAR + 1))
    return city(YEAR)  # the evaluated year; earlier years are checked only when reported


def test_empty_dataset_is_all_missing(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=YEAR)
    assert (report.summary.passed, report.summary.failed, report.summary.missing) == (0, 0, 27)
    assert all(result.reasons for result in report.results)
    assert report.unused == ()


def _check_subset(catalogue: Catalogue, kept: list[Measurement]) -> None:
    keys = {m.key for m in kept}
    for result in run(catalogue, kept).values():
        has_it = _has_what_it_needs(result.target, keys)
        expected = passing_status(result.target.id, keys) if has_it else MISSING
        assert result.status is expected, (result.target.id, result.reasons)
        if result.status is MISSING:
            assert result.reasons, result.target.id
            assert result.value is None


def test_dropping_any_single_row_never_passes_without_data(
    catalogue: Catalogue, passing: list[Measurement]
) -> None:
    for index in range(len(passing)):
        _check_subset(catalogue, passing[:index] + passing[index + 1 :])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_subset_of_a_passing_dataset_passes_only_with_its_data(
    catalogue: Catalogue, passing: list[Measurement], data: st.DataObject
) -> None:
    keep = data.draw(st.lists(st.booleans(), min_size=len(passing), max_size=len(passing)))
    _check_subset(catalogue, [m for m, kept in zip(passing, keep, strict=True) if kept])


@pytest.mark.parametrize("year", [2016, 2017])
def test_a_decrease_is_not_judged_before_its_baseline(
    catalogue: Catalogue, measure: Measure, year: int
) -> None:
    """Both years are also before the plan's period (2018–2020): the target is not yet due."""
    rows = [(PM10, "60", 2016), (PM10, "70", 2017)]
    result = judge(catalogue, measure, *rows, year=year)[PM10]
    assert result.status is Status.NOT_DUE
    assert reason_codes(result) == ["before-period"]


def test_every_status_has_its_facts_and_words() -> None:
    """A status added to the enum must say how every format shows it (every table has words)."""
    assert list(STATUS_FACTS) == list(Status)
    for status in Status:
        assert has_word(status.value), status
        assert status in ALWAYS_COUNTED or has_word(f"summary_{status.value}"), status


def test_a_summary_says_the_counts_it_counts(catalogue: Catalogue) -> None:
    """README and docs/python.md print a sample's summary: the counts they show are its own."""
    statuses = [Status.PASS, Status.PASS, Status.FAIL, Status.WAIVED]
    summary = _report(catalogue, statuses).summary
    assert repr(summary) == "Summary(pass=2, fail=1, missing=0, waived=1)"
    sample = SAMPLES / "report-2020-with-failures.csv"
    measurements, _ = load_measurements([sample], catalogue=catalogue)
    shown = repr(evaluate(catalogue=catalogue, measurements=measurements, year=2020).summary)
    for page in ("README.md", "docs/python.md"):
        assert f"# {shown}\n" in (REPO_ROOT / page).read_text(encoding="utf-8"), page
