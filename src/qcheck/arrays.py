"""Small Arrow helpers for the column path (imported only where pyarrow is used)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


def positions(count: int, start: int = 0) -> Any:
    """Return start, start + 1, ... as an int64 array of ``count`` (made in C, not from a range)."""
    if not count:
        return pa.array([], pa.int64())
    return pc.add(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), count)), start - 1)


def flags(values: Iterable[bool]) -> Any:
    """Return booleans as an Arrow array (of that type when empty)."""
    return pa.array(list(values), pa.bool_())


def counts(values: Any) -> list[tuple[Any, int]]:
    """Return each distinct value of an Arrow array with how many times it occurs."""
    return [(item["values"], item["counts"]) for item in pc.value_counts(values).to_pylist()]
