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


def texts(values: Iterable[str | None]) -> Any:
    """Return text (None: null) as an Arrow string array."""
    return _variable(pa.string(), [None if value is None else value.encode() for value in values])


def binaries(values: Iterable[bytes]) -> Any:
    """Return bytes as an Arrow binary array."""
    return _variable(pa.binary(), list(values))


def _variable(kind: Any, encoded: list[bytes | None]) -> Any:
    """Return values of variable length (None: null) as an Arrow array of ``kind``."""
    offsets = array("i", [0])
    total = 0
    for value in encoded:
        total += 0 if value is None else len(value)
        offsets.append(total)
    data = b"".join(value for value in encoded if value is not None)
    validity = None
    if None in encoded:
        bits = bytearray((len(encoded) + 7) // 8)
        for index, value in enumerate(encoded):
            if value is not None:
                bits[index >> 3] |= 1 << (index & 7)
        validity = pa.py_buffer(bits)
    buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(kind, len(encoded), buffers)


def truth(value: bool) -> Any:
    """Return a boolean as an Arrow scalar, for a compute function's argument (see whole)."""
    return flags((value,))[0]


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
