"""CSV output: one row per target and report, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from qcheck.evaluation import Report
from qcheck.problems import shown_problems
from qcheck.renderers.base import Renderer, input_warnings, plain_number
from qcheck.validation import Validation
from qcheck.words import label

COLUMNS = (
    "source",
    "sheet",
    "year",
    "id",
    "name",
    "area",
    "status",
    "value",
    "unit",
    "target",
    "gap",
    "reason",
    "failed_years",
    "interpreted",
    "value_year",
    "value_region",
)
PROBLEM_COLUMNS = ("source", "sheet", "row", "column", "severity", "code", "message", "hint")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)


def neutralize(cell: object) -> str:
    """Return a cell as text that a spreadsheet never runs as a formula.

    A leading =, +, -, @, tab or carriage return makes Excel evaluate the cell; such text gets
    a leading apostrophe. Plain numbers such as -0.6 are left alone: they are not formulas.
    """
    text = "" if cell is None else str(cell)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvRenderer(Renderer):
    """Renders results (or problems) as CSV with a header row."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return a row per target of every report, per warning about it, per input that failed.

        A warning's row has status ``warning``, its code as id and the whole problem as reason.
        """
        rows: list[list[object]] = []
        for report in reports:
            texts = self.texts_for(report.catalogue)
            for result in report.results:
                target = result.target
                rows.append(
                    [
                        ";".join(report.sources),
                        ";".join(report.sheets.values()),
                        report.year,
                        target.id,
                        texts.target_name(target),
                        target.area,
                        result.status.value,
                        "" if result.value is None else plain_number(result.value),
                        target.unit or "",
                        texts.rule(target),
                        "" if result.gap is None else plain_number(result.gap),
                        texts.reasons(result),
                        ";".join(str(year) for year in result.failed_years),
                        "yes" if target.interpretation else "no",
                        result.value_year or "",
                        result.value_region or "",
                    ]
                )
            warnings = input_warnings(report, limit)
            rows += [
                _row_of_input(
                    p.source, "warning", p.describe(self.lang), p.sheet, report.year, p.code
                )
                for p in warnings.shown
            ]
            if warnings.more:
                more = label(self.lang, "more", count=warnings.more)
                rows.append(
                    _row_of_input(";".join(report.sources), "warning", more, year=report.year)
                )
        for failure in failures:
            errors = failure.errors or failure.problems
            reason = ""
            if errors:
                first = errors[0].describe(self.lang)
                reason = label(self.lang, "first_problem", count=len(errors), first=first)
            rows.append(_row_of_input(";".join(failure.sources), "input-error", reason))
        return _write(COLUMNS, rows)

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return one row per problem found (at most ``limit``)."""
        shown, _ = shown_problems(validation.problems, limit)
        rows = [[getattr(problem, column) for column in PROBLEM_COLUMNS] for problem in shown]
        return _write(PROBLEM_COLUMNS, rows)


def _row_of_input(
    source: str,
    status: str,
    reason: str,
    sheet: str | None = None,
    year: int | None = None,
    code: str = "",
) -> list[object]:
    """Return a row about an input rather than a target: a warning, or an input that failed."""
    cells = {
        "source": source,
        "sheet": sheet,
        "year": year,
        "id": code,
        "status": status,
        "reason": reason,
    }
    return [cells.get(column) or "" for column in COLUMNS]


def _write(header: Sequence[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralize(cell) for cell in row] for row in rows)
    return buffer.getvalue()
