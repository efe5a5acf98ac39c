"""Check an in-memory table (pyarrow, or any object with __arrow_c_stream__) as a report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from qcheck.catalogue import Catalogue
from qcheck.dataset import Dataset
from qcheck.loaders.arrow_file import table_records
from qcheck.loaders.files import check_inputs
from qcheck.measurements import RawRecord
from qcheck.problems import Problem, ProblemSink, TableName
from qcheck.validation import Validation

if TYPE_CHECKING:
    from qcheck.intake import ColumnBatch

TABLE_SOURCE = "<table>"


def check_table(
    table: object,
    *,
    catalogue: Catalogue,
    default_year: int | None = None,
    source: str = TABLE_SOURCE,
    keep_all: bool = False,
) -> tuple[Dataset, Validation]:
    """Validate the rows of an in-memory table as check_files does a report file's.

    ``table`` is a pyarrow Table or RecordBatchReader, or any object with
    ``__arrow_c_stream__`` (a pandas 2.2+ or polars DataFrame); its column names are the
    header. Problems name ``source``, and a row by its 0-based index in the table
    (``Problem.row``, said as "row index 3"). Raise TypeError for another kind of object.
    """
    schema, batches = _batches(table)
    name = TableName(source)

    def read(
        problems: ProblemSink, _sheets: MutableMapping[str, str]
    ) -> Iterator[RawRecord | ColumnBatch]:
        sink = _HeaderUnnumbered(problems)
        return table_records(schema, batches, source=name, problems=sink, first_row=0)

    return check_inputs(
        [(name, read)], catalogue=catalogue, default_year=default_year, keep_all=keep_all
    )


def _batches(table: object) -> tuple[Any, Iterable[Any]]:
    """Return a table's schema and record batches, read from its Arrow C stream if it has one."""
    if isinstance(table, pa.Table):
        return table.schema, table.to_batches()
    if isinstance(table, pa.RecordBatchReader):
        return table.schema, table
    if hasattr(table, "__arrow_c_stream__"):
        reader = pa.RecordBatchReader.from_stream(table)
        return reader.schema, reader
    raise TypeError(
        "check_table takes a pyarrow Table or RecordBatchReader, or an object with "
        f"__arrow_c_stream__ (a pandas 2.2+ or polars DataFrame), not {type(table).__name__}"
    )


@dataclass(frozen=True)
class _HeaderUnnumbered:
    """Passes problems on; those of the column names (numbered before row index 0) have no row."""

    problems: ProblemSink

    def append(self, problem: Problem, /) -> None:
        """Record one problem, without a row if it is about the column names."""
        if problem.row is not None and problem.row < 0:
            problem = replace(problem, row=None)
        self.problems.append(problem)
