"""Standard output and standard error: writing to them, and saying a failure to write."""

from __future__ import annotations

import io
import os
import stat
import sys
from typing import IO, TYPE_CHECKING, Literal, cast

import click

from qcheck.formats import BOM
from qcheck.writing import utf8_text

if TYPE_CHECKING:
    from rich.console import Console


class StreamError(Exception):
    """Standard output or standard error could not be written: a full disk, a closed pipe."""

    def __init__(self, stream: Literal["stdout", "stderr"], error: OSError) -> None:
        super().__init__(f"{stream}: {error}")
        self.stream = stream
        self.error = error


def echo(data: str | bytes, *, color: bool = False) -> None:
    """Write ``data`` to standard output at once; raise StreamError if it cannot be written.

    Text starting with a byte-order mark (CSV for a spreadsheet) keeps it only where standard
    output starts a file (``> report.csv``); a terminal shows it as nothing and a program
    reading a pipe would take it for part of the first header.
    """
    if isinstance(data, str) and data.startswith(BOM) and not _starts_file():
        data = data[len(BOM) :]
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            click.echo(utf8_text(data), nl=False, color=color)  # which flushes
    except OSError as error:
        raise StreamError("stdout", error) from None


def _starts_file() -> bool:
    """Whether standard output is an empty regular file: not a terminal, a pipe, nor appended to."""
    try:
        info = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):  # closed, or not a file (a test's capture)
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == 0


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
    from rich.console import Console  # only when there is something to say

    # A text stream, though not one typeshed calls IO[str].
    stderr = cast("IO[str]", _Stderr())
    return Console(file=stderr, highlight=False, soft_wrap=True)


def silence(stream: Literal["stdout", "stderr"]) -> None:
    """Point a broken standard stream at /dev/null: Python's last flush cannot fail at exit."""
    try:
        descriptor = getattr(sys, stream).fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)
