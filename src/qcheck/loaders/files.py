"""Read measurement files of any supported format and validate them into one dataset."""

from __future__ import annotations

import gc
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from qcheck.catalogue import Catalogue
from qcheck.dataset import Dataset
from qcheck.duplicates import DuplicateIndex
from qcheck.fileid import file_identity
from qcheck.loaders.encoding import HEAD, decode, head_texts, sample_text
from qcheck.loaders.folders import find_reports
from qcheck.loaders.formats import (
    CSV,
    INPUT_FORMATS,
    REPORT_SUFFIXES,
    InputFormat,
    Opened,
    by_content,
    by_name,
    by_suffix,
    told_otherwise,
)
from qcheck.loaders.streams import (
    MAX_BYTES_HINT,
    is_stream,
    spool,
    too_large,
    unreadable,
)
from qcheck.loaders.waivers import DEFAULT_NAME as WAIVERS_NAME
from qcheck.loaders.yaml_file import (
    YAML_MAX_BYTES,
    parse_yaml,
    passed_on,
    read_document,
    yaml_too_large,
)
from qcheck.measurements import Measurement, RawRecord
from qcheck.problems import InputError, Problem, ProblemSink
from qcheck.rows import CellVerdicts, ProblemLog, RowValidator, check_row
from qcheck.validation import Validation
from qcheck.words import Listed

if TYPE_CHECKING:
    from qcheck.intake import ColumnBatch, Intake

# Reports in formats qcheck does not read: spreadsheets (Excel 97, templates, binary, WPS,
# OpenDocument, Numbers) and documents a table may be sent in. In a folder they are errors,
# not skipped, or a county that sent one would be left out of the verdict in silence. Other
# files (notes, images, scripts, archives) are not reports, and a folder's are passed over.
SPREADSHEET_SUFFIXES = (
    ".xls", ".xlt", ".xltx", ".xltm", ".xlsb", ".et", ".ett", ".ods", ".fods", ".numbers"
)  # fmt: skip
DOCUMENT_SUFFIXES = (".doc", ".docx", ".wps", ".pdf", ".odt", ".rtf", ".pages")
FOREIGN_SUFFIXES = SPREADSHEET_SUFFIXES + DOCUMENT_SUFFIXES
# What a folder's search looks for: reports, and reports in a format qcheck does not read
# (told, never passed by).
LOOKED_FOR = REPORT_SUFFIXES + FOREIGN_SUFFIXES
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
STDIN = "-"
STDIN_SOURCE = "<stdin>"
# How a YAML document can begin: a directive, ---, a list item, a flow collection, or a key.
YAML_START = re.compile(r"---|%|-(?:\s|$)|\{|\[|[^-{\[%#,;\t'\"][^,;\t]*?:(?:\s|$)")
SIGNIFICANT_LINE = re.compile(r"^[ \t]*[^\s#][^\r\n]*", re.M)  # neither blank nor a comment


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: a forced text encoding, a sheet name, a size limit, a stream format.

    ``stdin_format`` is the format of standard input, pipes and devices: ``auto`` (told by
    their suffix, else their content), ``csv``, ``yaml``, ``xlsx``, ``parquet`` or ``arrow``.
    """

    encoding: str | None = None
    sheet: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    stdin_format: str = "auto"


@dataclass(frozen=True)
class _Yaml:
    """A stream told to be YAML by its content: its parsed document, or why it cannot be read."""

    document: Any = None
    error: InputError | None = None


def input_name(path: Path) -> str:
    """Return how an input is named in messages and reports (standard input is <stdin>)."""
    return STDIN_SOURCE if str(path) == STDIN else str(path)


def expand_inputs(
    inputs: Iterable[str], *, waivers: Sequence[Path] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Turn files, folders (searched for reports, recursively) and - into a list of inputs.

    Also return the problems of folders: one holding no report, an entry that cannot be read,
    a report in a format qcheck does not read (see FOREIGN_SUFFIXES), a waivers file that is
    not among ``waivers``, the files read as waivers (None: every one is ignored).
    """
    paths: list[Path] = []
    problems: list[Problem] = []
    read = None if waivers is None else {identity_of(path) for path in waivers}
    for item in inputs:
        path = Path(item)
        if item != STDIN and _is_folder(path):
            *first, last = (kind.suffixes[0] for kind in INPUT_FORMATS)
            found, unreadable_entries = find_reports(path, LOOKED_FOR)
            problems += unreadable_entries
            if not found and not unreadable_entries:
                problems.append(
                    Problem.of(
                        "no-data", source=item, words="folder", first=Listed(first), last=last
                    )
                )
            for entry in found:
                if entry.name == WAIVERS_NAME:  # waivers, not a report: read where looked for
                    if read is not None and identity_of(entry) not in read:
                        problems.append(Problem.of("waivers-not-read", source=str(entry)))
                    continue
                if entry.suffix.lower() in REPORT_SUFFIXES:
                    paths.append(entry)
                else:
                    problems.append(_unsupported(str(entry), entry.suffix.lower(), in_folder=True))
        else:
            paths.append(path)
    # The same file named twice (samples/a.csv and ./samples/a.csv, a link) is read once; a
    # folder named twice, or with one inside it, has its problems told once.
    unique = {identity_of(path): path for path in reversed(paths)}
    return list(reversed(unique.values())), list(dict.fromkeys(problems))


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; a name the system refuses is not (reading it will say why)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def identity_of(path: Path) -> object:
    """Return what is the same for every name of one file: its device and inode if it exists.

    A name that cannot be looked at (missing, a loop of links, too long) is told by its absolute
    path, without resolving links; reading it reports why.
    """
    if str(path) == STDIN:
        return path
    try:
        status = path.stat()
    except (OSError, ValueError):
        return os.path.normpath(_working_folder() / path)
    return file_identity(status)


def _working_folder() -> Path:
    """Return the working folder, or an empty path if it was removed (names then stay relative)."""
    try:
        return Path.cwd()
    except OSError:
        return Path()


def read_records(
    path: Path,
    options: ReadOptions = ReadOptions(),
    problems: ProblemSink | None = None,
    sheets_read: MutableMapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> Iterator[RawRecord | ColumnBatch]:
    """Open one input (a file, pipe, device, or - for stdin); raise InputError if it cannot be.

    Records are read as they are iterated; problems go to ``problems`` as they are found.
    The sheet read from a workbook goes to ``sheets_read``, by source; the names of the
    ``catalogue``'s indicators tell its other sheets that hold figures. Pipes, devices and
    standard input are read whole, within ``options.max_bytes``; their format is
    ``options.stdin_format``, else the one their suffix names, else told by content.
    """
    sink: ProblemSink = [] if problems is None else problems
    source = input_name(path)
    suffix = path.suffix.lower()

    def opened(file: Path | BinaryIO, size: int, kind: InputFormat) -> Opened:
        return Opened(file, source, size, kind, options, sink, sheets_read, catalogue)

    try:
        if str(path) == STDIN:
            kind = _stream_format(options, "")
            return _read_stream(sys.stdin.buffer, source, kind, options, sink, opened)
        status = path.stat()
        if is_stream(path, status):
            with path.open("rb") as binary:
                kind = _stream_format(options, suffix)
                return _read_stream(binary, source, kind, options, sink, opened)
        kind = by_suffix(suffix)
        if kind is None:
            raise InputError([_unsupported(source, suffix)])
        if status.st_size > options.max_bytes:
            raise InputError([too_large(source, status.st_size, options.max_bytes, MAX_BYTES_HINT)])
        if not kind.magic:
            with path.open("rb") as file:
                _refuse_misnamed(file.read(16), kind, source, suffix)
        return kind.read(opened(path, status.st_size, kind))
    except OSError as error:
        raise InputError([unreadable(source, error)]) from None


def _unsupported(source: str, suffix: str, *, in_folder: bool = False) -> Problem:
    """Return the problem for a file whose suffix names no format qcheck reads."""
    words = "" if suffix else "no-suffix"
    piped = ""
    if suffix in SPREADSHEET_SUFFIXES:
        hint = "spreadsheet"
    elif suffix in DOCUMENT_SUFFIXES:
        hint = "document-in-folder" if in_folder else "document"
    else:
        hint = "other"
        piped = f"- --stdin-format {_format_of(Path(source))} < {shlex.quote(source)}"
    return Problem.of(
        "unsupported-format",
        source=source,
        words=words,
        hints=(f"unsupported-format.{hint}",),
        suffix=suffix,
        piped=piped,
    )


def _format_of(path: Path) -> str:
    """Return the format a file's first bytes look like (csv if they cannot be read)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD)
    except OSError:
        return "csv"
    told = by_content(head)
    if told is not None:
        return told.name
    return "yaml" if looks_like_yaml(sample_text(head)) else "csv"


def _refuse_misnamed(head: bytes, kind: InputFormat, source: str, suffix: str | None) -> None:
    """Refuse a file named as a text format (or a stream told to be one) that is a binary one.

    Read as text, a workbook named .csv would be refused as bad-encoding, which says nothing
    of what it is. ``suffix`` is None for a stream, whose format --stdin-format or its name gave.
    """
    told = told_otherwise(head, kind)
    if told is None:
        return
    where = "file" if suffix is not None else "stream"
    raise InputError(
        [
            Problem.of(
                "misnamed",
                source=source,
                hints=(f"misnamed.{where}",),
                named=kind.name,
                told=told.name,
                suffix=told.suffixes[0],
            )
        ]
    )


def _stream_format(options: ReadOptions, suffix: str) -> InputFormat | None:
    """Return the format of a stream: as --stdin-format says, else as its name says, else None."""
    if options.stdin_format != "auto":
        return by_name(options.stdin_format)
    return by_suffix(suffix)


def _read_stream(
    stream: BinaryIO,
    source: str,
    kind: InputFormat | None,
    options: ReadOptions,
    problems: ProblemSink,
    opened: Callable[[BinaryIO, int, InputFormat], Opened],
) -> Iterator[RawRecord | ColumnBatch]:
    """Copy a stream (within the size limit) and read it as ``kind``, or as it looks.

    The copy is in memory up to a few megabytes, else in a temporary file, which CSV and
    workbooks are read from as files are (the zip reader only needs to seek in it).
    """
    copy = spool(stream, source=source, limit=options.max_bytes, hint=MAX_BYTES_HINT)
    try:
        head = copy.read(HEAD)
        copy.seek(0)
        if kind is None:
            kind = by_content(head)
        else:
            _refuse_misnamed(head, kind, source, None)
        if kind is None:
            guessed = _guess_yaml(copy, head, source, options)
            if guessed is not None:
                copy.close()
                return _read_guessed_yaml(guessed, source, problems)
            kind = CSV
        size = copy.seek(0, os.SEEK_END)
        copy.seek(0)
        return _closed_after(copy, kind.read(opened(copy, size, kind)))
    except BaseException:
        copy.close()
        raise


def _guess_yaml(copy: BinaryIO, head: bytes, source: str, options: ReadOptions) -> _Yaml | None:
    """Tell by its content whether a stream whose name says nothing is YAML (else it is CSV).

    YAML is parsed once, here. A first line that begins as no YAML does tells a CSV from its
    first bytes, whichever encoding they are read in, without decoding the rest.
    """
    size = copy.seek(0, os.SEEK_END)
    copy.seek(0)
    if size > YAML_MAX_BYTES:  # too large to parse: told by its first lines alone
        if not looks_like_yaml(sample_text(head), parse=False):
            return None
        return _Yaml(error=InputError([yaml_too_large(source, None)]))
    whole = size <= len(head)
    if all(_begins_as_csv(text, whole=whole) for text in head_texts(head, options.encoding)):
        return None
    text = decode(copy.read(), source=source, encoding=options.encoding)
    copy.seek(0)
    return _tell_yaml(text, source=source)


def _begins_as_csv(start: str, *, whole: bool) -> bool:
    """Whether the start of a text holds its first significant line whole, not begun as YAML."""
    first = SIGNIFICANT_LINE.search(start)
    if first is None or (first.end() == len(start) and not whole):
        return False  # the first line may go on past the start: the whole text decides
    return not YAML_START.match(first.group().lstrip())


def _closed_after(
    copy: BinaryIO, records: Iterator[RawRecord | ColumnBatch]
) -> Iterator[RawRecord | ColumnBatch]:
    """Yield the records read from ``copy``; close it once they are read, or reading fails.

    A reader that reads its input whole (YAML) has closed it already; closing again is harmless.
    """
    try:
        yield from records
    finally:
        copy.close()


def _read_guessed_yaml(guessed: _Yaml, source: str, problems: ProblemSink) -> Iterator[RawRecord]:
    """Read a stream told to be YAML by its content; if YAML refuses it, it may be CSV."""
    if guessed.error is not None:
        raise InputError([_maybe_csv(problem) for problem in guessed.error.problems])
    return passed_on(read_document(guessed.document, source=source), problems)


def _maybe_csv(found: Problem) -> Problem:
    """Add to YAML's refusal the hint that the input may be CSV that looked like YAML."""
    if found.code not in ("bad-yaml", "too-large"):
        return found
    return found.with_hint("maybe-csv")


def looks_like_yaml(text: str, *, parse: bool = True) -> bool:
    """Whether text whose name does not tell its format (standard input, a pipe) is YAML.

    It is when it parses as a mapping or a list of mappings, which no CSV does. Text that does
    not parse is YAML if its first two lines begin as YAML does (``measurements:``, ``- ``,
    ``---``, an indented line), so that YAML's error is shown; a CSV whose title row looks
    like YAML (``报表: 2020``) is followed by a header that does not. Without ``parse`` (text
    too large to parse, or only its start), the first two lines decide.
    """
    return _tell_yaml(text, source=STDIN_SOURCE, parse=parse) is not None


def _tell_yaml(text: str, *, source: str, parse: bool = True) -> _Yaml | None:
    """Return text that looks_like_yaml as parsed (or why it does not parse), else None."""
    lines = [match.group() for match in islice(SIGNIFICANT_LINE.finditer(text), 2)]
    if not lines or not YAML_START.match(lines[0].lstrip()):
        return None  # a CSV line: nothing to parse
    starts_as_yaml = len(lines) == 1 or lines[1][0].isspace() or bool(YAML_START.match(lines[1]))
    if not parse:
        return _Yaml() if starts_as_yaml else None
    try:
        document = parse_yaml(text, source=source)
    except InputError as error:
        return _Yaml(error=error) if starts_as_yaml else None
    if isinstance(document, list):
        is_yaml = bool(document) and all(isinstance(item, dict) for item in document)
    else:
        is_yaml = isinstance(document, dict)
    return _Yaml(document) if is_yaml else None


def check_files(
    paths: Iterable[Path | str],
    *,
    catalogue: Catalogue,
    default_year: int | None = None,
    options: ReadOptions = ReadOptions(),
    keep_all: bool = False,
    verdicts: CellVerdicts | None = None,
) -> tuple[Dataset, Validation]:
    """Read and validate every file as one dataset, row by row; return it and what was found.

    Rows without a year count for ``default_year`` (default: the plan's target year), which is
    also the year the dataset can be evaluated for (evaluate refuses another). Only the
    rows a rule can read are kept, unless ``keep_all``. ``verdicts`` carries what is known of
    cells from earlier calls with the same catalogue and default year.
    """

    def reader(path: Path) -> Reader:
        return lambda log, sheets: read_records(
            path, options, log, sheets_read=sheets, catalogue=catalogue
        )

    inputs = [(input_name(Path(path)), reader(Path(path))) for path in paths]
    return check_inputs(
        inputs, catalogue=catalogue, default_year=default_year, keep_all=keep_all, verdicts=verdicts
    )


# Reads one input's rows (records, or batches of columns: see qcheck.intake), given where
# problems go and where a workbook's sheet read is told.
Reader = Callable[[ProblemSink, MutableMapping[str, str]], "Iterable[RawRecord | ColumnBatch]"]


def check_inputs(
    inputs: Iterable[tuple[str, Reader]],
    *,
    catalogue: Catalogue,
    default_year: int | None = None,
    keep_all: bool = False,
    verdicts: CellVerdicts | None = None,
) -> tuple[Dataset, Validation]:
    """Validate the records of named inputs as one dataset, as check_files does files."""
    inputs = list(inputs)
    year = catalogue.plan.target_year if default_year is None else default_year
    log = ProblemLog()
    validator = RowValidator(catalogue=catalogue, default_year=year, log=log, verdicts=verdicts)
    duplicates = DuplicateIndex(catalogue)
    dataset = Dataset(catalogue, keep_all=keep_all, year=year)
    rows = 0
    sheets: dict[str, str] = {}
    intake: Intake | None = None
    with cycle_collector_paused():
        for name, read in inputs:
            errors_before = log.errors
            count = 0
            try:
                for item in read(log, sheets):
                    if isinstance(item, RawRecord):
                        count += 1
                        measurement = check_row(item, validator=validator, duplicates=duplicates)
                        if measurement is not None:
                            dataset.add(measurement)
                        continue
                    if intake is None:
                        from qcheck.intake import Intake  # pyarrow, only for a table read as one

                        intake = Intake(
                            validator=validator, duplicates=duplicates, dataset=dataset, log=log
                        )
                    count += intake.take(item)
            except InputError as error:
                log.extend(error.problems)
            except OSError as error:  # the system failed while the file was read
                log.add(unreadable(name, error))
            if not count and log.errors == errors_before:
                log.add(Problem.of("no-data", source=name, words="no-rows"))
            rows += count
    validation = Validation(
        sources=tuple(name for name, _read in inputs),
        sheets=sheets,
        rows=rows,
        measurements=len(dataset),
        problems=tuple(log.kept),
        omitted_errors=log.omitted["error"],
        omitted_warnings=log.omitted["warning"],
    )
    return dataset, validation


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while rows are read, and restart it after.

    Reading makes millions of objects and no reference cycles; each time enough objects were
    made, the collector would walk all those still alive, which costs a fifth of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_measurements(
    paths: Iterable[Path | str],
    *,
    catalogue: Catalogue,
    default_year: int | None = None,
    options: ReadOptions = ReadOptions(),
    strict: bool = False,
) -> tuple[list[Measurement], list[Problem]]:
    """Read and validate every file; raise InputError listing every problem if any is an error.

    With ``strict``, warnings count as errors.
    """
    dataset, validation = check_files(
        paths, catalogue=catalogue, default_year=default_year, options=options, keep_all=True
    )
    if not validation.is_valid(strict=strict):
        raise InputError(list(validation.problems))
    return list(dataset.everything or ()), list(validation.problems)
