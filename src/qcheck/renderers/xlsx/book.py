"""The workbook's sheets: what each holds, row by row, and its charts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qcheck import __version__
from qcheck.evaluation import Report, Result, Status
from qcheck.i18n import Texts, fewest_places
from qcheck.problems import source_name
from qcheck.renderers.base import (
    InputWarnings,
    judged_year,
    region_figures,
    report_name,
    run_time,
    summary_line,
)
from qcheck.renderers.csv import PROBLEM_COLUMNS, headers, more_row, problem_row
from qcheck.renderers.view import (
    in_area_order,
    lead_units_shown,
    legend_lines,
    matrix_view,
    trend_line,
    years_title,
)
from qcheck.renderers.xlsx.cells import (
    EXCEL_ROUNDING,
    Cell,
    Grid,
    Number,
    decimals,
    number_shape,
    shown_places,
    status_fill,
)
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import STATUS_FACTS, Value
from qcheck.words import Lang

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from qcheck.catalogue import Target
    from qcheck.renderers.base import Renderer

ABOUT = "xlsx.sheet.about"


class Book(Grid):
    """The workbook of one run: its sheets, filled as the renderer asks."""

    def __init__(self, renderer: Renderer) -> None:
        super().__init__(renderer.lang)
        self.renderer = renderer
        self.several = False  # --each: a file column in every table
        self.made = run_time().replace(tzinfo=None)  # a cell holds no offset: local time

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
        sheet = self.sheet("xlsx.sheet.overview", headers, wrap=True)
        for line in view.lines:
            if line.statuses is None:
                self.append(sheet, [line.source, self.label("input_error")])
                continue
            cells: list[Cell] = [_marked(status, words) for status in line.statuses]
            self.append(sheet, [line.source, *cells, *line.counts])
        if view.totals is not None:
            self.append(sheet, [self.label("totals"), *([None] * len(view.legend)), *view.totals])
            self.footers[sheet.title] = 1  # sorted with the files, the totals would move
        self.fills[sheet.title] = ("B", "B2", {s: _marked(s, words) for s in Status})
        self.last_filled[sheet.title] = max(1 + len(view.legend), 2)

    def summary(self, report: Report) -> None:
        """Add a report's row per target: status, figures, the plan's words, lead units."""
        texts = self.renderer.texts_for(report.catalogue)
        keys = ("area", "id", "indicator", "xlsx.symbol", "status", "actual", "xlsx.unit")
        more = ("target", "xlsx.line", "gap", "notes", "plan_words", "xlsx.reading", "lead_units")
        headers = self._file_header() + [self.label(key) for key in (*keys, *more)]
        sheet = self.sheet("xlsx.sheet.summary", headers)
        for result in in_area_order(report):
            self.append(sheet, self._file_cell(report) + self._summary_row(texts, result))
        status = get_column_letter(len(self._file_header()) + 5)
        self.fills[sheet.title] = ("A", f"${status}2", self._status_words(texts))

    def _summary_row(self, texts: Texts, result: Result) -> list[Cell]:
        target = result.target
        places = texts.places(result, rounding=EXCEL_ROUNDING)
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
            self._line(texts, target, result.year),
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
        sheet = self.sheet("xlsx.sheet.counties", headers)
        missing = texts.status(Status.MISSING)
        for result in in_area_order(report):
            target = result.target
            counties = [r for r in target.rule.regions_read(report.catalogue) if r is not None]
            if not counties:
                continue
            places = texts.places(result, rounding=EXCEL_ROUNDING)
            named = [target.id, texts.target_name(target)]
            line = self._line(texts, target, result.year)
            unit = texts.unit_suffix(target.unit).strip() or None
            edges = target.rule.edges(result.year)
            first = self.rows[sheet.title] + 1
            judged, year = region_figures(result), judged_year(result)
            figures = [judged.get(county) for county in counties]
            for county, figure in zip(counties, figures, strict=True):
                shown = self._figure(texts, target, figure, _places(places, figure, edges))
                status = missing if figure is None else None
                name = texts.region_name(county)
                if figure is not None and year != result.year:  # an earlier year's, judged
                    name = texts.label(
                        "bracket", text=name, inner=texts.label("year_of", year=year)
                    )
                cells = [*named, name, shown, unit, line, status]
                self.append(sheet, self._file_cell(report) + cells)
            value = self._figure(texts, target, result.value, places)
            status = texts.status(result.status)
            # The rule in words says what the value is: the mean of six counties, say.
            cells = [*named, texts.rule(target), value, unit, line, status]
            self.append(sheet, self._file_cell(report) + cells)
            if any(isinstance(figure, Decimal) for figure in figures):
                last = self.rows[sheet.title] - 1
                self._county_chart(sheet, texts, report, target, (first, last))
        status_column = get_column_letter(len(headers))
        self.fills[sheet.title] = ("A", f"${status_column}2", self._status_words(texts))

    def _county_chart(
        self,
        sheet: Worksheet,
        texts: Texts,
        report: Report,
        target: Target,
        rows: tuple[int, int],
    ) -> None:
        """Draw the counties' figures as bars, and the target's line across them.

        Beside its rows; in a batch (--each) its title names the file.
        """
        first, last = rows
        value_column = len(self._file_header()) + 4
        bars = BarChart()
        bars.type = "col"
        title = self.label("xlsx.chart_counties", name=texts.target_name(target))
        if self.several:
            title = self.label("bracket", text=title, inner=_sources(report, self.lang))
        bars.add_data(Reference(sheet, min_col=value_column, min_row=first, max_row=last))
        bars.set_categories(Reference(sheet, min_col=value_column - 1, min_row=first, max_row=last))
        line = LineChart()
        line.add_data(Reference(sheet, min_col=value_column + 2, min_row=first, max_row=last))
        line.series[0].graphicalProperties.line.dashStyle = "dash"
        line.series[0].graphicalProperties.line.solidFill = "000000"
        bars += line
        self.place(sheet, bars, title=title, percent=target.unit == "%", row=first)

    def trend(self, groups: Sequence[Sequence[Report]], *, asked: bool = False) -> None:
        """Add each target's figure year by year (a group: one file's reports of each year).

        A line chart for each numeric target, where there are two years or more. Where every
        year was ``asked`` about (--years), each year's own status too, filled by status.
        """
        years = sorted({report.year for group in groups for report in group})
        keys = ("area", "id", "indicator", "xlsx.unit")
        headers = self._file_header() + [self.label(key) for key in keys]
        headers += [*(str(year) for year in years), self.label("xlsx.line")]
        headers.append(self.label("xlsx.direction"))
        status = self.label("status")
        if asked:
            headers += [self.label("bracket", text=status, inner=year) for year in years]
        sheet = self.sheet("xlsx.sheet.trend", headers)
        words: dict[Status, str] = {}
        for group in groups:
            last = group[-1]
            texts = self.renderer.texts_for(last.catalogue)
            words = self._status_words(texts)
            judged = {r.year: {x.target.id: x.status for x in r.results} for r in group}
            all_series = {s.target.id: s for s in Trend(tuple(group)).series()}
            for result in in_area_order(last):
                target = result.target
                series = all_series[target.id]
                by_year = {point.year: point.value for point in series.points}
                places = max(
                    texts.places(r, rounding=EXCEL_ROUNDING) for r in _results(group, target.id)
                )
                cells: list[Cell] = [
                    texts.area_name(target.area),
                    target.id,
                    texts.marked(texts.target_name(target), target),
                    texts.unit_suffix(target.unit).strip() or None,
                    *(self._figure(texts, target, by_year.get(year), places) for year in years),
                    self._line(texts, target, series.due_year),
                    trend_line(texts, series).direction,
                ]
                if asked:
                    statuses = (judged.get(year, {}).get(target.id) for year in years)
                    cells += [None if s is None else _marked(s, words) for s in statuses]
                self.append(sheet, self._file_cell(last) + cells)
                if len(group) > 1 and any(n is not None for n in series.numbers):
                    self._trend_chart(sheet, texts, target, len(years))
        if asked:  # each status cell filled by its own word
            first = get_column_letter(len(headers) - len(years) + 1)
            self.fills[sheet.title] = (first, f"{first}2", {s: _marked(s, words) for s in words})
            self.last_filled[sheet.title] = len(headers)

    def _trend_chart(self, sheet: Worksheet, texts: Texts, target: Target, years: int) -> None:
        """Draw a target's row of the trend sheet as a line over its years."""
        row = self.rows[sheet.title]
        first = len(self._file_header()) + 5
        chart = LineChart()
        title = self.label(
            "xlsx.chart_trend", name=texts.target_name(target), rule=texts.rule(target)
        )
        last = first + years - 1
        chart.add_data(
            Reference(sheet, min_col=first, max_col=last, min_row=row, max_row=row),
            from_rows=True,
        )
        chart.set_categories(Reference(sheet, min_col=first, max_col=last, min_row=1, max_row=1))
        chart.series[0].marker.symbol = "circle"
        self.place(sheet, chart, title=title, percent=target.unit == "%")

    def problems(self, warnings: InputWarnings) -> None:
        """Add problems (and rows no target read), each with where it is and how to fix it."""
        sheet = self.sheet("xlsx.sheet.problems", headers(self.lang, PROBLEM_COLUMNS))
        for problem in warnings.shown:
            self.append(sheet, problem_row(problem, self.lang))
        if warnings.more:
            self.append(sheet, more_row(self.lang, warnings.more))

    def about(
        self,
        judged: Sequence[tuple[Report, InputWarnings]],
        failed: Iterable[Sequence[str]],
        *,
        years: Sequence[int] = (),
        each_year: Sequence[Report] = (),
        verdicts: Sequence[str] = (),
    ) -> None:
        """Add what the workbook is of: plan, city, year, inputs and their SHA-256, the legend.

        Each report's counts say how many warnings its input has, as every format does; a
        validation's ``verdicts`` (its counts and verdict) stand where a report's would.
        Where ``each_year`` was asked about (--years), the title names them all and each
        year's counts are its own.
        """
        sheet = self.sheet("xlsx.sheet.about", [])
        reports = [report for report, _ in judged]
        rows: list[list[Cell]] = []
        if reports:
            texts = self.renderer.texts_for(reports[0].catalogue)
            plan = texts.catalogue.plan
            city = texts.region_name(None)
            # The years judged: --years', or those of the reports (--layout: one a folder). The
            # summary of --years is its last year's, the year the workbook is of.
            named = sorted({report.year for report in (each_year or reports)})
            title = years_title(texts, named)
            if each_year:
                named = [reports[-1].year]
            self.workbook.properties.title = title
            rows += [
                [title],
                [self.label("xlsx.plan"), " ".join(p for p in (plan.title, plan.document) if p)],
                [self.label("xlsx.city"), city],
                [self.label("xlsx.year"), named[0] if len(named) == 1 else texts.years(named)],
            ]
            if len(years) > 1:  # the document is the last year's; its trend covers them all
                rows.append([self.label("trend"), texts.years(years)])
            if len(each_year) > 1:
                rows += [
                    [self.label("xlsx.results"), _year_counts(texts, report)]
                    for report in each_year
                ]
                count = sum(warnings.count for _, warnings in judged)
                rows += [[self.label("xlsx.sheet.problems"), count]] if count else []
            else:
                several = len(judged) > 1  # each named, or the lines read alike
                rows += [
                    [
                        self.label("xlsx.results"),
                        summary_line(texts, report, warnings),
                        *([report_name(report, self.lang)] if several else []),
                    ]
                    for report, warnings in judged
                ]
        rows += [[self.label("xlsx.results"), verdict] for verdict in verdicts]
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
            self.append(sheet, row)
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
        return _number(texts, target, value, places)

    def _line(self, texts: Texts, target: Target, year: int) -> Cell:
        """Return the one line a target's figure of ``year`` is judged against, if it has one."""
        edges = target.rule.edges(year)
        return _number(texts, target, edges[0], decimals(edges[0])) if len(edges) == 1 else None

    def _status_words(self, texts: Texts | None) -> dict[Status, str]:
        return {s: texts.status(s) if texts else self.label(s.value) for s in Status}

    def _file_header(self) -> list[str]:
        """Return the header of the file column, which the tables of a batch (--each) have."""
        return [self.label("xlsx.file")] if self.several else []

    def _file_cell(self, report: Report) -> list[Cell]:
        """Return a report's cell of the file column, where the tables have one."""
        return [_sources(report, self.lang)] if self.several else []

    def saved(self) -> bytes:
        """Return the workbook's bytes: every sheet a table but About, which is a list."""
        if ABOUT in self.sheets:
            self.sheets[ABOUT].column_dimensions["C"].width = 75  # a SHA-256 in full
        self.workbook.properties.creator = f"qcheck {__version__}"
        return self.save(plain={ABOUT})


def _marked(status: Status, words: dict[Status, str]) -> str:
    """Return a status as the overview shows it: its symbol, for black and white, and its word."""
    return f"{STATUS_FACTS[status].symbol} {words[status]}"


def _year_counts(texts: Texts, report: Report) -> str:
    """Return a year's counts, named by its year."""
    return texts.label("year_counts", year=report.year, counts=texts.summary(report.summary))


def _number(texts: Texts, target: Target, value: Decimal, places: int) -> Cell:
    """Return a figure of ``target``: a rate as a fraction in a percent format."""
    shown = shown_places(value, places)
    if shown is None:  # past the digits Excel shows: as text, every digit that tells it apart
        return texts.number(value, target.unit, places=None)
    shape = number_shape(shown)
    if target.unit == "%":
        return Number(float(value / 100), shape + "%")
    return Number(int(value) if shape == "0" else float(value), shape)


def _gap(texts: Texts, result: Result, places: int) -> Cell:
    """Return a result's gap in its unit; a rate's in percentage points, said in the format."""
    gap = result.gap
    if gap is None:
        return None
    unit = result.target.unit
    shown = shown_places(gap, places)
    if shown is None:
        return texts.gap_amount(gap, unit, signed=True)
    shape = number_shape(shown)
    if unit == "%":
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


def _places(places: int, figure: Value | None, edges: Sequence[Decimal]) -> int:
    """Return the decimals that keep a county's figure on its side of each line."""
    if not isinstance(figure, Decimal) or not edges:
        return places
    pairs = ((figure, edge) for edge in edges)
    return max(places, fewest_places(*pairs, rounding=EXCEL_ROUNDING))


def _results(group: Sequence[Report], target_id: str) -> list[Result]:
    return [r for report in group for r in report.results if r.target.id == target_id]


def _sources(report: Report, lang: Lang) -> str:
    return "; ".join(source_name(source, report.sheets, lang) for source in report.sources)
