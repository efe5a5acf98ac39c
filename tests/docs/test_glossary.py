"""docs/glossary.md stays true: every class, function or field it names exists in the code."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.helpers import REPO_ROOT

GLOSSARY = (REPO_ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
# The second cell of every table row: `qcheck.module.Name` or `qcheck.module.Name.attribute`.
NAMED = re.findall(r"^\|[^|\n]+\| `(qcheck\.[\w.]+)` \|", GLOSSARY, re.M)


def resolve(dotted: str) -> object:
    """Return what a dotted name names: the longest importable module, then its attributes.

    A field of a Pydantic model or a dataclass counts as an attribute of its class.
    """
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            fields = getattr(found, "model_fields", None) or getattr(
                found, "__dataclass_fields__", {}
            )
            found = fields[name] if name in fields else getattr(found, name)
        return found
    raise ModuleNotFoundError(dotted)


def test_the_glossary_names_things() -> None:
    assert len(NAMED) >= 30


@pytest.mark.parametrize("dotted", NAMED)
def test_every_name_in_the_glossary_exists(dotted: str) -> None:
    assert resolve(dotted) is not None


def test_every_term_is_named_once() -> None:
    terms = re.findall(r"^\| ([^|`]+?) \| `", GLOSSARY, re.M)
    assert len(terms) == len(set(terms)) == len(NAMED)
