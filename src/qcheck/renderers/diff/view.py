"""The view of ``qcheck diff`` that its formats for people lay out: what changed, in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from qcheck.catalogue import Catalogue
from qcheck.diff import (
    Diff,
    ProblemEntry,
    ReportDiff,
    ReportSide,
    TargetChange,
)
from qcheck.i18n import Texts, fewest_places
from qcheck.problems import location
from qcheck.renderers.view import ProblemLine
from qcheck.verdicts import Status, facts
from qcheck.words import Lang, label

_T = TypeVar("_T")


class DiffRenderer(Protocol):
    """A renderer of ``qcheck diff``'s result in one format."""

    def render_diff(self, diff: Diff, catalogue: Catalogue) -> str:
        """Return the diff as text; ``catalogue`` names the units it knows."""


@dataclass(frozen=True)
class ChangeLine:
    """A target that changed, in words: what changed, and its status, value and gap then and now."""

    name: str
    change: str  # worse, better, changed, value moved, new target, target no longer there
    worse: bool
    # Then and now; one where they are the same, or the target is new or gone.
    statuses: tuple[tuple[Status, str], ...]
    value: tuple[str, ...]  # 89.4%, 93.1%
    gap: tuple[str, ...]  # -0.6 pp, +3.1 pp


@dataclass(frozen=True)
class ReportSection:
    """One pair of reports compared, in words."""

    title: str
    note: str | None  # the input could (not) be evaluated before or now
    summary: str
    regressed: bool  # what fails the run (ReportDiff.regressed): red, not green
    lines: tuple[ChangeLine, ...]
    new_problems: tuple[ProblemLine, ...]
    resolved_problems: tuple[ProblemLine, ...]


@dataclass(frozen=True)
class DiffView:
    """A diff worded in one language, in the order the formats for people show it."""

    title: str
    regressed: bool  # what fails the run (Diff.regressed): the heading's ❌, not ✅
    sections: tuple[ReportSection, ...]
    added: tuple[str, ...]  # reports only in the new file
    removed: tuple[str, ...]  # reports only in the old file


def diff_view(diff: Diff, texts: Texts) -> DiffView:
    """Return the diff in the words of ``texts``."""
    lang = texts.lang
    return DiffView(
        title=label(lang, "diff.title", old=diff.old, new=diff.new),
        regressed=diff.regressed(),
        sections=tuple(_section(report, texts) for report in diff.reports),
        added=tuple(_report_name(side, lang) for side in diff.added),
        removed=tuple(_report_name(side, lang) for side in diff.removed),
    )


def _report_name(side: ReportSide, lang: Lang) -> str:
    sources = ", ".join(side.sources)
    if side.failed:
        return label(lang, "bracket", text=sources, inner=label(lang, "input_error"))
    return label(lang, "diff.report", sources=sources, year=side.year)


def _section(report: ReportDiff, texts: Texts) -> ReportSection:
    lang = texts.lang
    before, after = report.before, report.after
    title = _report_name(after, lang)
    moved = set(before.sources) != set(after.sources)  # not another order: the same files
    if moved and before.year == after.year and not before.failed:
        sources = label(
            lang, "diff.renamed", old=", ".join(before.sources), new=", ".join(after.sources)
        )
        title = label(lang, "diff.report", sources=sources, year=after.year)
    elif moved or before.year != after.year:
        title = label(
            lang, "diff.renamed", old=_report_name(before, lang), new=_report_name(after, lang)
        )
    note_key = (
        "became_unusable"
        if report.became_unusable
        else "became_usable"
        if before.failed and not after.failed
        else "still_unusable"
        if before.failed
        else None
    )
    return ReportSection(
        title=title,
        note=label(lang, f"diff.{note_key}") if note_key else None,
        summary=_summary(report, lang),
        regressed=report.regressed(),
        lines=tuple(_line(change, texts) for change in report.targets),
        new_problems=_problem_lines(report.new_problems, lang),
        resolved_problems=_problem_lines(report.resolved_problems, lang),
    )


def _summary(report: ReportDiff, lang: Lang) -> str:
    changes = report.targets
    both = [change for change in changes if change.before and change.after]
    if not changes:
        text = label(lang, "diff.no_change")
    else:
        text = label(
            lang,
            "diff.summary",
            changed=len(both),
            worse=sum(change.direction == "worse" for change in both),
            better=sum(change.direction == "better" for change in both),
            unchanged=report.unchanged,
        )
        if added := sum(change.before is None for change in changes):
            text += label(lang, "diff.summary_added", count=added)
        if removed := sum(change.after is None for change in changes):
            text += label(lang, "diff.summary_removed", count=removed)
    if report.new_problems or report.resolved_problems:
        text += label(
            lang,
            "diff.summary_problems",
            new=len(report.new_problems),
            resolved=len(report.resolved_problems),
        )
    return text


def _line(change: TargetChange, texts: Texts) -> ChangeLine:
    lang = texts.lang
    if change.before is None:
        what = "added_target"
    elif change.after is None:
        what = "removed_target"
    elif change.lost:
        what = "lost"
    elif change.status_changed:
        what = change.direction
    else:
        what = "moved"
    sides = [side for side in (change.before, change.after) if side is not None]
    pairs: list[tuple[Decimal, Decimal]] = []
    figures = [side.value for side in sides if isinstance(side.value, Decimal)]
    if len(figures) == len(sides) == 2:
        pairs.append((figures[0], figures[1]))
    pairs += [(figure, Decimal(0)) for figure in figures]
    pairs += [(side.gap, Decimal(0)) for side in sides if side.gap is not None]
    places = fewest_places(*pairs)

    values = tuple(_value(texts, side.value, change.unit, places) for side in sides)
    gaps = tuple(
        "—" if side.gap is None else _gap(texts, side.gap, change.unit, places) for side in sides
    )
    statuses = tuple((side.status, label(lang, side.status.value)) for side in sides)
    return ChangeLine(
        name=change.name(lang),
        change=label(lang, f"diff.{what}"),
        worse=change.direction == "worse",
        statuses=_held(statuses),
        value=_held(values),
        gap=_held(gaps),
    )


def _held(shown: tuple[_T, ...]) -> tuple[_T, ...]:
    """Return a thing then and now, or once where it held (a one-sided target: its one side)."""
    return shown[1:] if len(shown) == 2 and shown[0] == shown[1] else shown


def _known(texts: Texts, unit: str | None) -> str | None:
    """Return ``unit`` if the catalogue names it (so it is said in the language), else None."""
    if unit is None:
        return None
    try:
        texts.catalogue.unit(unit)
    except KeyError:
        return None
    return unit


def _value(texts: Texts, value: Decimal | bool | None, unit: str | None, places: int) -> str:
    known = _known(texts, unit)
    text = texts.value(value, known, places=places)
    return text if known == unit or value is None or isinstance(value, bool) else f"{text} {unit}"


def _gap(texts: Texts, gap: Decimal, unit: str | None, places: int) -> str:
    known = _known(texts, unit)
    text = texts.gap_amount(gap, known, signed=True, places=places)
    return text if known == unit else f"{text} {unit}"


def _problem_lines(problems: Sequence[ProblemEntry], lang: Lang) -> tuple[ProblemLine, ...]:
    return tuple(
        ProblemLine(
            where=location(problem.source, None, problem.row, problem.column, lang),
            code=problem.code,
            detail=problem.message(lang),
            error=problem.severity == "error",
            message=problem.message(lang),
            hint=None,
        )
        for problem in problems
    )


# ---- the formats ---------------------------------------------------------------------------


def marked(line: ChangeLine, *, emoji: bool = False, sep: str = " → ") -> str:
    """Return the statuses then and now, each after its mark: ✘ not met → ✔ met."""
    shown = [
        f"{facts(status).emoji if emoji else facts(status).symbol} {word}"
        for status, word in line.statuses
    ]
    return sep.join(shown)


def was(figures: tuple[str, ...], sep: str = " → ") -> str:
    """Return a figure then and now: 89.4% → 93.1% (the one figure where it held)."""
    return sep.join(figures)
