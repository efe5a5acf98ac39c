"""The benchmark harness's pure parts: statistics, the shuffled rounds, the tables; no timing."""

from __future__ import annotations

import importlib.util
import py_compile
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import REPO_ROOT


def _load_benchmark(name: str, module_name: str) -> ModuleType:
    """Import benchmarks/NAME.py by its path: benchmarks/ is not a package."""
    path = REPO_ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


_load_benchmark("peers", "peers")  # run.py imports it by this name, as the script beside it
bench = _load_benchmark("run", "benchmarks_run")


def figure(values: Sequence[float], floors: Sequence[float], **fields: Any) -> Any:
    """Build a timed figure with a 2x limit unless ``fields`` say otherwise."""
    settings: dict[str, Any] = {
        "name": "typical report",
        "floor_name": "import deps + model + table",
        "limit": 2.0,
        "unit": "s",
        "command": "-m qcheck evaluate typical.csv",
    }
    return bench.Figure(values=tuple(values), floors=tuple(floors), **{**settings, **fields})


def test_spread_is_the_median_and_the_range() -> None:
    spread = bench.Spread.of([0.30, 0.10, 0.20, 0.40])
    assert (spread.median, spread.low, spread.high) == (pytest.approx(0.25), 0.10, 0.40)
    assert spread.relative == pytest.approx(0.30 / 0.25)
    with pytest.raises(ValueError, match="no samples"):
        bench.Spread.of([])


@given(
    names=st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=12),
    rounds=st.integers(min_value=0, max_value=9),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_every_round_runs_every_command_once_and_a_seed_repeats_the_orders(
    names: list[str], rounds: int, seed: int
) -> None:
    orders = bench.schedule(names, rounds, seed)
    assert len(orders) == rounds
    assert all(sorted(order) == sorted(names) for order in orders)
    assert bench.schedule(names, rounds, seed) == orders


def test_rounds_are_shuffled_differently() -> None:
    names = [f"command {n}" for n in range(12)]
    orders = bench.schedule(names, 5, seed=2026)
    assert len({tuple(order) for order in orders}) == 5
    assert bench.schedule(names, 5, seed=2027) != orders


def test_figure_takes_medians_over_rounds_and_pairs_each_round_with_its_floor() -> None:
    f = figure([0.30, 0.90, 0.32], [0.10, 0.30, 0.20])
    assert (f.value, f.floor) == (0.32, 0.20)
    assert f.ratio == pytest.approx(1.6)
    assert f.round_ratios == pytest.approx((3.0, 3.0, 1.6))
    assert f.met
    assert f.target == "2.00x"
    assert not figure([0.5], [0.2]).met


def test_an_absolute_limit_bounds_the_value_not_the_ratio() -> None:
    f = figure([99.0], [34.0], unit="MiB", limit=80.0, absolute=True)
    assert f.target == "80 MiB"
    assert not f.met
    assert figure([79.0], [10.0], unit="MiB", limit=80.0, absolute=True).met


def test_table_keeps_its_columns_and_says_which_targets_are_met() -> None:
    lines = bench.render_table(
        [
            figure([0.30, 0.32, 0.34], [0.20, 0.20, 0.20]),
            figure([99.0], [34.0], name="peak memory", unit="MiB", limit=80.0, absolute=True),
        ]
    )
    header = ["figure", "value", "floor", "floor", "value", "ratio", "target", "met"]
    assert lines[0].split() == header
    assert lines[2].split() == [
        "typical", "report", "0.320", "s", "import", "deps", "+", "model", "+", "table",
        "0.200", "s", "1.60x", "2.00x", "yes",
    ]  # fmt: skip
    assert lines[3].split()[-6:] == ["34", "MiB", "2.91x", "80", "MiB", "NO"]


def test_spread_table_shows_the_range_of_value_floor_and_ratio_per_round() -> None:
    lines = bench.render_spreads(
        [figure([0.30, 0.40, 0.35], [0.10, 0.20, 0.10]), figure([99.0], [34.0], name="memory")]
    )
    assert len(lines) == 3, "a figure of one run has no spread"
    assert lines[2].split() == [
        "typical", "report", "0.300-0.400", "s", "(29%)", "0.100-0.200", "s", "(100%)",
        "2.00-3.50x",
    ]  # fmt: skip


def test_commands_run_with_bytecode_writing_allowed_and_the_rest_unchanged() -> None:
    environ = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": "src", "HOME": "/root"}
    assert bench.timing_environment(environ) == {"PYTHONPATH": "src", "HOME": "/root"}
    assert "PYTHONDONTWRITEBYTECODE" in environ


def test_environment_facts_say_whether_bytecode_was_cached_and_what_was_set() -> None:
    facts = "\n".join(
        bench.environment_facts({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}, 70, 72)
    )
    assert "Python 3." in facts
    assert "cores" in facts
    assert "70 of qcheck's 72 modules cached" in facts
    assert "PYTHONDONTWRITEBYTECODE was set here: every command runs without it" in facts
    assert "passed to every command: PYTHONHASHSEED=0" in facts
    quiet = "\n".join(bench.environment_facts({"HOME": "/root"}, 72, 72))
    assert "PYTHONDONTWRITEBYTECODE" not in quiet
    assert "passed to every command" not in quiet


def test_bytecode_counts_as_cached_only_when_it_matches_the_source(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "mod.py").write_text("X = 1\n", encoding="utf-8")
    assert not bench.bytecode_is_fresh(package / "__init__.py")
    assert bench.cache_bytecode(package) == (2, 2)
    (package / "sub" / "mod.py").write_text("X = 12\n", encoding="utf-8")  # another size
    assert not bench.bytecode_is_fresh(package / "sub" / "mod.py")
    # Bytecode checked by the source's hash is read and hashed on every import: not cached.
    py_compile.compile(
        str(package / "sub" / "mod.py"),
        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
    )
    assert not bench.bytecode_is_fresh(package / "sub" / "mod.py")
    assert bench.cache_bytecode(package) == (2, 2)


def test_limits_are_those_of_the_issue() -> None:
    assert bench.LIMITS == {
        "qcheck --version": 3.0,
        "qcheck --help": 1.5,
        "typical report": 1.25,
        "1,000,000 rows": 1.3,
        "100,000 rows": 4.0,
        "1,000 files --each": 2.5,
        "peak memory, 10k rows, 2k regions": 80.0,
        "peak memory, 1,000,000 rows": 1.5,
        "peak memory, 100,000 rows": 1.5,
        "1,000,000 rows against polars": 1.0,
        "peak memory, 20,000,000 rows": 500.0,
        "time per row, 20M against 2M": 1.2,
    }


Calls = list[tuple[tuple[str, ...], Mapping[str, str]]]


def fake_harness(monkeypatch: pytest.MonkeyPatch, data: Path) -> Calls:
    """Run the harness with fake clocks on inputs of 100 rows: qcheck 0.2 s, the rest 0.1 s.

    Return the list that each command run is added to, with its environment.
    """
    calls: Calls = []

    def fake_run(command: Sequence[str], env: Mapping[str, str]) -> float:
        calls.append((tuple(command), env))
        return 0.2 if tuple(command[:3]) == bench.QCHECK else 0.1

    def small_province(targets: Path, rows: Path, count: int, regions: int = 2000) -> None:
        write_province(targets, rows, min(count, 100), regions)

    write_province = bench.write_province
    monkeypatch.setattr(bench, "DATA", data)
    monkeypatch.setattr(bench, "run_once", fake_run)
    monkeypatch.setattr(bench, "peak_memory_mib", lambda command, env: 50.0)
    monkeypatch.setattr(bench, "cache_bytecode", lambda package: (72, 72))
    monkeypatch.setattr(bench, "write_province", small_province)
    return calls


def test_a_quick_run_interleaves_commands_and_floors_in_one_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole harness with fake clocks: small inputs, no command is really run."""
    calls = fake_harness(monkeypatch, tmp_path / "data")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(sys, "argv", ["run.py", "--quick", "--seed", "7"])
    bench.main()
    out = capsys.readouterr().out

    jobs = 12  # five figures, their floors, and two references
    assert len(calls) == jobs * (1 + 5), "a warm-up round, then five rounds"
    rounds = [[command for command, _ in calls[n : n + jobs]] for n in range(0, len(calls), jobs)]
    assert all(sorted(order) == sorted(rounds[0]) for order in rounds)
    assert len({tuple(order) for order in rounds[1:]}) == 5, "each round in its own order"
    uncached = [env for _, env in calls if env.get("PYTHONDONTWRITEBYTECODE") == "1"]
    assert len(uncached) == 6, "only the reference without bytecode forbids writing it"
    timed = {tuple(sorted(env.items())) for _, env in calls if env not in uncached}
    assert len(timed) == 1, "commands and floors run in one environment"
    assert "seed 7 (--seed 7 repeats the orders)" in out
    assert "72 of qcheck's 72 modules cached" in out
    assert "typical report" in out
    assert "100,000 rows" in out
    assert "1,000,000 rows" not in out
    assert "1,000 files --each" in out
    assert "peak memory, 10k rows, 2k regions" in out
    assert not (tmp_path / "data").exists(), "the inputs are removed without --keep"


@pytest.fixture
def small_huge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the huge inputs 2,000 and 200 rows over 3 regions."""
    monkeypatch.setattr(bench, "HUGE", 2000)
    monkeypatch.setattr(bench, "HUGE_BASE", 200)
    monkeypatch.setattr(bench, "HUGE_REGIONS", 3)


@pytest.mark.usefixtures("small_huge")
def test_huge_inputs_are_written_once_as_csv_and_the_same_table_as_parquet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    targets, files = bench.huge_inputs(tmp_path / "huge")
    assert sorted(files) == [(200, "CSV"), (200, "Parquet"), (2000, "CSV"), (2000, "Parquet")]
    assert "r0002" in targets.read_text(encoding="utf-8")
    for size in (200, 2000):
        table = pacsv.read_csv(files[size, "CSV"])
        assert table.num_rows == size
        assert pq.read_table(files[size, "Parquet"]).equals(table)
    assert sorted(path.name for path in (tmp_path / "huge").iterdir()) == [
        "rows-200.csv",
        "rows-200.parquet",
        "rows-2000.csv",
        "rows-2000.parquet",
        "targets.yaml",
    ], "no partial file is left"

    def refuse(*args: object) -> None:
        raise AssertionError("written again")

    monkeypatch.setattr(bench, "write_province", refuse)
    monkeypatch.setattr(bench, "write_parquet", refuse)
    assert bench.huge_inputs(tmp_path / "huge") == (targets, files)


@pytest.mark.usefixtures("small_huge")
def test_huge_figures_are_peak_memory_and_time_against_ten_times_fewer_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {}
    for size in (200, 2000):
        for kind in ("CSV", "Parquet"):
            files[size, kind] = tmp_path / f"rows-{size}.{kind.lower()}"
            files[size, kind].write_text("x" * size, encoding="utf-8")
    commands: list[tuple[str, ...]] = []

    def fake_probe(command: Sequence[str], env: Mapping[str, str]) -> Any:
        commands.append(tuple(command))
        size = 2000 if "rows-2000" in " ".join(command) else 200
        seconds = size / 100 * (1.5 if "parquet" in " ".join(command) else 1.0)
        return bench.Run(seconds, 600.0 if size == 2000 else 90.0, 1)

    monkeypatch.setattr(bench, "probe", fake_probe)
    figures = bench.huge_figures(tmp_path / "targets.yaml", files, {})
    assert {command[-1] for command in commands} == {"200", "2000"}, "--max-bytes: the file's size"
    assert all(command[-2] == "--max-bytes" for command in commands)
    rows = [
        (f.name, f.floor_name, f.value, f.floor, round(f.ratio, 2), f.met, f.target)
        for f in figures
    ]
    assert rows == [
        ("peak memory, 0.002M rows, CSV", "peak memory, 0.0002M rows", 600.0, 90.0, 6.67,
         False, "500 MiB"),
        ("time, 0.002M rows, CSV", "0.0002M rows' time x 10", 20.0, 20.0, 1.0, True, "1.20x"),
        ("peak memory, 0.002M rows, Parquet", "peak memory, 0.0002M rows", 600.0, 90.0, 6.67,
         False, "500 MiB"),
        ("time, 0.002M rows, Parquet", "0.0002M rows' time x 10", 30.0, 30.0, 1.0, True,
         "1.20x"),
    ]  # fmt: skip


def test_a_huge_file_that_is_not_evaluated_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("indicator,value\n", encoding="utf-8")
    monkeypatch.setattr(bench, "probe", lambda command, env: bench.Run(0.1, 50.0, 2))
    with pytest.raises(SystemExit, match="exited 2: it did not evaluate the file"):
        bench.huge_figures(tmp_path / "targets.yaml", {(20, "CSV"): path}, {})


def test_inputs_are_removed_but_the_huge_ones(tmp_path: Path) -> None:
    (tmp_path / "huge").mkdir()
    (tmp_path / "huge" / "rows.csv").write_text("", encoding="utf-8")
    (tmp_path / "many").mkdir()
    (tmp_path / "typical.csv").write_text("", encoding="utf-8")
    bench.remove_inputs(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["huge"]
    shutil.rmtree(tmp_path / "huge")
    bench.remove_inputs(tmp_path)
    assert not tmp_path.exists()


def test_a_province_file_has_room_for_101_years_of_every_place_and_indicator(
    tmp_path: Path,
) -> None:
    bench.write_province(tmp_path / "targets.yaml", tmp_path / "rows.csv", 101 * 4 * 18, 3)
    with pytest.raises(ValueError, match="only 7272 distinct rows fit"):
        bench.write_province(tmp_path / "targets.yaml", tmp_path / "rows.csv", 7273, 3)


@pytest.mark.usefixtures("small_huge")
def test_huge_adds_its_figures_and_keeps_its_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_harness(monkeypatch, tmp_path / "data")
    monkeypatch.setattr(bench, "probe", lambda command, env: bench.Run(1.0, 120.0, 1))
    monkeypatch.setattr(sys, "argv", ["run.py", "--quick", "--huge", "--seed", "7"])
    bench.main()
    out = capsys.readouterr().out
    assert "peak memory, 0.002M rows, Parquet" in out
    assert "time, 0.002M rows, CSV" in out
    assert f"huge inputs, kept in {tmp_path / 'data' / 'huge'}: 200 rows of CSV:" in out
    assert [path.name for path in (tmp_path / "data").iterdir()] == ["huge"]
