"""GitHub Actions workflow commands: annotations on the rows behind unmet targets."""

from __future__ import annotations

from collections.abc import Sequence

from qcheck.evaluation import Report
from qcheck.problems import Problem, sheet_name, shown_problems
from qcheck.renderers.base import (
    Renderer,
    decisive_origin,
    first_source,
    input_warnings,
    sources_named,
    summary_line,
)
from qcheck.validation import Validation
from qcheck.verdicts import facts
from qcheck.words import Lang, label


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file, title) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, *, file: str | None, line: int | None, title: str) -> str:
    """Return one ``::level file=...,line=...,title=...::message`` line."""
    properties = []
    if file:
        properties.append(f"file={escape_property(file)}")
        if line is not None:
            properties.append(f"line={line}")
    properties.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(properties)}::{escape_data(message)}"


class GithubRenderer(Renderer):
    """A warning per input warning, an error per target not met, a warning per one lacking data."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return one workflow command per line."""
        lines = [
            _problem(p, strict=False, lang=self.lang)
            for failure in failures
            for p in failure.problems
        ]
        for report in reports:
            texts = self.texts_for(report.catalogue)
            warnings = input_warnings(report, limit)
            lines += [_problem(p, strict=False, lang=self.lang) for p in warnings.shown]
            if warnings.more:
                more = label(self.lang, "more", count=warnings.more)
                file = first_source(report)
                lines.append(command("warning", more, file=file, line=None, title="qcheck"))
            for result in report.results:
                severity = facts(result.status).severity
                if severity == "none":
                    continue
                origin = decisive_origin(result)
                file = origin.source if origin else first_source(report)
                line = origin.row if origin else None
                level = "notice" if severity == "note" else severity
                title = f"qcheck: {texts.target_name(result.target)} {texts.status(result.status)}"
                message = texts.comparison(result)
                lines.append(command(level, message, file=file, line=line, title=title))
            counts = summary_line(texts, report, warnings)
            if report.sheets:  # name the sheet read: annotations can only name the file
                counts = f"{', '.join(sources_named(report, self.lang))}: {counts}"
            lines.append(f"::notice title=qcheck::{escape_data(counts)}")
        return "\n".join(lines) + "\n"

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return an error (or warning) command per problem found."""
        shown, _ = shown_problems(validation.problems, limit)
        return "".join(_problem(problem, strict=strict, lang=self.lang) + "\n" for problem in shown)


def _problem(problem: Problem, *, strict: bool, lang: Lang) -> str:
    level = "error" if problem.severity == "error" or strict else "warning"
    message = problem.detail(lang)
    if problem.column:
        message = f"{problem.column}: {message}"
    if problem.sheet:  # an annotation names a file and a line, not the sheet they are in
        message = f"{sheet_name(problem.sheet, lang)}: {message}"
    return command(
        level, message, file=problem.source, line=problem.row, title=f"qcheck: {problem.code}"
    )
