"""Rule kinds: each module owns one kind; this registry lists them for the targets file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from qcheck.rules.base import RuleKind
from qcheck.rules.change import Change
from qcheck.rules.cumulative import Cumulative
from qcheck.rules.due import Due
from qcheck.rules.every_region import EveryRegion
from qcheck.rules.k_of_regions import KOfRegions
from qcheck.rules.mean import MeanOfRegions
from qcheck.rules.point import POINT_KINDS

# One line per kind that is not a test of one figure (those are listed in rules/point.py).
KINDS: tuple[type[RuleKind], ...] = (
    *POINT_KINDS,
    Change,
    MeanOfRegions,
    Cumulative,
    Due,
    EveryRegion,
    KOfRegions,
)

if TYPE_CHECKING:
    Rule = RuleKind
else:
    from typing import Union

    Rule = Annotated[Union[KINDS], Field(discriminator="kind")]  # noqa: UP007

__all__ = ["KINDS", "Rule", "RuleKind"]
