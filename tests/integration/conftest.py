"""End-to-end tests: qcheck's pre-commit hooks installed in a reports repository, offline.

A test layer of its own, mirroring no module (see ``reports_repo.py``). Every test here is
marked ``pre_commit`` (``pytest -m pre_commit`` runs them alone). The hooks' environment is
built once a session, in a pre-commit cache the tests share. Without git the tests are
skipped, with the reason; where the environment variable CI is set they fail instead, so that
CI cannot pass without running them. An environment pre-commit cannot build fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT
from tests.integration.reports_repo import HookSource, ReportsRepo, git_program, snapshot_hooks

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``pre_commit``."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.pre_commit)


@pytest.fixture(scope="session")
def git_path() -> str:
    """Return the path of git (skip without it, or fail where CI is set)."""
    found = git_program()
    if found is None:
        reason = "git is not installed: the pre-commit tests need it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so they may not be skipped)")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def hook_source(git_path: str, tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """Return the working tree's snapshot as a hook repository, its environment built."""
    source = snapshot_hooks(REPO_ROOT, tmp_path_factory.mktemp("pre-commit"))
    # Build the hooks' environment here, once, so that a failure to build it is reported as
    # such, with pre-commit's log, rather than as the first test's refused commit.
    repo = ReportsRepo.create(source.home / "first-reports-repo", source)
    installed = repo.pre_commit("install-hooks")
    if installed.returncode != 0:
        log = source.home / "pre-commit" / "pre-commit.log"
        shown = log.read_text(encoding="utf-8") if log.exists() else installed.stdout
        pytest.fail(f"pre-commit could not build the hooks' environment offline:\n{shown}")
    return source


@pytest.fixture
def reports_repo(tmp_path: Path, hook_source: HookSource) -> ReportsRepo:
    """Return a reports repository with every hook qcheck ships installed, as shipped."""
    return ReportsRepo.create(tmp_path / "reports", hook_source)
