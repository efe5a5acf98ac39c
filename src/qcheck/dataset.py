"""The measurements a report is judged on, gathered row by row, keeping only what rules read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from qcheck.catalogue import MAX_YEAR, MIN_YEAR, Catalogue
from qcheck.measurements import Measurement

UNUSED_EXAMPLES = 100  # rows no rule can read are counted; these many are kept to show
REGIONS_NAMED = 50  # regions named in a reason; more are counted


@dataclass(frozen=True)
class RowBatch:
    """Validated rows of a batch, in order, as Arrow arrays of codes (see DuplicateIndex)."""

    targets: Any  # each row's target, by its index in target_ids
    regions: Any  # each row's region, by its index in region_ids (0: city-wide)
    years: Any
    target_ids: list[str]
    region_ids: list[str | None]
    make: Callable[[Sequence[int]], list[Measurement]]  # some rows' measurements, by index


class Dataset:
    """Measurements indexed by indicator, region and year.

    A county's row for a target judged on the city-wide figure can never be used: it is
    counted (and a few are kept as examples), not stored, so memory does not grow with it.
    """

    def __init__(self, catalogue: Catalogue, *, year: int, keep_all: bool = False) -> None:
        # Targets whose rules read counties' rows; the city-wide row of any target is kept.
        self._reads_counties = {
            target.id
            for target in catalogue.targets
            if any(region is not None for region in target.rule.regions_read(catalogue))
        }
        # The years some rule reads when evaluating ``year``: rows of other years are counted.
        start = min(catalogue.plan.start_year, year)
        self._years_read = set(range(start, year + 1)).union(
            *(target.rule.years_read(catalogue, year) for target in catalogue.targets)
        )
        self.by_key: dict[tuple[str, str | None, int], Measurement] = {}
        self.regions_reported: dict[tuple[str, int], list[str]] = {}
        self.regions_counted: Counter[tuple[str, int]] = Counter()
        # Examples of rows no rule can read: those of the evaluated year, then of others.
        self._year = year
        self.unusable: list[tuple[int, Measurement]] = []
        self._unusable_elsewhere: list[tuple[int, Measurement]] = []
        self.position: dict[tuple[str, str | None, int], int] = {}
        self._added = 0
        self.unusable_by_year: Counter[int] = Counter()
        self.everything: list[Measurement] | None = [] if keep_all else None

    @property
    def year(self) -> int:
        """The evaluated year whose rules chose the rows kept."""
        return self._year

    @classmethod
    def of(cls, catalogue: Catalogue, measurements: Iterable[Measurement], *, year: int) -> Dataset:
        """Return a dataset holding ``measurements`` (the first of any repeated key)."""
        dataset = cls(catalogue, year=year)
        for measurement in measurements:
            dataset.add(measurement)
        return dataset

    def add(self, measurement: Measurement) -> None:
        """Add one validated measurement; a repeated key keeps the first."""
        if self.everything is not None:
            self.everything.append(measurement)
        self._added += 1
        region = measurement.region
        year = measurement.year
        if region is not None and year in self._years_read:
            where = (measurement.indicator, year)
            self.regions_counted[where] += 1
            named = self.regions_reported.setdefault(where, [])
            if len(named) < REGIONS_NAMED:
                named.append(region)
        if self.reads(measurement.indicator, region, measurement.year):
            if measurement.key not in self.by_key:
                self.by_key[measurement.key] = measurement
                self.position[measurement.key] = self._added
            return
        self.unusable_by_year[measurement.year] += 1
        examples = self.unusable if measurement.year == self._year else self._unusable_elsewhere
        if len(examples) < UNUSED_EXAMPLES:
            examples.append((self._added, measurement))

    def add_batch(self, batch: RowBatch) -> None:
        """Add a batch of validated rows, in order, as ``add`` would one at a time.

        What becomes of a row is decided once per distinct indicator, place and year, by the
        same rules as ``add``; a measurement is made only for a row kept or shown as an example.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        from qcheck.arrays import counts, flags, whole

        count = len(batch.years)
        base, self._added = self._added, self._added + count
        if self.everything is not None:
            self.everything.extend(batch.make(range(count)))
        years = MAX_YEAR - MIN_YEAR + 1
        targets = pc.cast(batch.targets, pa.int64())
        where = pc.add(
            pc.multiply(targets, whole(years)), pc.subtract(batch.years, whole(MIN_YEAR))
        )
        county = pc.cast(pc.not_equal(batch.regions, whole(0)), pa.int64())
        combos = pc.add(pc.multiply(where, whole(2)), county).dictionary_encode()
        counted_of, kept_of = [], []
        for combo in combos.dictionary.to_pylist():
            rest, in_county = divmod(combo, 2)
            target, year = divmod(rest, years)
            year += MIN_YEAR
            counted_of.append(bool(in_county) and year in self._years_read)
            kept_of.append(self._reads(batch.target_ids[target], bool(in_county), year))
        counted = pc.take(flags(counted_of), combos.indices)
        kept = pc.take(flags(kept_of), combos.indices)
        if pc.any(counted).as_py():
            self._count_regions(batch, where, counted)
        chosen = pc.indices_nonzero(kept).to_pylist()
        for index, measurement in zip(chosen, batch.make(chosen), strict=True):
            if measurement.key not in self.by_key:
                self.by_key[measurement.key] = measurement
                self.position[measurement.key] = base + index + 1
        unused = pc.invert(kept)
        for year, rows in counts(pc.filter(batch.years, unused)):
            self.unusable_by_year[year] += rows
        this_year = pc.equal(batch.years, whole(self._year))
        for examples, chosen in (
            (self.unusable, pc.and_(unused, this_year)),
            (self._unusable_elsewhere, pc.and_(unused, pc.invert(this_year))),
        ):
            room = UNUSED_EXAMPLES - len(examples)
            if room > 0:
                shown = pc.indices_nonzero(chosen)[:room].to_pylist()
                examples += zip(
                    (base + index + 1 for index in shown), batch.make(shown), strict=True
                )

    def _count_regions(self, batch: RowBatch, where: Any, counted: Any) -> None:
        """Count the regions that reported each indicator and year, and name the first few."""
        import pyarrow.compute as pc

        from qcheck.arrays import counts, whole

        years = MAX_YEAR - MIN_YEAR + 1
        for code, rows in counts(pc.filter(where, counted)):
            target, year = divmod(code, years)
            pair = (batch.target_ids[target], year + MIN_YEAR)
            self.regions_counted[pair] += rows
            named = self.regions_reported.setdefault(pair, [])
            if len(named) < REGIONS_NAMED:
                chosen = pc.and_(counted, pc.equal(where, whole(code)))
                for index in pc.indices_nonzero(chosen)[: REGIONS_NAMED - len(named)].to_pylist():
                    named.append(batch.region_ids[batch.regions[index].as_py()])

    def reads(self, indicator: str, region: str | None, year: int) -> bool:
        """Whether a rule can read this figure: its region (None: city-wide) and its year."""
        return self._reads(indicator, region is not None, year)

    def _reads(self, indicator: str, county: bool, year: int) -> bool:
        """Whether a rule can read a county's (or the city's) figure for a year."""
        if year not in self._years_read:
            return False
        return not county or indicator in self._reads_counties

    def unused(self, used: set[tuple[str, str | None, int]]) -> list[Measurement]:
        """Return the rows no rule used, in the order they were added (examples of the rest)."""
        kept = [(self.position[key], m) for key, m in self.by_key.items() if key not in used]
        examples = self.unusable + self._unusable_elsewhere
        ordered = sorted(kept + examples, key=lambda item: item[0])
        return [measurement for _, measurement in ordered]

    def __len__(self) -> int:
        return len(self.by_key) + sum(self.unusable_by_year.values())
