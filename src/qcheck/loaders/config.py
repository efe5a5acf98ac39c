"""Read a reports repository's settings: qcheck.toml, or [tool.qcheck] in pyproject.toml."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qcheck.config import Config
from qcheck.loaders.encoding import decode
from qcheck.loaders.streams import read_bounded
from qcheck.problems import InputError, Problem
from qcheck.repository import PYPROJECT_NAME, PYPROJECT_TABLE
from qcheck.words import OsReason, PydanticSaid

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

CONFIG_MAX_BYTES = 1024 * 1024  # a settings file is a few lines; anything larger is a mistake


def load_config(path: Path) -> Config:
    """Return the settings ``path`` holds; raise InputError naming each problem, key and line."""
    source = str(path)
    try:
        data = read_bounded(path, source=source, limit=CONFIG_MAX_BYTES, hint="too-large.config")
    except OSError as error:
        # Named by --config or QCHECK_CONFIG (a file found is there): say it is the settings.
        problem = _invalid(source, None, words="unreadable", reason=OsReason(error))
        raise InputError([problem]) from None
    text = decode(data, source=source)
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem = _invalid(source, _toml_line(error), words="toml", reason=str(error))
        raise InputError([problem]) from None
    if path.name == PYPROJECT_NAME:
        for name in PYPROJECT_TABLE:
            document = document.get(name) or {}
            if not isinstance(document, dict):
                table = ".".join(PYPROJECT_TABLE)
                raise InputError([_invalid(source, None, words="table", table=table)])
    try:
        return Config.model_validate(document)
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            key = str(detail["loc"][0]) if detail["loc"] else None
            problems.append(
                _invalid(source, _key_line(text, key), column=key, reason=PydanticSaid(detail))
            )
        raise InputError(problems) from None


def _toml_line(error: Exception) -> int | None:
    """Return the line a TOML parser's error names ("... (at line 3, column 5)")."""
    found = re.search(r"at line (\d+)", str(error))
    return int(found[1]) if found else None


def _key_line(text: str, key: str | None) -> int | None:
    """Return the first line setting ``key`` (``key =`` or ``"key" =``), if one does."""
    if key is None:
        return None
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _invalid(
    source: str, line: int | None, *, words: str = "", column: str | None = None, **params: Any
) -> Problem:
    return Problem.of(
        "invalid-config",
        source=source,
        row=line,
        column=column,
        words=words,
        hints=("invalid-config",),
        **params,
    )
