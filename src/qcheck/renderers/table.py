"""Table output: Rich tables grouped by area, with a summary line, for people at a terminal."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from qcheck.evaluation import Report, Result, Status
from qcheck.i18n import INTERPRETED_MARK, Lang, Texts, label, validation_line
from qcheck.renderers.base import (
    Renderer,
    input_warnings,
    matrix,
    matrix_statuses,
    shown_problems,
    sources_named,
    totals,
)
from qcheck.validation import Validation

STATUS_STYLE = {
    Status.PASS: ("✔", "green"),
    Status.FAIL: ("✘", "bold red"),
    Status.MISSING: ("?", "yellow"),
    Status.NOT_DUE: ("…", "cyan"),
}


class TableRenderer(Renderer):
    """Renders each report as one table per area, notes for interpreted rules, and a summary."""

    def __init__(self, *, lang: Lang, color: bool, width: int) -> None:
        super().__init__(lang=lang)
        self.color = color
        self.width = width

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return the tables as text, with ANSI colours only if ``color`` is set."""
        buffer = io.StringIO()
        console = self._console(buffer)
        for index, report in enumerate(reports):
            if index:
                console.print()
            self._report(console, report, limit)
        if len(reports) + len(failures) > 1:
            console.print()
            self._matrix(console, reports, failures)
        return buffer.getvalue()

    def _matrix(
        self, console: Console, reports: Sequence[Report], failures: Sequence[Validation]
    ) -> None:
        """Print a row per report: a mark per target (grouped by area), and the counts."""
        targets = [result.target for result in reports[0].results] if reports else []
        table = Table(title=label(self.lang, "matrix"), box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column(label(self.lang, "report"), overflow="fold", ratio=1)
        table.add_column(f"1–{len(targets)}", no_wrap=True)
        # A column for each status, and for "not yet due" only where some target is.
        counted = matrix_statuses(reports)
        for status in counted:
            mark, style = STATUS_STYLE[status]
            table.add_column(Text(mark, style=style), justify="right", no_wrap=True)
        blank = [""] * len(counted)
        for row in matrix(reports, failures, self.lang):
            if row.statuses is None or row.summary is None:
                error = Text(label(self.lang, "input_error"), style="bold red")
                table.add_row(row.source, error, *blank)
                continue
            marks = Text()
            for index, (status, target) in enumerate(zip(row.statuses, targets, strict=True)):
                if index and target.area != targets[index - 1].area:
                    marks.append(" ")
                marks.append(STATUS_STYLE[status][0], style=STATUS_STYLE[status][1])
            counts = [row.summary.count(status) for status in counted]
            table.add_row(row.source, marks, *map(str, counts))
        if reports:
            total = totals(reports)
            table.add_section()
            counts = [total.count(status) for status in counted]
            table.add_row(label(self.lang, "totals"), "", *map(str, counts))
        console.print(table)
        if targets:
            texts = self.texts_for(reports[0].catalogue)
            legend = "  ".join(f"{n}={texts.target_name(t)}" for n, t in enumerate(targets, 1))
            console.print(f"{label(self.lang, 'legend')}: {legend}", markup=False)

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return a summary line and a table of the problems found."""
        buffer = io.StringIO()
        console = self._console(buffer)
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        if shown:
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
            table.add_column(label(self.lang, "where"), overflow="fold", ratio=2)
            table.add_column(label(self.lang, "code"), no_wrap=True)
            table.add_column(label(self.lang, "problem"), overflow="fold", ratio=3)
            for problem in shown:
                style = "red" if problem.severity == "error" else "yellow"
                where = problem.location(self.lang)
                table.add_row(where, Text(problem.code, style=style), problem.detail(self.lang))
            console.print(table)
        if more:
            console.print(label(self.lang, "more", count=more))
        line = validation_line(self.lang, validation, strict=strict)
        valid = validation.is_valid(strict=strict)
        console.print(Text(line, style="green" if valid else "bold red"))
        return buffer.getvalue()

    def _console(self, buffer: io.StringIO) -> Console:
        return Console(
            file=buffer,
            width=self.width,
            force_terminal=self.color,
            no_color=not self.color,
            color_system="standard" if self.color else None,
            highlight=False,
            emoji=False,
            soft_wrap=False,
        )

    def _report(self, console: Console, report: Report, limit: int) -> None:
        texts = self.texts_for(report.catalogue)
        city = texts.region_name(None)
        console.print(Text(texts.label("title", city=city, year=report.year), style="bold"))
        if report.sources:
            named = ", ".join(sources_named(report, self.lang))
            console.print(f"{texts.label('sources')}: {named}", markup=False)
        console.print(self._table(texts, report))
        explained = [(result, texts.reasons(result)) for result in report.results]
        explained = [(result, reasons) for result, reasons in explained if reasons]
        if explained:
            console.print(Text(texts.label("notes"), style="bold"))
        for result, reasons in explained:
            console.print(f"  • {texts.target_name(result.target)}: {reasons}", markup=False)
        notes = [
            (result.target, reading)
            for result in report.results
            if (reading := texts.interpretation(result.target)) is not None
        ]
        if notes:
            console.print(Text(texts.label("interpreted"), style="italic"))
        for target, reading in notes:
            console.print(
                f"  {INTERPRETED_MARK} {texts.target_name(target)} — "
                f"{texts.label('plan_words')}: “{target.source.text}”. {reading}",
                markup=False,
            )
        summary = report.summary
        warnings = input_warnings(report, limit)
        worst = (
            Status.FAIL if summary.failed else Status.MISSING if summary.missing else Status.PASS
        )
        console.print(Text(texts.summary(summary), style=STATUS_STYLE[worst][1]))
        if warnings.count:
            # The warnings themselves went to standard error, which a saved table lacks.
            elsewhere = texts.label("warnings_elsewhere", count=warnings.count)
            console.print(Text(elsewhere, style="yellow"))

    def _table(self, texts: Texts, report: Report) -> Table:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(texts.label("indicator"), overflow="fold", ratio=2)
        table.add_column(texts.label("target"), overflow="fold", ratio=1)
        table.add_column(texts.label("actual"), justify="right", overflow="fold")
        table.add_column(texts.label("gap"), justify="right", overflow="fold")
        # The status must never be cropped: it is the one column every reader looks at.
        shown = {Status.PASS, Status.FAIL, Status.MISSING} | {r.status for r in report.results}
        status_width = max(cell_len(f"✘ {texts.status(status)}") for status in shown)
        table.add_column(texts.label("status"), no_wrap=True, min_width=status_width)
        for area in report.catalogue.areas:
            results = [result for result in report.results if result.target.area == area.id]
            if not results:
                continue
            if table.row_count:
                table.add_section()
            table.add_row(Text(texts.area_name(area.id), style="bold underline"))
            for result in results:
                table.add_row(*self._cells(texts, result))
        return table

    def _cells(self, texts: Texts, result: Result) -> list[Text]:
        target = result.target
        name = texts.marked(texts.target_name(target), target)
        mark, style = STATUS_STYLE[result.status]
        return [
            Text(name),
            Text(texts.rule(target)),
            Text(texts.result_value(result)),
            Text(texts.gap(result)),
            Text(f"{mark} {texts.status(result.status)}", style=style),
        ]
