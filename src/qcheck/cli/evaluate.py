"""The bodies of the evaluate and validate commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from qcheck.catalogue import Catalogue
from qcheck.cli.app import EXIT_BAD_INPUT, EXIT_OK
from qcheck.cli.groups import Group, LaidYear, given, in_plan, laid_out, refuse_with_layout
from qcheck.cli.jobs import default_jobs, in_order
from qcheck.cli.messages import LISTED_KEY, BadValue, note, say, say_lang, show_problems
from qcheck.cli.request import Request, on_one_terminal, plan_year, read_as_stream
from qcheck.cli.streams import error_console
from qcheck.dataset import Dataset
from qcheck.evaluation import Report, Result, exit_code_for, unused_row_problems, unused_why
from qcheck.evaluation import evaluate as evaluate_targets
from qcheck.loaders.digests import digests as sha256_digests
from qcheck.loaders.files import (
    check_files,
    cycle_collector_paused,
    expand_inputs,
    input_name,
)
from qcheck.loaders.targets import load_catalogue
from qcheck.loaders.waivers import load_waivers
from qcheck.places import place_name
from qcheck.problems import InputError, Problem
from qcheck.renderers.base import Rendered, Renderer, once_each
from qcheck.rows import CellVerdicts
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.waivers import Waiver, apply_waivers, told_once

T = TypeVar("T")
PROGRESS_FROM = 20  # inputs; fewer finish before a progress bar would help


def evaluate_reports(
    ctx: click.Context,
    /,
    *,
    fail_on: str,
    each: bool,
    jobs: int | None,
    options: dict[str, Any],
    years: tuple[int, ...] | None = None,
) -> None:
    """Run qcheck evaluate: judge the reports, write every output, exit with the verdict.

    With ``years`` (--years), the inputs are judged once for each of those years, as --year
    would judge them, and the outputs show a trend.
    """
    request = Request(**options)
    # Claimed first: a usage error must not leave an earlier run's verdict in an --output.
    paths, folder_problems, laid = _inputs(request)
    if laid is not None:
        refuse_with_layout(ctx, each=each, years=years is not None)
    if years is not None and request.year is not None and given(ctx, "year"):
        raise BadValue("years_with_year", param_hint="'--years'")
    if years is not None and each:
        raise BadValue("years_with_each", param_hint="'--years'")
    catalogue = _targets(request)
    if years is not None:
        years = tuple(plan_year(catalogue, year, option="--years") for year in years)
    year = years[0] if years else request.evaluated_year(catalogue)
    waivers = _refused_if_unusable(request, lambda: load_waivers(request.waiver_paths()))
    several = each or laid is not None  # reports of their own, not one merged dataset
    if laid is not None:
        groups, folder_problems = in_plan(
            laid, catalogue, folder_problems, reports=str(request.layout)
        )
    elif each:
        groups = [Group((path,), year) for path in paths]
    else:
        groups = [Group(tuple(paths), year)] if paths else []
    # One failed input per entry a folder problem names (an empty folder, an unreadable
    # entry, a report in a foreign format), however many problems it has.
    by_source: dict[str, list[Problem]] = {}
    for problem in folder_problems:
        by_source.setdefault(problem.source, []).append(problem)
    unread_inputs = [
        Validation(sources=(source,), rows=0, measurements=0, problems=tuple(problems))
        for source, problems in by_source.items()
    ]
    # A folder's problem fails a merged run: the files are still read, for their problems.
    judge = _Judge(request, catalogue, run_fails=bool(unread_inputs) and not several)
    judge.waivers, judge.today = waivers, today()
    if years is None:
        reports, failures, parts = _judge_all(groups, judge, jobs=jobs if several else 1)
    else:
        reports, failures = _judge_years(groups, judge, years)
        parts = []
    failures += unread_inputs
    if failures and not several:
        problems = [problem for failure in failures for problem in failure.problems]
        _emit_validation(request, _merge(failures))
        raise InputError(
            problems,
            omitted_errors=sum(f.omitted_errors for f in failures),
            omitted=sum(f.omitted for f in failures),
        )
    # The years, or the files of --each, share the waivers: a warning about one is told once.
    for report in told_once(_problems_once(reports), waivers):
        show_problems(report.problems, omitted=report.omitted_problems)
    for failure in failures:
        show_problems(failure.problems, omitted=failure.omitted, verdict=False)
    show_unused(reports)
    if failures:
        total = len(groups) + len(unread_inputs)
        key = "inputs_failed" if reports else "inputs_failed_all"
        message = say(key, failed=len(failures), total=total)
        error_console().print(message, style="bold red", markup=False)

    def render(renderer: Renderer) -> Rendered:
        if years is not None:
            return renderer.render_trend(Trend(tuple(reports)), limit=request.max_errors)
        for report, made in parts:
            if type(renderer) in made:
                renderer.reuse(report, made[type(renderer)])
        return renderer.render(reports, failures, limit=request.max_errors)

    document = None
    if request.writes_documents() and reports:
        document = _document(request, groups, judge, reports, failures, years=years, each=several)
    with cycle_collector_paused():
        request.emit(render, document)
    code = exit_code_for(reports, fail_on=fail_on)  # type: ignore[arg-type]
    ctx.exit(EXIT_BAD_INPUT if failures else code)


def _document(
    request: Request,
    groups: list[Group],
    judge: _Judge,
    reports: list[Report],
    failures: list[Validation],
    *,
    years: tuple[int, ...] | None,
    each: bool,
) -> Callable[[Renderer], Rendered]:
    """Return how a document (HTML, a workbook) renders the run.

    Each report carries its inputs' SHA-256, so that a printed copy can be traced to its
    files. A single year's report comes with the plan's years before it, judged on the same
    inputs as --years would judge them, so that its charts show progress.
    """
    digests = sha256_digests(
        path for group in groups for path in group.paths if not read_as_stream(path)
    )
    traced = [
        replace(report, digests={s: digests[s] for s in report.sources if s in digests})
        for report in reports
    ]
    limit = request.max_errors
    if years is not None:
        return lambda renderer: renderer.render_trend(Trend(tuple(traced)), limit=limit)
    if each:
        return lambda renderer: renderer.render(traced, failures, limit=limit)
    earlier = _earlier_years(list(groups[0].paths), judge, traced[0])
    history = Trend((*earlier, traced[0]), history=True)
    return lambda renderer: renderer.render_trend(history, limit=limit)


def _earlier_years(group: list[Path], judge: _Judge, report: Report) -> tuple[Report, ...]:
    """Return the reports of the plan's years before ``report``'s, on the same inputs.

    They are for charts only: what they would warn of is left out, as the run was asked
    about ``report``'s year (a waiver for that year is not "unused" in an earlier one, and
    the inputs' own problems are ``report``'s already). None if an input is a stream (it
    cannot be read again) or an earlier year cannot be judged (--strict refusing a year's
    unused rows, say): a trend with a year left out would show a change that was not there.
    """
    years = tuple(range(judge.catalogue.plan.start_year, report.year))
    if not years:
        return ()
    if any(read_as_stream(path) for path in group):
        note("trend_left_out_stream", year=report.year)
        return ()
    outcomes = judge.each_year(group, years)
    if len(outcomes) != len(years) or not all(isinstance(o, Report) for o in outcomes):
        # The years are judged in order up to the first that cannot be.
        judged = zip(years, outcomes, strict=False)
        refused = next((year for year, o in judged if not isinstance(o, Report)), years[-1])
        note("trend_left_out_year", year=refused)
        return ()
    return tuple(
        replace(o, problems=(), omitted_problems=0, unused=(), unused_count=0, unused_this_year=0)
        for o in outcomes
        if isinstance(o, Report)
    )


def validate_reports(ctx: click.Context, /, *, options: dict[str, Any]) -> None:
    """Run qcheck validate: read and check the reports, write every output, exit 0 or 2.

    With --layout, each year's folder is checked as one dataset, for its year.
    """
    request = Request(**options)
    paths, folder_problems, laid = _inputs(request)
    if laid is not None:
        refuse_with_layout(ctx)
    catalogue = _targets(request)
    if laid is None:
        groups = [Group(tuple(paths), request.evaluated_year(catalogue))]
    else:
        groups, folder_problems = in_plan(
            laid, catalogue, folder_problems, reports=str(request.layout)
        )
    validation = _merge([_validated(request, catalogue, group) for group in groups])
    if folder_problems:
        unread = dict.fromkeys(problem.source for problem in folder_problems)
        validation = replace(
            validation,
            sources=(*validation.sources, *unread),
            problems=(*validation.problems, *folder_problems),
        )
    _emit_validation(request, validation)
    ctx.exit(EXIT_OK if validation.is_valid(strict=request.strict) else EXIT_BAD_INPUT)


def _validated(request: Request, catalogue: Catalogue, group: Group) -> Validation:
    """Return what reading and checking a group's files for its year found."""
    dataset, validation = check_files(
        list(group.paths),
        catalogue=catalogue,
        default_year=group.year,
        options=request.read_options(),
    )
    if validation.error_count:
        return validation
    # Rows no rule reads are found by evaluating; validate lists them as evaluate would.
    report = evaluate_targets(catalogue=catalogue, measurements=dataset, year=group.year)
    return _with_unused_rows(validation, report)


def _inputs(request: Request) -> tuple[list[Path], list[Problem], list[LaidYear] | None]:
    """Return the files to read and the problems of the folders named; claim the outputs.

    A folder's problems are those of expand_inputs: it holds no report, an entry cannot be
    read, a report is in a format qcheck does not read. With --layout, also return each
    year's folder with its files (else None).
    """
    # A waivers file in a folder is not a report; one that is not read is an error (None:
    # --no-waivers ignores them all).
    read = None if request.no_waivers else request.waiver_paths()
    laid: list[LaidYear] | None = None
    if request.layout is None:
        paths, folder_problems = expand_inputs(request.inputs, waivers=read)
    else:
        laid, folder_problems = laid_out(request, read)
        paths = [path for year in laid for path in year.files]
    request.claim_outputs(paths)
    request.refuse_binary_on_terminal()
    return paths, folder_problems, laid


def _targets(request: Request) -> Catalogue:
    """Load the targets; if they are unusable, every output says so before the error is raised."""
    return _refused_if_unusable(request, lambda: load_catalogue(request.targets_path))


def _refused_if_unusable(request: Request, load: Callable[[], T]) -> T:
    """Return what ``load`` reads; if it is unusable, every output says so before it is raised."""
    try:
        return load()
    except InputError as error:
        sources = tuple(dict.fromkeys(problem.source for problem in error.problems))
        invalid = Validation(sources=sources, rows=0, measurements=0, problems=(*error.problems,))
        _emit_validation(request, invalid)
        raise


def today() -> date:
    """Return the local date, against which waivers expire."""
    return date.today()


def _emit_validation(request: Request, validation: Validation) -> None:
    """Write a validation to standard output and every --output, in the format of each.

    When the input is unusable, this is what every output gets: none may keep the verdict of
    an earlier run. On a terminal the problems are then listed once, not again on stderr.
    """
    request.emit(
        lambda renderer: renderer.render_validation(
            validation, strict=request.strict, limit=request.max_errors
        )
    )
    if on_one_terminal():
        click.get_current_context().meta[LISTED_KEY] = True


# What the outputs say of a report alone, made in a worker process, by kind of renderer.
Parts = dict[type["Renderer"], str]


class _Judge:
    """Evaluates one group of files of a run as one dataset, or says why it could not be.

    Made once per run; a worker process gets its own copy, and with it its own record of the
    cells judged so far (which is not sent to it). With ``parts``, it also makes each report's
    parts of the outputs (see Renderer.part): a worker so takes that work off the main process.
    """

    def __init__(self, request: Request, catalogue: Catalogue, *, run_fails: bool) -> None:
        self.request = request
        self.catalogue = catalogue
        self.run_fails = run_fails  # the run fails whatever the group holds: return a validation
        self.options = request.read_options()
        self.parts = False
        self.waivers: tuple[Waiver, ...] = ()
        self.today = date.min
        self._verdicts: CellVerdicts | None = None
        self._renderers: list[Renderer] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_verdicts": None, "_renderers": None}

    def __call__(self, group: Group) -> tuple[Report | Validation, Parts]:
        """Return the group's report (or its validation if it is not evaluated), and its parts."""
        outcome = self._evaluate(group)
        if isinstance(outcome, Validation) or not self.parts:
            return outcome, {}
        if self._renderers is None:
            self._renderers = [self.request.renderer(kind) for kind in self.request.formats()]
        made = ((type(renderer), renderer.part(outcome)) for renderer in self._renderers)
        parts = {kind: part for kind, part in made if part is not None}
        if len(parts) == len(self._renderers):
            outcome = _verdicts_only(outcome)
        return outcome, parts

    def _evaluate(self, group: Group) -> Report | Validation:
        if self._verdicts is None:
            self._verdicts = CellVerdicts()
        dataset, validation = check_files(
            list(group.paths),
            catalogue=self.catalogue,
            default_year=group.year,
            options=self.options,
            verdicts=self._verdicts,
        )
        judged = self._judged(dataset, validation, group.year)
        if isinstance(judged, Report) and group.folder is not None:
            judged = replace(judged, folder=group.folder)
        return judged

    def each_year(self, group: list[Path], years: tuple[int, ...]) -> list[Report | Validation]:
        """Return the group's report for each year, or the validation of a year it fails.

        The files are read once, for the first year. Only if a row left its year blank, so
        that it counts for each year judged, are they read again for each other year (a
        stream, which cannot be read twice, is then refused).
        """
        verdicts = CellVerdicts()
        catalogue = self.catalogue
        dataset, validation = check_files(
            group,
            catalogue=catalogue,
            default_year=years[0],
            options=self.options,
            keep_all=len(years) > 1,
            verdicts=verdicts,
        )
        judged = [(validation, self._report(dataset, validation, years[0]))]
        if isinstance(judged[0][1], Validation) or len(years) == 1:
            return self._refused_each(judged)
        rows = dataset.everything or []
        read_again = verdicts.took_default_year() is not False
        if read_again and (stream := next((p for p in group if read_as_stream(p)), None)):
            raise BadValue("years_stream", param_hint="'--years'", source=input_name(stream))
        for year in years[1:]:
            if read_again:
                dataset, validation = check_files(
                    group, catalogue=catalogue, default_year=year, options=self.options
                )
            else:
                dataset = Dataset.of(catalogue, rows, year=year)
            judged.append((validation, self._report(dataset, validation, year)))
            if isinstance(judged[-1][1], Validation):
                break
        return self._refused_each(judged)

    def _refused_each(
        self, judged: list[tuple[Validation, Report | Validation]]
    ) -> list[Report | Validation]:
        """Return each year's report, its waivers' warnings told once, or why it is refused.

        A waiver is unused only if no year used it: whether --strict refuses a year's report
        for a waiver's warning is decided after every year is judged.
        """
        reports = told_once([r for _, r in judged if isinstance(r, Report)], self.waivers)
        told = iter(reports)
        return [
            self._refused(validation, next(told)) if isinstance(report, Report) else report
            for validation, report in judged
        ]

    def _judged(self, dataset: Dataset, validation: Validation, year: int) -> Report | Validation:
        """Return the report on a dataset read for ``year``, or its validation if it fails."""
        report = self._report(dataset, validation, year)
        return report if isinstance(report, Validation) else self._refused(validation, report)

    def _report(self, dataset: Dataset, validation: Validation, year: int) -> Report | Validation:
        """Return the report on a dataset read for ``year``, waivers applied; or its validation.

        The validation when the input is not valid.
        """
        request, catalogue = self.request, self.catalogue
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
        return apply_waivers(report, self.waivers, today=self.today)

    def _refused(self, validation: Validation, report: Report) -> Report | Validation:
        """Return the report, or the validation with its warnings when the run refuses it."""
        about_waivers = report.problems[len(validation.problems) :]
        if self.run_fails or (self.request.strict and (report.unused_this_year or about_waivers)):
            # --strict refuses a waiver's warnings as it does the input's.
            return _with_unused_rows(replace(validation, problems=report.problems), report)
        return report


def _verdicts_only(report: Report) -> Report:
    """Return the report with only the verdicts of its results, not their working.

    When a worker has written a report's part of every output, the main process reads no more
    of it than this (the verdicts, the warnings, the rows no rule read), and it need not be
    sent the rest: reading the working back costs the main process more than the worker.
    """
    verdicts = tuple(
        Result(target=result.target, status=result.status, year=result.year)
        for result in report.results
    )
    return replace(report, results=verdicts)


def _judge_all(
    groups: list[Group], judge: _Judge, *, jobs: int | None
) -> tuple[list[Report], list[Validation], list[tuple[Report, Parts]]]:
    """Evaluate every group, in ``jobs`` processes (None: as many as pay); keep their order.

    Return the reports, the validations of the groups that could not be evaluated, and the
    parts of the outputs made beside the reports. Standard input and other streams are read
    here: a worker could not read them.
    """
    local = [any(read_as_stream(path) for path in group.paths) for group in groups]
    if jobs is None:
        jobs = default_jobs(local.count(False))
    judge.parts = jobs > 1
    outcomes = in_order(
        groups,
        judge,
        jobs=jobs,
        shared=(judge.catalogue, *judge.catalogue.targets),
        local=local,
    )
    reports: list[Report] = []
    failures: list[Validation] = []
    parts: list[tuple[Report, Parts]] = []
    # Paused for the whole run, as while reading: judging makes no reference cycles either,
    # and each pass of the collector would walk every report kept so far.
    with cycle_collector_paused():
        for outcome, made in _with_progress(outcomes, len(groups), label="qcheck"):
            if isinstance(outcome, Validation):
                failures.append(outcome)
            else:
                reports.append(outcome)
                parts.append((outcome, made))
    return reports, failures, parts


def _judge_years(
    groups: list[Group], judge: _Judge, years: tuple[int, ...]
) -> tuple[list[Report], list[Validation]]:
    """Evaluate the one group of a run for each year: the reports, and any validation failed."""
    outcomes = judge.each_year(list(groups[0].paths), years) if groups else []
    reports = [outcome for outcome in outcomes if isinstance(outcome, Report)]
    failures = [outcome for outcome in outcomes if isinstance(outcome, Validation)]
    return reports, failures


def _problems_once(reports: Sequence[Report]) -> list[Report]:
    """Return the reports of several years with each warning about the input in one of them."""
    kept = once_each(report.problems for report in reports)
    return [
        replace(report, problems=problems) for report, problems in zip(reports, kept, strict=True)
    ]


def _with_unused_rows(validation: Validation, report: Report) -> Validation:
    """Return the validation with a warning for each row no rule read in the report's year."""
    unused, more = unused_row_problems(report)
    return replace(
        validation,
        problems=(*validation.problems, *unused),
        omitted_warnings=validation.omitted_warnings + more,
    )


def _merge(validations: Sequence[Validation]) -> Validation:
    """Return one validation holding the sources, counts and problems of several."""
    return Validation(
        sources=tuple(source for v in validations for source in v.sources),
        rows=sum(v.rows for v in validations),
        measurements=sum(v.measurements for v in validations),
        problems=tuple(problem for v in validations for problem in v.problems),
        omitted_errors=sum(v.omitted_errors for v in validations),
        omitted_warnings=sum(v.omitted_warnings for v in validations),
        sheets={source: sheet for v in validations for source, sheet in v.sheets.items()},
    )


def _with_progress(items: Iterable[T], total: int, *, label: str) -> Iterator[T]:
    """Yield items, with a progress bar on stderr when there are many and it is a terminal."""
    console = error_console() if total >= PROGRESS_FROM else None
    if console is None or not console.is_terminal:
        yield from items
        return
    from rich.progress import track  # only with a progress bar: 12 ms more than rich's console

    yield from track(items, total=total, description=label, console=console, transient=True)


def show_unused(reports: Sequence[Report], *, limit: int = 5) -> None:
    """Tell the user about rows no target used, so that no figure is ignored silently."""
    if not any(report.unused_count for report in reports):
        return
    console = error_console()
    for report in reports:
        current = [m for m in report.unused if m.year == report.year]
        other_years = report.unused_count - report.unused_this_year
        if current:
            note("unused", count=report.unused_this_year, year=report.year)
        for measurement in current[:limit]:
            origin = measurement.origin
            row = say("row", row=origin.row) if origin.row is not None else ""
            line = say(
                "unused_row",
                source=origin.source,
                row=row,
                indicator=measurement.indicator,
                region=place_name(report.catalogue, measurement.region, say_lang()),
                why=say(
                    "unused_why_" + unused_why(report.catalogue, measurement, report.year),
                    year=report.year,
                ),
            )
            console.print(line, markup=False)
        if report.unused_this_year > min(limit, len(current)):
            more = report.unused_this_year - min(limit, len(current))
            console.print(say("more", count=more), markup=False)
        if other_years:
            console.print(say("other_years", count=other_years, year=report.year), markup=False)
