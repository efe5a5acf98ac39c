"""CSV for people: a BOM for Excel, headers and status words in --lang, plain numbers."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcheck.evaluation import Status
from qcheck.formats import BOM, output_format
from qcheck.loaders.targets import load_catalogue
from qcheck.renderers.catalogue import CATALOGUE_FIELDS
from qcheck.renderers.csv import COLUMNS, PROBLEM_COLUMNS, csv_text, headers
from qcheck.words import Lang, label
from tests.helpers import REPO_ROOT, SAMPLES, csv_records, run_cli

FAILURES = str(SAMPLES / "report-2020-with-failures.csv")
BOM_BYTES = b"\xef\xbb\xbf"
LANGS: list[Lang] = ["zh", "en"]

pytestmark = pytest.mark.usefixtures("in_tmp")


def evaluated(lang: Lang, *args: str) -> list[dict[str, str]]:
    """Return the rows of the failures sample's CSV, written to a file, read as Excel users do."""
    result = run_cli(["evaluate", FAILURES, "-o", "r.csv", "--lang", lang, *args])
    assert result.exit_code == 1, result.output
    with Path("r.csv").open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_headers_are_in_chinese_under_lang_zh() -> None:
    rows = evaluated("zh")
    assert list(rows[0]) == [
        "来源文件",
        "工作表",
        "年份",
        "编号",
        "指标",
        "领域",
        "状态",
        "数值",
        "单位",
        "目标",
        "差距",
        "说明",
        "未达标年份",
        "※ qcheck的解释",
        "数值年份",
        "数值地区",
    ]
    food = next(row for row in rows if row["编号"] == "food_safety_pass_rate")
    assert (food["指标"], food["领域"], food["状态"]) == (
        "食品安全抽检合格率",
        "产品质量",
        "未达标",
    )


def test_the_headers_are_in_english_under_lang_en() -> None:
    rows = evaluated("en")
    assert list(rows[0]) == headers("en", COLUMNS)
    assert list(rows[0])[:7] == ["Source", "Sheet", "Year", "ID", "Indicator", "Area", "Status"]


@pytest.mark.parametrize("lang", LANGS)
def test_each_status_is_the_word_the_table_says(lang: Lang) -> None:
    rows = csv_records(
        run_cli(["evaluate", FAILURES, "--format", "csv", "--lang", lang]).stdout, lang
    )
    document = json.loads(run_cli(["evaluate", FAILURES, "--format", "json"]).stdout)
    codes = {result["id"]: result["status"] for result in document["reports"][0]["results"]}
    assert {row["id"]: row["status"] for row in rows} == {
        target_id: label(lang, Status(code).value) for target_id, code in codes.items()
    }
    table = run_cli(["evaluate", FAILURES, "--lang", lang], COLUMNS="250").stdout
    assert all(row["status"] in table for row in rows)
    # No machine code in words' place: the codes are JSON's.
    assert not {row["status"] for row in rows} & {status.value for status in Status} - {"missing"}


def test_a_figure_is_a_plain_number_with_its_unit_beside_it() -> None:
    rows = {row["编号"]: row for row in evaluated("zh")}
    food = rows["food_safety_pass_rate"]
    assert (food["数值"], food["单位"], food["差距"]) == ("93.5", "%", "-0.5")
    assert float(food["数值"]) == 93.5  # a spreadsheet reads it as a number: no "93.5%" text
    assert rows["leading_products_level"]["数值"] == "达到"  # an answer, in words


def test_a_formula_is_still_neutralised_in_chinese() -> None:
    rows = {row["编号"]: row for row in evaluated("zh")}
    assert rows["essential_drugs_coverage"]["目标"] == "'=100%"
    assert rows["consumer_goods_pass_rate"]["差距"] == "-0.6"


@pytest.mark.parametrize(
    "command", [["evaluate", FAILURES], ["validate", FAILURES], ["template"]], ids=lambda c: c[0]
)
def test_a_csv_file_starts_with_the_bom(command: list[str]) -> None:
    result = run_cli([*command, "-o", "out.csv", "--lang", "zh"])
    assert result.exit_code in (0, 1), result.output
    data = Path("out.csv").read_bytes()
    assert data.startswith(BOM_BYTES)
    assert data[len(BOM_BYTES) :].decode("utf-8").startswith(("来源文件,", "指标,"))
    assert data.count(BOM_BYTES) == 1
    # Standard output, here not a file, gets the same text without the mark.
    printed = run_cli([*command, "--lang", "zh", "--format", "csv"]).stdout_bytes
    assert data == BOM_BYTES + printed
    assert data.count(b"\n") == data.count(b"\r\n")  # rows end as Excel ends them


def qcheck(*args: str, stdout: int | IO[bytes]) -> subprocess.CompletedProcess[bytes]:
    """Run qcheck as a process, its standard output going to ``stdout``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("QCHECK_", "LC_"))}
    return subprocess.run(
        [sys.executable, "-m", "qcheck", *args],
        env={**environment, "LANG": "C.UTF-8"},
        cwd=REPO_ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", FAILURES, "--format", "csv"],
        ["targets", "--format", "csv"],
        ["template"],
    ],
    ids=lambda command: command[0],
)
def test_standard_output_has_the_bom_only_where_it_starts_a_file(command: list[str]) -> None:
    # `qcheck evaluate … --format csv > r.csv` makes a file Excel opens: it gets the mark.
    with Path("redirected.csv").open("wb") as file:
        qcheck(*command, "--lang", "zh", stdout=file)
    redirected = Path("redirected.csv").read_bytes()
    assert redirected.startswith(BOM_BYTES)
    # A pipe (a program reading it) gets none, nor does a file appended to (`>>`).
    piped = qcheck(*command, "--lang", "zh", stdout=subprocess.PIPE).stdout
    assert BOM_BYTES + piped == redirected
    with Path("redirected.csv").open("ab") as file:
        qcheck(*command, "--lang", "zh", stdout=file)
    assert Path("redirected.csv").read_bytes() == redirected + piped


def test_validate_lists_problems_in_the_language_asked() -> None:
    Path("bad.csv").write_text("指标,数值\n食品安全抽检合格率,abc\n", encoding="utf-8")
    result = run_cli(["validate", "bad.csv", "--format", "csv", "--lang", "zh"])
    assert result.exit_code == 2
    (row,) = csv_records(result.stdout, "zh", PROBLEM_COLUMNS)
    assert (row["source"], row["row"], row["column"], row["code"]) == (
        "bad.csv",
        "2",
        "数值",
        "not-a-number",
    )
    assert row["severity"] == "错误"
    document = json.loads(run_cli(["validate", "bad.csv", "--format", "json"]).stdout)
    (problem,) = document["validation"]["problems"]
    assert (row["message"], row["hint"]) == (problem["message_zh"], problem["hint_zh"])
    assert result.stdout.splitlines()[0] == "来源文件,工作表,行,列,级别,代码,问题,修改建议"


def test_the_targets_csv_is_in_the_language_asked() -> None:
    result = run_cli(["targets", "--format", "csv", "--lang", "zh"])
    rows = csv_records(result.stdout, "zh", CATALOGUE_FIELDS)
    catalogue = load_catalogue()
    assert [row["id"] for row in rows] == [target.id for target in catalogue.targets]
    assert {row["area"] for row in rows} == {area.name_zh for area in catalogue.areas}
    by_id = {row["id"]: row for row in rows}
    assert by_id["pm25_concentration"]["unit"] == "微克/立方米"
    assert result.stdout.startswith("编号,中文名称,英文名称,领域,")


@pytest.mark.parametrize("lang", LANGS)
def test_qcheck_reads_back_the_template_it_wrote_with_a_bom(lang: Lang) -> None:
    assert run_cli(["template", "-o", "t.csv", "--lang", lang, "--area", "product"]).exit_code == 0
    data = Path("t.csv").read_bytes()
    assert data.startswith(BOM_BYTES)
    lines = data.decode("utf-8").splitlines()
    filled = [lines[0]]  # with its BOM
    for line in lines[1:]:
        cells = line.split(",")
        cells[3] = "达到" if not cells[4] else "100"
        filled.append(",".join(cells))
    Path("t.csv").write_bytes(("\n".join(filled) + "\n").encode("utf-8"))
    result = run_cli(["validate", "t.csv", "--strict", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["validation"]["problems"] == []


def test_csv_is_a_format_for_people() -> None:
    assert output_format("csv").audience == "people"
    # Grouping for people (--by) is taken; a CSV keeps the table's order of areas.
    rows = csv_records(run_cli(["evaluate", FAILURES, "--format", "csv", "--by", "unit"]).stdout)
    catalogue = load_catalogue()
    order = [area.id for area in catalogue.areas]
    areas = [catalogue.target(row["id"]).area for row in rows if row["id"]]
    assert areas == sorted(areas, key=order.index)


@pytest.mark.parametrize("lang", LANGS)
def test_an_input_each_could_not_evaluate_is_a_row_in_words(lang: Lang) -> None:
    Path("bad.csv").write_text("指标,数值\n食品安全抽检合格率,abc\n", encoding="utf-8")
    result = run_cli(["evaluate", "bad.csv", FAILURES, "--each", "--format", "csv", "--lang", lang])
    assert result.exit_code == 2
    (row,) = [row for row in csv_records(result.stdout, lang) if row["source"] == "bad.csv"]
    assert row["status"] == label(lang, "input_error")
    assert row["id"] == ""


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(), min_size=2, max_size=2), max_size=5))
def test_any_cells_come_back_through_a_utf8_sig_reader(rows: list[list[str]]) -> None:
    text = csv_text(["指标", "状态"], rows, cell=str)
    assert text.startswith(BOM)
    read = list(csv.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    assert read == [["指标", "状态"], *rows]


def test_a_carriage_return_in_a_cell_does_not_end_its_row() -> None:
    # A file name holding a CR was written bare: every row split in two where it was read.
    shutil.copy(SAMPLES / "report-2020-all-met.csv", "a\rb.csv")
    assert run_cli(["evaluate", "a\rb.csv", "-o", "r.csv"]).exit_code == 0
    with Path("r.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(load_catalogue().targets)
    assert {row["Source"] for row in rows} == {"a\rb.csv"}


def test_validate_says_how_many_problems_were_not_listed(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    rows = "".join(f"food_safety_pass_rate,2020,abc{n}\n" for n in range(5))
    report.write_text("indicator,year,value\n" + rows, encoding="utf-8")
    result = run_cli(["validate", str(report), "--format", "csv", "--max-errors", "2"])
    records = csv_records(result.stdout, "en", PROBLEM_COLUMNS)
    assert len(records) == 3
    assert records[-1]["message"] == label("en", "more", count=3)
