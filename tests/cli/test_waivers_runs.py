"""A waiver across a run of several reports (--years, --each): used in one, it is not unused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import SAMPLES, run_cli

# Off track in 2018 and 2019 (no pace from 90 towards 94), met in 2020.
FOOD = """\
indicator,year,region,value,unit
food_safety_pass_rate,2017,,90,%
food_safety_pass_rate,2018,,90,%
food_safety_pass_rate,2019,,90,%
food_safety_pass_rate,2020,,95,%
"""
EVERY_YEAR = "  - {target: food_safety_pass_rate, reason: r, approved_by: a, expires: 2021-06-30}\n"
EXPIRED = "  - {target: pm25_concentration, reason: r, approved_by: a, expires: 2020-01-01}\n"


@pytest.fixture(autouse=True)
def _files(monkeypatch: pytest.MonkeyPatch, in_tmp: Path) -> None:
    monkeypatch.setattr("qcheck.cli.evaluate.today", lambda: date(2020, 12, 31))
    Path("r.csv").write_text(FOOD, encoding="utf-8")


def test_a_waiver_used_in_some_years_is_not_unused_and_strict_accepts_it() -> None:
    Path("w.yaml").write_text("waivers:\n" + EVERY_YEAR, encoding="utf-8")
    args = ["evaluate", "r.csv", "--years", "2018-2020", "--waivers", "w.yaml", "--lang", "en"]
    done = run_cli(args)
    assert done.exit_code == 0, done.output
    assert "waiver-unused" not in done.stderr
    document = json.loads(run_cli([*args, "--format", "json"]).stdout)
    warnings = [w for report in document["reports"] for w in report["warnings"]]
    assert not [w for w in warnings if w["code"] == "waiver-unused"]
    assert run_cli([*args, "--strict"]).exit_code == 0


def test_a_waiver_unused_in_every_year_is_told_once() -> None:
    met = "".join(f"agricultural_products_pass_rate,{year},,99,%\n" for year in range(2017, 2021))
    Path("r.csv").write_text(FOOD + met, encoding="utf-8")
    waiver = EVERY_YEAR.replace("food_safety_pass_rate", "agricultural_products_pass_rate")
    Path("w.yaml").write_text("waivers:\n" + waiver, encoding="utf-8")
    args = ["evaluate", "r.csv", "--years", "2018-2020", "--waivers", "w.yaml"]
    done = run_cli(args)
    assert done.stderr.count("[waiver-unused]") == 1
    assert run_cli([*args, "--strict"]).exit_code == 2


def test_an_expired_waiver_is_told_once_for_every_file_of_each() -> None:
    Path("r2.csv").write_text(FOOD, encoding="utf-8")
    Path("w.yaml").write_text("waivers:\n" + EXPIRED, encoding="utf-8")
    done = run_cli(["evaluate", "r.csv", "r2.csv", "--each", "--waivers", "w.yaml"])
    assert done.stderr.count("[waiver-expired]") == 1
    done = run_cli(["evaluate", "r.csv", "--years", "2019-2020", "--waivers", "w.yaml"])
    assert done.stderr.count("[waiver-expired]") == 1


def _warnings(args: list[str]) -> list[dict[str, object]]:
    done = run_cli([*args, "--format", "json", "--lang", "en"])
    return [w for report in json.loads(done.stdout)["reports"] for w in report["warnings"]]


def test_a_waiver_for_a_year_outside_the_plan_is_warned_and_strict_refuses_it() -> None:
    waiver = EVERY_YEAR.replace("target:", "year: [2019, 2035], target:")
    Path("w.yaml").write_text("waivers:\n" + waiver, encoding="utf-8")
    args = ["evaluate", "r.csv", "--year", "2019", "--waivers", "w.yaml"]
    (warning,) = _warnings(args)
    assert (warning["code"], warning["row"], warning["column"]) == ("waiver-unknown", 2, "year")
    assert "2035, outside the plan's years (2018–2020)" in str(warning["message"])
    assert "2035" in str(warning["message_zh"])
    assert run_cli([*args, "--strict"]).exit_code == 2


def test_a_duplicate_waiver_is_warned_naming_both_lines() -> None:
    again = EVERY_YEAR.replace("target:", "year: 2020, target:")
    Path("w.yaml").write_text("waivers:\n" + EVERY_YEAR + again, encoding="utf-8")
    (warning,) = _warnings(["evaluate", "r.csv", "--year", "2019", "--waivers", "w.yaml"])
    assert (warning["code"], warning["source"], warning["row"]) == ("waiver-duplicate", "w.yaml", 3)
    assert "the one at w.yaml, row 2" in str(warning["message"])
    other_year = EVERY_YEAR.replace("target:", "year: 2019, target:") + again
    Path("w.yaml").write_text("waivers:\n" + other_year, encoding="utf-8")
    assert _warnings(["evaluate", "r.csv", "--year", "2019", "--waivers", "w.yaml"]) == []


def test_the_same_waivers_file_given_twice_is_read_once(in_tmp: Path) -> None:
    Path("w.yaml").write_text("waivers:\n" + EVERY_YEAR + EXPIRED, encoding="utf-8")
    twice = ["--waivers", "w.yaml", "--waivers", str(in_tmp / "w.yaml")]
    args = ["evaluate", "r.csv", "--year", "2019", *twice]
    assert [w["code"] for w in _warnings(args)] == ["waiver-expired"]
    results = json.loads(run_cli([*args, "--format", "json"]).stdout)["reports"][0]["results"]
    food = next(r for r in results if r["id"] == "food_safety_pass_rate")
    assert [r["code"] for r in food["reasons"]].count("waiver-applied") == 1


@pytest.mark.parametrize("kind", ["dangling link", "folder"])
def test_a_default_waivers_file_that_cannot_be_read_is_an_error(kind: str) -> None:
    if kind == "folder":
        Path("qcheck-waivers.yaml").mkdir()
    else:
        Path("qcheck-waivers.yaml").symlink_to("gone.yaml")
    done = run_cli(["evaluate", "r.csv", "--lang", "en"])
    assert done.exit_code == 2
    assert "qcheck-waivers.yaml" in done.stderr
    assert "[unreadable]" in done.stderr
    assert run_cli(["evaluate", "r.csv", "--no-waivers"]).exit_code == 0


def test_a_waivers_file_in_a_folder_where_none_is_read_stops_the_run(tmp_path: Path) -> None:
    # A subfolder's qcheck-waivers.yaml was skipped as a report and never read: its waivers
    # silently did not apply.
    folder = tmp_path / "reports"
    (folder / "2020").mkdir(parents=True)
    (folder / "report.csv").write_bytes((SAMPLES / "report-2020-with-failures.csv").read_bytes())
    misplaced = folder / "2020" / "qcheck-waivers.yaml"
    misplaced.write_bytes((SAMPLES / "waivers-2020.yaml").read_bytes())
    stopped = run_cli(["evaluate", str(folder), "--lang", "en"])
    assert stopped.exit_code == 2
    assert f"{misplaced}: [waivers-not-read]" in stopped.stderr
    assert "--waivers" in stopped.stderr
    # Passed with --waivers it is read; with --no-waivers every waivers file is ignored.
    read = run_cli(["evaluate", str(folder), "--waivers", str(misplaced), "--format", "json"])
    assert read.exit_code == 1
    assert "waivers-not-read" not in read.stderr
    results = json.loads(read.stdout)["reports"][0]["results"]
    assert next(r for r in results if r["id"] == "food_safety_pass_rate")["waived_status"]
    assert run_cli(["evaluate", str(folder), "--no-waivers"]).exit_code == 1
    # Beside the first input (the folder itself), it is the default file, read as ever.
    misplaced.rename(folder / "qcheck-waivers.yaml")
    beside = run_cli(["evaluate", str(folder), "--format", "json"])
    assert beside.exit_code == 1
    assert "waivers-not-read" not in beside.stderr
