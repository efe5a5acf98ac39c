"""Detect and decode the text encodings reports arrive in: UTF-8, GBK/GB18030, UTF-16."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import BinaryIO, TextIO

from qcheck.problems import InputError, Problem

# The encoding that follows each byte-order mark, once the mark itself is skipped.
AFTER_BOM = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried in order when there is no byte-order mark; GB18030 is a superset of GBK and GB2312.
FALLBACKS = ("utf-8", "gb18030")
HEAD = 4096  # bytes looked at for a byte-order mark or UTF-16's NULs
CHUNK = 1 << 20  # bytes decoded at a time when checking a file


def known_encoding(name: str) -> str:
    """Return the canonical name of a text encoding, or raise LookupError."""
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def decode(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Decode ``data`` as open_text would read it."""
    candidates, bom = _candidates(data[:HEAD], encoding)
    first_failure: tuple[int, str] | None = None
    for codec in candidates:
        try:
            return data[bom:].decode(codec)
        except UnicodeDecodeError as error:
            bad = bom + error.start
            first_failure = first_failure or (bad, data[bad : bad + 1].hex().upper())
    assert first_failure is not None  # noqa: S101 - a codec was tried and failed
    raise bad_encoding(source, *first_failure, candidates)


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 text without a BOM by its NUL bytes: every other byte of ASCII is 0."""
    sample = data[:HEAD]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


def bad_encoding(source: str, offset: int, byte: str, tried: tuple[str, ...]) -> InputError:
    """Return the error for a file that is text in none of the encodings ``tried``."""
    names = " nor ".join(codec.upper().removesuffix("-SIG") for codec in tried)
    return InputError(
        [
            Problem(
                source=source,
                code="bad-encoding",
                message=f"byte 0x{byte} at offset {offset} is not valid text in {names}",
                hint="save the file as CSV UTF-8 (Excel: 'CSV UTF-8'), or name the "
                "encoding with --encoding",
                message_zh=f"偏移量{offset}处的字节0x{byte}不是有效的{names}文本",
                hint_zh="请另存为“CSV UTF-8”，或用 --encoding 指定编码",
            )
        ]
    )


def open_text(path: Path, *, source: str, encoding: str | None = None) -> TextIO:
    """Open a text file in the encoding it is in (or ``encoding``), checked to its last byte.

    The whole file is decoded once, a chunk at a time, before any of it is read as a table, so
    a GBK file is recognised as such even if its first non-ASCII byte is near the end.
    """
    stream = path.open("rb")
    try:
        codec, bom = _choose(stream, source, encoding)
        stream.seek(bom)
        return io.TextIOWrapper(stream, encoding=codec, newline="")
    except BaseException:
        stream.close()
        raise


def _choose(stream: BinaryIO, source: str, encoding: str | None) -> tuple[str, int]:
    """Return the codec to read with and the length of the byte-order mark to skip."""
    candidates, bom = _candidates(stream.read(HEAD), encoding)
    first_failure: tuple[int, str] | None = None
    for codec in candidates:
        failure = _first_bad_byte(stream, codec, bom)
        if failure is None:
            return codec, bom
        first_failure = first_failure or failure
    assert first_failure is not None  # noqa: S101 - a codec was tried and failed
    raise bad_encoding(source, *first_failure, candidates)


def _candidates(head: bytes, encoding: str | None) -> tuple[tuple[str, ...], int]:
    """Return the codecs to try in turn, and the length of the byte-order mark to skip."""
    after_bom = next((codec for mark, codec in AFTER_BOM if head.startswith(mark)), None)
    bom = next((len(mark) for mark, _ in AFTER_BOM if head.startswith(mark)), 0)
    if encoding is not None:
        forced = _forced(encoding, after_bom)
        if after_bom is None or forced != after_bom:
            bom = 0  # a mark of another encoding is not skipped: it will not decode
        return (forced,), bom
    if after_bom is not None:
        return (after_bom,), bom
    utf16 = _utf16_without_bom(head)
    return ((utf16,) if utf16 else FALLBACKS), bom


def _forced(encoding: str, after_bom: str | None) -> str:
    """Return the codec for a named encoding; plain UTF-16 takes its byte order from the mark."""
    name = known_encoding(encoding)
    if name == "utf-16":
        return after_bom if after_bom in ("utf-16-le", "utf-16-be") else "utf-16-le"
    if name == "utf-8" and after_bom == "utf-8":
        return "utf-8"
    return name


def _first_bad_byte(stream: BinaryIO, codec: str, start: int) -> tuple[int, str] | None:
    """Decode the stream from ``start`` in chunks; return the offset and byte of a failure."""
    decoder = codecs.getincrementaldecoder(codec)()
    stream.seek(start)
    offset = start
    while True:
        chunk = stream.read(CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeError as error:
            bad = offset - pending + getattr(error, "start", 0)
            stream.seek(bad)
            return bad, stream.read(1).hex().upper()
        if not chunk:
            return None
        offset += len(chunk)
