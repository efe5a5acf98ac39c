"""The measurements a report is judged on, gathered row by row, keeping only what rules read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from operator import and_, eq, is_not, ne, not_, or_

from qcheck.catalogue import Catalogue
from qcheck.measurements import Measurement

UNUSED_EXAMPLES = 100  # rows no rule can read are counted; these many are kept to show
REGIONS_NAMED = 50  # regions named in a reason; more are counted


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

    def add_unusable(
        self, indicator: str, region: str | None, year: int, make: Callable[[], Measurement]
    ) -> None:
        """Count a county's row for a target judged city-wide; ``make`` it only as an example."""
        self._added += 1
        if region is not None and year in self._years_read:
            # Only a year some rule reads needs to know which regions reported it.
            where = (indicator, year)
            self.regions_counted[where] += 1
            named = self.regions_reported.setdefault(where, [])
            if len(named) < REGIONS_NAMED:
                named.append(region)
        self.unusable_by_year[year] += 1
        examples = self.unusable if year == self._year else self._unusable_elsewhere
        if len(examples) < UNUSED_EXAMPLES:
            examples.append((self._added, make()))

    def count_unread(self, years: list[int]) -> bool:
        """Count rows whose years no rule reads, if no more examples are wanted; else False."""
        if len(self._unusable_elsewhere) < UNUSED_EXAMPLES or not self._years_read.isdisjoint(
            years
        ):
            return False
        self._added += len(years)
        self.unusable_by_year.update(years)
        return True

    def add_many(
        self,
        indicators: Sequence[str],
        regions: Sequence[str | None],
        years: Sequence[int],
        make: Callable[[int], Measurement],
    ) -> None:
        """Add a run of rows as ``add`` would one at a time; ``make(i)`` is the i-th measurement.

        Work is done a column at a time; a measurement is made only for a row that is kept or
        shown as an example.
        """
        years_read = self._years_read
        base = self._added
        self._added += len(years)
        in_year = list(map(years_read.__contains__, years))
        county = list(map(is_not, regions, repeat(None)))
        counted = list(map(and_, in_year, county))
        if any(counted):
            # Only a year some rule reads needs to know which regions reported it.
            self.regions_counted.update(compress(zip(indicators, years, strict=True), counted))
            reported = self.regions_reported
            pairs = set(compress(zip(indicators, years, strict=True), counted))
            if any(len(reported.get(pair, ())) < REGIONS_NAMED for pair in pairs):
                for indicator, year, region in compress(
                    zip(indicators, years, regions, strict=True), counted
                ):
                    named = reported.setdefault((indicator, year), [])
                    if len(named) < REGIONS_NAMED:
                        named.append(region)  # type: ignore[arg-type]
        counties_read = map(self._reads_counties.__contains__, indicators)
        kept = list(map(and_, in_year, map(or_, map(not_, county), counties_read)))
        for index in compress(range(len(years)), kept):
            measurement = make(index)
            if measurement.key not in self.by_key:
                self.by_key[measurement.key] = measurement
                self.position[measurement.key] = base + index + 1
        unused = list(map(not_, kept))
        self.unusable_by_year.update(compress(years, unused))
        self._add_examples(years, unused, base, make)

    def _add_examples(
        self,
        years: Sequence[int],
        unused: list[bool],
        base: int,
        make: Callable[[int], Measurement],
    ) -> None:
        """Keep the first unused rows of a run as examples, for the lists not yet full."""
        here, elsewhere = self.unusable, self._unusable_elsewhere
        wanted = unused
        if len(here) >= UNUSED_EXAMPLES:
            wanted = list(map(and_, wanted, map(ne, years, repeat(self._year))))
        if len(elsewhere) >= UNUSED_EXAMPLES:
            wanted = list(map(and_, wanted, map(eq, years, repeat(self._year))))
        for index in compress(range(len(years)), wanted):
            examples = here if years[index] == self._year else elsewhere
            if len(examples) < UNUSED_EXAMPLES:
                examples.append((base + index + 1, make(index)))
            elif min(len(here), len(elsewhere)) >= UNUSED_EXAMPLES:
                break

    def reads(self, indicator: str, region: str | None, year: int) -> bool:
        """Whether a rule can read this figure: its region (None: city-wide) and its year."""
        if year not in self._years_read:
            return False
        return region is None or indicator in self._reads_counties

    def unused(self, used: set[tuple[str, str | None, int]]) -> list[Measurement]:
        """Return the rows no rule used, in the order they were added (examples of the rest)."""
        kept = [(self.position[key], m) for key, m in self.by_key.items() if key not in used]
        examples = self.unusable + self._unusable_elsewhere
        ordered = sorted(kept + examples, key=lambda item: item[0])
        return [measurement for _, measurement in ordered]

    def __len__(self) -> int:
        return len(self.by_key) + sum(self.unusable_by_year.values())
