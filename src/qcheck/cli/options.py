"""Options shared by commands, the request they make up, and where output goes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from qcheck.cli.app import default_lang
from qcheck.cli.messages import DEFAULT_MAX_ERRORS, LANG_KEY, MAX_ERRORS_KEY, STRICT_KEY

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue
    from qcheck.i18n import Lang
    from qcheck.loaders.files import ReadOptions
    from qcheck.renderers.base import Renderer

F = TypeVar("F", bound=Callable[..., Any])
LANG_CHOICES = ("zh", "en")
# Kept here, not imported from qcheck.renderers, so that --help imports nothing heavy.
FORMAT_CHOICES = ("table", "json", "csv", "markdown", "junit", "github", "sarif")
OUTPUT_SUFFIXES = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".xml": "junit",
    ".sarif": "sarif",
    ".txt": "table",
}


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


def _outputs(
    _ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]
) -> tuple[Path, ...]:
    for path in value:
        if path.suffix.lower() not in OUTPUT_SUFFIXES:
            raise click.BadParameter(
                f"cannot tell the format of {str(path)!r} from its suffix; use one of "
                + ", ".join(OUTPUT_SUFFIXES)
            )
    return value


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
            click.option(
                "--format",
                "output_format",
                type=click.Choice(FORMAT_CHOICES),
                default="table",
                show_default=True,
                help="Format of standard output.",
            ),
            click.option(
                "--output",
                "-o",
                "outputs",
                multiple=True,
                type=click.Path(dir_okay=False, writable=True, path_type=Path),
                callback=_outputs,
                help="Also write the result to this file, in the format its suffix names "
                "(.json .csv .md .xml=JUnit .sarif .txt=table). Repeatable.",
            ),
        ],
    )


def input_options(command: F) -> F:
    """Options shared by the commands that read measurement files."""
    return apply(
        command,
        [
            click.argument("inputs", nargs=-1, required=True, metavar="FILE|FOLDER|-..."),
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
            output_options,
            click.option(
                "--encoding",
                callback=_encoding,
                help="Text encoding of CSV/YAML files. Default: detected "
                "(UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030).",
            ),
            click.option("--sheet", help="Worksheet to read from .xlsx files. Default: the first."),
            click.option(
                "--stdin-format",
                type=click.Choice(["auto", "csv", "yaml", "xlsx"]),
                default="auto",
                show_default=True,
                help="Format of a report read from standard input (-).",
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
                "--strict",
                is_flag=True,
                callback=_remember(STRICT_KEY),
                help="Treat warnings (unknown columns, repeated rows, likely fractions) as errors.",
            ),
        ],
    )


@dataclass(frozen=True)
class Output:
    """Where results go: standard output in one format, and files in the formats they name."""

    lang: Lang
    output_format: str
    outputs: tuple[Path, ...]

    def renderer(self, output_format: str | None = None, *, to_terminal: bool = False) -> Renderer:
        """Return the renderer for ``output_format`` (default: the --format)."""
        from qcheck.renderers import renderer_for

        chosen = output_format or self.output_format
        color, width = terminal() if to_terminal and chosen == "table" else (False, 100)
        return renderer_for(chosen, lang=self.lang, color=color, width=width)

    def emit(self, render: Callable[[Renderer], str]) -> None:
        """Print ``render``'s text to stdout, and write it to every --output file atomically."""
        from qcheck.writing import write_atomic

        color = self.output_format == "table" and terminal()[0]
        click.echo(render(self.renderer(to_terminal=True)), nl=False, color=color)
        for path in self.outputs:
            write_atomic(path, render(self.renderer(OUTPUT_SUFFIXES[path.suffix.lower()])))


@dataclass(frozen=True)
class Request(Output):
    """What a command that reads measurement files was asked to do."""

    inputs: tuple[str, ...]
    targets_path: Path | None
    year: int | None
    encoding: str | None
    sheet: str | None
    stdin_format: str
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
        """Return how to read the input files."""
        from qcheck.loaders.files import ReadOptions

        return ReadOptions(
            encoding=self.encoding,
            sheet=self.sheet,
            max_bytes=self.max_bytes,
            stdin_format=self.stdin_format,
        )


def terminal() -> tuple[bool, int]:
    """Return whether stdout takes colour, and the width to render tables at."""
    from rich.console import Console

    console = Console(file=sys.stdout)
    if console.is_terminal:
        return not console.no_color and console.color_system is not None, console.width
    columns = os.environ.get("COLUMNS", "")
    return False, int(columns) if columns.isdigit() else 120
