"""The bodies of the commands about the targets: list them, check a file, templates, schemas."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qcheck.cli.app import EXIT_OK
from qcheck.cli.messages import BadValue
from qcheck.cli.request import plan_year, terminal
from qcheck.cli.streams import echo
from qcheck.loaders.formats import CSV, INPUT_FORMATS, by_suffix
from qcheck.loaders.targets import load_catalogue
from qcheck.renderers.catalogue import render_catalogue, render_template, template_workbook
from qcheck.schema import measurements_schema, targets_schema, waivers_schema
from qcheck.template import template_rows
from qcheck.words import Lang, Listed, label
from qcheck.writing import refuse_inputs, write_atomic


def list_targets(
    *, targets_path: str | None, output_format: str, check_path: str | None, lang: Lang
) -> None:
    """Run qcheck targets: list the targets, or check a targets file."""
    if check_path is not None:
        catalogue = load_catalogue(check_path)
        echo(label(lang, "targets_valid", path=check_path, count=len(catalogue.targets)) + "\n")
        sys.exit(EXIT_OK)
    catalogue = load_catalogue(targets_path)
    echo(render_catalogue(catalogue, output_format=output_format, lang=lang, width=terminal()[1]))


def write_template(
    *,
    targets_path: str | None,
    output_format: str | None,
    areas: tuple[str, ...],
    regions: bool,
    year: int | None,
    output: str | None,
    lang: Lang,
) -> None:
    """Run qcheck template: write a blank report to standard output or a file."""
    if output is not None and targets_path is not None:
        refuse_inputs([Path(output)], [Path(targets_path)])
    output_format = template_format(output_format, output)
    catalogue = load_catalogue(targets_path)
    known = [area.id for area in catalogue.areas]
    for area in areas:
        if area not in known:
            raise BadValue("unknown_area", param_hint="'--area'", area=area, areas=Listed(known))
    rows = template_rows(
        catalogue=catalogue,
        year=plan_year(catalogue, year),
        areas=areas,
        every_region=regions,
    )
    data: str | bytes
    if output_format == "xlsx":
        data = template_workbook(rows, catalogue=catalogue, lang=lang)
    else:
        data = render_template(rows, catalogue=catalogue, output_format=output_format, lang=lang)
    if output is not None:
        write_atomic(Path(output), data)
    else:
        if isinstance(data, bytes) and sys.stdout.isatty():
            raise BadValue("xlsx_on_terminal", param_hint="'--format'")
        echo(data)


def template_format(output_format: str | None, output: str | None) -> str:
    """Return the format to write a template in: as --format says, else as --output's suffix does.

    A template written as CSV into a file named .xlsx cannot be opened by Excel: a suffix that
    names another format than --format is refused, and so is one that names no template's
    format when --format is not given.
    """
    if output is None:
        return output_format or CSV.name
    named = by_suffix(Path(output).suffix.lower())
    if named is not None and output_format not in (None, named.name):
        raise BadValue(
            "template_suffix_differs", param_hint="'--output'", path=output, format=output_format
        )
    if output_format is not None:
        return output_format
    if named is None or not named.template:
        raise BadValue(
            "template_suffix", param_hint="'--output'", path=output, formats=_template_suffixes()
        )
    return named.name


def _template_suffixes() -> Listed:
    return Listed(kind.suffixes[0] for kind in INPUT_FORMATS if kind.template)


def print_schema(*, kind: str, targets_path: str | None) -> None:
    """Run qcheck schema: print the JSON Schema of a targets file, a YAML report or waivers."""
    if kind == "targets":
        document = targets_schema()
    elif kind == "waivers":
        document = waivers_schema()
    else:
        document = measurements_schema(load_catalogue(targets_path))
    echo(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
