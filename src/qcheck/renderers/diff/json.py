"""``qcheck diff`` as JSON, for scripts: the document docs/output.md describes."""

from __future__ import annotations

from typing import Any

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
from qcheck.renderers.base import machine_number
from qcheck.renderers.json import JsonRenderer, _dumps
from qcheck.words import PUBLISHED


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
