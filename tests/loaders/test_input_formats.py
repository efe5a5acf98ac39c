"""The input formats' registry, and what derives from it: suffixes, stdin choices, hooks."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

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


def test_the_hooks_look_at_every_report_file_but_text_files() -> None:
    # A reports repository's .txt files are notes, not reports: the hooks leave them alone.
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        pattern = re.compile(hook["files"])
        looked_at = {suffix for suffix in REPORT_SUFFIXES if pattern.search(f"r{suffix}")}
        assert looked_at == set(REPORT_SUFFIXES) - {".txt"}, hook["id"]


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
