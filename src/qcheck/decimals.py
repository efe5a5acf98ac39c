"""Figures as people read them: rounded as Excel shows them, written without exponents."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

FIGURE_DIGITS = 15  # the significant digits Excel shows of a figure


def held(number: Decimal) -> Decimal:
    """Round a figure as Excel shows it: 93.9999999999999999 -> 94.

    Excel holds the double nearest to what was typed and shows it to 15 significant digits;
    the double's exact value is rounded, not the text, so that a figure typed into a CSV file
    reads as the same figure typed into a workbook (93.99999999999995 is a double just below
    it, so 93.9999999999999).
    """
    if not number.is_finite() or len(number.as_tuple().digits) <= FIGURE_DIGITS:
        return number
    double = float(number)
    exact = Decimal(double) if math.isfinite(double) else number
    exponent = exact.adjusted() - FIGURE_DIGITS + 1
    return exact.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)


def plain_decimal(number: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: 95.50 -> 95.5, 1E+2 -> 100."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text
