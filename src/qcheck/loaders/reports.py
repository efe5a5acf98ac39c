"""Read a JSON report that qcheck evaluate wrote, for ``qcheck diff`` to compare."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qcheck.diff import json_number, refusal
from qcheck.loaders.encoding import AFTER_BOM, _wide_without_bom
from qcheck.loaders.files import STDIN
from qcheck.loaders.streams import unreadable
from qcheck.problems import InputError


def read_report(source: str) -> object:
    """Return the parsed JSON of ``source`` (``-``: standard input), its fractions as Decimals.

    Raise InputError naming ``source`` if it cannot be read or is not JSON; whether it is a
    report of qcheck is for qcheck.diff to say.
    """
    try:
        data = sys.stdin.buffer.read() if source == STDIN else Path(source).read_bytes()
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        raise InputError([unreadable(source, error)]) from None
    if not data or data.isspace():
        raise refusal(source, "empty")
    text = _wide_text(data)
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise refusal(source, "binary") from None
    if text.lstrip().startswith("<"):
        raise refusal(source, "xml")
    try:
        return json.loads(
            text, parse_float=json_number, parse_int=json_number, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        raise refusal(
            source, "json", error=error.msg, line_number=error.lineno, column_number=error.colno
        ) from None
    except (ValueError, RecursionError) as error:  # NaN, deep nesting
        raise refusal(source, "content", error=str(error)) from None


def _wide_text(data: bytes) -> str | None:
    """Return the text of a report in UTF-16 or UTF-32 (PowerShell's ``>`` writes UTF-16).

    None if it is in neither, or decodes into no JSON object (it is then read as UTF-8 and
    refused as such).
    """
    codec, bom = next(
        ((codec, len(mark)) for mark, codec in AFTER_BOM if data.startswith(mark)),
        (_wide_without_bom(data), 0),
    )
    if codec is None or codec == "utf-8":
        return None
    try:
        text = data[bom:].decode(codec)
    except UnicodeDecodeError:
        return None
    return text if text.lstrip().startswith("{") else None


def _no_constant(name: str) -> object:
    """Refuse NaN and Infinity: qcheck never writes them, and JSON has no such numbers."""
    raise ValueError(f"{name} is not a JSON number")
