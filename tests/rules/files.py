"""A targets file and a report of one target ``t`` on disk, and the commands run on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import Result

from tests.helpers import run_cli
from tests.rules.helpers import as_yaml


def write_files(
    folder: Path, rule: dict[str, Any], *, unit: str | None, report: str = ""
) -> tuple[str, str]:
    """Write the targets file of target ``t`` with ``rule`` and a CSV report; return both paths."""
    targets, csv = folder / "t.yaml", folder / "r.csv"
    targets.write_text(as_yaml(rule, unit=unit), encoding="utf-8")
    csv.write_text(report, encoding="utf-8")
    return str(targets), str(csv)


def check_targets(folder: Path, rule: dict[str, Any], *args: str, unit: str | None) -> Result:
    """Run ``qcheck targets --check`` on the targets file of target ``t`` with ``rule``."""
    targets, _ = write_files(folder, rule, unit=unit)
    return run_cli(["targets", "--check", targets, *args])


def evaluate(targets: str, report: str, year: int, *args: str) -> Result:
    """Run ``qcheck evaluate`` on a report for ``year``, with a table wide enough for any row."""
    command = ["evaluate", report, "--targets", targets, "--year", str(year), *args]
    return run_cli(command, COLUMNS="200")
