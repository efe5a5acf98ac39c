"""The plan's dated and yes/no commitments: the catalogue's area `tasks`, judged and templated."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from qcheck.evaluation import Status
from qcheck.loaders.targets import load_catalogue
from tests.core.test_readings import PLAN_TEXT, codes, judge
from tests.helpers import SAMPLES, run_cli

CATALOGUE = load_catalogue()
ALL_YEARS = (2018, 2019, 2020)

# Each task: its clause, the lead units the plan names for it, and its rule.
TASKS: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {
    "ganzhou_export_demo_county": (
        "二(三)9 突出抓好农产品质量提升",
        ("市农业局", "市畜牧兽医局"),
        {"kind": "due", "due": "2020-12-31", "region": "ganzhou"},
    ),
    "food_safety_demo_city": (
        "二(三)10 突出抓好食品药品优质供给",
        ("市食药监局", "市卫计委"),
        {"kind": "due", "due": "2020-12-31"},
    ),
    "startup_work_plans": (
        "三(一) 组织启动阶段(2018年7月)",
        (),
        {"kind": "due", "due": "2018-07-31"},
    ),
    "yearly_supervision_assessment": (
        "三(二) 全面实施阶段(2018年7月-2020年12月)",
        ("市督查考核局", "市质量发展领导小组"),
        {"kind": "achieved", "years": "every"},
    ),
    "quality_funding_in_budget": (
        "四(二) 加大财政金融扶持力度",
        (),
        {"kind": "achieved", "years": "every", "first_year": 2019},
    ),
    "quality_accident_reporting": (
        "四(三) 加强质量制度建设",
        (),
        {"kind": "due", "due": "2020-12-31"},
    ),
    "quality_risk_monitoring": (
        "四(三) 加强质量制度建设",
        (),
        {"kind": "due", "due": "2020-12-31"},
    ),
    "quality_in_performance_assessment": (
        "四(五) 强化目标管理督查考核",
        (),
        {"kind": "achieved", "years": "every"},
    ),
    "quality_in_cadre_training": (
        "四(六) 加大宣传引导力度",
        (),
        {"kind": "due", "due": "2020-12-31"},
    ),
}


def plan_text() -> str:
    if not PLAN_TEXT.is_file():
        pytest.skip(f"the plan text is not available at {PLAN_TEXT}")
    return PLAN_TEXT.read_text(encoding="utf-8")


def clause_text(plan: str, clause: str) -> str:
    """Return the paragraph of the plan a clause such as 二(三)9 or 四(五) names."""
    if match := re.match(r"二\([一二三四五六]\)(\d+) ", clause):
        task = re.search(rf"\n{match.group(1)}\.\s", plan)  # the plan writes "9.\xa0"
        assert task, clause
        start = task.start()
    else:
        section, heading = re.match(r"([三四])(\([一二三四五六]\))", clause).groups()  # type: ignore[union-attr]
        start = plan.index(heading, plan.index(f"{section}、"))
    end = plan.find("\n\n", start + 2)
    return plan[start : end if end != -1 else len(plan)]


# ---- the catalogue -----------------------------------------------------------------------------


def test_the_tasks_are_the_area_after_the_targets_in_plan_order() -> None:
    assert [t.id for t in CATALOGUE.targets if t.area == "tasks"] == list(TASKS)
    assert CATALOGUE.targets[-len(TASKS)].id == next(iter(TASKS))
    assert (CATALOGUE.areas[-1].id, CATALOGUE.areas[-1].name_zh) == ("tasks", "任务与措施")


@pytest.mark.parametrize("target_id", TASKS)
def test_each_task_states_its_clause_lead_units_rule_and_reading(target_id: str) -> None:
    clause, leads, rule = TASKS[target_id]
    target = CATALOGUE.target(target_id)
    assert (target.area, target.source.clause, target.lead_units) == ("tasks", clause, leads)
    assert target.rule.answers_yes_no
    assert target.unit is None
    assert target.rule.model_dump(mode="json", exclude_defaults=True) == rule
    assert target.interpretation is not None  # the plan says of none how completion is judged
    due = rule.get("due")
    if due is not None and due != "2018-07-31":  # the plan dates only the start-up phase
        assert "2020年12月31日" in target.interpretation.zh
        assert "2020-12-31" in target.interpretation.en
    if not leads:
        assert "未为此指定牵头单位" in target.interpretation.zh
        assert "names no lead unit" in target.interpretation.en


@pytest.mark.parametrize("target_id", TASKS)
def test_each_task_quotes_the_plan_under_its_clause_with_its_lead_units(target_id: str) -> None:
    plan = plan_text()
    clause, leads, _ = TASKS[target_id]
    target = CATALOGUE.target(target_id)
    paragraph = clause_text(plan, clause)
    assert target.source.text in paragraph, target_id
    assert clause.split(" ", 1)[1].split("(")[0] in paragraph  # the clause's own title
    if clause.startswith("二"):
        assert f"牵头单位:{'、'.join(leads)};" in paragraph
        assert target.lead_task == clause
    else:  # 三 and 四 name no 牵头单位; 三(二) names who assesses the work
        assert "牵头单位" not in paragraph
        assert all(unit in paragraph for unit in leads)


def test_every_lead_unit_of_a_task_is_a_declared_department() -> None:
    declared = {department.name for department in CATALOGUE.departments}
    assert {unit for _, leads, _ in TASKS.values() for unit in leads} <= declared


def test_a_task_whose_2018_answer_is_asked_says_how_july_2018_is_read() -> None:
    asked = [
        t
        for t in CATALOGUE.targets
        if t.area == "tasks"
        and t.rule.kind == "achieved"
        and 2018 in t.rule.years_read(CATALOGUE, 2020)
    ] + [CATALOGUE.target("startup_work_plans")]
    assert len(asked) == 3
    for target in asked:
        assert target.interpretation is not None
        assert "2018年7月" in target.interpretation.zh, target.id
        assert "July 2018" in target.interpretation.en, target.id


# ---- due: done by a date -----------------------------------------------------------------------

CITY = "food_safety_demo_city"  # due 2020-12-31: the plan's end, qcheck's reading
START = "startup_work_plans"  # due 2018-07-31: the plan's own date


@pytest.mark.parametrize("done_in", [2018, 2019, 2020])
def test_done_by_the_due_year_is_met(done_in: int) -> None:
    result = judge(CITY, (CITY, "完成", done_in))
    assert (result.status, result.value, result.value_year) == (Status.PASS, True, done_in)
    assert codes(result) == ["done-on-time"]


def test_the_start_up_phase_done_in_2018_is_on_time_and_in_2019_late() -> None:
    on_time = judge(START, (START, "完成", 2018))
    assert (on_time.status, codes(on_time)) == (Status.PASS, ["done-on-time"])
    late = judge(START, (START, "未完成", 2018), (START, "完成", 2019))
    assert (late.status, late.value_year, codes(late)) == (Status.FAIL, 2019, ["done-late"])


def test_not_done_by_the_due_year_fails() -> None:
    result = judge(CITY, (CITY, "未完成", 2019), (CITY, "未完成", 2020))
    assert (result.status, result.value, codes(result)) == (Status.FAIL, False, ["not-done"])
    start = judge(START, (START, "未完成", 2018), year=2018)
    assert (start.status, codes(start)) == (Status.FAIL, ["not-done"])


def test_no_answer_for_the_due_year_is_missing() -> None:
    assert judge(CITY).status is Status.MISSING
    # A "not done" of an earlier year says nothing of the due year itself.
    result = judge(CITY, (CITY, "未完成", 2019))
    assert (result.status, codes(result)) == (Status.MISSING, ["no-value"])


def test_a_year_before_the_due_date_is_not_yet_due() -> None:
    for rows in [(), ((CITY, "未完成", 2019),)]:
        result = judge(CITY, *rows, year=2019)
        assert (result.status, codes(result)) == (Status.NOT_DUE, ["due-later"])
    done_early = judge(CITY, (CITY, "完成", 2018), year=2019)
    assert done_early.status is Status.PASS


def test_ganzhous_county_is_answered_in_ganzhous_row_not_the_citys() -> None:
    county = "ganzhou_export_demo_county"
    assert judge(county, (county, "完成", 2019)).status is Status.MISSING
    result = judge(county, (county, "完成", 2019, "甘州区"))
    assert (result.status, result.value_region) == (Status.PASS, None)
    assert [obs.region for obs in result.observations] == ["ganzhou"]


# ---- achieved, each year -----------------------------------------------------------------------

YEARLY = "yearly_supervision_assessment"
BUDGET = "quality_funding_in_budget"


def test_a_yearly_task_met_every_year_is_met() -> None:
    result = judge(YEARLY, *((YEARLY, "达到", year) for year in ALL_YEARS))
    assert result.status is Status.PASS


def test_a_yearly_task_not_met_in_one_year_fails_naming_it() -> None:
    rows = [(YEARLY, "达到", 2018), (YEARLY, "未达到", 2019), (YEARLY, "达到", 2020)]
    result = judge(YEARLY, *rows)
    assert (result.status, result.failed_years) == (Status.FAIL, (2019,))


def test_a_yearly_task_without_a_years_answer_is_missing_naming_it() -> None:
    result = judge(YEARLY, (YEARLY, "达到", 2018), (YEARLY, "达到", 2020))
    assert result.status is Status.MISSING
    assert [(r.code, r.params) for r in result.reasons] == [("no-value", {"year": 2019})]
    # Judged for 2019, the years up to 2019 are all it needs.
    earlier = judge(YEARLY, (YEARLY, "达到", 2018), (YEARLY, "达到", 2019), year=2019)
    assert earlier.status is Status.PASS


def test_the_budget_is_asked_from_2019_only() -> None:
    before = judge(BUDGET, year=2018)
    assert (before.status, codes(before)) == (Status.NOT_DUE, ["before-period"])
    result = judge(BUDGET, (BUDGET, "是", 2019), (BUDGET, "是", 2020))
    assert result.status is Status.PASS
    assert judge(BUDGET, (BUDGET, "是", 2020)).status is Status.MISSING


# ---- the samples and the template --------------------------------------------------------------


@pytest.mark.parametrize(
    "inputs",
    [
        ["report-2020-all-met.csv"],
        ["report-2020-with-failures.csv"],
        ["report-2020.yaml"],
        ["city-2020.csv", "counties"],
    ],
)
def test_every_2020_sample_has_every_task_met(inputs: list[str]) -> None:
    paths = [str(SAMPLES / name) for name in inputs]
    result = run_cli(["evaluate", *paths, "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["reports"]
    statuses = {item["id"]: item["status"] for item in report["results"]}
    assert {statuses[target_id] for target_id in TASKS} == {"pass"}


@pytest.mark.parametrize(
    ("lang", "done", "met"),
    [
        ("zh", "填写“完成”或“未完成”", "填写“达到”或“未达到”"),
        ("en", "write done or not done", "write met or not met"),
    ],
)
def test_the_template_lists_every_task_with_its_answer_words(
    lang: str, done: str, met: str
) -> None:
    result = run_cli(["template", "--format", "yaml", "--lang", lang])
    assert result.exit_code == 0
    items = yaml.safe_load(result.stdout)["measurements"]
    by_name = {name: t for t in CATALOGUE.targets for name in (t.name_zh, t.name_en)}
    notes: dict[str, set[str]] = {}
    for item in items:
        target = by_name[item["indicator"]]
        notes.setdefault(target.id, set()).add(item.get("note", ""))
        if target.id == "ganzhou_export_demo_county":
            assert item["region"] in ("甘州区", "Ganzhou District")
    assert set(TASKS) <= set(notes)
    for target_id, found in notes.items():
        rule = CATALOGUE.target(target_id).rule
        expected = (done if rule.kind == "due" else met) if rule.answers_yes_no else ""
        assert found == {expected}, target_id


# ---- the tables stay tables --------------------------------------------------------------------


def test_a_chinese_table_of_80_columns_keeps_its_columns_with_the_tasks() -> None:
    report = run_cli(
        ["evaluate", str(SAMPLES / "report-2020-with-failures.csv"), "--lang", "zh"], COLUMNS="80"
    )
    assert report.stdout.splitlines()[2].split() == ["指标", "目标", "实际", "差距", "状态"]
    assert "甘州区2020年12月" in report.stdout  # the rule folds rather than crowd the table out
    targets = run_cli(["targets", "--lang", "zh"], COLUMNS="80")
    assert targets.stdout.splitlines()[0].split() == ["指标", "目标", "牵头单位"]
