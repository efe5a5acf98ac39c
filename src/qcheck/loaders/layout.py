"""A reports repository's layout: a folder per year (reports/2020/), each one dataset."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qcheck.loaders.folders import find_reports
from qcheck.loaders.formats import REPORT_SUFFIXES
from qcheck.loaders.waivers import DEFAULT_NAME as WAIVERS_NAME
from qcheck.problems import Problem

_YEAR = re.compile(r"\d{4}")
HINTS = ("outside-layout",)


@dataclass(frozen=True)
class YearFolder:
    """A year's folder of reports: its files are one dataset, judged for its year."""

    year: int
    folder: Path


@dataclass(frozen=True)
class Layout:
    """The year folders a run judges, the reports outside any, and the inputs outside the layout."""

    folders: tuple[YearFolder, ...]
    problems: tuple[Problem, ...]  # reports under the reports folder but in no year's folder
    left_out: tuple[str, ...]  # inputs outside the reports folder: not reports of this layout


def lay_out(reports: Path, inputs: Sequence[str]) -> Layout:
    """Return the year folders ``inputs`` fall in (all of them if none is given).

    A file stands for its year's folder, which is read whole: whichever files of a year
    changed, the year is judged on all of them.
    """
    if not inputs:
        inputs = [str(reports)]
    folders: dict[int, YearFolder] = {}
    problems: list[Problem] = []
    left_out: list[str] = []
    root = reports.absolute()
    for item in inputs:
        relative = os.path.relpath(Path(item).absolute(), root)
        if relative == os.curdir:
            every, outside = _year_folders(reports)
            folders.update((found.year, found) for found in every)
            problems += outside
            continue
        first = Path(relative).parts[0]
        if first == os.pardir:
            left_out.append(item)
        elif _YEAR.fullmatch(first):
            folders.setdefault(int(first), YearFolder(int(first), reports / first))
        else:
            problems.append(_outside(item, reports))
    if not folders and not problems and not left_out:
        problems.append(
            Problem.of("outside-layout", source=str(reports), words="empty", hints=HINTS)
        )
    return Layout(
        folders=tuple(folders[year] for year in sorted(folders)),
        problems=tuple(dict.fromkeys(problems)),
        left_out=tuple(dict.fromkeys(left_out)),
    )


def _year_folders(reports: Path) -> tuple[list[YearFolder], list[Problem]]:
    """Return every year's folder in ``reports``, and a problem per report outside them."""
    try:
        entries = sorted(os.scandir(reports), key=lambda entry: entry.name)
    except OSError:
        return [], [Problem.of("outside-layout", source=str(reports), words="missing", hints=HINTS)]
    folders: list[YearFolder] = []
    problems: list[Problem] = []
    for entry in entries:
        path = reports / entry.name
        if entry.name.startswith(".") or entry.name == WAIVERS_NAME:  # the years' waivers
            continue
        if entry.is_dir() and _YEAR.fullmatch(entry.name):
            folders.append(YearFolder(int(entry.name), path))
        elif entry.is_dir():
            found, _ = find_reports(path, REPORT_SUFFIXES)
            problems += (_outside(str(report), reports) for report in found)
        elif path.suffix.lower() in REPORT_SUFFIXES:
            problems.append(_outside(str(path), reports))
    return folders, problems


def _outside(source: str, reports: Path) -> Problem:
    return Problem.of(
        "outside-layout", source=source, words="no-year", hints=HINTS, reports=str(reports)
    )
