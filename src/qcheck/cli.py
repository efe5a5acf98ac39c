"""The command line: parse options, call the core, print, and map outcomes to exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from qcheck import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from qcheck.catalogue import Catalogue
    from qcheck.evaluation import Report
    from qcheck.i18n import Lang
    from qcheck.loaders.files import ReadOptions
    from qcheck.problems import Problem
    from qcheck.renderers.base import Renderer

EXIT_OK = 0
EXIT_NOT_MET = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
LANG_CHOICES = ("zh", "en")
DEFAULT_MAX_ERRORS = 100
MAX_ERRORS_KEY = "qcheck.max_errors"
STRICT_KEY = "qcheck.strict"

F = TypeVar("F", bound=Callable[..., Any])


def default_lang() -> str:
    """Chinese when the locale is Chinese, English otherwise (QCHECK_LANG overrides)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def error_console() -> Console:
    """Return a console on stderr for messages (created per call so tests can capture it)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class QcheckGroup(click.Group):
    """A group that turns every qcheck error into a message and an exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map input errors to exit 2 and anything unexpected to exit 3."""
        from qcheck.problems import InputError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except InputError as error:
            show_problems(error.problems)
            ctx.exit(EXIT_BAD_INPUT)
        except Exception as error:  # noqa: BLE001 - the last resort that keeps tracebacks from users
            console = error_console()
            if ctx.params.get("debug"):
                console.print_exception()
            console.print(
                f"qcheck: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in qcheck; run again with --debug for the traceback and report it.",
                markup=False,
            )
            ctx.exit(EXIT_INTERNAL)


def show_problems(problems: Sequence[Problem], *, limit: int | None = None) -> None:
    """Print problems to stderr, errors first, at most ``limit`` (default: --max-errors)."""
    from qcheck.renderers.base import shown_problems

    if limit is None:
        context = click.get_current_context(silent=True)
        limit = (
            context.meta.get(MAX_ERRORS_KEY, DEFAULT_MAX_ERRORS) if context else DEFAULT_MAX_ERRORS
        )
    console = error_console()
    shown, more = shown_problems(problems, limit)
    for problem in shown:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(f"{problem.severity}: {problem.describe()}", style=style, markup=False)
    if more:
        console.print(f"... and {more} more", markup=False)
    errors = sum(problem.severity == "error" for problem in problems)
    if errors:
        noun = "error" if errors == 1 else "errors"
        console.print(
            f"qcheck: {errors} {noun} in the input; nothing was evaluated. Fix them and run again.",
            style="bold red",
            markup=False,
        )
    elif problems and context_strict():
        console.print(
            "qcheck: warnings count as errors with --strict; nothing was evaluated.",
            style="bold red",
            markup=False,
        )


def context_strict() -> bool:
    """Whether the running command was given --strict."""
    context = click.get_current_context(silent=True)
    return bool(context and context.meta.get(STRICT_KEY))


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
                f"  {origin.source}{row}: {measurement.indicator}, {region}",
                markup=False,
            )
        if len(current) > limit:
            console.print(f"  ... and {len(current) - limit} more", markup=False)
        if other_years:
            console.print(
                f"note: {other_years} row(s) for other years were not needed by any rule "
                f"for {report.year}; --format json lists them under unused_rows",
                markup=False,
            )


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """Store an option's value where the error handler of the group can read it."""

    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        ctx.meta[key] = value
        return value

    return callback


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from qcheck.loaders.encoding import known_encoding

    if value is None:
        return None
    try:
        known_encoding(value)
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {value!r} (try utf-8, gb18030 or utf-16)"
        ) from None
    return value


def input_options(command: F) -> F:
    """Options shared by the commands that read measurement files."""
    decorators = [
        click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option(
            "--targets",
            "targets_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Targets YAML file. Default: the catalogue built into qcheck.",
        ),
        click.option(
            "--year",
            type=click.IntRange(2000, 2100),
            help="Year to evaluate; rows without a year count for it. "
            "Default: the plan's target year (2020).",
        ),
        click.option(
            "--lang",
            type=click.Choice(LANG_CHOICES),
            default=default_lang,
            envvar="QCHECK_LANG",
            show_default="zh on a Chinese locale, else en",
            help="Language of the report.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "json"]),
            default="table",
            show_default=True,
            help="Output format: a table for people, JSON for machines.",
        ),
        click.option(
            "--encoding",
            callback=_encoding,
            help="Text encoding of CSV/YAML files. Default: detected "
            "(UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16 with BOM).",
        ),
        click.option("--sheet", help="Worksheet to read from .xlsx files. Default: the first."),
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
            "--strict",
            is_flag=True,
            callback=_remember(STRICT_KEY),
            help="Treat warnings (unknown columns, repeated rows, likely fractions) as errors.",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@click.group(cls=QcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="qcheck")
@click.option(
    "--debug", is_flag=True, envvar="QCHECK_DEBUG", help="Show tracebacks of internal errors."
)
def main(debug: bool) -> None:
    """Check reported figures against Zhangye City's 2020 quality targets.

    \b
    Examples:
      qcheck evaluate report.csv
      qcheck evaluate county-*.csv --format json > result.json
      qcheck evaluate report.yaml --lang en --fail-on missing
      qcheck validate report.xlsx

    Exit codes: 0 all targets met, 1 a target not met (or missing with
    --fail-on missing), 2 unusable input or usage, 3 internal error.
    """


@main.command()
@input_options
@click.option(
    "--fail-on",
    type=click.Choice(["fail", "missing", "never"]),
    default="fail",
    show_default=True,
    help="Exit 1 when a target is not met (fail), also when one lacks data (missing), or never.",
)
@click.pass_context
def evaluate(ctx: click.Context, /, fail_on: str, **options: Any) -> None:
    """Evaluate measurement files (CSV, Excel .xlsx or YAML) against the targets.

    Several files are merged into one dataset, e.g. one file per county.

    \b
    Examples:
      qcheck evaluate samples/report-2020-all-met.csv
      qcheck evaluate samples/city-2020.csv samples/counties/*.csv --lang en
      qcheck evaluate report.xlsx --sheet 2020年 --format json
      qcheck evaluate report.csv --year 2019 --targets my-targets.yaml
    """
    from qcheck.evaluation import evaluate as evaluate_targets
    from qcheck.evaluation import exit_code_for
    from qcheck.loaders.files import check_files
    from qcheck.loaders.targets import load_targets
    from qcheck.problems import InputError

    request = _Request(**options)
    catalogue = load_targets(request.targets_path)
    year = request.evaluated_year(catalogue)
    measurements, validation = check_files(
        request.files, catalogue=catalogue, default_year=year, options=request.read_options()
    )
    if not validation.is_valid(strict=request.strict):
        if request.output_format == "json":
            # A CI job parsing stdout gets the problems as a document, not an empty stream.
            limit = request.max_errors
            _print(
                request.renderer().render_validation(
                    validation, strict=request.strict, limit=limit
                ),
                request,
            )
        raise InputError(list(validation.problems))
    report = evaluate_targets(
        catalogue=catalogue,
        measurements=measurements,
        year=year,
        sources=[str(path) for path in request.files],
        problems=validation.problems,
    )
    show_problems(validation.problems)
    show_unused([report])
    _print(request.renderer().render([report]), request)
    ctx.exit(exit_code_for([report], fail_on=fail_on))  # type: ignore[arg-type]


@main.command()
@input_options
@click.pass_context
def validate(ctx: click.Context, /, **options: Any) -> None:
    """Check measurement files without evaluating them: exit 0 if usable, 2 if not.

    Every file is read and every row checked; all problems are listed.

    \b
    Examples:
      qcheck validate report.csv
      qcheck validate counties/*.xlsx --format json
      qcheck validate report.csv --strict      # warnings count as errors
    """
    from qcheck.loaders.files import check_files
    from qcheck.loaders.targets import load_targets

    request = _Request(**options)
    catalogue = load_targets(request.targets_path)
    _, validation = check_files(
        request.files,
        catalogue=catalogue,
        default_year=request.evaluated_year(catalogue),
        options=request.read_options(),
    )
    text = request.renderer().render_validation(
        validation, strict=request.strict, limit=request.max_errors
    )
    _print(text, request)
    ctx.exit(EXIT_OK if validation.is_valid(strict=request.strict) else EXIT_BAD_INPUT)


@dataclass(frozen=True)
class _Request:
    """The options shared by the commands that read measurement files."""

    files: tuple[Path, ...]
    targets_path: Path | None
    year: int | None
    lang: Lang
    output_format: str
    encoding: str | None
    sheet: str | None
    max_bytes: int
    max_errors: int
    strict: bool

    def evaluated_year(self, catalogue: Catalogue) -> int:
        """Return the year to evaluate: --year (not before the plan starts), else its end."""
        if self.year is None:
            return int(catalogue.plan.target_year)
        if self.year < catalogue.plan.start_year:
            raise click.BadParameter(
                f"the plan runs from {catalogue.plan.start_year}; {self.year} is before it",
                param_hint="'--year'",
            )
        return self.year

    def read_options(self) -> ReadOptions:
        from qcheck.loaders.files import ReadOptions

        return ReadOptions(encoding=self.encoding, sheet=self.sheet, max_bytes=self.max_bytes)

    def renderer(self) -> Renderer:
        from qcheck.renderers import renderer_for

        color, width = _terminal() if self.output_format == "table" else (False, 0)
        return renderer_for(self.output_format, lang=self.lang, color=color, width=width)


def _print(text: str, request: _Request) -> None:
    color = request.output_format == "table" and _terminal()[0]
    click.echo(text, nl=False, color=color)


def _terminal() -> tuple[bool, int]:
    """Return whether stdout takes colour, and the width to render tables at."""
    from rich.console import Console

    console = Console(file=sys.stdout)
    if console.is_terminal:
        return not console.no_color and console.color_system is not None, console.width
    columns = os.environ.get("COLUMNS", "")
    return False, int(columns) if columns.isdigit() else 120
