"""The reference in docs/ stays in step with the program: targets, exit codes, help, reasons."""

from __future__ import annotations

import os
import re

from click.testing import CliRunner

from qcheck.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK, main
from qcheck.i18n import REASONS, Texts
from qcheck.loaders.targets import load_targets
from tests.helpers import REPO_ROOT

DOCS = REPO_ROOT / "docs"
COMMANDS = ("", "evaluate", "validate", "targets", "template", "schema")
HELP_BLOCK = re.compile(r"<!-- help: ?([a-z]*) -->\n```text\n(.*?)```", re.S)


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_targets_table_matches_the_catalogue() -> None:
    catalogue = load_targets()
    texts = Texts("en", catalogue)
    table = _section(_read("targets.md"), "The built-in catalogue")
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| (.+?) \| (\w+) \| (.+?) \| (.+?) \|$", table, re.M)
    assert [row[0] for row in rows] == [target.id for target in catalogue.targets]
    for row, target in zip(rows, catalogue.targets, strict=True):
        target_id, name_zh, area, rule, clause = row
        mark = " ※" if target.interpretation else ""
        assert (name_zh, area, rule, clause) == (
            target.name_zh,
            target.area,
            texts.rule(target) + mark,
            target.source.clause,
        ), target_id


def test_exit_code_table_matches_the_program() -> None:
    codes = re.findall(r"^\| (\d) \| ", _section(_read("commands.md"), "Exit codes"), re.M)
    assert [int(code) for code in codes] == [EXIT_OK, EXIT_NOT_MET, EXIT_BAD_INPUT, EXIT_INTERNAL]


def _help(command: str) -> str:
    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(main, args, terminal_width=80, prog_name="qcheck")
    assert result.exit_code == 0, result.output
    return result.output


def test_command_reference_matches_help() -> None:
    """QCHECK_UPDATE_GOLDEN=1 rewrites the help in docs/commands.md, as it does golden files."""
    path = DOCS / "commands.md"
    text = path.read_text(encoding="utf-8")
    helps = {command: _help(command) for command in COMMANDS}
    if os.environ.get("QCHECK_UPDATE_GOLDEN") == "1":
        text = HELP_BLOCK.sub(lambda m: f"<!-- help: {m[1]} -->\n```text\n{helps[m[1]]}```", text)
        path.write_text(text, encoding="utf-8")
    blocks = dict(HELP_BLOCK.findall(text))
    assert sorted(blocks) == sorted(COMMANDS)
    for command in COMMANDS:
        assert blocks[command] == helps[command], (
            f"the help of '{command}' in docs/commands.md is out of date; "
            "rerun with QCHECK_UPDATE_GOLDEN=1 if intended"
        )


def test_every_reason_code_is_listed_in_the_json_contract() -> None:
    section = _section(_read("output.md"), "JSON output")
    line = next(line for line in section.splitlines() if "`reasons` |" in line)
    assert set(re.findall(r"`([a-z-]+)`", line.split("parameters:")[1])) == set(REASONS)
