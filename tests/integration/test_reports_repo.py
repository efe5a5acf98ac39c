"""The harness proven: the hooks run the working tree's qcheck, offline, and are read right."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.integration.reports_repo import (
    CONFIG,
    HookRun,
    HookSource,
    ReportsRepo,
    git,
    hook_runs,
    offline_env,
    pointed_at,
    snapshot,
)

#: What pre-commit printed for a commit of one bad report and a README, as it prints it.
PRINTED = """\
qcheck validate..........................................................Failed
- hook id: qcheck-validate
- exit code: 2

Where                          Code           Problem
reports/2020/a.csv, row 4      not-a-number   '九十五' is not a number

qcheck evaluate..........................................................Passed
markdown lint........................................(no files to check)Skipped
"""


WORDS = st.text(alphabet="abcdefghij 甘州区", min_size=1, max_size=12).map(str.strip).filter(bool)
HOOK_RUNS = st.lists(
    st.builds(
        HookRun,
        name=WORDS,
        status=st.sampled_from(["Passed", "Failed", "Skipped"]),
        exit_code=st.none(),
        output=st.lists(WORDS, max_size=3).map("\n".join),
    ),
    max_size=4,
    unique_by=lambda run: run.name,
)


def printed(run: HookRun, code: int) -> str:
    """Return ``run`` as pre-commit prints it: a failed hook with its id, exit code and output."""
    ending = "(no files to check)Skipped" if run.status == "Skipped" else run.status
    line = run.name + "." * max(79 - len(run.name) - len(ending), 3) + ending + "\n"
    if run.status != "Failed":
        return line
    return f"{line}- hook id: some-hook\n- exit code: {code}\n\n{run.output}\n\n"


def hook_env(source: HookSource) -> Path:
    """Return the one environment pre-commit built for the hooks."""
    (found,) = (source.home / "pre-commit").glob("repo*/py_env-*")
    return found


def test_a_commits_output_is_read_hook_by_hook() -> None:
    assert hook_runs(PRINTED) == {
        "qcheck validate": HookRun(
            name="qcheck validate",
            status="Failed",
            exit_code=2,
            output="Where                          Code           Problem\n"
            "reports/2020/a.csv, row 4      not-a-number   '九十五' is not a number",
        ),
        "qcheck evaluate": HookRun("qcheck evaluate", "Passed", None, ""),
        "markdown lint": HookRun("markdown lint", "Skipped", None, ""),
    }


@settings(max_examples=100, deadline=None)
@given(runs=HOOK_RUNS, code=st.integers(min_value=1, max_value=255))
def test_any_commits_output_is_read_back_hook_by_hook(runs: list[HookRun], code: int) -> None:
    output = "".join(printed(run, code) for run in runs)
    expected = {
        run.name: HookRun(run.name, run.status, code, run.output)
        if run.status == "Failed"
        else HookRun(run.name, run.status, None, "")
        for run in runs
    }
    assert hook_runs(output) == expected


def test_the_environment_keeps_nothing_of_the_callers_that_would_change_a_run(
    tmp_path: Path,
) -> None:
    caller = {
        "PATH": "/usr/bin",
        "PIP_INDEX_URL": "https://mirror.example/simple",
        "PIP_FIND_LINKS": "/wheels",
        "GIT_DIR": "/elsewhere/.git",
        "GITHUB_STEP_SUMMARY": "/runner/summary.md",
        "PRE_COMMIT_HOME": "/home/me/.cache/pre-commit",
        "QCHECK_LANG": "zh",
        "PYTHONPATH": "/home/me/lib",
    }
    env = offline_env(tmp_path, tmp_path / "site-packages", caller)
    assert env["PATH"] == "/usr/bin"
    assert env["PYTHONPATH"] == str(tmp_path / "site-packages")
    assert env["PRE_COMMIT_HOME"] == str(tmp_path / "pre-commit")
    assert env["QCHECK_LANG"] == "en"
    assert (env["PIP_NO_INDEX"], env["PIP_NO_BUILD_ISOLATION"]) == ("1", "0")
    for dropped in ("PIP_INDEX_URL", "PIP_FIND_LINKS", "GIT_DIR", "GITHUB_STEP_SUMMARY"):
        assert dropped not in env


def test_the_snapshot_holds_uncommitted_edits_and_no_untracked_file(
    git_path: str, tmp_path: Path
) -> None:
    env = offline_env(tmp_path, tmp_path / "site-packages")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "kept.txt").write_text("as committed\n", encoding="utf-8")
    (tree / "staged.txt").write_text("staged, never committed\n", encoding="utf-8")
    (tree / "gone.txt").write_text("deleted after the commit\n", encoding="utf-8")
    for args in (["init", "--quiet"], ["add", "kept.txt", "gone.txt"], ["commit", "-qm", "one"]):
        subprocess.run([git_path, *args], cwd=tree, env=env, check=True)
    (tree / "kept.txt").write_text("edited, not committed\n", encoding="utf-8")
    subprocess.run([git_path, "add", "staged.txt"], cwd=tree, env=env, check=True)
    (tree / "gone.txt").unlink()
    (tree / "untracked.txt").write_text("never added\n", encoding="utf-8")
    copy = tmp_path / "copy"
    copy.mkdir()
    rev = snapshot(tree, copy, env)
    assert git("rev-parse", "HEAD", cwd=copy, env=env).strip() == rev
    assert git("status", "--porcelain", cwd=copy, env=env) == ""
    assert git("ls-files", cwd=copy, env=env).split() == ["kept.txt", "staged.txt"]
    assert (copy / "kept.txt").read_text(encoding="utf-8") == "edited, not committed\n"


def test_the_hooks_run_the_qcheck_pip_installed_from_the_snapshot(
    hook_source: HookSource, reports_repo: ReportsRepo
) -> None:
    env = hook_env(hook_source)
    (installed,) = env.glob("lib/python*/site-packages/qcheck-*.dist-info")
    origin = json.loads((installed / "direct_url.json").read_text(encoding="utf-8"))
    clone = Path(origin["url"].removeprefix("file://"))
    assert clone.parent == hook_source.home / "pre-commit"
    assert git("rev-parse", "HEAD", cwd=clone, env=hook_source.env).strip() == hook_source.rev
    imported = subprocess.run(
        [env / "bin" / "python", "-c", "import qcheck, pydantic; print(qcheck.__file__)"],
        cwd=reports_repo.path,
        env=dict(hook_source.env),
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(imported.stdout.strip()).is_relative_to(env)
    assert not list((hook_source.home / "site-packages").glob("qcheck*"))


#: A config as written for users: qcheck at a release, with options, beside another repository.
QCHECK_ENTRY = """\
  - repo: https://github.com/example/qcheck
    rev: v0.1.0
    hooks:
      - id: qcheck-validate
        args: [--lang, zh]
"""
OTHER_ENTRY = """\
  - repo: https://github.com/example/other-hooks
    rev: v1.0.0
    hooks:
      - id: check-yaml
"""
USERS_CONFIG = f"repos:\n{QCHECK_ENTRY}{OTHER_ENTRY}"
BAD_CITY = "指标,年份,地区,数值\n重点消费品质量监督抽查合格率,2020,全市,九十五\n"


def test_a_users_config_is_pointed_at_the_snapshot_its_options_kept(tmp_path: Path) -> None:
    source = HookSource(
        repo=tmp_path / "hooks-repo",
        rev="0123abc",
        names={"qcheck-validate": "qcheck validate", "qcheck-evaluate": "qcheck evaluate"},
        home=tmp_path,
        env={},
    )
    qcheck, other = yaml.safe_load(pointed_at(USERS_CONFIG, source))["repos"]
    assert qcheck == {
        "repo": str(source.repo),
        "rev": "0123abc",
        "hooks": [{"id": "qcheck-validate", "args": ["--lang", "zh"]}],
    }
    assert other == yaml.safe_load(USERS_CONFIG)["repos"][1]
    unknown = replace(source, names={"qcheck-evaluate": "qcheck evaluate"})
    assert yaml.safe_load(pointed_at(USERS_CONFIG, unknown)) == yaml.safe_load(USERS_CONFIG)


def test_a_repository_with_a_users_config_runs_the_hooks_with_its_options(
    hook_source: HookSource, tmp_path: Path
) -> None:
    repo = ReportsRepo.empty(tmp_path / "reports", hook_source)
    repo.write(CONFIG, f"repos:\n{QCHECK_ENTRY}")
    repo.install()
    repo.add("reports/2020/city.csv", BAD_CITY)
    done = repo.commit("2020年全市报表")
    validate = repo.runs(done.stdout)["qcheck-validate"]
    assert (done.returncode, validate.status, validate.exit_code) == (1, "Failed", 2)
    assert "reports/2020/city.csv，第2行，“数值”列" in validate.output
    assert list(repo.runs(done.stdout)) == ["qcheck-validate"]
