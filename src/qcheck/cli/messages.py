"""Messages on stderr: input problems and rows no target used."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

import click

from qcheck.cli.app import error_console

if TYPE_CHECKING:
    from qcheck.evaluation import Report
    from qcheck.problems import Problem
    from qcheck.words import Lang

DEFAULT_MAX_ERRORS = 100
MAX_ERRORS_KEY = "qcheck.max_errors"
STRICT_KEY = "qcheck.strict"
LANG_KEY = "qcheck.lang"
ARGS_KEY = "qcheck.args"  # the command line as given, to find --lang when parsing failed
LISTED_KEY = "qcheck.listed"  # the problems are on the terminal already, in standard output


def _meta(key: str, default: object) -> object:
    context = click.get_current_context(silent=True)
    return context.meta.get(key, default) if context else default


def say_lang() -> Lang:
    """Return the language of the running command: --lang once read, else as it will be."""
    from qcheck.cli.app import requested_lang
    from qcheck.words import LANGS

    lang = _meta(LANG_KEY, None)
    if isinstance(lang, str) and lang in LANGS:
        return lang
    args = _meta(ARGS_KEY, sys.argv[1:])  # before Click ran: this process's command line
    return requested_lang(args if isinstance(args, list) else ())


def say(key: str, **params: object) -> str:
    """Return a message on stderr in the language of the running command."""
    from qcheck.words import label

    return label(say_lang(), key, **params)


class BadValue(click.BadParameter):
    """A bad value for an option: the words ``key`` (shown in the user's language)."""

    def __init__(self, key: str, *, param_hint: str | None = None, **params: object) -> None:
        from qcheck.words import SOURCE, label

        super().__init__(label(SOURCE, key, **params), param_hint=param_hint)
        self.key = key
        self.params = params


class TranslatedUsageError(click.UsageError):
    """A usage error, Click's or qcheck's, shown in another language than Click's own."""

    def __init__(self, error: click.UsageError, lang: Lang) -> None:
        from qcheck.words import click_message, label

        own = None
        if isinstance(error, BadValue):
            own = {error.message: label(lang, error.key, **error.params)}
        super().__init__(click_message(lang, error.format_message(), own), error.ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        """Print what Click prints for a usage error: usage, where help is, what is wrong."""
        from qcheck.words import label

        lang, lines = self.lang, []
        ctx = self.ctx
        if ctx is not None:
            pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
            lines.append(label(lang, "usage", command=ctx.command_path, pieces=pieces))
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                lines.append(label(lang, "try_help", command=ctx.command_path, option=option))
            lines.append("")
        lines.append(label(lang, "usage_error", message=self.message))
        click.echo("\n".join(lines), file=file, err=file is None)


def in_users_language(error: click.UsageError, lang: Lang) -> click.UsageError:
    """Return a usage error to show in ``lang`` (Click's own, in Click's language or for help)."""
    from qcheck.words import SOURCE

    if lang == SOURCE or isinstance(error, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        return error
    return TranslatedUsageError(error, lang)


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
    lang = say_lang()
    console = error_console()
    if not isinstance(limit, int):
        limit = DEFAULT_MAX_ERRORS
    shown, more = shown_problems(problems, limit, omitted=omitted)
    if _meta(LISTED_KEY, False):
        shown, more = [], 0
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
    from qcheck.evaluation import unused_why
    from qcheck.places import place_name

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
