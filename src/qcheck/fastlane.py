"""The fast lane for plain CSV rows: every cell already judged, no objects made per row.

A large CSV repeats the same names, regions, years and values. Once the Pydantic model has
judged a cell (see RowValidator), a row made only of judged cells needs no record, no model and,
if no rule can read it, no measurement: this lane checks it with dictionary look-ups and marks
its slot in the duplicate index. Any row it is not sure of — a cell not yet judged, a repeat,
an odd width — it leaves untouched to the general path, which reports it. A figure the general
path warns about (a likely fraction, one converted from a ratio) is never judged for the lane:
every row holding it is the general path's.

Rows come one at a time (``take``) or in batches (``take_batch``). A batch is checked a column
at a time, with ``map`` and sets over the cells, so that a million rows cost few Python steps;
a batch holding a row the lane is not sure of is split into runs around that row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import partial
from operator import add
from typing import Any

from qcheck.dataset import Dataset
from qcheck.duplicates import DuplicateIndex
from qcheck.loaders.table import MAX_CELL, Layout, Row
from qcheck.measurements import Measurement, Origin, comma_readings
from qcheck.rows import RowValidator

_MISSING = object()
SHORT_RUN = 8  # runs of fewer rows are taken one at a time
SPARSE = 64  # unsure rows closer than this, twice in a batch, are looked for row by row
Value = Decimal | bool
Cells = Sequence[Any]


class FastLane:
    """Takes the plain rows of CSV files off the general path, counting what it takes."""

    def __init__(
        self, *, validator: RowValidator, duplicates: DuplicateIndex, dataset: Dataset
    ) -> None:
        self.validator = validator
        self.duplicates = duplicates
        self.dataset = dataset
        self.taken = 0
        self.judged = _TextVerdicts.of(validator, duplicates)
        duplicates.lane_text = self.judged.value_of_code

    def for_layout(self, layout: Layout) -> TableLane | None:
        """Return the lane for a table, or None if its layout needs the general path."""
        if layout.unread or layout.value_unit or layout.value_year or layout.sheet is not None:
            return None
        return TableLane(self, layout)


class _TextVerdicts:
    """The verdicts on cells as the batch checks need them: keyed by the cell alone.

    Tables are filled from CellVerdicts when a cell is first looked up. A cell the model has not
    judged yet (or judged unusable here) is not stored, and is looked up again next time.
    """

    def __init__(self, validator: RowValidator, duplicates: DuplicateIndex) -> None:
        self.verdicts = validator.verdicts
        self.slot_base = duplicates.slot_bases()
        self.targets: dict[object, str] = {}
        self.bases: dict[object, int] = {}  # the indicator's slot base, for tables with units
        self.bases_alone: dict[object, int] = {}  # the same, if the unit implied is accepted
        self.years: dict[object, int] = {}
        self.region_ids: dict[object, str | None] = {}
        self.offsets: dict[object, int] = {}
        self.units: set[tuple[object, object]] = set()  # accepted (indicator, unit) cells
        self.values: set[tuple[object, object]] = set()  # accepted (indicator, value) cells
        self.values_decimal_comma: set[tuple[object, object]] = set()  # the same, in such files
        self.codes: dict[object, int] = {}  # a value cell's code in the duplicate index
        self.texts: list[object] = [None]  # the cell of each code; 0 stands for none

    @classmethod
    def of(cls, validator: RowValidator, duplicates: DuplicateIndex) -> _TextVerdicts:
        """Return the tables kept with the validator's verdicts (shared by the files of a run)."""
        derived = validator.verdicts.derived
        tables = derived.get("text")
        if not isinstance(tables, cls):
            tables = derived["text"] = cls(validator, duplicates)
        return tables

    def value_of_code(self, target: str, code: int) -> Value:
        """Return the value of a coded cell for a target."""
        cell = self.texts[code]
        return self.verdicts.values[(target, type(cell), cell)]

    def target(self, cell: object) -> str | None:
        """Return the target an indicator cell names, if judged."""
        found = self.verdicts.indicators.get((type(cell), cell))
        if found is None:
            return None
        self.targets[cell] = found[0]
        return found[0]

    def base(self, cell: object) -> int | None:
        target = self.target(cell)
        return None if target is None else self.slot_base.indicators[target]

    def base_alone(self, cell: object) -> int | None:
        return self.base(cell) if self.unit((cell, None)) else None

    def year(self, cell: object) -> int | None:
        return self.verdicts.years.get((type(cell), cell))

    def offset(self, cell: object) -> int | None:
        region = self.verdicts.regions.get((type(cell), cell), _MISSING)
        if region is _MISSING:
            return None
        self.region_ids[cell] = region  # type: ignore[assignment]
        return self.slot_base.regions[region]  # type: ignore[index]

    def unit(self, cells: tuple[object, object]) -> bool:
        """Whether a row's unit cell (empty: the unit written after its name) is accepted."""
        if cells in self.units:
            return True
        indicator, unit = cells
        found = self.verdicts.indicators.get((type(indicator), indicator))
        if found is None:
            return False
        target, implied = found
        if not unit:
            unit = implied
        elif isinstance(unit, str) and unit.isspace():
            return False
        if unit is not None and (target, type(unit), unit) not in self.verdicts.units:
            return False
        self.units.add(cells)
        return True

    def value(self, cells: tuple[object, object]) -> bool:
        """Whether a value cell is accepted for the indicator named; give it a code if so."""
        if cells in self.values:
            return True
        target = self.target(cells[0])
        cell = cells[1]
        value = self.verdicts.values.get((target, type(cell), cell))  # type: ignore[arg-type]
        if value is None:
            return False
        if cell not in self.codes:
            self.codes[cell] = len(self.texts)
            self.texts.append(cell)
        self.values.add(cells)
        return True

    def value_decimal_comma(self, cells: tuple[object, object]) -> bool:
        """Whether a value cell is accepted in a file where the comma may be the decimal mark."""
        if comma_readings(cells[1]) or not self.value(cells):
            return False  # the general path refuses 32,400 there
        self.values_decimal_comma.add(cells)
        return True


def _mapped(table: dict[Any, int], cells: Cells, judge: Callable[[Any], int | None]) -> list[Any]:
    """Map cells through a table, filling it from ``judge`` for cells not in it yet."""
    found = list(map(table.get, cells))
    if None not in found:
        return found
    for cell in set(cells) - table.keys():
        verdict = judge(cell)
        if verdict is not None:
            table[cell] = verdict
    return list(map(table.get, cells))


def _first_refused(
    firsts: Cells,
    seconds: Cells,
    accepted: set[tuple[object, object]],
    judge: Callable[[Any], bool],
) -> int | None:
    """Return the index of the first pair of cells ``judge`` does not accept (None if none)."""
    pairs = zip(firsts, seconds, strict=True)
    refused = {pair for pair in set(pairs) - accepted if not judge(pair)}
    if not refused:
        return None
    pairs = zip(firsts, seconds, strict=True)
    return next(index for index, pair in enumerate(pairs) if pair in refused)


class TableLane:
    """The lane for one table: its columns, and the shared verdicts, index and dataset."""

    def __init__(self, owner: FastLane, layout: Layout) -> None:
        self.owner = owner
        self.layout = layout
        self.column = {field: index for index, field in layout.positions.items()}
        # Cells no verdict covers (a note, a row-number column): only their length is checked.
        self.unjudged = tuple(
            index for index in range(layout.width) if layout.positions.get(index) in (None, "note")
        )
        self.origin = owner.duplicates.origin_index(layout.source, None)
        self.take = self._row_checker()
        self._mostly_left = False  # whether the last batch was mostly left to the general path

    def _row_checker(self) -> Callable[[int, list[object]], bool]:
        # Everything the loop needs is bound to a local name: this runs once per row.
        owner, layout, column = self.owner, self.layout, self.column
        verdicts = owner.validator.verdicts
        indicators, years, regions = verdicts.indicators, verdicts.years, verdicts.regions
        units, values = verdicts.units, verdicts.values
        duplicates, dataset = owner.duplicates, owner.dataset
        bases = duplicates.slot_bases()
        indicator_base, region_offset = bases.indicators, bases.regions
        seen, remember = duplicates.seen, duplicates.remember
        reads, add, add_unusable = dataset.reads, dataset.add, dataset.add_unusable
        source = layout.source
        origin_index = self.origin
        width = layout.width
        i_indicator, i_value = column["indicator"], column["value"]
        i_year, i_region = column.get("year"), column.get("region")
        i_unit, i_note = column.get("unit"), column.get("note")
        unjudged = self.unjudged
        decimal_comma = layout.decimal_comma

        def take(number: int, row: list[object]) -> bool:
            if len(row) != width:
                return False
            if any(len(row[index]) > MAX_CELL for index in unjudged):  # type: ignore[arg-type]
                return False  # the general path refuses it
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
            if value is None or (decimal_comma and comma_readings(raw_value)):
                return False
            slot = indicator_base[target] + region_offset[region] + year  # type: ignore[index]
            if seen(slot):
                return False  # the general path names the earlier row
            remember(slot, number, value, origin_index)
            note = None if i_note is None else row[i_note]
            make = partial(_measurement, target, value, year, source, number, region, note)  # type: ignore[arg-type]
            if reads(target, region, year):  # type: ignore[arg-type]
                add(make())
            else:
                add_unusable(target, region, year, make)  # type: ignore[arg-type]
            owner.taken += 1
            return True

        return take

    def take_batch(self, numbers: Sequence[int], rows: list[list[object]]) -> Iterator[Row]:
        """Take a batch of rows; yield, in order, each row left to the general path."""
        left = 0
        # After a batch of mostly unusable rows (say, repeats), rows are tried one at a time:
        # looking for runs among them would cost more than it saves.
        if self._mostly_left:
            batch = self._take_one_by_one(numbers, rows, 0, len(rows))
        else:
            batch = self._take_in_runs(numbers, rows)
        for row in batch:
            left += 1
            yield row
        self._mostly_left = left * 2 > len(rows)

    def _take_in_runs(self, numbers: Sequence[int], rows: list[list[object]]) -> Iterator[Row]:
        """Take the rows of a batch together, in runs around the rows the lane is unsure of."""
        start, close_calls = 0, 0
        while start < len(rows):
            if close_calls == 2:  # unsure rows come thick: the rest goes one row at a time
                yield from self._take_one_by_one(numbers, rows, start, len(rows))
                return
            trouble = self._take_run(numbers[start:], rows[start:])
            if trouble is None:
                return
            # The rows before the first unsure one are taken together, that one alone; once
            # the general path has judged its new cells, the rest may be taken together.
            stop = start + trouble
            if (
                trouble < SHORT_RUN
                or self._take_run(numbers[start:stop], rows[start:stop]) is not None
            ):
                yield from self._take_one_by_one(numbers, rows, start, stop)
            yield from self._take_one_by_one(numbers, rows, stop, stop + 1)
            start = stop + 1
            close_calls += trouble < SPARSE

    def _take_one_by_one(
        self, numbers: Sequence[int], rows: list[list[object]], start: int, stop: int
    ) -> Iterator[Row]:
        """Take rows ``start`` to ``stop`` one at a time; yield those left to the general path."""
        for index in range(start, stop):
            if not self.take(numbers[index], rows[index]):
                yield numbers[index], rows[index]

    def _take_run(self, numbers: Sequence[int], rows: list[list[object]]) -> int | None:
        """Take a run of rows together, or none: then return the first row the lane is unsure of.

        Unsure means a cell not judged (or not accepted), a row of another width, or a row
        repeating an earlier one.
        """
        count, judged, column, width = len(rows), self.owner.judged, self.column, self.layout.width
        try:
            columns = list(zip(*rows, strict=True))
        except ValueError:  # rows of several widths
            return next(index for index, row in enumerate(rows) if len(row) != width)
        if len(columns) != width:
            return 0

        def cells_of(field: str) -> Cells:
            index = column.get(field)
            return [None] * count if index is None else columns[index]

        indicators, value_cells = columns[column["indicator"]], columns[column["value"]]
        if "unit" in column:
            bases = _mapped(judged.bases, indicators, judged.base)
            unit_cells = columns[column["unit"]]
            refused_unit = _first_refused(indicators, unit_cells, judged.units, judged.unit)
        else:
            bases = _mapped(judged.bases_alone, indicators, judged.base_alone)
            refused_unit = None
        years = _mapped(judged.years, cells_of("year"), judged.year)
        region_cells = cells_of("region")
        offsets = _mapped(judged.offsets, region_cells, judged.offset)
        if self.layout.decimal_comma:
            accepted, judge = judged.values_decimal_comma, judged.value_decimal_comma
        else:
            accepted, judge = judged.values, judged.value
        refused_value = _first_refused(indicators, value_cells, accepted, judge)
        unjudged = [cells.index(None) for cells in (bases, years, offsets) if None in cells]
        unsure = [row for row in (refused_unit, refused_value, *unjudged) if row is not None]
        notes = cells_of("note")
        for cells in map(columns.__getitem__, self.unjudged):
            lengths = list(map(len, cells))
            if max(lengths) > MAX_CELL:
                unsure.append(next(i for i, length in enumerate(lengths) if length > MAX_CELL))
        if unsure:
            return min(unsure)
        slots = list(map(add, map(add, bases, offsets), years))
        duplicates = self.owner.duplicates
        repeated = duplicates.first_seen(slots)
        if repeated is not None:
            return repeated  # the general path names the earlier row
        codes = map(judged.codes.__getitem__, value_cells)
        duplicates.remember_coded(slots, numbers, codes, self.origin)
        dataset = self.owner.dataset
        if not dataset.count_unread(years):
            targets = list(map(judged.targets.__getitem__, indicators))
            regions = list(map(judged.region_ids.__getitem__, region_cells))
            make = partial(self._measurement, numbers, targets, years, regions, value_cells, notes)
            dataset.add_many(targets, regions, years, make)
        self.owner.taken += count
        return None

    def _measurement(
        self,
        numbers: Sequence[int],
        targets: list[str],
        years: list[int],
        regions: list[str | None],
        values: Cells,
        notes: Cells,
        index: int,
    ) -> Measurement:
        """Return the measurement of one row of a run."""
        target, cell = targets[index], values[index]
        value = self.owner.validator.verdicts.values[(target, type(cell), cell)]
        source = self.layout.source
        return _measurement(
            target, value, years[index], source, numbers[index], regions[index], notes[index]
        )


def _measurement(
    target: str,
    value: Value,
    year: int,
    source: str,
    number: int,
    region: str | None,
    note: object,
) -> Measurement:
    return Measurement(
        indicator=target,
        value=value,
        year=year,
        origin=Origin(source=source, row=number),
        region=region,
        note=str(note).strip() if note and str(note).strip() else None,
    )
