"""JSON output: a stable document for CI jobs and scripts (documented in the README)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from qcheck import __version__
from qcheck.evaluation import Report, Result, Summary
from qcheck.i18n import Texts
from qcheck.renderers.base import (
    Renderer,
    machine_data,
    machine_number,
    plain_number,
    shown_problems,
    totals,
)
from qcheck.validation import Validation

SCHEMA_VERSION = 1


class JsonRenderer(Renderer):
    """Renders reports as one JSON document."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return ``{"reports": [...]}`` with every result and its working.

        Scripts read it whole: every warning kept is listed, whatever ``limit``.
        """
        document = {
            "qcheck_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "lang": self.lang,
            "reports": [self._report(report) for report in reports],
            "input_errors": [
                {
                    "source": list(failure.sources),
                    **_sheets(failure),
                    "problems": [p.to_dict() for p in failure.problems],
                }
                for failure in failures
            ],
            "summary": {
                "reports": len(reports),
                "input_errors": len(failures),
                **_counts(totals(reports)),
            },
        }
        # Indenting makes json use its pure-Python encoder: fine for a report, slow for a batch.
        indent = 2 if len(reports) + len(failures) <= 1 else None
        return _dumps(document, indent=indent) + "\n"

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return ``{"validation": {...}}`` with counts and the problems found."""
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        document = {
            "qcheck_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "validation": {
                "source": list(validation.sources),
                **_sheets(validation),
                "valid": validation.is_valid(strict=strict),
                "strict": strict,
                "rows": validation.rows,
                "measurements": validation.measurements,
                "error_count": validation.error_count,
                "warning_count": validation.warning_count,
                "problems": [problem.to_dict() for problem in shown],
                "problems_not_shown": more,
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def _report(self, report: Report) -> dict[str, Any]:
        texts = self.texts_for(report.catalogue)
        return {
            "source": list(report.sources),
            **_sheets(report),
            "year": report.year,
            "plan": {
                "title": report.catalogue.plan.title,
                "document": report.catalogue.plan.document,
                "target_year": report.catalogue.plan.target_year,
            },
            "results": [self._result(result, texts) for result in report.results],
            "summary": _counts(report.summary),
            "warnings": [problem.to_dict() for problem in report.problems],
            "warnings_not_listed": report.omitted_problems,
            "unused_count": report.unused_count,
            "unused_rows": [
                {
                    "source": measurement.origin.source,
                    "row": measurement.origin.row,
                    "indicator": measurement.indicator,
                    "region": measurement.region,
                    "year": measurement.year,
                }
                for measurement in report.unused
            ],
        }

    def _result(self, result: Result, texts: Texts) -> dict[str, Any]:
        target = result.target
        rule = target.rule
        facts = machine_data(rule.all_facts())
        return {
            "id": target.id,
            "name": texts.target_name(target),
            "name_zh": target.name_zh,
            "area": target.area,
            "status": result.status.value,
            "value": machine_number(result.value),
            "value_year": result.value_year,
            "value_region": result.value_region,
            "unit": target.unit,
            "target": texts.rule(target),
            "rule": rule.kind,
            "threshold": facts.get("threshold"),
            "gap": machine_number(result.gap),
            "baseline": machine_number(result.baseline),
            "baseline_year": result.baseline_year or facts.get("baseline_year"),
            "relative_change": machine_number(result.relative_change),
            "year": result.year,
            "failed_years": list(result.failed_years),
            "failed_regions": list(result.failed_regions),
            "rule_facts": facts,
            "reason": texts.reasons(result) or None,
            "reasons": [
                {"code": reason.code, **_params(reason.params)} for reason in result.reasons
            ],
            "observations": [
                {
                    "year": obs.year,
                    "region": obs.region,
                    "value": machine_number(obs.value),
                    "source": obs.origin.source,
                    "row": obs.origin.row,
                }
                for obs in result.observations
            ],
            "interpreted": target.interpretation is not None,
            "interpretation": texts.interpretation(target),
            "plan_text": target.source.text,
            "plan_clause": target.source.clause,
        }


def _sheets(owner: Report | Validation) -> dict[str, Any]:
    """Return ``{"sheets": {workbook: sheet read}}``, or nothing when no workbook was read."""
    return {"sheets": dict(owner.sheets)} if owner.sheets else {}


def _dumps(document: dict[str, Any], *, indent: int | None) -> str:
    """Return a document as JSON, its Decimal figures (below 1e-4) written without exponent.

    json writes such floats as 1e-05; each Decimal goes in as a token no text can hold, which
    is then replaced by the number written out.
    """
    written: list[str] = []
    token = uuid.uuid4().hex

    def figure(value: object) -> str:
        if not isinstance(value, Decimal):
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        written.append(plain_number(value))
        return f"{token}:{len(written) - 1}"

    text = json.dumps(document, ensure_ascii=False, indent=indent, default=figure)
    if not written:
        return text
    return re.sub(f'"{token}:([0-9]+)"', lambda match: written[int(match[1])], text)


def _counts(summary: Summary) -> dict[str, int]:
    return {
        "total": summary.total,
        "pass": summary.passed,
        "fail": summary.failed,
        "missing": summary.missing,
        "not_due": summary.not_due,
    }


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: list(value) if isinstance(value, tuple) else machine_data(value)
        for key, value in params.items()
    }
