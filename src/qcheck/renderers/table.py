"""Table output: Rich tables grouped by area, with a summary line, for people at a terminal."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qcheck.evaluation import Report
from qcheck.renderers.base import Renderer
from qcheck.renderers.fit import RULE_LEAST, cramped, fit, measure
from qcheck.renderers.view import (
    MatrixLine,
    MatrixView,
    NoteView,
    ProblemLine,
    ReadingView,
    ReportView,
    TargetLine,
    TrendCell,
    TrendLine,
    TrendView,
    legend_lines,
    matrix_view,
    report_view,
    trend_view,
    validation_view,
)
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import ALWAYS_COUNTED, facts
from qcheck.words import INTERPRETED_MARK, Lang, join, label, labelled


class TableRenderer(Renderer):
    """Renders each report as one table per area, notes for interpreted rules, and a summary."""

    def __init__(self, *, lang: Lang, color: bool, width: int, by: str = "area") -> None:
        super().__init__(lang=lang, by=by)
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
            words = self.texts_for(report.catalogue)
            self._report(console, report_view(report, words, limit, by=self.by))
        if len(reports) + len(failures) > 1:
            console.print()
            texts = self.texts_for(reports[0].catalogue) if reports else None
            self._matrix(console, matrix_view(reports, failures, texts, self.lang, by=self.by))
        return buffer.getvalue()

    def render_trend(self, trend: Trend, *, limit: int) -> str:
        """Return a target × year table: each year's mark and figure, then the trend."""
        buffer = io.StringIO()
        console = self._console(buffer)
        view = trend_view(trend, self.texts_for(trend.catalogue), limit, by=self.by)
        console.print(Text(view.title, style="bold"))
        self._sources(console, view.sources)
        console.print(self._trend_table(view))
        self._notes(console, view.notes)
        self._readings(console, view.readings)
        for counts in view.year_counts:
            console.print(counts, markup=False)
        if view.warning_count:
            elsewhere = label(self.lang, "warnings_elsewhere", count=view.warning_count)
            console.print(Text(elsewhere, style="yellow"))
        return buffer.getvalue()

    def _sources(self, console: Console, sources: Sequence[str]) -> None:
        """Print the inputs read, if any."""
        if sources:
            console.print(labelled(self.lang, "sources", join(self.lang, sources)), markup=False)

    def _notes(self, console: Console, notes: Sequence[NoteView]) -> None:
        """Print why each target has its status, if any has a reason."""
        if not notes:
            return
        console.print(Text(label(self.lang, "notes"), style="bold"))
        console.print(
            _hanging(
                "  •", [label(self.lang, "note_line", name=n.name, text=n.text) for n in notes]
            )
        )

    def _readings(self, console: Console, readings: Sequence[ReadingView]) -> None:
        """Print how qcheck reads each target the plan leaves open (※), with the plan's words."""
        if not readings:
            return
        console.print(Text(label(self.lang, "interpreted"), style="italic"))
        plan = label(self.lang, "plan_words")
        console.print(
            _hanging(
                f"  {INTERPRETED_MARK}",
                [
                    label(
                        self.lang,
                        "reading_line",
                        name=r.name,
                        plan=plan,
                        words=r.plan_words,
                        reading=r.reading,
                    )
                    for r in readings
                ],
            )
        )

    def _trend_table(self, view: TrendView) -> Table | Group:
        """Return the trend as a table, or as a list where the terminal is too narrow for one.

        The names wrap; the target in words gives way, then is left out; a year's figure wraps
        at its spaces only; the trend never wraps.
        """
        headers = [label(self.lang, key) for key in ("indicator", "target", "trend")]
        lines = view.lines
        cells = [[_trend_cell(cell).plain for cell in line.cells] for line in lines]
        trends = [_trend_word(line) for line in lines]
        columns = [
            measure([headers[0], *(line.name for line in lines)], names=True, folds=NAMES_LEAST),
            measure([headers[1], *(line.rule for line in lines)], yields=1, drops=1),
            *(
                measure([str(year), *(row[n] for row in cells)], unbroken=True)
                for n, year in enumerate(view.years)
            ),
            measure([headers[2], *trends], unbroken=True),
        ]
        widths = fit(columns, self.width)
        if cramped(columns, widths, self.width):
            return self._trend_list(view)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(headers[0], overflow="fold", width=widths[0])
        if widths[1] is not None:
            table.add_column(headers[1], overflow="fold", width=widths[1])
        for n, year in enumerate(view.years, 2):
            table.add_column(str(year), justify="right", overflow="fold", width=widths[n])
        table.add_column(headers[2], no_wrap=True, width=widths[-1])
        for group in view.groups:
            if table.row_count:
                table.add_section()
            table.add_row(Text(group.name, style="bold underline"))
            for line in group.lines:
                rule = [Text(line.rule)] if widths[1] is not None else []
                year_cells = [_trend_cell(cell) for cell in line.cells]
                table.add_row(Text(line.name), *rule, *year_cells, Text(_trend_word(line)))
        return table

    @staticmethod
    def _trend_list(view: TrendView) -> Group:
        """Return each target as its name, then each year's mark and figure, then its trend."""
        parts: list[Text | Padding] = []
        for group in view.groups:
            parts.append(Text(group.name, style="bold underline"))
            for line in group.lines:
                years = Text("  ").join(
                    Text.assemble(f"{year} ", _trend_cell(cell))
                    for year, cell in zip(view.years, line.cells, strict=True)
                )
                parts.append(Text(line.name))
                parts += [Padding(years, (0, 0, 0, 2)), Padding(_trend_word(line), (0, 0, 0, 2))]
        return Group(*parts)

    def _matrix(self, console: Console, view: MatrixView) -> None:
        """Print a row per report: a mark per target (grouped by area), and the counts.

        Where the terminal is too narrow for that table, each report's name has a line of its
        own, its marks and counts below.
        """
        rows = [(Text(line.source), self._marks(view, line)) for line in view.lines]
        blank = [""] * len(view.counted)
        counts = [
            blank if line.statuses is None else [str(n) for n in line.counts] for line in view.lines
        ]
        totals = [str(n) for n in view.totals] if view.totals is not None else None
        marks = [(facts(s).symbol, facts(s).style) for s in view.counted]
        columns = [
            measure(
                [label(self.lang, "report"), *(line.source for line in view.lines)],
                names=True,
                folds=NAMES_LEAST,
            ),
            measure([f"1–{len(view.legend)}", *(row[1].plain for row in rows)], unbroken=True),
            *(
                measure(
                    [mark, *(c[n] for c in counts), *(totals[n : n + 1] if totals else [])],
                    unbroken=True,
                )
                for n, (mark, _) in enumerate(marks)
            ),
        ]
        if cramped(columns, fit(columns, self.width), self.width):
            console.print(Text(label(self.lang, "matrix"), style="italic"))
            for (source, line_marks), line_counts in zip(rows, counts, strict=True):
                console.print(source)
                tally = [
                    f"{mark} {n}" for (mark, _), n in zip(marks, line_counts, strict=True) if n
                ]
                console.print(_hanging(" ", ["  ".join([line_marks.plain, *tally])]))
            if totals is not None:
                tally = [f"{mark} {n}" for (mark, _), n in zip(marks, totals, strict=True)]
                console.print(labelled(self.lang, "totals", "  ".join(tally)), markup=False)
        else:
            table = Table(
                title=label(self.lang, "matrix"), box=box.SIMPLE_HEAD, title_justify="left"
            )
            table.add_column(label(self.lang, "report"), overflow="fold", ratio=1)
            table.add_column(f"1–{len(view.legend)}", no_wrap=True)
            for mark, style in marks:
                table.add_column(Text(mark, style=style), justify="right", no_wrap=True)
            for (source, line_marks), line_counts in zip(rows, counts, strict=True):
                table.add_row(source, line_marks, *line_counts)
            if totals is not None:
                table.add_section()
                table.add_row(label(self.lang, "totals"), "", *totals)
            console.print(table)
        legend = legend_lines(view)
        if legend and legend[0][0] is not None:
            console.print(labelled(self.lang, "legend", ""), markup=False)
        for heading, numbered in legend:
            names = "  ".join(f"{n}={name}" for n, name in numbered)
            if heading is None:
                console.print(labelled(self.lang, "legend", names), markup=False)
            else:
                console.print(Text(heading, style="bold"))
                console.print(_hanging("  ", [names]), markup=False)

    def _marks(self, view: MatrixView, line: MatrixLine) -> Text:
        """Return a report's mark per target, a space between areas; an input error in words."""
        if line.statuses is None:
            return Text(label(self.lang, "input_error"), style="bold red")
        marks = Text()
        for index, status in enumerate(line.statuses):
            if index in view.group_starts:
                marks.append(" ")
            marks.append(facts(status).symbol, style=facts(status).style)
        return marks

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return a table of the problems found and a summary line."""
        buffer = io.StringIO()
        console = self._console(buffer)
        view = validation_view(validation, self.lang, strict=strict, limit=limit)
        if view.problems:
            console.print(self._problems(view.problems))
        if view.more:
            console.print(label(self.lang, "more", count=view.more))
        console.print(Text(view.line, style="green" if view.valid else "bold red"))
        return buffer.getvalue()

    def _problems(self, problems: Sequence[ProblemLine]) -> Table | Group:
        """Return the problems as a table, or as a list where a table would split where they are.

        A file, row and column name cut across lines cannot be read or copied; in a list each
        problem's place has a line of its own, above its code and what is wrong.
        """
        headers = [label(self.lang, key) for key in ("where", "code", "problem")]
        # What is wrong and how to fix it takes the room; where gives way, down to a file name.
        widths = fit(
            [
                measure([headers[0], *(p.where for p in problems)], yields=1, folds=16),
                measure([headers[1], *(p.code for p in problems)], unbroken=True),
                measure([headers[2], *(p.detail for p in problems)], names=True, folds=8),
            ],
            self.width,
            share=0.5,
        )
        if widths[0] is not None and widths[0] < max(cell_len(p.where) for p in problems):
            return _problem_list(problems)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(headers[0], overflow="fold", width=widths[0])
        table.add_column(headers[1], no_wrap=True, width=widths[1])
        table.add_column(headers[2], overflow="fold", width=widths[2])
        for problem in problems:
            code = Text(problem.code, style="red" if problem.error else "yellow")
            table.add_row(Text(problem.where), code, Text(problem.detail))
        return table

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

    def _report(self, console: Console, view: ReportView) -> None:
        console.print(Text(view.title, style="bold"))
        self._sources(console, view.sources)
        console.print(self._table(view))
        self._notes(console, view.notes)
        self._readings(console, view.readings)
        console.print(Text(view.counts, style=facts(view.worst).style))
        if view.warning_count:
            # The warnings themselves went to standard error, which a saved table lacks.
            elsewhere = label(self.lang, "warnings_elsewhere", count=view.warning_count)
            console.print(Text(elsewhere, style="yellow"))

    def _table(self, view: ReportView) -> Table | Group:
        """Return the targets as a table, or as a list where the terminal is too narrow for one."""
        headers = [label(self.lang, key) for key in ("indicator", "target", "actual", "gap")]
        # The status must never be cropped: it is the one column every reader looks at. It
        # may go onto two lines before a bracket (达标 / （临界）), never elsewhere.
        shown = {*ALWAYS_COUNTED, *(line.status for line in view.lines)}
        statuses = [f"{facts(s).symbol} {view.status_words[s]}" for s in shown]
        status_lines = [part for status in statuses for part in _status_lines(status)]
        lines = view.lines
        # The names wrap; the gap, then the value, then the target in words give way before
        # them, each down to its longest word: a figure is never split.
        columns = [
            measure([headers[0], *(line.name for line in lines)], names=True, folds=NAMES_LEAST),
            measure([headers[1], *(line.rule for line in lines)], yields=3, folds=RULE_LEAST),
            measure([headers[2], *(line.value for line in lines)], yields=2, figures=True),
            measure([headers[3], *(line.gap for line in lines)], yields=1, figures=True),
            measure([label(self.lang, "status"), *statuses], unbroken=True),
        ]
        widths = fit(columns, self.width)
        if cramped(columns, widths, self.width):
            least = measure([label(self.lang, "status"), *status_lines], unbroken=True).natural
            columns[4] = dataclasses.replace(columns[4], least=least)
            widths = fit(columns, self.width)
        if cramped(columns, widths, self.width):
            return self._target_list(view, headers, self.width)
        status_width = widths[4] or 0
        if any(area.counts for area in view.areas):
            # A lead unit and how its targets stand take a line of their own above its rows,
            # which keep the same columns from one unit to the next.
            parts: list[Text | Table] = []
            for area in view.areas:
                if parts:
                    parts.append(Text())
                parts.append(
                    Text.assemble(Text(area.name, style="bold underline"), "  ", area.counts)
                )
                table = self._target_table(headers, widths)
                for line in area.lines:
                    table.add_row(*self._cells(line, status_width))
                parts.append(table)
            return Group(*parts)
        table = self._target_table(headers, widths)
        for area in view.areas:
            if table.row_count:
                table.add_section()
            table.add_row(Text(area.name, style="bold underline"))
            for line in area.lines:
                table.add_row(*self._cells(line, status_width))
        return table

    def _target_table(self, headers: Sequence[str], widths: Sequence[int | None]) -> Table:
        """Return an empty table of targets with its columns: names, target, value, gap, status."""
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(headers[0], overflow="fold", width=widths[0])
        table.add_column(headers[1], overflow="fold", width=widths[1])
        table.add_column(headers[2], justify="right", overflow="fold", width=widths[2])
        table.add_column(headers[3], justify="right", overflow="fold", width=widths[3])
        table.add_column(label(self.lang, "status"), no_wrap=True, width=widths[4])
        return table

    @staticmethod
    def _target_list(view: ReportView, headers: Sequence[str], width: int) -> Group:
        """Return each target as its status, then its name with target, value and gap below.

        The status stands beside the name where both fit, else on a line of its own above it.
        """
        statuses = [
            Text(f"{facts(line.status).symbol} {line.status_word}", style=facts(line.status).style)
            for area in view.areas
            for line in area.lines
        ]
        beside = max((s.cell_len for s in statuses), default=0) + 2 + NAMES_LEAST <= width
        parts: list[Text | Table | Padding] = []
        index = 0
        for area in view.areas:
            heading = Text(area.name, style="bold underline")
            parts.append(Text.assemble(heading, "  ", area.counts) if area.counts else heading)
            grid = Table.grid(padding=(0, 2, 0, 0))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            for line in area.lines:
                figures = zip(headers[1:], (line.rule, line.value, line.gap), strict=True)
                shown = "  ".join(f"{header} {cell}" for header, cell in figures)
                described = Text(f"{line.name}\n{shown}", overflow="fold")
                if beside:
                    grid.add_row(statuses[index], described)
                else:
                    parts += [statuses[index], Padding(described, (0, 0, 0, 2))]
                index += 1
            if beside:
                parts.append(grid)
        return Group(*parts)

    @staticmethod
    def _cells(line: TargetLine, status_width: int) -> list[Text]:
        mark, style = facts(line.status).symbol, facts(line.status).style
        status = f"{mark} {line.status_word}"
        if cell_len(status) > status_width:
            status = "\n".join(_status_lines(status))
        return [
            Text(line.name),
            Text(line.rule),
            Text(line.value),
            Text(line.gap),
            Text(status, style=style),
        ]


NAMES_LEAST = 12  # cells a target's name gets at the least (6 Chinese characters) in a table
BEFORE_BRACKET = re.compile(r"(?=（)")


def _status_lines(status: str) -> list[str]:
    """Return a status as the lines it may take: '! 达标（临界）' as '! 达标' and '（临界）'."""
    return BEFORE_BRACKET.split(status, maxsplit=1)


def _trend_cell(cell: TrendCell) -> Text:
    """Return a year's mark, in its status's style, and figure."""
    mark = facts(cell.status)
    return Text.assemble((mark.symbol, mark.style), f" {cell.value}")


def _trend_word(line: TrendLine) -> str:
    """Return the sparkline and the direction in words: '▅▁█ rising'."""
    return f"{line.spark} {line.direction}" if line.spark else line.direction


def _problem_list(problems: Sequence[ProblemLine]) -> Group:
    """Return each problem as where it is and its code, then what is wrong, indented below."""
    parts: list[Text | Table] = []
    for problem in problems:
        code = Text(f"[{problem.code}]", style="red" if problem.error else "yellow")
        parts.append(Text.assemble(Text(problem.where, style="bold"), "  ", code))
        parts.append(_hanging(" ", [problem.detail]))
    return Group(*parts)


def _hanging(mark: str, items: Sequence[str]) -> Table:
    """Return ``items`` as a list after ``mark``, each wrapped under its own first word."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(mark, Text(item))
    return grid
