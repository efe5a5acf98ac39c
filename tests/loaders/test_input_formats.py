"""The input formats' registry, and what derives from it: suffixes, stdin choices, hooks."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from qcheck.cli import main
from qcheck.loaders.files import LOOKED_FOR
from qcheck.loaders.formats import (
    ARROW,
    CSV,
    EXCEL,
    INPUT_FORMATS,
    PARQUET,
    REPORT_SUFFIXES,
    STDIN_FORMATS,
    YAML,
    by_content,
    by_name,
    by_suffix,
)
from tests.helpers import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_each_suffix_names_one_format() -> None:
    assert len(REPORT_SUFFIXES) == len(set(REPORT_SUFFIXES))
    for kind in INPUT_FORMATS:
        for suffix in kind.suffixes:
            assert by_suffix(suffix) is kind
    assert by_suffix(".xls") is None
    assert by_suffix("") is None


def test_first_bytes_tell_the_binary_formats_only() -> None:
    assert by_content(b"PK\x03\x04rest") is EXCEL
    assert by_content(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") is EXCEL  # Excel 97, or protected
    assert by_content(b"PAR1....") is PARQUET
    assert by_content(b"ARROW1\x00\x00") is ARROW
    assert by_content(b"FEA1") is ARROW
    assert by_content(b"indicator,value\n") is None
    assert by_content(b"measurements:\n") is None
    assert CSV.magic == YAML.magic == ()


def test_stdin_format_offers_every_format() -> None:
    assert ("auto", *(kind.name for kind in INPUT_FORMATS)) == STDIN_FORMATS
    assert {"csv", "yaml", "xlsx", "parquet", "arrow"} <= set(STDIN_FORMATS)  # never one less
    result = run_cli(["validate", "--help"])
    assert f"[{'|'.join(STDIN_FORMATS)}]" in result.stdout


def test_the_hooks_look_at_every_file_layout_looks_for() -> None:
    # What --layout looks for in a year's folder, .txt included (once left to the hooks, and
    # then refused by CI), and the formats it refuses (.xls): the hooks check at the commit
    # what CI will check.
    # pre-commit matches `files` with re.search on the path from the repository's root.
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        pattern = re.compile(hook["files"])
        for name in ("r", "R"):
            looked_at = {
                suffix
                for suffix in LOOKED_FOR
                if pattern.search(f"reports/2020/{name}{suffix}")
                and pattern.search(f"reports/2020/{name}{suffix.upper()}")
            }
            assert looked_at == set(LOOKED_FOR), hook["id"]


@pytest.mark.parametrize(
    "path",
    [
        ".github/workflows/qcheck.yml",
        ".pre-commit-config.yaml",
        ".gitlab-ci.yml",
        "targets.yaml",
        "docs/example.csv",
        "qcheck-waivers.yaml",
        "reports/2020/notes.md",
        "old/reports/2020/a.csv",
        "Reports/2020/a.csv",  # not the reports folder, which --layout would then refuse
    ],
)
def test_the_hooks_leave_files_outside_the_reports_folder_alone(path: str) -> None:
    # The workflow the docs have users copy is YAML, and was once validated as a report.
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        assert not re.search(hook["files"], path), hook["id"]


def test_an_empty_folder_is_told_of_every_format(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli(["validate", str(tmp_path / "empty"), "--format", "json"])
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    listed = problem["message"].removeprefix("the folder holds no ").removesuffix(" reports")
    assert listed.startswith(".csv, .yaml, .xlsx, .parquet")
    assert [by_suffix(suffix) for suffix in re.findall(r"\.\w+", listed)] == list(INPUT_FORMATS)


def test_each_format_names_a_reader_with_a_read_function() -> None:
    for kind in INPUT_FORMATS:
        reader = importlib.import_module(kind.reader)
        assert callable(reader.read), kind.name
        assert by_name(kind.name) is kind
    assert by_name("auto") is None


def test_a_file_is_read_as_its_suffix_says_whatever_stdin_format_says(tmp_path: Path) -> None:
    # --stdin-format is for streams; a .parquet file given with it once failed as a bug (exit 3).
    path = tmp_path / "r.parquet"
    table = {"indicator": ["food_safety_pass_rate"], "value": [95.0], "year": [2020]}
    pq.write_table(pa.table(table), path)
    for stdin_format in STDIN_FORMATS:
        result = run_cli(["validate", str(path), "--stdin-format", stdin_format])
        assert result.exit_code == 0, (stdin_format, result.output)


def test_the_docs_table_of_input_formats_is_the_registry() -> None:
    page = (REPO_ROOT / "docs" / "inputs.md").read_text(encoding="utf-8")
    table = page.split("| format | suffixes | `--stdin-format` |", 1)[1].splitlines()[2:]
    rows = table[: next(i for i, line in enumerate(table) if not line.strip())]
    documented = []
    for row in rows:
        _name, suffixes, stdin_name, told = (cell.strip() for cell in row.strip("|").split(" | "))
        magic = told.startswith("yes")
        documented.append((stdin_name.strip("`"), tuple(re.findall(r"`(\.\w+)`", suffixes)), magic))
    assert documented == [(kind.name, kind.suffixes, bool(kind.magic)) for kind in INPUT_FORMATS]
    assert f"`--stdin-format {'|'.join(STDIN_FORMATS[1:])}`" in page


def _workbook(tmp_path: Path) -> bytes:
    result = run_cli(["template", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0, result.output
    return (tmp_path / "t.xlsx").read_bytes()


@pytest.mark.parametrize("name", ["r.csv", "r.yaml", "r.txt", "r.CSV"])
def test_a_workbook_named_as_text_is_told_as_a_workbook(tmp_path: Path, name: str) -> None:
    # It was bad-encoding ("save it as CSV UTF-8"), which never said the file is a workbook.
    (tmp_path / name).write_bytes(_workbook(tmp_path))
    result = run_cli(["validate", str(tmp_path / name), "--format", "json", "--lang", "en"])
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert problem["code"] == "misnamed"
    assert "xlsx" in problem["message"]
    assert problem["hint"] == "rename it to end in .xlsx"


def test_a_workbook_on_stdin_called_csv_is_told_as_a_workbook(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["validate", "-", "--stdin-format", "csv", "--format", "json"],
        input=_workbook(tmp_path),
    )
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["code"], problem["hint"]) == (
        "misnamed",
        "give --stdin-format xlsx, or leave --stdin-format out",
    )


def test_text_that_begins_as_a_binary_format_does_is_still_text(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("PAR1,value\nfood_safety_pass_rate,95\n", encoding="utf-8")
    result = run_cli(["validate", str(tmp_path / "r.csv"), "--format", "json"])
    codes = {problem["code"] for problem in json.loads(result.stdout)["validation"]["problems"]}
    assert "misnamed" not in codes
    assert "missing-column" in codes
