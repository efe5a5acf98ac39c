"""Markdown output: a report that fits a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from qcheck.evaluation import Report, Status
from qcheck.i18n import label, validation_line
from qcheck.problems import Problem
from qcheck.renderers.base import (
    Renderer,
    input_warnings,
    matrix,
    matrix_statuses,
    shown_problems,
    sources_named,
    summary_line,
    totals,
)
from qcheck.validation import Validation

STATUS_MARK = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.MISSING: "⚠️",
    Status.NOT_DUE: "⏳",
}


def cell(text: str) -> str:
    """Escape text for a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


class MarkdownRenderer(Renderer):
    """Renders each report as a heading, a summary line, one table and notes."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return the reports, and a summary matrix when there are several."""
        parts = [self._report(report, limit) for report in reports]
        if len(reports) + len(failures) > 1:
            parts.append(self._matrix(reports, failures))
        return "\n".join(parts)

    def _matrix(self, reports: Sequence[Report], failures: Sequence[Validation]) -> str:
        targets = [result.target for result in reports[0].results] if reports else []
        header = [label(self.lang, "report"), *map(str, range(1, len(targets) + 1))]
        counted = matrix_statuses(reports)
        header += [label(self.lang, status.value) for status in counted]
        lines = [f"### {label(self.lang, 'matrix')}", "", _row(header), _row(["---"] * len(header))]
        for row in matrix(reports, failures, self.lang):
            if row.statuses is None or row.summary is None:
                cells = [row.source, f"❗ {label(self.lang, 'input_error')}"]
                lines.append(_row(cells + [""] * (len(header) - 2)))
                continue
            counts = [row.summary.count(status) for status in counted]
            marks = [STATUS_MARK[status] for status in row.statuses]
            lines.append(_row([row.source, *marks, *map(str, counts)]))
        if reports:
            total = totals(reports)
            counts = [total.count(status) for status in counted]
            cells = [f"**{label(self.lang, 'totals')}**", *[""] * len(targets), *map(str, counts)]
            lines.append(_row(cells))
        if targets:
            texts = self.texts_for(reports[0].catalogue)
            legend = ", ".join(f"{n} {texts.target_name(t)}" for n, t in enumerate(targets, 1))
            lines += ["", f"{label(self.lang, 'legend')}: {cell(legend)}"]
        return "\n".join(lines) + "\n"

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return a summary line and a table of the problems found."""
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        valid = validation.is_valid(strict=strict)
        lines = [
            ("✅ " if valid else "❌ ") + validation_line(self.lang, validation, strict=strict),
            "",
        ]
        return "\n".join(lines + self._problems(shown, more)) + "\n"

    def _problems(self, shown: Sequence[Problem], more: int) -> list[str]:
        """Return a table of problems (where, code, what), then how many more there are."""
        lines = []
        if shown:
            header = [label(self.lang, key) for key in ("where", "code", "problem")]
            lines += [_row(header), _row(["---"] * 3)]
            for problem in shown:
                cells = [
                    problem.location(self.lang),
                    f"`{problem.code}`",
                    problem.detail(self.lang),
                ]
                lines.append(_row(cells))
        if more:
            lines += ["", label(self.lang, "more", count=more)]
        return lines

    def _report(self, report: Report, limit: int) -> str:
        texts = self.texts_for(report.catalogue)
        warnings = input_warnings(report, limit)
        summary = report.summary
        worst = (
            Status.FAIL if summary.failed else Status.MISSING if summary.missing else Status.PASS
        )
        city = texts.region_name(None)
        lines = [
            f"### {STATUS_MARK[worst]} {texts.label('title', city=city, year=report.year)}",
            "",
        ]
        if report.sources:
            sources = ", ".join(f"`{source}`" for source in sources_named(report, self.lang))
            lines += [f"{texts.label('sources')}: {sources}", ""]
        lines += [f"**{summary_line(texts, report, warnings)}**", ""]
        if warnings.count:
            lines += [f"**⚠️ {texts.label('input_warnings')}**", ""]
            lines += [*self._problems(warnings.shown, warnings.more), ""]
        header = [
            texts.label(key) for key in ("area", "indicator", "target", "actual", "gap", "status")
        ]
        lines += [_row(header), _row(["---"] * 4 + ["---:", "---"])]
        for result in report.results:
            target = result.target
            name = texts.marked(texts.target_name(target), target)
            lines.append(
                _row(
                    [
                        texts.area_name(target.area),
                        name,
                        texts.rule(target),
                        texts.result_value(result),
                        texts.gap(result),
                        f"{STATUS_MARK[result.status]} {texts.status(result.status)}",
                    ]
                )
            )
        notes = [(result, texts.reasons(result)) for result in report.results]
        notes = [(result, text) for result, text in notes if text]
        if notes:
            lines += ["", f"**{texts.label('notes')}**", ""]
            lines += [f"- {cell(texts.target_name(r.target))}: {cell(text)}" for r, text in notes]
        interpreted = [
            (r.target, reading)
            for r in report.results
            if (reading := texts.interpretation(r.target)) is not None
        ]
        if interpreted:
            lines += ["", f"**{texts.label('interpreted')}**", ""]
            for target, reading in interpreted:
                lines.append(
                    f"- {cell(texts.target_name(target))}: {texts.label('plan_words')} "
                    f"“{cell(target.source.text)}”. {cell(reading)}"
                )
        return "\n".join(lines) + "\n"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell(text) for text in cells) + " |"
