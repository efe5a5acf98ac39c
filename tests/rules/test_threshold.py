"""At least / at most / equals, and what every one-figure rule shares: period, years, region."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from qcheck.evaluation import Status
from qcheck.i18n import Texts
from qcheck.template import template_rows
from tests.rules.helpers import catalogue_of, judge

PASS, FAIL, MISSING, NOT_DUE = Status.PASS, Status.FAIL, Status.MISSING, Status.NOT_DUE


@pytest.mark.parametrize(
    ("kind", "value", "status"),
    [
        ("at_least", "90", PASS),
        ("at_least", "89.99", FAIL),
        ("at_least", "90.01", PASS),
        ("at_most", "90", PASS),
        ("at_most", "90.01", FAIL),
        ("at_most", "89.99", PASS),
        ("equals", "90", PASS),
        ("equals", "90.01", FAIL),
        ("equals", "89.99", FAIL),
    ],
)
def test_a_threshold_on_the_line_and_either_side(kind: str, value: str, status: Status) -> None:
    result = judge(catalogue_of({"kind": kind, "threshold": 90}), ("t", value, 2025), year=2025)
    assert (result.status, result.gap) == (status, Decimal(value) - 90)


def test_a_period_that_has_not_begun_is_not_yet_due() -> None:
    catalogue = catalogue_of({"kind": "at_least", "threshold": 90, "first_year": 2023})
    result = judge(catalogue, ("t", "50", 2022), year=2022)
    assert result.status is NOT_DUE
    assert [(r.code, r.params) for r in result.reasons] == [("before-period", {"year": 2023})]


def test_a_period_that_has_ended_is_judged_on_its_last_year() -> None:
    catalogue = catalogue_of({"kind": "at_least", "threshold": 90, "last_year": 2023})
    result = judge(catalogue, ("t", "91", 2023), ("t", "50", 2025), year=2025)
    assert (result.status, result.value_year) == (PASS, 2023)


def test_every_year_of_the_period_from_its_own_first_year() -> None:
    rule = {"kind": "at_least", "threshold": 90, "years": "every", "first_year": 2023}
    catalogue = catalogue_of(rule)
    result = judge(catalogue, ("t", "91", 2023), ("t", "92", 2025), year=2025)
    assert result.status is MISSING
    assert [r.params for r in result.reasons] == [{"year": 2024}]
    assert {row.year for row in template_rows(catalogue=catalogue, year=2025)} == {
        2023,
        2024,
        2025,
    }


def test_a_named_region_reads_only_that_region() -> None:
    catalogue = catalogue_of({"kind": "at_least", "threshold": 90, "region": "ganzhou"})
    assert judge(catalogue, ("t", "91", 2025, "甘州区"), year=2025).status is PASS
    city_only = judge(catalogue, ("t", "91", 2025), year=2025)
    assert city_only.status is MISSING
    assert city_only.reasons[0].params["regions"] == ("ganzhou",)
    assert Texts("zh", catalogue).rule(catalogue.targets[0]) == "甘州区≥90%"
    assert [row.region for row in template_rows(catalogue=catalogue, year=2025)] == ["ganzhou"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "at_least", "threshold": 101}, "outside the range of its unit"),
        ({"kind": "at_least", "threshold": 90, "region": "atlantis"}, "unknown region"),
        ({"kind": "at_least", "threshold": 90, "first_year": 2024, "last_year": 2023}, "after"),
        ({"kind": "at_least", "threshold": 90, "years": "sometimes"}, "years"),
        ({"kind": "at_leest", "threshold": 90}, "at_leest"),
    ],
)
def test_bad_definitions_are_refused(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        catalogue_of(rule)


@pytest.mark.parametrize(("answer", "status"), [("达到", PASS), ("是", PASS), ("否", FAIL)])
def test_achieved_reads_the_departments_answer(answer: str, status: Status) -> None:
    catalogue = catalogue_of({"kind": "achieved"}, unit=None)
    assert judge(catalogue, ("t", answer, 2025), year=2025).status is status
    assert judge(catalogue, ("t", answer, 2024), year=2025).status is MISSING


def test_achieved_takes_no_unit() -> None:
    with pytest.raises(ValidationError, match="has no unit"):
        catalogue_of({"kind": "achieved"})


@pytest.mark.parametrize(
    ("cell", "status", "value"),
    [
        ("达到", PASS, True),
        ("完成", PASS, True),
        ("yes", PASS, True),
        ("未达到", FAIL, False),
        ("100", PASS, Decimal(100)),
        ("99.5", FAIL, Decimal("99.5")),
    ],
)
def test_a_rate_stated_as_every_one_meeting_it_takes_an_answer(
    cell: str, status: Status, value: object
) -> None:
    """均达到: a department may answer 达到 instead of the rate of 100%."""
    rule = {"kind": "equals", "threshold": 100, "answer_accepted": True}
    result = judge(catalogue_of(rule), ("t", cell, 2025), year=2025)
    assert (result.status, result.value) == (status, value)


def test_an_answer_for_a_rate_that_takes_none_is_refused() -> None:
    from qcheck.rows import validate_records
    from tests.conftest import make_records

    catalogue = catalogue_of({"kind": "equals", "threshold": 100})
    _, problems = validate_records(
        make_records([("t", "达到", 2025)]), catalogue=catalogue, default_year=2025
    )
    assert [problem.code for problem in problems] == ["not-a-number"]


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        ({"first_year": 2023}, "≥90%（2023年起）", "≥90% (from 2023)"),
        ({"last_year": 2023}, "≥90%（至2023年）", "≥90% (until 2023)"),
        ({"first_year": 2022, "last_year": 2024}, "≥90%（2022—2024年）", "≥90% (2022–2024)"),
        ({}, "≥90%", "≥90%"),
    ],
)
def test_a_rules_own_period_is_said_beside_it(period: dict[str, int], zh: str, en: str) -> None:
    catalogue = catalogue_of({"kind": "at_least", "threshold": 90, **period})
    (target,) = catalogue.targets
    assert (Texts("zh", catalogue).rule(target), Texts("en", catalogue).rule(target)) == (zh, en)


def test_a_total_names_its_period_once() -> None:
    rule = {"kind": "cumulative", "total": 300, "first_year": 2022, "last_year": 2024}
    catalogue = catalogue_of(rule, unit="户")
    assert Texts("en", catalogue).rule(catalogue.targets[0]).count("2022") == 1


def test_a_count_that_must_equal_a_fraction_is_refused() -> None:
    with pytest.raises(ValidationError, match="no report could equal it"):
        catalogue_of({"kind": "equals", "threshold": "2.5"}, unit="户")
    catalogue_of({"kind": "at_least", "threshold": "2.5"}, unit="户")
    catalogue_of({"kind": "equals", "threshold": "3.0"}, unit="户")
