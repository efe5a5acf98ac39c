"""README is the front door: short, a Quick start of two commands, the usage and exit codes."""

from __future__ import annotations

import re
import shlex

import pytest

from qcheck.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK
from tests.helpers import REPO_ROOT, run_cli

README_PATH = REPO_ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_readme_is_under_12_kb() -> None:
    assert README_PATH.stat().st_size < 12 * 1024


def test_quick_start_has_exactly_two_commands_that_name_real_files() -> None:
    blocks = re.findall(r"```\w*\n(.*?)```", _section("Quick start"), re.S)
    assert len(blocks) == 1
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 2
    run_sample, run_tests = commands
    assert "qcheck evaluate" in run_sample
    sample = shlex.split(run_sample)[-1]
    assert (REPO_ROOT / sample).is_file()
    assert "pytest" in run_tests
    assert run_tests in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_exit_code_table_matches_the_program() -> None:
    codes = re.findall(r"^\| (\d) \| ", _section("Usage"), re.M)
    assert [int(code) for code in codes] == [EXIT_OK, EXIT_NOT_MET, EXIT_BAD_INPUT, EXIT_INTERNAL]


def test_every_reference_page_is_linked_from_the_readme() -> None:
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)\)", _section("Reference")))
    assert linked == {path.name for path in (REPO_ROOT / "docs").glob("*.md")}


def test_the_terminal_examples_on_samples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    block = re.search(r"```sh\n(.*?)```", _section("Examples"), re.S)
    assert block
    commands = [shlex.split(line, comments=True) for line in block.group(1).splitlines()]
    on_samples = [args[1:] for args in commands if "samples/" in " ".join(args)]
    assert on_samples
    for args in on_samples:
        result = run_cli(args)
        assert result.exit_code in (EXIT_OK, EXIT_NOT_MET), (args, result.output)
