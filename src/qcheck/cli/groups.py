"""How a run's inputs form datasets: one merged, a file each, or a reports repository's years."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from click.core import ParameterSource

from qcheck.catalogue import Catalogue
from qcheck.cli.messages import BadValue, note
from qcheck.cli.request import Request
from qcheck.loaders.files import STDIN, expand_inputs, identity_of
from qcheck.loaders.layout import HINTS as LAYOUT_HINTS
from qcheck.loaders.layout import lay_out
from qcheck.problems import Problem


@dataclass(frozen=True)
class Group:
    """Files judged as one dataset, and the year they are judged for."""

    paths: tuple[Path, ...]
    year: int
    folder: str | None = None  # the year's folder they were read from, with --layout


def given(ctx: click.Context, name: str) -> bool:
    """Whether an option was given (on the command line or in the environment), not defaulted.

    A value from the settings file (qcheck.toml) is a default: an option given beats it.
    """
    source = ctx.get_parameter_source(name)
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def refuse_with_layout(ctx: click.Context, *, each: bool = False, years: bool = False) -> None:
    """Refuse (a usage error) what --layout does not go with: it takes each folder's year."""
    for option, used in (("--year", given(ctx, "year")), ("--each", each), ("--years", years)):
        if used:
            raise BadValue("layout_with", param_hint="'--layout'", option=option)


@dataclass(frozen=True)
class LaidYear:
    """A year's folder as --layout reads it: its report files, and whether one was named."""

    year: int
    files: tuple[Path, ...]
    named: bool  # a file in it was given (pre-commit named it): it is no folder to pass by
    folder: str


def laid_out(request: Request, read: list[Path] | None) -> tuple[list[LaidYear], list[Problem]]:
    """Return the year folders the inputs fall in, with their files, and the problems found.

    A folder of a year holding no report yet is left out, and said to be.
    """
    if STDIN in request.inputs:
        raise BadValue("layout_stdin", param_hint="'--layout'")
    layout = lay_out(Path(request.layout or ""), request.inputs, waivers=read or ())
    for source in layout.left_out:
        note("layout_left_out", source=source, reports=request.layout)
    waivers = {identity_of(path) for path in read or ()}
    laid: list[LaidYear] = []
    problems = list(layout.problems)
    for found in layout.folders:
        files, found_problems = expand_inputs([str(found.folder)], waivers=read)
        # A file named is read where the folder's search passed it by (a hidden one), unless
        # the search told of it already (a .xls): said once.
        told = {identity_of(Path(problem.source)) for problem in found_problems}
        listed = {identity_of(path) for path in files} | told
        files += [path for path in found.named if identity_of(path) not in listed]
        files = [path for path in files if identity_of(path) not in waivers]  # read as waivers
        if not files and all(problem.code == "no-data" for problem in found_problems):
            note("layout_empty_year", folder=str(found.folder))
            continue
        laid.append(LaidYear(found.year, tuple(files), bool(found.named), str(found.folder)))
        problems += found_problems
    return laid, problems


def in_plan(
    laid: list[LaidYear], catalogue: Catalogue, problems: list[Problem], *, reports: str
) -> tuple[list[Group], list[Problem]]:
    """Return a group per year folder of the plan's years, and every problem of the layout.

    A year's folder outside the plan's years is left out, and said to be, when every year was
    asked for (an earlier plan's years stay in the repository); a file named in one is refused,
    as no target can judge it (a typo'd year must not let a report through unread). A run
    left with nothing to judge is refused too: no data never passes.
    """
    plan = catalogue.plan
    groups: list[Group] = []
    problems = list(problems)
    for year in laid:
        if plan.start_year <= year.year <= plan.target_year:
            groups.append(Group(year.files, year.year, year.folder))
        elif year.named:
            problems += (
                Problem.of(
                    "outside-layout",
                    source=str(path),
                    words="year-outside",
                    hints=LAYOUT_HINTS,
                    year=year.year,
                    start=plan.start_year,
                    end=plan.target_year,
                )
                for path in year.files
            )
        else:
            note("layout_year_outside", year=year.year, start=plan.start_year, end=plan.target_year)
    if not groups and not problems:
        problems.append(
            Problem.of("outside-layout", source=reports, words="nothing", hints=LAYOUT_HINTS)
        )
    return groups, problems
