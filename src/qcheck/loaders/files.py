"""Read measurement files of any supported format and validate them into one dataset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qcheck.catalogue import Catalogue
from qcheck.loaders.csv_file import read_csv
from qcheck.loaders.encoding import decode
from qcheck.loaders.yaml_file import read_yaml
from qcheck.measurements import Measurement, RawRecord, validate_records
from qcheck.problems import InputError, Problem
from qcheck.validation import Validation

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
YAML_SUFFIXES = (".yaml", ".yml")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How to read input files: a forced text encoding, a sheet name, a size limit."""

    encoding: str | None = None
    sheet: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def _problem(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    return InputError([Problem(source=source, code=code, message=message, hint=hint)])


def read_records(
    path: Path, options: ReadOptions = ReadOptions()
) -> tuple[list[RawRecord], list[Problem]]:
    """Read one file into raw records, by its suffix; raise InputError if it cannot be read."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + YAML_SUFFIXES + EXCEL_SUFFIXES:
        hint = "save it as .xlsx or CSV UTF-8" if suffix in (".xls", ".et", ".ods") else None
        raise _problem(
            source,
            "unsupported-format",
            f"qcheck does not read {suffix or 'files without a suffix'} files",
            hint or "save the report as .csv, .xlsx or .yaml",
        )
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise _problem(
                source,
                "too-large",
                f"the file has {size:,} bytes, over the limit of {options.max_bytes:,}",
                "split the report, or raise the limit with --max-bytes",
            )
        if suffix in EXCEL_SUFFIXES:
            from qcheck.loaders.excel import read_excel

            return read_excel(path, sheet=options.sheet)
        data = path.read_bytes()
    except OSError as error:
        raise _problem(source, "unreadable", error.strerror or str(error)) from None
    text, _ = decode(data, source=source, encoding=options.encoding)
    if suffix in YAML_SUFFIXES:
        return read_yaml(text, source=source)
    return read_csv(text, source=source)


def check_files(
    paths: Iterable[Path],
    *,
    catalogue: Catalogue,
    default_year: int,
    options: ReadOptions = ReadOptions(),
) -> tuple[list[Measurement], Validation]:
    """Read and validate every file as one dataset; return the measurements and what was found."""
    paths = list(paths)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            file_records, file_problems = read_records(path, options)
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
    validation = Validation(
        sources=tuple(str(path) for path in paths),
        rows=len(records),
        measurements=len(measurements),
        problems=tuple(problems + row_problems),
    )
    return measurements, validation


def load_measurements(
    paths: Iterable[Path],
    *,
    catalogue: Catalogue,
    default_year: int,
    options: ReadOptions = ReadOptions(),
    strict: bool = False,
) -> tuple[list[Measurement], list[Problem]]:
    """Read and validate every file; raise InputError listing every problem if any is an error.

    With ``strict``, warnings count as errors.
    """
    measurements, validation = check_files(
        paths, catalogue=catalogue, default_year=default_year, options=options
    )
    if not validation.is_valid(strict=strict):
        raise InputError(list(validation.problems))
    return measurements, list(validation.problems)
