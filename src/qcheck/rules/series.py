"""Rules that read one series of figures: the city-wide one, or a named region's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qcheck.model import Identifier
from qcheck.rules.base import RuleKind

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class OneSeries(RuleKind):
    """A rule on the city-wide figures, or with ``region`` on one region's (甘州区创建示范县)."""

    region: Identifier | None = None

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a named region the catalogue does not define."""
        super().check(catalogue, target)
        if self.region is not None and self.region not in {r.id for r in catalogue.regions}:
            raise ValueError(f"target {target.id!r}: unknown region {self.region!r}")

    def regions_read(self, catalogue: Catalogue) -> tuple[str | None, ...]:
        """Read the named region, or the city-wide figure."""
        return (self.region,)

    def all_facts(self) -> dict[str, Any]:
        """Return the rule's facts, with its region where one is named."""
        facts = super().all_facts()
        if self.region is not None:
            facts["region"] = self.region
        return facts

    def described(self, texts: Texts, target: Target) -> str:
        """Describe the rule after the region it reads: '东区 ≥90%'."""
        text = super().described(texts, target)
        if self.region is None:
            return text
        return texts.label("rule.of_region", region=texts.region_name(self.region), text=text)
