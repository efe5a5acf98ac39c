"""The embedded targets catalogue, the rejection of invalid catalogues, and name look-ups."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from qcheck.catalogue import Catalogue
from qcheck.loaders.targets import embedded_targets_text, load_catalogue, parse_targets
from qcheck.names import NameIndex, normalize_name
from qcheck.problems import TargetsError
from tests.helpers import SIX_REGIONS

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (
    Path(__file__).resolve().parents[3] / "shared" / "plan" / "zhangye-2018-quality-plan.zh.txt"
)
SOURCE = "bad-targets.yaml"

EXPECTED_IDS = (
    "leading_products_level",
    "consumer_goods_pass_rate",
    "manufacturing_pass_rate",
    "agricultural_products_pass_rate",
    "food_safety_pass_rate",
    "essential_drugs_coverage",
    "completed_projects_compliance",
    "major_projects_first_acceptance_rate",
    "water_projects_pass_rate",
    "water_projects_inspection_rate",
    "large_projects_excellence_rate",
    "service_satisfaction",
    "key_services_level",
    "pm10_concentration",
    "pm25_concentration",
    "good_air_days_ratio",
    "drinking_water_quality_ratio",
    "sme_quality_training",
    # The plan's dated and yes/no commitments, in the area `tasks`.
    "ganzhou_export_demo_county",
    "food_safety_demo_city",
    "startup_work_plans",
    "yearly_supervision_assessment",
    "quality_funding_in_budget",
    "quality_accident_reporting",
    "quality_risk_monitoring",
    "quality_in_performance_assessment",
    "quality_in_cadre_training",
)

Document = dict[str, Any]


# ---- the embedded catalogue ---------------------------------------------------------------


def test_embedded_catalogue_loads(catalogue: Catalogue) -> None:
    assert isinstance(catalogue, Catalogue)
    assert catalogue.plan.city_zh == "张掖市"
    assert (catalogue.plan.start_year, catalogue.plan.target_year) == (2018, 2020)
    assert tuple(region.id for region in catalogue.regions) == SIX_REGIONS


def test_catalogue_has_the_18_targets_then_the_tasks_in_plan_order(catalogue: Catalogue) -> None:
    assert tuple(target.id for target in catalogue.targets) == EXPECTED_IDS


def test_every_target_refers_to_a_known_area_and_unit(catalogue: Catalogue) -> None:
    for target in catalogue.targets:
        assert catalogue.area(target.area).id == target.area
        if target.rule.answers_yes_no:
            assert target.unit is None
        else:
            assert target.unit is not None
            assert catalogue.unit(target.unit).id == target.unit


def test_rules_of_the_catalogue(catalogue: Catalogue) -> None:
    kinds = {t.id: t.rule.kind for t in catalogue.targets}
    assert {i for i, kind in kinds.items() if kind == "achieved"} == {
        "leading_products_level",
        "key_services_level",
        "yearly_supervision_assessment",
        "quality_funding_in_budget",
        "quality_in_performance_assessment",
    }
    assert {i for i, kind in kinds.items() if kind == "decrease"} == {
        "pm10_concentration",
        "pm25_concentration",
    }
    expected = {
        "consumer_goods_pass_rate": {
            "kind": "at_least",
            "threshold": 90,
            "years": "every",
        },
        "manufacturing_pass_rate": {"kind": "at_least", "threshold": 92, "years": "every"},
        "food_safety_pass_rate": {"kind": "at_least", "threshold": 94},
        "essential_drugs_coverage": {"kind": "equals", "threshold": 100},
        "good_air_days_ratio": {
            "kind": "mean_of_regions",
            "test": {"kind": "at_least", "threshold": 82},
        },
        "drinking_water_quality_ratio": {"kind": "at_least", "threshold": Decimal("96.85")},
        "sme_quality_training": {"kind": "at_least", "threshold": 100, "years": "every"},
        "pm10_concentration": {"kind": "decrease", "baseline_year": 2017, "by": 10},
        "pm25_concentration": {"kind": "decrease", "baseline_year": 2017, "by": 10},
    }
    for target_id, spec in expected.items():
        rule = catalogue.target(target_id).rule
        assert rule.model_dump(exclude_defaults=True) == spec, target_id


def test_percentage_thresholds_are_the_plans_figures(catalogue: Catalogue) -> None:
    """A percentage threshold such as 96.85 is written in the plan's own words as 96.85%."""
    for target in catalogue.targets:
        threshold = target.rule.facts().get("threshold")
        if threshold is not None and target.unit == "%" and "%" in target.source.text:
            assert f"{threshold}%" in target.source.text, target.id


def test_every_source_text_is_quoted_verbatim_from_the_plan(catalogue: Catalogue) -> None:
    if not PLAN_TEXT.is_file():
        pytest.skip(f"the plan text is not available at {PLAN_TEXT}")
    plan = PLAN_TEXT.read_text(encoding="utf-8")
    missing = [t.id for t in catalogue.targets if t.source.text not in plan]
    assert missing == []


def test_task_labels_follow_the_plans_numbering(catalogue: Catalogue) -> None:
    """二(一)2 names task 2 under heading (一) of section 二, with the task's own title."""
    if not PLAN_TEXT.is_file():
        pytest.skip(f"the plan text is not available at {PLAN_TEXT}")
    plan = PLAN_TEXT.read_text(encoding="utf-8")
    tasks = plan[plan.index("二、主要任务") : plan.index("三、实施步骤")]
    heading, heading_title, where = "", "", {}
    for line in tasks.splitlines():
        if match := re.match(r"\(([一二三四五六七八九十]+)\)(\w+)", line):
            heading, heading_title = match.groups()
        elif match := re.match(r"(\d+)\.\s*(\w+)", line):
            # A task without a title of its own (14.) goes by its heading's.
            where[int(match.group(1))] = (heading, {match.group(2), heading_title})
    # The commitments of 三 and 四 belong to no task of 二: they have no lead_task.
    assert {t.id for t in catalogue.targets if not t.lead_task} == {
        t.id for t in catalogue.targets if t.source.clause[0] in "三四"
    }
    labels = [t.lead_task for t in catalogue.targets if t.lead_task] + [
        t.source.clause for t in catalogue.targets if t.source.clause.startswith("二")
    ]
    for label in labels:
        match = re.match(r"二\(([一二三四五六七八九十]+)\)(\d+) (\w+)", label)
        assert match, label
        heading, titles = where[int(match.group(2))]
        assert match.group(1) == heading, label
        assert match.group(3) in titles, label


def test_root_targets_file_is_identical_to_the_embedded_one() -> None:
    embedded = REPO_ROOT / "src" / "qcheck" / "targets.yaml"
    assert (REPO_ROOT / "targets.yaml").read_bytes() == embedded.read_bytes()
    assert embedded_targets_text().encode("utf-8") == embedded.read_bytes()


def test_load_targets_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_bytes((REPO_ROOT / "targets.yaml").read_bytes())
    assert tuple(target.id for target in load_catalogue(path).targets) == EXPECTED_IDS


def test_load_targets_names_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(TargetsError) as raised:
        load_catalogue(path)
    [problem] = raised.value.problems
    assert (problem.source, problem.code) == (str(path), "unreadable")


def test_load_targets_names_a_file_with_a_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_bytes(b"plan: \x80\xff")  # neither UTF-8 nor GB18030
    with pytest.raises(TargetsError) as raised:
        load_catalogue(path)
    [problem] = raised.value.problems
    assert (problem.source, problem.code) == (str(path), "bad-encoding")


# ---- invalid catalogues -------------------------------------------------------------------


@pytest.fixture(scope="module")
def document() -> Document:
    loaded = yaml.safe_load(embedded_targets_text())
    assert isinstance(loaded, dict)
    return loaded


def _index(document: Document, target_id: str) -> int:
    for index, target in enumerate(document["targets"]):
        if target["id"] == target_id:
            return index
    raise KeyError(target_id)


def _target(document: Document, target_id: str) -> dict[str, Any]:
    target: dict[str, Any] = document["targets"][_index(document, target_id)]
    return target


def _department_without_source(document: Document) -> None:
    document["departments"][1].pop("source")


def _department_twice(document: Document) -> None:
    document["departments"].append({"name": document["departments"][0]["name"]})


def _department_blank(document: Document) -> None:
    document["departments"][1]["now"] = " "


def _department_since_alone(document: Document) -> None:
    document["departments"][0]["since"] = 2019  # 市发改委, unchanged


def _lead_unit_twice(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["lead_units"] = ["市卫计委", "市卫计委"]


def _lead_unit_blank(document: Document) -> None:
    document.pop("departments")
    _target(document, "food_safety_pass_rate")["lead_units"] = [""]


def _undeclared_lead_unit(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["lead_units"] = ["市不存在局"]


def test_every_lead_unit_is_a_department_with_its_body_today(catalogue: Catalogue) -> None:
    for target in catalogue.targets:
        for name in target.lead_units:
            assert catalogue.department(name) is not None, (target.id, name)
    market = catalogue.department("市质监局")
    assert market is not None
    assert (market.now, market.confirmed) == ("张掖市市场监督管理局", False)
    assert market.source
    livestock = catalogue.department("市畜牧兽医局")  # still named so in a 2019-11 report
    assert livestock is not None
    assert livestock.now is None


def test_a_catalogue_without_departments_may_name_any_lead_unit(document: Document) -> None:
    free = copy.deepcopy(document)
    free.pop("departments")
    _target(free, "food_safety_pass_rate")["lead_units"] = ["任何单位"]
    parsed = parse_targets(yaml.safe_dump(free, allow_unicode=True), source=SOURCE)
    assert parsed.department("任何单位") is None


def _unknown_key(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["colour"] = "red"


def _unknown_rule_key(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["rule"]["treshold"] = 94


def _unknown_area(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["area"] = "nowhere"


def _unknown_unit(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["unit"] = "kg"


def _duplicate_id(document: Document) -> None:
    _target(document, "manufacturing_pass_rate")["id"] = "consumer_goods_pass_rate"


def _baseline_after_target_year(document: Document) -> None:
    _target(document, "pm10_concentration")["rule"]["baseline_year"] = 2021


def _baseline_in_target_year(document: Document) -> None:
    _target(document, "pm10_concentration")["rule"]["baseline_year"] = 2020


def _name_used_by_two_targets(document: Document) -> None:
    _target(document, "manufacturing_pass_rate")["aliases"] = ["食品安全抽检合格率"]


def _name_differing_only_in_case_and_width(document: Document) -> None:
    _target(document, "manufacturing_pass_rate")["aliases"] = ["ＦＯＯＤ safety sampling pass rate"]


def _region_named_like_the_city(document: Document) -> None:
    document["regions"][0]["aliases"] = ["全市"]


def _start_after_target_year(document: Document) -> None:
    document["plan"]["start_year"] = 2021


def _unknown_rule_kind(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["rule"]["kind"] = "at_leats"


def _qualitative_with_unit(document: Document) -> None:
    _target(document, "leading_products_level")["unit"] = "%"


def _numeric_without_unit(document: Document) -> None:
    del _target(document, "food_safety_pass_rate")["unit"]


def _bad_identifier(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["id"] = "Food Safety"


def _no_targets(document: Document) -> None:
    document["targets"] = []


def _mean_without_regions(document: Document) -> None:
    document["regions"] = []


def _target_year_no_report_carries(document: Document) -> None:
    document["plan"]["target_year"] = 2150


def _baseline_before_any_report(document: Document) -> None:
    _target(document, "pm10_concentration")["rule"]["baseline_year"] = 1990


def _threshold_outside_its_unit(document: Document) -> None:
    _target(document, "food_safety_pass_rate")["rule"]["threshold"] = 940


def _unit_minimum_above_maximum(document: Document) -> None:
    percent = next(unit for unit in document["units"] if unit["id"] == "%")
    percent["minimum"], percent["maximum"] = 100, 0


def _decrease_of_everything(document: Document) -> None:
    _target(document, "pm10_concentration")["rule"]["by"] = 100


INVALID: dict[str, tuple[Callable[[Document], None], str]] = {
    "unknown key": (_unknown_key, "Extra inputs are not permitted"),
    "unknown rule key": (_unknown_rule_key, "Extra inputs are not permitted"),
    "unknown area": (_unknown_area, "unknown area 'nowhere'"),
    "unknown unit": (_unknown_unit, "unknown unit 'kg'"),
    "duplicate id": (_duplicate_id, "'consumer_goods_pass_rate' is used twice"),
    "baseline after target year": (_baseline_after_target_year, "baseline_year must precede"),
    "baseline in target year": (_baseline_in_target_year, "baseline_year must precede"),
    "name used by two targets": (_name_used_by_two_targets, "'食品安全抽检合格率' is used twice"),
    "name differing in case and width": (_name_differing_only_in_case_and_width, "used twice"),
    "region named like the city": (_region_named_like_the_city, "'全市' is used twice"),
    "start after target year": (_start_after_target_year, "start_year must not be after"),
    "unknown rule kind": (_unknown_rule_kind, "at_leats"),
    "qualitative with a unit": (_qualitative_with_unit, "a qualitative target has no unit"),
    "number without a unit": (_numeric_without_unit, "needs a unit"),
    "bad identifier": (_bad_identifier, "should match pattern"),
    "no targets": (_no_targets, "at least 1 item"),
    "mean without regions": (_mean_without_regions, "reads regions, but none are defined"),
    # Targets no report could meet, or years no report may carry (evaluate used to exit 3).
    "target year no report carries": (_target_year_no_report_carries, "less than or equal to 2100"),
    "baseline before any report": (_baseline_before_any_report, "greater than or equal to 2000"),
    "threshold outside its unit": (_threshold_outside_its_unit, "outside the range of its unit"),
    "unit minimum above maximum": (_unit_minimum_above_maximum, "minimum is above maximum"),
    "a decrease of 100%": (_decrease_of_everything, "less than 100"),
    # A body's successor must say where it is stated; a lead unit must be a declared body.
    "a department today without a source": (_department_without_source, "say where 'now'"),
    "a department twice": (_department_twice, "is defined twice"),
    "a lead unit not among departments": (_undeclared_lead_unit, "is not among departments"),
    "a department named blank": (_department_blank, "a name is blank"),
    "a department since, with no now": (_department_since_alone, "since and confirmed tell"),
    "a lead unit named twice": (_lead_unit_twice, "is named twice"),
    "a lead unit blank": (_lead_unit_blank, "a lead unit is blank"),
}


def test_the_unchanged_document_is_valid(document: Document) -> None:
    text = yaml.safe_dump(copy.deepcopy(document), allow_unicode=True)
    assert tuple(t.id for t in parse_targets(text, source=SOURCE).targets) == EXPECTED_IDS


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_catalogue_is_rejected_naming_the_source(document: Document, case: str) -> None:
    mutate, message = INVALID[case]
    broken = copy.deepcopy(document)
    mutate(broken)
    with pytest.raises(TargetsError) as raised:
        parse_targets(yaml.safe_dump(broken, allow_unicode=True), source=SOURCE)
    problems = raised.value.problems
    assert problems
    assert all(problem.source == SOURCE for problem in problems)
    assert all(problem.code == "invalid-targets" for problem in problems)
    assert any(message in problem.message for problem in problems), [p.message for p in problems]
    assert SOURCE in str(raised.value)


def test_unknown_key_is_located_by_target_id(document: Document) -> None:
    broken = copy.deepcopy(document)
    _unknown_key(broken)
    with pytest.raises(TargetsError) as raised:
        parse_targets(yaml.safe_dump(broken, allow_unicode=True), source=SOURCE)
    [problem] = raised.value.problems
    index = _index(document, "food_safety_pass_rate")
    assert problem.column == f"targets.{index}(food_safety_pass_rate).colour"


@pytest.mark.parametrize(
    "text",
    ["plan: [unclosed\n  title: x\n", "plan:\n  title: x\n   city_zh: y\n", "targets: {a: 1\n"],
)
def test_bad_yaml_is_rejected_naming_the_source_and_line(text: str) -> None:
    with pytest.raises(TargetsError) as raised:
        parse_targets(text, source=SOURCE)
    [problem] = raised.value.problems
    assert (problem.source, problem.code) == (SOURCE, "bad-yaml")
    assert problem.row is not None


@pytest.mark.parametrize("text", ["", "- 1\n- 2\n", "just text\n"])
def test_a_document_that_is_not_a_mapping_is_rejected(text: str) -> None:
    with pytest.raises(TargetsError) as raised:
        parse_targets(text, source=SOURCE)
    assert [problem.source for problem in raised.value.problems] == [SOURCE]


# ---- name look-ups ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target_id"),
    [
        ("food_safety_pass_rate", "food_safety_pass_rate"),
        ("食品安全抽检合格率", "food_safety_pass_rate"),
        ("Food safety sampling pass rate", "food_safety_pass_rate"),
        ("FOOD SAFETY SAMPLING PASS RATE", "food_safety_pass_rate"),
        ("  food   safety sampling pass rate ", "food_safety_pass_rate"),
        ("FOOD_SAFETY_PASS_RATE", "food_safety_pass_rate"),
        (" 食品安全抽检合格率\u3000", "food_safety_pass_rate"),
        ("主导优势产品质量", "leading_products_level"),
        ("竣工工程质量达标率", "completed_projects_compliance"),
        ("PM10", "pm10_concentration"),
        ("pm10", "pm10_concentration"),
        ("ＰＭ１０", "pm10_concentration"),
        ("ＰＭ２．５", "pm25_concentration"),
        ("pm25", "pm25_concentration"),
        ("可吸入颗粒物平均浓度", "pm10_concentration"),
        ("空气质量优良天数比例", "good_air_days_ratio"),
        (
            "Share of days with good air quality, mean of the six counties and districts",
            "good_air_days_ratio",
        ),
        ("质量基础能力免费培训", "sme_quality_training"),
    ],
)
def test_indicator_names(catalogue: Catalogue, name: str, target_id: str) -> None:
    target = catalogue.indicator_names.get(name)
    assert target is not None
    assert target.id == target_id


@pytest.mark.parametrize("name", ["", "食品安全", "food safety", "PM1", "pm10 concentration"])
def test_unknown_indicator_names(catalogue: Catalogue, name: str) -> None:
    assert catalogue.indicator_names.get(name) is None


def test_every_id_and_name_finds_its_target(catalogue: Catalogue) -> None:
    for target in catalogue.targets:
        for name in (target.id, target.name_zh, target.name_en, *target.aliases):
            assert catalogue.indicator_names.get(name) is target


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("食品安全抽检合格律", "食品安全抽检合格率"),
        ("food_safety_pass_rat", "food_safety_pass_rate"),
        ("Food safety samplng pass rate", "Food safety sampling pass rate"),
    ],
)
def test_suggest_the_closest_indicator_name(
    catalogue: Catalogue, typo: str, suggestion: str
) -> None:
    assert catalogue.indicator_names.get(typo) is None
    assert catalogue.indicator_names.suggest(typo) == suggestion


def test_no_suggestion_for_something_unrelated(catalogue: Catalogue) -> None:
    assert catalogue.indicator_names.suggest("xyzzy") is None


@pytest.mark.parametrize(
    ("name", "region_id"),
    [
        ("甘州区", "ganzhou"),
        ("甘州", "ganzhou"),
        ("ganzhou", "ganzhou"),
        ("Ganzhou District", "ganzhou"),
        ("ＧＡＮＺＨＯＵ", "ganzhou"),
        ("肃南裕固族自治县", "sunan"),
        ("肃南县", "sunan"),
    ],
)
def test_region_names(catalogue: Catalogue, name: str, region_id: str) -> None:
    region = catalogue.region_names.get(name)
    assert region is not None
    assert region.id == region_id


@pytest.mark.parametrize("name", ["全市", "张掖市", "张掖", "Zhangye City", "zhangye", "city-wide"])
def test_city_names_map_to_none(catalogue: Catalogue, name: str) -> None:
    assert catalogue.region_names.get(name) is None
    assert normalize_name(name) in catalogue.region_names.as_mapping()


@pytest.mark.parametrize(
    ("name", "unit_id"),
    [
        ("%", "%"),
        ("百分比", "%"),
        ("µg/m³", "ug/m3"),
        ("μg/m3", "ug/m3"),
        ("微克/立方米", "ug/m3"),
        ("家", "户"),
    ],
)
def test_unit_names(catalogue: Catalogue, name: str, unit_id: str) -> None:
    unit = catalogue.unit_names.get(name)
    assert unit is not None
    assert unit.id == unit_id


def test_normalize_name_folds_width_spaces_and_case() -> None:
    assert normalize_name("  ＰＭ２．５\u3000 Mean ") == "pm2.5 mean"
    assert normalize_name("A \t B") == "a b"


def test_name_index_rejects_a_name_for_two_items() -> None:
    first, second = object(), object()
    assert NameIndex([("a", first), ("Ａ", first)]).get("a") is first
    with pytest.raises(ValueError, match="used twice"):
        NameIndex([("a", first), (" A ", second)])


@pytest.mark.parametrize("part", ["areas", "units", "regions"])
def test_an_id_defined_twice_is_refused(part: str) -> None:
    """A copy-pasted line would count a region twice, or let a second definition win."""
    from tests.rules.helpers import document

    doc = document({"kind": "every_region", "test": {"kind": "achieved"}}, unit=None)
    doc[part].append(dict(doc[part][-1]))
    with pytest.raises(ValidationError, match="is defined twice"):
        Catalogue.model_validate(doc)
