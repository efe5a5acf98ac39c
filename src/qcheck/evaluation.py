"""Evaluate measurements against the catalogue: one result per target, with its working."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import partial
from typing import Literal

from qcheck.catalogue import Catalogue, Comparison, Decrease, Qualitative, Target
from qcheck.dataset import UNUSED_EXAMPLES, Dataset
from qcheck.measurements import Measurement, Origin, held
from qcheck.problems import Problem
from qcheck.words import label

Value = Decimal | bool
# A reported six-county mean may be rounded to one decimal; a larger difference is worth a note.
MEAN_TOLERANCE = Decimal("0.05")
ReasonParam = str | int | Decimal | tuple[str, ...] | tuple[int, ...]


class Status(str, Enum):
    """The outcome for one target."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    MISSING = "missing"


@dataclass(frozen=True, slots=True, kw_only=True)
class Observation:
    """A reported figure that a result used."""

    year: int
    region: str | None
    value: Value
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """A machine-readable explanation (code and parameters) that renderers put into words."""

    code: str
    params: dict[str, ReasonParam] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The verdict on one target and the working behind it."""

    target: Target
    status: Status
    year: int
    value: Value | None = None
    value_year: int | None = None
    gap: Decimal | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    relative_change: Decimal | None = None
    failed_years: tuple[int, ...] = ()
    observations: tuple[Observation, ...] = ()
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Counts of results by status."""

    passed: int
    failed: int
    missing: int

    @property
    def total(self) -> int:
        """Number of targets evaluated."""
        return self.passed + self.failed + self.missing


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The results for every target of a catalogue, for one dataset and one year."""

    catalogue: Catalogue
    sources: tuple[str, ...]
    year: int
    results: tuple[Result, ...]
    sheets: Mapping[str, str] = field(default_factory=dict)  # the sheet read, by workbook
    unused: tuple[Measurement, ...] = ()
    unused_count: int = 0
    unused_this_year: int = 0
    problems: tuple[Problem, ...] = ()
    omitted_problems: int = 0  # warnings found beyond those kept

    @property
    def summary(self) -> Summary:
        """Counts of passed, failed and missing targets."""
        statuses = [result.status for result in self.results]
        return Summary(
            passed=statuses.count(Status.PASS),
            failed=statuses.count(Status.FAIL),
            missing=statuses.count(Status.MISSING),
        )


FailOn = Literal["fail", "missing", "never"]


def exit_code_for(reports: Iterable[Report], *, fail_on: FailOn) -> int:
    """Return 1 if any result fails the ``fail_on`` policy, else 0."""
    bad = {"fail": {Status.FAIL}, "missing": {Status.FAIL, Status.MISSING}, "never": set()}[fail_on]
    return int(any(result.status in bad for report in reports for result in report.results))


@dataclass(frozen=True)
class _Figure:
    """The value a rule judges for one year, and the observations behind it."""

    year: int
    value: Value
    observations: tuple[Observation, ...]
    notes: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class _Absent:
    """Why no value could be formed for one year."""

    year: int
    reasons: tuple[Reason, ...]
    observations: tuple[Observation, ...] = ()


def _observation(
    dataset: Dataset, indicator: str, region: str | None, year: int
) -> Observation | None:
    measurement = dataset.by_key.get((indicator, region, year))
    if measurement is None:
        return None
    return Observation(year=year, region=region, value=measurement.value, origin=measurement.origin)


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
    results = tuple(
        _evaluate_target(target, dataset, catalogue, year) for target in catalogue.targets
    )
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


def unused_row_problems(report: Report) -> tuple[tuple[Problem, ...], int]:
    """Return a warning for each listed row no rule read in the report's year, and how many more.

    ``--strict`` counts them as errors: a figure nobody judged must not pass unnoticed.
    """
    catalogue = report.catalogue
    problems = tuple(
        Problem(
            source=m.origin.source,
            sheet=m.origin.sheet,
            row=m.origin.row,
            code="unused-row",
            severity="warning",
            message=f"no target reads this row for {report.year}: {m.indicator}, "
            + (catalogue.region(m.region).name_en if m.region else label("en", "city")),
            message_zh=f"{report.year}年没有指标使用这一行：{m.indicator}，"
            + (catalogue.region(m.region).name_zh if m.region else label("zh", "city")),
            hint="a county's figure for a target judged on the city-wide figure? "
            "give the figure the target reads, or remove the row",
            hint_zh="是否为按全市数据考核的指标填写了县区数据？请填写该指标所用的数据，或删除此行",
        )
        for m in report.unused
        if m.year == report.year
    )
    return problems, report.unused_this_year - len(problems)


def _city_figure(target: Target, dataset: Dataset, year: int) -> _Figure | _Absent:
    observation = _observation(dataset, target.id, None, year)
    if observation is not None:
        return _Figure(year, observation.value, (observation,))
    regions = tuple(sorted(set(dataset.regions_reported.get((target.id, year), []))))
    if regions:
        params: dict[str, ReasonParam] = {"year": year, "regions": regions}
        others = dataset.regions_counted[(target.id, year)] - len(regions)
        if others > 0:
            params["others"] = others
        return _Absent(year, (Reason(code="no-city-value", params=params),))
    return _Absent(year, (Reason(code="no-value", params={"year": year}),))


def _mean_figure(
    target: Target, dataset: Dataset, catalogue: Catalogue, year: int
) -> _Figure | _Absent:
    found = [_observation(dataset, target.id, region.id, year) for region in catalogue.regions]
    present = [obs for obs in found if obs is not None]
    if len(present) == len(found):
        values = [obs.value for obs in present if isinstance(obs.value, Decimal)]
        mean = held(sum(values, Decimal(0)) / len(values))
        notes = [Reason(code="mean-of-regions", params={"count": len(values), "year": year})]
        city = _observation(dataset, target.id, None, year)
        if city is not None:
            # A reported city-wide mean is kept beside the computed one, and a mismatch is told.
            present.append(city)
            if isinstance(city.value, Decimal) and abs(city.value - mean) >= MEAN_TOLERANCE:
                params: dict[str, ReasonParam] = {
                    "year": year,
                    "reported": city.value,
                    "computed": mean,
                }
                notes.append(Reason(code="reported-mean-differs", params=params))
        return _Figure(year, mean, tuple(present), tuple(notes))
    if present:
        absent = tuple(
            region.id for region, obs in zip(catalogue.regions, found, strict=True) if obs is None
        )
        reason = Reason(code="regions-missing", params={"year": year, "regions": absent})
        return _Absent(year, (reason,), tuple(present))
    city = _observation(dataset, target.id, None, year)
    if city is not None:
        return _Figure(
            year, city.value, (city,), (Reason(code="city-value-as-mean", params={"year": year}),)
        )
    return _Absent(year, (Reason(code="no-value", params={"year": year}),))


def _meets(target: Target, value: Value) -> bool:
    rule = target.rule
    if isinstance(value, bool):
        return value is True and isinstance(rule, Qualitative)
    if not isinstance(rule, Comparison):
        raise TypeError(f"{target.id}: a {rule.kind} rule does not compare a single number")
    if rule.kind == "at_least":
        return value >= rule.threshold
    if rule.kind == "at_most":
        return value <= rule.threshold
    return value == rule.threshold


def _as_number(value: Value) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a met / not met answer where a number was validated")
    return value


def _gap(target: Target, value: Value) -> Decimal | None:
    if isinstance(target.rule, Comparison) and isinstance(value, Decimal):
        return value - target.rule.threshold
    return None


def _evaluate_target(target: Target, dataset: Dataset, catalogue: Catalogue, year: int) -> Result:
    rule = target.rule
    if isinstance(rule, Decrease):
        return _evaluate_decrease(target, rule, dataset, year)
    by_mean = target.averages_regions

    def figure(for_year: int) -> _Figure | _Absent:
        if by_mean:
            return _mean_figure(target, dataset, catalogue, for_year)
        return _city_figure(target, dataset, for_year)

    years = catalogue.years_read(target, year=year)
    figures = {for_year: figure(for_year) for for_year in years}
    present = [fig for fig in figures.values() if isinstance(fig, _Figure)]
    observations = tuple(obs for fig in figures.values() for obs in fig.observations)
    notes = tuple(note for fig in present for note in fig.notes)
    failing = [fig for fig in present if not _meets(target, fig.value)]
    if rule.years == "every_reported":
        absent = [fig for fig in figures.values() if isinstance(fig, _Absent) and fig.year == year]
    else:
        absent = [fig for fig in figures.values() if isinstance(fig, _Absent)]

    base = partial(Result, target=target, year=year, observations=observations)
    if failing:
        decisive = failing[0]
        reasons = notes
        if rule.years != "evaluated":
            reasons += (
                Reason(code="failed-years", params={"years": tuple(f.year for f in failing)}),
            )
        return base(
            status=Status.FAIL,
            value=decisive.value,
            value_year=decisive.year,
            gap=_gap(target, decisive.value),
            failed_years=tuple(fig.year for fig in failing),
            reasons=reasons,
        )
    current = figures[year]
    if absent or not isinstance(current, _Figure):
        reasons = tuple(reason for fig in absent for reason in fig.reasons)
        if rule.years == "every" and len(absent) > 1:
            reasons = (
                Reason(code="years-missing", params={"years": tuple(fig.year for fig in absent)}),
            )
        return base(status=Status.MISSING, reasons=reasons + notes)
    return base(
        status=Status.PASS,
        value=current.value,
        value_year=year,
        gap=_gap(target, current.value),
        reasons=notes,
    )


def _evaluate_decrease(target: Target, rule: Decrease, dataset: Dataset, year: int) -> Result:
    if year <= rule.baseline_year:
        reason = Reason(code="year-not-after-baseline", params={"year": rule.baseline_year})
        return Result(
            target=target,
            year=year,
            status=Status.MISSING,
            baseline_year=rule.baseline_year,
            reasons=(reason,),
        )
    baseline = _city_figure(target, dataset, rule.baseline_year)
    current = _city_figure(target, dataset, year)
    figures = [fig for fig in (baseline, current) if isinstance(fig, _Figure)]
    observations = tuple(obs for fig in figures for obs in fig.observations)
    base = partial(
        Result,
        target=target,
        year=year,
        observations=observations,
        baseline_year=rule.baseline_year,
    )
    if isinstance(baseline, _Absent) or isinstance(current, _Absent):
        reasons = tuple(
            Reason(code="no-baseline" if fig is baseline else reason.code, params=reason.params)
            for fig in (baseline, current)
            if isinstance(fig, _Absent)
            for reason in fig.reasons
        )
        return base(status=Status.MISSING, reasons=reasons)
    before, now = _as_number(baseline.value), _as_number(current.value)
    change = now - before
    relative = None if before == 0 else held(change / before * 100)
    fell_enough = relative is not None and change < 0 and -relative >= rule.min_relative_decrease
    return base(
        status=Status.PASS if fell_enough else Status.FAIL,
        value=now,
        value_year=year,
        gap=change,
        baseline=before,
        relative_change=relative,
    )
