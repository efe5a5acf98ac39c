"""Read inputs that may be pipes or devices within a byte limit, and name what goes wrong."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from qcheck.problems import InputError, Problem, os_reason

EnZh = tuple[str, str]  # English, Chinese
DESCRIPTOR = re.compile(r"/dev/stdin|/dev/fd/\d+|/proc/(?:self|\d+)/fd/\d+")


def problem(source: str, code: str, message: EnZh, hint: EnZh | None = None) -> Problem:
    """Return a problem with the whole input, its message and hint in English and Chinese."""
    hint_en, hint_zh = hint or (None, None)
    return Problem(
        source=source,
        code=code,
        message=message[0],
        message_zh=message[1],
        hint=hint_en,
        hint_zh=hint_zh,
    )


def unreadable(source: str, error: OSError) -> Problem:
    """Return the problem for an input the system refused to open, list or stat."""
    reason, reason_zh = os_reason(error)
    return problem(source, "unreadable", (reason, f"无法读取：{reason_zh}"))


def too_large(source: str, size: int | None, limit: int, hint: EnZh) -> Problem:
    """Return the problem for an input over ``limit`` bytes (a stream's ``size`` is unknown)."""
    if size is None:
        message = (
            f"the stream has more than {limit:,} bytes, over the limit",
            f"数据流超过上限{limit:,}字节",
        )
    else:
        message = (
            f"the file has {size:,} bytes, over the limit of {limit:,}",
            f"文件大小{size:,}字节，超过上限{limit:,}字节",
        )
    return problem(source, "too-large", message, hint)


def is_stream(path: Path, status: os.stat_result) -> bool:
    """Whether ``path`` is read as a stream: a pipe, a device, or a descriptor (/dev/fd/N).

    ``status`` is ``path.stat()``. A descriptor may be a redirected regular file
    (``/dev/stdin < r.csv``); its name says nothing of its format, so it is a stream too.
    """
    if not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        return True
    return DESCRIPTOR.fullmatch(str(path)) is not None


def read_stream(stream: BinaryIO, *, source: str, limit: int, hint: EnZh) -> bytes:
    """Read a stream to its end, but no further than ``limit`` bytes (/dev/zero never ends)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError([too_large(source, None, limit, hint)])
    return data


def read_bounded(path: Path, *, source: str, limit: int, hint: EnZh) -> bytes:
    """Read a file, pipe or device whole, refusing it past ``limit`` bytes; OSError if it fails."""
    with path.open("rb") as stream:
        status = os.fstat(stream.fileno())
        if not is_stream(path, status) and status.st_size > limit:
            raise InputError([too_large(source, status.st_size, limit, hint)])
        return read_stream(stream, source=source, limit=limit, hint=hint)
