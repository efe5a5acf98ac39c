"""The commands, their options and help: light to import, each running its body's module.

This is where start-up stops importing: a command imports the module that does its work when
it runs (qcheck.cli.evaluate, qcheck.cli.catalogue), and those modules import normally. So
``qcheck --help``, ``--version`` and a usage error import no model, table or YAML library.
"""

from __future__ import annotations

from typing import Any

import click

from qcheck.cli.app import main
from qcheck.cli.config import CONFIG_OPTION
from qcheck.cli.options import (
    JOBS_FROM,
    LANG_OPTION,
    TARGETS_OPTION,
    YEAR_DEFAULT,
    YEARS_OPTION,
    fail_on_option,
    format_option,
    input_options,
    output_option,
    with_layout_folder,
)
from qcheck.diff import DIFF_FAIL_ON
from qcheck.formats import (
    DEFAULT_FORMAT,
    DIFF_FORMAT_NAMES,
    DIFF_SUFFIX_FORMATS,
    DIFF_SUFFIX_HELP,
    GROUPINGS,
)
from qcheck.loaders.formats import TEMPLATE_FORMATS
from qcheck.repository import CI_SERVICES, DEFAULT_REPORTS
from qcheck.verdicts import FAIL_ON


@main.command()
@input_options
@fail_on_option(
    FAIL_ON,
    "fail",
    "Exit 1 when a target is not met or off track (fail), also when one lacks data "
    "(missing), also when one is met or on track only inside its warning band (warn), or never.",
)
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="area",
    show_default=True,
    help="Group the targets of the table and Markdown by area, or by lead unit (牵头单位, "
    "with the body doing its work today): each department sees its own targets.",
)
@click.option(
    "--waivers",
    "waivers",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A waivers YAML file (repeatable): targets excused, each with its reason, approver and "
    "expiry date. Default: qcheck-waivers.yaml beside the first input (inside it, if a folder).",
)
@click.option(
    "--no-waivers",
    is_flag=True,
    help="Ignore every waiver, given or found beside the reports: for CI that must accept none.",
)
@click.option(
    "--each",
    is_flag=True,
    help="Evaluate every file as a report of its own, then show a summary matrix. "
    "Default: merge all files into one dataset.",
)
@YEARS_OPTION
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="With --each, evaluate files in this many processes; the output is the same. "
    f"Default: one per core from {JOBS_FROM} files, else 1.",
)
@click.pass_context
def evaluate(
    ctx: click.Context,
    /,
    fail_on: str,
    each: bool,
    jobs: int | None,
    by: str,
    years: tuple[int, ...] | None,
    waivers: tuple[str, ...],
    no_waivers: bool,
    **options: Any,
) -> None:
    """Evaluate reports (CSV, Excel, YAML, Parquet, Arrow; folders; - for stdin) against targets.

    Several files are merged into one dataset (six counties may send six files),
    unless --each is given.

    \b
    Examples:
      qcheck evaluate samples/report-2020-all-met.csv
      qcheck evaluate samples/city-2020.csv samples/counties/ --lang en
      qcheck evaluate submissions/ --each --format markdown
      qcheck evaluate samples/report-2020-with-failures.csv --years 2018-2020
      qcheck evaluate report.xlsx --sheet 2020年 -o result.json -o junit.xml
      qcheck evaluate reports/ --waivers waivers.yaml
      cat report.csv | qcheck evaluate - --format json
    """
    from qcheck.cli.evaluate import evaluate_reports

    chosen = {"by": by, "waivers": waivers, "no_waivers": no_waivers}
    options = with_layout_folder(ctx, {**options, **chosen})
    evaluate_reports(ctx, fail_on=fail_on, each=each, jobs=jobs, years=years, options=options)


@main.command()
@input_options
@click.pass_context
def validate(ctx: click.Context, /, **options: Any) -> None:
    """Check reports without evaluating them: exit 0 if usable, 2 if not.

    Every file is read and every row checked; all problems are listed.

    \b
    Examples:
      qcheck validate report.csv
      qcheck validate submissions/ --format json
      qcheck validate report.csv --strict      # warnings count as errors
    """
    from qcheck.cli.evaluate import validate_reports

    validate_reports(ctx, options=with_layout_folder(ctx, options))


@main.command()
@CONFIG_OPTION
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
def targets(**options: Any) -> None:
    """List the targets: id, names, area, rule, the plan's words and lead units.

    \b
    Examples:
      qcheck targets
      qcheck targets --format csv > targets.csv
      qcheck targets --check my-targets.yaml
    """
    from qcheck.cli.catalogue import list_targets

    list_targets(**options)


@main.command()
@CONFIG_OPTION
@TARGETS_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(TEMPLATE_FORMATS),
    help="Format of the template. Default: as the --output file's suffix says, else csv.",
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
def template(**options: Any) -> None:
    """Write a blank report to fill in: every indicator, with the years and counties it needs.

    Fill in the value column and `qcheck validate` accepts it.

    \b
    Examples:
      qcheck template > 2020年填报.csv
      qcheck template --format xlsx -o 填报模板.xlsx
      qcheck template --area environment --lang en --format yaml
    """
    from qcheck.cli.catalogue import write_template

    write_template(**options)


@main.command()
@click.argument(
    "kind", type=click.Choice(["targets", "measurements", "waivers"]), default="measurements"
)
@CONFIG_OPTION
@TARGETS_OPTION
def schema(**options: Any) -> None:
    """Print the JSON Schema of a targets file, a YAML report or a waivers file, for editors.

    \b
    Examples:
      qcheck schema measurements > qcheck-report.schema.json
      qcheck schema targets > qcheck-targets.schema.json
      qcheck schema waivers > qcheck-waivers.schema.json
    """
    from qcheck.cli.catalogue import print_schema

    print_schema(**options)


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option(
    "--ci",
    multiple=True,
    type=click.Choice((*CI_SERVICES, "none")),
    default=("github",),
    show_default=True,
    help="The CI service to write a workflow for (repeatable), or none.",
)
@click.option(
    "--reports",
    default=DEFAULT_REPORTS,
    show_default=True,
    help="The folder to keep the reports in, a folder per year inside it.",
)
@TARGETS_OPTION
@fail_on_option(
    FAIL_ON,
    "fail",
    "When `qcheck evaluate` exits 1 (written to qcheck.toml): GitHub's job then fails, "
    "GitLab's is marked with a warning.",
)
@click.option(
    "--requirement",
    metavar="SPEC",
    help="What CI installs with pip, pinned: qcheck==VERSION, or qcheck @ "
    "git+URL@COMMIT. Default: the commit this qcheck was installed from, if from git; "
    "else this release.",
)
@LANG_OPTION
def init(**options: Any) -> None:
    """Set up a reports repository: settings, a folder per year, pre-commit hooks and CI.

    Writes qcheck.toml, reports/<year>/ for each year of the plan, .pre-commit-config.yaml
    and the CI workflow, in --lang; refuses to overwrite a file.

    \b
    Examples:
      qcheck init
      qcheck init reports-repo --lang zh --ci gitlab
      qcheck init --targets plan-2025.yaml --ci github --ci gitlab
    """
    from qcheck.cli.init import init_repository

    init_repository(**options)


@main.command()
@click.argument("old", metavar="OLD.json")
@click.argument("new", metavar="NEW.json")
@CONFIG_OPTION
@format_option(DIFF_FORMAT_NAMES, DEFAULT_FORMAT)
@output_option(DIFF_SUFFIX_FORMATS, DIFF_SUFFIX_HELP, what="changes")
@fail_on_option(
    DIFF_FAIL_ON,
    "worse",
    "Exit 1 when a target got worse (met to not met, on track to off track, ...) or an "
    "input could no longer be evaluated (worse), or never.",
)
@LANG_OPTION
@click.pass_context
def diff(ctx: click.Context, /, **options: Any) -> None:
    """Compare two JSON reports of qcheck evaluate: what changed from OLD to NEW.

    Statuses that changed (worse or better), values that moved (with the gap
    before and after), targets added or removed, and problems in the input new
    and resolved. Reports are matched by year and file name; two files of one
    report each are compared whatever their names.

    \b
    Examples:
      qcheck evaluate last-month.csv --format json > old.json
      qcheck evaluate this-month.csv --format json > new.json
      qcheck diff old.json new.json
      qcheck diff old.json new.json --format markdown -o changes.md
    """
    from qcheck.cli.diff import compare_reports

    compare_reports(ctx, **options)
