"""Loaders under hostile input: formats qcheck cannot read, names the system refuses, streams.

Tests run as root, so a failing system call is simulated by monkeypatching it.
"""

from __future__ import annotations

import difflib
import errno
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qcheck.loaders import csv_file, files, streams, yaml_file
from qcheck.loaders.files import check_files, load_measurements
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import InputError, Problem
from qcheck.rows import SUGGESTED_NAMES
from tests.loaders.test_input_paths import codes, run, the_problem, write
from tests.loaders.test_inputs import validation

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

    monkeypatch.setattr(csv_file, "stream_csv", failing_stream)
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
    monkeypatch.setattr(files, "YAML_MAX_BYTES", 100)  # where a stream is told to be YAML
    monkeypatch.setattr(yaml_file, "YAML_MAX_BYTES", 100)  # where YAML is read
    text = "measurements:\n" + "  - {indicator: food_safety_pass_rate, value: 95}\n" * 3
    write("r.yaml", text)
    code, found = validation("r.yaml")
    assert (code, codes(found)) == (2, [("too-large", "r.yaml")])
    assert "as CSV" in found["problems"][0]["hint"]


@pytest.mark.parametrize("stdin_format", ["yaml", "auto"])
def test_a_yaml_stream_over_its_byte_limit_is_too_large(
    monkeypatch: pytest.MonkeyPatch, stdin_format: str
) -> None:
    monkeypatch.setattr(files, "YAML_MAX_BYTES", 100)  # where a stream is told to be YAML
    monkeypatch.setattr(yaml_file, "YAML_MAX_BYTES", 100)  # where YAML is read
    text = "measurements:\n" + "  - {indicator: food_safety_pass_rate, value: 95}\n" * 3
    result = run("validate", "-", "--format", "json", "--stdin-format", stdin_format, stdin=text)
    found = json.loads(result.stdout)["validation"]
    assert (result.exit_code, codes(found)) == (2, [("too-large", "<stdin>")])
    guessed = found["problems"][0]["hint"].endswith("say so with --stdin-format csv")
    assert guessed == (stdin_format == "auto")


def test_a_yaml_of_too_many_nodes_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_file, "YAML_MAX_NODES", 20)
    write("r.yaml", "measurements:\n" + "  - {indicator: PM10, year: 2017, value: 78}\n" * 5)
    with pytest.raises(InputError) as raised:
        files.read_records(Path("r.yaml"))
    (problem,) = raised.value.problems
    assert (problem.code, problem.source, problem.row) == ("too-large", "r.yaml", 4)
    assert problem.message.startswith("the YAML has more than 20 nodes")
    assert problem.hint == "a YAML report may have up to 16 MiB: send large data as CSV"


# ---- 7. closest names are sought for the problems that will be shown -----------------------


def test_closest_names_are_sought_for_the_first_few_hundred_unknown_names_the_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sought: list[str] = []
    real = difflib.get_close_matches

    def counted(word: str, *args: Any, **kwargs: Any) -> list[str]:
        sought.append(word)
        return real(word, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    junk = [f"食品安全抽检合格律{n}" for n in range(SUGGESTED_NAMES + 100)]
    rows = [*junk, "食品安全抽检合格律", *junk, "食品安全抽检合格律"]
    write("r.csv", "indicator,value\n" + "".join(f"{name},95\n" for name in rows))
    _, checked = check_files(["r.csv"], catalogue=load_catalogue())
    messages = [problem.message for problem in checked.problems]
    assert len(messages) == len(rows)
    assert len(set(sought)) == len(sought) == SUGGESTED_NAMES
    first = messages[0]
    assert first == f"unknown indicator {junk[0]!r}; did you mean '食品安全抽检合格率'?"
    # Beyond the budget no name is sought; a name asked before still gets its suggestion.
    assert messages[SUGGESTED_NAMES] == f"unknown indicator {junk[SUGGESTED_NAMES]!r}"
    assert messages[len(junk) + 1] == first
    assert messages[-1] == "unknown indicator '食品安全抽检合格律'"


# ---- 6. messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("r.csv", "indicator,year,数值\nPM10,2020,66%\n"),
        ("r.yaml", "measurements:\n  - {indicator: PM10, year: 2020, value: 66%}\n"),
    ],
)
def test_a_percent_sign_on_a_value_is_not_blamed_on_a_header_without_brackets(
    name: str, text: str
) -> None:
    write(name, text)
    problem = the_problem(name)
    assert problem["code"] == "unit-mismatch"
    assert "header" not in problem["hint"]
    assert "列标题" not in problem["hint_zh"]
    assert problem["hint"] == "write the figure in the indicator's unit, without a percent sign"


def test_a_unit_in_a_value_header_is_still_named_in_the_hint() -> None:
    write("r.csv", "indicator,year,数值（%）\nPM10,2020,66\n")
    problem = the_problem("r.csv")
    assert problem["code"] == "unit-mismatch"
    assert problem["hint"] == "fix the unit in brackets in the header '数值（%）', or remove it"


def test_a_wrong_unit_after_the_indicator_name_names_the_indicator_column() -> None:
    write("r.csv", "指标,年份,数值\n食品安全抽检合格率（微克/立方米）,2020,95\n")
    problem = the_problem("r.csv")
    assert (problem["code"], problem["column"]) == ("unit-mismatch", "指标")
    assert problem["hint"] == "fix the unit in brackets after the indicator's name, or remove it"
    assert problem["hint_zh"] == "请更正指标名称后括号中的单位，或将其删去"


@pytest.mark.parametrize(
    ("name", "content", "stdin_format"),
    [
        ("sub dir/report", FOOD.format(95), "csv"),
        ("sub/报表", "measurements:\n  - {indicator: PM10, year: 2017, value: 78}\n", "yaml"),
    ],
)
def test_the_no_suffix_hint_names_the_path_as_given_and_the_format_it_looks_like(
    name: str, content: str, stdin_format: str
) -> None:
    write(name, content)
    problem = the_problem(name)
    assert problem["code"] == "unsupported-format"
    piped = f"- --stdin-format {stdin_format} < '{name}'"
    assert problem["hint"].endswith(piped)
    assert problem["hint_zh"].endswith(piped)


def test_a_workbook_without_a_suffix_is_suggested_as_xlsx() -> None:
    from tests.loaders.test_inputs import workbook

    Path(workbook("book.xlsx", {"数据": [["指标", "数值"], ["PM10", 78]]})).rename("book")
    assert the_problem("book")["hint"].endswith("- --stdin-format xlsx < book")


def test_extra_cells_list_the_first_few_and_count_the_rest() -> None:
    write("r.csv", "indicator,value\nfood_safety_pass_rate,95," + ",".join("x" * 900) + "\n")
    problem = the_problem("r.csv")
    assert problem["code"] == "extra-cells"
    assert problem["message"] == (
        "900 cell(s) beyond the last header: 'x', 'x', 'x', 'x', 'x' and 895 more"
    )
    assert problem["message_zh"] == "最后一列之后还有900个单元格：x、x、x、x、x等（另有895个）"
    assert problem["hint"].endswith("a comma inside a value needs quotes")


def test_extra_cells_in_a_tab_separated_file_name_the_tab() -> None:
    write("r.tsv", "indicator\tvalue\nfood_safety_pass_rate\t95\t1\n")
    problem = the_problem("r.tsv")
    assert problem["hint"] == "give them a header or remove them; a tab inside a value needs quotes"


def test_extra_cells_in_a_workbook_get_no_csv_hint() -> None:
    from tests.loaders.test_inputs import workbook

    path = workbook("r.xlsx", {"数据": [["指标", "数值"], ["PM10", 78, "x"]]})
    problem = the_problem(path)
    assert (problem["code"], problem["sheet"]) == ("extra-cells", "数据")
    assert (problem["hint"], problem["hint_zh"]) == (
        "give them a header or remove them",
        "请为其添加列标题或删除",
    )


def test_a_duplicate_of_a_workbook_row_names_its_sheet() -> None:
    from tests.loaders.test_inputs import workbook

    workbook("hidden.xlsx", {"数据": [["指标", "数值", "年份"], ["PM10", 78, 2017]]})
    write("r.csv", "指标,数值,年份\nPM10,80,2017\n")
    problem = the_problem("hidden.xlsx", "r.csv")
    assert (problem["code"], problem["source"]) == ("duplicate", "r.csv")
    assert problem["message"].endswith("but 78 in hidden.xlsx, sheet '数据', row 2")
    assert problem["message_zh"].endswith("而hidden.xlsx，工作表“数据”，第2行为78")
    # The earlier row is named as a problem's location names it, in either language.
    earlier = Problem.of("duplicate", source="hidden.xlsx", sheet="数据", row=2)
    assert problem["message"].endswith(f" in {earlier.location()}")
    assert problem["message_zh"].endswith(f"而{earlier.location('zh')}为78")


def test_yaml_guessed_on_stdin_that_fails_hints_at_csv() -> None:
    text = "title: 2020\nunit: 张掖\nindicator,value\nPM10,78\n"
    result = run("validate", "-", "--format", "json", stdin=text)
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert problem["code"] == "bad-yaml"
    assert problem["hint"].endswith("; if it is CSV, say so with --stdin-format csv")
    assert problem["hint_zh"].endswith("；如果是 CSV，请加上 --stdin-format csv")


def test_yaml_named_as_yaml_that_fails_gets_no_csv_hint() -> None:
    write("r.yaml", "title: 2020\nunit: 张掖\nindicator,value\nPM10,78\n")
    problem = the_problem("r.yaml")
    assert problem["code"] == "bad-yaml"
    assert "--stdin-format" not in problem["hint"]


TRADITIONAL = "指標,年份,地區,數值,單位,備註\nfood_safety_pass_rate,2020,,95,%,說明\n"


def test_a_traditional_header_in_big5_gets_the_encoding_hint() -> None:
    Path("r.csv").write_bytes(TRADITIONAL.encode("big5"))
    problem = the_problem("r.csv")
    assert problem["code"] == "bad-encoding"
    assert problem["hint"] == "run again with --encoding big5, or save the file as CSV UTF-8"


@pytest.mark.parametrize("encoding", ["big5", "utf-8"])
def test_a_traditional_header_is_read_once_decoded(encoding: str) -> None:
    Path("r.csv").write_bytes(TRADITIONAL.encode(encoding))
    code, found = validation("r.csv", "--encoding", encoding, "--strict")
    assert (code, found["measurements"], found["problems"]) == (0, 1, [])


@pytest.mark.parametrize("key", ["measurement", "data", "rows"])
def test_rows_under_a_second_yaml_key_are_an_error_not_dropped(key: str) -> None:
    # A misspelt second list held the only 大型工程综合优良率 row: it was missing, exit 0.
    text = (
        "measurements:\n  - {indicator: 食品安全抽检合格率, value: 96}\n"
        f"{key}:\n  - {{indicator: 大型工程综合优良率, value: 10}}\n"
    )
    code, found = validation(str(write("report.yaml", text)))
    assert code == 2
    (problem,) = found["problems"]
    assert problem["code"] == "bad-structure"
    assert problem["message"] == f"'{key}' holds rows, but only 'measurements' is read"


@pytest.mark.parametrize(
    ("year_key", "expected_year"),
    [("", 2019), ("year: 2020, ", 2020), ("year: null, ", 2019)],
)
def test_a_yaml_value_key_named_for_its_year_gives_that_year_as_a_csv_header_does(
    year_key: str, expected_year: int
) -> None:
    # 2019年完成值 once decided the 2020 target in YAML while CSV read it as a 2019 figure.
    write("r.yaml", f"- {{indicator: 食品安全抽检合格率, {year_key}2019年完成值: 99}}\n")
    (record,) = load_measurements(["r.yaml"], catalogue=load_catalogue())[0]
    assert (record.year, record.value) == (expected_year, 99)
    if not year_key:
        write("r.csv", "指标,2019年完成值\n食品安全抽检合格率,99\n")
        (from_csv,) = load_measurements(["r.csv"], catalogue=load_catalogue())[0]
        assert from_csv.year == record.year


def test_a_file_wide_year_does_not_override_a_value_key_named_for_its_year() -> None:
    write(
        "r.yaml",
        "year: 2020\nmeasurements:\n  - {indicator: 食品安全抽检合格率, 2019年完成值: 99}\n",
    )
    (record,) = load_measurements(["r.yaml"], catalogue=load_catalogue())[0]
    assert record.year == 2019
