"""Trends: each target's series over several years, its sparkline and its direction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qcheck.evaluation import evaluate
from qcheck.loaders.targets import load_catalogue
from qcheck.measurements import Measurement, Origin
from qcheck.trends import GAP, GLYPHS, Trend, direction, sparkline, tolerance
from qcheck.verdicts import Status
from tests.helpers import SAMPLES

D = Decimal


def test_sparkline_scales_each_series_from_its_least_to_its_greatest() -> None:
    # (2 - 1) / (3 - 1) * 7 = 3.5, rounded half to even: the fifth glyph.
    assert sparkline([D(1), D(2), D(3)]) == "▁▅█"
    # (91.2 - 89.4) / (92 - 89.4) * 7 = 4.85: the sixth glyph.
    assert sparkline([D("91.2"), D("89.4"), D(92)]) == "▆▁█"
    assert sparkline([D(30), D(20), D(10)]) == "█▅▁"


def test_sparkline_of_a_flat_series_is_the_middle_glyph() -> None:
    assert sparkline([D(94), D("94.0"), D(94)]) == "▄▄▄"


def test_sparkline_shows_a_year_without_a_figure_as_a_gap() -> None:
    assert sparkline([D(105), None, D(118)]) == f"▁{GAP}█"
    assert sparkline([None, None]) == GAP * 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(1), D(2)], "rising"),
        ([D("93.1"), D("89.4"), D(92)], "falling"),
        ([D(92), D("89.4"), D("93.1")], "rising"),
        ([D(94), D("94.00")], "flat"),
        ([D(105), None, D(118)], "rising"),  # the missing middle year is skipped
        ([None, D(3)], None),
        ([], None),
    ],
)
def test_direction_goes_from_the_first_figure_to_the_last(
    values: list[Decimal | None], expected: str | None
) -> None:
    assert direction(values) == expected


figures = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False)


@given(st.lists(st.one_of(st.none(), figures), max_size=12))
@example([Decimal("997.949"), Decimal("997.990")])  # closer than the tolerance: flat
def test_every_figure_gets_a_glyph_and_order_is_kept(values: list[Decimal | None]) -> None:
    line = sparkline(values)
    assert len(line) == len(values)
    for value, glyph in zip(values, line, strict=True):
        assert (glyph == GAP) == (value is None)
        assert value is None or glyph in GLYPHS
    present = [(v, GLYPHS.index(g)) for v, g in zip(values, line, strict=True) if v is not None]
    for a, index_a in present:
        for b, index_b in present:
            if a < b:
                assert index_a <= index_b
            if a == b:
                assert index_a == index_b
    # Figures that differ by more than the tolerance span every glyph; closer ones are flat.
    if present and max(present)[0] - min(present)[0] > tolerance(values):
        assert min(present)[1] == 0
        assert max(present)[1] == len(GLYPHS) - 1


def _trend(rows: list[tuple[str, str, int]]) -> Trend:
    """Evaluate hand-built rows (indicator, value, year) for each year of the 2025 plan."""
    catalogue = load_catalogue(SAMPLES / "targets-2025-example.yaml")
    measurements = [
        Measurement(indicator, D(value), year, Origin("made.csv", row=number))
        for number, (indicator, value, year) in enumerate(rows, 2)
    ]
    return Trend(
        tuple(
            evaluate(catalogue=catalogue, measurements=measurements, year=year)
            for year in range(2021, 2026)
        )
    )


def test_series_of_a_hand_built_multi_year_dataset() -> None:
    trend = _trend(
        [
            # rising, every year
            *(
                ("manufacturing_pass_rate", v, y)
                for v, y in zip(["95", "96", "97", "98", "99"], range(2021, 2026), strict=True)
            ),
            # falling, one year missing in the middle
            ("product_failure_rate", "4", 2021),
            ("product_failure_rate", "3", 2022),
            ("product_failure_rate", "2", 2024),
            ("product_failure_rate", "1.5", 2025),
            # flat
            *(("food_safety_pass_rate", "98.5", y) for y in range(2021, 2026)),
            # a milestone, not due before 2023
            *(
                ("agricultural_pass_rate", v, y)
                for v, y in zip(["96", "96.5", "97", "97.5", "98"], range(2021, 2026), strict=True)
            ),
        ]
    )
    assert trend.years == (2021, 2022, 2023, 2024, 2025)
    series = {s.target.id: s for s in trend.series()}

    rising = series["manufacturing_pass_rate"]
    assert [p.value for p in rising.points] == [D(95), D(96), D(97), D(98), D(99)]
    assert [p.status for p in rising.points] == [Status.PASS] * 5
    assert sparkline(rising.numbers) == "▁▃▅▆█"
    assert direction(rising.numbers) == "rising"

    falling = series["product_failure_rate"]
    assert [p.value for p in falling.points] == [D(4), D(3), None, D(2), D("1.5")]
    assert falling.points[2].status is Status.MISSING  # the missing year is shown as missing
    assert sparkline(falling.numbers) == f"█▅{GAP}▂▁"
    assert direction(falling.numbers) == "falling"

    flat = series["food_safety_pass_rate"]
    assert sparkline(flat.numbers) == "▄▄▄▄▄"
    assert direction(flat.numbers) == "flat"

    milestone = series["agricultural_pass_rate"]
    assert [p.status for p in milestone.points][:2] == [Status.NOT_DUE, Status.NOT_DUE]
    assert milestone.points[2].status is Status.PASS
    assert milestone.due_year == 2025
    assert milestone.threshold == D(98)  # the line in force in the due year


def test_a_year_decided_by_another_years_figure_still_shows_its_own() -> None:
    # Every year at least 95: 2025 fails on 2023's figure, but its point is 2025's figure.
    trend = _trend(
        [
            ("manufacturing_pass_rate", "96", 2021),
            ("manufacturing_pass_rate", "96", 2022),
            ("manufacturing_pass_rate", "94", 2023),
            ("manufacturing_pass_rate", "96", 2024),
            ("manufacturing_pass_rate", "97", 2025),
        ]
    )
    points = {s.target.id: s for s in trend.series()}["manufacturing_pass_rate"].points
    last = trend.reports[-1].results
    judged = next(r for r in last if r.target.id == "manufacturing_pass_rate")
    assert (judged.value, judged.value_year) == (D(94), 2023)
    assert points[-1].value == D(97)
    assert points[-1].status is Status.FAIL


def test_due_year_of_a_due_rule_is_its_dates_year() -> None:
    trend = _trend([])
    due = {s.target.id: s for s in trend.series()}["service_platform"]
    assert due.target.rule.kind == "due"
    assert due.due_year == 2023  # service_platform is due by 2023-12-31


def test_a_trend_refuses_reports_out_of_order() -> None:
    trend = _trend([])
    with pytest.raises(ValueError, match="distinct years"):
        Trend((trend.reports[1], trend.reports[0]))
