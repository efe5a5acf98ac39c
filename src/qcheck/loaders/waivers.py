"""Read waivers files: every waiver with its file and line, every bad one a located problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qcheck.fileid import FileIdentity, file_identity
from qcheck.loaders.encoding import decode
from qcheck.loaders.streams import read_bounded, unreadable
from qcheck.loaders.yaml_file import (
    LINE_KEY,
    WAIVERS_KEY,
    YAML_MAX_BYTES,
    YAML_TOO_LARGE_HINT,
    parse_yaml,
    without_lines,
)
from qcheck.problems import InputError, Problem
from qcheck.waivers import Waiver, WaiverEntry
from qcheck.words import PydanticSaid, Said, Word, shown

# The waivers file found beside the reports when no --waivers is given (see default_waivers).
DEFAULT_NAME = "qcheck-waivers.yaml"
LIST_KEY = WAIVERS_KEY


def default_waivers(inputs: Sequence[str]) -> Path | None:
    """Return the default waivers file beside the first input, or inside it if a folder.

    None when there is none there, or the first input is standard input.
    """
    if not inputs or inputs[0] == "-":
        return None
    first = Path(inputs[0])
    try:
        candidate = (first if first.is_dir() else first.parent) / DEFAULT_NAME
        # A link to nothing or a folder of that name is read, so that it is an error, not
        # silently no waivers.
        return candidate if candidate.is_symlink() or candidate.exists() else None
    except (OSError, ValueError):  # a name the system refuses: reading the input will say why
        return None


def once(paths: Sequence[Path]) -> list[Path]:
    """Return the waivers files, a file named twice (by any path) once: its waivers once."""
    seen: dict[FileIdentity | str, Path] = {}
    for path in paths:
        try:
            key: FileIdentity | str = file_identity(path.stat())
        except (OSError, ValueError):  # reading it will say why
            key = str(path)
        seen.setdefault(key, path)
    return list(seen.values())


def load_waivers(paths: Iterable[Path | str]) -> tuple[Waiver, ...]:
    """Read waivers files in order; raise InputError naming every problem of every file."""
    waivers: list[Waiver] = []
    problems: list[Problem] = []
    for path in paths:
        source = str(path)
        try:
            data = read_bounded(
                Path(path), source=source, limit=YAML_MAX_BYTES, hint=YAML_TOO_LARGE_HINT
            )
            text = decode(data, source=source)
            found, bad = read_waivers(parse_yaml(text, source=source), source, text=text)
        except OSError as error:
            problems.append(unreadable(source, error))
        except InputError as error:
            problems += error.problems
        else:
            waivers += found
            problems += bad
    if problems:
        raise InputError(problems)
    return tuple(waivers)


def read_waivers(
    document: Any, source: str, *, text: str | None = None
) -> tuple[list[Waiver], list[Problem]]:
    """Turn a parsed waivers file (see parse_yaml) into waivers and the problems of bad ones.

    With the file's ``text``, a waiver that is no mapping is named by its line.
    """
    if not isinstance(document, dict) or LIST_KEY not in document:
        line = document.get(LINE_KEY) if isinstance(document, dict) else None
        return [], [_invalid(source, line, words="no-list")]
    problems = [
        _invalid(source, document[LINE_KEY], words="key", column=str(key), key=key)
        for key in document
        if key not in (LINE_KEY, LIST_KEY)
    ]
    items = document[LIST_KEY]
    if items is None:  # `waivers:` with nothing under it: none
        return [], problems
    if not isinstance(items, list):
        return [], [*problems, _invalid(source, document[LINE_KEY], words="not-list")]
    waivers = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                _invalid(
                    source,
                    _item_line(text, index),
                    words="not-mapping",
                    column=f"{LIST_KEY}.{index}",
                    item=repr(item),
                )
            )
            continue
        line = item.get(LINE_KEY)
        try:
            entry = WaiverEntry.model_validate(without_lines(item))
        except ValidationError as error:
            problems += (
                _invalid(
                    source,
                    line,
                    column=".".join(str(part) for part in detail["loc"]) or None,
                    reason=_said(detail),
                )
                for detail in _distinct(error.errors(include_url=False))
            )
        else:
            waivers.append(Waiver(entry, source, line if isinstance(line, int) else None))
    return waivers, problems


def _item_line(text: str | None, index: int) -> int | None:
    """Return the line of the ``index``-th item of the waivers list in ``text``, if found.

    parse_yaml records the lines of mappings only; this reads the file's nodes again, which
    only a waiver that is no mapping needs.
    """
    if text is None:
        return None
    import yaml  # only on this rare path; parse_yaml has loaded it

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    items = next((v for k, v in root.value if k.value == LIST_KEY), None)
    if not isinstance(items, yaml.SequenceNode) or index >= len(items.value):
        return None
    return int(items.value[index].start_mark.line) + 1


def _said(detail: Any) -> Said:
    """Return what is wrong with a value: a date in the words of qcheck, else Pydantic's."""
    if detail["loc"] == ("expires",) and detail["type"] != "missing":
        return Word("waiver_date", value=shown(str(detail["input"])))
    return PydanticSaid(detail)


def _distinct(details: list[Any]) -> list[Any]:
    """Return one error per key: a year that is neither a year nor a list is said once."""
    seen: set[object] = set()
    kept = []
    for detail in details:
        key = detail["loc"][0] if detail["loc"] else None
        if key not in seen:
            seen.add(key)
            kept.append(detail)
    return kept


def _invalid(
    source: str, line: object, *, words: str = "", column: str | None = None, **params: Any
) -> Problem:
    return Problem.of(
        "invalid-waivers",
        source=source,
        row=line if isinstance(line, int) else None,
        column=column,
        words=words,
        hints=("invalid-waivers",),
        **params,
    )
