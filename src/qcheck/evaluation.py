"""Evaluate measurements against the catalogue: one result per target, with its working."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qcheck.catalogue import Catalogue
from qcheck.dataset import UNUSED_EXAMPLES, Dataset
from qcheck.measurements import Measurement
from qcheck.places import city_word_said, place
from qcheck.problems import Problem
from qcheck.verdicts import ALWAYS_COUNTED, facts, fails
from qcheck.verdicts import FailOn as FailOn
from qcheck.verdicts import Observation as Observation
from qcheck.verdicts import Reason as Reason
from qcheck.verdicts import ReasonParam as ReasonParam
from qcheck.verdicts import Result as Result
from qcheck.verdicts import Status as Status
from qcheck.verdicts import Value as Value
from qcheck.words import Word


@dataclass(frozen=True, slots=True, repr=False)
class Summary:
    """Counts of results by status."""

    counts: tuple[tuple[Status, int], ...]

    def __repr__(self) -> str:
        """Name the counts a summary says: Summary(pass=10, fail=6, missing=2)."""
        return f"Summary({', '.join(f'{s.value}={self.count(s)}' for s in self.counted())})"

    @classmethod
    def of(cls, results: Iterable[Result]) -> Summary:
        """Count the results of each status."""
        statuses = [result.status for result in results]
        return cls(tuple((status, statuses.count(status)) for status in Status))

    @classmethod
    def added(cls, summaries: Iterable[Summary]) -> Summary:
        """Add up several summaries."""
        listed = list(summaries)
        return cls(tuple((status, sum(s.count(status) for s in listed)) for status in Status))

    @property
    def total(self) -> int:
        """Number of targets evaluated."""
        return sum(count for _, count in self.counts)

    def count(self, status: Status) -> int:
        """Return the number of targets with ``status``."""
        return dict(self.counts).get(status, 0)

    def counted(self) -> tuple[Status, ...]:
        """Return the statuses a summary names: met, not met, missing, and any other present."""
        return tuple(s for s in Status if s in ALWAYS_COUNTED or self.count(s))

    @property
    def passed(self) -> int:
        """Number of targets met (outside any warning band)."""
        return self.count(Status.PASS)

    @property
    def failed(self) -> int:
        """Number of targets not met."""
        return self.count(Status.FAIL)

    @property
    def missing(self) -> int:
        """Number of targets lacking a figure they need."""
        return self.count(Status.MISSING)

    @property
    def not_due(self) -> int:
        """Number of targets not yet due."""
        return self.count(Status.NOT_DUE)

    @property
    def worst(self) -> Status:
        """Return the worst status counted (met where there is none)."""
        present = [status for status, count in self.counts if count]
        return max(present, key=lambda status: facts(status).rank, default=Status.PASS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The results for every target of a catalogue, for one dataset and one year."""

    catalogue: Catalogue
    sources: tuple[str, ...]
    year: int
    results: tuple[Result, ...]
    sheets: Mapping[str, str] = field(default_factory=dict)  # the sheet read, by workbook
    digests: Mapping[str, str] = field(default_factory=dict)  # each input's SHA-256, by source
    # The folder a reports repository keeps the dataset in (--layout's year folder): what
    # names it in CI for good, whatever files the folder gains.
    folder: str | None = None
    unused: tuple[Measurement, ...] = ()
    unused_count: int = 0
    unused_this_year: int = 0
    problems: tuple[Problem, ...] = ()
    omitted_problems: int = 0  # warnings found beyond those kept

    @property
    def summary(self) -> Summary:
        """Counts of passed, failed and missing targets."""
        return Summary.of(self.results)


def exit_code_for(reports: Iterable[Report], *, fail_on: FailOn) -> int:
    """Return 1 if any result fails the ``fail_on`` policy, else 0."""
    return int(any(fails(r.status, fail_on) for report in reports for r in report.results))


class _Evidence:
    """A dataset's figures, as rules read them."""

    def __init__(self, catalogue: Catalogue, dataset: Dataset) -> None:
        self.catalogue = catalogue
        self._dataset = dataset

    def observation(self, indicator: str, region: str | None, year: int) -> Observation | None:
        """Return the figure reported for an indicator, region (None: city-wide) and year."""
        measurement = self._dataset.by_key.get((indicator, region, year))
        if measurement is None:
            return None
        return Observation(
            year=year, region=region, value=measurement.value, origin=measurement.origin
        )

    def regions_reported(self, indicator: str, year: int) -> tuple[tuple[str, ...], int]:
        """Return the regions that reported an indicator for a year (some named, and the rest)."""
        named = tuple(sorted(set(self._dataset.regions_reported.get((indicator, year), []))))
        return named, self._dataset.regions_counted[(indicator, year)] - len(named)


def evaluate(
    *,
    catalogue: Catalogue,
    measurements: Iterable[Measurement] | Dataset,
    year: int,
    sources: Iterable[str] = (),
    problems: Iterable[Problem] = (),
    omitted_problems: int = 0,
    sheets: Mapping[str, str] | None = None,
) -> Report:
    """Judge every target of ``catalogue`` for ``year`` from ``measurements``."""
    if isinstance(measurements, Dataset):
        dataset = measurements
        if dataset.year != year:
            raise ValueError(
                f"the dataset keeps the rows read when evaluating {dataset.year}; "
                f"check the files again with default_year={year} to evaluate {year}"
            )
    else:
        dataset = Dataset.of(catalogue, measurements, year=year)
    evidence = _Evidence(catalogue, dataset)
    results = tuple(target.rule.judge(target, evidence, year) for target in catalogue.targets)
    used = {
        (result.target.id, obs.region, obs.year)
        for result in results
        for obs in result.observations
    }
    kept_unused = [m for key, m in dataset.by_key.items() if key not in used]
    unused = dataset.unused(used)[: 2 * UNUSED_EXAMPLES + len(kept_unused)]
    unused_count = len(kept_unused) + sum(dataset.unusable_by_year.values())
    unused_this_year = sum(m.year == year for m in kept_unused) + dataset.unusable_by_year[year]
    return Report(
        catalogue=catalogue,
        sources=tuple(sources),
        sheets=dict(sheets or {}),
        year=year,
        results=results,
        unused=tuple(unused),
        unused_count=unused_count,
        unused_this_year=unused_this_year,
        problems=tuple(problems),
        omitted_problems=omitted_problems,
    )


def unused_why(catalogue: Catalogue, measurement: Measurement, year: int) -> str:
    """Return why no rule read a row when evaluating ``year``: not_due, county, city, year...

    not_due: a figure of a target not yet due; county: a county's figure for a target judged
    city-wide; city: a city-wide figure for a
    target judged on counties' figures; region: a county the target does not read; year: a year
    its rule does not read; other: a figure the rule could read but did not need.
    """
    rule = catalogue.target(measurement.indicator).rule
    if rule.not_yet_due(catalogue, year) and measurement.year not in rule.years_asked(
        catalogue, year
    ):
        return "not_due"
    if measurement.year not in rule.years_read(catalogue, year):
        return "year"
    regions = rule.regions_read(catalogue)
    if measurement.region in regions:
        return "other"
    if measurement.region is None:
        return "city"
    return "county" if regions == (None,) else "region"


def unused_row_problems(report: Report) -> tuple[tuple[Problem, ...], int]:
    """Return a warning for each listed row no rule read in the report's year, and how many more.

    ``--strict`` counts them as errors: a figure nobody judged must not pass unnoticed.
    """
    catalogue, year = report.catalogue, report.year
    problems = []
    for m in report.unused:
        if m.year != year:
            continue
        why = unused_why(catalogue, m, year)
        problems.append(
            Problem.of(
                "unused-row",
                source=m.origin.source,
                sheet=m.origin.sheet,
                row=m.origin.row,
                year=year,
                indicator=m.indicator,
                place=place(catalogue, m.region),
                why=Word(f"unused_why_{why}", year=year),
                fix=Word(f"unused_fix_{why}", city=city_word_said(catalogue)),
            )
        )
    return tuple(problems), report.unused_this_year - len(problems)
