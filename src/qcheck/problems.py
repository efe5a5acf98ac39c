"""Typed input problems and the exceptions that carry them to the command line.

A problem holds its code and the parameters of its words, not finished sentences: its message
and hint are filled from the language tables (qcheck.words) when they are said, in whichever
language is asked. Every code is declared once, with its severity, in qcheck.problem_codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from qcheck.problem_codes import Severity, severity
from qcheck.words import FALLBACK, PUBLISHED, Lang, Params, Said, fill, has_word, join, label, shown


class TableName(str):
    """The name of an in-memory table: its rows are told by their 0-based index, not a line.

    It stays a plain string to everything else; where a row is, it says "row index 3".
    """

    __slots__ = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the input allows.

    ``words`` names its templates in the tables, ``problem.<words>`` and ``hint.<words>`` (the
    code itself unless a site says more than the code's usual words); ``hints`` are the keys of
    its hints when they are not those (None), and ``params`` fill them all.
    """

    source: str
    code: str
    severity: Severity = "error"
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    words: str = ""
    params: Params = ()
    hints: tuple[str, ...] | None = None

    @classmethod
    def of(
        cls,
        code: str,
        /,
        *,
        source: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        words: str = "",
        hints: tuple[str, ...] | None = None,
        **params: object,
    ) -> Problem:
        """Make the problem ``code`` (declared in qcheck.problem_codes) with its words' parameters.

        ``words`` picks a variant of the code's words (``problem.<code>.<words>``); the severity
        is the code's.
        """
        return cls(
            source=source,
            code=code,
            severity=severity(code),
            sheet=sheet,
            row=row,
            column=column,
            words=f"{code}.{words}" if words else "",
            params=tuple(params.items()),
            hints=hints,
        )

    def fails(self, *, strict: bool = False) -> bool:
        """Whether it makes the input unusable: an error, or any problem under --strict."""
        return strict or self.severity == "error"

    @property
    def message(self) -> str:
        """What is wrong, in the fallback language (English)."""
        return self.text()

    @property
    def hint(self) -> str | None:
        """How to fix it, in the fallback language (English), if there is a hint."""
        return self.hint_text()

    @property
    def message_zh(self) -> str:
        """What is wrong, in Chinese: the published field ``message_zh`` (see to_dict)."""
        return self.text(PUBLISHED[1][1])

    @property
    def hint_zh(self) -> str | None:
        """How to fix it, in Chinese: the published field ``hint_zh`` (see to_dict)."""
        return self.hint_text(PUBLISHED[1][1])

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as JSON-ready fields, leaving out those that are not known.

        A published format: ``message`` and ``hint`` in English, then ``message_zh`` and
        ``hint_zh`` (see words.PUBLISHED), in this order.
        """
        (first, lang), *others = PUBLISHED
        fields: dict[str, Any] = {
            "source": self.source,
            "code": self.code,
            f"message{first}": self.text(lang),
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            f"hint{first}": self.hint_text(lang),
        }
        for suffix, other in others:
            fields[f"message{suffix}"] = self.text(other)
            fields[f"hint{suffix}"] = self.hint_text(other)
        return {key: value for key, value in fields.items() if value is not None}

    def text(self, lang: Lang = FALLBACK) -> str:
        """Return what is wrong, in ``lang``."""
        return fill(lang, f"problem.{self.words or self.code}", self._shown_params())

    def hint_keys(self) -> tuple[str, ...]:
        """Return the keys of the problem's hints: those given, else its words' own if any."""
        if self.hints is not None:
            return self.hints
        own = self.words or self.code
        return (own,) if has_word(f"hint.{own}") else ()

    def hint_text(self, lang: Lang = FALLBACK) -> str | None:
        """Return how to fix it, in ``lang``; None if there is no hint."""
        keys = self.hint_keys()
        if not keys:
            return None
        return join(
            lang,
            (fill(lang, f"hint.{key}", self._shown_params()) for key in keys),
            sep="sep.clause",
        )

    def location(self, lang: Lang = FALLBACK) -> str:
        """Return file, sheet, row and column, with the parts that are known."""
        return location(self.source, self.sheet, self.row, self.column, lang)

    def detail(self, lang: Lang = FALLBACK) -> str:
        """Return what is wrong and, in brackets, how to fix it."""
        hint = self.hint_text(lang)
        if not hint:
            return self.text(lang)
        return label(lang, "bracket", text=self.text(lang), inner=hint)

    def describe(self, lang: Lang = FALLBACK) -> str:
        """Return the one-line text shown to people: where, code, what, and how to fix."""
        return label(
            lang,
            "problem_line",
            where=self.location(lang),
            code=self.code,
            detail=self.detail(lang),
        )

    def _shown_params(self) -> Params:
        """Return the parameters as the words quote them: a cell too long to read cut short."""
        return tuple((name, shown(value)) for name, value in self.params)

    def with_hint(self, key: str, **params: object) -> Problem:
        """Return the problem with one more way to fix it (``hint.<key>``), after its hints."""
        hints = (*self.hint_keys(), key)
        return replace(self, params=(*self.params, *params.items()), hints=hints)


def location(
    source: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    lang: Lang = FALLBACK,
) -> str:
    """Return where a row or cell is: file, sheet, row and column, with the parts that are known."""
    parts = [source]
    if sheet is not None:
        parts.append(sheet_name(sheet, lang))
    if row is not None:
        key = "where.row_index" if isinstance(source, TableName) else "where.row"
        parts.append(label(lang, key, row=row))
    if column:
        parts.append(label(lang, "where.column", column=column))
    return join(lang, parts, sep="sep.comma")


class Where(Said):
    """A place in an input, said in the language of the message naming it."""

    __slots__ = ("column", "row", "sheet", "source")

    def __init__(
        self,
        source: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.source, self.sheet, self.row, self.column = source, sheet, row, column

    def said(self, lang: Lang) -> str:
        """Return where it is in ``lang``."""
        return location(self.source, self.sheet, self.row, self.column, lang)

    def parts(self) -> tuple[object, ...]:
        """Return file, sheet, row and column."""
        return (self.source, self.sheet, self.row, self.column)


def sheet_name(sheet: str, lang: Lang = FALLBACK) -> str:
    """Return how a worksheet is named to people: sheet 'S', or 工作表“S”."""
    return label(lang, "where.sheet", sheet=sheet)


def source_name(source: str, sheets: Mapping[str, str], lang: Lang = FALLBACK) -> str:
    """Return an input's name with the sheet read from it, if a workbook: a.xlsx (sheet 'S')."""
    sheet = sheets.get(source)
    if sheet is None:
        return source
    return label(lang, "bracket", text=source, inner=sheet_name(sheet, lang))


def shown_problems(
    problems: Sequence[Problem], limit: int, *, omitted: int = 0
) -> tuple[list[Problem], int]:
    """Return the problems to list, errors first, and how many more there are.

    ``omitted`` counts problems found but never kept (see ProblemLog); they are among the more.
    """
    ordered = sorted(problems, key=lambda problem: problem.severity != "error")
    return ordered[:limit], max(0, len(ordered) - limit) + omitted


class ProblemSink(Protocol):
    """Where problems go as they are found: a list, or a log that keeps only so many."""

    def append(self, problem: Problem, /) -> None:
        """Record one problem."""


class QcheckError(Exception):
    """Base of every error qcheck reports to a user instead of crashing."""


class InputError(QcheckError):
    """Measurements could not be used; carries every problem found."""

    def __init__(
        self, problems: list[Problem], *, omitted_errors: int = 0, omitted: int = 0
    ) -> None:
        self.problems = problems
        self.omitted_errors = omitted_errors  # errors found beyond those listed
        self.omitted = omitted  # problems of any kind found beyond those listed
        super().__init__("\n".join(problem.describe() for problem in problems))


class TargetsError(InputError):
    """The targets file is unreadable or invalid."""


class OutputError(QcheckError):
    """A result could not be written where the user asked: the words ``output.<key>``."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params: Params = tuple(params.items())
        super().__init__(self.text())

    def text(self, lang: Lang = FALLBACK) -> str:
        """Return what went wrong, in ``lang``."""
        return fill(lang, f"output.{self.key}", self.params)
