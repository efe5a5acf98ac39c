"""JSON Schemas for editors: the targets file and the YAML report, from the Pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from qcheck.catalogue import Catalogue
from qcheck.places import city_words, place_spellings

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class MeasurementEntry(BaseModel):
    """One reported figure, as written in a YAML report."""

    model_config = ConfigDict(extra="forbid", title="Measurement")

    indicator: str = Field(
        description="Target id, its Chinese name as in the plan, or its English name"
    )
    value: float | str | bool = Field(
        description="A number (95.2, '95.2%'), or 达到/未达到 (met/not met) for a met-or-not target"
    )
    year: int | str | None = Field(
        default=None, description="Year of the figure; default: the evaluated year"
    )
    region: str | None = Field(
        default=None, description="County or district; empty or a city-wide name for city-wide"
    )
    unit: str | None = Field(default=None, description="Unit, checked against the indicator's unit")
    note: str | None = Field(default=None, description="Free text, kept but not evaluated")


class ReportFile(BaseModel):
    """A YAML report: optional defaults for every row, then the list of measurements."""

    model_config = ConfigDict(extra="forbid", title="qcheck report")

    title: str | None = None
    department: str | None = None
    year: int | None = Field(default=None, description="Year for rows that give none")
    region: str | None = Field(default=None, description="Region for rows that give none")
    measurements: list[MeasurementEntry]


def targets_schema() -> dict[str, Any]:
    """Return the JSON Schema of a targets file."""
    schema = Catalogue.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "title": "qcheck targets", **schema}


def measurements_schema(catalogue: Catalogue) -> dict[str, Any]:
    """Return the JSON Schema of a YAML report, listing the catalogue's names for completion."""
    schema = ReportFile.model_json_schema()
    entry = schema["$defs"][MeasurementEntry.__name__]["properties"]
    entry["indicator"]["enum"] = sorted(set(_indicator_names(catalogue)))
    for properties in (entry, schema["properties"]):
        properties["region"]["anyOf"] = [{"enum": place_spellings(catalogue)}, {"type": "null"}]
    city = ", ".join(city_words(catalogue))
    entry["region"]["description"] = f"County or district; empty, {city} for city-wide"
    return {"$schema": SCHEMA_DIALECT, **schema}


def _indicator_names(catalogue: Catalogue) -> list[str]:
    return [
        name
        for target in catalogue.targets
        for name in (target.id, target.name_zh, target.name_en, *target.aliases)
    ]
