"""Load a targets catalogue from YAML: the embedded default or a file the user names."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qcheck.catalogue import Catalogue
from qcheck.loaders.encoding import decode
from qcheck.loaders.streams import read_bounded, unreadable
from qcheck.loaders.yaml_file import parse_yaml, without_lines
from qcheck.problems import InputError, Problem, TargetsError
from qcheck.words import PydanticSaid, Word

EMBEDDED_NAME = "targets.yaml"
# The shipped catalogue has 18 targets in 13 KB; a thousand times that is no plan.
TARGETS_MAX_BYTES = 16 * 1024 * 1024
TOO_LARGE_HINT = "too-large.targets"


def embedded_targets_text() -> str:
    """Return the text of the catalogue shipped inside the package."""
    return resources.files("qcheck").joinpath(EMBEDDED_NAME).read_text(encoding="utf-8")


def load_catalogue(
    path: Path | str | None = None, *, max_bytes: int = TARGETS_MAX_BYTES
) -> Catalogue:
    """Load and validate a targets file; the embedded catalogue when ``path`` is None.

    The file may be a pipe or device; one over ``max_bytes`` is refused.
    """
    if path is None:
        return parse_targets(embedded_targets_text(), source=f"<embedded {EMBEDDED_NAME}>")
    path = Path(path)
    source = str(path)
    try:
        data = read_bounded(path, source=source, limit=max_bytes, hint=TOO_LARGE_HINT)
        text = decode(data, source=source)
    except OSError as error:
        raise TargetsError([unreadable(source, error)]) from None
    except InputError as error:
        raise TargetsError(error.problems) from None
    return parse_targets(text, source=source)


def load_targets(
    path: Path | str | None = None, *, max_bytes: int = TARGETS_MAX_BYTES
) -> Catalogue:
    """Load a targets file as load_catalogue does (deprecated: its former name, in README once)."""
    warnings.warn(
        "load_targets is deprecated: call load_catalogue", DeprecationWarning, stacklevel=2
    )
    return load_catalogue(path, max_bytes=max_bytes)


def parse_targets(text: str, *, source: str) -> Catalogue:
    """Validate targets YAML text into a catalogue; raise TargetsError naming each problem."""
    try:
        document = without_lines(parse_yaml(text, source=source))
    except InputError as error:
        raise TargetsError(error.problems) from None
    try:
        return Catalogue.model_validate(document)
    except ValidationError as error:
        details = error.errors(include_url=False)
        raise TargetsError(
            [
                Problem.of(
                    "invalid-targets",
                    source=source,
                    column=_describe_location(document, detail["loc"]),
                    reason=PydanticSaid(detail),
                    advice=_advice(document, detail),
                )
                for detail in details
                if not _follows_from_others(detail, details)
            ]
        ) from None


def _advice(document: object, detail: Mapping[str, Any]) -> Word | str:
    """Return what to write instead, for the slips people make most ("" for another)."""
    value = detail.get("input")
    if not isinstance(value, str):
        return ""
    if detail["type"] == "string_pattern_mismatch":
        regions = document.get("regions") if isinstance(document, dict) else None
        for region in regions if isinstance(regions, list) else []:
            if isinstance(region, dict) and value in (region.get("name_zh"), region.get("name_en")):
                ident = region.get("id")
                return Word("advice.region-id", ident=ident)
        return Word("advice.id")
    if detail["type"] == "decimal_parsing" and value.strip().endswith(("%", "％")):
        number = value.strip()[:-1].strip()
        return Word("advice.percent", number=number)
    return ""


def _follows_from_others(detail: Mapping[str, Any], details: list[Any]) -> bool:
    """Whether an error only repeats others: "no targets" when every target was refused."""
    return (
        detail["type"] == "too_short"
        and tuple(detail["loc"]) == ("targets",)
        and any(
            tuple(other["loc"][:1]) == ("targets",) and len(other["loc"]) > 1 for other in details
        )
    )


def _describe_location(document: object, location: tuple[int | str, ...]) -> str | None:
    """Return a dotted path to the bad key, naming a target by its id where it has one."""
    parts = [str(part) for part in _without_kind_tags(document, location)]
    location = tuple(_without_kind_tags(document, location))
    if len(location) >= 2 and location[0] == "targets" and isinstance(location[1], int):
        targets = document.get("targets") if isinstance(document, dict) else None
        if isinstance(targets, list) and location[1] < len(targets):
            entry = targets[location[1]]
            if isinstance(entry, dict) and "id" in entry:
                parts[1] = f"{location[1]}({entry['id']})"
    return ".".join(parts) or None


def _without_kind_tags(document: object, location: tuple[int | str, ...]) -> list[int | str]:
    """Drop the rule kind Pydantic puts in a path: rule.due.due is the rule's ``due``."""
    kept: list[int | str] = []
    node, untagged = document, None
    for part in location:
        # Pydantic names a rule's (or a regional rule's test's) kind before its fields.
        if isinstance(node, dict) and node.get("kind") == part and untagged is not node:
            untagged = node
            continue
        kept.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return kept
