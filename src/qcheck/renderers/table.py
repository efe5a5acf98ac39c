"""Table output: Rich tables grouped by area, with a summary line, for people at a terminal."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from qcheck.evaluation import Report, Status
from qcheck.renderers.base import Renderer
from qcheck.renderers.fit import RULE_LEAST, cramped, fit, measure
from qcheck.renderers.view import (
    MatrixLine,
    MatrixView,
    ProblemLine,
    ReportView,
    TargetLine,
    matrix_view,
    report_view,
    validation_view,
)
from qcheck.validation import Validation
from qcheck.words import INTERPRETED_MARK, Lang, join, label, labelled

STATUS_STYLE = {
    Status.PASS: ("✔", "green"),
    Status.FAIL: ("✘", "bold red"),
    Status.MISSING: ("?", "yellow"),
    Status.NOT_DUE: ("…", "cyan"),
}


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
            self._matrix(console, matrix_view(reports, failures, texts, self.lang))
        return buffer.getvalue()

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
        marks = [STATUS_STYLE[status] for status in view.counted]
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
        if view.legend:
            legend = "  ".join(f"{n}={name}" for n, name in enumerate(view.legend, 1))
            console.print(labelled(self.lang, "legend", legend), markup=False)

    def _marks(self, view: MatrixView, line: MatrixLine) -> Text:
        """Return a report's mark per target, a space between areas; an input error in words."""
        if line.statuses is None:
            return Text(label(self.lang, "input_error"), style="bold red")
        marks = Text()
        for index, status in enumerate(line.statuses):
            if index in view.area_starts:
                marks.append(" ")
            marks.append(STATUS_STYLE[status][0], style=STATUS_STYLE[status][1])
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
        if view.sources:
            sources = join(self.lang, view.sources)
            console.print(labelled(self.lang, "sources", sources), markup=False)
        console.print(self._table(view))
        if view.notes:
            console.print(Text(label(self.lang, "notes"), style="bold"))
            console.print(
                _hanging(
                    "  •",
                    [label(self.lang, "note_line", name=n.name, text=n.text) for n in view.notes],
                )
            )
        if view.readings:
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
                        for r in view.readings
                    ],
                )
            )
        console.print(Text(view.counts, style=STATUS_STYLE[view.worst][1]))
        if view.warning_count:
            # The warnings themselves went to standard error, which a saved table lacks.
            elsewhere = label(self.lang, "warnings_elsewhere", count=view.warning_count)
            console.print(Text(elsewhere, style="yellow"))

    def _table(self, view: ReportView) -> Table | Group:
        """Return the targets as a table, or as a list where the terminal is too narrow for one."""
        headers = [label(self.lang, key) for key in ("indicator", "target", "actual", "gap")]
        # The status must never be cropped: it is the one column every reader looks at.
        shown = {Status.PASS, Status.FAIL, Status.MISSING} | {line.status for line in view.lines}
        statuses = [f"✘ {view.status_words[status]}" for status in shown]
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
            return self._target_list(view, headers)
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
                    table.add_row(*self._cells(line))
                parts.append(table)
            return Group(*parts)
        table = self._target_table(headers, widths)
        for area in view.areas:
            if table.row_count:
                table.add_section()
            table.add_row(Text(area.name, style="bold underline"))
            for line in area.lines:
                table.add_row(*self._cells(line))
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
    def _target_list(view: ReportView, headers: Sequence[str]) -> Group:
        """Return each target as its status, then its name with target, value and gap below."""
        parts: list[Text | Table] = []
        for area in view.areas:
            heading = Text(area.name, style="bold underline")
            parts.append(Text.assemble(heading, "  ", area.counts) if area.counts else heading)
            grid = Table.grid(padding=(0, 2, 0, 0))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            for line in area.lines:
                mark, style = STATUS_STYLE[line.status]
                figures = zip(headers[1:], (line.rule, line.value, line.gap), strict=True)
                shown = "  ".join(f"{header} {cell}" for header, cell in figures)
                grid.add_row(
                    Text(f"{mark} {line.status_word}", style=style), Text(f"{line.name}\n{shown}")
                )
            parts.append(grid)
        return Group(*parts)

    @staticmethod
    def _cells(line: TargetLine) -> list[Text]:
        mark, style = STATUS_STYLE[line.status]
        return [
            Text(line.name),
            Text(line.rule),
            Text(line.value),
            Text(line.gap),
            Text(f"{mark} {line.status_word}", style=style),
        ]


NAMES_LEAST = 12  # cells a target's name gets at the least (6 Chinese characters) in a table


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
