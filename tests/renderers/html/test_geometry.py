"""The charts' geometry: every mark inside its view box, lines where their figures are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcheck.renderers.html.geometry import (
    BAR_LABELS,
    FONT,
    MARGIN,
    POINT,
    Axis,
    around,
    bars,
    bullet,
    domain,
    label_at,
    text_width,
    trend,
)

figures = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
maybe = st.one_of(st.none(), figures)


def _inside(position: float, width: float) -> bool:
    return 0 <= position <= width


@given(st.lists(figures, min_size=1, max_size=8), st.booleans())
def test_the_domain_holds_every_figure(values: list[Decimal], zero: bool) -> None:
    low, high = domain(values, zero=zero)
    assert low < high
    assert low <= min(values)
    assert high >= max(values)
    if zero:
        assert low <= 0 <= high


@given(st.lists(rates, min_size=1, max_size=8))
def test_a_rate_axis_stays_within_the_unit(values: list[Decimal]) -> None:
    low, high = domain(values, floor=Decimal(0), ceiling=Decimal(100))
    assert 0 <= low <= min(values)
    assert max(values) <= high <= 100


@given(figures, st.lists(figures, min_size=1, max_size=2), st.booleans())
def test_every_mark_of_a_bullet_is_inside_its_view_box(
    value: Decimal, lines: list[Decimal], banded: bool
) -> None:
    band = (lines[0], lines[0] + 1) if banded else None
    chart = bullet(value, lines, band=band)
    assert chart.value is not None
    for x in (chart.value.x, chart.value.x + chart.value.width, *chart.lines):
        assert _inside(x, chart.width)
    if chart.band is not None:
        assert _inside(chart.band.x, chart.width)
        assert _inside(chart.band.x + chart.band.width, chart.width)
        assert chart.band.width >= 0


@given(figures, figures)
def test_the_line_is_drawn_where_its_figure_is(value: Decimal, line: Decimal) -> None:
    chart = bullet(value, [line])
    axis = Axis(chart.low, chart.high, chart.track.x, chart.track.x + chart.track.width)
    assert chart.lines == (axis.at(line),)
    assert chart.value is not None
    # The value's bar ends at the value, on the same side of the line as the figure.
    end = chart.value.x + chart.value.width
    assert abs(end - axis.at(value)) <= 0.2
    if value > line:
        assert end >= chart.lines[0]
    elif value < line:
        assert end <= chart.lines[0]


def test_a_bullet_without_a_figure_has_no_bar() -> None:
    chart = bullet(None, [Decimal(94)])
    assert chart.value is None
    assert chart.lines


def test_a_bullet_zooms_in_on_a_figure_near_its_line() -> None:
    chart = bullet(Decimal("93.5"), [Decimal(94)], band=(Decimal(94), Decimal(95)))
    assert (chart.low, chart.high) == (Decimal(93), Decimal(96))
    assert chart.band is not None
    assert chart.band.width > 50  # a band of 1 point is seen, not a hairline


@given(st.lists(maybe, min_size=1, max_size=8), maybe)
def test_every_bar_is_inside_its_view_box_and_a_missing_one_is_none(
    values: list[Decimal | None], line: Decimal | None
) -> None:
    chart = bars(values, line=line)
    assert len(chart.bars) == len(values)
    for bar, value in zip(chart.bars, values, strict=True):
        assert bar.y >= 0
        assert bar.y + chart.bar_height <= chart.height
        if value is None:
            assert bar.value is None  # drawn as missing, never as a bar of 0
        else:
            assert bar.value is not None
            assert bar.value.x >= BAR_LABELS
            assert bar.value.x + bar.value.width <= chart.width - MARGIN + 0.1
    if line is not None:
        assert chart.line is not None
        assert _inside(chart.line, chart.width)


def test_bars_start_at_zero() -> None:
    chart = bars([Decimal(84), None, Decimal(81)], line=Decimal(82), mean=Decimal("82.5"))
    assert chart.low == 0
    first = chart.bars[0].value
    assert first is not None
    assert first.x == BAR_LABELS
    assert chart.bars[1].value is None
    assert chart.line is not None
    assert chart.mean is not None
    assert chart.line < chart.mean  # 82 left of 82.5


@given(
    st.lists(maybe, min_size=1, max_size=6),
    maybe,
    st.one_of(st.none(), st.tuples(st.integers(2010, 2017), figures)),
)
def test_every_point_of_a_trend_is_inside_its_view_box(
    numbers: list[Decimal | None],
    line: Decimal | None,
    baseline: tuple[int, Decimal] | None,
) -> None:
    points = [(2018 + index, number) for index, number in enumerate(numbers)]
    chart = trend(points, line=line, baseline=baseline)
    for point, (_, number) in zip(chart.points, points, strict=True):
        assert chart.left <= point.x <= chart.right
        if number is None:
            assert point.y is None  # a year without a figure is drawn as missing, never as 0
        else:
            assert point.y is not None
            assert chart.top <= point.y <= chart.bottom
    # A year without a figure breaks the line: as many runs as runs of figures.
    runs = "".join("x" if number is not None else " " for number in numbers).split()
    assert len(chart.runs) == len(runs)
    if line is not None:
        assert chart.line is not None
        assert chart.top <= chart.line <= chart.bottom
    if baseline is not None:
        assert chart.baseline is not None
        assert chart.left <= chart.baseline.x < chart.points[0].x


def test_a_greater_figure_is_drawn_higher() -> None:
    chart = trend([(2018, Decimal(80)), (2019, Decimal(85))], line=Decimal(82))
    first, second = (point.y for point in chart.points)
    assert first is not None
    assert second is not None
    assert chart.line is not None
    assert second < chart.line < first  # SVG's y grows downwards


@given(
    st.lists(maybe, min_size=1, max_size=6),
    figures,
    st.one_of(st.none(), st.tuples(st.integers(2010, 2017), figures)),
    st.floats(min_value=0, max_value=200),
    st.floats(min_value=0, max_value=60),
)
def test_a_trend_lines_label_covers_no_point_and_no_words(
    numbers: list[Decimal | None],
    line: Decimal,
    baseline: tuple[int, Decimal] | None,
    width: float,
    missing: float,
) -> None:
    points = [(2018 + index, number) for index, number in enumerate(numbers)]
    chart = trend(points, line=line, baseline=baseline, label_width=width, missing_width=missing)
    assert chart.label is not None
    box = chart.label.box
    assert box.right - box.left == pytest.approx(width)
    for point in chart.points:
        if point.y is not None:
            assert not box.overlaps(around(point.x, point.y, POINT))
        else:  # the words of a year without a figure
            assert not box.overlaps(label_at(point.x - missing / 2, chart.bottom - 4, missing).box)
    if chart.baseline is not None and chart.baseline.y is not None:
        assert not box.overlaps(around(chart.baseline.x, chart.baseline.y, 5))
    assert box.top >= 0
    assert box.bottom <= chart.bottom
    if width <= chart.right - chart.left - 4:
        assert chart.left <= box.left
        assert box.right <= chart.width


def test_the_line_label_of_pm10_is_clear_of_its_last_point() -> None:
    """The label sat at the line's right end, on top of 2020's point just above the line."""
    width = text_width("目标线 70.2 微克/立方米")
    points = [(2018, None), (2019, None), (2020, Decimal(71))]
    chart = trend(points, line=Decimal("70.2"), baseline=(2017, Decimal(78)), label_width=width)
    assert chart.label is not None
    last = chart.points[-1]
    assert last.y is not None
    assert not chart.label.box.overlaps(around(last.x, last.y, POINT))


def test_text_width_counts_a_cjk_character_as_square() -> None:
    assert text_width("目标") == 2 * FONT
    assert 0 < text_width("ab") < 2 * FONT


def test_a_bullet_not_reaching_zero_is_marked_as_broken() -> None:
    zoomed = bullet(Decimal("90.5"), [Decimal(90)], band=(Decimal(90), Decimal(91)))
    assert zoomed.low > 0
    assert not zoomed.from_zero
    assert zoomed.broken is not None
    # The zigzag stands at the axis' left end, across the bar.
    xs = [float(point.split(",")[0]) for point in zoomed.broken.split()]
    assert all(abs(x - zoomed.track.x) <= 3 for x in xs)
    whole = bullet(Decimal(5), [Decimal(-5)])
    assert whole.from_zero
    assert whole.broken is None


def test_counties_near_their_line_far_from_zero_are_drawn_on_a_broken_axis() -> None:
    """81 against 82 on a scale from 0 to 100 were 2 pixels apart: the axis is broken."""
    values = [Decimal(84), Decimal("83.5"), Decimal(81), Decimal("86.2"), Decimal(88), None]
    chart = bars(values, line=Decimal(82), mean=Decimal("86.3"), labels=[30.0] * 6)
    assert chart.low == 0
    assert chart.zoom is not None
    assert 0 < chart.zoom <= 81
    assert chart.broken is not None
    gaotai = chart.bars[2].value
    assert gaotai is not None
    assert gaotai.x == BAR_LABELS  # still from 0
    assert chart.line is not None
    assert chart.line - (gaotai.x + gaotai.width) >= 5  # 81 is seen short of 82


def test_bars_near_zero_keep_a_whole_axis() -> None:
    chart = bars([Decimal(5), Decimal(20)], line=Decimal(10))
    assert chart.zoom is None
    assert chart.broken is None


@given(
    st.lists(st.one_of(st.none(), rates), min_size=1, max_size=8),
    st.one_of(st.none(), rates),
    st.one_of(st.none(), rates),
    st.floats(min_value=0, max_value=80),
)
def test_no_bar_label_crosses_the_line_or_the_mean(
    values: list[Decimal | None], line: Decimal | None, mean: Decimal | None, width: float
) -> None:
    chart = bars(values, line=line, mean=mean, labels=[width] * len(values))
    rules = [x for x in (chart.line, chart.mean) if x is not None]
    for bar in chart.bars:
        if bar.value is None:
            continue
        assert bar.label >= bar.value.x + bar.value.width  # right of its bar
        for rule in rules:
            assert not bar.label <= rule <= bar.label + width
