"""Before the due year: linear pace (序时进度), worked by hand, and the warning band."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qcheck.evaluation import Status
from qcheck.i18n import Texts
from tests.conftest import Row
from tests.rules.helpers import catalogue_of, judge

# A plan of 2018-2020: the base year is 2017, the due year 2020.
PLAN: dict[str, Any] = {"start_year": 2018, "target_year": 2020}
AT_LEAST_85 = {"kind": "at_least", "threshold": 85}


def of(rule: dict[str, Any], *rows: Row, year: int = 2019, **options: Any) -> Any:
    """Judge target ``t`` of ``rule`` for ``year`` of a 2018-2020 plan."""
    return judge(catalogue_of(rule, **PLAN, **options), *rows, year=year)


def test_the_worked_example_is_off_track_with_its_working_in_words() -> None:
    result = of(AT_LEAST_85, ("t", "80", 2017), ("t", "83", 2019))
    assert result.status is Status.OFF_TRACK
    working = result.progress
    assert (working.base_year, working.baseline, working.latest, working.due_year) == (
        2017,
        80,
        83,
        2020,
    )
    assert (working.actual_pace, working.ratio, working.projected) == (
        Decimal("1.5"),
        Decimal("0.9"),
        Decimal("84.5"),
    )
    assert round(working.required_pace, 4) == Decimal("1.6667")
    texts = Texts("en", catalogue_of(AT_LEAST_85, **PLAN))
    assert texts.reasons(result) == (
        "needs +1.67 pp a year, made +1.5 pp a year since 2017; "
        "projected 84.5% in 2020 against ≥85%"
    )


def test_a_baseline_of_zero_has_a_pace() -> None:
    result = of({"kind": "at_least", "threshold": 30}, ("t", "0", 2017), ("t", "20", 2019))
    assert result.status is Status.ON_TRACK
    assert (result.progress.actual_pace, result.progress.projected) == (10, 30)


def test_a_target_met_at_baseline_and_still_met_is_on_track() -> None:
    result = of(AT_LEAST_85, ("t", "90", 2017), ("t", "86", 2019))
    assert result.status is Status.ON_TRACK
    assert result.progress.ratio is None
    assert [r.code for r in result.reasons] == ["pace-met-early"]


def test_a_target_met_at_baseline_that_fell_back_is_off_track() -> None:
    result = of(AT_LEAST_85, ("t", "90", 2017), ("t", "84", 2019))
    assert result.status is Status.OFF_TRACK
    assert [r.code for r in result.reasons] == ["pace-fell-back"]


def test_a_falling_series_is_off_track() -> None:
    result = of(AT_LEAST_85, ("t", "80", 2017), ("t", "79", 2019))
    assert result.status is Status.OFF_TRACK
    assert result.progress.actual_pace == Decimal("-0.5")


def test_a_missing_middle_year_does_not_matter() -> None:
    with_it = of(AT_LEAST_85, ("t", "80", 2017), ("t", "81", 2018), ("t", "84", 2019))
    without = of(AT_LEAST_85, ("t", "80", 2017), ("t", "84", 2019))
    assert with_it.status is without.status is Status.ON_TRACK
    assert with_it.progress == without.progress


def test_a_missing_baseline_year_uses_the_first_year_reported_after_it() -> None:
    result = of(AT_LEAST_85, ("t", "80", 2018), ("t", "83", 2019))
    assert result.status is Status.ON_TRACK  # +3 a year from 2018 projects 86
    assert (result.progress.base_year, result.progress.projected) == (2018, 86)
    assert [r.code for r in result.reasons] == ["pace-later-base", "linear-pace"]


def test_no_baseline_at_all_is_not_yet_due_saying_what_to_report() -> None:
    result = of(AT_LEAST_85, ("t", "83", 2019))
    assert result.status is Status.NOT_DUE
    texts = Texts("en", catalogue_of(AT_LEAST_85, **PLAN))
    assert texts.reasons(result) == (
        "no figure before 2019 to measure the pace from: report the figure of 2017"
    )


def test_the_latest_figure_absent_is_missing() -> None:
    assert of(AT_LEAST_85, ("t", "80", 2017), ("t", "84", 2018)).status is Status.MISSING


def test_in_the_due_year_the_line_is_judged_as_before() -> None:
    result = of(AT_LEAST_85, ("t", "80", 2017), ("t", "84", 2020), year=2020)
    assert (result.status, result.progress) == (Status.FAIL, None)


def test_a_decrease_is_judged_on_the_fall_so_far() -> None:
    rule = {"kind": "decrease", "baseline_year": 2017, "by": 10}
    on = of(rule, ("t", "40", 2017), ("t", "37", 2019), unit="万元")
    assert on.status is Status.ON_TRACK  # line 36: -1.5 a year projects 35.5
    assert (on.progress.line, on.progress.projected) == (36, Decimal("35.5"))
    off = of(rule, ("t", "40", 2017), ("t", "38", 2019), unit="万元")
    assert off.status is Status.OFF_TRACK  # -1 a year projects 37


def test_a_mean_of_regions_is_judged_on_the_pace_of_the_mean() -> None:
    rule = {"kind": "mean_of_regions", "test": {"kind": "at_least", "threshold": 82}}
    regions = ("ganzhou", "linze", "gaotai", "shandan", "minle", "sunan")
    rows = [("t", "78", 2017, region) for region in regions]
    rows += [("t", value, 2019, region) for value, region in zip(
        ("84", "82.5", "79", "80.9", "85", "77"), regions, strict=True
    )]  # fmt: skip
    result = of(rule, *rows)
    assert result.status is Status.ON_TRACK
    assert (result.progress.baseline, result.progress.latest) == (78, Decimal("81.4"))
    assert result.progress.projected == Decimal("83.1")


def test_an_answer_not_met_before_the_due_year_is_not_yet_due_with_the_answer() -> None:
    result = of({"kind": "achieved"}, ("t", "未达到", 2019), unit=None)
    assert (result.status, result.value) == (Status.NOT_DUE, False)
    assert result.reasons[0].code == "not-met-yet"
    # Nothing "broke" a rule not yet due: JSON's failed_years says so only of a fail.
    assert (result.failed_years, result.failed_regions) == ((), ())


def test_a_pass_inside_the_band_is_at_risk_and_the_band_edge_is_not() -> None:
    rule = {"kind": "at_least", "threshold": 85}
    inside = of(rule, ("t", "85.99", 2020), year=2020, warning_band=1)
    edge = of(rule, ("t", "86", 2020), year=2020, warning_band=1)
    assert (inside.status, edge.status) == (Status.PASS_AT_RISK, Status.PASS)


def test_an_on_track_projection_inside_the_band_is_at_risk() -> None:
    # +2 a year from 80 projects 86 in 2020: 1 above the line, inside a band of 1.5, not of 1.
    rows = (("t", "80", 2017), ("t", "84", 2019))
    assert of(AT_LEAST_85, *rows, warning_band="1.5").status is Status.ON_TRACK_AT_RISK
    assert of(AT_LEAST_85, *rows, warning_band=1).status is Status.ON_TRACK


@given(
    baseline=st.decimals(min_value=0, max_value=60, places=1),
    step=st.decimals(min_value="0.1", max_value=10, places=1),
)
def test_a_series_at_exactly_the_required_pace_is_on_track(
    baseline: Decimal, step: Decimal
) -> None:
    line = baseline + 3 * step
    latest = baseline + 2 * step
    rule = {"kind": "at_least", "threshold": str(line)}
    result = of(rule, ("t", str(baseline), 2017), ("t", str(latest), 2019))
    assert result.status is Status.ON_TRACK
    slower = of(rule, ("t", str(baseline), 2017), ("t", str(latest - Decimal("0.1")), 2019))
    assert slower.status is Status.OFF_TRACK


@given(
    baseline=st.decimals(min_value=0, max_value=100, places=1),
    latest=st.decimals(min_value=0, max_value=100, places=1),
    line=st.decimals(min_value=1, max_value=100, places=1),
)
def test_on_track_exactly_when_the_latest_or_the_projection_meets_the_line(
    baseline: Decimal, latest: Decimal, line: Decimal
) -> None:
    rule = {"kind": "at_least", "threshold": str(line)}
    result = of(rule, ("t", str(baseline), 2017), ("t", str(latest), 2019))
    projected = latest + (latest - baseline) / 2
    on = latest >= line or (baseline < line and projected >= line)
    assert (result.status is Status.ON_TRACK) is on
    assert result.status in (Status.ON_TRACK, Status.OFF_TRACK)


def test_a_mean_exactly_on_the_required_pace_is_on_track_though_it_has_no_exact_decimal() -> None:
    # Means of 80 and 81.333... (488 / 6): projected exactly 82 in 2020. Held to 15 digits the
    # mean was 81.3333333333333 and the projection 81.9999999999999: off track, wrongly.
    rule = {"kind": "mean_of_regions", "test": {"kind": "at_least", "threshold": 82}}
    regions = ("ganzhou", "linze", "gaotai", "shandan", "minle", "sunan")
    before = ("82", "81", "79", "80", "83", "75")
    after = ("83", "82", "80", "81", "84", "78")
    rows = [("t", v, 2017, r) for v, r in zip(before, regions, strict=True)]
    rows += [("t", v, 2019, r) for v, r in zip(after, regions, strict=True)]
    result = of(rule, *rows)
    assert result.status is Status.ON_TRACK


def test_a_change_whose_line_no_figure_can_meet_is_off_track_then_not_met() -> None:
    # A fall of 3 pp from 2.5%: the line, -0.5%, is below any rate. The fall so far once
    # projected past it ("on track"), though no report could ever meet it.
    fall = {"kind": "decrease", "baseline_year": 2017, "by": 3, "measure": "absolute"}
    early = of(fall, ("t", "2.5", 2017), ("t", "0.5", 2019))
    assert early.status is Status.OFF_TRACK
    assert early.reasons[-1].code == "line-out-of-reach"
    assert of(fall, ("t", "2.5", 2017), ("t", "0", 2020), year=2020).status is Status.FAIL
    # A rise of 10% on 95%: 104.5% is above any rate.
    rise = {"kind": "increase", "baseline_year": 2017, "by": 10}
    assert of(rise, ("t", "95", 2017), ("t", "99", 2019)).status is Status.OFF_TRACK
    # Within the range the pace decides, as before.
    fine = {"kind": "decrease", "baseline_year": 2017, "by": 1, "measure": "absolute"}
    assert of(fine, ("t", "2.5", 2017), ("t", "1.5", 2019)).status is Status.ON_TRACK
    texts = Texts("en", catalogue_of(fall, **PLAN))
    assert "outside the range of the unit" in texts.reasons(early)


def test_paces_that_differ_are_never_shown_alike() -> None:
    # 80 in 2017, 83.99 in 2019: made +1.995 a year against +2 needed; once "+2 pp" both.
    result = of({"kind": "at_least", "threshold": 86}, ("t", "80", 2017), ("t", "83.99", 2019))
    assert result.status is Status.OFF_TRACK
    texts = Texts("en", catalogue_of({"kind": "at_least", "threshold": 86}, **PLAN))
    assert "needs +2 pp a year, made +1.995 pp a year" in texts.reasons(result)
