"""A blank report asks only for what a rule reads in that year: nothing while it is not due."""

from __future__ import annotations

from typing import Any

import pytest

from qcheck.evaluation import unused_why
from qcheck.template import template_rows
from tests.rules.helpers import catalogue_of, report_of

AT_LEAST = {"kind": "at_least", "threshold": 80}
MILESTONE = {"kind": "milestone", "thresholds": {2023: 80, 2025: 85}}


@pytest.mark.parametrize(
    "rule",
    [
        {**AT_LEAST, "years": "every", "first_year": 2023},
        {"kind": "every_region", "test": AT_LEAST, "first_year": 2023},
        {"kind": "k_of_regions", "k": 3, "test": MILESTONE},
        {"kind": "mean_of_regions", "test": AT_LEAST, "first_year": 2023},
    ],
)
def test_a_rule_not_yet_due_asks_for_no_row(rule: dict[str, Any]) -> None:
    catalogue = catalogue_of(rule)
    assert template_rows(catalogue=catalogue, year=2022) == []
    assert template_rows(catalogue=catalogue, year=2023)


def test_a_change_not_yet_due_asks_for_its_baseline_once_its_year_has_come() -> None:
    rule = {"kind": "increase", "baseline_year": 2022, "by": 10}
    catalogue = catalogue_of(rule, unit="万元")
    assert template_rows(catalogue=catalogue, year=2021) == []
    assert [row.year for row in template_rows(catalogue=catalogue, year=2022)] == [2022]
    assert [row.year for row in template_rows(catalogue=catalogue, year=2023)] == [2022, 2023]


def test_a_row_of_a_rule_not_yet_due_is_said_to_be_so() -> None:
    catalogue = catalogue_of({"kind": "every_region", "test": AT_LEAST, "first_year": 2023})
    report = report_of(catalogue, ("t", "90", 2022, "ganzhou"), year=2022)
    (row,) = report.unused
    assert unused_why(catalogue, row, 2022) == "not_due"
