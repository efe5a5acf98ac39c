"""Read a YAML report: a list of measurements, or a mapping with defaults and a list."""

from __future__ import annotations

from typing import Any

import yaml

from qcheck.loaders.columns import REQUIRED, field_for_header
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LINE_KEY = "__line__"
MAX_DEPTH = 32
MAX_ALIAS_EXPANSION = 10_000
LIST_KEYS = ("measurements", "数据", "指标数据")
DEFAULT_KEYS = ("year", "region", "年份", "地区", "区县")
INFO_KEYS = (
    "title",
    "department",
    "source",
    "note",
    "标题",
    "单位名称",
    "填报单位",
    "备注",
    "说明",
)


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML loader that records the line each mapping starts on."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


def check_bounds(text: str, *, source: str) -> None:
    """Refuse YAML nested too deeply or whose aliases expand far beyond its size (alias bombs)."""
    expanded = 0
    open_nodes: list[tuple[str | None, int]] = []
    sizes: dict[str, int] = {}
    for events, event in enumerate(yaml.parse(text, Loader=_BaseLoader), start=1):
        if isinstance(event, yaml.CollectionStartEvent):
            expanded += 1
            open_nodes.append((event.anchor, expanded))
            if len(open_nodes) > MAX_DEPTH:
                raise _bounds_error(source, event, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = expanded - start + 1
        elif isinstance(event, yaml.ScalarEvent):
            expanded += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            expanded += sizes.get(event.anchor or "", 1)
            if expanded - events > MAX_ALIAS_EXPANSION:
                raise _bounds_error(
                    source,
                    event,
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} extra nodes",
                )


def _bounds_error(source: str, event: yaml.Event, what: str) -> InputError:
    return InputError(
        [
            Problem(
                source=source,
                row=None if event.start_mark is None else event.start_mark.line + 1,
                code="bad-yaml",
                message=f"refused: {what}",
                hint="write the values out instead of using anchors (&) and aliases (*)",
            )
        ]
    )


def parse_yaml(text: str, *, source: str) -> Any:
    """Parse YAML safely and within bounds, turning syntax errors into located problems."""
    try:
        check_bounds(text, source=source)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(
            [
                Problem(
                    source=source,
                    row=None if mark is None else mark.line + 1,
                    code="bad-yaml",
                    message=f"not valid YAML: {problem}",
                    hint="check indentation and quoting near that line",
                )
            ]
        ) from None


def read_yaml(text: str, *, source: str) -> tuple[list[RawRecord], list[Problem]]:
    """Turn a YAML report into raw records; return them and any structural problems."""
    document = parse_yaml(text, source=source)
    problems: list[Problem] = []
    defaults: dict[str, object] = {}
    if isinstance(document, dict):
        items = None
        for key, value in document.items():
            if key == LINE_KEY:
                continue
            if key in LIST_KEYS:
                items = value
            elif str(key) in DEFAULT_KEYS:
                defaults[field_for_header(str(key)) or str(key)] = value
            elif str(key) not in INFO_KEYS:
                problems.append(_unknown_key(source, document[LINE_KEY], key))
        if items is None:
            return [], [_structure(source, document.get(LINE_KEY), "no 'measurements:' list")]
    elif isinstance(document, list):
        items = document
    elif document is None:
        return [], [
            Problem(
                source=source,
                code="no-data",
                message="the file is empty",
                hint="add a 'measurements:' list",
            )
        ]
    else:
        return [], [_structure(source, 1, "the file holds neither a list nor a mapping")]
    if not isinstance(items, list):
        return [], [_structure(source, None, "'measurements' must be a list")]
    records = []
    for item in items:
        if not isinstance(item, dict):
            problems.append(
                _structure(source, None, f"each measurement must be a mapping, not {item!r}")
            )
            continue
        line = item.get(LINE_KEY)
        cells: dict[str, object] = dict(defaults)
        headers: dict[str, str] = {}
        for key, value in item.items():
            if key == LINE_KEY:
                continue
            field = field_for_header(str(key))
            if field is None:
                problems.append(_unknown_key(source, line, key))
                continue
            if isinstance(value, (list, dict)):
                problems.append(
                    Problem(
                        source=source,
                        row=line,
                        column=str(key),
                        code="bad-structure",
                        message=f"{key!r} holds a list or mapping, not a single value",
                        hint="write one value per key",
                    )
                )
                continue
            cells[field] = value
            headers[field] = str(key)
        missing = [field for field in REQUIRED if field not in cells]
        if missing:
            problems.append(
                Problem(
                    source=source,
                    row=line,
                    column=missing[0],
                    code="empty-value",
                    message=f"no {' or '.join(missing)} given",
                    hint="each measurement needs an indicator and a value",
                )
            )
            continue
        records.append(RawRecord(source=source, row=line, cells=cells, headers=headers))
    return records, problems


def _structure(source: str, line: object, message: str) -> Problem:
    return Problem(
        source=source,
        row=line if isinstance(line, int) else None,
        code="bad-structure",
        message=message,
        hint="see the README for the YAML report format",
    )


def _unknown_key(source: str, line: object, key: object) -> Problem:
    return Problem(
        source=source,
        row=line if isinstance(line, int) else None,
        column=str(key),
        code="unknown-column",
        severity="warning",
        message=f"key {key!r} is not read by qcheck",
    )
