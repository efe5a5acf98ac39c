"""GitHub Actions workflow commands: annotations on the rows behind unmet targets.

Under GitHub Actions the format writes workflow commands, at most as many of each level as a
step shows, the most important first; anywhere else (a terminal, a pre-commit hook run
locally) it writes the same findings as plain lines in the form compilers use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qcheck.evaluation import Report
from qcheck.problems import Problem, sheet_name, shown_problems
from qcheck.renderers.base import (
    Renderer,
    decisive_origin,
    first_source,
    input_warnings,
    report_name,
    sources_named,
    summary_line,
)
from qcheck.validation import Validation
from qcheck.verdicts import facts
from qcheck.words import Lang, Listed, Word, label

# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, and 50 per job
# ("Limitations" in actions/toolkit's docs/problem-matchers.md); those past it are dropped, in
# the order they were written. A run writes at most this many of each level, whatever the
# number of reports, and says in one notice how many more there are.
ANNOTATIONS_PER_LEVEL = 10
LEVELS = ("error", "warning", "notice")
# GitHub shows at most 1 MiB of a step's summary ("each step is restricted to a maximum size of
# 1MiB", "Adding a job summary" in its docs' "Workflow commands for GitHub Actions"); past it,
# the upload of the whole summary is aborted.
STEP_SUMMARY_BYTES = 1024 * 1024
# How a plain line names each level: the words compilers use, which editors link.
PLAIN_LEVELS = {"error": "error", "warning": "warning", "notice": "note"}
# Sort keys of the findings of each kind, within a level: the input's first (an error makes it
# unusable; a warning names the row to look at), then the targets', worst status first.
_INPUT, _TARGET = 0, 1


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


@dataclass(frozen=True)
class Annotation:
    """One finding: its level, what it is (None: qcheck's own note), where, and its rank."""

    level: str
    title: str | None
    message: str
    file: str | None
    line: int | None
    rank: tuple[int, int, int] = (_INPUT, 0, 0)  # lower first, within its level
    count: int = 1  # how many findings it stands for: "... and 80 more" stands for 80

    def command(self) -> str:
        """Return it as a workflow command, which GitHub shows on the file and line."""
        title = "qcheck" if self.title is None else f"qcheck: {self.title}"
        return command(self.level, self.message, file=self.file, line=self.line, title=title)

    def plain(self) -> str:
        """Return it as ``file:line: level: title: message``, as compilers write, on one line."""
        where = ""
        if self.file:
            file = _one_line(self.file)
            where = f"{file}:{self.line}: " if self.line is not None else f"{file}: "
        what = f"{_one_line(self.title)}: " if self.title else ""
        return f"{where}{PLAIN_LEVELS[self.level]}: {what}{_one_line(self.message)}"


def _one_line(text: str) -> str:
    """Return ``text`` with its line breaks written as ``\\n``, as one line.

    A file name may hold one, and a finding split over two lines would no longer read as
    ``file:line: ...``.
    """
    return text.replace("\r", "\\r").replace("\n", "\\n")


class GithubRenderer(Renderer):
    """A warning per input warning, an error per target not met, a warning per one lacking data.

    ``annotations``: whether it runs under GitHub Actions, which reads workflow commands; the
    CLI tells it (a renderer never reads the environment). Elsewhere it writes plain lines.
    """

    annotates = True

    def __init__(self, *, lang: Lang, by: str = "area", annotations: bool = True) -> None:
        super().__init__(lang=lang, by=by)
        self.annotations = annotations

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return one workflow command (or plain line) per finding, and each report's counts."""
        unread = [
            _problem(p, strict=False, lang=self.lang)
            for failure in failures
            for p in failure.problems
        ]
        # Reports of several years (--years, --layout) name their year: the same target, or
        # the same file's counts, would otherwise read alike.
        dated = len({report.year for report in reports}) > 1
        found = [self._findings(report, limit, dated=dated) for report in reports]
        # A line of counts names its report's inputs where an annotation could not tell them:
        # the sheet read, or which of several reports it counts (a plain line always does).
        named = [
            f"{self._named(report, dated)}: {counts}"
            if report.sheets or len(reports) > 1 or not self.annotations
            else counts
            for report, (_, counts) in zip(reports, found, strict=True)
        ]
        if self.annotations:
            return self._capped([*unread, *(item for items, _ in found for item in items)], named)
        lines = [item.plain() for item in _ordered(unread)]
        for (items, _), counts in zip(found, named, strict=True):
            lines += [item.plain() for item in _ordered(items)]
            lines.append(counts)
        return _text(lines)

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return an error (or warning) per problem found, up to ``limit``."""
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        items = [_problem(problem, strict=strict, lang=self.lang) for problem in shown]
        if more:
            level = "error" if validation.unlisted_errors(shown, strict=strict) else "warning"
            where = ", ".join(sources_named(validation, self.lang))
            told = f"{where}: {label(self.lang, 'more', count=more)}"
            items.append(Annotation(level, None, told, None, None, (_INPUT, 1, 0), count=more))
        if self.annotations:
            return self._capped(items, [])
        return _text(item.plain() for item in _ordered(items))

    def _target(self, name: str, report: Report, dated: bool) -> str:
        """Return a target's name, with the year judged where reports of several years are."""
        return label(self.lang, "bracket", text=name, inner=report.year) if dated else name

    def _named(self, report: Report, dated: bool) -> str:
        """Return a report's inputs, and its year where reports of several years are told."""
        named = report_name(report, self.lang)
        return label(self.lang, "bracket", text=named, inner=report.year) if dated else named

    def _findings(
        self, report: Report, limit: int, *, dated: bool = False
    ) -> tuple[list[Annotation], str]:
        """Return a report's findings, in its order, and its counts line."""
        texts = self.texts_for(report.catalogue)
        warnings = input_warnings(report, limit)
        items = [_problem(p, strict=False, lang=self.lang) for p in warnings.shown]
        if warnings.more:  # named by its inputs, not pinned on the first of them
            where = ", ".join(sources_named(report, self.lang))
            more = f"{where}: {label(self.lang, 'more', count=warnings.more)}"
            items.append(Annotation("warning", None, more, None, None, count=warnings.more))
        order = {target.id: n for n, target in enumerate(report.catalogue.targets)}
        for result in report.results:
            status = facts(result.status)
            if status.severity == "none":
                continue
            origin = decisive_origin(result)
            items.append(
                Annotation(
                    "notice" if status.severity == "note" else status.severity,
                    f"{self._target(texts.target_name(result.target), report, dated)} "
                    f"{texts.status(result.status)}",
                    texts.comparison(result),
                    origin.source if origin else first_source(report),
                    origin.row if origin else None,
                    (_TARGET, -status.rank, order.get(result.target.id, 0)),
                )
            )
        return items, summary_line(texts, report, warnings)

    def _capped(self, items: Sequence[Annotation], counts: Sequence[str]) -> str:
        """Return as many of each level as GitHub shows, the most important first.

        The notices start with each report's counts, then one saying how many more findings
        there are, if any. The counts are kept before any finding's notice: those past the room
        left are written as plain lines of the log.
        """
        levels = {level: _ordered(i for i in items if i.level == level) for level in LEVELS}
        cap = ANNOTATIONS_PER_LEVEL
        notices = [*(Annotation("notice", None, line, None, None) for line in counts)]
        notices += levels["notice"]
        left = {
            level: sum(item.count for item in levels[level][cap:]) for level in ("error", "warning")
        }
        more = any(left.values()) or len(notices) > cap
        room = cap - 1 if more else cap  # the notice saying how many more takes a place
        left["notice"] = max(0, len(notices) - room)
        lines = [item.command() for item in (*levels["error"][:cap], *levels["warning"][:cap])]
        shown_counts = min(room, len(counts))
        lines += [notice.command() for notice in notices[:shown_counts]]
        lines += counts[shown_counts:]  # in the log, not as annotations
        if more:
            lines.append(self._more(left).command())
        lines += [item.command() for item in levels["notice"][: max(0, room - len(counts))]]
        return _text(lines)

    def _more(self, left: dict[str, int]) -> Annotation:
        """Return the notice saying how many findings of each level were not annotated."""
        counted = [Word(f"github.{level}s", count=count) for level, count in left.items() if count]
        message = label(self.lang, "github.more", count=sum(left.values()), levels=Listed(counted))
        return Annotation("notice", None, message, None, None)


def step_summary(markdown: str, *, room: int, where: str, lang: Lang) -> str | None:
    """Return ``markdown`` if it takes at most ``room`` bytes, else the lines of it that fit.

    A markdown cut short ends with a line saying so, and ``where`` the full report is. None
    if not even that line fits: anything more would make GitHub refuse the step's summary.
    """
    if len(markdown.encode("utf-8")) <= room:
        return markdown
    note = "\n" + label(lang, "github.summary_cut", where=where) + "\n"
    if len(note.encode("utf-8")) > room:
        return None
    fits = markdown.encode("utf-8")[: room - len(note.encode("utf-8"))]
    kept = fits[: fits.rfind(b"\n") + 1].decode("utf-8")  # whole lines: no character is split
    return kept + note


def _ordered(items: Iterable[Annotation]) -> list[Annotation]:
    """Return findings the most important first: by kind, status and the catalogue's order."""
    return sorted(items, key=lambda item: item.rank)


def _text(lines: Iterable[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _problem(problem: Problem, *, strict: bool, lang: Lang) -> Annotation:
    error = problem.fails(strict=strict)
    message = problem.detail(lang)
    if problem.column:
        message = f"{problem.column}: {message}"
    if problem.sheet:  # an annotation names a file and a line, not the sheet they are in
        message = f"{sheet_name(problem.sheet, lang)}: {message}"
    return Annotation(
        "error" if error else "warning",
        problem.code,
        message,
        problem.source,
        problem.row,
    )
