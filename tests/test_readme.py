"""The README stays in step with the program: Quick start, targets table, exit codes."""

from __future__ import annotations

import re
import shlex

from qcheck.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK
from qcheck.i18n import Texts
from qcheck.loaders.targets import load_targets
from tests.helpers import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_quick_start_has_exactly_two_commands_that_name_real_files() -> None:
    block = re.search(r"```sh\n(.*?)```", _section("Quick start"), re.S)
    assert block
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    run_sample, run_tests = commands
    assert "qcheck evaluate" in run_sample
    sample = shlex.split(run_sample)[-1]
    assert (REPO_ROOT / sample).is_file()
    assert "pytest" in run_tests
    assert run_tests in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_targets_table_matches_the_catalogue() -> None:
    catalogue = load_targets()
    texts = Texts("en", catalogue)
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| (.+?) \| (\w+) \| (.+?) \| (.+?) \|$", README, re.M)
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
    codes = re.findall(r"^\| (\d) \| ", _section("Usage"), re.M)
    assert [int(code) for code in codes] == [EXIT_OK, EXIT_NOT_MET, EXIT_BAD_INPUT, EXIT_INTERNAL]


COMMANDS = ("", "evaluate", "validate", "targets", "template", "schema")


def _help(command: str) -> str:
    from click.testing import CliRunner

    from qcheck.cli import main

    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(main, args, terminal_width=80, prog_name="qcheck")
    assert result.exit_code == 0, result.output
    return result.output


def help_blocks() -> dict[str, str]:
    """Return the help text README shows for each command, by the marker before it."""
    pattern = r"<!-- help: ?([a-z]*) -->\n```text\n(.*?)```"
    return dict(re.findall(pattern, README, re.S))


def test_command_reference_matches_help() -> None:
    blocks = help_blocks()
    assert sorted(blocks) == sorted(COMMANDS)
    for command in COMMANDS:
        assert blocks[command] == _help(command), f"README help of '{command}' is out of date"


def test_every_reason_code_is_listed_in_the_json_contract() -> None:
    from qcheck.words import table

    reasons = {
        key.removeprefix("reason.") for key in table("en").WORDS if key.startswith("reason.")
    }

    line = next(line for line in _section("JSON output").splitlines() if "`reasons` |" in line)
    assert set(re.findall(r"`([a-z-]+)`", line.split("parameters:")[1])) == reasons
