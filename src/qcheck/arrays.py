"""Small Arrow helpers for the column path (imported only where pyarrow is used).

Arrays are made from Python values through the array module's buffers, not pa.array: for a
list, pa.array asks whether it is a pandas object, which imports pandas where it is installed
(a quarter of a second).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


def ints(values: Iterable[int]) -> Any:
    """Return whole numbers as an Arrow int64 array."""
    held = array("q", values)
    return pa.Array.from_buffers(pa.int64(), len(held), [None, pa.py_buffer(held)])


def flags(values: Iterable[bool]) -> Any:
    """Return booleans as an Arrow array."""
    held = array("b", values)
    return pc.cast(
        pa.Array.from_buffers(pa.int8(), len(held), [None, pa.py_buffer(held)]), pa.bool_()
    )


def texts(values: Iterable[str]) -> Any:
    """Return text as an Arrow string array."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = array("i", [0])
    total = 0
    for value in encoded:
        total += len(value)
        offsets.append(total)
    data = b"".join(encoded)
    return pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def whole(value: int) -> Any:
    """Return a whole number as an Arrow scalar, for a compute function's argument.

    Given a Python number, a compute function makes the scalar itself, importing pandas.
    """
    return ints((value,))[0]


def repeated(value: int, count: int) -> Any:
    """Return an int64 array of ``count`` times ``value``."""
    return ints(array("q", (value,)) * count)


def positions(count: int, start: int = 0) -> Any:
    """Return start, start + 1, ... as an int64 array of ``count`` (made in C, not from a range)."""
    if not count:
        return ints(())
    return pc.add(pc.cumulative_sum(repeated(1, count)), whole(start - 1))


def counts(values: Any) -> list[tuple[Any, int]]:
    """Return each distinct value of an Arrow array with how many times it occurs."""
    return [(item["values"], item["counts"]) for item in pc.value_counts(values).to_pylist()]
