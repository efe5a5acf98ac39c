"""Messages on stderr: input problems and rows no target used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from qcheck.cli.app import error_console

if TYPE_CHECKING:
    from qcheck.evaluation import Report
    from qcheck.i18n import Lang
    from qcheck.problems import Problem

DEFAULT_MAX_ERRORS = 100
MAX_ERRORS_KEY = "qcheck.max_errors"
STRICT_KEY = "qcheck.strict"
LANG_KEY = "qcheck.lang"


def _meta(key: str, default: object) -> object:
    context = click.get_current_context(silent=True)
    return context.meta.get(key, default) if context else default


def say(key: str, **params: object) -> str:
    """Return a message on stderr in the language of the running command."""
    from qcheck.i18n import label

    lang: Lang = "zh" if _meta(LANG_KEY, "en") == "zh" else "en"
    return label(lang, key, **params)


def show_problems(
    problems: Sequence[Problem],
    *,
    omitted: int = 0,
    omitted_errors: int = 0,
    verdict: bool = True,
) -> None:
    """Print problems to stderr, errors first, at most --max-errors of them."""
    if not problems and not omitted:
        return
    from qcheck.renderers.base import shown_problems

    limit = _meta(MAX_ERRORS_KEY, DEFAULT_MAX_ERRORS)
    lang = str(_meta(LANG_KEY, "en"))
    console = error_console()
    if not isinstance(limit, int):
        limit = DEFAULT_MAX_ERRORS
    shown, more = shown_problems(problems, limit, omitted=omitted)
    for problem in shown:
        style = "red" if problem.severity == "error" else "yellow"
        line = f"{say(problem.severity)}: {problem.describe(lang)}"
        console.print(line, style=style, markup=False)
    if more:
        console.print(say("more", count=more), markup=False)
    errors = sum(problem.severity == "error" for problem in problems) + omitted_errors
    if not verdict:
        return
    if errors:
        console.print(say("errors", count=errors), style="bold red", markup=False)
    elif problems and _meta(STRICT_KEY, False):
        console.print(say("strict"), style="bold red", markup=False)


def show_unused(reports: Sequence[Report], *, limit: int = 5) -> None:
    """Tell the user about rows no target used, so that no figure is ignored silently."""
    if not any(report.unused_count for report in reports):
        return
    console = error_console()
    for report in reports:
        current = [m for m in report.unused if m.year == report.year]
        other_years = report.unused_count - report.unused_this_year
        if current:
            line = say("unused", count=report.unused_this_year, year=report.year)
            console.print(line, style="yellow", markup=False)
        for measurement in current[:limit]:
            origin = measurement.origin
            row = say("row", row=origin.row) if origin.row is not None else ""
            line = say(
                "unused_row",
                source=origin.source,
                row=row,
                indicator=measurement.indicator,
                region=measurement.region or say("city"),
            )
            console.print(line, markup=False)
        if report.unused_this_year > min(limit, len(current)):
            more = report.unused_this_year - min(limit, len(current))
            console.print(say("more", count=more), markup=False)
        if other_years:
            console.print(say("other_years", count=other_years, year=report.year), markup=False)
