"""Paths and helpers shared by the command-line and renderer tests."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from qcheck.catalogue import Catalogue
from qcheck.cli import main
from qcheck.formats import BOM
from qcheck.renderers.csv import COLUMNS, headers
from qcheck.verdicts import Status
from qcheck.words import Lang

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


def csv_records(
    text: str, lang: Lang = "en", columns: Sequence[str] = COLUMNS
) -> list[dict[str, str]]:
    """Return the rows of a CSV qcheck wrote, each keyed by its column's key (status, id …).

    The text may start with the BOM; its header must be the words of ``columns`` in ``lang``.
    """
    reader = csv.reader(io.StringIO(text.removeprefix(BOM)))
    assert next(reader) == headers(lang, columns)
    return [dict(zip(columns, row, strict=True)) for row in reader]


def as_file(output_format: str, printed: str) -> str:
    """Return what a file in ``output_format`` holds where standard output printed ``printed``.

    A CSV file starts with the BOM, for a spreadsheet; standard output that is not a file
    (a terminal, a pipe, a test's capture) gets none.
    """
    return BOM + printed if output_format == "csv" else printed
