"""JSON output: a stable document for CI jobs and scripts (documented in docs/output.md)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qcheck import __version__
from qcheck.evaluation import Report, Result, Status, Summary
from qcheck.i18n import Texts
from qcheck.problems import shown_problems
from qcheck.renderers.base import (
    Renderer,
    machine_data,
    machine_number,
    plain_number,
    totals,
)
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.words import Lang

if TYPE_CHECKING:
    from qcheck.catalogue import Target
    from qcheck.waivers import Waiver

SCHEMA_VERSION = 2


class JsonRenderer(Renderer):
    """Renders reports as one JSON document."""

    def __init__(self, *, lang: Lang) -> None:
        super().__init__(lang=lang)
        self._targets: dict[int, tuple[Target, _Fixed]] = {}
        self._numbers: dict[Decimal, float | int | bool | Decimal | None] = {}

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return ``{"reports": [...]}`` with every result and its working.

        Scripts read it whole: every warning kept is listed, whatever ``limit``.
        """
        return self._render(reports, failures)

    def render_trend(self, trend: Trend, *, limit: int) -> str:
        """Return the reports of the years, earliest first, and each target's series: ``trends``."""
        return self._render(trend.reports, (), trends=self._trends(trend))

    def _trends(self, trend: Trend) -> dict[str, Any]:
        """Return the years and each target's series, for charts."""
        return {
            "years": list(trend.years),
            "targets": [
                {
                    "id": series.target.id,
                    "unit": series.target.unit,
                    "due_year": series.due_year,
                    "baseline": None
                    if series.baseline is None
                    else {"value": self._number(series.baseline), "year": series.baseline_year},
                    "threshold": self._number(series.threshold),
                    "direction": series.direction,
                    "undated_years": list(series.undated_years),
                    "points": [
                        {
                            "year": point.year,
                            "value": self._number(point.value),
                            "status": point.status.value,
                        }
                        for point in series.points
                    ],
                }
                for series in trend.series()
            ],
        }

    def _render(
        self,
        reports: Sequence[Report],
        failures: Sequence[Validation],
        *,
        trends: dict[str, Any] | None = None,
    ) -> str:
        """Return the document of ``render``, with ``trends`` after the reports where given."""
        # Indenting makes json use its pure-Python encoder: fine for a report, slow for a batch.
        indent = 2 if len(reports) + len(failures) <= 1 else None
        # A batch's reports are written one by one (as part() does), then put in their place.
        place = uuid.uuid4().hex
        document = {
            "qcheck_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "lang": self.lang,
            "reports": [self._report(report) for report in reports] if indent else place,
            **({} if trends is None else {"trends": trends}),
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
        text = _dumps(document, indent=indent)
        if indent:
            return text + "\n"
        before, _place, after = text.partition(f'"{place}"')
        pieces = [before, "["]
        for number, report in enumerate(reports):
            pieces += (", ", self.part(report)) if number else (self.part(report),)
        pieces += ("]", after, "\n")
        return "".join(pieces)  # a batch's text is large: it is put together once

    def part(self, report: Report) -> str:
        """Return the report as it stands in a batch's ``reports``: compact JSON."""
        return self.reused(report) or _dumps(self._report(report), indent=None)

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
        fixed = self._fixed(result.target, texts)
        return {
            "id": fixed.id,
            "name": fixed.name,
            "name_zh": fixed.name_zh,
            "area": fixed.area,
            "status": result.status.value,
            "value": self._number(result.value),
            "value_year": result.value_year,
            "value_region": result.value_region,
            "unit": fixed.unit,
            "target": fixed.target,
            "rule": fixed.rule,
            "threshold": fixed.threshold,
            "gap": self._number(result.gap),
            "baseline": self._number(result.baseline),
            "baseline_year": result.baseline_year or fixed.baseline_year,
            "relative_change": self._number(result.relative_change),
            "year": result.year,
            "failed_years": list(result.failed_years),
            "failed_regions": list(result.failed_regions),
            "rule_facts": fixed.rule_facts,
            "warning_band": fixed.warning_band,
            "progress": self._progress(result),
            "reason": texts.reasons(result) or None,
            "reasons": [
                {"code": reason.code, **_params(reason.params)} for reason in result.reasons
            ],
            "observations": [
                {
                    "year": obs.year,
                    "region": obs.region,
                    "value": self._number(obs.value),
                    "source": obs.origin.source,
                    "row": obs.origin.row,
                }
                for obs in result.observations
            ],
            "interpreted": fixed.interpreted,
            "interpretation": fixed.interpretation,
            "plan_text": fixed.plan_text,
            "plan_clause": fixed.plan_clause,
            "waived_status": None if result.waived_status is None else result.waived_status.value,
            "waiver": None if result.waiver is None else _waiver(result.waiver),
        }

    def _progress(self, result: Result) -> dict[str, Any] | None:
        """Return the working of a judgement on pace (None for any other)."""
        working = result.progress
        if working is None:
            return None
        return {
            "method": working.method,
            "base_year": working.base_year,
            "baseline": self._number(working.baseline),
            "latest_year": working.latest_year,
            "latest": self._number(working.latest),
            "due_year": working.due_year,
            "line": self._number(working.line),
            "required_pace": self._number(working.required_pace),
            "actual_pace": self._number(working.actual_pace),
            "ratio": self._number(working.ratio),
            "projected": self._number(working.projected),
        }

    def _number(self, value: Decimal | bool | None) -> float | int | bool | Decimal | None:
        """Return ``machine_number(value)``, worked out once per figure in a run.

        Equal figures (93.1, 93.10) give the same number: held() rounds by value alone.
        """
        if value is None or isinstance(value, bool):  # True == 1: never a key
            return value
        try:
            return self._numbers[value]
        except KeyError:
            number = self._numbers[value] = machine_number(value)
            return number

    def _fixed(self, target: Target, texts: Texts) -> _Fixed:
        """Return what a target's results say whatever the report, worked out once per run."""
        known = self._targets.get(id(target))
        if known is not None and known[0] is target:
            return known[1]
        facts = machine_data(target.rule.all_facts())
        fixed = _Fixed(
            id=target.id,
            name=texts.target_name(target),
            name_zh=target.name_zh,
            area=target.area,
            unit=target.unit,
            target=texts.rule(target),
            rule=target.rule.kind,
            threshold=facts.get("threshold"),
            baseline_year=facts.get("baseline_year"),
            rule_facts=facts,
            warning_band=self._number(texts.catalogue.warning_band(target)),
            interpreted=target.interpretation is not None,
            interpretation=texts.interpretation(target),
            plan_text=target.source.text,
            plan_clause=target.source.clause,
        )
        # Keyed by id(), the target kept beside its fields so that the id stays its own.
        self._targets[id(target)] = (target, fixed)
        return fixed


@dataclass(frozen=True, slots=True, kw_only=True)
class _Fixed:
    """The fields of a target's JSON result that do not depend on the report."""

    id: str
    name: str
    name_zh: str
    area: str
    unit: str | None
    target: str
    rule: str
    threshold: Any
    baseline_year: Any
    rule_facts: dict[str, Any]  # shared by every result of the target: never changed
    warning_band: Any
    interpreted: bool
    interpretation: str | None
    plan_text: str
    plan_clause: str


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
    """Return the total and the count of every status (those of schema version 1 first)."""
    first = (Status.PASS, Status.FAIL, Status.MISSING, Status.NOT_DUE)
    ordered = [*first, *(status for status in Status if status not in first)]
    return {"total": summary.total, **{s.value: summary.count(s) for s in ordered}}


def _waiver(waiver: Waiver) -> dict[str, Any]:
    """Return a waiver as a waived result carries it: what it says, and where it is written."""
    entry = waiver.entry
    return {
        "target": entry.target,
        "region": entry.region,
        "year": None if entry.year is None else list(entry.year),
        "reason": entry.reason,
        "approved_by": entry.approved_by,
        "expires": entry.expires.isoformat(),
        "source": waiver.source,
        "line": waiver.line,
    }


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: list(value) if isinstance(value, tuple) else machine_data(value)
        for key, value in params.items()
    }
