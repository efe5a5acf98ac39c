"""Read measurement files of any supported format and validate them into one dataset."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from qcheck.catalogue import Catalogue
from qcheck.loaders.csv_file import decode, read_csv
from qcheck.loaders.yaml_file import read_yaml
from qcheck.measurements import Measurement, RawRecord, validate_records
from qcheck.problems import InputError, Problem

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
YAML_SUFFIXES = (".yaml", ".yml")


def read_records(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Read one file into raw records, by its suffix; raise InputError if it cannot be read."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + YAML_SUFFIXES:
        raise InputError(
            [
                Problem(
                    source=source,
                    code="unsupported-format",
                    message=f"qcheck does not read {suffix or 'files without a suffix'}",
                    hint="save the report as .csv or .yaml",
                )
            ]
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            [Problem(source=source, code="unreadable", message=error.strerror or str(error))]
        ) from None
    text = decode(data, source=source)
    if suffix in YAML_SUFFIXES:
        return read_yaml(text, source=source)
    return read_csv(text, source=source)


def load_measurements(
    paths: Iterable[Path], *, catalogue: Catalogue, default_year: int
) -> tuple[list[Measurement], list[Problem]]:
    """Read and validate every file as one dataset; raise InputError listing every error."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            file_records, file_problems = read_records(path)
        except InputError as error:
            problems += error.problems
            continue
        if not file_records and not any(p.severity == "error" for p in file_problems):
            file_problems.append(
                Problem(
                    source=str(path), code="no-data", message="the file has no measurement rows"
                )
            )
        records += file_records
        problems += file_problems
    measurements, row_problems = validate_records(
        records, catalogue=catalogue, default_year=default_year
    )
    problems += row_problems
    if any(problem.severity == "error" for problem in problems):
        raise InputError(problems)
    return measurements, problems
