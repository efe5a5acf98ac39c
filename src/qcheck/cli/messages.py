"""Messages on stderr: input problems and rows no target used."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

import click

from qcheck.cli.lang import requested_lang
from qcheck.cli.streams import error_console
from qcheck.problems import shown_problems
from qcheck.words import LANGS, SOURCE, Lang, click_message, label, labelled

if TYPE_CHECKING:
    from qcheck.problems import Problem

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
    lang = _meta(LANG_KEY, None)
    if isinstance(lang, str) and lang in LANGS:
        return lang
    args = _meta(ARGS_KEY, sys.argv[1:])  # before Click ran: this process's command line
    return requested_lang(args if isinstance(args, list) else ())


def say(key: str, **params: object) -> str:
    """Return a message on stderr in the language of the running command."""
    return label(say_lang(), key, **params)


def note(key: str, **params: object) -> None:
    """Tell the user, on standard error, something that changes no verdict."""
    error_console().print(say(key, **params), style="yellow", markup=False)


class BadValue(click.BadParameter):
    """A bad value for an option: the words ``key`` (shown in the user's language)."""

    def __init__(self, key: str, *, param_hint: str | None = None, **params: object) -> None:
        super().__init__(label(SOURCE, key, **params), param_hint=param_hint)
        self.key = key
        self.params = params


class TranslatedUsageError(click.UsageError):
    """A usage error, Click's or qcheck's, shown in another language than Click's own."""

    def __init__(self, error: click.UsageError, lang: Lang) -> None:
        own = None
        if isinstance(error, BadValue):
            own = {error.message: label(lang, error.key, **error.params)}
        super().__init__(click_message(lang, error.format_message(), own), error.ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        """Print what Click prints for a usage error: usage, where help is, what is wrong."""
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
        line = labelled(lang, problem.severity, problem.describe(lang))
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
