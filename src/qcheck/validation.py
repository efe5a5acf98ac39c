"""The outcome of checking input files without evaluating them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qcheck.problems import Problem


@dataclass(frozen=True, slots=True, kw_only=True)
class Validation:
    """What reading and validating some files found: counts and every problem."""

    sources: tuple[str, ...]
    rows: int
    measurements: int
    problems: tuple[Problem, ...] = ()
    # Problems found beyond those kept: counted, not listed.
    omitted_errors: int = 0
    omitted_warnings: int = 0
    # The sheet read from each workbook among the sources.
    sheets: Mapping[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make the input unusable."""
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems that are reported but do not stop evaluation."""
        return tuple(problem for problem in self.problems if problem.severity == "warning")

    @property
    def error_count(self) -> int:
        """How many errors were found, listed or not."""
        return len(self.errors) + self.omitted_errors

    @property
    def warning_count(self) -> int:
        """How many warnings were found, listed or not."""
        return len(self.warnings) + self.omitted_warnings

    def unlisted_errors(self, listed: Sequence[Problem], *, strict: bool = False) -> int:
        """Return how many errors (every problem, if ``strict``) are not among ``listed``.

        What an output that lists only some problems must still count, and count as errors.
        """
        failing = self.error_count + (self.warning_count if strict else 0)
        return failing - sum(problem.fails(strict=strict) for problem in listed)

    @property
    def omitted(self) -> int:
        """How many problems were found but not kept."""
        return self.omitted_errors + self.omitted_warnings

    def is_valid(self, *, strict: bool) -> bool:
        """Whether the input can be evaluated: no errors (and, if strict, no warnings)."""
        return not self.error_count and not (strict and self.warning_count)
