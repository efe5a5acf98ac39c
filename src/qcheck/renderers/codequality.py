"""GitLab Code Quality report: a JSON array of issues, one per finding, for merge requests.

GitLab reads a subset of the Code Climate issue format: ``description``, ``check_name``,
``fingerprint``, ``severity`` and ``location`` (``path`` relative to the repository and
``lines.begin``). It keeps one issue per fingerprint, and stops reading at the first issue
its schema refuses, so every issue is complete and every fingerprint is its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from qcheck.evaluation import Report, Result
from qcheck.i18n import Texts
from qcheck.problems import Problem, shown_problems
from qcheck.renderers.base import (
    InputWarnings,
    Renderer,
    decisive_origin,
    first_source,
    input_warnings,
    inputs_anchor,
    sources_named,
    trend_warnings,
)
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import Severity, facts
from qcheck.words import Lang, label

# Code Quality's severities, from a target's status (its severity in STATUS_FACTS) and from a
# problem of an input. An unusable input stops everything: blocker. A target not met is what
# the check is for: critical. Missing data is a finding of its own: major. A warning about
# the input: minor. At risk, or waived: info. A target met (severity none) is no issue.
STATUS_SEVERITY: dict[Severity, str] = {"error": "critical", "warning": "major", "note": "info"}
PROBLEM_SEVERITY = {"error": "blocker", "warning": "minor"}
# GitLab needs a line: an issue with no row points at the file's first line.
NO_LINE = 1
MORE = "more-problems"  # the check name of the issue counting the problems not listed


def repository_path(source: str) -> str:
    """Return an input's path as GitLab links it: relative, with forward slashes, no ``./``.

    An absolute path inside the current folder (the repository's, in a CI job) is made
    relative to it; any other is left as it is.
    """
    path = PurePath(source)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return str(PurePosixPath(path.as_posix()))


class CodequalityRenderer(Renderer):
    """Renders an issue per target not met, lacking data or at risk, and per input problem."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return the issues as a JSON array; problems of inputs not evaluated come first."""
        issues = _Issues()
        for failure in failures:
            issues.problems(failure.problems, strict=False, lang=self.lang)
        for report in reports:
            self._warnings(issues, report, input_warnings(report, limit))
            self._verdicts(issues, report)
        return issues.dumped()

    def render_trend(self, trend: Trend, *, limit: int) -> str:
        """Return the issues of every year judged: the warnings of the inputs, each once."""
        issues = _Issues()
        self._warnings(issues, trend.reports[-1], trend_warnings(trend.reports, limit))
        for report in trend.reports:
            self._verdicts(issues, report)
        return issues.dumped()

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return an issue per problem found, ``limit`` of them, then one counting the rest."""
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        issues = _Issues()
        issues.problems(shown, strict=strict, lang=self.lang)
        if more and validation.sources:
            where = ", ".join(sources_named(validation, self.lang))
            errors = validation.unlisted_errors(shown, strict=strict)
            issues.more(
                validation.sources[0],
                f"{where}: {label(self.lang, 'more', count=more)}",
                severity=PROBLEM_SEVERITY["error" if errors else "warning"],
            )
        return issues.dumped()

    def _warnings(self, issues: _Issues, report: Report, warnings: InputWarnings) -> None:
        issues.problems(warnings.shown, strict=False, lang=self.lang)
        source = first_source(report)
        if warnings.more and source is not None:
            where = ", ".join(sources_named(report, self.lang))
            more = f"{where}: {label(self.lang, 'more', count=warnings.more)}"
            issues.more(source, more, severity=PROBLEM_SEVERITY["warning"])

    def _verdicts(self, issues: _Issues, report: Report) -> None:
        texts = self.texts_for(report.catalogue)
        # A verdict no row decided is told by the folder of the inputs, not by the first of
        # them: a year's folder that gains a file (city.csv before ganzhou.csv) keeps its
        # fingerprints, and GitLab does not see every such target as fixed and new again.
        anchor = (
            repository_path(report.folder)
            if report.folder
            else inputs_anchor([repository_path(source) for source in report.sources])
        )
        for result in report.results:
            issues.verdict(result, texts, fallback=first_source(report), anchor=anchor)


class _Issues:
    """The issues of one document, each with a fingerprint no other has."""

    def __init__(self) -> None:
        self.listed: list[dict[str, Any]] = []
        self._fingerprints: set[str] = set()

    def problems(self, problems: Iterable[Problem], *, strict: bool, lang: Lang) -> None:
        """Add an issue per problem."""
        for problem in problems:
            path = repository_path(problem.source)
            told = (problem.code, path, problem.sheet, problem.row, problem.column)
            severity = "error" if problem.fails(strict=strict) else "warning"
            self._add(
                description=problem.describe(lang),
                check_name=problem.code,
                severity=PROBLEM_SEVERITY[severity],
                path=problem.source,
                line=problem.row,
                key=("problem", *told),
            )

    def verdict(
        self, result: Result, texts: Texts, *, fallback: str | None, anchor: str | None = None
    ) -> None:
        """Add an issue for a target's verdict, on the row that decided it, unless it was met."""
        severity = facts(result.status).severity
        origin = decisive_origin(result)
        path = origin.source if origin else fallback
        if severity == "none" or path is None:
            return
        target = result.target
        named = texts.label("bracket", text=texts.target_name(target), inner=result.year)
        verdict = texts.join((named, texts.status(result.status)), sep="sep.comma")
        self._add(
            description=texts.join((verdict, texts.comparison(result)), sep="sep.clause"),
            check_name=target.id,
            severity=STATUS_SEVERITY[severity],
            path=path,
            line=origin.row if origin else None,
            key=("target", target.id, result.year, repository_path(path) if origin else anchor),
        )

    def more(self, source: str, description: str, *, severity: str) -> None:
        """Add the issue counting the problems not listed (past --max-errors).

        As grave as the gravest of them: errors not listed are no information.
        """
        self._add(
            description=description,
            check_name=MORE,
            severity=severity,
            path=source,
            line=None,
            key=(MORE, repository_path(source)),
        )

    def _add(
        self,
        *,
        description: str,
        check_name: str,
        severity: str,
        path: str,
        line: int | None,
        key: tuple[object, ...],
    ) -> None:
        fingerprint = _fingerprint(key)
        copies = 1
        while fingerprint in self._fingerprints:  # the same place twice: number the copies
            copies += 1
            fingerprint = _fingerprint((*key, copies))
        self._fingerprints.add(fingerprint)
        self.listed.append(
            {
                "type": "issue",
                "description": description,
                "check_name": check_name,
                "fingerprint": fingerprint,
                "severity": severity,
                "categories": ["Bug Risk"],
                "location": {
                    "path": repository_path(path),
                    "lines": {"begin": line if line is not None and line > 0 else NO_LINE},
                },
            }
        )

    def dumped(self) -> str:
        """Return the issues as GitLab reads them: a JSON array."""
        return json.dumps(self.listed, ensure_ascii=False, indent=2) + "\n"


def _fingerprint(key: tuple[object, ...]) -> str:
    """Return a fingerprint of what an issue is about, never of its words (nor their language)."""
    text = "\0".join("" if part is None else str(part) for part in key)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
