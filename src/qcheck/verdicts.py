"""What a judgement is: a status, the figures it used and the reasons behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qcheck.catalogue import Target
    from qcheck.measurements import Origin

Value = Decimal | bool


@dataclass(frozen=True, slots=True)
class InUnit:
    """A reason's figure in the target's unit; a ``difference`` is in points for a rate."""

    number: Decimal
    difference: bool = False


ReasonParam = str | int | Decimal | InUnit | tuple[str, ...] | tuple[int, ...] | tuple[Decimal, ...]


class Status(str, Enum):
    """The outcome for one target."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    MISSING = "missing"
    NOT_DUE = "not_due"


@dataclass(frozen=True, slots=True, kw_only=True)
class Observation:
    """A reported figure that a result used."""

    year: int
    region: str | None
    value: Value
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """A machine-readable explanation (code and parameters) that renderers put into words."""

    code: str
    params: dict[str, ReasonParam] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The verdict on one target and the working behind it.

    ``value_region`` names the region whose figure ``value`` is, where a rule reads several.
    ``pairs`` are the numbers whose order the shown figures must keep (the value and its
    threshold, say): a value of 93.99999 for a target of 94 must never be shown as 94.
    """

    target: Target
    status: Status
    year: int
    value: Value | None = None
    value_year: int | None = None
    value_region: str | None = None
    gap: Decimal | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    relative_change: Decimal | None = None
    relative_line: Decimal = Decimal(0)
    failed_years: tuple[int, ...] = ()
    failed_regions: tuple[str, ...] = ()
    observations: tuple[Observation, ...] = ()
    reasons: tuple[Reason, ...] = ()
    pairs: tuple[tuple[Decimal, Decimal], ...] = ()
