"""Loaders under hostile input: formats qcheck cannot read, names the system refuses, streams.

Tests run as root, so a failing system call is simulated by monkeypatching it.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qcheck.loaders import files, streams, yaml_file
from qcheck.problems import InputError
from tests.test_input_paths import codes, run, write
from tests.test_inputs import validation

FOOD = "indicator,value\nfood_safety_pass_rate,{}\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in a temporary directory of its own."""


# ---- 1. reports in formats qcheck cannot read ----------------------------------------------

FOREIGN = ("甘州区.xls", "临泽县.et", "高台县.ods", "山丹县.xlsb", "民乐县.numbers", "肃南.DOCX")


def test_a_folder_reports_each_spreadsheet_it_cannot_read_and_passes_over_other_files() -> None:
    write("reports/city.csv", FOOD.format(95))
    for name in FOREIGN:
        Path("reports", name).write_bytes(OLE2 + bytes(504))
    for name in ("README.md", "photo.png", "convert.py", "bundle.zip"):
        Path("reports", name).write_bytes(b"not a report")
    code, found = validation("reports")
    assert code == 2
    assert sorted(codes(found)) == sorted(
        ("unsupported-format", f"reports/{name}") for name in FOREIGN
    )
    by_source = {problem["source"]: problem for problem in found["problems"]}
    xls = by_source["reports/甘州区.xls"]
    assert xls["message"] == "qcheck does not read .xls files"
    assert (xls["hint"], xls["hint_zh"]) == (
        "save it as .xlsx or CSV UTF-8",
        "请另存为 .xlsx 或 CSV UTF-8",
    )
    document = by_source["reports/肃南.DOCX"]
    assert "save it as .xlsx or CSV UTF-8" in document["hint"]
    assert "move it out of the folder" in document["hint"]


def test_with_each_a_spreadsheet_qcheck_cannot_read_is_listed_and_fails_the_run() -> None:
    write("reports/city.csv", FOOD.format(95))
    Path("reports/county.xls").write_bytes(OLE2 + bytes(504))
    result = run("evaluate", "reports", "--each", "--format", "json")
    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout)
    assert [entry["source"] for entry in document["input_errors"]] == [["reports/county.xls"]]
    assert [report["source"] for report in document["reports"]] == [["reports/city.csv"]]


def test_a_linked_spreadsheet_reached_twice_is_reported_once() -> None:
    write("reports/city.csv", FOOD.format(95))
    Path("reports/county.xls").write_bytes(OLE2 + bytes(504))
    Path("reports/again.xls").symlink_to("county.xls")
    code, found = validation("reports")
    assert (code, codes(found)) == (2, [("unsupported-format", "reports/county.xls")])


# ---- 4. names the system refuses -----------------------------------------------------------


def test_a_loop_of_links_named_as_an_input_is_unreadable() -> None:
    Path("l2.csv").symlink_to("l1.csv")
    Path("l1.csv").symlink_to("l2.csv")
    code, found = validation("l1.csv")
    assert (code, codes(found)) == (2, [("unreadable", "l1.csv")])
    assert run("evaluate", "l1.csv").exit_code == 2


@pytest.mark.parametrize("name", ["a" * 256 + ".csv", "a" * 256, "a" * 256 + "/r.csv"])
def test_a_name_too_long_is_unreadable(name: str) -> None:
    code, found = validation(name)
    assert (code, codes(found)) == (2, [("unreadable", name)])
    assert "too long" in found["problems"][0]["message"]


def test_a_name_too_long_for_targets_is_unreadable() -> None:
    write("r.csv", FOOD.format(95))
    result = run("evaluate", "r.csv", "--targets", "t" * 256 + ".yaml")
    assert result.exit_code == 2, result.output
    assert "unreadable" in result.stderr


def test_two_unreadable_names_of_one_missing_file_are_one_input() -> None:
    code, found = validation("gone.csv", "./gone.csv")
    assert (code, codes(found)) == (2, [("unreadable", "gone.csv")])


def test_a_folder_entry_the_system_fails_to_look_at_is_unreadable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write("reports/a.csv", FOOD.format(95))
    real_stat = Path.stat

    def failing_stat(self: Path, **kwargs: Any) -> os.stat_result:
        if self.name == "a.csv":
            raise OSError(errno.ELOOP, "Too many levels of symbolic links")
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", failing_stat)
    code, found = validation("reports/a.csv")
    assert (code, codes(found)) == (2, [("unreadable", "reports/a.csv")])


def test_a_failure_while_a_file_is_read_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    write("r.csv", FOOD.format(95))

    def failing_stream(*_args: object, **_kwargs: object) -> Iterator[object]:
        raise OSError(errno.EIO, "Input/output error")
        yield  # a generator, as the reader is

    monkeypatch.setattr(files, "stream_csv", failing_stream)
    code, found = validation("r.csv")
    assert (code, codes(found)) == (2, [("unreadable", "r.csv")])
    assert found["problems"][0]["message"] == "Input/output error"


# ---- 4. streams are copied within a bound, not held whole ----------------------------------


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        (("indicator,value\n" + "food_safety_pass_rate,95\n" * 2000).encode(), 2000),
        ("指标,数值\n食品安全抽检合格率,95\n".encode("gb18030"), 1),
        (b"measurements:\n  - {indicator: food_safety_pass_rate, value: 95}\n", 1),
    ],
    ids=["csv", "csv-gbk", "yaml"],
)
def test_a_stream_larger_than_the_memory_spool_is_read_from_a_temporary_file(
    monkeypatch: pytest.MonkeyPatch, data: bytes, rows: int
) -> None:
    monkeypatch.setattr(streams, "SPOOL", 16)
    copies: list[object] = []
    real = tempfile.TemporaryFile

    def recorded() -> Any:
        copies.append(real())
        return copies[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recorded)
    result = run("validate", "-", "--format", "json", stdin=data)
    found = json.loads(result.stdout)["validation"]
    assert found["rows"] == rows, found
    assert len(copies) == 1


def test_a_stream_past_the_limit_is_refused_while_it_is_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(streams, "SPOOL", 16)
    data = ("indicator,value\n" + "food_safety_pass_rate,95\n" * 100).encode()
    result = run("validate", "-", "--format", "json", "--max-bytes", "1000", stdin=data)
    found = json.loads(result.stdout)["validation"]
    assert (result.exit_code, codes(found)) == (2, [("too-large", "<stdin>")])


# ---- 5. Excel's old container on standard input --------------------------------------------


def test_a_password_protected_workbook_on_stdin_says_so() -> None:
    locked = OLE2 + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    result = run("validate", "-", "--format", "json", stdin=locked)
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (result.exit_code, problem["code"]) == (2, "bad-excel")
    assert problem["message"] == "the workbook is protected with a password"


def test_an_old_xls_on_stdin_says_to_save_it_as_xlsx() -> None:
    result = run("validate", "-", "--format", "json", stdin=OLE2 + bytes(504))
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (result.exit_code, problem["code"]) == (2, "bad-excel")
    assert problem["hint"] == "save it as .xlsx or CSV UTF-8"


# ---- 3. YAML reports are bounded -----------------------------------------------------------


def test_a_yaml_file_over_its_byte_limit_is_too_large_with_a_hint_to_send_csv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(files, "YAML_MAX_BYTES", 100)
    text = "measurements:\n" + "  - {indicator: food_safety_pass_rate, value: 95}\n" * 3
    write("r.yaml", text)
    code, found = validation("r.yaml")
    assert (code, codes(found)) == (2, [("too-large", "r.yaml")])
    assert "as CSV" in found["problems"][0]["hint"]


def test_a_yaml_stream_over_its_byte_limit_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "YAML_MAX_BYTES", 100)
    text = "measurements:\n" + "  - {indicator: food_safety_pass_rate, value: 95}\n" * 3
    result = run("validate", "-", "--format", "json", "--stdin-format", "yaml", stdin=text)
    found = json.loads(result.stdout)["validation"]
    assert (result.exit_code, codes(found)) == (2, [("too-large", "<stdin>")])


def test_a_yaml_of_too_many_nodes_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_file, "YAML_MAX_NODES", 20)
    write("r.yaml", "measurements:\n" + "  - {indicator: PM10, year: 2017, value: 78}\n" * 5)
    with pytest.raises(InputError) as raised:
        files.read_records(Path("r.yaml"))
    (problem,) = raised.value.problems
    assert (problem.code, problem.source, problem.row) == ("too-large", "r.yaml", 4)
    assert problem.message.startswith("the YAML has more than 20 nodes")
    assert problem.hint == "a YAML report may have up to 16 MiB: send large data as CSV"
