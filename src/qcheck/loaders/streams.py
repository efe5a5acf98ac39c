"""Read inputs that may be pipes or devices within a byte limit, and name what goes wrong."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from qcheck.fileid import is_special
from qcheck.problems import InputError, Problem
from qcheck.words import OsReason, Word

DESCRIPTOR = re.compile(r"/dev/stdin|/dev/fd/\d+|/proc/(?:self|\d+)/fd/\d+")
CHUNK = 1 << 20  # bytes read from a stream at a time
SPOOL = 16 << 20  # bytes of a stream kept in memory; the rest goes to a temporary file
MAX_BYTES_HINT = "too-large.max-bytes"  # the hint (its key) for an input over --max-bytes


def unreadable(source: str, error: Exception) -> Problem:
    """Return the problem for an input the system refused to open, list or stat.

    ``error`` is an OSError, or the RuntimeError or ValueError that resolving a name raises
    (a loop of links, a NUL in the name).
    """
    if isinstance(error, OSError):
        return Problem.of("unreadable", source=source, reason=OsReason(error))
    return Problem.of("unreadable", source=source, words="name", reason=str(error))


def too_large(
    source: str, size: int | None, limit: int, hint: str, *, what: str = "file", **params: Any
) -> Problem:
    """Return the problem for an input over ``limit`` bytes (a stream's ``size`` is unknown).

    ``hint`` is the key of the fix (``hint.<key>``), filled with ``params``; ``what`` names the
    ``size`` (``size.<what>``): a file's by default, or what a workbook unpacks to.
    """
    if size is None:
        return Problem.of(
            "too-large", source=source, words="stream", hints=(hint,), limit=limit, **params
        )
    return Problem.of(
        "too-large",
        source=source,
        words="size",
        hints=(hint,),
        what=Word(f"size.{what}"),
        size=size,
        limit=limit,
        **params,
    )


def is_stream(path: Path, status: os.stat_result) -> bool:
    """Whether ``path`` is read as a stream: a pipe, a device, or a descriptor (/dev/fd/N).

    ``status`` is ``path.stat()``. A descriptor may be a redirected regular file
    (``/dev/stdin < r.csv``); its name says nothing of its format, so it is a stream too.
    """
    if is_special(status):
        return True
    return DESCRIPTOR.fullmatch(str(path)) is not None


def read_stream(stream: BinaryIO, *, source: str, limit: int, hint: str) -> bytes:
    """Read a stream to its end, but no further than ``limit`` bytes (/dev/zero never ends)."""
    with spool(stream, source=source, limit=limit, hint=hint) as copy:
        return copy.read()


def spool(stream: BinaryIO, *, source: str, limit: int, hint: str) -> BinaryIO:
    """Copy a stream, to its end but within ``limit`` bytes, into a file positioned at its start.

    The copy is in memory up to SPOOL bytes, else in a temporary file (gone once closed), so
    that a stream as large as the limit costs no more memory than a small one.
    """
    head = _read_up_to(stream, min(limit, SPOOL) + 1)
    if len(head) <= SPOOL or len(head) > limit:
        if len(head) > limit:
            raise InputError([too_large(source, None, limit, hint)])
        return io.BytesIO(head)
    copy = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the caller
    try:
        copy.write(head)
        size = len(head)
        while chunk := stream.read(min(CHUNK, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                raise InputError([too_large(source, None, limit, hint)])
            copy.write(chunk)
        copy.seek(0)
    except BaseException:
        copy.close()
        raise
    return copy


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, or fewer if the stream ends first, a chunk at a time."""
    chunks: list[bytes] = []
    left = size
    while left and (chunk := stream.read(min(CHUNK, left))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_bounded(path: Path, *, source: str, limit: int, hint: str) -> bytes:
    """Read a file, pipe or device whole, refusing it past ``limit`` bytes; OSError if it fails."""
    with path.open("rb") as stream:
        status = os.fstat(stream.fileno())
        if not is_stream(path, status) and status.st_size > limit:
            raise InputError([too_large(source, status.st_size, limit, hint)])
        return read_stream(stream, source=source, limit=limit, hint=hint)
