"""HTML output: one self-contained page to read, print or file, with inline SVG charts.

The page asks nothing of any host: its style is inline, its charts are SVG drawn here from the
report's figures, and it has no script, which its Content-Security-Policy also forbids. Every
word comes from the view model (renderers/view.py) and the words layer; Jinja2 escapes every
value, so a note holding ``<script>`` is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

import jinja2
from markupsafe import Markup

from qcheck import __version__
from qcheck.evaluation import Report, Status
from qcheck.renderers.base import Renderer, run_time, sources_named, summary_line, trend_warnings
from qcheck.renderers.view import (
    MatrixView,
    ReportView,
    TargetLine,
    TrendView,
    ValidationView,
    legend_lines,
    matrix_view,
    report_view,
    run_title,
    trend_view,
    validation_view,
)
from qcheck.trends import Series, Trend
from qcheck.validation import Validation
from qcheck.verdicts import ALWAYS_COUNTED, facts
from qcheck.words import join, label

from .charts import Chart, ChartMaker, Marked

# Control characters but tab and line breaks, a browser shows a box, or nothing, for each; and
# bidi embeddings, overrides, isolates and marks: one in an input's text would reorder the
# words composed after it into the same line (a waiver's expiry date, a chart's years).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
REPLACEMENT = "\ufffd"

# The statuses a report's summary always counts, even at zero: met, at risk, not met, missing,
# waived; the others where some target has them.
SUMMARY_STATUSES = (*ALWAYS_COUNTED, Status.PASS_AT_RISK, Status.WAIVED)
# A problem's mark beside its severity's word: an error stops the run, a warning does not.
SEVERITY_MARKS = {"error": facts(Status.FAIL).symbol, "warning": "\u26a0"}


@cache
def environment() -> jinja2.Environment:
    """Return the templates' environment: every value escaped, an unknown name an error."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("qcheck.renderers.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=shown,
    )
    env.filters["css_string"] = css_string
    env.globals["severity_marks"] = SEVERITY_MARKS
    return env


@dataclass(frozen=True)
class Source:
    """An input as the page names it, with its SHA-256 where it is known."""

    name: str
    digest: str | None


@dataclass(frozen=True)
class Count(Marked):
    """A status and how many targets have it, for the summary."""

    word: str
    count: int


@dataclass(frozen=True)
class RowPart(Marked):
    """A target's row and its charts; ``row_id`` None where an earlier group has it (--by unit)."""

    line: TargetLine
    row_id: str | None
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class GroupPart:
    """A group of targets (an area, or a lead unit) with its rows."""

    name: str
    counts: str
    rows: tuple[RowPart, ...]


@dataclass(frozen=True)
class Part:
    """A report's part of the page: its heading, sources, summary, groups, notes and warnings."""

    anchor: str  # the part's id; its rows' ids start with it (--each), or with nothing
    view: ReportView
    sources: tuple[Source, ...]
    counts: tuple[Count, ...]
    groups: tuple[GroupPart, ...]


@dataclass(frozen=True)
class Failure:
    """An input that could not be evaluated (--each), with its problems."""

    sources: str
    view: ValidationView


@dataclass(frozen=True)
class Page:
    """Everything the page shows, in words and plain numbers."""

    lang: str
    title: str
    plan: str
    sources: tuple[Source, ...]
    generated: datetime
    version: str
    parts: tuple[Part, ...] = ()
    overview: MatrixView | None = None
    legend: tuple[tuple[str | None, tuple[tuple[int, str], ...]], ...] = ()
    failures: tuple[Failure, ...] = ()
    validation: ValidationView | None = None
    years: TrendView | None = None  # each year's status, where the page shows several


class HtmlRenderer(Renderer):
    """Renders reports as one HTML page: a summary, each area's table and charts, warnings."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return one report's page; for several, an overview first, then each one's part."""
        several = len(reports) + len(failures) > 1
        parts = tuple(
            self._part(report, limit, f"r{number}" if several else "")
            for number, report in enumerate(reports, 1)
        )
        overview = None
        if several:
            texts = self.texts_for(reports[0].catalogue) if reports else None
            overview = matrix_view(reports, failures, texts, self.lang, by=self.by)
        failed = tuple(
            Failure(
                join(self.lang, sources_named(failure, self.lang)),
                validation_view(failure, self.lang, strict=False, limit=limit),
            )
            for failure in failures
        )
        first = reports[0] if reports else None
        if several and first is not None:  # the years of every report, not the first's
            title = run_title(self.texts_for(first.catalogue), reports)
        else:
            title = parts[0].view.title if parts else label(self.lang, "matrix")
        page = self._start(
            title,
            self._plan(first),
            parts[0].sources if parts and not several else (),
        )
        legend = () if overview is None else legend_lines(overview)
        return self._html(
            replace(
                page,
                parts=parts,
                overview=overview,
                legend=tuple((name, tuple(numbered)) for name, numbered in legend),
                failures=failed,
            )
        )

    def render_trend(self, trend: Trend, *, limit: int) -> str:
        """Return the page of a trend: each year's status, then its last report's in detail.

        The page of several years asked (--years) is titled with them and shows every year's
        own verdict and counts: a year not met must not hide behind a clean last year. The
        years before a single year asked (a history) are drawn in its charts only.
        """
        last = trend.reports[-1]
        series = {s.target.id: s for s in trend.series()}
        if len(trend.reports) == 1 or trend.history:
            drawn = trend.history and len(trend.reports) > 1
            part = self._part(last, limit, "", series if drawn else None)
            page = self._start(part.view.title, self._plan(last), part.sources)
            return self._html(replace(page, parts=(part,)))
        texts = self.texts_for(trend.catalogue)
        years = trend_view(trend, texts, limit, by=self.by)
        part = self._part(last, limit, "", series)
        # The years read the same inputs; a warning (a waiver's, say) may be told in any year.
        view = replace(
            part.view,
            summary=summary_line(texts, last, trend_warnings(trend.reports, limit)),
            warnings=years.warnings,
            more_warnings=years.more_warnings,
            warning_count=years.warning_count,
        )
        part = replace(part, view=view)
        page = self._start(years.title, self._plan(last), part.sources)
        return self._html(replace(page, parts=(part,), years=years))

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return a page listing the problems `qcheck validate` found, under its verdict."""
        view = validation_view(validation, self.lang, strict=strict, limit=limit)
        names = sources_named(validation, self.lang)
        page = self._start(
            label(self.lang, "html.validation"), "", tuple(Source(name, None) for name in names)
        )
        return self._html(replace(page, validation=view))

    def _plan(self, report: Report | None) -> str:
        """Return the plan's title and document number, as the header names it."""
        if report is None:
            return ""
        plan = report.catalogue.plan
        return f"{plan.title} {plan.document}".strip()

    def _start(self, title: str, plan: str, sources: tuple[Source, ...]) -> Page:
        """Return a page's header: its title, plan and inputs, the time and qcheck's version."""
        return Page(
            lang=label(self.lang, "html.lang"),
            title=title,
            plan=plan,
            sources=sources,
            generated=run_time(),
            version=__version__,
        )

    def _html(self, page: Page) -> str:
        """Return the page's HTML, every value escaped by the templates' environment."""
        marks = {status: Marked(status) for status in Status}
        template = environment().get_template("page.html.j2")
        return template.render(page=page, w=self._words, marks=marks)

    def _words(self, key: str, **params: object) -> str:
        """Return a word of the page's language: the templates' one way to words."""
        return label(self.lang, key, **params)

    def _part(
        self, report: Report, limit: int, anchor: str, series: Mapping[str, Series] | None = None
    ) -> Part:
        """Return a report's part: ids start with ``anchor`` (--each); ``series``: the years'."""
        texts = self.texts_for(report.catalogue)
        view = report_view(report, texts, limit, by=self.by)
        prefix = f"{anchor}-" if anchor else ""
        maker = ChartMaker(texts, prefix)
        results = {result.target.id: result for result in report.results}
        seen: set[str] = set()
        groups = []
        for area in view.areas:
            rows = []
            for line in area.lines:
                first = line.target_id not in seen
                seen.add(line.target_id)
                charts = (
                    tuple(maker.charts(results[line.target_id], (series or {}).get(line.target_id)))
                    if first
                    else ()
                )
                row_id = f"{prefix}target-{line.target_id}" if first else None
                rows.append(RowPart(line.status, line, row_id, charts))
            groups.append(GroupPart(area.name, area.counts, tuple(rows)))
        summary = report.summary
        counts = tuple(
            Count(status, texts.status(status), summary.count(status))
            for status in Status
            if status in SUMMARY_STATUSES or summary.count(status)
        )
        return Part(anchor, view, _sources(report, view), counts, tuple(groups))


def _sources(report: Report, view: ReportView) -> tuple[Source, ...]:
    """Return a report's inputs as the page names them, each with its SHA-256 if known."""
    return tuple(
        Source(name, report.digests.get(source))
        for source, name in zip(report.sources, view.sources, strict=True)
    )


def shown(value: object) -> object:
    """Return a value as the page shows it: each control character, bidi ones too, as �.

    Every value of the templates passes here, lines composed of input and qcheck's words
    included: a file name or a waiver's signer holding a right-to-left override cannot turn
    the SHA-256 or the expiry date after it around, nor ring a bell.
    """
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    return CONTROL.sub(REPLACEMENT, value)


def css_string(text: str) -> str:
    """Return text for a CSS string, every character but a letter or digit escaped as hex.

    The page's running header names the report; a quote or ``</style>`` in it stays text,
    a control character, bidi ones too, a �.
    """
    return "".join(
        char if char.isascii() and char.isalnum() else f"\\{ord(char):06x}"
        for char in CONTROL.sub(REPLACEMENT, text)
    )
