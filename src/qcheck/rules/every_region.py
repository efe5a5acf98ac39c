"""Every region's figure passes a test (各县区均达到 80%)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from qcheck.rules.regional import RegionCount

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class EveryRegion(RegionCount):
    """Each region's figure for the evaluated year passes the test.

    Any region failing: not met, naming the failing regions; else any region absent:
    missing, naming the absent ones; else met. The figure shown is the weakest region's.
    """

    kind: Literal["every_region"]

    def needed(self, catalogue: Catalogue) -> int:
        """Every region counted."""
        return len(self.scope(catalogue))

    def describe(self, texts: Texts, target: Target) -> str:
        """'each of 6 regions ≥80%'."""
        count = len(self.scope(texts.catalogue))
        test = self.test.describe_test(texts, target)
        return texts.label("every_region_of", count=count, test=test)
