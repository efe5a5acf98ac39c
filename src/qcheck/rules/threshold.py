"""At least, at most, equals: a figure against one threshold (达到 X 以上, 控制在 X 以内)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from qcheck.model import Year
from qcheck.rules.comparison import compare, symbol
from qcheck.rules.figure import FigureRule
from qcheck.rules.pace import Aim
from qcheck.rules.units import refuse_late_baseline, refuse_outside_unit
from qcheck.verdicts import Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class Threshold(FigureRule):
    """A figure at least, at most or equal to a threshold.

    With ``answer_accepted``, a department may answer 达到 / 未达到 (met / not met) instead:
    for a rate the plan states as 均达到 rather than as a figure. Before the due year the
    evaluated year's figure is judged on its pace from ``baseline_year`` (by default the year
    before the rule's period: the plan's ``start_year``).
    """

    kind: Literal["at_least", "at_most", "equals"]
    threshold: Decimal
    # A rate the plan states as 均达到 (every one meets it): a department may answer 达到.
    answer_accepted: bool = False
    baseline_year: Year | None = None

    @property
    def banded(self) -> bool:
        """At least and at most have a band; no figure meets an ``equals`` line by a margin."""
        return self.kind != "equals"

    def aim(self) -> Aim:
        """Return the threshold, as the line a pace is measured towards."""
        return Aim(self.kind, self.threshold)

    def base_year(self, catalogue: Catalogue) -> int:
        """Return ``baseline_year``, or the year before the rule's period."""
        return super().base_year(catalogue) if self.baseline_year is None else self.baseline_year

    @property
    def accepts_yes_no(self) -> bool:
        """Whether a department may answer 达到 / 未达到 instead of giving the figure."""
        return self.answer_accepted

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a threshold outside its unit's range: where no reported figure can be."""
        super().check(catalogue, target)
        refuse_outside_unit(catalogue, target, "threshold", self.threshold)
        refuse_late_baseline(self.baseline_year, self.last(catalogue), target)
        whole = target.unit is not None and catalogue.unit(target.unit).integer
        if whole and self.kind == "equals" and self.threshold != self.threshold.to_integral_value():
            raise ValueError(
                f"target {target.id!r}: threshold {self.threshold} is no whole number, and "
                f"{target.unit!r} is counted in whole numbers: no report could equal it"
            )

    def passes(self, value: Value, year: int) -> bool:
        """Compare the figure with the threshold."""
        if isinstance(value, bool):
            return value and self.answer_accepted
        return compare(value, self.kind, self.threshold)

    def gap(self, value: Value, year: int) -> Decimal | None:
        """Return the figure less the threshold."""
        return None if isinstance(value, bool) else value - self.threshold

    def edges(self, year: int) -> tuple[Decimal, ...]:
        """Return the threshold."""
        return (self.threshold,)

    def describe_test(self, texts: Texts, target: Target) -> str:
        """'≥94%'."""
        return symbol(self.kind) + texts.number(self.threshold, target.unit, places=None)

    def facts(self) -> dict[str, Any]:
        """Return the threshold, and the baseline year of its pace where one is set."""
        facts: dict[str, Any] = {"threshold": self.threshold}
        if self.baseline_year is not None:
            facts["baseline_year"] = self.baseline_year
        return facts
