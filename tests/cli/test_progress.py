"""`qcheck evaluate --year` before the due year: progress, and --fail-on warn on the band."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import REPO_ROOT, run_cli
from tests.rules.helpers import as_yaml

SAMPLE = str(REPO_ROOT / "samples" / "report-2019-progress.csv")


def test_the_progress_sample_shows_each_status_with_its_working() -> None:
    result = run_cli(["evaluate", SAMPLE, "--year", "2019", "--format", "json"])
    assert result.exit_code == 1, result.output  # off track fails as not met does
    (report,) = json.loads(result.stdout)["reports"]
    status = {item["id"]: item["status"] for item in report["results"]}
    assert status["service_satisfaction"] == "off_track"
    assert status["food_safety_pass_rate"] == "on_track"  # noqa: S105 - a status
    assert status["water_projects_inspection_rate"] == "not_due"
    assert status["leading_products_level"] == "not_due"
    assert status["pm10_concentration"] == "on_track"
    assert status["pm25_concentration"] == "off_track"
    satisfaction = next(r for r in report["results"] if r["id"] == "service_satisfaction")
    assert satisfaction["progress"] == {
        "method": "linear",
        "base_year": 2017,
        "baseline": 80,
        "latest_year": 2019,
        "latest": 83,
        "due_year": 2020,
        "line": 85,
        "required_pace": 1.66666666666667,
        "actual_pace": 1.5,
        "ratio": 0.9,
        "projected": 84.5,
    }
    table = run_cli(["evaluate", SAMPLE, "--year", "2019", "--lang", "en"], COLUMNS="200")
    assert "projected 84.5% in 2020 against ≥85%" in table.stdout
    assert "off track" in table.stdout
    assert "on track" in table.stdout


def test_fail_on_warn_fails_a_run_with_a_pass_inside_the_band(in_tmp: Path) -> None:
    document = as_yaml({"kind": "at_least", "threshold": 85}, warning_band=1)
    Path("t.yaml").write_text(document, encoding="utf-8")
    Path("r.csv").write_text("indicator,year,value\nt,2025,85.4\n", encoding="utf-8")
    command = ["evaluate", "r.csv", "--targets", "t.yaml", "--year", "2025"]
    plain = run_cli([*command, "--format", "json"])
    assert plain.exit_code == 0, plain.output
    (result,) = json.loads(plain.stdout)["reports"][0]["results"]
    assert (result["status"], result["warning_band"]) == ("pass_at_risk", 1)
    assert run_cli([*command, "--fail-on", "warn"]).exit_code == 1
