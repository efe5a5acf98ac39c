"""Find the reports in a folder: recursively, through links, each file once, none lost."""

from __future__ import annotations

import os
import stat
from collections import deque
from pathlib import Path

from qcheck.fileid import file_identity
from qcheck.loaders.streams import unreadable
from qcheck.problems import Problem

HIDDEN = (".", "~$")  # hidden files and folders, and Excel's lock files


def find_reports(root: Path, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Problem]]:
    """Return the files under ``root`` whose suffix is in ``suffixes``, and what could not be read.

    Links to files and folders are followed; a file or folder reached twice (two links to
    one folder, a link back to an ancestor) is listed once, by its path without links if it
    has one. Entries whose name starts with ``.`` or ``~$`` are skipped. A folder that cannot
    be listed, a link that leads nowhere and a pipe or device named as a report are problems,
    never silently left out.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    folders = [root]
    # Links are followed once the tree itself is walked, so what it holds keeps its own path.
    linked_folders: deque[Path] = deque()
    linked_files: list[tuple[Path, tuple[int, int]]] = []
    while folders or linked_folders:
        folder = folders.pop() if folders else linked_folders.popleft()
        inner: list[Path] = []
        for entry in _entries(folder, seen, problems):
            path = folder / entry.name
            try:
                link = entry.is_symlink()
                # Only links, folders and files named as reports cost a stat.
                if not link and entry.is_dir(follow_symlinks=False):
                    inner.append(path)
                    continue
                if not link and path.suffix.lower() not in suffixes:
                    continue
                status = path.stat()
            except OSError as error:
                problems.append(_unreadable_entry(path, error))
                continue
            if stat.S_ISDIR(status.st_mode):
                linked_folders.append(path)
            elif path.suffix.lower() not in suffixes:
                continue
            elif not stat.S_ISREG(status.st_mode):
                problems.append(_not_a_file(path))
            elif link:
                linked_files.append((path, file_identity(status)))
            elif file_identity(status) not in seen:
                seen.add(file_identity(status))
                files.append(path)
        folders.extend(reversed(inner))
    for path, identity in linked_files:
        if identity not in seen:
            seen.add(identity)
            files.append(path)
    return sorted(files), problems


def _entries(
    folder: Path, seen: set[tuple[int, int]], problems: list[Problem]
) -> list[os.DirEntry[str]]:
    """Return a folder's entries that are not hidden, by name; none if it was seen before."""
    try:
        identity = file_identity(folder.stat())
        if identity in seen:
            return []
        seen.add(identity)
        with os.scandir(folder) as listing:
            return sorted(
                (entry for entry in listing if not entry.name.startswith(HIDDEN)),
                key=lambda entry: entry.name,
            )
    except OSError as error:
        problems.append(unreadable(str(folder), error))
        return []


def _unreadable_entry(path: Path, error: OSError) -> Problem:
    """Return the problem for an entry that cannot be looked at; a link leading nowhere says so."""
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        try:
            target = path.readlink()
        except OSError:  # gone as it was read (a process's entry in /proc)
            return unreadable(str(path), error)
        return Problem.of("unreadable", source=str(path), words="dangling", target=str(target))
    return unreadable(str(path), error)


def _not_a_file(path: Path) -> Problem:
    return Problem.of("unreadable", source=str(path), words="special")
