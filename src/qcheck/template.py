"""Blank report templates: the rows a department fills in for the targets it reports on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qcheck.catalogue import Catalogue, Comparison, Decrease, Target


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateRow:
    """One row to fill in: which indicator, year and region, and the unit to use."""

    target: Target
    year: int
    region: str | None


def years_needed(target: Target, *, catalogue: Catalogue, year: int) -> list[int]:
    """Return the years a target's rule reads when evaluating ``year``."""
    rule = target.rule
    if isinstance(rule, Decrease):
        return [rule.baseline_year, year]
    if rule.years == "evaluated":
        return [year]
    start = min(catalogue.plan.start_year, year)
    return list(range(start, year + 1))


def template_rows(
    *, catalogue: Catalogue, year: int, areas: Iterable[str] = (), every_region: bool = False
) -> list[TemplateRow]:
    """Return the rows of a blank report: city-wide rows, and county rows where needed.

    Counties are listed for a rule that averages them; with ``every_region``, for every target.
    """
    wanted = set(areas)
    rows = []
    for target in catalogue.targets:
        if wanted and target.area not in wanted:
            continue
        averaged = (
            isinstance(target.rule, Comparison) and target.rule.aggregate == "mean_of_regions"
        )
        counties = [region.id for region in catalogue.regions]
        regions: list[str | None] = [*counties] if averaged else [None]
        if every_region and not averaged:
            regions += counties
        for needed in years_needed(target, catalogue=catalogue, year=year):
            rows += [TemplateRow(target=target, year=needed, region=region) for region in regions]
    return rows
