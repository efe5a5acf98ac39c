"""Paths and helpers shared by the command-line and renderer tests."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from datetime import datetime
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


def shown_text(rendered: str | bytes) -> str:
    """Return what an output shows as text: a workbook's cells, sheet by sheet, row by row.

    The time a workbook was made (a date cell) is left out, so that two runs compare equal.
    """
    if isinstance(rendered, str):
        return rendered
    from openpyxl import load_workbook

    lines = []
    for sheet in load_workbook(io.BytesIO(rendered)).worksheets:
        lines.append(f"[{sheet.title}]")
        for row in sheet.iter_rows(values_only=True):
            kept = ["" if v is None else str(v) for v in row if not isinstance(v, datetime)]
            lines.append("\t".join(kept).rstrip("\t"))
    return "\n".join(lines) + "\n"


def shown_stdout(result: Result) -> str:
    """Return what a run printed, as text: a workbook (its bytes begin as a zip's) as its cells."""
    if result.stdout_bytes.startswith(b"PK\x03\x04"):
        return shown_text(result.stdout_bytes)
    return result.stdout


def written(path: Path) -> str | bytes:
    """Return an output file as its format is written: a workbook's bytes, else its text."""
    if path.suffix.lower() == ".xlsx":
        return path.read_bytes()
    return path.read_text(encoding="utf-8")  # lines end in \n, as a test's standard output


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
