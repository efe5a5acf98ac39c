"""The ``qcheck`` command group, its exit codes, and the handler that maps errors to them."""

from __future__ import annotations

import errno
import signal
from typing import Any

import click

from qcheck import __version__
from qcheck.cli.lang import requested_lang
from qcheck.cli.messages import (
    ARGS_KEY,
    in_users_language,
    say,
    say_lang,
    show_problems,
)
from qcheck.cli.streams import StreamError, error_console, silence
from qcheck.entry import Terminated
from qcheck.problems import InputError, OutputError, TargetsError
from qcheck.words import OsReason

EXIT_OK = 0
EXIT_NOT_MET = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def stream_failed(failure: StreamError) -> int:
    """Say that a standard stream failed, if standard error still works; return the exit code.

    A closed pipe (``qcheck ... | head``) ends quietly with 141, as for ``cat`` or ``grep``,
    which SIGPIPE stops: the reader has read all it wanted.
    """
    silence(failure.stream)
    if failure.error.errno == errno.EPIPE:
        return 128 + signal.SIGPIPE
    if failure.stream == "stdout":
        try:
            error_console().print(
                say("stdout_failed", reason=OsReason(failure.error)), markup=False
            )
        except StreamError:
            silence("stderr")
    return EXIT_BAD_INPUT


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
        given = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise in_users_language(error, requested_lang(given)) from None
        ctx.meta[ARGS_KEY] = given
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map input errors to exit 2 and anything unexpected to exit 3."""
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
    described = getattr(error, "described", None)  # a WorkerError (qcheck.cli.jobs)
    if isinstance(described, str):
        return described
    return f"{type(error).__name__}: {error}"


def stopped(interrupt: KeyboardInterrupt) -> int:
    """Say that a signal stopped the run; return its exit code (128 + the signal's number)."""
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

    Exit codes: 0 no target not met or off track, 1 a target not met or off
    track (or missing with --fail-on missing, or at risk with --fail-on warn),
    2 unusable input or usage, 3 internal error.
    """
