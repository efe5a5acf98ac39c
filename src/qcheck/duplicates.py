"""Rows that repeat an earlier one: found by indicator, region and year; values compared exactly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from qcheck.catalogue import MAX_YEAR, MIN_YEAR, Catalogue
from qcheck.measurements import (
    Measurement,
    Origin,
    RawRecord,
    plain_decimal,
)
from qcheck.places import place
from qcheck.problems import Problem, Where
from qcheck.words import Word

Value = Decimal | bool


class Earlier(NamedTuple):
    """The first row given for an indicator, region and year: where it was, and its value."""

    origin: Origin
    value: Value


class DuplicateIndex:
    """Finds rows for an indicator, region and year already given, and compares their values.

    The first row of each (indicator, region, year) is remembered: rows checked one at a time
    in a dictionary, rows taken a batch at a time in a bitmap of keys seen and packed chunks
    (see _Bulk). Values are compared exactly, as numbers: 95.2 and 95.20 are the same value,
    1 and 2**61 are not.
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
        self._value_codes: dict[tuple[type, str], int] = {}
        self._bulk = _Bulk(len(self.target_codes) * len(self.region_codes) * self._years)

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
        """Return the number that stands for a value as written: 95.2 and 95.20 have two.

        Repeats compare the values themselves, as numbers; a kept measurement keeps its own.
        """
        key = (type(value), str(value))
        found = self._value_codes.get(key)
        if found is None:
            found = self._value_codes[key] = len(self.values)
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
        # Keys given before: in the bulk's map of keys seen, or among the rows checked alone.
        before = self._bulk.seen(keys)
        if self._first:
            before = pc.or_(before, pc.is_in(keys, value_set=ints(list(self._first))))
        if pc.any(before).as_py():
            repeated = before if repeated is None else pc.or_(repeated, before)
        if repeated is None:
            return {}
        where = pc.indices_nonzero(repeated)
        at_keys = dict(zip(where.to_pylist(), pc.take(keys, where).to_pylist(), strict=True))
        firsts = self._bulk.firsts(set(at_keys.values()))
        earlier_of: dict[int, Earlier | int] = {}
        for at, key in at_keys.items():
            earlier = self._first.get(key)
            if earlier is None and key in firsts:
                earlier = self._earlier_of(*firsts[key])
            earlier_of[at] = first_at[at] if earlier is None else earlier
        return earlier_of

    def remember(self, keys: Any, rows: Any, values: Any, origin: int) -> None:
        """Remember a batch of first rows: keys, row numbers and value codes (Arrow arrays)."""
        self._bulk.add(keys, rows, values, origin)

    def _earlier(self, key: int) -> Earlier | None:
        """Return the first row given for a key, if any."""
        earlier = self._first.get(key)
        if earlier is not None or not self._bulk.has(key):
            return earlier
        found = self._bulk.firsts({key})
        return self._earlier_of(*found[key]) if found else None

    def _earlier_of(self, origin: int, row: int, value: int) -> Earlier:
        """Return the first row given for a key, from the numbers that stand for it."""
        source, sheet = self._origins[origin]
        return Earlier(Origin(source=source, sheet=sheet, row=row), self.values[value])


class _Bulk:
    """The first rows of keys given a batch at a time.

    Which keys were seen is a map of one bit for each key the catalogue allows (2.7 MB for 18
    targets, 12,000 regions and 101 years), read by pyarrow through a view of it, a batch at a
    time, and marked a key at a time: pyarrow's scatter would make a temporary of 8 bytes for
    each key allowed, every batch (170 ms and 94 MB there). The first rows themselves (key,
    row, value) are kept packed (see _Packed) and unpacked only to name the row a later one
    repeats.
    """

    def __init__(self, keys: int) -> None:
        self._keys = keys
        self._bits: bytearray | None = None
        self._view: Any = None
        self._chunks: list[tuple[_Packed, _Packed, _Packed, int]] = []

    def seen(self, keys: Any) -> Any:
        """Return which of some keys (an Arrow int64 array) were given before."""
        import pyarrow.compute as pc

        from qcheck.arrays import flags, repeated

        if self._view is None:
            return pc.take(flags([False]), repeated(0, len(keys)))
        return pc.take(self._view, keys)

    def has(self, key: int) -> bool:
        """Whether a key was given before."""
        return self._bits is not None and bool(self._bits[key >> 3] >> (key & 7) & 1)

    def add(self, keys: Any, rows: Any, values: Any, origin: int) -> None:
        """Remember a batch's first rows: keys, rows and value codes (Arrow int64 arrays)."""
        import pyarrow as pa

        if not len(keys):
            return
        if self._bits is None:
            self._bits = bytearray((self._keys + 7) // 8)
            buffer = pa.py_buffer(self._bits)  # a view: marks made later are seen through it
            self._view = pa.Array.from_buffers(pa.bool_(), self._keys, [None, buffer])
        bits = self._bits
        for key in keys.to_pylist():
            bits[key >> 3] |= 1 << (key & 7)
        packed = (_Packed.of(keys, steps=True), _Packed.of(rows, steps=True), _Packed.of(values))
        self._chunks.append((*packed, origin))

    def firsts(self, wanted: set[int]) -> dict[int, tuple[int, int, int]]:
        """Return the file, row and value codes of the first row of each key wanted, if given."""
        import pyarrow.compute as pc

        from qcheck.arrays import ints

        found: dict[int, tuple[int, int, int]] = {}
        if not wanted or not self._chunks:
            return found
        looked_for = ints(sorted(wanted))
        for packed_keys, packed_rows, packed_values, origin in self._chunks:
            keys = packed_keys.unpacked()
            at = pc.indices_nonzero(pc.is_in(keys, value_set=looked_for))
            if not len(at):
                continue
            rows, values = packed_rows.unpacked(), packed_values.unpacked()
            for key, row, value in zip(
                pc.take(keys, at).to_pylist(),
                pc.take(rows, at).to_pylist(),
                pc.take(values, at).to_pylist(),
                strict=True,
            ):
                found[key] = (origin, row, value)
        return found


@dataclass(frozen=True)
class _Packed:
    """An int64 array held in few bytes: less its least number, in the narrowest type, zstd.

    With ``steps``, what is held is the step from each number to the next, and ``first`` the
    first number: row numbers mostly go up by one, and a report's keys by the same steps (the
    next indicator, region or year), which zstd packs to almost nothing.
    """

    first: int
    least: int
    steps: bool
    kind: Any  # the narrow type
    length: int
    size: int  # bytes before compression
    data: bytes  # compressed

    @classmethod
    def of(cls, array: Any, *, steps: bool = False) -> _Packed:
        """Pack an int64 array (not empty, without nulls)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from qcheck.arrays import whole

        numbers = pc.fill_null(pc.pairwise_diff(array), whole(0)) if steps else array
        bounds = pc.min_max(numbers).as_py()
        least = bounds["min"]
        kind = _narrowest(bounds["max"] - least)
        buffer = pc.cast(pc.subtract(numbers, whole(least)), kind).buffers()[1]
        # As bytes: a pyarrow buffer would hold as much memory as the data before compression.
        data = pa.compress(buffer, codec="zstd", asbytes=True)
        return cls(array[0].as_py(), least, steps, kind, len(array), buffer.size, data)

    def unpacked(self) -> Any:
        """Return the int64 array packed."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from qcheck.arrays import whole

        buffer = pa.decompress(
            pa.py_buffer(self.data), decompressed_size=self.size, codec="zstd", asbytes=False
        )
        narrowed = pa.Array.from_buffers(self.kind, self.length, [None, buffer])
        numbers = pc.add(pc.cast(narrowed, pa.int64()), whole(self.least))
        if not self.steps:
            return numbers
        return pc.add(pc.cumulative_sum(numbers), whole(self.first))


def _narrowest(span: int) -> Any:
    """Return the narrowest unsigned type that holds 0 to ``span``."""
    import pyarrow as pa

    for kind, limit in ((pa.uint8(), 1 << 8), (pa.uint16(), 1 << 16), (pa.uint32(), 1 << 32)):
        if span < limit:
            return kind
    return pa.int64()


def identical(earlier: Value, later: Value) -> bool:
    """Whether a repeated row gives the same value: a warning, else an error.

    Exactly equal as numbers (Decimal compares values, not digits), or the same answer.
    """
    return type(earlier) is type(later) and earlier == later


def repeat_severity(earlier: Value, later: Value) -> str:
    """Return the severity of the problem with a row repeating one of value ``earlier``."""
    return "warning" if identical(earlier, later) else "error"


def _duplicate(
    earlier: Origin,
    earlier_value: Value,
    later: Measurement,
    record: RawRecord,
    catalogue: Catalogue,
) -> Problem:
    where = Where(earlier.source, earlier.sheet, earlier.row)
    named: dict[str, Any] = {"indicator": later.indicator, "place": place(catalogue, later.region)}
    if identical(earlier_value, later.value):
        return Problem.of(
            "duplicate-identical",
            source=record.source,
            sheet=record.sheet,
            row=record.row,
            where=where,
            year=later.year,
            **named,
        )
    return Problem.of(
        "duplicate",
        source=record.source,
        sheet=record.sheet,
        row=record.row,
        column=record.headers.get("value", "value"),
        year=later.year,
        value=_written(later.value),
        earlier=_written(earlier_value),
        where=where,
        **named,
    )


def _written(value: Value) -> object:
    """Write a value as given: met/not met (达到/未达到), or a plain number."""
    if isinstance(value, bool):
        return Word("met" if value else "not_met")
    return plain_decimal(value)
