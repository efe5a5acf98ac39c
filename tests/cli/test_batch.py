"""Many inputs at once: folders, --each with its summary matrix, standard input, repeats."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from qcheck.cli import main
from tests.helpers import REPO_ROOT, SAMPLES, SIX_REGIONS, assert_golden

FAILURES = "samples/report-2020-with-failures.csv"
ALL_MET = "samples/report-2020-all-met.csv"
BROKEN = "indicator,value\nfood_safety_pass_rate,abc\n"
FOOD_ROW = "food_safety_pass_rate,95\n"


pytestmark = pytest.mark.usefixtures("cli_environment")


def run(args: Sequence[str], stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def report_json(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def sources(result: Result) -> list[str]:
    """Return the input files of the reports in a --format json output."""
    return [source for report in report_json(result)["reports"] for source in report["source"]]


def status_of(report: dict[str, Any], target_id: str) -> str:
    status: str = next(r["status"] for r in report["results"] if r["id"] == target_id)
    return status


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Return a folder holding copies of the six county files of the samples."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for county in (SAMPLES / "counties").glob("*.csv"):
        shutil.copy(county, folder)
    return folder


@pytest.fixture
def broken_batch(batch: Path) -> Path:
    """Return the folder of six county files with one more that cannot be read."""
    (batch / "broken.csv").write_text(BROKEN, encoding="utf-8")
    return batch


# ---- a folder with a broken file ------------------------------------------------------------


def test_merged_folder_with_a_broken_file_evaluates_nothing(broken_batch: Path) -> None:
    result = run(["evaluate", str(broken_batch)])
    assert result.exit_code == 2
    # Standard output holds the problems, as validate lists them, not results.
    assert result.stdout == run(["validate", str(broken_batch)]).stdout
    assert f"{broken_batch / 'broken.csv'}, row 2, column 'value': [not-a-number]" in result.stderr
    assert "nothing was evaluated" in result.stderr


def test_each_evaluates_the_others_and_lists_the_broken_file(broken_batch: Path) -> None:
    result = run(["evaluate", str(broken_batch), "--each", "--format", "json"])
    assert result.exit_code == 2
    document = report_json(result)
    assert len(document["reports"]) == 6
    counties = [p for p in broken_batch.glob("*.csv") if p.name != "broken.csv"]
    assert sorted(sources(result)) == sorted(map(str, counties))
    (error,) = document["input_errors"]
    assert error["source"] == [str(broken_batch / "broken.csv")]
    assert [p["code"] for p in error["problems"]] == ["not-a-number"]
    assert document["summary"]["reports"] == 6
    assert document["summary"]["input_errors"] == 1
    assert "1 of 7 input(s) could not be evaluated" in result.stderr


def test_each_counts_inputs_not_problems_when_a_folder_is_named_twice(batch: Path) -> None:
    (batch / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (batch / "sub").mkdir()
    (batch / "sub" / "notes.doc").write_bytes(b"")
    result = run(["evaluate", str(batch), str(batch), str(batch / "sub"), "--each"])
    assert result.exit_code == 2
    assert "2 of 8 input(s) could not be evaluated" in result.stderr
    assert result.stderr.count("old.xls: [unsupported-format]") == 1
    assert result.stderr.count("notes.doc: [unsupported-format]") == 1
    validated = run(["validate", str(batch), str(batch / "sub"), "--format", "json"])
    validation = report_json(validated)["validation"]
    assert len(validation["source"]) == 8
    assert [p["source"] for p in validation["problems"]] == [
        str(batch / "old.xls"),
        str(batch / "sub" / "notes.doc"),
    ]


def test_each_table_ends_with_the_summary_matrix(
    broken_batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(broken_batch.parent)  # the golden names the files batch/...
    result = run(["evaluate", "batch", "--each", "--lang", "zh"])
    assert result.exit_code == 2
    assert result.stdout.count("张掖市2020年质量目标核查") == 6
    matrix = result.stdout[result.stdout.index("汇总：各报告 × 各指标") :]
    assert_golden("batch.each.matrix.zh.txt", matrix)
    lines = matrix.splitlines()
    assert any(
        line.split()[:1] == ["合计"] and line.split()[-3:] == ["1", "0", "161"] for line in lines
    )
    assert any("batch/broken.csv" in line and "输入有误" in line for line in lines)
    # The legend closes the output.
    assert matrix.endswith("27=质量发展纳入干部培训院校教学计划\n")


@pytest.mark.parametrize(("lang", "title"), [("zh", "汇总：各报告 × 各指标"), ("en", "Summary")])
def test_each_markdown_has_the_matrix(broken_batch: Path, lang: str, title: str) -> None:
    result = run(["evaluate", str(broken_batch), "--each", "--format", "markdown", "--lang", lang])
    assert result.exit_code == 2
    matrix = result.stdout[result.stdout.index(f"### {title}") :]
    rows = [line for line in matrix.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + 6 + 1 + 1  # header, rule, six reports, the broken file, totals
    assert {row.count("|") for row in rows} == {1 + 1 + 27 + 3}
    assert rows[-1].endswith("| 1 | 0 | 161 |")
    assert str(broken_batch / "broken.csv") in rows[-2]


# ---- exit codes of --each -------------------------------------------------------------------


def test_each_with_only_missing_data_passes_by_default(batch: Path) -> None:
    result = run(["evaluate", str(batch), "--each", "--format", "json"])
    assert result.exit_code == 0
    reports = report_json(result)["reports"]
    assert len(reports) == 6
    # Ganzhou's file answers its own commitment, the demonstration county; nothing else is met.
    assert sorted(report["summary"]["missing"] for report in reports) == [26] + [27] * 5
    assert sum(report["summary"]["pass"] for report in reports) == 1
    assert run(["evaluate", str(batch), "--each", "--fail-on", "missing"]).exit_code == 1


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, 0),
        ({"met.csv": ALL_MET}, 0),
        ({"failing.csv": FAILURES}, 1),
        ({"failing.csv": FAILURES, "broken.csv": None}, 2),
        ({"met.csv": ALL_MET, "broken.csv": None}, 2),
    ],
)
def test_the_worst_exit_code_wins(batch: Path, extra: dict[str, str | None], code: int) -> None:
    for name, sample in extra.items():
        text = BROKEN if sample is None else (REPO_ROOT / sample).read_text(encoding="utf-8")
        (batch / name).write_text(text, encoding="utf-8")
    result = run(["evaluate", str(batch), "--each"])
    assert result.exit_code == code, result.output


# ---- folders --------------------------------------------------------------------------------


def test_folders_are_searched_recursively_skipping_hidden_and_lock_files(tmp_path: Path) -> None:
    report = "indicator,value\n" + FOOD_ROW
    wanted = ["a.csv", "sub/b.yaml", "sub/deeper/c.tsv"]
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.csv").write_text(report, encoding="utf-8")
    (tmp_path / "sub" / "b.yaml").write_text(
        "measurements:\n  - {indicator: PM10, year: 2017, value: 78}\n", encoding="utf-8"
    )
    (tmp_path / "sub" / "deeper" / "c.tsv").write_text(
        "indicator\tvalue\nservice_satisfaction\t90\n", encoding="utf-8"
    )
    # Any of these, if read, would be an error.
    for skipped in (".hidden.csv", ".git/x.csv", "~$a.xlsx", "sub/~$b.xlsx", "notes.md"):
        (tmp_path / skipped).write_text("not a report", encoding="utf-8")
    result = run(["evaluate", str(tmp_path), "--each", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sources(result) == [str(tmp_path / name) for name in wanted]


def test_an_empty_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / ".hidden").mkdir(parents=True)
    (empty / ".hidden" / "r.csv").write_text("indicator,value\n" + FOOD_ROW, encoding="utf-8")
    evaluated = run(["evaluate", str(empty)])
    assert evaluated.exit_code == 2
    assert f"{empty}: [no-data] the folder holds no" in evaluated.stderr
    validated = run(["validate", str(empty), "--format", "json"])
    assert validated.exit_code == 2
    (problem,) = report_json(validated)["validation"]["problems"]
    assert (problem["source"], problem["code"]) == (str(empty), "no-data")


def test_an_empty_folder_beside_a_good_file_fails_the_batch(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(["evaluate", ALL_MET, str(tmp_path / "empty"), "--each", "--format", "json"])
    assert result.exit_code == 2
    document = report_json(result)
    assert len(document["reports"]) == 1
    assert document["input_errors"][0]["source"] == [str(tmp_path / "empty")]


# ---- standard input -------------------------------------------------------------------------


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


STDIN_REPORTS: dict[str, str | bytes] = {
    "csv": "indicator,value\n" + FOOD_ROW,
    "csv-gbk": "指标,数值\n食品安全抽检合格率,95\n".encode("gb18030"),
    "yaml": "measurements:\n  - {indicator: food_safety_pass_rate, value: 95}\n",
    "yaml-list": "- {indicator: 食品安全抽检合格率, value: 95%}\n",
    "xlsx": workbook_bytes([["指标", "数值"], ["食品安全抽检合格率", 95]]),
}


@pytest.mark.parametrize("kind", STDIN_REPORTS)
def test_stdin_in_every_format(kind: str) -> None:
    result = run(["evaluate", "-", "--format", "json"], stdin=STDIN_REPORTS[kind])
    assert result.exit_code == 0, result.output
    (report,) = report_json(result)["reports"]
    assert report["source"] == ["<stdin>"]
    assert status_of(report, "food_safety_pass_rate") == "pass"
    food = next(r for r in report["results"] if r["id"] == "food_safety_pass_rate")
    assert food["observations"][0]["source"] == "<stdin>"


def test_stdin_sample_csv_gives_the_same_results_as_the_file() -> None:
    text = (REPO_ROOT / FAILURES).read_text(encoding="utf-8")
    piped = run(["evaluate", "-", "--format", "csv"], stdin=text)
    direct = run(["evaluate", FAILURES, "--format", "csv"])
    assert piped.exit_code == direct.exit_code == 1
    assert piped.stdout == direct.stdout.replace(FAILURES, "<stdin>")


def test_stdin_problems_are_named_stdin() -> None:
    result = run(["evaluate", "-"], stdin=BROKEN)
    assert result.exit_code == 2
    assert "<stdin>, row 2, column 'value': [not-a-number]" in result.stderr


# YAML whose first line has a comma, which auto-detection takes for CSV.
COMMA_YAML = "title: 2020, city\nmeasurements:\n  - {indicator: food_safety_pass_rate, value: 95}\n"


@pytest.mark.parametrize(
    ("stdin", "stdin_format", "code"),
    [
        (COMMA_YAML, "yaml", 0),
        (STDIN_REPORTS["csv"], "yaml", 2),
        (STDIN_REPORTS["yaml"], "csv", 2),
        (STDIN_REPORTS["xlsx"], "csv", 2),
        (STDIN_REPORTS["xlsx"], "xlsx", 0),
        (STDIN_REPORTS["csv"], "xlsx", 2),
    ],
)
def test_stdin_format_overrides_detection(stdin: str | bytes, stdin_format: str, code: int) -> None:
    result = run(["evaluate", "-", "--stdin-format", stdin_format], stdin=stdin)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.stderr
    if code == 2:
        assert "<stdin>" in result.stderr


def test_stdin_beside_files() -> None:
    result = run(["evaluate", "samples/city-2020.csv", "-", "--format", "json"], stdin=BROKEN)
    assert result.exit_code == 2
    assert "<stdin>, row 2" in result.stderr
    validation = report_json(result)["validation"]
    assert validation["source"] == ["samples/city-2020.csv", "<stdin>"]


# ---- repeated inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inputs",
    [
        [ALL_MET, ALL_MET],
        [ALL_MET, f"./{ALL_MET}"],
        ["samples/counties", "samples/counties/linze.csv"],
        ["-", "-"],
    ],
)
def test_a_file_given_twice_is_read_once(inputs: list[str]) -> None:
    stdin = (REPO_ROOT / ALL_MET).read_text(encoding="utf-8") if "-" in inputs else None
    result = run(["evaluate", *inputs, "--format", "json"], stdin=stdin)
    assert result.exit_code == 0, result.output
    (report,) = report_json(result)["reports"]
    assert len(report["source"]) == len(set(report["source"]))
    assert report["warnings"] == []
    assert "duplicate" not in result.stderr


def test_a_file_given_twice_is_evaluated_once_with_each() -> None:
    linze = "samples/counties/linze.csv"
    result = run(["evaluate", "samples/counties", linze, linze, "--each", "--format", "json"])
    assert result.exit_code == 0
    assert len(sources(result)) == 6
    assert sources(result).count(linze) == 1


def test_a_file_named_two_ways_is_read_once() -> None:
    result = run(["evaluate", ALL_MET, str(REPO_ROOT / ALL_MET), "--format", "json", "--strict"])
    assert result.exit_code == 0, result.stderr[:300]
    (report,) = report_json(result)["reports"]
    assert len(report["source"]) == 1


def test_six_counties_as_a_folder_merge_like_the_files() -> None:
    result = run(["evaluate", "samples/city-2020.csv", "samples/counties", "--format", "json"])
    assert result.exit_code == 0, result.output
    (report,) = report_json(result)["reports"]
    assert len(report["source"]) == 7
    air = next(r for r in report["results"] if r["id"] == "good_air_days_ratio")
    assert {obs["region"] for obs in air["observations"]} == set(SIX_REGIONS)


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_each_matrix_is_grouped_by_lead_unit_with_by_unit(output_format: str) -> None:
    args = ["evaluate", str(SAMPLES / "counties"), "--each", "--by", "unit"]
    result = run([*args, "--format", output_format, "--lang", "zh"])
    legend = result.stdout[result.stdout.rindex("图例") :]
    # Each department's targets under its name, today's body beside the plan's.
    assert "市环保局 → 张掖市生态环境局" in legend
    after = legend[legend.index("市环保局 → 张掖市生态环境局") :]
    assert "细颗粒物平均浓度" in after
    assert "食品安全抽检合格率" not in after
