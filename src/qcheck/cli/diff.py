"""The body of the diff command: read two JSON reports, say what changed, exit 1 if worse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, cast

import click

from qcheck.cli.app import EXIT_BAD_INPUT
from qcheck.cli.messages import BadValue, note, say, show_problems
from qcheck.cli.request import Output
from qcheck.cli.streams import error_console
from qcheck.diff import Diff, DiffFailOn, compare, report_sides
from qcheck.formats import DIFF_FORMATS, DIFF_SUFFIX_FORMATS, OutputFormat
from qcheck.loaders.files import STDIN, STDIN_SOURCE
from qcheck.loaders.reports import read_report
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import InputError, Problem
from qcheck.renderers.base import Renderer
from qcheck.renderers.diff import DiffRenderer
from qcheck.writing import refuse_inputs, withdraw


@dataclass(frozen=True)
class DiffOutput(Output):
    """Where a diff goes: standard output and files, in the formats of ``qcheck diff``."""

    registry: ClassVar[tuple[OutputFormat, ...]] = DIFF_FORMATS
    suffixes: ClassVar[dict[str, str]] = DIFF_SUFFIX_FORMATS


def compare_reports(
    ctx: click.Context, /, *, old: str, new: str, fail_on: DiffFailOn, **options: str
) -> None:
    """Run qcheck diff: compare the reports, write every output, exit 1 if one got worse."""
    if old == new == STDIN:  # standard input can be read once
        raise BadValue("diff_stdin_twice", param_hint="'NEW'")
    output = DiffOutput(**options)  # type: ignore[arg-type]
    inputs = [Path(source) for source in (old, new) if source != STDIN]
    stdin = STDIN_SOURCE if STDIN in (old, new) else None
    refuse_inputs(output.outputs, inputs, stdin=stdin)
    if stdin is None:
        withdraw(output.outputs)  # no output keeps an earlier diff if this one fails
    diff = _diff(old, new)
    _unmatched(diff)
    # The units' names are the built-in catalogue's: a report names its units by id alone.
    catalogue = load_catalogue()
    output.emit(lambda renderer: _diff_renderer(renderer).render_diff(diff, catalogue))
    ctx.exit(diff.exit_code(fail_on))


def _diff(old: str, new: str) -> Diff:
    """Return what changed; list every problem of both files (exit 2) if they cannot be compared."""
    documents: dict[str, object] = {}
    problems: list[Problem] = []
    for source in (old, new):
        try:
            documents[source] = read_report(source)
        except InputError as error:
            problems += error.problems
    try:
        if not problems:
            return compare(documents[old], documents[new], old_source=old, new_source=new)
        for source, document in documents.items():  # the other file's problems are said too
            report_sides(document, source)
    except InputError as error:
        problems += error.problems
    show_problems(problems, verdict=False)
    files = len(dict.fromkeys(problem.source for problem in problems))
    error_console().print(say("diff.unusable", count=files), style="bold red", markup=False)
    raise click.exceptions.Exit(EXIT_BAD_INPUT)


def _unmatched(diff: Diff) -> None:
    """Warn of reports matching none in the other file; exit 2 if no report matched at all."""
    unmatched = len(diff.added) + len(diff.removed)
    if not unmatched:
        return
    if not diff.reports:
        error_console().print(
            say("diff.unmatched_all", old=diff.old, new=diff.new), style="bold red", markup=False
        )
        raise click.exceptions.Exit(EXIT_BAD_INPUT)
    note("diff.unmatched", count=unmatched)


def _diff_renderer(renderer: Renderer) -> DiffRenderer:
    """Return a renderer of DIFF_FORMATS as what it is: each has render_diff."""
    return cast("DiffRenderer", renderer)
