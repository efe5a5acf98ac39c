"""A figure kept within a range: 保持在 85%–95%."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any, Literal

from qcheck.rules.comparison import Comparison, compare, symbol
from qcheck.rules.figure import FigureRule
from qcheck.rules.units import refuse_outside_unit
from qcheck.verdicts import Value

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts

# How a figure inside the range compares with each end, by the ends that count: (low, high).
_INSIDE: dict[str, tuple[Comparison, Comparison]] = {
    "both": ("at_least", "at_most"),
    "low": ("at_least", "below"),
    "high": ("above", "at_most"),
    "neither": ("above", "below"),
}


class Between(FigureRule):
    """A figure from ``low`` to ``high``; both ends count as inside unless ``inclusive`` says.

    ``inclusive`` names the ends that count: ``both`` (the default, as a plan's "85%–95%"
    reads), ``low``, ``high`` or ``neither``.
    """

    kind: Literal["between"]
    low: Decimal
    high: Decimal
    inclusive: Literal["both", "low", "high", "neither"] = "both"

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a range with nothing inside it, and ends outside the unit's range."""
        super().check(catalogue, target)
        if self.low > self.high:
            raise ValueError(
                f"target {target.id!r}: low {self.low} must not be above high {self.high}"
            )
        if self.low == self.high and self.inclusive != "both":
            raise ValueError(
                f"target {target.id!r}: low and high are both {self.low}, so only "
                "inclusive: both leaves a figure inside"
            )
        refuse_outside_unit(catalogue, target, "low", self.low)
        refuse_outside_unit(catalogue, target, "high", self.high)
        whole = target.unit is not None and catalogue.unit(target.unit).integer
        if whole and not any(self.passes(number, 0) for number in self._whole_numbers_near()):
            raise ValueError(
                f"target {target.id!r}: no whole number lies between {self.low} and "
                f"{self.high}, and {target.unit!r} is counted in whole numbers"
            )

    def _whole_numbers_near(self) -> list[Decimal]:
        """Return the whole numbers from just below ``low`` to just above ``high``, at most 3."""
        first = self.low.to_integral_value(rounding=ROUND_FLOOR)
        last = min(self.high.to_integral_value(rounding=ROUND_CEILING), first + 2)
        return [first + step for step in range(int(last - first) + 1)]

    def passes(self, value: Value, year: int) -> bool:
        """Whether the figure lies inside the range, its ends counting as ``inclusive`` says."""
        if isinstance(value, bool):
            return False
        low, high = _INSIDE[self.inclusive]
        return compare(value, low, self.low) and compare(value, high, self.high)

    def gap(self, value: Value, year: int) -> Decimal | None:
        """Return the figure less the nearer end when it is outside the range, else None."""
        if isinstance(value, bool) or self.passes(value, year):
            return None
        return value - (self.low if value <= self.low else self.high)

    def distance(self, value: Value, year: int) -> Decimal:
        """Inside the range: how far the figure is from the nearer end; outside: minus the gap."""
        if isinstance(value, Decimal) and self.passes(value, year):
            return min(value - self.low, self.high - value)
        return super().distance(value, year)

    def edges(self, year: int) -> tuple[Decimal, ...]:
        """Return both ends."""
        return (self.low, self.high)

    def describe_test(self, texts: Texts, target: Target) -> str:
        """'85%–95%', '>85%且≤95%' ('>85% and ≤95%' in English) for an end left out."""
        low_side, high_side = _INSIDE[self.inclusive]
        high = texts.number(self.high, target.unit, places=None)
        if self.inclusive == "both":
            # A word unit is said once, after the range: 100–200 households, but 85%–95%.
            suffix = texts.unit_suffix(target.unit)
            unit = target.unit if suffix == "%" else None
            return texts.number(self.low, unit, places=None) + "–" + high
        low = texts.number(self.low, target.unit, places=None)
        return texts.label(
            "rule.between", low=symbol(low_side) + low, high=symbol(high_side) + high
        )

    def facts(self) -> dict[str, Any]:
        """Return both ends and which of them count as inside."""
        return {"low": self.low, "high": self.high, "inclusive": self.inclusive}
