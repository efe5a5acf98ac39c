"""At least, at most, equals: a figure against one threshold (达到 X 以上, 控制在 X 以内)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from qcheck.rules.figure import FigureRule
from qcheck.verdicts import Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts

_COMPARATORS = {"at_least": "≥", "at_most": "≤", "equals": "="}


class Threshold(FigureRule):
    """A figure at least, at most or equal to a threshold."""

    kind: Literal["at_least", "at_most", "equals"]
    threshold: Decimal

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a threshold outside its unit's range: no report could meet it."""
        super().check(catalogue, target)
        if target.unit is not None and not catalogue.unit(target.unit).allows(self.threshold):
            raise ValueError(
                f"target {target.id!r}: threshold {self.threshold} is outside the range "
                f"of its unit {target.unit!r}, so no report could meet it"
            )

    def passes(self, value: Value, year: int) -> bool:
        """Compare the figure with the threshold."""
        if isinstance(value, bool):
            return False
        if self.kind == "at_least":
            return value >= self.threshold
        if self.kind == "at_most":
            return value <= self.threshold
        return value == self.threshold

    def gap(self, value: Value, year: int) -> Decimal | None:
        """Return the figure less the threshold."""
        return None if isinstance(value, bool) else value - self.threshold

    def edges(self, year: int) -> tuple[Decimal, ...]:
        """Return the threshold."""
        return (self.threshold,)

    def describe_test(self, texts: Texts, target: Target) -> str:
        """'≥94%'."""
        return _COMPARATORS[self.kind] + texts.number(self.threshold, target.unit, places=None)

    def facts(self) -> dict[str, Any]:
        """Return the threshold."""
        return {"threshold": self.threshold}
