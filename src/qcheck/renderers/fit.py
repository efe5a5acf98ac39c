"""How wide each column of a terminal table is: names wrap, figures never split, some give way.

Every column starts as wide as its widest cell. Where the table is too wide for the terminal,
the columns that can wrap give up room, in the order they are declared to, down to their
longest word, so that the names column keeps a fair share; where that is not enough, the
columns that may be left out go, least needed first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len

GUTTER = 3  # cells between two columns of a SIMPLE_HEAD table: padding, rule, padding
NAMES_SHARE = 1 / 3  # of the width, kept for the names before others are left out
BEFORE_BRACKET = re.compile(r" (?=[(（])")
# Cells a target's rule gets at the least in a table: "比2017年下降≥10%" whole; a longer rule with
# no space to wrap at (甘州区2020年12月31日前完成) folds, rather than crowd the other columns out.
RULE_LEAST = 16


@dataclass(frozen=True)
class Column:
    """A column's widths and how it gives way: the names column takes the room left over."""

    natural: int  # as wide as its widest cell
    least: int  # as narrow as its longest word, which is never split
    names: bool = False  # takes what the others leave, and wraps
    yields: int | None = None  # the order it gives up room in (None: never)
    drops: int | None = None  # the order it is left out in (None: never)


def measure(
    cells: Iterable[str],
    *,
    names: bool = False,
    yields: int | None = None,
    drops: int | None = None,
    unbroken: bool = False,
    figures: bool = False,
    folds: int | None = None,
) -> Column:
    """Return a column for ``cells`` (its header first); ``unbroken`` cells never wrap.

    A cell of ``figures`` wraps only before a bracket: "-7 µg/m³" stays whole, "(-8.97%)" may
    go to the next line. Where ``folds`` is given, a word longer than that may be split (Chinese
    has no spaces to wrap at).
    """
    texts = list(cells)
    natural = max(cell_len(line) for text in texts for line in text.splitlines() or [""])
    split = BEFORE_BRACKET.split if figures else str.split
    words = [word for text in texts for word in split(text)] or [""]
    least = natural if unbroken else max(cell_len(word) for word in words)
    if folds is not None:
        least = min(least, folds)
    return Column(natural, least, names=names, yields=yields, drops=drops)


def fit(columns: Sequence[Column], width: int, *, share: float = NAMES_SHARE) -> list[int | None]:
    """Return each column's width for a table ``width`` cells wide; None where it is left out.

    The names keep ``share`` of the width (or all they need) before another column goes.
    """
    shown = list(range(len(columns)))
    while True:
        space = width - GUTTER * (len(shown) - 1)
        widths = _shrink([columns[i] for i in shown], space, share)
        droppable = [i for i in shown if columns[i].drops is not None]
        if widths is not None or not droppable:
            break
        shown.remove(min(droppable, key=lambda i: columns[i].drops or 0))
    if widths is None:  # nothing more can give way: the names take what is left, if anything
        space = width - GUTTER * (len(shown) - 1)
        widths = [c.least for c in (columns[i] for i in shown)]
        rest = [n for n, i in enumerate(shown) if columns[i].names]
        for n in rest:
            widths[n] = max(columns[shown[n]].least, space - sum(widths) + widths[n])
    placed: list[int | None] = [None] * len(columns)
    for n, i in enumerate(shown):
        placed[i] = widths[n]
    return placed


def _shrink(columns: Sequence[Column], space: int, share: float) -> list[int] | None:
    """Return widths within ``space``, the names keeping their share; None if they cannot."""
    widths = [column.natural for column in columns]
    names = [n for n, column in enumerate(columns) if column.names]
    others = sum(w for n, w in enumerate(widths) if n not in names)
    wanted = sum(min(columns[n].natural, max(columns[n].least, int(space * share))) for n in names)
    excess = others + wanted - space
    order = sorted(
        (n for n, column in enumerate(columns) if column.yields is not None),
        key=lambda n: columns[n].yields or 0,
    )
    for n in order:
        if excess <= 0:
            break
        given = min(excess, widths[n] - columns[n].least)
        widths[n] -= given
        excess -= given
    if excess > 0:
        return None
    room = space - sum(w for n, w in enumerate(widths) if n not in names)
    for n in names:  # one names column in every table qcheck prints
        widths[n] = min(columns[n].natural, room)
    return widths


def cramped(columns: Sequence[Column], widths: Sequence[int | None], width: int) -> bool:
    """Whether ``widths`` (from fit) overflow ``width`` or leave the names under their least.

    Rich would then squeeze or crop columns itself, status words included: a table so narrow
    is better shown as a list.
    """
    shown = [(column, w) for column, w in zip(columns, widths, strict=True) if w is not None]
    total = sum(w for _, w in shown) + GUTTER * (len(shown) - 1)
    return total > width or any(column.names and w < column.least for column, w in shown)
