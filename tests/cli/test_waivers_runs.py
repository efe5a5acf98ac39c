"""A waiver across a run of several reports (--years, --each): used in one, it is not unused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import run_cli

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
