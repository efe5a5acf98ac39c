"""Change against a baseline: decrease or increase, relative (%) or absolute (units, points)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qcheck.decimals import held
from qcheck.evaluation import Status
from tests.rules.helpers import catalogue_of, judge

PASS, FAIL, MISSING = Status.PASS, Status.FAIL, Status.MISSING


def change(kind: str, by: str = "0", measure: str = "relative", **more: Any) -> dict[str, Any]:
    """Return a change rule against 2020."""
    return {"kind": kind, "baseline_year": 2020, "by": by, "measure": measure, **more}


@pytest.mark.parametrize(
    ("now", "status"),
    [("120", PASS), ("119.99", FAIL), ("120.01", PASS), ("100", FAIL), ("90", FAIL)],
)
def test_an_increase_of_20_percent(now: str, status: Status) -> None:
    """比2020年增长20%: 100 -> 120 is on the line."""
    catalogue = catalogue_of(change("increase", "20"), unit="万元")
    result = judge(catalogue, ("t", "100", 2020), ("t", now, 2025), year=2025)
    assert result.status is status
    assert result.baseline == Decimal(100)
    assert result.relative_change == held((Decimal(now) - 100) / 100 * 100)


def test_a_rise_short_of_the_increase_asked_for_says_so() -> None:
    catalogue = catalogue_of(change("increase", "20"), unit="万元")
    result = judge(catalogue, ("t", "100", 2020), ("t", "110", 2025), year=2025)
    assert result.status is FAIL
    assert [r.code for r in result.reasons] == ["increase-too-small"]


@pytest.mark.parametrize(("now", "status"), [("77", PASS), ("77.01", FAIL), ("76", PASS)])
def test_a_fall_of_3_percentage_points(now: str, status: Status) -> None:
    """下降 3 个百分点: an absolute fall in the unit of a rate."""
    catalogue = catalogue_of(change("decrease", "3", "absolute"))
    result = judge(catalogue, ("t", "80", 2020), ("t", now, 2025), year=2025)
    assert result.status is status
    assert result.gap == Decimal(now) - 80


def test_any_fall_with_by_zero_and_no_fall_fails() -> None:
    catalogue = catalogue_of(change("decrease"))
    assert judge(catalogue, ("t", "80", 2020), ("t", "79.99", 2025), year=2025).status is PASS
    same = judge(catalogue, ("t", "80", 2020), ("t", "80", 2025), year=2025)
    assert (same.status, same.reasons) == (FAIL, ())


def test_a_relative_change_from_zero_is_missing_not_judged() -> None:
    catalogue = catalogue_of(change("increase", "20"), unit="万元")
    result = judge(catalogue, ("t", "0", 2020), ("t", "5", 2025), year=2025)
    assert result.status is MISSING
    assert [r.code for r in result.reasons] == ["zero-baseline"]


def test_an_absent_baseline_or_current_year_is_missing_naming_it() -> None:
    catalogue = catalogue_of(change("increase", "20"), unit="万元")
    result = judge(catalogue, ("t", "130", 2025), year=2025)
    assert (result.status, [r.code for r in result.reasons]) == (MISSING, ["no-baseline"])
    result = judge(catalogue, ("t", "100", 2020), year=2025)
    assert (result.status, [r.code for r in result.reasons]) == (MISSING, ["no-value"])


@pytest.mark.parametrize(
    ("rule", "words_zh", "words_en"),
    [
        (change("decrease"), "低于2020年值", "below the 2020 value"),
        (change("increase", "20"), "比2020年增长≥20%", "≥ 20% above the 2020 value"),
        (change("decrease", "3", "absolute"), "比2020年减少≥3 个百分点", "≥ 3 pp below"),
    ],
)
def test_the_rule_in_words(rule: dict[str, Any], words_zh: str, words_en: str) -> None:
    from qcheck.i18n import Texts

    catalogue = catalogue_of(rule)
    (target,) = catalogue.targets
    assert words_zh in Texts("zh", catalogue).rule(target)
    assert words_en in Texts("en", catalogue).rule(target)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (change("decrease", "100"), "less than 100%"),
        (change("decrease", "-1"), "greater than or equal to 0"),
        ({**change("increase"), "baseline_year": 2025}, "baseline_year must precede"),
        ({**change("increase"), "measure": "ratio"}, "measure"),
    ],
)
def test_bad_definitions_are_refused(rule: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        catalogue_of(rule)


@settings(max_examples=200, deadline=None)
@given(
    before=st.decimals(min_value=1, max_value=1000, places=1),
    now=st.decimals(min_value=0, max_value=1000, places=1),
    by=st.decimals(min_value=0, max_value=99, places=1),
    kind=st.sampled_from(["increase", "decrease"]),
)
def test_a_relative_change_is_judged_as_arithmetic_says(
    before: Decimal, now: Decimal, by: Decimal, kind: str
) -> None:
    catalogue = catalogue_of(change(kind, str(by)), unit="万元", target_year=2025)
    result = judge(catalogue, ("t", str(before), 2020), ("t", str(now), 2025), year=2025)
    sign = 1 if kind == "increase" else -1
    moved = sign * (now - before) > 0
    enough = sign * (now - before) * 100 >= by * before
    assert result.status is (PASS if moved and enough else FAIL)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "fell, but by less than 3 pp"), ("zh", "有所下降，但未达到3 个百分点的降幅")],
)
def test_a_fall_short_of_an_absolute_fall_names_it_in_the_unit(lang: str, words: str) -> None:
    from qcheck.i18n import Texts

    catalogue = catalogue_of(change("decrease", "3", "absolute"))
    result = judge(catalogue, ("t", "80", 2020), ("t", "78", 2025), year=2025)
    assert result.status is FAIL
    assert words in Texts(lang, catalogue).reasons(result)  # type: ignore[arg-type]


def test_a_year_in_the_period_but_not_after_the_baseline_is_not_judged() -> None:
    rule = {**change("increase", "20"), "baseline_year": 2022}
    catalogue = catalogue_of(rule, unit="万元")
    result = judge(catalogue, ("t", "100", 2022), year=2022)
    assert (result.status, [r.code for r in result.reasons]) == (
        MISSING,
        ["year-not-after-baseline"],
    )
