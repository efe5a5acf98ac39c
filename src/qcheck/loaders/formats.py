"""The report formats qcheck reads: one entry each, with its name, suffixes and first bytes.

Everything that lists input formats derives from INPUT_FORMATS: the suffixes looked for in a
folder, the reader a file's suffix chooses, --stdin-format's choices, telling a stream by its
first bytes, and (checked by a test) the pre-commit hooks' file patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

# An Excel workbook is a zip; an OLE2 container is an Excel 97 workbook or a password-protected
# one, which the Excel reader refuses with the fix.
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class InputFormat:
    """A format of report: its name (as --stdin-format says it), suffixes and first bytes."""

    name: str
    suffixes: tuple[str, ...]
    magic: tuple[bytes, ...] = ()  # how a file of it begins, where that tells it

    def begins(self, head: bytes) -> bool:
        """Whether a file's first bytes are those of this format."""
        return any(head.startswith(magic) for magic in self.magic)


CSV = InputFormat("csv", (".csv", ".tsv", ".txt"))
YAML = InputFormat("yaml", (".yaml", ".yml"))
EXCEL = InputFormat("xlsx", (".xlsx", ".xlsm"), (ZIP, OLE2))
PARQUET = InputFormat("parquet", (".parquet",), (b"PAR1",))
# Arrow IPC, file or stream format, and Feather v1 and v2: an IPC file begins ARROW1, a Feather
# v1 file FEA1; a stream is told by its name.
ARROW = InputFormat("arrow", (".arrow", ".feather"), (b"ARROW1", b"FEA1"))

INPUT_FORMATS = (CSV, YAML, EXCEL, PARQUET, ARROW)
REPORT_SUFFIXES = tuple(suffix for kind in INPUT_FORMATS for suffix in kind.suffixes)
STDIN_FORMATS = ("auto", *(kind.name for kind in INPUT_FORMATS))


def by_suffix(suffix: str) -> InputFormat | None:
    """Return the format a file's suffix (lower case, with its dot) names, if any."""
    return next((kind for kind in INPUT_FORMATS if suffix in kind.suffixes), None)


def by_content(head: bytes) -> InputFormat | None:
    """Return the format a file's first bytes tell, if they tell one (CSV and YAML do not)."""
    return next((kind for kind in INPUT_FORMATS if kind.begins(head)), None)
