"""The JSON Schemas agree with the loaders: a report validate reads passes, and the reverse."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from qcheck.cli import main
from qcheck.loaders.shape import FIELDS, INFO_KEYS, LIST_KEYS
from qcheck.loaders.targets import load_catalogue
from qcheck.places import place_spellings
from qcheck.schema import targets_schema
from tests.docs.test_docs_targets import EXAMPLES
from tests.helpers import REPO_ROOT, SAMPLES, run_cli
from tests.rules.helpers import document as targets_document

# What the YAML loader finds wrong with a report's keys and nesting (not with its values).
# The values drawn below are all readable: not-a-number and empty-value come from keys alone.
STRUCTURE_CODES = frozenset(
    {
        "bad-structure",
        "year-column",
        "unknown-column",
        "duplicate-column",
        "no-data",
        "not-a-number",
        "empty-value",
    }
)


@cache
def report_schema() -> Draft202012Validator:
    schema = json.loads(run_cli(["schema", "measurements"]).stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_json(text: str) -> Any:
    """Return YAML loaded as data, as an editor sees it: keys and dates are text in JSON."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def schema_accepts(text: str) -> bool:
    """Whether the report schema accepts a YAML report."""
    return report_schema().is_valid(as_json(text))


def validate(text: str, *args: str) -> Result:
    """Run qcheck validate on a YAML report given on standard input."""
    command = ["validate", "-", "--stdin-format", "yaml", "--lang", "en", *args]
    return CliRunner().invoke(main, command, input=text)


def structure_problems(text: str) -> set[str]:
    """Return the codes of the problems validate finds with a YAML report's keys and nesting."""
    result = validate(text, "--format", "json")
    assert result.exit_code in (0, 2), result.output
    problems = json.loads(result.stdout)["validation"]["problems"]
    return {problem["code"] for problem in problems} & STRUCTURE_CODES


def test_a_report_with_chinese_keys_passes_validate_and_the_schema() -> None:
    text = """\
标题: 张掖市质量提升行动 2020 年指标填报
填报单位: 市市场监管局
年份: 2020
地区: 临泽县
指标数据:
  - {指标: 食品安全抽检合格率, 数值: 95.2%, 地区: 全市}
  - {指标名称: PM10, 年度: 2017, 实际值: 78, 计量单位: µg/m³, 备注: 监测站均值, 县区: 全市}
  - {指标: 全市主导优势产品质量达到省内先进水平, 完成值: 达到, 区县: ~}
"""
    assert validate(text).exit_code == 0
    assert schema_accepts(text)


def test_the_yaml_sample_passes_the_schema() -> None:
    assert schema_accepts((SAMPLES / "report-2020.yaml").read_text(encoding="utf-8"))


# ---- refused shapes: the schema refuses what validate refuses --------------------------------

ROW = "{indicator: PM10, year: 2017, value: 78}"
REFUSED = {
    "unknown key in a row": f"- {{indicator: PM10, value: 78, remark: x}}\n- {ROW}\n",
    "a year as a key": "- {indicator: PM10, 2019: 78, 2020: 70}\n",
    "a number split at a comma": "- {indicator: PM10, value: 78,9}\n",
    "one field twice": "- {indicator: PM10, value: 78, 数值: 79}\n",
    "no value": "- {indicator: PM10, year: 2017}\n",
    "a list for a value": "- {indicator: PM10, value: [78, 79]}\n",
    "a mapping for a value": "- {indicator: PM10, value: {2019: 78}}\n",
    "a row that is no mapping": f"- {ROW}\n- PM10 78\n",
    "rows one level too deep": f"- - {ROW}\n",
    "no rows": "[]\n",
    "an empty list of rows": "measurements: []\n",
    "no list of rows": "year: 2017\nregion: 临泽县\n",
    "rows under an unknown key": f"measurements: [{ROW}]\nmeasurement: [{ROW}]\n",
    "two lists of rows": f"measurements: [{ROW}]\n数据: [{ROW}]\n",
    "the list holds a mapping": f"measurements: {ROW}\n",
    "an unknown key beside the rows": f"remark: x\nmeasurements: [{ROW}]\n",
    "an indicator for the whole file": "indicator: PM10\nmeasurements: [{value: 78}]\n",
    "a default given twice": f"year: 2017\n年份: 2017\nmeasurements: [{ROW}]\n",
    "a list for a default": f"year: [2017]\nmeasurements: [{ROW}]\n",
    "a scalar for a report": "PM10\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_shape_is_refused_by_both(text: str) -> None:
    assert structure_problems(text)
    assert not schema_accepts(text)


def test_a_list_for_a_default_is_a_problem_not_an_internal_error() -> None:
    text = f"year: [2017]\nmeasurements: [{ROW}]\n"
    result = validate(text)
    assert result.exit_code == 2, result.output
    assert "'year' holds a list or mapping, not a single value" in result.stdout


# ---- random reports: validate reads their structure exactly when the schema passes them -------


def field_values(field: str) -> st.SearchStrategy[object]:
    """Return values a row may give a field, each one the row validator reads."""
    catalogue = load_catalogue()
    return {
        "indicator": st.sampled_from(["PM10", "food_safety_pass_rate", "食品安全抽检合格率"]),
        "value": st.sampled_from([78, 95.2, "95.2%"]),
        "year": st.sampled_from([2017, 2019, "2020", None]),
        "region": st.sampled_from([*place_spellings(catalogue)[:8], "", None]),
        "unit": st.sampled_from(["µg/m³", None]),
        "note": st.sampled_from(["monitored", 12, True, None]),
    }[field]


NOT_SINGLE = st.sampled_from([[78, 79], {"a": 1}])
UNKNOWN_KEYS = st.sampled_from(["remark", "2019", "2020年", "Measurements", "title", "单位名称"])


def rarely(draw: st.DrawFn) -> bool:
    """Draw whether to make one thing wrong: seldom, so that a fair share of reports are right."""
    return draw(st.integers(0, 24)) == 0


@st.composite
def rows(draw: st.DrawFn) -> object:
    """Draw a row: each field under one of its names (or none, or two); maybe a stray key."""
    if rarely(draw):
        return draw(st.sampled_from(["PM10", 78, None, [{"indicator": "PM10", "value": 78}]]))
    row: dict[str, object] = {}
    for field, spec in FIELDS.items():
        names = draw(st.lists(st.sampled_from(spec.names), min_size=2, max_size=2, unique=True))
        if rarely(draw):
            names = [] if spec.required else names
        elif spec.required or draw(st.booleans()):
            names = names[:1]
        else:
            names = []
        for name in names:
            row[name] = draw(field_values(field))
    if rarely(draw):
        row[draw(st.sampled_from(sorted(row) or ["value"]))] = draw(NOT_SINGLE)
    if rarely(draw):
        row[draw(UNKNOWN_KEYS)] = draw(st.sampled_from(["x", None, 5]))
    return row


@st.composite
def reports(draw: st.DrawFn) -> object:
    """Draw a report: a list of rows, or a mapping of defaults, details and lists of rows."""
    listed = draw(st.lists(rows(), min_size=0 if rarely(draw) else 1, max_size=3))
    if draw(st.booleans()):
        return listed
    report: dict[str, object] = {}
    for key in draw(st.lists(st.sampled_from(INFO_KEYS), max_size=2, unique=True)):
        report[key] = draw(st.sampled_from(["张掖", 2020, ["a", "b"]]))
    for field, spec in FIELDS.items():
        if spec.file_wide and draw(st.booleans()):
            names = draw(st.lists(st.sampled_from(spec.names), min_size=2, max_size=2, unique=True))
            for name in names if rarely(draw) else names[:1]:
                report[name] = draw(NOT_SINGLE) if rarely(draw) else draw(field_values(field))
    lists = draw(st.lists(st.sampled_from(LIST_KEYS), min_size=2, max_size=2, unique=True))
    for key in lists if rarely(draw) else ([] if rarely(draw) else lists[:1]):
        report[key] = listed
    if rarely(draw):
        key = draw(UNKNOWN_KEYS | st.sampled_from(["indicator", "数值", "data"]))
        report[key] = draw(st.sampled_from(["x", [{"indicator": "PM10", "value": 78}], listed]))
    return report


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_validate_reads_a_reports_structure_exactly_when_the_schema_passes_it(
    report: object,
) -> None:
    text = yaml.safe_dump(report, allow_unicode=True, sort_keys=False)
    assert (not structure_problems(text)) == schema_accepts(text), text


# ---- the targets schema and the targets files ------------------------------------------------

TARGETS_FILES = [
    REPO_ROOT / "targets.yaml",
    REPO_ROOT / "src" / "qcheck" / "targets.yaml",
    SAMPLES / "targets-2025-example.yaml",
]


@pytest.mark.parametrize("path", TARGETS_FILES, ids=lambda path: path.name)
def test_the_shipped_targets_files_pass_the_targets_schema(path: Any) -> None:
    document = as_json(path.read_text(encoding="utf-8"))
    Draft202012Validator(targets_schema()).validate(document)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: str(e["rule"]["kind"]))
def test_the_documented_rules_pass_the_targets_schema(example: dict[str, Any]) -> None:
    document = as_json(yaml.safe_dump(targets_document(example["rule"], unit=example.get("unit"))))
    Draft202012Validator(targets_schema()).validate(document)


def test_a_header_name_given_to_two_fields_is_refused() -> None:
    # A table's template header for the note that were a name of the value (值) would have had
    # a value column read as a note, its figure never judged.
    from dataclasses import replace

    from qcheck.loaders.shape import FIELDS, one_field_a_name

    note = FIELDS["note"]
    clashing = {**FIELDS, "note": replace(note, names=(*note.names, "值"))}
    with pytest.raises(ValueError, match="names both value and note"):
        one_field_a_name(clashing)
    assert one_field_a_name(FIELDS) is FIELDS
