"""Achieved or not, as the department states it (达到省内先进水平, 建成, 创建)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from qcheck.rules.figure import FigureRule
from qcheck.verdicts import Value

if TYPE_CHECKING:
    from qcheck.catalogue import Target
    from qcheck.i18n import Texts


class Achieved(FigureRule):
    """A target met or not, answered 达到 / 未达到 (是 / 否, 完成 / 未完成, yes / no).

    ``qualitative`` is the older name of the kind and is still read.
    """

    kind: Literal["achieved", "qualitative"]

    @property
    def answers_yes_no(self) -> bool:
        """A report answers met or not met."""
        return True

    def passes(self, value: Value, year: int) -> bool:
        """Met when the answer is yes."""
        return value is True

    def describe_test(self, texts: Texts, target: Target) -> str:
        """'met'."""
        return texts.label("met")
