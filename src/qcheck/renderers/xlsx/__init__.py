"""The Excel workbook (-o result.xlsx): the analyst's sheets, native charts, print setup.

Sheets, in the --lang language: an overview of the files (--each only), the summary (a row
per target), the counties' figures, the trend over the years, the problems, and an About
sheet. With --each every sheet but the overview holds all the files, with a file column: an
analyst filters or pivots one table by file, where a set of sheets per file would leave
hundreds of sheets to click through.
"""

from __future__ import annotations

from collections.abc import Sequence

from qcheck.evaluation import Report
from qcheck.i18n import validation_line
from qcheck.problems import shown_problems
from qcheck.renderers.base import (
    InputWarnings,
    Rendered,
    Renderer,
    input_warnings,
    trend_warnings,
)
from qcheck.renderers.xlsx.book import Book
from qcheck.renderers.xlsx.cells import FILLS, status_fill
from qcheck.trends import Trend
from qcheck.validation import Validation

__all__ = ["FILLS", "XlsxRenderer", "status_fill"]


class XlsxRenderer(Renderer):
    """Renders reports (or a validation's problems) as an .xlsx workbook."""

    binary = True

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> Rendered:
        """Return one report's workbook; for several (--each), an overview sheet first."""
        book = Book(self)
        if len(reports) != 1 or failures:
            book.overview(reports, failures)
        for report in reports:
            book.summary(report)
        for report in reports:
            book.counties(report)
        book.trend([[report] for report in reports])
        warnings = [input_warnings(report, limit) for report in reports]
        for each in warnings:
            book.problems(each)
        for failure in failures:
            shown, more = shown_problems(failure.problems, limit, omitted=failure.omitted)
            book.problems(InputWarnings(tuple(shown), more))
        book.about(list(zip(reports, warnings, strict=True)), [f.sources for f in failures])
        return book.saved()

    def render_trend(self, trend: Trend, *, limit: int) -> Rendered:
        """Return the last year's workbook, with a trend sheet over every year of ``trend``."""
        book = Book(self)
        last = trend.reports[-1]
        book.summary(last)
        book.counties(last)
        # A history's earlier years are drawn, not asked about: the verdicts are the last year's.
        asked = () if trend.history else trend.reports
        book.trend([list(trend.reports)], asked=bool(asked))
        warnings = trend_warnings(trend.reports, limit)
        book.problems(warnings)
        book.about([(last, warnings)], [], years=trend.years, each_year=asked)
        return book.saved()

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> Rendered:
        """Return a workbook of the problems found (at most ``limit``) and what was read."""
        book = Book(self)
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        book.problems(InputWarnings(tuple(shown), more))
        verdict = validation_line(self.lang, validation, strict=strict)
        book.about([], [validation.sources], verdicts=[verdict])
        return book.saved()
