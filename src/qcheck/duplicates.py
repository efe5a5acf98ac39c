"""Rows that repeat an earlier one: found by indicator, region and year; values compared exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

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

Value = Decimal | bool


class Earlier(NamedTuple):
    """The first row given for an indicator, region and year: where it was, and its value."""

    origin: Origin
    value: Value


class DuplicateIndex:
    """Finds rows for an indicator, region and year already given, and compares their values.

    The first row of each (indicator, region, year) is remembered, so memory grows with the
    rows read, not with the catalogue: rows checked one at a time in a dictionary, rows taken
    a batch at a time in Arrow arrays of 20 bytes a row (see ``first_in``). Values are compared
    exactly, as numbers: 95.2 and 95.20 are the same value, 1 and 2**61 are not.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self.target_codes = {target.id: n for n, target in enumerate(catalogue.targets)}
        self.region_codes: dict[str | None, int] = {None: 0}
        self.region_codes.update({region.id: n for n, region in enumerate(catalogue.regions, 1)})
        self._years = MAX_YEAR - MIN_YEAR + 1
        self._first: dict[int, Earlier] = {}
        self._origins: list[tuple[str, str | None]] = []
        self._origin_codes: dict[tuple[str, str | None], int] = {}
        self.values: list[Value] = []  # each distinct value once, by its code
        self._value_codes: dict[tuple[type, Value], int] = {}
        self._bulk = _Bulk()

    def key(self, indicator: str, region: str | None, year: int) -> int:
        """Return the number that stands for an indicator, region and year."""
        code = self.target_codes[indicator] * len(self.region_codes) + self.region_codes[region]
        return code * self._years + year - MIN_YEAR

    def keys_of(self, targets: Any, regions: Any, years: Any) -> Any:
        """Return the keys of rows given as Arrow arrays of target and region codes and years."""
        import pyarrow.compute as pc

        from qcheck.arrays import whole

        code = pc.add(pc.multiply(targets, whole(len(self.region_codes))), regions)
        return pc.add(pc.multiply(code, whole(self._years)), pc.subtract(years, whole(MIN_YEAR)))

    def value_code(self, value: Value) -> int:
        """Return the number that stands for a value (equal values of a type share one)."""
        found = self._value_codes.get((type(value), value))
        if found is None:
            found = self._value_codes[(type(value), value)] = len(self.values)
            self.values.append(value)
        return found

    def origin_code(self, source: str, sheet: str | None) -> int:
        """Return the number that stands for a file (and sheet)."""
        found = self._origin_codes.get((source, sheet))
        if found is None:
            found = self._origin_codes[(source, sheet)] = len(self._origins)
            self._origins.append((source, sheet))
        return found

    def check(self, measurement: Measurement, record: RawRecord) -> Problem | None:
        """Return a problem if this row repeats an earlier one; remember it otherwise."""
        key = self.key(*measurement.key)
        earlier = self._earlier(key)
        if earlier is None:
            self._first[key] = Earlier(measurement.origin, measurement.value)
            return None
        return _duplicate(earlier.origin, earlier.value, measurement, record, self._catalogue)

    def problem(self, earlier: Earlier, later: Measurement, record: RawRecord) -> Problem:
        """Return the problem with a row that repeats ``earlier``."""
        return _duplicate(earlier.origin, earlier.value, later, record, self._catalogue)

    def first_in(self, keys: Any) -> dict[int, Earlier | int]:
        """Return, for each of a batch's keys (an Arrow int64 array) given before, by what.

        The result maps the position of each repeated key to the first row given for it: an
        Earlier, or the position of the first row in the batch that gave it.
        """
        import pyarrow.compute as pc

        from qcheck.arrays import ints, positions

        repeated: Any = None
        first_at: dict[int, int] = {}
        # Repeats within the batch, by sorting its keys (a stable sort keeps a key's first row
        # first): hashing them would hold tens of megabytes for a while.
        order = pc.sort_indices(keys)
        ordered = pc.take(keys, order)
        same = pc.equal(ordered[1:], ordered[:-1])
        if len(keys) > 1 and pc.any(same).as_py():
            later = pc.filter(order[1:], same).to_pylist()
            first_of = pc.filter(order[:-1], same).to_pylist()
            for at, before in zip(later, first_of, strict=True):
                first_at[at] = first_at.get(before, before)
            repeated = pc.is_in(positions(len(keys)), value_set=ints(later))
        # Keys given before: the batch's keys are looked for among them, not the other way, so
        # only the batch is hashed.
        for given in (self._bulk.keys, ints(list(self._first))):
            if given is not None and len(given):
                found = pc.filter(given, pc.is_in(given, value_set=keys))
                if len(found):
                    before = pc.is_in(keys, value_set=found)
                    repeated = before if repeated is None else pc.or_(repeated, before)
        if repeated is None:
            return {}
        earlier_of: dict[int, Earlier | int] = {}
        for at in pc.indices_nonzero(repeated).to_pylist():
            earlier = self._earlier(keys[at].as_py())
            earlier_of[at] = first_at[at] if earlier is None else earlier
        return earlier_of

    def remember(self, keys: Any, rows: Any, values: Any, origin: int) -> None:
        """Remember a batch of first rows: keys, row numbers and value codes (Arrow arrays)."""
        self._bulk.add(keys, rows, values, origin)

    def _earlier(self, key: int) -> Earlier | None:
        """Return the first row given for a key, if any."""
        earlier = self._first.get(key)
        if earlier is not None or self._bulk.keys is None:
            return earlier
        found = self._bulk.find(key)
        if found is None:
            return None
        origin, row, value = found
        source, sheet = self._origins[origin]
        return Earlier(Origin(source=source, sheet=sheet, row=row), self.values[value])


class _Bulk:
    """First rows of keys given a batch at a time: Arrow arrays of keys, rows and values."""

    def __init__(self) -> None:
        self._chunks: list[tuple[Any, Any, Any, int]] = []
        self.keys: Any = None  # every key, in one array
        self._index: dict[int, int] | None = None  # where each key is, made when first asked

    def add(self, keys: Any, rows: Any, values: Any, origin: int) -> None:
        import pyarrow as pa

        self._chunks.append((keys, rows, values, origin))
        self.keys = pa.concat_arrays([chunk[0] for chunk in self._chunks])
        self._index = None

    def find(self, key: int) -> tuple[int, int | None, int] | None:
        """Return the file, row and value codes of a key's first row, if it was given."""
        if self._index is None:
            self._index = {key: at for at, key in enumerate(self.keys.to_pylist())}
        at = self._index.get(key)
        if at is None:
            return None
        for keys, rows, values, origin in self._chunks:
            if at < len(keys):
                return origin, rows[at].as_py(), values[at].as_py()
            at -= len(keys)
        return None


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
