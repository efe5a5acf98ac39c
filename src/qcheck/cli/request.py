"""What a command was asked to do, and where its output goes (imported when a command runs)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console

from qcheck.catalogue import Catalogue
from qcheck.cli.messages import BadValue, note
from qcheck.cli.streams import StreamError, echo
from qcheck.formats import (
    OUTPUT_FORMATS,
    SUFFIX_FORMATS,
    OutputFormat,
    format_of_path,
    output_format,
)
from qcheck.loaders.files import STDIN, STDIN_SOURCE, ReadOptions
from qcheck.loaders.streams import is_stream
from qcheck.loaders.waivers import default_waivers, once
from qcheck.problems import OutputError
from qcheck.renderers import renderer_class, renderer_for
from qcheck.renderers.base import Rendered, Renderer
from qcheck.renderers.github import STEP_SUMMARY_BYTES, step_summary
from qcheck.words import Lang, label
from qcheck.writing import (
    append,
    is_standard_output,
    refuse_inputs,
    refuse_summary_output,
    withdraw,
    write_atomic,
)


@dataclass(frozen=True)
class Output:
    """Where results go: standard output in one format, and files in the formats they name."""

    lang: Lang
    output_format: str
    outputs: tuple[Path, ...]
    # The formats the command writes, and the format each suffix of a file names among them.
    registry: ClassVar[tuple[OutputFormat, ...]] = OUTPUT_FORMATS
    suffixes: ClassVar[dict[str, str]] = SUFFIX_FORMATS

    def __post_init__(self) -> None:
        # Click hands over strings.
        object.__setattr__(self, "outputs", tuple(Path(path) for path in self.outputs))

    def renderer(
        self, output_format: str | None = None, *, color: bool = False, width: int = 100
    ) -> Renderer:
        """Return the renderer for ``output_format`` (default: the --format)."""
        return renderer_for(
            output_format or self.output_format,
            lang=self.lang,
            color=color,
            width=width,
            by=self.grouping(),
            among=self.registry,
            annotations=in_github_actions(),
        )

    def grouping(self) -> str:
        """Return how the formats for people group a report's targets: by area, unless asked."""
        return "area"

    def summary_path(self) -> Path | None:
        """Return the file to append the Markdown report to (--summary-file), if any."""
        return None

    def formats(self) -> list[str]:
        """Return the formats written: standard output's, then each --output's, each once."""
        kinds = [
            self.output_format,
            *(self.format_of(path) for path in self.outputs),
        ]
        return list(dict.fromkeys(kinds))

    def format_of(self, path: Path) -> str:
        """Return the format an --output file is written in: the one its suffix names."""
        named = format_of_path(path, self.suffixes)
        if named is None:  # --output's callback refuses such a file before the command runs
            raise ValueError(f"no format for {path}")
        return named

    def writes_documents(self) -> bool:
        """Whether any output is a document to print or file (see OutputFormat.document)."""
        return any(output_format(name, self.registry).document for name in self.formats())

    def refuse_binary_on_terminal(self) -> None:
        """Refuse (a usage error) a binary --format, a workbook, for standard output on a terminal.

        Redirected to a file or a pipe, standard output gets its bytes.
        """
        kind = output_format(self.output_format, self.registry)
        if renderer_class(kind).binary and sys.stdout.isatty():
            raise BadValue("workbook_on_terminal", param_hint="'--format'", format=kind.name)

    def emit(
        self,
        render: Callable[[Renderer], Rendered],
        document: Callable[[Renderer], Rendered] | None = None,
    ) -> None:
        """Print ``render``'s output to stdout, and write it to every --output file atomically.

        A document format is rendered by ``document`` where one is given. The Markdown report
        is appended to the summary file, if there is one. Every output is tried before the
        first failure is raised: one that cannot be written must not leave the others holding
        an earlier run's results.
        """

        def made(name: str | None = None, **layout: Any) -> Rendered:
            kind = output_format(name or self.output_format, self.registry)
            chosen = document if kind.document and document is not None else render
            return chosen(self.renderer(name, **layout))

        failures: list[StreamError | OutputError] = []
        sized = output_format(self.output_format, self.registry).sized
        color, width = terminal() if sized else (False, 100)
        try:
            echo(made(color=color, width=width), color=color)
        except StreamError as failure:
            failures.append(failure)
        for path in self.outputs:
            try:
                write_atomic(path, made(self.format_of(path)))
            except OutputError as failure:
                failures.append(failure)
        summary = self.summary_path()
        if summary is not None and is_standard_output(summary):
            # `qcheck ... --format markdown >> "$GITHUB_STEP_SUMMARY"`: written once already.
            note("summary_is_stdout", path=summary)
        elif summary is not None:
            try:
                self.append_summary(summary, str(made("markdown")))
            except OutputError as failure:
                failures.append(failure)
        if failures:
            raise failures[0]

    def append_summary(self, path: Path, markdown: str) -> None:
        """Append ``markdown`` to the summary file, cut to what GitHub shows of a step's.

        Appended, never replaced: every command of a step may write to the step's file, and
        what the others wrote stays.
        """
        if str(path) == STDIN:
            raise OutputError("summary-stdout")
        try:
            held = path.stat().st_size
        except OSError:  # not there yet (or not to be looked at: appending will say why)
            held = 0
        lead = "\n" if held else ""  # a blank line after what an earlier command wrote
        full = next(
            (p for p in self.outputs if self.suffixes[p.suffix.lower()] == "markdown"), None
        )
        where = str(full) if full else label(self.lang, "github.summary_elsewhere")
        room = STEP_SUMMARY_BYTES - held - len(lead)
        text = step_summary(markdown, room=room, where=where, lang=self.lang)
        if text is None:
            note("summary_no_room", path=path)
            return
        append(path, lead + text)


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
    by: str = "area"  # evaluate's --by; validate has no report to group
    summary_file: str | None = None  # --summary-file, else $GITHUB_STEP_SUMMARY
    waivers: tuple[str, ...] = ()  # evaluate's --waivers
    no_waivers: bool = False
    layout: str | None = None  # with --layout: the folder of year folders (reports/2020/...)

    def grouping(self) -> str:
        """Return how the formats for people group a report's targets (--by)."""
        return self.by

    def summary_path(self) -> Path | None:
        """Return the file to append the Markdown report to: --summary-file, if given."""
        return None if self.summary_file is None else Path(self.summary_file)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.targets_path is not None:
            object.__setattr__(self, "targets_path", Path(self.targets_path))

    def claim_outputs(self, inputs: Iterable[Path]) -> None:
        """Refuse an output that is an input or the targets file; empty earlier results.

        Both happen before anything is read, so no output can outlive the run that failed;
        when an input is a stream, outputs are only replaced once it has been read. The summary
        file is refused so too, but never emptied: it is appended to.
        """
        summary = self.summary_path()
        outputs = [*self.outputs, *([summary] if summary is not None else [])]
        if not outputs:
            return
        if summary is not None:
            refuse_summary_output(summary, self.outputs)

        files = [path for path in inputs if str(path) != STDIN]
        if self.targets_path is not None:
            files.append(self.targets_path)
        files += self.waiver_paths()
        stdin = STDIN_SOURCE if STDIN in self.inputs else None
        refuse_inputs(outputs, files, stdin=stdin)  # the summary file too, never emptied
        if stdin is None and not any(read_as_stream(path) for path in files):
            # A stream may still be fed from an output (cat r.csv | qcheck - -o r.csv):
            # emptying it now would cut the input short, so it is replaced only at the end.
            withdraw(self.outputs)

    def waiver_paths(self) -> list[Path]:
        """Return the waivers files to read: --waivers, else the default file beside the reports.

        None with --no-waivers.
        """
        if self.no_waivers:
            return []
        if self.waivers:
            if STDIN in self.waivers:
                raise BadValue("waivers_stdin", param_hint="'--waivers'")
            return once([Path(path) for path in self.waivers])
        # Laid out, the waivers of every year sit in the reports folder.
        found = default_waivers([self.layout] if self.layout is not None else self.inputs)
        return [] if found is None else [found]

    def evaluated_year(self, catalogue: Catalogue) -> int:
        """Return the year to evaluate: --year (within the plan's period), else its end."""
        return plan_year(catalogue, self.year)

    def read_options(self) -> ReadOptions:
        """Return how to read the input files."""
        return ReadOptions(
            encoding=self.encoding,
            sheet=self.sheet,
            max_bytes=self.max_bytes,
            stdin_format=self.stdin_format,
        )


def terminal() -> tuple[bool, int]:
    """Return whether stdout takes colour, and the width to render tables at."""
    console = Console(file=sys.stdout)
    if console.is_terminal:
        return not console.no_color and console.color_system is not None, console.width
    columns = os.environ.get("COLUMNS", "")
    return False, int(columns) if columns.isdigit() else 120


def in_github_actions() -> bool:
    """Whether qcheck runs in a GitHub Actions step, whose runner reads workflow commands."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def on_one_terminal() -> bool:
    """Whether standard output and standard error both go to a terminal, read together."""
    return sys.stdout.isatty() and sys.stderr.isatty()


def read_as_stream(path: Path) -> bool:
    """Whether an input is read as a stream (standard input, a pipe, a device, /dev/fd/N)."""
    if str(path) == STDIN:
        return True
    try:
        return is_stream(path, path.stat())
    except (OSError, ValueError):
        return False


def plan_year(catalogue: Catalogue, year: int | None, *, option: str = "--year") -> int:
    """Return ``year`` (the --year given) if the plan covers it, the plan's target year if None.

    A usage error refuses a year outside the plan's period, naming ``option``.
    """
    plan = catalogue.plan
    if year is None:
        return int(plan.target_year)
    if not plan.start_year <= year <= plan.target_year:
        # After its last year a plan's targets say nothing: its figures would be judged
        # against targets set for another year.
        raise BadValue(
            "year_before_plan" if year < plan.start_year else "year_after_plan",
            param_hint=f"'{option}'",
            start=plan.start_year,
            end=plan.target_year,
            year=year,
        )
    return year
