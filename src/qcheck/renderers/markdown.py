"""Markdown output: a report that fits a pull-request comment."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qcheck.evaluation import Report
from qcheck.renderers.base import Renderer
from qcheck.renderers.view import (
    MatrixView,
    NoteView,
    ProblemLine,
    ReadingView,
    ReportView,
    legend_lines,
    matrix_view,
    report_view,
    trend_view,
    validation_view,
)
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import facts
from qcheck.words import fill, label, labelled


def cell(text: str) -> str:
    """Escape text for a Markdown table cell or list item: no pipe, line break or HTML passes.

    Names, reasons and file names come from the input and waivers files: a ``<`` in them must
    show as written, never open a tag or an entity in a pull-request comment.
    """
    for char in "\\|<>&":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def code(text: str) -> str:
    """Return text as a Markdown code span, fenced by more backticks than it holds in a row.

    A file name is shown as written; a backtick in it cannot end the span and let HTML in.
    """
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return fence + padded.replace("\n", " ") + fence


class MarkdownRenderer(Renderer):
    """Renders each report as a heading, a summary line, one table and notes."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return the reports, and a summary matrix when there are several."""
        parts = [
            self._report(report_view(report, self.texts_for(report.catalogue), limit, by=self.by))
            for report in reports
        ]
        # An input that could not be used says why here too: in a step summary or a comment,
        # there is no standard error to read it on.
        parts += [self._failure(failure, limit) for failure in failures]
        if len(reports) + len(failures) > 1:
            texts = self.texts_for(reports[0].catalogue) if reports else None
            parts.append(self._matrix(matrix_view(reports, failures, texts, self.lang, by=self.by)))
        return "\n".join(parts)

    def render_trend(self, trend: Trend, *, limit: int) -> str:
        """Return a target × year table: each year's mark and figure, then the trend."""
        view = trend_view(trend, self.texts_for(trend.catalogue), limit, by=self.by)
        lines = [f"### {facts(view.worst).emoji} {cell(view.title)}", ""]
        lines += self._sources(view.sources)
        lines += [f"- {cell(counts)}" for counts in view.year_counts]
        if view.warning_count:
            lines += ["", f"**⚠️ {label(self.lang, 'warning_count', count=view.warning_count)}**"]
            lines += ["", *self._problems(view.warnings, view.more_warnings)]
        header = [view.group_header, label(self.lang, "indicator"), label(self.lang, "target")]
        header += [*map(str, view.years), label(self.lang, "trend")]
        lines += ["", _row(header), _row(["---"] * 3 + ["---:"] * len(view.years) + ["---"])]
        for group in view.groups:
            for line in group.lines:
                years = [f"{facts(cell.status).emoji} {cell.value}" for cell in line.cells]
                trend_words = f"{line.spark} {line.direction}" if line.spark else line.direction
                lines.append(_row([group.name, line.name, line.rule, *years, trend_words]))
        lines += self._notes(view.notes)
        lines += self._readings(view.readings)
        return "\n".join(lines) + "\n"

    def _sources(self, sources: Sequence[str]) -> list[str]:
        """Return the line naming the inputs read, if any, each as code."""
        if not sources:
            return []
        return [labelled(self.lang, "sources", ", ".join(code(source) for source in sources)), ""]

    def _notes(self, notes: Sequence[NoteView]) -> list[str]:
        """Return why each target has its status, as a list; or nothing."""
        if not notes:
            return []
        return ["", f"**{label(self.lang, 'notes')}**", ""] + [
            "- " + label(self.lang, "note_line", name=cell(n.name), text=cell(n.text))
            for n in notes
        ]

    def _readings(self, readings: Sequence[ReadingView]) -> list[str]:
        """Return how qcheck reads each target the plan leaves open (※), as a list; or nothing."""
        if not readings:
            return []
        return ["", f"**{label(self.lang, 'interpreted')}**", ""] + [
            "- "
            + label(
                self.lang,
                "reading_item",
                name=cell(reading.name),
                plan=label(self.lang, "plan_words"),
                words=cell(reading.plan_words),
                reading=cell(reading.reading),
            )
            for reading in readings
        ]

    def _matrix(self, view: MatrixView) -> str:
        header = [label(self.lang, "report"), *map(str, range(1, len(view.legend) + 1))]
        header += [label(self.lang, status.value) for status in view.counted]
        lines = [f"### {label(self.lang, 'matrix')}", "", _row(header), _row(["---"] * len(header))]
        for line in view.lines:
            if line.statuses is None:
                cells = [line.source, f"❗ {label(self.lang, 'input_error')}"]
                lines.append(_row(cells + [""] * (len(header) - 2)))
                continue
            marks = [facts(status).emoji for status in line.statuses]
            lines.append(_row([line.source, *marks, *map(str, line.counts)]))
        if view.totals is not None:
            blank = [""] * len(view.legend)
            lines.append(
                _row([f"**{label(self.lang, 'totals')}**", *blank, *map(str, view.totals)])
            )
        legend = legend_lines(view)
        if legend and legend[0][0] is not None:
            lines += ["", labelled(self.lang, "legend", "")]
        for heading, numbered in legend:
            names = cell(", ".join(f"{n} {name}" for n, name in numbered))
            if heading is None:
                lines += ["", labelled(self.lang, "legend", names)]
            else:
                lines.append(
                    "- " + fill(self.lang, "labelled", (("label", cell(heading)), ("text", names)))
                )
        return "\n".join(lines) + "\n"

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return a summary line and a table of the problems found."""
        view = validation_view(validation, self.lang, strict=strict, limit=limit)
        lines = [("✅ " if view.valid else "❌ ") + cell(view.line), ""]
        return "\n".join(lines + self._problems(view.problems, view.more)) + "\n"

    def _failure(self, failure: Validation, limit: int) -> str:
        """Return an input that could not be evaluated: its files, then its problems."""
        sources = ", ".join(code(source) for source in failure.sources)
        heading = f"### ❗ {label(self.lang, 'input_error')}: {sources}"
        return heading + "\n\n" + self.render_validation(failure, strict=False, limit=limit)

    def _problems(self, problems: Sequence[ProblemLine], more: int) -> list[str]:
        """Return a table of problems (where, code, what), then how many more there are."""
        lines = []
        if problems:
            header = [label(self.lang, key) for key in ("where", "code", "problem")]
            lines += [_row(header), _row(["---"] * 3)]
            lines += [_row([p.where, f"`{p.code}`", p.detail]) for p in problems]
        if more:
            lines += ["", label(self.lang, "more", count=more)]
        return lines

    def _report(self, view: ReportView) -> str:
        lines = [f"### {facts(view.worst).emoji} {cell(view.title)}", ""]
        lines += self._sources(view.sources)
        lines += [f"**{cell(view.summary)}**", ""]
        if view.warning_count:
            lines += [f"**⚠️ {label(self.lang, 'input_warnings')}**", ""]
            lines += [*self._problems(view.warnings, view.more_warnings), ""]
        keys = ("indicator", "target", "actual", "gap", "status")
        lines += [
            _row([view.group_header, *(label(self.lang, key) for key in keys)]),
            _row(["---"] * 4 + ["---:", "---"]),
        ]
        for line in view.lines:
            status = f"{facts(line.status).emoji} {line.status_word}"
            lines.append(_row([line.area, line.name, line.rule, line.value, line.gap, status]))
        if counted := [area for area in view.areas if area.counts]:
            lines += ["", f"**{view.group_header}**", ""]
            lines += [f"- {cell(area.name)}: {cell(area.counts)}" for area in counted]
        lines += self._notes(view.notes)
        lines += self._readings(view.readings)
        return "\n".join(lines) + "\n"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell(text) for text in cells) + " |"
