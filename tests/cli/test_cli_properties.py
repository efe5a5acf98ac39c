"""Property tests: whatever bytes or text a report holds, the CLI ends cleanly (exit 0, 1 or 2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcheck.cli import main

CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["95", "94.0", "93.99", "达到", "否", "2020", "甘州", "全市", "%", "nan", "1,234", ""]
    ),
)
INDICATORS = st.sampled_from(
    ["food_safety_pass_rate", "食品安全抽检合格率", "PM10", "good_air_days_ratio", "nope", ""]
)
ROWS = st.lists(st.tuples(INDICATORS, CELLS, CELLS, CELLS), max_size=8)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _exit_code(name: str, content: bytes) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        result = CliRunner().invoke(main, ["evaluate", str(path), "--format", "json"])
    return result.exit_code, result.stderr


@SETTINGS
@given(content=st.binary(max_size=300), name=st.sampled_from(["r.csv", "r.yaml", "r.tsv"]))
def test_arbitrary_bytes_end_cleanly(content: bytes, name: str) -> None:
    code, stderr = _exit_code(name, content)
    assert code in (0, 1, 2), stderr
    assert "Traceback" not in stderr


@SETTINGS
@given(text=st.text(max_size=300), name=st.sampled_from(["r.csv", "r.yaml"]))
def test_arbitrary_text_ends_cleanly(text: str, name: str) -> None:
    code, stderr = _exit_code(name, text.encode("utf-8"))
    assert code in (0, 1, 2), stderr


@SETTINGS
@given(rows=ROWS)
def test_csv_shaped_input_ends_cleanly(rows: list[tuple[str, str, str, str]]) -> None:
    lines = ["indicator,value,year,region"]
    lines += [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    code, stderr = _exit_code("r.csv", "\n".join(lines).encode("utf-8"))
    assert code in (0, 1, 2), stderr


@SETTINGS
@given(rows=ROWS)
def test_yaml_shaped_input_ends_cleanly(rows: list[tuple[str, str, str, str]]) -> None:
    lines = ["measurements:"]
    for indicator, value, year, region in rows:
        cells = {"indicator": indicator, "value": value, "year": year, "region": region}
        lines.append("  - {" + ", ".join(f"{key}: {cell!r}" for key, cell in cells.items()) + "}")
    code, stderr = _exit_code("r.yaml", "\n".join(lines).encode("utf-8"))
    assert code in (0, 1, 2), stderr


@SETTINGS
@given(content=st.binary(max_size=400), name=st.sampled_from(["r.csv", "r.yaml", "r.tsv"]))
def test_loader_reads_any_bytes_or_raises_input_error(content: bytes, name: str) -> None:
    from qcheck.loaders.files import read_records
    from qcheck.problems import InputError, Problem

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        problems: list[Problem] = []
        try:
            records = read_records(path, problems=problems)
            read = list(records)
        except InputError as error:
            problems, read = error.problems, []
    assert all(getattr(record, "source", str(path)) == str(path) for record in read)
    assert all(problem.source == str(path) for problem in problems)
