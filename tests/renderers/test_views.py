"""The report view model, and the formats people read drawn from it, on hand-built reports."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from qcheck.catalogue import Catalogue, Target
from qcheck.evaluation import Status
from qcheck.formats import OUTPUT_FORMATS
from qcheck.i18n import Texts
from qcheck.renderers import renderer_for
from qcheck.renderers.github import escape_property
from qcheck.renderers.view import ReportView, report_view
from qcheck.verdicts import facts
from qcheck.words import Lang, label, reason_codes
from tests.helpers import shown_text
from tests.renderers.reports import every_case, reason

PEOPLE = [kind.name for kind in OUTPUT_FORMATS if kind.audience == "people"]
LANGS: list[Lang] = ["zh", "en"]


def test_the_hand_built_report_has_every_status_and_every_reason(catalogue: Catalogue) -> None:
    report = every_case(catalogue)
    assert {result.status for result in report.results} == set(Status)
    codes = [r.code for result in report.results for r in result.reasons]
    assert sorted(codes) == sorted(reason_codes())


@pytest.mark.parametrize("lang", LANGS)
def test_the_view_groups_by_area_in_the_catalogues_order(catalogue: Catalogue, lang: Lang) -> None:
    texts = Texts(lang, catalogue)
    view = report_view(every_case(catalogue), texts, limit=10)
    assert [area.name for area in view.areas] == [
        texts.area_name(area.id) for area in catalogue.areas
    ]
    assert [line.target_id for line in view.lines] == [target.id for target in catalogue.targets]
    assert all(line.area == area.name for area in view.areas for line in area.lines)
    interpreted = {target.id for target in catalogue.targets if target.interpretation}
    assert {line.target_id for line in view.lines if line.interpreted} == interpreted
    assert len(view.readings) == len(interpreted)
    assert view.worst is Status.FAIL
    assert (view.warning_count, view.more_warnings, len(view.warnings)) == (1, 0, 1)
    assert view.summary == label(lang, "with_warnings", summary=view.counts, count=1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("output_format", PEOPLE)
def test_every_status_and_reason_is_put_into_words(
    catalogue: Catalogue, output_format: str, lang: Lang
) -> None:
    texts = Texts(lang, catalogue)
    report = every_case(catalogue)
    text = shown_text(renderer_for(output_format, lang=lang, width=200).render([report], limit=10))
    flat = re.sub(r"\s+", " ", text)
    for status in Status:
        assert texts.status(status) in flat, status
    # A reason's figures are said in the unit of the target it is given for.
    owner = {r.code: result.target for result in report.results for r in result.reasons}
    for code in reason_codes():
        words = texts.reason(reason(code), owner[code])
        assert words in flat.replace("\\|", "|"), code
        assert code not in flat, code
    areas = [texts.area_name(area.id) for area in catalogue.areas]
    assert [flat.index(area) for area in areas] == sorted(flat.index(area) for area in areas)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [80, 120])
def test_a_table_fits_its_width(catalogue: Catalogue, lang: Lang, width: int) -> None:
    report = every_case(catalogue)
    text = shown_text(renderer_for("table", lang=lang, width=width).render([report], limit=10))
    assert max(cell_len(line) for line in text.splitlines()) <= width


MACHINES = [kind.name for kind in OUTPUT_FORMATS if kind.audience == "machines"]


@pytest.mark.parametrize("output_format", MACHINES)
def test_every_target_of_every_status_reaches_the_machine_formats(
    catalogue: Catalogue, output_format: str
) -> None:
    report = every_case(catalogue)
    text = renderer_for(output_format, lang="en", width=200).render([report], limit=10)
    for result in report.results:
        if output_format == "github":  # annotations, by name, for what needs looking at
            flagged = {Status.FAIL, Status.OFF_TRACK, Status.MISSING, Status.WAIVED}
            shown = result.status in flagged | {Status.PASS_AT_RISK, Status.ON_TRACK_AT_RISK}
            assert (escape_property(result.target.name_en) in text) == shown, result.status
        elif output_format == "codequality":  # issues, by id, for what is not plainly met
            shown = facts(result.status).severity != "none"
            assert (f'"check_name": "{result.target.id}"' in text) == shown, result.status
        else:
            assert result.target.id in text, (output_format, result.status)


def test_json_carries_every_status_and_reason_code(catalogue: Catalogue) -> None:
    report = every_case(catalogue)
    document = json.loads(renderer_for("json", lang="en", width=200).render([report], limit=10))
    (results,) = [report["results"] for report in document["reports"]]
    assert {result["status"] for result in results} == {status.value for status in Status}
    codes = {reason["code"] for result in results for reason in result.get("reasons", [])}
    assert codes == set(reason_codes())


def test_the_batch_matrix_follows_the_tables_order_of_areas(catalogue: Catalogue) -> None:
    # With a catalogue whose areas interleave, the matrix once broke at every change of area
    # (9 groups for 5 areas in the 2025 sample) and numbered its legend in another order.
    from qcheck.renderers.view import matrix_view

    report = every_case(catalogue)
    texts = Texts("en", catalogue)
    view = report_view(report, texts, limit=10)
    matrix = matrix_view([report], [], texts, "en")
    assert list(matrix.legend) == [texts.target_name(t) for t in _targets_of(view, catalogue)]
    assert len(matrix.group_starts) == len(view.areas) - 1
    (line,) = matrix.lines
    status_of = {result.target.id: result.status for result in report.results}
    assert line.statuses == tuple(status_of[line.target_id] for line in view.lines)


def _targets_of(view: ReportView, catalogue: Catalogue) -> list[Target]:
    by_id = {target.id: target for target in catalogue.targets}
    return [by_id[line.target_id] for line in view.lines]


def test_each_grouping_the_command_line_offers_has_its_grouper() -> None:
    from qcheck.formats import GROUPINGS
    from qcheck.renderers.view import GROUPERS

    assert tuple(GROUPERS) == GROUPINGS


def test_by_unit_each_lead_unit_sees_its_own_targets_and_how_they_stand(
    catalogue: Catalogue,
) -> None:
    report = every_case(catalogue)
    texts = Texts("zh", catalogue)
    view = report_view(report, texts, limit=10, by="unit")
    led = {name for target in catalogue.targets for name in target.lead_units}
    # Two of them merged, and a group of the plan's commitments for which it names no unit.
    assert len(view.areas) == len(led) - 1 + 1
    assert view.group_header == label("zh", "lead_units")
    # 市质监局 and 市食药监局 went into one bureau: today's department sees one group.
    market = next(area for area in view.areas if "市场监督管理局" in area.name)
    assert market.name == "市质监局、市食药监局 → 张掖市市场监督管理局 ※"
    assert sum("市场监督管理局" in area.name for area in view.areas) == 1
    ids = [line.target_id for line in market.lines]
    merged = ("市质监局", "市食药监局")
    assert ids == [t.id for t in catalogue.targets if set(merged) & set(t.lead_units)]
    status_of = {result.target.id: result.status for result in report.results}
    passed = sum(status_of[target_id] is Status.PASS for target_id in ids)
    assert market.counts.startswith(f"共{len(ids)}项：达标{passed}项")
    assert all(line.area == market.name for line in market.lines)


def test_a_target_no_unit_leads_is_grouped_as_such(catalogue: Catalogue) -> None:
    first = catalogue.targets[0].model_copy(update={"lead_units": ()})
    unled = catalogue.model_copy(update={"targets": (first, *catalogue.targets[1:])})
    view = report_view(every_case(unled), Texts("en", unled), limit=10, by="unit")
    (last,) = [area for area in view.areas if area.name == label("en", "no_lead_unit")]
    # The first target, and the commitments the plan names no lead unit for.
    unnamed = [t.id for t in catalogue.targets if t.area == "tasks" and not t.lead_units]
    assert [line.target_id for line in last.lines] == [unled.targets[0].id, *unnamed]


@pytest.mark.parametrize(("lang", "words"), [("en", "1 target: "), ("zh", "共1项：")])
def test_a_group_of_one_target_is_counted_in_the_singular(
    catalogue: Catalogue, lang: Lang, words: str
) -> None:
    # A lead unit with one target was headed "1 targets".
    view = report_view(every_case(catalogue), Texts(lang, catalogue), limit=10, by="unit")
    singles = [area for area in view.areas if len(area.lines) == 1]
    assert singles
    assert all(area.counts.startswith(words) for area in singles)


def test_the_batch_matrix_groups_by_lead_unit_as_the_tables_do(catalogue: Catalogue) -> None:
    from qcheck.renderers.view import legend_lines, matrix_view

    report = every_case(catalogue)
    texts = Texts("zh", catalogue)
    view = report_view(report, texts, limit=10, by="unit")
    matrix = matrix_view([report, report], [], texts, "zh", by="unit")
    assert [name for name, _ in matrix.legend_groups] == [area.name for area in view.areas]
    assert [count for _, count in matrix.legend_groups] == [len(a.lines) for a in view.areas]
    # A target led by two units is a column under each: more columns than targets.
    assert len(matrix.legend) == sum(len(area.lines) for area in view.areas) > len(report.results)
    status_of = {result.target.id: result.status for result in report.results}
    grouped = tuple(status_of[line.target_id] for area in view.areas for line in area.lines)
    assert [line.statuses for line in matrix.lines] == [grouped, grouped]
    assert len(matrix.group_starts) == len(view.areas) - 1
    headings = [heading for heading, _ in legend_lines(matrix)]
    assert headings == [area.name for area in view.areas]
    # Grouped by area the legend names no group: the areas show in the targets' own names.
    assert matrix_view([report], [], texts, "zh").legend_groups == ()
