"""Read the parts of an .xlsx package: sheets, strings, formats, within a byte budget.

Only what a report needs is read, with expat directly: no DTD is accepted (so no entity is
ever declared or resolved), no part may unpack beyond its declared size, and the declared
sizes together may not pass the caller's limit.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.parsers import expat

MAX_ROWS = 1_048_576  # Excel's own limits for a worksheet
MAX_COLUMNS = 16_384
CHUNK = 1 << 16
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")  # past XFD1048576 is no cell
_MERGE_CELL = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b([^>]*)>")
_REF_ATTRIBUTE = re.compile(rb"\bref\s*=\s*([\"'])(.*?)\1", re.DOTALL)
# Characters XML cannot hold are written _xHHHH_ (_x000D_ is a carriage return, _x005F_ an
# underscore); a character beyond U+FFFF is written as its two UTF-16 halves.
_ESCAPE = re.compile(
    r"_x([Dd][89ABab][0-9A-Fa-f]{2})__x([Dd][C-Fc-f][0-9A-Fa-f]{2})_|_x([0-9A-Fa-f]{4})_"
)
# What a cell's number format makes of a number: shown as is, x100 with a %, a date or time,
# a duration ([h]:mm, hours past 24), or nothing (an empty section, as the zero of 0.0%;;).
NUMBER, PERCENT, DATE, DURATION, BLANK = "number", "percent", "date", "duration", "blank"
# Why a cell reads blank though it holds something (see Hollow).
MERGED, UNCALCULATED, FORMATTED = "merged", "uncalculated", "formatted"
# Built-in number formats (ECMA-376 18.8.30) that scale by 100 or show a date. 27-36 and 50-58
# are the East Asian date formats (yyyy"年"m"月"d"日" and so on): a workbook does not spell
# them out, as Excel in Chinese knows them.
_BUILTIN_KINDS = {
    9: PERCENT,
    10: PERCENT,
    **dict.fromkeys((*range(14, 23), 45, 47, *range(27, 37), *range(50, 59)), DATE),
    46: DURATION,
}
# A format's pieces that show no code: quoted text, an escaped character, _x (a space as wide
# as x), *x (x repeated to fill the cell) and [...] (a colour, condition or locale), elapsed
# time ([h], [mm], [ss]) excepted. A % among them is shown, not applied.
_LITERAL = re.compile(r'"[^"]*"?|\\.?|_.?|\*.?|\[(?![hms]+\])[^\]]*\]?', re.IGNORECASE | re.DOTALL)
_PIECE = re.compile(r'"[^"]*"?|\\.?|_.?|\*.?|\[[^\]]*\]?|;|[^;"\\_*\[]+', re.DOTALL)
# A colour, a condition, spacing (_x), a fill of spaces, quoted blanks: none shows a character.
_UNSHOWN = re.compile(r'\[[^\]]*\]?|_.?|\*\s|"\s*"|\s', re.DOTALL)
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*\]")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "<>": operator.ne,
}


class DamageError(Exception):
    """The package is damaged; ``cell`` names where in a sheet, if known ("B7")."""

    def __init__(
        self, words: str, *, cell: str | None = None, own: bool = False, **params: Any
    ) -> None:
        super().__init__(words)
        self.words = words  # damage.<words>, or problem.bad-excel.<words> if ``own``
        self.own = own  # a case with words and a fix of its own, not only "cannot be read"
        self.cell = cell
        self.params = params


class UnpackedError(Exception):
    """The package unpacks to more bytes than allowed."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} > {limit}")
        self.size = size
        self.limit = limit


class Hollow(str):
    """A cell blank only as Excel shows or stores it, though the user sees or meant a value.

    Under a merged range (``why`` is MERGED, ``detail`` names the range), a formula never
    calculated (UNCALCULATED, the formula), or a value its number format shows as nothing
    (FORMATTED, the value held: ;;; hides everything, 0.0%;; a zero). It is blank to every
    reader.
    """

    why: str
    detail: str

    def __new__(cls, *, why: str, detail: str) -> Hollow:
        """Return a blank cell value that remembers why it is blank."""
        cell = super().__new__(cls, "")
        cell.why = why
        cell.detail = detail
        return cell

    @property
    def merged(self) -> bool:
        """Whether the cell is blank because a merged range covers it."""
        return self.why == MERGED


class Stale(str):
    """A formula's stored result in a workbook that asks Excel to recalculate every formula.

    Programs that write formulas without working them out (xlsxwriter stores 0) mark the
    workbook so; Excel shows its own result, which the stored one may not be.
    """

    formula: str

    def __new__(cls, value: str, *, formula: str) -> Stale:
        """Return the stored result, remembering the formula it came from."""
        cell = super().__new__(cls, value)
        cell.formula = formula
        return cell


Row = tuple[int, list[object]]


@dataclass(frozen=True, order=True)
class Span:
    """A merged range: first and last row, first and last column (from 1), and its name."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int
    name: str


@dataclass(frozen=True)
class Marks:
    """What Excel shows otherwise in a sheet's rows; filled as the rows are read.

    ``flagged``: rows with a Hollow or Stale cell; ``hidden_rows``: rows Excel hides (also by
    a filter); ``hidden_columns``: the (first, last) columns, from 1, of ranges Excel hides.
    """

    flagged: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)

    def column_hidden(self, column: int) -> bool:
        """Whether Excel hides a column (from 1)."""
        return any(first <= column <= last for first, last in self.hidden_columns)


@dataclass(frozen=True)
class Sheet:
    """A worksheet as the workbook lists it: name, part in the package, and visibility."""

    name: str
    part: str
    state: str  # visible, hidden or veryHidden

    @property
    def visible(self) -> bool:
        """Whether Excel shows the sheet's tab."""
        return self.state == "visible"


def refuse_ole2(head: bytes, data: Callable[[], bytes]) -> None:
    """Raise DamageError for an OLE2 file: a password-protected workbook or an old .xls."""
    if not head.startswith(OLE2_MAGIC):
        return
    if ENCRYPTED_PACKAGE in data():
        raise DamageError("password", own=True)
    raise DamageError("xls", own=True)


class Package:
    """An opened .xlsx: its sheets, and a reader for the rows of each."""

    def __init__(self, file: IO[bytes], *, max_bytes: int) -> None:
        try:
            self._zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
            raise DamageError("not-zip", error=str(error)) from None
        unpacked = sum(info.file_size for info in self._zip.infolist())
        if unpacked > max_bytes:
            raise UnpackedError(unpacked, max_bytes)
        # Part names are compared without regard to case (ECMA-376 part 2, 8.1.1.1).
        self._names = {info.filename.lower(): info.filename for info in self._zip.infolist()}
        workbook = _target(self._rels("_rels/.rels", ""), "/officeDocument") or "xl/workbook.xml"
        folder = workbook.rpartition("/")[0]
        relations = self._rels(_rels_of(workbook), folder)
        self.sheets, self.date1904, self.recalculates = self._workbook(workbook, relations)
        self._strings_part = _target(relations, "/sharedStrings")
        self._styles_part = _target(relations, "/styles")
        self._strings: list[str] | None = None
        self._styles: list[str | Sections] | None = None
        self._hiding_text: frozenset[int] = frozenset()

    def close(self) -> None:
        """Close the package (not the file it was opened from)."""
        self._zip.close()

    # ---- parts ------------------------------------------------------------------------

    def _open(self, part: str) -> _Capped:
        name = self._names.get(part.lower())
        if name is None:
            raise DamageError("part-missing", part=part)
        try:
            return _Capped(self._zip.open(name), self._zip.getinfo(name).file_size, part)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as error:
            raise DamageError("part-open", part=part, error=str(error)) from None

    def _parse(
        self, part: str, start: Callable[[str, dict[str, str]], None], **handlers: Any
    ) -> None:
        """Parse a whole part, calling ``start`` (local name, attributes) for every element."""
        parser = _parser(part)
        parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
        for key, handler in handlers.items():
            setattr(parser, key, handler)
        for _ in _feed(parser, self._open(part), part):
            pass

    def _rels(self, part: str, folder: str) -> dict[str, tuple[str, str]]:
        """Return a part's relations: id -> (type, target part)."""
        found: dict[str, tuple[str, str]] = {}
        if part.lower() not in self._names:
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                found[attrs.get("Id", "")] = (
                    attrs.get("Type", ""),
                    _join(folder, attrs.get("Target", "")),
                )

        self._parse(part, start)
        return found

    def _workbook(
        self, part: str, relations: dict[str, tuple[str, str]]
    ) -> tuple[list[Sheet], bool, bool]:
        """Return the worksheets, whether days count from 1904, and whether Excel recalculates."""
        sheets: list[Sheet] = []
        date1904, recalculates = [False], [False]

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                kind, target = relations.get(rid, ("", ""))
                if not kind.endswith("/worksheet"):
                    return  # a chart sheet or dialog sheet holds no cells
                state = attrs.get("state", "visible")
                sheets.append(Sheet(attrs.get("name", ""), target, state))
            elif name == "workbookPr":
                date1904[0] = attrs.get("date1904", "0").lower() in ("1", "true")
            elif name == "calcPr":  # Excel ignores fullCalcOnLoad when it calculates by hand
                recalculates[0] = attrs.get("fullCalcOnLoad", "0").lower() in ("1", "true") and (
                    attrs.get("calcMode") != "manual"
                )

        self._parse(part, start)
        if not sheets:
            raise DamageError("no-worksheets")
        return sheets, date1904[0], recalculates[0]

    def strings(self) -> list[str]:
        """Return the shared strings, read once."""
        if self._strings is None:
            self._strings = self._read_strings(self._strings_part) if self._strings_part else []
        return self._strings

    def _read_strings(self, part: str) -> list[str]:
        strings: list[str] = []
        pieces: list[str] = []
        state = {"text": False, "phonetic": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "t" and not state["phonetic"]:
                state["text"] = True
            elif name == "rPh":
                state["phonetic"] += 1

        def end(name: str) -> None:
            local = _local(name)
            if local == "t":
                state["text"] = False
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "si":
                strings.append(unescape("".join(pieces)))
                pieces.clear()

        def text(data: str) -> None:
            if state["text"]:
                pieces.append(data)

        self._parse(part, start, EndElementHandler=end, CharacterDataHandler=text)
        return strings

    def styles(self) -> list[str | Sections]:
        """Return, per cell style, what its number format makes of a number (NUMBER, ...)."""
        if self._styles is None:
            formats = self._read_styles(self._styles_part) if self._styles_part else []
            self._styles = [_format_kind(number, code) for number, code in formats]
            self._hiding_text = frozenset(
                index for index, (_, code) in enumerate(formats) if code and _hides_text(code)
            )
        return self._styles

    def _read_styles(self, part: str) -> list[tuple[int, str | None]]:
        """Return, per cell style, its number format's id and code (None for a built-in)."""
        codes: dict[int, str] = {}
        formats: list[int] = []
        where = {"numFmts": False, "cellXfs": False}  # numFmt also defines formats of dxfs

        def start(name: str, attrs: dict[str, str]) -> None:
            if name in where:
                where[name] = True
            elif name == "numFmt" and where["numFmts"]:
                codes[_int(attrs.get("numFmtId"), 0)] = attrs.get("formatCode", "")
            elif name == "xf" and where["cellXfs"]:
                formats.append(_int(attrs.get("numFmtId"), 0))

        def end(name: str) -> None:
            local = _local(name)
            if local in where:
                where[local] = False

        self._parse(part, start, EndElementHandler=end)
        return [(number, codes.get(number)) for number in formats]

    # ---- sheets -----------------------------------------------------------------------

    def merged(self, sheet: Sheet) -> list[Span]:
        """Return the merged ranges of a sheet, by first row.

        They are listed after the rows, so this reads the part once more, without parsing
        it: a search of the bytes for <mergeCell> elements.
        """
        spans: set[Span] = set()
        tail = b""
        for chunk in _chunks(self._open(sheet.part), sheet.part, CHUNK * 16):
            window = tail + chunk
            for match in _MERGE_CELL.finditer(window):
                spans.add(_span(match.group(1)))
            tail = window[-512:]
        return sorted(spans)

    def rows(
        self, sheet: Sheet, spans: list[Span] | None = None, *, chunk: int = CHUNK
    ) -> tuple[Iterator[Row], Marks]:
        """Return the rows that have cells (number, values as Excel shows them), as read.

        Cells covered by a span (not its first), formulas never calculated and values a format
        shows as nothing read as Hollow, stored results (numbers, text) of formulas Excel
        recalculates on opening as Stale; the marks returned fill with the numbers of their
        rows, and with the hidden rows and columns. The part is parsed ``chunk`` bytes at a
        time, as the rows are taken: a look at the first rows takes a small one.
        """
        reader = _SheetReader(self.strings(), self.styles(), self.date1904, spans or [])
        reader.hiding_text = self._hiding_text
        reader.recalculates = self.recalculates
        return self._rows(sheet, reader, chunk), reader.marks

    def _rows(self, sheet: Sheet, reader: _SheetReader, chunk: int) -> Iterator[Row]:
        parser = _parser(sheet.part)
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.text
        parser.buffer_text = True
        for _ in _feed(parser, self._open(sheet.part), sheet.part, chunk):
            if reader.done:
                yield from reader.done
                reader.done.clear()
        yield from reader.done


class _Capped:
    """A part's stream that refuses to yield more than the part's declared size."""

    def __init__(self, stream: IO[bytes], size: int, part: str) -> None:
        self._stream = stream
        self._left = size
        self._part = part

    def read(self, size: int) -> bytes:
        data = self._stream.read(size)
        self._left -= len(data)
        if self._left < 0:
            raise DamageError("oversized-part", part=self._part)
        return data

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _Capped:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _parser(part: str) -> Any:
    """Return an expat parser that refuses any DTD (OOXML parts never have one)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise DamageError("dtd", part=part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _chunks(stream: Any, part: str, size: int = CHUNK) -> Iterator[bytes]:
    """Yield a part's bytes chunk by chunk; a failure to unpack them is damage."""
    try:
        with stream:
            while chunk := stream.read(size):
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        raise DamageError("unpack", part=part, error=str(error)) from None


def _feed(parser: Any, stream: Any, part: str, size: int = CHUNK) -> Iterator[None]:
    """Feed a part to a parser chunk by chunk, yielding after each; bad XML is damage."""
    try:
        for chunk in _chunks(stream, part, size):
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code)
        raise DamageError("xml", part=part, reason=reason, line=error.lineno) from None
    yield


class _SheetReader:
    """Expat handlers that turn a worksheet's XML into rows of values."""

    def __init__(
        self,
        strings: list[str],
        styles: list[str | Sections],
        date1904: bool,
        spans: list[Span],
    ) -> None:
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.pending = spans[::-1]  # by first row, the next one last
        self.active: list[Span] = []
        self.marks = Marks()
        self.flagged = self.marks.flagged
        self.width = 0
        self.starts: dict[str, Any] = {}
        self.ends: dict[str, Any] = {}
        self.done: list[Row] = []
        self.row = 0
        self.cells: list[object] = []
        self.column = 0
        self.ref = ""
        self.kind = "n"
        self.style = 0
        self.formula: list[str] | None = None
        self.value: list[str] | None = None
        self.inline: list[str] | None = None
        self.collect: list[str] | None = None
        self.phonetic = 0
        self.recalculates = False
        self.hiding_text: frozenset[int] = frozenset()  # styles whose format shows no text

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """Handle an element's start tag."""
        handler = self.starts.get(name, _UNSEEN)
        if handler is _UNSEEN:
            handler = self.starts[name] = _STARTS.get(_local(name))
        if handler is not None:
            handler(self, attrs)

    def end(self, name: str) -> None:
        """Handle an element's end tag."""
        handler = self.ends.get(name, _UNSEEN)
        if handler is _UNSEEN:
            handler = self.ends[name] = _ENDS.get(_local(name))
        if handler is not None:
            handler(self)

    def _start_value(self, _attrs: dict[str, str]) -> None:
        self.value = self.collect = []

    def _start_formula(self, _attrs: dict[str, str]) -> None:
        self.formula = self.collect = []

    def _start_inline(self, _attrs: dict[str, str]) -> None:
        self.inline = []

    def _start_text(self, _attrs: dict[str, str]) -> None:
        if self.inline is not None and not self.phonetic:
            self.collect = self.inline

    def _start_phonetic(self, _attrs: dict[str, str]) -> None:
        self.phonetic += 1

    def _end_phonetic(self) -> None:
        self.phonetic -= 1

    def _end_text(self) -> None:
        self.collect = None

    def _start_row(self, attrs: dict[str, str]) -> None:
        given = attrs.get("r")
        number = self.row + 1 if given is None else _int(given, -1)
        if number <= self.row or number > MAX_ROWS:
            if number > MAX_ROWS:
                raise DamageError("row-beyond", given=given, limit=MAX_ROWS)
            raise DamageError("row-order", given=given, row=self.row)
        self.row = number
        self.cells = []
        self.column = 0
        if attrs.get("hidden") in _TRUE:
            self.marks.hidden_rows.add(number)

    def _start_column(self, attrs: dict[str, str]) -> None:
        if attrs.get("hidden") in _TRUE:
            first = _int(attrs.get("min"), 0)
            self.marks.hidden_columns.append((first, _int(attrs.get("max"), first)))

    def _start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is None:
            self.column += 1
        else:
            match = _CELL_REF.fullmatch(ref)
            row, column = -1, -1
            if match:
                letters, digits = match.groups()
                row, column = int(digits), _column_number(letters)
            if row != self.row or column <= self.column or column > MAX_COLUMNS:
                raise DamageError("misplaced", cell=ref, ref=ref)
            self.column = column
        self.ref = ref or f"{column_letters(self.column)}{self.row}"
        self.kind = attrs.get("t", "n")
        style = attrs.get("s")
        self.style = 0 if style is None else _int(style, -1)
        self.formula = self.value = self.inline = self.collect = None

    def text(self, data: str) -> None:
        if self.collect is not None:
            self.collect.append(data)

    def _end_cell(self) -> None:
        value = self._value()
        if self.formula is not None and self.recalculates and type(value) is str:
            value = Stale(value, formula="".join(self.formula))
            self.flagged.add(self.row)
        if value is not None:
            padding = self.column - 1 - len(self.cells)
            if padding:
                self.cells.extend([None] * padding)
            self.cells.append(value)

    def _end_row(self) -> None:
        if self.pending or self.active:
            self._mark_merged()
        if self.cells:
            self.width = max(self.width, len(self.cells))
            self.done.append((self.row, self.cells))

    def _mark_merged(self) -> None:
        """Mark this row's cells that a merged range covers but does not start with."""
        row = self.row
        while self.pending and self.pending[-1].first_row <= row:
            self.active.append(self.pending.pop())
        self.active = [span for span in self.active if span.last_row >= row]
        cells = self.cells
        width = max(self.width, len(cells))  # columns past every row so far hold nothing
        for span in self.active:
            for column in range(span.first_column, min(span.last_column, width) + 1):
                if (row, column) == (span.first_row, span.first_column):
                    continue
                if column > len(cells):
                    cells.extend([None] * (column - len(cells)))
                cells[column - 1] = Hollow(why=MERGED, detail=span.name)
                self.flagged.add(row)

    def _value(self) -> object:
        kind = self.kind
        if kind == "inlineStr":
            return None if self.inline is None else self._text(unescape("".join(self.inline)))
        raw = None if self.value is None else "".join(self.value)
        if not raw:
            # A formula whose text result is empty keeps an empty value (t="str" and <v></v>),
            # as Excel writes =IF(A2="","",A2); without a value or a type, it was never run.
            if self.formula is not None and not (kind == "str" and self.value is not None):
                self.flagged.add(self.row)
                return Hollow(why=UNCALCULATED, detail="".join(self.formula))
            return None
        if kind == "n":
            return self._number(raw)
        if kind == "s":
            index = _int(raw, -1)
            if not 0 <= index < len(self.strings):
                raise self._damage("shared-string", raw=raw)
            return self._text(self.strings[index])
        if kind == "str":
            return self._text(unescape(raw))
        if kind == "e":
            return raw
        if kind == "b":
            if raw not in ("0", "1"):
                raise self._damage("boolean", raw=raw)
            return raw == "1"
        if kind == "d":
            try:
                return _iso_date(raw)
            except ValueError:
                raise self._damage("date", raw=raw) from None
        raise self._damage("cell-type", kind=kind)

    def _number(self, raw: str) -> object:
        if not _NUMBER.fullmatch(raw):
            raise self._damage("number", raw=raw[:40])
        double = float(raw)
        if not math.isfinite(double):
            raise self._damage("number-huge", raw=raw[:40])
        raw = repr(double)  # what Excel holds: 1e-400 is 0, and no exponent outgrows a double
        if not 0 <= self.style < max(len(self.styles), 1):
            raise self._damage("style", style=self.style)
        kind = self.styles[self.style] if self.styles else NUMBER
        if type(kind) is Sections:
            kind = kind.kind(float(raw))
        if kind == BLANK:
            return self._unshown(excel_number(raw, percent=False))
        if kind in (DATE, DURATION):
            try:
                return _from_serial(float(raw), self.date1904, duration=kind == DURATION)
            except (ValueError, OverflowError):
                # No date: Excel shows ####, openpyxl read the error #VALUE!; as one cell's
                # content it damages no workbook.
                return "#VALUE!"
        return excel_number(raw, percent=kind == PERCENT)

    def _text(self, text: str) -> str:
        """Return a text cell as Excel shows it: blank if its format has an empty text section."""
        if self.hiding_text and text and self.style in self.hiding_text:
            return self._unshown(text)
        return text

    def _unshown(self, held: str) -> Hollow:
        self.flagged.add(self.row)
        return Hollow(why=FORMATTED, detail=held)

    def _damage(self, words: str, **params: Any) -> DamageError:
        return DamageError(words, cell=self.ref, **params)


_UNSEEN = object()
_TRUE = ("1", "true")  # xsd:boolean's true
_STARTS = {
    "c": _SheetReader._start_cell,
    "v": _SheetReader._start_value,
    "f": _SheetReader._start_formula,
    "is": _SheetReader._start_inline,
    "t": _SheetReader._start_text,
    "rPh": _SheetReader._start_phonetic,
    "row": _SheetReader._start_row,
    "col": _SheetReader._start_column,
}
_ENDS = {
    "c": _SheetReader._end_cell,
    "v": _SheetReader._end_text,
    "f": _SheetReader._end_text,
    "t": _SheetReader._end_text,
    "rPh": _SheetReader._end_phonetic,
    "row": _SheetReader._end_row,
}


@functools.lru_cache(maxsize=4096)  # a sheet repeats its figures; each is worked out once
def excel_number(raw: str, *, percent: bool) -> str:
    """Return a number cell as Excel shows it: 15 significant digits, percent-formatted x100."""
    from qcheck.measurements import held, plain_decimal

    try:
        number = Decimal(raw.strip())
    except InvalidOperation:  # pragma: no cover - the caller checked the syntax
        raise ValueError(raw) from None
    number = held(number)
    if percent:
        return plain_decimal(number * 100) + "%"
    return plain_decimal(number)


def unescape(text: str) -> str:
    """Decode the _xHHHH_ escapes of a string as Excel does: a_x000D_b is a, CR, b."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    high, low, single = match.groups()
    if single is None:
        return chr(0x10000 + (int(high, 16) - 0xD800) * 0x400 + int(low, 16) - 0xDC00)
    code = int(single, 16)
    return match.group() if 0xD800 <= code <= 0xDFFF else chr(code)  # half a character stays


@dataclass(frozen=True)
class Sections:
    """A number format whose sections make different things of a number (0.00;0%).

    Excel shows a number by one section: the first whose condition ([>=90]) it meets, else by
    its sign, positive;negative;zero (with two sections, zero goes to the first).
    """

    kinds: tuple[str, ...]
    conditions: tuple[tuple[str, float] | None, ...]

    def kind(self, number: float) -> str:
        """Return what the section that shows ``number`` makes of it."""
        kinds, conditions = self.kinds, self.conditions
        if not any(conditions):
            if number < 0:
                return kinds[1]
            return kinds[2] if number == 0 and len(kinds) > 2 else kinds[0]
        for index, condition in enumerate(conditions[:2]):
            if condition is None:
                return kinds[index]
            if _COMPARE[condition[0]](number, condition[1]):
                return kinds[index]
        return kinds[min(2, len(kinds) - 1)]


def _format_kind(number: int, code: str | None) -> str | Sections:
    """Return what a number format makes of a number: date, duration, x100 (a % unquoted).

    A format of sections that differ gives Sections, which decides by the number.
    """
    if code is None:
        return _BUILTIN_KINDS.get(number, NUMBER)
    every = _sections(code)
    # A section with an @ shows text (the last of four, or the second of 0.0%;@): no number.
    sections = [section for section in every if "@" not in _LITERAL.sub("", section)]
    if not sections:
        return NUMBER
    sections = sections[:3]
    # A section of nothing but blanks shows nothing (0.00%;; shows no zero, nor does "" or
    # _-); a format code that is empty altogether is General.
    kinds = tuple(
        BLANK if (len(every) > 1 or section) and _shows_nothing(section) else _section_kind(section)
        for section in sections
    )
    conditions = tuple(_condition(section) for section in sections)
    if len(set(kinds)) == 1 and not any(conditions):
        return kinds[0]
    return Sections(kinds, conditions)


def _sections(code: str) -> list[str]:
    """Return a format's sections: the semicolons that split it are those not quoted."""
    split = "".join("\0" if piece == ";" else piece for piece in _PIECE.findall(code))
    return split.split("\0")


def _shows_nothing(section: str) -> bool:
    return not _UNSHOWN.sub("", section)


def _hides_text(code: str) -> bool:
    """Whether a format shows text as nothing: its fourth section, for text, is empty (;;;)."""
    every = _sections(code)
    return len(every) > 3 and _shows_nothing(every[3])


def _section_kind(section: str) -> str:
    shown = _LITERAL.sub("", section)
    if _DATE_CODE.search(shown):
        return DURATION if _ELAPSED.search(section) else DATE
    return PERCENT if "%" in shown else NUMBER


def _condition(section: str) -> tuple[str, float] | None:
    match = _CONDITION.search(section)
    return (match.group(1), float(match.group(2))) if match else None


def _from_serial(serial: float, date1904: bool, *, duration: bool = False) -> object:
    """Return a serial number as Excel shows it: a date and time, a time of day, or a duration.

    Times are rounded to the millisecond, as Excel shows them at most.
    """
    # Worked out as openpyxl does, step by step, so that a half millisecond rounds alike.
    if duration:
        span = timedelta(days=serial)
        return timedelta(
            seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3)
        )
    day, fraction = divmod(serial, 1)
    clock = timedelta(milliseconds=round(fraction * 86_400 * 1000))
    if 0 <= serial < 1 and clock.days == 0:
        return (datetime.min + clock).time()
    if date1904:
        return datetime(1904, 1, 1) + timedelta(days=day) + clock
    # Excel counts 29 February 1900, which never was: serials 1 to 59 are a day off.
    return datetime(1899, 12, 31 if 0 < serial < 60 else 30) + timedelta(days=day) + clock


def _iso_date(raw: str) -> object:
    """Return an ISO 8601 date cell (t="d"): a date and time, a date or a time of day alone."""
    text = raw.strip().removesuffix("Z")
    for kind in (date, datetime, time):
        try:
            return kind.fromisoformat(text)
        except ValueError:
            continue
    raise ValueError(raw)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _span(attributes: bytes) -> Span:
    """Return the range a <mergeCell>'s attributes name; one that names no range is damage.

    Its corners may come in either order (E3:D2 is D2:E3), as in a formula.
    """
    found = _REF_ATTRIBUTE.search(attributes)
    ref = found.group(2).decode("utf-8", "replace") if found else ""
    start, colon, end = ref.partition(":")
    first, last = cell_position(start), cell_position(end if colon else start)
    if first is None or last is None:
        raise DamageError("merged-range", ref=ref[:40])
    rows, columns = sorted((first[0], last[0])), sorted((first[1], last[1]))
    name = f"{column_letters(columns[0])}{rows[0]}"
    if (rows[0], columns[0]) != (rows[1], columns[1]):
        name += f":{column_letters(columns[1])}{rows[1]}"
    return Span(rows[0], rows[1], columns[0], columns[1], name)


def cell_position(ref: str) -> tuple[int, int] | None:
    """Return the (row, column) of a cell reference such as B7, both from 1; None if it is none."""
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        return None
    row, column = int(match.group(2)), _column_number(match.group(1))
    return (row, column) if 0 < row <= MAX_ROWS and column <= MAX_COLUMNS else None


@functools.lru_cache(maxsize=1024)
def _column_number(letters: str) -> int:
    """Return a column's number from its letters: A is 1, aa is 27."""
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def column_letters(column: int) -> str:
    """Return a column's letters: 1 is A, 27 is AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _join(folder: str, target: str) -> str:
    """Resolve a relation's target against the folder of the part that names it."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = folder.split("/") if folder else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _target(relations: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((target for rtype, target in relations.values() if rtype.endswith(kind)), None)
