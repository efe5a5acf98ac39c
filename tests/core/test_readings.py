"""The default catalogue's readings of what the plan leaves open, and rows no rule read."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Result, Status, unused_row_problems
from qcheck.i18n import Texts
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import Problem
from tests.conftest import Row
from tests.helpers import REPO_ROOT, run_cli
from tests.rules.helpers import as_yaml, catalogue_of, report_of

CATALOGUE = load_catalogue()
STABLE = {"consumer_goods_pass_rate": Decimal(90), "manufacturing_pass_rate": Decimal(92)}
FALLS = ("pm10_concentration", "pm25_concentration")
PLAN_TEXT = REPO_ROOT.parent / "shared" / "plan" / "zhangye-2018-quality-plan.zh.txt"
INTERPRETED = {
    "consumer_goods_pass_rate",
    "manufacturing_pass_rate",
    "completed_projects_compliance",
    "large_projects_excellence_rate",
    "pm10_concentration",
    "pm25_concentration",
    "good_air_days_ratio",
    "sme_quality_training",
    # Every one of the plan's commitments: the plan gives no date, or no test of done, or both.
    *(t.id for t in CATALOGUE.targets if t.area == "tasks"),
}


def judge(target_id: str, *rows: Row, year: int = 2020) -> Result:
    """Judge rows against the default catalogue; return the result of one target."""
    report = report_of(CATALOGUE, *rows, year=year)
    (result,) = [r for r in report.results if r.target.id == target_id]
    return result


def codes(result: Result) -> list[str]:
    return [reason.code for reason in result.reasons]


# ---- 稳定在 X 以上: every year of the period, each reported and met -----------------------


@pytest.mark.parametrize("target_id", sorted(STABLE))
def test_a_stable_target_is_missing_without_its_earlier_years(target_id: str) -> None:
    # Before: the 2020 figure alone passed, so leaving out 2018 and 2019 could only help.
    result = judge(target_id, (target_id, "95", 2020))
    assert result.status is Status.MISSING
    assert result.reasons[0].code == "years-missing"
    assert result.reasons[0].params == {"years": (2018, 2019)}
    assert Texts("en", CATALOGUE).reasons(result) == "no value for 2018, 2019"


@pytest.mark.parametrize("target_id", sorted(STABLE))
def test_a_stable_target_names_the_one_year_left_out(target_id: str) -> None:
    result = judge(target_id, (target_id, "95", 2018), (target_id, "95", 2020))
    assert result.status is Status.MISSING
    assert [(r.code, r.params) for r in result.reasons] == [("no-value", {"year": 2019})]


@pytest.mark.parametrize("target_id", sorted(STABLE))
def test_a_stable_target_passes_on_the_line_every_year(target_id: str) -> None:
    line = str(STABLE[target_id])
    rows = [(target_id, line, year) for year in (2018, 2019, 2020)]
    result = judge(target_id, *rows)
    # Met on the line, inside the catalogue's 1 pp band; a point above it, met.
    assert (result.status, result.gap) == (Status.PASS_AT_RISK, Decimal(0))
    above = str(STABLE[target_id] + 1)
    result = judge(target_id, *rows[:2], (target_id, above, 2020))
    assert (result.status, result.gap) == (Status.PASS, Decimal(1))
    just_under = str(STABLE[target_id] - Decimal("0.01"))
    result = judge(target_id, *rows[:1], (target_id, just_under, 2019), *rows[2:])
    assert (result.status, result.failed_years) == (Status.FAIL, (2019,))


@given(
    figures=st.lists(
        st.one_of(st.none(), st.decimals(min_value=80, max_value=100, places=1)),
        min_size=3,
        max_size=3,
    )
)
def test_leaving_out_a_year_never_improves_a_stable_target(
    figures: list[Decimal | None],
) -> None:
    target_id = "consumer_goods_pass_rate"
    rows = [
        (target_id, str(value), year)
        for year, value in zip((2018, 2019, 2020), figures, strict=True)
        if value is not None
    ]
    result = judge(target_id, *rows)
    present = [value for value in figures if value is not None]
    if any(value < 90 for value in present):
        assert result.status is Status.FAIL
    elif len(present) < 3:
        assert result.status is Status.MISSING
    else:
        # The 2020 figure by less than the 1 pp band above the line: met, at risk.
        latest = figures[2]
        assert latest is not None
        assert result.status is (Status.PASS_AT_RISK if latest < 91 else Status.PASS)


def test_the_command_line_names_the_years_a_stable_target_lacks(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,value\n制造业产品质量抽查合格率,2020,95\n", encoding="utf-8")
    result = run_cli(["evaluate", str(report), "--format", "json", "--lang", "zh"])
    (item,) = [
        item
        for item in json.loads(result.stdout)["reports"][0]["results"]
        if item["id"] == "manufacturing_pass_rate"
    ]
    assert (item["status"], item["interpreted"]) == ("missing", True)
    assert item["reasons"] == [{"code": "years-missing", "years": [2018, 2019]}]
    assert "2018" in item["reason"]
    assert "2019" in item["reason"]


# ---- 明显下降: a fall of 10% or more from 2017 ---------------------------------------------


@pytest.mark.parametrize("target_id", FALLS)
def test_a_tiny_fall_is_not_a_marked_fall(target_id: str) -> None:
    # Before: 78 to 77.9 (-0.13%) was met.
    result = judge(target_id, (target_id, "78", 2017), (target_id, "77.9", 2020))
    assert result.status is Status.FAIL
    assert codes(result) == ["decrease-too-small"]
    assert "fell, but by less than 10%" in Texts("en", CATALOGUE).reasons(result)
    assert "10%" in Texts("zh", CATALOGUE).reasons(result)


@pytest.mark.parametrize(
    ("now", "status"),
    [
        # 78 less 10% is 70.2: met on the line, inside the 1 µg/m³ band; met a band below it.
        ("70.2", Status.PASS_AT_RISK),
        ("70.19", Status.PASS_AT_RISK),
        ("69.2", Status.PASS),
        ("70.21", Status.FAIL),
        ("78", Status.FAIL),
    ],
)
@pytest.mark.parametrize("target_id", FALLS)
def test_a_marked_fall_is_ten_percent_on_the_line(target_id: str, now: str, status: Status) -> None:
    result = judge(target_id, (target_id, "78", 2017), (target_id, now, 2020))
    assert result.status is status
    assert result.baseline_year == 2017


@given(
    before=st.decimals(min_value=1, max_value=500, places=1),
    now=st.decimals(min_value=0, max_value=600, places=1),
)
def test_a_fall_is_met_exactly_when_it_is_ten_percent_or_more(
    before: Decimal, now: Decimal
) -> None:
    result = judge("pm10_concentration", ("PM10", str(before), 2017), ("PM10", str(now), 2020))
    line = before * Decimal("0.9")
    met = Status.PASS_AT_RISK if line - now < 1 else Status.PASS  # the 1 µg/m³ band
    assert result.status is (met if now <= line else Status.FAIL)
    if now < before and result.status is Status.FAIL:
        assert codes(result) == ["decrease-too-small"]


# ---- every reading is marked, with its reason ----------------------------------------------


def test_the_readings_the_plan_leaves_open_are_marked() -> None:
    marked = {t.id for t in CATALOGUE.targets if t.interpretation is not None}
    assert marked == INTERPRETED
    for target_id in marked:
        interpretation = CATALOGUE.target(target_id).interpretation
        assert interpretation is not None
        assert interpretation.zh.strip(), target_id
        assert interpretation.en.strip(), target_id


def _interpretation(target_id: str) -> tuple[str, str]:
    interpretation = CATALOGUE.target(target_id).interpretation
    assert interpretation is not None, target_id
    return interpretation.zh, interpretation.en


def test_every_target_that_reads_2018_says_2018_counts_as_a_whole_year() -> None:
    # The plan's commitments are answered done or not, not summed over a year: see test_tasks.
    reading_2018 = [
        t.id
        for t in CATALOGUE.targets
        if 2018 in t.rule.years_read(CATALOGUE, 2020) and t.area != "tasks"
    ]
    assert sorted(reading_2018) == sorted([*STABLE, "sme_quality_training"])
    for target_id in reading_2018:
        zh, en = _interpretation(target_id)
        for words, text in ((("2018年7月", "全年"), zh), (("July 2018", "whole year"), en)):
            assert all(word in text for word in words), target_id


@pytest.mark.parametrize("target_id", sorted(STABLE))
def test_stable_is_read_as_every_year(target_id: str) -> None:
    target = CATALOGUE.target(target_id)
    assert "稳定在" in target.source.text
    assert target.rule.model_dump()["years"] == "every"
    zh, en = _interpretation(target_id)
    assert "2018—2020年每年" in zh
    assert "every year of 2018-2020" in en


@pytest.mark.parametrize("target_id", FALLS)
def test_the_marked_fall_states_its_size_baseline_and_source(target_id: str) -> None:
    target = CATALOGUE.target(target_id)
    assert "明显下降" in target.source.text
    assert target.rule.facts() == {"baseline_year": 2017, "by": Decimal(10), "measure": "relative"}
    zh, en = _interpretation(target_id)
    for text in (zh, en):
        for words in ("2017", "10%", "国发〔2013〕37号", "国发〔2018〕22号"):
            assert words in text, text
    assert "judgement" in en
    assert "判断" in zh


def test_the_six_county_mean_is_said_to_be_unweighted() -> None:
    target = CATALOGUE.target("good_air_days_ratio")
    assert target.rule.facts()["weights"] is None
    zh, en = _interpretation(target.id)
    assert "不加权" in zh
    assert "unweighted" in en


def test_the_scope_of_large_projects_is_stated() -> None:
    zh, en = _interpretation("large_projects_excellence_rate")
    assert all(word in zh for word in ("大型", "中型"))
    assert all(word in en for word in ("large", "medium"))


def test_the_reasons_cite_what_the_plan_says() -> None:
    if not PLAN_TEXT.is_file():
        pytest.skip(f"the plan text is not available at {PLAN_TEXT}")
    plan = PLAN_TEXT.read_text(encoding="utf-8")
    # The whole-year reading cites the yearly assessment of 三(二), which starts in July 2018.
    steps = plan[plan.index("三、实施步骤") : plan.index("四、保障措施")]
    assert "(二)全面实施阶段(2018年7月-2020年12月)" in steps
    assert "每年底" in steps
    # The large projects' scope sets them apart from 大中型工程, which the plan names too, and
    # the departments named lead task 二(四)12.
    assert all(words in plan for words in ("大中型工程", "大型工程综合优良率"))
    task = plan[plan.index("12. 深入开展工程建设质量安全提升行动") :]
    assert "牵头单位:市建设局、市交通运输局、市水务局" in task


# ---- rows no rule read: the hint says which case it is -------------------------------------


def _unused(catalogue: Catalogue, *rows: Row, year: int) -> list[Problem]:
    problems, more = unused_row_problems(report_of(catalogue, *rows, year=year))
    assert more == 0
    assert all(problem.code == "unused-row" for problem in problems)
    return list(problems)


def _hints(problem: Problem) -> tuple[str, str]:
    """Return a problem's hint in English and in Chinese."""
    assert problem.hint is not None
    assert problem.hint_zh is not None
    return problem.hint, problem.hint_zh


def test_a_countys_row_for_a_city_wide_target() -> None:
    (problem,) = _unused(CATALOGUE, ("食品安全抽检合格率", "95", 2020, "甘州区"), year=2020)
    hint, hint_zh = _hints(problem)
    assert hint.startswith("a county's figure for a target judged on the city-wide")
    assert hint_zh.startswith("按全市数据考核的指标填写了县区数据")


GANZHOU = catalogue_of({"kind": "at_least", "threshold": 80, "region": "ganzhou"})


def test_a_city_wide_row_for_a_target_judged_on_a_county() -> None:
    # Before: the hint called a city-wide row "a county's figure".
    (problem,) = _unused(GANZHOU, ("t", "90", 2025, "甘州区"), ("t", "90", 2025), year=2025)
    assert problem.row == 3
    hint, hint_zh = _hints(problem)
    assert hint.startswith("a city-wide figure for a target judged on counties'")
    assert "county's figure" not in hint
    assert hint_zh.startswith("按县区数据考核的指标填写了全市数据")


def test_a_row_of_a_county_the_target_does_not_read() -> None:
    (problem,) = _unused(
        GANZHOU, ("t", "90", 2025, "甘州区"), ("t", "90", 2025, "临泽县"), year=2025
    )
    assert problem.row == 3
    hint, hint_zh = _hints(problem)
    assert hint.startswith("a county the target does not read")
    assert hint_zh.startswith("该指标不考核这个县区")


def test_a_row_of_a_year_the_target_does_not_read() -> None:
    catalogue = catalogue_of({"kind": "at_least", "threshold": 80, "last_year": 2023})
    (problem,) = _unused(catalogue, ("t", "90", 2023), ("t", "90", 2025), year=2025)
    assert problem.row == 3
    hint, hint_zh = _hints(problem)
    assert hint.startswith("the target reads no figure for 2025")
    assert hint_zh.startswith("该指标不读取2025年的数据")


def test_standard_error_names_the_case_of_each_unused_row(tmp_path: Path) -> None:
    targets = tmp_path / "t.yaml"
    targets.write_text(
        as_yaml({"kind": "at_least", "threshold": 80, "region": "ganzhou"}), encoding="utf-8"
    )
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,region,value\nt,2025,甘州区,90\nt,2025,,90\n", "utf-8")
    for lang, words in (
        ("en", "(a city-wide figure for a target judged on counties' figures)"),
        ("zh", "（按县区数据考核的指标填写了全市数据）"),
    ):
        result = run_cli(["evaluate", str(report), "--targets", str(targets), "--lang", lang])
        assert result.exit_code == 0, result.output
        assert words in result.stderr
        assert "county's figure for a target judged on the city-wide" not in result.stderr
