"""Every kind's period: not yet due before it, judged on its last year after it, within the plan.

One sample rule per registered kind, each read over 2022–2024 of a 2021–2025 plan. A kind
registered without a sample here fails the first test: add one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from qcheck.evaluation import Status
from qcheck.rules import KINDS, RuleKind
from tests.conftest import Row
from tests.rules.files import check_targets
from tests.rules.helpers import REGIONS, catalogue_of, judge

FIRST, LAST, PLAN = 2022, 2024, range(2021, 2026)
AT_LEAST_80 = {"kind": "at_least", "threshold": 80}


def city(good: object, bad: object) -> Callable[[int, bool], tuple[Row, ...]]:
    """Return the city-wide row of a year: a figure meeting the rule, or one failing it."""
    return lambda year, ok: (("t", good if ok else bad, year),)


def counties(good: object, bad: object) -> Callable[[int, bool], tuple[Row, ...]]:
    """Return the six counties' rows of a year: figures meeting the rule, or failing it."""
    return lambda year, ok: tuple(("t", good if ok else bad, year, r) for r in REGIONS)


@dataclass(frozen=True)
class Sample:
    """A rule of one kind, its unit, and the rows of a year that meet it (or fail it)."""

    rule: dict[str, Any]
    unit: str | None
    rows: Callable[[int, bool], tuple[Row, ...]]


SAMPLES: dict[str, Sample] = {
    "Threshold": Sample(AT_LEAST_80, "%", city(90, 70)),
    "Achieved": Sample({"kind": "achieved"}, None, city("达到", "未达到")),
    "Between": Sample({"kind": "between", "low": 85, "high": 95}, "%", city(90, 99)),
    "Milestone": Sample(
        {"kind": "milestone", "thresholds": {2022: 80, 2024: 90}}, "%", city(95, 70)
    ),
    # The baseline year 2021 is before the period; its figure is 100 whatever the year.
    "Change": Sample(
        {"kind": "increase", "baseline_year": 2021, "by": 10},
        "万元",
        lambda year, ok: (("t", 100 if year == 2021 else (120 if ok else 100), year),),
    ),
    "MeanOfRegions": Sample(
        {"kind": "mean_of_regions", "test": AT_LEAST_80}, "%", counties(90, 70)
    ),
    # At most 300 over 2022–2024: 100 a year is on the line; a year more would pass it.
    "Cumulative": Sample(
        {"kind": "cumulative", "total": 300, "comparison": "at_most"}, "户", city(100, 500)
    ),
    "Due": Sample({"kind": "due", "due": "2023-12-31"}, None, city("完成", "未完成")),
    "EveryRegion": Sample({"kind": "every_region", "test": AT_LEAST_80}, "%", counties(90, 70)),
    "KOfRegions": Sample(
        {"kind": "k_of_regions", "k": 5, "test": AT_LEAST_80}, "%", counties(90, 70)
    ),
}


def sample(kind: type[RuleKind], **period: int) -> tuple[dict[str, Any], Sample]:
    """Return the kind's sample rule with its period (2022–2024 unless given) and the sample."""
    one = SAMPLES[kind.__name__]
    return {**one.rule, "first_year": FIRST, "last_year": LAST, **period}, one


def test_every_registered_kind_has_a_sample() -> None:
    assert {kind.__name__ for kind in KINDS} == set(SAMPLES)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_before_the_first_year_the_rule_is_not_yet_due(kind: type[RuleKind]) -> None:
    rule, one = sample(kind)
    catalogue = catalogue_of(rule, unit=one.unit)
    rows = [row for year in PLAN for row in one.rows(year, True)]
    result = judge(catalogue, *rows, year=FIRST - 1)
    assert result.status is Status.NOT_DUE, result.reasons


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_after_the_last_year_the_last_years_figures_decide(kind: type[RuleKind]) -> None:
    """Rows after the period fail the rule, and change nothing: the period's last year counts."""
    rule, one = sample(kind)
    catalogue = catalogue_of(rule, unit=one.unit)
    rows = [row for year in PLAN for row in one.rows(year, year <= LAST)]
    at_last = judge(catalogue, *rows, year=LAST)
    after = judge(catalogue, *rows, year=LAST + 1)
    assert at_last.status is Status.PASS, at_last.reasons
    assert (after.status, after.value, after.value_year, after.gap) == (
        at_last.status,
        at_last.value,
        at_last.value_year,
        at_last.gap,
    )
    assert after.observations == at_last.observations
    assert all(obs.year <= LAST for obs in after.observations)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize(
    ("period", "words"),
    [
        ({"first_year": 2020}, "first_year 2020 is outside the plan's years 2021–2025"),
        ({"last_year": 2026}, "last_year 2026 is outside the plan's years 2021–2025"),
        ({"first_year": 2030, "last_year": 2040}, "first_year 2030 is outside the plan's years"),
    ],
    ids=["starts before the plan", "ends after the plan", "wholly after the plan"],
)
def test_a_period_outside_the_plan_is_refused(
    tmp_path: Path, kind: type[RuleKind], period: dict[str, int], words: str
) -> None:
    rule, one = sample(kind, **period)
    with pytest.raises(ValidationError, match=words):
        catalogue_of(rule, unit=one.unit)
    result = check_targets(tmp_path, rule, unit=one.unit)
    assert result.exit_code == 2, result.output
    assert f"target 't': {words}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_period_outside_the_plan_is_refused_in_chinese(tmp_path: Path) -> None:
    result = check_targets(tmp_path, {**AT_LEAST_80, "last_year": 2026}, "--lang", "zh", unit="%")
    assert result.exit_code == 2
    assert "目标 't'：last_year 2026 不在方案的年份 2021–2025 之内" in result.stderr
