"""Numbers as typed: which characters make a figure, and how figures are shown.

Issue 9: a figure is never read from a character that is not a digit, and the same text gives
the same number in every input format.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from qcheck.loaders.columns import year_of_value_header
from qcheck.measurements import parse_number, parse_year
from tests.test_inputs import _in_tmp, validation, write  # noqa: F401 - _in_tmp: autouse

ASCII_FORMS = "0123456789.%-,+"
FULL_WIDTH_FORMS = "０１２３４５６７８９．％－，＋"


def rejection(raw: object) -> str:
    """Return the code parse_number refuses ``raw`` with (fails if it is accepted)."""
    with pytest.raises(PydanticCustomError) as raised:
        parse_number(raw)
    return raised.value.type


# ---- folding: only the full-width forms ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "10①",  # a footnote mark, which NFKC reads as 1
        "9²",
        "9₂",
        "١٢",  # Arabic-Indic digits
        "१२",  # Devanagari digits
        "½",
        "9½",
        "Ⅻ",
        "⑫",
        "９５．２％①",
        "95.2﹪",  # the small percent sign
        "9⁵.2",
    ],
)
def test_characters_that_are_not_digits_make_no_number(raw: str) -> None:
    assert rejection(raw) == "not-a-number"


@pytest.mark.parametrize(
    ("raw", "ascii"),
    [
        ("９５．２％", "95.2%"),
        ("－０．５", "-0.5"),
        ("＋５", "+5"),
        ("１，２３４，５６７．５", "1,234,567.5"),
        ("\u3000９５\u3000", "95"),
        ("９５．２\u3000％", "95.2 %"),
    ],
)
def test_full_width_forms_read_as_their_ascii(raw: str, ascii: str) -> None:
    assert parse_number(raw) == parse_number(ascii)


@pytest.mark.parametrize("raw", ["２０２０年", "２０２０", "\u3000２０２０年度\u3000"])
def test_full_width_years(raw: str) -> None:
    assert parse_year(raw) == 2020


@pytest.mark.parametrize("raw", ["２⁰２⁰", "2⁰2⁰年", "٢٠٢٠", "20٢٠", "２０２０①", "二〇二〇"])
def test_years_not_written_in_digits(raw: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_year(raw)
    assert raised.value.type == "bad-year"


@pytest.mark.parametrize(
    ("header", "year"),
    [
        ("2020年完成值", 2020),
        ("２０２０年完成值", 2020),
        ("２⁰２⁰年完成值", None),
        ("20٢٠年完成值", None),
    ],
)
def test_year_in_a_value_header_is_typed_in_digits(header: str, year: int | None) -> None:
    assert year_of_value_header(header) == year


NUMBERS = st.decimals(
    min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
).map(lambda number: format(number, "f"))
WRITTEN = st.tuples(NUMBERS, st.sampled_from(["", "%", " %"])).map("".join)
NOT_FOLDED = st.characters(
    exclude_categories=["Cs"],
    exclude_characters=ASCII_FORMS + FULL_WIDTH_FORMS,
).filter(lambda char: not char.isspace())


@settings(max_examples=300, deadline=None)
@given(written=WRITTEN, char=NOT_FOLDED, data=st.data())
def test_any_other_character_anywhere_makes_no_number(
    written: str, char: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(written)))
    assert rejection(written[:at] + char + written[at:]) == "not-a-number"


@settings(max_examples=300, deadline=None)
@given(written=WRITTEN)
def test_full_width_forms_give_the_number_of_their_ascii(written: str) -> None:
    full_width = written.translate(str.maketrans(ASCII_FORMS, FULL_WIDTH_FORMS))
    assert parse_number(full_width) == parse_number(written)


def test_a_footnote_mark_in_a_report_is_an_error_not_a_figure() -> None:
    rows = "食品安全抽检合格率,95①\n主要农产品质量安全监测合格率,９８．５\n"
    path = write("report.csv", "指标,数值\n" + rows)
    code, found = validation(path)
    assert code == 2
    assert [(p["code"], p["row"], p["column"]) for p in found["problems"]] == [
        ("not-a-number", 2, "数值")
    ]
