"""Write report files atomically: a reader never sees half a report."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from qcheck.fileid import file_identity, is_special
from qcheck.problems import OutputError
from qcheck.words import OsReason

# The temporary file's name does not grow with the report's: a name near the file-name limit
# must still leave room for it.
TEMPORARY_PREFIX = ".qcheck-"
TEMPORARY_SUFFIX = ".tmp"


def utf8_text(text: str) -> str:
    """Return ``text`` with each byte that was not UTF-8 as U+FFFD, ready to encode.

    A file name in another encoding (GBK, from a Windows archive) reaches qcheck with its
    bytes as lone surrogates, which UTF-8 cannot encode: it is shown as the terminal shows it.
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A symbolic link is written through: the file it points to is replaced and the link kept.
    A device or pipe (``/dev/stdout``) is written to directly. Raise OutputError, naming
    ``path``, if it cannot be written.
    """
    payload = utf8_text(data).encode("utf-8") if isinstance(data, str) else data
    try:
        if _is_special(path):
            with path.open("wb") as stream:
                stream.write(payload)
        else:
            _write_atomic(_link_target(path), payload)
    except OSError as error:  # looking at the path too: a name too long, a folder not searchable
        raise OutputError("cannot-write", path=path, reason=OsReason(error)) from None


def append(path: Path, text: str) -> None:
    """Append ``text`` to ``path``, made if it is not there.

    Raise OutputError, naming ``path``, if it cannot be written.
    """
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(utf8_text(text))
    except OSError as error:
        raise OutputError("cannot-write", path=path, reason=OsReason(error)) from None


def withdraw(paths: Iterable[Path]) -> None:
    """Empty the files an earlier run wrote at ``paths``, before this run reads anything.

    A run that stops before it writes (a usage error found late, an interrupt, a kill) then
    leaves no output holding an earlier verdict: an empty file is no report, and every
    reader of JSON, XML or SARIF refuses it. The file keeps its mode and links; a device or
    pipe is left alone, and so is a path that cannot even be looked at (writing it will say
    why). Raise OutputError if a file cannot be emptied.
    """
    for path in paths:
        try:
            target = None if _is_special(path) else _link_target(path)
            if target is None or not target.is_file():
                continue
        except (OSError, OutputError):
            continue
        try:
            os.truncate(target, 0)
        except OSError as error:
            raise OutputError("cannot-empty", path=path, reason=OsReason(error)) from None


def _link_target(path: Path) -> Path:
    """Return the file a symbolic link ends at (which may not exist yet), else ``path``."""
    if not path.is_symlink():
        return path
    try:
        target = path.resolve()
    except (OSError, RuntimeError) as error:  # a loop of links: RuntimeError before Python 3.13
        if isinstance(error, OSError) and error.errno != errno.ELOOP:
            raise
        raise OutputError("link-loop", path=path) from None
    if not target.parent.is_dir():
        raise OutputError("link-nowhere", path=path, target=target)
    return target


def _is_special(path: Path) -> bool:
    """Whether ``path`` is a device or pipe, which renaming a file over would destroy."""
    try:
        return is_special(path.stat())
    except OSError:
        return False


def _write_atomic(path: Path, payload: bytes) -> None:
    folder = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(
        prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=folder
    )
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


def refuse_inputs(
    outputs: Iterable[Path], inputs: Iterable[Path], *, stdin: str | None = None
) -> None:
    """Raise OutputError if an output is one of the inputs: the same path or the same file.

    Links are followed, and a hard link is the same file (the same device and inode).
    ``stdin`` names standard input when it is an input too: a file redirected to it
    (``- < report.csv``) is known by its device and inode.
    """
    known: dict[object, Path | str] = {}
    redirected = _redirected_file(0) if stdin is not None else None
    if stdin is not None and redirected is not None:
        known[redirected] = stdin
    for path in inputs:
        for identity in _identities(path):
            known.setdefault(identity, path)
    for output in outputs:
        for identity in _identities(output):
            if identity in known:
                raise OutputError("is-input", output=output, input=known[identity])


def refuse_summary_output(summary: Path, outputs: Iterable[Path]) -> None:
    """Raise OutputError if the summary file is also an --output file.

    The Markdown appended to it would corrupt that output (a SARIF log no longer JSON).
    """
    named = set(_identities(summary))
    for output in outputs:
        if named & set(_identities(output)):
            raise OutputError("summary-is-output", summary=summary, output=output)


def is_standard_output(path: Path) -> bool:
    """Whether standard output is redirected to the file at ``path`` (``>> "$FILE"``)."""
    stdout = _redirected_file(1)
    return stdout is not None and stdout in _identities(path)


def _redirected_file(descriptor: int) -> tuple[int, int] | None:
    """Return the device and inode of the file open on ``descriptor``, if it is a regular file.

    A terminal or pipe is left out: writing a report to one destroys no input.
    """
    try:
        info = os.fstat(descriptor)
    except OSError:  # closed
        return None
    return file_identity(info) if stat.S_ISREG(info.st_mode) else None


def _identities(path: Path) -> list[object]:
    """Return what names a file: its path with every link resolved, and its device and inode."""
    try:
        identities: list[object] = [os.path.realpath(path)]
    except OSError:  # the working folder is gone: the path as written still names the file
        identities = [os.path.normpath(path)]
    try:
        info = path.stat()
    except OSError:
        return identities
    return [*identities, file_identity(info)]
