"""The measurements a report is judged on, gathered row by row, keeping only what rules read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

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
