"""The benchmark harness's pure parts: statistics, the shuffled rounds, the tables; no timing."""

from __future__ import annotations

import importlib.util
import py_compile
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import REPO_ROOT


def _load_harness() -> ModuleType:
    """Import benchmarks/run.py by its path: benchmarks/ is not a package."""
    spec = importlib.util.spec_from_file_location("benchmarks_run", REPO_ROOT / "benchmarks/run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


bench = _load_harness()


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
    }


def test_a_quick_run_interleaves_commands_and_floors_in_one_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole harness with fake clocks: small inputs, no command is really run."""
    calls: list[tuple[tuple[str, ...], Mapping[str, str]]] = []

    def fake_run(command: Sequence[str], env: Mapping[str, str]) -> float:
        calls.append((tuple(command), env))
        return 0.2 if tuple(command[:3]) == bench.QCHECK else 0.1

    write_province = bench.write_province
    monkeypatch.setattr(bench, "DATA", tmp_path / "data")
    monkeypatch.setattr(bench, "run_once", fake_run)
    monkeypatch.setattr(bench, "peak_memory_mib", lambda command, env: 50.0)
    monkeypatch.setattr(bench, "cache_bytecode", lambda package: (72, 72))
    monkeypatch.setattr(
        bench, "write_province", lambda targets, rows, count: write_province(targets, rows, 100)
    )
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
