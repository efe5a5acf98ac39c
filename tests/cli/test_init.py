"""qcheck init: a new reports repository, set up in the chosen language, and nothing overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from qcheck.cli.init import installed_source
from tests.helpers import REPO_ROOT, run_cli

SAMPLES = REPO_ROOT / "samples"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QCHECK_LANG", raising=False)
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_init_writes_settings_folders_hooks_and_workflow(here: Path) -> None:
    result = run_cli(["init", "--lang", "en"])
    assert result.exit_code == 0, result.output
    for path in (
        "qcheck.toml",
        ".pre-commit-config.yaml",
        ".github/workflows/qcheck.yml",
        "reports/README.md",
        "reports/2018/.gitkeep",
        "reports/2020/.gitkeep",
    ):
        assert (here / path).is_file(), path
        assert f"wrote {path}" in result.stdout
    assert not (here / ".gitlab-ci.yml").exists()
    assert "put 2020's reports in reports/2020/" in result.stdout


def test_the_repository_it_makes_judges_a_year_as_one_dataset(here: Path) -> None:
    assert run_cli(["init", "--lang", "en"]).exit_code == 0
    for path in [SAMPLES / "city-2020.csv", *sorted((SAMPLES / "counties").glob("*.csv"))]:
        shutil.copy(path, here / "reports" / "2020")
    result = run_cli(["evaluate", "--layout", "reports/2020/linze.csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "settings from qcheck.toml: fail-on, lang, reports" in result.stderr
    (report,) = json.loads(result.stdout)["reports"]
    assert (report["year"], len(report["source"]), report["summary"]["missing"]) == (2020, 7, 0)


def test_init_refuses_to_overwrite_and_writes_nothing(here: Path) -> None:
    (here / "qcheck.toml").write_text("# mine\n", encoding="utf-8")
    result = run_cli(["init", "--lang", "en"])
    assert result.exit_code == 2
    assert "qcheck init would overwrite qcheck.toml" in result.stderr
    assert (here / "qcheck.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (here / ".pre-commit-config.yaml").exists()


def test_a_year_folder_already_there_is_kept_as_it_is(here: Path) -> None:
    (here / "reports" / "2020").mkdir(parents=True)
    shutil.copy(SAMPLES / "city-2020.csv", here / "reports" / "2020")
    assert run_cli(["init", "--lang", "en"]).exit_code == 0
    assert not (here / "reports" / "2020" / ".gitkeep").exists()
    assert (here / "reports" / "2019" / ".gitkeep").exists()


def test_init_in_chinese_into_a_folder_for_gitlab(here: Path) -> None:
    result = run_cli(["init", "repo", "--lang", "zh", "--ci", "gitlab", "--reports", "填报"])
    assert result.exit_code == 0, result.output
    assert "已写入 repo/qcheck.toml" in result.stdout
    assert (here / "repo" / ".gitlab-ci.yml").is_file()
    assert not (here / "repo" / ".github").exists()
    assert (here / "repo" / "填报" / "2020" / ".gitkeep").is_file()
    settings = (here / "repo" / "qcheck.toml").read_text(encoding="utf-8")
    assert 'reports = "填报"' in settings
    assert 'lang = "zh"' in settings
    hooks = yaml.safe_load((here / "repo" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["files"].startswith("^填报/")


def test_init_names_the_targets_file_from_the_repository(here: Path) -> None:
    (here / "repo").mkdir()
    shutil.copy(SAMPLES / "targets-2025-example.yaml", here / "repo" / "plan.yaml")
    result = run_cli(
        ["init", "repo", "--targets", "repo/plan.yaml", "--lang", "en", "--ci", "none"]
    )
    assert result.exit_code == 0, result.output
    assert 'targets = "plan.yaml"' in (here / "repo" / "qcheck.toml").read_text(encoding="utf-8")
    years = sorted(p.name for p in (here / "repo" / "reports").iterdir() if p.is_dir())
    assert years == [str(year) for year in range(2021, 2026)]
    assert not (here / "repo" / ".github").exists()


def test_a_git_install_pins_the_hooks_and_the_requirement_to_its_commit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    direct = {
        "url": "https://example.org/qcheck.git",
        "vcs_info": {"vcs": "git", "commit_id": "ab12"},
    }

    class Installed:
        def read_text(self, name: str) -> str:
            assert name == "direct_url.json"
            return json.dumps(direct)

    monkeypatch.setattr("qcheck.cli.init.distribution", lambda name: Installed())
    requirement, hooks = installed_source()
    assert requirement == "qcheck @ git+https://example.org/qcheck.git@ab12"
    assert (hooks.repo, hooks.rev) == ("https://example.org/qcheck.git", "ab12")


@pytest.mark.parametrize("reports", [".", "..", "../out", "/abs", "a/../../b", ""])
def test_a_reports_folder_outside_the_repository_is_refused(here: Path, reports: str) -> None:
    # Such a folder made the hooks' pattern match nothing: the hooks never ran.
    result = run_cli(["init", "--reports", reports, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "--reports must be a folder inside the repository" in result.stderr
    assert not (here / "qcheck.toml").exists()


@pytest.mark.parametrize("blocking", ["reports", ".github"])
def test_a_file_where_init_needs_a_folder_is_refused_before_writing(
    here: Path, blocking: str
) -> None:
    # Once an internal error (exit 3) after half the files were written.
    (here / blocking).write_text("", encoding="utf-8")
    result = run_cli(["init", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "would overwrite" in result.stderr
    assert not (here / "qcheck.toml").exists()


def test_a_targets_file_outside_the_repository_is_copied_into_it(here: Path) -> None:
    # Its absolute path, written into qcheck.toml, named a file CI cannot read.
    shutil.copy(SAMPLES / "targets-2025-example.yaml", here / "plan.yaml")
    result = run_cli(["init", "repo", "--targets", "plan.yaml", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert 'targets = "plan.yaml"' in (here / "repo" / "qcheck.toml").read_text(encoding="utf-8")
    copied = (here / "repo" / "plan.yaml").read_bytes()
    assert copied == (here / "plan.yaml").read_bytes()


def test_the_requirement_ci_installs_can_be_named_and_a_release_pin_is_told(here: Path) -> None:
    told = run_cli(["init", "a", "--lang", "en"])
    assert "the workflow installs qcheck==" in told.stderr  # not from git: a release, said so
    spec = "qcheck @ git+https://example.org/qcheck.git@0123abc"
    named = run_cli(["init", "b", "--lang", "en", "--requirement", spec])
    assert named.exit_code == 0, named.output
    assert "the workflow installs" not in named.stderr
    workflow = (here / "b" / ".github" / "workflows" / "qcheck.yml").read_text(encoding="utf-8")
    assert f'QCHECK_REQUIREMENT: "{spec}"' in workflow
