"""The charts' geometry: every mark inside its view box, lines where their figures are."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from qcheck.renderers.html.geometry import (
    BAR_LABELS,
    MARGIN,
    Axis,
    bars,
    bullet,
    domain,
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
