"""Which rows are acceptable: the Pydantic model's verdict on each distinct cell, remembered.

The MeasurementRow model is the one definition of an acceptable row. A report repeats the same
indicator names, regions, years and often values thousands of times: the first row holding a
new cell goes through the model, and its verdict on each cell (a figure or a refusal) is
remembered, keyed by the cells as typed; a later row whose cells have all been judged is
accepted or refused by looking them up, with the same problems the model would give.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from pydantic import ValidationError

from qcheck.catalogue import MAX_YEAR, MIN_YEAR, Catalogue
from qcheck.duplicates import DuplicateIndex
from qcheck.measurements import (
    FIELDS,
    Measurement,
    MeasurementRow,
    Origin,
    RawRecord,
    cell_text,
    converted,
    is_blank,
    note_text,
    plain_decimal,
)
from qcheck.names import SuggestionBudget, bracketed_unit, without_bracketed_tail
from qcheck.problem_codes import CODES, severity
from qcheck.problems import Problem, ProblemSink
from qcheck.words import Params, Word, has_word, spelled

VERDICTS_KEPT = 100_000  # distinct cells (of each kind) whose verdict is remembered
KEPT_PROBLEMS = 10_000  # per severity; more are counted, not kept
# Distinct unknown names per run given the closest known one: more than are ever shown.
SUGGESTED_NAMES = 500

# Which verdict a field's error belongs to: a cell's own, or the figure's (see CellVerdicts).
_GROUPS = {"year": "year", "region": "region"}
_FIELD_ORDER = {name: index for index, name in enumerate(FIELDS)}  # the model's order


class ProblemLog:
    """Problems found so far: every one counted, the first few thousand of each kind kept."""

    def __init__(self, *, keep: int | None = None) -> None:
        self.kept: list[Problem] = []
        self.omitted = {"error": 0, "warning": 0}
        self._keep = KEPT_PROBLEMS if keep is None else keep
        self._counts = {"error": 0, "warning": 0}

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self._counts[problem.severity] += 1
        if self._counts[problem.severity] <= self._keep:
            self.kept.append(problem)
        else:
            self.omitted[problem.severity] += 1

    append = add  # a log can stand where a list of problems is filled

    def keeps(self, severity: str) -> bool:
        """Whether a problem of this severity found now would be kept, not only counted."""
        return self._counts[severity] < self._keep

    def count(self, severity: str) -> None:
        """Count a problem no longer kept (see keeps), without its being made."""
        self._counts[severity] += 1
        if self._counts[severity] > self._keep:
            self.omitted[severity] += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        for problem in problems:
            self.add(problem)

    @property
    def errors(self) -> int:
        """How many errors were found, kept or not."""
        return self._counts["error"]


Key = tuple[type, object]  # see cell_key
UNJUDGED = object()  # no verdict is remembered on a region cell (None is city-wide)


class FieldError(NamedTuple):
    """What the model said is wrong with one field of a row, before it is placed in a file."""

    field: str
    code: str
    words: str  # the variant of the code's words ("" for its own; see qcheck.problems)
    params: Params
    hint: str | None  # the fix given with the error, else the field's or the code's own


class Refused(NamedTuple):
    """The model's refusal of a cell (or of an indicator, unit and value together)."""

    errors: tuple[FieldError, ...]
    unit_in_name: bool = False  # the unit refused is the one in brackets after the name
    # The unit after the indicator's name and the unit column disagree: the row is refused
    # with that problem alone, before the model sees it.
    disagreeing: tuple[str, str] | None = None


class Figure(NamedTuple):
    """The model's verdict on an indicator, unit and value cell: the figure they make."""

    target: str
    value: Decimal | bool
    warning: tuple[str, Params] | None  # a figure read from a fraction: code, its words


class CellVerdicts:
    """What the Pydantic model said of each distinct cell, for one catalogue and default year.

    Keyed by the cells as typed: an indicator, unit and value cell together (a value's unit
    and range depend on its indicator, and the decimal mark on the file), a year cell, a
    region cell. Refusals are remembered as well as figures. Shared by every file of a run,
    so a thousand reports written alike are validated once.
    """

    def __init__(self) -> None:
        self.figures: dict[tuple[object, ...], Figure | Refused] = {}
        self.years: dict[Key, int | Refused] = {}
        self.regions: dict[Key, str | Refused | None] = {}

    def took_default_year(self) -> bool | None:
        """Whether a blank year cell was judged, so took the default year; None: cannot tell.

        Asked once, after reading: the year cells are judged once each, not once per row. Past
        VERDICTS_KEPT distinct year cells, some verdicts were not kept.
        """
        if len(self.years) >= VERDICTS_KEPT:
            return None
        return any(is_blank(cell) for _kind, cell in self.years)


class RowValidator:
    """Validates rows against a catalogue: the model judges each distinct cell, once."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        default_year: int,
        log: ProblemLog,
        verdicts: CellVerdicts | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.log = log
        if not MIN_YEAR <= default_year <= MAX_YEAR:
            raise ValueError(
                f"default_year must be from {MIN_YEAR} to {MAX_YEAR}, not {default_year}"
            )
        self._budget = SuggestionBudget(SUGGESTED_NAMES)
        self._context = {
            "catalogue": catalogue,
            "default_year": default_year,
            "suggestions": self._budget,
        }
        self._comma_context = {**self._context, "decimal_comma": True}
        self.verdicts = verdicts or CellVerdicts()
        self._own = CellVerdicts()  # verdicts that hold for this validator's files alone
        # Verdicts past VERDICTS_KEPT, kept while a batch of columns is checked (see intake).
        self.overflow: CellVerdicts | None = None
        # Percentages with no plausible range, where a fraction (0.95) is used with a warning.
        self._unguarded = {
            target.id
            for target in catalogue.targets
            if target.unit == "%" and target.plausible is None
        }
        self._flagged_columns: set[tuple[str, str | None, str]] = set()

    def check(self, record: RawRecord) -> Measurement | None:
        """Return the row as a measurement, or None after logging why it cannot be used."""
        return self._check(record, self.log)

    def _check(self, record: RawRecord, log: ProblemSink) -> Measurement | None:
        """Return the row as a measurement, or None after telling ``log`` why not."""
        if record.extras:
            self._check_extras(record, log)
        cells = record.cells
        figure, year, region = self._remembered(cells, record.decimal_comma)
        if figure is None or year is None or region is UNJUDGED:
            return self._check_with_model(record, log)
        if isinstance(figure, Refused) or isinstance(year, Refused) or isinstance(region, Refused):
            self._refuse(record, (figure, year, region), log)
            return None
        return self._measurement(record, figure, year, region, log)  # type: ignore[arg-type]

    def judge(self, record: RawRecord) -> tuple[Measurement | None, list[Problem]]:
        """Validate a row as ``check`` does; return its problems rather than logging them."""
        found: list[Problem] = []
        return self._check(record, found), found

    def remember(self, record: RawRecord) -> None:
        """Have the model judge a row's cells, if they are not all judged; log nothing."""
        figure, year, region = self._remembered(record.cells, record.decimal_comma)
        if figure is None or year is None or region is UNJUDGED:
            self._check_with_model(record, [])

    def flags_region_column(
        self, source: str, sheet: str | None, label: str, cells: Iterable[object]
    ) -> bool:
        """Whether a column qcheck does not read would be flagged for naming regions in a cell."""
        if (source, sheet, label) in self._flagged_columns:
            return False
        return any(_names_region(cell, self.catalogue) for cell in cells)

    def _remembered(
        self, cells: Mapping[str, object], decimal_comma: bool
    ) -> tuple[Figure | Refused | None, int | Refused | None, object]:
        """Return the verdicts remembered on a row's cells (None, UNJUDGED: none yet)."""
        return (
            self.figure_verdict(figure_key(cells, decimal_comma)),
            self.year_verdict(cell_key(cells.get("year"))),
            self.region_verdict(cell_key(cells.get("region"))),
        )

    def figure_verdict(self, key: tuple[object, ...]) -> Figure | Refused | None:
        """Return the verdict remembered on a figure's cells (see figure_key), if any."""
        found = self.verdicts.figures.get(key) or self._own.figures.get(key)
        if found is None and self.overflow is not None:
            return self.overflow.figures.get(key)
        return found

    def year_verdict(self, key: Key) -> int | Refused | None:
        """Return the verdict remembered on a year cell (see cell_key), if any."""
        found = self.verdicts.years.get(key) or self._own.years.get(key)
        if found is None and self.overflow is not None:
            return self.overflow.years.get(key)
        return found

    def region_verdict(self, key: Key) -> object:
        """Return the verdict remembered on a region cell (see cell_key), or UNJUDGED."""
        found = self.verdicts.regions.get(key, self._own.regions.get(key, UNJUDGED))
        if found is UNJUDGED and self.overflow is not None:
            return self.overflow.regions.get(key, UNJUDGED)
        return found

    def _measurement(
        self, record: RawRecord, figure: Figure, year: int, region: str | None, log: ProblemSink
    ) -> Measurement:
        if figure.warning is not None:
            code, warned = figure.warning
            params: dict[str, Any] = dict(warned)
            log.append(
                Problem.of(
                    code,
                    source=record.source,
                    sheet=record.sheet,
                    row=record.row,
                    column=record.headers.get("value", "value"),
                    **params,
                )
            )
        return Measurement(
            indicator=figure.target,
            value=figure.value,
            year=year,
            region=region,
            note=note_text(record.cells.get("note")),
            origin=Origin(source=record.source, sheet=record.sheet, row=record.row),
        )

    def _refuse(self, record: RawRecord, verdicts: tuple[object, ...], log: ProblemSink) -> None:
        """Log the problems of a row some of whose remembered verdicts are refusals."""
        figure = verdicts[0]
        if isinstance(figure, Refused) and figure.disagreeing is not None:
            conflict = _units_disagree(
                figure.disagreeing, record.cells.get("unit"), record, self.catalogue
            )
            if conflict is not None:
                log.append(conflict)
                return
        refusals = [verdict for verdict in verdicts if isinstance(verdict, Refused)]
        errors = sorted(
            (error for refusal in refusals for error in refusal.errors),
            key=lambda error: _FIELD_ORDER.get(error.field, len(_FIELD_ORDER)),
        )
        unit_in_name = isinstance(figure, Refused) and figure.unit_in_name
        for problem in _problems(errors, record, unit_in_name=unit_in_name):
            log.append(problem)

    def _check_with_model(self, record: RawRecord, log: ProblemSink) -> Measurement | None:
        """Validate a row with the Pydantic model and remember its verdict on each cell."""
        cells = {name: record.cells.get(name) for name in FIELDS}
        # A unit written in brackets after the indicator's name stands in for an empty unit cell.
        split = _unit_in_name(cells["indicator"], self.catalogue)
        key = figure_key(cells, record.decimal_comma)
        conflict = _units_disagree(split, cells["unit"], record, self.catalogue)
        if conflict is not None:
            self._remember(self.verdicts, "figures", key, Refused((), disagreeing=split))
            log.append(conflict)
            return None
        effective = _with_unit_from_name(cells, split)
        unit_in_name = split is not None and is_blank(cells["unit"])
        year_key, region_key = cell_key(cells["year"]), cell_key(cells["region"])
        budget = self._budget
        budget.denied = False
        try:
            context = self._comma_context if record.decimal_comma else self._context
            row = MeasurementRow.model_validate(effective, context=context)
        except ValidationError as error:
            errors = _field_errors(error)
            by_group: dict[str, list[FieldError]] = {}
            for found in errors:
                by_group.setdefault(_GROUPS.get(found.field, "figure"), []).append(found)
            # A refusal without the suggestion the budget had no more of is kept by this
            # validator alone: the shared verdicts serve other files, each with its own budget.
            verdicts = self._own if budget.denied else self.verdicts
            if "figure" in by_group:
                refused = Refused(tuple(by_group["figure"]), unit_in_name=unit_in_name)
                self._remember(verdicts, "figures", key, refused)
            if "year" in by_group:
                self._remember(verdicts, "years", year_key, Refused(tuple(by_group["year"])))
            if "region" in by_group:
                refused_region = Refused(tuple(by_group["region"]))
                self._remember(verdicts, "regions", region_key, refused_region)
            for problem in _problems(errors, record, unit_in_name=unit_in_name):
                log.append(problem)
            return None
        figure = Figure(row.indicator, row.value, self._fraction_warning(row, record))
        self._remember(self.verdicts, "figures", key, figure)
        self._remember(self.verdicts, "years", year_key, row.year)
        self._remember(self.verdicts, "regions", region_key, row.region)
        return self._measurement(record, figure, row.year, row.region, log)

    def _remember(self, verdicts: CellVerdicts, kind: str, key: object, verdict: object) -> None:
        """Remember a verdict, unless so many distinct cells are remembered already.

        Past that, it is kept in ``overflow`` while there is one (the batch being checked).
        """
        table: dict[Any, Any] = getattr(verdicts, kind)
        if len(table) < VERDICTS_KEPT:
            table[key] = verdict
        elif self.overflow is not None:
            getattr(self.overflow, kind)[key] = verdict

    def _fraction_warning(
        self, row: MeasurementRow, record: RawRecord
    ) -> tuple[str, Params] | None:
        """Return the warning for a figure read from a fraction, or that may be one.

        A figure in a unit that converts (a ratio 0.952 read as 95.2%) is said to be converted.
        A percentage of 1 or less, with no percent sign, for a target with no plausible range
        to refuse it by, is used as written: probably 95% was meant.
        """
        value = row.value
        if isinstance(value, bool):
            return None
        unit = self.catalogue.unit(row.unit) if row.unit is not None else None
        target = self.catalogue.target(row.indicator)
        conversion = None if unit is None else converted(unit, target)
        if unit is not None and conversion is not None:
            before = plain_decimal(value / conversion.factor)
            after = plain_decimal(value) + conversion.to
            return (
                "unit-converted",
                (("value", before), ("unit", spelled(unit, "name")), ("converted", after)),
            )
        if row.indicator not in self._unguarded or not 0 < value <= 1:
            return None
        if "%" in cell_text(record.cells.get("value", "")):
            return None
        return (
            "looks-like-fraction",
            (("value", plain_decimal(value)), ("percent", plain_decimal(value * 100))),
        )

    def _check_extras(self, record: RawRecord, log: ProblemSink) -> None:
        for problem in _unread_regions(record, self.catalogue):
            key = (problem.source, problem.sheet, problem.column or "")
            if key not in self._flagged_columns:
                self._flagged_columns.add(key)
                log.append(problem)


def cell_key(cell: object) -> Key:
    """Return what tells a cell from every other: its type, and its value or its text.

    True, 1 and 1.0 are equal in Python but not as typed cells. A float or decimal is told by
    its text: 0.0 and -0.0 are equal numbers, but a refusal quotes the cell as written.
    """
    kind = type(cell)
    return (kind, repr(cell)) if kind is float or kind is Decimal else (kind, cell)


def figure_key(cells: Mapping[str, object], decimal_comma: bool) -> tuple[object, ...]:
    """Return what a figure's verdict depends on: its indicator, unit and value cells, as typed."""
    indicator, unit, value = cells.get("indicator"), cells.get("unit"), cells.get("value")
    return (*cell_key(indicator), *cell_key(unit), *cell_key(value), decimal_comma)


def validate_records(
    records: Iterable[RawRecord], *, catalogue: Catalogue, default_year: int
) -> tuple[list[Measurement], list[Problem]]:
    """Validate raw rows; return the measurements and every problem found, errors and warnings."""
    log = ProblemLog(keep=sys.maxsize)
    validator = RowValidator(catalogue=catalogue, default_year=default_year, log=log)
    duplicates = DuplicateIndex(catalogue)
    checked = (check_row(record, validator=validator, duplicates=duplicates) for record in records)
    return [measurement for measurement in checked if measurement is not None], log.kept


def check_row(
    record: RawRecord, *, validator: RowValidator, duplicates: DuplicateIndex
) -> Measurement | None:
    """Validate a row and check that it repeats no earlier one; log why if it cannot be used."""
    measurement = validator.check(record)
    if measurement is None:
        return None
    repeated = duplicates.check(measurement, record)
    if repeated is not None:
        validator.log.add(repeated)
        return None
    return measurement


def _unit_in_name(indicator: object, catalogue: Catalogue) -> tuple[str, str] | None:
    """Split 食品安全抽检合格率（%）into the indicator's name and the unit written after it."""
    if not isinstance(indicator, str) or catalogue.indicator_names.get(indicator) is not None:
        return None
    unit = bracketed_unit(indicator)
    name = without_bracketed_tail(indicator)
    if unit is None or catalogue.indicator_names.get(name) is None:
        return None
    return name, unit


def _units_disagree(
    split: tuple[str, str] | None, unit: object, record: RawRecord, catalogue: Catalogue
) -> Problem | None:
    """Refuse 食品安全抽检合格率（ug/m3）beside a unit of %: one of the two units is wrong."""
    if split is None or is_blank(unit):
        return None
    named, given = catalogue.unit_names.get(split[1]), catalogue.unit_names.get(str(unit))
    if named is None or given is None or named is given:
        return None
    return Problem.of(
        "unit-mismatch",
        source=record.source,
        sheet=record.sheet,
        row=record.row,
        column=record.headers.get("indicator", "indicator"),
        words="both",
        named=split[1],
        label=record.headers.get("unit", "unit"),
        unit=unit,
    )


def _with_unit_from_name(
    cells: dict[str, object], split: tuple[str, str] | None
) -> dict[str, object]:
    """Read 食品安全抽检合格率（%）as the indicator and its unit, which is then checked."""
    if split is None:
        return cells
    name, unit = split
    if not is_blank(cells.get("unit")):
        return {**cells, "indicator": name}
    return {**cells, "indicator": name, "unit": unit}


def _unread_regions(record: RawRecord, catalogue: Catalogue) -> list[Problem]:
    """Flag a column qcheck does not read whose cells name counties: its figures are regional."""
    problems = []
    for label, cell in record.extras.items():
        if _names_region(cell, catalogue):
            problems.append(
                Problem.of(
                    "unread-region-column",
                    source=record.source,
                    sheet=record.sheet,
                    row=record.row,
                    column=label,
                    label=label,
                    cell=str(cell).strip(),
                )
            )
    return problems


def _names_region(cell: object, catalogue: Catalogue) -> bool:
    """Whether a cell of a column qcheck does not read names a region."""
    if is_blank(cell) or isinstance(cell, bool):
        return False
    return catalogue.region_names.get(str(cell)) is not None


def _field_errors(error: ValidationError) -> list[FieldError]:
    """Return what the model refused in a row, field by field."""
    errors = []
    for detail in error.errors(include_url=False):
        field_name = str(detail["loc"][0]) if detail["loc"] else ""
        code = detail["type"]
        context = detail.get("ctx") or {}
        message = context.get("message")
        if code == "missing":
            code, message = "empty-value", Word("problem.empty-value.missing", field=field_name)
        elif not isinstance(message, Word) or code not in CODES:
            # None of qcheck's: said as Pydantic says it, under a code of the catalogue.
            code, message = "invalid-value", Word("problem.invalid-value", message=detail["msg"])
        words = message.key.removeprefix("problem.")
        words = "" if words == code else words
        errors.append(FieldError(field_name, code, words, message.params, context.get("hint")))
    return errors


def _problems(
    errors: Iterable[FieldError], record: RawRecord, *, unit_in_name: bool = False
) -> list[Problem]:
    """Return the problems of a row the model refused, placed in its file.

    ``unit_in_name``: the unit checked was the one in brackets after the indicator's name.
    """
    problems = []
    for error in errors:
        code, field_name, params = error.code, error.field, error.params
        hint = error.hint or _field_hint(code, field_name)
        column = record.headers.get(field_name, field_name or None)
        header = record.headers.get(field_name)
        if code == "unit-mismatch" and unit_in_name and field_name == "unit":
            column = record.headers.get("indicator", "indicator")
            hint = f"{code}.name"
        elif (
            code == "unit-mismatch"
            and header is not None
            and header == record.headers.get("value")
            and bracketed_unit(header) is not None
        ):
            hint, params = f"{code}.header", (*params, ("header", header))
        problems.append(
            Problem(
                source=record.source,
                code=code,
                severity=severity(code),
                sheet=record.sheet,
                row=record.row,
                column=column,
                words=error.words,
                params=params,
                hints=() if hint is None else (hint,),
            )
        )
    return problems


@cache  # a few codes and fields, asked for every refused row
def _field_hint(code: str, field_name: str) -> str | None:
    """Return the key of the usual fix for ``code`` in a field: the field's own, else the code's."""
    for key in (f"{code}.{field_name}", code):
        if has_word(f"hint.{key}"):
            return key
    return None
