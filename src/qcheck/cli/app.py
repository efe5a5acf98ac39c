"""The ``qcheck`` command group, its exit codes, and the handler that maps errors to them."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, cast

import click

from qcheck import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from qcheck.words import Lang

EXIT_OK = 0
EXIT_NOT_MET = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def default_lang() -> Lang:
    """Return the language the locale names if qcheck has it (zh_CN: zh), else the fallback.

    QCHECK_LANG overrides it, via Click.
    """
    from qcheck.words import FALLBACK, lang_of_locale

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return lang_of_locale(value) or FALLBACK
    return FALLBACK


def requested_lang(args: Sequence[str]) -> Lang:
    """Return the language a command line asks for, as --lang will: for errors found before it.

    The last ``--lang`` in ``args`` that names a language, else QCHECK_LANG, else the locale.
    """
    asked: str | None = None
    for index, word in enumerate(args):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(args):
            asked = args[index + 1]
        elif word.startswith("--lang="):
            asked = word.partition("=")[2]
    from qcheck.words import LANGS

    for lang in (asked, os.environ.get("QCHECK_LANG")):
        if lang in LANGS:
            return lang
    return default_lang()


class StreamError(Exception):
    """Standard output or standard error could not be written: a full disk, a closed pipe."""

    def __init__(self, stream: Literal["stdout", "stderr"], error: OSError) -> None:
        super().__init__(f"{stream}: {error}")
        self.stream = stream
        self.error = error


def echo(data: str | bytes, *, color: bool = False) -> None:
    """Write ``data`` to standard output at once; raise StreamError if it cannot be written."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            click.echo(data, nl=False, color=color)  # which flushes
    except OSError as error:
        raise StreamError("stdout", error) from None


class _Stderr(io.TextIOBase):
    """Standard error as the console writes to it: a failure raises StreamError."""

    def write(self, text: str) -> int:
        try:
            return sys.stderr.write(text)
        except OSError as error:
            raise StreamError("stderr", error) from None

    def flush(self) -> None:
        try:
            sys.stderr.flush()
        except OSError as error:
            raise StreamError("stderr", error) from None

    def isatty(self) -> bool:
        return sys.stderr.isatty()

    def fileno(self) -> int:
        return sys.stderr.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return sys.stderr.encoding


def error_console() -> Console:
    """Return a console on stderr for messages (made per call, so tests can capture it)."""
    from rich.console import Console

    # A text stream, though not one typeshed calls IO[str].
    stderr = cast("IO[str]", _Stderr())
    return Console(file=stderr, highlight=False, soft_wrap=True)


def stream_failed(failure: StreamError) -> int:
    """Say that a standard stream failed, if standard error still works; return the exit code.

    A closed pipe (``qcheck ... | head``) ends quietly with 141, as for ``cat`` or ``grep``,
    which SIGPIPE stops: the reader has read all it wanted.
    """
    import errno
    import signal

    from qcheck.cli.messages import say
    from qcheck.words import OsReason

    _silence(failure.stream)
    if failure.error.errno == errno.EPIPE:
        return 128 + signal.SIGPIPE
    if failure.stream == "stdout":
        try:
            error_console().print(
                say("stdout_failed", reason=OsReason(failure.error)), markup=False
            )
        except StreamError:
            _silence("stderr")
    return EXIT_BAD_INPUT


def _silence(stream: Literal["stdout", "stderr"]) -> None:
    """Point a broken standard stream at /dev/null: Python's last flush cannot fail at exit."""
    try:
        descriptor = getattr(sys, stream).fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


class QcheckCommand(click.Command):
    """A command whose --help, written while its options are parsed, may meet a broken stdout."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the options; a failure to write --help is a StreamError, not an OSError."""
        try:
            return super().parse_args(ctx, args)
        except OSError as error:
            raise StreamError("stdout", error) from None


class QcheckGroup(click.Group, QcheckCommand):
    """A group that turns every qcheck error into a message and an exit code, in one place."""

    command_class = QcheckCommand

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Parse the group's options; keep the command line for words said before --lang is."""
        from qcheck.cli.messages import ARGS_KEY, in_users_language

        given = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise in_users_language(error, requested_lang(given)) from None
        ctx.meta[ARGS_KEY] = given
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map input errors to exit 2 and anything unexpected to exit 3."""
        from qcheck.cli.messages import in_users_language, say, say_lang, show_problems
        from qcheck.problems import InputError, OutputError, TargetsError

        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise in_users_language(error, say_lang()) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as interrupt:
            ctx.exit(stopped(interrupt))
        except StreamError as failure:
            ctx.exit(stream_failed(failure))
        except MemoryError:
            error_console().print(say("out_of_memory"), style="bold red", markup=False)
            ctx.exit(EXIT_BAD_INPUT)
        except TargetsError as error:
            show_problems(error.problems, verdict=False)
            error_console().print(
                say("targets_problems", count=len(error.problems)), style="bold red", markup=False
            )
            ctx.exit(EXIT_BAD_INPUT)
        except InputError as error:
            show_problems(
                error.problems, omitted=error.omitted, omitted_errors=error.omitted_errors
            )
            ctx.exit(EXIT_BAD_INPUT)
        except OutputError as error:
            message = say("output_error", message=error.text(say_lang()))
            error_console().print(message, style="bold red", markup=False)
            ctx.exit(EXIT_BAD_INPUT)
        except Exception as error:  # noqa: BLE001 - the last resort that keeps tracebacks from users
            console = error_console()
            if ctx.params.get("debug"):
                console.print_exception()
            console.print(say("internal_error", error=described(error)), markup=False)
            ctx.exit(EXIT_INTERNAL)


def described(error: Exception) -> str:
    """Return an unexpected error as its type and message; a worker's as the worker saw it."""
    from qcheck.cli.jobs import WorkerError

    if isinstance(error, WorkerError):
        return error.described
    return f"{type(error).__name__}: {error}"


def stopped(interrupt: KeyboardInterrupt) -> int:
    """Say that a signal stopped the run; return its exit code (128 + the signal's number)."""
    import signal

    from qcheck.cli.messages import say
    from qcheck.entry import Terminated

    terminated = isinstance(interrupt, Terminated)
    error_console().print(say("terminated" if terminated else "interrupted"), markup=False)
    return 128 + (signal.SIGTERM if terminated else signal.SIGINT)


@click.group(cls=QcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="qcheck")
@click.option(
    "--debug", is_flag=True, envvar="QCHECK_DEBUG", help="Show tracebacks of internal errors."
)
def main(debug: bool) -> None:
    """Check reported figures against a plan's targets (by default, Zhangye City's for 2020).

    \b
    Examples:
      qcheck evaluate report.csv
      qcheck evaluate counties/ --each --format markdown
      qcheck evaluate report.xlsx --output result.json --output junit.xml
      qcheck validate report.csv --strict
      qcheck targets
      qcheck template --format xlsx --output 填报模板.xlsx

    Exit codes: 0 all targets met, 1 a target not met (or missing with
    --fail-on missing), 2 unusable input or usage, 3 internal error.
    """
