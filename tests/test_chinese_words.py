"""Under --lang zh every word is Chinese: the system's reasons, JUnit, Pydantic's errors."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qcheck.cli import main
from qcheck.problems import OS_REASONS_ZH, os_reason
from tests.helpers import REPO_ROOT, SAMPLES

ALL_MET = SAMPLES / "report-2020-all-met.csv"
TARGETS = REPO_ROOT / "targets.yaml"

pytestmark = pytest.mark.usefixtures("in_tmp")


def run(*args: object) -> Result:
    """Run qcheck in-process, named as users call it."""
    return CliRunner().invoke(main, [str(arg) for arg in args], prog_name="qcheck")


def in_chinese(result: Result) -> str:
    """Return standard error, having checked that no English reason of the system is in it."""
    assert "Traceback" not in result.stderr
    for errno_value in OS_REASONS_ZH:
        assert os.strerror(errno_value) not in result.stderr
    return result.stderr


# ---- the system's reasons -------------------------------------------------------------------

COMMON = [
    "ENOENT",
    "EACCES",
    "EPERM",
    "EISDIR",
    "ENOTDIR",
    "ENOSPC",
    "ENAMETOOLONG",
    "EROFS",
    "ELOOP",
    "EMFILE",
    "EIO",
]


@pytest.mark.parametrize("name", COMMON)
def test_every_common_reason_has_its_chinese(name: str) -> None:
    number = getattr(errno, name)
    english, chinese = os_reason(OSError(number, os.strerror(number)))
    assert english == os.strerror(number)
    assert chinese == OS_REASONS_ZH[number]
    assert not chinese.isascii()


def test_a_rare_reason_is_shown_as_the_system_words_it() -> None:
    error = OSError(errno.ENOTTY, os.strerror(errno.ENOTTY))
    assert os_reason(error) == (os.strerror(errno.ENOTTY),) * 2
    assert os_reason(OSError("no errno at all")) == ("no errno at all",) * 2


def _denied(*_args: object, **_kwargs: object) -> object:
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def test_an_unreadable_report_says_why_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(ALL_MET, "r.csv")
    monkeypatch.setattr("qcheck.loaders.files.open_text", _denied)
    result = run("evaluate", "r.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert "r.csv: [unreadable] 无法读取：没有权限" in in_chinese(result)


def test_an_unreadable_workbook_says_why_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    Path("r.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.setattr("qcheck.loaders.excel._open", _denied)
    result = run("validate", "r.xlsx", "--lang", "zh")
    assert result.exit_code == 2
    assert "无法读取：没有权限" in result.stdout
    assert os.strerror(errno.EACCES) not in result.stdout


def test_an_unreadable_targets_file_says_why_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(TARGETS, "t.yaml")
    monkeypatch.setattr("qcheck.loaders.targets.read_bounded", _denied)
    result = run("targets", "--check", "t.yaml", "--lang", "zh")
    assert result.exit_code == 2
    assert "t.yaml: [unreadable] 无法读取：没有权限" in in_chinese(result)


def test_a_missing_report_says_why_in_chinese() -> None:
    result = run("evaluate", "gone.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert "gone.csv: [unreadable] 无法读取：文件或文件夹不存在" in in_chinese(result)


def test_an_output_in_a_missing_folder_says_why_in_chinese() -> None:
    result = run("evaluate", ALL_MET, "-o", "gone/r.json", "--lang", "zh")
    assert result.exit_code == 2
    assert "qcheck：无法写入 gone/r.json：文件或文件夹不存在" in in_chinese(result)


def test_the_reason_stays_english_under_lang_en() -> None:
    result = run("evaluate", ALL_MET, "-o", "gone/r.json", "--lang", "en")
    assert f"qcheck: cannot write gone/r.json: {os.strerror(errno.ENOENT)}" in result.stderr
