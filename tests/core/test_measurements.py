"""Parsing typed-in cells and validating rows into measurements."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from qcheck.catalogue import Catalogue
from qcheck.loaders.yaml_file import read_yaml
from qcheck.measurements import (
    Measurement,
    Origin,
    parse_number,
    parse_qualitative,
    parse_year,
)
from qcheck.problems import Problem
from qcheck.rows import validate_records

if TYPE_CHECKING:
    from tests.conftest import Row, Validate

SOURCE = "report.csv"  # the source the conftest builders give every record
HEADERS = {"indicator": "指标", "value": "数值", "year": "年份", "region": "地区", "unit": "单位"}
FOOD = "food_safety_pass_rate"
PM10 = "pm10_concentration"
SME = "sme_quality_training"
LEADING = "leading_products_level"


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


# ---- parse_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "percent"),
    [
        (95.2, "95.2", False),
        (95, "95", False),
        ("95.2", "95.2", False),
        ("95.2%", "95.2", True),
        ("95.2 %", "95.2", True),
        ("９５．２％", "95.2", True),
        (" 95.2 ", "95.2", False),
        ("\u300095.2\u3000", "95.2", False),
        ("1,234", "1234", False),
        ("1,234,567.5", "1234567.5", False),
        ("１，２３４", "1234", False),
        ("+5", "5", False),
        ("-0.5", "-0.5", False),
        (".5", "0.5", False),
        ("100", "100", False),
        ("0", "0", False),
    ],
)
def test_parse_number(raw: object, number: str, percent: bool) -> None:
    assert parse_number(raw) == (Decimal(number), percent)


def test_parse_number_keeps_the_float_as_written() -> None:
    value, _ = parse_number(95.2)
    assert str(value) == "95.2"  # not 95.2000000000000028421709430404007434844970703125


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("nan", "not-finite"),
        ("NaN", "not-finite"),
        ("inf", "not-finite"),
        ("-inf", "not-finite"),
        ("Infinity", "not-finite"),
        ("inf%", "not-finite"),
        (float("nan"), "not-finite"),
        (float("inf"), "not-finite"),
        (float("-inf"), "not-finite"),
        ("", "empty-value"),
        ("   ", "empty-value"),
        ("abc", "not-a-number"),
        ("1,23", "not-a-number"),
        ("95,2", "not-a-number"),
        ("1,2345", "not-a-number"),
        ("1e3", "not-a-number"),
        ("%", "not-a-number"),
        ("95.2%%", "not-a-number"),
        ("9 5", "not-a-number"),
        ("达到", "not-a-number"),
        (True, "not-a-number"),
    ],
)
def test_parse_number_rejects(raw: object, code: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_number(raw)
    assert raised.value.type == code


def test_error_message_keeps_braces_typed_by_a_user() -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_number("{value}")
    assert "{value}" in raised.value.message()


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_number_with_and_without_percent_sign_parse_alike(number: Decimal) -> None:
    plain, plain_percent = parse_number(str(number))
    with_sign, sign_percent = parse_number(f"{number}%")
    assert plain == with_sign == number
    assert (plain_percent, sign_percent) == (False, True)


# ---- parse_year ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [2020, "2020", 2020.0, "2020年", " 2020 ", "２０２０", "２０２０年", "2020 年"]
)
def test_parse_year(raw: object) -> None:
    assert parse_year(raw) == 2020


@pytest.mark.parametrize("raw", [2000, "2100", "2100年"])
def test_parse_year_accepts_the_bounds(raw: object) -> None:
    assert parse_year(raw) in (2000, 2100)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (1999, "out-of-range"),
        (2101, "out-of-range"),
        ("1999", "out-of-range"),
        ("20", "out-of-range"),
        ("abc", "bad-year"),
        ("", "bad-year"),
        ("2020.5", "bad-year"),
        (2020.5, "bad-year"),
        ("20200", "bad-year"),
        ("二〇二〇", "bad-year"),
        (True, "bad-year"),
        (float("nan"), "bad-year"),
    ],
)
def test_parse_year_rejects(raw: object, code: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_year(raw)
    assert raised.value.type == code


# ---- parse_qualitative --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "meaning"),
    [
        ("达到", True),
        ("未达到", False),
        ("是", True),
        ("否", False),
        ("yes", True),
        ("no", False),
        ("true", True),
        ("false", False),
        ("met", True),
        ("not met", False),
        (" Not  Met ", False),
        ("YES", True),
        ("已达到", True),
        ("达标", True),
        ("未达标", False),
        ("完成", True),
        ("已完成", True),
        ("未完成", False),
        ("没有完成", False),
        ("done", True),
        ("Not Done", False),
        (True, True),
        (False, False),
    ],
)
def test_parse_qualitative(raw: object, meaning: bool) -> None:
    assert parse_qualitative(raw) is meaning


@pytest.mark.parametrize("raw", ["maybe", "达", "部分达到", "95", "1", "0", "y", 1])
def test_parse_qualitative_rejects(raw: object) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_qualitative(raw)
    assert raised.value.type == "not-qualitative"


@pytest.mark.parametrize("raw", ["", " ", None])
def test_parse_qualitative_rejects_empty(raw: object) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_qualitative(raw)
    assert raised.value.type == "empty-value"


# ---- validate_records: valid rows ---------------------------------------------------------


def test_valid_row_becomes_a_measurement(validate: Validate) -> None:
    measurements, problems = validate((FOOD, "95.2%", "2019年", "", "%", "  from the bureau "))
    assert problems == []
    assert measurements == [
        Measurement(
            indicator=FOOD,
            value=Decimal("95.2"),
            year=2019,
            region=None,
            note="from the bureau",
            origin=Origin(source=SOURCE, row=2),
        )
    ]


@pytest.mark.parametrize(
    ("name", "target_id"),
    [
        ("食品安全抽检合格率", FOOD),
        ("PM10", PM10),
        ("ＰＭ１０", PM10),
        ("Food Safety Sampling Pass Rate", FOOD),
    ],
)
def test_indicator_is_stored_by_id(validate: Validate, name: str, target_id: str) -> None:
    measurements, problems = validate((name, "50"))
    assert problems == []
    assert [m.indicator for m in measurements] == [target_id]


@pytest.mark.parametrize(("raw", "meaning"), [("达到", True), ("未达到", False), ("否", False)])
def test_qualitative_value(validate: Validate, raw: str, meaning: bool) -> None:
    measurements, problems = validate((LEADING, raw))
    assert problems == []
    assert [m.value for m in measurements] == [meaning]


@pytest.mark.parametrize("year", [None, ""])
def test_row_without_year_takes_the_default_year(validate: Validate, year: object) -> None:
    measurements, problems = validate((FOOD, "95", year), default_year=2019)
    assert problems == []
    assert [m.year for m in measurements] == [2019]


def test_row_with_no_year_cell_takes_the_default_year(validate: Validate) -> None:
    measurements, _ = validate((FOOD, "95"), default_year=2018)
    assert [m.year for m in measurements] == [2018]


def test_row_with_a_year_keeps_it(validate: Validate) -> None:
    measurements, _ = validate((FOOD, "95", 2019), default_year=2020)
    assert [m.year for m in measurements] == [2019]


@pytest.mark.parametrize(
    ("region", "region_id"),
    [
        ("甘州", "ganzhou"),
        ("甘州区", "ganzhou"),
        ("ganzhou", "ganzhou"),
        ("Ganzhou", "ganzhou"),
        (" Ganzhou District ", "ganzhou"),
        ("ＧＡＮＺＨＯＵ", "ganzhou"),
        ("肃南", "sunan"),
        ("全市", None),
        ("张掖市", None),
        ("张掖", None),
        ("Zhangye City", None),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_region_aliases(validate: Validate, region: object, region_id: str | None) -> None:
    measurements, problems = validate((FOOD, "95", 2020, region))
    assert problems == []
    assert [m.region for m in measurements] == [region_id]


@pytest.mark.parametrize(
    ("indicator", "value", "unit"),
    [
        (FOOD, "95", "%"),
        (FOOD, "95", "百分比"),
        (FOOD, "95", "percent"),
        (FOOD, "95%", "%"),
        (FOOD, "95", "％"),
        (PM10, "55", "µg/m³"),
        (PM10, "55", "μg/m³"),
        (PM10, "55", "ug/m3"),
        (PM10, "55", "微克/立方米"),
        (SME, "120", "户"),
        (SME, "120", "家"),
    ],
)
def test_unit_that_fits_the_indicator(
    validate: Validate, indicator: str, value: str, unit: str
) -> None:
    measurements, problems = validate((indicator, value, 2020, "", unit))
    assert problems == []
    assert len(measurements) == 1


@pytest.mark.parametrize("value", ["0", "100", "100.0", "100%", "0%", "1%"])
def test_percentage_bounds_are_accepted(validate_unguarded: Validate, value: str) -> None:
    # The unit's own range; the shipped catalogue's plausible ranges are tested elsewhere.
    measurements, problems = validate_unguarded((FOOD, value))
    assert problems == []
    assert len(measurements) == 1


def test_concentration_has_no_upper_bound(validate: Validate) -> None:
    measurements, problems = validate((PM10, "450"))
    assert problems == []
    assert [m.value for m in measurements] == [Decimal(450)]


@pytest.mark.parametrize("value", ["100", "100.0", 250])
def test_whole_count(validate: Validate, value: object) -> None:
    measurements, problems = validate((SME, value))
    assert problems == []
    assert len(measurements) == 1


def test_fraction_for_a_percentage_is_used_as_written_with_a_warning(
    validate_unguarded: Validate,
) -> None:
    # Where the targets file states no plausible range; the shipped one refuses 0.95.
    rows = (FOOD, "95", 2019), (FOOD, "0.95")
    measurements, problems = validate_unguarded(*rows, headers=HEADERS)
    assert [m.value for m in measurements] == [Decimal(95), Decimal("0.95")]
    [warning] = problems
    assert (warning.code, warning.severity, warning.row, warning.column) == (
        "looks-like-fraction",
        "warning",
        3,
        "数值",
    )
    assert "95%" in warning.message


@pytest.mark.parametrize(
    ("indicator", "value"),
    [(FOOD, "0"), (PM10, "0.5"), (FOOD, "0.95%"), (FOOD, "0.5 ％"), (FOOD, "1.01")],
)
def test_no_fraction_warning(validate_unguarded: Validate, indicator: str, value: str) -> None:
    _, problems = validate_unguarded((indicator, value))
    assert problems == []


# ---- validate_records: errors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "code", "field"),
    [
        (("食品安全抽检合格律", "95"), "unknown-indicator", "indicator"),
        (("", "95"), "empty-value", "indicator"),
        ((None, "95"), "empty-value", "indicator"),
        ((FOOD, ""), "empty-value", "value"),
        ((LEADING, ""), "empty-value", "value"),
        ((FOOD, "abc"), "not-a-number", "value"),
        ((FOOD, "达到"), "not-a-number", "value"),
        ((FOOD, "1,23"), "not-a-number", "value"),
        ((FOOD, "nan"), "not-finite", "value"),
        ((FOOD, "95", "abc"), "bad-year", "year"),
        ((FOOD, "95", "1999"), "out-of-range", "year"),
        ((FOOD, "95", 2020, "甘州县"), "unknown-region", "region"),
        ((FOOD, "100.01"), "out-of-range", "value"),
        ((FOOD, "101%"), "out-of-range", "value"),
        ((FOOD, "-0.01"), "out-of-range", "value"),
        ((PM10, "-1"), "out-of-range", "value"),
        ((SME, "-1"), "out-of-range", "value"),
        ((SME, "100.5"), "not-an-integer", "value"),
        ((LEADING, "95"), "not-qualitative", "value"),
        ((PM10, "59%"), "unit-mismatch", "value"),
        ((SME, "100%"), "unit-mismatch", "value"),
        ((FOOD, "95", 2020, "", "kg"), "unit-mismatch", "unit"),
    ],
)
def test_error_codes_with_row_and_column_as_written(
    validate: Validate, row: Row, code: str, field: str
) -> None:
    measurements, problems = validate((FOOD, "95", 2019), row, headers=HEADERS)
    assert [m.origin.row for m in measurements] == [2]
    [problem] = problems
    assert (problem.code, problem.severity, problem.source, problem.row) == (
        code,
        "error",
        SOURCE,
        3,
    )
    assert problem.column == HEADERS[field]
    assert problem.hint is None or problem.hint != ""


def test_column_without_a_written_header_is_named_by_its_field(validate: Validate) -> None:
    [problem] = validate((FOOD, "abc"))[1]
    assert problem.column == "value"


@pytest.mark.parametrize(
    ("indicator", "value", "unit"),
    [
        (FOOD, "95", "ug/m3"),
        (FOOD, "95", "µg/m³"),
        (PM10, "55", "%"),
        (PM10, "55", "百分比"),
        (SME, "120", "%"),
        (LEADING, "达到", "%"),
    ],
)
def test_unit_that_does_not_fit_the_indicator(
    validate: Validate, indicator: str, value: str, unit: str
) -> None:
    measurements, problems = validate((indicator, value, 2020, "", unit), headers=HEADERS)
    assert measurements == []
    [problem] = problems
    assert (problem.code, problem.row) == ("unit-mismatch", 2)
    assert problem.column == HEADERS["unit"]


def test_several_errors_in_one_row_are_all_reported(validate: Validate) -> None:
    measurements, problems = validate(("xx", "abc", "20x0", "某县"), headers=HEADERS)
    assert measurements == []
    assert {(p.code, p.column) for p in problems} == {
        ("unknown-indicator", "指标"),
        ("not-a-number", "数值"),
        ("bad-year", "年份"),
        ("unknown-region", "地区"),
    }
    assert {p.row for p in problems} == {2}
    assert all(p.severity == "error" for p in problems)


def test_errors_in_several_rows_are_all_reported(validate: Validate) -> None:
    measurements, problems = validate(
        (FOOD, "abc"), (FOOD, "95", 2019), (PM10, "-3"), (LEADING, "maybe")
    )
    assert [m.origin.row for m in measurements] == [3]
    assert [(p.row, p.code) for p in problems] == [
        (2, "not-a-number"),
        (4, "out-of-range"),
        (5, "not-qualitative"),
    ]


def test_unknown_indicator_suggests_the_closest_name(validate: Validate) -> None:
    [problem] = validate(("食品安全抽检合格律", "95"))[1]
    assert problem.code == "unknown-indicator"
    assert "did you mean '食品安全抽检合格率'?" in problem.message
    assert problem.hint is not None


def test_unknown_indicator_without_a_close_name(validate: Validate) -> None:
    [problem] = validate(("xyzzy", "95"))[1]
    assert problem.code == "unknown-indicator"
    assert "did you mean" not in problem.message


def test_unknown_region_suggests_the_closest_name(validate: Validate) -> None:
    [problem] = validate((FOOD, "95", 2020, "甘州县"))[1]
    assert problem.code == "unknown-region"
    assert "'甘州县'" in problem.message
    assert "did you mean" in problem.message


def test_unknown_indicator_still_reports_a_bad_value(validate: Validate) -> None:
    problems = validate(("xyzzy", "abc"))[1]
    assert codes(problems) == ["unknown-indicator", "not-a-number"]


@pytest.mark.parametrize("value", ["95", "达到", "否"])
def test_unknown_indicator_with_a_plausible_value_is_one_error(
    validate: Validate, value: str
) -> None:
    assert codes(validate(("xyzzy", value))[1]) == ["unknown-indicator"]


def test_null_value_for_a_qualitative_indicator_is_empty(validate: Validate) -> None:
    [problem] = validate((LEADING, None))[1]
    assert problem.code == "empty-value"


def test_null_value_for_a_numeric_indicator_is_empty(catalogue: Catalogue) -> None:
    records, structure = read_yaml(
        "measurements:\n  - {indicator: food_safety_pass_rate, value: }\n", source="r.yaml"
    )
    assert structure == []
    measurements, problems = validate_records(records, catalogue=catalogue, default_year=2020)
    assert measurements == []
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "value", "empty-value")]


# ---- validate_records: duplicates ---------------------------------------------------------


def test_conflicting_duplicate_is_an_error_naming_the_earlier_row(validate: Validate) -> None:
    measurements, problems = validate(
        (FOOD, "95", 2020, "甘州"),
        (PM10, "50"),
        (FOOD, "96", 2020, "ganzhou"),
        headers=HEADERS,
    )
    assert [(m.indicator, m.value) for m in measurements] == [(FOOD, 95), (PM10, 50)]
    [problem] = problems
    assert (problem.code, problem.severity, problem.row, problem.column) == (
        "duplicate",
        "error",
        4,
        "数值",
    )
    assert f"{SOURCE}, row 2" in problem.message


def test_city_wide_spellings_are_the_same_cell(validate: Validate) -> None:
    _, problems = validate((FOOD, "95", 2020, ""), (FOOD, "96", 2020, "全市"))
    assert codes(problems) == ["duplicate"]


def test_every_later_duplicate_names_the_first_row(validate: Validate) -> None:
    _, problems = validate((FOOD, "95"), (FOOD, "96"), (FOOD, "97"))
    assert [(p.row, p.code) for p in problems] == [(3, "duplicate"), (4, "duplicate")]
    assert all(f"{SOURCE}, row 2" in p.message for p in problems)


@pytest.mark.parametrize("again", ["95", "95.0", "95%", "９５"])
def test_identical_duplicate_is_a_warning(validate: Validate, again: str) -> None:
    measurements, problems = validate((FOOD, "95"), (FOOD, again))
    assert len(measurements) == 1
    [problem] = problems
    assert (problem.code, problem.severity, problem.row) == ("duplicate-identical", "warning", 3)
    assert f"{SOURCE}, row 2" in problem.message


def test_different_years_and_regions_are_not_duplicates(validate: Validate) -> None:
    measurements, problems = validate(
        (FOOD, "95", 2019),
        (FOOD, "95", 2020),
        (FOOD, "95", 2020, "甘州"),
        (FOOD, "95", 2020, "临泽"),
    )
    assert problems == []
    assert len(measurements) == 4


# ---- validate_records: properties ---------------------------------------------------------

YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(allow_nan=False)
)
KNOWN_INDICATORS = st.sampled_from([FOOD, PM10, SME, LEADING, "good_air_days_ratio", "PM2.5"])
CELLS = st.one_of(st.text(), YAML_SCALARS)


def _check_all_or_nothing(measurements: list[Measurement], problems: list[Problem]) -> None:
    """Check that the row became exactly one measurement, or has at least one located error."""
    assert all(isinstance(problem, Problem) for problem in problems)
    assert all((problem.source, problem.row) == (SOURCE, 2) for problem in problems)
    assert len(measurements) + bool(errors(problems)) == 1, (measurements, problems)


@settings(max_examples=200, deadline=None)
@given(
    indicator=st.one_of(st.text(), KNOWN_INDICATORS),
    value=st.text(),
    year=st.text(),
    region=st.text(),
)
def test_any_text_becomes_a_measurement_or_problems(
    validate: Validate, indicator: str, value: str, year: str, region: str
) -> None:
    measurements, problems = validate((indicator, value, year, region), headers=HEADERS)
    _check_all_or_nothing(measurements, problems)
    assert all(problem.column in HEADERS.values() for problem in errors(problems))


@settings(max_examples=200, deadline=None)
@given(
    indicator=st.one_of(KNOWN_INDICATORS, CELLS),
    value=st.one_of(
        CELLS, st.sampled_from(["95", "0.5", "100.5", "达到", "-1", "1,234", "95%", "1e3"])
    ),
    year=st.one_of(CELLS, st.sampled_from(["2019", 2020, 2020.0, "2020年"])),
    region=st.one_of(CELLS, st.sampled_from(["甘州", "全市", "Sunan"])),
    unit=st.one_of(CELLS, st.sampled_from(["%", "ug/m3", "户"])),
    note=CELLS,
)
def test_any_cells_become_a_measurement_or_problems(
    validate: Validate,
    indicator: object,
    value: object,
    year: object,
    region: object,
    unit: object,
    note: object,
) -> None:
    measurements, problems = validate((indicator, value, year, region, unit, note))
    _check_all_or_nothing(measurements, problems)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_percentage_round_trips_through_validation(
    validate_unguarded: Validate, number: Decimal
) -> None:
    for written in (str(number), f"{number}%", f" {number} ％ "):
        measurements, problems = validate_unguarded((FOOD, written))
        assert errors(problems) == []
        assert [m.value for m in measurements] == [number]
