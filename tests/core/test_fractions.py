"""Percentages written as fractions: plausible ranges per target, and a declared ratio unit."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcheck.catalogue import Catalogue
from qcheck.loaders.targets import embedded_targets_text, parse_targets
from qcheck.problems import TargetsError
from tests.conftest import Validate
from tests.core.test_verdicts import _both, _text
from tests.helpers import REPO_ROOT, run_cli

FOOD = "food_safety_pass_rate"  # at least 94%, plausible from 50
DRUGS = "essential_drugs_coverage"  # exactly 100%, plausible from 10
AIR = "good_air_days_ratio"  # mean of six counties at least 82%, plausible from 10
PM10 = "pm10_concentration"
SME = "sme_quality_training"
Document = dict[str, Any]


def _targets(change: Callable[[Document], None]) -> str:
    """Return the shipped targets file as YAML text, changed by ``change``."""
    document = yaml.safe_load(embedded_targets_text())
    change(document)
    return yaml.safe_dump(document, allow_unicode=True)


def _target(document: Document, target_id: str) -> Document:
    return next(t for t in document["targets"] if t["id"] == target_id)


def _plausible(target_id: str, plausible: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        _target(document, target_id)["plausible"] = plausible

    return change


def _refusal(change: Callable[[Document], None]) -> str:
    with pytest.raises(TargetsError) as raised:
        parse_targets(_targets(change), source="t.yaml")
    (problem,) = raised.value.problems
    assert problem.code == "invalid-targets"
    assert problem.message_zh
    assert re.search(r"[\u4e00-\u9fff]", problem.message_zh)
    return problem.message


# ---- the targets file: plausible ranges and units that convert, checked when loaded ----------


def _unknown_conversion(document: Document) -> None:
    ratio = next(unit for unit in document["units"] if unit["id"] == "ratio")
    ratio["converts"]["to"] = "‰"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _plausible("leading_products_level", {"minimum": 50}),
            "a qualitative target has no plausible range",
        ),
        (_plausible(FOOD, {}), "plausible: give a minimum, a maximum or both"),
        (_plausible(FOOD, {"minimum": 90, "maximum": 80}), "plausible: minimum is above maximum"),
        (
            _plausible(FOOD, {"minimum": -5}),
            "target 'food_safety_pass_rate': plausible: -5 is outside the range of its unit '%'",
        ),
        (
            _plausible(FOOD, {"minimum": 50, "maximum": 150}),
            "target 'food_safety_pass_rate': plausible: 150 is outside the range of its unit '%'",
        ),
        (
            _plausible(FOOD, {"minimum": 50, "maximum": 93.5}),
            "target 'food_safety_pass_rate': plausible: the rule's line 94 lies outside the "
            "plausible range 50–93.5: widen the range or correct the line",
        ),
        (
            _plausible(AIR, {"minimum": 90}),
            "target 'good_air_days_ratio': plausible: the rule's line 82 lies outside the "
            "plausible range ≥90: widen the range or correct the line",
        ),
        (_unknown_conversion, "unit 'ratio': converts to unknown unit '‰'"),
    ],
    ids=[
        "qualitative",
        "empty",
        "reversed",
        "below the unit",
        "above the unit",
        "threshold outside",
        "mean's test outside",
        "unknown conversion",
    ],
)
def test_a_bad_plausible_range_or_conversion_is_refused_when_loaded(
    change: Callable[[Document], None], message: str
) -> None:
    assert message in _refusal(change)


@pytest.mark.parametrize("plausible", [{"minimum": 94}, {"maximum": 94}, {"minimum": 94.0}])
def test_a_threshold_on_the_edge_of_the_plausible_range_is_accepted(plausible: object) -> None:
    catalogue = parse_targets(_targets(_plausible(FOOD, plausible)), source="t.yaml")
    assert catalogue.target(FOOD).plausible is not None


def test_targets_check_names_the_target_and_field(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(_targets(_plausible(FOOD, {"maximum": 90})), encoding="utf-8")
    result = run_cli(["targets", "--check", str(path)])
    assert result.exit_code == 2
    assert "target 'food_safety_pass_rate': plausible: the rule's line 94" in result.stderr
    zh = run_cli(["targets", "--check", str(path), "--lang", "zh"])
    assert zh.exit_code == 2
    assert "目标 'food_safety_pass_rate'：规则的界限 94 不在 plausible 范围 ≤90 内" in zh.stderr


# ---- the shipped catalogue's ranges ------------------------------------------------------------


def test_every_percentage_of_the_shipped_catalogue_refuses_a_fraction(catalogue: Catalogue) -> None:
    for target in catalogue.targets:
        if target.unit == "%":
            assert target.plausible is not None, target.id
            assert target.plausible.minimum is not None
            assert target.plausible.minimum > 1
        else:  # concentrations and counts are no percentages
            assert target.plausible is None, target.id
    assert (REPO_ROOT / "targets.yaml").read_text(encoding="utf-8") == embedded_targets_text()


@pytest.mark.parametrize(
    ("indicator", "value", "region", "meant"),
    [
        (FOOD, "0.95", "", "95"),
        (FOOD, "0.999", "", "99.9"),
        (DRUGS, "1", "", "100"),  # 1 for 100%: it had no warning at all
        (AIR, "0.82", "甘州区", "82"),
        ("water_projects_pass_rate", "1.0", "", "100"),
    ],
)
def test_a_fraction_for_a_percentage_is_refused_with_the_fix(
    validate: Validate, indicator: str, value: str, region: str, meant: str
) -> None:
    measurements, problems = validate((indicator, value, 2020, region), headers={"value": "数值"})
    assert measurements == []
    (problem,) = problems
    assert (problem.code, problem.severity, problem.row, problem.column) == (
        "implausible",
        "error",
        2,
        "数值",
    )
    assert problem.message.startswith(f"{value.rstrip('0').rstrip('.')} % is not a credible")
    assert f"write {meant}%" in (problem.hint or "")
    assert "ratio (比例)" in (problem.hint or "")
    assert f"请写成{meant}%" in (problem.hint_zh or "")
    assert "合理范围为≥" in (problem.message_zh or "")


@pytest.mark.parametrize(
    ("indicator", "value", "accepted"),
    [
        (FOOD, "50", True),  # on the line
        (FOOD, "49.99", False),  # just under
        (FOOD, "50.01", True),  # just over
        (FOOD, "100", True),
        (DRUGS, "10", True),
        (DRUGS, "9.99", False),
        (AIR, "60", True),  # a dusty year in a Hexi corridor county
        ("drinking_water_quality_ratio", "50", True),  # one source of two
        (PM10, "0.5", True),  # a concentration, not a percentage
        (SME, "1", True),  # a count
    ],
)
def test_plausible_range_boundaries(
    validate: Validate, indicator: str, value: str, accepted: bool
) -> None:
    region = "甘州区" if indicator == AIR else ""
    measurements, problems = validate((indicator, value, 2020, region))
    assert [m.value for m in measurements] == ([Decimal(value)] if accepted else [])
    assert [p.code for p in problems] == ([] if accepted else ["implausible"])


def test_an_implausible_figure_that_is_no_fraction_gets_the_general_fix(validate: Validate) -> None:
    (problem,) = validate((FOOD, "30"))[1]
    assert problem.message == (
        "30 % is not a credible figure for this indicator: the targets file expects ≥50 %"
    )
    assert problem.hint == (
        "check the figure; if it is right, widen the target's `plausible` in the targets file"
    )


# ---- a declared fraction: the unit 比例 (ratio) -----------------------------------------------


@pytest.mark.parametrize("unit", ["比例", "ratio", "fraction", "比值", "小数", "Ratio", "比 例"])
def test_a_declared_ratio_is_read_as_a_percentage_and_said_so(
    validate: Validate, unit: str
) -> None:
    measurements, problems = validate((FOOD, "0.952", 2020, "", unit), headers={"value": "数值"})
    assert [m.value for m in measurements] == [Decimal("95.2")]
    (warning,) = problems
    assert (warning.code, warning.severity, warning.row, warning.column) == (
        "unit-converted",
        "warning",
        2,
        "数值",
    )
    assert warning.message == "0.952 in ratio (比例) is read as 95.2%"
    assert warning.message_zh == "0.952（比例）已换算为95.2%"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1.01", "out-of-range", "1.01 is outside the range 0..1 of a figure in ratio"),
        ("95", "out-of-range", "95 is outside the range 0..1 of a figure in ratio"),
        ("-0.1", "out-of-range", "-0.1 is outside the range 0..1 of a figure in ratio"),
        ("95%", "unit-mismatch", "a percentage was given with the unit ratio"),
        ("0.3", "implausible", "30 % is not a credible figure"),  # converted, then judged
    ],
)
def test_a_ratio_outside_0_to_1_is_refused(
    validate: Validate, value: str, code: str, message: str
) -> None:
    measurements, problems = validate((FOOD, value, 2020, "", "比例"))
    assert measurements == []
    (problem,) = problems
    assert (problem.code, problem.severity) == (code, "error")
    assert problem.message.startswith(message)
    assert problem.hint
    assert problem.hint_zh


@pytest.mark.parametrize("value", ["0.5", "1"])
def test_a_ratio_is_refused_for_a_target_not_measured_in_percent(
    validate: Validate, value: str
) -> None:
    (problem,) = validate((PM10, value, 2020, "", "比例"))[1]
    assert problem.code == "unit-mismatch"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False))
def test_a_ratio_is_converted_exactly(validate_unguarded: Validate, ratio: Decimal) -> None:
    measurements, problems = validate_unguarded((FOOD, str(ratio), 2020, "", "ratio"))
    assert [m.value for m in measurements] == [ratio * 100]
    assert [p.code for p in problems] == ["unit-converted"]


def test_a_ratio_and_a_percentage_for_the_same_cell_are_one_figure(validate: Validate) -> None:
    rows = (FOOD, "95", 2020, "", "%"), (FOOD, "0.95", 2020, "", "比例")
    _, problems = validate(*rows)
    assert [p.code for p in problems] == ["unit-converted", "duplicate-identical"]


def test_a_remembered_figure_is_not_reused_under_another_unit(validate: Validate) -> None:
    # 0.95 read as a ratio is 95; the same cell with no unit is 0.95%, refused.
    rows = (FOOD, "0.95", 2019, "", "比例"), (FOOD, "0.95", 2020, "", "")
    measurements, problems = validate(*rows)
    assert [m.value for m in measurements] == [Decimal(95)]
    assert [p.code for p in problems] == ["unit-converted", "implausible"]
    # And the other way round: 95 remembered as a percentage is no ratio.
    rows = (FOOD, "95", 2019, "", ""), (FOOD, "95", 2020, "", "比例")
    assert [p.code for p in validate(*rows)[1]] == ["out-of-range"]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("指标,数值（比例）,年份", "食品安全抽检合格率"),
        ("指标,数值,年份", "食品安全抽检合格率（比例）"),
    ],
    ids=["value header", "indicator name"],
)
def test_a_ratio_in_brackets_is_the_rows_unit(in_tmp: Path, header: str, name: str) -> None:
    Path("r.csv").write_text(f"{header}\n{name},0.961,2020\n", encoding="utf-8")
    result = run_cli(["evaluate", "r.csv", "--format", "json"])
    report = json.loads(result.stdout)["reports"][0]
    food = next(r for r in report["results"] if r["id"] == FOOD)
    assert (food["status"], food["value"]) == ("pass", 96.1)
    assert [w["code"] for w in report["warnings"]] == ["unit-converted"]


# ---- no plausible range: a likely fraction is used with a warning ------------------------------


@pytest.mark.parametrize(("value", "warned"), [("0.95", True), ("1", True), ("1.01", False)])
def test_without_a_plausible_range_a_likely_fraction_is_warned_about(
    validate_unguarded: Validate, value: str, warned: bool
) -> None:
    measurements, problems = validate_unguarded((FOOD, value))
    assert [m.value for m in measurements] == [Decimal(value)]
    assert [p.code for p in problems] == (["looks-like-fraction"] if warned else [])


# ---- remembered verdicts give the same problems as the model ----------------------------------


def test_fractions_and_ratios_are_warned_about_on_every_row(
    catalogue: Catalogue, unguarded: Catalogue
) -> None:
    rows = [(FOOD, str(year), "", "95", "", "") for year in range(2000, 2060)]
    rows += [(FOOD, str(year), "", "0.95", "比例", "") for year in range(2060, 2080)]
    rows += [(FOOD, str(year), "", "0.95", "", "") for year in range(2080, 2090)]
    rows += [(FOOD, str(year), "", "95", "", "") for year in range(2090, 2101)]
    text = _text("indicator,year,region,value,unit,note", rows)
    for checked, fraction in ((catalogue, "implausible"), (unguarded, "looks-like-fraction")):
        fast, general = _both(checked, [text], batch=16)
        assert fast == general
        codes = [problem.code for problem in fast["problems"]]
        assert sorted(set(codes)) == sorted({"unit-converted", fraction})
        assert codes.count("unit-converted") == 20
        assert codes.count(fraction) == 10


# ---- commands and docs ---------------------------------------------------------------------------


def test_evaluate_refuses_a_fraction_and_judges_a_declared_ratio(in_tmp: Path) -> None:
    Path("bad.csv").write_text("指标,数值\n食品安全抽检合格率,0.95\n", encoding="utf-8")
    result = run_cli(["evaluate", "bad.csv", "--lang", "zh"])
    assert result.exit_code == 2
    assert "bad.csv，第2行，“数值”列：[implausible] 0.95%不是该指标可信的数值" in result.stderr
    Path("good.csv").write_text("指标,数值,单位\n食品安全抽检合格率,0.95,比例\n", encoding="utf-8")
    result = run_cli(["evaluate", "good.csv"])
    assert result.exit_code == 0  # 95% meets 94%; the other targets are missing
    assert "good.csv, row 2, column '数值': [unit-converted] 0.95 in ratio" in result.stderr


def test_docs_list_the_codes_of_fractions() -> None:
    problems = (REPO_ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    for code in ("implausible", "unit-converted", "looks-like-fraction"):
        assert f"`{code}`" in problems, code
    targets = (REPO_ROOT / "docs" / "targets.md").read_text(encoding="utf-8")
    targets_file = targets.split("## Writing a targets file")[1].split("\n## Kinds")[0]
    assert "plausible" in targets_file
    assert "converts" in targets_file
