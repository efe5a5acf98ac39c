"""The mean of the counties' figures (六县区平均), unweighted unless weights are given."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from qcheck.decimals import held
from qcheck.model import Identifier, Year
from qcheck.rules.base import Absent, Evidence, Figure, read_figure
from qcheck.rules.regional import OverRegions
from qcheck.rules.units import refuse_late_baseline
from qcheck.verdicts import InUnit, Reason, ReasonParam, Result

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts

# A reported mean may be rounded to one decimal; a larger difference is worth a note.
MEAN_TOLERANCE = Decimal("0.05")


class MeanOfRegions(OverRegions):
    """A test applied to the mean of the regions' figures for the evaluated year.

    Which figure is judged, in every combination of rows:
    - every region reported: their mean, computed (a reported city-wide mean is kept beside
      it, and a difference of 0.05 or more is told);
    - a region missing and a city-wide row given: the city-wide row, as the reported mean,
      naming the regions missing;
    - a region missing and no city-wide row: missing, naming the regions.
    The result's reasons say which figure the verdict used.

    With ``regions`` naming only some of the catalogue's regions, a city-wide row is not their
    mean (it covers the whole city): it is never used, and a region missing is missing with a
    reason saying why the city-wide row was not used.
    """

    kind: Literal["mean_of_regions"]
    weights: dict[Identifier, Decimal] | None = None
    # Before the due year, the mean's pace is measured from this year's mean (by default the
    # year before the rule's period).
    baseline_year: Year | None = None

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a test that takes met / not met, and weights not one per region above zero."""
        super().check(catalogue, target)
        if self.test.accepts_yes_no:
            raise ValueError(f"target {target.id!r}: met / not met answers have no mean")
        refuse_late_baseline(self.baseline_year, self.last(catalogue), target)
        if self.weights is not None:
            scope = self.scope(catalogue)
            if outside := [r for r in self.weights if r not in scope]:
                raise ValueError(
                    f"target {target.id!r}: weights: {outside[0]!r} is not one of the regions "
                    "averaged"
                )
            if missing := [r for r in scope if r not in self.weights]:
                raise ValueError(f"target {target.id!r}: weights: no weight for {missing[0]!r}")
            if any(weight <= 0 for weight in self.weights.values()):
                raise ValueError(f"target {target.id!r}: weights must be above zero")

    def regions_read(self, catalogue: Catalogue) -> tuple[str | None, ...]:
        """Every region averaged, and the city-wide row a department may give as their mean."""
        scope = self.scope(catalogue)
        return (*scope, None) if self._averages_all(catalogue) else scope

    def _averages_all(self, catalogue: Catalogue) -> bool:
        """Whether the mean covers every region, so a city-wide row may stand for it."""
        return set(self.scope(catalogue)) == {region.id for region in catalogue.regions}

    def base_year(self, catalogue: Catalogue) -> int:
        """Return the year the mean's pace is measured from."""
        return self.first(catalogue) - 1 if self.baseline_year is None else self.baseline_year

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read the evaluated year, and before the due year the years from the base year."""
        if self.test.paces(year, self.last(catalogue)):
            return tuple(range(self.base_year(catalogue), year + 1))
        return super().years_read(catalogue, year)

    def regions_asked(self, catalogue: Catalogue) -> tuple[str | None, ...]:
        """Ask for each region's figure: the mean is worked out from them."""
        return self.scope(catalogue)

    def describe(self, texts: Texts, target: Target) -> str:
        """'mean of 6 regions ≥82%', 'weighted mean of 6 regions ≥82%'."""
        count = len(self.scope(texts.catalogue))
        key = "weighted_mean_of" if self.weights else "mean_of"
        test = self.test.describe_test(texts, target)
        return texts.label("rule.mean", mean=texts.label(key, count=count), test=test)

    def facts(self) -> dict[str, Any]:
        """Return the test's kind and figures, the regions named, their weights and base year."""
        facts = {**super().facts(), "weights": self.weights}
        if self.baseline_year is not None:
            facts["baseline_year"] = self.baseline_year
        return facts

    def judge_due(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Judge the mean of the regions' figures (or the reported mean) with the test.

        Before the due year, on the pace of the mean from the base year's.
        """
        catalogue = evidence.catalogue
        band = catalogue.warning_band(target)
        due = self.last(catalogue)
        if self.test.paces(year, due):
            base = self.base_year(catalogue)
            read = partial(self._mean, target, evidence)
            return self.test.judge_pace(target, year, due=due, base=base, read=read, band=band)
        judged = self.judged_year(catalogue, year)
        figure = self._mean(target, evidence, judged)
        return self.test.judge_figures(target, year, judged, {judged: figure}, band=band)

    def _mean(self, target: Target, evidence: Evidence, year: int) -> Figure | Absent:
        catalogue = evidence.catalogue
        scope = self.scope(catalogue)
        found = [read_figure(evidence, target, region, year) for region in scope]
        present = [fig for fig in found if isinstance(fig, Figure)]
        city = evidence.observation(target.id, None, year)
        unread: tuple[Reason, ...] = ()
        if city is not None and not self._averages_all(catalogue):
            params: dict[str, ReasonParam] = {"year": year, "count": len(scope)}
            unread, city = (Reason(code="city-value-not-mean", params=params),), None
        observations = tuple(obs for fig in present for obs in fig.observations)
        if len(present) == len(found):
            exact = self._average(scope, present)
            mean = held(Decimal(exact.numerator) / Decimal(exact.denominator))
            code = "weighted-mean-of-regions" if self.weights else "mean-of-regions"
            notes = [Reason(code=code, params={"count": len(present), "year": year})]
            if city is not None:
                observations += (city,)
                if isinstance(city.value, Decimal) and abs(city.value - mean) >= MEAN_TOLERANCE:
                    params = {
                        "year": year,
                        "reported": InUnit(city.value),
                        "computed": InUnit(mean),
                    }
                    notes.append(Reason(code="reported-mean-differs", params=params))
            return Figure(year, mean, observations, tuple(notes), exact=exact)
        absent = tuple(r for r, fig in zip(scope, found, strict=True) if isinstance(fig, Absent))
        if city is not None:
            if present:
                note = Reason(code="reported-mean-used", params={"year": year, "regions": absent})
            else:
                note = Reason(code="city-value-as-mean", params={"year": year})
            return Figure(year, city.value, (*observations, city), (note,))
        if present:
            reason = Reason(code="regions-missing", params={"year": year, "regions": absent})
            return Absent(year, (reason, *unread), observations)
        return Absent(year, (Reason(code="no-value", params={"year": year}), *unread))

    def _average(self, scope: tuple[str, ...], present: list[Figure]) -> Fraction:
        """Return the (weighted) mean of the counties' figures, exactly."""
        values = [fig.number() for fig in present]
        if self.weights is None:
            return sum(values, Fraction(0)) / len(values)
        weights = [Fraction(self.weights[region]) for region in scope]
        total = sum((w * v for w, v in zip(weights, values, strict=True)), Fraction(0))
        return total / sum(weights, Fraction(0))
