"""The Python API: the names README documents, and a start-up that imports nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import pytest

import qcheck
from qcheck import Status, evaluate, load_measurements, load_targets
from tests.helpers import SAMPLES

HEAVY = ("pydantic", "rich", "yaml", "openpyxl")


def test_readme_example() -> None:
    catalogue = load_targets()
    measurements, warnings = load_measurements(
        [SAMPLES / "report-2020-with-failures.csv"], catalogue=catalogue
    )
    report = evaluate(catalogue=catalogue, measurements=measurements, year=2020)
    assert warnings == []
    assert (report.summary.passed, report.summary.failed, report.summary.missing) == (11, 5, 2)
    statuses = {result.target.id: result.status for result in report.results}
    assert statuses["food_safety_pass_rate"] is Status.FAIL


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
