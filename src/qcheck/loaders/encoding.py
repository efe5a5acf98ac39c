"""Detect and decode the text encodings reports arrive in: UTF-8, GBK/GB18030, UTF-16, UTF-32."""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO, TextIO

from qcheck.problems import InputError, Problem
from qcheck.words import Listed

# The encoding that follows each byte-order mark, once the mark itself is skipped. UTF-32's
# little-endian mark begins with UTF-16's, so it is looked for first.
AFTER_BOM = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried in order when there is no byte-order mark; GB18030 is a superset of GBK and GB2312.
FALLBACKS = ("utf-8", "gb18030")
# Encodings whose text GB18030 also decodes, without an error, into other characters.
LOOK_ALIKES = ("big5", "cp950", "utf-16-le", "utf-16-be")
HEAD = 4096  # bytes looked at for a byte-order mark, UTF-16's NULs, or a header
CHUNK = 1 << 20  # bytes decoded at a time when checking a file
# Characters no report holds: a NUL (a file in UTF-16 or UTF-32 read byte by byte, or not
# text at all), and a byte-order mark inside the text (two files joined).
STRAYS = ("\x00", "\ufeff")
Failure = tuple[int, str, str]  # the offset of the first byte that is not text, it, and why


def known_encoding(name: str) -> str:
    """Return the canonical name of a text encoding, or raise LookupError."""
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def decode(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Decode ``data`` as open_text would read it."""
    codec, bom = _choose(io.BytesIO(data), source, encoding)
    return data[bom:].decode(codec)


def _wide_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 or UTF-32 text without a BOM by its NUL bytes in ASCII characters."""
    sample = data[: len(data[:HEAD]) // 4 * 4]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    lanes = [sample[lane::4].count(0) for lane in range(4)]
    quarter = len(sample) // 4
    if lanes[2] == lanes[3] == quarter and lanes[0] < quarter:
        return "utf-32-le"
    if lanes[0] == lanes[1] == quarter and lanes[3] < quarter:
        return "utf-32-be"
    even, odd = lanes[0] + lanes[2], lanes[1] + lanes[3]
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


def bad_encoding(
    source: str, failure: Failure, tried: tuple[str, ...], *, looks_like: str | None = None
) -> InputError:
    """Return the error for a file that is text in none of the encodings ``tried``."""
    offset, byte, stray = failure
    names = Listed((codec.upper().removesuffix("-SIG") for codec in tried), sep="sep.nor")
    if stray == "\ufeff":
        words = hint = "mark"
    else:
        words, hint = "nul" if stray else "", ""
    if looks_like is not None:
        hint = "looks-like"
    hints = (f"bad-encoding.{hint}" if hint else "bad-encoding",)
    problem = Problem.of(
        "bad-encoding",
        source=source,
        words=words,
        hints=hints,
        offset=offset,
        byte=byte,
        names=names,
        encoding=(looks_like or "").upper(),
        looks_like=looks_like,
    )
    return InputError([problem])


def _misread(source: str, looks_like: str) -> InputError:
    """Return the error for a file GB18030 decodes into no known header, but another does."""
    name = looks_like.upper()
    return InputError(
        [
            Problem.of(
                "bad-encoding", source=source, words="misread", name=name, looks_like=looks_like
            )
        ]
    )


def open_text(stream: BinaryIO, *, source: str, encoding: str | None = None) -> TextIO:
    """Read an open binary file as text in the encoding it is in (or ``encoding``).

    The whole file is decoded once, a chunk at a time, before any of it is read as a table, so
    a GBK file is recognised as such even if its first non-ASCII byte is near the end. The
    file must be seekable; it is closed if it cannot be read as text.
    """
    try:
        codec, bom = _choose(stream, source, encoding)
        stream.seek(bom)
        return io.TextIOWrapper(stream, encoding=codec, newline="")
    except BaseException:
        stream.close()
        raise


def _choose(stream: BinaryIO, source: str, encoding: str | None) -> tuple[str, int]:
    """Return the codec to read with and the length of the byte-order mark(s) to skip."""
    head = stream.read(HEAD)
    candidates, bom = _candidates(head, encoding)
    first_failure: Failure | None = None
    for codec in candidates:
        failure = _first_bad_byte(stream, codec, bom)
        if failure is None:
            looks_like = _look_alike(head[bom:]) if codec == "gb18030" and not encoding else None
            if looks_like is not None:
                raise _misread(source, looks_like)
            return codec, bom
        if failure[2]:  # valid text, but with a character no report holds
            first_failure = failure
            break
        first_failure = first_failure or failure
    assert first_failure is not None  # noqa: S101 - a codec was tried and failed
    looks_like = None if encoding else _look_alike(head[bom:])
    raise bad_encoding(source, first_failure, candidates, looks_like=looks_like)


def _candidates(head: bytes, encoding: str | None) -> tuple[tuple[str, ...], int]:
    """Return the codecs to try in turn, and the length of the byte-order mark(s) to skip."""
    mark, after_bom = next(
        ((m, codec) for m, codec in AFTER_BOM if head.startswith(m)), (b"", None)
    )
    bom = len(mark)
    while mark and head.startswith(mark, bom):  # a mark written twice (saved twice with one)
        bom += len(mark)
    if encoding is not None:
        forced = _forced(encoding, after_bom)
        if after_bom is None or forced != after_bom:
            bom = 0  # a mark of another encoding is not skipped: it will not decode
        return (forced,), bom
    if after_bom is not None:
        return (after_bom,), bom
    wide = _wide_without_bom(head)
    return ((wide,) if wide else FALLBACKS), bom


def _forced(encoding: str, after_bom: str | None) -> str:
    """Return the codec for a named encoding; plain UTF-16 or UTF-32 takes the mark's byte order."""
    name = known_encoding(encoding)
    for family in ("utf-16", "utf-32"):
        if name == family:
            ordered = (f"{family}-le", f"{family}-be")
            return after_bom if after_bom in ordered else ordered[0]
    if name in ("utf-8", "utf-8-sig") and after_bom == "utf-8":
        return "utf-8"
    return name


def _first_bad_byte(stream: BinaryIO, codec: str, start: int) -> Failure | None:
    """Decode the stream from ``start`` in chunks; return where it fails, if it does.

    Text holding a NUL or a byte-order mark fails too: no report holds them.
    """
    decoder = codecs.getincrementaldecoder(codec)()
    stream.seek(start)
    offset = start
    # A NUL is looked for among the bytes (ten times faster) unless a character has several.
    wide = codec.startswith(("utf-16", "utf-32"))
    while True:
        chunk = stream.read(CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeError as error:
            bad = offset - pending + getattr(error, "start", 0)
            stream.seek(bad)
            return bad, stream.read(1).hex().upper(), ""
        suspect = "\ufeff" in text or ("\x00" in text if wide else b"\x00" in chunk)
        stray = min((i for i in map(text.find, STRAYS) if i >= 0), default=-1) if suspect else -1
        if stray >= 0:
            bad = offset - pending + len(text[:stray].encode(codec))
            stream.seek(bad)
            return bad, stream.read(1).hex().upper(), text[stray]
        if not chunk:
            return None
        offset += len(chunk)


def _look_alike(head: bytes) -> str | None:
    """Return an encoding in which the first lines name the columns, if GB18030's do not."""
    from qcheck.loaders.csv_file import names_columns

    if names_columns(_text(head, "gb18030")):
        return None
    return next((codec for codec in LOOK_ALIKES if names_columns(_text(head, codec))), None)


def sample_text(head: bytes) -> str:
    """Return the first bytes of a file as text, as well as they can be read: for a guess."""
    return head_texts(head)[0]


def head_texts(head: bytes, encoding: str | None = None) -> list[str]:
    """Return the first bytes of a file as text in each encoding decode may choose, in turn.

    Whichever encoding decode chooses, the text it returns begins with the one read in it here.
    """
    codecs_tried, bom = _candidates(head, encoding)
    return [
        codecs.getincrementaldecoder(codec)("replace").decode(head[bom:]) for codec in codecs_tried
    ]


def _text(head: bytes, codec: str) -> str:
    """Return the text the first bytes decode into (none if they do not decode)."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(head, final=False)
    except UnicodeError:
        return ""
