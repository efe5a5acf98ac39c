"""What holds for every name of one file: its identity, and whether it is a file at all."""

from __future__ import annotations

import os
import stat

FileIdentity = tuple[int, int]


def file_identity(status: os.stat_result) -> FileIdentity:
    """Return the device and inode: the same for a path, a link to it and a hard link."""
    return status.st_dev, status.st_ino


def is_special(status: os.stat_result) -> bool:
    """Whether a status is of a pipe, device or socket: neither a regular file nor a folder."""
    return not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode)
