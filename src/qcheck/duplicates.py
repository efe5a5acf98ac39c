"""Rows that repeat an earlier one: found in flat arrays whose size the catalogue fixes."""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import repeat
from operator import add
from typing import NamedTuple

from qcheck.catalogue import Catalogue
from qcheck.measurements import (
    MAX_YEAR,
    MIN_YEAR,
    Measurement,
    Origin,
    RawRecord,
    plain_decimal,
)
from qcheck.problems import Problem

ROW_BITS = 40  # a slot holds (file << ROW_BITS) + row + 1
ROW_MASK = (1 << ROW_BITS) - 1


class DuplicateIndex:
    """Finds rows for an indicator, region and year already given, in memory fixed by the catalogue.

    Each (indicator, region, year) has a slot in flat arrays holding the first row's number
    and file, and its value, so a million rows cost no more memory than ten. A value is kept
    as a number and its exact hash, or, for rows the fast lane takes, as the code of its text
    (see ``lane_text``).
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self._targets = [target.id for target in catalogue.targets]
        self._indicators = {target: n for n, target in enumerate(self._targets)}
        self._regions: dict[str | None, int] = {None: 0}
        self._regions.update({region.id: n for n, region in enumerate(catalogue.regions, 1)})
        self._years = MAX_YEAR - MIN_YEAR + 1
        self._per_indicator = len(self._regions) * self._years
        slots = len(self._indicators) * self._per_indicator
        # (file << ROW_BITS) + row + 1, where file is an origin_index; 0 while unseen
        self._rows = array("q", [0]) * slots
        self._codes = array("q", [0]) * slots  # a lane text's code; 0: see the next two
        self._values = array("d", [0.0]) * slots  # to show the first value
        # hash() of equal Decimals is equal (95.2 and 95.20), and exact where floats round.
        self._hashes = array("q", [0]) * slots
        self._origins: dict[tuple[str, str | None], int] = {}
        self._origin_list: list[tuple[str, str | None]] = []
        # What a code stands for: given a target and the text coded, its value.
        self.lane_text: Callable[[str, int], Decimal | bool] | None = None
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
        if not any(map(self._rows.__getitem__, slots)) and len(set(slots)) == len(slots):
            return None
        earlier: set[int] = set()
        for index, slot in enumerate(slots):
            if self._rows[slot] or slot in earlier:
                return index
            earlier.add(slot)
        return None

    def remember_coded(
        self, slots: list[int], rows: Sequence[int], codes: Iterable[int], origin: int
    ) -> None:
        """Record the first rows of many slots at once, each value given by its text's code."""
        offset = (origin << ROW_BITS) + 1
        if isinstance(rows, range):
            packed: Iterable[int] = range(rows.start + offset, rows.stop + offset, rows.step)
        else:
            packed = map(add, rows, repeat(offset))
        consume = deque[object](maxlen=0).extend  # runs each map to its end, keeping nothing
        consume(map(self._rows.__setitem__, slots, packed))
        consume(map(self._codes.__setitem__, slots, codes))

    def slot(self, indicator: str, region: str | None, year: int) -> int:
        """Return the slot of an indicator, region and year (a validated year: 2000 to 2100)."""
        return self._bases.indicators[indicator] + self._bases.regions[region] + year

    def seen(self, slot: int) -> bool:
        """Whether a row already filled this slot."""
        return self._rows[slot] != 0

    def remember(self, slot: int, row: int | None, value: Decimal | bool, origin: int) -> None:
        """Record the first row of a slot: its number, value and file (see origin_index)."""
        self._rows[slot] = (origin << ROW_BITS) + (row or 0) + 1
        self._codes[slot] = 0
        self._values[slot] = float(value)
        self._hashes[slot] = hash(value)

    def check(self, measurement: Measurement, record: RawRecord) -> Problem | None:
        """Return a problem if this row repeats an earlier one; remember it otherwise."""
        slot = self.slot(measurement.indicator, measurement.region, measurement.year)
        origin = measurement.origin
        packed = self._rows[slot]
        if packed == 0:
            index = self.origin_index(origin.source, origin.sheet)
            self.remember(slot, origin.row, measurement.value, index)
            return None
        source, sheet = self._origin_list[packed >> ROW_BITS]
        row = (packed & ROW_MASK) - 1
        earlier = Origin(source=source, sheet=sheet, row=row or None)
        code = self._codes[slot]
        if code and self.lane_text is not None:
            value = self.lane_text(self._targets[slot // self._per_indicator], code)
            number, exact_hash = float(value), hash(value)
        else:
            number, exact_hash = self._values[slot], self._hashes[slot]
        same = exact_hash == hash(measurement.value)
        return _duplicate(earlier, number, measurement, record, same=same)

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
    earlier: Origin, earlier_value: float, later: Measurement, record: RawRecord, *, same: bool
) -> Problem:
    where = earlier.source if earlier.row is None else f"{earlier.source} row {earlier.row}"
    where_zh = earlier.source if earlier.row is None else f"{earlier.source}第{earlier.row}行"
    region = later.region or "city-wide"
    region_zh = later.region or "全市"
    if same:
        return Problem(
            source=record.source,
            sheet=record.sheet,
            row=record.row,
            code="duplicate-identical",
            severity="warning",
            message=f"repeats {where} ({later.indicator}, {region}, {later.year}), same value",
            message_zh=f"与{where_zh}重复（{later.indicator}，{region_zh}，{later.year}年），数值相同",
        )
    shown_earlier = _shown(earlier_value, later.value)
    shown_later = _written(later.value)
    return Problem(
        source=record.source,
        sheet=record.sheet,
        row=record.row,
        column=record.headers.get("value", "value"),
        code="duplicate",
        message=(
            f"{later.indicator}, {region}, {later.year} is {shown_later} "
            f"here but {shown_earlier} in {where}"
        ),
        hint="keep one row per indicator, region and year",
        message_zh=f"{later.indicator}，{region_zh}，{later.year}年：此处为"
        f"{shown_later}，而{where_zh}为{shown_earlier}",
        hint_zh="同一指标、地区、年份只保留一行",
    )


def _written(value: Decimal | bool) -> str:
    """Write a value as given: met/not met, or a plain number."""
    if isinstance(value, bool):
        return "met" if value else "not met"
    return plain_decimal(value)


def _shown(number: float, like: Decimal | bool) -> str:
    """Write a remembered value the way it was given: met/not met, or a plain number."""
    if isinstance(like, bool):
        return "met" if number else "not met"
    return plain_decimal(Decimal(repr(number)))
