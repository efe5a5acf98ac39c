"""A total over a period: the yearly figures added up (三年累计培训 300 户)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from qcheck.rules.comparison import Bound, compare, symbol
from qcheck.rules.period import PeriodRule, YearsRead, absent_reasons
from qcheck.verdicts import InUnit, Reason, Result, Status

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts


class Cumulative(PeriodRule):
    """The sum of the city-wide figures of every year of the period, against ``total``.

    Every year of the period up to the evaluated one must be reported, or the target is
    missing, naming the absent years: at the end of the period, and before it too, so that a
    year left out never lets an early verdict stand that the end would withdraw. With every
    year so far reported, the target is not yet due before the end, unless the sum so far
    already settles it: an ``at_least`` total reached (or an ``at_most`` total passed) cannot
    be undone by later years when the unit allows no figure below zero.
    """

    kind: Literal["cumulative"]
    total: Decimal
    comparison: Bound = "at_least"

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a total the period's yearly figures could never add up to."""
        super().check(catalogue, target)
        if target.unit is None:
            return
        count = self.last(catalogue) - self.first(catalogue) + 1
        # Yearly figures each within a range add up to the total exactly when their mean is.
        mean = self.total / count
        if not catalogue.unit(target.unit).allows(mean):
            raise ValueError(
                f"target {target.id!r}: total {self.total} is outside what {count} yearly "
                f"figures of its unit {target.unit!r} can add up to"
            )
        plausible = target.plausible
        if plausible is not None and not plausible.allows(mean):
            raise ValueError(
                f"target {target.id!r}: total {self.total} is outside what {count} credible "
                f"yearly figures ({plausible.shown()} each) can add up to"
            )

    def judge_years(self, read: YearsRead) -> Result:
        """Add up the years read; judge the sum at the period's end, or once it is settled."""
        last = self.last(read.catalogue)
        if read.absent:
            return read.verdict(status=Status.MISSING, reasons=absent_reasons(read.absent))
        values = [fig.value for fig in read.present if isinstance(fig.value, Decimal)]
        total = sum(values, Decimal(0))
        covered = tuple(fig.year for fig in read.present)
        met = compare(total, self.comparison, self.total)
        if read.year >= last or self._settled(read.catalogue, read.target, met=met):
            return read.verdict(
                status=Status.PASS if met else Status.FAIL,
                value=total,
                value_year=max(read.figures),
                gap=total - self.total,
                reasons=(Reason(code="sum-of-years", params={"years": covered}),),
                pairs=((total, self.total),),
            )
        so_far = Reason(code="sum-so-far", params={"sum": InUnit(total), "years": covered})
        return read.verdict(
            status=Status.NOT_DUE,
            value=total,
            value_year=max(read.figures),
            reasons=(so_far, Reason(code="total-due", params={"year": last})),
            pairs=((total, self.total),),
        )

    def _settled(self, catalogue: Catalogue, target: Target, *, met: bool) -> bool:
        """Whether the sum so far decides the verdict whatever later years bring."""
        minimum = catalogue.unit(target.unit).minimum if target.unit is not None else None
        if minimum is None or minimum < 0:
            return False  # a later year could take the sum back down
        return met if self.comparison == "at_least" else not met

    states_period = True

    def describe(self, texts: Texts, target: Target) -> str:
        """'2021–2023年累计≥300 户', 'total ≥ 300 households over 2021–2023'."""
        first, last = self.first(texts.catalogue), self.last(texts.catalogue)
        period = str(first) if first == last else f"{first}–{last}"
        amount = texts.number(self.total, target.unit, places=None)
        sign = symbol(self.comparison)
        return texts.label("rule.total", period=period, sign=sign, amount=amount)

    def facts(self) -> dict[str, Any]:
        """Return the total and how the sum is compared with it (the period is added as set)."""
        return {"total": self.total, "comparison": self.comparison}
