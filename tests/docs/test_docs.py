"""The reference in docs/ stays in step with the program: targets, help, JSON reasons, links."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcheck.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK, main
from qcheck.i18n import Texts
from qcheck.loaders.targets import load_catalogue
from qcheck.renderers.sarif import kind_level
from qcheck.verdicts import FAIL_ON, STATUS_FACTS, Status
from qcheck.words import label, reason_codes
from tests.helpers import REPO_ROOT

DOCS = REPO_ROOT / "docs"
PAGES = [REPO_ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
COMMANDS = ("", "evaluate", "validate", "targets", "template", "schema", "diff", "init")
HELP_BLOCK = re.compile(r"<!-- help: ?([a-z]*) -->\n```text\n(.*?)```", re.S)


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_targets_table_matches_the_catalogue() -> None:
    catalogue = load_catalogue()
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
    assert set(re.findall(r"`([a-z-]+)`", line.split("parameters:")[1])) == set(reason_codes())


def _anchor(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, no punctuation, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _prose(text: str) -> str:
    """Return ``text`` without its fenced code blocks, whose ``#`` lines are no headings."""
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def _anchors(text: str) -> set[str]:
    bases: list[str] = []
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", _prose(text), re.M):
        base = _anchor(heading)
        # GitHub numbers a repeated heading's anchor: kinds, kinds-1, ...
        anchors.add(f"{base}-{bases.count(base)}" if base in bases else base)
        bases.append(base)
    return anchors


def _links(page: Path) -> list[str]:
    links = re.findall(r"\]\(([^)\s]+)\)", _prose(page.read_text(encoding="utf-8")))
    return [link for link in links if not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    for link in _links(page):
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} leads nowhere"
        if anchor:
            assert target.suffix == ".md", f"{page.name}: {link}"
            headings = _anchors(target.read_text(encoding="utf-8"))
            assert anchor in headings, f"{page.name}: {link} names no heading"


def test_anchors_are_github_s() -> None:
    text = "# Commands\n## evaluate and validate\n### `at_least`, `at_most`\n## Kinds\n## Kinds\n"
    text += "```yaml\n# not a heading\n```\n## Files, folders and standard input\n"
    assert _anchors(text) == {
        "commands",
        "evaluate-and-validate",
        "at_least-at_most",
        "kinds",
        "kinds-1",
        "files-folders-and-standard-input",
    }


def test_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    for page in (REPO_ROOT / "README.md", DOCS / "python.md"):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"^```python\n(.*?)^```", text, re.S | re.M):
            exec(compile(block, str(page), "exec"), {})  # noqa: S102


def test_status_table_matches_the_status_facts() -> None:
    """docs/output.md's table of statuses says what each format does with each status."""
    lines = [line for line in _section(_read("output.md"), "Statuses").splitlines() if line]
    rows = [line for line in lines if line.startswith("| `")]
    expected = []
    for status, fact in STATUS_FACTS.items():
        least = fact.fails_on
        fail = "—" if least is None else ", ".join(FAIL_ON[FAIL_ON.index(least) :])
        junit = "failure" if fact.severity == "error" else "passed" if fact.settled else "skipped"
        github = {"none": "—", "note": "`::notice`", "warning": "`::warning`", "error": "`::error`"}
        kind, level = kind_level(status)
        sarif = f"{kind}, {level}"
        if status is Status.WAIVED:  # the result a waiver excuses, marked suppressed
            sarif = "as unwaived, with `suppressions`"
        cells = [
            f"`{status.value}`",
            label("zh", status.value),
            label("en", status.value),
            f"{fact.symbol} {fact.emoji}",
            fail,
            junit,
            sarif,
            github[fact.severity],
        ]
        expected.append("| " + " | ".join(cells) + " |")
    assert rows == expected
