"""Where results go, what stops a run, and the command line's own words in both languages."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from qcheck.cli import main
from qcheck.cli.lang import requested_lang
from qcheck.entry import Terminated
from qcheck.lang import zh
from qcheck.problems import OutputError
from qcheck.words import click_message
from qcheck.writing import write_atomic
from tests.helpers import REPO_ROOT

ALL_MET = REPO_ROOT / "samples" / "report-2020-all-met.csv"
TARGETS = REPO_ROOT / "targets.yaml"

pytestmark = pytest.mark.usefixtures("cli_environment")


def run(*args: object, **env: str) -> Result:
    """Run qcheck in-process, named as users call it, with extra environment variables."""
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env, prog_name="qcheck")


def only_files(folder: Path) -> list[str]:
    """Return the names in ``folder``: a temporary file left behind shows up here."""
    return sorted(path.name for path in folder.iterdir())


# ---- an output over an input ----------------------------------------------------------------


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a report to read, in a folder of its own that is also the working directory."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "report.csv"
    shutil.copyfile(ALL_MET, path)
    return path


def _same_path(report: Path) -> tuple[list[str], str]:
    return [str(report)], str(report)


def _dot_slash(report: Path) -> tuple[list[str], str]:
    return [report.name], f"./{report.name}"


def _symbolic_link(report: Path) -> tuple[list[str], str]:
    (report.parent / "link.csv").symlink_to(report.name)
    return [str(report)], "link.csv"


def _hard_link(report: Path) -> tuple[list[str], str]:
    (report.parent / "hard.csv").hardlink_to(report)
    return [str(report)], "hard.csv"


def _found_in_a_folder(report: Path) -> tuple[list[str], str]:
    folder = report.parent / "counties"
    folder.mkdir()
    report.rename(folder / report.name)
    report.symlink_to(folder / report.name)  # the fixture's path still leads to the input
    return ["counties"], f"counties/{report.name}"


def _targets_file(report: Path) -> tuple[list[str], str]:
    targets = report.parent / "targets.csv"
    shutil.copyfile(TARGETS, targets)
    return [str(report), "--targets", str(targets)], str(targets)


COLLISIONS = {
    "same path": _same_path,
    "./name": _dot_slash,
    "symbolic link": _symbolic_link,
    "hard link": _hard_link,
    "found in a folder": _found_in_a_folder,
    "the targets file": _targets_file,
}


@pytest.mark.parametrize("command", ["evaluate", "validate"])
@pytest.mark.parametrize("collision", COLLISIONS)
def test_an_output_that_is_an_input_is_refused_before_anything_is_read(
    report: Path, monkeypatch: pytest.MonkeyPatch, command: str, collision: str
) -> None:
    inputs, output = COLLISIONS[collision](report)
    victim = Path(output).resolve()
    before = victim.read_bytes()
    files = only_files(report.parent)

    def no_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("read before the outputs were checked")

    monkeypatch.setattr("qcheck.cli.evaluate.load_catalogue", no_reading)
    monkeypatch.setattr("qcheck.cli.evaluate.check_files", no_reading)
    result = run(command, *inputs, "-o", output)
    assert result.exit_code == 2, result.output
    assert f"refusing to write {Path(output)}: it is the input " in result.stderr
    assert "Traceback" not in result.stderr
    assert victim.read_bytes() == before
    assert only_files(report.parent) == files


def test_the_refusal_names_both_files_in_chinese(report: Path) -> None:
    (report.parent / "link.csv").symlink_to(report.name)
    result = run("evaluate", "report.csv", "-o", "link.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert "qcheck：拒绝写入 link.csv：它就是输入文件 report.csv，写入结果会覆盖它" in result.stderr


def test_other_outputs_beside_the_inputs_are_written(report: Path) -> None:
    result = run("evaluate", "report.csv", "-o", "report.json", "-o", "report.md")
    assert result.exit_code == 0, result.output
    assert json.loads(Path("report.json").read_text(encoding="utf-8"))["summary"]["pass"] == 26


def test_a_template_over_its_targets_file_is_refused(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    shutil.copyfile(TARGETS, targets)
    result = run("template", "--targets", targets, "--format", "yaml", "-o", targets)
    assert result.exit_code == 2
    assert f"refusing to write {targets}: it is the input {targets}" in result.stderr
    assert targets.read_bytes() == TARGETS.read_bytes()


# ---- how outputs are written ----------------------------------------------------------------


def test_an_output_name_near_the_limit_is_written(tmp_path: Path) -> None:
    path = tmp_path / ("r" * 245 + ".json")  # 250 characters: the limit is 255
    result = run("evaluate", ALL_MET, "-o", path)
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text(encoding="utf-8"))["summary"]["pass"] == 26
    assert only_files(tmp_path) == [path.name]


def test_a_linked_output_is_written_through_and_the_link_kept(tmp_path: Path) -> None:
    kept = tmp_path / "results"
    kept.mkdir()
    real = kept / "r.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "r.json"
    link.symlink_to(real)
    assert run("evaluate", ALL_MET, "-o", link).exit_code == 0
    assert link.is_symlink()
    assert link.readlink() == real
    assert json.loads(real.read_text(encoding="utf-8"))["summary"]["pass"] == 26
    assert only_files(kept) == ["r.json"]


def test_a_dangling_link_makes_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "r.md"
    link.symlink_to("made.md")
    assert run("evaluate", ALL_MET, "-o", link).exit_code == 0
    assert link.is_symlink()
    assert (tmp_path / "made.md").read_text(encoding="utf-8").startswith("### ")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "cannot write {link}: it is a symbolic link to {target}, whose folder does not"),
        ("zh", "无法写入 {link}：它是指向 {target} 的符号链接，而该文件夹不存在"),
    ],
)
def test_a_dangling_link_into_a_missing_folder_is_an_error(
    tmp_path: Path, lang: str, words: str
) -> None:
    link = tmp_path / "r.json"
    target = tmp_path / "gone" / "r.json"
    link.symlink_to(target)
    result = run("evaluate", ALL_MET, "-o", link, "--lang", lang)
    assert result.exit_code == 2
    assert words.format(link=link, target=target) in result.stderr
    assert link.is_symlink()
    assert only_files(tmp_path) == ["r.json"]


def test_a_loop_of_links_is_an_error(tmp_path: Path) -> None:
    link = tmp_path / "r.json"
    link.symlink_to("r.json")
    with pytest.raises(OutputError, match="leads back to itself"):
        write_atomic(link, "{}")
    assert link.is_symlink()


def test_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "r.json"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, "{}\n")
        assert os.read(reader, 100) == b"{}\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert only_files(tmp_path) == ["r.json"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "qcheck: cannot write {path}: "), ("zh", "qcheck：无法写入 {path}：")],
)
def test_cannot_write_is_said_in_the_users_language(tmp_path: Path, lang: str, words: str) -> None:
    path = tmp_path / "nowhere" / "r.json"
    result = run("evaluate", ALL_MET, "-o", path, "--lang", lang)
    assert result.exit_code == 2
    assert words.format(path=path) in result.stderr


# ---- signals --------------------------------------------------------------------------------


def _environment(lang: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("QCHECK_", "LC_"))}
    return {**environment, "LANG": "C.UTF-8", "QCHECK_LANG": lang}


def _waiting_for(process: subprocess.Popen[bytes]) -> None:
    """Return once the process has read what was written to its standard input (a pipe)."""
    assert process.stdin is not None
    process.stdin.write(b"indicator,value\n")
    process.stdin.flush()
    deadline = time.monotonic() + 30
    unread = b"\0\0\0\0"
    while struct.unpack("i", fcntl.ioctl(process.stdin, termios.FIONREAD, unread))[0]:
        assert time.monotonic() < deadline, "qcheck never read its standard input"
        time.sleep(0.01)


STOPS: dict[int, tuple[int, str, str]] = {
    signal.SIGINT: (130, "qcheck: interrupted (Ctrl-C).", "qcheck：已中断（Ctrl-C）。"),
    signal.SIGTERM: (143, "qcheck: terminated (SIGTERM).", "qcheck：已终止（SIGTERM）。"),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIONREAD on a pipe")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("signum", list(STOPS))
def test_a_signal_stops_the_run_with_its_own_exit_code(lang: str, signum: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "qcheck", "evaluate", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(lang),
    )
    _waiting_for(process)  # the standard input stays open: qcheck is still reading it
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    code, english, chinese = STOPS[signum]
    assert process.returncode == code
    assert stderr.decode() == (chinese if lang == "zh" else english) + "\n"


@pytest.mark.parametrize(("stop", "code"), [(KeyboardInterrupt, 130), (Terminated, 143)])
def test_a_run_stopped_while_reading_leaves_no_earlier_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException], code: int
) -> None:
    outputs = [tmp_path / name for name in ("r.json", "r.xml", "r.md")]
    for path in outputs:
        path.write_text("an earlier run's verdict", encoding="utf-8")

    def stopped(*_: object, **__: object) -> None:
        raise stop

    monkeypatch.setattr("qcheck.cli.evaluate.check_files", stopped)
    result = run("evaluate", ALL_MET, *(arg for path in outputs for arg in ("-o", path)))
    assert result.exit_code == code
    assert [path.read_bytes() for path in outputs] == [b"", b"", b""]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIONREAD on a pipe")
def test_an_output_is_not_emptied_while_a_stream_is_being_read(tmp_path: Path) -> None:
    # cat r.csv | qcheck evaluate - -o r.csv: emptying r.csv first would cut the input short.
    output = tmp_path / "r.csv"
    report = ALL_MET.read_bytes()
    output.write_bytes(report)
    process = subprocess.Popen(
        [sys.executable, "-m", "qcheck", "evaluate", "-", "-o", str(output)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment("en"),
    )
    _waiting_for(process)  # qcheck has started reading the pipe
    assert output.read_bytes() == report
    process.terminate()
    process.communicate(timeout=30)


def test_a_usage_error_found_late_leaves_no_earlier_result(tmp_path: Path) -> None:
    output = tmp_path / "r.xml"
    output.write_text("an earlier run's verdict", encoding="utf-8")
    result = run("evaluate", ALL_MET, "-o", output, "--year", "2017")
    assert result.exit_code == 2
    assert output.read_bytes() == b""


def test_an_earlier_result_behind_a_link_is_emptied_and_the_link_kept(tmp_path: Path) -> None:
    target = tmp_path / "published.json"
    target.write_text("an earlier run's verdict", encoding="utf-8")
    link = tmp_path / "r.json"
    link.symlink_to(target)
    result = run("evaluate", ALL_MET, "-o", link, "--year", "2017")
    assert result.exit_code == 2
    assert link.is_symlink()
    assert target.read_bytes() == b""
    assert run("evaluate", ALL_MET, "-o", link).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["reports"]


INTERRUPTED_WRITE = """
import os, signal, sys
from qcheck.entry import run

fsync = os.fsync
def interrupted(descriptor):
    os.kill(os.getpid(), {signum})
    fsync(descriptor)
os.fsync = interrupted
sys.argv = ["qcheck", "evaluate", {report!r}, "-o", {output!r}]
run()
"""


@pytest.mark.parametrize("signum", list(STOPS))
def test_a_signal_while_writing_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    output = tmp_path / "r.json"
    output.write_text("old", encoding="utf-8")
    script = INTERRUPTED_WRITE.format(signum=int(signum), report=str(ALL_MET), output=str(output))
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=_environment("en"),
        timeout=60,
        check=False,
    )
    code, english, _ = STOPS[signum]
    assert completed.returncode == code, completed.stderr
    assert completed.stderr == english + "\n"
    # No temporary file is left, and no earlier result: it was emptied before the run read.
    assert only_files(tmp_path) == ["r.json"]
    assert output.read_bytes() == b""


def test_an_interrupt_before_the_command_runs_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qcheck import entry

    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("qcheck.cli.main", interrupted)
    monkeypatch.setattr(sys, "argv", ["qcheck", "targets", "--lang", "zh"])
    previous = signal.getsignal(signal.SIGTERM)
    code: object = None
    try:
        entry.run()
    except SystemExit as stop:
        code = stop.code
    except KeyboardInterrupt:  # escaping, it would stop the test session
        code = "KeyboardInterrupt escaped"
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert code == 130
    assert capsys.readouterr().err == "qcheck：已中断（Ctrl-C）。\n"


# ---- the command line's own words -----------------------------------------------------------


def _said(result: Result, lang: str) -> str:
    assert "Traceback" not in result.stderr
    if lang == "zh":
        for english in ("Error:", "Usage:", "Try '", "Invalid value", "No such", "Missing"):
            assert english not in result.stderr
    return result.stderr


def test_targets_file_problems_are_counted_in_the_users_language(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text("plan: {}\n", encoding="utf-8")
    zh = run("evaluate", ALL_MET, "--targets", targets, "--lang", "zh")
    assert zh.exit_code == 2
    assert "qcheck：目标文件有" in _said(zh, "zh")
    assert "problem(s)" not in zh.stderr
    en = run("evaluate", ALL_MET, "--targets", targets, "--lang", "en")
    assert "qcheck: the targets file has " in en.stderr


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "qcheck: internal error: RuntimeError: boom\nThis is a bug in qcheck; run again"),
        ("zh", "qcheck：内部错误：RuntimeError: boom\n这是 qcheck 的缺陷；请加 --debug 重新运行"),
    ],
)
def test_an_internal_error_is_said_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("qcheck.cli.evaluate.evaluate_targets", broken)
    result = run("evaluate", ALL_MET, "--lang", lang)
    assert result.exit_code == 3
    assert words in result.stderr


def test_a_valid_targets_file_is_said_in_the_users_language() -> None:
    zh = run("targets", "--check", TARGETS, "--lang", "zh")
    assert zh.stdout == f"{TARGETS}：有效的目标文件，共27项目标\n"
    en = run("targets", "--check", TARGETS, "--lang", "en")
    assert en.stdout == f"{TARGETS}: a valid targets file with 27 targets\n"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Error: Invalid value for '--format': an xlsx template is binary: name a file"),
        ("zh", "错误：'--format' 的值无效：xlsx 模板是二进制文件：请用 --output 指定一个文件"),
    ],
)
def test_an_xlsx_template_for_a_terminal_is_refused_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.setattr("click.testing._NamedTextIOWrapper.isatty", lambda _self: True)
    result = run("template", "--format", "xlsx", "--lang", lang)
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stdout_bytes == b""


EVALUATE_FRAME = {
    "en": "Usage: qcheck evaluate [OPTIONS] FILE|FOLDER|-...\n"
    "Try 'qcheck evaluate --help' for help.\n\nError: ",
    "zh": "用法：qcheck evaluate [OPTIONS] FILE|FOLDER|-...\n"
    "运行“qcheck evaluate --help”查看帮助。\n\n错误：",
}
GROUP_FRAME = {
    "en": "Usage: qcheck [OPTIONS] COMMAND [ARGS]...\nTry 'qcheck --help' for help.\n\nError: ",
    "zh": "用法：qcheck [OPTIONS] COMMAND [ARGS]...\n运行“qcheck --help”查看帮助。\n\n错误：",
}
SAMPLE = str(ALL_MET)
USAGE_ERRORS: list[tuple[list[str], dict[str, str], str, str]] = [
    (
        ["evaluate", "--nope", SAMPLE],
        EVALUATE_FRAME,
        "No such option '--nope'.",
        "没有选项 '--nope'。",
    ),
    (
        ["evaluate", SAMPLE, "--fromat", "json"],
        EVALUATE_FRAME,
        "No such option '--fromat'. (Did you mean one of: '--format', '--stdin-format'?)",
        "没有选项 '--fromat'。是否应为以下之一：'--format', '--stdin-format'？",
    ),
    (
        ["evaluate"],
        EVALUATE_FRAME,
        "Missing argument 'FILE|FOLDER|-...'.",
        "缺少参数 'FILE|FOLDER|-...'。",
    ),
    (
        ["evaluate", SAMPLE, "--format", "xml"],
        EVALUATE_FRAME,
        "Invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv', 'markdown', "
        "'junit', 'github', 'sarif', 'codequality', 'html', 'xlsx'.",
        "'--format' 的值无效：'xml' 不是可选值；可选：'table', 'json', 'csv', 'markdown', "
        "'junit', 'github', 'sarif', 'codequality', 'html', 'xlsx'。",
    ),
    (
        ["evaluate", SAMPLE, "--year", "1999"],
        EVALUATE_FRAME,
        "Invalid value for '--year': 1999 is not in the range 2000<=x<=2100.",
        "'--year' 的值无效：1999 超出范围 2000<=x<=2100。",
    ),
    (
        ["evaluate", SAMPLE, "--year", "abc"],
        EVALUATE_FRAME,
        "Invalid value for '--year': 'abc' is not a valid integer range.",
        "'--year' 的值无效：'abc' 不是有效的数字。",
    ),
    (
        ["evaluate", SAMPLE, "--year", "2017"],
        EVALUATE_FRAME,
        "Invalid value for '--year': the plan runs from 2018; 2017 is before it",
        "'--year' 的值无效：方案从2018年开始；2017年在此之前",
    ),
    (
        ["evaluate", SAMPLE, "--encoding", "nonsense"],
        EVALUATE_FRAME,
        "Invalid value for '--encoding': unknown encoding 'nonsense' (try utf-8, gb18030 or "
        "utf-16)",
        "'--encoding' 的值无效：未知编码 'nonsense'（可试 utf-8、gb18030 或 utf-16）",
    ),
    (
        ["evaluate", SAMPLE, "-o", "r.pdf"],
        EVALUATE_FRAME,
        "Invalid value for '--output' / '-o': cannot tell the format of 'r.pdf' from its suffix",
        "'--output' / '-o' 的值无效：无法从后缀判断 'r.pdf' 的格式",
    ),
    (
        ["evaluate", SAMPLE, "--targets", "samples"],
        EVALUATE_FRAME,
        "Invalid value for '--targets': File 'samples' is a directory.",
        "'--targets' 的值无效：'samples' 是文件夹，不是文件。",
    ),
    (
        ["evaluate", SAMPLE, "--strict=yes"],
        {"en": "Error: ", "zh": "错误："},
        "Option '--strict' does not take a value.",
        "选项 '--strict' 不接受值。",
    ),
    (["frobnicate"], GROUP_FRAME, "No such command 'frobnicate'.", "没有命令 'frobnicate'。"),
    (
        ["evaluat", SAMPLE],
        GROUP_FRAME,
        "No such command 'evaluat'. (Did you mean one of: 'evaluate', 'validate'?)",
        "没有命令 'evaluat'。是否应为以下之一：'evaluate', 'validate'？",
    ),
    (["--bogus"], GROUP_FRAME, "No such option '--bogus'.", "没有选项 '--bogus'。"),
    (
        ["template", "--area", "weather"],
        {
            "en": "Usage: qcheck template [OPTIONS]\nTry 'qcheck template --help' for help.\n\n"
            "Error: ",
            "zh": "用法：qcheck template [OPTIONS]\n"
            "运行“qcheck template --help”查看帮助。\n\n错误：",
        },
        "Invalid value for '--area': unknown area 'weather'; areas: product, engineering",
        "'--area' 的值无效：未知领域 'weather'；领域有：product、engineering",
    ),
]


@pytest.mark.parametrize(("args", "frame", "english", "chinese"), USAGE_ERRORS)
def test_usage_errors_in_english(
    args: list[str], frame: dict[str, str], english: str, chinese: str
) -> None:
    result = run(*args, "--lang", "en", QCHECK_LANG="zh")
    assert result.exit_code == 2
    assert result.stderr.startswith(frame["en"] + english), result.stderr


@pytest.mark.parametrize(("args", "frame", "english", "chinese"), USAGE_ERRORS)
def test_usage_errors_in_chinese(
    args: list[str], frame: dict[str, str], english: str, chinese: str
) -> None:
    result = run(*args, QCHECK_LANG="zh")
    assert result.exit_code == 2
    assert _said(result, "zh").startswith(frame["zh"] + chinese), result.stderr


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["evaluate", "--nope", "--lang", "zh"], {}),  # --lang after the error, never read
        (["evaluate", "--lang=zh", "--nope"], {}),
        (["evaluate", "--nope"], {"LANG": "zh_CN.UTF-8"}),
        (["evaluate", "--nope"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}),
        (["evaluate", "--nope", "--lang", "zh"], {"QCHECK_LANG": "en"}),
    ],
)
def test_the_language_of_a_usage_error_is_known_before_lang_is_read(
    args: list[str], env: dict[str, str]
) -> None:
    result = run(*args, **env)
    assert _said(result, "zh").endswith("错误：没有选项 '--nope'。\n")


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["evaluate", "--nope", "--lang", "en"], {"QCHECK_LANG": "zh"}),
        (["evaluate", "--nope", "--lang", "zh", "--lang", "en"], {}),
        (["evaluate", "--nope", "--", "--lang", "zh"], {}),
        (["evaluate", "--nope", "--lang", "fr"], {}),
    ],
)
def test_english_when_that_is_what_was_asked(args: list[str], env: dict[str, str]) -> None:
    assert run(*args, **env).stderr.endswith("Error: No such option '--nope'.\n")


def test_help_stays_as_it_was_in_chinese() -> None:
    assert run("evaluate", "--help", QCHECK_LANG="zh").stdout.startswith("Usage: qcheck evaluate")
    assert run(QCHECK_LANG="zh").stderr.startswith("Usage: qcheck [OPTIONS]")


def test_every_click_message_has_its_chinese() -> None:
    """Each message translates as itself, not as another one that happens to match it."""
    for english, chinese in zh.CLICK.items():
        fields = {name: f"<{name}>" for name in re.findall(r"\{(\w+)", english)}
        if "message" in fields:
            fields["message"] = "'x' is not a valid integer."
        expected = chinese.format(**{**fields, "message": "'x' 不是有效的数字。"})
        assert click_message("zh", english.replace("!r}", "}").format(**fields)) == expected, (
            english
        )


@given(
    words=st.lists(st.sampled_from(["evaluate", "x.csv", "--lang", "--lang=", "zh", "en", "-o"])),
    lang=st.sampled_from(["zh", "en"]),
)
def test_the_last_lang_on_the_command_line_wins(words: list[str], lang: str) -> None:
    assert requested_lang([*words, "--lang", lang]) == lang
    assert requested_lang([*words, f"--lang={lang}"]) == lang


@given(text=st.text(max_size=80))
def test_text_that_is_no_click_message_is_kept(text: str) -> None:
    if not any(word in text for word in ("Did you", "No such", "Missing", "Invalid", "is not")):
        assert click_message("zh", text) == text


@pytest.mark.parametrize("suffix", [".json", ".csv", ".html", ".md", ".sarif"])
def test_an_input_named_in_another_encoding_is_written_as_the_terminal_shows_it(
    tmp_path: Path, suffix: str
) -> None:
    # A file name in GBK, as unzipped from a Windows archive: not UTF-8, so its bytes reach
    # qcheck as lone surrogates, which no UTF-8 output can hold.
    name = os.fsdecode("2020年填报.csv".encode("gbk"))
    source = tmp_path / name
    shutil.copyfile("samples/report-2020-all-met.csv", source)
    target = tmp_path / f"result{suffix}"
    result = CliRunner().invoke(main, ["evaluate", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_bytes().decode("utf-8")  # valid UTF-8
    shown = "2020年填报.csv".encode("gbk").decode("utf-8", "replace")  # 2020�…�.csv
    assert shown in text
