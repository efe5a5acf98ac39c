"""A rule's own figures checked against the range of the target's unit."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target


def refuse_outside_unit(catalogue: Catalogue, target: Target, field: str, number: Decimal) -> None:
    """Raise ValueError, naming ``field``, if ``number`` is outside the range of the unit."""
    if target.unit is not None and not catalogue.unit(target.unit).allows(number):
        raise ValueError(
            f"target {target.id!r}: {field} is {number}, outside the range of its unit "
            f"{target.unit!r}, where no reported figure can be"
        )


def refuse_late_baseline(baseline_year: int | None, last: int, target: Target) -> None:
    """Raise ValueError if a baseline year does not precede the rule's last year."""
    if baseline_year is not None and baseline_year >= last:
        raise ValueError(
            f"target {target.id!r}: baseline_year must precede the rule's last year {last} "
            f"(last_year, or the plan's target_year); it is {baseline_year}"
        )
