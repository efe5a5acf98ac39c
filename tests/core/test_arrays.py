"""Arrow arrays made from Python values hold exactly those values, and never import pandas."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcheck.arrays import binaries, counts, flags, ints, positions, texts


@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1)))
def test_ints_hold_the_numbers(values: list[int]) -> None:
    made = ints(values)
    assert made.type == pa.int64()
    assert made.to_pylist() == values


@given(st.lists(st.booleans()))
def test_flags_hold_the_booleans(values: list[bool]) -> None:
    made = flags(values)
    assert made.type == pa.bool_()
    assert made.to_pylist() == values


@given(st.lists(st.one_of(st.none(), st.text())))
def test_texts_hold_the_text(values: list[str | None]) -> None:
    made = texts(values)
    made.validate(full=True)
    assert made.to_pylist() == values


@given(st.lists(st.binary()))
def test_binaries_hold_the_bytes(values: list[bytes]) -> None:
    made = binaries(values)
    made.validate(full=True)
    assert made.to_pylist() == values


@given(st.integers(0, 300), st.integers(-5, 5))
def test_positions_count_from_the_start(count: int, start: int) -> None:
    assert positions(count, start).to_pylist() == list(range(start, start + count))


def test_counts_count_each_value() -> None:
    assert sorted(counts(ints([3, 1, 3, 3]))) == [(1, 1), (3, 3)]


def test_making_arrays_imports_no_dataframe_library() -> None:
    code = (
        "import sys\n"
        "from qcheck.arrays import flags, ints, positions, texts\n"
        "ints([1, 2]); flags([True]); texts(['a']); positions(3)\n"
        "print(sorted({'pandas', 'polars'} & set(sys.modules)))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_a_large_report_is_checked_without_importing_pandas(tmp_path: Path) -> None:
    # Only where pandas is installed can pyarrow import it (it does for pa.array of a list, or a
    # compute function given a Python number): a quarter of a second.
    pytest.importorskip("pandas")
    # More than 1 MiB, so read by pyarrow's CSV reader.
    rows = [f"food_safety_pass_rate,{2000 + n % 101},{95 + n % 5}" for n in range(40_000)]
    report = tmp_path / "large.csv"
    report.write_text("指标,年份,数值\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table = pa.table({"指标": ["food_safety_pass_rate"], "数值": ["95"]})
    pq.write_table(table, tmp_path / "small.parquet")
    arguments = ["validate", str(report), str(tmp_path / "small.parquet")]
    assert _imported_by(arguments, {"pandas", "polars"}) == set()


def test_a_small_report_is_checked_without_importing_pyarrow(tmp_path: Path) -> None:
    report = tmp_path / "small.csv"
    report.write_text("指标,年份,数值\nfood_safety_pass_rate,2020,96\n", encoding="utf-8")
    assert _imported_by(["evaluate", str(report)], {"pyarrow"}) == set()


def _imported_by(arguments: list[str], modules: set[str]) -> set[str]:
    """Run qcheck with ``arguments`` in a fresh Python; return which of ``modules`` it imported."""
    code = (
        "import sys\n"
        "from qcheck.entry import run\n"
        f"sys.argv = ['qcheck', *{arguments!r}]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(set({sorted(modules)!r}) & set(sys.modules)), file=sys.stderr)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return set(ast.literal_eval(found.stderr.strip().splitlines()[-1]))
