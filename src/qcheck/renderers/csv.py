"""CSV output for people: UTF-8 with a BOM, headers and words in --lang, safe in a spreadsheet.

Excel and WPS read a CSV as UTF-8 only when it starts with a byte-order mark; without one,
Excel on Chinese Windows reads it in the system code page (GBK) and the Chinese comes out
garbled. So the text starts with BOM, which standard output drops where it is not the start
of a file (a terminal, a pipe: see cli.streams.echo). Machine codes (statuses, reasons) are
JSON's; a CSV keeps a target's id and a problem's code, which people look up and scripts join on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence

from qcheck.evaluation import Report, Result
from qcheck.formats import BOM
from qcheck.i18n import Texts
from qcheck.problems import Problem, shown_problems
from qcheck.renderers.base import Renderer, input_warnings, plain_number
from qcheck.renderers.view import in_area_order
from qcheck.validation import Validation
from qcheck.words import Lang, label

# The columns, as keys: each header is the word csv.<key> in the --lang language.
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


def headers(lang: Lang, columns: Iterable[str]) -> list[str]:
    """Return the header of each column in ``lang``: 指标, 状态 … or Indicator, Status …."""
    return [label(lang, f"csv.{column}") for column in columns]


def csv_text(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    cell: Callable[[object], str] = neutralize,
) -> str:
    """Return a header and rows as CSV for a spreadsheet: the BOM first, each cell as ``cell``."""
    buffer = io.StringIO()
    buffer.write(BOM)
    # CRLF, as Excel writes it: the writer then also quotes a cell holding a lone CR, which
    # it would otherwise leave bare, and a reader would take for the end of the row.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(item) for item in row] for row in rows)
    return buffer.getvalue()


class CsvRenderer(Renderer):
    """Renders results (or problems) as CSV with a header row, in words of its language."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return a row per target of every report, per warning about it, per input that failed.

        A warning's row has the status word 'warning', its code as id and the whole problem as
        reason.
        """
        rows: list[list[object]] = []
        warning = label(self.lang, "warning")
        for report in reports:
            texts = self.texts_for(report.catalogue)
            # In the table's order (by area), so that a person finds a target where it was.
            rows += [_result_row(texts, report, result) for result in in_area_order(report)]
            warnings = input_warnings(report, limit)
            rows += [
                _row_of_input(
                    p.source, warning, p.describe(self.lang), p.sheet, report.year, p.code
                )
                for p in warnings.shown
            ]
            if warnings.more:
                more = label(self.lang, "more", count=warnings.more)
                sources = ";".join(report.sources)
                rows.append(_row_of_input(sources, warning, more, year=report.year))
        input_error = label(self.lang, "input_error")
        for failure in failures:
            errors = failure.errors or failure.problems
            reason = ""
            if errors:
                first = errors[0].describe(self.lang)
                reason = label(self.lang, "first_problem", count=len(errors), first=first)
            rows.append(_row_of_input(";".join(failure.sources), input_error, reason))
        return csv_text(headers(self.lang, COLUMNS), rows)

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return one row per problem found (at most ``limit``), its words in this language."""
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        rows = [problem_row(problem, self.lang) for problem in shown]
        if more:  # in the message's column: "... and 12 more"
            rows.append(more_row(self.lang, more))
        return csv_text(headers(self.lang, PROBLEM_COLUMNS), rows)


def _result_row(texts: Texts, report: Report, result: Result) -> list[object]:
    """Return a target's row: its words in the language, its figures as plain numbers."""
    target = result.target
    value = result.value
    if isinstance(value, bool):  # a yes/no target: its answer, as the table says it
        shown: object = texts.value(value, None, answers=target.rule.answer_labels)
    else:
        shown = "" if value is None else plain_number(value)
    interpreted = "yes" if target.interpretation else "no"
    return [
        ";".join(report.sources),
        ";".join(report.sheets.values()),
        report.year,
        target.id,
        texts.target_name(target),
        texts.area_name(target.area),
        texts.status(result.status),
        shown,
        texts.unit_name(target.unit),
        texts.rule(target),
        "" if result.gap is None else plain_number(result.gap),
        texts.reasons(result),
        texts.join(result.failed_years),
        texts.label(f"csv.{interpreted}"),
        result.value_year or "",
        "" if result.value_region is None else texts.region_name(result.value_region),
    ]


def more_row(lang: Lang, more: int) -> list[str | int | None]:
    """Return the row under a list of problems that says how many more were found."""
    row: list[str | int | None] = [None] * len(PROBLEM_COLUMNS)
    row[PROBLEM_COLUMNS.index("message")] = label(lang, "more", count=more)
    return row


def problem_row(problem: Problem, lang: Lang) -> list[str | int | None]:
    """Return a problem's row: where it is, its severity and words in ``lang``, and its code.

    Its columns are PROBLEM_COLUMNS; the workbook's problems sheet has the same row.
    """
    return [
        problem.source,
        problem.sheet,
        problem.row,
        problem.column,
        label(lang, problem.severity),
        problem.code,
        problem.text(lang),
        problem.hint_text(lang),
    ]


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
