"""The evaluate and validate commands."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

import click

from qcheck.cli.app import EXIT_BAD_INPUT, EXIT_OK, error_console, main
from qcheck.cli.messages import LISTED_KEY, say, show_problems, show_unused
from qcheck.cli.options import input_options

if TYPE_CHECKING:
    from pathlib import Path

    from qcheck.catalogue import Catalogue
    from qcheck.cli.request import Request
    from qcheck.evaluation import Report
    from qcheck.problems import Problem
    from qcheck.rows import CellVerdicts
    from qcheck.validation import Validation

T = TypeVar("T")
PROGRESS_FROM = 20  # inputs; fewer finish before a progress bar would help


@main.command()
@input_options
@click.option(
    "--fail-on",
    type=click.Choice(["fail", "missing", "never"]),
    default="fail",
    show_default=True,
    help="Exit 1 when a target is not met (fail), also when one lacks data (missing), or never.",
)
@click.option(
    "--each",
    is_flag=True,
    help="Evaluate every file as a report of its own, then show a summary matrix. "
    "Default: merge all files into one dataset.",
)
@click.pass_context
def evaluate(ctx: click.Context, /, fail_on: str, each: bool, **options: Any) -> None:
    """Evaluate reports (CSV, Excel, YAML, Parquet, Arrow; folders; - for stdin) against targets.

    Several files are merged into one dataset (six counties may send six files),
    unless --each is given.

    \b
    Examples:
      qcheck evaluate samples/report-2020-all-met.csv
      qcheck evaluate samples/city-2020.csv samples/counties/ --lang en
      qcheck evaluate submissions/ --each --format markdown
      qcheck evaluate report.xlsx --sheet 2020年 -o result.json -o junit.xml
      cat report.csv | qcheck evaluate - --format json
    """
    from qcheck.cli.request import Request
    from qcheck.evaluation import exit_code_for
    from qcheck.problems import InputError
    from qcheck.rows import CellVerdicts
    from qcheck.validation import Validation

    request = Request(**options)
    paths, folder_problems = _inputs(request)
    catalogue = _targets(request)
    year = request.evaluated_year(catalogue)
    groups = [[path] for path in paths] if each else ([paths] if paths else [])
    # One failed input per entry a folder problem names (an empty folder, an unreadable
    # entry, a report in a foreign format), however many problems it has.
    by_source: dict[str, list[Problem]] = {}
    for problem in folder_problems:
        by_source.setdefault(problem.source, []).append(problem)
    unread_inputs = [
        Validation(sources=(source,), rows=0, measurements=0, problems=tuple(problems))
        for source, problems in by_source.items()
    ]
    reports: list[Report] = []
    failures: list[Validation] = []
    verdicts = CellVerdicts()
    # A folder's problem fails a merged run: the files are still read, for their problems.
    run_fails = bool(unread_inputs) and not each
    for group in _with_progress(groups, label="qcheck"):
        outcome = _evaluate_group(group, request, catalogue, year, verdicts, run_fails=run_fails)
        if isinstance(outcome, Validation):
            failures.append(outcome)
        else:
            reports.append(outcome)
    failures += unread_inputs
    if failures and not each:
        problems = [problem for failure in failures for problem in failure.problems]
        _emit_validation(request, _merge(failures))
        raise InputError(
            problems,
            omitted_errors=sum(f.omitted_errors for f in failures),
            omitted=sum(f.omitted for f in failures),
        )
    for report in reports:
        show_problems(report.problems, omitted=report.omitted_problems)
    for failure in failures:
        show_problems(failure.problems, omitted=failure.omitted, verdict=False)
    show_unused(reports)
    if failures:
        total = len(groups) + len(unread_inputs)
        message = say("inputs_failed", failed=len(failures), total=total)
        error_console().print(message, style="bold red", markup=False)
    request.emit(lambda renderer: renderer.render(reports, failures, limit=request.max_errors))
    code = exit_code_for(reports, fail_on=fail_on)  # type: ignore[arg-type]
    ctx.exit(EXIT_BAD_INPUT if failures else code)


@main.command()
@input_options
@click.pass_context
def validate(ctx: click.Context, /, **options: Any) -> None:
    """Check reports without evaluating them: exit 0 if usable, 2 if not.

    Every file is read and every row checked; all problems are listed.

    \b
    Examples:
      qcheck validate report.csv
      qcheck validate submissions/ --format json
      qcheck validate report.csv --strict      # warnings count as errors
    """
    from qcheck.cli.request import Request
    from qcheck.loaders.files import check_files

    request = Request(**options)
    paths, folder_problems = _inputs(request)
    catalogue = _targets(request)
    year = request.evaluated_year(catalogue)
    dataset, validation = check_files(
        paths, catalogue=catalogue, default_year=year, options=request.read_options()
    )
    if not validation.error_count:
        # Rows no rule reads are found by evaluating; validate lists them as evaluate would.
        from qcheck.evaluation import evaluate as evaluate_targets

        report = evaluate_targets(catalogue=catalogue, measurements=dataset, year=year)
        validation = _with_unused_rows(validation, report)
    if folder_problems:
        unread = dict.fromkeys(problem.source for problem in folder_problems)
        validation = replace(
            validation,
            sources=(*validation.sources, *unread),
            problems=(*validation.problems, *folder_problems),
        )
    _emit_validation(request, validation)
    ctx.exit(EXIT_OK if validation.is_valid(strict=request.strict) else EXIT_BAD_INPUT)


def _inputs(request: Request) -> tuple[list[Path], list[Problem]]:
    """Return the files to read and the problems of the folders named; claim the outputs.

    A folder's problems are those of expand_inputs: it holds no report, an entry cannot be
    read, a report is in a format qcheck does not read.
    """
    from qcheck.loaders.files import expand_inputs

    paths, folder_problems = expand_inputs(request.inputs)
    request.claim_outputs(paths)
    return paths, folder_problems


def _targets(request: Request) -> Catalogue:
    """Load the targets; if they are unusable, every output says so before the error is raised."""
    from qcheck.loaders.targets import load_targets
    from qcheck.problems import TargetsError
    from qcheck.validation import Validation

    try:
        return load_targets(request.targets_path)
    except TargetsError as error:
        sources = tuple(dict.fromkeys(problem.source for problem in error.problems))
        invalid = Validation(sources=sources, rows=0, measurements=0, problems=(*error.problems,))
        _emit_validation(request, invalid)
        raise


def _emit_validation(request: Request, validation: Validation) -> None:
    """Write a validation to standard output and every --output, in the format of each.

    When the input is unusable, this is what every output gets: none may keep the verdict of
    an earlier run. On a terminal the problems are then listed once, not again on stderr.
    """
    from qcheck.cli.request import on_one_terminal

    request.emit(
        lambda renderer: renderer.render_validation(
            validation, strict=request.strict, limit=request.max_errors
        )
    )
    if on_one_terminal():
        click.get_current_context().meta[LISTED_KEY] = True


def _evaluate_group(
    group: list[Path],
    request: Request,
    catalogue: Catalogue,
    year: int,
    verdicts: CellVerdicts,
    *,
    run_fails: bool = False,
) -> Report | Validation:
    """Evaluate one group of files as one dataset, or return why it could not be.

    ``run_fails``: the run fails whatever the group holds; return its validation, as validate
    would.
    """
    from qcheck.evaluation import evaluate as evaluate_targets
    from qcheck.loaders.files import check_files

    dataset, validation = check_files(
        group,
        catalogue=catalogue,
        default_year=year,
        options=request.read_options(),
        verdicts=verdicts,
    )
    if not validation.is_valid(strict=request.strict):
        return validation
    report = evaluate_targets(
        catalogue=catalogue,
        measurements=dataset,
        year=year,
        sources=validation.sources,
        sheets=validation.sheets,
        problems=validation.problems,
        omitted_problems=validation.omitted,
    )
    if run_fails or (request.strict and report.unused_this_year):
        return _with_unused_rows(validation, report)
    return report


def _with_unused_rows(validation: Validation, report: Report) -> Validation:
    """Return the validation with a warning for each row no rule read in the report's year."""
    from qcheck.evaluation import unused_row_problems

    unused, more = unused_row_problems(report)
    return replace(
        validation,
        problems=(*validation.problems, *unused),
        omitted_warnings=validation.omitted_warnings + more,
    )


def _merge(validations: Sequence[Validation]) -> Validation:
    """Return one validation holding the sources, counts and problems of several."""
    from qcheck.validation import Validation

    return Validation(
        sources=tuple(source for v in validations for source in v.sources),
        rows=sum(v.rows for v in validations),
        measurements=sum(v.measurements for v in validations),
        problems=tuple(problem for v in validations for problem in v.problems),
        omitted_errors=sum(v.omitted_errors for v in validations),
        omitted_warnings=sum(v.omitted_warnings for v in validations),
        sheets={source: sheet for v in validations for source, sheet in v.sheets.items()},
    )


def _with_progress(items: Sequence[T], *, label: str) -> Iterator[T]:
    """Yield items, with a progress bar on stderr when there are many and it is a terminal."""
    console = error_console() if len(items) >= PROGRESS_FROM else None
    if console is None or not console.is_terminal:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=label, console=console, transient=True)
