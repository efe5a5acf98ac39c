"""Write report files atomically: a reader never sees half a report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qcheck.problems import OutputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    Raise OutputError, naming ``path``, if it cannot be written.
    """
    try:
        _write_atomic(path, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(
            f"cannot write {path}: {reason}", message_zh=f"无法写入 {path}：{reason}"
        ) from None


def _write_atomic(path: Path, payload: bytes) -> None:
    folder = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); a report gets the mode a new file would get.
        Path(temporary).chmod(_mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Return the mode of the file being replaced, or that of a new file under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
