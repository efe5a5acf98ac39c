"""Rules that test one figure a year: the base of at least, between, achieved and milestones."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from qcheck.rules.base import Absent, Evidence, Figure, read_figure
from qcheck.rules.pace import Aim, assess, baseline_of, inside_band
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

    @property
    def banded(self) -> bool:
        """A figure's test has a band; an answer has none."""
        return not self.answers_yes_no

    @property
    def aims_at_due_year(self) -> bool:
        """Judged on the evaluated year against the due year's line; every year: each year's."""
        return self.years == "evaluated"

    def aim(self) -> Aim | None:
        """Return the line a pace is measured towards (None: this test is not judged on pace)."""
        return None

    def drawn_aim(self, result: Result) -> Aim | None:
        """Return the line a pace is measured towards: the one a chart draws."""
        return self.aim()

    def base_year(self, catalogue: Catalogue) -> int:
        """Return the year a pace is measured from: the year before the rule's period."""
        return self.first(catalogue) - 1

    def paces(self, year: int, due: int) -> bool:
        """Whether ``year``, before the ``due`` year, is judged on its pace towards the line."""
        return self.years == "evaluated" and year < due and self.aim() is not None

    def at_risk(self, value: Value, year: int, band: Decimal | None) -> Reason | None:
        """Return why a passing figure is at risk: it meets the line by less than the band."""
        if band is None or not isinstance(value, Decimal) or not self.banded:
            return None
        margin = self.distance(value, year)
        return inside_band(margin, band) if margin < band else None

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
        for name in ("years", "region", "first_year", "last_year", "baseline_year"):
            if name in self.model_fields_set:
                raise ValueError(
                    f"target {target.id!r}: the test of a regional rule takes no {name!r}; "
                    "set it on the rule"
                )
        period = {"first_year": first, "last_year": last}
        self.model_copy(update=period).check(catalogue, target)

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read the evaluated year (from the base year, on pace), or the period's years up to it."""
        if self.paces(year, self.last(catalogue)):
            return tuple(range(self.base_year(catalogue), year + 1))
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
        """Judge each year read; any failing year fails, any absent year is missing.

        Before the due year, a figure tested against a line is judged on its pace instead.
        """
        catalogue = evidence.catalogue
        band = catalogue.warning_band(target)
        due = self.last(catalogue)
        if self.paces(year, due):
            base = self.base_year(catalogue)
            read = partial(read_figure, evidence, target, self.region)
            return self.judge_pace(target, year, due=due, base=base, read=read, band=band)
        years = self.years_read(catalogue, year)
        judged = years[-1]
        figures = {y: read_figure(evidence, target, self.region, y) for y in years}
        return self.judge_figures(target, year, judged, figures, band=band)

    def judge_pace(
        self,
        target: Target,
        year: int,
        *,
        due: int,
        base: int,
        read: Callable[[int], Figure | Absent],
        band: Decimal | None,
    ) -> Result:
        """Judge the figure of ``year`` on its pace from the figure of ``base`` (see rules.pace).

        A figure absent is missing; an answer (met / not met) has no pace and is judged as is.
        """
        latest = read(year)
        aim = self.aim()
        if aim is None or not isinstance(latest, Figure) or not isinstance(latest.value, Decimal):
            return self.judge_figures(target, year, year, {year: latest}, band=band)
        baseline = baseline_of(read, base, year)
        assessed = assess(aim, latest, baseline, asked=base, due_year=due, band=band)
        figures = assessed.figures
        return Result(
            target=target,
            year=year,
            status=assessed.status,
            value=latest.value,
            value_year=year,
            value_region=self.region,
            gap=self.gap(latest.value, year),
            observations=tuple(obs for fig in figures for obs in fig.observations),
            reasons=tuple(note for fig in figures for note in fig.notes) + assessed.reasons,
            pairs=self.pairs(latest.value, year),
            progress=assessed.progress,
        )

    def judge_figures(
        self,
        target: Target,
        year: int,
        judged: int,
        figures: dict[int, Figure | Absent],
        *,
        band: Decimal | None = None,
    ) -> Result:
        """Judge the figures of the years read, ``judged`` being the year whose value counts.

        A pass by less than ``band`` is at risk.
        """
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
        risk = self.at_risk(current.value, judged, band)
        return base(
            status=Status.PASS if risk is None else Status.PASS_AT_RISK,
            value=current.value,
            value_year=judged,
            value_region=self.region,
            gap=self.gap(current.value, judged),
            reasons=notes if risk is None else (*notes, risk),
            pairs=self.pairs(current.value, judged),
        )

    def pairs(self, value: Value, year: int) -> tuple[tuple[Decimal, Decimal], ...]:
        """Return the value against each line it is judged by, whose order display must keep."""
        if isinstance(value, bool):
            return ()
        return tuple((value, edge) for edge in self.edges(year))
