"""The commands about the targets: targets, template (and its round trip), schema, and --help."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from openpyxl import Workbook, load_workbook

from qcheck.catalogue import Target
from qcheck.i18n import Texts
from qcheck.loaders.targets import load_catalogue
from qcheck.renderers.catalogue import CATALOGUE_FIELDS
from qcheck.words import Lang
from tests.helpers import REPO_ROOT, SAMPLES, SIX_REGIONS, csv_records, json_summary, run_cli

CATALOGUE = load_catalogue()
TARGETS = {target.id: target for target in CATALOGUE.targets}
BY_NAME = {name: t.id for t in CATALOGUE.targets for name in (t.id, t.name_zh, t.name_en)}
REGIONS: dict[str, str | None] = {"全市": None, "city-wide": None}
REGIONS |= {name: r.id for r in CATALOGUE.regions for name in (r.name_zh, r.name_en)}
FIELDS = ("id", "name_zh", "name_en", "area", "rule", "clause", "plan_text", "lead_units")
STABLE = {"consumer_goods_pass_rate", "manufacturing_pass_rate", "sme_quality_training"}
DECREASE = {"pm10_concentration", "pm25_concentration"}
AVERAGED = "good_air_days_ratio"
ENVIRONMENT = {*DECREASE, AVERAGED, "drinking_water_quality_ratio"}
# The plan's commitments: done by a date (asked every year of the plan), or met each year.
DUE = {
    "startup_work_plans",
    "ganzhou_export_demo_county",
    "food_safety_demo_city",
    "quality_accident_reporting",
    "quality_risk_monitoring",
    "quality_in_cadre_training",
}
EACH_YEAR_TASKS = {"yearly_supervision_assessment", "quality_in_performance_assessment"}
COMMANDS = ("evaluate", "validate", "targets", "template", "schema")

# A template row as (target id, year, region id or None, value).
Row = tuple[str, int, str | None, Any]


pytestmark = pytest.mark.usefixtures("cli_environment")


run = run_cli


# ---- targets --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_targets_table_lists_every_id(lang: str) -> None:
    result = run(["targets", "--lang", lang])
    assert result.exit_code == 0
    words = set(result.stdout.split())
    assert set(TARGETS) <= words, sorted(set(TARGETS) - words)


@pytest.mark.parametrize(("lang", "header"), [("zh", "牵头单位"), ("en", "Lead units")])
def test_targets_table_on_a_wide_terminal(lang: str, header: str) -> None:
    result = run(["targets", "--lang", lang], COLUMNS="300")
    assert result.exit_code == 0
    assert header in result.stdout
    words = set(result.stdout.split())
    assert set(TARGETS) <= words
    # The readings of what the plan leaves open are marked: 8 rules and the 9 tasks, and the
    # lead units whose body today is qcheck's reading of the 2019 reform's pattern.
    read_bodies = re.findall(r"→ \S+ ※", result.stdout)
    assert result.stdout.count("※") == 8 + 9 + len(read_bodies)
    assert "市质监局 → 张掖市市场监督管理局 ※" in result.stdout
    assert "市环保局 → 张掖市生态环境局" in result.stdout
    assert "张掖市生态环境局 ※" not in result.stdout  # named by a Zhangye page: confirmed


def _catalogue_json(text: str, lang: Lang = "en") -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = json.loads(text)["targets"]
    return targets


def _catalogue_yaml(text: str, lang: Lang = "en") -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = yaml.safe_load(text)["targets"]
    return targets


def _catalogue_csv(text: str, lang: Lang = "en") -> list[dict[str, Any]]:
    """Read a targets CSV, its headers in ``lang``, keyed as the JSON's records are."""
    rows = csv_records(text, lang, CATALOGUE_FIELDS)
    return [
        {**row, "lead_units": row["lead_units"].split("、") if row["lead_units"] else []}
        for row in rows
    ]


@pytest.mark.parametrize(
    ("output_format", "read"),
    [("csv", _catalogue_csv), ("json", _catalogue_json), ("yaml", _catalogue_yaml)],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_targets_export_carries_the_mark_and_the_reading(
    output_format: str, read: Callable[[str, Lang], list[dict[str, Any]]], lang: Lang
) -> None:
    result = run(["targets", "--format", output_format, "--lang", lang])
    assert result.exit_code == 0
    records = {record["id"]: record for record in read(result.stdout, lang)}
    for target in load_catalogue().targets:
        record = records[target.id]
        assert record["rule"].endswith(" ※") is (target.interpretation is not None), target.id
        reading = target.interpretation
        expected = "" if reading is None else (reading.zh if lang == "zh" else reading.en)
        assert (record["interpretation"] or "") == expected, target.id
        plausible = target.plausible.shown() if target.plausible else ""
        assert (record["plausible"] or "") == plausible, target.id


@pytest.mark.parametrize(
    ("output_format", "parse"),
    [("json", _catalogue_json), ("yaml", _catalogue_yaml), ("csv", _catalogue_csv)],
)
def test_targets_formats_parse_back(
    output_format: str, parse: Callable[[str], list[dict[str, Any]]]
) -> None:
    result = run(["targets", "--format", output_format])
    assert result.exit_code == 0
    records = parse(result.stdout)
    assert [record["id"] for record in records] == list(TARGETS)
    for record in records:
        assert set(FIELDS) <= set(record), record
        target = TARGETS[record["id"]]
        assert (record["name_zh"], record["name_en"]) == (target.name_zh, target.name_en)
        # For people, a CSV names the area; JSON and YAML give its id.
        area = Texts("en", CATALOGUE).area_name(target.area)
        assert record["area"] == (area if output_format == "csv" else target.area)
        assert record["plan_text"] == target.source.text
        assert record["clause"] == target.source.clause
        assert record["lead_units"] == list(target.lead_units)
        assert record["rule"]
    food = next(record for record in records if record["id"] == "food_safety_pass_rate")
    assert food["rule"] == "≥94%"
    if output_format != "csv":  # figures are numbers, as in evaluate's JSON
        assert food["rule_spec"]["threshold"] == 94


def test_targets_check_accepts_a_valid_copy(tmp_path: Path) -> None:
    copy = tmp_path / "my-targets.yaml"
    shutil.copy(REPO_ROOT / "targets.yaml", copy)
    result = run(["targets", "--check", str(copy)])
    assert result.exit_code == 0
    assert f"{copy}: a valid targets file with 27 targets" in result.stdout


VALID = (REPO_ROOT / "targets.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("plan: [\n", "bad-yaml"),
        ("targets: []\n", "invalid-targets"),
        (VALID.replace("area: environment", "area: weather", 1), "invalid-targets"),
        (VALID.replace("- id: pm25_concentration", "- id: pm10_concentration"), "invalid-targets"),
        (VALID.replace("threshold: 94}", "threshold: high}"), "invalid-targets"),
    ],
)
def test_targets_check_rejects_an_invalid_file(tmp_path: Path, text: str, code: str) -> None:
    assert text != VALID
    path = tmp_path / "my-targets.yaml"
    path.write_text(text, encoding="utf-8")
    result = run(["targets", "--check", str(path)])
    assert result.exit_code == 2
    assert f"{path}" in result.stderr
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.stderr


def test_targets_check_of_a_missing_file(tmp_path: Path) -> None:
    result = run(["targets", "--check", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.stderr


# ---- template -------------------------------------------------------------------------------


def _rows(cells: Iterator[Sequence[Any]]) -> list[Row]:
    """Read template rows (indicator, year, region, value, ...) into ids."""
    return [(BY_NAME[c[0]], int(c[1]), REGIONS[c[2]], c[3]) for c in cells]


def csv_rows(text: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return _rows(reader)


def yaml_rows(text: str) -> list[Row]:
    items = yaml.safe_load(text)["measurements"]
    return _rows((i["indicator"], i["year"], i["region"], i["value"]) for i in items)


def xlsx_rows(data: bytes) -> list[Row]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return _rows(row for row in sheet.iter_rows(min_row=2, values_only=True))


def template(*args: str) -> Result:
    result = run(["template", *args])
    assert result.exit_code == 0, result.output
    return result


def expected_cells(target_id: str, *, regions: bool = False) -> set[tuple[int, str | None]]:
    """Return the (year, region) rows a target needs in a template for 2020."""
    if target_id in DECREASE:
        years = [2017, 2020]  # the baseline year and the evaluated one
    elif target_id in STABLE | DUE | EACH_YEAR_TASKS:
        years = [2018, 2019, 2020]  # every year of the plan
    elif target_id == "quality_funding_in_budget":
        years = [2019, 2020]  # the budgets set after the plan
    else:
        years = [2020]
    places: list[str | None] = [None]
    if target_id == AVERAGED or (target_id == "ganzhou_export_demo_county" and regions):
        places = list(SIX_REGIONS)
    elif target_id == "ganzhou_export_demo_county":
        places = ["ganzhou"]
    elif regions:
        places += SIX_REGIONS
    return {(year, place) for year in years for place in places}


def by_target(rows: list[Row]) -> dict[str, set[tuple[int, str | None]]]:
    cells: dict[str, set[tuple[int, str | None]]] = {}
    for target_id, year, region, _ in rows:
        cells.setdefault(target_id, set()).add((year, region))
    return cells


def template_rows(output_format: str, lang: str, tmp_path: Path, *args: str) -> list[Row]:
    if output_format == "xlsx":
        path = tmp_path / "t.xlsx"
        template("--format", "xlsx", "--lang", lang, "-o", str(path), *args)
        return xlsx_rows(path.read_bytes())
    text = template("--format", output_format, "--lang", lang, *args).stdout
    return csv_rows(text) if output_format == "csv" else yaml_rows(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("output_format", ["csv", "yaml", "xlsx"])
def test_template_lists_every_indicator_with_the_rows_it_needs(
    tmp_path: Path, output_format: str, lang: str
) -> None:
    rows = template_rows(output_format, lang, tmp_path)
    assert len(rows) == len(set(rows)) == 57
    cells = by_target(rows)
    assert list(cells) == list(TARGETS)
    for target_id, found in cells.items():
        assert found == expected_cells(target_id), target_id
    assert all(value in (None, "") for *_, value in rows)


def test_template_csv_is_the_default() -> None:
    assert template().stdout == template("--format", "csv").stdout
    assert template("--lang", "zh").stdout.startswith("指标,年份,地区,数值,单位,备注\n")


@pytest.mark.parametrize("output_format", ["csv", "yaml", "xlsx"])
def test_template_area_keeps_only_that_area(tmp_path: Path, output_format: str) -> None:
    rows = template_rows(output_format, "zh", tmp_path, "--area", "environment")
    assert set(by_target(rows)) == ENVIRONMENT
    rows = template_rows(output_format, "en", tmp_path, "--area", "service", "--area", "product")
    assert {TARGETS[target_id].area for target_id, *_ in rows} == {"service", "product"}


def test_template_regions_adds_county_rows_for_every_target(tmp_path: Path) -> None:
    for output_format in ("csv", "xlsx"):
        cells = by_target(template_rows(output_format, "zh", tmp_path, "--regions"))
        assert list(cells) == list(TARGETS)
        for target_id, found in cells.items():
            assert found == expected_cells(target_id, regions=True), target_id


def test_template_unknown_area_is_a_usage_error() -> None:
    result = run(["template", "--area", "weather"])
    assert result.exit_code == 2
    assert "unknown area 'weather'" in result.stderr
    assert "environment" in result.stderr


def test_template_xlsx_without_output_writes_the_workbook_to_stdout() -> None:
    result = template("--format", "xlsx")
    assert result.stdout_bytes.startswith(b"PK\x03\x04")
    cells = by_target(xlsx_rows(result.stdout_bytes))
    assert list(cells) == list(TARGETS)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_template_xlsx_to_a_terminal_is_a_usage_error() -> None:
    primary, secondary = os.openpty()
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "qcheck", "template", "--format", "xlsx"],
            stdout=secondary,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert completed.returncode == 2
    assert b"--output" in completed.stderr


def figure(target: Target, year: int) -> object:
    """Return a figure that meets ``target``: PM concentrations fall after 2017."""
    if target.unit is None:
        return "达到"
    if target.unit == "ug/m3":
        return 50 if year == 2017 else 40
    return {"%": 100, "户": 200}[target.unit]


def fill_csv(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        assert row[3] == ""
        row[3] = str(figure(TARGETS[BY_NAME[row[0]]], int(row[1])))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def fill_yaml(text: str) -> str:
    document = yaml.safe_load(text)
    for item in document["measurements"]:
        assert item["value"] is None
        item["value"] = figure(TARGETS[BY_NAME[item["indicator"]]], item["year"])
    return yaml.safe_dump(document, allow_unicode=True)


def fill_xlsx(data: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=2):
        name, year, value = row[0].value, row[1].value, row[3]
        assert value.value is None
        assert isinstance(name, str)
        assert isinstance(year, int)
        value.value = figure(TARGETS[BY_NAME[name]], year)  # type: ignore[assignment]
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILLERS: dict[str, tuple[str, Callable[[Any], str | bytes]]] = {
    "csv": (".csv", fill_csv),
    "yaml": (".yaml", fill_yaml),
    "xlsx": (".xlsx", fill_xlsx),
}


def _write(path: Path, data: str | bytes) -> str:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("output_format", ["csv", "xlsx", "yaml"])
def test_template_round_trip(tmp_path: Path, output_format: str, lang: str) -> None:
    suffix, fill = FILLERS[output_format]
    blank = tmp_path / f"blank{suffix}"
    template("--format", output_format, "--lang", lang, "-o", str(blank))
    data = blank.read_bytes() if output_format == "xlsx" else blank.read_text(encoding="utf-8")
    filled = _write(tmp_path / f"filled{suffix}", fill(data))

    validated = run(["validate", filled, "--strict"])
    assert validated.exit_code == 0, validated.output
    evaluated = run(["evaluate", filled, "--format", "json", "--fail-on", "missing"])
    assert evaluated.exit_code == 0, evaluated.output
    summary = json.loads(evaluated.stdout)["reports"][0]["summary"]
    assert summary == json_summary(27, **{"pass": 27, "fail": 0, "missing": 0})

    unfilled = run(["validate", str(blank), "--format", "json"])
    assert unfilled.exit_code == 2
    validation = json.loads(unfilled.stdout)["validation"]
    assert validation["error_count"] == validation["rows"] == 57
    assert {problem["code"] for problem in validation["problems"]} == {"empty-value"}


def test_template_output_file_equals_stdout(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    result = template("--format", "yaml", "-o", str(path))
    assert result.stdout == ""
    assert path.read_text(encoding="utf-8") == template("--format", "yaml").stdout


# ---- schema ---------------------------------------------------------------------------------


def schema(kind: str) -> dict[str, Any]:
    result = run(["schema", kind])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    assert document["$schema"].startswith("https://json-schema.org/")
    return document


def test_schema_of_targets() -> None:
    document = schema("targets")
    assert {"plan", "targets"} <= set(document["properties"])


@pytest.mark.parametrize("args", [["schema", "measurements"], ["schema"]])
def test_schema_of_measurements(args: list[str]) -> None:
    result = run(args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert "$schema" in document
    assert "measurements" in document["properties"]


def test_schema_of_measurements_covers_the_yaml_sample() -> None:
    """Check the sample against the schema without a validator: its keys and names are known."""
    document = schema("measurements")
    sample = yaml.safe_load((SAMPLES / "report-2020.yaml").read_text(encoding="utf-8"))
    assert set(sample) <= set(document["properties"])
    (entry,) = [d for d in document["$defs"].values() if "indicator" in d.get("properties", {})]
    names = set(entry["properties"]["indicator"]["enum"])
    for item in sample["measurements"]:
        assert set(item) <= set(entry["properties"])
        assert item["indicator"] in names


def test_schema_of_measurements_validates_the_yaml_sample() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    document = schema("measurements")
    sample = yaml.safe_load((SAMPLES / "report-2020.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(sample, document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"measurements": [{"indicator": "nope", "value": 1}]}, document)


# ---- help -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_has_examples(command: str) -> None:
    result = run([command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"qcheck {command}".strip() in result.output


@pytest.mark.parametrize(
    ("name", "first_bytes"),
    [
        ("t.xlsx", b"PK\x03\x04"),
        ("t.yaml", b"# fill"),
        # CSV starts with the BOM, for Excel: see test_csv.py.
        ("t.csv", b"\xef\xbb\xbfindicator,"),
        ("t.txt", b"\xef\xbb\xbfind"),
    ],
)
def test_a_template_is_written_in_the_format_its_file_name_says(
    in_tmp: Path, name: str, first_bytes: bytes
) -> None:
    # -o t.xlsx once wrote CSV text into a file named .xlsx, which Excel refuses to open.
    result = run_cli(["template", "-o", name])
    assert result.exit_code == 0, result.output
    assert Path(name).read_bytes().startswith(first_bytes)
    assert run_cli(["validate", name]).exit_code == 2  # blank values: read, and refused


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-o", "t.parquet"], "cannot tell a template's format"),
        (["-o", "t"], "cannot tell a template's format"),
        (["-o", "t.csv", "--format", "xlsx"], "is named as another format"),
        (["-o", "t.parquet", "--format", "csv"], "is named as another format"),
    ],
)
def test_a_template_file_named_as_another_format_is_refused(
    in_tmp: Path, args: list[str], words: str
) -> None:
    result = run_cli(["template", *args, "--lang", "en"])
    assert result.exit_code == 2
    assert words in result.output
    assert not list(in_tmp.iterdir())


def test_a_template_with_a_format_may_go_to_a_file_of_any_other_name(in_tmp: Path) -> None:
    result = run_cli(["template", "-o", "t.dat", "--format", "yaml"])
    assert result.exit_code == 0, result.output
    assert Path("t.dat").read_text(encoding="utf-8").startswith("#")


def test_evaluate_by_unit_groups_the_people_formats_and_leaves_json_as_it_is() -> None:
    report = str(SAMPLES / "report-2020-with-failures.csv")
    markdown = run(["evaluate", report, "--by", "unit", "--format", "markdown", "--lang", "zh"])
    assert markdown.exit_code == 1
    assert "| 牵头单位 | 指标 |" in markdown.stdout
    assert "- 市质监局、市食药监局 → 张掖市市场监督管理局 ※: 共" in markdown.stdout
    by_area = run(["evaluate", report, "--format", "json"])
    by_unit = run(["evaluate", report, "--format", "json", "--by", "unit"])
    assert by_unit.stdout == by_area.stdout


@pytest.mark.parametrize("output_format", ["json", "yaml"])
def test_targets_for_machines_list_every_department(output_format: str) -> None:
    # A declared unit that leads no target appeared nowhere in the listing.
    result = run(["targets", "--format", output_format])
    assert result.exit_code == 0
    document = (
        json.loads(result.stdout) if output_format == "json" else yaml.safe_load(result.stdout)
    )
    by_name = {department["name"]: department for department in document["departments"]}
    assert len(by_name) == len(load_catalogue().departments)
    assert by_name["市环保局"]["now"] == "张掖市生态环境局"
    assert by_name["市环保局"]["confirmed"] is True
    assert by_name["市发改委"]["now"] is None
