"""A reports repository's layout: a folder per year (reports/2020/), each one dataset."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qcheck.loaders.files import LOOKED_FOR, identity_of
from qcheck.loaders.folders import find_reports
from qcheck.loaders.waivers import DEFAULT_NAME as WAIVERS_NAME
from qcheck.problems import Problem

# ASCII digits only: a folder named ２０２０ is not the year 2020, nor may it stand in for it.
_YEAR = re.compile(r"[0-9]{4}")
HINTS = ("outside-layout",)


@dataclass(frozen=True)
class YearFolder:
    """A year's folder of reports: its files are one dataset, judged for its year."""

    year: int
    folder: Path
    # The files named in it (as pre-commit names the files a commit changed): read even where
    # a folder's search would pass them by (a hidden file), so none is let through unread.
    named: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Layout:
    """The year folders a run judges, the reports outside any, and the inputs outside the layout."""

    folders: tuple[YearFolder, ...]
    problems: tuple[Problem, ...]  # reports under the reports folder but in no year's folder
    left_out: tuple[str, ...]  # inputs outside the reports folder: not reports of this layout


def lay_out(reports: Path, inputs: Sequence[str], *, waivers: Sequence[Path] = ()) -> Layout:
    """Return the year folders ``inputs`` fall in (all of them if none is given).

    A file stands for its year's folder, which is read whole: whichever files of a year
    changed, the year is judged on all of them. A waivers file stands for every year.
    """
    waiver_files = {identity_of(path) for path in waivers}
    every_year = not inputs
    named: dict[int, list[Path]] = {}
    problems: list[Problem] = []
    left_out: list[str] = []
    root = reports.absolute()
    for item in inputs:
        path = Path(item)
        relative = Path(os.path.relpath(path.absolute(), root))
        first = relative.parts[0]
        if identity_of(path) in waiver_files or first == os.curdir:
            every_year = True
        elif first == os.pardir:
            left_out.append(item)
        elif _YEAR.fullmatch(first):
            named.setdefault(int(first), [])
            if len(relative.parts) > 1:
                named[int(first)].append(path)
        else:
            problems.append(_outside(item, reports))
    folders = {
        year: YearFolder(year, reports / str(year), tuple(files)) for year, files in named.items()
    }
    if every_year:
        found, outside = _year_folders(reports, waiver_files)
        for folder in found:
            folders.setdefault(folder.year, folder)
        problems += outside
    return Layout(
        folders=tuple(folders[year] for year in sorted(folders)),
        problems=tuple(dict.fromkeys(problems)),
        left_out=tuple(dict.fromkeys(left_out)),
    )


def _year_folders(reports: Path, waivers: set[object]) -> tuple[list[YearFolder], list[Problem]]:
    """Return every year's folder in ``reports``, and a problem per report outside them."""
    try:
        entries = sorted(os.scandir(reports), key=lambda entry: entry.name)
    except OSError:
        return [], [Problem.of("outside-layout", source=str(reports), words="missing", hints=HINTS)]
    folders: list[YearFolder] = []
    problems: list[Problem] = []
    for entry in entries:
        path = reports / entry.name
        if entry.name.startswith(".") or entry.name == WAIVERS_NAME or identity_of(path) in waivers:
            continue  # the years' waivers, and what a folder's search passes by
        if entry.is_dir() and _YEAR.fullmatch(entry.name):
            folders.append(YearFolder(int(entry.name), path))
        elif entry.is_dir():
            found, unreadable = find_reports(path, LOOKED_FOR)
            problems += (_outside(str(report), reports) for report in found)
            problems += unreadable  # what cannot be listed may hold reports: never passed by
        elif path.suffix.lower() in LOOKED_FOR:
            problems.append(_outside(str(path), reports))
    return folders, problems


def _outside(source: str, reports: Path) -> Problem:
    return Problem.of(
        "outside-layout", source=source, words="no-year", hints=HINTS, reports=str(reports)
    )
