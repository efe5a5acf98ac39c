"""A rule of one figure with a named region (甘州区创建国家级示范县): that region's figure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qcheck.evaluation import Status, unused_row_problems
from qcheck.i18n import Texts
from tests.helpers import run_cli
from tests.rules.helpers import as_yaml, catalogue_of, judge, report_of
from tests.rules.regional import YEAR, check_refused, json_result, run_on, template_regions

CREATED = {"kind": "achieved", "region": "ganzhou"}
AT_LEAST_80 = {"kind": "at_least", "threshold": 80, "region": "ganzhou"}


def test_the_named_region_met() -> None:
    catalogue = catalogue_of(CREATED, unit=None)
    result = judge(catalogue, ("t", "达到", YEAR, "甘州区"), year=YEAR)
    assert (result.status, result.value) == (Status.PASS, True)
    assert [obs.region for obs in result.observations] == ["ganzhou"]
    assert Texts("zh", catalogue).rule(catalogue.targets[0]) == "甘州区达到"


def test_the_named_region_not_met() -> None:
    catalogue = catalogue_of(CREATED, unit=None, target_year=YEAR)
    result = judge(catalogue, ("t", "否", YEAR, "ganzhou"), year=YEAR)
    assert (result.status, result.value) == (Status.FAIL, False)


@pytest.mark.parametrize(
    ("value", "status"),
    [("80", Status.PASS), ("79.99", Status.FAIL), ("80.01", Status.PASS)],
    ids=["on the line", "just under", "just over"],
)
def test_a_threshold_on_the_named_region(value: str, status: Status) -> None:
    catalogue = catalogue_of(AT_LEAST_80, target_year=YEAR)
    result = judge(catalogue, ("t", value, YEAR, "甘州区"), year=YEAR)
    assert (result.status, result.value) == (status, Decimal(value))


def test_the_named_region_absent_is_missing_naming_it() -> None:
    catalogue = catalogue_of(CREATED, unit=None)
    result = judge(catalogue, ("t", "达到", YEAR, "临泽县"), year=YEAR)
    assert result.status is Status.MISSING
    assert Texts("en", catalogue).reasons(result) == "2023: no value from Ganzhou"
    assert Texts("zh", catalogue).reasons(result) == "2023年缺少：甘州区"


def test_a_city_wide_row_is_not_taken_for_the_named_region() -> None:
    catalogue = catalogue_of(CREATED, unit=None)
    report = report_of(catalogue, ("t", "达到", YEAR), year=YEAR)
    (result,) = report.results
    assert result.status is Status.MISSING
    assert result.observations == ()
    (problem,), _ = unused_row_problems(report)
    assert problem.code == "unused-row"
    # The row is the city's, the target the county's: the hint must not say the reverse.
    assert problem.hint == (
        "a city-wide figure for a target judged on counties' figures: "
        "give the counties' figures the target reads, or remove the row"
    )
    assert problem.hint_zh == (
        "按县区数据考核的指标填写了全市数据：请填写该指标所用的各县区数据，或删除此行"
    )


def test_the_city_wide_row_is_pointed_out_on_standard_error(in_tmp: Path) -> None:
    result = run_on(CREATED, {None: "达到"}, unit=None)
    assert result.exit_code == 0
    assert "(a city-wide figure for a target judged on counties' figures)" in result.stderr
    assert "a county's figure" not in result.stderr
    zh = run_on(CREATED, {None: "达到"}, "--lang", "zh", unit=None)
    assert "（按县区数据考核的指标填写了全市数据）" in zh.stderr


def test_a_county_row_for_a_city_wide_target_keeps_its_hint(in_tmp: Path) -> None:
    result = run_on({"kind": "achieved"}, {"ganzhou": "达到"}, unit=None)
    assert (
        "Ganzhou (a county's figure for a target judged on the city-wide figure)" in result.stderr
    )


def test_an_unknown_region_is_refused(in_tmp: Path) -> None:
    english, chinese = check_refused({"kind": "achieved", "region": "nowhere"}, unit=None)
    assert "target 't': unknown region 'nowhere'" in english
    assert "目标 't'：未知县区 'nowhere'" in chinese


def test_a_region_that_is_no_identifier_is_refused(in_tmp: Path) -> None:
    english, _ = check_refused({"kind": "achieved", "region": "甘州区"}, unit=None)
    assert "rule.region" in english


def test_json_and_template_of_the_named_region(in_tmp: Path) -> None:
    found = json_result(CREATED, {"ganzhou": "是"}, unit=None)
    assert (found["status"], found["value"], found["rule"]) == ("pass", True, "achieved")
    assert [obs["region"] for obs in found["observations"]] == ["ganzhou"]
    assert template_regions(CREATED, unit=None) == ["Ganzhou"]


def test_the_check_accepts_a_named_region(in_tmp: Path) -> None:
    Path("t.yaml").write_text(as_yaml(CREATED, unit=None), encoding="utf-8")
    result = run_cli(["targets", "--check", "t.yaml"])
    assert result.exit_code == 0, result.output


def test_every_kind_that_reads_one_series_reads_a_named_regions() -> None:
    """东区2023年底前完成, 甲县比2020年增长20%, 甲县累计培训300户: any one-series kind."""
    from tests.rules.helpers import catalogue_of as of
    from tests.rules.helpers import judge as judged

    met, missing = Status.PASS, Status.MISSING

    due = of({"kind": "due", "due": "2023-12-31", "region": "ganzhou"}, unit=None)
    assert judged(due, ("t", "完成", 2023, "甘州区"), year=2023).status is met
    assert judged(due, ("t", "完成", 2023), year=2023).status is missing
    rise = of({"kind": "increase", "baseline_year": 2021, "by": 20, "region": "ganzhou"})
    rows = [("t", "50", 2021, "甘州区"), ("t", "60", 2025, "甘州区")]
    assert judged(rise, *rows, year=2025).status is met
    total = of({"kind": "cumulative", "total": 300, "region": "ganzhou"}, unit="户")
    years = [("t", "60", year, "甘州区") for year in range(2021, 2026)]
    result = judged(total, *years, year=2025)
    assert (result.status, result.value) == (met, 300)
    assert Texts("zh", total).rule(total.targets[0]).startswith("甘州区2021")
