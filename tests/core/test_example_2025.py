"""The made-up 2021–2025 plan in samples/: every kind of rule, with every verdict pinned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qcheck.i18n import Texts
from qcheck.loaders.targets import load_catalogue
from qcheck.rules import KINDS
from tests.helpers import SAMPLES, csv_records, json_summary, run_cli
from tests.rules.test_registry import kind_names

TARGETS = SAMPLES / "targets-2025-example.yaml"
REPORT = SAMPLES / "report-2025-example.csv"

# target id: (status, value); the reason the plan's reading gives each is in the comment.
VERDICTS = {
    "food_safety_pass_rate": ("pass", 98.4),
    "product_failure_rate": ("fail", 2.3),  # ≤ 2%
    "essential_drugs_coverage": ("pass", 100),
    "manufacturing_pass_rate": ("missing", None),  # every year: 2023 left out
    "agricultural_pass_rate": ("fail", 97.6),  # 2025's milestone is 98%
    "credit_a_share": ("pass", 90),  # between 85% and 95%
    "completed_projects_compliance": ("pass", True),  # answered 达到
    "quality_city_award": ("fail", False),
    "dongqu_model_district": ("pass", True),  # East District's own answer
    "service_platform": ("pass", True),  # done in 2023, by 2023-12-31
    "invention_patents": ("pass", 1850),  # +23.3% on 2020
    "sampling_failure_rate": ("fail", 4),  # fell 2.5 points of the 3 asked for
    "pm25_concentration": ("pass", 33),  # fell 13.2%, ≥ 10%
    "quality_training": ("pass", 5030),  # five years' sum ≥ 5000
    "water_source_quality": ("fail", 93.5),  # Hekou below 95%
    "good_air_days_counties": ("missing", None),  # 4 met, 1 not, Linxi absent: k = 5 open
    "service_satisfaction": ("pass", 82.07),  # weighted mean; unweighted it would be 81
}


def test_the_example_targets_file_is_valid() -> None:
    result = run_cli(["targets", "--check", str(TARGETS)])
    assert result.exit_code == 0, result.output


def test_the_example_uses_every_kind_of_rule() -> None:
    catalogue = load_catalogue(TARGETS)
    used = {target.rule.kind for target in catalogue.targets}
    for target in catalogue.targets:
        test = target.rule.model_dump().get("test")
        if test:
            used.add(test["kind"])
    every = {name for kind in KINDS for name in kind_names(kind)} - {"qualitative"}
    assert every <= used, sorted(every - used)


def test_the_example_report_gets_the_pinned_verdicts() -> None:
    command = ["evaluate", str(REPORT), "--targets", str(TARGETS), "--year", "2025"]
    result = run_cli([*command, "--format", "json"])
    assert result.exit_code == 1, result.output
    (report,) = json.loads(result.stdout)["reports"]
    verdicts = {r["id"]: (r["status"], r["value"]) for r in report["results"]}
    assert verdicts == VERDICTS
    regions = {r["id"]: r["value_region"] for r in report["results"] if r["value_region"]}
    assert regions == {"water_source_quality": "hekou", "dongqu_model_district": "dongqu"}
    facts = {r["id"]: r["rule_facts"] for r in report["results"]}
    assert facts["dongqu_model_district"] == {"region": "dongqu"}
    assert facts["manufacturing_pass_rate"] == {"threshold": 95, "years": "every"}
    assert facts["service_platform"] == {"due": "2023-12-31"}
    assert report["summary"] == json_summary(17, **{"pass": 10, "fail": 5, "missing": 2})
    assert report["warnings"] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_example_reads_in_both_languages(lang: str) -> None:
    command = ["evaluate", str(REPORT), "--targets", str(TARGETS), "--year", "2025"]
    result = run_cli([*command, "--lang", lang], COLUMNS="100")
    assert result.exit_code == 1
    counts = "共17项：达标10项，未达标5项，缺数据2项" if lang == "zh" else "10 met, 5 not met, 2"
    assert counts in result.stdout


def test_the_csv_says_whose_figure_each_value_is() -> None:
    command = ["evaluate", str(REPORT), "--targets", str(TARGETS), "--year", "2025"]
    result = run_cli([*command, "--format", "csv"])
    rows = {row["id"]: row for row in csv_records(result.stdout)}
    # A task's answer in the words the table uses for it ("done"), not "met".
    assert (rows["service_platform"]["value_year"], rows["service_platform"]["value"]) == (
        "2023",
        "done",
    )
    hekou = Texts("en", load_catalogue(TARGETS)).region_name("hekou")
    assert rows["water_source_quality"]["value_region"] == hekou  # named, as the table does
    assert rows["food_safety_pass_rate"]["value_region"] == ""


@pytest.mark.parametrize("output_format", ["markdown", "table"])
def test_a_summary_matrix_counts_the_targets_not_yet_due(
    tmp_path: Path, output_format: str
) -> None:
    """In 2022 the milestone, the commitment due 2023 and the five-year total are not yet due."""
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_bytes(REPORT.read_bytes())
    command = ["evaluate", str(tmp_path), "--each", "--targets", str(TARGETS), "--year", "2022"]
    result = run_cli([*command, "--format", output_format], COLUMNS="200")
    assert result.exit_code in (0, 1), result.output
    if output_format == "markdown":
        header = next(line for line in result.stdout.splitlines() if line.startswith("| Report"))
        assert header.endswith("| met | not met | missing | not yet due |")
    else:
        assert "…" in result.stdout.split("Summary")[-1]


def test_the_example_refuses_a_rate_written_as_a_fraction(tmp_path: Path) -> None:
    """The model for a new plan follows its own advice: a rate of 0.98 is 98%, never judged."""
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,value\nfood_safety_pass_rate,2025,0.98\n", encoding="utf-8")
    result = run_cli(["evaluate", str(report), "--targets", str(TARGETS), "--year", "2025"])
    assert result.exit_code == 2
    assert "[implausible]" in result.stderr
