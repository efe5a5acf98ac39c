"""The waivers file: its messages, and qcheck schema waivers accepting what the loader does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from qcheck.loaders.waivers import read_waivers
from qcheck.loaders.yaml_file import parse_yaml
from qcheck.schema import waivers_schema
from tests.helpers import SAMPLES, run_cli

ENTRY = "  - {target: t, reason: r, approved_by: a, expires: 2021-06-30"


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("waivers: null\n", True),
        ("waivers:\n", True),
        ("waivers: []\n", True),
        ("{}\n", False),
        ("# nothing but a comment\n", False),
        ("", False),
        ("waivers: []\nother: 1\n", False),
        ("waivers:\n" + ENTRY + "}\n", True),
        ("waivers:\n" + ENTRY + ", year: 2020}\n", True),
        ("waivers:\n" + ENTRY + ", year: '2020'}\n", True),
        ("waivers:\n" + ENTRY + ", year: ['2020', 2019]}\n", True),
        ("waivers:\n" + ENTRY + ", year: next}\n", False),
        ("waivers:\n" + ENTRY + ", year: []}\n", False),
        ("waivers:\n" + ENTRY + ", year: null, region: null}\n", True),
        ("waivers:\n  - {target: t, reason: '', approved_by: a, expires: 2021-06-30}\n", False),
        ("waivers:\n  - {target: t, reason: '  ', approved_by: a, expires: 2021-06-30}\n", False),
        ("waivers:\n  - {target: t, reason: r, approved_by: a, expires: '2021/06/30'}\n", False),
        ("waivers:\n  - {target: t, reason: r, approved_by: a}\n", False),
    ],
)
def test_the_loader_and_the_schema_accept_and_refuse_the_same_files(
    text: str, accepted: bool
) -> None:
    _, problems = read_waivers(parse_yaml(text, source="w.yaml"), "w.yaml")
    assert (not problems) is accepted
    document: Any = json.loads(json.dumps(yaml.safe_load(text), default=str))
    checker = jsonschema.FormatChecker()
    errors = list(
        jsonschema.Draft202012Validator(waivers_schema(), format_checker=checker).iter_errors(
            document
        )
    )
    assert (not errors) is accepted


def test_a_waiver_that_is_no_mapping_is_named_by_its_line() -> None:
    text = "waivers:\n" + ENTRY + "}\n  - just text\n"
    _, (problem,) = read_waivers(parse_yaml(text, source="w.yaml"), "w.yaml", text=text)
    assert (problem.row, problem.column) == (3, "waivers.1")


def test_pydantic_s_words_are_said_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n  - {target: t, aproved: b, year: [], expires: x}\n", "utf-8")
    done = run_cli(
        [
            "evaluate",
            str(SAMPLES / "report-2020-all-met.csv"),
            "--waivers",
            str(path),
            "--lang",
            "zh",
        ]
    )
    assert done.exit_code == 2
    for english in ("Field required", "Extra inputs", "Tuple should", "Input should"):
        assert english not in done.stderr
    assert "缺少此项" in done.stderr
    assert "不允许有此项" in done.stderr


@pytest.mark.parametrize("name", ["qcheck-waivers.yml", "approved.yaml"])
def test_a_waivers_file_given_as_a_report_says_to_pass_it_with_waivers(
    in_tmp: Path, name: str
) -> None:
    Path(name).write_text((SAMPLES / "waivers-2020.yaml").read_text("utf-8"), "utf-8")
    done = run_cli(["evaluate", name, "--lang", "en"])
    assert done.exit_code == 2
    assert "this is a waivers file, not a report: pass it with --waivers" in done.stderr
    assert "no 'measurements:' list" not in done.stderr
    done = run_cli(["evaluate", name, "--lang", "zh"])
    assert "这是豁免文件" in done.stderr


def test_standard_input_is_not_accepted_for_waivers(in_tmp: Path) -> None:
    report = str(SAMPLES / "report-2020-all-met.csv")
    done = run_cli(["evaluate", report, "--waivers", "-", "--lang", "en"])
    assert done.exit_code == 2
    assert "standard input (-) is not accepted for waivers" in done.stderr
