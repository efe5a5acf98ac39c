"""Runs that fail, and outputs that cannot be written: no stale verdict, no traceback, no exit 3."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from qcheck.cli import main
from qcheck.formats import FORMATS, SUFFIX_FORMATS
from tests.helpers import REPO_ROOT, as_file, shown_stdout, shown_text, written

ALL_MET = REPO_ROOT / "samples" / "report-2020-all-met.csv"

pytestmark = pytest.mark.usefixtures("in_tmp")


def run(*args: object, **env: str) -> Result:
    """Run qcheck in-process, named as users call it, with extra environment variables."""
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env, prog_name="qcheck")


def said(result: Result) -> str:
    """Return standard error, having checked that it holds no traceback nor an internal error."""
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert "内部错误" not in result.stderr
    return result.stderr


# ---- an output that cannot be written -------------------------------------------------------

# One byte more than a file name may have; 85 Chinese characters are 255 bytes of UTF-8.
TOO_LONG = ("a" * 256 + ".csv", "报" * 85 + ".json")


@pytest.mark.parametrize("name", TOO_LONG, ids=["latin", "chinese"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_output_name_too_long_is_bad_usage(name: str, lang: str) -> None:
    result = run("evaluate", ALL_MET, "-o", name, "--lang", lang)
    assert result.exit_code == 2, result.output
    words = "qcheck：无法写入 " if lang == "zh" else "qcheck: cannot write "
    assert words + name in said(result)


def test_a_template_name_too_long_is_bad_usage() -> None:
    result = run("template", "-o", TOO_LONG[0], "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f"qcheck: cannot write {TOO_LONG[0]}: " in said(result)


ERRORS = {
    "name too long": OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG)),
    "permission": PermissionError(errno.EACCES, os.strerror(errno.EACCES)),
    "input/output": OSError(errno.EIO, os.strerror(errno.EIO)),
}


@pytest.mark.parametrize("method", ["is_symlink", "stat", "resolve"])
@pytest.mark.parametrize("error", ERRORS)
def test_any_error_looking_at_an_output_is_bad_usage(
    monkeypatch: pytest.MonkeyPatch, method: str, error: str
) -> None:
    output = Path("r.csv")
    output.symlink_to("made.csv")  # so that the link is followed, and resolve() is called
    original = getattr(Path, method)

    def failing(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "r.csv":
            raise ERRORS[error]
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, failing)
    result = run("template", "-o", output, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f"qcheck: cannot write r.csv: {ERRORS[error].strerror}" in said(result)
    assert not Path("made.csv").exists()


def test_a_loop_of_links_is_still_named_as_one() -> None:
    Path("r.json").symlink_to("r.json")
    result = run("evaluate", ALL_MET, "-o", "r.json", "--lang", "en")
    assert result.exit_code == 2
    assert "r.json: it is a symbolic link that leads back to itself" in said(result)


def test_the_other_outputs_still_hold_results() -> None:
    result = run("evaluate", ALL_MET, "-o", "r.json", "-o", TOO_LONG[0], "--lang", "en")
    assert result.exit_code == 2
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["summary"]["pass"] == 26


# ---- standard input over an output ----------------------------------------------------------


def run_with_stdin(stdin: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run qcheck as a process whose standard input is the file ``stdin``."""
    with stdin.open("rb") as file:
        return subprocess.run(
            [sys.executable, "-m", "qcheck", *args, "--lang", "en"],
            stdin=file,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


STDIN_OVER_OUTPUT = {
    "evaluate": (["evaluate"], "report.csv"),
    "validate": (["validate"], "report.csv"),
    "--each": (["evaluate", "--each"], "report.csv"),
    "./name": (["evaluate"], "./report.csv"),
    "hard link": (["evaluate"], "hard.csv"),
    "symbolic link": (["validate"], "link.csv"),
}


@pytest.mark.parametrize("case", STDIN_OVER_OUTPUT)
def test_an_output_that_is_the_file_on_standard_input_is_refused(case: str) -> None:
    command, output = STDIN_OVER_OUTPUT[case]
    report = Path("report.csv")
    shutil.copyfile(ALL_MET, report)
    Path("hard.csv").hardlink_to(report)
    Path("link.csv").symlink_to(report)
    completed = run_with_stdin(report, *command, "-", "-o", output)
    assert completed.returncode == 2, completed.stderr
    assert f"refusing to write {Path(output)}: it is the input <stdin>" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert report.read_bytes() == ALL_MET.read_bytes()
    assert sorted(path.name for path in Path().iterdir()) == ["hard.csv", "link.csv", "report.csv"]


def test_another_output_beside_the_file_on_standard_input_is_written() -> None:
    report = Path("report.csv")
    shutil.copyfile(ALL_MET, report)
    completed = run_with_stdin(report, "evaluate", "-", "-o", "result.json")
    assert completed.returncode == 0, completed.stderr
    assert json.loads(Path("result.json").read_text(encoding="utf-8"))["summary"]["pass"] == 26


# ---- no output keeps an earlier verdict -----------------------------------------------------

BAD_ROW = "indicator,value\nfood_safety_pass_rate,abc\n"


def _bad_report() -> list[str]:
    Path("report.csv").write_text(BAD_ROW, encoding="utf-8")
    return ["report.csv"]


def _bad_and_good_reports() -> list[str]:
    shutil.copyfile(ALL_MET, "good.csv")
    return [*_bad_report(), "good.csv"]


def _an_empty_folder() -> list[str]:
    Path("empty").mkdir()
    shutil.copyfile(ALL_MET, "good.csv")
    return ["good.csv", "empty"]


def _bad_targets() -> list[str]:
    shutil.copyfile(ALL_MET, "good.csv")
    Path("targets.yaml").write_text("plan: 3\n", encoding="utf-8")
    return ["good.csv", "--targets", "targets.yaml"]


def _strict_warning() -> list[str]:
    Path("report.csv").write_text(
        ALL_MET.read_text(encoding="utf-8") + "food_safety_pass_rate,2020,,96.2,,\n",
        encoding="utf-8",
    )
    return ["report.csv", "--strict"]


FAILED_RUNS = {
    "a bad row": _bad_report,
    "a bad file among good ones": _bad_and_good_reports,
    "an empty folder": _an_empty_folder,
    "bad targets": _bad_targets,
    "a warning under --strict": _strict_warning,
}
SUFFIXES = sorted(SUFFIX_FORMATS)


def _outputs() -> list[str]:
    return [word for suffix in SUFFIXES for word in ("-o", f"results{suffix}")]


def _written() -> dict[str, str]:
    return {suffix: shown_text(written(Path(f"results{suffix}"))) for suffix in SUFFIXES}


@pytest.mark.parametrize("failed_run", FAILED_RUNS)
def test_after_a_failed_run_every_output_file_holds_its_problems(failed_run: str) -> None:
    shutil.copyfile(ALL_MET, "earlier.csv")
    assert run("evaluate", "earlier.csv", *_outputs(), "--lang", "en").exit_code == 0
    earlier = _written()
    inputs = FAILED_RUNS[failed_run]()
    result = run("evaluate", *inputs, *_outputs(), "--lang", "en")
    assert result.exit_code == 2, result.output
    said(result)
    written = _written()
    for suffix in SUFFIXES:
        assert written[suffix] != earlier[suffix], suffix
        # The document `validate` gives, in the format the suffix names.
        expected = run("validate", *inputs, "--format", SUFFIX_FORMATS[suffix], "--lang", "en")
        assert expected.exit_code == 2
        assert written[suffix] == as_file(SUFFIX_FORMATS[suffix], shown_stdout(expected)), suffix
    assert json.loads(written[".json"])["validation"]["valid"] is False


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("failed_run", ["a bad row", "bad targets"])
def test_after_a_failed_run_standard_output_holds_its_problems(
    failed_run: str, output_format: str
) -> None:
    inputs = FAILED_RUNS[failed_run]()
    result = run("evaluate", *inputs, "--format", output_format, "--lang", "en")
    assert result.exit_code == 2, result.output
    expected = run("validate", *inputs, "--format", output_format, "--lang", "en")
    assert shown_stdout(result) == shown_stdout(expected) != ""
    assert "nothing was evaluated" in said(result) or "targets file has" in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_terminal_the_problems_are_listed_once(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr("qcheck.cli.evaluate.on_one_terminal", lambda: True)
    result = run("evaluate", *_bad_report(), "--lang", lang)
    assert result.exit_code == 2
    assert result.stdout.count("not-a-number") == 1
    assert "not-a-number" not in result.stderr
    verdict = "输入中有1处错误，未进行评估" if lang == "zh" else "1 error(s) in the input"
    assert verdict in result.stderr


def test_elsewhere_standard_error_lists_the_problems_too() -> None:
    result = run("evaluate", *_bad_report(), "--lang", "en")
    assert "report.csv, row 2, column 'value': [not-a-number]" in result.stderr


# ---- standard output or error that fails -----------------------------------------------------

needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
FULL = os.strerror(errno.ENOSPC)


def qcheck(*args: str, lang: str = "en", **streams: Any) -> subprocess.CompletedProcess[bytes]:
    """Run qcheck as a process; ``streams`` may give its stdin, stdout, stderr and cwd."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("QCHECK_", "LC_"))}
    streams.setdefault("stdout", subprocess.PIPE)
    streams.setdefault("stderr", subprocess.PIPE)
    streams.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [sys.executable, "-m", "qcheck", *args],
        env={**environment, "LANG": "C.UTF-8", "QCHECK_LANG": lang},
        timeout=60,
        check=False,
        **streams,
    )


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "-", "--format", "json"],
        ["validate", "-"],
        ["template", "--format", "xlsx"],
        ["targets"],
        ["evaluate", "--help"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_a_full_standard_output_is_said_in_one_line(args: list[str]) -> None:
    with Path("/dev/full").open("wb") as full, ALL_MET.open("rb") as report:
        completed = qcheck(*args, stdout=full, stdin=report)
    assert completed.returncode == 2
    assert completed.stderr.decode() == f"qcheck: cannot write to standard output: {FULL}\n"


@needs_dev_full
def test_a_full_standard_output_is_said_in_chinese() -> None:
    with Path("/dev/full").open("wb") as full:
        completed = qcheck("evaluate", str(ALL_MET), stdout=full, lang="zh")
    assert completed.returncode == 2
    assert completed.stderr.decode() == "qcheck：无法写入标准输出：磁盘空间不足\n"


@needs_dev_full
def test_the_files_are_written_though_standard_output_is_full() -> None:
    Path("r.json").write_text("earlier", encoding="utf-8")
    with Path("/dev/full").open("wb") as full:
        completed = qcheck("evaluate", str(ALL_MET), "-o", "r.json", stdout=full)
    assert completed.returncode == 2
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["summary"]["pass"] == 26


@pytest.mark.parametrize(
    "args", [["evaluate", "samples"], ["targets", "--format", "json"], ["--help"]], ids=" ".join
)
def test_a_pipe_closed_early_ends_quietly_as_for_cat(args: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # as `| head -1` does once it has its line
    try:
        completed = qcheck(*args, stdout=writer, cwd=REPO_ROOT)
    finally:
        os.close(writer)
    assert completed.returncode == 128 + signal.SIGPIPE
    assert completed.stderr == b""


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "report.csv"],  # the problems cannot be listed
        ["evaluate", "--bogus"],  # nor a usage error said
        ["validate", "report.csv", "--lang", "zh", "--nonsense"],
    ],
    ids=["input", "usage", "usage in Chinese"],
)
def test_a_full_standard_error_still_ends_with_exit_2(args: list[str]) -> None:
    _bad_report()
    with Path("/dev/full").open("wb") as full:
        completed = qcheck(*args, stderr=full)
    assert completed.returncode == 2


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "cannot write to standard output: "), ("zh", "无法写入标准输出：输入/输出错误")],
    ids=["en", "zh"],
)
def test_any_error_writing_standard_output_is_said(
    monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr("qcheck.cli.app.click.echo", failing)
    result = run("evaluate", ALL_MET, "--lang", lang)
    assert result.exit_code == 2
    assert words in said(result)


# ---- not enough memory -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["evaluate", "validate"])
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            "the input needs more memory than is available. Split it into smaller files, "
            "or lower --max-bytes",
        ),
        ("zh", "输入所需的内存超过可用内存。请把它拆分成较小的文件，或降低 --max-bytes"),
    ],
    ids=["en", "zh"],
)
def test_running_out_of_memory_is_said_and_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, command: str, lang: str, words: str
) -> None:
    def exhausted(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("qcheck.cli.evaluate.check_files", exhausted)
    result = run(command, ALL_MET, "--lang", lang)
    assert result.exit_code == 2
    assert words in said(result)
