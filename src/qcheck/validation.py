"""The outcome of checking input files without evaluating them."""

from __future__ import annotations

from dataclasses import dataclass

from qcheck.problems import Problem


@dataclass(frozen=True, slots=True, kw_only=True)
class Validation:
    """What reading and validating some files found: counts and every problem."""

    sources: tuple[str, ...]
    rows: int
    measurements: int
    problems: tuple[Problem, ...] = ()
    omitted: int = 0  # problems found beyond those kept (they are counted, not listed)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make the input unusable."""
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems that are reported but do not stop evaluation."""
        return tuple(problem for problem in self.problems if problem.severity == "warning")

    def is_valid(self, *, strict: bool) -> bool:
        """Whether the input can be evaluated: no errors (and, if strict, no warnings)."""
        return not self.errors and not (strict and (self.warnings or self.omitted))
