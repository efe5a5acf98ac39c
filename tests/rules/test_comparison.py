"""The one comparison every rule kind uses: at least, at most, equals, above, below."""

from __future__ import annotations

import operator
from decimal import Decimal
from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from qcheck.rules.comparison import Comparison, compare, symbol

OPERATORS = {
    "at_least": (operator.ge, "≥"),
    "at_most": (operator.le, "≤"),
    "equals": (operator.eq, "="),
    "above": (operator.gt, ">"),
    "below": (operator.lt, "<"),
}
COMPARISONS: tuple[Comparison, ...] = get_args(Comparison)
NUMBERS = st.decimals(min_value=-1000, max_value=1000, places=2)


def test_every_comparison_is_tested() -> None:
    assert set(COMPARISONS) == set(OPERATORS)


@given(value=NUMBERS, line=NUMBERS, comparison=st.sampled_from(COMPARISONS))
def test_a_comparison_is_the_operator_its_sign_says(
    value: Decimal, line: Decimal, comparison: Comparison
) -> None:
    test, sign = OPERATORS[comparison]
    assert compare(value, comparison, line) is test(value, line)
    assert compare(line, comparison, line) is (comparison in {"at_least", "at_most", "equals"})
    assert symbol(comparison) == sign
