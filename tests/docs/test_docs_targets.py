"""docs/targets.md stays true: every kind of rule is there, and every example in it loads."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from qcheck.rules import KINDS
from tests.helpers import REPO_ROOT
from tests.rules.helpers import catalogue_of
from tests.rules.test_registry import kind_names

DOC = (REPO_ROOT / "docs" / "targets.md").read_text(encoding="utf-8")
HEADINGS = re.findall(r"^### (.+)$", DOC, re.M)
EXAMPLES = [
    yaml.safe_load(block)
    for block in re.findall(r"^```yaml\n(.*?)^```$", DOC, re.S | re.M)
    if block.startswith(("unit:", "rule:"))
]


def test_every_kind_has_a_section() -> None:
    documented = {name for heading in HEADINGS for name in re.findall(r"`([a-z_]+)`", heading)}
    for kind in KINDS:
        assert set(kind_names(kind)) - {"qualitative"} <= documented, kind.__name__


def test_every_kind_has_an_example() -> None:
    shown = {example["rule"]["kind"] for example in EXAMPLES}
    for kind in KINDS:
        assert shown & set(kind_names(kind)), kind.__name__


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: str(e["rule"]["kind"]))
def test_every_example_is_a_rule_qcheck_accepts(example: dict[str, Any]) -> None:
    catalogue_of(example["rule"], unit=example.get("unit"))


def test_the_file_section_names_a_real_sample() -> None:
    for path in re.findall(r"\]\(\.\./(samples/[^)]+)\)", DOC):
        assert (REPO_ROOT / path).is_file(), path
