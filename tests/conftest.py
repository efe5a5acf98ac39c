"""Shared fixtures: the embedded catalogue and builders that go through real validation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

import pytest

from qcheck.catalogue import Catalogue
from qcheck.loaders.targets import load_catalogue
from qcheck.measurements import Measurement, RawRecord
from qcheck.problems import Problem
from qcheck.rows import validate_records
from tests.helpers import REPO_ROOT, without_plausible_ranges

#: The order of the cells in a row tuple: ``(indicator, value, year, region, unit, note)``.
#: Trailing cells may be left out; a left-out cell is absent from the record, as in YAML.
ROW_FIELDS = ("indicator", "value", "year", "region", "unit", "note")
SOURCE = "report.csv"
#: Row numbers as a CSV reader gives them: the header is row 1, so data starts at row 2.
FIRST_ROW = 2
DEFAULT_YEAR = 2020

Row = tuple[object, ...]
Validated = tuple[list[Measurement], list[Problem]]


class Validate(Protocol):
    """Validate row tuples against the embedded catalogue; return measurements and problems."""

    def __call__(
        self,
        *rows: Row,
        default_year: int = DEFAULT_YEAR,
        headers: Mapping[str, str] | None = None,
    ) -> Validated: ...


class Measure(Protocol):
    """Validate row tuples that must be valid; return the measurements (warnings allowed)."""

    def __call__(self, *rows: Row) -> list[Measurement]: ...


def make_records(
    rows: Iterable[Row],
    *,
    source: str = SOURCE,
    headers: Mapping[str, str] | None = None,
    first_row: int = FIRST_ROW,
) -> list[RawRecord]:
    """Build raw records from row tuples, numbered from ``first_row``.

    ``headers`` maps a field to the column header as written (e.g. ``{"value": "数值"}``);
    other fields are written with their canonical name.
    """
    records = []
    for offset, row in enumerate(rows):
        if len(row) > len(ROW_FIELDS):
            raise ValueError(f"a row has at most {len(ROW_FIELDS)} cells: {row!r}")
        cells = dict(zip(ROW_FIELDS[: len(row)], row, strict=True))
        written = {name: name for name in cells}
        written.update({name: header for name, header in (headers or {}).items() if name in cells})
        records.append(
            RawRecord(source=source, row=first_row + offset, cells=cells, headers=written)
        )
    return records


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def unguarded() -> Catalogue:
    """Return the embedded catalogue without plausible ranges: figures as their unit allows."""
    return without_plausible_ranges(load_catalogue())


def _validator(catalogue: Catalogue) -> Validate:
    def run(
        *rows: Row,
        default_year: int = DEFAULT_YEAR,
        headers: Mapping[str, str] | None = None,
    ) -> Validated:
        return validate_records(
            make_records(rows, headers=headers), catalogue=catalogue, default_year=default_year
        )

    return run


@pytest.fixture(scope="session")
def validate(catalogue: Catalogue) -> Validate:
    return _validator(catalogue)


@pytest.fixture(scope="session")
def validate_unguarded(unguarded: Catalogue) -> Validate:
    """Validate against the catalogue without plausible ranges, as a plan may state none."""
    return _validator(unguarded)


@pytest.fixture(scope="session")
def measure(validate: Validate) -> Measure:
    def run(*rows: Row) -> list[Measurement]:
        measurements, problems = validate(*rows)
        errors = [problem.describe() for problem in problems if problem.severity == "error"]
        assert not errors, errors
        return measurements

    return run


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test as outside GitHub Actions, even where the suite runs under it.

    Its variables change what the github format writes and where the step summary goes.
    """
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as in a step of GitHub Actions, whose runner reads workflow commands."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")


@pytest.fixture
def cli_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root with no colour, language or width settings from outside."""
    monkeypatch.chdir(REPO_ROOT)
    _plain_environment(monkeypatch)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty temporary directory with no colour, language or width settings."""
    monkeypatch.chdir(tmp_path)
    _plain_environment(monkeypatch)
    return tmp_path


def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (
        "NO_COLOR",
        "FORCE_COLOR",
        "QCHECK_LANG",
        "QCHECK_DEBUG",
        "LC_ALL",
        "LC_MESSAGES",
    ):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")
