"""`qcheck init` from a qcheck not installed from git: local hooks run the qcheck on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

SAMPLES = REPO_ROOT / "samples"
BIN = Path(sys.executable).parent  # where this environment's qcheck is
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]


class Repository:
    """A git repository in a temporary folder, set up by `qcheck init`, hooks installed."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(home),
            "PRE_COMMIT_HOME": str(home / "pre-commit"),
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
            "GIT_CONFIG_NOSYSTEM": "1",
            "QCHECK_LANG": "",
            "NO_COLOR": "1",
        }
        self.env.pop("GITHUB_ACTIONS", None)
        self.env.pop("GITHUB_STEP_SUMMARY", None)
        self.env.pop("QCHECK_LANG")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.root, env=self.env, capture_output=True, text=True, check=False
        )

    def commit(self, *paths: str) -> subprocess.CompletedProcess[str]:
        self.run("git", "add", *paths)
        return self.run("git", "commit", "-q", "-m", "reports")


@pytest.fixture
def repository(tmp_path: Path) -> Repository:
    made = Repository(tmp_path / "reports-repo", tmp_path / "home")
    made.root.mkdir()
    (tmp_path / "home").mkdir()
    assert made.run("git", "init", "-q").returncode == 0
    init = made.run(str(BIN / "qcheck"), "init", "--lang", "en")
    assert init.returncode == 0, init.stderr
    installed = made.run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    first = made.commit(".")
    assert first.returncode == 0, first.stdout + first.stderr
    return made


def _with_bad_number(path: Path, row: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[row - 1].split(",")
    cells[lines[0].split(",").index("数值")] = "九十五"
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_county_file_with_a_bad_number_is_refused_naming_its_row(
    repository: Repository,
) -> None:
    year = repository.root / "reports" / "2020"
    shutil.copy(SAMPLES / "counties" / "linze.csv", year)
    _with_bad_number(year / "linze.csv", 3)
    refused = repository.commit("reports")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "reports/2020/linze.csv" in output
    assert "reports/2020/linze.csv, row 3, column '数值'" in output  # validate's table
    assert "reports/2020/linze.csv:3: error: not-a-number" in output  # evaluate's plain line
    assert "not-a-number" in output
    log = repository.run("git", "log", "--oneline")
    assert len(log.stdout.splitlines()) == 1  # nothing was committed


def test_six_counties_and_the_city_give_one_merged_verdict(repository: Repository) -> None:
    year = repository.root / "reports" / "2020"
    for path in [SAMPLES / "city-2020.csv", *sorted((SAMPLES / "counties").glob("*.csv"))]:
        shutil.copy(path, year)
    done = repository.commit("reports")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # One verdict for 2020 on all seven files: the six-county mean is judged, not missing.
    assert output.count("27 targets:") == 1, output
    assert "27 targets: 26 met, 0 not met, 0 missing" in output


def test_a_truthful_report_of_a_target_not_met_is_committed(repository: Repository) -> None:
    shutil.copy(SAMPLES / "report-2020-with-failures.csv", repository.root / "reports" / "2020")
    done = repository.commit("reports")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "not met" in output  # shown, not hidden


def test_the_workflow_and_settings_are_not_checked_as_reports(repository: Repository) -> None:
    workflow = repository.root / ".github" / "workflows" / "qcheck.yml"
    workflow.write_text(workflow.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    done = repository.commit(".github")
    assert done.returncode == 0, done.stdout + done.stderr
    shown = (done.stdout + done.stderr).replace(".", "")
    assert shown.count("(no files to check)Skipped") == 2, shown
