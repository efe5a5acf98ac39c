"""Change against a baseline: decrease or increase, relative (%) or absolute (units, points)."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qcheck.catalogue import Catalogue
from qcheck.decimals import held
from qcheck.evaluation import Status
from tests.helpers import run_cli
from tests.rules.files import check_targets, evaluate, write_files
from tests.rules.helpers import catalogue_of, document, judge

PASS, FAIL, MISSING = Status.PASS, Status.FAIL, Status.MISSING


def catalogue_in_degrees(rule: dict[str, Any]) -> Catalogue:
    """Return the catalogue of ``rule`` on a unit with figures below zero (degrees Celsius)."""
    doc = document(rule, unit="℃")
    doc["units"].append({"id": "℃", "name_zh": "摄氏度", "name_en": "degrees Celsius"})
    return Catalogue.model_validate(doc)


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
    assert (same.status, [(r.code, r.params) for r in same.reasons]) == (
        FAIL,
        [("decrease-not-made", {"year": 2020})],
    )


@pytest.mark.parametrize(("now", "status"), [("5", PASS), ("0", FAIL)])
def test_a_relative_change_from_zero_is_judged_by_its_direction(now: str, status: Status) -> None:
    """Every figure is there: from 0, any rise is more than 20% of it, and no rise is none."""
    catalogue = catalogue_of(change("increase", "20"), unit="万元")
    result = judge(catalogue, ("t", "0", 2020), ("t", now, 2025), year=2025)
    assert (result.status, result.relative_change) == (status, None)
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
    before=st.decimals(min_value=-1000, max_value=1000, places=1).filter(bool),
    now=st.decimals(min_value=-1000, max_value=1000, places=1),
    by=st.decimals(min_value=0, max_value=99, places=1),
    kind=st.sampled_from(["increase", "decrease"]),
    unit=st.sampled_from(["万元", "℃"]),
)
def test_a_relative_change_is_judged_as_arithmetic_says(
    before: Decimal, now: Decimal, by: Decimal, kind: str, unit: str
) -> None:
    """A change of ``by`` percent of the baseline's size, from a baseline of either sign."""
    if unit == "万元":  # no figure below zero
        before, now = abs(before), abs(now)
    rule = change(kind, str(by))
    catalogue = catalogue_in_degrees(rule) if unit == "℃" else catalogue_of(rule, unit=unit)
    result = judge(catalogue, ("t", str(before), 2020), ("t", str(now), 2025), year=2025)
    sign = 1 if kind == "increase" else -1
    moved = sign * (now - before) > 0
    enough = sign * (now - before) * 100 >= by * abs(before)
    assert result.status is (PASS if moved and enough else FAIL)
    assert result.relative_change == held((now - before) / abs(before) * 100)


@pytest.mark.parametrize(
    ("kind", "now", "status", "relative"),
    [
        ("increase", "-8", PASS, "20"),
        ("increase", "-8.01", FAIL, "19.9"),
        ("increase", "-12", FAIL, "-20"),
        ("decrease", "-12", PASS, "-20"),
        ("decrease", "-11.99", FAIL, "-19.9"),
        ("decrease", "-8", FAIL, "20"),
    ],
)
def test_a_relative_change_from_a_negative_baseline_is_of_its_size(
    kind: str, now: str, status: Status, relative: str
) -> None:
    """From -10 ℃, a rise of 20% is to -8 and a fall of 20% to -12."""
    catalogue = catalogue_in_degrees(change(kind, "20"))
    result = judge(catalogue, ("t", "-10", 2020), ("t", now, 2025), year=2025)
    assert result.status is status
    assert result.relative_change == Decimal(relative)
    assert result.relative_line == (20 if kind == "increase" else -20)


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_a_baseline_not_before_the_rules_last_year_is_refused(tmp_path: Path, year: int) -> None:
    """A baseline of 2023 with last_year 2022 would compare 2022 with 2023 as if it came later."""
    rule = {**change("increase"), "baseline_year": year, "last_year": 2022}
    words = (
        "target 't': baseline_year must precede the rule's last year 2022 (last_year, or the "
        f"plan's target_year); it is {year}"
    )
    with pytest.raises(ValidationError, match=re.escape(words)):
        catalogue_of(rule, unit="万元")
    result = check_targets(tmp_path, rule, unit="万元")
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    said = check_targets(tmp_path, rule, "--lang", "zh", unit="万元")
    assert (
        "目标 't'：baseline_year 必须早于规则的最后一年 2022（last_year，或方案的 target_year）；"
        f"现为 {year}"
    ) in said.stderr


def test_a_baseline_just_before_the_rules_last_year_is_accepted() -> None:
    rule = {**change("increase"), "baseline_year": 2021, "last_year": 2022}
    catalogue = catalogue_of(rule, unit="万元")
    result = judge(catalogue, ("t", "100", 2021), ("t", "101", 2022), year=2025)
    assert (result.status, result.value_year, result.baseline_year) == (PASS, 2022, 2021)


@pytest.mark.parametrize(("by", "accepted"), [("100", True), ("100.01", False), ("150", False)])
def test_an_absolute_change_larger_than_the_unit_spans_is_refused(
    tmp_path: Path, by: str, accepted: bool
) -> None:
    """On a 0–100 % unit no figure can rise by more than 100 percentage points."""
    rule = change("increase", by, "absolute")
    result = check_targets(tmp_path, rule, unit="%")
    if accepted:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert (
        f"target 't': by {by} is more than the 100 its unit '%' spans, so no figure could "
        "change that much"
    ) in result.stderr
    said = check_targets(tmp_path, rule, "--lang", "zh", unit="%")
    assert f"目标 't'：by 为 {by}，超过其单位 '%' 的取值跨度 100" in said.stderr


def test_an_absolute_change_on_a_unit_without_a_maximum_is_accepted() -> None:
    catalogue = catalogue_of(change("increase", "5000", "absolute"), unit="万元")
    result = judge(catalogue, ("t", "100", 2020), ("t", "5100", 2025), year=2025)
    assert result.status is PASS


BASELINE_2021 = {**change("increase", "20"), "baseline_year": 2021}


def test_the_baseline_year_itself_is_not_yet_due_and_reads_the_baseline() -> None:
    """Evaluated in its baseline year, a change has nothing to compare yet: not yet due."""
    catalogue = catalogue_of(BASELINE_2021, unit="万元")
    result = judge(catalogue, ("t", "100", 2021), year=2021)
    assert result.status is Status.NOT_DUE
    assert [(r.code, r.params) for r in result.reasons] == [
        ("year-not-after-baseline", {"year": 2021})
    ]
    assert [(obs.year, obs.value) for obs in result.observations] == [(2021, Decimal(100))]
    assert catalogue.target("t").rule.years_read(catalogue, 2021) == (2021,)
    assert catalogue.target("t").rule.years_read(catalogue, 2022) == (2021, 2022)


def test_a_year_before_a_baseline_inside_the_period_is_not_yet_due() -> None:
    catalogue = catalogue_of({**change("increase", "20"), "baseline_year": 2022}, unit="万元")
    result = judge(catalogue, ("t", "100", 2021), year=2021)
    assert (result.status, result.observations) == (Status.NOT_DUE, ())
    assert catalogue.target("t").rule.years_read(catalogue, 2021) == ()


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "2021 is the baseline year"), ("zh", "基准年为2021年")]
)
def test_the_baseline_year_on_the_command_line(tmp_path: Path, lang: str, words: str) -> None:
    """Not missing (so --fail-on missing passes), the baseline row used, the template asks once."""
    targets, report = write_files(
        tmp_path, BASELINE_2021, unit="万元", report="indicator,year,value\nt,2021,100\n"
    )
    result = evaluate(targets, report, 2021, "--fail-on", "missing", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert words in result.stdout
    assert "unused-row" not in result.output
    shown = evaluate(targets, report, 2021, "--format", "json")
    (entry,) = json.loads(shown.stdout)["reports"][0]["results"]
    assert entry["status"] == "not_due"
    template = run_cli(["template", "--targets", targets, "--year", "2021"])
    assert template.exit_code == 0, template.output
    assert [row["year"] for row in csv.DictReader(io.StringIO(template.stdout))] == ["2021"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "fell, but by less than 3 pp"), ("zh", "有所下降，但未达到3 个百分点的降幅")],
)
def test_a_fall_short_of_an_absolute_fall_names_it_in_the_unit(lang: str, words: str) -> None:
    from qcheck.i18n import Texts

    catalogue = catalogue_of(change("decrease", "3", "absolute"))
    result = judge(catalogue, ("t", "80", 2020), ("t", "78", 2025), year=2025)
    assert result.status is FAIL
    assert words in Texts(lang, catalogue).reasons(result)
