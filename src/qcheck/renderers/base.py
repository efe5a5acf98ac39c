"""The interface every output format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from qcheck.evaluation import Report
from qcheck.problems import Problem
from qcheck.validation import Validation


class Renderer(ABC):
    """Turns reports into the text of one output format; never prints."""

    @abstractmethod
    def render(self, reports: Sequence[Report]) -> str:
        """Return the reports as text."""

    @abstractmethod
    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return the result of `qcheck validate` as text, listing at most ``limit`` problems."""


def shown_problems(problems: Sequence[Problem], limit: int) -> tuple[list[Problem], int]:
    """Return the problems to list, errors first, and how many more there are."""
    ordered = sorted(problems, key=lambda problem: problem.severity != "error")
    return ordered[:limit], max(0, len(ordered) - limit)
