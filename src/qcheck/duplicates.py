"""Rows that repeat an earlier one: found by indicator, region and year; values compared exactly."""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import repeat
from operator import add
from typing import NamedTuple

from qcheck.catalogue import MAX_YEAR, MIN_YEAR, Catalogue
from qcheck.measurements import (
    Measurement,
    Origin,
    RawRecord,
    plain_decimal,
)
from qcheck.places import place_name
from qcheck.problems import Problem, location
from qcheck.words import label

ROW_BITS = 40  # a slot holds (file << ROW_BITS) + row + 2, or + 1 with no row
ROW_MASK = (1 << ROW_BITS) - 1
# Up to this many slots (64 MiB of arrays), flat arrays; beyond, dictionaries that grow with the
# rows read, so that a catalogue of many targets and regions costs nothing until it is used.
DENSE_SLOTS = 1 << 22
Value = Decimal | bool


class DuplicateIndex:
    """Finds rows for an indicator, region and year already given, and compares their values.

    Each (indicator, region, year) has a slot holding the first row's number and file, and the
    code of its value: the code of its text for rows the fast lane takes (see ``lane_text``),
    else minus the number of the value itself. Values are compared exactly, as numbers: 95.2 and
    95.20 are the same value, 1 and 2**61 are not.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self._targets = [target.id for target in catalogue.targets]
        self._indicators = {target: n for n, target in enumerate(self._targets)}
        self._regions: dict[str | None, int] = {None: 0}
        self._regions.update({region.id: n for n, region in enumerate(catalogue.regions, 1)})
        self._catalogue = catalogue
        self._years = MAX_YEAR - MIN_YEAR + 1
        self._per_indicator = len(self._regions) * self._years
        slots = len(self._indicators) * self._per_indicator
        # (file << ROW_BITS) + row + 2 (see ROW_BITS) where file is an origin_index, and the
        # value's code; an unseen slot reads as 0 (arrays) or None (dictionaries).
        self._rows: array[int] | dict[int, int]
        self._codes: array[int] | dict[int, int]
        if slots <= DENSE_SLOTS:
            self._rows, self._codes = array("q", [0]) * slots, array("q", [0]) * slots
            self._row_at: Callable[[int], int | None] = self._rows.__getitem__
        else:
            self._rows, self._codes = {}, {}
            self._row_at = self._rows.get
        self._code_at: Callable[[int], int | None] = (
            self._codes.get if isinstance(self._codes, dict) else self._codes.__getitem__
        )
        # The values remembered by the general path, each once: equal values share a number.
        self._value_numbers: dict[tuple[type, Value], int] = {}
        self._values: list[Value] = [False]
        self._origins: dict[tuple[str, str | None], int] = {}
        self._origin_list: list[tuple[str, str | None]] = []
        # What a code stands for: given a target and the text coded, its value.
        self.lane_text: Callable[[str, int], Value] | None = None
        self._bases = self.slot_bases()

    def slot_bases(self) -> SlotBases:
        """Return what adds up to a slot: indicator base + region offset + year (see SlotBases)."""
        return SlotBases(
            indicators={
                indicator: index * self._per_indicator - MIN_YEAR
                for indicator, index in self._indicators.items()
            },
            regions={region: index * self._years for region, index in self._regions.items()},
        )

    def first_seen(self, slots: list[int]) -> int | None:
        """Return the index of the first slot already filled, or given twice (None if none)."""
        if not any(map(self._row_at, slots)) and len(set(slots)) == len(slots):
            return None
        earlier: set[int] = set()
        for index, slot in enumerate(slots):
            if self._row_at(slot) or slot in earlier:
                return index
            earlier.add(slot)
        return None

    def remember_coded(
        self, slots: list[int], rows: Sequence[int], codes: Iterable[int], origin: int
    ) -> None:
        """Record the first rows of many slots at once, each value given by its text's code."""
        offset = (origin << ROW_BITS) + 2
        if isinstance(rows, range):
            packed: Iterable[int] = range(rows.start + offset, rows.stop + offset, rows.step)
        else:
            packed = map(add, rows, repeat(offset))
        if isinstance(self._rows, dict) and isinstance(self._codes, dict):
            self._rows.update(zip(slots, packed, strict=False))
            self._codes.update(zip(slots, codes, strict=False))
            return
        consume = deque[object](maxlen=0).extend  # runs each map to its end, keeping nothing
        consume(map(self._rows.__setitem__, slots, packed))
        consume(map(self._codes.__setitem__, slots, codes))

    def slot(self, indicator: str, region: str | None, year: int) -> int:
        """Return the slot of an indicator, region and year (a validated year: 2000 to 2100)."""
        return self._bases.indicators[indicator] + self._bases.regions[region] + year

    def seen(self, slot: int) -> bool:
        """Whether a row already filled this slot."""
        return bool(self._row_at(slot))

    def remember(self, slot: int, row: int | None, value: Value, origin: int) -> None:
        """Record the first row of a slot: its number, value and file (see origin_index)."""
        key = (type(value), value)
        number = self._value_numbers.get(key)
        if number is None:
            number = self._value_numbers[key] = len(self._values)
            self._values.append(value)
        # Row 0 is a row: an in-memory table's first (see qcheck.problems.TableName).
        self._rows[slot] = (origin << ROW_BITS) + (1 if row is None else row + 2)
        self._codes[slot] = -number

    def check(self, measurement: Measurement, record: RawRecord) -> Problem | None:
        """Return a problem if this row repeats an earlier one; remember it otherwise."""
        slot = self.slot(measurement.indicator, measurement.region, measurement.year)
        origin = measurement.origin
        packed = self._row_at(slot)
        if not packed:
            index = self.origin_index(origin.source, origin.sheet)
            self.remember(slot, origin.row, measurement.value, index)
            return None
        source, sheet = self._origin_list[packed >> ROW_BITS]
        row = (packed & ROW_MASK) - 2
        earlier = Origin(source=source, sheet=sheet, row=None if row < 0 else row)
        code = self._code_at(slot) or 0
        if code > 0 and self.lane_text is not None:
            value = self.lane_text(self._targets[slot // self._per_indicator], code)
        else:
            value = self._values[-code]
        return _duplicate(earlier, value, measurement, record, self._catalogue)

    def origin_index(self, source: str, sheet: str | None) -> int:
        """Return the number standing for a file (and sheet) in the arrays."""
        key = (source, sheet)
        index = self._origins.get(key)
        if index is None:
            index = self._origins[key] = len(self._origin_list)
            self._origin_list.append(key)
        return index


class SlotBases(NamedTuple):
    """A slot is its indicator's base, plus its region's offset, plus its year."""

    indicators: dict[str, int]
    regions: dict[str | None, int]


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
