"""The command line end to end through Click's CliRunner: outputs, messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qcheck import __version__
from tests.helpers import REPO_ROOT, SIX_REGIONS, json_summary, run_cli

FAILURES = "samples/report-2020-with-failures.csv"
ALL_MET = "samples/report-2020-all-met.csv"
COUNTY_FILES = sorted(
    str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "samples/counties").glob("*.csv")
)


pytestmark = pytest.mark.usefixtures("cli_environment")


run = run_cli


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_version() -> None:
    result = run(["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"qcheck, version {__version__}"


def test_module_entry_point_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "qcheck", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert __version__ in completed.stdout


@pytest.mark.parametrize("args", [["--help"], ["evaluate", "--help"]])
def test_help_has_examples(args: list[str]) -> None:
    result = run(args)
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "qcheck evaluate" in result.output


def test_all_met_exits_0() -> None:
    result = run(["evaluate", ALL_MET, "--lang", "en"])
    assert result.exit_code == 0, result.output
    # Agricultural products at 98.6% against ≥98: met by less than the 1 pp band.
    assert "27 targets: 26 met, 0 not met, 0 missing, 1 met at risk" in result.stdout


# The tables and the JSON document as a whole are golden cases (tests/golden/cases).


def test_json_contract() -> None:
    result = run(["evaluate", FAILURES, "--format", "json", "--lang", "en"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    (report,) = document["reports"]
    assert report["source"] == [FAILURES]
    assert report["year"] == 2020
    assert report["summary"] == json_summary(
        27, **{"pass": 16, "pass_at_risk": 3, "fail": 6, "missing": 2}
    )
    by_id = {item["id"]: item for item in report["results"]}
    assert len(by_id) == 27
    consumer = by_id["consumer_goods_pass_rate"]
    assert consumer["status"] == "fail"
    assert consumer["failed_years"] == [2019]
    assert consumer["value"] == 89.4
    assert consumer["gap"] == -0.6
    air = by_id["good_air_days_ratio"]
    assert air["status"] == "missing"
    assert air["reasons"] == [{"code": "regions-missing", "year": 2020, "regions": ["sunan"]}]
    assert "Sunan" in air["reason"]
    pm25 = by_id["pm25_concentration"]
    assert (pm25["status"], pm25["baseline"], pm25["baseline_year"], pm25["gap"]) == (
        "fail",
        32,
        2017,
        1,
    )
    assert pm25["interpreted"] is True
    assert "明显下降" in pm25["plan_text"]
    pm10 = by_id["pm10_concentration"]  # 78 to 71: a fall, but less than the marked fall of 10%
    assert (pm10["status"], pm10["relative_change"]) == ("fail", -8.97435897435897)
    assert pm10["reasons"] == [{"code": "decrease-too-small", "by": "10%"}]
    for item in report["results"]:
        assert {"id", "status", "value", "target", "gap", "reason"} <= item.keys()


@pytest.mark.parametrize(
    ("fail_on", "sample", "expected"),
    [
        ("fail", FAILURES, 1),
        ("missing", FAILURES, 1),
        ("never", FAILURES, 0),
        ("fail", ALL_MET, 0),
        ("missing", ALL_MET, 0),
        ("never", ALL_MET, 0),
    ],
)
def test_fail_on_policy(fail_on: str, sample: str, expected: int) -> None:
    assert run(["evaluate", sample, "--fail-on", fail_on]).exit_code == expected


def test_missing_only_passes_by_default_but_not_with_fail_on_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "partial.csv", "indicator,value\nfood_safety_pass_rate,95\n")
    default = run(["evaluate", path, "--format", "json"])
    assert default.exit_code == 0
    summary = json.loads(default.stdout)["reports"][0]["summary"]
    assert summary == json_summary(27, **{"pass": 1, "fail": 0, "missing": 26})
    assert run(["evaluate", path, "--fail-on", "missing"]).exit_code == 1


def test_six_county_files_merge_into_one_dataset() -> None:
    result = run(["evaluate", "samples/city-2020.csv", *COUNTY_FILES, "--format", "json"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["reports"]
    assert len(report["source"]) == 7
    air = next(item for item in report["results"] if item["id"] == "good_air_days_ratio")
    assert air["status"] == "pass"
    assert {obs["region"] for obs in air["observations"]} == set(SIX_REGIONS)
    assert air["value"] == pytest.approx((84.0 + 83.5 + 81.0 + 86.2 + 88.0 + 95.1) / 6)
    assert "12 row(s) for other years" in result.stderr


def test_county_files_agree_with_the_city_file_that_repeats_their_figures() -> None:
    # The city file with failures repeats five counties' figures of 2020: sent twice, the same
    # figure is a warning, not a conflict, and Sunan's file fills the one the city file lacks.
    sample = "samples/report-2020-with-failures.csv"
    result = run(["evaluate", sample, "samples/counties/", "--format", "json"])
    assert result.exit_code == 1, result.output
    (report,) = json.loads(result.stdout)["reports"]
    air = next(item for item in report["results"] if item["id"] == "good_air_days_ratio")
    assert air["status"] == "pass"
    assert air["value"] == pytest.approx((84.0 + 83.5 + 81.0 + 86.2 + 88.0 + 95.1) / 6)
    assert [p["code"] for p in report["warnings"]].count("duplicate-identical") == 5
    assert run(["evaluate", sample, "--format", "json"]).exit_code == 1


def test_county_files_alone_name_what_is_missing() -> None:
    result = run(["evaluate", *COUNTY_FILES[:5], "--format", "json"])
    assert result.exit_code == 0
    (report,) = json.loads(result.stdout)["reports"]
    air = next(item for item in report["results"] if item["id"] == "good_air_days_ratio")
    assert air["status"] == "missing"
    assert air["reasons"][0]["regions"] == ["sunan"]


def test_yaml_sample_and_city_value_as_mean() -> None:
    result = run(["evaluate", "samples/report-2020.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["reports"]
    air = next(item for item in report["results"] if item["id"] == "good_air_days_ratio")
    assert air["status"] == "pass"
    assert air["reasons"][0]["code"] == "city-value-as-mean"


def test_year_option_evaluates_another_year() -> None:
    result = run(["evaluate", FAILURES, "--year", "2019", "--format", "json"])
    (report,) = json.loads(result.stdout)["reports"]
    assert report["year"] == 2019
    by_id = {item["id"]: item for item in report["results"]}
    assert by_id["consumer_goods_pass_rate"]["status"] == "fail"
    assert by_id["food_safety_pass_rate"]["status"] == "missing"
    assert by_id["food_safety_pass_rate"]["reasons"] == [{"code": "no-value", "year": 2019}]


def test_rows_without_year_count_for_the_evaluated_year(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "indicator,value\nfood_safety_pass_rate,95\n")
    result = run(["evaluate", path, "--year", "2019", "--format", "json"])
    results = json.loads(result.stdout)["reports"][0]["results"]
    food = next(item for item in results if item["id"] == "food_safety_pass_rate")
    # 2019 is before the 2020 due year: a figure meeting the line already is on track.
    assert (food["status"], food["observations"][0]["year"]) == ("on_track", 2019)


def test_department_style_file(tmp_path: Path) -> None:
    """A BOM, Chinese headers, percent signs, spaces, full-width digits and city-wide aliases."""
    text = (
        "\ufeff指标 , 数值 ,年份, 区县 ,单位\n"
        " 食品安全抽检合格率 , ９４．０％ ,2020年, 全市 ,%\n"
        "主要农产品质量安全监测合格率, 97.99 ,2020,张掖市,百分比\n"
        '参加质量基础能力免费培训的中小微企业负责人,"1,020",2020,,户\n'
    )
    path = tmp_path / "部门报表.csv"
    path.write_bytes(text.encode("utf-8"))
    result = run(["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    by_id = {item["id"]: item for item in json.loads(result.stdout)["reports"][0]["results"]}
    # 94.0% against ≥94%: met on the line, inside the 1 pp band.
    assert by_id["food_safety_pass_rate"]["status"] == "pass_at_risk"
    assert by_id["food_safety_pass_rate"]["gap"] == 0
    assert by_id["agricultural_products_pass_rate"]["status"] == "fail"
    assert by_id["sme_quality_training"]["status"] == "missing"
    assert by_id["sme_quality_training"]["observations"][0]["value"] == 1020


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("semi.csv", "indicator;value\nfood_safety_pass_rate;95.5\n"),
        ("tab.tsv", "indicator\tvalue\nfood_safety_pass_rate\t95.5\n"),
        ("comma.csv", "indicator,value\nfood_safety_pass_rate,95.5\n"),
    ],
)
def test_delimiters_are_detected(tmp_path: Path, name: str, text: str) -> None:
    result = run(["evaluate", write(tmp_path, name, text), "--format", "json"])
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)["reports"][0]["results"][4]
    assert (item["id"], item["value"]) == ("food_safety_pass_rate", 95.5)


def test_decimal_comma_is_an_error_not_a_guess(tmp_path: Path) -> None:
    result = run(
        ["evaluate", write(tmp_path, "semi.csv", "indicator;value\nfood_safety_pass_rate;95,5\n")]
    )
    assert result.exit_code == 2
    assert "[not-a-number] '95,5' is not a number" in result.stderr


def test_bad_rows_are_all_reported_with_file_row_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "指标,数值,年份,地区\n"
        "食品安全抽检合格律,95,2020,\n"
        "食品安全抽检合格率,abc,2020,\n"
        "good_air_days_ratio,85,2020,酒泉市\n"
        "food_safety_pass_rate,101,2020,\n",
    )
    result = run(["evaluate", path])
    assert result.exit_code == 2
    # Standard output holds the problems, as validate lists them, not results.
    assert result.stdout == run(["validate", path]).stdout
    err = result.stderr
    assert "Traceback" not in err
    assert f"{path}, row 2, column '指标': [unknown-indicator]" in err
    assert "did you mean '食品安全抽检合格率'?" in err
    assert f"{path}, row 3, column '数值': [not-a-number]" in err
    assert f"{path}, row 4, column '地区': [unknown-region]" in err
    assert f"{path}, row 5, column '数值': [out-of-range]" in err
    assert "4 error(s) in the input; nothing was evaluated" in err


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.csv", "", "no-data"),
        ("header-only.csv", "indicator,value\n", "no-data"),
        ("no-value-column.csv", "indicator,amount\nfood_safety_pass_rate,9\n", "missing-column"),
        ("latin1.csv", b"indicator,value\nfood\xe9,9\n", "bad-encoding"),
        ("report.xls", "whatever", "unsupported-format"),
        ("bad.yaml", "measurements: [\n", "bad-yaml"),
        ("scalar.yaml", "42\n", "bad-structure"),
        ("nan.csv", "indicator,value\nfood_safety_pass_rate,NaN\n", "not-finite"),
        ("blank.csv", "indicator,value\nfood_safety_pass_rate,\n", "empty-value"),
        (
            "conflict.csv",
            "indicator,value\nfood_safety_pass_rate,95\nfood_safety_pass_rate,96\n",
            "duplicate",
        ),
    ],
)
def test_unusable_input_exits_2_with_a_code(
    tmp_path: Path, name: str, content: str | bytes, code: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run(["evaluate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"[{code}]" in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(["evaluate", str(tmp_path / "nowhere.csv")])
    assert result.exit_code == 2
    assert "nowhere.csv" in result.stderr
    assert "[unreadable]" in result.stderr


def test_every_file_is_checked_before_giving_up(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "indicator,value\nnope,1\n")
    second = write(tmp_path, "b.csv", "indicator,value\nfood_safety_pass_rate,x\n")
    result = run(["evaluate", first, second])
    assert result.exit_code == 2
    assert "a.csv, row 2" in result.stderr
    assert "b.csv, row 2" in result.stderr


def test_warnings_do_not_stop_evaluation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "w.csv",
        "indicator,value,department\n食品安全抽检合格率（比例）,0.95,x\n"
        "食品安全抽检合格率（比例）,0.95,x\n",
    )
    result = run(["evaluate", path, "--format", "json"])
    assert result.exit_code == 0  # 0.95 is read as 95%, a pass; missing targets fail nothing
    assert "[unknown-column]" in result.stderr
    assert "[unit-converted]" in result.stderr
    assert "[duplicate-identical]" in result.stderr
    report = json.loads(result.stdout)["reports"][0]
    assert {w["code"] for w in report["warnings"]} == {
        "unknown-column",
        "unit-converted",
        "duplicate-identical",
    }
    food = next(r for r in report["results"] if r["id"] == "food_safety_pass_rate")
    assert (food["status"], food["value"]) == ("pass", 95)


def test_county_figure_for_city_target_is_not_silently_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "indicator,value,region\nfood_safety_pass_rate,95,甘州区\n")
    result = run(["evaluate", path, "--format", "json"])
    assert "used by no target" in result.stderr
    assert "c.csv row 2: food_safety_pass_rate, Ganzhou District" in result.stderr
    food = json.loads(result.stdout)["reports"][0]["results"][4]
    assert food["status"] == "missing"
    assert food["reasons"] == [{"code": "no-city-value", "year": 2020, "regions": ["ganzhou"]}]


def test_custom_targets_file(tmp_path: Path) -> None:
    text = (REPO_ROOT / "targets.yaml").read_text(encoding="utf-8")
    stricter = text.replace(
        "rule: {kind: at_least, threshold: 94}", "rule: {kind: at_least, threshold: 97}"
    )
    assert stricter != text
    targets = write(tmp_path, "targets.yaml", stricter)
    result = run(["evaluate", ALL_MET, "--targets", targets, "--format", "json"])
    assert result.exit_code == 1
    food = json.loads(result.stdout)["reports"][0]["results"][4]
    assert (food["id"], food["status"], food["target"]) == ("food_safety_pass_rate", "fail", "≥97%")


@pytest.mark.parametrize(
    "text",
    [
        "plan: [\n",
        "plan: {title: x}\n",
        "targets: []\n",
    ],
)
def test_invalid_targets_file_exits_2(tmp_path: Path, text: str) -> None:
    targets = write(tmp_path, "targets.yaml", text)
    result = run(["evaluate", ALL_MET, "--targets", targets])
    assert result.exit_code == 2
    assert "targets.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run(["evaluate"]).exit_code == 2
    assert run(["evaluate", ALL_MET, "--format", "xml"]).exit_code == 2
    assert run(["evaluate", ALL_MET, "--year", "1999"]).exit_code == 2
    assert run(["frobnicate"]).exit_code == 2


def test_internal_error_exits_3_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("qcheck.cli.evaluate.evaluate_targets", broken)
    result = run(["evaluate", ALL_MET])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    debug = run(["--debug", "evaluate", ALL_MET])
    assert debug.exit_code == 3
    assert "Traceback" in debug.stderr


def test_lang_from_environment() -> None:
    assert "指标" in run(["evaluate", ALL_MET], QCHECK_LANG="zh").stdout
    assert "Indicator" in run(["evaluate", ALL_MET], LANG="en_US.UTF-8").stdout
    assert "指标" in run(["evaluate", ALL_MET], LANG="zh_CN.UTF-8").stdout


def test_colour_only_when_asked_and_no_color_wins() -> None:
    plain = run(["evaluate", ALL_MET])
    assert "\x1b[" not in plain.stdout
    forced = run(["evaluate", ALL_MET], FORCE_COLOR="1")
    assert "\x1b[" in forced.stdout
    assert "\x1b[" not in run(["evaluate", ALL_MET], FORCE_COLOR="1", NO_COLOR="1").stdout


def test_title_rows_and_unit_in_header_as_excel_writes_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "excel.csv",
        "张掖市2020年质量指标填报表（示例）,,,\n,,,\n指标,数值（%）,年份,备注\n食品安全抽检合格率,95.1,2020.0,\n",
    )
    result = run(["evaluate", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"{path}, row 1: [title-row]" in result.stderr
    food = json.loads(result.stdout)["reports"][0]["results"][4]
    assert (food["status"], food["observations"][0]["row"]) == ("pass", 4)


def test_wide_table_gets_a_reshaping_hint(tmp_path: Path) -> None:
    path = write(
        tmp_path, "wide.csv", "指标,单位,2018年,2019年,2020年\n食品安全抽检合格率,%,95,95,96\n"
    )
    result = run(["evaluate", path])
    assert result.exit_code == 2
    assert "[missing-column] no value column" in result.stderr
    assert "look like one column per year" in result.stderr


def test_yaml_file_wide_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "linze.yaml",
        "year: 2019\nregion: 临泽\nmeasurements:\n"
        "  - {指标: good_air_days_ratio, 数值: 88}\n"
        "  - {indicator: food_safety_pass_rate, value: 95, region: 全市}\n",
    )
    result = run(["evaluate", path, "--year", "2019", "--format", "json"])
    report = json.loads(result.stdout)["reports"][0]
    by_id = {item["id"]: item for item in report["results"]}
    air = by_id["good_air_days_ratio"]
    assert air["status"] == "missing"
    assert "linze" not in air["reasons"][0]["regions"]
    # 2019 is before the 2020 due year: a figure meeting the line already is on track.
    assert by_id["food_safety_pass_rate"]["status"] == "on_track"
    assert by_id["food_safety_pass_rate"]["observations"][0] == {
        "year": 2019,
        "region": None,
        "value": 95,
        "source": path,
        "row": 5,
    }


def test_year_before_the_plan_is_a_usage_error() -> None:
    result = run(["evaluate", ALL_MET, "--year", "2017"])
    assert result.exit_code == 2
    assert "the plan runs from 2018; 2017 is before it" in result.stderr


@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_year_after_the_plan_is_a_usage_error(command: str) -> None:
    # 2021 figures would have been judged against the 2020 targets, silently.
    result = run([command, ALL_MET, "--year", "2021"])
    assert result.exit_code == 2
    assert "the plan's targets are for 2020; 2021 is after it" in result.stderr


def test_json_output_of_unusable_input_is_a_document(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "indicator,value\nfood_safety_pass_rate,abc\n")
    result = run(["evaluate", path, "--format", "json"])
    assert result.exit_code == 2
    validation = json.loads(result.stdout)["validation"]
    assert validation["valid"] is False
    assert [p["code"] for p in validation["problems"]] == ["not-a-number"]
    assert "[not-a-number]" in result.stderr


def test_dumb_terminal_gets_no_colour() -> None:
    result = run(["evaluate", ALL_MET], FORCE_COLOR="1", TERM="dumb")
    assert "\x1b[" not in result.stdout


def test_names_as_people_type_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "typed.csv",
        "指标,地区,数值\n食品安全抽检合格率（%）,,95\n城市空气质量优良天数比例,甘 州 区,85\n",
    )
    result = run(["evaluate", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    results = {item["id"]: item for item in json.loads(result.stdout)["reports"][0]["results"]}
    assert results["food_safety_pass_rate"]["status"] == "pass"
    assert results["good_air_days_ratio"]["observations"][0]["region"] == "ganzhou"


def test_shiji_is_not_city_wide(tmp_path: Path) -> None:
    path = write(tmp_path, "shiji.csv", "指标,地区,数值\n食品安全抽检合格率,市级,95\n")
    result = run(["evaluate", path])
    assert result.exit_code == 2
    assert "[unknown-region] unknown region '市级'" in result.stderr


def test_reported_mean_that_disagrees_is_shown(tmp_path: Path) -> None:
    rows = "".join(f"城市空气质量优良天数比例,{county},80\n" for county in SIX_REGIONS)
    path = write(
        tmp_path, "air.csv", "指标,地区,数值\n" + rows + "城市空气质量优良天数比例,全市,85\n"
    )
    result = run(["evaluate", path, "--lang", "en"])
    assert "the reported city-wide mean 85% differs from the computed mean 80%" in result.stdout
    assert "used by no target" not in result.stderr


def test_messages_follow_lang(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "指标,数值\n食品安全抽检合格律,abc\n")
    zh = run(["evaluate", path, "--lang", "zh"]).stderr
    assert "未知指标“食品安全抽检合格律”；是否应为“食品安全抽检合格率”？" in zh
    assert "第2行" in zh
    assert "输入中有2处错误，未进行评估" in zh
    en = run(["evaluate", path, "--lang", "en"]).stderr
    assert "unknown indicator '食品安全抽检合格律'; did you mean '食品安全抽检合格率'?" in en
    assert "2 error(s) in the input" in en


def test_every_problem_code_speaks_chinese(tmp_path: Path) -> None:
    """Each kind of bad input has a Chinese message when the output is in Chinese."""
    text = (
        "张掖市报表,,,,\n"
        "指标,数值,年份,地区,部门\n"
        "食品安全抽检合格律,95,2020,,x\n"
        "food_safety_pass_rate,abc,2020,,\n"
        "agricultural_products_pass_rate,nan,2020,,\n"
        "essential_drugs_coverage,101,2020,,\n"
        "service_satisfaction,90,1999,,\n"
        "drinking_water_quality_ratio,97,2020,酒泉,\n"
        "key_services_level,95,2020,,\n"
        "sme_quality_training,10.5,2020,,\n"
        "large_projects_excellence_rate,,2020,,\n"
        "water_projects_pass_rate,0.5,2020,,\n"
    )
    path = write(tmp_path, "all.csv", text)
    result = run(["validate", path, "--lang", "zh", "--format", "json"])
    problems = json.loads(result.stdout)["validation"]["problems"]
    assert len(problems) >= 10
    for problem in problems:
        assert problem.get("message_zh"), problem


def test_a_value_column_named_for_its_year(tmp_path: Path) -> None:
    """序号 and 2020年完成值, as a bureau's completion table has them."""
    path = write(
        tmp_path,
        "dept.csv",
        "张掖市2020年质量指标完成情况表（示例）,,,,\n"
        "序号,指标名称,单位,2020年完成值,备注\n"
        "1,食品安全抽检合格率,%,96.1,\n"
        "2,主要农产品质量安全监测合格率,%,97.5,\n"
        "3,可吸入颗粒物平均浓度,微克/立方米,55,\n",
    )
    result = run(["evaluate", path, "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "unknown-column" not in result.stderr  # 序号 is a row number, not data
    by_id = {r["id"]: r for r in json.loads(result.stdout)["reports"][0]["results"]}
    assert by_id["food_safety_pass_rate"]["status"] == "pass"
    assert by_id["agricultural_products_pass_rate"]["status"] == "fail"
    assert by_id["pm10_concentration"]["observations"][0]["year"] == 2020
    assert by_id["pm10_concentration"]["reasons"][0]["code"] == "no-baseline"


def test_a_close_region_is_suggested_by_its_full_name(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "指标,地区,数值\n城市空气质量优良天数比例,甘州县,85\n")
    assert "did you mean '甘州区'?" in run(["evaluate", path]).stderr
