"""The Python API: the names README documents, and a start-up that imports nothing heavy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import qcheck
from qcheck import Status, evaluate, load_catalogue, load_measurements
from tests.helpers import SAMPLES

HEAVY = ("pydantic", "rich", "yaml", "openpyxl")


def test_readme_example() -> None:
    catalogue = load_catalogue()
    measurements, warnings = load_measurements(
        [SAMPLES / "report-2020-with-failures.csv"], catalogue=catalogue
    )
    report = evaluate(catalogue=catalogue, measurements=measurements, year=2020)
    assert warnings == []
    assert (report.summary.passed, report.summary.failed, report.summary.missing) == (10, 6, 2)
    statuses = {result.target.id: result.status for result in report.results}
    assert statuses["food_safety_pass_rate"] is Status.FAIL
    assert statuses["pm10_concentration"] is Status.FAIL  # 78 to 71: less than the 10% asked


def test_every_public_name_resolves() -> None:
    assert set(qcheck.__all__) == {"__version__", *qcheck._EXPORTS}
    for name in qcheck.__all__:
        assert getattr(qcheck, name) is not None


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        qcheck.nothing_here  # noqa: B018


def test_command_line_start_up_imports_nothing_heavy() -> None:
    code = (
        "import sys, qcheck.cli; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_a_usage_error_in_chinese_imports_nothing_heavy() -> None:
    # Its words come from qcheck.words, which needs no model (it cost 116 ms of Pydantic).
    code = (
        "import sys; sys.argv = ['qcheck', 'evaluate', 'x', '--nope', '--lang', 'zh']\n"
        "from qcheck.entry import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "--nope" in completed.stderr
    assert completed.stdout.strip() == "[]"


def test_a_dataset_is_evaluated_for_the_year_it_was_gathered_for(tmp_path: Path) -> None:
    from qcheck import check_files

    path = tmp_path / "r.csv"
    path.write_text(
        "indicator,year,value\nfood_safety_pass_rate,2020,97\nfood_safety_pass_rate,2019,95\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue()
    dataset, _ = check_files([path], catalogue=catalogue, default_year=2019)
    report = evaluate(catalogue=catalogue, measurements=dataset, year=2019)
    food = next(r for r in report.results if r.target.id == "food_safety_pass_rate")
    assert (food.status, food.value) == (Status.PASS, 95)
    with pytest.raises(ValueError, match="default_year=2020"):
        evaluate(catalogue=catalogue, measurements=dataset, year=2020)


def test_load_targets_is_a_deprecated_name_of_load_catalogue() -> None:
    with pytest.warns(DeprecationWarning, match="load_catalogue"):
        catalogue = qcheck.load_targets()
    assert catalogue == load_catalogue()
