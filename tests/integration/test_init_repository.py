"""A reports repository made by `qcheck init`, its hooks from the working tree: commits for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcheck.repository.scaffold import HooksSource
from tests.helpers import SAMPLES, run_cli
from tests.integration.reports_repo import HookSource, ReportsRepo

COUNTIES = sorted((SAMPLES / "counties").glob("*.csv"))
CITY = (SAMPLES / "city-2020.csv").read_text(encoding="utf-8")


def initialised(
    tmp_path: Path, hook_source: HookSource, monkeypatch: pytest.MonkeyPatch, *args: str
) -> ReportsRepo:
    """Return a repository set up by `qcheck init` as from a git install, hooks installed."""
    repo = ReportsRepo.empty(tmp_path / "reports-repo", hook_source)
    released = (
        "qcheck @ git+https://example.org/qcheck.git@v0",
        HooksSource("https://example.org/qcheck.git", "v0"),
    )
    monkeypatch.setattr("qcheck.cli.init.installed_source", lambda: released)
    monkeypatch.chdir(repo.path)
    result = run_cli(["init", *args])
    assert result.exit_code == 0, result.output
    repo.git("add", ".")
    repo.install()  # qcheck's entry pointed at the working tree's snapshot, options kept
    repo.git("commit", "--quiet", "--no-verify", "-m", "qcheck init")
    return repo


def with_cell(text: str, row: int, old: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    assert old in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    return "".join(lines)


def test_a_county_file_with_a_bad_number_is_refused_with_its_row(
    tmp_path: Path, hook_source: HookSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = initialised(tmp_path, hook_source, monkeypatch, "--lang", "zh")
    linze = (SAMPLES / "counties" / "linze.csv").read_text(encoding="utf-8")
    repo.add("reports/2020/linze.csv", with_cell(linze, 3, "87.4", "八十七"))
    done = repo.commit("临泽县 2020 年报表", QCHECK_LANG="")  # the settings say zh
    assert done.returncode == 1, done.stdout
    validate = repo.runs(done.stdout)["qcheck-validate"]
    assert (validate.status, validate.exit_code) == ("Failed", 2)
    assert "reports/2020/linze.csv，第3行，“数值”列" in validate.output  # lang = "zh" from init
    assert "“八十七”不是数字" in validate.output
    assert not repo.committed("reports/2020/linze.csv")


def test_six_counties_and_the_city_give_one_merged_verdict(
    tmp_path: Path, hook_source: HookSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = initialised(tmp_path, hook_source, monkeypatch, "--lang", "en")
    repo.add("reports/2020/city.csv", CITY)
    for county in COUNTIES:
        repo.add(f"reports/2020/{county.name}", county.read_text(encoding="utf-8"))
    done = repo.commit("2020 reports")
    assert done.returncode == 0, done.stdout
    evaluate = repo.runs(done.stdout)["qcheck-evaluate"]
    assert evaluate.status == "Passed"
    # One verdict on all seven files, whatever pre-commit's batches: the six counties' mean
    # is judged, not missing.
    assert evaluate.output.count("27 targets:") == 1, evaluate.output
    assert "27 targets: 26 met, 0 not met, 0 missing" in evaluate.output


def test_a_truthful_report_of_a_target_not_met_is_committed_and_shown(
    tmp_path: Path, hook_source: HookSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = initialised(tmp_path, hook_source, monkeypatch, "--lang", "en")
    failures = (SAMPLES / "report-2020-with-failures.csv").read_text(encoding="utf-8")
    repo.add("reports/2020/city.csv", failures)
    done = repo.commit("2020, truthfully")
    assert done.returncode == 0, done.stdout
    evaluate = repo.runs(done.stdout)["qcheck-evaluate"]
    assert evaluate.status == "Passed"
    assert "not met" in evaluate.output


def test_the_evaluate_hook_blocks_when_told_to(
    tmp_path: Path, hook_source: HookSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = initialised(tmp_path, hook_source, monkeypatch, "--lang", "en")
    config = (repo.path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    blocking = config.replace(
        "- id: qcheck-evaluate", "- id: qcheck-evaluate\n    args: [--fail-on=fail]"
    )
    assert blocking != config
    repo.add(".pre-commit-config.yaml", blocking)
    repo.git("commit", "--quiet", "--no-verify", "-m", "block unmet targets")
    repo.add(
        "reports/2020/city.csv",
        (SAMPLES / "report-2020-with-failures.csv").read_text(encoding="utf-8"),
    )
    done = repo.commit("2020, truthfully")
    assert done.returncode == 1, done.stdout
    evaluate = repo.runs(done.stdout)["qcheck-evaluate"]
    assert (evaluate.status, evaluate.exit_code) == ("Failed", 1)
