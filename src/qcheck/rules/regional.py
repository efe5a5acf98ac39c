"""Rules over the regions' figures: the base of their mean, and of counts of those passing."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qcheck.model import Identifier
from qcheck.rules.base import Evidence, Figure, RuleKind, read_figure
from qcheck.rules.point import PointTest
from qcheck.verdicts import Reason, ReasonParam, Result, Status

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.rules.pace import Aim


class OverRegions(RuleKind):
    """A test applied to the regions' figures for the evaluated year, or to their mean."""

    test: PointTest
    regions: tuple[Identifier, ...] = ()

    @property
    def answers_yes_no(self) -> bool:
        """Whatever the test asks for."""
        return self.test.answers_yes_no

    @property
    def accepts_yes_no(self) -> bool:
        """Whatever the test accepts: a threshold may take 达到 / 未达到 from each county."""
        return self.test.accepts_yes_no

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a test unfit for this rule's period, and regions unknown or named twice."""
        super().check(catalogue, target)
        self.test.check_as_test(catalogue, target, self.first(catalogue), self.last(catalogue))
        known = {region.id for region in catalogue.regions}
        if not known:
            raise ValueError(f"target {target.id!r} reads regions, but none are defined")
        if unknown := [region for region in self.regions if region not in known]:
            raise ValueError(f"target {target.id!r}: regions: unknown region {unknown[0]!r}")
        if twice := [region for i, region in enumerate(self.regions) if region in self.regions[:i]]:
            raise ValueError(f"target {target.id!r}: regions: {twice[0]!r} is named twice")

    @property
    def banded(self) -> bool:
        """Whether the test has a band."""
        return self.test.banded

    @property
    def aims_at_due_year(self) -> bool:
        """Whether the test's line is the due year's (a milestone's is each year's own)."""
        return self.test.aims_at_due_year

    def scope(self, catalogue: Catalogue) -> tuple[str, ...]:
        """Return the regions read: those named, or every region of the catalogue."""
        return self.regions or tuple(region.id for region in catalogue.regions)

    def regions_together(self, catalogue: Catalogue) -> tuple[str, ...]:
        """Return the regions of its scope: their figures, or their mean, are judged."""
        return self.scope(catalogue)

    def without(self, catalogue: Catalogue, regions: Collection[str]) -> OverRegions | None:
        """Return the rule over the regions of its scope but ``regions`` (some must be left)."""
        kept = tuple(region for region in self.scope(catalogue) if region not in regions)
        return self.model_copy(update={"regions": kept})

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read the evaluated year."""
        return (self.judged_year(catalogue, year),)

    def facts(self) -> dict[str, Any]:
        """Return the test's kind and figures, and the regions named (None: every region)."""
        return {"test": self.test.kind, **self.test.facts(), "regions": self.regions or None}

    def drawn_aim(self, result: Result) -> Aim | None:
        """Return the test's line."""
        return self.test.drawn_aim(result)

    def edges(self, year: int) -> tuple[Decimal, ...]:
        """Return the test's lines."""
        return self.test.edges(year)

    def not_yet_due(self, catalogue: Catalogue, year: int) -> Reason | None:
        """Not yet due before the period, or before the test has a line for the year judged."""
        return super().not_yet_due(catalogue, year) or self.test.line_not_due(
            self.judged_year(catalogue, year)
        )


class RegionCount(OverRegions):
    """A test applied to each region's figure for the evaluated year; enough must pass.

    A city-wide row is no region's figure and is not read. The regions are ranked, those
    passing first (furthest inside the test's line first), then those failing (nearest to
    it first). With ``needed`` of them to pass and the absent counted as if they passed:
    - at least ``needed`` pass: met; the figure shown is the ``needed``-th best;
    - fewer than ``needed`` pass even counting the absent: not met; the figure shown is the
      best of those failing that would still have to pass;
    - otherwise missing, naming the absent regions.
    The figure shown is named by its region; the reasons say how many passed of how many and
    name the failing regions, with their figures, and the absent ones.
    """

    @abstractmethod
    def needed(self, catalogue: Catalogue) -> int:
        """Return how many regions must pass."""

    @property
    def judges_each_region(self) -> bool:
        """Each region's figure is judged by the test."""
        return True

    def regions_read(self, catalogue: Catalogue) -> tuple[str | None, ...]:
        """Read each region counted, and no city-wide row."""
        return self.scope(catalogue)

    def judge_due(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Count the regions whose figure for the evaluated year passes the test."""
        catalogue = evidence.catalogue
        (judged,) = self.years_read(catalogue, year)
        scope = self.scope(catalogue)
        found = [(region, read_figure(evidence, target, region, judged)) for region in scope]
        present = [(region, fig) for region, fig in found if isinstance(fig, Figure)]
        absent = tuple(region for region, fig in found if not isinstance(fig, Figure))
        passing = {region for region, fig in present if self.test.passes(fig.value, judged)}
        failed = tuple(region for region, _ in present if region not in passing)
        ranks = {region: self._rank(fig, region in passing) for region, fig in present}
        ranked = sorted(present, key=lambda item: ranks[item[0]])
        needed = self.needed(catalogue)
        result = Result(
            target=target,
            year=year,
            status=Status.MISSING,
            failed_regions=failed,
            observations=tuple(obs for _, fig in present for obs in fig.observations),
            reasons=_reasons(judged, len(scope), len(passing), present, failed, absent),
        )
        if len(passing) >= needed:
            status, shown = Status.PASS, needed - 1
        elif len(passing) + len(absent) < needed:
            status, shown = Status.FAIL, needed - len(absent) - 1
        else:
            return result
        # Of regions whose figures rank alike, the first named is shown.
        region, figure = next(item for item in ranked if ranks[item[0]] == ranks[ranked[shown][0]])
        band = catalogue.warning_band(target)
        if status is Status.PASS and (risk := self.test.at_risk(figure.value, judged, band)):
            # The figure shown is the weakest of those needed: inside the band, all are at risk.
            status = Status.PASS_AT_RISK
            result = replace(result, reasons=(*result.reasons, risk))
        return self._shown(result, status, region, figure)

    def _rank(self, figure: Figure, passes: bool) -> tuple[bool, Decimal]:
        """Rank passing figures first, furthest inside first; then failing ones, nearest first."""
        return (not passes, -self.test.distance(figure.value, figure.year))

    def _shown(self, result: Result, status: Status, region: str, figure: Figure) -> Result:
        """Return ``result`` with ``status`` and the figure of ``region`` that decided it."""
        value = figure.value
        return replace(
            result,
            status=status,
            value=value,
            value_year=figure.year,
            # Every region that met gave the same answer: naming one of them would mislead.
            value_region=None if value is True else region,
            gap=self.test.gap(value, figure.year),
            pairs=self.test.pairs(value, figure.year),
        )


def _reasons(
    year: int,
    count: int,
    passed: int,
    present: list[tuple[str, Figure]],
    failed: tuple[str, ...],
    absent: tuple[str, ...],
) -> tuple[Reason, ...]:
    """Say how many regions passed of how many, and name those failing and those absent."""
    reasons = []
    if present:
        params: dict[str, ReasonParam] = {"year": year, "passed": passed, "count": count}
        reasons.append(Reason(code="regions-passed", params=params))
    if failed:
        params = {"year": year, "regions": failed}
        values = [fig.value for region, fig in present if region in failed]
        figures = tuple(value for value in values if isinstance(value, Decimal))
        if len(figures) == len(values):  # a met / not met answer needs no figure
            params["figures"] = figures
        reasons.append(Reason(code="regions-failed", params=params))
    if absent:
        reasons.append(Reason(code="regions-missing", params={"year": year, "regions": absent}))
    return tuple(reasons)
