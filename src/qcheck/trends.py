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
    from qcheck.measurements import Origin

# From lowest to highest: a series' least figure gets the first, its greatest the last.
GLYPHS = "▁▂▃▄▅▆▇█"
GAP = "·"  # a year without a figure
Direction = Literal["rising", "falling", "flat"]
# A change smaller than this share of a series' scale (its greatest figure or line) is none:
# at 100, half the second decimal that figures are shown to. A difference that cannot be seen
# must not draw a full-height sparkline nor read "falling".
RESOLUTION = Decimal("0.00005")


@dataclass(frozen=True, slots=True)
class Point:
    """One year of a target's series: its figure for that year (None: none) and its status."""

    year: int
    value: Value | None
    status: Status
    origins: tuple[Origin, ...] = ()  # the rows the year's own figures were read from


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

    @property
    def undated_years(self) -> tuple[int, ...]:
        """The years whose figure is read from the same row as another year's.

        A row gives one year's figure, unless its year was left blank: it then counts for
        each year judged, and its figure repeats the same report, not a trend.
        """
        return tuple(
            point.year
            for point in self.points
            if any(
                set(point.origins) & set(other.origins)
                for other in self.points
                if other is not point
            )
        )

    @property
    def distinct_numbers(self) -> tuple[Decimal | None, ...]:
        """The numbers, None where a year's figure repeats the rows of an earlier year's.

        What a sparkline and direction are drawn from: one row without a year is one figure.
        """
        seen: set[Origin] = set()
        numbers = []
        for point, number in zip(self.points, self.numbers, strict=True):
            numbers.append(None if seen.issuperset(point.origins) and point.origins else number)
            seen.update(point.origins)
        return tuple(numbers)

    @property
    def sparkline(self) -> str:
        """The sparkline of the distinct figures, scaled to the series' line too."""
        return sparkline(self.distinct_numbers, line=self.threshold)

    @property
    def direction(self) -> Direction | None:
        """How the distinct figures moved, within the tolerance of the series' line too."""
        return direction(self.distinct_numbers, line=self.threshold)


@dataclass(frozen=True)
class Trend:
    """The reports of the years evaluated, in order, on the same inputs (``--years``).

    ``history``: the run was asked about the last year alone, and the years before it were
    judged for a document's charts (see OutputFormat.document), not asked about.
    """

    reports: tuple[Report, ...]
    history: bool = False

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
        points=tuple(Point(r.year, year_figure(r), r.status, year_origins(r)) for r in results),
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


def year_origins(result: Result) -> tuple[Origin, ...]:
    """Return the rows a result read for its own year."""
    return tuple(o.origin for o in result.observations if o.year == result.year)


def tolerance(values: Sequence[Decimal | None], line: Decimal | None = None) -> Decimal:
    """Return the least change of a series that counts: RESOLUTION of its greatest magnitude."""
    scale = [abs(value) for value in (*values, line) if value is not None]
    return max(scale, default=Decimal(0)) * RESOLUTION


def sparkline(values: Sequence[Decimal | None], *, line: Decimal | None = None) -> str:
    """Return a glyph per value, scaled from the least to the greatest; GAP where there is none.

    Equal values get equal glyphs and a greater value never a lower one; when the values
    differ by no more than the tolerance (see ``tolerance``, with the series' ``line``), each
    gets the middle glyph.
    """
    present = [value for value in values if value is not None]
    if not present:
        return GAP * len(values)
    low, high = min(present), max(present)
    flat = high - low <= tolerance(values, line)
    top = len(GLYPHS) - 1
    glyphs = []
    for value in values:
        if value is None:
            glyphs.append(GAP)
        elif flat:
            glyphs.append(GLYPHS[top // 2])
        else:
            step = (value - low) / (high - low) * top
            glyphs.append(GLYPHS[int(step.to_integral_value())])
    return "".join(glyphs)


def direction(values: Sequence[Decimal | None], *, line: Decimal | None = None) -> Direction | None:
    """Return how a series moved from its first figure to its last; None with fewer than two.

    A move no greater than the tolerance (see ``tolerance``, with the series' ``line``) is flat.
    """
    present = [value for value in values if value is not None]
    if len(present) < 2:
        return None
    moved = present[-1] - present[0]
    if abs(moved) <= tolerance(values, line):
        return "flat"
    return "rising" if moved > 0 else "falling"
