"""The registry of rule kinds: each kind declared once, and nothing outside rules/ names one."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from qcheck.rules import KINDS, RuleKind
from qcheck.rules.point import POINT_KINDS
from qcheck.schema import targets_schema

SOURCE = Path(__file__).resolve().parents[2] / "src" / "qcheck"


def kind_names(kind: type[RuleKind]) -> tuple[str, ...]:
    """Return the spellings of ``kind`` in a targets file: its ``kind`` literal's values."""
    return typing.get_args(kind.model_fields["kind"].annotation)


def test_every_kind_name_belongs_to_one_kind() -> None:
    names = [name for kind in KINDS for name in kind_names(kind)]
    assert names
    assert len(names) == len(set(names))


def test_every_one_figure_kind_is_a_kind() -> None:
    assert set(POINT_KINDS) <= set(KINDS)


def test_the_targets_schema_knows_every_kind() -> None:
    schema = targets_schema()
    for kind in KINDS:
        assert kind.__name__ in schema["$defs"], kind.__name__


def test_nothing_outside_rules_names_a_rule_kind() -> None:
    """Code outside rules/ asks the rule; it never imports a kind's class or tests its type."""
    classes = "|".join(kind.__name__ for kind in KINDS)
    imports = re.compile(r"from qcheck\.rules\.\w+ import")
    type_tests = re.compile(rf"isinstance\([^)]*\b({classes}|FigureRule|RuleKind)\b")
    for path in SOURCE.rglob("*.py"):
        if "rules" in path.relative_to(SOURCE).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not imports.search(text), path
        assert not type_tests.search(text), path
        assert not re.search(rf"\b({classes})\b", text), path
