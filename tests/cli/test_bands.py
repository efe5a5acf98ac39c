"""The shipped catalogue's default warning bands: which targets have one, and what they change."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len

from qcheck.loaders.targets import load_catalogue
from qcheck.renderers.catalogue import CATALOGUE_FIELDS
from tests.helpers import SAMPLES, csv_records, run_cli

CATALOGUE = load_catalogue()
PROGRESS = str(SAMPLES / "report-2019-progress.csv")
ALL_MET = str(SAMPLES / "report-2020-all-met.csv")
#: Every target the shipped catalogue gives a band, and its band: 1 pp for the rates judged
#: at least a line, 1 µg/m³ for the falls of PM10 and PM2.5.
BANDED = {
    "consumer_goods_pass_rate": Decimal(1),
    "manufacturing_pass_rate": Decimal(1),
    "agricultural_products_pass_rate": Decimal(1),
    "food_safety_pass_rate": Decimal(1),
    "large_projects_excellence_rate": Decimal(1),
    "service_satisfaction": Decimal(1),
    "pm10_concentration": Decimal(1),
    "pm25_concentration": Decimal(1),
    "good_air_days_ratio": Decimal(1),
    "drinking_water_quality_ratio": Decimal(1),
}


def statuses(args: list[str]) -> dict[str, Any]:
    """Return each target's status of ``qcheck evaluate ARGS --format json``."""
    result = run_cli(["evaluate", *args, "--format", "json", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    (report,) = json.loads(result.stdout)["reports"]
    return {item["id"]: item["status"] for item in report["results"]}


def test_the_shipped_catalogue_bands_rates_and_concentrations_not_counts_nor_equals() -> None:
    bands = {target.id: CATALOGUE.warning_band(target) for target in CATALOGUE.targets}
    assert {key: band for key, band in bands.items() if band is not None} == BANDED
    assert {unit.id: unit.warning_band for unit in CATALOGUE.units} == {
        "%": Decimal(1),
        "ug/m3": Decimal(1),
        "户": None,
        "ratio": None,
    }
    # An equals line (the 100% rates) has none though its unit has one.
    assert bands["essential_drugs_coverage"] is None
    assert CATALOGUE.target("essential_drugs_coverage").unit == "%"


@pytest.mark.parametrize(("lang", "word"), [("zh", "达标（临界）"), ("en", "met, at risk")])
def test_the_issues_example_a_satisfaction_of_85_4_is_met_at_risk(
    in_tmp: Path, lang: str, word: str
) -> None:
    Path("r.csv").write_text("indicator,year,value\nservice_satisfaction,2020,85.4\n", "utf-8")
    assert statuses(["r.csv"])["service_satisfaction"] == "pass_at_risk"
    table = run_cli(["evaluate", "r.csv", "--lang", lang], COLUMNS="120")
    line = next(line for line in table.stdout.splitlines() if "85.4%" in line)
    assert line.rstrip().endswith(f"! {word}"), line
    Path("r.csv").write_text("indicator,year,value\nservice_satisfaction,2020,86\n", "utf-8")
    assert statuses(["r.csv"])["service_satisfaction"] == "pass"  # a band above the line


def test_the_progress_sample_has_a_pass_and_a_projection_at_risk() -> None:
    found = statuses([PROGRESS, "--year", "2019"])
    # 97.9% in 2019 from 96.8% in 2017: projected 98.45% in 2020, under 1 pp over 98.
    assert found["agricultural_products_pass_rate"] == "on_track_at_risk"  # noqa: S105 - a status
    # Targets of every year, judged on 2019's own figure: 90.6% against ≥90% is at risk,
    # 93.4% against ≥92% is met.
    assert found["consumer_goods_pass_rate"] == "pass_at_risk"  # noqa: S105 - a status
    assert found["manufacturing_pass_rate"] == "pass"  # noqa: S105 - a status


@pytest.mark.parametrize(("fail_on", "code"), [("fail", 1), ("warn", 1), ("never", 0)])
def test_the_progress_sample_exits_as_fail_on_says(fail_on: str, code: int) -> None:
    result = run_cli(["evaluate", PROGRESS, "--year", "2019", "--fail-on", fail_on])
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(("fail_on", "code"), [("fail", 0), ("warn", 1)])
def test_the_progress_samples_targets_at_risk_alone_fail_only_on_warn(
    in_tmp: Path, fail_on: str, code: int
) -> None:
    """The rows of the two targets at risk: nothing off track or not met, so only warn fails."""
    rows = Path(PROGRESS).read_text(encoding="utf-8").splitlines()
    at_risk = ("consumer_goods_pass_rate,", "agricultural_products_pass_rate,")
    kept = [rows[0], *(row for row in rows if row.startswith(at_risk))]
    Path("r.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run_cli(["evaluate", "r.csv", "--year", "2019", "--fail-on", fail_on])
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(("fail_on", "code"), [("fail", 0), ("missing", 0), ("warn", 1)])
def test_the_2020_sample_with_every_target_met_fails_on_warn(fail_on: str, code: int) -> None:
    """Agricultural products at 98.6% against ≥98%: met, by less than the 1 pp band."""
    result = run_cli(["evaluate", ALL_MET, "--fail-on", fail_on])
    assert result.exit_code == code, result.output
    found = statuses([ALL_MET])
    at_risk = {key: status for key, status in found.items() if status != "pass"}
    assert at_risk == {"agricultural_products_pass_rate": "pass_at_risk"}


def test_a_chinese_table_of_80_columns_breaks_the_status_before_its_bracket() -> None:
    """达标（临界） takes two lines rather than crowd the table into a list."""
    table = run_cli(["evaluate", ALL_MET, "--lang", "zh"], COLUMNS="80").stdout
    lines = table.splitlines()
    assert lines[2].split() == ["指标", "目标", "实际", "差距", "状态"]
    assert max(len(line) for line in lines) <= 80
    at = next(n for n, line in enumerate(lines) if line.startswith("主要农产品"))
    assert lines[at].rstrip().endswith("! 达标")
    assert lines[at + 1].rstrip().endswith("（临界）")
    wide = run_cli(["evaluate", ALL_MET, "--lang", "zh"], COLUMNS="120").stdout
    assert "! 达标（临界）" in wide  # whole wherever it fits


# ---- qcheck targets shows each target's band ----------------------------------------------


@pytest.mark.parametrize("output_format", ["json", "yaml"])
def test_the_targets_document_gives_each_targets_band(output_format: str) -> None:
    result = run_cli(["targets", "--format", output_format])
    assert result.exit_code == 0, result.output
    text = result.stdout
    document = json.loads(text) if output_format == "json" else yaml.safe_load(text)
    bands = {target["id"]: target["warning_band"] for target in document["targets"]}
    assert bands == {
        target.id: BANDED.get(target.id) and int(BANDED[target.id]) for target in CATALOGUE.targets
    }


def test_the_targets_csv_has_a_band_column_empty_where_none() -> None:
    rows = csv_records(run_cli(["targets", "--format", "csv"]).stdout, columns=CATALOGUE_FIELDS)
    bands = {row["id"]: row["warning_band"] for row in rows}
    # 1 for each banded target; an empty cell for equals (the 100% rates), counts and answers.
    assert {key: band for key, band in bands.items() if band} == dict.fromkeys(BANDED, "1")
    assert bands["essential_drugs_coverage"] == bands["sme_quality_training"] == ""


@pytest.mark.parametrize(
    ("lang", "pp", "concentration"),
    [("en", "band 1 pp", "band 1 µg/m³"), ("zh", "预警1 个百分点", "预警1 微克/立方米")],
)
def test_the_targets_table_shows_the_band_under_the_rule(
    lang: str, pp: str, concentration: str
) -> None:
    table = run_cli(["targets", "--lang", lang], COLUMNS="200").stdout
    lines = table.splitlines()
    rule = next(n for n, line in enumerate(lines) if "≥94%" in line)
    assert pp in lines[rule + 1]
    at = [
        cell_len(line[: line.index(text)])
        for line, text in ((lines[rule], "≥94%"), (lines[rule + 1], pp))
    ]
    assert at[0] == at[1]  # in the rule's column, under it
    # Only the banded targets (none of the =100% rates, nor the count) show one.
    assert table.count(pp) == len(BANDED) - 2
    assert table.count(concentration) == 2
    narrow = run_cli(["targets", "--lang", lang], COLUMNS="80").stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert narrow.count(pp) == len(BANDED) - 2
