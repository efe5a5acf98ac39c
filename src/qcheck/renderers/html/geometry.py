"""Where a chart's marks go: plain numbers worked out from a report's figures, for the templates.

Pure arithmetic, no words: the templates place what is given here and write the words the
renderer gives them. A figure that is missing stays None and is drawn as missing, never as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

# Of a chart's space, what a range of figures leaves on either side: a line or a value drawn
# at the very edge would be hard to see.
PADDING = Decimal("0.25")
BULLET_WIDTH = 360
BULLET_HEIGHT = 40
TREND_WIDTH = 360
TREND_HEIGHT = 150
BARS_WIDTH = 360
BAR_HEIGHT = 18
BAR_GAP = 8
BAR_LABELS = 120  # the room left of the bars for their labels (a county's name)
MARGIN = 8.0


def _nice_step(span: Decimal) -> Decimal:
    """Return a power of ten near a range's size, to round its ends to."""
    return Decimal(1).scaleb(span.adjusted())


def domain(
    values: Sequence[Decimal],
    *,
    zero: bool = False,
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
) -> tuple[Decimal, Decimal]:
    """Return the range an axis spans: every one of ``values``, padded, at round figures.

    ``zero``: the axis starts at 0 (bars are read by their length); ``floor`` and ``ceiling``
    are the least and greatest figure the unit allows (a rate's 0 and 100), never passed unless
    a value passes them. ``values`` must not be empty.
    """
    low, high = min(values), max(values)
    if zero:
        low, high = min(low, Decimal(0)), max(high, Decimal(0))
    span = high - low
    if span == 0:  # one figure: a tenth of its size either side
        span = abs(high) / 10 or Decimal(1)
    pad = span * PADDING
    step = _nice_step(span + 2 * pad)
    start = low if zero and low == 0 else _round(low - pad, step, ROUND_FLOOR)
    end = _round(high + pad, step, ROUND_CEILING)
    if floor is not None and floor <= low:
        start = max(start, floor)
    if ceiling is not None and ceiling >= high:
        end = min(end, ceiling)
    if end == start:  # a unit allowing a single figure
        end = start + 1
    return start, end


def _round(number: Decimal, step: Decimal, rounding: str) -> Decimal:
    return (number / step).to_integral_value(rounding=rounding) * step


@dataclass(frozen=True)
class Axis:
    """A linear map from figures in ``low``–``high`` to positions ``start``–``end``."""

    low: Decimal
    high: Decimal
    start: float
    end: float

    def at(self, figure: Decimal) -> float:
        """Return the position of ``figure``, to a tenth of a pixel."""
        share = (figure - self.low) / (self.high - self.low)
        return round(self.start + float(share) * (self.end - self.start), 1)


@dataclass(frozen=True)
class Band:
    """A stretch of an axis, as positions: from ``x`` for ``width``."""

    x: float
    width: float


def band_between(axis: Axis, one: Decimal, other: Decimal) -> Band:
    """Return the stretch between two figures, whichever is the greater."""
    left, right = sorted((axis.at(one), axis.at(other)))
    return Band(left, round(right - left, 1))


@dataclass(frozen=True)
class Bullet:
    """A bullet chart: the value's bar against the line(s), the warning band, the axis' ends."""

    width: int
    height: int
    bar_y: float
    bar_height: float
    track: Band  # the whole axis
    value: Band | None  # None: no figure
    lines: tuple[float, ...]
    band: Band | None
    low: Decimal  # the axis' ends, for their labels
    high: Decimal


def bullet(
    value: Decimal | None,
    lines: Sequence[Decimal],
    *,
    band: tuple[Decimal, Decimal] | None = None,
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
) -> Bullet:
    """Return a bullet chart of ``value`` against ``lines``, ``band`` (two figures) hatched.

    The axis spans the value, the lines and the band, padded: a value near its line is told
    from it at a glance, as a chart from 0 would not.
    """
    figures = [*lines, *(band or ()), *(() if value is None else (value,))]
    low, high = domain(figures or [Decimal(0)], floor=floor, ceiling=ceiling)
    axis = Axis(low, high, MARGIN, BULLET_WIDTH - MARGIN)
    return Bullet(
        width=BULLET_WIDTH,
        height=BULLET_HEIGHT,
        bar_y=8.0,
        bar_height=14.0,
        track=Band(axis.start, axis.end - axis.start),
        value=None if value is None else band_between(axis, low, value),
        lines=tuple(axis.at(line) for line in lines),
        band=None if band is None else band_between(axis, *band),
        low=low,
        high=high,
    )


@dataclass(frozen=True)
class Point:
    """A year of a trend: its position across, and its figure's height (None: no figure)."""

    year: int
    x: float
    y: float | None


@dataclass(frozen=True)
class TrendChart:
    """A trend line: the points, the runs of years with figures, the line and the baseline."""

    width: int
    height: int
    points: tuple[Point, ...]
    runs: tuple[str, ...]  # each run of years with figures, as an SVG polyline's points
    line: float | None  # the line's height, where the target has one
    baseline: Point | None
    left: float
    right: float
    top: float
    bottom: float
    low: Decimal
    high: Decimal


def trend(
    points: Sequence[tuple[int, Decimal | None]],
    *,
    line: Decimal | None = None,
    baseline: tuple[int, Decimal] | None = None,
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
) -> TrendChart:
    """Return a trend chart of the figures year by year, with the line and the baseline.

    A year without a figure breaks the line: its point has no height.
    """
    figures = [n for _, n in points if n is not None]
    figures += [n for n in (line, baseline[1] if baseline else None) if n is not None]
    low, high = domain(figures or [Decimal(0)], floor=floor, ceiling=ceiling)
    years = [year for year, _ in points] + ([baseline[0]] if baseline else [])
    first, last = min(years), max(years)
    left, right, top, bottom = 44.0, TREND_WIDTH - 16.0, 12.0, TREND_HEIGHT - 24.0
    across = Axis(Decimal(first - 1), Decimal(last + 1), left, right)
    up = Axis(low, high, bottom, top)
    placed = tuple(
        Point(year, across.at(Decimal(year)), None if n is None else up.at(n)) for year, n in points
    )
    runs: list[list[Point]] = [[]]
    for point in placed:
        if point.y is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return TrendChart(
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        points=placed,
        runs=tuple(" ".join(f"{p.x},{p.y}" for p in run) for run in runs if run),
        line=None if line is None else up.at(line),
        baseline=None
        if baseline is None
        else Point(baseline[0], across.at(Decimal(baseline[0])), up.at(baseline[1])),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        low=low,
        high=high,
    )


@dataclass(frozen=True)
class Bar:
    """A bar: its row's height, its length (None: no figure, drawn as missing)."""

    y: float
    value: Band | None


@dataclass(frozen=True)
class Bars:
    """Bars from 0, one a row, against a line, with a mean (the counties' figures, a change)."""

    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    track: Band  # the whole axis, which a missing bar outlines
    line: float | None
    mean: float | None
    low: Decimal
    high: Decimal


def bars(
    values: Sequence[Decimal | None],
    *,
    line: Decimal | None = None,
    mean: Decimal | None = None,
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
) -> Bars:
    """Return a bar per figure, from 0, with the line and the mean across them."""
    figures = [n for n in (*values, line, mean) if n is not None]
    low, high = domain(figures or [Decimal(0)], zero=True, floor=floor, ceiling=ceiling)
    axis = Axis(low, high, float(BAR_LABELS), BARS_WIDTH - MARGIN)
    zero = max(low, min(high, Decimal(0)))
    rows = tuple(
        Bar(
            y=MARGIN + index * (BAR_HEIGHT + BAR_GAP),
            value=None if value is None else band_between(axis, zero, value),
        )
        for index, value in enumerate(values)
    )
    return Bars(
        width=BARS_WIDTH,
        height=int(MARGIN * 2 + len(values) * (BAR_HEIGHT + BAR_GAP) + 12),
        bar_height=BAR_HEIGHT,
        bars=rows,
        track=Band(axis.start, axis.end - axis.start),
        line=None if line is None else axis.at(line),
        mean=None if mean is None else axis.at(mean),
        low=low,
        high=high,
    )
