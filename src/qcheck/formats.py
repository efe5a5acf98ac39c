"""The output formats qcheck writes: one entry each, with its name, suffixes and renderer.

Everything that lists output formats derives from OUTPUT_FORMATS: --format's choices, the
format an --output file's suffix chooses, --output's help, ``renderer_for``, and (checked by a
test) the docs' table of formats. Imports nothing: the options are built at start-up, and a
renderer is imported only when a format is used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class OutputFormat:
    """A format of output: its name (as --format says it), suffixes, renderer and needs."""

    name: str
    suffixes: tuple[str, ...]
    renderer: str  # "module:Class", imported when the format is used
    audience: Literal["people", "machines"]
    # Whether it is laid out for the terminal it is printed on: its renderer takes the
    # terminal's width and whether it takes colour (a file it is written to gets neither).
    sized: bool = False
    needs: tuple[str, ...] = ()  # the packages its renderer imports beyond the core (pydantic)
    # How --output's help names the format after its suffix, where the suffix does not say it.
    title: str | None = None
    # A document to print or file (HTML, a workbook): it is given the plan's years up to the
    # one evaluated, as a trend, and the SHA-256 of each input, so that a printed copy can be
    # traced to its files.
    document: bool = False

    def suffix_help(self) -> str:
        """Return how --output's help lists the format's suffixes: .xml=JUnit."""
        return " ".join(
            f"{suffix}={self.title}" if self.title else suffix for suffix in self.suffixes
        )


OUTPUT_FORMATS = (
    OutputFormat(
        "table",
        (".txt",),
        "qcheck.renderers.table:TableRenderer",
        "people",
        sized=True,
        needs=("rich",),
        title="table",
    ),
    OutputFormat("json", (".json",), "qcheck.renderers.json:JsonRenderer", "machines"),
    OutputFormat("csv", (".csv",), "qcheck.renderers.csv:CsvRenderer", "people"),
    OutputFormat("markdown", (".md",), "qcheck.renderers.markdown:MarkdownRenderer", "people"),
    OutputFormat(
        "junit", (".xml",), "qcheck.renderers.junit:JunitRenderer", "machines", title="JUnit"
    ),
    OutputFormat("github", (), "qcheck.renderers.github:GithubRenderer", "machines"),
    OutputFormat("sarif", (".sarif",), "qcheck.renderers.sarif:SarifRenderer", "machines"),
    OutputFormat(
        "codequality",
        (".codequality.json",),
        "qcheck.renderers.codequality:CodequalityRenderer",
        "machines",
    ),
    OutputFormat(
        "html",
        (".html", ".htm"),
        "qcheck.renderers.html:HtmlRenderer",
        "people",
        needs=("jinja2",),
        document=True,
    ),
    OutputFormat(
        "xlsx",
        (".xlsx",),
        "qcheck.renderers.xlsx:XlsxRenderer",
        "people",
        needs=("openpyxl",),
        document=True,
        title="Excel",
    ),
)
DEFAULT_FORMAT = "table"
# The byte-order mark a CSV starts with: Excel and WPS then read it as UTF-8 (without it, Excel
# on Chinese Windows reads GBK). Standard output drops it unless it is the start of a file.
BOM = "\ufeff"
# How the formats for people group a report's targets (--by): by area, or by lead unit.
GROUPINGS = ("area", "unit")
FORMATS = tuple(kind.name for kind in OUTPUT_FORMATS)
# The default format, which standard output already gets, is the one least asked of a file:
# it comes last wherever the suffixes are listed.
_BY_SUFFIX = sorted(OUTPUT_FORMATS, key=lambda kind: kind.name == DEFAULT_FORMAT)
SUFFIX_FORMATS = {suffix: kind.name for kind in _BY_SUFFIX for suffix in kind.suffixes}
SUFFIX_HELP = " ".join(kind.suffix_help() for kind in _BY_SUFFIX if kind.suffixes)


def output_format(name: str, among: tuple[OutputFormat, ...] = OUTPUT_FORMATS) -> OutputFormat:
    """Return the output format called ``name`` (of ``among``); ValueError if there is none."""
    for kind in among:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown format {name!r}")


# The formats of `qcheck diff`, whose renderers render a Diff (render_diff), not reports: a
# registry of their own, each named and suffixed as the report format it is laid out like.
DIFF_FORMATS = tuple(
    replace(output_format(name), renderer=f"qcheck.renderers.diff.{name}:{renderer}")
    for name, renderer in (
        ("table", "DiffTableRenderer"),
        ("json", "DiffJsonRenderer"),
        ("markdown", "DiffMarkdownRenderer"),
    )
)
DIFF_FORMAT_NAMES = tuple(kind.name for kind in DIFF_FORMATS)
DIFF_SUFFIX_FORMATS = {suffix: kind.name for kind in DIFF_FORMATS for suffix in kind.suffixes}
DIFF_SUFFIX_HELP = " ".join(kind.suffix_help() for kind in DIFF_FORMATS)


def by_suffix(suffix: str) -> OutputFormat | None:
    """Return the output format a file's suffix (lower case, with its dot) names, if any."""
    return next((kind for kind in OUTPUT_FORMATS if suffix in kind.suffixes), None)


def format_of_path(
    path: str | os.PathLike[str], suffixes: Mapping[str, str] = SUFFIX_FORMATS
) -> str | None:
    """Return the format a file's name names: that of the longest suffix it ends with, if any.

    Case-insensitive. A suffix may be compound (``.codequality.json``), and then wins over
    the one it ends with (``.json``). A name that is nothing but a suffix names no format by
    it, as a file whose name starts with a dot has no suffix: ``.json`` is not JSON.
    """
    name = os.path.basename(os.fspath(path)).lower()  # noqa: PTH119 - no pathlib at start-up
    matching = [s for s in suffixes if name.endswith(s) and len(name) > len(s)]
    return suffixes[max(matching, key=len)] if matching else None
