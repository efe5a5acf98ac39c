"""The memoised row validator agrees with validating every row from scratch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcheck.catalogue import Catalogue
from qcheck.measurements import Measurement, MeasurementRow, RawRecord
from qcheck.problems import Problem
from qcheck.rows import CellVerdicts, ProblemLog, RowValidator
from tests.conftest import DEFAULT_YEAR

INDICATORS = st.sampled_from(
    [
        "food_safety_pass_rate",
        "食品安全抽检合格率",
        "食品安全抽检合格率（%）",
        "PM10",
        "可吸入颗粒物平均浓度（%）",
        "key_services_level",
        "sme_quality_training",
        "good_air_days_ratio",
        "nope",
        "",
    ]
)
CELLS = st.one_of(
    st.sampled_from(
        [
            "95",
            "95.0",
            "0.5",
            "101",
            "-1",
            "达到",
            "否",
            "2019",
            "2020年",
            "1999",
            "甘州",
            "全市",
            "酒泉",
            "%",
            "ug/m3",
            "户",
            "",
            " ",
            "nan",
            "1,200",
            "120.5",
        ]
    ),
    st.integers(min_value=-5, max_value=2200),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
)
# Mostly plausible cells, so that many rows pass and remembered verdicts are really used.
VALUES = st.one_of(
    st.sampled_from(["95", "95%", "0.5", "60", "120", "达到", "未达到", 95, 95.0]), CELLS
)
YEARS = st.one_of(st.sampled_from(["2020", "", None, 2019, 2019.0, "2018年"]), CELLS)
REGIONS = st.one_of(st.sampled_from(["", None, "甘州", "全市", "肃南裕固族自治县"]), CELLS)
UNITS = st.one_of(st.sampled_from(["", None, "%", "百分比", "ug/m3", "户"]), CELLS)
ROWS = st.lists(st.tuples(INDICATORS, VALUES, YEARS, REGIONS, UNITS), min_size=1, max_size=30)


def _records(rows: Sequence[tuple[object, ...]]) -> list[RawRecord]:
    fields = ("indicator", "value", "year", "region", "unit")
    return [
        RawRecord(source="r.csv", row=n, cells=dict(zip(fields, row, strict=True)))
        for n, row in enumerate(rows, start=2)
    ]


def _outcome(
    catalogue: Catalogue, records: list[RawRecord], verdicts: CellVerdicts | None
) -> tuple[list[tuple[object, ...] | None], list[Problem]]:
    log = ProblemLog()
    validator = RowValidator(
        catalogue=catalogue, default_year=DEFAULT_YEAR, log=log, verdicts=verdicts
    )
    results: list[Measurement | None] = [validator.check(record) for record in records]
    return [None if m is None else tuple(m) for m in results], log.kept


def _said(problems: Sequence[Problem]) -> list[tuple[object, ...]]:
    """Return each problem as a reader gets it: where, its code, and its words."""
    return [(p.source, p.row, p.column, p.code, p.describe("en")) for p in problems]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
# True, 1 and 1.0 are equal to Python, not to qcheck: a remembered True must not answer for 1.
@example(rows=[("key_services_level", True, "", "", ""), ("key_services_level", 1, "", "", "")])
@example(
    rows=[("sme_quality_training", 1.5, "", "", ""), ("sme_quality_training", "1.5", "", "", "")]
)
@example(rows=[("PM10", "60", True, "", ""), ("PM10", "60", 1, "", "")])
@example(rows=[("food_safety_pass_rate", float("nan"), "2020", "", "")] * 2)
def test_remembered_verdicts_change_nothing(
    catalogue: Catalogue, rows: list[tuple[object, ...]]
) -> None:
    records = _records(rows)
    remembered = _outcome(catalogue, records, CellVerdicts())
    # Each row alone, with nothing remembered: the Pydantic model sees every cell.
    alone = [_outcome(catalogue, [record], CellVerdicts()) for record in records]
    assert remembered[0] == [result for results, _ in alone for result in results]
    # As said: a refused NaN cell is quoted in its problem, and NaN equals no NaN.
    assert _said(remembered[1]) == _said([problem for _, problems in alone for problem in problems])


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
# A refusal quotes the cell: one remembered for 0.0 must not answer for -0.0.
@example(
    rows=[("food_safety_pass_rate", "95", None, -0.0, None)] * 2 + [("PM10", "1", "", 0.0, "")]
)
def test_verdicts_shared_between_files_change_nothing(
    catalogue: Catalogue, rows: list[tuple[object, ...]]
) -> None:
    records = _records(rows)
    shared = CellVerdicts()
    _outcome(catalogue, list(reversed(records)), shared)  # an earlier file, seen first
    results, problems = _outcome(catalogue, records, shared)
    alone_results, alone_problems = _outcome(catalogue, records, None)
    assert results == alone_results
    assert _said(problems) == _said(alone_problems)


def test_each_distinct_row_shape_goes_through_the_model_once(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    original = MeasurementRow.model_validate

    def counting(*args: Any, **kwargs: Any) -> MeasurementRow:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(MeasurementRow, "model_validate", counting)
    counties = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]
    rows = [
        ("good_air_days_ratio", "85", str(year), county, "")
        for year in (2018, 2019, 2020)
        for county in counties
    ] * 20
    records = _records(rows)
    measurements, problems = _outcome(catalogue, records, CellVerdicts())
    assert problems == []
    assert all(m is not None for m in measurements)
    # One row per new cell: the first row, two new years, five new counties.
    assert len(calls) == 8
