"""Row validation at scale: every row checked, Pydantic validating each distinct cell once.

A report repeats the same indicator names, regions, years and often values thousands of times.
The first time a cell is seen, the whole row goes through the Pydantic MeasurementRow model;
its verdict on that cell is remembered, so a later row whose cells have all been seen is
checked by dictionary look-ups. A row with any new cell goes through the model again.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import Decimal

from pydantic import ValidationError

from qcheck.catalogue import MAX_YEAR, MIN_YEAR, Catalogue
from qcheck.duplicates import DuplicateIndex
from qcheck.measurements import (
    FIELDS,
    Measurement,
    MeasurementRow,
    Origin,
    RawRecord,
    cell_text,
    comma_readings,
    converted,
    is_blank,
    plain_decimal,
)
from qcheck.names import SuggestionBudget, bracketed_unit, without_bracketed_tail
from qcheck.problems import Problem

VALUE_CACHE_SIZE = 100_000  # distinct (indicator, value) pairs remembered
KEPT_PROBLEMS = 10_000  # per severity; more are counted, not kept
# Distinct unknown names per run given the closest known one: more than are ever shown.
SUGGESTED_NAMES = 500

_HINTS = {
    "unknown-indicator": (
        "use an id, Chinese or English name listed by `qcheck targets`",
        "请使用指标表中的编号、中文名或英文名（qcheck targets 可列出）",
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
    "unit-mismatch:value": (
        "write the figure in the indicator's unit, without a percent sign",
        "请按该指标的单位填写数字，不带百分号",
    ),
    # The unit in brackets in the value column's header, as in 数值（%）, stands for every row's.
    "unit-mismatch:header": (
        "fix the unit in brackets in the header {header!r}, or remove it",
        "请更正列标题“{header}”括号中的单位，或将其删去",
    ),
    # The unit in brackets after the indicator's name, as in 食品安全抽检合格率（%）.
    "unit-mismatch:name": (
        "fix the unit in brackets after the indicator's name, or remove it",
        "请更正指标名称后括号中的单位，或将其删去",
    ),
}


class ProblemLog:
    """Problems found so far: every one counted, the first few thousand of each kind kept."""

    def __init__(self, *, keep: int | None = None) -> None:
        self.kept: list[Problem] = []
        self.omitted = {"error": 0, "warning": 0}
        self._keep = KEPT_PROBLEMS if keep is None else keep
        self._counts = {"error": 0, "warning": 0}

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self._counts[problem.severity] += 1
        if self._counts[problem.severity] <= self._keep:
            self.kept.append(problem)
        else:
            self.omitted[problem.severity] += 1

    append = add  # a log can stand where a list of problems is filled

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        for problem in problems:
            self.add(problem)

    @property
    def errors(self) -> int:
        """How many errors were found, kept or not."""
        return self._counts["error"]


class CellVerdicts:
    """What the Pydantic model said of each distinct cell, for one catalogue and default year.

    Shared by every file of a run, so a thousand reports written alike are validated once.
    """

    def __init__(self) -> None:
        self.indicators: dict[tuple[type, object], tuple[str, str | None]] = {}
        self.years: dict[tuple[type, object], int] = {}
        self.regions: dict[tuple[type, object], str | None] = {}
        self.units: dict[tuple[str, type, object], str | None] = {}
        self.values: dict[tuple[str, type, object], Decimal | bool] = {}
        # Tables the fast lane derives from these, kept here to be shared as they are.
        self.derived: dict[str, object] = {}


class RowValidator:
    """Validates rows one at a time against a catalogue, remembering each distinct cell."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        default_year: int,
        log: ProblemLog,
        verdicts: CellVerdicts | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.log = log
        if not MIN_YEAR <= default_year <= MAX_YEAR:
            raise ValueError(
                f"default_year must be from {MIN_YEAR} to {MAX_YEAR}, not {default_year}"
            )
        self._context = {
            "catalogue": catalogue,
            "default_year": default_year,
            "suggestions": SuggestionBudget(SUGGESTED_NAMES),
        }
        self._comma_context = {**self._context, "decimal_comma": True}
        known = verdicts or CellVerdicts()
        self.verdicts = known
        self._indicators = known.indicators
        self._years = known.years
        self._regions = known.regions
        self._units = known.units
        self._values = known.values
        # Percentages with no plausible range, where a fraction (0.95) is used with a warning.
        self._unguarded = {
            target.id
            for target in catalogue.targets
            if target.unit == "%" and target.plausible is None
        }
        self._flagged_columns: set[tuple[str, str | None, str]] = set()

    def check(self, record: RawRecord) -> Measurement | None:
        """Return the row as a measurement, or None after logging why it cannot be used."""
        if record.extras:
            self._check_extras(record)
        cells = record.cells
        raw_indicator, raw_value = cells.get("indicator"), cells.get("value")
        raw_year, raw_region, raw_unit = cells.get("year"), cells.get("region"), cells.get("unit")
        if record.decimal_comma and comma_readings(raw_value):
            return self._check_slowly(record)  # 32,400 is read otherwise where commas group
        # Keys carry the type: True, 1 and 1.0 are equal in Python but not as typed cells.
        try:
            target_id, implied_unit = self._indicators[(type(raw_indicator), raw_indicator)]
            year = self._years[(type(raw_year), raw_year)]
            region = self._regions[(type(raw_region), raw_region)]
            if is_blank(raw_unit):
                raw_unit = implied_unit
            if raw_unit is not None and (target_id, type(raw_unit), raw_unit) not in self._units:
                raise KeyError(raw_unit)
            value = self._values[(target_id, type(raw_value), raw_value)]
        except (KeyError, TypeError):
            return self._check_slowly(record)
        note = cells.get("note")
        return Measurement(
            indicator=target_id,
            value=value,
            year=year,
            region=region,
            note=None if is_blank(note) else str(note).strip(),
            origin=Origin(source=record.source, sheet=record.sheet, row=record.row),
        )

    def _check_slowly(self, record: RawRecord) -> Measurement | None:
        """Validate a row with the Pydantic model and remember its verdict on each cell."""
        cells = {name: record.cells.get(name) for name in FIELDS}
        # A unit written in brackets after the indicator's name stands in for an empty unit cell.
        split = _unit_in_name(cells["indicator"], self.catalogue)
        conflict = _units_disagree(split, cells["unit"], record, self.catalogue)
        if conflict is not None:
            self.log.add(conflict)
            return None
        effective = _with_unit_from_name(cells, split)
        try:
            context = self._comma_context if record.decimal_comma else self._context
            row = MeasurementRow.model_validate(effective, context=context)
        except ValidationError as error:
            unit_in_name = split is not None and is_blank(cells["unit"])
            self.log.extend(_problems_from(error, record, unit_in_name=unit_in_name))
            return None
        raw = cells["indicator"], cells["year"], cells["region"], cells["value"]
        self._indicators[(type(raw[0]), raw[0])] = (row.indicator, split[1] if split else None)
        self._years[(type(raw[1]), raw[1])] = row.year
        self._regions[(type(raw[2]), raw[2])] = row.region
        # A figure that is warned about is not remembered: the row after it that repeats it
        # comes here again, and is warned about too. The fast lane leaves it alone for that.
        warning = self._fraction_warning(row, record)
        if warning is not None:
            self.log.add(warning)
        else:
            unit = effective["unit"]
            if not is_blank(unit):
                self._units[(row.indicator, type(unit), unit)] = row.unit
            if len(self._values) < VALUE_CACHE_SIZE:
                self._values[(row.indicator, type(raw[3]), raw[3])] = row.value
        return Measurement(
            indicator=row.indicator,
            value=row.value,
            year=row.year,
            region=row.region,
            note=row.note,
            origin=Origin(source=record.source, sheet=record.sheet, row=record.row),
        )

    def _fraction_warning(self, row: MeasurementRow, record: RawRecord) -> Problem | None:
        """Return the warning for a figure read from a fraction, or that may be one.

        A figure in a unit that converts (a ratio 0.952 read as 95.2%) is said to be converted.
        A percentage of 1 or less, with no percent sign, for a target with no plausible range
        to refuse it by, is used as written: probably 95% was meant.
        """
        value = row.value
        if isinstance(value, bool):
            return None
        unit = self.catalogue.unit(row.unit) if row.unit is not None else None
        column = record.headers.get("value", "value")
        target = self.catalogue.target(row.indicator)
        conversion = None if unit is None else converted(unit, target)
        if unit is not None and conversion is not None:
            before = plain_decimal(value / conversion.factor)
            after = plain_decimal(value) + conversion.to
            return self._warning(
                record,
                column,
                "unit-converted",
                f"{before} in {unit.name_en} ({unit.name_zh}) is read as {after}",
                f"{before}（{unit.name_zh}）已换算为{after}",
            )
        if row.indicator not in self._unguarded or not 0 < value <= 1:
            return None
        if "%" in cell_text(record.cells.get("value", "")):
            return None
        return self._warning(
            record,
            column,
            "looks-like-fraction",
            f"{plain_decimal(value)} looks like a fraction; did you mean "
            f"{plain_decimal(value * 100)}%? It is used as written",
            f"{plain_decimal(value)}像是小数形式的比例，是否应为"
            f"{plain_decimal(value * 100)}%？现按原值使用",
        )

    @staticmethod
    def _warning(
        record: RawRecord, column: str, code: str, message: str, message_zh: str
    ) -> Problem:
        return Problem(
            source=record.source,
            sheet=record.sheet,
            row=record.row,
            column=column,
            code=code,
            severity="warning",
            message=message,
            message_zh=message_zh,
        )

    def _check_extras(self, record: RawRecord) -> None:
        for problem in _unread_regions(record, self.catalogue):
            key = (problem.source, problem.sheet, problem.column or "")
            if key not in self._flagged_columns:
                self._flagged_columns.add(key)
                self.log.add(problem)


def validate_records(
    records: Iterable[RawRecord], *, catalogue: Catalogue, default_year: int
) -> tuple[list[Measurement], list[Problem]]:
    """Validate raw rows; return the measurements and every problem found, errors and warnings."""
    log = ProblemLog(keep=sys.maxsize)
    validator = RowValidator(catalogue=catalogue, default_year=default_year, log=log)
    duplicates = DuplicateIndex(catalogue)
    checked = (check_row(record, validator=validator, duplicates=duplicates) for record in records)
    return [measurement for measurement in checked if measurement is not None], log.kept


def check_row(
    record: RawRecord, *, validator: RowValidator, duplicates: DuplicateIndex
) -> Measurement | None:
    """Validate a row and check that it repeats no earlier one; log why if it cannot be used."""
    measurement = validator.check(record)
    if measurement is None:
        return None
    repeated = duplicates.check(measurement, record)
    if repeated is not None:
        validator.log.add(repeated)
        return None
    return measurement


def _unit_in_name(indicator: object, catalogue: Catalogue) -> tuple[str, str] | None:
    """Split 食品安全抽检合格率（%）into the indicator's name and the unit written after it."""
    if not isinstance(indicator, str) or catalogue.indicator_names.get(indicator) is not None:
        return None
    unit = bracketed_unit(indicator)
    name = without_bracketed_tail(indicator)
    if unit is None or catalogue.indicator_names.get(name) is None:
        return None
    return name, unit


def _units_disagree(
    split: tuple[str, str] | None, unit: object, record: RawRecord, catalogue: Catalogue
) -> Problem | None:
    """Refuse 食品安全抽检合格率（ug/m3）beside a unit of %: one of the two units is wrong."""
    if split is None or is_blank(unit):
        return None
    named, given = catalogue.unit_names.get(split[1]), catalogue.unit_names.get(str(unit))
    if named is None or given is None or named is given:
        return None
    label = record.headers.get("unit", "unit")
    return Problem(
        source=record.source,
        sheet=record.sheet,
        row=record.row,
        column=record.headers.get("indicator", "indicator"),
        code="unit-mismatch",
        message=f"the indicator's name gives the unit {split[1]}, "
        f"but column {label!r} gives {unit}",
        message_zh=f"指标名称中的单位是{split[1]}，而“{label}”列的单位是{unit}",
        hint="make them agree: write the indicator's unit in one place",
        hint_zh="请使两处单位一致，或只在一处填写指标的单位",
    )


def _with_unit_from_name(
    cells: dict[str, object], split: tuple[str, str] | None
) -> dict[str, object]:
    """Read 食品安全抽检合格率（%）as the indicator and its unit, which is then checked."""
    if split is None:
        return cells
    name, unit = split
    if not is_blank(cells.get("unit")):
        return {**cells, "indicator": name}
    return {**cells, "indicator": name, "unit": unit}


def _unread_regions(record: RawRecord, catalogue: Catalogue) -> list[Problem]:
    """Flag a column qcheck does not read whose cells name counties: its figures are regional."""
    problems = []
    for label, cell in record.extras.items():
        if is_blank(cell) or isinstance(cell, bool):
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


def _problems_from(
    error: ValidationError, record: RawRecord, *, unit_in_name: bool = False
) -> list[Problem]:
    """Return the problems of a row the model refused.

    ``unit_in_name``: the unit checked was the one in brackets after the indicator's name.
    """
    problems = []
    for detail in error.errors(include_url=False):
        field_name = str(detail["loc"][0]) if detail["loc"] else None
        code = detail["type"]
        context = detail.get("ctx") or {}
        message, message_zh = detail["msg"], context.get("message_zh")
        if code == "missing":
            code, message, message_zh = "empty-value", f"no {field_name} given", f"缺少{field_name}"
        hint, hint_zh = _HINTS.get(f"{code}:{field_name}", _HINTS.get(code, (None, None)))
        hint, hint_zh = context.get("hint", hint), context.get("hint_zh", hint_zh)
        column = record.headers.get(field_name or "", field_name)
        header = record.headers.get(field_name or "")
        if code == "unit-mismatch" and unit_in_name and field_name == "unit":
            column = record.headers.get("indicator", "indicator")
            hint, hint_zh = _HINTS[f"{code}:name"]
        elif (
            code == "unit-mismatch"
            and header is not None
            and header == record.headers.get("value")
            and bracketed_unit(header) is not None
        ):
            hint, hint_zh = (text.format(header=header) for text in _HINTS[f"{code}:header"])
        problems.append(
            Problem(
                source=record.source,
                sheet=record.sheet,
                row=record.row,
                column=column,
                code=code,
                message=message,
                message_zh=message_zh,
                hint=hint,
                hint_zh=hint_zh,
            )
        )
    return problems
