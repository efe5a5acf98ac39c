"""``qcheck diff`` as a Rich table per report, for people at a terminal."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qcheck.catalogue import Catalogue
from qcheck.diff import (
    Diff,
)
from qcheck.renderers.diff.view import ChangeLine, diff_view, marked, was
from qcheck.renderers.fit import cramped, fit, measure
from qcheck.renderers.table import NAMES_LEAST, TableRenderer
from qcheck.verdicts import facts
from qcheck.words import label

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
            measure([headers[2], *(marked(line, sep=DOWN) for line in lines)], unbroken=True),
            measure([headers[3], *(was(line.value, DOWN) for line in lines)], yields=2),
            measure([headers[4], *(was(line.gap, DOWN) for line in lines)], yields=1),
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
                Text(marked(line, sep=DOWN), style=style),
                Text(was(line.value, DOWN)),
                Text(was(line.gap, DOWN)),
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
            shown = (marked(line), was(line.value), was(line.gap))
            figures = zip(headers[2:], shown, strict=True)
            described = "\n".join(f"{header} {text}" for header, text in figures)
            parts.append(Padding(Text(described, overflow="fold"), (0, 0, 0, 2)))
        return Group(*parts)


def _style(line: ChangeLine) -> str:
    return "bold red" if line.worse else facts(line.statuses[-1][0]).style
