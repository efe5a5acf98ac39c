"""What every rule kind owns: the figures it reads, how it judges them and how it says so."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from qcheck.model import Frozen, Year
from qcheck.verdicts import Observation, Reason, ReasonParam, Result, Status, Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts
    from qcheck.rules.pace import Aim


class Evidence(Protocol):
    """The figures of one dataset, as a rule reads them."""

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue the figures were checked against."""

    def observation(self, indicator: str, region: str | None, year: int) -> Observation | None:
        """Return the figure reported for an indicator, region (None: city-wide) and year."""

    def regions_reported(self, indicator: str, year: int) -> tuple[tuple[str, ...], int]:
        """Return the regions that reported an indicator for a year (some named, and the rest)."""


@dataclass(frozen=True)
class Figure:
    """The value a rule judges for one year (and region), and the observations behind it."""

    year: int
    value: Value
    observations: tuple[Observation, ...]
    notes: tuple[Reason, ...] = ()
    # The value exactly, where ``value`` is held to 15 digits (a mean of 6 counties: 488 / 6).
    exact: Fraction | None = None

    def number(self) -> Fraction:
        """Return the value exactly, a number: an answer (met / not met) has none."""
        if not isinstance(self.value, Decimal):
            raise TypeError("a met / not met answer has no number")
        return self.exact if self.exact is not None else Fraction(self.value)


@dataclass(frozen=True)
class Absent:
    """Why no value could be formed for one year (and region)."""

    year: int
    reasons: tuple[Reason, ...]
    observations: tuple[Observation, ...] = ()


def read_figure(
    evidence: Evidence, target: Target, region: str | None, year: int
) -> Figure | Absent:
    """Return one reported figure, or why it is absent (naming the counties given instead)."""
    observation = evidence.observation(target.id, region, year)
    if observation is not None:
        return Figure(year, observation.value, (observation,))
    if region is None:
        regions, others = evidence.regions_reported(target.id, year)
        if regions:
            params: dict[str, ReasonParam] = {"year": year, "regions": regions}
            if others > 0:
                params["others"] = others
            return Absent(year, (Reason(code="no-city-value", params=params),))
        return Absent(year, (Reason(code="no-value", params={"year": year}),))
    params = {"year": year, "regions": (region,)}
    return Absent(year, (Reason(code="regions-missing", params=params),))


class RuleKind(Frozen, ABC):
    """A kind of target: a subclass owns its fields, its reading, its judgement and its words.

    The period a rule reads runs from ``first_year`` to ``last_year``; each defaults to the
    plan's.
    """

    kind: str
    first_year: Year | None = None
    last_year: Year | None = None

    @property
    def answers_yes_no(self) -> bool:
        """Whether a report answers met / not met for this rule, rather than giving a number."""
        return False

    @property
    def accepts_yes_no(self) -> bool:
        """Whether a report may answer met / not met (达到 / 未达到) for this rule.

        A rule that asks for the answer takes it; a kind that also takes it instead of its figure
        says so. A rule wrapping another (a regional rule's test) must pass both through.
        """
        return self.answers_yes_no

    @property
    def banded(self) -> bool:
        """Whether a warning band applies: a figure meeting a line by at least, at most or a range.

        An ``equals`` line, an answer (met / not met) and a total have none.
        """
        return False

    @property
    def aims_at_due_year(self) -> bool:
        """Whether a year before the last is judged against the line of the last.

        Such a year's miss is no failure yet: the line is for the due year. A rule that sets
        a line for each year (every year, milestones) or settles early (a total, a due date)
        judges its years as they come.
        """
        return False

    def first(self, catalogue: Catalogue) -> int:
        """Return the first year of the rule's period."""
        return self.first_year if self.first_year is not None else catalogue.plan.start_year

    def last(self, catalogue: Catalogue) -> int:
        """Return the last year of the rule's period."""
        return self.last_year if self.last_year is not None else catalogue.plan.target_year

    def due_year(self, catalogue: Catalogue) -> int:
        """Return the year the target is finally judged in: the last of the rule's period."""
        return self.last(catalogue)

    def judged_year(self, catalogue: Catalogue, year: int) -> int:
        """Return the year whose figures decide when evaluating ``year``: at most the last."""
        return min(year, self.last(catalogue))

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Raise ValueError, naming the field, where no report could be judged by this rule.

        The period lies within the plan's years: a year outside them is one no report is asked
        for, so a rule reading it would be not yet due (or missing) for ever.
        """
        plan = catalogue.plan
        for field, year in (("first_year", self.first_year), ("last_year", self.last_year)):
            if year is not None and not plan.start_year <= year <= plan.target_year:
                raise ValueError(
                    f"target {target.id!r}: {field} {year} is outside the plan's years "
                    f"{plan.start_year}–{plan.target_year}"
                )
        first, last = self.first(catalogue), self.last(catalogue)
        if first > last:
            raise ValueError(f"target {target.id!r}: first_year {first} is after last_year {last}")

    @abstractmethod
    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Return the years whose figures the rule reads when evaluating ``year``."""

    def regions_read(self, catalogue: Catalogue) -> tuple[str | None, ...]:
        """Return the regions whose figures the rule reads (None: the city-wide figure)."""
        return (None,)

    def regions_asked(self, catalogue: Catalogue) -> tuple[str | None, ...]:
        """Return the regions a blank report lists for this rule (those it reads, by default)."""
        return self.regions_read(catalogue)

    def regions_together(self, catalogue: Catalogue) -> tuple[str, ...]:
        """Return the regions whose figures are judged together (none: one figure is judged)."""
        return ()

    @property
    def judges_each_region(self) -> bool:
        """Whether each region of regions_together is judged: one failing fails (or counts)."""
        return False

    def without(self, catalogue: Catalogue, regions: Collection[str]) -> RuleKind | None:
        """Return the rule judging the regions of regions_together but ``regions``.

        None if no figures of those left could meet it.
        """
        return self

    def years_asked(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Return the years a blank report for ``year`` lists: none while the rule is not due."""
        return () if self.not_yet_due(catalogue, year) else self.years_read(catalogue, year)

    def not_yet_due(self, catalogue: Catalogue, year: int) -> Reason | None:
        """Return why the rule does not judge ``year`` yet (None: it does)."""
        first = self.first(catalogue)
        return Reason(code="before-period", params={"year": first}) if year < first else None

    def judge(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Return the verdict on ``target`` for ``year``: not yet due, or as the kind judges."""
        reason = self.not_yet_due(evidence.catalogue, year)
        if reason is not None:
            kept = self.read_before_due(target, evidence, year)
            return Result(
                target=target,
                year=year,
                status=Status.NOT_DUE,
                reasons=(reason,),
                observations=kept,
            )
        result = self.judge_due(target, evidence, year)
        due = self.last(evidence.catalogue)
        if result.status is Status.FAIL and year < due and self.aims_at_due_year:
            # Judged against the due year's line a year early: not yet due, the figure shown.
            early = Reason(code="not-met-yet", params={"year": year, "due": due})
            # No year or region "broke" a rule not yet due: those fields say so only of a fail.
            return replace(
                result,
                status=Status.NOT_DUE,
                reasons=(early, *result.reasons),
                failed_years=(),
                failed_regions=(),
            )
        return result

    def read_before_due(
        self, target: Target, evidence: Evidence, year: int
    ) -> tuple[Observation, ...]:
        """Return figures a rule not yet due reads already: later years' verdicts need them."""
        return ()

    @abstractmethod
    def judge_due(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Return the verdict on ``target`` for ``year``, a year the rule judges."""

    # The labels of a yes / no answer to the rule: met / not met, or done / not done.
    answer_labels: ClassVar[tuple[str, str]] = ("met", "not_met")
    # Whether describe() already names the rule's period (a total over years does).
    states_period: ClassVar[bool] = False

    def described(self, texts: Texts, target: Target) -> str:
        """Describe the rule, and its period where the targets file sets one: '≥94%（2023年起）'."""
        text = self.describe(texts, target)
        if self.states_period or (self.first_year is None and self.last_year is None):
            return text
        if self.first_year is not None and self.last_year is not None:
            key = "rule.from_until"
        elif self.first_year is not None:
            key = "rule.from"
        else:
            key = "rule.until"
        return texts.label(key, text=text, first=self.first_year, last=self.last_year)

    @abstractmethod
    def describe(self, texts: Texts, target: Target) -> str:
        """Describe the rule in a few words in the language of ``texts``: '≥ 94%'."""

    def all_facts(self) -> dict[str, Any]:
        """Return the kind's facts, and the rule's own period where the targets file sets one."""
        period = {"first_year": self.first_year, "last_year": self.last_year}
        return {**{key: year for key, year in period.items() if year is not None}, **self.facts()}

    def facts(self) -> dict[str, Any]:
        """Return the rule's own figures for machine-readable output (JSON)."""
        return {}

    def drawn_aim(self, result: Result) -> Aim | None:
        """Return the one line a chart draws a result's figure against, and how it is met.

        None where there is no one line (a range, a milestone, an answer): a chart then draws
        ``edges``.
        """
        return None

    def edges(self, year: int) -> tuple[Decimal, ...]:
        """Return the lines a single reported figure of ``year`` is judged against.

        Only those: a credible figure must be able to reach them (``plausible`` is checked
        against them) and a figure is shown with enough places to tell it from them. A number
        the rule forms from several figures, such as a total, is none of them; its result's
        ``pairs`` carry the line it is shown against.
        """
        return ()
