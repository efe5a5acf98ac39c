"""--summary-file (default $GITHUB_STEP_SUMMARY): the Markdown report appended for GitHub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcheck.renderers.github import STEP_SUMMARY_BYTES, step_summary
from qcheck.words import Lang, label
from tests.helpers import SAMPLES, run_cli

EARLIER = "## Tests\n\nall passed\n"
BAD = "indicator,year,value\nnothing_here,2020,1\n"


@pytest.fixture(autouse=True)
def _reports(in_tmp: Path) -> None:
    for name in ("report-2020-with-failures.csv", "report-2020-all-met.csv"):
        (in_tmp / name).write_bytes((SAMPLES / name).read_bytes())
    (in_tmp / "bad.csv").write_text(BAD, encoding="utf-8")


def markdown(*args: str) -> str:
    """Return what --format markdown writes for a run of ``args``."""
    return run_cli([*args, "--format", "markdown"]).stdout


def test_the_markdown_is_appended_after_what_the_file_held() -> None:
    Path("summary.md").write_text(EARLIER, encoding="utf-8")
    args = ["evaluate", "report-2020-with-failures.csv"]
    result = run_cli([*args, "--summary-file", "summary.md", "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout.startswith("{")  # standard output keeps its format
    written = Path("summary.md").read_text(encoding="utf-8")
    assert written == EARLIER + "\n" + markdown(*args)


def test_the_default_is_github_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = markdown("evaluate", "report-2020-all-met.csv")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "step.md")
    result = run_cli(["evaluate", "report-2020-all-met.csv"])
    assert result.exit_code == 0
    assert Path("step.md").read_text(encoding="utf-8") == expected


def test_an_empty_github_step_summary_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "")
    result = run_cli(["evaluate", "report-2020-all-met.csv"])
    assert result.exit_code == 0
    assert sorted(path.name for path in Path().iterdir()) == [
        "bad.csv",
        "report-2020-all-met.csv",
        "report-2020-with-failures.csv",
    ]


def test_a_second_run_appends_its_own() -> None:
    first = ["evaluate", "report-2020-with-failures.csv"]
    second = ["validate", "report-2020-all-met.csv"]
    assert run_cli([*first, "--summary-file", "s.md"]).exit_code == 1
    inode = Path("s.md").stat().st_ino
    assert run_cli([*second, "--summary-file", "s.md"]).exit_code == 0
    assert Path("s.md").stat().st_ino == inode  # appended to, never replaced
    written = Path("s.md").read_text(encoding="utf-8")
    assert written == markdown(*first) + "\n" + markdown(*second)


@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_unusable_input_still_writes_the_summary(command: str) -> None:
    result = run_cli([command, "bad.csv", "--summary-file", "s.md", "--lang", "en"])
    assert result.exit_code == 2
    written = Path("s.md").read_text(encoding="utf-8")
    assert written == markdown(command, "bad.csv", "--lang", "en")
    assert "unknown-indicator" in written


def test_each_run_with_a_failed_input_writes_the_summary_once() -> None:
    args = ["evaluate", "report-2020-all-met.csv", "bad.csv", "--each"]
    result = run_cli([*args, "--summary-file", "s.md"])
    assert result.exit_code == 2
    assert Path("s.md").read_text(encoding="utf-8") == markdown(*args)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_standard_output_is_refused_and_the_other_outputs_written(lang: Lang) -> None:
    args = ["evaluate", "report-2020-all-met.csv", "-o", "r.json", "--lang", lang]
    result = run_cli([*args, "--summary-file", "-"])
    assert result.exit_code == 2
    assert label(lang, "output.summary-stdout") in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == run_cli(args).stdout
    assert Path("r.json").read_text(encoding="utf-8").startswith("{")


def test_a_summary_file_that_cannot_be_written_is_an_error_after_the_others() -> None:
    args = ["evaluate", "report-2020-all-met.csv", "-o", "r.json"]
    result = run_cli([*args, "--summary-file", "no/such/folder/s.md", "--lang", "en"])
    assert result.exit_code == 2
    assert "cannot write no/such/folder/s.md" in result.stderr
    assert Path("r.json").read_text(encoding="utf-8").startswith("{")


def test_a_summary_file_refused_by_the_system_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which any file lets write: the refusal is the system's, simulated.
    opened = Path.open

    def refuse(path: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if path.name == "s.md" and "a" in mode:
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    result = run_cli(["validate", "report-2020-all-met.csv", "--summary-file", "s.md"])
    assert result.exit_code == 2
    assert "s.md" in result.stderr
    assert "Traceback" not in result.output


def test_an_input_is_never_the_summary_file() -> None:
    before = Path("report-2020-all-met.csv").read_bytes()
    args = ["evaluate", "report-2020-all-met.csv", "--lang", "en"]
    result = run_cli([*args, "--summary-file", "./report-2020-all-met.csv"])
    assert result.exit_code == 2
    assert "it is the input" in result.stderr
    assert Path("report-2020-all-met.csv").read_bytes() == before


def test_a_summary_past_githubs_limit_is_cut_and_says_where_the_full_one_is() -> None:
    held = STEP_SUMMARY_BYTES - 2000  # earlier commands of the step left this little room
    Path("s.md").write_text("x" * (held - 1) + "\n", encoding="utf-8")
    args = ["evaluate", "report-2020-with-failures.csv", "-o", "full.md", "--lang", "en"]
    result = run_cli([*args, "--summary-file", "s.md"])
    assert result.exit_code == 1
    data = Path("s.md").read_bytes()
    assert len(data) <= STEP_SUMMARY_BYTES
    added = data[held:].decode("utf-8")
    full = Path("full.md").read_text(encoding="utf-8")
    note = label("en", "github.summary_cut", where="full.md")
    assert added.endswith("\n" + note + "\n")
    kept = added.removesuffix("\n" + note + "\n").removeprefix("\n")
    assert kept
    assert full.startswith(kept)
    assert kept.endswith("\n")  # whole lines


def test_without_a_markdown_output_the_cut_says_how_to_keep_one() -> None:
    held = STEP_SUMMARY_BYTES - 300
    Path("s.md").write_text("x" * held, encoding="utf-8")
    args = ["evaluate", "report-2020-all-met.csv", "--lang", "zh"]
    assert run_cli([*args, "--summary-file", "s.md"]).exit_code == 0
    where = label("zh", "github.summary_elsewhere")
    data = Path("s.md").read_bytes()
    assert len(data) <= STEP_SUMMARY_BYTES
    added = data[held:].decode("utf-8")
    assert added.endswith("\n" + label("zh", "github.summary_cut", where=where) + "\n")
    assert added.startswith("\n### ")  # as many whole lines of the report as fit


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_full_summary_gets_nothing_more_and_the_user_is_told(lang: Lang) -> None:
    # Anything more would make GitHub refuse the summary the earlier commands wrote.
    Path("s.md").write_text("x" * STEP_SUMMARY_BYTES, encoding="utf-8")
    args = ["evaluate", "report-2020-all-met.csv", "--lang", lang, "--summary-file", "s.md"]
    result = run_cli(args)
    assert result.exit_code == 0
    assert Path("s.md").stat().st_size == STEP_SUMMARY_BYTES
    assert label(lang, "summary_no_room", path="s.md") in " ".join(result.stderr.split())


@given(
    lines=st.lists(st.text(alphabet="ab|-#中文 ✅", max_size=40), max_size=30),
    room=st.integers(min_value=0, max_value=600),
)
def test_a_cut_summary_fits_its_room_in_whole_lines(lines: list[str], room: int) -> None:
    text = "".join(line + "\n" for line in lines)
    cut = step_summary(text, room=room, where="r.md", lang="zh")
    if len(text.encode("utf-8")) <= room:
        assert cut == text
        return
    note = "\n" + label("zh", "github.summary_cut", where="r.md") + "\n"
    if len(note.encode("utf-8")) > room:
        assert cut is None
        return
    assert cut is not None
    assert cut.endswith(note)
    kept = cut.removesuffix(note)
    assert text.startswith(kept)
    assert kept == "" or kept.endswith("\n")
    assert len(cut.encode("utf-8")) <= room


@pytest.mark.parametrize("how", ["same", "link"])
def test_a_summary_file_that_is_also_an_output_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # The Markdown appended to a SARIF output once left it no longer JSON, exit 1 as usual.
    monkeypatch.chdir(tmp_path)
    Path("x.sarif").write_text("earlier", encoding="utf-8")
    summary = "x.sarif"
    if how == "link":
        Path("l.md").symlink_to("x.sarif")
        summary = "l.md"
    report = str(SAMPLES / "report-2020-all-met.csv")
    args = ["-o", "x.sarif", "--summary-file", summary, "--lang", "en"]
    result = run_cli(["evaluate", report, *args])
    assert result.exit_code == 2, result.output
    assert "refusing to append the step summary" in result.stderr
    assert Path("x.sarif").read_text(encoding="utf-8") == "earlier"


def test_markdown_redirected_to_the_step_summary_is_written_once(tmp_path: Path) -> None:
    # The GitHub idiom `qcheck ... --format markdown >> "$GITHUB_STEP_SUMMARY"` was refused.
    summary = tmp_path / "summary.md"
    summary.write_text("## before\n", encoding="utf-8")
    qcheck = Path(sys.executable).parent / "qcheck"
    report = str(SAMPLES / "report-2020-all-met.csv")
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "QCHECK_LANG": "en"}
    with summary.open("a", encoding="utf-8") as stdout:
        done = subprocess.run(
            [str(qcheck), "evaluate", report, "--format", "markdown"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert "standard output goes to the step summary" in done.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## before\n")
    assert text.count("Zhangye City: quality targets, 2020") == 1
