"""The interface every output format implements."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import PurePath, PurePosixPath
from typing import Any, ClassVar

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report, Result, Summary, unused_row_problems
from qcheck.i18n import Texts
from qcheck.measurements import Origin, held, plain_decimal
from qcheck.problems import Problem, shown_problems, source_name
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import InUnit, Value
from qcheck.words import SOURCE, Lang, join

# What a renderer returns: text, or the bytes of a binary document (an .xlsx workbook).
Rendered = str | bytes
_SMALLEST_PLAIN_FLOAT = 1e-4  # repr() writes smaller floats with an exponent: 1e-05


class Renderer(ABC):
    """Turns reports into the text of one output format; never prints."""

    # Whether it renders a binary document (bytes), which a terminal cannot show.
    binary: ClassVar[bool] = False
    # Whether it writes annotations, which only a CI runner reads: it is told whether it runs
    # under one (``annotations``), and writes plain lines where it does not.
    annotates: ClassVar[bool] = False

    def __init__(self, *, lang: Lang, by: str = "area") -> None:
        self.lang = lang
        self.by = by  # how a format for people groups a report's targets (see GROUPINGS)
        # Keyed by id(); the catalogue is kept beside its words so that the id stays its own.
        self._texts: dict[int, tuple[Catalogue, Texts]] = {}
        self._parts: dict[int, tuple[Report, str]] = {}  # parts to reuse, by report, as above

    def texts_for(self, catalogue: Catalogue) -> Texts:
        """Return the words for ``catalogue`` in this renderer's language, made once per run."""
        if id(catalogue) not in self._texts:
            self._texts[id(catalogue)] = (catalogue, Texts(self.lang, catalogue))
        return self._texts[id(catalogue)][1]

    def part(self, report: Report) -> str | None:
        """Return what a batch's output says of ``report`` alone, or None where it says nothing.

        A worker process makes it beside the report (see reuse); JSON has such a part.
        """
        return None

    def reuse(self, report: Report, part: str) -> None:
        """Take ``report``'s part, made by another renderer of this kind and language."""
        self._parts[id(report)] = (report, part)

    def reused(self, report: Report) -> str | None:
        """Return ``report``'s part if one was given to reuse."""
        known = self._parts.get(id(report))
        return known[1] if known is not None and known[0] is report else None

    @abstractmethod
    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> Rendered:
        """Return the reports as text (or bytes), and the inputs not evaluated (--each).

        Each report lists at most ``limit`` warnings about its input, then how many more.
        """

    def render_trend(self, trend: Trend, *, limit: int) -> Rendered:
        """Return the reports of several years (--years): by default, as with several inputs."""
        return self.render(trend.reports, limit=limit)

    @abstractmethod
    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> Rendered:
        """Return the result of `qcheck validate` as text (or bytes), listing ``limit`` problems."""


@dataclass(frozen=True)
class InputWarnings:
    """The warnings about a report's input to list, and how many more were found."""

    shown: tuple[Problem, ...]
    more: int

    @property
    def count(self) -> int:
        """How many warnings were found in all."""
        return len(self.shown) + self.more


def input_warnings(report: Report, limit: int) -> InputWarnings:
    """Return the warnings about a report's input, rows no rule read included, ``limit`` listed.

    Every format carries them: a result read alone must not look clean when part of the input
    was not read, or was read as something else than it says.
    """
    unused, unlisted = unused_row_problems(report)
    omitted = report.omitted_problems + unlisted
    shown, more = shown_problems((*report.problems, *unused), limit, omitted=omitted)
    return InputWarnings(tuple(shown), more)


def once_each(problem_lists: Iterable[Sequence[Problem]]) -> list[tuple[Problem, ...]]:
    """Return each list of problems without those an earlier list has.

    The years of a trend read the same inputs: a warning found in each is told once.
    """
    told: set[str] = set()
    kept = []
    for problems in problem_lists:
        fresh = []
        for problem in problems:
            said = problem.describe(SOURCE)
            if said not in told:
                told.add(said)
                fresh.append(problem)
        kept.append(tuple(fresh))
    return kept


def trend_warnings(reports: Sequence[Report], limit: int) -> InputWarnings:
    """Return the warnings about the input of several years, each once, ``limit`` listed."""
    lists = []
    # The years read the same inputs: as many warnings were left out of each.
    omitted = max((report.omitted_problems for report in reports), default=0)
    for report in reports:
        unused, unlisted = unused_row_problems(report)
        lists.append((*report.problems, *unused))
        omitted += unlisted
    fresh = [problem for problems in once_each(lists) for problem in problems]
    shown, more = shown_problems(fresh, limit, omitted=omitted)
    return InputWarnings(tuple(shown), more)


def summary_line(texts: Texts, report: Report, warnings: InputWarnings) -> str:
    """Return a report's counts line, saying how many warnings its input has, if any."""
    counts = texts.summary(report.summary)
    if not warnings.count:
        return counts
    return texts.label("with_warnings", summary=counts, count=warnings.count)


def decisive_origin(result: Result) -> Origin | None:
    """Return where the figure that decided a result was read, if it came from one row."""
    region = result.value_region
    for observation in result.observations:
        if observation.year == result.value_year and region in (None, observation.region):
            return observation.origin
    return result.observations[0].origin if result.observations else None


@cache
def run_time() -> datetime:
    """Return the time of the run, to the second, with its offset: the same for every output.

    The documents of one run (a page and a workbook, or those a failed run writes) name the
    same time.
    """
    return datetime.now().astimezone().replace(microsecond=0)


def region_figures(result: Result) -> dict[str, Value]:
    """Return each county's figure a result judged: those of the year its value is of.

    A dated commitment done in an earlier year is judged on that year's answer; a rule with a
    baseline also read an earlier year's figures, which are not what it judged.
    """
    year = judged_year(result)
    return {
        o.region: o.value for o in result.observations if o.region is not None and o.year == year
    }


def judged_year(result: Result) -> int:
    """Return the year whose figures a result judged: its value's, else the year evaluated."""
    return result.value_year or result.year


def sources_named(owner: Report | Validation, lang: Lang) -> list[str]:
    """Return the inputs of a report or validation, each with the sheet read from it."""
    return [source_name(source, owner.sheets, lang) for source in owner.sources]


def report_anchor(report: Report) -> str | None:
    """Return what names a report's inputs for good: its year's folder, one file, or their folder.

    A year's folder that gains a file keeps its name (city.csv sorting before the counties'
    files does not make it another report), where a list or the first file would not.
    """
    return report.folder or inputs_anchor(report.sources)


def inputs_anchor(sources: Sequence[str]) -> str | None:
    """Return the one input, or the folder the inputs share (None if they share none)."""
    if len(sources) <= 1:
        return sources[0] if sources else None
    try:
        return os.path.commonpath([PurePosixPath(PurePath(s).as_posix()) for s in sources])
    except ValueError:  # absolute and relative paths together
        return None


def report_name(report: Report, lang: Lang) -> str:
    """Return how a report is named among several: its year's folder (--layout), or its inputs."""
    return report.folder or join(lang, sources_named(report, lang))


def first_source(report: Report) -> str | None:
    """Return the first input file of a report, to point at when no row decides a result."""
    return report.sources[0] if report.sources else None


def machine_data(value: Any) -> Any:
    """Return rule facts or reason parameters ready for JSON and YAML: numbers as numbers."""
    if isinstance(value, InUnit):
        return machine_number(value.number)
    if isinstance(value, dict):
        return {str(key): machine_data(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [machine_data(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return machine_number(value) if isinstance(value, Decimal) else value


def machine_number(value: Decimal | bool | None) -> float | int | bool | Decimal | None:
    """Return a figure, held to 15 digits, as a JSON-ready number: an int when whole, else a float.

    A float's 15 digits come back unchanged when it is read. Below 1e-4, where a float is
    written with an exponent, the figure stays a Decimal: see ``plain_number``.
    """
    if value is None or isinstance(value, bool):
        return value
    number = held(value)
    if number == number.to_integral_value():
        return int(number)
    as_float = float(number)
    return as_float if abs(as_float) >= _SMALLEST_PLAIN_FLOAT else number


def plain_number(value: Decimal | bool) -> str:
    """Return a figure, held to 15 digits, as text without an exponent (1E-7 -> 0.0000001)."""
    if isinstance(value, bool):
        return "met" if value else "not met"
    return plain_decimal(held(value))


def totals(reports: Sequence[Report]) -> Summary:
    """Add up the summaries of several reports."""
    return Summary.added(report.summary for report in reports)
