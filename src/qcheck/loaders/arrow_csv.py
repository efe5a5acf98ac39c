"""Read a large CSV file's rows with pyarrow: the cells, lines and problems csv_file gives."""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO, TextIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from qcheck.arrays import binaries, flags, ints, repeated, texts, truth, whole
from qcheck.intake import ColumnBatch
from qcheck.loaders.csv_file import (
    BATCH_ROWS,
    FIELD_LIMIT,
    SNIFF_LINES,
    head_delimiter,
    numbered_batches,
)
from qcheck.loaders.table import MAX_CELL, Layout, Row, find_layout, is_blank_row
from qcheck.problems import InputError, Problem, ProblemSink

HEAD_BYTES = 1 << 20  # bytes read in Python for the header and the title rows above it
# Bytes decoded, and checked for quotes, at a time: 1M GB18030 rows in 0.260 s, 0.334 s by 4 MiB.
CHUNK = 1 << 20
# pyarrow's block: read_csv read 1M rows (4 columns, 42 MB) in 0.123 s, 0.138 s by 4 MiB and
# 0.199 s by 16 MiB; a bare csv.reader pass, 0.416 s (medians of 9, this 2-core machine).
BLOCK_SIZE = 1 << 20
# One thread: two read the same 1M rows in 0.127 s (0.131 s with pyarrow's CPU and I/O pools
# of two, 0.124 s of one); and with two, pyarrow does not number the rows it leaves out.
USE_THREADS = False
# A quoted cell longer than this is left to Python's reader, which refuses it (FIELD_LIMIT).
MAX_CARRY = 4 * FIELD_LIMIT + CHUNK
# Rows pyarrow left out (not of the header's width), kept until the batch they come among: past
# this many, Python reads on (pyarrow reads ahead, and yields no batch at the start of a file
# until a row of the header's width). 1M rows, one in 8 short: 0.70 s (2.16 s read by Python);
# one in 4: 1.50 s (2.28 s); all short: 2.58 s (2.09 s), but 15.7 s with no bound (medians of 3).
MAX_LEFT_OUT = 1 << 16
# The characters str.strip() removes (str.isspace()): a cell of them alone is blank.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
CR = ord("\r")
BLANK = "^[" + "".join(f"\\x{{{ord(char):x}}}" for char in SPACES) + "]*$"


@dataclass(frozen=True)
class NumberedBatch:
    """Data rows of a CSV file, and the line of the file each starts on."""

    rows: Any  # pyarrow.RecordBatch: a string column per header column, named "0", "1", ...
    lines: Any  # pyarrow.Int64Array


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header, and its data rows in batches, in the order of the file."""

    header: Layout
    delimiter: str
    batches: Iterator[NumberedBatch]

    @property
    def decimal_comma(self) -> bool:
        """Whether the comma may be the decimal mark: where the semicolon separates cells."""
        return self.delimiter == ";"


def stream_csv_columns(
    text: TextIO, *, source: str, problems: ProblemSink
) -> Iterator[ColumnBatch]:
    """Yield the rows of an open CSV file (see encoding.open_text) in batches of columns.

    The problems of rows left out of a batch go with it, so that they are told in the order
    of the rows with those the batch's own rows have; any after the last batch, or before a
    line that cannot be read, go to ``problems``.
    """
    found: list[Problem] = []
    try:
        table = read_csv(text.buffer, encoding=text.encoding, source=source, problems=found)
        _flush(found, problems)  # the header's and the title rows'
        if table is None:
            return
        for batch in table.batches:
            left_out, found[:] = list(found), []
            yield ColumnBatch(
                table.header, batch.lines, batch.rows.columns, problems=tuple(left_out)
            )
    finally:
        _flush(found, problems)


def _flush(found: list[Problem], problems: ProblemSink) -> None:
    """Move the problems found so far to ``problems``."""
    for problem in found:
        problems.append(problem)
    found.clear()


def read_csv(
    stream: BinaryIO, *, encoding: str, source: str, problems: ProblemSink
) -> CsvTable | None:
    """Read a CSV file's header at once, and return it with its data rows, read as iterated.

    ``stream``: the file, seekable, at the start of its text (past any byte-order mark);
    ``encoding``: its codec. ``encoding.open_text`` gives both: ``text.buffer`` and
    ``text.encoding`` of the stream it returns. The stream is closed once the rows are read,
    or at once if there are none to read.

    Each batch holds the rows stream_csv makes records of, column ``str(i)`` holding the
    header's column ``i``: a cell as written ("" if empty), null where a row stops short of
    the header. Problems are appended to ``problems`` as stream_csv appends them, those of a
    batch's rows before it is yielded; InputError is raised where stream_csv raises it, once
    the rows before are yielded. None when there is no header to read rows by.
    """
    try:
        start = stream.tell()
        head = _read_head(stream, encoding)
        found = _find_header(head, source)
        if found is None:  # the header lies past the head
            return _read_in_python(stream, start, encoding, source, problems)
        head_problems, result = found
        for problem in head_problems:
            problems.append(problem)
        if result is None:
            stream.close()
            return None
    except BaseException:
        stream.close()
        raise
    (header, below), delimiter, handed = result
    rules = _Rules(header, below, delimiter, source)
    reading = _Reading(stream, start, encoding, problems, rules)
    return CsvTable(header, delimiter, _closed_after(stream, reading.batches(head, handed)))


def _read_in_python(
    stream: BinaryIO, start: int, encoding: str, source: str, problems: ProblemSink
) -> CsvTable | None:
    """Read a whole file with Python's CSV reader, as stream_csv does, into batches."""
    stream.seek(start)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    head_lines = list(itertools.islice(text, SNIFF_LINES))
    lines = _Lines(itertools.chain(head_lines, text))
    found = _header_of(head_lines, lines, source, problems, size=BATCH_ROWS)
    if found is None:
        stream.close()
        return None
    (header, first_rows), delimiter, rows = found
    below = itertools.chain(first_rows, rows)
    batches = _python_batches(below, _Rules(header, first_rows, delimiter, source), problems)
    # The text is closed with the batches, not when it is let go of once read (closing the file).
    return CsvTable(header, delimiter, _closed_after(text, batches))


@dataclass
class _Head:
    """The first bytes of a file, decoded: its whole lines, and what is left of them."""

    raw: bytes
    lines: list[str]
    rest: str  # text after the last whole line
    decoder: codecs.IncrementalDecoder
    eof: bool  # the head is the whole file


def _read_head(stream: BinaryIO, encoding: str) -> _Head:
    """Read and decode the first HEAD_BYTES of a file, as far as its last whole line."""
    raw = _read_up_to(stream, HEAD_BYTES)
    eof = len(raw) < HEAD_BYTES
    decoder = codecs.getincrementaldecoder(encoding)()
    text = decoder.decode(raw, final=eof)
    whole = len(text) if eof else _last_line_end(text)
    return _Head(raw, list(io.StringIO(text[:whole], newline="")), text[whole:], decoder, eof)


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, or fewer if the stream ends first."""
    chunks: list[bytes] = []
    left = size
    while left and (chunk := stream.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _last_line_end(text: str) -> int:
    """Return where the last whole line of a text ends (0 if none does).

    A carriage return at the very end may be the first half of a CRLF: its line is not whole.
    """
    return max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1


class _Lines:
    """Lines handed out one at a time, counted, and whether more were asked for than there are."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.handed = 0
        self.ran_out = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._lines)
        except StopIteration:
            self.ran_out = True
            raise
        self.handed += 1
        return line


# The header and the rows read below it, the delimiter, and the lines read for them.
HeadResult = tuple[tuple[Layout, list[Row]], str, int] | None


def _find_header(head: _Head, source: str) -> tuple[list[Problem], HeadResult] | None:
    """Find the header in a file's head: its problems, and it; None if the head is too short.

    The lines read for the header are counted, so that pyarrow reads from the next one on.
    """
    if len(head.lines) < SNIFF_LINES and not head.eof:
        return None
    found: list[Problem] = []
    lines = _Lines(head.lines)
    try:
        result = _header_of(head.lines[:SNIFF_LINES], lines, source, found, size=1)
    except InputError:
        if lines.ran_out and not head.eof:  # a quoted cell that goes on past the head
            return None
        raise
    if lines.ran_out and not head.eof:
        return None
    if result is None:
        return found, None
    header, delimiter, _rows = result
    return found, (header, delimiter, lines.handed)


def _header_of(
    head: list[str], lines: _Lines, source: str, problems: ProblemSink, *, size: int
) -> tuple[tuple[Layout, list[Row]], str, Iterator[Row]] | None:
    """Find the header as stream_csv does; return it, the delimiter, and the rows below it.

    ``head``: the first SNIFF_LINES lines, also the first of ``lines``. Rows are read ``size``
    at a time: one, to read no line past the header.
    """
    delimiter = head_delimiter(head, source=source, problems=problems)
    if delimiter is None:
        return None
    rows = _rows(numbered_batches(lines, delimiter=delimiter, source=source, size=size))
    found = find_layout(
        rows, source=source, problems=problems, decimal_comma=delimiter == ";", delimiter=delimiter
    )
    if found is None:
        return None
    return found, delimiter, rows


def _rows(batches: Iterator[tuple[Any, list[list[object]]]]) -> Iterator[Row]:
    """Yield the rows of batches one at a time, with their numbers."""
    for numbers, rows in batches:
        yield from zip(numbers, rows, strict=True)


def _closed_after(stream: IO[Any], batches: Iterator[NumberedBatch]) -> Iterator[NumberedBatch]:
    """Yield the batches, then close the stream (also if they are not all read)."""
    with stream:
        yield from batches


def _python_batches(
    rows: Iterator[Row], rules: _Rules, problems: ProblemSink
) -> Iterator[NumberedBatch]:
    """Yield rows read by Python's CSV reader as batches, refusing those iter_records refuses.

    A reading error is raised once the rows before it are yielded.
    """
    while True:
        taken: list[Row] = []
        try:
            taken.extend(itertools.islice(rows, BATCH_ROWS))
        except InputError:
            yield from _yielded(rules.of_cells(taken), problems)
            raise
        if not taken:
            return
        yield from _yielded(rules.of_cells(taken), problems)


Checked = tuple["NumberedBatch | None", list[tuple[int, Problem]], "int | None"]


def _yielded(checked: Checked, problems: ProblemSink) -> Iterator[NumberedBatch]:
    """Append checked rows' problems in the order of their lines, then yield the rows."""
    kept, found, _stop = checked
    for _line, problem in sorted(found, key=lambda item: item[0]):
        problems.append(problem)
    if kept is not None:
        yield kept


@dataclass(frozen=True)
class _Rules:
    """Checks rows as iter_records does, by a file's header: blank, too long, too wide."""

    header: Layout
    below: list[Row]  # the rows read below the header while looking for it
    delimiter: str
    source: str

    def of_cells(self, rows: Iterable[Row]) -> Checked:
        """Check rows of cells, and return those kept as a batch, padded to the header's width.

        Return the batch, the problems with the rows refused, and the line of the first row
        Python's reader must read (a cell longer than it reads), if there is one.
        """
        width = self.header.width
        kept: list[Row] = []
        found: list[tuple[int, Problem]] = []
        for number, cells in rows:
            if len(cells) <= width:
                kept.append((number, cells + [None] * (width - len(cells))))
            elif not is_blank_row(cells):  # cells past the header: refused unless blank
                refusal = self.refusal(cells, number)
                if refusal is None:
                    kept.append((number, cells[:width]))
                else:
                    found.append((number, refusal))
        if not kept:
            return None, found, None
        columns = zip(*(cells for _number, cells in kept), strict=True)
        arrays = [texts(column) for column in columns]
        batch = pa.RecordBatch.from_arrays(arrays, names=_names(width))
        checked, more, stop = self.checked(batch, ints([n for n, _c in kept]))
        return checked, found + more, stop

    def checked(self, batch: Any, lines: Any) -> Checked:
        """Check a batch of rows numbered by their ``lines``: drop the blank, refuse the long.

        Return them as of_cells does.
        """
        found: list[tuple[int, Problem]] = []
        too_long: list[int] = []
        refused_rows: list[int] = []
        keep, long_rows = _blank_and_long(batch)
        for index in long_rows:
            row = batch.slice(index, 1).to_pylist()[0].values()
            cells = [cell for cell in row if cell is not None]  # none past a short row's end
            line = lines[index].as_py()
            if max(map(len, cells)) > FIELD_LIMIT:
                too_long.append(line)
                continue
            refusal = self.refusal(cells, line)
            if refusal is not None:
                found.append((line, refusal))
                refused_rows.append(index)
        if refused_rows:
            kept = [True] * batch.num_rows
            for index in refused_rows:
                kept[index] = False
            keep = flags(kept) if keep is None else pc.and_(keep, flags(kept))
        if keep is not None:
            batch, lines = batch.filter(keep), lines.filter(keep)
        stop = min(too_long) if too_long else None
        return (NumberedBatch(batch, lines) if batch.num_rows else None), found, stop

    def refusal(self, cells: list[object], number: int) -> Problem | None:
        """Return the problem with a row iter_records does not read, as it words it."""
        return self.header.refusal(cells, number)


def _in_order(parts: list[NumberedBatch], stop: int | None) -> NumberedBatch | None:
    """Return batches of rows as one, in the order of their lines, those before ``stop``."""
    if stop is not None:
        parts = [
            NumberedBatch(part.rows.filter(before), part.lines.filter(before))
            for part in parts
            for before in [pc.less(part.lines, whole(stop))]
        ]
    parts = [part for part in parts if part.rows.num_rows]
    if len(parts) < 2:
        return parts[0] if parts else None
    table = pa.Table.from_batches([part.rows for part in parts])
    lines = pa.concat_arrays([part.lines for part in parts])
    order = pc.sort_indices(lines)
    return NumberedBatch(table.take(order).combine_chunks().to_batches()[0], lines.take(order))


def _names(width: int) -> list[str]:
    return [str(index) for index in range(width)]


@dataclass
class _Fed:
    """What the quote check let through to pyarrow so far."""

    quoted: bool = False  # a quote was seen: a cell may hold line breaks
    stopped: bool = False  # pyarrow was stopped where Python must read on


@dataclass
class _Reading:
    """Reads the rows below a file's header with pyarrow, and with Python where it must."""

    stream: BinaryIO
    start: int  # where the file's text starts in the stream
    encoding: str
    problems: ProblemSink
    rules: _Rules
    fed: _Fed = field(default_factory=_Fed)
    line: int = 1  # the line the next row starts on
    number: int = 1  # pyarrow's number of the next row (the first it reads is 1)
    left_out: list[tuple[int, str]] = field(default_factory=list)  # rows pyarrow did not split

    def batches(self, head: _Head, handed: int) -> Iterator[NumberedBatch]:
        """Yield the rows below the header: those read with it, then those pyarrow reads."""
        yield from _yielded(self.rules.of_cells(self.rules.below), self.problems)
        self.line = handed + 1
        chunks = _utf8_chunks(head, handed, self.stream, self.encoding)
        data = _checked(chunks, self.rules.delimiter, self.fed)
        first = next(data, b"")
        if first:
            yield from self._arrow_batches(itertools.chain([first], data))
        if first and not self.fed.stopped:
            return
        if first or self.fed.stopped:
            yield from self._python_from(self.line)

    def _arrow_batches(self, data: Iterator[bytes]) -> Iterator[NumberedBatch]:
        """Yield the rows pyarrow reads from UTF-8 ``data``; stop where Python must read on."""
        names = _names(self.rules.header.width)

        def left_out(row: Any) -> str:
            if len(self.left_out) >= MAX_LEFT_OUT:
                return "error"  # pyarrow stops: Python reads on
            self.left_out.append((row.number, row.text))
            return "skip"

        feed = _Feed(data)
        try:
            reader = pa_csv.open_csv(
                pa.PythonFile(feed, mode="r"),
                read_options=pa_csv.ReadOptions(
                    column_names=names, use_threads=USE_THREADS, block_size=BLOCK_SIZE
                ),
                parse_options=pa_csv.ParseOptions(
                    delimiter=self.rules.delimiter,
                    newlines_in_values=True,
                    ignore_empty_lines=False,
                    invalid_row_handler=left_out,
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    check_utf8=False,  # decoded and encoded by Python
                ),
            )
        except pa.ArrowException:  # such as a first row longer than a block
            self.fed.stopped = True
            return
        with reader:
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    batch = None
                except pa.ArrowException:  # such as a row longer than a block
                    self.fed.stopped = True
                    return
                if batch is None and not feed.read_to_end:
                    self.fed.stopped = True  # pyarrow was seen to end early on short reads
                    return
                numbered, stop = self._numbered(batch)
                if numbered is not None:
                    yield numbered
                if stop or batch is None:
                    self.fed.stopped = self.fed.stopped or stop
                    return

    def _numbered(self, batch: Any) -> tuple[NumberedBatch | None, bool]:
        """Return a batch's rows numbered, with the rows pyarrow left out among them, checked.

        With no batch, the rows left out after the last are taken. Return the rows to yield,
        and whether Python must read on from ``self.line``.
        """
        count = 0 if batch is None else batch.num_rows
        # pyarrow's reading thread adds rows to the list, in order, as this one takes them.
        taken = 0
        while taken < len(self.left_out) and (
            batch is None or self.left_out[taken][0] < self.number + count + taken
        ):
            taken += 1
        left_out = self.left_out[:taken]
        del self.left_out[:taken]
        spans = self._spans(batch) if count else None
        inserted = [(number - self.number, _breaks(text) + 1) for number, text in left_out]
        lines, starts, after = _lines(self.line, count, spans, inserted)
        texts = [text for _number, text in left_out]
        checked = self._checked_rows(batch, lines, texts, starts)
        kept = next(_yielded(checked, self.problems), None)
        stop = checked[2]
        if stop is not None:
            self.line = stop
        else:
            self.line, self.number = after, self.number + count + taken
        return kept, stop is not None

    def _spans(self, batch: Any) -> Any:
        """Return how many lines each row of a batch takes (None: one each).

        A row takes one line, and one more for each line break inside its quoted cells.
        """
        if not self.fed.quoted:
            return None
        breaks = None
        for column in batch.columns:
            if not _has_line_breaks(column):
                continue
            counted = pc.subtract(
                pc.add(pc.count_substring(column, "\n"), pc.count_substring(column, "\r")),
                pc.count_substring(column, "\r\n"),
            )
            breaks = counted if breaks is None else pc.add(breaks, counted)
        return None if breaks is None else pc.add(pc.cast(breaks, pa.int64()), whole(1))

    def _checked_rows(self, batch: Any, lines: Any, texts: list[str], starts: list[int]) -> Checked:
        """Check a batch's rows and those left out among them (``texts``, from ``starts``).

        Return them as _Rules.of_cells does, in the order of the file.
        """
        parts: list[NumberedBatch] = []
        found: list[tuple[int, Problem]] = []
        stops: list[int] = []
        if batch is not None and batch.num_rows:
            kept, found, stop = self.rules.checked(batch, lines)
            parts += [kept] if kept is not None else []
            stops += [stop] if stop is not None else []
        if texts:
            # A row this long has a cell over FIELD_LIMIT, or is more than one row to Python.
            stops += [at for at, text in zip(starts, texts, strict=True) if len(text) > FIELD_LIMIT]
            short = [text if len(text) <= FIELD_LIMIT else "" for text in texts]
            cells = _parse(short, self.rules.delimiter, self.rules.source)
            kept, more, stop = self.rules.of_cells(zip(starts, cells, strict=True))
            parts += [kept] if kept is not None else []
            stops += [stop] if stop is not None else []
            found += more
        stop = min(stops) if stops else None
        if stop is not None:
            found = [(line, problem) for line, problem in found if line < stop]
        return _in_order(parts, stop), found, stop

    def _python_from(self, line: int) -> Iterator[NumberedBatch]:
        """Yield the rows from ``line`` on, read by Python's CSV reader."""
        self.stream.seek(self.start)
        text = io.TextIOWrapper(self.stream, encoding=self.encoding, newline="")
        for _skipped in itertools.islice(text, line - 1):
            pass
        rules = self.rules
        batches = numbered_batches(
            text, delimiter=rules.delimiter, source=rules.source, lines_before=line - 1
        )
        yield from _python_batches(_rows(batches), rules, self.problems)


def _lines(
    first: int, count: int, spans: Any, inserted: list[tuple[int, int]]
) -> tuple[Any, list[int], int]:
    """Return the line each row starts on, the first on ``first``.

    ``count`` rows taking ``spans`` lines each (None: one each), with rows of their own
    ``inserted`` among them: (place among all the rows, lines it takes). Return the lines of
    the ``count`` rows, those of the inserted ones, and the line after them all.
    """
    ones = repeated(1, count)
    spans = ones if spans is None else spans
    ends = pc.cumulative_sum(spans)
    total = ends[count - 1].as_py() if count else 0
    before = pc.subtract(ends, spans)  # lines the batch's earlier rows take
    starts: list[int] = []
    if inserted:
        shift = [0] * (count + 1)
        added = 0
        for place, (at, span) in enumerate(inserted):
            valid_before = at - place
            starts.append(
                first + added + (before[valid_before].as_py() if valid_before < count else total)
            )
            shift[valid_before] += span
            added += span
        before = pc.add(before, pc.cumulative_sum(ints(shift[:count])))
        total += added
    return pc.add(before, whole(first)), starts, first + total


def _breaks(text: str) -> int:
    """Return how many line breaks a text holds: CRLF, CR and LF each count one."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _blank_and_long(batch: Any) -> tuple[Any, list[int]]:
    """Return which rows of a batch are not blank (None: all), and those with a long cell."""
    blank = None
    for column in batch.columns:
        # Arrow's spaces are str.strip()'s and more: only a row it finds blank is looked at.
        # A cell a short row lacks (null) is blank.
        maybe = pc.or_(pc.utf8_is_space(column), pc.equal(pc.binary_length(column), whole(0)))
        maybe = pc.fill_null(maybe, truth(True))
        blank = maybe if blank is None else pc.and_(blank, maybe)
        if not pc.any(blank).as_py():
            blank = None
            break
    if blank is not None:
        for column in batch.columns:
            spaces = pc.fill_null(pc.match_substring_regex(column, BLANK), truth(True))
            blank = pc.and_(blank, spaces)
    long_rows: set[int] = set()
    for column in batch.columns:
        lengths = pc.binary_length(column)
        if (pc.max(lengths).as_py() or 0) > MAX_CELL:
            long_rows.update(pc.indices_nonzero(pc.greater(lengths, whole(MAX_CELL))).to_pylist())
    if blank is None or not pc.any(blank).as_py():
        return None, sorted(long_rows)
    long_rows -= set(pc.indices_nonzero(blank).to_pylist())
    return pc.invert(blank), sorted(long_rows)


def _has_line_breaks(column: Any) -> bool:
    """Whether a column of text may hold a line break: its bytes are looked at all at once."""
    data = column.buffers()[2]
    if data is None:
        return False
    whole = data.to_pybytes()
    return b"\n" in whole or b"\r" in whole


def _parse(texts: list[str], delimiter: str, source: str) -> list[list[object]]:
    """Split rows, each the text of one row, into cells with Python's CSV reader."""
    lines = io.StringIO("\n".join(texts) + "\n", newline="")
    batches = numbered_batches(lines, delimiter=delimiter, source=source, size=len(texts))
    return [cells for _numbers, rows in batches for cells in rows]


def _utf8_chunks(head: _Head, handed: int, stream: BinaryIO, encoding: str) -> Iterator[bytes]:
    """Yield the file's text after its first ``handed`` lines as UTF-8, a chunk at a time.

    Text in another encoding is decoded here, not by pyarrow (ReadOptions.encoding, which
    also decodes in Python): 1M GB18030 rows in 0.436 s against 0.466 s, and the quotes are
    checked in UTF-8.
    """
    rest = "".join(head.lines[handed:]) + head.rest
    if codecs.lookup(encoding).name == "utf-8":  # the bytes as they are, past the lines read
        read = len("".join(head.lines[:handed]).encode("utf-8"))
        yield head.raw[read:]
        while chunk := stream.read(CHUNK):
            yield chunk
        return
    yield rest.encode("utf-8")
    if head.eof:
        return
    while True:
        chunk = stream.read(CHUNK)
        yield head.decoder.decode(chunk, final=not chunk).encode("utf-8")
        if not chunk:
            return


def _checked(chunks: Iterator[bytes], delimiter: str, fed: _Fed) -> Iterator[bytes]:
    """Yield the chunks' bytes as far as they are quoted as Python's CSV reader needs.

    pyarrow reads a quote never closed, or text after a closing quote, without a word; Python's
    reader refuses both. Bytes are let through up to a line break outside quotes, each stretch
    matched whole by a regular expression; where one does not match, ``fed.stopped`` is set,
    and nothing more is let through: Python reads on from there.
    """
    sep = "\\r\\n" + ("\\t" if delimiter == "\t" else delimiter)
    cell = f'(?:"(?:[^"]|"")*"|[^"{sep}][^{sep}]*)'
    rows = f"^(?:{cell}?[{sep}])*"
    whole, inside, last = rows + "$", rows + '"(?:[^"]|"")*$', rows + cell + "?$"
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
        if b'"' in data:
            fed.quoted = True
            if not cut or not _matches(data[:cut], whole):
                if cut and not _matches(data[:cut], inside):
                    fed.stopped = True
                    return
                cut = 0  # the last line break is inside a quoted cell: wait for its end
        if len(data) - cut > MAX_CARRY:
            fed.stopped = True
            return
        if cut:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        if b'"' in carry and not _matches(carry, last):
            fed.stopped = True
            return
        yield carry


def _matches(data: bytes, pattern: str) -> bool:
    """Whether bytes match a regular expression, matched by RE2 in linear time."""
    return bool(pc.match_substring_regex(binaries([data]), pattern)[0].as_py())


class _Feed:
    """A file pyarrow reads: the chunks of an iterator, as many bytes as it asks for at a time.

    pyarrow takes what a read returns for a block of the file: a short one makes a row straddle
    blocks, which it refuses beyond two.
    """

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self.ended = False  # the chunks are all taken
        self.closed = False

    @property
    def read_to_end(self) -> bool:
        """Whether every byte was read."""
        return self.ended and not self._buffer

    def read(self, size: int = -1) -> bytes:
        """Return the next ``size`` bytes (all if negative), fewer only at the end."""
        while not self.ended and (size < 0 or len(self._buffer) < size):
            chunk = next(self._chunks, None)
            if chunk is None:
                self.ended = True
            else:
                self._buffer += chunk
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        if 1 < size < len(self._buffer) + (not self.ended) and self._buffer[size - 1] == CR:
            size -= 1  # pyarrow drops the LF of a quoted CRLF split between two blocks
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def readable(self) -> bool:
        """Whether it can be read: it can."""
        return True

    def close(self) -> None:
        """Stop reading."""
        self.closed = True
