"""Normalization and look-up of names that people type: indicators, regions, units, columns."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


_BRACKETED_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
_UNIT_LIKE = re.compile(r"[%/户家个克米]|ug|µg|μg|pct|percent")
# A percentage declared as a fraction, 数值（比例）: the whole note, as these words are common.
_FRACTION_UNIT = re.compile(r"比例|比值|小数|ratio|fraction")
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def normalize_name(text: str) -> str:
    """Fold full-width forms, letter case, and spaces: around, repeated, or inside Chinese.

    Spaces typed to align Chinese names (甘 州 区) or line breaks inside a spreadsheet cell
    are not part of the name; spaces between Latin words are kept (one of them).
    """
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return _SPACE_BETWEEN_CJK.sub("", folded).casefold()


def bracketed_unit(text: str) -> str | None:
    """Return a unit written in brackets at the end, as in 数值（微克/立方米）, if any."""
    match = _BRACKETED_TAIL.search(normalize_name(text))
    if match is None:
        return None
    note = match.group(0).strip().strip("()").strip()
    return note if _UNIT_LIKE.search(note) or _FRACTION_UNIT.fullmatch(note) else None


def without_bracketed_tail(text: str) -> str:
    """Return ``text`` without a bracketed note at its end: 合格率（%）-> 合格率."""
    return _BRACKETED_TAIL.sub("", unicodedata.normalize("NFKC", text))


SUGGESTIONS_KEPT = 4096  # closest names remembered by an index, per distinct unknown name


class NameIndex(Generic[T]):
    """Maps every accepted spelling of a name to its item; suggests the closest on a miss."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._items: dict[str, T] = {}
        self._display: dict[str, str] = {}
        self._suggested: dict[str, str | None] = {}
        for name, item in entries:
            key = normalize_name(name)
            if key in self._items and self._items[key] is not item:
                raise ValueError(f"the name {name!r} is used twice")
            self._items[key] = item
            self._display.setdefault(key, name)

    def get(self, name: str) -> T | None:
        """Return the item named ``name``, or None."""
        return self._items.get(normalize_name(name))

    def suggest(self, name: str) -> str | None:
        """Return the closest known spelling to ``name``, if one is close enough."""
        key = normalize_name(name)
        if key in self._suggested:
            return self._suggested[key]
        matches = difflib.get_close_matches(key, list(self._items), n=1, cutoff=0.6)
        found = self._display[matches[0]] if matches else None
        if len(self._suggested) < SUGGESTIONS_KEPT:
            self._suggested[key] = found
        return found

    def as_mapping(self) -> Mapping[str, T]:
        """Return the normalized spellings and their items."""
        return self._items


class SuggestionBudget:
    """How many distinct unknown names a run looks for a close name for (difflib is slow).

    A report of a million junk names would take minutes; the problems shown are a few hundred
    at most, so only the first ``limit`` distinct names get a suggestion.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._asked: set[tuple[int, str]] = set()
        self.denied = False  # whether a suggestion was refused since this was last set False

    def allows(self, index: object, name: str) -> bool:
        """Whether a suggestion may be sought for ``name`` in ``index``: a name asked before may."""
        key = (id(index), normalize_name(name))
        if key in self._asked:
            return True
        if len(self._asked) >= self._limit:
            self.denied = True
            return False
        self._asked.add(key)
        return True
