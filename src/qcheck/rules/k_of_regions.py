"""At least k regions' figures pass a test (六县区中至少 5 个达标)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from qcheck.rules.regional import RegionCount

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class KOfRegions(RegionCount):
    """At least ``k`` of the regions' figures for the evaluated year pass the test.

    Met when k pass, even if others are absent; not met when those passing and those absent
    together are fewer than k; otherwise missing, naming the absent regions. The figure shown
    is, when met, the k-th best region's; when not met, the one that would have had to pass,
    the absent regions counted as passing.
    """

    kind: Literal["k_of_regions"]
    k: int = Field(ge=1)

    def needed(self, catalogue: Catalogue) -> int:
        """Return k."""
        return self.k

    def without(self, catalogue: Catalogue, regions: Collection[str]) -> KOfRegions | None:
        """Return the rule over the other regions, still needing k; None if fewer are left."""
        rule = super().without(catalogue, regions)
        return (
            rule if isinstance(rule, KOfRegions) and len(rule.scope(catalogue)) >= self.k else None
        )

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a k above the number of regions counted: no report could meet it."""
        super().check(catalogue, target)
        count = len(self.scope(catalogue))
        if self.k > count:
            raise ValueError(
                f"target {target.id!r}: k {self.k} is more than the {count} regions counted, "
                "so no report could meet it"
            )

    def describe(self, texts: Texts, target: Target) -> str:
        """'at least 5 of 6 regions ≥80%'."""
        count = len(self.scope(texts.catalogue))
        test = self.test.describe_test(texts, target)
        return texts.label("k_of_regions", k=self.k, count=count, test=test)

    def facts(self) -> dict[str, Any]:
        """Return the test's figures, the regions named, and k."""
        return {**super().facts(), "k": self.k}
