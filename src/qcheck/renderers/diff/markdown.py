"""``qcheck diff`` as Markdown, for a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from qcheck.catalogue import Catalogue
from qcheck.diff import (
    Diff,
)
from qcheck.renderers.diff.view import diff_view, marked, was
from qcheck.renderers.markdown import MarkdownRenderer, cell
from qcheck.words import label


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
                            marked(line, emoji=True),
                            was(line.value),
                            was(line.gap),
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
