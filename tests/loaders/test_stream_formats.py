"""How standard input is told to be YAML or CSV: parsed once, decided early for plain CSV."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from qcheck.cli import main
from qcheck.intake import ColumnBatch
from qcheck.loaders import excel, files, streams, yaml_file
from qcheck.loaders.encoding import HEAD
from qcheck.loaders.files import ReadOptions, looks_like_yaml
from qcheck.measurements import RawRecord
from qcheck.problems import InputError
from tests.cli.test_batch import workbook_bytes
from tests.loaders.test_inputs import validation

YAML_REPORT = """\
title: 报表
year: 2020
measurements:
  - {indicator: food_safety_pass_rate, value: 96.5}
  - {indicator: service_satisfaction, value: 90, colour: red}
  - {indicator: no_such_indicator, value: 1}
"""
CSV_REPORT = "indicator,value\nfood_safety_pass_rate,96.5\nservice_satisfaction,90\n"


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in a temporary directory of its own."""


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of ``module.name``; return the list that grows by one per call."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def validated_stdin(text: str) -> tuple[int, dict[str, Any]]:
    """Validate ``text`` given as standard input; return the exit code and the validation."""
    result = CliRunner().invoke(main, ["validate", "-", "--format", "json"], input=text)
    assert "Traceback" not in result.stderr, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)["validation"]
    return result.exit_code, document


def test_yaml_on_stdin_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parses = counting(monkeypatch, yaml_file, "parse_yaml")
    parses_here = counting(monkeypatch, files, "parse_yaml")
    decodes = counting(monkeypatch, files, "decode")
    decodes_there = counting(monkeypatch, yaml_file, "decode")
    _, found = validated_stdin(YAML_REPORT)
    assert found["rows"] == 3, found
    assert len(parses) + len(parses_here) == 1
    assert len(decodes) + len(decodes_there) == 1


def test_yaml_on_stdin_reads_as_the_file_does() -> None:
    Path("r.yaml").write_text(YAML_REPORT, encoding="utf-8")
    file_code, from_file = validation("r.yaml")
    stdin_code, from_stdin = validated_stdin(YAML_REPORT)
    assert stdin_code == file_code == 2
    for problem in from_stdin["problems"]:
        assert problem["source"] == "<stdin>"
        problem["source"] = "r.yaml"
    assert from_stdin["problems"] == from_file["problems"]
    assert [from_stdin["rows"], from_stdin["measurements"]] == [3, from_file["measurements"]]


def test_bad_yaml_on_stdin_is_parsed_once_and_told(monkeypatch: pytest.MonkeyPatch) -> None:
    parses = counting(monkeypatch, yaml_file, "parse_yaml")
    parses_here = counting(monkeypatch, files, "parse_yaml")
    code, found = validated_stdin("measurements:\n  - {indicator: a, value: [1}\n")
    assert code == 2
    [problem] = found["problems"]
    assert problem["code"] == "bad-yaml"
    assert problem["source"] == "<stdin>"
    assert "--stdin-format csv" in problem["hint"]
    assert len(parses) + len(parses_here) == 1


def test_csv_on_stdin_is_told_without_decoding_it_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    decodes = counting(monkeypatch, files, "decode")
    parses = counting(monkeypatch, files, "parse_yaml")
    _, found = validated_stdin(CSV_REPORT + "service_satisfaction,91\n" * 2000)
    assert found["rows"] == 2002
    assert decodes == []
    assert parses == []


LINE = st.text(alphabet="ab 12,;:-#{[\t'甘州　区", max_size=30) | st.sampled_from(
    ["measurements:", "- a: 1", "  - {indicator: x, value: 1}", "---", "# note", "x" * HEAD]
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(LINE, max_size=6),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_the_early_decision_is_the_one_the_whole_text_gives(
    lines: list[str], encoding: str, newline: str
) -> None:
    text = newline.join(lines)
    data = text.encode(encoding)
    try:
        guessed = files._guess_yaml(io.BytesIO(data), data[:HEAD], "<stdin>", ReadOptions())
    except InputError:  # not text qcheck reads: reading it as CSV says why, as before
        return
    assert (guessed is not None) == looks_like_yaml(text), text


# ---- workbooks ------------------------------------------------------------------------------


@pytest.mark.parametrize("in_memory", [True, False])
def test_a_workbook_on_stdin_is_read_from_its_copy_then_closed(
    monkeypatch: pytest.MonkeyPatch, in_memory: bool
) -> None:
    if not in_memory:  # a copy larger than what is kept in memory goes to a temporary file
        monkeypatch.setattr(streams, "SPOOL", 1024)
    copies: list[BinaryIO] = []
    given_to_reader: list[object] = []
    spool, stream_excel = streams.spool, excel.stream_excel

    def spy_spool(*args: Any, **kwargs: Any) -> BinaryIO:
        copies.append(spool(*args, **kwargs))
        return copies[-1]

    def spy_stream_excel(workbook: object, **kwargs: Any) -> Iterator[RawRecord | ColumnBatch]:
        given_to_reader.append(workbook)
        return stream_excel(workbook, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "spool", spy_spool)
    monkeypatch.setattr(excel, "stream_excel", spy_stream_excel)
    data = workbook_bytes([["指标", "数值"], ["食品安全抽检合格率", 95], ["PM10", 60]])
    assert len(data) > 1024
    result = CliRunner().invoke(main, ["validate", "-", "--format", "json"], input=data)
    assert "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["validation"]["rows"] == 2
    [copy] = copies
    assert given_to_reader == [copy]  # the spooled file itself, not a copy of its bytes
    assert isinstance(copy, io.BytesIO) is in_memory
    assert copy.closed
