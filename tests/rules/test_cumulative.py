"""cumulative: the yearly figures of a period added up against a total (三年累计培训 300 户)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Status
from qcheck.i18n import Texts
from qcheck.verdicts import InUnit
from tests.helpers import run_cli
from tests.rules.files import check_targets, evaluate, write_files
from tests.rules.helpers import catalogue_of, document, judge

# 三年累计培训 300 户, over 2021–2023 of a 2021–2025 plan.
RULE = {"kind": "cumulative", "total": 300, "first_year": 2021, "last_year": 2023}
CATALOGUE = catalogue_of(RULE, unit="户")


def rows(*figures: tuple[int, object]) -> tuple[tuple[object, ...], ...]:
    """Return the rows of target ``t``: (year, value) each."""
    return tuple(("t", value, year) for year, value in figures)


@pytest.mark.parametrize(
    ("last", "status", "gap"),
    [(99, Status.FAIL, -1), (100, Status.PASS, 0), (101, Status.PASS, 1)],
    ids=["just under", "on the line", "just over"],
)
def test_the_sum_at_the_end_of_the_period_meets_the_total_or_not(
    last: int, status: Status, gap: int
) -> None:
    result = judge(CATALOGUE, *rows((2021, 120), (2022, 80), (2023, last)), year=2023)
    assert result.status == status
    assert result.value == 200 + last
    assert result.gap == gap
    assert result.value_year == 2023
    assert [(r.code, r.params) for r in result.reasons] == [
        ("sum-of-years", {"years": (2021, 2022, 2023)})
    ]
    assert [obs.year for obs in result.observations] == [2021, 2022, 2023]


def test_after_the_period_the_sum_of_its_years_is_judged_and_later_years_ignored() -> None:
    figures = rows((2021, 100), (2022, 100), (2023, 99), (2024, 500))
    result = judge(CATALOGUE, *figures, year=2025)
    assert (result.status, result.value, result.value_year) == (Status.FAIL, 299, 2023)
    assert [obs.year for obs in result.observations] == [2021, 2022, 2023]


def test_a_year_absent_at_the_end_makes_the_target_missing_even_if_the_rest_suffice() -> None:
    result = judge(CATALOGUE, *rows((2022, 200), (2023, 200)), year=2023)
    assert result.status == Status.MISSING
    assert result.value is None
    assert [(r.code, r.params) for r in result.reasons] == [("no-value", {"year": 2021})]


def test_every_absent_year_is_named() -> None:
    result = judge(CATALOGUE, *rows((2022, 400)), year=2024)
    assert result.status == Status.MISSING
    assert [(r.code, r.params) for r in result.reasons] == [
        ("years-missing", {"years": (2021, 2023)})
    ]


def test_before_the_end_a_total_reached_already_is_met() -> None:
    result = judge(CATALOGUE, *rows((2021, 180), (2022, 120)), year=2022)
    assert (result.status, result.value, result.gap) == (Status.PASS, Decimal(300), Decimal(0))
    assert [(r.code, r.params) for r in result.reasons] == [
        ("sum-of-years", {"years": (2021, 2022)})
    ]


def test_before_the_end_a_total_not_reached_is_not_yet_due_with_the_sum_so_far() -> None:
    result = judge(CATALOGUE, *rows((2021, 180), (2022, 119)), year=2022)
    assert result.status == Status.NOT_DUE
    assert (result.value, result.gap) == (299, None)
    assert [(r.code, r.params) for r in result.reasons] == [
        ("sum-so-far", {"sum": InUnit(Decimal(299)), "years": (2021, 2022)}),
        ("total-due", {"year": 2023}),
    ]


def test_before_the_end_a_year_absent_makes_it_missing_naming_the_year() -> None:
    result = judge(CATALOGUE, *rows((2022, 100)), year=2022)
    assert (result.status, result.value) == (Status.MISSING, None)
    assert [(r.code, r.params) for r in result.reasons] == [("no-value", {"year": 2021})]
    nothing = judge(CATALOGUE, year=2021)
    assert (nothing.status, nothing.value) == (Status.MISSING, None)
    assert [(r.code, r.params) for r in nothing.reasons] == [("no-value", {"year": 2021})]


def test_a_year_left_out_never_lets_an_early_verdict_stand_that_a_later_year_withdraws() -> None:
    """2021 absent, 2022 = 400 of a 300 total: missing from 2022 on, not met then missing."""
    figures = rows((2022, 400), (2023, 0))
    assert [judge(CATALOGUE, *figures, year=year).status for year in (2022, 2023, 2024)] == [
        Status.MISSING
    ] * 3
    for year in (2022, 2023):
        reasons = judge(CATALOGUE, *figures, year=year).reasons
        assert [(r.code, r.params) for r in reasons] == [("no-value", {"year": 2021})]


@settings(max_examples=150, deadline=None)
@given(
    figures=st.lists(
        st.one_of(st.none(), st.integers(min_value=0, max_value=200)), min_size=3, max_size=3
    ),
    comparison=st.sampled_from(["at_least", "at_most"]),
)
def test_a_verdict_given_early_is_the_verdict_at_the_end(
    figures: list[int | None], comparison: str
) -> None:
    """Any year absent so far makes it missing; with every year given, an early verdict holds."""
    catalogue = catalogue_of({**RULE, "comparison": comparison}, unit="户")
    years = (2021, 2022, 2023)
    given_rows = rows(*((y, f) for y, f in zip(years, figures, strict=True) if f is not None))
    statuses = [judge(catalogue, *given_rows, year=year).status for year in years]
    for year, status in zip(years, statuses, strict=True):
        absent = [f for f in figures[: year - 2020] if f is None]
        assert (status == Status.MISSING) == bool(absent), (year, statuses)
    if None not in figures:
        decided = [s for s in statuses if s in {Status.PASS, Status.FAIL}]
        assert decided == [statuses[-1]] * len(decided), statuses


def test_a_year_before_the_period_is_not_yet_due() -> None:
    catalogue = catalogue_of({**RULE, "first_year": 2022}, unit="户")
    result = judge(catalogue, ("t", 500, 2021), year=2021)
    assert result.status == Status.NOT_DUE
    assert [(r.code, r.params) for r in result.reasons] == [("before-period", {"year": 2022})]
    assert catalogue.target("t").rule.years_read(catalogue, 2021) == ()


@pytest.mark.parametrize(
    ("figures", "year", "status"),
    [
        (((2021, 100), (2022, 100), (2023, 100)), 2023, Status.PASS),
        (((2021, 100), (2022, 100), (2023, 101)), 2023, Status.FAIL),
        (((2021, 100), (2022, 100)), 2022, Status.NOT_DUE),
        (((2021, 200), (2022, 101)), 2022, Status.FAIL),  # already past the ceiling
    ],
    ids=["on the line", "just over", "below so far", "over already"],
)
def test_at_most_a_total(figures: tuple[tuple[int, int], ...], year: int, status: Status) -> None:
    catalogue = catalogue_of({**RULE, "comparison": "at_most"}, unit="户")
    assert judge(catalogue, *rows(*figures), year=year).status == status


def test_no_early_verdict_where_a_later_year_could_lower_the_sum() -> None:
    doc = document({**RULE, "total": 10}, unit="t")
    doc["units"].append({"id": "t", "name_zh": "吨", "name_en": "tonnes"})  # no minimum
    catalogue = Catalogue.model_validate(doc)
    result = judge(catalogue, ("t", 50, 2021), ("t", 0, 2022), year=2022)
    assert result.status == Status.NOT_DUE
    assert judge(
        catalogue, ("t", 50, 2021), ("t", 0, 2022), ("t", -45, 2023), year=2023
    ).status == (Status.FAIL)


@settings(max_examples=150, deadline=None)
@given(
    figures=st.lists(
        st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
        min_size=3,
        max_size=3,
    ),
    total=st.integers(min_value=0, max_value=300),
    year=st.integers(min_value=2023, max_value=2025),
)
def test_the_verdict_is_a_plain_sum_and_any_absent_year_makes_it_missing(
    figures: list[Decimal | None], total: int, year: int
) -> None:
    catalogue = catalogue_of({**RULE, "total": total}, unit="%")
    given_rows = [
        ("t", f, y) for y, f in zip((2021, 2022, 2023), figures, strict=True) if f is not None
    ]
    result = judge(catalogue, *given_rows, year=year)
    absent = tuple(y for y, f in zip((2021, 2022, 2023), figures, strict=True) if f is None)
    if absent:
        assert result.status == Status.MISSING
        assert result.value is None
        (reason,) = result.reasons
        assert reason.params.get("years", (reason.params.get("year"),)) == absent
        return
    plain = sum((f for f in figures if f is not None), Decimal(0))
    assert result.value == plain
    assert result.gap == plain - total
    assert result.status == (Status.PASS if plain >= total else Status.FAIL)


@pytest.mark.parametrize(
    ("rule", "unit", "words"),
    [
        ({**RULE, "total": -1}, "户", "total -1 is outside what 3 yearly figures"),
        ({**RULE, "total": 301}, "%", "total 301 is outside what 3 yearly figures"),
        ({**RULE, "first_year": 2020}, "户", "first_year 2020 is outside the plan's years"),
        ({**RULE, "last_year": 2026}, "户", "last_year 2026 is outside the plan's years"),
        ({**RULE, "first_year": 2024}, "户", "first_year 2024 is after last_year 2023"),
        ({**RULE, "comparison": "equals"}, "户", "comparison"),
        ({"kind": "cumulative"}, "户", "total"),
        (RULE, None, "a cumulative target needs a unit"),
    ],
    ids=["negative", "above the unit", "early", "late", "reversed", "equals", "no total", "unit"],
)
def test_bad_definitions_are_refused_naming_the_target_and_field(
    tmp_path: Path, rule: dict[str, Any], unit: str | None, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        catalogue_of(rule, unit=unit)
    result = check_targets(tmp_path, rule, unit=unit)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert "'t'" in result.stderr or "targets.0(t)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_total_the_unit_allows_is_accepted_on_its_edges(tmp_path: Path) -> None:
    assert check_targets(tmp_path, {**RULE, "total": 300}, unit="%").exit_code == 0
    assert check_targets(tmp_path, {**RULE, "total": 0}, unit="户").exit_code == 0


def test_refusals_are_said_in_chinese(tmp_path: Path) -> None:
    result = check_targets(tmp_path, {**RULE, "total": -1}, "--lang", "zh", unit="户")
    assert result.exit_code == 2
    assert "目标 't'：total -1 超出其单位 '户' 的3个年度数值之和可能的范围" in result.stderr
    result = check_targets(tmp_path, {**RULE, "first_year": 2020}, "--lang", "zh", unit="户")
    assert "目标 't'：first_year 2020 不在方案的年份 2021–2025 之内" in result.stderr


def test_described_in_both_languages() -> None:
    target = CATALOGUE.target("t")
    assert Texts("zh", CATALOGUE).rule(target) == "2021–2023年累计≥300 户"
    assert Texts("en", CATALOGUE).rule(target) == "total ≥ 300 households over 2021–2023"
    one_year = catalogue_of({**RULE, "first_year": 2023, "comparison": "at_most"}, unit="户")
    assert Texts("en", one_year).rule(one_year.target("t")) == "total ≤ 300 households over 2023"


def test_json_carries_the_rule_facts_and_the_sum(tmp_path: Path) -> None:
    targets, report = write_files(
        tmp_path, RULE, unit="户", report="indicator,year,value\nt,2021,100\nt,2022,90\n"
    )
    result = evaluate(targets, report, 2022, "--format", "json")
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["reports"][0]["results"]
    assert entry["rule"] == "cumulative"
    assert entry["rule_facts"] == {
        "total": 300,
        "comparison": "at_least",
        "first_year": 2021,
        "last_year": 2023,
    }
    assert (entry["status"], entry["value"], entry["gap"]) == ("not_due", 190, None)
    assert entry["reasons"] == [
        {"code": "sum-so-far", "sum": 190, "years": [2021, 2022]},
        {"code": "total-due", "year": 2023},
    ]
    assert (
        entry["reason"]
        == "190 households so far (2021, 2022); the total is judged at the end of 2023"
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["total ≥ 300 households over 2021–2023", "met", "sum of 2021, 2022, 2023"]),
        ("zh", ["2021–2023年累计≥300 户", "达标", "2021、2022、2023年合计"]),
    ],
)
def test_the_table_says_the_rule_the_sum_and_its_years(
    tmp_path: Path, lang: str, words: list[str]
) -> None:
    targets, report = write_files(
        tmp_path,
        RULE,
        unit="户",
        report="indicator,year,value\nt,2021,100\nt,2022,90\nt,2023,110\n",
    )
    result = evaluate(targets, report, 2023, "--lang", lang)
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.stdout
    assert "300" in result.stdout


@pytest.mark.parametrize(("year", "years"), [(2025, [2021, 2022, 2023]), (2022, [2021, 2022])])
def test_the_template_asks_for_every_year_of_the_period_read(
    tmp_path: Path, year: int, years: list[int]
) -> None:
    targets, _ = write_files(tmp_path, RULE, unit="户")
    result = run_cli(["template", "--targets", targets, "--year", str(year)])
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(record["year"]) for record in records] == years
    # The plan accepts 全市 but not "city-wide": an English template writes its own name.
    assert {record["region"] for record in records} == {"Zhangye"}


def test_a_plausible_range_bounds_each_years_figure_not_the_total() -> None:
    """A year's figure of at most 150 can add up to a total of 300: the range is per figure."""
    catalogue = catalogue_of(RULE, unit="户", plausible={"minimum": 0, "maximum": 150})
    assert catalogue.target("t").rule.edges(2023) == ()
    result = judge(catalogue, *rows((2021, 100), (2022, 100), (2023, 100)), year=2023)
    assert (result.status, result.value, result.pairs) == (
        Status.PASS,
        300,
        ((Decimal(300), Decimal(300)),),
    )


def test_a_total_no_credible_years_could_reach_is_refused() -> None:
    """Five years of at most 100 each cannot add up to 1,000."""
    rule = {"kind": "cumulative", "total": 1000}
    with pytest.raises(ValidationError, match="outside what 5 credible yearly figures"):
        catalogue_of(rule, unit="户", plausible={"maximum": 100})
    catalogue_of({**rule, "total": 500}, unit="户", plausible={"maximum": 100})
