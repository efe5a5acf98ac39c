"""The pre-commit hooks qcheck ships, declared once.

The repository's ``.pre-commit-hooks.yaml`` is written from them
(``python -m qcheck.hooks > .pre-commit-hooks.yaml``; a test checks it), and ``qcheck init``
writes the same hooks into a reports repository's ``.pre-commit-config.yaml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from qcheck.loaders.files import LOOKED_FOR
from qcheck.repository import DEFAULT_REPORTS


@dataclass(frozen=True)
class Hook:
    """A pre-commit hook: what it runs and how pre-commit hands it the files."""

    id: str
    name: str
    description: str
    entry: str
    verbose: bool = False  # show its output when it passes: the evaluate hook's verdicts


HOOKS = (
    Hook(
        "qcheck-validate",
        "qcheck validate",
        "Every report of each changed year is readable and every row valid; "
        "exit 2 names each bad cell.",
        "qcheck validate --layout",
    ),
    Hook(
        "qcheck-evaluate",
        "qcheck evaluate",
        "Shows each changed year's verdicts. A truthful report of a target not met does not "
        "block the commit; args [--fail-on=fail] make it block.",
        "qcheck evaluate --layout --format github --fail-on never",
        verbose=True,
    ),
)

_HEADER = """\
# pre-commit hooks for a repository of submitted reports kept as reports/<year>/ (docs/ci.md).
# Written by `python -m qcheck.hooks` from qcheck/hooks.py: edit that, not this file.
# A hook is handed the report files a commit changes, and judges the whole folder of each year
# they fall in as one dataset, for that year: a county's file is judged with the city's and
# the other counties'. require_serial: pre-commit must not split the files over several runs.
# The pattern is case-insensitive (.CSV is a report too); where qcheck.toml names another
# reports folder, set `files:` to match it in .pre-commit-config.yaml.
"""


def files_pattern(reports: str = DEFAULT_REPORTS) -> str:
    """Return the pattern of the report files in ``reports`` (pre-commit's ``files:``)."""
    # Every suffix --layout looks for in a year's folder (a .txt is a tab- or comma-separated
    # report; a .xls is refused): the commit is checked as CI will check it.
    suffixes = "|".join(re.escape(suffix[1:]) for suffix in LOOKED_FOR)
    folder = re.escape(reports.strip("/").replace("\\", "/"))
    # Only the suffix is case-blind (.CSV is a report): Reports/ is not the reports folder.
    return f"^{folder}/.+\\.(?i:{suffixes})$"


def hook_fields(hook: Hook, *, reports: str = DEFAULT_REPORTS) -> dict[str, object]:
    """Return the keys of a hook as pre-commit reads them."""
    fields: dict[str, object] = {
        "id": hook.id,
        "name": hook.name,
        "description": hook.description,
        "entry": hook.entry,
        "language": "python",
        "files": files_pattern(reports),
        "require_serial": True,
    }
    if hook.verbose:
        fields["verbose"] = True
    return fields


def yaml_lines(fields: dict[str, object], indent: str) -> list[str]:
    """Return a hook's keys as YAML lines, each value quoted as JSON (which YAML reads)."""
    first, *rest = (
        f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()
    )
    return [f"{indent}- {first}", *(f"{indent}  {line}" for line in rest)]


def hooks_file() -> str:
    """Return the text of the repository's .pre-commit-hooks.yaml."""
    lines = [line for hook in HOOKS for line in yaml_lines(hook_fields(hook), "")]
    return _HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(hooks_file(), end="")
