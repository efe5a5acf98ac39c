"""Read a Parquet or Arrow IPC (.arrow, .feather) report: its columns read as a CSV's cells."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from qcheck.arrays import positions, texts
from qcheck.intake import ColumnBatch
from qcheck.loaders.columns import is_header
from qcheck.loaders.formats import ARROW
from qcheck.loaders.table import ROWS_ALONE, Row, find_layout, iter_rows
from qcheck.loaders.xlsx import excel_number
from qcheck.measurements import RawRecord
from qcheck.problems import InputError, Problem, ProblemSink

if TYPE_CHECKING:
    from qcheck.loaders.formats import Opened

BATCH_ROWS = 1 << 18  # rows read and checked at a time
FORMAT_NAMES = {"parquet": "Parquet", "arrow": "Arrow IPC (Feather)"}


def read(opened: Opened) -> Iterator[RawRecord | ColumnBatch]:
    """Read a Parquet or Arrow IPC input."""
    return stream_arrow(
        opened.file, kind=opened.kind.name, source=opened.source, problems=opened.problems
    )


def stream_arrow(
    file: Path | BinaryIO, *, kind: str, source: str, problems: ProblemSink
) -> Iterator[RawRecord | ColumnBatch]:
    """Yield the rows of a ``kind`` (parquet or arrow) file, as a CSV with its header would.

    The column names are the header, row 1; the table's first row is row 2. Raise InputError
    when the file is not one of ``kind``, or has a column of a type a cell cannot hold.
    """
    with ExitStack() as stack:
        if isinstance(file, Path):
            file = stack.enter_context(file.open("rb"))
        schema, batches = _open_table(file, kind, source)
        yield from table_records(
            schema, _refusing(batches, kind, source), source=source, problems=problems, first_row=2
        )


def table_records(
    schema: Any, batches: Iterable[Any], *, source: str, problems: ProblemSink, first_row: int
) -> Iterator[RawRecord | ColumnBatch]:
    """Yield the rows of a table's record batches, numbering its first row ``first_row``.

    The column names are the header, numbered the row before. Rows come as batches of columns
    (see qcheck.intake), or as records where the names do not look like a header (the header
    is then looked for among the first rows, as in a CSV file). Raise InputError when a column
    is of a type a cell cannot hold.
    """
    for field in schema:
        if not _readable(field.type):
            raise InputError([_unsupported_column(source, field)])
    header: list[object] = list(schema.names)
    if not is_header(header):  # the header is looked for among the first rows, as in a CSV
        rows = _rows(header, batches, first_row)
        yield from iter_rows(rows, source=source, problems=problems, columns_after=ROWS_ALONE)
        return
    found = find_layout(iter([(first_row - 1, header)]), source=source, problems=problems)
    if found is None:
        return
    layout = found[0]
    number = first_row
    for batch in _regrouped(batches, BATCH_ROWS):
        numbers = positions(batch.num_rows, number)
        yield ColumnBatch(layout, numbers, [cell_array(column) for column in batch.columns])
        number += batch.num_rows


def _regrouped(batches: Iterable[Any], size: int) -> Iterator[Any]:
    """Yield record batches of ``size`` rows (the last may be shorter), joining small ones.

    A Parquet file's row groups are often small; each batch checked has a cost of its own. The
    rows read before a part of the file that cannot be read are yielded before its error.
    """
    waiting: list[Any] = []
    rows = 0
    try:
        for batch in batches:
            start = 0
            while start < batch.num_rows:
                part = batch.slice(start, size - rows)
                waiting.append(part)
                rows += part.num_rows
                start += part.num_rows
                if rows == size:
                    yield pa.concat_batches(waiting)
                    waiting, rows = [], 0
    except InputError:
        if waiting:
            yield pa.concat_batches(waiting)
        raise
    if waiting:
        yield pa.concat_batches(waiting)


def _open_table(file: BinaryIO, kind: str, source: str) -> tuple[Any, Iterator[Any]]:
    """Return the schema of a Parquet or Arrow IPC file (file or stream format) and its batches.

    The batches are read as they are iterated, so memory does not grow with the file.
    """
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            parquet = pq.ParquetFile(file)
            return parquet.schema_arrow, parquet.iter_batches(batch_size=BATCH_ROWS)
        ipc_file, feather_v1 = ARROW.magic
        head = file.read(len(ipc_file))
        file.seek(0)
        if head.startswith(feather_v1):  # an old format, read whole
            import pyarrow.feather as feather

            table = feather.read_table(file)
            return table.schema, iter(table.to_batches())
        if head.startswith(ipc_file):
            reader = pa.ipc.open_file(file)
            return reader.schema, (reader.get_batch(i) for i in range(reader.num_record_batches))
        stream = pa.ipc.open_stream(file)
        return stream.schema, iter(stream)
    except (pa.ArrowException, ValueError) as error:
        raise InputError([_damaged(source, kind, error)]) from None


def _refusing(batches: Iterator[Any], kind: str, source: str) -> Iterator[Any]:
    """Yield the batches; a part of the file the reader refuses is a bad-parquet error."""
    try:
        yield from batches
    except (pa.ArrowException, ValueError) as error:
        raise InputError([_damaged(source, kind, error)]) from None


def _rows(header: list[object], batches: Iterable[Any], first: int) -> Iterator[Row]:
    """Yield the header, then the rows from number ``first``, BATCH_ROWS at a time."""
    yield first - 1, header
    number = first
    for batch in batches:
        for start in range(0, batch.num_rows, BATCH_ROWS):
            part = batch.slice(start, BATCH_ROWS).columns
            columns = [cell_array(column).to_pylist() for column in part]
            for row in zip(*columns, strict=True):
                yield number, list(row)
                number += 1


def cell_array(column: Any) -> Any:
    """Return a column's cells as the CSV or Excel reader gives them, as an Arrow array.

    Text and nulls stay text and nulls, a boolean is True or False (as an Excel TRUE is), and
    every other value is its text: a float as Excel shows it (15 significant digits, no
    exponent), each distinct one worked out once. A float32 is the shortest text that reads
    back as it (96.85, not the 96.8499984741211 it holds), as a float32 is shown and saved by
    the programs that make one; a float16 is its exact value.
    """
    kind = column.type
    if pa.types.is_dictionary(kind):
        return cell_array(column.dictionary_decode())
    if pa.types.is_floating(kind):
        encoded = column.dictionary_encode()
        values = encoded.dictionary
        if pa.types.is_float64(kind):
            written = [repr(value) for value in values.to_pylist()]
        else:
            written = values.cast(pa.float32()).cast(pa.string()).to_pylist()
        shown = texts(map(_float_text, written))
        return pc.take(shown, encoded.indices)
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return column.cast(pa.string())
    if pa.types.is_string(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return column
    return column.cast(pa.string())


def _float_text(written: str) -> str:
    """Return a float written in full as Excel shows it; inf and nan as written, to be refused."""
    return excel_number(written, percent=False) if math.isfinite(float(written)) else written


def _readable(kind: Any) -> bool:
    """Whether a column of this type holds one plain value per cell: text, a number, a date."""
    if pa.types.is_dictionary(kind):
        return _readable(kind.value_type)
    return bool(
        pa.types.is_null(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_date(kind)
        or pa.types.is_timestamp(kind)
        or pa.types.is_time(kind)
    )


def _damaged(source: str, kind: str, error: Exception) -> Problem:
    """Return the problem with a file that the Parquet or Arrow reader refuses."""
    name = FORMAT_NAMES[kind]
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return Problem.of("bad-parquet", source=source, name=name, reason=reason)


def _unsupported_column(source: str, field: Any) -> Problem:
    """Return the problem with a column whose cells hold lists, structs or bytes, not values."""
    return Problem.of(
        "bad-parquet", source=source, column=str(field.name), words="column", type=str(field.type)
    )
