"""The milestone kind: a threshold per year (2023 年达到 90%, 2025 年达到 95%)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qcheck.evaluation import Status
from qcheck.i18n import Texts
from qcheck.template import template_rows
from tests.helpers import run_cli
from tests.rules.helpers import REGIONS, as_yaml, catalogue_of, judge

STEPS = {"kind": "milestone", "thresholds": {2023: 90, 2025: 95}}


def milestone(**fields: Any) -> dict[str, Any]:
    """Return the rule '≥90% in 2023, ≥95% in 2025' with ``fields`` changed."""
    return {**STEPS, **fields}


@pytest.mark.parametrize(
    ("year", "value", "status", "gap"),
    [
        (2023, "90", Status.PASS, Decimal(0)),
        (2023, "89.99", Status.FAIL, Decimal("-0.01")),
        (2023, "90.01", Status.PASS, Decimal("0.01")),
        (2024, "90", Status.PASS, Decimal(0)),  # 2023's line is held until 2025's comes
        (2024, "89.99", Status.FAIL, Decimal("-0.01")),
        (2025, "94.99", Status.FAIL, Decimal("-0.01")),
        (2025, "95", Status.PASS, Decimal(0)),
        (2025, "95.01", Status.PASS, Decimal("0.01")),
    ],
)
def test_a_year_is_judged_by_the_latest_milestone_up_to_it(
    year: int, value: str, status: Status, gap: Decimal
) -> None:
    result = judge(catalogue_of(STEPS), ("t", value, year), year=year)
    assert (result.status, result.gap, result.value_year) == (status, gap, year)


@pytest.mark.parametrize(
    ("year", "value", "status"),
    [(2023, "10", Status.PASS), (2023, "10.01", Status.FAIL), (2025, "5.01", Status.FAIL)],
)
def test_at_most_keeps_the_figure_under_each_line(year: int, value: str, status: Status) -> None:
    catalogue = catalogue_of(milestone(comparison="at_most", thresholds={2023: 10, 2025: 5}))
    assert judge(catalogue, ("t", value, year), year=year).status == status


@pytest.mark.parametrize("year", [2021, 2022])
def test_a_year_before_the_first_milestone_is_not_yet_due(year: int) -> None:
    result = judge(catalogue_of(STEPS), ("t", "50", year), year=year)
    assert result.status == Status.NOT_DUE
    assert [(r.code, r.params) for r in result.reasons] == [
        ("before-first-milestone", {"year": 2023})
    ]
    assert result.observations == ()


def test_a_missing_year_is_missing() -> None:
    result = judge(catalogue_of(STEPS), ("t", "96", 2023), year=2024)
    assert result.status == Status.MISSING
    assert [(r.code, r.params) for r in result.reasons] == [("no-value", {"year": 2024})]


def test_every_year_is_judged_against_its_own_line() -> None:
    catalogue = catalogue_of(milestone(years="every", thresholds={2022: 90, 2024: 95}))
    rows = [("t", "90", 2022), ("t", "92", 2023), ("t", "95", 2024)]
    assert judge(catalogue, *rows, year=2024).status == Status.PASS
    # 2021 comes before the first milestone: not read, so not needed.
    assert judge(catalogue, *rows[:2], year=2023).status == Status.PASS
    broke = judge(catalogue, ("t", "90", 2022), ("t", "89.9", 2023), rows[2], year=2024)
    assert (broke.status, broke.failed_years, broke.value_year) == (Status.FAIL, (2023,), 2023)
    assert broke.gap == Decimal("-0.1")  # against 2023's line, 90, not 2024's
    under = judge(catalogue, rows[0], rows[1], ("t", "94", 2024), year=2024)
    assert (under.status, under.failed_years) == (Status.FAIL, (2024,))
    absent = judge(catalogue, rows[0], rows[2], year=2024)
    assert absent.status == Status.MISSING
    assert [(r.code, r.params) for r in absent.reasons] == [("no-value", {"year": 2023})]


def test_every_reported_year_is_judged_against_its_own_line() -> None:
    catalogue = catalogue_of(milestone(years="every_reported", thresholds={2022: 90, 2024: 95}))
    assert judge(catalogue, ("t", "91", 2023), ("t", "95", 2024), year=2024).status == Status.PASS
    broke = judge(catalogue, ("t", "89", 2023), ("t", "95", 2024), year=2024)
    assert broke.failed_years == (2023,)


def test_the_template_asks_only_for_years_from_the_first_milestone() -> None:
    every = catalogue_of(milestone(years="every", thresholds={2022: 90, 2024: 95}))
    assert [row.year for row in template_rows(catalogue=every, year=2024)] == [2022, 2023, 2024]
    assert template_rows(catalogue=catalogue_of(STEPS), year=2022) == []
    asked = template_rows(catalogue=catalogue_of(milestone(region="gaotai")), year=2024)
    assert [(row.year, row.region) for row in asked] == [(2024, "gaotai")]


def test_a_named_region_is_read_and_its_absence_named() -> None:
    catalogue = catalogue_of(milestone(region="gaotai"))
    assert judge(catalogue, ("t", "90", 2023, "高台县"), year=2023).status == Status.PASS
    missing = judge(catalogue, ("t", "90", 2023), year=2023)
    assert missing.status == Status.MISSING
    assert [(r.code, r.params) for r in missing.reasons] == [
        ("regions-missing", {"year": 2023, "regions": ("gaotai",)})
    ]


def test_the_mean_of_the_regions_is_judged_by_the_milestones() -> None:
    catalogue = catalogue_of({"kind": "mean_of_regions", "test": STEPS})
    rows = [("t", "90", year, region) for region in REGIONS for year in (2022, 2023, 2025)]
    assert judge(catalogue, *rows, year=2022).status == Status.NOT_DUE
    assert judge(catalogue, *rows, year=2023).status == Status.PASS
    late = judge(catalogue, *rows, year=2025)
    assert (late.status, late.value, late.gap) == (Status.FAIL, Decimal(90), Decimal(-5))


@settings(max_examples=60, deadline=None)
@given(
    thresholds=st.dictionaries(
        st.integers(2021, 2025), st.decimals(0, 100, places=1), min_size=1, max_size=5
    ),
    year=st.integers(2021, 2025),
    value=st.decimals(0, 100, places=1),
    at_most=st.booleans(),
)
def test_the_verdict_is_the_comparison_with_the_line_in_force(
    thresholds: dict[int, Decimal], year: int, value: Decimal, at_most: bool
) -> None:
    comparison = "at_most" if at_most else "at_least"
    catalogue = catalogue_of(milestone(thresholds=thresholds, comparison=comparison))
    result = judge(catalogue, ("t", str(value), year), year=year)
    reached = [step for step in thresholds if step <= year]
    if not reached:
        assert result.status == Status.NOT_DUE
        return
    line = thresholds[max(reached)]
    met = value <= line if at_most else value >= line
    assert result.status == (Status.PASS if met else Status.FAIL)
    assert result.gap == value - line


@pytest.mark.parametrize(
    ("lang", "rule", "words"),
    [
        ("en", STEPS, "≥90% in 2023, ≥95% in 2025"),
        ("zh", STEPS, "2023年≥90%，2025年≥95%"),
        (
            "en",
            milestone(comparison="at_most", thresholds={2025: 5, 2022: 8}),
            "≤8% in 2022, ≤5% in 2025",
        ),
        ("zh", milestone(region="ganzhou"), "甘州区2023年≥90%，2025年≥95%"),
        (
            "en",
            {"kind": "mean_of_regions", "test": STEPS},
            "mean of 6 regions ≥90% in 2023, ≥95% in 2025",
        ),
    ],
)
def test_the_milestones_in_words(lang: str, rule: dict[str, Any], words: str) -> None:
    catalogue = catalogue_of(rule)
    assert Texts(lang, catalogue).rule(catalogue.targets[0]) == words


def test_a_figure_just_under_its_line_is_never_shown_as_the_line() -> None:
    catalogue = catalogue_of(STEPS)
    result = judge(catalogue, ("t", "94.9999", 2025), year=2025)
    texts = Texts("en", catalogue)
    assert (texts.result_value(result), texts.gap(result)) == ("94.9999%", "-0.0001 pp")
    assert texts.observed(Decimal("89.9999"), catalogue.targets[0], 2024) == "89.9999%"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            milestone(thresholds={2026: 95}),
            "thresholds: the year 2026 is outside the rule's period 2021–2025",
        ),
        (
            milestone(first_year=2024),
            "thresholds: the year 2023 is outside the rule's period 2024–2025",
        ),
        (
            milestone(thresholds={2023: 90, 2025: 101}),
            "thresholds.2025 is 101, outside the range of its unit '%'",
        ),
        (milestone(thresholds={2023: -1}), "thresholds.2023 is -1, outside the range"),
    ],
)
def test_a_milestone_no_report_could_meet_is_refused(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=f"target 't': {message}"):
        catalogue_of(rule)


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        (milestone(thresholds={}), "milestone.thresholds"),
        ({"kind": "milestone"}, "milestone.thresholds"),
        (milestone(thresholds={2150: 90}), "milestone.thresholds.2150"),
        (milestone(thresholds={1999: 90}), "milestone.thresholds.1999"),
        (milestone(thresholds={2023: "high"}), "milestone.thresholds.2023"),
        (milestone(comparison="more"), "milestone.comparison"),
    ],
)
def test_a_bad_field_is_refused_by_its_path(rule: dict[str, Any], key: str) -> None:
    with pytest.raises(ValidationError, match=f"targets.0.rule.{key}"):
        catalogue_of(rule)


@pytest.mark.parametrize(
    ("rule", "lang", "said"),
    [
        (
            milestone(thresholds={2026: 95}),
            "en",
            "target 't': thresholds: the year 2026 is outside the rule's period 2021–2025",
        ),
        (
            milestone(thresholds={2026: 95}),
            "zh",
            "目标 't'：thresholds 中的 2026 年不在该规则的考核期 2021–2025 之内",
        ),
        (
            milestone(thresholds={2025: 101}),
            "zh",
            "目标 't'：thresholds.2025 为 101，超出其单位 '%' 的取值范围",
        ),
        (milestone(thresholds={}), "zh", "“targets.0(t).rule.thresholds”列"),
    ],
)
def test_targets_check_refuses_a_bad_milestone(
    tmp_path: Path, rule: dict[str, Any], lang: str, said: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(as_yaml(rule), encoding="utf-8")
    result = run_cli(["targets", "--check", str(path), "--lang", lang])
    assert result.exit_code == 2
    assert said in result.stderr
    assert "Traceback" not in result.output


def _evaluate(tmp_path: Path, rows: str, *args: str) -> Any:
    (tmp_path / "t.yaml").write_text(as_yaml(STEPS), encoding="utf-8")
    (tmp_path / "r.csv").write_text("indicator,value,year\n" + rows, encoding="utf-8")
    target_args = ["--targets", str(tmp_path / "t.yaml")]
    return run_cli(["evaluate", str(tmp_path / "r.csv"), *target_args, *args], COLUMNS="80")


def test_json_carries_the_milestones(tmp_path: Path) -> None:
    result = _evaluate(tmp_path, "t,93,2024\n", "--year", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["reports"][0]["results"]
    assert found["rule"] == "milestone"
    assert found["rule_facts"] == {"comparison": "at_least", "thresholds": {"2023": 90, "2025": 95}}
    assert (found["status"], found["value"], found["gap"]) == ("pass", 93, 3)


def test_json_says_not_yet_due_before_the_first_milestone(tmp_path: Path) -> None:
    result = _evaluate(tmp_path, "t,93,2022\n", "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["reports"][0]["results"]
    assert found["status"] == "not_due"
    assert found["reasons"] == [{"code": "before-first-milestone", "year": 2023}]
    assert found["reason"] == "the first milestone is 2023: not yet due"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "the first milestone is 2023: not yet due"), ("zh", "首个目标节点为2023年，尚未到期")],
)
def test_the_table_says_when_the_first_milestone_comes(
    tmp_path: Path, lang: str, words: str
) -> None:
    result = _evaluate(tmp_path, "t,93,2022\n", "--year", "2022", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert words in result.stdout


@pytest.mark.parametrize("kind", ["every_region", "k_of_regions", "mean_of_regions"])
def test_a_regional_rule_is_not_due_before_its_tests_first_milestone(kind: str) -> None:
    """Before 2023 there is no line to meet: no county's figure fails it."""
    from tests.rules.helpers import REGIONS, catalogue_of, judge

    test = {"kind": "milestone", "thresholds": {2023: 90, 2025: 95}}
    rule: dict[str, object] = {"kind": kind, "test": test}
    if kind == "k_of_regions":
        rule["k"] = 5
    catalogue = catalogue_of(rule)
    rows = [("t", "50", 2022, region) for region in REGIONS]
    result = judge(catalogue, *rows, year=2022)
    assert result.status is Status.NOT_DUE
    assert [r.code for r in result.reasons] == ["before-first-milestone"]
    assert judge(catalogue, *[(t, v, 2023, r) for t, v, _, r in rows], year=2023).status is (
        Status.FAIL
    )


def test_a_mean_is_not_due_before_its_own_period() -> None:
    from tests.rules.helpers import REGIONS, catalogue_of, judge

    rule = {"kind": "mean_of_regions", "test": {"kind": "at_least", "threshold": 80}}
    catalogue = catalogue_of({**rule, "first_year": 2023})
    rows = [("t", "50", 2022, region) for region in REGIONS]
    assert judge(catalogue, *rows, year=2022).status is Status.NOT_DUE
