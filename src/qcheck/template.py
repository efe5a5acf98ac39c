"""Blank report templates: the rows a department fills in for the targets it reports on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qcheck.catalogue import Catalogue, Target


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateRow:
    """One row to fill in: which indicator, year and region, and the unit to use."""

    target: Target
    year: int
    region: str | None


def template_rows(
    *, catalogue: Catalogue, year: int, areas: Iterable[str] = (), every_region: bool = False
) -> list[TemplateRow]:
    """Return the rows of a blank report: city-wide rows, and county rows where needed.

    Each rule asks for the regions and years it reads; with ``every_region``, every county is
    listed for every target.
    """
    wanted = set(areas)
    rows = []
    for target in catalogue.targets:
        if wanted and target.area not in wanted:
            continue
        regions = list(target.rule.regions_asked(catalogue))
        if every_region:
            regions += [r.id for r in catalogue.regions if r.id not in regions]
        for needed in target.rule.years_asked(catalogue, year):
            rows += [TemplateRow(target=target, year=needed, region=region) for region in regions]
    return rows
