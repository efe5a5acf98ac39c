"""Options shared by commands, the request they make up, and where output goes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from qcheck.cli.config import CONFIG_OPTION, settings_of
from qcheck.cli.lang import default_lang
from qcheck.cli.messages import (
    DEFAULT_MAX_ERRORS,
    LANG_KEY,
    MAX_ERRORS_KEY,
    STRICT_KEY,
    BadValue,
)
from qcheck.formats import DEFAULT_FORMAT, FORMATS, SUFFIX_FORMATS, SUFFIX_HELP, format_of_path
from qcheck.loaders.encoding import known_encoding
from qcheck.loaders.formats import STDIN_FORMATS
from qcheck.words import LANGS, Listed

F = TypeVar("F", bound=Callable[..., Any])
LANG_CHOICES = LANGS  # a language for each table of qcheck.lang
# Below this many inputs the workers cost more than they save: on 2 cores, two processes were
# faster than one from about 160 small files, when the second core was free (see docs/commands.md).
JOBS_FROM = 160
# Help is shown without loading a catalogue; a test keeps the year in step with the built-in one.
YEAR_DEFAULT = "Default: the plan's target year (2020 in the built-in catalogue)."


def apply(command: F, decorators: list[Callable[[F], F]]) -> F:
    """Apply decorators in reading order."""
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """Store an option's value where the group's error handler can read it."""

    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        ctx.meta[key] = value
        return value

    return callback


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        known_encoding(value)
    except LookupError:
        raise BadValue("unknown_encoding", name=value) from None
    return value


def suffix_check(
    suffixes: dict[str, str],
) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], tuple[str, ...]]:
    """Return a callback refusing an --output whose suffix names none of ``suffixes``' formats."""

    def callback(
        _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
    ) -> tuple[str, ...]:
        for path in value:
            if format_of_path(path, suffixes) is None:
                raise BadValue("unknown_suffix", path=str(path), suffixes=Listed(suffixes))
        return value

    return callback


def format_option(formats: tuple[str, ...], default: str) -> Callable[[F], F]:
    """Return the --format option, choosing one of ``formats`` for standard output."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="Format of standard output.",
    )


def fail_on_option(choices: tuple[str, ...], default: str, help: str) -> Callable[[F], F]:
    """Return a --fail-on option: which results make the command exit 1."""
    return click.option(
        "--fail-on", type=click.Choice(choices), default=default, show_default=True, help=help
    )


def output_option(suffixes: dict[str, str], suffix_help: str, *, what: str) -> Callable[[F], F]:
    """Return the --output option: files to write ``what`` to, in the formats of ``suffixes``."""
    return click.option(
        "--output",
        "-o",
        "outputs",
        multiple=True,
        type=click.Path(dir_okay=False, writable=True),
        callback=suffix_check(suffixes),
        help=f"Also write the {what} to this file, in the format its suffix names "
        f"({suffix_help}). Repeatable.",
    )


_YEAR_ITEM = re.compile(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?")


def parse_years(text: str) -> tuple[int, ...]:
    """Return the years ``--years`` names, earliest first: 2018-2020, 2019 or 2018,2020.

    A usage error refuses anything else, and a range that runs backwards.
    """
    years: set[int] = set()
    for item in text.split(","):
        match = _YEAR_ITEM.fullmatch(item)
        if match is None:
            raise BadValue("years_format", value=text)
        first = int(match[1])
        last = first if match[2] is None else int(match[2])
        if last < first:
            raise BadValue("years_backwards", first=first, last=last)
        years.update(range(first, last + 1))
    return tuple(sorted(years))


def _years(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, ...] | None:
    return None if value is None else parse_years(value)


YEARS_OPTION = click.option(
    "--years",
    callback=_years,
    metavar="YEARS",
    help="Evaluate each of these years on the same inputs (2018-2020, 2019 or 2018,2020): a "
    "target × year matrix with each target's trend. Rows without a year count for each year. "
    "Not with --year or --each.",
)
TARGETS_OPTION = click.option(
    "--targets",
    "targets_path",
    type=click.Path(dir_okay=False),
    help="Targets YAML file. Default: the catalogue built into qcheck.",
)
# GitHub Actions names each step's summary file in this variable, and shows what it holds.
SUMMARY_FILE_OPTION = click.option(
    "--summary-file",
    metavar="PATH",
    envvar="GITHUB_STEP_SUMMARY",
    help="Append the Markdown report (what --format markdown writes) to this file, cut to "
    "GitHub's 1 MiB for a step's summary; earlier content is kept. "
    "Default: $GITHUB_STEP_SUMMARY, which GitHub Actions sets for each step.",
)
LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=default_lang,
    envvar="QCHECK_LANG",
    callback=_remember(LANG_KEY),
    show_default="zh on a Chinese locale, else en",
    help="Language of the output.",
)


def output_options(command: F) -> F:
    """Options choosing the output format, its language and extra files to write."""
    return apply(
        command,
        [
            LANG_OPTION,
            format_option(FORMATS, DEFAULT_FORMAT),
            output_option(SUFFIX_FORMATS, SUFFIX_HELP, what="result"),
        ],
    )


def input_options(command: F) -> F:
    """Options shared by the commands that read measurement files."""
    return apply(
        command,
        [
            CONFIG_OPTION,
            # Required, unless --layout names the reports folder (see laid_out).
            click.argument("inputs", nargs=-1, metavar="FILE|FOLDER|-..."),
            TARGETS_OPTION,
            click.option(
                "--year",
                type=click.IntRange(2000, 2100),
                help=f"Year to evaluate; rows without a year count for it. {YEAR_DEFAULT}",
            ),
            output_options,
            SUMMARY_FILE_OPTION,
            click.option(
                "--encoding",
                callback=_encoding,
                help="Text encoding of CSV/YAML files. Default: detected "
                "(UTF-8, UTF-8 with BOM, UTF-16, UTF-32, GBK/GB18030).",
            ),
            click.option(
                "--sheet",
                help="Worksheet to read from .xlsx files. Default: the first visible one.",
            ),
            click.option(
                "--stdin-format",
                type=click.Choice(STDIN_FORMATS),
                default="auto",
                show_default=True,
                help="Format of a report read from standard input (-), a pipe or a device "
                "(/dev/fd/N); auto: told by its suffix, else by its content.",
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(min=1),
                default=200 * 1024 * 1024,
                show_default="200 MiB",
                help="Refuse files larger than this many bytes.",
            ),
            click.option(
                "--max-errors",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_ERRORS,
                show_default=True,
                callback=_remember(MAX_ERRORS_KEY),
                help="List at most this many problems, then say how many more there are.",
            ),
            click.option(
                "--layout",
                is_flag=True,
                help="Read the inputs as a reports repository keeps them: a folder per year "
                "(reports/2020/, or as qcheck.toml's reports names), each one dataset judged "
                "for its year. A file given stands for its year's folder; none: every year.",
            ),
            click.option(
                "--strict",
                is_flag=True,
                callback=_remember(STRICT_KEY),
                help="Treat warnings (unknown columns, repeated rows, likely fractions) as errors.",
            ),
        ],
    )


def with_layout_folder(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """Return the options with --layout's reports folder (None without it).

    Refuse (a usage error) a command given no input without --layout, as Click would.
    """
    layout = options.pop("layout")
    if not options["inputs"] and not layout:
        inputs = next(param for param in ctx.command.params if param.name == "inputs")
        raise click.MissingParameter(ctx=ctx, param=inputs)
    return {**options, "layout": settings_of(ctx).reports_folder() if layout else None}
