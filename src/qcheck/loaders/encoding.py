"""Detect and decode the text encodings reports arrive in: UTF-8, GBK/GB18030, UTF-16."""

from __future__ import annotations

import codecs

from qcheck.problems import InputError, Problem

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order when there is no byte-order mark; GB18030 is a superset of GBK and GB2312.
FALLBACKS = ("utf-8", "gb18030")


def known_encoding(name: str) -> str:
    """Return the canonical name of an encoding, or raise LookupError."""
    return codecs.lookup(name).name


def decode(data: bytes, *, source: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return the text and the encoding used. Raise a located error if none fits.

    With ``encoding`` given, only that encoding is tried (a BOM it implies is still removed).
    """
    if encoding is not None:
        codec = "utf-8-sig" if known_encoding(encoding) == "utf-8" else encoding
        return _decode_or_fail(data, source, (codec,)), codec
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _decode_or_fail(data, source, (codec,)), codec
    for codec in FALLBACKS:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return _decode_or_fail(data, source, FALLBACKS), ""


def _decode_or_fail(data: bytes, source: str, codecs_tried: tuple[str, ...]) -> str:
    try:
        return data.decode(codecs_tried[0])
    except UnicodeDecodeError as error:
        offset = error.start
        byte = data[offset : offset + 1].hex().upper()
        tried = " nor ".join(codec.upper().removesuffix("-SIG") for codec in codecs_tried)
        raise InputError(
            [
                Problem(
                    source=source,
                    code="bad-encoding",
                    message=f"byte 0x{byte} at offset {offset} is not valid text in {tried}",
                    hint="save the file as CSV UTF-8 (Excel: 'CSV UTF-8'), or name the "
                    "encoding with --encoding",
                )
            ]
        ) from None
