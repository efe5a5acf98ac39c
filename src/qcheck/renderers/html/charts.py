"""A report's charts: which each target gets, their figures placed (geometry) and their words.

A numeric target gets a bullet chart; one judged on the counties' figures, their bars; a
decrease or increase, its baseline beside its value; and, where several years were evaluated,
a trend line. Every word comes from the words layer, through the report's Texts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from qcheck.i18n import Texts
from qcheck.renderers.base import judged_year, region_figures
from qcheck.renderers.view import trend_line
from qcheck.trends import Series
from qcheck.verdicts import Result, Status, facts

from .geometry import BAR_LABELS, Bars, Bullet, TrendChart, bars, bullet, text_width, trend

# Okabe–Ito colours, safe for colour-blind readers, by the colour word of a status's style.
COLOURS = {
    "green": "#009E73",
    "yellow": "#E69F00",
    "red": "#D55E00",
    "cyan": "#56B4E9",
    "magenta": "#CC79A7",
}
# A trend's mark of a year between two evaluated that was not evaluated itself.
GAP_MARK = "–"
# A county on the wrong side of a mean's line: it does not fail the target, so not in red.
OFF_LINE = COLOURS["yellow"]
# Where a met figure is at risk, by how it must meet its line: above it, or below it.
_BAND_ABOVE = ("at_least", "above")
_BAND_BELOW = ("at_most", "below")


def colour(status: Status) -> str:
    """Return a status's colour, from the colour its style names."""
    return COLOURS.get(facts(status).style.split()[-1], "#000000")


@dataclass(frozen=True)
class Marked:
    """Something shown with a status: its symbol as well as its colour, for greyscale readers."""

    status: Status

    @property
    def symbol(self) -> str:
        """The status's symbol."""
        return facts(self.status).symbol

    @property
    def colour(self) -> str:
        """The status's colour."""
        return colour(self.status)


# A bar's label, left of it: the room it has, and the smaller size of one on two lines.
LABEL_ROOM = BAR_LABELS - 6
SMALL = 9.5


@dataclass(frozen=True)
class Line:
    """A line of a bar's label, and the length it is squeezed to where it is too long (None)."""

    text: str
    length: float | None = None


def fit(text: str, width: float = LABEL_ROOM) -> tuple[Line, ...]:
    """Return a bar's label in lines within ``width``: one, or two at a space, squeezed if need be.

    A long county's name ("Sunan Yugur Autonomous County") is never cut at the page's edge.
    """
    if text_width(text) <= width:
        return (Line(text),)
    words = text.split()
    cut = max(1, len(words) // 2)
    for split in range(1, len(words)):
        if text_width(" ".join(words[:split]), SMALL) > width:
            break
        cut = split
    lines = [" ".join(words[:cut]), " ".join(words[cut:])] if len(words) > 1 else [text]
    size = SMALL if len(lines) > 1 else 11.0
    return tuple(
        Line(line, width if text_width(line, size) > width else None) for line in lines if line
    )


@dataclass(frozen=True)
class Row:
    """A figure a chart draws, in words: its label and its figure (missing: none reported)."""

    label: str
    figure: str
    missing: bool = False
    mark: str = ""  # a symbol beside the figure: a county on the wrong side of the line
    colour: str = ""  # its bar's colour, where not the chart's own

    @property
    def lines(self) -> tuple[Line, ...]:
        """The label as a bar chart writes it, left of its bar."""
        return fit(self.label)


@dataclass(frozen=True)
class Key:
    """A line of a chart's legend: how a mark is drawn (``kind``), its symbol and its words."""

    kind: str  # line, mean, off (a county off the line), broken (axis) or gap (a trend's year)
    words: str
    symbol: str = ""
    colour: str = ""


@dataclass(frozen=True)
class Chart(Marked):
    """One chart of a target, with every word it shows: caption, title, description, foot.

    ``rows`` are the figures drawn, for the labels and for the table that says the same in
    words; ``axis`` the labels of the axis' ends, ``line`` the line's.
    """

    kind: str  # bullet, trend, regions or change
    key: str  # unique in the page: the ids of its title and description start with it
    target_id: str
    caption: str
    title: str
    desc: str
    foot: str
    geometry: Bullet | TrendChart | Bars
    rows: tuple[Row, ...]
    axis: tuple[str, str]
    line: str = ""
    mean: str = ""
    headers: tuple[str, str] = ("", "")
    legend: tuple[Key, ...] = ()
    zoom: str = ""  # where a broken axis resumes, in words


@dataclass(frozen=True)
class Aim:
    """How a chart draws a target's line(s): the comparison and the figures."""

    comparison: str | None
    lines: tuple[Decimal, ...]


def aim_of(result: Result) -> Aim:
    """Return the line(s) a result's figure is drawn against, and which side meets them."""
    rule = result.target.rule
    aim = rule.drawn_aim(result)
    if aim is not None:
        return Aim(aim.comparison, (aim.line,))
    edges = rule.edges(result.year)
    if not edges and result.pairs:  # a total: its line is carried beside it
        edges = (result.pairs[-1][1],)
    return Aim(None, edges)


def numeric(result: Result) -> bool:
    """Whether a result is judged on a figure, so that it has a bullet chart.

    A rule with a number may take a yes / no answer instead (达到): an answer has no figure
    to draw against the line.
    """
    return not result.target.rule.answers_yes_no and not isinstance(result.value, bool)


class ChartMaker:
    """Makes the charts of one report's targets in one language, each with a key of its own."""

    def __init__(self, texts: Texts, prefix: str) -> None:
        self.texts = texts
        self.prefix = prefix
        self._count = 0

    def _key(self) -> str:
        self._count += 1
        return f"{self.prefix}c{self._count}"

    def _limits(self, result: Result) -> tuple[Decimal | None, Decimal | None]:
        """Return the least and greatest figure the target's unit allows."""
        unit_id = result.target.unit
        if unit_id is None:
            return None, None
        unit = self.texts.catalogue.unit(unit_id)
        return unit.minimum, unit.maximum

    def _figure(self, number: Decimal | None, result: Result) -> str:
        if number is None:
            return self.texts.label("chart.no_figure")
        return self.texts.observed(number, result.target, result.year)

    def _name(self, result: Result) -> str:
        return self.texts.target_name(result.target)

    def charts(self, result: Result, series: Series | None = None) -> Iterator[Chart]:
        """Yield a result's charts: bullet, then the counties', the baseline's and the trend."""
        if not numeric(result):
            return
        yield self.bullet(result)
        if result.target.rule.regions_together(self.texts.catalogue):
            yield self.regions(result)
        if result.baseline is not None and result.baseline_year is not None:
            yield self.change(result)
        if series is not None and _moves(series):
            yield self.trend(result, series)

    def bullet(self, result: Result) -> Chart:
        """Return the value against the line, the warning band hatched, the status in words."""
        texts = self.texts
        aim = aim_of(result)
        value = result.value if isinstance(result.value, Decimal) else None
        band = texts.catalogue.warning_band(result.target)
        stretch = None
        if band is not None and len(aim.lines) == 1:
            line = aim.lines[0]
            if aim.comparison in _BAND_ABOVE:
                stretch = (line, line + band)
            elif aim.comparison in _BAND_BELOW:
                stretch = (line - band, line)
        floor, ceiling = self._limits(result)
        geometry = bullet(value, aim.lines, band=stretch, floor=floor, ceiling=ceiling)
        unit = result.target.unit
        shown = texts.result_value(result)
        status_word = texts.status(result.status)
        name = self._name(result)
        return Chart(
            kind="bullet",
            key=self._key(),
            target_id=result.target.id,
            status=result.status,
            caption=texts.marked(name, result.target),
            title=texts.label("chart.bullet", name=name),
            desc=texts.comparison(result),
            foot=texts.label(
                "chart.value_line",
                value=shown,
                status=status_word,
                rule=texts.rule(result.target),
            ),
            geometry=geometry,
            rows=(
                Row(
                    texts.label("actual"),
                    shown if result.value is not None else texts.label("chart.no_figure"),
                    result.value is None,
                ),
                Row(texts.label("target"), texts.rule(result.target)),
                Row(texts.label("status"), status_word),
            ),
            axis=self._bullet_axis(geometry, unit),
            line=texts.rule(result.target),
            headers=(texts.label("indicator"), name),
        )

    def regions(self, result: Result) -> Chart:
        """Return each county's figure as a bar against the line, a missing one as missing."""
        texts = self.texts
        figures, year = region_figures(result), judged_year(result)
        scope = result.target.rule.regions_together(texts.catalogue)
        values = [
            figure if isinstance(figure := figures.get(region), Decimal) else None
            for region in scope
        ]
        aim = aim_of(result)
        line = aim.lines[0] if len(aim.lines) == 1 else None
        # A city-wide figure over the counties is their mean; one county's decided the verdict.
        whole = isinstance(result.value, Decimal) and result.value_region is None
        mean = result.value if whole and isinstance(result.value, Decimal) else None
        floor, ceiling = self._limits(result)
        rule = result.target.rule
        drawn = rule.drawn_aim(result)
        rows, offs = [], []
        for region, value in zip(scope, values, strict=True):
            row = Row(texts.region_name(region), self._figure(value, result), value is None)
            # Where each county is judged, the rule's verdict says which failed; where their
            # mean is, a county across the line is only a hint, drawn from the line.
            if rule.judges_each_region:
                across = region in result.failed_regions
            else:
                across = drawn is not None and value is not None and not drawn.met(value)
            if value is not None and across:
                edge = drawn.line if drawn is not None else value
                off = self._off(value, edge, counted=rule.judges_each_region)
                row = replace(row, mark=off.symbol, colour=off.colour)
                offs += [] if off in offs else [off]
            rows.append(row)
        geometry = bars(
            values,
            line=line,
            mean=mean,
            floor=floor,
            ceiling=ceiling,
            labels=[text_width(f"{row.figure} {row.mark}") for row in rows],
        )
        name = self._name(result)
        missing = [row.label for row in rows if row.missing]
        mean_words = (
            "" if mean is None else texts.label("chart.mean", value=self._figure(mean, result))
        )
        parts = [texts.rule(result.target), *([mean_words] if mean_words else [])]
        if missing:
            parts.append(texts.label("chart.missing_regions", regions=texts.join(missing)))
        foot = texts.join(parts, sep="sep.clause")
        return Chart(
            kind="regions",
            key=self._key(),
            target_id=result.target.id,
            status=result.status,
            caption=texts.label("chart.regions", name=name, year=year),
            title=texts.label("chart.regions", name=name, year=year),
            desc=texts.join([f"{row.label} {row.figure}" for row in rows]),
            foot=foot,
            geometry=geometry,
            rows=tuple(rows),
            axis=self._axis(geometry),
            line=texts.rule(result.target),
            mean=mean_words,
            headers=(texts.label("chart.region"), texts.label("chart.figure")),
            legend=self._legend(
                geometry,
                result,
                [
                    *([Key("line", texts.rule(result.target))] if line is not None else []),
                    *([Key("mean", mean_words)] if mean_words else []),
                    *offs,
                ],
            ),
            zoom=self._zoom(geometry),
        )

    def change(self, result: Result) -> Chart:
        """Return the baseline's bar beside the value's (a fall, a rise, a pace), and the line."""
        texts = self.texts
        baseline = result.baseline
        assert baseline is not None  # noqa: S101 - charts() asked
        value = result.value if isinstance(result.value, Decimal) else None
        aim = aim_of(result)
        line = aim.lines[0] if aim.lines else None
        floor, ceiling = self._limits(result)
        year = judged_year(result)
        rows = (
            Row(
                texts.label("chart.baseline_year", year=result.baseline_year),
                self._figure(baseline, result),
            ),
            Row(texts.label("year_of", year=year), self._figure(value, result), value is None),
        )
        geometry = bars(
            [baseline, value],
            line=line,
            floor=floor,
            ceiling=ceiling,
            labels=[text_width(row.figure) for row in rows],
        )
        name = self._name(result)
        line_words = (
            "" if line is None else texts.label("chart.line", line=self._figure(line, result))
        )
        return Chart(
            kind="change",
            key=self._key(),
            target_id=result.target.id,
            status=result.status,
            caption=texts.label("chart.change", name=name, year=result.baseline_year),
            title=texts.label("chart.change", name=name, year=result.baseline_year),
            desc=texts.comparison(result),
            foot=texts.join(
                [
                    texts.rule(result.target),
                    *([line_words] if line_words else []),
                    texts.gap(result),
                ],
                sep="sep.clause",
            ),
            geometry=geometry,
            rows=rows,
            axis=self._axis(geometry),
            line=line_words,
            headers=(texts.label("chart.year"), texts.label("chart.figure")),
            legend=self._legend(geometry, result, [Key("line", line_words)] if line_words else []),
            zoom=self._zoom(geometry),
        )

    def trend(self, result: Result, series: Series) -> Chart:
        """Return the figures of the years evaluated as a line, with the baseline and the line.

        Each year's point is marked with that year's own status. A year between two evaluated
        that was not evaluated (--years 2018,2020) breaks the line and is said to be so.
        """
        texts = self.texts
        by_year = dict(zip((p.year for p in series.points), series.numbers, strict=True))
        statuses = {point.year: point.status for point in series.points}
        years = sorted(by_year)
        span = range(years[0], years[-1] + 1)
        points = [(year, by_year.get(year)) for year in span]
        baseline = None
        base_year = series.baseline_year
        # A baseline of a year evaluated is that year's point already.
        if series.baseline is not None and base_year is not None and base_year not in years:
            baseline = (base_year, series.baseline)
        aim = aim_of(result)
        line = (
            series.threshold
            if series.threshold is not None
            else (aim.lines[0] if len(aim.lines) == 1 else None)
        )
        floor, ceiling = self._limits(result)
        line_words = (
            "" if line is None else texts.label("chart.line", line=self._figure(line, result))
        )
        geometry = trend(
            points,
            line=line,
            baseline=baseline,
            floor=floor,
            ceiling=ceiling,
            label_width=text_width(line_words),
            missing_width=text_width(GAP_MARK),
        )
        rows = tuple(self._year_row(year, by_year, statuses, result) for year in span)
        gaps = [
            Key("gap", texts.label("chart.years_of", label=words, years=texts.join(gap)), symbol)
            for words, symbol, gap in (
                (
                    texts.label("chart.no_figure"),
                    facts(Status.MISSING).symbol,
                    [y for y in years if by_year[y] is None],
                ),
                (
                    texts.label("chart.not_evaluated"),
                    GAP_MARK,
                    [y for y in span if y not in by_year],
                ),
            )
            if gap
        ]
        if baseline is not None:
            rows = (
                Row(
                    texts.label("chart.baseline_year", year=baseline[0]),
                    self._figure(baseline[1], result),
                ),
                *rows,
            )
        name = self._name(result)
        drawn = texts.label("chart.trend", name=name, years=texts.years(years))
        direction = trend_line(texts, series).direction
        return Chart(
            kind="trend",
            key=self._key(),
            target_id=result.target.id,
            status=result.status,
            caption=drawn,
            title=drawn,
            desc=texts.join([f"{row.label} {row.figure}" for row in rows]),
            foot=texts.join([texts.rule(result.target), direction], sep="sep.clause"),
            geometry=geometry,
            rows=rows,
            axis=(texts.number(geometry.low, None), texts.number(geometry.high, None)),
            line=line_words,
            headers=(texts.label("chart.year"), texts.label("chart.figure")),
            legend=tuple(gaps),
        )

    def _year_row(
        self,
        year: int,
        numbers: Mapping[int, Decimal | None],
        statuses: Mapping[int, Status],
        result: Result,
    ) -> Row:
        """Return a trend's year: its figure and that year's own status, or "not evaluated"."""
        texts = self.texts
        year_words = texts.label("year_of", year=year)
        if year not in numbers:
            return Row(year_words, texts.label("chart.not_evaluated"), True, GAP_MARK, "#555")
        status = statuses[year]
        number = numbers[year]
        figure = texts.label(
            "chart.figure_status", figure=self._figure(number, result), status=texts.status(status)
        )
        return Row(year_words, figure, number is None, facts(status).symbol, colour(status))

    def _off(self, value: Decimal, line: Decimal, *, counted: bool) -> Key:
        """Return how a county on the wrong side of the line is marked, and its legend's words.

        Where each county is judged (``counted``) it fails; where their mean is, it is only
        below (or above) the line, which says nothing of the target.
        """
        if counted:
            return Key(
                "off",
                self.texts.status(Status.FAIL),
                facts(Status.FAIL).symbol,
                colour(Status.FAIL),
            )
        below = value < line
        words = self.texts.label("chart.below_line" if below else "chart.above_line")
        return Key("off", words, "▼" if below else "▲", OFF_LINE)

    def _bullet_axis(self, geometry: Bullet, unit: str | None) -> tuple[str, str]:
        """Return the labels of a bullet's axis' ends: the words say where it stops short of 0."""
        low = self.texts.number(geometry.low, unit, places=None)
        high = self.texts.number(geometry.high, unit, places=None)
        return (
            self.texts.label("chart.axis_from", value=low) if geometry.low > 0 else low,
            self.texts.label("chart.axis_to", value=high) if geometry.high < 0 else high,
        )

    def _legend(self, geometry: Bars, result: Result, keys: list[Key]) -> tuple[Key, ...]:
        """Return a bar chart's legend: ``keys``, and the broken axis where it is broken."""
        if geometry.zoom is None:
            return tuple(keys)
        words = self.texts.label(
            "chart.axis_broken",
            low=self.texts.number(geometry.low, None),
            high=self.texts.number(geometry.zoom, result.target.unit, places=None),
        )
        return (*keys, Key("broken", words, "≈"))

    def _zoom(self, geometry: Bars) -> str:
        """Return where a broken axis resumes, in words ("" where it is not broken)."""
        if geometry.zoom is None:
            return ""
        return self.texts.number(geometry.zoom, None)

    def _axis(self, geometry: Bars) -> tuple[str, str]:
        """Return the labels of a bar chart's axis' ends, as plain figures, as a trend's are.

        Each bar's figure is written with its unit beside it; a unit at the axis' ends as well
        would not leave room for the figure where a broken axis resumes.
        """
        return (self.texts.number(geometry.low, None), self.texts.number(geometry.high, None))


def _moves(series: Series) -> bool:
    """Whether a series has a line to draw: two figures at least, its baseline one of them.

    A year's figure that repeats a row read for another year (a row without a year) is none:
    a page for one year's file, given the plan's years, draws no line through one figure.
    """
    shown = [number for number in series.distinct_numbers if number is not None]
    years = [point.year for point in series.points]
    based = series.baseline is not None and series.baseline_year not in (None, *years)
    return len(shown) + based >= 2
