"""The benchmark's peers find the bad rows and duplicates qcheck finds: they do the same work."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcheck.loaders.targets import load_catalogue
from tests.benchmarks.test_benchmarks import bench, fake_harness
from tests.helpers import REPO_ROOT, run_cli

peers = bench.peers
# The package each peer needs; pyarrow, a dependency of qcheck, is always there.
PACKAGES = {
    "frictionless": "frictionless",
    "pandas": "pandas",
    "pyarrow.compute": "pyarrow",
    "polars": "polars",
}
INSTALLED = sorted(tool for tool, package in PACKAGES.items() if find_spec(package) is not None)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    """Return the benchmark's targets file of 2,000 regions, and its first 200 rows (no header)."""
    folder = tmp_path_factory.mktemp("province")
    bench.write_province(folder / "targets.yaml", folder / "rows.csv", 200)
    with (folder / "rows.csv").open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))[1:]
    return folder / "targets.yaml", rows


def write_rows(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    """Write a report of the benchmark's columns."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["indicator", "year", "region", "value"])
        writer.writerows(rows)
    return path


def qcheck_findings(targets: Path, rows: Path) -> tuple[list[int], list[int]]:
    """Return the rows qcheck refuses and the rows it finds repeated, by line number."""
    command = ["validate", str(rows), "--targets", str(targets), "--format", "json"]
    result = run_cli([*command, "--max-errors", "1000", "--lang", "en"])
    assert result.exit_code in (0, 2), result.output
    problems = json.loads(result.stdout)["validation"]["problems"]
    repeats = {"duplicate", "duplicate-identical"}
    bad = {p["row"] for p in problems if p["severity"] == "error" and p["code"] not in repeats}
    repeated = {p["row"] for p in problems if p["code"] in repeats}
    return sorted(bad), sorted(repeated)


def peer_findings(tool: str, targets: Path, rows: Path) -> tuple[list[int], list[int]]:
    """Return what a peer finds, skipping the test when its package is not installed."""
    pytest.importorskip(PACKAGES[tool])
    limit = csv.field_size_limit()
    try:
        findings = peers.CHECKS[tool](peers.Rules.read(targets), rows)
    finally:  # frictionless raises the csv module's limit for the whole process, for good
        csv.field_size_limit(limit)
    return list(findings.bad), list(findings.duplicates)


def test_every_peer_has_a_package_to_skip_on() -> None:
    assert set(PACKAGES) == set(peers.CHECKS)
    assert set(peers.PACKAGES) == set(PACKAGES.values()) - {"pyarrow"}, "pyarrow: a dependency"


def test_rules_are_read_from_the_targets_file(province: tuple[Path, list[list[str]]]) -> None:
    rules = peers.Rules.read(province[0])
    assert rules.year == 2020
    assert rules.indicators["pm10"] == rules.indicators["pm10_concentration"]
    assert rules.indicators["食品安全抽检合格率"] == "food_safety_pass_rate"
    assert rules.regions["r0001"] == rules.regions["区0001"] == rules.regions["region 0001"]
    assert rules.regions[""] == rules.regions["全市"] == peers.CITY
    assert "甘州区" not in rules.regions, "the province file replaces the six counties"
    # A percentage within 0-100 and its plausible range; counts whole; concentrations unbounded.
    assert (rules.minimum["food_safety_pass_rate"], rules.maximum["food_safety_pass_rate"]) == (
        50.0,
        100.0,
    )
    assert (rules.minimum["pm10_concentration"], rules.maximum["pm10_concentration"]) == (
        0.0,
        math.inf,
    )
    assert rules.whole == {"sme_quality_training"}
    tasks = {t.id for t in load_catalogue().targets if t.area == "tasks"}
    assert rules.yes_no == {"leading_products_level", "key_services_level", *tasks}
    assert rules.either == {"completed_projects_compliance"}


@pytest.mark.parametrize("tool", sorted(PACKAGES))
def test_each_peer_finds_the_planted_errors_qcheck_finds(
    tool: str, province: tuple[Path, list[list[str]]], tmp_path: Path
) -> None:
    targets, rows = province
    planted = [list(row) for row in rows]
    planted[4][0] = "no_such_indicator"  # line 6
    planted[5][1] = "20x0"  # line 7: not a year
    assert planted[6][0] == "completed_projects_compliance"
    planted[6][3] = "120"  # line 8: a percentage of 120
    assert planted[24][0] == "completed_projects_compliance"
    planted[24][3] = "达到"  # line 26: good, for a rate the plan states as 均达到
    planted.append(rows[9])  # line 202 repeats line 11, the same value
    planted.append([*rows[10][:3], "42"])  # line 203 repeats line 12, another value
    path = write_rows(tmp_path / "planted.csv", planted)

    expected = ([6, 7, 8], [202, 203])
    assert qcheck_findings(targets, path) == expected
    assert peer_findings(tool, targets, path) == expected


YEARS = {"year": "20x0", "early year": "1999", "late year": "2101"}
VALUES = ("text", "empty", "not finite", "negative", "other kind", "too high", "fraction")
SPOILS = (*YEARS, "indicator", "region", *VALUES)


def spoil(rules: Any, row: list[str], how: str) -> list[str]:
    """Return ``row`` made bad in one of the ways qcheck refuses."""
    indicator, year, region, value = row
    if how == "indicator":
        indicator = "no_such_indicator"
    elif how in YEARS:
        year = YEARS[how]
    elif how == "region":
        region = "r9999"
    else:
        value = bad_value(rules, indicator, how)
    return [indicator, year, region, value]


def bad_value(rules: Any, indicator: str, how: str) -> str:
    """Return a value ``indicator`` cannot take, of the kind ``how`` names where it applies."""
    if indicator in rules.yes_no:
        return {"empty": "", "other kind": "95"}.get(how, "不知道")
    if how == "too high":  # a count with decimals, a percentage over 100, infinity
        if indicator in rules.whole:
            return "10.5"
        return "120" if rules.maximum[indicator] == 100 else "inf"
    if how == "fraction":  # 0.9 for 90%, where a plausible range refuses it
        return "0.9" if rules.minimum[indicator] > 1 else "-0.5"
    if how == "other kind":  # a met / not met answer, which some numeric targets take
        return "不知道" if indicator in rules.either else "达到"
    return {"text": "abc", "empty": "", "not finite": "nan", "negative": "-1"}[how]


def good_value(rules: Any, indicator: str) -> str:
    """Return a value every target of ``indicator``'s kind takes."""
    if indicator in rules.yes_no:
        return "未达到"
    return "150" if indicator in rules.whole else "99.5"


@settings(max_examples=12, deadline=None)
@given(
    spoiled=st.dictionaries(st.integers(0, 89), st.sampled_from(SPOILS), max_size=12),
    repeated=st.lists(st.tuples(st.integers(0, 89), st.booleans()), max_size=6),
)
def test_the_peers_agree_with_qcheck_on_any_spoiled_rows(
    province: tuple[Path, list[list[str]]],
    tmp_path_factory: pytest.TempPathFactory,
    spoiled: Mapping[int, str],
    repeated: list[tuple[int, bool]],
) -> None:
    """Bad rows of every kind, and repeats (with the same value or another) of good rows."""
    targets, rows = province
    rules = peers.Rules.read(targets)
    report = [spoil(rules, row, spoiled[n]) if n in spoiled else row for n, row in enumerate(rows)]
    for n, same in repeated:
        if n not in spoiled:
            indicator, year, region, value = rows[n]
            report.append(
                [indicator, year, region, value if same else good_value(rules, indicator)]
            )
    path = write_rows(tmp_path_factory.mktemp("spoiled") / "spoiled.csv", report)
    expected = qcheck_findings(targets, path)
    assert len(expected[0]) == len(spoiled), "each spoiled row is refused"
    for tool in INSTALLED:
        assert peer_findings(tool, targets, path) == expected, tool


def test_the_command_prints_the_counts_and_first_lines_as_json(
    province: tuple[Path, list[list[str]]], tmp_path: Path
) -> None:
    targets, rows = province
    path = write_rows(tmp_path / "rows.csv", [*rows, rows[0], ["pm10", "2020", "", "x"]])
    script = REPO_ROOT / "benchmarks/peers.py"
    output = subprocess.run(
        [sys.executable, str(script), "pyarrow.compute", str(targets), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(output) == {
        "tool": "pyarrow.compute",
        "bad_rows": 1,
        "duplicates": 1,
        "first_bad_rows": [203],
        "first_duplicates": [202],
    }


def test_findings_list_the_first_hundred_lines_of_each() -> None:
    summary = peers.Findings(range(2, 502), [7]).summary("polars")
    assert summary["bad_rows"] == 500
    assert summary["first_bad_rows"] == list(range(2, 102))
    assert summary["first_duplicates"] == [7]


def test_peers_needs_the_bench_extra_and_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = find_spec
    monkeypatch.setattr(
        "importlib.util.find_spec", lambda name, *rest: None if name == "polars" else real(name)
    )
    monkeypatch.setattr(bench, "DATA", tmp_path / "data")
    monkeypatch.setattr(sys, "argv", ["run.py", "--quick", "--peers"])
    with pytest.raises(SystemExit) as stop:
        bench.main()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    # Here polars is made to be missing; the others are missing where the extra is not installed.
    peers = ("frictionless", "pandas", "polars")
    missing = [name for name in peers if name == "polars" or real(name) is None]
    assert f"--peers needs {', '.join(peers)}; not installed: {', '.join(missing)}." in err
    assert 'pip install -e ".[bench]"' in err
    assert not (tmp_path / "data").exists(), "refused before any input is written"


def test_peers_run_in_the_rounds_beside_the_floor_of_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--quick --peers with fake clocks: qcheck 0.2 s, every peer and floor 0.1 s."""
    recorded = fake_harness(monkeypatch, tmp_path / "data")
    monkeypatch.setattr(bench, "missing_peers", list)
    monkeypatch.setattr(sys, "argv", ["run.py", "--quick", "--peers", "--seed", "7"])
    bench.main()
    out = capsys.readouterr().out
    calls = [command for command, _ in recorded]

    # Five figures, their floors, two references; qcheck and a floor for 10k and 1M rows; four
    # peers on each of the three files.
    jobs = 5 + 5 + 2 + 2 * 2 + 4 * 3
    assert len(calls) == jobs * (1 + 5), "a warm-up round, then five rounds"
    rounds = [calls[n : n + jobs] for n in range(0, len(calls), jobs)]
    assert all(sorted(order) == sorted(rounds[0]) for order in rounds)
    script = str(bench.HERE / "peers.py")
    peer_runs = {(command[2], Path(command[4]).name) for command in rounds[0] if script in command}
    assert {tool for tool, _ in peer_runs} == set(peers.CHECKS)
    assert {name for _, name in peer_runs} == {
        "rows-10000.csv",
        "rows-100000.csv",
        "rows-1000000.csv",
    }
    lines = out.splitlines()
    header = next(line for line in lines if line.split()[:2] == ["rows", "csv.reader"])
    assert header.split()[2:] == ["qcheck", "frictionless", "pandas", "pyarrow.compute", "polars"]
    matrix = lines[lines.index(header) + 2 : lines.index(header) + 5]
    assert [line.split() for line in matrix] == [
        [f"{size:,}", "0.100", "s", "2.00x", "1.00x", "1.00x", "1.00x", "1.00x"]
        for size in (10_000, 100_000, 1_000_000)
    ]
    goal = next(line for line in lines if line.startswith("1,000,000 rows against polars"))
    assert goal.split()[-3:] == ["2.00x", "1.00x", "NO"], "qcheck must beat polars"
    shown = next(line for line in lines if line.startswith("100,000 rows, polars "))
    assert shown.split()[-2:] == ["1.00x", "-"], "a peer has no goal of its own"
