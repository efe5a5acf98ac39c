"""What a report says, worded once, for the formats people read (table, Markdown) to lay out.

The order of the areas, the notes, the ※ readings, the summary and the warnings are decided
here; a renderer only chooses marks, styles and layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report, Result, Status, Summary
from qcheck.i18n import Texts, validation_line
from qcheck.problems import Problem, shown_problems
from qcheck.renderers.base import (
    input_warnings,
    report_name,
    sources_named,
    summary_line,
    totals,
    trend_warnings,
)
from qcheck.trends import Series, Trend
from qcheck.validation import Validation
from qcheck.words import INTERPRETED_MARK, Lang, join


@dataclass(frozen=True)
class TargetLine:
    """One target's row: every cell in words, and the facts a renderer may style on."""

    target_id: str
    name: str  # followed by ※ where qcheck reads what the plan leaves open
    area: str
    rule: str
    value: str
    gap: str
    status: Status
    status_word: str
    interpreted: bool
    plan_words: str = ""  # the plan's own words for the target, as the targets file quotes them
    clause: str = ""  # where in the plan they stand


@dataclass(frozen=True)
class AreaView:
    """A group's name and its targets' rows: an area (or a lead unit, with --by unit).

    Groups and targets come in the catalogue's order; ``counts`` says how a lead unit's
    targets stand, so that the city sees which department is behind.
    """

    name: str
    lines: tuple[TargetLine, ...]
    counts: str = ""


@dataclass(frozen=True)
class NoteView:
    """Why a target has the status it has, for the notes under the table."""

    name: str
    text: str


@dataclass(frozen=True)
class ReadingView:
    """How qcheck reads a target the plan leaves open (※): the plan's words, then the reading."""

    name: str
    plan_words: str
    reading: str


@dataclass(frozen=True)
class ProblemLine:
    """A problem as listed in a table: where, its code, and what is wrong with the fix."""

    where: str
    code: str
    detail: str  # what is wrong and, in brackets, how to fix it
    error: bool
    message: str  # what is wrong
    hint: str | None  # how to fix it, if known


@dataclass(frozen=True)
class ReportView:
    """A report worded in one language, in the order every human-facing format shows it."""

    title: str
    sources: tuple[str, ...]  # each input, with the sheet read from it
    areas: tuple[AreaView, ...]
    notes: tuple[NoteView, ...]
    readings: tuple[ReadingView, ...]
    counts: str  # 18 targets: 10 met, 6 not met, 2 missing
    summary: str  # the counts, and how many warnings the input has, if any
    worst: Status  # not met if any is, else missing if any is, else met
    warnings: tuple[ProblemLine, ...]  # the warnings about the input to list
    more_warnings: int  # how many more were found than are listed
    warning_count: int
    status_words: Mapping[Status, str]  # every status, for a column as wide as its widest
    group_header: str = ""  # what the groups are: Area, or Lead units
    # How many rows for other years no rule read for the report's year, in words ("": none).
    other_years: str = ""

    @property
    def lines(self) -> tuple[TargetLine, ...]:
        """Every target's row, area after area."""
        return tuple(line for area in self.areas for line in area.lines)


def other_years_line(texts: Texts, report: Report) -> str:
    """Return how many rows for other years no rule read for the report's year ("": none)."""
    count = report.unused_count - report.unused_this_year
    return texts.label("unused_other_years", count=count, year=report.year) if count else ""


@dataclass(frozen=True)
class ValidationView:
    """The result of `qcheck validate` worded: the problems to list, how many more, the verdict."""

    problems: tuple[ProblemLine, ...]
    more: int
    line: str
    valid: bool


@dataclass(frozen=True)
class MatrixLine:
    """A report's line in a batch's summary: a status per target and the counts, or an error."""

    source: str
    statuses: tuple[Status, ...] | None  # None: the input could not be evaluated
    counts: tuple[int, ...]


@dataclass(frozen=True)
class MatrixView:
    """The summary of a batch: a line per input, the totals, and a legend of the targets."""

    counted: tuple[Status, ...]  # the statuses counted, a column each
    lines: tuple[MatrixLine, ...]
    totals: tuple[int, ...] | None  # None: no input could be evaluated
    legend: tuple[str, ...]  # the targets' names, numbered from 1 in the columns
    group_starts: frozenset[int]  # the columns that begin a group (an area), the first aside
    # Each group's name and number of columns, where the legend names the groups (lead units).
    legend_groups: tuple[tuple[str, int], ...] = ()


def problem_lines(problems: Sequence[Problem], lang: Lang) -> tuple[ProblemLine, ...]:
    """Return problems as table rows in ``lang``."""
    return tuple(
        ProblemLine(
            where=problem.location(lang),
            code=problem.code,
            detail=problem.detail(lang),
            error=problem.severity == "error",
            message=problem.text(lang),
            hint=problem.hint_text(lang),
        )
        for problem in problems
    )


def target_line(texts: Texts, result: Result) -> TargetLine:
    """Return a result's row in words."""
    target = result.target
    return TargetLine(
        target_id=target.id,
        name=texts.marked(texts.target_name(target), target),
        area=texts.area_name(target.area),
        rule=texts.rule(target),
        value=texts.result_value(result),
        gap=texts.gap(result),
        status=result.status,
        status_word=texts.status(result.status),
        interpreted=target.interpretation is not None,
        plan_words=target.source.text,
        clause=target.source.clause,
    )


def in_area_order(report: Report) -> list[Result]:
    """Return a report's results as every format shows them: by area, then as the catalogue lists.

    The table's rows, the notes and readings below it, and a batch's columns follow it.
    """
    catalogue = report.catalogue
    area = {area.id: index for index, area in enumerate(catalogue.areas)}
    position = {target.id: index for index, target in enumerate(catalogue.targets)}
    return sorted(
        report.results,
        key=lambda result: (area[result.target.area], position[result.target.id]),
    )


def lead_units_shown(catalogue: Catalogue, names: Sequence[str], lang: Lang) -> str:
    """Return lead units as the plan names them, then → the body doing their work today, if any.

    ``names`` are units one body took over (or one unit). The body is marked ※ where it is
    qcheck's reading of a reform: unless every unit's change to it is confirmed.
    """
    named = join(lang, names)
    body = body_today(catalogue, names[0])
    if body in names:
        return named
    departments = [catalogue.department(name) for name in names]
    confirmed = all(department is not None and department.confirmed for department in departments)
    return f"{named} → {body}" + ("" if confirmed else f" {INTERPRETED_MARK}")


def body_today(catalogue: Catalogue, name: str) -> str:
    """Return the body doing a lead unit's work today: its successor, else itself."""
    department = catalogue.department(name)
    return name if department is None or department.now is None else department.now


def _by_area(ordered: Sequence[Result], texts: Texts) -> list[AreaView]:
    """Return the targets grouped by area, in the catalogue's order."""
    groups = []
    for area in texts.catalogue.areas:
        results = [result for result in ordered if result.target.area == area.id]
        if results:
            lines = tuple(target_line(texts, result) for result in results)
            groups.append(AreaView(texts.area_name(area.id), lines))
    return groups


def _by_unit(ordered: Sequence[Result], texts: Texts) -> list[AreaView]:
    """Return the targets grouped by the body leading them today, a target in each of its groups.

    Units a reform merged (市质监局 and 市食药监局 into one market regulation bureau) are one
    group, headed by the names the plan gives them and the body they are now.
    """
    catalogue = texts.catalogue
    body_of = {
        name: body_today(catalogue, name) for result in ordered for name in result.target.lead_units
    }
    names_of: dict[str, list[str]] = {}
    for name, body in body_of.items():
        names_of.setdefault(body, []).append(name)
    keyed = [
        (
            lead_units_shown(catalogue, names, texts.lang),
            [r for r in ordered if body in {body_of[name] for name in r.target.lead_units}],
        )
        for body, names in names_of.items()
    ]
    unled = [result for result in ordered if not result.target.lead_units]
    if unled:
        keyed.append((texts.label("no_lead_unit"), unled))
    groups = []
    for name, results in keyed:
        lines = tuple(replace(target_line(texts, result), area=name) for result in results)
        groups.append(AreaView(name, lines, texts.summary(Summary.of(results))))
    return groups


@dataclass(frozen=True)
class Grouping:
    """A way to group a report's targets for people.

    Its groups, the label heading them, and whether a batch's legend names the groups: an
    area's targets are known by their names; a unit's need its name beside them.
    """

    groups: Callable[[Sequence[Result], Texts], list[AreaView]]
    header: str
    named: bool


# How a report's targets are grouped for people, by the name --by gives (qcheck.formats.GROUPINGS).
GROUPERS: dict[str, Grouping] = {
    "area": Grouping(_by_area, "area", named=False),
    "unit": Grouping(_by_unit, "lead_units", named=True),
}


def report_view(report: Report, texts: Texts, limit: int, *, by: str = "area") -> ReportView:
    """Return a report worded in ``texts``' language, listing at most ``limit`` warnings.

    ``by`` groups its targets: by ``area``, or by ``unit``, the lead units (see GROUPINGS).
    """
    ordered = in_area_order(report)
    grouping = GROUPERS[by]
    areas = grouping.groups(ordered, texts)
    notes = [
        NoteView(texts.target_name(result.target), reasons)
        for result in ordered
        if (reasons := texts.reasons(result))
    ]
    readings = [
        ReadingView(texts.target_name(result.target), result.target.source.text, reading)
        for result in ordered
        if (reading := texts.interpretation(result.target)) is not None
    ]
    warnings = input_warnings(report, limit)
    return ReportView(
        title=texts.label("title", city=texts.region_name(None), year=report.year),
        sources=tuple(sources_named(report, texts.lang)),
        areas=tuple(areas),
        notes=tuple(notes),
        readings=tuple(readings),
        counts=texts.summary(report.summary),
        summary=summary_line(texts, report, warnings),
        worst=report.summary.worst,
        warnings=problem_lines(warnings.shown, texts.lang),
        more_warnings=warnings.more,
        warning_count=warnings.count,
        status_words={status: texts.status(status) for status in Status},
        group_header=texts.label(grouping.header),
        other_years=other_years_line(texts, report),
    )


def validation_view(
    validation: Validation, lang: Lang, *, strict: bool, limit: int
) -> ValidationView:
    """Return the result of `qcheck validate` worded in ``lang``, listing ``limit`` problems."""
    shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
    return ValidationView(
        problems=problem_lines(shown, lang),
        more=more,
        line=validation_line(lang, validation, strict=strict),
        valid=validation.is_valid(strict=strict),
    )


def matrix_view(
    reports: Sequence[Report],
    failures: Sequence[Validation],
    texts: Texts | None,
    lang: Lang,
    *,
    by: str = "area",
) -> MatrixView:
    """Return the summary of a batch: ``texts`` words the first report's targets (None: none).

    Its columns are grouped as the tables are (``by``): a target led by two units is in both.
    """
    # A column for met, not met and missing, and for each other status some target has.
    total = totals(reports)
    counted = total.counted()
    grouping = GROUPERS[by]
    groups = grouping.groups(in_area_order(reports[0]), texts) if reports and texts else []
    columns = [line.target_id for group in groups for line in group.lines]
    target_of = (
        {result.target.id: result.target for result in reports[0].results} if reports else {}
    )
    lines = []
    for report in reports:
        status_of = {result.target.id: result.status for result in report.results}
        lines.append(
            MatrixLine(
                report_name(report, lang),
                tuple(status_of[target_id] for target_id in columns),
                tuple(report.summary.count(status) for status in counted),
            )
        )
    lines += [MatrixLine(join(lang, sources_named(f, lang)), None, ()) for f in failures]
    starts = itertools.accumulate(len(group.lines) for group in groups[:-1])
    return MatrixView(
        counted=counted,
        lines=tuple(lines),
        totals=tuple(total.count(status) for status in counted) if reports else None,
        legend=tuple(texts.target_name(target_of[id]) for id in columns) if texts else (),
        group_starts=frozenset(starts),
        legend_groups=tuple((g.name, len(g.lines)) for g in groups) if grouping.named else (),
    )


def legend_lines(view: MatrixView) -> list[tuple[str | None, list[tuple[int, str]]]]:
    """Return the legend's lines: numbered names, under each group's name where it is named."""
    numbered = list(enumerate(view.legend, 1))
    if not view.legend_groups:
        return [(None, numbered)] if numbered else []
    lines: list[tuple[str | None, list[tuple[int, str]]]] = []
    start = 0
    for name, count in view.legend_groups:
        lines.append((name, numbered[start : start + count]))
        start += count
    return lines


@dataclass(frozen=True)
class TrendCell:
    """A target's status and figure in one year of a trend."""

    status: Status
    value: str


@dataclass(frozen=True)
class TrendLine:
    """A target's row of a trend: a cell per year, the sparkline and the direction in words."""

    target_id: str
    name: str
    rule: str
    cells: tuple[TrendCell, ...]
    spark: str
    direction: str  # rising, falling or flat, for readers who cannot see the sparkline


@dataclass(frozen=True)
class TrendGroup:
    """A group's name and its targets' rows, grouped as a report's are (--by)."""

    name: str
    lines: tuple[TrendLine, ...]


@dataclass(frozen=True)
class TrendView:
    """Several years judged on the same inputs (--years), worded in one language."""

    title: str
    sources: tuple[str, ...]
    years: tuple[int, ...]
    groups: tuple[TrendGroup, ...]
    readings: tuple[ReadingView, ...]
    year_counts: tuple[str, ...]  # each year's counts: 2018: 18 targets: 3 met, ...
    worst: Status  # the worst status of any year
    warning_count: int  # the warnings of every year, each once
    group_header: str
    notes: tuple[NoteView, ...] = ()  # each target's notes, by the years that have them
    warnings: tuple[ProblemLine, ...] = ()  # the warnings about the input to list
    more_warnings: int = 0

    @property
    def lines(self) -> tuple[TrendLine, ...]:
        """Every target's row, group after group."""
        return tuple(line for group in self.groups for line in group.lines)


def trend_line(texts: Texts, series: Series) -> TrendLine:
    """Return a target's series in words: its figure each year, the sparkline and direction."""
    target = series.target
    moved = series.direction
    if moved is None and series.undated_years:
        moved_words = texts.label("trend.undated")
    else:
        moved_words = texts.label(f"trend.{moved or 'none'}")
    return TrendLine(
        target_id=target.id,
        name=texts.marked(texts.target_name(target), target),
        rule=texts.rule(target),
        cells=tuple(
            TrendCell(
                point.status,
                texts.value(None, target.unit)
                if point.value is None
                else texts.observed(point.value, target, point.year),
            )
            for point in series.points
        ),
        spark=series.sparkline if any(n is not None for n in series.numbers) else "",
        direction=moved_words,
    )


def trend_note(texts: Texts, series: Series, results: Sequence[Result]) -> str:
    """Return why a target has each year's status: the years with the same reasons together.

    "2019, 2020: not met in 2019"; then the years whose figure is a row without a year. A
    year's own missing figure is left to its cell.
    """
    by_text: dict[str, list[int]] = {}
    for result in results:
        # "no value for 2019" in 2019's column says no more than its "? —".
        told = [
            r
            for r in result.reasons
            if not (r.code == "no-value" and r.params.get("year") == result.year)
        ]
        if reasons := texts.reasons(replace(result, reasons=tuple(told))):
            by_text.setdefault(reasons, []).append(result.year)
    # A reason of one year that names its year already needs no "2021: " before it.
    parts = [
        text
        if len(years) == 1 and text.startswith(str(years[0]))
        else texts.label("year_note", years=texts.join(years), text=text)
        for text, years in by_text.items()
    ]
    if undated := series.undated_years:
        parts.append(texts.label("undated_note", years=texts.join(undated)))
    return texts.join(parts, sep="sep.clause")


def years_title(texts: Texts, years: Sequence[int]) -> str:
    """Return the title of a run over several years, naming only the years evaluated."""
    return texts.label("title_years", city=texts.region_name(None), years=texts.years(years))


def run_title(texts: Texts, reports: Sequence[Report]) -> str:
    """Return the title of a run of several reports: the years they judge (--layout: several)."""
    return years_title(texts, sorted({report.year for report in reports}))


def trend_view(trend: Trend, texts: Texts, limit: int, *, by: str = "area") -> TrendView:
    """Return the years of a trend worded in ``texts``' language, grouped as ``by`` says."""
    last = report_view(trend.reports[-1], texts, limit, by=by)
    all_series = {series.target.id: series for series in trend.series()}
    lines = {target_id: trend_line(texts, series) for target_id, series in all_series.items()}
    years = trend.years
    results = [{r.target.id: r for r in report.results} for report in trend.reports]
    notes = [
        NoteView(texts.target_name(target), note)
        for target in (result.target for result in in_area_order(trend.reports[-1]))
        if (note := trend_note(texts, all_series[target.id], [r[target.id] for r in results]))
    ]
    warnings = trend_warnings(trend.reports, limit)
    return TrendView(
        title=years_title(texts, years),
        sources=last.sources,
        years=years,
        groups=tuple(
            TrendGroup(area.name, tuple(lines[line.target_id] for line in area.lines))
            for area in last.areas
        ),
        readings=last.readings,
        year_counts=tuple(
            texts.label("year_counts", year=report.year, counts=texts.summary(report.summary))
            for report in trend.reports
        ),
        worst=Summary.added(report.summary for report in trend.reports).worst,
        warning_count=warnings.count,
        group_header=last.group_header,
        notes=tuple(notes),
        warnings=problem_lines(warnings.shown, texts.lang),
        more_warnings=warnings.more,
    )
