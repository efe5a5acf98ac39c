"""The SHA-256 of each input file, so that a printed report can be traced to its files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from qcheck.loaders.files import input_name

_BLOCK = 1 << 20


def sha256_of(paths: Iterable[Path]) -> dict[str, str]:
    """Return each file's SHA-256 (hex), keyed by its name as reports name their sources.

    A file that can no longer be read (it was read a moment before) gets none: a report then
    shows its source without a digest rather than failing after the verdict.
    """
    digests = {}
    for path in paths:
        digest = hashlib.sha256()
        try:
            with path.open("rb") as stream:
                while block := stream.read(_BLOCK):
                    digest.update(block)
        except OSError:
            continue
        digests[input_name(path)] = digest.hexdigest()
    return digests
