"""JSON Schemas for editors: the targets file from its models, the YAML report from its shape."""

from __future__ import annotations

from typing import Any

from qcheck.catalogue import Catalogue
from qcheck.loaders.shape import FIELDS, INFO_KEYS, LIST_KEYS, Field
from qcheck.places import city_words, place_spellings
from qcheck.waivers import WaiversFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ROW = "Row"  # the name of a row's schema among the $defs


def targets_schema() -> dict[str, Any]:
    """Return the JSON Schema of a targets file."""
    schema = Catalogue.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "title": "qcheck targets", **schema}


def waivers_schema() -> dict[str, Any]:
    """Return the JSON Schema of a waivers file."""
    schema = WaiversFile.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "qcheck waivers"}


def measurements_schema(catalogue: Catalogue) -> dict[str, Any]:
    """Return the JSON Schema of a YAML report, listing the catalogue's names for completion.

    It is made from the declaration the YAML loader reads by (qcheck.loaders.shape), so a
    report passes it when the loader finds its keys and nesting right: the keys as declared
    (the loader also reads other spellings of them: capitals, full-width letters, traditional
    characters, a unit in brackets), each field once, every required one, single values.
    """
    row = _row_schema(catalogue)
    rows = {"type": "array", "items": {"$ref": f"#/$defs/{ROW}"}, "minItems": 1}
    defaults = {
        name: _same_as(field, f"Default for the rows that give no {field}")
        for field, spec in FIELDS.items()
        if spec.file_wide
        for name in spec.names
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "qcheck report",
        "description": "A list of rows, or a mapping of defaults for every row and the list",
        "type": ["object", "array"],
        "items": rows["items"],
        "minItems": 1,
        "properties": {
            **{key: {"description": "About the report; not read as data"} for key in INFO_KEYS},
            **defaults,
            **{key: {**rows, "description": "The rows"} for key in LIST_KEYS},
        },
        "additionalProperties": False,
        "anyOf": [{"type": "array"}, *({"required": [key]} for key in LIST_KEYS)],
        "dependentSchemas": {
            **_one_of_each(LIST_KEYS),
            **{
                name: schema
                for spec in FIELDS.values()
                if spec.file_wide
                for name, schema in _one_of_each(spec.names).items()
            },
        },
        "$defs": {ROW: row},
    }


def _row_schema(catalogue: Catalogue) -> dict[str, Any]:
    """Return the schema of one row: every field under each of its names, each field once."""
    properties: dict[str, Any] = {}
    for field, spec in FIELDS.items():
        properties[field] = _field_schema(field, spec, catalogue)
        for name in spec.names[1:]:
            properties[name] = _same_as(field, f"The {field}")
    return {
        "title": ROW,
        "description": "One reported figure",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "allOf": [
            {"anyOf": [{"required": [name]} for name in spec.names]}
            for spec in FIELDS.values()
            if spec.required
        ],
        "dependentSchemas": {
            name: schema
            for spec in FIELDS.values()
            for name, schema in _one_of_each(spec.names).items()
        },
    }


def _field_schema(field: str, spec: Field, catalogue: Catalogue) -> dict[str, Any]:
    """Return the schema of a field's value, with the catalogue's names where it has them."""
    if field == "indicator":
        return {"description": spec.description, "enum": sorted(set(_indicator_names(catalogue)))}
    if field == "region":
        city = ", ".join(city_words(catalogue))
        return {
            "description": f"County or district; empty, {city} for city-wide",
            # Empty is city-wide, as validate reads it.
            "anyOf": [{"enum": place_spellings(catalogue)}, {"const": ""}, {"type": "null"}],
        }
    types = list(spec.types)
    return {"description": spec.description, "type": types[0] if len(types) == 1 else types}


def _same_as(field: str, description: str) -> dict[str, Any]:
    """Return the schema of ``field``'s value in a row, by reference, with its own description."""
    return {"$ref": f"#/$defs/{ROW}/properties/{field}", "description": description}


def _one_of_each(names: tuple[str, ...]) -> dict[str, Any]:
    """Return dependent schemas by which a mapping holds at most one of ``names``."""
    return {
        name: {"properties": {other: False for other in names if other != name}} for name in names
    }


def _indicator_names(catalogue: Catalogue) -> list[str]:
    return [name for target in catalogue.targets for name in target.spellings()]
