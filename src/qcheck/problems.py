"""Typed input problems and the exceptions that carry them to the command line."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class Problem(BaseModel):
    """One thing wrong with an input file, located as precisely as the input allows."""

    model_config = ConfigDict(frozen=True)

    source: str
    code: str
    message: str
    severity: Severity = "error"
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """Return ``file:row:column`` with the parts that are known."""
        parts = [self.source]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def describe(self) -> str:
        """Return the one-line text shown to people: where, code, what, and how to fix."""
        text = f"{self.location()}: [{self.code}] {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class QcheckError(Exception):
    """Base of every error qcheck reports to a user instead of crashing."""


class InputError(QcheckError):
    """Measurements could not be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(problem.describe() for problem in problems))


class TargetsError(InputError):
    """The targets file is unreadable or invalid."""


class OutputError(QcheckError):
    """A result could not be written where the user asked."""
