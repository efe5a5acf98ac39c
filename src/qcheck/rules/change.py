"""A rise or a fall against a baseline year: 明显下降, 比 2020 年增长 20%, 下降 3 个百分点."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from qcheck.decimals import held, plain_decimal
from qcheck.model import Year
from qcheck.rules.base import Absent, Evidence, read_figure
from qcheck.rules.comparison import symbol
from qcheck.rules.pace import Aim, assess
from qcheck.rules.series import OneSeries
from qcheck.rules.units import refuse_late_baseline
from qcheck.verdicts import InUnit, Observation, Reason, Result, Status

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class Change(OneSeries):
    """A figure that must fall (or rise) from its value in a baseline year.

    ``by`` is the least change asked for: a percentage of the baseline (``measure: relative``)
    or an amount in the target's unit (``absolute``; percentage points for a rate). With
    ``by: 0`` any change in the right direction, however small, meets the rule. A relative
    change is a percentage of the baseline's size, so that a rise from a negative baseline
    (-10 to -8) is a rise of 20%. The baseline year is not yet due: it is the year compared
    with, from the next year on.
    """

    kind: Literal["decrease", "increase"]
    baseline_year: Year
    by: Decimal = Field(default=Decimal(0), ge=0)
    measure: Literal["relative", "absolute"] = "relative"

    @property
    def banded(self) -> bool:
        """A figure below (above) its line by less than the band is at risk."""
        return True

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a baseline not before the rule's last year, and changes no figure could make."""
        super().check(catalogue, target)
        refuse_late_baseline(self.baseline_year, self.last(catalogue), target)
        if self.kind == "decrease" and self.measure == "relative" and self.by >= 100:
            # A fall of 100% or more would need a figure of zero or less.
            raise ValueError(
                f"target {target.id!r}: a decrease by {self.by}% must be less than 100%, "
                "or no report could meet it"
            )
        if self.measure == "absolute" and target.unit is not None:
            unit = catalogue.unit(target.unit)
            if unit.minimum is not None and unit.maximum is not None:
                span = unit.maximum - unit.minimum
                if self.by > span:
                    raise ValueError(
                        f"target {target.id!r}: by {plain_decimal(self.by)} is more than the "
                        f"{plain_decimal(span)} its unit {target.unit!r} spans, so no figure "
                        "could change that much"
                    )

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read the baseline year, and the year judged once past it."""
        if year <= self.baseline_year:
            return (self.baseline_year,) if year == self.baseline_year else ()
        return (self.baseline_year, self.judged_year(catalogue, year))

    def not_yet_due(self, catalogue: Catalogue, year: int) -> Reason | None:
        """Not yet due before the period, nor up to a baseline year inside it."""
        if self.baseline_year >= self.first(catalogue) and year <= self.baseline_year:
            return Reason(code="year-not-after-baseline", params={"year": self.baseline_year})
        return super().not_yet_due(catalogue, year)

    def years_asked(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Ask for the baseline once its year has come, even while the rule is not yet due."""
        if self.not_yet_due(catalogue, year) is None:
            return self.years_read(catalogue, year)
        return (self.baseline_year,) if year >= self.baseline_year else ()

    def read_before_due(
        self, target: Target, evidence: Evidence, year: int
    ) -> tuple[Observation, ...]:
        """Read the baseline once its year has come: the years to be judged will need it."""
        if year < self.baseline_year:
            return ()
        baseline = evidence.observation(target.id, self.region, self.baseline_year)
        return () if baseline is None else (baseline,)

    def describe(self, texts: Texts, target: Target) -> str:
        """'below the 2017 value', '≥ 20% above the 2020 value'."""
        measure = self.measure if self.by else "plain"
        by = plain_decimal(self.by)
        if measure == "absolute":
            by = texts.gap_amount(self.by, target.unit)
        return texts.label(f"rule.{self.kind}.{measure}", year=self.baseline_year, by=by)

    def facts(self) -> dict[str, Any]:
        """Return the baseline year and the change asked for."""
        return {"baseline_year": self.baseline_year, "by": self.by, "measure": self.measure}

    def judge_due(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Compare the evaluated year's figure with the baseline's."""
        judged = self.judged_year(evidence.catalogue, year)
        baseline = read_figure(evidence, target, self.region, self.baseline_year)
        current = read_figure(evidence, target, self.region, judged)
        if isinstance(baseline, Absent) or isinstance(current, Absent):
            present = [f for f in (baseline, current) if not isinstance(f, Absent)]
            missing = tuple(
                Reason(code="no-baseline" if fig is baseline else r.code, params=r.params)
                for fig in (baseline, current)
                if isinstance(fig, Absent)
                for r in fig.reasons
            )
            return Result(
                target=target,
                year=year,
                status=Status.MISSING,
                baseline_year=self.baseline_year,
                observations=tuple(obs for fig in present for obs in fig.observations),
                reasons=missing,
            )
        before, now = baseline.value, current.value
        if isinstance(before, bool) or isinstance(now, bool):
            raise TypeError("a met / not met answer where a number was validated")
        change = now - before
        relative = None if before == 0 else held(change / abs(before) * 100)
        sign = -1 if self.kind == "decrease" else 1
        observations = baseline.observations + current.observations
        aim = self._aim(before)
        line = aim.line
        met = aim.met(now)
        reasons: tuple[Reason, ...] = ()
        if sign * change > 0 and not met:
            reasons = (Reason(code=f"{self.kind}-too-small", params={"by": self._by_words()}),)
        elif not met:
            reasons = (Reason(code=f"{self.kind}-not-made", params={"year": self.baseline_year}),)
        zero: tuple[Reason, ...] = ()
        if relative is None and self.by and self.measure == "relative":
            # No share of 0 can be asked for: any change in the right direction exceeds it.
            zero = reasons = (Reason(code="zero-baseline", params={"year": self.baseline_year}),)
        band = evidence.catalogue.warning_band(target)
        status = Status.PASS if met else Status.FAIL
        progress = None
        due = self.last(evidence.catalogue)
        unit = None if target.unit is None else evidence.catalogue.unit(target.unit)
        if unit is not None and not aim.reachable(unit):
            # A fall of 3 pp from 2.5%: no rate can be -0.5%, whatever its pace so far.
            unreachable = Reason(
                code="line-out-of-reach",
                params={"sign": symbol(aim.comparison), "line": InUnit(line)},
            )
            status = Status.FAIL if year >= due else Status.OFF_TRACK
            reasons = (*reasons, unreachable)
        elif year < due:
            # Before the due year: the fall (or rise) so far, on its pace towards the line.
            assessed = assess(
                aim, current, baseline, asked=self.baseline_year, due_year=due, band=band
            )
            status, progress, reasons = assessed.status, assessed.progress, zero + assessed.reasons
        elif risk := aim.at_risk(now, band):
            status, reasons = Status.PASS_AT_RISK, (*reasons, risk)
        pairs = [(now, before), (now, line), (change, line - before)]
        return Result(
            target=target,
            year=year,
            status=status,
            progress=progress,
            value=now,
            value_year=judged,
            gap=change,
            baseline=before,
            baseline_year=self.baseline_year,
            relative_change=relative,
            relative_line=sign * self.by if self.measure == "relative" else Decimal(0),
            observations=observations,
            reasons=reasons,
            pairs=tuple(pairs),
        )

    def drawn_aim(self, result: Result) -> Aim | None:
        """Return the baseline's figure moved by ``by``: the line the figure is judged by."""
        return None if result.baseline is None else self._aim(result.baseline)

    def _aim(self, before: Decimal) -> Aim:
        """Return the figure the rule asks for: the baseline moved by ``by`` (of its size).

        A line on the baseline (``by: 0``, or a share of a baseline of 0) asks for any change
        in the right direction: the figure must pass it, not reach it.
        """
        sign = -1 if self.kind == "decrease" else 1
        amount = abs(before) * self.by / 100 if self.measure == "relative" else self.by
        line = before + sign * amount
        if line == before:
            return Aim("below" if sign < 0 else "above", line)
        return Aim("at_most" if sign < 0 else "at_least", line)

    def _by_words(self) -> str | InUnit:
        """Return the change asked for: '10%', or an amount shown in the target's unit."""
        if self.measure == "relative":
            return plain_decimal(self.by) + "%"
        return InUnit(self.by, difference=True)
