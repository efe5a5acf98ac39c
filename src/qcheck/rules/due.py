"""A commitment with a date: done, or not, by then (2019 年底前完成)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import field_validator

from qcheck.rules.period import PeriodRule, YearsRead, absent_reasons
from qcheck.verdicts import Reason, Result, Status

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.i18n import Texts

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class Due(PeriodRule):
    """Done by ``due``, as the department answers each year: 完成 / 未完成 (yes / no).

    Reports are yearly, so a "done" for the due date's year counts as on time. Before that
    year the target is not yet due, unless it is done already; after it, a "done" only in a
    later year is late (not met), a "not done" fails, and no answer is missing.
    """

    kind: Literal["due"]
    answer_labels = ("done", "not_done")
    due: date

    @field_validator("due", mode="before")
    @classmethod
    def _written_as_a_date(cls, raw: object) -> object:
        # Pydantic would also read a number of seconds since 1970 as a date.
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str) and _ISO_DATE.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise ValueError(f"due {raw!r} is no day of the calendar") from None
        raise ValueError(f"due {raw!r} is not a date written YYYY-MM-DD, such as 2019-12-31")

    @property
    def answers_yes_no(self) -> bool:
        """A report answers done or not done."""
        return True

    def due_year(self, catalogue: Catalogue) -> int:
        """Return the due date's year."""
        return self.due.year

    def check(self, catalogue: Catalogue, target: Target) -> None:
        """Refuse a due date outside the rule's period (which lies within the plan's years)."""
        super().check(catalogue, target)
        year = self.due.year
        if not self.first(catalogue) <= year <= self.last(catalogue):
            raise ValueError(
                f"target {target.id!r}: due {self.due} is outside the rule's period "
                f"{self.first(catalogue)}–{self.last(catalogue)} (first_year, last_year)"
            )

    def judge_years(self, read: YearsRead) -> Result:
        """Met when done by the due date's year; late, not done or missing after it."""
        due_year, due = self.due.year, self.due.isoformat()
        done = [fig.year for fig in read.present if fig.value is True]
        if done and done[0] <= due_year:
            reason = Reason(code="done-on-time", params={"year": done[0], "due": due})
            return read.verdict(
                status=Status.PASS, value=True, value_year=done[0], reasons=(reason,)
            )
        if read.year < due_year:
            reason = Reason(code="due-later", params={"due": due})
            return read.verdict(status=Status.NOT_DUE, reasons=(reason,))
        if done:
            reason = Reason(code="done-late", params={"year": done[0], "due": due})
            return read.verdict(
                status=Status.FAIL, value=True, value_year=done[0], reasons=(reason,)
            )
        undone = [fig.year for fig in read.present if fig.year >= due_year]
        if undone:
            reason = Reason(code="not-done", params={"year": undone[-1], "due": due})
            return read.verdict(
                status=Status.FAIL, value=False, value_year=undone[-1], reasons=(reason,)
            )
        absent = [fig for fig in read.absent if fig.year >= due_year]
        return read.verdict(status=Status.MISSING, reasons=absent_reasons(absent))

    def describe(self, texts: Texts, target: Target) -> str:
        """'2019年12月31日前完成', 'done by 2019-12-31'."""
        return texts.label("rule.due", due=self.due)

    def facts(self) -> dict[str, Any]:
        """Return the due date."""
        return {"due": self.due.isoformat()}
