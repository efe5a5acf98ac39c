"""Measured figures: the validated model and the rules that turn typed-in cells into it."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from qcheck.catalogue import MAX_YEAR, MIN_YEAR, Catalogue, Conversion, Target, Unit
from qcheck.decimals import held as held
from qcheck.decimals import plain_decimal as plain_decimal
from qcheck.names import NameIndex, SuggestionBudget, normalize_name
from qcheck.places import region_hint
from qcheck.words import Word, localized, spelled

FIELDS = ("indicator", "year", "region", "unit", "value", "note")
MAX_NUMBER_LENGTH = 30
# Figures are held to 15 significant digits, as Excel keeps them; a decimal of 15 digits also
# survives a round trip through a float (a JSON number) unchanged.

_YES_WORDS = ("达到", "已达到", "达标", "是", "完成", "已完成", "yes", "true", "met", "done")
_NO_WORDS: tuple[str, ...] = ("未达到", "没有达到", "未达标", "否", "未完成", "没有完成")
_NO_WORDS += ("no", "false", "not met", "not_met", "not done")
QUALITATIVE_WORDS: Mapping[str, bool] = {
    normalize_name(word): meaning
    for words, meaning in ((_YES_WORDS, True), (_NO_WORDS, False))
    for word in words
}
# ASCII only: \d would also match other scripts' digits (١٢), which Decimal() reads.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
# Thousands are grouped after a first group of 1 to 999: 0,078 and 00,400 are no grouping.
_GROUPED_NUMBER = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?", re.ASCII)
_ZERO_GROUPED = re.compile(r"[+-]?0\d{0,2}(,\d{3})+(\.\d+)?", re.ASCII)
# 32,400: one comma, three digits after it, no point. Grouped thousands, or 32.4 where the
# comma is the decimal mark (a semicolon-separated file, in the European convention).
# In a semicolon-separated file (European usage: 1.234,5) a comma may be the decimal mark and a
# point may group thousands: 32,400 and 1.000 each have two readings.
_COMMA_READINGS = re.compile(r"([+-]?[1-9]\d{0,2})[,.](\d{3})", re.ASCII)
# The full-width forms a Chinese input method types in a figure, and nothing else: NFKC would
# also turn a footnote mark (10①), a superscript (9²) or a fraction (½) into digits.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％－，＋", "0123456789.%-,+")
_NOT_FINITE = {
    f"{sign}{word}"
    for sign in ("", "+", "-")
    for word in ("nan", "inf", "infinity", ".nan", ".inf")  # .inf and .nan as YAML writes them
}


# Origin and Measurement are named tuples: immutable like a frozen dataclass, and made in a
# third of the time, which counts at a million rows.
class Origin(NamedTuple):
    """Where a measurement was read: file and row (1 is the header row of a table)."""

    source: str
    sheet: str | None = None
    row: int | None = None


class Measurement(NamedTuple):
    """One validated figure for an indicator, a year and a region (None: city-wide)."""

    indicator: str
    value: Decimal | bool
    year: int
    origin: Origin
    region: str | None = None
    note: str | None = None

    @property
    def key(self) -> tuple[str, str | None, int]:
        """The cell of the dataset this figure fills."""
        return (self.indicator, self.region, self.year)


@dataclass(slots=True)  # not frozen: made once per row, where frozen's setattr costs
class RawRecord:
    """One row as read from a file: canonical field name to cell, and the headers as written.

    ``decimal_comma``: the file may use the comma as its decimal mark (semicolon-separated).
    """

    source: str
    row: int | None
    cells: Mapping[str, object]
    sheet: str | None = None
    extras: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    decimal_comma: bool = False


def _fail(code: str, words: str = "", *, hint: str | None = None, **params: object) -> Refusal:
    """Return the refusal ``code``: its words (a variant of the code's) and their parameters.

    ``hint`` is the key of a fix that depends on the figure; else the code's own hint is given.
    The words are filled from the language tables only when said (see qcheck.problems).
    """
    # The words are Pydantic's message, said in English when it asks; braces a user typed are
    # never read as a template.
    context: dict[str, object] = {
        "message": Word(f"problem.{code}.{words}" if words else f"problem.{code}", **params)
    }
    if hint is not None:
        context["hint"] = f"{code}.{hint}"
    return PydanticCustomError(code, "{message}", context)


Refusal = PydanticCustomError
_EMPTY = _fail("empty-value")
_TOO_LONG = _fail("out-of-range", "digits")


def cell_text(value: object) -> str:
    """Return a cell as text with full-width digits and signs folded, surrounding spaces removed.

    Only ０-９ ． ％ － ， ＋ are folded; any other character stays as typed, so that a cell
    holding it is not a number.
    """
    return str(value).translate(_FULL_WIDTH).strip()


def is_blank(value: object) -> bool:
    """Whether a cell is empty: None, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _number_part(text: str) -> str:
    """Return a cell's text without its percent sign."""
    return text.removesuffix("%").strip() if text.endswith("%") else text


@functools.lru_cache(maxsize=4096)  # asked once per distinct cell of a semicolon file
def comma_readings(raw: object) -> tuple[Decimal, Decimal] | None:
    """Return the two readings of a cell such as 32,400 or 1.000 (1 and 1000), or None."""
    if not isinstance(raw, str):
        return None
    match = _COMMA_READINGS.fullmatch(_number_part(cell_text(raw)))
    if match is None:
        return None
    whole, part = match.groups()
    return Decimal(f"{whole}.{part}"), Decimal(whole + part)


def parse_number(raw: object, *, decimal_comma: bool = False) -> tuple[Decimal, bool]:
    """Parse a typed-in number; return it and whether it was written with a percent sign.

    A comma groups thousands (1,234); with ``decimal_comma`` (a semicolon-separated file, where
    it may be the decimal mark) a number it could also split, such as 32,400, is refused.
    """
    if raw is None:
        raise _EMPTY
    shown = str(raw)
    if isinstance(raw, bool):
        raise _fail("not-a-number", "yes-no", value=shown)
    if isinstance(raw, int):
        if abs(raw) >= 10**MAX_NUMBER_LENGTH:
            raise _TOO_LONG
        return held(Decimal(raw)), False
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _fail("not-finite", "float", value=raw)
        return held(Decimal(repr(raw))), False
    text = cell_text(raw)
    if not text:
        raise _EMPTY
    percent = text.endswith("%")
    number = _number_part(text)
    if number.casefold() in _NOT_FINITE:
        raise _fail("not-finite", value=shown)
    if decimal_comma and (readings := comma_readings(raw)):
        mark = "%" if percent else ""
        point, grouped = (plain_decimal(reading) + mark for reading in readings)
        raise _fail("not-a-number", "ambiguous", value=shown, point=point, grouped=grouped)
    if _GROUPED_NUMBER.fullmatch(number):
        number = number.replace(",", "")
    elif _ZERO_GROUPED.fullmatch(number):
        raise _zero_grouped(shown, number, "%" if percent else "")
    if not _PLAIN_NUMBER.fullmatch(number):
        raise _fail("not-a-number", value=shown)
    if len(number) > MAX_NUMBER_LENGTH:
        raise _TOO_LONG
    return held(Decimal(number)), percent


def _zero_grouped(shown: str, number: str, mark: str) -> PydanticCustomError:
    """Return the error for 0,078 or 00,400: no thousands grouping, maybe a decimal comma."""
    if number.count(",") == 1 and "." not in number:  # 0,078: perhaps 0.078
        point = plain_decimal(Decimal(number.replace(",", "."))) + mark
        return _fail("not-a-number", "zero-grouped-point", value=shown, point=point)
    return _fail("not-a-number", "zero-grouped", value=shown)


def parse_qualitative(raw: object, answers: tuple[str, str] = ("met", "not_met")) -> bool:
    """Parse a met / not met answer such as 达到, 未达到, 是, 否, yes, no.

    ``answers`` are the labels of the rule's own yes and no (done / not done for a
    commitment), which the message asks for.
    """
    if isinstance(raw, bool):
        return raw
    meaning = QUALITATIVE_WORDS.get(normalize_name(str(raw))) if not is_blank(raw) else None
    if meaning is None:
        if is_blank(raw):
            raise _EMPTY
        yes, no = answers
        raise _fail(
            "not-qualitative",
            value=str(raw),
            yes=Word(yes),
            no=Word(no),
            yes_written=Word(f"written.{yes}"),
            no_written=Word(f"written.{no}"),
        )
    return meaning


def parse_year(raw: object) -> int:
    """Parse a year such as 2020, 2020.0 (from a spreadsheet) or 2020年."""
    if isinstance(raw, bool):
        raise _fail("bad-year", value=str(raw))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = cell_text(raw).removesuffix("年度").removesuffix("年").strip()
    if re.fullmatch(r"\d{4}\.0*", text, re.ASCII):  # 2020.0, as spreadsheets write whole numbers
        text = text.split(".")[0]
    if not re.fullmatch(r"\d{1,4}", text, re.ASCII):
        raise _fail("bad-year", value=str(raw))
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail("out-of-range", "year", year=year, low=MIN_YEAR, high=MAX_YEAR)
    return year


class MeasurementRow(BaseModel):
    """One input row, validated against the catalogue passed as context."""

    model_config = ConfigDict(frozen=True)

    indicator: str
    year: int
    region: str | None = None
    unit: str | None = None
    value: Decimal | bool
    note: str | None = None

    @staticmethod
    def _catalogue(info: ValidationInfo) -> Catalogue:
        catalogue = (info.context or {}).get("catalogue")
        if not isinstance(catalogue, Catalogue):
            raise TypeError("MeasurementRow needs the catalogue as validation context")
        return catalogue

    @field_validator("indicator", mode="before")
    @classmethod
    def _known_indicator(cls, raw: object, info: ValidationInfo) -> str:
        if is_blank(raw):
            raise _fail("empty-value", "indicator", hint="indicator")
        names = cls._catalogue(info).indicator_names
        target = names.get(str(raw))
        if target is None:
            suggestion = _suggestion(names, str(raw), info)
            if suggestion:
                raise _fail("unknown-indicator", "suggest", value=str(raw), suggestion=suggestion)
            raise _fail("unknown-indicator", value=str(raw))
        return target.id

    @field_validator("year", mode="before")
    @classmethod
    def _plausible_year(cls, raw: object, info: ValidationInfo) -> int:
        if is_blank(raw):
            default = (info.context or {}).get("default_year")
            if isinstance(default, int):
                return default
        return parse_year(raw)

    @field_validator("region", mode="before")
    @classmethod
    def _known_region(cls, raw: object, info: ValidationInfo) -> str | None:
        if is_blank(raw):
            return None
        names = cls._catalogue(info).region_names
        text = str(raw)
        mapping = names.as_mapping()
        if normalize_name(text) not in mapping:
            suggestion = _suggestion(names, text, info)
            close = names.get(suggestion) if suggestion else None
            if close is not None:  # suggest the full name, 甘州区 rather than the alias 甘州
                suggestion = close.name_en if text.isascii() else close.name_zh
            hint, params = region_hint(cls._catalogue(info))
            raise _fail(
                "unknown-region",
                "suggest" if suggestion else "",
                hint=hint,
                value=text,
                suggestion=suggestion,
                **params,
            )
        region = names.get(text)
        return None if region is None else region.id

    @field_validator("unit", mode="before")
    @classmethod
    def _known_unit(cls, raw: object, info: ValidationInfo) -> str | None:
        if is_blank(raw):
            return None
        catalogue = cls._catalogue(info)
        unit = catalogue.unit_names.get(str(raw))
        if unit is None:
            raise _fail("unit-mismatch", "unknown", value=str(raw))
        target_id = info.data.get("indicator")
        if target_id is not None:
            expected = catalogue.target(target_id).unit
            if expected is None:
                raise _fail("unit-mismatch", "qualitative")
            if unit.id != expected and (unit.converts is None or unit.converts.to != expected):
                raise _fail("unit-mismatch", expected=expected, unit=unit.id)
        return unit.id

    @field_validator("value", mode="before")
    @classmethod
    def _value_fits_indicator(cls, raw: object, info: ValidationInfo) -> Decimal | bool:
        target_id = info.data.get("indicator")
        if target_id is None:
            # The indicator is wrong already; still report a value that is not even a number.
            if not isinstance(raw, bool) and normalize_name(str(raw)) not in QUALITATIVE_WORDS:
                return parse_number(raw, decimal_comma=_decimal_comma(info))[0]
            return Decimal(0)
        catalogue = cls._catalogue(info)
        target = catalogue.target(target_id)
        rule = target.rule
        if rule.answers_yes_no or (rule.accepts_yes_no and _is_answer(raw)):
            return parse_qualitative(raw, target.rule.answer_labels)
        written = catalogue.unit(info.data.get("unit") or target.unit or "")
        return _check_number(raw, target, catalogue, written, decimal_comma=_decimal_comma(info))

    @field_validator("note", mode="before")
    @classmethod
    def _note_text(cls, raw: object) -> str | None:
        return note_text(raw)


def note_text(raw: object) -> str | None:
    """Return a note cell as kept: its text without surrounding spaces, or None if blank."""
    return None if is_blank(raw) else str(raw).strip()


def _suggestion(names: NameIndex[Any], name: str, info: ValidationInfo) -> str | None:
    """Return the known name closest to ``name``, unless the run has sought too many already."""
    budget = (info.context or {}).get("suggestions")
    if isinstance(budget, SuggestionBudget) and not budget.allows(names, name):
        return None
    return names.suggest(name)


def _decimal_comma(info: ValidationInfo) -> bool:
    """Whether the row comes from a file whose decimal mark may be the comma."""
    return bool((info.context or {}).get("decimal_comma"))


def _is_answer(raw: object) -> bool:
    """Whether a cell holds a met / not met answer rather than a figure."""
    return isinstance(raw, bool) or normalize_name(str(raw)) in QUALITATIVE_WORDS


def _check_number(
    raw: object, target: Target, catalogue: Catalogue, written: Unit, *, decimal_comma: bool
) -> Decimal:
    """Read a figure written in ``written`` (the target's unit, or one converting to it)."""
    if not isinstance(raw, bool) and normalize_name(str(raw)) in QUALITATIVE_WORDS:
        raise _fail("not-a-number", "answer", value=str(raw))
    number, percent_sign = parse_number(raw, decimal_comma=decimal_comma)
    conversion = converted(written, target)
    if percent_sign and written.id != "%":
        if conversion is not None:
            fraction = plain_decimal(number / conversion.factor)
            raise _fail(
                "unit-mismatch",
                "percent-fraction",
                hint="percent-fraction",
                unit=localized(written, "name"),
                fraction=fraction,
                to=conversion.to,
            )
        raise _fail("unit-mismatch", "percent", unit=written.id)
    if conversion is not None:
        _check_fraction_range(number, written, conversion.to)
        number = held(number * conversion.factor)
    unit = catalogue.unit(target.unit or "")
    _check_range(number, unit)
    if unit.integer and number != number.to_integral_value():
        shown = plain_decimal(number)
        raise _fail("not-an-integer", value=shown, unit=unit.id)
    if target.plausible is not None and not target.plausible.allows(number):
        raise _implausible(number, target, catalogue, written)
    return number


def converted(written: Unit, target: Target) -> Conversion | None:
    """Return how a figure written in ``written`` is read in the target's unit, if it is.

    A unit converts only for a target measured in another: a target set as a ratio (占比达到
    0.5) is judged on ratios as written.
    """
    return written.converts if written.id != target.unit else None


def _check_range(number: Decimal, unit: Unit) -> None:
    """Refuse a figure its unit does not allow: a percentage above 100, a ratio above 1."""
    if not unit.allows(number):
        low = "" if unit.minimum is None else plain_decimal(unit.minimum)
        high = "" if unit.maximum is None else plain_decimal(unit.maximum)
        shown = plain_decimal(number)
        raise _fail("out-of-range", value=shown, unit=unit.id, low=low, high=high)


def _check_fraction_range(number: Decimal, written: Unit, meant: str) -> None:
    """Refuse 95 with the unit 比例: a fraction lies from 0 to 1, and 95 is a percentage."""
    if not written.allows(number):
        low = "" if written.minimum is None else plain_decimal(written.minimum)
        high = "" if written.maximum is None else plain_decimal(written.maximum)
        shown = plain_decimal(number)
        raise _fail(
            "out-of-range",
            "fraction",
            hint="fraction",
            value=shown,
            unit=localized(written, "name"),
            low=low,
            high=high,
            meant=meant,
        )


def _implausible(
    number: Decimal, target: Target, catalogue: Catalogue, written: Unit
) -> PydanticCustomError:
    """Return the error for a figure outside the target's plausible range, with the likely fix."""
    plausible = target.plausible
    bounds = plausible.shown() if plausible is not None else ""
    shown, unit = plain_decimal(number), target.unit or ""
    fraction = (
        _as_fraction(number, target, catalogue) if converted(written, target) is None else None
    )
    if fraction is not None:
        meant, ratio = fraction
        return _fail(
            "implausible",
            hint="fraction",
            value=shown,
            unit=unit,
            bounds=bounds,
            meant=meant,
            ratio=spelled(ratio, "name"),
        )
    return _fail("implausible", value=shown, unit=unit, bounds=bounds)


def _as_fraction(number: Decimal, target: Target, catalogue: Catalogue) -> tuple[str, Unit] | None:
    """Return the figure ``number`` stands for as a fraction, and the unit that says so, if any."""
    plausible = target.plausible
    for unit in catalogue.units:
        conversion = unit.converts
        if conversion is None or conversion.to != target.unit or not unit.allows(number):
            continue
        meant = held(number * conversion.factor)
        if plausible is None or plausible.allows(meant):
            return plain_decimal(meant), unit
    return None
