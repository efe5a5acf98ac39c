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
from qcheck.verdicts import FailOn, Reason, Result, Status, fails
from qcheck.words import Listed, Word

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def _listed(value: object) -> object:
    """Return a year written alone as a list of one: ``year: 2019`` is ``year: [2019]``."""
    return value if isinstance(value, list | tuple) else [value]


Years = Annotated[
    tuple[Year, ...],
    Field(min_length=1),
    BeforeValidator(
        _listed, json_schema_input_type=Year | Annotated[list[Year], Field(min_length=1)]
    ),
]
# The statuses a waiver excuses: those a run fails on under --fail-on missing (not met, off
# track, missing). A pass inside the warning band needs no waiver.
EXCUSED_UNDER: FailOn = "missing"


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

    waivers: tuple[WaiverEntry, ...] = Field(default=(), description="The waivers")


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
        else:
            usable.setdefault(waiver.entry.target, []).append((waiver, *checked))
    results = []
    for result in report.results:
        matching = [
            m for m in usable.get(result.target.id, ()) if m[0].entry.covers_year(result.year)
        ]
        if not matching:
            results.append(result)
            continue
        if not fails(result.status, EXCUSED_UNDER):
            problems += (_unused(w, result, "passed") for w, _, _ in matching)
            results.append(result)
            continue
        covering = _covering(result, matching)
        left = [place(catalogue, region) for region, waiver in covering.items() if waiver is None]
        if left:
            problems += (_unused(w, result, "regions", left) for w, _, _ in matching)
            results.append(result)
        else:
            results.append(waived(result, tuple(w for w in dict.fromkeys(covering.values()) if w)))
    return replace(report, results=tuple(results), problems=(*report.problems, *problems))


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


def _covering(
    result: Result, matching: Sequence[tuple[Waiver, str | None, bool]]
) -> dict[str | None, Waiver | None]:
    """Return each region a result fails on (None: city-wide) and the first waiver covering it."""
    return {
        region: next((w for w, named, every in matching if every or named == region), None)
        for region in _at_fault(result)
    }


def _at_fault(result: Result) -> tuple[str | None, ...]:
    """Return the regions a result fails on (None: the city-wide figure)."""
    if result.failed_regions:
        return result.failed_regions
    missing = tuple(
        str(region)
        for reason in result.reasons
        if reason.code == "regions-missing"
        for region in reason.params.get("regions", ())  # type: ignore[union-attr]
    )
    return missing or (result.value_region,)


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
