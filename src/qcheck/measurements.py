"""Measured figures: the validated model and the rules that turn typed-in cells into it."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from qcheck.catalogue import Catalogue, Target
from qcheck.names import bracketed_unit, normalize_name, without_bracketed_tail
from qcheck.problems import Problem

FIELDS = ("indicator", "year", "region", "unit", "value", "note")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_NUMBER_LENGTH = 30

QUALITATIVE_WORDS: Mapping[str, bool] = {
    normalize_name(word): meaning
    for words, meaning in (
        (("达到", "已达到", "达标", "是", "yes", "true", "met"), True),
        (("未达到", "没有达到", "未达标", "否", "no", "false", "not met", "not_met"), False),
    )
    for word in words
}
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_NOT_FINITE = {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where a measurement was read: file and row (1 is the header row of a table)."""

    source: str
    sheet: str | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Measurement:
    """One validated figure for an indicator, a year and a region (None: city-wide)."""

    indicator: str
    value: Decimal | bool
    year: int
    region: str | None = None
    note: str | None = None
    origin: Origin

    @property
    def key(self) -> tuple[str, str | None, int]:
        """The cell of the dataset this figure fills."""
        return (self.indicator, self.region, self.year)


@dataclass(frozen=True)
class RawRecord:
    """One row as read from a file: canonical field name to cell, and the headers as written."""

    source: str
    row: int | None
    cells: Mapping[str, object]
    sheet: str | None = None
    extras: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


def _fail(code: str, message: str, message_zh: str) -> PydanticCustomError:
    # The message goes in as a parameter so braces typed by a user are never read as a template.
    return PydanticCustomError(code, "{message}", {"message": message, "message_zh": message_zh})


_EMPTY = _fail("empty-value", "the value is empty", "数值为空")
_TOO_LONG = _fail(
    "out-of-range",
    "the number has too many digits to be a plausible figure",
    "数字位数过多，不像实际数据",
)


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def plain_decimal(number: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: 95.50 -> 95.5, 1E+2 -> 100."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(raw: object) -> tuple[Decimal, bool]:
    """Parse a typed-in number; return it and whether it was written with a percent sign."""
    if raw is None:
        raise _EMPTY
    shown = str(raw)
    if isinstance(raw, bool):
        raise _fail(
            "not-a-number",
            f"{shown!r} is a yes/no answer, not a number",
            f"“{shown}”是是否判断，不是数字",
        )
    if isinstance(raw, int):
        if abs(raw) >= 10**MAX_NUMBER_LENGTH:
            raise _TOO_LONG
        return Decimal(raw), False
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _fail("not-finite", f"{raw} is not a finite number", f"{raw}不是有限的数")
        return Decimal(repr(raw)), False
    text = _text(raw)
    if not text:
        raise _EMPTY
    percent = text.endswith("%")
    number = text.removesuffix("%").strip() if percent else text
    if number.casefold() in _NOT_FINITE:
        raise _fail("not-finite", f"{shown!r} is not a finite number", f"“{shown}”不是有限的数")
    if _GROUPED_NUMBER.fullmatch(number):
        number = number.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(number):
        raise _fail("not-a-number", f"{shown!r} is not a number", f"“{shown}”不是数字")
    if len(number) > MAX_NUMBER_LENGTH:
        raise _TOO_LONG
    return Decimal(number), percent


def parse_qualitative(raw: object) -> bool:
    """Parse a met / not met answer such as 达到, 未达到, 是, 否, yes, no."""
    if isinstance(raw, bool):
        return raw
    meaning = QUALITATIVE_WORDS.get(normalize_name(str(raw))) if not _is_blank(raw) else None
    if meaning is None:
        if _is_blank(raw):
            raise _EMPTY
        raise _fail(
            "not-qualitative",
            f"{str(raw)!r} is not a met / not met answer; write 达到 or 未达到 (met / not met)",
            f"“{raw}”不是“达到/未达到”的回答；请填写“达到”或“未达到”",
        )
    return meaning


def parse_year(raw: object) -> int:
    """Parse a year such as 2020, 2020.0 (from a spreadsheet) or 2020年."""
    if isinstance(raw, bool):
        raise _fail("bad-year", f"{str(raw)!r} is not a year", f"“{raw}”不是年份")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _text(raw).removesuffix("年度").removesuffix("年").strip()
    if re.fullmatch(r"\d{4}\.0*", text):  # 2020.0, as spreadsheets write whole numbers
        text = text.split(".")[0]
    if not re.fullmatch(r"\d{1,4}", text):
        raise _fail("bad-year", f"{str(raw)!r} is not a year", f"“{raw}”不是年份")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(
            "out-of-range",
            f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}",
            f"{year}年不在{MIN_YEAR}–{MAX_YEAR}年之间",
        )
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
        if _is_blank(raw):
            raise _fail("empty-value", "the indicator is empty", "指标为空")
        names = cls._catalogue(info).indicator_names
        target = names.get(str(raw))
        if target is None:
            suggestion = names.suggest(str(raw))
            if suggestion:
                raise _fail(
                    "unknown-indicator",
                    f"unknown indicator {str(raw)!r}; did you mean {suggestion!r}?",
                    f"未知指标“{raw}”；是否应为“{suggestion}”？",
                )
            raise _fail("unknown-indicator", f"unknown indicator {str(raw)!r}", f"未知指标“{raw}”")
        return target.id

    @field_validator("year", mode="before")
    @classmethod
    def _plausible_year(cls, raw: object, info: ValidationInfo) -> int:
        if _is_blank(raw):
            default = (info.context or {}).get("default_year")
            if isinstance(default, int):
                return default
        return parse_year(raw)

    @field_validator("region", mode="before")
    @classmethod
    def _known_region(cls, raw: object, info: ValidationInfo) -> str | None:
        if _is_blank(raw):
            return None
        names = cls._catalogue(info).region_names
        text = str(raw)
        mapping = names.as_mapping()
        if normalize_name(text) not in mapping:
            suggestion = names.suggest(text)
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            hint_zh = f"；是否应为“{suggestion}”？" if suggestion else ""
            raise _fail(
                "unknown-region", f"unknown region {text!r}{hint}", f"未知地区“{text}”{hint_zh}"
            )
        region = names.get(text)
        return None if region is None else region.id

    @field_validator("unit", mode="before")
    @classmethod
    def _known_unit(cls, raw: object, info: ValidationInfo) -> str | None:
        if _is_blank(raw):
            return None
        catalogue = cls._catalogue(info)
        unit = catalogue.unit_names.get(str(raw))
        if unit is None:
            raise _fail("unit-mismatch", f"unknown unit {str(raw)!r}", f"未知单位“{raw}”")
        target_id = info.data.get("indicator")
        if target_id is not None:
            expected = catalogue.target(target_id).unit
            if expected is None:
                raise _fail(
                    "unit-mismatch",
                    "a met / not met indicator takes no unit",
                    "“达到/未达到”类指标不填单位",
                )
            if unit.id != expected:
                raise _fail(
                    "unit-mismatch",
                    f"this indicator is measured in {expected}, not {unit.id}",
                    f"该指标的单位是{expected}，不是{unit.id}",
                )
        return unit.id

    @field_validator("value", mode="before")
    @classmethod
    def _value_fits_indicator(cls, raw: object, info: ValidationInfo) -> Decimal | bool:
        target_id = info.data.get("indicator")
        if target_id is None:
            # The indicator is wrong already; still report a value that is not even a number.
            if not isinstance(raw, bool) and normalize_name(str(raw)) not in QUALITATIVE_WORDS:
                return parse_number(raw)[0]
            return Decimal(0)
        catalogue = cls._catalogue(info)
        target = catalogue.target(target_id)
        if target.is_qualitative:
            return parse_qualitative(raw)
        return _check_number(raw, target, catalogue)

    @field_validator("note", mode="before")
    @classmethod
    def _note_text(cls, raw: object) -> str | None:
        return None if _is_blank(raw) else str(raw).strip()


def _check_number(raw: object, target: Target, catalogue: Catalogue) -> Decimal:
    if not isinstance(raw, bool) and normalize_name(str(raw)) in QUALITATIVE_WORDS:
        raise _fail(
            "not-a-number",
            f"{str(raw)!r} is a met / not met answer; this indicator needs a number",
            f"“{raw}”是“达到/未达到”的回答；该指标需要填写数字",
        )
    number, percent_sign = parse_number(raw)
    unit = catalogue.unit(target.unit or "")
    if percent_sign and unit.id != "%":
        raise _fail(
            "unit-mismatch",
            f"a percentage was given; this indicator is measured in {unit.id}",
            f"填写了百分数；该指标的单位是{unit.id}",
        )
    if (unit.minimum is not None and number < unit.minimum) or (
        unit.maximum is not None and number > unit.maximum
    ):
        low = "" if unit.minimum is None else str(unit.minimum)
        high = "" if unit.maximum is None else str(unit.maximum)
        raise _fail(
            "out-of-range",
            f"{number} {unit.id} is outside the range {low}..{high}",
            f"{number}{unit.id}超出允许范围{low}～{high}",
        )
    if unit.integer and number != number.to_integral_value():
        raise _fail(
            "not-an-integer",
            f"{number} {unit.id} must be a whole number",
            f"{number}{unit.id}应为整数",
        )
    return number


_HINTS = {
    "unknown-indicator": (
        "use an id, Chinese or English name from the targets table",
        "请使用指标表中的编号、中文名或英文名（qcheck targets 可列出）",
    ),
    "unknown-region": (
        "use one of the six counties/districts, or leave it empty for city-wide",
        "请填写六县区之一；全市数据请留空或填“全市”",
    ),
    "not-a-number": ("write a plain number such as 95.2 or 95.2%", "请填写数字，如 95.2 或 95.2%"),
    "not-finite": ("write the measured figure as a number", "请填写实际数值"),
    "empty-value": (
        "fill in the figure, or delete the row if there is none",
        "请填写数值；没有数据的行请删除",
    ),
    "out-of-range": ("check the figure and its unit", "请核对数值及其单位"),
    "out-of-range:year": (
        "write the year the figure is for, between 2000 and 2100",
        "请填写数据所属年份（2000–2100年）",
    ),
    "bad-year": ("write the year as four digits, e.g. 2020", "请用四位数字填写年份，如 2020"),
    "not-an-integer": ("a count is a whole number", "计数应为整数"),
    "unit-mismatch": ("fix or empty the unit column", "请更正单位或留空"),
}


def validate_records(
    records: Iterable[RawRecord], *, catalogue: Catalogue, default_year: int
) -> tuple[list[Measurement], list[Problem]]:
    """Validate raw rows; return the measurements and every problem found, errors and warnings."""
    context = {"catalogue": catalogue, "default_year": default_year}
    measurements: list[Measurement] = []
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str | None, int], Measurement] = {}
    flagged_columns: set[tuple[str, str | None, str]] = set()
    for record in records:
        for problem in _unread_regions(record, catalogue):
            key = (problem.source, problem.sheet, problem.column or "")
            if key not in flagged_columns:
                flagged_columns.add(key)
                problems.append(problem)
        try:
            cells = _with_unit_from_name(
                {name: record.cells.get(name) for name in FIELDS}, catalogue
            )
            row = MeasurementRow.model_validate(cells, context=context)
        except ValidationError as error:
            problems += _problems_from(error, record)
            continue
        origin = Origin(source=record.source, sheet=record.sheet, row=record.row)
        measurement = Measurement(
            indicator=row.indicator,
            value=row.value,
            year=row.year,
            region=row.region,
            note=row.note,
            origin=origin,
        )
        problems += _warnings_for(measurement, record, catalogue)
        earlier = first_seen.get(measurement.key)
        if earlier is None:
            first_seen[measurement.key] = measurement
            measurements.append(measurement)
        else:
            problems.append(_duplicate(earlier, measurement, record))
    return measurements, problems


def _with_unit_from_name(cells: dict[str, object], catalogue: Catalogue) -> dict[str, object]:
    """Read 食品安全抽检合格率（%）as the indicator and its unit, which is then checked."""
    indicator = cells.get("indicator")
    if not isinstance(indicator, str) or catalogue.indicator_names.get(indicator) is not None:
        return cells
    unit = bracketed_unit(indicator)
    name = without_bracketed_tail(indicator)
    if unit is None or catalogue.indicator_names.get(name) is None:
        return cells
    if not _is_blank(cells.get("unit")):
        return {**cells, "indicator": name}
    return {**cells, "indicator": name, "unit": unit}


def _unread_regions(record: RawRecord, catalogue: Catalogue) -> list[Problem]:
    """Flag a column qcheck does not read whose cells name counties: its figures are regional."""
    problems = []
    for label, cell in record.extras.items():
        if _is_blank(cell) or isinstance(cell, bool):
            continue
        if catalogue.region_names.get(str(cell)) is not None:
            problems.append(
                Problem(
                    source=record.source,
                    sheet=record.sheet,
                    row=record.row,
                    column=label,
                    code="unread-region-column",
                    message=f"column {label!r} holds region names ({str(cell).strip()}) but is "
                    "not read, so its rows would count as city-wide",
                    hint="name the column 地区 or 区县 (region)",
                    message_zh=f"“{label}”列含有地区名（{str(cell).strip()}）但未被读取，"
                    "这些行会被当作全市数据",
                    hint_zh="请把该列命名为“地区”或“区县”",
                )
            )
    return problems


def _problems_from(error: ValidationError, record: RawRecord) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        field_name = str(detail["loc"][0]) if detail["loc"] else None
        code = detail["type"]
        context = detail.get("ctx") or {}
        message, message_zh = detail["msg"], context.get("message_zh")
        if code == "missing":
            code, message, message_zh = "empty-value", f"no {field_name} given", f"缺少{field_name}"
        hint, hint_zh = _HINTS.get(f"{code}:{field_name}", _HINTS.get(code, (None, None)))
        problems.append(
            Problem(
                source=record.source,
                sheet=record.sheet,
                row=record.row,
                column=record.headers.get(field_name or "", field_name),
                code=code,
                message=message,
                message_zh=message_zh,
                hint=hint,
                hint_zh=hint_zh,
            )
        )
    return problems


def _warnings_for(
    measurement: Measurement, record: RawRecord, catalogue: Catalogue
) -> list[Problem]:
    target = catalogue.target(measurement.indicator)
    value = measurement.value
    written = _text(record.cells.get("value", ""))
    if target.unit == "%" and not isinstance(value, bool) and 0 < value < 1 and "%" not in written:
        return [
            Problem(
                source=record.source,
                sheet=record.sheet,
                row=record.row,
                column=record.headers.get("value", "value"),
                code="looks-like-fraction",
                severity="warning",
                message=(
                    f"{plain_decimal(value)} looks like a fraction; did you mean "
                    f"{plain_decimal(value * 100)}%? It is used as written"
                ),
                message_zh=f"{plain_decimal(value)}像是小数形式的比例，是否应为"
                f"{plain_decimal(value * 100)}%？现按原值使用",
            )
        ]
    return []


def _duplicate(earlier: Measurement, later: Measurement, record: RawRecord) -> Problem:
    origin = earlier.origin
    where = origin.source if origin.row is None else f"{origin.source} row {origin.row}"
    where_zh = origin.source if origin.row is None else f"{origin.source}第{origin.row}行"
    region = later.region or "city-wide"
    region_zh = later.region or "全市"
    if earlier.value == later.value:
        return Problem(
            source=record.source,
            sheet=record.sheet,
            row=record.row,
            code="duplicate-identical",
            severity="warning",
            message=f"repeats {where} ({later.indicator}, {region}, {later.year}), same value",
            message_zh=f"与{where_zh}重复（{later.indicator}，{region_zh}，{later.year}年），数值相同",
        )
    return Problem(
        source=record.source,
        row=record.row,
        column=record.headers.get("value", "value"),
        code="duplicate",
        sheet=record.sheet,
        message=(
            f"{later.indicator}, {region}, {later.year} is {later.value} here "
            f"but {earlier.value} in {where}"
        ),
        hint="keep one row per indicator, region and year",
        message_zh=f"{later.indicator}，{region_zh}，{later.year}年：此处为{later.value}，"
        f"而{where_zh}为{earlier.value}",
        hint_zh="同一指标、地区、年份只保留一行",
    )
