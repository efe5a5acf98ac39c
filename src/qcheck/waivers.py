"""Waivers: approved exceptions that excuse a target not met, and applying them to a report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report
from qcheck.model import Frozen, Year
from qcheck.names import normalize_name
from qcheck.places import place
from qcheck.problems import Problem
from qcheck.verdicts import FailOn, Observation, Reason, Result, Status, fails
from qcheck.words import Listed, Word

# A text with something in it: the pattern makes qcheck schema waivers refuse a blank one too.
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=r"\S")
]
# The waivers loader reads every scalar as text, so year: "2020" is year: 2020 to it; the
# schema says so.
YearText = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]


def _none_as_empty(value: object) -> object:
    """Return ``waivers:`` with nothing under it (null) as no waivers."""
    return () if value is None else value


def _listed(value: object) -> object:
    """Return a year written alone as a list of one: ``year: 2019`` is ``year: [2019]``."""
    return value if isinstance(value, list | tuple) else [value]


Years = Annotated[
    tuple[Year, ...],
    Field(min_length=1),
    BeforeValidator(
        _listed,
        json_schema_input_type=Year
        | YearText
        | Annotated[list[Year | YearText], Field(min_length=1)],
    ),
]
# The statuses a waiver excuses: those a run fails on under --fail-on missing (not met, off
# track, missing). A pass inside the warning band needs no waiver.
EXCUSED_UNDER: FailOn = "missing"
# The warnings about the waivers themselves, told once per run (see told_once).
WAIVER_CODES = frozenset({"waiver-expired", "waiver-unknown", "waiver-unused", "waiver-duplicate"})


class WaiverEntry(Frozen):
    """One waiver as a waivers file writes it."""

    target: Text = Field(description="The id of the target waived, as `qcheck targets` lists it")
    region: Text | None = Field(
        default=None,
        description="A county/district (id or name) whose figure it excuses; omitted: every one",
    )
    year: Years | None = Field(
        default=None, description="The evaluated year, or years, it excuses; omitted: every year"
    )
    reason: Text = Field(description="Why the target is excused; shown in every output format")
    approved_by: Text = Field(description="Who approved the waiver")
    expires: date = Field(description="The last day the waiver holds (YYYY-MM-DD)")

    def covers_year(self, year: int) -> bool:
        """Whether the waiver excuses the evaluated ``year``."""
        return self.year is None or year in self.year


class WaiversFile(Frozen):
    """A waivers file: the list of waivers under ``waivers``."""

    waivers: Annotated[
        tuple[WaiverEntry, ...],
        BeforeValidator(_none_as_empty, json_schema_input_type=list[WaiverEntry] | None),
    ] = Field(description="The waivers (none: an empty list, or nothing after `waivers:`)")


@dataclass(frozen=True, slots=True)
class Waiver:
    """A waiver read from a file: what it says, and the file and line it is on."""

    entry: WaiverEntry
    source: str
    line: int | None = None


def apply_waivers(report: Report, waivers: Sequence[Waiver], *, today: date) -> Report:
    """Return ``report`` with every result a waiver excuses turned waived, and its warnings.

    A waiver excuses a target not met, off track or missing in a year it names (every year if
    none), and only where it covers every region the target fails on. One that expired before
    ``today``, or names a target or region the catalogue lacks, is ignored with a warning; so
    is one for a target met (not needed) or failing on regions it does not cover.
    """
    if not waivers:
        return report
    catalogue = report.catalogue
    problems: list[Problem] = []
    usable: dict[str, list[tuple[Waiver, str | None, bool]]] = {}
    for waiver in waivers:
        checked = _checked(waiver, catalogue, today)
        if isinstance(checked, Problem):
            problems.append(checked)
            continue
        same = usable.setdefault(waiver.entry.target, [])
        if twin := next(
            (w for w, *named in same if named == [*checked] and _overlap(w, waiver)), None
        ):
            problems.append(_duplicate(twin, waiver))
        same.append((waiver, *checked))
        if outside := [year for year in waiver.entry.year or () if not _in_plan(catalogue, year)]:
            problems.append(_outside_plan(waiver, catalogue, outside))
    results = []
    for result in report.results:
        matching = [
            m for m in usable.get(result.target.id, ()) if m[0].entry.covers_year(result.year)
        ]
        if not matching:
            results.append(result)
        elif not fails(result.status, EXCUSED_UNDER):
            problems += (_unused(w, result, "passed") for w, _, _ in matching)
            results.append(result)
        else:
            excused = _excused(result, matching, catalogue)
            if isinstance(excused, Result):
                results.append(excused)
            else:
                problems += excused
                results.append(result)
    return replace(report, results=tuple(results), problems=(*report.problems, *problems))


def told_once(reports: Sequence[Report], waivers: Sequence[Waiver]) -> list[Report]:
    """Return the reports of one run with each waiver's warnings told once, in the first.

    A waiver that excused a target in any report is not unused: judged for 2018-2020, one
    used in 2018 is not "not needed" because the target is met in 2020.
    """
    used = {
        (waiver.source, waiver.line)
        for waiver in waivers
        if any(
            result.status is Status.WAIVED
            and result.target.id == waiver.entry.target
            and waiver.entry.covers_year(result.year)
            for report in reports
            for result in report.results
        )
    }
    told: set[tuple[str, str, int | None]] = set()
    kept = []
    for report in reports:
        problems = []
        for problem in report.problems:
            key = (problem.code, problem.source, problem.row)
            if problem.code in WAIVER_CODES:
                if key in told or (problem.code == "waiver-unused" and key[1:] in used):
                    continue
                told.add(key)
            problems.append(problem)
        kept.append(replace(report, problems=tuple(problems)))
    return kept


def waived(result: Result, waivers: Sequence[Waiver]) -> Result:
    """Return ``result`` excused by ``waivers``: waived, keeping the status it had and why."""
    reasons = tuple(
        Reason(
            code="waiver-applied",
            params={
                "was": result.status.value,
                "reason": waiver.entry.reason,
                "approved_by": waiver.entry.approved_by,
                "expires": waiver.entry.expires.isoformat(),
            },
        )
        for waiver in waivers
    )
    return replace(
        result,
        status=Status.WAIVED,
        waived_status=result.status,
        waiver=waivers[0],
        reasons=(*reasons, *result.reasons),
    )


def _checked(
    waiver: Waiver, catalogue: Catalogue, today: date
) -> tuple[str | None, bool] | Problem:
    """Return the region a waiver names (None: the city) and whether it names none; or why not."""
    entry = waiver.entry
    if entry.expires < today:
        return Problem.of(
            "waiver-expired",
            source=waiver.source,
            row=waiver.line,
            column="expires",
            target=entry.target,
            expires=entry.expires.isoformat(),
        )
    if entry.target not in {target.id for target in catalogue.targets}:
        named = catalogue.indicator_names.get(entry.target)
        suggestion = named.id if named is not None else _suggested_id(catalogue, entry.target)
        return _unknown(waiver, "target", entry.target, suggestion)
    if entry.region is None:
        return None, True
    names = catalogue.region_names
    if normalize_name(entry.region) in names.as_mapping():
        region = names.get(entry.region)
        return (None if region is None else region.id), False
    return _unknown(waiver, "region", entry.region, names.suggest(entry.region))


def _overlap(first: Waiver, second: Waiver) -> bool:
    """Whether two waivers excuse a year in common (one naming no year excuses every year)."""
    years, others = first.entry.year, second.entry.year
    return years is None or others is None or bool(set(years) & set(others))


def _duplicate(first: Waiver, second: Waiver) -> Problem:
    """Return the warning for a waiver excusing what an earlier one already does."""
    return Problem.of(
        "waiver-duplicate",
        source=second.source,
        row=second.line,
        column="target",
        target=second.entry.target,
        first=first.source,
        line=first.line,
    )


def _in_plan(catalogue: Catalogue, year: int) -> bool:
    """Whether ``year`` is one the plan's targets are judged for."""
    return catalogue.plan.start_year <= year <= catalogue.plan.target_year


def _outside_plan(waiver: Waiver, catalogue: Catalogue, years: Sequence[int]) -> Problem:
    """Return the warning for a waiver naming years no run can evaluate: it never applies then."""
    return Problem.of(
        "waiver-unknown",
        source=waiver.source,
        row=waiver.line,
        column="year",
        words="year",
        hints=("waiver-unknown.year",),
        target=waiver.entry.target,
        value=Listed(years),
        start=catalogue.plan.start_year,
        end=catalogue.plan.target_year,
    )


def _suggested_id(catalogue: Catalogue, name: str) -> str | None:
    """Return the id of the target whose spelling is closest to ``name``, if one is close."""
    spelling = catalogue.indicator_names.suggest(name)
    target = None if spelling is None else catalogue.indicator_names.get(spelling)
    return None if target is None else target.id


def _unknown(waiver: Waiver, what: str, value: str, suggestion: str | None) -> Problem:
    """Return the warning for a waiver naming a target or region the catalogue lacks."""
    return Problem.of(
        "waiver-unknown",
        source=waiver.source,
        row=waiver.line,
        column=what,
        words=f"{what}.suggest" if suggestion else what,
        hints=("waiver-unknown",),
        target=waiver.entry.target,
        value=value,
        suggestion=suggestion,
    )


Matched = tuple[Waiver, str | None, bool]  # a waiver, the region it names, whether it names none


def _excused(
    result: Result, matching: Sequence[Matched], catalogue: Catalogue
) -> Result | list[Problem]:
    """Return ``result`` waived by the waivers ``matching`` it, or why they do not excuse it.

    A waiver naming no region excuses the target. One naming regions takes their figures out
    of a target judged on the regions' figures, which is judged again by its own rule on the
    others' (each must pass, k of them must, or their mean must): it is waived only if that is
    met. So a county's waiver never excuses the others' figures, their mean or their count.
    A target judged on one figure is waived when a waiver covers its region.
    """
    rule = result.target.rule
    scope = rule.regions_together(catalogue)
    out = tuple(region for region in scope if any(named == region for _, named, _ in matching))
    if any(every for _, _, every in matching) or not out:
        covering = _covering(result, matching)
        left = tuple(region for region, waiver in covering.items() if waiver is None)
        if not left:
            return waived(result, tuple(w for w in dict.fromkeys(covering.values()) if w))
        return _not_applied(catalogue, result, matching, "regions", left)
    used = tuple(w for w, named, _ in matching if named in out)
    if len(out) == len(scope):  # every region waived: the target is
        return waived(result, used)
    narrower = rule.without(catalogue, out)
    if narrower is None:  # too few regions left to meet it
        return _not_applied(catalogue, result, matching, "others", out)
    evidence = _Observed(catalogue, result)
    others = narrower.judge(result.target, evidence, result.year)
    if not fails(others.status, EXCUSED_UNDER):
        said = Reason(code="waiver-others", params={"regions": out, "was": others.status.value})
        excused = waived(result, used)
        return replace(excused, reasons=(*excused.reasons[: len(used)], said, *result.reasons))
    left = _at_fault(others)
    if left == (None,):  # the others' mean or count: no region of theirs to name
        return _not_applied(catalogue, others, matching, "others", out)
    return _not_applied(catalogue, result, matching, "regions", left)


def _not_applied(
    catalogue: Catalogue,
    result: Result,
    matching: Sequence[Matched],
    words: str,
    regions: Sequence[str | None],
) -> list[Problem]:
    """Return the warning for each waiver matching a result that does not excuse it."""
    places = [place(catalogue, region) for region in regions]
    return [_unused(waiver, result, words, places) for waiver, _, _ in matching]


class _Observed:
    """The figures a result read, as a rule reads them: to judge it again on fewer regions."""

    def __init__(self, catalogue: Catalogue, result: Result) -> None:
        self.catalogue = catalogue
        self._read = {(obs.region, obs.year): obs for obs in result.observations}

    def observation(self, indicator: str, region: str | None, year: int) -> Observation | None:
        """Return the figure the result read for a region (None: city-wide) and year."""
        return self._read.get((region, year))

    def regions_reported(self, indicator: str, year: int) -> tuple[tuple[str, ...], int]:
        """Return no regions: a rule over regions never asks."""
        return (), 0


def _covering(result: Result, matching: Sequence[Matched]) -> dict[str | None, Waiver | None]:
    """Return each region a result fails on (None: city-wide) and the first waiver covering it."""
    return {
        region: next((w for w, named, every in matching if every or named == region), None)
        for region in _at_fault(result)
    }


def _at_fault(result: Result) -> tuple[str | None, ...]:
    """Return the regions a result fails on: those not met, then those not reported.

    None: the city-wide figure.
    """
    missing = tuple(
        str(region)
        for reason in result.reasons
        if reason.code == "regions-missing"
        for region in reason.params.get("regions", ())  # type: ignore[union-attr]
    )
    return tuple(dict.fromkeys((*result.failed_regions, *missing))) or (result.value_region,)


def _unused(waiver: Waiver, result: Result, words: str, regions: Sequence[object] = ()) -> Problem:
    """Return the warning for a waiver that matched a target but was not applied."""
    return Problem.of(
        "waiver-unused",
        source=waiver.source,
        row=waiver.line,
        column="target",
        words=words,
        target=waiver.entry.target,
        status=Word(result.status.value),
        year=result.year,
        regions=Listed(regions),
    )
