"""Commands about the targets: list them, check a targets file, blank templates, schemas."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from qcheck.cli.app import EXIT_OK, echo, main
from qcheck.cli.messages import BadValue
from qcheck.cli.options import LANG_OPTION, YEAR_DEFAULT

if TYPE_CHECKING:
    from qcheck.words import Lang

TARGETS_OPTION = click.option(
    "--targets",
    "targets_path",
    type=click.Path(dir_okay=False),
    help="Targets YAML file. Default: the catalogue built into qcheck.",
)


@main.command()
@TARGETS_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "yaml", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--check",
    "check_path",
    type=click.Path(dir_okay=False),
    help="Only validate this targets file: exit 0 if valid, 2 with every problem if not.",
)
@LANG_OPTION
def targets(
    targets_path: str | None, output_format: str, check_path: str | None, lang: Lang
) -> None:
    """List the targets: id, names, area, rule, the plan's words and lead units.

    \b
    Examples:
      qcheck targets
      qcheck targets --format csv > targets.csv
      qcheck targets --check my-targets.yaml
    """
    from qcheck.cli.request import terminal
    from qcheck.loaders.targets import load_catalogue
    from qcheck.renderers.catalogue import render_catalogue
    from qcheck.words import label

    if check_path is not None:
        catalogue = load_catalogue(check_path)
        echo(label(lang, "targets_valid", path=check_path, count=len(catalogue.targets)) + "\n")
        sys.exit(EXIT_OK)
    catalogue = load_catalogue(targets_path)
    echo(render_catalogue(catalogue, output_format=output_format, lang=lang, width=terminal()[1]))


@main.command()
@TARGETS_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "yaml", "xlsx"]),
    default="csv",
    show_default=True,
    help="Format of the template.",
)
@click.option("--area", "areas", multiple=True, help="Only targets of this area (repeatable).")
@click.option(
    "--regions",
    is_flag=True,
    help="Add a row per county for every target, not only where a rule averages the counties.",
)
@click.option("--year", type=click.IntRange(2000, 2100), help=f"Year to report for. {YEAR_DEFAULT}")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the template to this file (needed for xlsx on a terminal).",
)
@LANG_OPTION
def template(
    targets_path: str | None,
    output_format: str,
    areas: tuple[str, ...],
    regions: bool,
    year: int | None,
    output: str | None,
    lang: Lang,
) -> None:
    """Write a blank report to fill in: every indicator, with the years and counties it needs.

    Fill in the value column and `qcheck validate` accepts it.

    \b
    Examples:
      qcheck template > 2020年填报.csv
      qcheck template --format xlsx -o 填报模板.xlsx
      qcheck template --area environment --lang en --format yaml
    """
    from pathlib import Path

    from qcheck.cli.request import plan_year
    from qcheck.loaders.targets import load_catalogue
    from qcheck.renderers.catalogue import render_template, template_workbook
    from qcheck.template import template_rows
    from qcheck.writing import refuse_inputs, write_atomic

    if output is not None and targets_path is not None:
        refuse_inputs([Path(output)], [Path(targets_path)])
    catalogue = load_catalogue(targets_path)
    known = [area.id for area in catalogue.areas]
    for area in areas:
        if area not in known:
            raise BadValue("unknown_area", param_hint="'--area'", area=area, areas=", ".join(known))
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


@main.command()
@click.argument("kind", type=click.Choice(["targets", "measurements"]), default="measurements")
@TARGETS_OPTION
def schema(kind: str, targets_path: str | None) -> None:
    """Print the JSON Schema of a targets file or of a YAML report, for editors.

    \b
    Examples:
      qcheck schema measurements > qcheck-report.schema.json
      qcheck schema targets > qcheck-targets.schema.json
    """
    import json

    from qcheck.loaders.targets import load_catalogue
    from qcheck.schema import measurements_schema, targets_schema

    document = (
        targets_schema() if kind == "targets" else measurements_schema(load_catalogue(targets_path))
    )
    echo(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
