"""The base of every targets-file model, and the years a report may carry."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
# The years a report may carry; a plan whose period or baseline lies outside them could never
# be judged.
MIN_YEAR, MAX_YEAR = 2000, 2100
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


class Frozen(BaseModel):
    """Immutable model that rejects unknown keys, so typos in a targets file are caught."""

    model_config = ConfigDict(frozen=True, extra="forbid")
