"""Paths and helpers shared by the command-line and renderer tests."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from qcheck.catalogue import Catalogue
from qcheck.cli import main
from qcheck.verdicts import Status

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SIX_REGIONS = ("ganzhou", "linze", "gaotai", "shandan", "minle", "sunan")


def assert_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with tests/golden/NAME; QCHECK_UPDATE_GOLDEN=1 rewrites the file."""
    path = GOLDEN / name
    if os.environ.get("QCHECK_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs; rerun with QCHECK_UPDATE_GOLDEN=1 if intended"


def run_cli(args: Sequence[str], **env: str) -> Result:
    """Run the qcheck command line in-process, with extra environment variables."""
    return CliRunner().invoke(main, list(args), env=env or None)


def without_plausible_ranges(catalogue: Catalogue) -> Catalogue:
    """Return ``catalogue`` with no target's plausible range, as a targets file may leave out."""
    document = catalogue.model_dump(exclude_unset=True)
    for target in document["targets"]:
        target.pop("plausible", None)
    return Catalogue.model_validate(document)


def json_summary(total: int, **counts: int) -> dict[str, int]:
    """Return a JSON report's summary: ``total`` and the counts given, every other status 0."""
    return {"total": total, **{status.value: counts.get(status.value, 0) for status in Status}}
