"""A reports repository's settings for qcheck: the keys of qcheck.toml or [tool.qcheck]."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from qcheck.model import Frozen, Year
from qcheck.repository import DEFAULT_REPORTS
from qcheck.verdicts import FailOn
from qcheck.words import LANGS, Lang


def _listed(value: object) -> object:
    """Accept one file as a list of one: ``waivers = "w.yaml"``."""
    return [value] if isinstance(value, str) else value


class Config(Frozen):
    """What a reports repository sets once instead of on every command line.

    Every key is optional; a command-line option or environment variable given beats the key.
    Paths are relative to the folder of the file that sets them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    targets: str | None = Field(
        default=None,
        description="The targets file (--targets). Default: the catalogue built into qcheck.",
    )
    reports: str = Field(
        default=DEFAULT_REPORTS,
        description="The folder holding one folder of reports per year (reports/2020/...), "
        "read by --layout.",
    )
    year: Year | None = Field(
        default=None,
        description="The year to evaluate (--year). Default: the plan's target year. "
        "--layout takes each folder's year instead.",
    )
    waivers: Annotated[tuple[str, ...], BeforeValidator(_listed)] = Field(
        default=(), description="Waivers files (--waivers): one path or a list of paths."
    )
    fail_on: FailOn | None = Field(
        default=None,
        alias="fail-on",
        description="When `qcheck evaluate` exits 1 (--fail-on): fail, missing, warn or never.",
    )
    lang: Lang | None = Field(default=None, description="The language of the output (--lang).")

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: Lang | None) -> Lang | None:
        if value is not None and value not in LANGS:
            raise ValueError(f"not one of {', '.join(LANGS)}")
        return value

    @field_validator("targets", "reports")
    @classmethod
    def _named(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("an empty path")
        return value
