"""What a judgement is: a status, the figures it used and the reasons behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from qcheck.catalogue import Target
    from qcheck.measurements import Origin
    from qcheck.waivers import Waiver

Value = Decimal | bool


@dataclass(frozen=True, slots=True)
class InUnit:
    """A reason's figure in the target's unit; a ``difference`` is in points for a rate.

    A ``signed`` difference (a pace, a year's change) is shown with its sign. A figure is
    shown to two decimals, or as many more as keep it on its side of ``against`` (its line).
    """

    number: Decimal
    difference: bool = False
    signed: bool = False
    against: Decimal | None = None


ReasonParam = str | int | Decimal | InUnit | tuple[str, ...] | tuple[int, ...] | tuple[Decimal, ...]


class Status(str, Enum):
    """The outcome for one target: a verdict in its due year, its progress before it."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    PASS_AT_RISK = "pass_at_risk"  # noqa: S105 - met, but inside the target's warning band
    FAIL = "fail"
    MISSING = "missing"
    ON_TRACK = "on_track"  # before the due year: its pace reaches the line in time
    ON_TRACK_AT_RISK = "on_track_at_risk"  # on track, but projected inside the warning band
    OFF_TRACK = "off_track"  # before the due year: its pace falls short of the line
    NOT_DUE = "not_due"
    WAIVED = "waived"  # not met or missing, but excused by an approved waiver


# How loudly a CI format flags a status: an error fails a check, a warning flags it, a note
# informs, none says nothing.
Severity = Literal["none", "note", "warning", "error"]
# The --fail-on policies, each failing on all the statuses the one before it fails on.
FailOn = Literal["never", "fail", "missing", "warn"]
FAIL_ON: tuple[FailOn, ...] = ("never", "fail", "missing", "warn")


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """What every format needs to know of a status; its words are the language tables' keys.

    ``settled``: whether the figures decided it (a verdict or a projection); ``fails_on``:
    the least strict --fail-on policy that fails the run on it (None: none does); ``rank``:
    how bad it is, for the worst status of a report and for "worse" between two runs.
    """

    symbol: str
    style: str
    emoji: str
    severity: Severity
    settled: bool
    fails_on: FailOn | None
    rank: int


STATUS_FACTS: dict[Status, StatusFacts] = {
    # status: symbol, style, emoji, severity, settled, fails_on, rank
    Status.PASS: StatusFacts("✔", "green", "✅", "none", True, None, 0),
    Status.PASS_AT_RISK: StatusFacts("!", "bold yellow", "🟡", "note", True, "warn", 2),
    Status.FAIL: StatusFacts("✘", "bold red", "❌", "error", True, "fail", 5),
    Status.MISSING: StatusFacts("?", "yellow", "⚠️", "warning", False, "missing", 4),
    Status.ON_TRACK: StatusFacts("↗", "green", "📈", "none", True, None, 0),
    Status.ON_TRACK_AT_RISK: StatusFacts("!", "bold yellow", "🟡", "note", True, "warn", 2),
    Status.OFF_TRACK: StatusFacts("↘", "bold red", "📉", "error", True, "fail", 5),
    Status.NOT_DUE: StatusFacts("…", "cyan", "⏳", "none", False, None, 0),
    Status.WAIVED: StatusFacts("~", "magenta", "🔕", "note", False, None, 3),
}
# The statuses every summary counts, even at zero; the others only where some target has one.
ALWAYS_COUNTED = (Status.PASS, Status.FAIL, Status.MISSING)


def facts(status: Status) -> StatusFacts:
    """Return what every format needs to know of ``status``."""
    return STATUS_FACTS[status]


def fails(status: Status, fail_on: FailOn) -> bool:
    """Whether a result of ``status`` fails a run under the ``fail_on`` policy."""
    least = STATUS_FACTS[status].fails_on
    return least is not None and FAIL_ON.index(fail_on) >= FAIL_ON.index(least)


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
class Progress:
    """The working of a judgement before the due year: linear pace (序时进度) towards the line.

    ``required_pace`` is the yearly change from the baseline that reaches ``line`` in
    ``due_year``; ``actual_pace`` the yearly change made from the baseline to ``latest``;
    ``projected`` the figure of ``due_year`` at that pace. ``ratio`` is actual / required, None
    where nothing is required (the baseline met the line already). Without a baseline (nothing
    reported before ``latest_year``) no pace is known: those fields are None.
    """

    method: Literal["linear"] = "linear"
    base_year: int | None
    baseline: Decimal | None
    latest_year: int
    latest: Decimal
    due_year: int
    line: Decimal
    required_pace: Decimal | None = None
    actual_pace: Decimal | None = None
    ratio: Decimal | None = None
    projected: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The verdict on one target and the working behind it.

    ``value_region`` names the region whose figure ``value`` is, where a rule reads several.
    ``pairs`` are the numbers whose order the shown figures must keep (the value and its
    threshold, say): a value of 93.99999 for a target of 94 must never be shown as 94.
    ``progress`` is the working of a judgement on pace, before the target's due year.
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
    waived_status: Status | None = None  # a waived result's status without its waiver
    waiver: Waiver | None = None  # the waiver that excuses it (the first, if several do)
    progress: Progress | None = None
