"""Read a YAML report: a list of measurements, or a mapping with defaults and a list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from qcheck.loaders.columns import field_for_header, is_year_like, year_of_value_header
from qcheck.loaders.encoding import decode
from qcheck.loaders.shape import FILE_WIDE, INFO_KEYS, LIST_KEYS, REQUIRED
from qcheck.loaders.streams import too_large
from qcheck.measurements import RawRecord, is_blank
from qcheck.problems import InputError, Problem, ProblemSink
from qcheck.words import Listed, Word

if TYPE_CHECKING:
    from qcheck.loaders.formats import Opened

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LINE_KEY = "__line__"
WAIVERS_KEY = "waivers"  # the list of a waivers file (qcheck.loaders.waivers)
MAX_DEPTH = 32
MAX_ALIAS_EXPANSION = 10_000
# Parsed YAML takes about 60 times its size in memory, some 500 bytes a node (a key, a value,
# a list), so reports are bounded in bytes and in nodes, well below --max-bytes: 500,000 nodes
# are some 55,000 measurements. Large data goes in CSV, which is streamed.
YAML_MAX_BYTES = 16 * 1024 * 1024
YAML_MAX_NODES = 500_000
YAML_TOO_LARGE_HINT = "too-large.yaml"


_YAML_TAG = "tag:yaml.org,2002:"
# Plain scalars that keep their YAML meaning: null (~, null, empty) and the merge key (<<).
_RESOLVED_TAGS = (_YAML_TAG + "null", _YAML_TAG + "merge")


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML loader that records the line each mapping starts on and reads scalars as text.

    YAML 1.1 would read 1:35 as 95 (base 60), 0150 as 104 (octal), 1_000, 0x1F, .inf, +1e3,
    yes and dates its own way; as text, they meet qcheck's own rules for numbers, years and
    met / not met words, as the same cell of a CSV file does.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag in _RESOLVED_TAGS]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if isinstance(key, str | int | float | bool) and key in first_line:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} repeats line {first_line[key]}", key_node.start_mark
                )
            if isinstance(key, str | int | float | bool):
                first_line[key] = line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


# An explicit tag (!!int 0150, !!float .inf) is no more than a plain scalar: text too.
for _kind in ("bool", "int", "float", "timestamp"):
    _LineLoader.add_constructor(_YAML_TAG + _kind, _LineLoader.construct_yaml_str)


def check_bounds(text: str, *, source: str) -> None:
    """Refuse YAML nested too deeply or whose aliases expand far beyond its size (alias bombs)."""
    expanded = 0
    open_nodes: list[tuple[str | None, int]] = []
    sizes: dict[str, int] = {}
    for events, event in enumerate(yaml.parse(text, Loader=_BaseLoader), start=1):
        if expanded > YAML_MAX_NODES:
            raise _too_many_nodes(source, event)
        if isinstance(event, yaml.CollectionStartEvent):
            expanded += 1
            open_nodes.append((event.anchor, expanded))
            if len(open_nodes) > MAX_DEPTH:
                raise _bounds_error(source, event, Word("yaml.depth", depth=MAX_DEPTH))
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
                raise _bounds_error(source, event, Word("yaml.aliases", nodes=MAX_ALIAS_EXPANSION))


def _too_many_nodes(source: str, event: yaml.Event) -> InputError:
    return InputError(
        [
            Problem.of(
                "too-large",
                source=source,
                row=None if event.start_mark is None else event.start_mark.line + 1,
                words="nodes",
                hints=(YAML_TOO_LARGE_HINT,),
                nodes=YAML_MAX_NODES,
                yaml_mib=YAML_MAX_BYTES >> 20,
            )
        ]
    )


def _bounds_error(source: str, event: yaml.Event, what: Word) -> InputError:
    return InputError(
        [
            Problem.of(
                "bad-yaml",
                source=source,
                row=None if event.start_mark is None else event.start_mark.line + 1,
                words="refused",
                what=what,
            )
        ]
    )


def read(opened: Opened) -> Iterator[RawRecord]:
    """Read a YAML report input, refusing one over YAML_MAX_BYTES; close it."""
    if opened.size > YAML_MAX_BYTES:
        raise InputError([yaml_too_large(opened.source, opened.size)])
    file = opened.file
    with file.open("rb") if isinstance(file, Path) else file as stream:
        data = stream.read(YAML_MAX_BYTES + 1)
    if len(data) > YAML_MAX_BYTES:  # it grew since its size was looked at
        raise InputError([yaml_too_large(opened.source, None)])
    text = decode(data, source=opened.source, encoding=opened.options.encoding)
    return passed_on(read_yaml(text, source=opened.source), opened.problems)


def passed_on(
    read: tuple[list[RawRecord], list[Problem]], problems: ProblemSink
) -> Iterator[RawRecord]:
    """Pass a YAML report's problems to ``problems``; return its records."""
    records, found = read
    for found_problem in found:
        problems.append(found_problem)
    return iter(records)


def yaml_too_large(source: str, size: int | None) -> Problem:
    """Return the problem for a YAML report over YAML_MAX_BYTES (a stream's size unknown)."""
    return too_large(
        source, size, YAML_MAX_BYTES, YAML_TOO_LARGE_HINT, yaml_mib=YAML_MAX_BYTES >> 20
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
                Problem.of(
                    "bad-yaml",
                    source=source,
                    row=None if mark is None else mark.line + 1,
                    error=problem,
                )
            ]
        ) from None


def without_lines(node: object) -> object:
    """Drop the line numbers parse_yaml records, for a model that forbids unknown keys."""
    if isinstance(node, dict):
        return {key: without_lines(value) for key, value in node.items() if key != LINE_KEY}
    if isinstance(node, list):
        return [without_lines(item) for item in node]
    return node


def read_yaml(text: str, *, source: str) -> tuple[list[RawRecord], list[Problem]]:
    """Turn a YAML report into raw records; return them and any structural problems."""
    return read_document(parse_yaml(text, source=source), source=source)


def read_document(document: Any, *, source: str) -> tuple[list[RawRecord], list[Problem]]:
    """Turn a parsed YAML report (see parse_yaml) into raw records and structural problems."""
    if document is None:
        empty = Problem.of("no-data", source=source, hints=("no-data.yaml",))
        return [], [empty]
    if isinstance(document, list):
        return _read_items(document, source=source, defaults={}, extras={})
    if not isinstance(document, dict):
        return [], [_structure(source, 1, "neither")]
    problems: list[Problem] = []
    lists = [key for key in document if key in LIST_KEYS]
    if not lists and WAIVERS_KEY in document:  # a waivers file given as a report
        line = document.get(LINE_KEY)
        waivers = Problem.of("bad-structure", source=source, row=line, words="waivers")
        return [], [waivers]
    if len(lists) != 1:
        words, params = ("lists", {"lists": Listed(lists)}) if lists else ("no-list", {})
        return [], [_structure(source, document.get(LINE_KEY), words, **params)]
    defaults: dict[str, object] = {}
    extras: dict[str, object] = {}
    for key, value in document.items():
        if key == LINE_KEY or key in LIST_KEYS or str(key) in INFO_KEYS:
            continue
        field = field_for_header(str(key))
        if field in FILE_WIDE and isinstance(value, list | dict):
            problems.append(_not_single(source, document[LINE_KEY], key))
        elif field in FILE_WIDE and field not in defaults:
            defaults[field] = value
        elif field is not None:
            problems.append(_structure(source, document[LINE_KEY], "file-wide", key=key))
        elif _holds_rows(value):
            # A second list of rows under another key (measurement:, data:) would be dropped.
            problems.append(
                _structure(source, document[LINE_KEY], "more-rows", key=key, read=lists[0])
            )
        else:
            problems.append(_unknown_key(source, document[LINE_KEY], key))
            extras[str(key)] = value
    records, item_problems = _read_items(
        document[lists[0]], source=source, defaults=defaults, extras=extras
    )
    return records, problems + item_problems


def _holds_rows(value: object) -> bool:
    """Whether a value is a list with a mapping in it: rows of measurements, as written."""
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def _read_items(
    items: object, *, source: str, defaults: dict[str, object], extras: dict[str, object]
) -> tuple[list[RawRecord], list[Problem]]:
    if not isinstance(items, list):
        return [], [_structure(source, None, "not-list")]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item, dict):
            problems.append(_structure(source, None, "not-mapping", item=repr(item)))
            continue
        record, item_problems = _read_item(item, source=source, defaults=defaults, extras=extras)
        problems += item_problems
        if record is not None:
            records.append(record)
    return records, problems


def _read_item(
    item: dict[Any, Any], *, source: str, defaults: dict[str, object], extras: dict[str, object]
) -> tuple[RawRecord | None, list[Problem]]:
    line = item.get(LINE_KEY)
    row = line if isinstance(line, int) else None
    cells: dict[str, object] = dict(defaults)
    headers: dict[str, str] = {}
    item_extras = dict(extras)
    problems: list[Problem] = []
    for key, value in item.items():
        if key == LINE_KEY:
            continue
        field = field_for_header(str(key))
        if field is None and value is None and _SPLIT_NUMBER.fullmatch(str(key)):
            problems.append(_split_number(source, row, key, item))
        elif field is None and is_year_like(str(key)):
            problems.append(_key_problem(source, row, key, "year-column", "key"))
        elif field is None:
            problems.append(_unknown_key(source, row, key))
            item_extras[str(key)] = value
        elif field in headers:
            problems.append(
                _key_problem(
                    source,
                    row,
                    key,
                    "duplicate-column",
                    "key",
                    first=headers[field],
                    field=Word(f"field.{field}"),
                )
            )
        elif isinstance(value, list | dict):
            problems.append(_not_single(source, row, key))
        else:
            cells[field] = value
            headers[field] = str(key)
    # A value key named for its year (2019年完成值) gives that year, as a CSV header does,
    # unless the row gives its own; a file-wide default year is not the row's own.
    value_year = year_of_value_header(headers["value"]) if "value" in headers else None
    if value_year is not None and ("year" not in headers or is_blank(cells["year"])):
        cells["year"] = value_year
    missing = [field for field in REQUIRED if field not in cells and field not in headers]
    if missing and not any(problem.severity == "error" for problem in problems):
        problems.append(
            Problem.of(
                "empty-value",
                source=source,
                row=row,
                column=missing[0],
                words="yaml",
                fields=Listed((Word(f"field.{field}") for field in missing), sep="sep.none_of"),
            )
        )
    if missing or any(problem.severity == "error" for problem in problems):
        return None, problems
    return RawRecord(
        source=source, row=row, cells=cells, headers=headers, extras=item_extras
    ), problems


def _structure(source: str, line: object, words: str, **params: Any) -> Problem:
    return Problem.of(
        "bad-structure",
        source=source,
        row=line if isinstance(line, int) else None,
        words=words,
        hints=("bad-structure",),
        **params,
    )


def _key_problem(
    source: str, line: object, key: object, code: str, words: str, **params: Any
) -> Problem:
    """Return a problem with one key of an item: the code's words ``words``, naming the key."""
    return Problem.of(
        code,
        source=source,
        row=line if isinstance(line, int) else None,
        column=str(key),
        words=words,
        key=key,
        **params,
    )


# In a flow mapping ({indicator: x, value: 78,9}) YAML ends the value at the comma and reads
# the digits after it as a key with no value: 78,9 would silently become 78.
_SPLIT_NUMBER = re.compile(r"[0-9０-９]+([.．][0-9０-９]*)?[%％]?")


def _split_number(source: str, line: object, key: object, item: dict[Any, Any]) -> Problem:
    """Return the error for digits YAML split off a number at a comma."""
    value_key, value = next(
        ((k, v) for k, v in item.items() if field_for_header(str(k)) == "value"), (key, None)
    )
    written = f"{value},{key}" if value is not None else f"…,{key}"
    return Problem.of(
        "not-a-number",
        source=source,
        row=line if isinstance(line, int) else None,
        column=str(value_key),
        words="split",
        written=written,
        value=value,
        key=key,
        point=written.replace(",", ".", 1),
    )


def _not_single(source: str, line: object, key: object) -> Problem:
    return _key_problem(source, line, key, "bad-structure", "nested")


def _unknown_key(source: str, line: object, key: object) -> Problem:
    return _key_problem(source, line, key, "unknown-column", "key")
