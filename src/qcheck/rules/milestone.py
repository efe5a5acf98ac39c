"""A threshold per year: 2019 年达到 90%, 2020 年达到 95%."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from qcheck.model import Year
from qcheck.rules.comparison import Bound, compare, symbol
from qcheck.rules.figure import FigureRule
from qcheck.rules.units import refuse_outside_unit
from qcheck.verdicts import Reason, Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class Milestone(FigureRule):
    """A figure at least (or at most) a threshold that the plan sets for given years.

    A year is judged against the line of the latest milestone year not after it: a milestone
    reached is to be held, so 2024 is judged against 2023's line until 2025's comes. A year
    before the first milestone is not yet due. With ``years: every`` (or ``every_reported``)
    each year from the first milestone is judged against its own line.
    """

    kind: Literal["milestone"]
    comparison: Bound = "at_least"
    thresholds: dict[Year, Decimal] = Field(min_length=1)

    @property
    def aims_at_due_year(self) -> bool:
        """Each milestone year has its own line: a year is judged against the line in force."""
        return False

    @property
    def first_milestone(self) -> int:
        """Return the year of the first milestone."""
        return min(self.thresholds)

    def line(self, year: int) -> Decimal | None:
        """Return the threshold in force in ``year`` (None before the first milestone)."""
        reached = [step for step in self.thresholds if step <= year]
        return self.thresholds[max(reached)] if reached else None

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a milestone outside the rule's period, or a threshold outside the unit's range."""
        super().check(catalogue, target)
        first, last = self.first(catalogue), self.last(catalogue)
        for year, threshold in sorted(self.thresholds.items()):
            if not first <= year <= last:
                raise ValueError(
                    f"target {target.id!r}: thresholds: the year {year} is outside the "
                    f"rule's period {first}–{last}"
                )
            refuse_outside_unit(catalogue, target, f"thresholds.{year}", threshold)

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read the years the rule reads from the first milestone on (none before it)."""
        return tuple(y for y in super().years_read(catalogue, year) if y >= self.first_milestone)

    def line_not_due(self, year: int) -> Reason | None:
        """Not yet due before the first milestone year."""
        if year < self.first_milestone:
            return Reason(code="before-first-milestone", params={"year": self.first_milestone})
        return None

    def passes(self, value: Value, year: int) -> bool:
        """Compare the figure with the line in force in ``year``."""
        line = self.line(year)
        if isinstance(value, bool) or line is None:
            return False
        return compare(value, self.comparison, line)

    def gap(self, value: Value, year: int) -> Decimal | None:
        """Return the figure less the line in force in ``year``."""
        line = self.line(year)
        return None if isinstance(value, bool) or line is None else value - line

    def edges(self, year: int) -> tuple[Decimal, ...]:
        """Return the line in force in ``year``."""
        line = self.line(year)
        return () if line is None else (line,)

    def describe_test(self, texts: Texts, target: Target) -> str:
        """'2023年≥90%，2025年≥95%' ('≥90% in 2023, ≥95% in 2025' in English)."""
        comparator = symbol(self.comparison)
        steps = (
            texts.label(
                "rule.step",
                year=year,
                line=comparator + texts.number(line, target.unit, places=None),
            )
            for year, line in sorted(self.thresholds.items())
        )
        return texts.join(steps, sep="sep.comma")

    def facts(self) -> dict[str, Any]:
        """Return the comparison and the threshold of each milestone year."""
        return {"comparison": self.comparison, "thresholds": dict(sorted(self.thresholds.items()))}
