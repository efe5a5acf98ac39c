"""Rows that repeat an earlier one: found by indicator, region and year; values compared exactly."""

from __future__ import annotations

from decimal import Decimal

from qcheck.catalogue import Catalogue
from qcheck.measurements import (
    Measurement,
    Origin,
    RawRecord,
    plain_decimal,
)
from qcheck.places import place_name
from qcheck.problems import Problem, location
from qcheck.words import label

Value = Decimal | bool


class DuplicateIndex:
    """Finds rows for an indicator, region and year already given, and compares their values.

    The first row of each (indicator, region, year) is remembered, so memory grows with the
    rows read, not with the catalogue. Values are compared exactly, as numbers: 95.2 and 95.20
    are the same value, 1 and 2**61 are not.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._first: dict[tuple[str, str | None, int], Measurement] = {}

    def check(self, measurement: Measurement, record: RawRecord) -> Problem | None:
        """Return a problem if this row repeats an earlier one; remember it otherwise."""
        earlier = self._first.setdefault(measurement.key, measurement)
        if earlier is measurement:
            return None
        return _duplicate(earlier.origin, earlier.value, measurement, record, self._catalogue)


def _duplicate(
    earlier: Origin,
    earlier_value: Value,
    later: Measurement,
    record: RawRecord,
    catalogue: Catalogue,
) -> Problem:
    where, where_zh = (
        location(earlier.source, earlier.sheet, earlier.row, lang=lang) for lang in ("en", "zh")
    )
    region, region_zh = (place_name(catalogue, later.region, lang) for lang in ("en", "zh"))
    # Exactly equal as numbers (Decimal compares values, not digits), or the same answer.
    if type(earlier_value) is type(later.value) and earlier_value == later.value:
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
        sheet=record.sheet,
        row=record.row,
        column=record.headers.get("value", "value"),
        code="duplicate",
        message=(
            f"{later.indicator}, {region}, {later.year} is {_written(later.value)} "
            f"here but {_written(earlier_value)} in {where}"
        ),
        hint="keep one row per indicator, region and year",
        message_zh=f"{later.indicator}，{region_zh}，{later.year}年：此处为"
        f"{_written(later.value, zh=True)}，而{where_zh}为{_written(earlier_value, zh=True)}",
        hint_zh="同一指标、地区、年份只保留一行",
    )


def _written(value: Value, *, zh: bool = False) -> str:
    """Write a value as given: met/not met (达到/未达到), or a plain number."""
    if isinstance(value, bool):
        return label("zh" if zh else "en", "met" if value else "not_met")
    return plain_decimal(value)
