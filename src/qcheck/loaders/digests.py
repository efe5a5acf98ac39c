"""The SHA-256 of each input, so that a printed or filed report can be traced to its files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from qcheck.loaders.streams import unreadable
from qcheck.problems import InputError

BLOCK = 1024 * 1024  # read in blocks: an input may be larger than is worth holding at once


def sha256_of(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes in hex; InputError (unreadable) if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as file:
            while block := file.read(BLOCK):
                digest.update(block)
    except (OSError, ValueError) as error:
        raise InputError([unreadable(str(path), error)]) from None
    return digest.hexdigest()


def digests(paths: Iterable[str | Path]) -> dict[str, str]:
    """Return the SHA-256 of each file, keyed by its path as written (a report's source name).

    Every file that cannot be read is named, not only the first.
    """
    found: dict[str, str] = {}
    problems = []
    for path in paths:
        try:
            found[str(path)] = sha256_of(path)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return found
