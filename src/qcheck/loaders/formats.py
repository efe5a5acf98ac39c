"""The report formats qcheck reads: one entry each, with its name, suffixes and first bytes.

Everything that lists input formats derives from INPUT_FORMATS: the suffixes looked for in a
folder, the reader a file's suffix chooses, --stdin-format's choices, telling a stream by its
first bytes, and (checked by a test) the pre-commit hooks' file patterns. Each format names
the module that reads it, imported only when a file of it is read: every such module has a
``read(opened)`` function taking an ``Opened`` input.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue
    from qcheck.intake import ColumnBatch
    from qcheck.loaders.files import ReadOptions
    from qcheck.measurements import RawRecord
    from qcheck.problems import ProblemSink

# An Excel workbook is a zip; an OLE2 container is an Excel 97 workbook or a password-protected
# one, which the Excel reader refuses with the fix.
ZIP = b"PK\x03\x04"
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f]")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Opened:
    """One input to read: a file's path or an open copy of a stream, and how to read it.

    A reader closes a copy it is given once its rows are read. ``sheets_read`` takes the sheet
    read from a workbook, by source; the ``catalogue``'s indicator names tell its other sheets
    that hold figures.
    """

    file: Path | BinaryIO
    source: str
    size: int  # in bytes
    kind: InputFormat
    options: ReadOptions
    problems: ProblemSink
    sheets_read: MutableMapping[str, str] | None = None
    catalogue: Catalogue | None = None


@dataclass(frozen=True)
class InputFormat:
    """A format of report: its name (as --stdin-format says it), suffixes, first bytes, reader."""

    name: str
    suffixes: tuple[str, ...]
    reader: str  # the module whose read(opened) reads it
    magic: tuple[bytes, ...] = ()  # how a file of it begins, where that tells it
    needs: tuple[str, ...] = ()  # the libraries its reader imports beyond qcheck's own
    template: bool = False  # qcheck template writes a blank report in it

    def begins(self, head: bytes) -> bool:
        """Whether a file's first bytes are those of this format."""
        return any(head.startswith(magic) for magic in self.magic)

    def read(self, opened: Opened) -> Iterator[RawRecord | ColumnBatch]:
        """Read an input of this format with its reader, imported now."""
        reader = importlib.import_module(self.reader)
        rows: Iterator[RawRecord | ColumnBatch] = reader.read(opened)
        return rows


# A CSV file of a megabyte or more is read by pyarrow's CSV reader (see csv_file.read).
CSV = InputFormat(
    "csv", (".csv", ".tsv", ".txt"), "qcheck.loaders.csv_file", needs=("pyarrow",), template=True
)
YAML = InputFormat(
    "yaml", (".yaml", ".yml"), "qcheck.loaders.yaml_file", needs=("yaml",), template=True
)
EXCEL = InputFormat("xlsx", (".xlsx", ".xlsm"), "qcheck.loaders.excel", (ZIP, OLE2), template=True)
PARQUET = InputFormat(
    "parquet", (".parquet",), "qcheck.loaders.arrow_file", (b"PAR1",), needs=("pyarrow",)
)
# Arrow IPC, file or stream format, and Feather v1 and v2: an IPC file begins ARROW1, a Feather
# v1 file FEA1; a stream is told by its name.
ARROW = InputFormat(
    "arrow",
    (".arrow", ".feather"),
    "qcheck.loaders.arrow_file",
    (b"ARROW1", b"FEA1"),
    needs=("pyarrow",),
)

INPUT_FORMATS = (CSV, YAML, EXCEL, PARQUET, ARROW)
REPORT_SUFFIXES = tuple(suffix for kind in INPUT_FORMATS for suffix in kind.suffixes)
STDIN_FORMATS = ("auto", *(kind.name for kind in INPUT_FORMATS))
TEMPLATE_FORMATS = tuple(kind.name for kind in INPUT_FORMATS if kind.template)


def by_name(name: str) -> InputFormat | None:
    """Return the format of this name (as --stdin-format says it), if any."""
    return next((kind for kind in INPUT_FORMATS if kind.name == name), None)


def told_otherwise(head: bytes, named: InputFormat) -> InputFormat | None:
    """Return the binary format a file named as a text format is, by its first bytes, if any.

    Only bytes no text holds count (a NUL, a control character): a CSV whose first cell is
    PAR1 is still a CSV.
    """
    if named.magic:
        return None
    told = by_content(head)
    return told if told is not None and _BINARY.search(head[:16]) else None


def by_suffix(suffix: str) -> InputFormat | None:
    """Return the format a file's suffix (lower case, with its dot) names, if any."""
    return next((kind for kind in INPUT_FORMATS if suffix in kind.suffixes), None)


def by_content(head: bytes) -> InputFormat | None:
    """Return the format a file's first bytes tell, if they tell one (CSV and YAML do not)."""
    return next((kind for kind in INPUT_FORMATS if kind.begins(head)), None)
