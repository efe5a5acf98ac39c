"""Rows taken a batch of Arrow columns at a time: each distinct cell's verdict looked up once.

A large table repeats its cells. Each column is dictionary-encoded, so the verdict remembered
on each distinct cell (see qcheck.rows) is looked up once and broadcast to the rows by index;
the model judges the cells no verdict covers yet, on the first row holding them. Rows whose
cells are all accepted are taken as columns: their repeats found by their keys, their place in
the dataset decided per distinct indicator, place and year. Every other row (refused, warned
about, with a cell too long, naming a region in a column not read, a repeat) becomes a record
and is checked as a small file's rows are, so its problems are exactly theirs, in row order.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from qcheck.arrays import flags, ints, positions, repeated, whole
from qcheck.dataset import Dataset, RowBatch
from qcheck.duplicates import DuplicateIndex, Earlier, repeat_severity
from qcheck.loaders.table import MAX_CELL, Layout
from qcheck.measurements import FIELDS, Measurement, Origin, RawRecord, note_text
from qcheck.problems import Problem
from qcheck.rows import (
    UNJUDGED,
    CellVerdicts,
    Figure,
    ProblemLog,
    Refused,
    RowValidator,
    cell_key,
    figure_key,
)


class ColumnBatch(NamedTuple):
    """Rows of a table as columns, one per header column, and the number of each row."""

    layout: Layout
    numbers: Any  # int64: each row's line (or index, in an in-memory table)
    columns: Sequence[Any]  # Arrow arrays (text, booleans, nulls) or sequences of cells
    rows: Sequence[list[object]] | None = None  # the rows as read, if read as rows
    # What the reader found wrong with rows it left out of the batch, each naming its row.
    problems: Sequence[Problem] = ()

    @classmethod
    def of_rows(cls, layout: Layout, rows: Sequence[tuple[int, list[object]]]) -> ColumnBatch:
        """Return a batch of rows read as lists of cells (a CSV or Excel reader's), numbered."""
        numbers, cells = zip(*rows, strict=True) if rows else ((), ())
        width = layout.width
        if set(map(len, cells)) - {width}:  # rows of another width, padded or cut to the header
            cells = tuple((row + [None] * width)[:width] for row in cells)
        columns = list(zip(*cells, strict=True)) or [() for _ in range(width)]
        return cls(layout, ints(numbers), columns, [row for _, row in rows])

    def part(self, start: int, stop: int) -> ColumnBatch:
        """Return the rows from ``start`` to ``stop`` (positions in the batch).

        Only a batch without its reader's problems is split (Excel's, whose reader leaves no
        row out): which part a left-out row's problem belongs to would depend on what the
        rows between the parts become.
        """
        if self.problems:
            raise ValueError("a batch with its reader's problems is not split")
        return self._replace(
            numbers=self.numbers[start:stop],
            columns=[column[start:stop] for column in self.columns],
            rows=None if self.rows is None else self.rows[start:stop],
        )


class _Encoded(NamedTuple):
    """A column's distinct cells, and each row's cell as an index among them."""

    cells: list[object]
    codes: Any  # int64, no nulls


class _Combined(NamedTuple):
    """The distinct combinations of several columns' cells (as indices), and each row's."""

    cells: list[tuple[int, ...]]
    codes: Any  # int64, no nulls


class _Judged(NamedTuple):
    """A batch with its columns encoded and the verdicts on their distinct cells."""

    batch: ColumnBatch
    columns: list[_Encoded]  # every column, as read
    encoded: dict[str, _Encoded]  # the fields' columns, filled from the header
    figures: _Combined
    verdicts: tuple[list[object], list[object], list[object]]  # figures, years, regions


class Intake:
    """Takes the rows of tables a batch at a time into one dataset (see the module's words)."""

    def __init__(
        self,
        *,
        validator: RowValidator,
        duplicates: DuplicateIndex,
        dataset: Dataset,
        log: ProblemLog,
    ) -> None:
        self.validator = validator
        self.duplicates = duplicates
        self.dataset = dataset
        self.log = log
        self._target_ids = list(duplicates.target_codes)  # in the order of their codes
        self._region_ids = list(duplicates.region_codes)

    def take(self, batch: ColumnBatch) -> int:
        """Check a batch of rows and add those accepted; return how many rows it had.

        Blank rows are left out of the count, as a small file's reader leaves them out.
        """
        if not len(batch.numbers):
            return 0
        # The cells of a batch judged past VERDICTS_KEPT are remembered while it is checked,
        # so that none is judged twice (first to be remembered, then to be told).
        self.validator.overflow = CellVerdicts()
        try:
            return self._take(batch)
        finally:
            self.validator.overflow = None

    def _take(self, batch: ColumnBatch) -> int:
        layout, count = batch.layout, len(batch.numbers)
        columns = [_encoded(column) for column in batch.columns]
        encoded = {field: _field(layout, columns, field, count) for field in FIELDS}
        figures = _combined([encoded[field] for field in ("indicator", "unit", "value")])
        verdicts = self._verdicts(layout, encoded, figures)
        judged = _Judged(batch, columns, encoded, figures, verdicts)
        shaped = self._shaped(judged)
        if any(state is UNJUDGED for states in judged.verdicts for state in states):
            self._judge_first_rows(judged, shaped)
            judged = judged._replace(verdicts=self._verdicts(layout, encoded, figures))
        return self._add(judged, self._accepted(judged, shaped))

    def _verdicts(
        self, layout: Layout, encoded: dict[str, _Encoded], figures: _Combined
    ) -> tuple[list[object], list[object], list[object]]:
        """Return the remembered verdicts on the distinct figures, years and regions.

        A cell no verdict covers yet has UNJUDGED.
        """
        validator = self.validator
        indicators, units, values = (encoded[f].cells for f in ("indicator", "unit", "value"))
        cells = (
            {"indicator": indicators[i], "unit": units[u], "value": values[v]}
            for i, u, v in figures.cells
        )
        figure_verdicts = [
            validator.figure_verdict(figure_key(row, layout.decimal_comma)) or UNJUDGED
            for row in cells
        ]
        years = [
            validator.year_verdict(cell_key(cell)) or UNJUDGED for cell in encoded["year"].cells
        ]
        regions = [validator.region_verdict(cell_key(cell)) for cell in encoded["region"].cells]
        return figure_verdicts, years, regions

    def _judge_first_rows(self, judged: _Judged, shaped: Any) -> None:
        """Have the model judge the cells no verdict covers, on the first row holding each.

        Only rows of the header's shape are looked at: a row refused for its shape is not
        judged on the row path either, which judges the next row holding the cell, in order.
        """
        batch, _columns, encoded, figures, verdicts = judged
        candidates = pc.indices_nonzero(shaped)
        rows: set[int] = set()
        for codes, states in zip(
            (figures.codes, encoded["year"].codes, encoded["region"].codes), verdicts, strict=True
        ):
            unjudged = [code for code, state in enumerate(states) if state is UNJUDGED]
            if unjudged:
                firsts = _first_rows(pc.take(codes, candidates), unjudged)
                rows.update(pc.take(candidates, ints(firsts)).to_pylist())
        thrown: list[Problem] = []
        for index in sorted(rows):
            record = batch.layout.record(_number(batch, index), _row(batch, index), thrown)
            if record is not None:
                self.validator.remember(record)

    def _shaped(self, judged: _Judged) -> Any:
        """Return which rows have the header's shape: its width, and no cell over MAX_CELL."""
        batch = judged.batch
        shaped = pc.take(flags([True]), repeated(0, len(batch.numbers)))
        for cells, codes in judged.columns:
            long = [isinstance(cell, str) and len(cell) > MAX_CELL for cell in cells]
            if any(long):
                shaped = pc.and_(shaped, pc.invert(pc.take(flags(long), codes)))
        if batch.rows is not None:
            # A row shorter than the header lacks blank cells (as Excel leaves out an empty
            # last column); a longer one is read as a record reads it (see Layout.refusal).
            layout, width = batch.layout, batch.layout.width
            refused = {
                index
                for index, row in enumerate(batch.rows)
                if len(row) > width and layout.refusal(row, _number(batch, index)) is not None
            }
            if refused:
                unread = flags(index in refused for index in range(len(batch.rows)))
                shaped = pc.and_(shaped, pc.invert(unread))
        return shaped

    def _accepted(self, judged: _Judged, shaped: Any) -> Any:
        """Return which rows are taken as columns: every cell accepted, nothing to say."""
        batch, _columns, encoded, figures, verdicts = judged
        figure_states, years, regions = verdicts
        ok = pc.and_(
            pc.take(
                flags(type(v) is Figure and v.warning is None for v in figure_states),
                figures.codes,
            ),
            pc.take(flags(type(v) is int for v in years), encoded["year"].codes),
        )
        ok = pc.and_(
            ok,
            pc.take(
                flags(r is not UNJUDGED and not isinstance(r, Refused) for r in regions),
                encoded["region"].codes,
            ),
        )
        ok = pc.and_(ok, shaped)
        layout = batch.layout
        for index, label in layout.unread_columns.items():
            cells, codes = judged.columns[index]
            source, sheet = layout.source, layout.sheet
            if self.validator.flags_region_column(source, sheet, label, cells):
                # The rows naming a region in a column not read: the first is told about it.
                naming = [
                    self.validator.flags_region_column(source, sheet, label, [cell])
                    for cell in cells
                ]
                ok = pc.and_(ok, pc.invert(pc.take(flags(naming), codes)))
        return ok

    def _add(self, judged: _Judged, ok: Any) -> int:
        """Check the other rows as records, find repeats, log problems in row order, add the rest.

        Return how many rows there were.
        """
        batch = judged.batch
        # Problems by the row they concern, to be told in the order of the rows: those the
        # reader found with rows it left out of the batch, then those found here.
        problems: dict[int, list[Problem]] = {}
        for problem in batch.problems:
            problems.setdefault(problem.row or 0, []).append(problem)
        taken: dict[int, Measurement] = {}
        rows = pc.sum(ok).as_py() or 0
        for index in pc.indices_nonzero(pc.invert(ok)).to_pylist():
            found: list[Problem] = []
            number = _number(batch, index)
            record = batch.layout.record(number, _row(batch, index), found)
            if record is not None:
                rows += 1
                measurement, problems_found = self.validator.judge(record)
                found += problems_found
                if measurement is not None:
                    taken[index] = measurement
            if found:
                problems.setdefault(number, []).extend(found)
        accepted = self._accepted_rows(judged, ok, taken)
        keys = self.duplicates.keys_of(accepted.targets, accepted.regions, accepted.years)
        repeats = self.duplicates.first_in(keys)
        # Past the problems kept of a severity, a repeat's problem is counted, not made.
        told = self._counted_repeats(accepted, repeats)
        if told:
            # Made together: one at a time, each would cost a few Arrow calls.
            laters = accepted.make(list(told))
            within = sorted({at for at in told.values() if isinstance(at, int)})
            firsts = dict(zip(within, accepted.make(within), strict=True))
            for later, earlier in zip(laters, told.values(), strict=True):
                if isinstance(earlier, int):
                    first = firsts[earlier]
                    earlier = Earlier(first.origin, first.value)
                record = RawRecord(
                    source=later.origin.source,
                    sheet=later.origin.sheet,
                    row=later.origin.row,
                    cells={},
                    headers=batch.layout.headers,
                )
                problem = self.duplicates.problem(earlier, later, record)
                problems.setdefault(later.origin.row or 0, []).append(problem)
        if repeats:
            repeated = ints(list(repeats))
            unique = pc.invert(pc.is_in(positions(len(keys)), value_set=repeated))
            accepted, keys = accepted.filter(unique), keys.filter(unique)
        for number in sorted(problems):
            self.log.extend(problems[number])
        origin = self.duplicates.origin_code(batch.layout.source, batch.layout.sheet)
        self.duplicates.remember(keys, accepted.numbers, accepted.values, origin)
        self.dataset.add_batch(
            RowBatch(
                targets=accepted.targets,
                regions=accepted.regions,
                years=accepted.years,
                target_ids=self._target_ids,
                region_ids=self._region_ids,
                make=accepted.make,
            )
        )
        return rows

    def _counted_repeats(
        self, accepted: _Accepted, repeats: dict[int, Earlier | int]
    ) -> dict[int, Earlier | int]:
        """Count the repeats whose problems would not be kept; return the others, to be told."""
        if not repeats or (self.log.keeps("error") and self.log.keeps("warning")):
            return repeats
        values = accepted.values.to_pylist()
        told: dict[int, Earlier | int] = {}
        for at, earlier in repeats.items():
            first = (
                accepted.values_of[values[earlier]] if isinstance(earlier, int) else earlier.value
            )
            severity = repeat_severity(first, accepted.values_of[values[at]])
            if self.log.keeps(severity):
                told[at] = earlier
            else:
                self.log.count(severity)
        return told

    def _accepted_rows(self, judged: _Judged, ok: Any, taken: dict[int, Measurement]) -> _Accepted:
        """Return the rows accepted, in order: those taken as columns, and those ``taken``."""
        batch, _columns, encoded, figures, verdicts = judged
        duplicates = self.duplicates
        figure_states, years, regions = verdicts
        targets, places = duplicates.target_codes, duplicates.region_codes
        figure_of = [v if type(v) is Figure else None for v in figure_states]
        per_figure = {
            "targets": [-1 if v is None else targets[v.target] for v in figure_of],
            "values": [-1 if v is None else duplicates.value_code(v.value) for v in figure_of],
        }
        at = pc.indices_nonzero(ok).cast(pa.int64())
        figure_codes = pc.take(figures.codes, at)
        columns = {name: pc.take(ints(cells), figure_codes) for name, cells in per_figure.items()}
        year_of = [v if type(v) is int else 0 for v in years]
        columns["years"] = pc.take(ints(year_of), pc.take(encoded["year"].codes, at))
        region_of = [places.get(r, -1) if isinstance(r, str) or r is None else -1 for r in regions]
        region_codes = pc.take(encoded["region"].codes, at)
        columns["regions"] = pc.take(ints(region_of), region_codes)
        if taken:
            checked = list(taken.values())
            more = {
                "targets": [targets[m.indicator] for m in checked],
                "values": [duplicates.value_code(m.value) for m in checked],
                "years": [m.year for m in checked],
                "regions": [places[m.region] for m in checked],
            }
            at = pa.concat_arrays([at, ints(list(taken))])
            order = pc.sort_indices(at)
            at = pc.take(at, order)
            columns = {
                name: pc.take(pa.concat_arrays([cells, ints(more[name])]), order)
                for name, cells in columns.items()
            }
        return _Accepted(
            batch=batch,
            at=at,
            numbers=pc.take(batch.numbers, at),
            notes=encoded["note"],
            taken=taken,
            target_ids=self._target_ids,
            region_ids=self._region_ids,
            values_of=duplicates.values,
            **columns,
        )


class _Accepted(NamedTuple):
    """The accepted rows of a batch, in order, as Arrow arrays of codes (see DuplicateIndex)."""

    batch: ColumnBatch
    at: Any  # each row's index in the batch
    numbers: Any
    notes: _Encoded
    taken: dict[int, Measurement]  # rows checked as records, by index in the batch
    target_ids: list[str]
    region_ids: list[str | None]
    values_of: list[Decimal | bool]
    targets: Any
    values: Any
    years: Any
    regions: Any

    def filter(self, mask: Any) -> _Accepted:
        """Return the rows a boolean array selects."""
        arrays = ("at", "numbers", "targets", "values", "years", "regions")
        return self._replace(**{name: pc.filter(getattr(self, name), mask) for name in arrays})

    def make(self, indices: Sequence[int]) -> list[Measurement]:
        """Return the measurements of some rows, by their index among the accepted."""
        chosen = ints(indices)
        columns = ("at", "numbers", "targets", "values", "years", "regions")
        picked = [pc.take(getattr(self, name), chosen).to_pylist() for name in columns]
        layout, notes = self.batch.layout, self.notes
        note_codes = pc.take(notes.codes, pc.take(self.at, chosen)).to_pylist()
        made = []
        for at, number, target, value, year, region, note in zip(*picked, note_codes, strict=True):
            found = self.taken.get(at)
            if found is None:
                found = Measurement(
                    indicator=self.target_ids[target],
                    value=self.values_of[value],
                    year=year,
                    origin=Origin(source=layout.source, sheet=layout.sheet, row=number),
                    region=self.region_ids[region],
                    note=note_text(notes.cells[note]),
                )
            made.append(found)
        return made


def _combined(columns: list[_Encoded]) -> _Combined:
    """Return the distinct combinations of several encoded columns' cells, as index tuples."""
    sizes = [len(column.cells) for column in columns]
    combined = columns[0].codes
    for column, size in zip(columns[1:], sizes[1:], strict=True):
        combined = pc.add(pc.multiply(combined, whole(size)), column.codes)
    encoded = combined.dictionary_encode()
    cells: list[tuple[int, ...]] = []
    for code in encoded.dictionary.to_pylist():
        parts = []
        for size in reversed(sizes[1:]):
            code, part = divmod(code, size)
            parts.append(part)
        cells.append((code, *reversed(parts)))
    return _Combined(cells, encoded.indices.cast(pa.int64()))


def _first_rows(codes: Any, wanted: list[int]) -> list[int]:
    """Return the first row holding each of the ``wanted`` codes."""
    if not len(codes):
        return []
    order = pc.sort_indices(codes)  # a stable sort: a code's first row comes first
    ordered = pc.take(codes, order)
    changes = pc.indices_nonzero(pc.not_equal(ordered[1:], ordered[:-1]))
    starts = pa.concat_arrays([ints([0]), pc.add(changes.cast(pa.int64()), whole(1))])
    chosen = pc.is_in(pc.take(ordered, starts), value_set=ints(wanted))
    return pc.filter(pc.take(order, starts), chosen).to_pylist()  # type: ignore[no-any-return]


def _number(batch: ColumnBatch, index: int) -> int:
    return batch.numbers[index].as_py()  # type: ignore[no-any-return]


def _row(batch: ColumnBatch, index: int) -> list[object]:
    """Return a row's cells as a small file's reader gives them."""
    if batch.rows is not None:
        return batch.rows[index]
    return [column[index].as_py() for column in batch.columns]


def _field(layout: Layout, columns: list[_Encoded], field: str, count: int) -> _Encoded:
    """Return a field's column; the header fills blank units and years."""
    index = next((i for i, name in layout.positions.items() if name == field), None)
    if index is None:
        return _Encoded([layout.filled(field, None)], repeated(0, count))
    cells, codes = columns[index]
    return _Encoded([layout.filled(field, cell) for cell in cells], codes)


def _encoded(column: Any) -> _Encoded:
    """Return a column's distinct cells (a null as None) and each row's index among them."""
    if not isinstance(column, pa.Array):
        return _Encoded(*_factorized(column))
    encoded = column.dictionary_encode()
    cells = encoded.dictionary.to_pylist()
    codes = encoded.indices.cast(pa.int64())
    if codes.null_count:
        codes = pc.fill_null(codes, whole(len(cells)))
        cells.append(None)
    return _Encoded(cells, codes)


def _factorized(column: Sequence[object]) -> tuple[list[object], Any]:
    """Return the distinct cells of a column of Python objects, and each row's index among them.

    Cells are told apart as the verdicts on them are (see cell_key): 1, 1.0 and True are three.
    """
    distinct = dict.fromkeys(column)
    if all(type(cell) is str or cell is None for cell in distinct):  # text: equal is the same
        index = {cell: code for code, cell in enumerate(distinct)}
        return list(distinct), ints(list(map(index.__getitem__, column)))
    keys = list(map(cell_key, column))
    firsts: dict[object, object] = {}
    for key, cell in zip(keys, column, strict=True):
        firsts.setdefault(key, cell)
    index = {key: code for code, key in enumerate(firsts)}
    return list(firsts.values()), ints(list(map(index.__getitem__, keys)))
