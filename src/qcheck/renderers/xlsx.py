"""The Excel workbook (-o result.xlsx): the analyst's sheets, native charts, print setup.

Sheets, in the --lang language: an overview of the files (--each only), the summary (a row
per target), the counties' figures, the trend over the years, the problems, and an About
sheet. With --each every sheet but the overview holds all the files, with a file column: an
analyst filters or pivots one table by file, where a set of sheets per file would leave
hundreds of sheets to click through.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from qcheck import __version__
from qcheck.evaluation import Report, Result, Status
from qcheck.i18n import Texts
from qcheck.problems import Problem, shown_problems, source_name
from qcheck.renderers.base import (
    InputWarnings,
    Rendered,
    Renderer,
    input_warnings,
    summary_line,
    trend_warnings,
)
from qcheck.renderers.view import (
    in_area_order,
    lead_units_shown,
    legend_lines,
    matrix_view,
    trend_line,
)
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import STATUS_FACTS, Value
from qcheck.words import Lang, label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from qcheck.catalogue import Target

# The fill of each status's colour (STATUS_FACTS' style): light, so that black text and the
# status symbol stay readable, in print too.
FILLS = {
    "green": "C6EFCE",
    "red": "FFC7CE",
    "yellow": "FFEB9C",
    "cyan": "DDEBF7",
    "magenta": "E4DFEC",
}
HEADER_FILL = "D9D9D9"
WIDEST = 60  # characters; a longer cell wraps
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
REPLACEMENT = "\ufffd"
CHART_ROWS = 16  # the rows a chart covers, so that the next one starts below it


@dataclass(frozen=True)
class Number:
    """A figure to store as a number, with the format Excel shows it in."""

    value: float | int
    format: str


Cell = str | Number | int | datetime | None


def status_fill(status: Status) -> str:
    """Return the fill colour of a status, from the colour of its style."""
    return FILLS[STATUS_FACTS[status].style.split()[-1]]


class XlsxRenderer(Renderer):
    """Renders reports (or a validation's problems) as an .xlsx workbook."""

    binary = True

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> Rendered:
        """Return one report's workbook; for several (--each), an overview sheet first."""
        book = _Book(self)
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
        book = _Book(self)
        last = trend.reports[-1]
        book.summary(last)
        book.counties(last)
        book.trend([list(trend.reports)])
        warnings = trend_warnings(trend.reports, limit)
        book.problems(warnings)
        book.about([(last, warnings)], [], years=trend.years)
        return book.saved()

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> Rendered:
        """Return a workbook of the problems found (at most ``limit``) and what was read."""
        book = _Book(self)
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        book.problems(InputWarnings(tuple(shown), more))
        book.about([], [validation.sources])
        return book.saved()


class _Book:
    """A workbook being filled, sheet by sheet, in one language."""

    def __init__(self, renderer: XlsxRenderer) -> None:
        self.renderer = renderer
        self.lang = renderer.lang
        self.workbook = Workbook()
        self.sheets: dict[str, Worksheet] = {}
        self.several = False  # --each: a file column in every table
        # By sheet: the first column filled by status, the cell holding the status word and the
        # words; where only some columns are filled (the overview's), the last of them.
        self.fills: dict[str, tuple[str, str, dict[Status, str]]] = {}
        self.last_filled: dict[str, int] = {}
        self.rows: dict[str, int] = {}  # by sheet: the last row written
        self.columns: dict[str, int] = {}  # by sheet: its table's columns
        self.widths: dict[str, dict[int, int]] = {}  # by sheet and column: the widest text
        self.made = datetime.now().replace(microsecond=0)

    def label(self, key: str, **params: object) -> str:
        """Return a word of this workbook's language."""
        return label(self.lang, key, **params)

    # ---- the sheets ---------------------------------------------------------------------------

    def overview(self, reports: Sequence[Report], failures: Sequence[Validation]) -> None:
        """Add the overview of a batch: a row per file, a column per target, then the counts."""
        self.several = True
        texts = self.renderer.texts_for(reports[0].catalogue) if reports else None
        view = matrix_view(reports, failures, texts, self.lang, by=self.renderer.by)
        words = self._status_words(texts)
        # Grouped by lead unit (--by unit), a target is in each of its units' groups: the
        # header names the group under the target.
        legend = [
            name if group is None else f"{name}\n({group})"
            for group, names in legend_lines(view)
            for _, name in names
        ]
        headers = [
            self.label("xlsx.file"),
            *legend,
            *(self.label(status.value) for status in view.counted),
        ]
        sheet = self._sheet("xlsx.sheet.overview", headers, wrap=True)
        for line in view.lines:
            if line.statuses is None:
                self._append(sheet, [line.source, self.label("input_error")])
                continue
            cells: list[Cell] = [_marked(status, words) for status in line.statuses]
            self._append(sheet, [line.source, *cells, *line.counts])
        if view.totals is not None:
            self._append(sheet, [self.label("totals"), *([None] * len(view.legend)), *view.totals])
        self.fills[sheet.title] = ("B", "B2", {s: _marked(s, words) for s in Status})
        self.last_filled[sheet.title] = max(1 + len(view.legend), 2)

    def summary(self, report: Report) -> None:
        """Add a report's row per target: status, figures, the plan's words, lead units."""
        texts = self.renderer.texts_for(report.catalogue)
        keys = ("area", "id", "indicator", "xlsx.symbol", "status", "actual", "xlsx.unit")
        more = ("target", "xlsx.line", "gap", "notes", "plan_words", "xlsx.reading", "lead_units")
        headers = self._file_header() + [self.label(key) for key in (*keys, *more)]
        sheet = self._sheet("xlsx.sheet.summary", headers)
        for result in in_area_order(report):
            self._append(sheet, self._file_cell(report) + self._summary_row(texts, result))
        status = _column(len(self._file_header()) + 5)
        self.fills[sheet.title] = ("A", f"${status}2", self._status_words(texts))

    def _summary_row(self, texts: Texts, result: Result) -> list[Cell]:
        target = result.target
        places = texts.places(result)
        catalogue = texts.catalogue
        leads = (lead_units_shown(catalogue, [unit], self.lang) for unit in target.lead_units)
        return [
            texts.area_name(target.area),
            target.id,
            texts.marked(texts.target_name(target), target),
            STATUS_FACTS[result.status].symbol,
            texts.status(result.status),
            self._figure(texts, target, result.value, places),
            texts.unit_suffix(target.unit).strip() or None,
            texts.rule(target),
            self._line(target, result.year, places),
            _gap(texts, result, places),
            _notes(texts, result),
            target.source.text,
            texts.interpretation(target),
            "\n".join(leads) or None,
        ]

    def counties(self, report: Report) -> None:
        """Add each county's figure of the targets read per county, their result, and a chart.

        A county that sent nothing is an empty cell with the missing word beside it, never 0:
        its bar is a gap.
        """
        texts = self.renderer.texts_for(report.catalogue)
        keys = ("id", "indicator", "xlsx.county", "actual", "xlsx.unit", "xlsx.line", "status")
        headers = self._file_header() + [self.label(key) for key in keys]
        sheet = self._sheet("xlsx.sheet.counties", headers)
        missing = texts.status(Status.MISSING)
        for result in in_area_order(report):
            target = result.target
            counties = [r for r in target.rule.regions_read(report.catalogue) if r is not None]
            if not counties:
                continue
            places = texts.places(result)
            named = [target.id, texts.target_name(target)]
            line = self._line(target, result.year, places)
            unit = texts.unit_suffix(target.unit).strip() or None
            first = self.rows[sheet.title] + 1
            figures = [_county_figure(result, county) for county in counties]
            for county, figure in zip(counties, figures, strict=True):
                shown = self._figure(texts, target, figure, places)
                status = missing if figure is None else None
                cells = [*named, texts.region_name(county), shown, unit, line, status]
                self._append(sheet, self._file_cell(report) + cells)
            value = self._figure(texts, target, result.value, places)
            status = texts.status(result.status)
            # The rule in words says what the value is: the mean of six counties, say.
            cells = [*named, texts.rule(target), value, unit, line, status]
            self._append(sheet, self._file_cell(report) + cells)
            if any(isinstance(figure, Decimal) for figure in figures):
                self._county_chart(sheet, texts, target, first, self.rows[sheet.title] - 1)
        status_column = _column(len(headers))
        self.fills[sheet.title] = ("A", f"${status_column}2", self._status_words(texts))

    def _county_chart(
        self, sheet: Worksheet, texts: Texts, target: Target, first: int, last: int
    ) -> None:
        """Draw the counties' figures as bars, and the target's line across them."""
        value_column = len(self._file_header()) + 4
        bars = BarChart()
        bars.type = "col"
        bars.title = self.label("xlsx.chart_counties", name=texts.target_name(target))
        bars.add_data(Reference(sheet, min_col=value_column, min_row=first, max_row=last))
        bars.set_categories(Reference(sheet, min_col=value_column - 1, min_row=first, max_row=last))
        line = LineChart()
        line.add_data(Reference(sheet, min_col=value_column + 2, min_row=first, max_row=last))
        line.series[0].graphicalProperties.line.dashStyle = "dash"
        line.series[0].graphicalProperties.line.solidFill = "000000"
        bars += line
        self._place(sheet, bars, target)

    def trend(self, groups: Sequence[Sequence[Report]]) -> None:
        """Add each target's figure year by year (a group: one file's reports of each year).

        A line chart for each numeric target, where there are two years or more.
        """
        years = sorted({report.year for group in groups for report in group})
        keys = ("area", "id", "indicator", "xlsx.unit")
        headers = self._file_header() + [self.label(key) for key in keys]
        headers += [*(str(year) for year in years), self.label("xlsx.line")]
        headers.append(self.label("xlsx.direction"))
        sheet = self._sheet("xlsx.sheet.trend", headers)
        for group in groups:
            last = group[-1]
            texts = self.renderer.texts_for(last.catalogue)
            all_series = {s.target.id: s for s in Trend(tuple(group)).series()}
            for result in in_area_order(last):
                target = result.target
                series = all_series[target.id]
                by_year = {point.year: point.value for point in series.points}
                places = max(texts.places(r) for r in _results(group, target.id))
                cells: list[Cell] = [
                    texts.area_name(target.area),
                    target.id,
                    texts.marked(texts.target_name(target), target),
                    texts.unit_suffix(target.unit).strip() or None,
                    *(self._figure(texts, target, by_year.get(year), places) for year in years),
                    self._line(target, series.due_year, places),
                    trend_line(texts, series).direction,
                ]
                self._append(sheet, self._file_cell(last) + cells)
                if len(group) > 1 and any(n is not None for n in series.numbers):
                    self._trend_chart(sheet, texts, target, len(years))

    def _trend_chart(self, sheet: Worksheet, texts: Texts, target: Target, years: int) -> None:
        """Draw a target's row of the trend sheet as a line over its years."""
        row = self.rows[sheet.title]
        first = len(self._file_header()) + 5
        chart = LineChart()
        chart.title = self.label(
            "xlsx.chart_trend", name=texts.target_name(target), rule=texts.rule(target)
        )
        last = first + years - 1
        chart.add_data(
            Reference(sheet, min_col=first, max_col=last, min_row=row, max_row=row),
            from_rows=True,
        )
        chart.set_categories(Reference(sheet, min_col=first, max_col=last, min_row=1, max_row=1))
        chart.series[0].marker.symbol = "circle"
        self._place(sheet, chart, target)

    def problems(self, warnings: InputWarnings) -> None:
        """Add problems (and rows no target read), each with where it is and how to fix it."""
        keys = ("xlsx.file", "xlsx.sheet", "xlsx.row", "xlsx.column", "xlsx.severity", "code")
        headers = [self.label(key) for key in (*keys, "xlsx.message", "xlsx.hint")]
        sheet = self._sheet("xlsx.sheet.problems", headers)
        for problem in warnings.shown:
            self._append(sheet, _problem_row(problem, self.lang))
        if warnings.more:
            self._append(sheet, [None] * 6 + [self.label("more", count=warnings.more)])

    def about(
        self,
        judged: Sequence[tuple[Report, InputWarnings]],
        failed: Iterable[Sequence[str]],
        *,
        years: Sequence[int] = (),
    ) -> None:
        """Add what the workbook is of: plan, city, year, inputs and their SHA-256, the legend.

        Each report's counts say how many warnings its input has, as every format does.
        """
        sheet = self._sheet("xlsx.sheet.about", [])
        reports = [report for report, _ in judged]
        rows: list[list[Cell]] = []
        if reports:
            texts = self.renderer.texts_for(reports[0].catalogue)
            plan = texts.catalogue.plan
            city = texts.region_name(None)
            title = texts.label("title", city=city, year=reports[-1].year)
            self.workbook.properties.title = title
            rows += [
                [title],
                [self.label("xlsx.plan"), " ".join(p for p in (plan.title, plan.document) if p)],
                [self.label("xlsx.city"), city],
                [self.label("xlsx.year"), reports[-1].year],
            ]
            if len(years) > 1:  # the document is the last year's; its trend covers them all
                rows.append([self.label("trend"), f"{years[0]}–{years[-1]}"])
            rows += [
                [self.label("xlsx.results"), summary_line(texts, report, warnings)]
                for report, warnings in judged
            ]
        sources = [
            (source_name(source, report.sheets, self.lang), report.digests.get(source))
            for report in reports
            for source in report.sources
        ]
        sources += [(source, None) for names in failed for source in names]
        for source, digest in sources:
            shown = self.label("xlsx.digest", digest=digest) if digest else None
            rows.append([self.label("sources"), source, shown])
        rows += [
            [self.label("xlsx.generated"), self.made],
            [self.label("xlsx.made_by"), f"qcheck {__version__}"],
        ]
        for row in rows:
            self._append(sheet, row)
        if reports:
            sheet.cell(1, 1).font = Font(bold=True, size=14)
        legend = self.rows[sheet.title] + 2
        sheet.cell(legend, 1, self.label("legend")).font = Font(bold=True)
        for offset, status in enumerate(Status, 1):
            symbol = sheet.cell(legend + offset, 1, STATUS_FACTS[status].symbol)
            word = sheet.cell(legend + offset, 2, self.label(status.value))
            for cell in (symbol, word):
                cell.fill = PatternFill("solid", fgColor=status_fill(status))

    # ---- cells and figures ----------------------------------------------------------------------

    def _figure(self, texts: Texts, target: Target, value: Value | None, places: int) -> Cell:
        """Return a figure as a number in its format; a yes / no answer as its word."""
        if value is None:
            return None
        if isinstance(value, bool):
            return texts.value(value, target.unit, answers=target.rule.answer_labels)
        return self._number(target, value, places)

    @staticmethod
    def _number(target: Target, value: Decimal | None, places: int) -> Number | None:
        """Return a figure of ``target``: a rate as a fraction in a percent format."""
        if value is None:
            return None
        shape = _shape(min(places, _decimals(value)))
        if target.unit == "%":
            return Number(float(value / 100), shape + "%")
        return Number(int(value) if shape == "0" else float(value), shape)

    def _line(self, target: Target, year: int, places: int) -> Number | None:
        """Return the one line a target's figure of ``year`` is judged against, if it has one."""
        edges = target.rule.edges(year)
        return (
            self._number(target, edges[0], max(places, _decimals(edges[0])))
            if len(edges) == 1
            else None
        )

    def _status_words(self, texts: Texts | None) -> dict[Status, str]:
        return {s: texts.status(s) if texts else self.label(s.value) for s in Status}

    def _file_header(self) -> list[str]:
        """Return the header of the file column, which the tables of a batch (--each) have."""
        return [self.label("xlsx.file")] if self.several else []

    def _file_cell(self, report: Report) -> list[Cell]:
        """Return a report's cell of the file column, where the tables have one."""
        return [_sources(report, self.lang)] if self.several else []

    # ---- sheets ---------------------------------------------------------------------------------

    def _sheet(self, key: str, headers: Sequence[str], *, wrap: bool = False) -> Worksheet:
        """Return the sheet named by ``key``, made with its header row if it is new."""
        if key in self.sheets:
            return self.sheets[key]
        if not self.sheets:
            sheet = self.workbook.active
            assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
            sheet.title = self.label(key)
        else:
            sheet = self.workbook.create_sheet(self.label(key))
        self.sheets[key] = sheet
        self.rows[sheet.title] = 1 if headers else 0
        self.columns[sheet.title] = len(headers)
        widths = self.widths[sheet.title] = {}
        for column, header in enumerate(headers, 1):
            cell = sheet.cell(1, column, header)
            cell.data_type = "s"
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if not wrap:  # a wrapped header (the overview's targets) takes no width
                widths[column] = _text_width(header)
        return sheet

    def _append(self, sheet: Worksheet, cells: Sequence[Cell]) -> None:
        """Add a row: text stays text (never a formula), numbers get their format."""
        # Counted here: a sheet's max_row looks at every cell it has.
        row = self.rows[sheet.title] = self.rows[sheet.title] + 1
        widths = self.widths[sheet.title]
        for column, value in enumerate(cells, 1):
            if value is None:
                continue
            if isinstance(value, Number):
                cell = sheet.cell(row, column, value.value)
                cell.number_format = value.format
                width = max(len(f"{value.value:.6g}"), len(value.format.split(";")[0]) // 2)
            elif isinstance(value, datetime):
                cell = sheet.cell(row, column, value)
                cell.number_format = DATE_FORMAT
                width = len(DATE_FORMAT)
            elif isinstance(value, str):
                # A control character is no XML (openpyxl refuses it): it shows as �.
                text = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
                # XML reads a carriage return as a line feed: said so, not left to the reader.
                text = text.replace("\r\n", "\n").replace("\r", "\n")
                cell = sheet.cell(row, column, text)
                cell.data_type = "s"  # "=..." from an input is text, not a formula
                width = _text_width(text)
                if width > WIDEST or "\n" in text:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:  # a year, a count
                sheet.cell(row, column, value)
                width = len(str(value))
            widths[column] = max(widths.get(column, 0), width)

    def _finish(self, sheet: Worksheet, *, table: bool) -> None:
        """Size the columns for their text, freeze and filter the header, set up printing."""
        for column, width in self.widths[sheet.title].items():
            sheet.column_dimensions[_column(column)].width = min(max(width + 2, 6), WIDEST)
        rows = self.rows[sheet.title]
        last = _column(max(self.widths[sheet.title], default=1))
        if table:
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
            sheet.auto_filter.ref = f"A1:{last}{rows}"
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.orientation = sheet.ORIENTATION_LANDSCAPE
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        setup.fitToWidth, setup.fitToHeight = 1, 0
        if sheet.title in self.fills and rows > 1:
            first, key_cell, words = self.fills[sheet.title]
            if sheet.title in self.last_filled:
                last = _column(self.last_filled[sheet.title])
            _fills(sheet, f"{first}2:{last}{rows}", key_cell, words)

    def _place(self, sheet: Worksheet, chart: BarChart | LineChart, target: Target) -> None:
        """Put a chart right of its sheet's table, below the one before, both axes shown."""
        # Excel hides an axis written without saying it is shown.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.number_format = "0%" if target.unit == "%" else "General"
        chart.display_blanks = "gap"
        chart.legend = None
        chart.height, chart.width = 7.5, 15
        charts = len(sheet._charts)  # type: ignore[attr-defined]
        column = _column(self.columns[sheet.title] + 2)
        sheet.add_chart(chart, f"{column}{1 + charts * CHART_ROWS}")

    def saved(self) -> bytes:
        """Return the workbook's bytes, each sheet sized, filtered and set up for printing."""
        about = self.sheets.get("xlsx.sheet.about")
        for sheet in self.sheets.values():
            self._finish(sheet, table=sheet is not about)
        if about is not None:
            about.column_dimensions["C"].width = 75  # a SHA-256 in full
        self.workbook.properties.creator = f"qcheck {__version__}"
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _fills(sheet: Worksheet, reference: str, key_cell: str, words: dict[Status, str]) -> None:
    """Fill the rows (or cells) of ``reference`` by the status word in ``key_cell``."""
    seen: set[str] = set()
    for status, word in words.items():
        if word in seen:
            continue
        seen.add(word)
        quoted = word.replace('"', '""')
        colour = status_fill(status)
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        formula = [f'{key_cell}="{quoted}"']
        sheet.conditional_formatting.add(reference, FormulaRule(formula=formula, fill=fill))  # type: ignore[no-untyped-call]


def _shape(places: int) -> str:
    """Return the number format showing ``places`` decimals."""
    return "0." + "0" * places if places else "0"


def _marked(status: Status, words: dict[Status, str]) -> str:
    """Return a status as the overview shows it: its symbol, for black and white, and its word."""
    return f"{STATUS_FACTS[status].symbol} {words[status]}"


def _gap(texts: Texts, result: Result, places: int) -> Number | None:
    """Return a result's gap in its unit; a rate's in percentage points, said in the format."""
    gap = result.gap
    if gap is None:
        return None
    shape = _shape(min(places, _decimals(gap)))
    if result.target.unit == "%":
        points = texts.points().replace('"', "")
        shape = f'{shape} "{points}"'
    return Number(float(gap), f"+{shape};-{shape};{shape}")


def _notes(texts: Texts, result: Result) -> str | None:
    """Return why a result has its status; first whose figure it is, if not the city's that year."""
    notes = texts.reasons(result)
    if result.value_region is not None or result.value_year not in (None, result.year):
        whose = texts.result_value(result)
        notes = texts.join([whose, notes] if notes else [whose], sep="sep.clause")
    return notes or None


def _county_figure(result: Result, county: str) -> Value | None:
    """Return a county's own figure of the year a result judged, if it sent one."""
    for observation in result.observations:
        if observation.region == county and observation.year == result.year:
            return observation.value
    return None


def _results(group: Sequence[Report], target_id: str) -> list[Result]:
    return [r for report in group for r in report.results if r.target.id == target_id]


def _problem_row(problem: Problem, lang: Lang) -> list[Cell]:
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


def _sources(report: Report, lang: Lang) -> str:
    return "; ".join(source_name(source, report.sheets, lang) for source in report.sources)


def _decimals(number: Decimal) -> int:
    """Return how many decimals a figure has, at most 6 (a format shows no more)."""
    exponent = number.normalize().as_tuple().exponent
    return min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0


def _column(index: int) -> str:
    """Return a column's letters: 1 -> A."""
    return get_column_letter(index)


@lru_cache(maxsize=4096)  # a batch repeats the same names and words in every file's rows
def _text_width(text: str) -> int:
    """Return how many narrow characters a text's longest line is: a wide (CJK) one counts two."""
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in longest)
