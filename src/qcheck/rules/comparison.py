"""How a figure is compared with a rule's line: at least, at most, equals, above, below."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

Comparison = Literal["at_least", "at_most", "equals", "above", "below"]
# A bound that a figure reaches or keeps within, as a targets file writes ``comparison``.
Bound = Literal["at_least", "at_most"]

_SYMBOLS: dict[Comparison, str] = {
    "at_least": "≥",
    "at_most": "≤",
    "equals": "=",
    "above": ">",
    "below": "<",
}


def compare(value: Decimal, comparison: Comparison, line: Decimal) -> bool:
    """Whether ``value`` stands as ``comparison`` says against ``line``."""
    if comparison == "at_least":
        return value >= line
    if comparison == "at_most":
        return value <= line
    if comparison == "above":
        return value > line
    if comparison == "below":
        return value < line
    return value == line


def symbol(comparison: Comparison) -> str:
    """Return the sign of a comparison: '≥', '≤', '=', '>', '<'."""
    return _SYMBOLS[comparison]
