"""The fast lane for plain CSV rows: every cell already judged, no objects made per row.

A large CSV repeats the same names, regions, years and values. Once the Pydantic model has
judged a cell (see RowValidator), a row made only of judged cells needs no record, no model and,
if no rule can read it, no measurement: this lane checks it with dictionary look-ups and marks
its slot in the duplicate index. Any row it is not sure of — a cell not yet judged, a repeat,
a likely fraction, an odd width — it leaves untouched to the general path, which reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from qcheck.dataset import Dataset
from qcheck.loaders.table import Layout
from qcheck.measurements import Measurement, Origin
from qcheck.rows import DuplicateIndex, RowValidator

_MISSING = object()
Lane = Callable[[int, list[object]], bool]


class FastLane:
    """Takes the plain rows of CSV files off the general path, counting what it takes."""

    def __init__(
        self, *, validator: RowValidator, duplicates: DuplicateIndex, dataset: Dataset
    ) -> None:
        self.validator = validator
        self.duplicates = duplicates
        self.dataset = dataset
        self.taken = 0

    def for_layout(self, layout: Layout) -> Lane | None:
        """Return the row checker for a table, or None if its layout needs the general path."""
        if layout.unread or layout.value_unit or layout.value_year or layout.sheet is not None:
            return None
        column = {field: index for index, field in layout.positions.items()}
        return self._lane(layout, column)

    def _lane(self, layout: Layout, column: dict[str, int]) -> Lane:
        # Everything the loop needs is bound to a local name: this runs once per row.
        verdicts = self.validator.verdicts
        indicators, years, regions = verdicts.indicators, verdicts.years, verdicts.regions
        units, values = verdicts.units, verdicts.values
        percent = self.validator.percent
        duplicates, dataset = self.duplicates, self.dataset
        slot_of, seen, remember = duplicates.slot_maker(), duplicates.seen, duplicates.remember
        reads, add, add_unusable = dataset.reads, dataset.add, dataset.add_unusable
        source = layout.source
        origin_index = duplicates.origin_index(source, None)
        width = layout.width
        i_indicator, i_value = column["indicator"], column["value"]
        i_year, i_region = column.get("year"), column.get("region")
        i_unit, i_note = column.get("unit"), column.get("note")

        def lane(number: int, row: list[object]) -> bool:
            if len(row) != width:
                return False
            raw = row[i_indicator]
            found = indicators.get((type(raw), raw))
            if found is None:
                return False
            target, implied = found
            raw = None if i_year is None else row[i_year]
            year = years.get((type(raw), raw))
            if year is None:
                return False
            raw = None if i_region is None else row[i_region]
            region = regions.get((type(raw), raw), _MISSING)
            if region is _MISSING:
                return False
            unit = None if i_unit is None else row[i_unit]
            if not unit:
                unit = implied
            elif isinstance(unit, str) and unit.isspace():
                return False
            if unit is not None and (target, type(unit), unit) not in units:
                return False
            raw_value = row[i_value]
            value = values.get((target, type(raw_value), raw_value))
            if value is None:
                return False
            if target in percent and isinstance(value, Decimal) and 0 < value < 1:
                return False  # the general path warns that it looks like a fraction
            slot = slot_of(target, region, year)  # type: ignore[arg-type]
            if seen(slot):
                return False  # the general path names the earlier row
            remember(slot, number, value, origin_index)
            note = None if i_note is None else row[i_note]

            def make() -> Measurement:
                return Measurement(
                    indicator=target,
                    value=value,
                    year=year,
                    origin=Origin(source=source, row=number),
                    region=region,  # type: ignore[arg-type]
                    note=str(note).strip() if note and str(note).strip() else None,
                )

            if reads(target, region, year):  # type: ignore[arg-type]
                add(make())
            else:
                add_unusable(target, region, year, make)  # type: ignore[arg-type]
            self.taken += 1
            return True

        return lane
