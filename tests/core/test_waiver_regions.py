"""A waiver naming a region: it takes that region's figure out, and the others are judged."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SAMPLES, run_cli

EXAMPLE = SAMPLES / "targets-2025-example.yaml"


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch, in_tmp: Path) -> None:
    monkeypatch.setattr("qcheck.cli.evaluate.today", lambda: date(2020, 12, 31))


def judged(
    target: str, figures: Mapping[str, float], *regions: str, year: int = 2025
) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """Judge ``target`` from the regions' figures with a waiver for each of ``regions``.

    Return the target's result, the warnings about waivers, and the exit code.
    """
    rows = ["indicator,year,region,value,unit"]
    rows += [f"{target},{year},{region},{value},%" for region, value in figures.items()]
    Path("r.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = ["waivers:"]
    for region in regions:
        lines += [
            f"  - target: {target}",
            f"    region: {region}",
            "    reason: 站点搬迁",
            "    approved_by: 市生态环境局",
            "    expires: 2021-06-30",
        ]
    Path("w.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["evaluate", "r.csv", "--waivers", "w.yaml", "--format", "json", "--lang", "en"]
    if year == 2025:
        args += ["--targets", str(EXAMPLE), "--year", "2025"]
    done = run_cli(args)
    report = json.loads(done.stdout)["reports"][0]
    result = next(r for r in report["results"] if r["id"] == target)
    warnings = [p for p in report["warnings"] if p["code"].startswith("waiver-")]
    return result, warnings, done.exit_code


WATER = {"东区": 50, "西区": 98, "南山县": 98, "北川县": 98}


def test_a_county_waiver_does_not_hide_the_counties_that_sent_nothing() -> None:
    result, warnings, code = judged("water_source_quality", WATER, "东区")
    assert (result["status"], code) == ("fail", 1)
    (warning,) = warnings
    assert warning["code"] == "waiver-unused"
    assert "no waiver covers Hekou County, Linxi County" in warning["message"]


def test_a_waiver_for_every_county_left_waives_an_each_county_target() -> None:
    figures = {**WATER, "河口县": 96, "林溪县": 97}
    result, warnings, code = judged("water_source_quality", figures, "东区")
    assert (result["status"], result["waived_status"], code) == ("waived", "fail", 0)
    assert warnings == []
    codes = [reason["code"] for reason in result["reasons"]]
    assert codes[:2] == ["waiver-applied", "waiver-others"]
    assert "judged without East District, the other regions are met" in result["reason"]
    result, _, _ = judged("water_source_quality", WATER, "东区", "河口县", "林溪县")
    assert result["status"] == "waived"


def test_a_county_waiver_on_k_of_regions_names_the_counties_left() -> None:
    figures = {"东区": 70, "西区": 90, "南山县": 90, "北川县": 90}
    result, warnings, _ = judged("good_air_days_counties", figures, "东区")
    assert result["status"] == "missing"
    assert "no waiver covers Hekou County, Linxi County" in warnings[0]["message"]


def test_county_waivers_never_lower_the_count_the_others_must_reach() -> None:
    figures = {"东区": 70, "西区": 70, "南山县": 90, "北川县": 90, "河口县": 90, "林溪县": 90}
    result, warnings, code = judged("good_air_days_counties", figures, "东区", "西区")
    assert (result["status"], code) == ("fail", 1)  # 4 of the other 4 met; 5 are needed
    assert [w["code"] for w in warnings] == ["waiver-unused"] * 2
    assert (
        "judged without East District, West District, the other regions are still not met"
        in (warnings[0]["message"])
    )
    assert "waive the target itself" in warnings[0]["hint"]


AIR = {"甘州区": 10, "临泽县": 83.5, "高台县": 81, "山丹县": 86.2, "民乐县": 88}


def test_a_county_waiver_never_excuses_the_mean_of_the_others() -> None:
    # Even 100% from Sunan would give a mean of 74.8%: the others' mean is 69.74%.
    result, warnings, _ = judged("good_air_days_ratio", AIR, "肃南县", year=2020)
    assert result["status"] == "missing"
    (warning,) = warnings
    assert (
        "judged without Sunan Yugur Autonomous County, the other regions are still not met"
        in (warning["message"])
    )
    done = run_cli(["evaluate", "r.csv", "--waivers", "w.yaml", "--fail-on", "missing"])
    assert done.exit_code == 1


def test_a_county_waiver_on_a_mean_holds_when_the_others_mean_is_met() -> None:
    result, warnings, _ = judged("good_air_days_ratio", {**AIR, "甘州区": 90}, "肃南县", year=2020)
    assert (result["status"], result["waived_status"]) == ("waived", "missing")
    assert warnings == []


def test_a_waiver_for_every_county_of_a_mean_waives_it() -> None:
    counties = ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南县")
    result, _, _ = judged("good_air_days_ratio", AIR, *counties, year=2020)
    assert result["status"] == "waived"
