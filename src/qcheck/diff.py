"""What changed between two JSON reports of qcheck: statuses, values, targets and problems.

Pure: it reads two parsed documents (``qcheck evaluate --format json``, schema version 1 or
2) and returns a frozen Diff; a document that is no such report raises InputError naming its
file. Only the documented fields it needs are read; others (added by later versions of the
same schema) are ignored.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from qcheck.problems import InputError, Problem
from qcheck.verdicts import STATUS_FACTS, Status
from qcheck.words import FALLBACK, PUBLISHED, Lang, Listed, Word, has_word

# The schema versions of the JSON document this qcheck reads (docs/output.md).
READ_SCHEMA_VERSIONS = (1, 2)
# When `qcheck diff` exits 1: when a target got worse (its status's rank rose), or never.
DiffFailOn = Literal["worse", "never"]
DIFF_FAIL_ON: tuple[DiffFailOn, ...] = ("worse", "never")
DIFF_SCHEMA_VERSION = 1  # of the diff's own JSON document

Direction = Literal["worse", "better", "level"]
Figure = Decimal | bool  # a number, or met / not met


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    """A target's result as one of the two reports has it."""

    status: Status
    value: Figure | None
    gap: Decimal | None
    year: int | None  # the year of the report it is from


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetResult:
    """A target of one report (by id), with its names, unit and result."""

    id: str
    names: tuple[tuple[Lang, str], ...]  # its name in each language the document gives it in
    unit: str | None
    side: Side


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetChange:
    """A target whose status or value changed, or that only one report has (by id)."""

    id: str
    names: tuple[tuple[Lang, str], ...]  # its name in each language a document gives it in
    unit: str | None
    before: Side | None  # None: the target is new (another catalogue)
    after: Side | None  # None: the target is gone

    def name(self, lang: Lang) -> str:
        """Return the target's name in ``lang``, else in the first language there is one in."""
        return dict(self.names).get(lang) or self.names[0][1]

    @property
    def lost(self) -> bool:
        """Whether the target's figure went missing: from any other status into missing."""
        return (
            self.before is not None
            and self.after is not None
            and self.after.status is Status.MISSING
            and self.before.status is not Status.MISSING
        )

    @property
    def direction(self) -> Direction:
        """Whether the status got worse or better by its rank; level where the rank held.

        A figure that went missing is worse whatever the rank it left (not met, off track and
        waived rank above missing): deleting a failing row must not pass as progress.
        """
        if self.before is None or self.after is None:
            return "level"
        if self.lost:
            return "worse"
        before, after = STATUS_FACTS[self.before.status].rank, STATUS_FACTS[self.after.status].rank
        return "worse" if after > before else "better" if after < before else "level"

    @property
    def status_changed(self) -> bool:
        """Whether both reports have the target and its status differs."""
        return (
            self.before is not None
            and self.after is not None
            and self.before.status != self.after.status
        )

    @property
    def value_moved(self) -> bool:
        """Whether both reports have the target and its value differs (or appeared, or went)."""
        return (
            self.before is not None
            and self.after is not None
            and not _same_figure(self.before.value, self.after.value)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ProblemEntry:
    """A warning or error about an input, as a report lists it."""

    code: str
    severity: str
    source: str
    row: int | None
    column: str | None
    messages: tuple[tuple[Lang, str], ...]  # what is wrong, in each language it is given in

    def message(self, lang: Lang) -> str:
        """Return what is wrong in ``lang``, else in the first language it is given in."""
        return dict(self.messages).get(lang) or (self.messages[0][1] if self.messages else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSide:
    """One report of a document, or one input it could not evaluate (``year`` None)."""

    sources: tuple[str, ...]
    year: int | None
    results: tuple[TargetResult, ...]
    problems: tuple[ProblemEntry, ...]
    folder: str = ""  # the folder all sources of its document are in (``may/``), if any

    @property
    def failed(self) -> bool:
        """Whether the input could not be evaluated (an input error of a batch)."""
        return self.year is None

    def relative(self, source: str) -> str:
        """Return a source's path inside its document's common folder (``ganzhou/report.csv``)."""
        path = _slashed(source)
        return path[len(self.folder) :] if path.startswith(self.folder) else path

    @property
    def paths(self) -> frozenset[str]:
        """Return its sources inside its document's common folder, in any order."""
        return frozenset(self.relative(source) for source in self.sources)

    @property
    def names(self) -> frozenset[str]:
        """Return the file names of its sources, without their folders, in any order."""
        return frozenset(_file_name(source) for source in self.sources)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportDiff:
    """What changed in one report: its targets and the problems of its input."""

    before: ReportSide
    after: ReportSide
    targets: tuple[TargetChange, ...]  # changed, added or removed, in the new report's order
    unchanged: int  # targets in both with the same status and value
    new_problems: tuple[ProblemEntry, ...]
    resolved_problems: tuple[ProblemEntry, ...]

    @property
    def became_unusable(self) -> bool:
        """Whether the input was evaluated before and could not be now."""
        return self.after.failed and not self.before.failed

    def worse(self) -> tuple[TargetChange, ...]:
        """Return the targets whose status got worse."""
        return tuple(change for change in self.targets if change.direction == "worse")

    def regressed(self) -> bool:
        """Whether a target got worse, or the input was evaluated before and cannot be now."""
        return bool(self.worse()) or self.became_unusable


@dataclass(frozen=True, slots=True, kw_only=True)
class Diff:
    """What changed from one JSON report of qcheck (``old``) to another (``new``)."""

    old: str
    new: str
    reports: tuple[ReportDiff, ...]
    added: tuple[ReportSide, ...]  # reports only the new document has
    removed: tuple[ReportSide, ...]  # reports only the old document has

    def regressed(self) -> bool:
        """Whether a target got worse, or an input evaluated before could not be now."""
        return any(report.regressed() for report in self.reports)

    def exit_code(self, fail_on: DiffFailOn) -> int:
        """Return 1 if the run fails under ``fail_on`` (a regression, for worse), else 0."""
        return int(fail_on == "worse" and self.regressed())


def compare(old: object, new: object, *, old_source: str, new_source: str) -> Diff:
    """Return what changed from the report ``old`` to ``new`` (parsed JSON of qcheck evaluate).

    Reports are matched by year and sources (see ``_match``); when each document has one
    report, they are compared whatever their names and years. Raise InputError, naming the
    file, if a document is not such a report.
    """
    sides: list[list[ReportSide]] = []
    problems: list[Problem] = []
    for document, source in ((old, old_source), (new, new_source)):
        try:
            sides.append(report_sides(document, source))
        except InputError as error:  # each file's problem is said, not only the first's
            problems += error.problems
    if problems:
        raise InputError(problems)
    before, after = sides
    pairs, removed, added = _match(before, after)
    reports = tuple(_report_diff(old_side, new_side) for old_side, new_side in pairs)
    return Diff(old=old_source, new=new_source, reports=reports, added=added, removed=removed)


def refusal(source: str, words: str, **params: Any) -> InputError:
    """Return the error refusing ``source`` as no report to compare (``not-a-report.<words>``)."""
    own = f"not-a-report.{words}"
    hints = (own,) if has_word(f"hint.{own}") else ("not-a-report",)
    problem = Problem.of("not-a-report", source=source, words=words, hints=hints, **params)
    return InputError([problem])


# ---- reading a document --------------------------------------------------------------------

# qcheck writes at most 15 significant digits; a number far beyond that is no figure of its
# (1e999999999 would take forever to write out in full).
MOST_DIGITS = 30
MOST_EXPONENT = 30


@dataclass(frozen=True, slots=True)
class OutOfRange:
    """A number of a document too long or too large to be a figure qcheck wrote: its text."""

    text: str


def json_number(text: str) -> Decimal | int | OutOfRange:
    """Return a JSON number's text as a Decimal or int, or OutOfRange if it is beyond a figure.

    For ``json.loads(parse_float=..., parse_int=...)``: the text is measured before it is
    converted, so a number of a million digits costs no more than reading it.
    """
    if len(text) > 2 * MOST_DIGITS:
        return OutOfRange(text)
    number = Decimal(text)
    if _beyond(number):
        return OutOfRange(text)
    return number if any(mark in text for mark in ".eE") else int(text)


def _beyond(number: Decimal) -> bool:
    """Whether a number has more digits, or a larger or smaller exponent, than a figure has."""
    if not number.is_finite():
        return True
    return len(number.as_tuple().digits) > MOST_DIGITS or (
        number != 0 and abs(number.adjusted()) > MOST_EXPONENT
    )


# The words for the kinds of JSON value a field may hold: ``json.<name>``.
_KINDS: dict[type, str] = {
    str: "text",
    int: "integer",
    float: "number",
    Decimal: "number",
    bool: "boolean",
    list: "list",
    type(None): "null",
}
_NUMBER = (int, float, Decimal)
_SHOWN = 40  # the characters of a number out of range a refusal quotes
_NONE = type(None)


class _Reader:
    """Reads the fields of one document, refusing it (InputError) where one is not as documented."""

    def __init__(self, source: str) -> None:
        self.source = source

    def refuse(self, words: str, **params: object) -> InputError:
        """Return the error that refuses the document: ``problem.not-a-report.<words>``."""
        return refusal(self.source, words, **params)

    def field(self, owner: Mapping[str, Any], key: str, kinds: tuple[type, ...], path: str) -> Any:
        """Return ``owner[key]`` if it is one of ``kinds`` (absent: None, if that is one)."""
        value = owner.get(key)
        if isinstance(value, OutOfRange) or (
            isinstance(value, _NUMBER)
            and not isinstance(value, bool)
            and _beyond(Decimal(str(value)) if isinstance(value, float) else Decimal(value))
        ):
            shown = value.text if isinstance(value, OutOfRange) else str(value)
            if len(shown) > _SHOWN:
                shown = shown[:_SHOWN] + "…"
            raise self.refuse(
                "number",
                field=f"{path}{key}",
                number=shown,
                digits=MOST_DIGITS,
                exponent=MOST_EXPONENT,
            )
        # true is an int to Python, not a number to JSON
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            kinds_said = Listed(
                dict.fromkeys(Word(f"json.{_KINDS[k]}") for k in kinds), sep="sep.or"
            )
            raise self.refuse("field", field=f"{path}{key}", expected=kinds_said)
        return value

    def items(
        self, owner: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> list[Mapping[str, Any]]:
        """Return the objects of the list ``owner[key]`` (an absent key: none, unless required)."""
        found = owner.get(key, [])
        if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
            raise self.refuse("field", field=f"{path}{key}", expected=Word("json.objects"))
        if required and not found:
            raise self.refuse("field", field=f"{path}{key}", expected=Word("json.some_objects"))
        return found


def report_sides(document: object, source: str) -> list[ReportSide]:
    """Return the reports of a document, then the inputs it could not evaluate, as sides.

    Raise InputError naming ``source`` if the document is not a JSON report of qcheck.
    """
    reader = _Reader(source)
    if not isinstance(document, dict):
        raise reader.refuse("other")
    if "runs" in document and "reports" not in document:
        raise reader.refuse("sarif")
    if "validation" in document and "reports" not in document:
        raise reader.refuse("validation")
    version = document.get("schema_version")
    if "reports" not in document or not isinstance(version, int) or isinstance(version, bool):
        raise reader.refuse("other")
    if version not in READ_SCHEMA_VERSIONS:
        raise reader.refuse(
            "version",
            version=version,
            known=Listed(READ_SCHEMA_VERSIONS),
            writer=str(document.get("qcheck_version", "?")),
        )
    lang = document.get("lang")
    lang = lang if isinstance(lang, str) else FALLBACK
    sides = []
    for number, report in enumerate(reader.items(document, "reports", ""), 1):
        path = f"reports[{number}]."
        year = reader.field(report, "year", (int,), path)
        sources = _sources(reader, report, path)
        results = tuple(
            _result(reader, result, f"{path}results[{index}].", lang, year)
            for index, result in enumerate(reader.items(report, "results", path, required=True), 1)
        )
        seen: set[str] = set()
        for index, result in enumerate(results, 1):
            if result.id in seen:  # which of the two to compare could not be said
                raise reader.refuse("duplicate", field=f"{path}results[{index}].id", id=result.id)
            seen.add(result.id)
        sides.append(
            ReportSide(
                sources=sources,
                year=year,
                results=results,
                problems=_problems(reader, report, "warnings", path),
            )
        )
    for number, failure in enumerate(reader.items(document, "input_errors", ""), 1):
        path = f"input_errors[{number}]."
        sides.append(
            ReportSide(
                sources=_sources(reader, failure, path),
                year=None,
                results=(),
                problems=_problems(reader, failure, "problems", path),
            )
        )
    folder = _common_folder([source for side in sides for source in side.sources])
    return [replace(side, folder=folder) for side in sides]


def _common_folder(sources: Sequence[str]) -> str:
    """Return the folder every source is in, with its final slash (``may/``), or ``""``."""
    folders = [_slashed(source).split("/")[:-1] for source in sources]
    common: list[str] = []
    for parts in zip(*folders, strict=False) if folders else ():
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "".join(f"{part}/" for part in common)


def _sources(reader: _Reader, owner: Mapping[str, Any], path: str) -> tuple[str, ...]:
    sources = reader.field(owner, "source", (list,), path)
    if not all(isinstance(source, str) for source in sources):
        raise reader.refuse("field", field=f"{path}source", expected=Word("json.names"))
    return tuple(sources)


def _result(
    reader: _Reader, result: Mapping[str, Any], path: str, lang: Lang, year: int
) -> TargetResult:
    """Return a result of a report: the target's id, names and unit, and its status and value."""
    target_id = reader.field(result, "id", (str,), path)
    if not target_id:
        raise reader.refuse("field", field=f"{path}id", expected=Word("json.id"))
    status = reader.field(result, "status", (str,), path)
    try:
        known = Status(status)
    except ValueError:
        statuses = Listed(s.value for s in Status)
        raise reader.refuse(
            "status", field=f"{path}status", status=status, known=statuses
        ) from None
    value = reader.field(result, "value", (*_NUMBER, bool, _NONE), path)
    side = Side(
        status=known,
        value=value if isinstance(value, bool) else _decimal(value),
        gap=_decimal(reader.field(result, "gap", (*_NUMBER, _NONE), path)),
        year=year,
    )
    return TargetResult(
        id=target_id,
        names=_in_languages(reader, result, "name", path, lang) or ((lang, target_id),),
        unit=reader.field(result, "unit", (str, _NONE), path),
        side=side,
    )


def _problems(
    reader: _Reader, owner: Mapping[str, Any], key: str, path: str
) -> tuple[ProblemEntry, ...]:
    """Return the problems listed under ``owner[key]``."""
    entries = []
    for index, problem in enumerate(reader.items(owner, key, path), 1):
        where = f"{path}{key}[{index}]."
        entries.append(
            ProblemEntry(
                code=reader.field(problem, "code", (str,), where),
                severity=reader.field(problem, "severity", (str, _NONE), where) or "error",
                source=reader.field(problem, "source", (str,), where),
                row=reader.field(problem, "row", (int, _NONE), where),
                column=reader.field(problem, "column", (str, _NONE), where),
                # Problems are published in fixed languages, whatever the document's lang.
                messages=_in_languages(reader, problem, "message", where, PUBLISHED[0][1]),
            )
        )
    return tuple(entries)


def _in_languages(
    reader: _Reader, owner: Mapping[str, Any], field: str, path: str, lang: Lang
) -> tuple[tuple[Lang, str], ...]:
    """Return a published field in every language given: ``name`` is in ``lang``, ``name_zh``..."""
    found: dict[Lang, str] = {}
    for suffix, published in PUBLISHED:
        text = reader.field(owner, field + suffix, (str, _NONE), path)
        if text is not None:
            found.setdefault(published if suffix else lang, text)
    return tuple(found.items())


def _decimal(value: object) -> Decimal | None:
    """Return a JSON number as a Decimal (a float by its shortest text: 89.4, not 89.40000001)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _same_figure(a: Figure | None, b: Figure | None) -> bool:
    """Whether two values are the same figure: true is not 1, nor 93.10 other than 93.1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


# ---- matching and comparing ----------------------------------------------------------------


def _match(
    before: Sequence[ReportSide], after: Sequence[ReportSide]
) -> tuple[list[tuple[ReportSide, ReportSide]], tuple[ReportSide, ...], tuple[ReportSide, ...]]:
    """Return the pairs of reports to compare (in the new order), and those left old and new.

    A report matches the one of the same year with the same sources in any order, else with
    the same paths inside each document's common folder (``may/ganzhou/report.csv`` and
    ``june/ganzhou/report.csv``), else with the same file names; an input that could not be
    evaluated matches by its sources alone. Where each document has one report per year, the
    rest match by year (a merged run whose files changed). One report in each document:
    compared whatever their names and years.
    """
    if len(before) == len(after) == 1:
        return [(before[0], after[0])], (), ()
    pairs: list[tuple[ReportSide, ReportSide]] = []
    left, right = list(before), list(after)
    keys: list[Callable[[ReportSide], object]] = [_by_sources, _by_path, _by_name]
    if _one_per_year(before) and _one_per_year(after):
        keys.append(_by_year)
    for key in keys:
        for old in list(left):
            # A key two reports of either document share (report.csv in two folders) matches
            # neither: which is which cannot be said.
            found = [new for new in after if key(new) == key(old) and _years_match(old, new)]
            twins = [o for o in before if key(o) == key(old) and o.year == old.year]
            if len(found) == 1 and any(found[0] is new for new in right) and len(twins) == 1:
                pairs.append((old, found[0]))
                left.remove(old)
                right.remove(found[0])
    order = {id(side): index for index, side in enumerate(after)}
    pairs.sort(key=lambda pair: order[id(pair[1])])
    return pairs, tuple(left), tuple(right)


def _by_sources(side: ReportSide) -> object:
    return frozenset(side.sources)


def _by_path(side: ReportSide) -> object:
    return side.paths


def _by_name(side: ReportSide) -> object:
    return side.names


def _by_year(side: ReportSide) -> object:
    return side.year


def _one_per_year(sides: Sequence[ReportSide]) -> bool:
    """Whether a document's reports are each of another year, and each input was evaluated."""
    years = [side.year for side in sides]
    return None not in years and len(set(years)) == len(years)


def _years_match(old: ReportSide, new: ReportSide) -> bool:
    return old.year == new.year or old.failed or new.failed


def _report_diff(before: ReportSide, after: ReportSide) -> ReportDiff:
    """Return what changed from one report to its match."""
    targets: list[TargetChange] = []
    unchanged = 0
    if not before.failed and not after.failed:
        old_results = {result.id: result for result in before.results}
        new_ids = {result.id for result in after.results}
        for new in after.results:
            old = old_results.get(new.id)
            change = TargetChange(
                id=new.id,
                names=new.names,
                unit=new.unit,
                before=None if old is None else old.side,
                after=new.side,
            )
            if old is not None and not (change.status_changed or change.value_moved):
                unchanged += 1
            else:
                targets.append(change)
        targets += [
            TargetChange(id=old.id, names=old.names, unit=old.unit, before=old.side, after=None)
            for old in before.results
            if old.id not in new_ids
        ]
    renamed = _renamed(before, after)
    old_keys = {_problem_key(problem, before, renamed): problem for problem in before.problems}
    new_keys = {_problem_key(problem, after, {}): problem for problem in after.problems}
    return ReportDiff(
        before=before,
        after=after,
        targets=tuple(targets),
        unchanged=unchanged,
        new_problems=tuple(p for key, p in new_keys.items() if key not in old_keys),
        resolved_problems=tuple(p for key, p in old_keys.items() if key not in new_keys),
    )


def _renamed(before: ReportSide, after: ReportSide) -> dict[str, str]:
    """Return the new path of a report's one file, where it was renamed (matched regardless)."""
    if len(before.sources) == len(after.sources) == 1:
        old, new = before.relative(before.sources[0]), after.relative(after.sources[0])
        if old != new:
            return {old: new}
    return {}


def _problem_key(
    problem: ProblemEntry, side: ReportSide, renamed: Mapping[str, str]
) -> tuple[object, ...]:
    """Return what tells a problem apart between two runs: code, path, row and column.

    The path is the file's inside its document's common folder: a report may have moved
    (``may/`` to ``june/``), and two files of one name in two folders are two files.
    """
    path = side.relative(problem.source)
    return (problem.code, renamed.get(path, path), problem.row, problem.column)


def _slashed(source: str) -> str:
    """Return a source's path with forward slashes (a report written on Windows)."""
    return source.replace("\\", "/")


def _file_name(source: str) -> str:
    """Return a source's file name without its folders."""
    return posixpath.basename(_slashed(source))
