"""The tests a regional rule can apply to each county's figure: every kind of one figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from qcheck.rules.achieved import Achieved
from qcheck.rules.between import Between
from qcheck.rules.figure import FigureRule
from qcheck.rules.milestone import Milestone
from qcheck.rules.threshold import Threshold

# One line per kind that tests a single figure; rules/__init__.py lists every kind.
POINT_KINDS: tuple[type[FigureRule], ...] = (Threshold, Achieved, Between, Milestone)

if TYPE_CHECKING:
    PointTest = FigureRule
else:
    from typing import Union

    PointTest = Annotated[Union[POINT_KINDS], Field(discriminator="kind")]  # noqa: UP007
