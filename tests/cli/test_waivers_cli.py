"""qcheck evaluate with waivers: --waivers, the default file, --no-waivers, every format."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import SAMPLES, run_cli

FAILURES = SAMPLES / "report-2020-with-failures.csv"
NOT_MET = (
    "consumer_goods_pass_rate",
    "food_safety_pass_rate",
    "major_projects_first_acceptance_rate",
    "key_services_level",
    "pm10_concentration",
    "pm25_concentration",
)


def waivers_text(*targets: str, expires: str = "2021-06-30") -> str:
    lines = ["waivers:"]
    for target in targets:
        lines += [
            f"  - target: {target}",
            "    reason: 口径调整 | =cmd",
            "    approved_by: 市市场监督管理局",
            f"    expires: {expires}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch, in_tmp: Path) -> None:
    monkeypatch.setattr("qcheck.cli.evaluate.today", lambda: date(2020, 12, 31))


@pytest.fixture
def all_waived(in_tmp: Path) -> Path:
    path = in_tmp / "w.yaml"
    path.write_text(waivers_text(*NOT_MET), encoding="utf-8")
    return path


def test_every_target_not_met_waived_exits_0(all_waived: Path) -> None:
    done = run_cli(["evaluate", str(FAILURES), "--waivers", str(all_waived), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "6 waived" in done.output
    assert "waived (not met without the waiver): 口径调整" in done.output
    assert "approved by 市市场监督管理局, expires 2021-06-30" in done.output


def test_no_waivers_ignores_them_all(all_waived: Path) -> None:
    done = run_cli(["evaluate", str(FAILURES), "--waivers", str(all_waived), "--no-waivers"])
    assert done.exit_code == 1
    assert "waived" not in done.output


def test_missing_targets_still_fail_under_fail_on_missing(all_waived: Path) -> None:
    args = ["evaluate", str(FAILURES), "--waivers", str(all_waived), "--fail-on", "missing"]
    assert run_cli(args).exit_code == 1


def test_the_default_file_is_found_beside_the_first_input(in_tmp: Path) -> None:
    shutil.copy(FAILURES, in_tmp / "report.csv")
    (in_tmp / "qcheck-waivers.yaml").write_text(waivers_text(*NOT_MET), encoding="utf-8")
    assert run_cli(["evaluate", "report.csv"]).exit_code == 0
    assert run_cli(["evaluate", "report.csv", "--no-waivers"]).exit_code == 1


def test_the_default_file_inside_a_folder_is_read_as_waivers_not_as_a_report(
    in_tmp: Path,
) -> None:
    folder = in_tmp / "reports"
    folder.mkdir()
    shutil.copy(FAILURES, folder / "report.csv")
    (folder / "qcheck-waivers.yaml").write_text(waivers_text(*NOT_MET), encoding="utf-8")
    done = run_cli(["evaluate", "reports", "--format", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)["reports"][0]
    assert report["source"] == [str(Path("reports") / "report.csv")]
    assert report["summary"]["waived"] == 6


def test_an_expired_waiver_is_ignored_with_a_warning(in_tmp: Path) -> None:
    (in_tmp / "w.yaml").write_text(waivers_text(*NOT_MET, expires="2020-12-30"), "utf-8")
    done = run_cli(["evaluate", str(FAILURES), "--waivers", "w.yaml", "--lang", "en"])
    assert done.exit_code == 1
    assert "w.yaml, row 2, column 'expires': [waiver-expired]" in done.stderr
    assert "the waiver for consumer_goods_pass_rate expired on 2020-12-30" in done.stderr


def test_the_samples_expired_waiver_is_ignored_with_a_warning() -> None:
    waivers = str(SAMPLES / "waivers-2020.yaml")
    done = run_cli(["evaluate", str(FAILURES), "--waivers", waivers, "--lang", "en"])
    assert done.exit_code == 1  # other targets are not met
    assert "[waiver-expired] the waiver for pm25_concentration expired on 2020-06-30" in (
        done.stderr
    )
    assert "2 waived" in done.output


def test_strict_refuses_a_warning_about_a_waiver(in_tmp: Path) -> None:
    (in_tmp / "w.yaml").write_text(waivers_text("food_safety_pass_rat"), "utf-8")
    args = ["evaluate", str(FAILURES), "--waivers", "w.yaml", "--format", "json"]
    assert run_cli(args).exit_code == 1
    done = run_cli([*args, "--strict"])
    assert done.exit_code == 2
    codes = [p["code"] for p in json.loads(done.stdout)["validation"]["problems"]]
    assert "waiver-unknown" in codes


def test_a_bad_waivers_file_is_bad_input_in_every_output(in_tmp: Path) -> None:
    (in_tmp / "w.yaml").write_text("waivers:\n  - target: x\n", "utf-8")
    done = run_cli(
        ["evaluate", str(FAILURES), "--waivers", "w.yaml", "-o", "r.json", "--lang", "zh"]
    )
    assert done.exit_code == 2
    assert "w.yaml，第2行" in done.stderr
    assert "[invalid-waivers]" in done.stderr
    problems = json.loads(Path("r.json").read_text("utf-8"))["validation"]["problems"]
    assert {p["code"] for p in problems} == {"invalid-waivers"}
    assert "Traceback" not in done.output


def test_a_waivers_file_is_never_overwritten_by_an_output(all_waived: Path) -> None:
    before = all_waived.read_text("utf-8")
    done = run_cli(["evaluate", str(FAILURES), "--waivers", "w.yaml", "-o", "w.yaml"])
    assert done.exit_code == 2
    assert all_waived.read_text("utf-8") == before


def _run(waivers: Path, output_format: str) -> str:
    args = ["evaluate", str(FAILURES), "--waivers", str(waivers), "--lang", "en"]
    done = run_cli([*args, "--format", output_format])
    assert done.exit_code == 0, done.output
    return done.stdout


def test_json_carries_the_waiver_and_the_status_it_would_have(all_waived: Path) -> None:
    document = json.loads(_run(all_waived, "json"))
    results = {r["id"]: r for r in document["reports"][0]["results"]}
    food = results["food_safety_pass_rate"]
    assert (food["status"], food["waived_status"]) == ("waived", "fail")
    assert food["waiver"] == {
        "target": "food_safety_pass_rate",
        "region": None,
        "year": None,
        "reason": "口径调整 | =cmd",
        "approved_by": "市市场监督管理局",
        "expires": "2021-06-30",
        "source": str(all_waived),
        "line": 6,
    }
    assert food["reasons"][0] == {
        "code": "waiver-applied",
        "was": "fail",
        "reason": "口径调整 | =cmd",
        "approved_by": "市市场监督管理局",
        "expires": "2021-06-30",
    }
    met = results["manufacturing_pass_rate"]
    assert (met["status"], met["waived_status"], met["waiver"]) == ("pass", None, None)


def test_csv_says_waived_with_the_reason(all_waived: Path) -> None:
    rows = [
        line for line in _run(all_waived, "csv").splitlines() if "food_safety_pass_rate" in line
    ]
    assert len(rows) == 1
    assert ",waived," in rows[0]
    assert "口径调整 | =cmd; approved by 市市场监督管理局" in rows[0]


def test_junit_skips_a_waived_target_with_the_reason(all_waived: Path) -> None:
    root = ET.fromstring(_run(all_waived, "junit"))  # noqa: S314 - qcheck's own output
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith("food_safety"))
    skipped = case.find("skipped")
    assert skipped is not None
    assert "waived" in skipped.get("message", "")
    assert "口径调整" in skipped.get("message", "")
    assert root.get("failures") == "0"


def test_sarif_keeps_the_kind_and_level_and_adds_a_suppression(all_waived: Path) -> None:
    run = json.loads(_run(all_waived, "sarif"))["runs"][0]
    food = next(r for r in run["results"] if r["ruleId"] == "food_safety_pass_rate")
    assert (food["kind"], food["level"]) == ("fail", "error")
    assert food["properties"]["status"] == "waived"
    assert food["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "口径调整 | =cmd",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": str(all_waived)},
                    "region": {"startLine": 6},
                }
            },
            "properties": {"approved_by": "市市场监督管理局", "expires": "2021-06-30"},
        }
    ]
    met = next(r for r in run["results"] if r["ruleId"] == "manufacturing_pass_rate")
    assert "suppressions" not in met


@pytest.mark.usefixtures("github_actions")  # annotations: as in a step
def test_github_gives_a_notice_with_the_reason(all_waived: Path) -> None:
    lines = [line for line in _run(all_waived, "github").splitlines() if "Food safety" in line]
    assert len(lines) == 1
    assert lines[0].startswith("::notice ")
    assert "waived" in lines[0]
    assert "口径调整" in lines[0]


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_people_formats_show_waived_with_reason_approver_and_expiry(
    all_waived: Path, output_format: str
) -> None:
    text = _run(all_waived, output_format)
    assert "waived" in text
    assert "口径调整" in text
    assert "市市场监督管理局" in text
    assert "2021-06-30" in text


def test_the_schema_of_a_waivers_file_is_printed() -> None:
    done = run_cli(["schema", "waivers"])
    assert done.exit_code == 0
    schema = json.loads(done.stdout)
    assert schema["title"] == "qcheck waivers"
    entry = schema["$defs"]["WaiverEntry"]
    assert set(entry["required"]) == {"target", "reason", "approved_by", "expires"}
    assert entry["additionalProperties"] is False
    assert entry["properties"]["expires"]["format"] == "date"
