"""Progress before the due year: the linear pace (序时进度) from a baseline towards the line.

A figure of a year before the target's due year is not judged against the due year's line as
if that year had come. From the baseline (the figure of the base year, or of the first year
reported after it) to the latest figure, the pace made each year is carried on to the due
year: the target is on track if that projection meets the line. A latest figure that meets
the line already is on track whatever the trend; one that has fallen back from a baseline that
met it is off track. Without any earlier figure no pace is known: not yet due, saying which
year to report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from qcheck.decimals import held
from qcheck.rules.base import Absent, Figure
from qcheck.rules.comparison import Comparison, compare, symbol
from qcheck.verdicts import InUnit, Progress, Reason, ReasonParam, Status

if TYPE_CHECKING:
    from qcheck.catalogue import Unit

# The comparison a projection must make when approaching an ``equals`` line from either side:
# a line reached can be held, so reaching it is enough.
_TOWARDS: dict[bool, Comparison] = {True: "at_least", False: "at_most"}


@dataclass(frozen=True)
class Aim:
    """The line a figure must meet in the due year, and how: at least, at most, equals..."""

    comparison: Comparison
    line: Decimal

    def met(self, value: Decimal) -> bool:
        """Whether ``value`` meets the line."""
        return compare(value, self.comparison, self.line)

    def margin(self, value: Decimal) -> Decimal:
        """Return how far ``value`` is from the line (on either side)."""
        return abs(value - self.line)

    def at_risk(self, value: Decimal, band: Decimal | None) -> Reason | None:
        """Return why ``value``, meeting the line, is at risk: it meets it by less than ``band``."""
        if band is None or not self.met(value) or self.margin(value) >= band:
            return None
        return inside_band(self.margin(value), band)

    def reachable(self, unit: Unit) -> bool:
        """Whether any figure the unit's range allows meets the line: its best one does."""
        if self.comparison == "equals":
            return unit.allows(self.line)
        best = unit.minimum if self.comparison in ("at_most", "below") else unit.maximum
        return best is None or compare(best, self.comparison, self.line)


@dataclass(frozen=True)
class Assessment:
    """The status a pace gives, its working and the reasons in words."""

    status: Status
    progress: Progress
    reasons: tuple[Reason, ...]
    figures: tuple[Figure, ...]  # the figures used: the baseline's (if any) and the latest


def baseline_of(
    read: Callable[[int], Figure | Absent], first: int, latest_year: int
) -> Figure | None:
    """Return the figure of ``first`` or, absent, of the first year reported after it."""
    for year in range(first, latest_year):
        figure = read(year)
        if isinstance(figure, Figure) and isinstance(figure.value, Decimal):
            return figure
    return None


def assess(
    aim: Aim,
    latest: Figure,
    baseline: Figure | None,
    *,
    asked: int,
    due_year: int,
    band: Decimal | None,
) -> Assessment:
    """Judge ``latest`` (a figure of a year before ``due_year``) on its pace from ``baseline``.

    ``asked`` is the base year asked for; ``band`` the warning band, None where none applies
    (an ``equals`` line has none: no figure meets it by a margin).
    """
    now = _number(latest)
    if aim.comparison == "equals":
        band = None
    working = Progress(
        base_year=None, baseline=None, latest_year=latest.year, latest=now, due_year=due_year,
        line=aim.line,
    )  # fmt: skip
    figures: tuple[Figure, ...] = (latest,)
    reasons: list[Reason] = []
    if baseline is not None:
        working = _paced(working, aim, baseline.year, _number(baseline))
        figures = (baseline, latest)
        if baseline.year != asked:
            params: dict[str, ReasonParam] = {"asked": asked, "year": baseline.year}
            reasons.append(Reason(code="pace-later-base", params=params))
    if aim.met(now):
        reasons.append(Reason(code="pace-met-early", params={"year": latest.year, "due": due_year}))
        if risk := aim.at_risk(now, band):
            reasons.append(risk)
            return Assessment(Status.ON_TRACK_AT_RISK, working, tuple(reasons), figures)
        return Assessment(Status.ON_TRACK, working, tuple(reasons), figures)
    line: dict[str, ReasonParam] = {"sign": symbol(aim.comparison), "line": InUnit(aim.line)}
    if working.base_year is None or working.baseline is None or working.projected is None:
        reasons.append(Reason(code="pace-no-baseline", params={"year": latest.year, "base": asked}))
        return Assessment(Status.NOT_DUE, working, tuple(reasons), figures)
    if working.required_pace is None:
        params = {"base": working.base_year, "baseline": InUnit(working.baseline), **line}
        reasons.append(Reason(code="pace-fell-back", params=params))
        return Assessment(Status.OFF_TRACK, working, tuple(reasons), figures)
    required, actual = working.required_pace, working.actual_pace or Decimal(0)
    params = {
        # Paces that differ are never shown alike: +1.995 is not "+2" beside a needed +2.
        "required": InUnit(required, difference=True, signed=True, against=actual),
        "actual": InUnit(actual, difference=True, signed=True, against=required),
        "base": working.base_year,
        "projected": InUnit(working.projected, against=aim.line),
        "due": due_year,
        **line,
    }
    reasons.append(Reason(code="linear-pace", params=params))
    towards = aim.comparison
    if towards == "equals":
        towards = _TOWARDS[aim.line > working.baseline]
    # (projected - line) * years from the base to the latest: worked exactly from the figures
    # (a mean of counties as the fraction it is), not on the rounded projection, so that a
    # series moving at exactly the required pace reaches the line.
    span = working.latest_year - working.base_year
    latest_x, line_x = latest.number(), Fraction(aim.line)
    before_x = baseline.number() if baseline is not None else Fraction(working.baseline)
    excess = (latest_x - line_x) * span + (latest_x - before_x) * (due_year - working.latest_year)
    if not compare_exactly(excess, towards):
        return Assessment(Status.OFF_TRACK, working, tuple(reasons), figures)
    if band is not None and abs(excess) < Fraction(band) * span:
        reasons.append(inside_band(aim.margin(working.projected), band))
        return Assessment(Status.ON_TRACK_AT_RISK, working, tuple(reasons), figures)
    return Assessment(Status.ON_TRACK, working, tuple(reasons), figures)


def compare_exactly(excess: Fraction, comparison: Comparison) -> bool:
    """Whether an exact difference from the line (figure − line) meets ``comparison``."""
    sign = (excess > 0) - (excess < 0)
    return compare(Decimal(sign), comparison, Decimal(0))


def _number(figure: Figure) -> Decimal:
    """Return a figure's value, a number: an answer (met / not met) has no pace."""
    if not isinstance(figure.value, Decimal):
        raise TypeError("a met / not met answer has no pace")
    return figure.value


def _paced(working: Progress, aim: Aim, base_year: int, before: Decimal) -> Progress:
    """Return ``working`` with the paces from ``before`` (of ``base_year``) and the projection.

    No pace is required of a baseline that met the line already.
    """
    due, latest_year, now = working.due_year, working.latest_year, working.latest
    actual = held((now - before) / (latest_year - base_year))
    projected = held(now + (now - before) * (due - latest_year) / (latest_year - base_year))
    required = ratio = None
    if not aim.met(before):
        required = held((aim.line - before) / (due - base_year))
        # Worked from the figures, not from the rounded paces: 0.9375, not 0.937499999999999.
        needed = (aim.line - before) * (latest_year - base_year)
        ratio = held((now - before) * (due - base_year) / needed) if needed else None
    return Progress(
        base_year=base_year,
        baseline=before,
        latest_year=latest_year,
        latest=now,
        due_year=due,
        line=aim.line,
        required_pace=required,
        actual_pace=actual,
        ratio=ratio,
        projected=projected,
    )


def inside_band(margin: Decimal, band: Decimal) -> Reason:
    """Return the reason a met figure is at risk: it meets the line by less than the band."""
    params: dict[str, ReasonParam] = {
        "margin": InUnit(margin, difference=True),
        "band": InUnit(band, difference=True),
    }
    return Reason(code="inside-band", params=params)
