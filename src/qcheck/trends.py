"""Several years judged on the same inputs: each target's series, its sparkline and direction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from qcheck.verdicts import Result, Status, Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.evaluation import Report

# From lowest to highest: a series' least figure gets the first, its greatest the last.
GLYPHS = "▁▂▃▄▅▆▇█"
GAP = "·"  # a year without a figure
Direction = Literal["rising", "falling", "flat"]


@dataclass(frozen=True, slots=True)
class Point:
    """One year of a target's series: its figure for that year (None: none) and its status."""

    year: int
    value: Value | None
    status: Status


@dataclass(frozen=True, slots=True)
class Series:
    """A target's figures and statuses year by year, with its baseline and line, for charts."""

    target: Target
    points: tuple[Point, ...]
    due_year: int
    baseline: Decimal | None = None
    baseline_year: int | None = None
    threshold: Decimal | None = None  # the line in force in the due year, where there is one

    @property
    def numbers(self) -> tuple[Decimal | None, ...]:
        """The figure of each year as a number (None: none, or a yes / no answer)."""
        return tuple(
            None if p.value is None or isinstance(p.value, bool) else p.value for p in self.points
        )


@dataclass(frozen=True)
class Trend:
    """The reports of the years evaluated, in order, on the same inputs (``--years``)."""

    reports: tuple[Report, ...]

    def __post_init__(self) -> None:
        if not self.reports:
            raise ValueError("a trend needs the report of one year at least")
        years = [report.year for report in self.reports]
        if years != sorted(set(years)):
            raise ValueError(f"a trend's reports are of distinct years, in order: {years}")

    @property
    def years(self) -> tuple[int, ...]:
        """The years evaluated, earliest first."""
        return tuple(report.year for report in self.reports)

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue every year was judged against."""
        return self.reports[0].catalogue

    def series(self) -> tuple[Series, ...]:
        """Return each target's series, in the catalogue's order."""
        by_target = [
            {result.target.id: result for result in report.results} for report in self.reports
        ]
        return tuple(
            series_of(self.catalogue, target, [results[target.id] for results in by_target])
            for target in self.catalogue.targets
        )


def series_of(catalogue: Catalogue, target: Target, results: Sequence[Result]) -> Series:
    """Return a target's series from its results, one per year, earliest first."""
    due = target.rule.due_year(catalogue)
    baselines = [r for r in results if r.baseline is not None]
    edges = target.rule.edges(due)
    return Series(
        target=target,
        points=tuple(Point(r.year, year_figure(r), r.status) for r in results),
        due_year=due,
        baseline=baselines[-1].baseline if baselines else None,
        baseline_year=baselines[-1].baseline_year if baselines else None,
        threshold=edges[0] if len(edges) == 1 else None,
    )


def year_figure(result: Result) -> Value | None:
    """Return the figure a result has for its own year, if it read one.

    That is the value judged when it is that year's; else the figure reported for that year
    in the value's region (city-wide, for most): a rule of every year judged in 2020 may
    decide on 2019's figure, but 2020's point of the series is 2020's.
    """
    if result.value is not None and result.value_year in (None, result.year):
        return result.value
    for observation in result.observations:
        if observation.year == result.year and observation.region == result.value_region:
            return observation.value
    return None


def sparkline(values: Sequence[Decimal | None]) -> str:
    """Return a glyph per value, scaled from the least to the greatest; GAP where there is none.

    Equal values get equal glyphs and a greater value never a lower one; when every value is
    the same, each gets the middle glyph.
    """
    present = [value for value in values if value is not None]
    if not present:
        return GAP * len(values)
    low, high = min(present), max(present)
    top = len(GLYPHS) - 1
    glyphs = []
    for value in values:
        if value is None:
            glyphs.append(GAP)
        elif high == low:
            glyphs.append(GLYPHS[top // 2])
        else:
            step = (value - low) / (high - low) * top
            glyphs.append(GLYPHS[int(step.to_integral_value())])
    return "".join(glyphs)


def direction(values: Sequence[Decimal | None]) -> Direction | None:
    """Return how a series moved from its first figure to its last; None with fewer than two."""
    present = [value for value in values if value is not None]
    if len(present) < 2:
        return None
    first, last = present[0], present[-1]
    if last > first:
        return "rising"
    return "falling" if last < first else "flat"
