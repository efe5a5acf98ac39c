"""A trend says no more than its figures show: a tolerance, and a figure without a year."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from qcheck.trends import GLYPHS, RESOLUTION, direction, sparkline

D = Decimal
MIDDLE = GLYPHS[(len(GLYPHS) - 1) // 2]


def test_a_difference_no_one_can_see_is_flat() -> None:
    values = [D("92.00000001"), D(92), D("92.0000000001")]
    assert direction(values) == "flat"
    assert sparkline(values) == MIDDLE * 3


def test_a_difference_shown_in_the_second_decimal_is_a_move() -> None:
    assert direction([D(92), D("92.01")]) == "rising"
    assert sparkline([D(92), D("92.01")]) == GLYPHS[0] + GLYPHS[-1]


def test_the_line_sets_the_scale_of_figures_near_zero() -> None:
    # 0 and 1e-8 complaints per 1,000 against a line of 5: no change; without the line, a move.
    assert direction([D(0), D("0.00000001")], line=D(5)) == "flat"
    assert direction([D(0), D("0.00000001")]) == "rising"


scales = st.decimals(min_value=D("0.01"), max_value=D(100000), places=2)
nudges = st.lists(
    st.one_of(st.none(), st.decimals(min_value=-1, max_value=1, places=6)), min_size=1, max_size=8
)


@given(scales, nudges)
def test_figures_within_the_tolerance_are_flat(scale: Decimal, nudge: list[Decimal | None]) -> None:
    # Each figure is the scale moved by at most RESOLUTION / 2 of it: never more than the
    # tolerance from another.
    values = [None if n is None else scale + n * scale * RESOLUTION / 2 for n in nudge]
    present = [value for value in values if value is not None]
    assert direction(values) == (None if len(present) < 2 else "flat")
    assert {glyph for glyph in sparkline(values) if glyph in GLYPHS} <= {MIDDLE}


@given(st.lists(st.decimals(min_value=-1000, max_value=1000, places=3), min_size=2, max_size=8))
def test_direction_does_not_depend_on_the_unit(values: list[Decimal]) -> None:
    assert direction([v * 1000 for v in values]) == direction(values)
    assert sparkline([v * 1000 for v in values]) == sparkline(values)
