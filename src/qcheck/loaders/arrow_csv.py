"""Read a large CSV file's rows with pyarrow: the cells, lines and problems csv_file gives."""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from qcheck.loaders.csv_file import (
    BATCH_ROWS,
    FIELD_LIMIT,
    SNIFF_LINES,
    head_delimiter,
    numbered_batches,
)
from qcheck.loaders.table import MAX_CELL, Header, Row, find_header, is_blank_row, refused
from qcheck.problems import InputError, Problem, ProblemSink

HEAD_BYTES = 1 << 20  # bytes read in Python for the header and the title rows above it
CHUNK = 1 << 20  # bytes decoded, and checked for quotes, at a time
# pyarrow's block: 1 MiB read 1M rows in 0.066 s, 4 MiB in 0.071 s, 16 MiB in 0.079 s (medians).
BLOCK_SIZE = 1 << 20
# One thread: 1M rows in 0.066 s, against 0.069 s with two on this 2-core machine (medians); it
# also numbers the rows pyarrow cannot split into the header's columns, which two do not.
USE_THREADS = False
# A quoted cell longer than this is left to Python's reader, which refuses it (FIELD_LIMIT).
MAX_CARRY = 4 * FIELD_LIMIT + CHUNK
# When more than one row in this many has not the header's width, the rest of the file is read
# in Python: each such row costs pyarrow a call back into Python.
IRREGULAR = 8
# Rows pyarrow left out and kept until the batch they come among: pyarrow yields no batch of
# none but them at the start of a file, so past this many Python reads on.
MAX_LEFT_OUT = 4096
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

    header: Header
    delimiter: str
    batches: Iterator[NumberedBatch]

    @property
    def decimal_comma(self) -> bool:
        """Whether the comma may be the decimal mark: where the semicolon separates cells."""
        return self.delimiter == ";"


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
    header, delimiter, handed = result
    reading = _Reading(stream, start, encoding, source, problems, header, delimiter)
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
    header, delimiter, rows = found
    below = itertools.chain(header.below, rows)
    batches = _python_batches(below, header, delimiter, source, problems)
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


HeadResult = tuple[Header, str, int] | None  # the header, the delimiter, lines read for them


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
) -> tuple[Header, str, Iterator[Row]] | None:
    """Find the header as stream_csv does; return it, the delimiter, and the rows below it.

    ``head``: the first SNIFF_LINES lines, also the first of ``lines``. Rows are read ``size``
    at a time: one, to read no line past the header.
    """
    delimiter = head_delimiter(head, source=source, problems=problems)
    if delimiter is None:
        return None
    rows = _rows(numbered_batches(lines, delimiter=delimiter, source=source, size=size))
    header = find_header(rows, source=source, problems=problems)
    if header is None:
        return None
    return header, delimiter, rows


def _rows(batches: Iterator[tuple[Any, list[list[object]]]]) -> Iterator[Row]:
    """Yield the rows of batches one at a time, with their numbers."""
    for numbers, rows in batches:
        yield from zip(numbers, rows, strict=True)


def _closed_after(stream: IO[Any], batches: Iterator[NumberedBatch]) -> Iterator[NumberedBatch]:
    """Yield the batches, then close the stream (also if they are not all read)."""
    with stream:
        yield from batches


def _python_batches(
    rows: Iterator[Row], header: Header, delimiter: str, source: str, problems: ProblemSink
) -> Iterator[NumberedBatch]:
    """Yield rows read by Python's CSV reader as batches, refusing those iter_records refuses.

    A reading error is raised once the rows before it are yielded.
    """
    while True:
        taken: list[Row] = []
        try:
            taken.extend(itertools.islice(rows, BATCH_ROWS))
        except InputError:
            yield from _batch_of(_accepted(taken, header, delimiter, source, problems), header)
            raise
        if not taken:
            return
        yield from _batch_of(_accepted(taken, header, delimiter, source, problems), header)


def _accepted(
    rows: Iterable[Row], header: Header, delimiter: str, source: str, problems: ProblemSink
) -> list[Row]:
    """Return the rows iter_records makes records of, padded or cut to the header's width.

    The problems with the others are appended, in order; blank rows are skipped.
    """
    width = header.width
    kept: list[Row] = []
    for number, cells in rows:
        if is_blank_row(cells):
            continue
        refusal = _refusal(cells, number, header, delimiter, source)
        if refusal is not None:
            problems.append(refusal)
            continue
        short = width - len(cells)
        kept.append((number, cells[:width] if short <= 0 else [*cells, *[None] * short]))
    return kept


def _refusal(
    cells: list[object], number: int, header: Header, delimiter: str, source: str
) -> Problem | None:
    """Return the problem with a row iter_records does not read, as it words it."""
    return refused(
        cells,
        width=header.width,
        source=source,
        sheet=None,
        row=number,
        label=header.name,
        delimiter=delimiter,
    )


def _batch_of(rows: list[Row], header: Header) -> Iterator[NumberedBatch]:
    """Yield rows of cells as a batch of string columns (none if there are no rows)."""
    if not rows:
        return
    columns = zip(*(cells for _number, cells in rows), strict=True)
    arrays = [pa.array(column, type=pa.string()) for column in columns]
    lines = pa.array([number for number, _cells in rows], type=pa.int64())
    yield NumberedBatch(pa.RecordBatch.from_arrays(arrays, names=_names(header.width)), lines)


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
    source: str
    problems: ProblemSink
    header: Header
    delimiter: str
    fed: _Fed = field(default_factory=_Fed)
    line: int = 1  # the line the next row starts on
    number: int = 1  # pyarrow's number of the next row (the first it reads is 1)
    left_out: list[tuple[int, str]] = field(default_factory=list)  # rows pyarrow did not split

    def batches(self, head: _Head, handed: int) -> Iterator[NumberedBatch]:
        """Yield the rows below the header: those read with it, then those pyarrow reads."""
        below = _accepted(
            self.header.below, self.header, self.delimiter, self.source, self.problems
        )
        yield from _batch_of(below, self.header)
        self.line = handed + 1
        data = _checked(
            _utf8_chunks(head, handed, self.stream, self.encoding), self.delimiter, self.fed
        )
        first = next(data, b"")
        if first:
            yield from self._arrow_batches(itertools.chain([first], data))
        if first and not self.fed.stopped:
            return
        if first or self.fed.stopped:
            yield from self._python_from(self.line)

    def _arrow_batches(self, data: Iterator[bytes]) -> Iterator[NumberedBatch]:
        """Yield the rows pyarrow reads from UTF-8 ``data``; stop where Python must read on."""
        names = _names(self.header.width)

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
                    delimiter=self.delimiter,
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
        regular = irregular = 0
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
                numbered, taken, stop = self._numbered(batch)
                if numbered is not None:
                    yield numbered
                if stop or batch is None:
                    self.fed.stopped = self.fed.stopped or stop
                    return
                regular, irregular = regular + batch.num_rows, irregular + taken
                if (irregular + len(self.left_out)) * IRREGULAR > regular + irregular:
                    self.fed.stopped = True  # Python reads the rest faster
                    return

    def _numbered(self, batch: Any) -> tuple[NumberedBatch | None, int, bool]:
        """Return a batch's rows numbered, with the rows pyarrow left out among them, checked.

        With no batch, the rows left out after the last are taken. Return the rows to yield,
        how many were left out, and whether Python must read on from ``self.line``.
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
        kept, found, stop_at = self._checked_rows(batch, lines, texts, starts)
        for _at, problem in sorted(found, key=lambda item: item[0]):
            if stop_at is None or _at < stop_at:
                self.problems.append(problem)
        if stop_at is not None:
            self.line = stop_at
        else:
            self.line, self.number = after, self.number + count + taken
        return kept, taken, stop_at is not None

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
        return None if breaks is None else pc.add(pc.cast(breaks, pa.int64()), 1)

    def _checked_rows(
        self, batch: Any, lines: Any, texts: list[str], starts: list[int]
    ) -> tuple[NumberedBatch | None, list[tuple[int, Problem]], int | None]:
        """Check a batch's rows and those left out among them (``texts``, from ``starts``).

        Return the rows to yield, the problems with the others, and the line of the first row
        Python's reader must read (a cell too long for it), if there is one.
        """
        found: list[tuple[int, Problem]] = []
        too_long: list[int] = []
        refused_rows: list[int] = []
        keep = None
        if batch is not None and batch.num_rows:
            keep, long_rows = _blank_and_long(batch)
            for index in long_rows:
                cells: list[object] = [column[index].as_py() for column in batch.columns]
                line = lines[index].as_py()
                if max(len(str(cell)) for cell in cells) > FIELD_LIMIT:
                    too_long.append(line)
                    continue
                refusal = _refusal(cells, line, self.header, self.delimiter, self.source)
                if refusal is not None:
                    found.append((line, refusal))
                    refused_rows.append(index)
            if refused_rows:
                kept = [True] * batch.num_rows
                for index in refused_rows:
                    kept[index] = False
                mask = pa.array(kept)
                keep = mask if keep is None else pc.and_(keep, mask)
        kept_texts: list[Row] = []
        if texts:
            too_long.extend(
                at for at, text in zip(starts, texts, strict=True) if len(text) > FIELD_LIMIT
            )
            cells_of = _parse(
                [t if len(t) <= FIELD_LIMIT else "" for t in texts], self.delimiter, self.source
            )
            sink: list[Problem] = []
            kept_texts = _accepted(
                zip(starts, cells_of, strict=True), self.header, self.delimiter, self.source, sink
            )
            found.extend((problem.row or 0, problem) for problem in sink)
        stop_at = min(too_long) if too_long else None
        if stop_at is not None:
            kept_texts = [row for row in kept_texts if row[0] < stop_at]
        return self._merged(batch, keep, lines, kept_texts, stop_at), found, stop_at

    def _merged(
        self, batch: Any, keep: Any, lines: Any, extra: list[Row], stop_at: int | None
    ) -> NumberedBatch | None:
        """Return a batch's kept rows and the left-out rows kept, in the order of the file."""
        parts: list[NumberedBatch] = []
        if batch is not None and batch.num_rows:
            if stop_at is not None:
                before = pc.less(lines, stop_at)
                keep = before if keep is None else pc.and_(keep, before)
            if keep is not None:
                batch, lines = batch.filter(keep), lines.filter(keep)
            if batch.num_rows:
                parts.append(NumberedBatch(batch, lines))
        parts.extend(_batch_of(extra, self.header))
        if len(parts) < 2:
            return parts[0] if parts else None
        table = pa.Table.from_batches([part.rows for part in parts])
        every = pa.concat_arrays([part.lines for part in parts])
        order = pc.sort_indices(every)
        return NumberedBatch(table.take(order).combine_chunks().to_batches()[0], every.take(order))

    def _python_from(self, line: int) -> Iterator[NumberedBatch]:
        """Yield the rows from ``line`` on, read by Python's CSV reader."""
        self.stream.seek(self.start)
        text = io.TextIOWrapper(self.stream, encoding=self.encoding, newline="")
        for _skipped in itertools.islice(text, line - 1):
            pass
        batches = numbered_batches(
            text, delimiter=self.delimiter, source=self.source, lines_before=line - 1
        )
        yield from _python_batches(
            _rows(batches), self.header, self.delimiter, self.source, self.problems
        )


def _lines(
    first: int, count: int, spans: Any, inserted: list[tuple[int, int]]
) -> tuple[Any, list[int], int]:
    """Return the line each row starts on, the first on ``first``.

    ``count`` rows taking ``spans`` lines each (None: one each), with rows of their own
    ``inserted`` among them: (place among all the rows, lines it takes). Return the lines of
    the ``count`` rows, those of the inserted ones, and the line after them all.
    """
    ones = pa.repeat(pa.scalar(1, pa.int64()), count)
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
        before = pc.add(before, pc.cumulative_sum(pa.array(shift[:count], pa.int64())))
        total += added
    return pc.add(before, first), starts, first + total


def _breaks(text: str) -> int:
    """Return how many line breaks a text holds: CRLF, CR and LF each count one."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _blank_and_long(batch: Any) -> tuple[Any, list[int]]:
    """Return which rows of a batch are not blank (None: all), and those with a long cell."""
    blank = None
    for column in batch.columns:
        # Arrow's spaces are str.strip()'s and more: only a row it finds blank is looked at.
        maybe = pc.or_(pc.utf8_is_space(column), pc.equal(pc.binary_length(column), 0))
        blank = maybe if blank is None else pc.and_(blank, maybe)
        if not pc.any(blank).as_py():
            blank = None
            break
    if blank is not None:
        for column in batch.columns:
            blank = pc.and_(blank, pc.match_substring_regex(column, BLANK))
    long_rows: set[int] = set()
    for column in batch.columns:
        lengths = pc.binary_length(column)
        if pc.max(lengths).as_py() > MAX_CELL:
            long_rows.update(pc.indices_nonzero(pc.greater(lengths, MAX_CELL)).to_pylist())
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
    """Yield the file's text after its first ``handed`` lines as UTF-8, a chunk at a time."""
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
    return bool(pc.match_substring_regex(pa.array([data], pa.binary()), pattern)[0].as_py())


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
