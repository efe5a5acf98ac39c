"""Parquet and Arrow IPC reports read as the same table saved as CSV: same results, problems."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcheck.catalogue import Catalogue
from qcheck.cli import main
from qcheck.loaders.files import check_files
from tests.helpers import REPO_ROOT, run_cli

Cells = list[str | None]
Outcome = tuple[list[tuple[object, ...]], list[dict[str, Any]]]


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path)


def write_feather(table: pa.Table, path: Path) -> None:
    feather.write_feather(table, path)


def write_arrow_stream(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


WRITERS: dict[str, Callable[[pa.Table, Path], None]] = {
    "r.parquet": write_parquet,
    "r.feather": write_feather,
    "r.arrow": write_arrow_stream,
}


def write_csv(header: list[str], rows: Sequence[Sequence[object]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)


def outcome(path: Path, catalogue: Catalogue) -> Outcome:
    """Read one file; return its measurements and problems, named without the file's name."""
    dataset, checked = check_files([path], catalogue=catalogue, keep_all=True)
    measured = [
        (m.indicator, m.value, m.year, m.region, m.note, m.origin) for m in dataset.everything or ()
    ]
    named = str(path)
    problems = [
        {
            **problem.to_dict(),
            "source": "r",
            "message": problem.message.replace(named, "r"),
            "message_zh": problem.message_zh.replace(named, "r"),
        }
        for problem in checked.problems
    ]
    return [(*m[:-1], m[-1].row) for m in measured], problems


HEADERS = st.sampled_from(
    [
        ["indicator", "value", "year", "region"],
        ["指标", "数值", "年份", "地区"],
        ["指标名称", "完成值", "年度", "县区"],
    ]
)
INDICATORS = st.sampled_from(
    ["食品安全抽检合格率", "food_safety_pass_rate", "食品安全抽检合格律", "", "  ", None]
)
VALUES = st.sampled_from(["96.1", "95", "abc", "0.95", "101", "95%", "", None, "1,234", "９６"])
YEARS = st.sampled_from(["2020", "2019", "1999", "二〇二〇", "", None])
REGIONS = st.sampled_from(["", None, "甘州区", "临泽", "酒泉"])
ROWS = st.lists(st.tuples(INDICATORS, VALUES, YEARS, REGIONS).map(list), min_size=0, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=HEADERS, rows=ROWS)
def test_a_report_reads_the_same_as_csv_and_as_parquet_or_arrow(
    catalogue: Catalogue, header: list[str], rows: list[Cells]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "r.csv"
        write_csv(header, list(rows), csv_path)
        expected = outcome(csv_path, catalogue)
        columns = {name: [row[index] for row in rows] for index, name in enumerate(header)}
        table = pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})
        for name, write in WRITERS.items():
            path = Path(folder) / name
            write(table, path)
            assert outcome(path, catalogue) == expected, name


def test_typed_columns_read_as_their_csv_text(tmp_path: Path, catalogue: Catalogue) -> None:
    """Whole numbers, floats (as Excel shows them), nulls and booleans, beside their CSV."""
    typed = pa.table(
        {
            "指标": [
                "食品安全抽检合格率",
                "食品安全抽检合格率",
                "全市主导优势产品质量达到省内先进水平",
            ],
            "数值": pa.array([96.1, 0.1 + 0.2, None], pa.float64()),
            "年份": pa.array([2020, 2019, 2020], pa.int32()),
            "地区": pa.array([None, None, None], pa.null()),
        }
    )
    text = "指标,数值,年份,地区\n食品安全抽检合格率,96.1,2020,\n食品安全抽检合格率,0.3,2019,\n"
    text += "全市主导优势产品质量达到省内先进水平,,2020,\n"
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    write_parquet(typed, tmp_path / "r.parquet")
    csv_outcome = outcome(tmp_path / "r.csv", catalogue)
    assert outcome(tmp_path / "r.parquet", catalogue) == csv_outcome
    assert [m[1:3] for m in csv_outcome[0]] == [(Decimal("96.1"), 2020)]  # 0.3 is implausible
    assert [(p["code"], p["row"]) for p in csv_outcome[1]] == [
        ("implausible", 3),
        ("empty-value", 4),
    ]


def test_a_boolean_is_a_met_answer_never_a_number(tmp_path: Path, catalogue: Catalogue) -> None:
    table = pa.table(
        {
            "indicator": ["全市主导优势产品质量达到省内先进水平", "食品安全抽检合格率"],
            "value": [True, False],
            "year": [2020, 2020],
        }
    )
    write_parquet(table, tmp_path / "r.parquet")
    measured, problems = outcome(tmp_path / "r.parquet", catalogue)
    assert [(m[0], m[1]) for m in measured] == [("leading_products_level", True)]
    assert [(p["code"], p["row"], p["column"]) for p in problems] == [("not-a-number", 3, "value")]


def test_a_folder_reads_parquet_and_arrow_files(in_tmp: Path) -> None:
    Path("reports").mkdir()
    table = pa.table({"指标": ["食品安全抽检合格率"], "数值": ["96.1"], "年份": ["2020"]})
    for name, write in WRITERS.items():
        write(table, Path("reports") / name)
    result = run_cli(["validate", "reports", "--format", "json"])
    assert result.exit_code == 0, result.output
    sources = json.loads(result.stdout)["validation"]["source"]
    assert sorted(sources) == sorted(str(Path("reports") / name) for name in WRITERS)


@pytest.mark.parametrize("name", ["bad.parquet", "bad.feather", "bad.arrow"])
@pytest.mark.parametrize("content", [b"", b"PAR1 not really", b"ARROW1\x00\x00 cut short"])
def test_a_corrupt_file_is_refused_clearly(in_tmp: Path, name: str, content: bytes) -> None:
    Path(name).write_bytes(content)
    result = run_cli(["validate", name, "--format", "json", "--lang", "zh"])
    assert result.exit_code == 2, result.output
    [problem] = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["code"], problem["source"]) == ("bad-parquet", name)
    assert "Parquet" in problem["message"] or "Arrow" in problem["message"]
    assert problem["message_zh"]
    assert problem["hint_zh"]
    assert "Traceback" not in result.output


def test_a_column_of_lists_is_refused_by_name(in_tmp: Path) -> None:
    table = pa.table({"指标": ["食品安全抽检合格率"], "数值": [[96.1, 97.0]], "年份": ["2020"]})
    write_parquet(table, Path("r.parquet"))
    result = run_cli(["validate", "r.parquet", "--format", "json"])
    assert result.exit_code == 2, result.output
    [problem] = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["code"], problem["column"]) == ("bad-parquet", "数值")
    assert "list" in problem["message"]


def test_standard_input_is_told_parquet_by_its_first_bytes(tmp_path: Path) -> None:
    table = pa.table({"指标": ["食品安全抽检合格率"], "数值": ["96.1"], "年份": ["2020"]})
    write_parquet(table, tmp_path / "r.parquet")
    write_arrow_stream(table, tmp_path / "r.arrow")
    found = CliRunner().invoke(main, ["validate", "-"], input=(tmp_path / "r.parquet").read_bytes())
    assert found.exit_code == 0, found.output
    streamed = (tmp_path / "r.arrow").read_bytes()
    found = CliRunner().invoke(main, ["validate", "-", "--stdin-format", "arrow"], input=streamed)
    assert found.exit_code == 0, found.output


def test_help_does_not_import_pyarrow() -> None:
    code = "import sys; from qcheck.entry import run\nsys.argv = ['qcheck', '--help']\n"
    code += "try:\n    run()\nexcept SystemExit:\n    pass\n"
    code += "print('pyarrow' in sys.modules, file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


def test_docs_list_the_new_code_and_suffixes() -> None:
    problems = (REPO_ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    assert "`bad-parquet`" in problems
    hooks = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "parquet|arrow|feather" in hooks
