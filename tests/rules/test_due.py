"""due: a commitment done, or not, by a date (2019 年底前完成)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from qcheck.evaluation import Status
from qcheck.i18n import Texts
from tests.helpers import run_cli
from tests.rules.files import check_targets, evaluate, write_files
from tests.rules.helpers import catalogue_of, judge

# 2023 年底前完成, in a 2021–2025 plan.
RULE = {"kind": "due", "due": "2023-12-31"}
CATALOGUE = catalogue_of(RULE, unit=None)


def answers(*given: tuple[int, str]) -> tuple[tuple[object, ...], ...]:
    """Return the rows of target ``t``: (year, answer) each."""
    return tuple(("t", answer, year) for year, answer in given)


def codes(result: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(reason.code, reason.params) for reason in result.reasons]


@pytest.mark.parametrize("done_in", [2021, 2022, 2023])
@pytest.mark.parametrize("year", [2023, 2025])
def test_done_by_the_due_year_is_met_naming_the_year(done_in: int, year: int) -> None:
    result = judge(CATALOGUE, *answers((done_in, "完成"), (2025, "是")), year=year)
    assert (result.status, result.value, result.value_year) == (Status.PASS, True, done_in)
    assert codes(result) == [("done-on-time", {"year": done_in, "due": "2023-12-31"})]


def test_done_early_is_met_before_the_due_year() -> None:
    result = judge(CATALOGUE, *answers((2021, "未完成"), (2022, "已完成")), year=2022)
    assert (result.status, result.value_year) == (Status.PASS, 2022)


@pytest.mark.parametrize("given", [(), ((2022, "未完成"),)], ids=["nothing", "not done"])
def test_before_the_due_year_it_is_not_yet_due(given: tuple[tuple[int, str], ...]) -> None:
    result = judge(CATALOGUE, *answers(*given), year=2022)
    assert (result.status, result.value) == (Status.NOT_DUE, None)
    assert codes(result) == [("due-later", {"due": "2023-12-31"})]


def test_done_only_after_the_due_year_is_late() -> None:
    result = judge(CATALOGUE, *answers((2023, "未完成"), (2024, "完成")), year=2025)
    assert (result.status, result.value, result.value_year) == (Status.FAIL, True, 2024)
    assert codes(result) == [("done-late", {"year": 2024, "due": "2023-12-31"})]


@pytest.mark.parametrize(
    ("given", "year", "named"),
    [
        (((2023, "未完成"),), 2023, 2023),
        (((2023, "no"),), 2025, 2023),
        (((2025, "否"),), 2025, 2025),  # the due year itself left out
        (((2023, "未完成"), (2024, "没有完成")), 2024, 2024),
    ],
)
def test_not_done_by_the_due_year_or_later_fails(
    given: tuple[tuple[int, str], ...], year: int, named: int
) -> None:
    result = judge(CATALOGUE, *answers(*given), year=year)
    assert (result.status, result.value, result.value_year) == (Status.FAIL, False, named)
    assert codes(result) == [("not-done", {"year": named, "due": "2023-12-31"})]


def test_no_answer_for_the_due_year_is_missing() -> None:
    result = judge(CATALOGUE, *answers((2022, "未完成")), year=2023)
    assert (result.status, result.value) == (Status.MISSING, None)
    assert codes(result) == [("no-value", {"year": 2023})]
    assert [obs.year for obs in result.observations] == [2022]


def test_every_year_without_an_answer_is_named() -> None:
    result = judge(CATALOGUE, year=2025)
    assert result.status == Status.MISSING
    assert codes(result) == [("years-missing", {"years": (2023, 2024, 2025)})]


def test_a_year_before_the_period_is_not_yet_due() -> None:
    catalogue = catalogue_of({**RULE, "first_year": 2022}, unit=None)
    result = judge(catalogue, ("t", "完成", 2021), year=2021)
    assert result.status == Status.NOT_DUE
    assert codes(result) == [("before-period", {"year": 2022})]


def test_a_due_date_in_the_last_year_of_the_period() -> None:
    catalogue = catalogue_of({**RULE, "due": "2025-06-30"}, unit=None)
    assert judge(catalogue, *answers((2025, "完成")), year=2025).status == Status.PASS
    assert judge(catalogue, *answers((2024, "未完成")), year=2024).status == Status.NOT_DUE


@pytest.mark.parametrize(
    ("rule", "unit", "words"),
    [
        (
            {**RULE, "due": "2020-12-31"},
            None,
            "due 2020-12-31 is outside the rule's period 2021–2025 (first_year, last_year)",
        ),
        (
            {**RULE, "due": "2026-01-01"},
            None,
            "due 2026-01-01 is outside the rule's period 2021–2025 (first_year, last_year)",
        ),
        (
            {**RULE, "first_year": 2024},
            None,
            "due 2023-12-31 is outside the rule's period 2024–2025 (first_year, last_year)",
        ),
        (
            {**RULE, "last_year": 2022},
            None,
            "due 2023-12-31 is outside the rule's period 2021–2022 (first_year, last_year)",
        ),
        ({**RULE, "due": "2023"}, None, "due '2023' is not a date written YYYY-MM-DD"),
        ({**RULE, "due": "1703980800"}, None, "due '1703980800' is not a date written"),
        ({**RULE, "due": "2023-02-30"}, None, "due '2023-02-30' is no day of the calendar"),
        ({**RULE, "due": "2023/12/31"}, None, "due '2023/12/31' is not a date written"),
        ({"kind": "due"}, None, "due"),
        (RULE, "%", "a qualitative target has no unit"),
    ],
    ids=[
        "before the plan",
        "after the plan",
        "before first_year",
        "after last_year",
        "a year",
        "seconds",
        "no such day",
        "slashes",
        "no date",
        "a unit",
    ],
)
def test_bad_definitions_are_refused_naming_the_target_and_field(
    tmp_path: Path, rule: dict[str, Any], unit: str | None, words: str
) -> None:
    with pytest.raises(ValidationError, match=words.replace("(", r"\(").replace(")", r"\)")):
        catalogue_of(rule, unit=unit)
    result = check_targets(tmp_path, rule, unit=unit)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert "'t'" in result.stderr or "targets.0(t)" in result.stderr
    assert "Traceback" not in result.stderr


def test_refusals_are_said_in_chinese(tmp_path: Path) -> None:
    result = check_targets(tmp_path, {**RULE, "due": "2020-12-31"}, "--lang", "zh", unit=None)
    assert result.exit_code == 2
    assert "目标 't'：due 2020-12-31 不在规则的期间 2021–2025（first_year、last_year）之内" in (
        result.stderr
    )
    result = check_targets(tmp_path, {**RULE, "due": "2023"}, "--lang", "zh", unit=None)
    assert "due '2023' 不是 YYYY-MM-DD 格式的日期（例如 2019-12-31）" in result.stderr


def test_described_in_both_languages() -> None:
    target = CATALOGUE.target("t")
    assert target.rule.answers_yes_no
    assert Texts("zh", CATALOGUE).rule(target) == "2023年12月31日前完成"
    assert Texts("en", CATALOGUE).rule(target) == "done by 2023-12-31"


def test_json_carries_the_due_date(tmp_path: Path) -> None:
    targets, report = write_files(
        tmp_path, RULE, unit=None, report="indicator,year,value\nt,2022,未完成\nt,2024,完成\n"
    )
    result = evaluate(targets, report, 2024, "--format", "json")
    assert result.exit_code == 1, result.output
    (entry,) = json.loads(result.stdout)["reports"][0]["results"]
    assert entry["rule"] == "due"
    assert entry["rule_facts"] == {"due": "2023-12-31"}
    assert (entry["status"], entry["value"], entry["value_year"]) == ("fail", True, 2024)
    assert entry["reasons"] == [{"code": "done-late", "year": 2024, "due": "2023-12-31"}]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["done by 2023-12-31", "not met", "done late: in 2024, after the due date"]),
        ("zh", ["2023年12月31日前完成", "未达标", "2024年才完成，已超过期限2023-12-31"]),
    ],
)
def test_the_table_says_the_date_and_when_it_was_done(
    tmp_path: Path, lang: str, words: list[str]
) -> None:
    targets, report = write_files(
        tmp_path, RULE, unit=None, report="indicator,year,value\nt,2024,完成\n"
    )
    result = evaluate(targets, report, 2025, "--lang", lang)
    assert result.exit_code == 1, result.output
    for word in words:
        assert word in result.stdout


def test_not_yet_due_in_the_table(tmp_path: Path) -> None:
    targets, report = write_files(
        tmp_path, RULE, unit=None, report="indicator,year,value\nt,2022,未完成\n"
    )
    result = evaluate(targets, report, 2022)
    assert result.exit_code == 0, result.output
    assert "not yet due" in result.stdout
    assert "due by 2023-12-31: not yet due" in result.stdout


def test_the_template_asks_for_every_year_of_the_period_read(tmp_path: Path) -> None:
    targets, _ = write_files(tmp_path, RULE, unit=None)
    result = run_cli(["template", "--targets", targets, "--year", "2025"])
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(record["year"]) for record in records] == [2021, 2022, 2023, 2024, 2025]
    assert {record["unit"] for record in records} == {""}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "due '2023-02-29' is no day of the calendar"),
        ("zh", "due '2023-02-29' 不是日历上存在的日期"),
    ],
)
def test_a_day_that_does_not_exist_is_called_that(tmp_path: Path, lang: str, words: str) -> None:
    result = check_targets(
        tmp_path, {"kind": "due", "due": "2023-02-29"}, "--lang", lang, unit=None
    )
    assert result.exit_code == 2
    assert words in result.output


@pytest.mark.parametrize(
    ("lang", "answer", "words"),
    [("en", "完成", "done"), ("zh", "完成", "完成"), ("en", "未完成", "not done")],
)
def test_an_answer_to_a_commitment_reads_done_not_met(lang: str, answer: str, words: str) -> None:
    catalogue = catalogue_of(RULE, unit=None)
    result = judge(catalogue, ("t", answer, 2025), year=2025)
    assert Texts(lang, catalogue).result_value(result).startswith(words)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "write 完成 or 未完成 (done / not done)"), ("zh", "请填写“完成”或“未完成”")],
)
def test_a_refused_answer_to_a_commitment_asks_for_done(
    tmp_path: Path, lang: str, words: str
) -> None:
    targets, report = write_files(
        tmp_path, RULE, unit=None, report="indicator,year,value\nt,2023,已建成\n"
    )
    result = run_cli(["validate", report, "--targets", targets, "--lang", lang], COLUMNS="300")
    assert result.exit_code == 2
    assert words in result.output
