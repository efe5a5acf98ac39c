"""Where a chart's marks go: plain numbers worked out from a report's figures, for the templates.

Pure arithmetic, no words: the templates place what is given here and write the words the
renderer gives them. A figure that is missing stays None and is drawn as missing, never as 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
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
FONT = 11.0  # the charts' font size, as the templates set it
POINT = 3.5  # a trend point's radius
MARK = 5.0  # half the size of the status mark above a trend point
GAP = 10.0  # a label this far from every mark is clear of them
BREAK = 20.0  # the stretch of a broken axis standing for its figures from 0 to where it resumes
# A broken axis: the bars' figures are so far from 0, and so near one another, that on a
# scale from 0 a line would hide a point's difference; a scale this many times theirs is.
ZOOM = 3


def text_width(text: str, size: float = FONT) -> float:
    """Return about how wide ``text`` is drawn: a CJK character is square, others narrower.

    Generous, so that a label placed clear of a mark by this width is clear in any font.
    """
    return round(
        sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.62 for char in text),
        1,
    )


@dataclass(frozen=True)
class Box:
    """A rectangle of a chart: what a label covers, or what a mark does."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share any area."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def distance(self, other: Box) -> float:
        """Return how far apart the two are, across or up, whichever is greater (0: touching)."""
        across = max(0.0, self.left - other.right, other.left - self.right)
        up = max(0.0, self.top - other.bottom, other.top - self.bottom)
        return max(across, up)


@dataclass(frozen=True)
class Label:
    """Where a label's text starts (its left end, on its baseline), and the box it covers."""

    x: float
    y: float
    box: Box


def label_at(x: float, y: float, width: float, size: float = FONT) -> Label:
    """Return a label starting at ``x`` on the baseline ``y``: its box, descenders included."""
    return Label(round(x, 1), round(y, 1), Box(x, y - size, x + width, y + size * 0.25))


def around(x: float, y: float, radius: float) -> Box:
    """Return the box a mark of ``radius`` centred on ``x``, ``y`` covers."""
    return Box(x - radius, y - radius, x + radius, y + radius)


def zigzag(x: float, top: float, bottom: float) -> str:
    """Return the points of a zigzag across ``top``–``bottom`` at ``x``: a broken axis' mark."""
    steps = max(2, round((bottom - top) / 4))
    rise = (bottom - top) / steps
    return " ".join(
        f"{round(x + (3 if step % 2 else -3), 1)},{round(top + step * rise, 1)}"
        for step in range(steps + 1)
    )


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
    broken: str | None = None  # the zigzag at the end of an axis not reaching 0

    @property
    def from_zero(self) -> bool:
        """Whether the axis reaches 0: if not, its left end is not 0, nor its right end."""
        return self.low <= 0 <= self.high


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
    bar_y, bar_height = 8.0, 14.0
    # The axis' end away from 0 is where it is broken off.
    cut = axis.start if low > 0 else axis.end if high < 0 else None
    return Bullet(
        width=BULLET_WIDTH,
        height=BULLET_HEIGHT,
        bar_y=bar_y,
        bar_height=bar_height,
        track=Band(axis.start, axis.end - axis.start),
        value=None if value is None else band_between(axis, low, value),
        lines=tuple(axis.at(line) for line in lines),
        band=None if band is None else band_between(axis, *band),
        low=low,
        high=high,
        broken=None if cut is None else zigzag(cut, bar_y - 3, bar_y + bar_height + 3),
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
    label: Label | None  # where the line's label goes, clear of every point
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
    label_width: float = 0.0,
    missing_width: float = 0.0,
) -> TrendChart:
    """Return a trend chart of the figures year by year, with the line and the baseline.

    A year without a figure breaks the line: its point has no height, and its mark
    (``missing_width`` wide) stands at the foot of the chart. The line's label
    (``label_width`` wide) goes above or below the line where no point, no words and no stretch
    of the trend are; where there is no such place, above the chart, which is made room for.
    """
    figures = [n for _, n in points if n is not None]
    figures += [n for n in (line, baseline[1] if baseline else None) if n is not None]
    low, high = domain(figures or [Decimal(0)], floor=floor, ceiling=ceiling)
    years = [year for year, _ in points] + ([baseline[0]] if baseline else [])
    first, last = min(years), max(years)
    left, right, top, bottom = 44.0, TREND_WIDTH - 16.0, 12.0, TREND_HEIGHT - 24.0
    across = Axis(Decimal(first - 1), Decimal(last + 1), left, right)
    chart = _trend(points, across, Axis(low, high, bottom, top), line, baseline)
    if line is None:
        return chart
    marks = _marks(chart, missing_width)
    clear = [
        place for place in _places(chart, label_width) if not any(map(place.box.overlaps, marks))
    ]
    if clear:  # the place furthest from any mark, up to a clear gap; the first of equals
        best = max(clear, key=lambda place: _gap(place.box, marks))
        return replace(chart, label=best)
    # No room beside the line: the plot moves down and the label goes above it.
    room = top + FONT + 4
    chart = _trend(points, across, Axis(low, high, bottom, room), line, baseline)
    return replace(chart, label=label_at(max(left + 4, right - label_width), top, label_width))


def _trend(
    points: Sequence[tuple[int, Decimal | None]],
    across: Axis,
    up: Axis,
    line: Decimal | None,
    baseline: tuple[int, Decimal] | None,
) -> TrendChart:
    """Return a trend chart placed on the two axes, its line's label not yet placed."""
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
        label=None,
        baseline=None
        if baseline is None
        else Point(baseline[0], across.at(Decimal(baseline[0])), up.at(baseline[1])),
        left=across.start,
        right=across.end,
        top=up.end,
        bottom=up.start,
        low=up.low,
        high=up.high,
    )


def _marks(chart: TrendChart, missing_width: float) -> list[Box]:
    """Return what a trend's line label must keep clear of: points, words, the trend's runs."""
    marks = [around(p.x, p.y, POINT + 1) for p in chart.points if p.y is not None]
    # Each point's status mark stands above it.
    marks += [around(p.x, p.y - 9, MARK) for p in chart.points if p.y is not None]
    marks += [
        label_at(p.x - missing_width / 2, chart.bottom - 4, missing_width).box
        for p in chart.points
        if p.y is None
    ]
    if chart.baseline is not None and chart.baseline.y is not None:
        marks.append(around(chart.baseline.x, chart.baseline.y, 7))
    for one, other in zip(chart.points, chart.points[1:], strict=False):
        if one.y is not None and other.y is not None:
            marks += _along(one.x, one.y, other.x, other.y)
    return marks


def _gap(box: Box, marks: Sequence[Box]) -> float:
    """Return how far a box is from the nearest mark, up to ``GAP``: any gap that wide is clear."""
    return min([GAP, *(box.distance(mark) for mark in marks)])


def _along(x1: float, y1: float, x2: float, y2: float) -> Iterator[Box]:
    """Yield small boxes covering the stretch of a line between two points."""
    steps = max(1, round(max(abs(x2 - x1), abs(y2 - y1)) / 2))
    for step in range(steps + 1):
        share = step / steps
        yield around(x1 + (x2 - x1) * share, y1 + (y2 - y1) * share, 1.5)


def _places(chart: TrendChart, width: float) -> Iterator[Label]:
    """Yield where a line's label may go: just above or below the line, right end first."""
    assert chart.line is not None  # noqa: S101 - the caller asked
    above, below = chart.line - 3, chart.line + FONT + 2
    first, last = chart.left + 4, chart.right - width
    xs = [last, first, *(x for x in _steps(last, first, 8))]
    for x in xs:
        for y in (above, below):
            place = label_at(x, y, width)
            if chart.top <= place.box.top and place.box.bottom <= chart.bottom:
                yield place


def _steps(start: float, end: float, step: float) -> Iterator[float]:
    """Yield the positions from ``start`` towards ``end``, ``step`` apart, both left out."""
    position = start - step
    while position > end:
        yield position
        position -= step


@dataclass(frozen=True)
class Bar:
    """A bar: its row's height, its length (None: no figure, drawn as missing), its label's x."""

    y: float
    value: Band | None
    label: float = 0.0  # where its figure's words start: clear of the bar, the line and the mean


@dataclass(frozen=True)
class Bars:
    """Bars from 0, one a row, against a line, with a mean (the counties' figures, a change).

    ``zoom``: where a broken axis resumes, its first ``BREAK`` pixels standing for 0 to it.
    """

    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    track: Band  # the whole axis, which a missing bar outlines
    line: float | None
    mean: float | None
    low: Decimal
    high: Decimal
    zoom: Decimal | None = None
    broken: str | None = None  # the zigzag where the axis is broken

    @property
    def resume(self) -> float:
        """Where a broken axis resumes, at ``zoom``."""
        return self.track.x + BREAK


def bars(
    values: Sequence[Decimal | None],
    *,
    line: Decimal | None = None,
    mean: Decimal | None = None,
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
    labels: Sequence[float] = (),
) -> Bars:
    """Return a bar per figure, from 0, with the line and the mean across them.

    ``labels``: how wide each bar's figure is written; it goes right of the bar, or right of
    the line or the mean where it would cross them. Where the figures are far from 0 and near
    one another the axis is broken (``zoom``), never silently: a zigzag marks it.
    """
    figures = [n for n in (*values, line, mean) if n is not None]
    low, high = domain(figures or [Decimal(0)], zero=True, floor=floor, ceiling=ceiling)
    near = domain(figures or [Decimal(0)], floor=floor, ceiling=ceiling)
    zoom = near[0] if near[0] > 0 and high >= ZOOM * (near[1] - near[0]) else None
    room = max(labels, default=0.0)
    start, end = float(BAR_LABELS), BARS_WIDTH - MARGIN - min(room, BARS_WIDTH / 4)
    if zoom is None:
        axis = Axis(low, high, start, end)
    else:
        high = near[1]
        axis = Axis(zoom, high, start + BREAK, end)
    zero = max(low, min(high, Decimal(0)))
    rules = sorted(x for x in (_at(axis, line), _at(axis, mean)) if x is not None)
    rows = []
    for index, value in enumerate(values):
        y = MARGIN + index * (BAR_HEIGHT + BAR_GAP)
        if value is None:
            rows.append(Bar(y, None))
            continue
        band = band_between(axis, zero, value) if zoom is None else _from(start, axis.at(value))
        rows.append(Bar(y, band, _clear(band.x + band.width + 3, _width(labels, index), rules)))
    foot = MARGIN + len(values) * (BAR_HEIGHT + BAR_GAP)
    return Bars(
        width=BARS_WIDTH,
        height=int(foot + MARGIN + 12),
        bar_height=BAR_HEIGHT,
        bars=tuple(rows),
        track=Band(start, end - start),
        line=_at(axis, line),
        mean=_at(axis, mean),
        low=low,
        high=high,
        zoom=zoom,
        broken=None if zoom is None else zigzag(start + BREAK / 2, 2, foot),
    )


def _at(axis: Axis, figure: Decimal | None) -> float | None:
    return None if figure is None else axis.at(figure)


def _from(start: float, end: float) -> Band:
    """Return the stretch from 0 (the axis' start) to a figure's position."""
    return Band(start, round(max(end - start, 0.0), 1))


def _width(labels: Sequence[float], index: int) -> float:
    return labels[index] if index < len(labels) else 0.0


def _clear(x: float, width: float, rules: Sequence[float]) -> float:
    """Return where a label from ``x`` goes so as to cross none of the rules (left to right)."""
    for rule in rules:
        if x - 2 <= rule <= x + width + 2:
            x = rule + 4
    return round(x, 1)
