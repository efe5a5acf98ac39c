"""Every problem code qcheck reports, declared once: its severity, meaning and fix.

The codes are a published format (JSON, SARIF, JUnit and GitHub output name them): never
rename one. The words a problem is told in, its message and hint templates, are in the
language tables (qcheck.lang) under ``problem.<code>`` and ``hint.<code>`` (and
``problem.<code>.<variant>`` where a site says more than the code's usual words); the
parameters a code's templates take are read from them. docs/problems.md is generated from this
module: ``python -m qcheck.problem_codes > docs/problems.md``.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal

from qcheck.words import LANGS, table

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    """One problem code: how grave it is, and what it means and how to fix it, for the docs."""

    code: str
    severity: Severity
    meaning: str
    fix: str


def _codes(*codes: Code) -> dict[str, Code]:
    return {code.code: code for code in codes}


CODES: dict[str, Code] = _codes(
    # Errors: the input cannot be used as it is; nothing is evaluated (exit 2).
    Code(
        "unknown-indicator",
        "error",
        "no target has this name; the closest known name is suggested",
        "write a target's id, Chinese or English name or alias (`qcheck targets` lists them)",
    ),
    Code(
        "unknown-region",
        "error",
        "not one of the targets file's counties/districts nor a city-wide name",
        "write one of the regions the hint names, or leave the cell empty for the city",
    ),
    Code(
        "not-a-number",
        "error",
        "the value is text, a decimal comma, a comma after a leading 0 (`0,078`), `32,400` in a "
        "semicolon-separated file (32.4 or 32400?), or a met / not met word for a numeric target",
        "write a plain number such as 95.2 or 95.2%",
    ),
    Code("not-finite", "error", "NaN or infinity", "write the measured figure as a number"),
    Code(
        "empty-value",
        "error",
        "the indicator or value cell is empty",
        "fill in the cell, or delete the row if there is no figure",
    ),
    Code(
        "not-qualitative",
        "error",
        "a met / not met target got something other than 达到/未达到, 是/否, ...",
        "write 达到 or 未达到 (met / not met)",
    ),
    Code(
        "out-of-range",
        "error",
        "a percentage outside 0–100, a negative count or concentration, a fraction (unit `比例`) "
        "outside 0–1, a year outside 2000–2100",
        "check the figure and its unit",
    ),
    Code(
        "implausible",
        "error",
        "a figure outside its target's plausible range (`plausible` in the targets file): a "
        "percentage written as a fraction (0.95 for 95%) in the shipped catalogue",
        "check the figure; write a fraction as a percentage, or widen `plausible`",
    ),
    Code("not-an-integer", "error", "a count (户) with decimals", "write a whole number"),
    Code(
        "unit-mismatch",
        "error",
        "the unit column does not match the indicator, or a `%` on a non-percentage",
        "write the indicator's unit, or leave the unit empty",
    ),
    Code(
        "invalid-value",
        "error",
        "a cell the row model refuses for a reason qcheck has no words of its own for (said as "
        "the validator says it)",
        "correct the cell as the message says",
    ),
    Code("bad-year", "error", "the year is not a year", "write the year as four digits, e.g. 2020"),
    Code(
        "duplicate",
        "error",
        "two rows for the same indicator, region and year with different values, compared as "
        "numbers (both rows are named)",
        "keep one row per indicator, region and year",
    ),
    Code(
        "missing-column",
        "error",
        "the header lacks the indicator or value column",
        "add the column, under one of the headers docs/inputs.md lists",
    ),
    Code("duplicate-column", "error", "the header names a column twice", "keep one of them"),
    Code(
        "extra-cells",
        "error",
        "a row has cells beyond the header (the first five are quoted, the rest counted)",
        "give them a header or remove them; quote a value holding the delimiter",
    ),
    Code("no-data", "error", "an empty file, or a header without rows", "add the rows"),
    Code(
        "bad-encoding",
        "error",
        "the bytes are not UTF-8, UTF-16, UTF-32 or GB18030 (or not the `--encoding` given), "
        "hold a NUL or a byte-order mark inside the text, or look like Big5 read as GB18030",
        "save the file as CSV UTF-8, or name its encoding with `--encoding`",
    ),
    Code("bad-csv", "error", "a line the CSV reader cannot split", "close the quote it opens"),
    Code(
        "bad-excel",
        "error",
        "a damaged, password-protected or `.xls` workbook, or one whose sheets are all hidden",
        "save it again in Excel as .xlsx, without a password",
    ),
    Code(
        "no-such-sheet",
        "error",
        "a `--sheet` the workbook lacks",
        "name one of the sheets the hint lists",
    ),
    Code(
        "merged-cell",
        "error",
        "a cell qcheck reads lies under a merged range (the range is named)",
        "unmerge the range and fill in each cell",
    ),
    Code(
        "formula-not-calculated",
        "error",
        "a formula Excel never calculated",
        "open the workbook in Excel and save it, or type the figure",
    ),
    Code(
        "hidden-by-format",
        "error",
        "a value its number format shows as nothing (`;;;`, or a zero formatted `0.00%;;`)",
        "give the cell a number format that shows it, and check it",
    ),
    Code(
        "year-column",
        "error",
        "a column (or YAML key) per year: qcheck reads one row per indicator and year",
        "put the years in a 年份 column and the figures in a 数值 column",
    ),
    Code(
        "unread-region-column",
        "error",
        "a column qcheck does not read holds county names: its rows would count as city-wide",
        "name the column 地区 or 区县 (region)",
    ),
    Code(
        "bad-parquet",
        "error",
        "a file that is not valid Parquet or Arrow IPC (`.arrow`, `.feather`), or a column of a "
        "type that is not one value per cell (lists, structs, maps, bytes); the column is named",
        "write the file again, with one value per cell",
    ),
    Code(
        "bad-yaml",
        "error",
        "invalid or refused YAML (tags, alias bombs, deep nesting)",
        "fix the YAML where the message says",
    ),
    Code(
        "bad-structure",
        "error",
        "a YAML file not shaped as a report",
        "write a list of rows, or a mapping with a `measurements` list",
    ),
    Code(
        "too-large",
        "error",
        "over `--max-bytes` (a targets file or a YAML report: over 16 MiB; YAML: over 500,000 "
        "nodes), a row of more than 1,000 cells or a cell of more than 32,767 characters",
        "split the input, or raise `--max-bytes`",
    ),
    Code(
        "unsupported-format",
        "error",
        "a suffix qcheck does not read, or none, also a spreadsheet or document in a folder",
        "save it as .xlsx or CSV UTF-8, or pipe it in",
    ),
    Code(
        "misnamed",
        "error",
        "a file named as CSV or YAML (or a stream `--stdin-format` calls one) whose first bytes "
        "are those of a workbook, Parquet or Arrow file",
        "rename it to the suffix the hint names, or give the right `--stdin-format`",
    ),
    Code(
        "unreadable",
        "error",
        "a file that cannot be opened or looked at (a loop of links, a name too long), a folder "
        "that cannot be listed, a link that leads nowhere",
        "check the path and its permissions",
    ),
    Code(
        "invalid-targets",
        "error",
        "the `--targets` file does not describe a valid catalogue (the key path is given; the "
        "reason in the language of `--lang`)",
        "fix the key the message names (`qcheck targets --check FILE`)",
    ),
    Code(
        "invalid-waivers",
        "error",
        "the waivers file is not a mapping with a `waivers` list, or a waiver lacks a required "
        "key, has an unknown one, or a value of the wrong form (a date not YYYY-MM-DD); the line "
        "of the waiver and its key are named",
        "give each waiver target, reason, approved_by and expires (`qcheck schema waivers`)",
    ),
    Code(
        "not-a-report",
        "error",
        "a file `qcheck diff` compares that is not a JSON report of `qcheck evaluate`: not JSON, "
        "another format (JUnit, SARIF), the JSON of `validate`, a schema version this qcheck "
        "does not read, or a field that is not as docs/output.md describes it",
        "compare two files written by `qcheck evaluate --format json`",
    ),
    Code(
        "waivers-not-read",
        "error",
        "a waivers file found in an input folder where qcheck does not look for one (a subfolder, "
        "or beside an input other than the first): it is neither a report nor read as waivers, "
        "so the run stops rather than judge without the waivers it holds",
        "pass it with --waivers, or move it beside the first input",
    ),
    Code(
        "outside-layout",
        "error",
        "with `--layout`: a report in the reports folder but not in a year's folder "
        "(`reports/2020/`), or no reports folder at all",
        "move the file into the folder of the year it reports on, or name the reports folder "
        "with `reports` in `qcheck.toml`",
    ),
    Code(
        "invalid-config",
        "error",
        "a `qcheck.toml` (or `[tool.qcheck]` in `pyproject.toml`) that is not TOML, or has a key "
        "qcheck does not know or a value of the wrong kind",
        "fix the key the message names; docs/ci.md lists the keys and their values",
    ),
    # Warnings: printed, and carried by every output format, but the input is used (unless
    # --strict, which makes every warning an error).
    Code(
        "unknown-column",
        "warning",
        "a column qcheck does not read",
        "rename it to a column qcheck reads, or leave it",
    ),
    Code("title-row", "warning", "a row above the header, read as a title", "none needed"),
    Code(
        "duplicate-identical",
        "warning",
        "a row repeated with the same value",
        "delete the repeated row",
    ),
    Code(
        "looks-like-fraction",
        "warning",
        "0.95 or 1 for a percentage whose target has no plausible range: used as written, "
        "probably meant 95%",
        "write the percentage (95), or 0.95 with the unit 比例",
    ),
    Code(
        "unit-converted",
        "warning",
        "a figure given in a unit that converts, such as 0.952 with the unit 比例, read as 95.2%",
        "none needed; under `--strict`, write the percentage",
    ),
    Code(
        "hidden-row",
        "warning",
        "rows hidden in Excel (a filter hides rows too), read as data",
        "unhide them and check them",
    ),
    Code(
        "hidden-column",
        "warning",
        "a column qcheck reads is hidden in Excel, read as data",
        "unhide it and check its cells",
    ),
    Code(
        "unread-sheet",
        "warning",
        "another visible sheet of the workbook holds a report table that was not read",
        "name the sheet with `--sheet`, or move its rows to the sheet read",
    ),
    Code(
        "hidden-sheet",
        "warning",
        "a hidden sheet of the workbook holds a report table that was not read",
        "unhide it and read it with `--sheet`, or delete it",
    ),
    Code(
        "formula-recalculated",
        "warning",
        "a formula's stored result, in a workbook that asks Excel to recalculate every formula on "
        "opening: Excel may show another",
        "open the workbook in Excel and save it, or type the figure",
    ),
    Code(
        "unused-row",
        "warning",
        "a row that no rule reads in the evaluated year: a county's figure for a target judged on "
        "the city-wide figure, a city-wide figure for a target judged on counties' figures, a "
        "county the target does not read, or a year its rule does not read",
        "give the figures the target reads (its hint says which), or remove the row",
    ),
    Code(
        "waiver-expired",
        "warning",
        "a waiver whose `expires` date is past: it is ignored, and the target keeps its status",
        "renew it with a later expiry date, approved again, or delete it",
    ),
    Code(
        "waiver-duplicate",
        "warning",
        "a waiver for the same target, region and a year of an earlier one (its file and line "
        "are named): one of them is not needed",
        "delete one of them, or give each its own region or year",
    ),
    Code(
        "waiver-unknown",
        "warning",
        "a waiver naming a target id or a region the targets do not know: it is ignored (the "
        "closest id or name is suggested); or naming a year outside the plan's, when it never "
        "applies",
        "write the target's id as `qcheck targets` lists it, and a county/district it knows",
    ),
    Code(
        "waiver-unused",
        "warning",
        "a waiver for a target that is met or not yet due in the evaluated year (not needed), or "
        "that fails in regions no waiver covers, or whose other regions' mean or count is still "
        "not met (not applied)",
        "delete a waiver no longer needed, waive the other regions too, or waive the target "
        "itself (no region)",
    ),
)


def severity(code: str) -> Severity:
    """Return the severity of a code; KeyError for a code not declared here (a bug in qcheck)."""
    return CODES[code].severity


def params(code: str) -> set[str]:
    """Return the parameters the templates of ``code`` take, in every language and variant."""
    names: set[str] = set()
    pattern = re.compile(rf"(problem|hint)\.{re.escape(code)}(\..+)?$")
    for lang in LANGS:
        for key, template in table(lang).WORDS.items():
            if pattern.match(key):
                names |= {field for _, field, _, _ in string.Formatter().parse(template) if field}
    return names


def markdown() -> str:
    """Return docs/problems.md: a table of every code, its severity, meaning and fix."""
    lines = [
        "# Problem codes",
        "",
        "<!-- Generated by `python -m qcheck.problem_codes > docs/problems.md`; do not edit. -->",
        "",
        "Every problem qcheck finds in an input has one of these codes, in every output format "
        "(`code` in JSON, the rule of a SARIF result, the title of a GitHub annotation). An "
        "error stops the run with exit 2; a warning is reported and the input is used, unless "
        "`--strict` makes every warning an error. A row qcheck cannot use is never dropped "
        "silently.",
        "",
        "| code | severity | meaning | how to fix |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{code.code}` | {code.severity} | {code.meaning} | {code.fix} |"
        for code in CODES.values()
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
