"""The interface every output format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from qcheck.evaluation import Report


class Renderer(ABC):
    """Turns reports into the text of one output format; never prints."""

    @abstractmethod
    def render(self, reports: Sequence[Report]) -> str:
        """Return the reports as text."""
