"""The output of ``qcheck diff``: what changed, as a table, Markdown or JSON.

The formats for people are laid out from one view (DiffView), as a report's are from
renderers.view; each renderer has ``render_diff(diff)``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qcheck import __version__
from qcheck.catalogue import Catalogue
from qcheck.diff import (
    DIFF_SCHEMA_VERSION,
    Diff,
    ProblemEntry,
    ReportDiff,
    ReportSide,
    Side,
    TargetChange,
)
from qcheck.i18n import Texts, fewest_places
from qcheck.problems import location
from qcheck.renderers.base import machine_number
from qcheck.renderers.fit import cramped, fit, measure
from qcheck.renderers.json import JsonRenderer, _dumps
from qcheck.renderers.markdown import MarkdownRenderer, cell
from qcheck.renderers.table import NAMES_LEAST, TableRenderer
from qcheck.renderers.view import ProblemLine
from qcheck.verdicts import Status, facts
from qcheck.words import PUBLISHED, Lang, label

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
        )
        for problem in problems
    )


# ---- the formats ---------------------------------------------------------------------------


DOWN = "\n→ "  # in a table, the figure now goes under the figure then


class DiffTableRenderer(TableRenderer):
    """Renders a diff as a Rich table per report, for people at a terminal."""

    def render_diff(self, diff: Diff, catalogue: Catalogue) -> str:
        """Return the diff as text, with ANSI colours only if ``color`` is set."""
        view = diff_view(diff, self.texts_for(catalogue))
        buffer = io.StringIO()
        console = self._console(buffer)
        console.print(Text(view.title, style="bold"))
        for section in view.sections:
            console.print()
            console.print(Text(section.title, style="bold underline"))
            if section.note:
                console.print(Text(section.note, style="yellow"))
            if section.lines:
                console.print(self._changes(section.lines))
            for key, problems in (
                ("diff.new_problems", section.new_problems),
                ("diff.resolved_problems", section.resolved_problems),
            ):
                if problems:
                    console.print(Text(label(self.lang, key), style="bold"))
                    console.print(self._problems(problems))
            console.print(Text(section.summary, style="bold red" if section.regressed else "green"))
        for key, names in (
            ("diff.added_reports", view.added),
            ("diff.removed_reports", view.removed),
        ):
            if names:
                console.print()
                console.print(Text(label(self.lang, key), style="bold"))
                for name in names:
                    console.print(Text(f"  • {name}"))
        return buffer.getvalue()

    def _changes(self, lines: Sequence[ChangeLine]) -> Table | Group:
        """Return the targets that changed as a table, or as a list where it is too narrow."""
        keys = ("indicator", "diff.change", "status", "actual", "gap")
        headers = [label(self.lang, key) for key in keys]
        columns = [
            measure([headers[0], *(line.name for line in lines)], names=True, folds=NAMES_LEAST),
            measure([headers[1], *(line.change for line in lines)], unbroken=True),
            measure([headers[2], *(_marked(line, sep=DOWN) for line in lines)], unbroken=True),
            measure([headers[3], *(_was(line.value, DOWN) for line in lines)], yields=2),
            measure([headers[4], *(_was(line.gap, DOWN) for line in lines)], yields=1),
        ]
        widths = fit(columns, self.width)
        if cramped(columns, widths, self.width):
            return self._change_list(lines, headers)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for header, width, right in zip(
            headers, widths, (False, False, False, True, True), strict=True
        ):
            table.add_column(
                header, overflow="fold", width=width, justify="right" if right else "left"
            )
        for line in lines:
            style = _style(line)
            table.add_row(
                Text(line.name),
                Text(line.change, style=style),
                Text(_marked(line, sep=DOWN), style=style),
                Text(_was(line.value, DOWN)),
                Text(_was(line.gap, DOWN)),
            )
        return table

    def _change_list(self, lines: Sequence[ChangeLine], headers: Sequence[str]) -> Group:
        """Return each change as its name and what changed, then its figures indented below."""
        parts: list[Text | Padding] = []
        for line in lines:
            parts.append(
                Text.assemble(
                    Text(line.name, style="bold"), "  ", Text(line.change, style=_style(line))
                )
            )
            shown = (_marked(line), _was(line.value), _was(line.gap))
            figures = zip(headers[2:], shown, strict=True)
            described = "\n".join(f"{header} {text}" for header, text in figures)
            parts.append(Padding(Text(described, overflow="fold"), (0, 0, 0, 2)))
        return Group(*parts)


def _marked(line: ChangeLine, *, emoji: bool = False, sep: str = " → ") -> str:
    """Return the statuses then and now, each after its mark: ✘ not met → ✔ met."""
    shown = [
        f"{facts(status).emoji if emoji else facts(status).symbol} {word}"
        for status, word in line.statuses
    ]
    return sep.join(shown)


def _was(figures: tuple[str, ...], sep: str = " → ") -> str:
    """Return a figure then and now: 89.4% → 93.1% (the one figure where it held)."""
    return sep.join(figures)


def _style(line: ChangeLine) -> str:
    return "bold red" if line.worse else facts(line.statuses[-1][0]).style


class DiffMarkdownRenderer(MarkdownRenderer):
    """Renders a diff as Markdown for a pull-request comment."""

    def render_diff(self, diff: Diff, catalogue: Catalogue) -> str:
        """Return the diff as Markdown: a heading, a table per report, its problems."""
        view = diff_view(diff, self.texts_for(catalogue))
        lines = [f"### {'❌' if view.regressed else '✅'} {view.title}"]
        for section in view.sections:
            lines += ["", f"#### {section.title}", ""]
            if section.note:
                lines += [f"⚠️ {section.note}", ""]
            lines += [f"**{section.summary}**"]
            if section.lines:
                keys = ("indicator", "diff.change", "status", "actual", "gap")
                lines += ["", _row([label(self.lang, key) for key in keys])]
                lines += [_row(["---", "---", "---", "---:", "---:"])]
                lines += [
                    _row(
                        [
                            line.name,
                            ("🔻 " if line.worse else "") + line.change,
                            _marked(line, emoji=True),
                            _was(line.value),
                            _was(line.gap),
                        ]
                    )
                    for line in section.lines
                ]
            for key, problems in (
                ("diff.new_problems", section.new_problems),
                ("diff.resolved_problems", section.resolved_problems),
            ):
                if problems:
                    lines += ["", f"**{label(self.lang, key)}**", ""]
                    lines += self._problems(problems, 0)
        for key, names in (
            ("diff.added_reports", view.added),
            ("diff.removed_reports", view.removed),
        ):
            if names:
                lines += ["", f"**{label(self.lang, key)}**", ""]
                lines += [f"- {cell(name)}" for name in names]
        return "\n".join(lines) + "\n"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell(text) for text in cells) + " |"


class DiffJsonRenderer(JsonRenderer):
    """Renders a diff as one JSON document for scripts (documented in docs/output.md)."""

    def render_diff(self, diff: Diff, catalogue: Catalogue) -> str:
        """Return the diff as a JSON document; ``catalogue`` is not needed (figures are numbers)."""
        reports = [self._pair(report) for report in diff.reports]
        changes = [change for report in diff.reports for change in report.targets]
        document = {
            "qcheck_version": __version__,
            "schema_version": DIFF_SCHEMA_VERSION,
            "lang": self.lang,
            "old": diff.old,
            "new": diff.new,
            "regressed": diff.regressed(),
            "reports": reports,
            "added_reports": [_side(side) for side in diff.added],
            "removed_reports": [_side(side) for side in diff.removed],
            "summary": {
                "reports": len(reports),
                "changed": sum(c.status_changed or c.value_moved for c in changes),
                "worse": sum(c.direction == "worse" for c in changes),
                "better": sum(c.direction == "better" for c in changes),
                "added_targets": sum(c.before is None for c in changes),
                "removed_targets": sum(c.after is None for c in changes),
                "unchanged": sum(report.unchanged for report in diff.reports),
                "new_problems": sum(len(r.new_problems) for r in diff.reports),
                "resolved_problems": sum(len(r.resolved_problems) for r in diff.reports),
            },
        }
        return _dumps(document, indent=2) + "\n"

    def _pair(self, report: ReportDiff) -> dict[str, Any]:
        return {
            "old": _side(report.before),
            "new": _side(report.after),
            "targets": [self._change(change) for change in report.targets],
            "unchanged": report.unchanged,
            "new_problems": [_problem(problem) for problem in report.new_problems],
            "resolved_problems": [_problem(problem) for problem in report.resolved_problems],
        }

    def _change(self, change: TargetChange) -> dict[str, Any]:
        return {
            "id": change.id,
            "name": change.name(self.lang),
            "unit": change.unit,
            "status_changed": change.status_changed,
            "direction": change.direction,
            "value_moved": change.value_moved,
            "old": _result(change.before),
            "new": _result(change.after),
        }


def _side(side: ReportSide) -> dict[str, Any]:
    return {"source": list(side.sources), "year": side.year, "input_error": side.failed}


def _result(side: Side | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "status": side.status.value,
        "value": machine_number(side.value),
        "gap": machine_number(side.gap),
    }


def _problem(problem: ProblemEntry) -> dict[str, Any]:
    messages = dict(problem.messages)
    fields: dict[str, Any] = {
        "source": problem.source,
        "code": problem.code,
        "severity": problem.severity,
        "row": problem.row,
        "column": problem.column,
    }
    for suffix, lang in PUBLISHED:
        if lang in messages:
            fields[f"message{suffix}"] = messages[lang]
    return fields
