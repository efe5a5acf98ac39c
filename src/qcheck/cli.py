"""The command line: parse options, call the core, print, and map outcomes to exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from qcheck import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from qcheck.evaluation import Report
    from qcheck.i18n import Lang
    from qcheck.problems import Problem

EXIT_OK = 0
EXIT_NOT_MET = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
LANG_CHOICES = ("zh", "en")
SHOWN_PROBLEMS = 100

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


def show_problems(problems: Sequence[Problem]) -> None:
    """Print problems to stderr, errors first, up to a limit."""
    console = error_console()
    errors = [problem for problem in problems if problem.severity == "error"]
    warnings = [problem for problem in problems if problem.severity == "warning"]
    for problem in [*errors, *warnings][:SHOWN_PROBLEMS]:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(f"{problem.severity}: {problem.describe()}", style=style, markup=False)
    hidden = len(errors) + len(warnings) - SHOWN_PROBLEMS
    if hidden > 0:
        console.print(f"... and {hidden} more", markup=False)
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        console.print(
            f"qcheck: {len(errors)} {noun} in the input; nothing was evaluated. "
            "Fix them and run again.",
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
                "target (a county's figure for a city-wide target?):",
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


def evaluation_options(command: F) -> F:
    """Options shared by commands that read measurements against a targets file."""
    decorators = [
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

    Exit codes: 0 all targets met, 1 a target not met (or missing with
    --fail-on missing), 2 unusable input or usage, 3 internal error.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@evaluation_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format: a table for people, JSON for machines.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["fail", "missing", "never"]),
    default="fail",
    show_default=True,
    help="Exit 1 when a target is not met (fail), also when one lacks data (missing), or never.",
)
@click.pass_context
def evaluate(
    ctx: click.Context,
    files: tuple[Path, ...],
    targets_path: Path | None,
    year: int | None,
    lang: Lang,
    output_format: str,
    fail_on: str,
) -> None:
    """Evaluate measurement files (CSV or YAML) against the targets.

    Several files are merged into one dataset, e.g. one file per county.

    \b
    Examples:
      qcheck evaluate samples/report-2020-all-met.csv
      qcheck evaluate samples/counties/*.csv --lang en
      qcheck evaluate report.csv --year 2019 --format json
      qcheck evaluate report.csv --targets my-targets.yaml
    """
    from qcheck.evaluation import evaluate as evaluate_targets
    from qcheck.evaluation import exit_code_for
    from qcheck.loaders.files import load_measurements
    from qcheck.loaders.targets import load_targets
    from qcheck.renderers import renderer_for

    catalogue = load_targets(targets_path)
    evaluated_year = year or catalogue.plan.target_year
    measurements, problems = load_measurements(
        files, catalogue=catalogue, default_year=evaluated_year
    )
    report = evaluate_targets(
        catalogue=catalogue,
        measurements=measurements,
        year=evaluated_year,
        sources=[str(path) for path in files],
        problems=problems,
    )
    show_problems(problems)
    show_unused([report])
    color, width = _terminal()
    output = renderer_for(output_format, lang=lang, color=color, width=width).render([report])
    click.echo(output, nl=False, color=color)
    ctx.exit(exit_code_for([report], fail_on=fail_on))  # type: ignore[arg-type]


def _terminal() -> tuple[bool, int]:
    """Return whether stdout takes colour, and the width to render tables at."""
    from rich.console import Console

    console = Console(file=sys.stdout)
    if console.is_terminal:
        return not console.no_color, console.width
    return False, int(os.environ.get("COLUMNS", "120")) if os.environ.get(
        "COLUMNS", ""
    ).isdigit() else 120
