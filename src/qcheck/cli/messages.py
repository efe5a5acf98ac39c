"""Messages on stderr: input problems and rows no target used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from qcheck.cli.app import error_console

if TYPE_CHECKING:
    from qcheck.evaluation import Report
    from qcheck.problems import Problem

DEFAULT_MAX_ERRORS = 100
MAX_ERRORS_KEY = "qcheck.max_errors"
STRICT_KEY = "qcheck.strict"


def _meta(key: str, default: object) -> object:
    context = click.get_current_context(silent=True)
    return context.meta.get(key, default) if context else default


def show_problems(problems: Sequence[Problem], *, verdict: bool = True) -> None:
    """Print problems to stderr, errors first, at most --max-errors of them."""
    from qcheck.renderers.base import shown_problems

    limit = _meta(MAX_ERRORS_KEY, DEFAULT_MAX_ERRORS)
    console = error_console()
    shown, more = shown_problems(problems, limit if isinstance(limit, int) else DEFAULT_MAX_ERRORS)
    for problem in shown:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(f"{problem.severity}: {problem.describe()}", style=style, markup=False)
    if more:
        console.print(f"... and {more} more", markup=False)
    errors = sum(problem.severity == "error" for problem in problems)
    if not verdict:
        return
    if errors:
        noun = "error" if errors == 1 else "errors"
        console.print(
            f"qcheck: {errors} {noun} in the input; nothing was evaluated. Fix them and run again.",
            style="bold red",
            markup=False,
        )
    elif problems and _meta(STRICT_KEY, False):
        console.print(
            "qcheck: warnings count as errors with --strict; nothing was evaluated.",
            style="bold red",
            markup=False,
        )


def show_unused(reports: Sequence[Report], *, limit: int = 5) -> None:
    """Tell the user about rows no target used, so that no figure is ignored silently."""
    console = error_console()
    for report in reports:
        current = [m for m in report.unused if m.year == report.year]
        other_years = len(report.unused) - len(current)
        if current:
            console.print(
                f"warning: {len(current)} row(s) for {report.year} were read but used by no "
                "target (a county's figure for a target judged on the city-wide figure?):",
                style="yellow",
                markup=False,
            )
        for measurement in current[:limit]:
            origin = measurement.origin
            row = f" row {origin.row}" if origin.row is not None else ""
            region = measurement.region or "city-wide"
            console.print(
                f"  {origin.source}{row}: {measurement.indicator}, {region}", markup=False
            )
        if len(current) > limit:
            console.print(f"  ... and {len(current) - limit} more", markup=False)
        if other_years:
            console.print(
                f"note: {other_years} row(s) for other years were not needed by any rule "
                f"for {report.year}; --format json lists them under unused_rows",
                markup=False,
            )
