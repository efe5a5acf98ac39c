"""Rules judged on every year of their period together: a total over the years, a due date."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qcheck.rules.base import Absent, Evidence, Figure, read_figure
from qcheck.rules.series import OneSeries
from qcheck.verdicts import Reason, Result

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target


@dataclass(frozen=True)
class YearsRead:
    """The city-wide figure (or why it is absent) of each year read for the evaluated year."""

    catalogue: Catalogue
    target: Target
    year: int
    figures: dict[int, Figure | Absent]

    @property
    def present(self) -> list[Figure]:
        """The figures reported, in year order."""
        return [fig for fig in self.figures.values() if isinstance(fig, Figure)]

    @property
    def absent(self) -> list[Absent]:
        """The years with no figure, in year order."""
        return [fig for fig in self.figures.values() if isinstance(fig, Absent)]

    def verdict(self, **fields: Any) -> Result:
        """Return the result for the target and year, with every figure read behind it."""
        observations = tuple(obs for fig in self.figures.values() for obs in fig.observations)
        return Result(target=self.target, year=self.year, observations=observations, **fields)


class PeriodRule(OneSeries):
    """A rule that reads the city-wide figure of each year of its period up to the evaluated one."""

    def years_read(self, catalogue: Catalogue, year: int) -> tuple[int, ...]:
        """Read every year of the period up to the evaluated year (none before the period)."""
        return tuple(range(self.first(catalogue), self.judged_year(catalogue, year) + 1))

    def judge_due(self, target: Target, evidence: Evidence, year: int) -> Result:
        """Judge the figures of the years read."""
        catalogue = evidence.catalogue
        years = self.years_read(catalogue, year)
        figures = {y: read_figure(evidence, target, self.region, y) for y in years}
        return self.judge_years(YearsRead(catalogue, target, year, figures))

    @abstractmethod
    def judge_years(self, read: YearsRead) -> Result:
        """Judge the figures of the period's years up to the evaluated one (at least one)."""


def absent_reasons(absent: list[Absent]) -> tuple[Reason, ...]:
    """Say why figures are absent: one year's own reasons, or the list of years missing."""
    if len(absent) == 1:
        return absent[0].reasons
    return (Reason(code="years-missing", params={"years": tuple(fig.year for fig in absent)}),)
