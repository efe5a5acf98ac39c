"""GitHub Actions workflow commands: annotations on the rows behind unmet targets."""

from __future__ import annotations

from collections.abc import Sequence

from qcheck.evaluation import Report, Status
from qcheck.i18n import Lang
from qcheck.problems import Problem
from qcheck.renderers.base import (
    Renderer,
    decisive_origin,
    first_source,
    shown_problems,
    sources_named,
)
from qcheck.validation import Validation


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
    """An error per target not met and a warning per target lacking data, then a notice."""

    def render(self, reports: Sequence[Report], failures: Sequence[Validation] = ()) -> str:
        """Return one workflow command per line."""
        lines = [
            _problem(p, strict=False, lang=self.lang)
            for failure in failures
            for p in failure.problems
        ]
        for report in reports:
            texts = self.texts_for(report.catalogue)
            for result in report.results:
                if result.status is Status.PASS:
                    continue
                origin = decisive_origin(result)
                file = origin.source if origin else first_source(report)
                line = origin.row if origin else None
                level = "error" if result.status is Status.FAIL else "warning"
                title = f"qcheck: {texts.target_name(result.target)} {texts.status(result.status)}"
                message = texts.comparison(result)
                lines.append(command(level, message, file=file, line=line, title=title))
            summary = report.summary
            counts = texts.summary(summary)
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
    return command(
        level, message, file=problem.source, line=problem.row, title=f"qcheck: {problem.code}"
    )
