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
