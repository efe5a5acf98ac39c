"""SARIF 2.1.0 output, for code-scanning dashboards: one result per target."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qcheck import __version__
from qcheck.evaluation import Report, Status
from qcheck.problems import Problem, shown_problems
from qcheck.renderers.base import (
    Renderer,
    decisive_origin,
    first_source,
    input_warnings,
    sources_named,
)
from qcheck.validation import Validation
from qcheck.verdicts import facts
from qcheck.words import Lang, label

if TYPE_CHECKING:
    from qcheck.waivers import Waiver

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def kind_level(status: Status) -> tuple[str, str]:
    """Return SARIF's kind and level for a status, from its severity.

    Missing data never passes, so a target lacking it fails as a warning (properties.status
    says "missing"); SARIF would call it "open", but then its level must be "none", and
    code-scanning dashboards show nothing for that level. A pass inside the warning band asks
    a person to look: SARIF's "review". Not yet due is "notApplicable". A waived result keeps
    the kind and level of the status it would have, with a suppression (see _suppressions).
    """
    severity = facts(status).severity
    if severity in ("error", "warning"):
        return "fail", severity
    if severity == "note":
        return "review", "none"
    return ("pass" if facts(status).settled else "notApplicable"), "none"


def _location(uri: str | None, line: int | None) -> list[dict[str, Any]]:
    if uri is None:
        return []
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return [{"physicalLocation": physical}]


def _log(
    rules: list[dict[str, Any]],
    results: list[dict[str, Any]],
    unlisted: Sequence[str] = (),
    *,
    level: str = "warning",
) -> str:
    driver = {"name": "qcheck", "version": __version__, "rules": rules}
    run: dict[str, Any] = {"tool": {"driver": driver}, "results": results}
    if unlisted:  # problems beyond --max-errors: the run says how many more there are
        notifications = [{"level": level, "message": {"text": text}} for text in unlisted]
        run["invocations"] = [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ]
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _suppressions(waiver: Waiver | None) -> dict[str, Any]:
    """Return a waived result's suppression: SARIF keeps the kind and level it would have.

    An external suppression, accepted, with the waiver's reason as its justification and its
    file and line as its location: SARIF reports a suppressed result as it is, marked so.
    """
    if waiver is None:
        return {}
    entry = waiver.entry
    suppression = {
        "kind": "external",
        "status": "accepted",
        "justification": entry.reason,
        "location": _location(waiver.source, waiver.line)[0],
        "properties": {"approved_by": entry.approved_by, "expires": entry.expires.isoformat()},
    }
    return {"suppressions": [suppression]}


def _sheet(sheet: str | None) -> dict[str, str]:
    """Return the worksheet a location lies in, as a property: SARIF locates files only."""
    return {"sheet": sheet} if sheet else {}


class SarifRenderer(Renderer):
    """Renders a SARIF log with a rule per target and a result per target and report."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return the SARIF log as JSON; problems of inputs, used or not, are results too."""
        rules: dict[str, dict[str, Any]] = {}
        results = [
            _problem_result(p, strict=False, lang=self.lang) for f in failures for p in f.problems
        ]
        rules.update({p.code: {"id": p.code} for f in failures for p in f.problems})
        unlisted = []
        for report in reports:
            texts = self.texts_for(report.catalogue)
            warnings = input_warnings(report, limit)
            results += [_problem_result(p, strict=False, lang=self.lang) for p in warnings.shown]
            rules.update({p.code: {"id": p.code} for p in warnings.shown})
            if warnings.more:
                more = label(self.lang, "more", count=warnings.more)
                unlisted.append(f"{', '.join(sources_named(report, self.lang))}: {more}")
            for result in report.results:
                target = result.target
                rules.setdefault(
                    target.id,
                    {
                        "id": target.id,
                        "name": target.name_en,
                        "shortDescription": {
                            "text": f"{texts.target_name(target)} {texts.rule(target)}"
                        },
                        "fullDescription": {
                            "text": f"{target.source.clause}: {target.source.text}"
                        },
                        "properties": {"area": target.area, "lead_units": list(target.lead_units)},
                    },
                )
                kind, level = kind_level(result.waived_status or result.status)
                origin = decisive_origin(result)
                file = origin.source if origin else first_source(report)
                status = texts.status(result.status)
                message = f"{texts.target_name(target)}: {status}; {texts.comparison(result)}"
                results.append(
                    {
                        "ruleId": target.id,
                        "kind": kind,
                        "level": level,
                        "message": {"text": message},
                        "locations": _location(file, origin.row if origin else None),
                        "properties": {
                            "year": report.year,
                            "status": result.status.value,
                            **_sheet(origin.sheet if origin else report.sheets.get(file or "")),
                        },
                        **_suppressions(result.waiver),
                    }
                )
        return _log(list(rules.values()), results, unlisted)

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return a SARIF log with a result per problem found."""
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        rules = {problem.code: {"id": problem.code} for problem in shown}
        results = [_problem_result(problem, strict=strict, lang=self.lang) for problem in shown]
        if not more:
            return _log(list(rules.values()), results)
        # Counted in a notification, an error if any of them is one: a dashboard must not read
        # the errors it was not given as none.
        where = ", ".join(sources_named(validation, self.lang))
        unlisted = [f"{where}: {label(self.lang, 'more', count=more)}"]
        level = "error" if validation.unlisted_errors(shown, strict=strict) else "warning"
        return _log(list(rules.values()), results, unlisted, level=level)


def _problem_result(problem: Problem, *, strict: bool, lang: Lang) -> dict[str, Any]:
    return {
        "ruleId": problem.code,
        "kind": "fail",
        "level": "error" if problem.fails(strict=strict) else "warning",
        "message": {"text": problem.detail(lang)},
        "locations": _location(problem.source, problem.row),
        **({"properties": _sheet(problem.sheet)} if problem.sheet else {}),
    }
