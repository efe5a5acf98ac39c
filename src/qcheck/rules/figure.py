"""Rules that test one figure a year: the base of at least, between, achieved and milestones."""

from __future__ import annotations

from abc import abstractmethod
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from qcheck.rules.base import Absent, Evidence, Figure, read_figure
from qcheck.rules.series import OneSeries
from qcheck.verdicts import Reason, Result, Status, Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts

# evaluated: the evaluated year's figure; every_reported: that one, and every earlier year of
# the period that was reported; every: every year of the period, each of them required.
YearsPolicy = Literal["evaluated", "every_reported", "every"]


class FigureRule(OneSeries):
    """A test of one figure a year.

    Used alone, it reads the city-wide figure (or a named region's); a regional rule applies
    it to each county's figure, or to their mean.
    """

    years: YearsPolicy = "evaluated"

    @abstractmethod
    def passes(self, value: Value, year: int) -> bool:
        """Whether a figure of ``year`` meets the rule."""

    @abstractmethod
    def describe_test(self, texts: Texts, target: Target) -> str:
        """Describe what one figure must be: '≥ 94%', 'met'."""

    def gap(self, value: Value, year: int) -> Decimal | None:
        """Return how far a figure is from the rule's line (None where no line applies)."""
        return None

    def distance(self, value: Value, year: int) -> Decimal:
        """Return how far inside (+) or outside (−) the line a figure of ``year`` is.

        Regional rules rank the counties' figures by it. An answer (met / not met) says which
        side of the line a figure is on, not how far: it counts as on the line.
        """
        gap = self.gap(value, year)
        if gap is None:
            return Decimal(0)
        return abs(gap) if self.passes(value, year) else -abs(gap)

    def check_as_test(self, catalogue: Catalogue, target: Target, first: int, last: int) -> None:
        """Check this rule as a regional rule's test, over that rule's period ``first``–``last``.

        Refuse the fields the regional rule sets itself; then check the rest as if the period
        were the test's own, so that a milestone after the rule's last year is refused.
        """
        for name in ("years", "region", "first_year", "last_year"):
            if name in self.model_fields_set:
                raise ValueError(
                    f"target {target.id!r}: the test of a regional rule takes no {name!r}; "
                    "set it on the rule"
                )
        period = {"first_year": first, "last_year": last}
        self.model_copy(update=period).check(catalogue, target)

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read the evaluated year, or the period's years up to it for a rule of every year."""
        year = self.judged_year(catalogue, year)
        if self.years == "evaluated":
            return (year,)
        return tuple(range(min(self.first(catalogue), year), year + 1))

    def all_facts(self) -> dict[str, Any]:
        """Return the rule's facts, with the years it reads where they are set."""
        facts = super().all_facts()
        if self.years != "evaluated":
            facts["years"] = self.years
        return facts

    def describe(self, texts: Texts, target: Target) -> str:
        """Describe the test, with the years it covers."""
        text = self.describe_test(texts, target)
        if self.years != "evaluated":
            text = texts.label(f"rule.{self.years}", test=text)
        return text

    def not_yet_due(self, catalogue: Catalogue, year: int) -> Reason | None:
        """Not yet due before the period, or before the test's own first line."""
        return super().not_yet_due(catalogue, year) or self.line_not_due(
            self.judged_year(catalogue, year)
        )

    def line_not_due(self, year: int) -> Reason | None:
        """Return why a figure of ``year`` has no line to meet yet (None: it has one)."""
        return None

    def judge_due(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Judge each year read; any failing year fails, any absent year is missing."""
        catalogue = evidence.catalogue
        years = self.years_read(catalogue, year)
        judged = years[-1]
        figures = {y: read_figure(evidence, target, self.region, y) for y in years}
        return self.judge_figures(target, year, judged, figures)

    def judge_figures(
        self, target: Target, year: int, judged: int, figures: dict[int, Figure | Absent]
    ) -> Result:
        """Judge the figures of the years read, ``judged`` being the year whose value counts."""
        present = [fig for fig in figures.values() if isinstance(fig, Figure)]
        observations = tuple(obs for fig in figures.values() for obs in fig.observations)
        notes = tuple(note for fig in present for note in fig.notes)
        failing = [fig for fig in present if not self.passes(fig.value, fig.year)]
        if self.years == "every_reported":
            absent = [f for f in figures.values() if isinstance(f, Absent) and f.year == judged]
        else:
            absent = [f for f in figures.values() if isinstance(f, Absent)]
        base = partial(Result, target=target, year=year, observations=observations)
        if failing:
            decisive = failing[0]
            reasons = notes
            if self.years != "evaluated":
                failed = tuple(f.year for f in failing)
                reasons += (Reason(code="failed-years", params={"years": failed}),)
            return base(
                status=Status.FAIL,
                value=decisive.value,
                value_year=decisive.year,
                value_region=self.region,
                gap=self.gap(decisive.value, decisive.year),
                failed_years=tuple(fig.year for fig in failing),
                reasons=reasons,
                pairs=self.pairs(decisive.value, decisive.year),
            )
        current = figures[judged]
        if absent or not isinstance(current, Figure):
            reasons = tuple(reason for fig in absent for reason in fig.reasons)
            if self.years == "every" and len(absent) > 1:
                missing = tuple(fig.year for fig in absent)
                reasons = (Reason(code="years-missing", params={"years": missing}),)
            return base(status=Status.MISSING, reasons=reasons + notes)
        return base(
            status=Status.PASS,
            value=current.value,
            value_year=judged,
            value_region=self.region,
            gap=self.gap(current.value, judged),
            reasons=notes,
            pairs=self.pairs(current.value, judged),
        )

    def pairs(self, value: Value, year: int) -> tuple[tuple[Decimal, Decimal], ...]:
        """Return the value against each line it is judged by, whose order display must keep."""
        if isinstance(value, bool):
            return ()
        return tuple((value, edge) for edge in self.edges(year))
