"""The catalogue and blank templates as text (and an Excel workbook) for people and tools."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import yaml

from qcheck.catalogue import Catalogue, Target
from qcheck.i18n import Texts
from qcheck.places import city_word
from qcheck.renderers.base import machine_data, machine_number
from qcheck.renderers.csv import csv_text, headers
from qcheck.renderers.view import lead_units_shown
from qcheck.template import TemplateRow
from qcheck.words import INTERPRETED_MARK, Lang, label

CATALOGUE_FIELDS = (
    "id",
    "name_zh",
    "name_en",
    "area",
    "unit",
    "rule",
    "warning_band",
    "plausible",
    "interpretation",
    "clause",
    "plan_text",
    "lead_units",
    "lead_units_now",
)
TEMPLATE_FIELDS = ("indicator", "year", "region", "value", "unit", "note")


def template_headers(lang: Lang) -> list[str]:
    """Return a blank report's column headers in ``lang``."""
    return [label(lang, f"template.{field}") for field in TEMPLATE_FIELDS]


def catalogue_records(catalogue: Catalogue, lang: Lang) -> list[dict[str, Any]]:
    """Return one plain record per target, with its rule in words."""
    texts = Texts(lang, catalogue)
    return [
        {
            "id": target.id,
            "name_zh": target.name_zh,
            "name_en": target.name_en,
            "area": target.area,
            "unit": target.unit,
            # The ※ and qcheck's reading travel with the rule into every export.
            "rule": texts.marked(texts.rule(target), target),
            "rule_spec": machine_data(target.rule.model_dump()),
            # A met figure nearer its line than this is at risk (None: no band).
            "warning_band": machine_number(catalogue.warning_band(target)),
            "plausible": target.plausible.shown() if target.plausible else None,
            "interpreted": target.interpretation is not None,
            "interpretation": texts.interpretation(target),
            "clause": target.source.clause,
            "plan_text": target.source.text,
            "lead_units": list(target.lead_units),
            # The body doing each lead unit's work today, after a reform (None: as named).
            "lead_units_now": [_now_record(catalogue, name) for name in target.lead_units],
            "lead_task": target.lead_task,
            "aliases": list(target.aliases),
        }
        for target in catalogue.targets
    ]


def _now_record(catalogue: Catalogue, name: str) -> dict[str, Any] | None:
    """Return what a lead unit is today for machines: the body, since when, and on whose word."""
    department = catalogue.department(name)
    if department is None or department.now is None:
        return None
    return {
        "name": department.now,
        "since": department.since,
        "confirmed": department.confirmed,
        "source": department.source,
    }


def _departments(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Return every lead unit the catalogue declares, with the body doing its work today."""
    return [department.model_dump() for department in catalogue.departments]


def render_catalogue(
    catalogue: Catalogue, *, output_format: str, lang: Lang, width: int = 100
) -> str:
    """Return the catalogue as a table, JSON, YAML or CSV."""
    records = catalogue_records(catalogue, lang)
    if output_format == "json":
        return (
            json.dumps(
                {
                    "plan": catalogue.plan.model_dump(),
                    "departments": _departments(catalogue),
                    "targets": records,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if output_format == "yaml":
        document = {"departments": _departments(catalogue), "targets": records}
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    if output_format == "csv":
        texts = Texts(lang, catalogue)
        for record in records:  # for people: the area and unit by name, not by id
            record["area"] = texts.area_name(record["area"])
            record["unit"] = texts.unit_name(record["unit"])
        # A list (the lead units, and what each is now) is one cell, in the plan's order.
        rows = [[_cell(record[key]) for key in CATALOGUE_FIELDS] for record in records]
        return csv_text(headers(lang, CATALOGUE_FIELDS), rows)
    return _catalogue_table(catalogue, lang, width)


def _cell(value: object) -> object:
    """Return a record's value as a CSV cell: a list joined, an item it lacks left empty."""
    if isinstance(value, list):
        return "、".join(_item(item) for item in value)
    return "" if value is None else value


def _item(item: object) -> str:
    """Return an item of a listed cell: a lead unit's body today is its name, ※ if read."""
    if isinstance(item, dict):
        return f"{item['name']}{'' if item['confirmed'] else ' ' + INTERPRETED_MARK}"
    return str(item or "")


def _catalogue_table(catalogue: Catalogue, lang: Lang, width: int) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from qcheck.renderers.fit import RULE_LEAST, fit, measure

    texts = Texts(lang, catalogue)
    # The id goes under the name, so that neither takes a column of its own width.
    ids = [target.id for target in catalogue.targets]
    names = [f"{texts.target_name(t)}\n{t.id}" for t in catalogue.targets]
    # The warning band goes under the rule it belongs to, so that it takes no column.
    rules = [
        "\n".join([texts.marked(texts.rule(target), target), *_band(texts, target)])
        for target in catalogue.targets
    ]
    # One a line, each followed by the body doing its work today, if a reform changed it.
    leads = [
        "\n".join(lead_units_shown(catalogue, [u], lang) for u in t.lead_units)
        for t in catalogue.targets
    ]
    words = [target.source.text for target in catalogue.targets]
    keys = ("indicator", "target", "lead_units", "plan_words")
    headers = [texts.label(key) for key in keys]
    widths = fit(
        [
            # An id is never split: it is what a report may name the indicator by.
            measure([headers[0], *names], names=True, folds=max(map(len, ids))),
            measure([headers[1], *rules], yields=1, folds=RULE_LEAST),
            measure([headers[2], *leads], yields=0, drops=2),  # a unit is never split
            measure([headers[3], *words], yields=2, drops=1, folds=20),
        ],
        width,
    )
    shown = [n for n, column_width in enumerate(widths) if column_width is not None]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for n in shown:
        table.add_column(headers[n], overflow="fold", width=widths[n])
    for area in catalogue.areas:
        in_area = {target.id for target in catalogue.targets if target.area == area.id}
        if table.row_count:
            table.add_section()
        table.add_row(Text(texts.area_name(area.id), style="bold underline"))
        for index, target in enumerate(catalogue.targets):
            if target.id in in_area:
                cells = (names[index], rules[index], leads[index], words[index])
                table.add_row(*(Text(cells[n]) for n in shown))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False)
    console.print(table)
    # The plan's words go first, then the lead units: one note for each way it can end.
    left_out = [key for key in ("plan_words", "lead_units") if widths[keys.index(key)] is None]
    if left_out:
        console.print(texts.label("left_out_" + "_".join(left_out)), markup=False)
    return buffer.getvalue()


def _band(texts: Texts, target: Target) -> list[str]:
    """Return the line saying a target's warning band, 'warning band 1 pp' (none without one)."""
    band = texts.catalogue.warning_band(target)
    if not band:
        return []
    return [texts.label("warning_band", band=texts.gap_amount(band, target.unit))]


def _template_cells(row: TemplateRow, texts: Texts) -> list[str]:
    target: Target = row.target
    region = texts.region_name(row.region) if row.region else city_word(texts.catalogue, texts.lang)
    unit = "" if target.unit is None else target.unit
    return [
        texts.target_name(target),
        str(row.year),
        region,
        "",
        unit,
        _answers(target, texts.lang),
    ]


def _answers(target: Target, lang: Lang) -> str:
    """Return the words a yes/no target is answered in: '填写“完成”或“未完成”' (else nothing)."""
    if not target.rule.answers_yes_no:
        return ""
    yes, no = target.rule.answer_labels
    return label(lang, "template.answer", yes=label(lang, yes), no=label(lang, no))


def render_template(
    rows: Sequence[TemplateRow], *, catalogue: Catalogue, output_format: str, lang: Lang
) -> str:
    """Return a blank report as CSV or YAML text."""
    texts = Texts(lang, catalogue)
    headers = template_headers(lang)
    if output_format == "yaml":
        note = label(lang, "template.fill_in")
        items = []
        for row in rows:
            cells = dict(zip(TEMPLATE_FIELDS, _template_cells(row, texts), strict=True))
            item: dict[str, Any] = {
                "indicator": cells["indicator"],
                "year": row.year,
                "region": cells["region"],
                "value": None,
            }
            if cells["unit"]:
                item["unit"] = cells["unit"]
            if cells["note"]:
                item["note"] = cells["note"]
            items.append(item)
        return f"# {note}\n" + yaml.safe_dump(
            {"measurements": items}, allow_unicode=True, sort_keys=False, width=1000
        )
    # Read back as it was written: a name is not neutralized, or it would no longer match.
    return csv_text(headers, (_template_cells(row, texts) for row in rows), cell=str)


def template_workbook(rows: Sequence[TemplateRow], *, catalogue: Catalogue, lang: Lang) -> bytes:
    """Return a blank report as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    texts = Texts(lang, catalogue)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = "qcheck"
    sheet.append(template_headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells: list[Any] = _template_cells(row, texts)
        cells[1] = row.year
        sheet.append(cells)
    for column, width in zip("ABCDEF", (48, 8, 26, 12, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
