"""The files of a new reports repository: settings, hooks and workflows that read as intended."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from qcheck import __version__
from qcheck.hooks import HOOKS, files_pattern, hooks_file
from qcheck.loaders.config import load_config
from qcheck.loaders.formats import REPORT_SUFFIXES
from qcheck.repository import CI_FILES
from qcheck.repository.scaffold import HooksSource, Scaffold, scaffold
from qcheck.words import LANGS
from tests.helpers import REPO_ROOT

YEARS = (2018, 2019, 2020)
DOCS = REPO_ROOT / "docs"
# docs/ holds each CI service's workflow as `qcheck init --lang en` writes it for a release.
DOC_WORKFLOWS = {"github": "github-workflow.yml", "gitlab": "gitlab-ci.yml"}


def made(**setup: object) -> dict[str, str]:
    values: dict[str, object] = {"lang": "en", "years": YEARS, "ci": ("github", "gitlab")}
    return scaffold(Scaffold(**{**values, **setup}))  # type: ignore[arg-type]


@pytest.mark.parametrize("service", sorted(DOC_WORKFLOWS))
def test_the_docs_workflows_are_the_ones_init_writes(service: str) -> None:
    """QCHECK_UPDATE_GOLDEN=1 writes them again."""
    written = made(requirement=f"qcheck=={__version__}")[CI_FILES[service][0]]
    path = DOCS / DOC_WORKFLOWS[service]
    if os.environ.get("QCHECK_UPDATE_GOLDEN") == "1":
        path.write_text(written, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == written, "rerun with QCHECK_UPDATE_GOLDEN=1"


def test_the_shipped_hooks_file_is_written_from_the_hooks() -> None:
    assert (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8") == hooks_file()
    shipped = yaml.safe_load(hooks_file())
    assert [hook["id"] for hook in shipped] == [hook.id for hook in HOOKS]
    assert all(hook["require_serial"] and hook["language"] == "python" for hook in shipped)


@pytest.mark.parametrize("lang", LANGS)
def test_the_settings_read_back_as_written(lang: str, tmp_path: Path) -> None:
    path = tmp_path / "qcheck.toml"
    path.write_text(made(lang=lang, reports="submissions")["qcheck.toml"], encoding="utf-8")
    config = load_config(path)
    assert (config.reports, config.fail_on, config.lang, config.targets) == (
        "submissions",
        "fail",
        lang,
        None,
    )


def test_the_comments_are_in_the_chosen_language() -> None:
    chinese = made(lang="zh")
    english = made(lang="en")
    for path in ("qcheck.toml", ".pre-commit-config.yaml", ".github/workflows/qcheck.yml"):
        assert re.search(r"^# .*[\u4e00-\u9fff]", chinese[path], re.M), path
        assert not re.search(r"[\u4e00-\u9fff]", english[path]), path
    assert "报表" in chinese["reports/README.md"]


def test_local_hooks_run_the_installed_qcheck_on_the_reports_folder() -> None:
    config = yaml.safe_load(made(reports="data/reports")[".pre-commit-config.yaml"])
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    assert [hook["id"] for hook in repo["hooks"]] == [hook.id for hook in HOOKS]
    for hook, declared in zip(repo["hooks"], HOOKS, strict=True):
        assert hook["language"] == "system"
        assert hook["entry"] == declared.entry
        assert hook["files"] == files_pattern("data/reports")
        assert re.search(hook["files"], "data/reports/2020/A.CSV")
        assert not re.search(hook["files"], "reports/2020/a.csv")


def test_hooks_from_qcheck_repository_are_pinned_to_a_commit() -> None:
    source = HooksSource(repo="https://example.org/qcheck.git", rev="0123abcd")
    for reports, files in (("reports", None), ("subs", files_pattern("subs"))):
        config = yaml.safe_load(made(hooks=source, reports=reports)[".pre-commit-config.yaml"])
        (repo,) = config["repos"]
        assert (repo["repo"], repo["rev"]) == (source.repo, source.rev)
        assert [hook.get("files") for hook in repo["hooks"]] == [files, files]


def test_a_folder_for_each_year_and_the_chosen_ci_only() -> None:
    files = made(ci=("gitlab",), reports="subs")
    assert [path for path in files if path.endswith(".gitkeep")] == [
        f"subs/{year}/.gitkeep" for year in YEARS
    ]
    assert ".gitlab-ci.yml" in files
    assert ".github/workflows/qcheck.yml" not in files
    assert ".gitlab-ci.yml" not in made(ci=())


def test_the_github_workflow_has_what_code_scanning_and_artifacts_need() -> None:
    workflow = yaml.safe_load(made()[".github/workflows/qcheck.yml"])
    assert workflow["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }
    steps = workflow["jobs"]["qcheck"]["steps"]
    check = next(step for step in steps if "qcheck evaluate" in step.get("run", ""))
    assert "--layout" in check["run"]
    after = steps[steps.index(check) + 1 :]
    assert all(step["if"].startswith("always()") for step in after)
    upload = next(step for step in after if "upload-sarif" in step["uses"])
    assert upload["with"]["sarif_file"] in check["run"]
    kept = next(step for step in after if "upload-artifact" in step["uses"])
    assert set(kept["with"]["path"].split()) == set(re.findall(r"-o (\S+)", check["run"]))


def test_the_docs_list_every_suffix_the_hooks_look_at() -> None:
    section = (DOCS / "ci.md").read_text(encoding="utf-8").split("## pre-commit hooks")[1]
    section = section.split("\n## ")[0]
    listed = set(re.findall(r"`(\.[a-z]+)`", section))
    assert listed >= set(REPORT_SUFFIXES)  # and some of the formats refused, as examples
    assert all(
        re.search(files_pattern(), f"reports/2020/r{suffix}") for suffix in listed - {".CSV"}
    )
