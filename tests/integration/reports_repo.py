"""A reports repository in a temporary folder, its commits checked by qcheck's pre-commit hooks.

The hooks come from the working tree: its tracked files, as they are now (uncommitted edits
included), are copied into a git repository of their own (the *hook source*), which pre-commit
clones by path at its one commit, as a reports repository would clone qcheck's at a tag.

Nothing is downloaded. pre-commit builds the hooks' environment with virtualenv (seeded from the
wheels virtualenv embeds) and ``pip install .`` of its clone; pip is given no index, and finds
qcheck's dependencies and the build backend already installed, in a folder of links to the
distributions of the running interpreter that they need (qcheck itself left out) put on
PYTHONPATH. So qcheck is built from the snapshot and installed into the hooks' environment,
and that is the qcheck the hooks run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: The build backend of qcheck's pyproject.toml, for ``pip install .`` without isolation.
BUILD_BACKEND = "hatchling"
#: Variables of the caller's environment that would change what git, pip, virtualenv,
#: pre-commit or qcheck do: a developer's pip index, a hook's GIT_DIR, a CI's step summary.
DROPPED_PREFIXES = (
    "GIT_",
    "PIP_",
    "VIRTUALENV_",
    "PRE_COMMIT",
    "PYTHON",
    "QCHECK_",
    "GITHUB_",
    "GITLAB_",
)
CONFIG = ".pre-commit-config.yaml"
IDENTITY = "[user]\n\tname = Report Clerk\n\temail = clerk@example.invalid\n"
#: The language the hooks speak unless a commit asks for another (``QCHECK_LANG="zh"``).
LANG = "en"
#: pre-commit's line for each hook it ran: its name, dots, and how it ended.
STATUS_LINE = re.compile(
    r"^(?P<name>\S.*?)\.+(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)$",
    re.MULTILINE,
)
#: The head of a hook's section, before what the hook printed: ``- hook id: …``,
#: ``- exit code: …`` (failed hooks), ``- duration: …`` (verbose runs), then a blank line.
SECTION_HEAD = re.compile(r"\A(?:- [^\n]*\n)*\n?")
EXIT_CODE = re.compile(r"^- exit code: (?P<code>-?\d+)$", re.MULTILINE)


@dataclass(frozen=True)
class HookSource:
    """The working tree's snapshot as a hook repository, and the environment to run it offline.

    ``names`` maps each hook's id to its name, as the snapshot's ``.pre-commit-hooks.yaml``
    declares them, in its order; ``home`` holds pre-commit's cache, shared by a session.
    """

    repo: Path
    rev: str
    names: Mapping[str, str]
    home: Path
    env: Mapping[str, str]


@dataclass(frozen=True)
class HookRun:
    """One hook as a commit's output shows it: how it ended and what it printed.

    ``status`` is ``Passed``, ``Failed`` or ``Skipped`` (no file of the commit was its);
    ``exit_code`` is shown by pre-commit for a failed hook only, else None.
    """

    name: str
    status: str
    exit_code: int | None
    output: str


def git_program() -> str | None:
    """Return the path of git, or None where it is not installed."""
    return shutil.which("git")


def run(
    args: Sequence[str | Path], cwd: Path, env: Mapping[str, str], *, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a command in ``cwd``; return its exit code and its output (stderr merged in order).

    With ``check``, a command that fails raises, its output in the message.
    """
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if check and done.returncode != 0:
        shown = " ".join(str(arg) for arg in args)
        raise RuntimeError(f"{shown} exited {done.returncode} in {cwd}:\n{done.stdout}")
    return done


def git(*args: str | Path, cwd: Path, env: Mapping[str, str]) -> str:
    """Run git in ``cwd``; it must succeed. Return what it printed."""
    return run([git_program() or "git", *args], cwd, env, check=True).stdout


def offline_env(home: Path, overlay: Path, base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Return the environment git and pre-commit run in: isolated from the caller's, offline.

    ``home`` holds git's global configuration (an identity, nothing else), pre-commit's cache
    and virtualenv's data; ``overlay`` is the folder of qcheck's installed dependencies (see
    :func:`dependency_overlay`).
    """
    env = {name: value for name, value in base.items() if not name.startswith(DROPPED_PREFIXES)}
    config = home / "gitconfig"
    config.write_text(IDENTITY, encoding="utf-8")
    env.update(
        GIT_CONFIG_GLOBAL=str(config),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(home / "pre-commit"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(home / "virtualenv"),
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        VIRTUALENV_DOWNLOAD="0",
        PIP_CONFIG_FILE=os.devnull,  # no index or find-links from this machine's pip.conf
        PIP_NO_INDEX="1",
        # pip reads a --no-* flag's variable as the value of the option it negates: 0 turns
        # build isolation off, so the build backend is the installed one, not a download.
        PIP_NO_BUILD_ISOLATION="0",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONPATH=str(overlay),
        QCHECK_LANG=LANG,
    )
    return env


def needed_distributions(roots: Iterable[str]) -> dict[str, metadata.Distribution]:
    """Return the installed distributions ``roots`` need to run, by name, roots included.

    A distribution's own requirements are followed, those of its extras are not.
    """
    found: dict[str, metadata.Distribution] = {}
    pending = list(roots)
    while pending:
        name = canonicalize_name(pending.pop())
        if name in found:
            continue
        try:
            found[name] = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise RuntimeError(
                f"{name} is not installed: install qcheck with its test extra (.[test])"
            ) from None
        for text in found[name].requires or ():
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return found


def dependency_overlay(folder: Path) -> Path:
    """Link into ``folder`` the installed distributions qcheck and its build backend need.

    qcheck's own files are left out, so that the hooks can import qcheck only from their
    environment, where pip installed the snapshot.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, distribution in needed_distributions(["qcheck", BUILD_BACKEND]).items():
        if name == "qcheck":
            continue
        if not distribution.files:
            raise RuntimeError(f"{name} was installed without a record of its files")
        for top in {file.parts[0] for file in distribution.files}:
            if top in {"..", "__pycache__"} or top.endswith(".pth"):
                continue  # scripts, caches and path files: nothing to import
            link = folder / top
            if not link.exists():
                link.symlink_to(Path(str(distribution.locate_file(top))))
    return folder


def snapshot(tree: Path, folder: Path, env: Mapping[str, str]) -> str:
    """Copy ``tree``'s tracked files as they are now into a new repository; return its commit.

    A file not yet added to git is not in the snapshot; a tracked file deleted is left out.
    """
    listed = git("ls-files", "-z", "--cached", cwd=tree, env=env)
    for name in sorted({name for name in listed.split("\0") if name}):
        source = tree / name
        if source.is_file() or source.is_symlink():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    git("init", "--quiet", cwd=folder, env=env)
    git("add", "--all", "--force", cwd=folder, env=env)
    git("commit", "--quiet", "--no-verify", "-m", "Working tree", cwd=folder, env=env)
    return git("rev-parse", "HEAD", cwd=folder, env=env).strip()


def shipped_hooks(repo: Path) -> dict[str, str]:
    """Return the hooks ``repo``'s ``.pre-commit-hooks.yaml`` declares: each id to its name."""
    declared = yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {str(hook["id"]): str(hook["name"]) for hook in declared}


def snapshot_hooks(tree: Path, home: Path) -> HookSource:
    """Snapshot ``tree`` as a hook repository under ``home``, to be run offline from there."""
    env = offline_env(home, dependency_overlay(home / "site-packages"))
    folder = home / "hooks-repo"
    folder.mkdir()
    rev = snapshot(tree, folder, env)
    return HookSource(repo=folder, rev=rev, names=shipped_hooks(folder), home=home, env=env)


def hooks_config(source: HookSource, hooks: Sequence[Mapping[str, Any]] | None = None) -> str:
    """Return a ``.pre-commit-config.yaml`` using ``hooks`` (default: every hook, as shipped).

    Each hook is a mapping as the file writes it: ``{"id": "qcheck-validate", "args": [...]}``.
    """
    chosen = [{"id": hook} for hook in source.names] if hooks is None else [*map(dict, hooks)]
    config = {"repos": [{"repo": str(source.repo), "rev": source.rev, "hooks": chosen}]}
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def pointed_at(config: str, source: HookSource) -> str:
    """Return pre-commit's ``config`` with qcheck's entry cloning ``source`` at its commit.

    qcheck's entry is any remote one all of whose hooks are qcheck's, as a config written for
    users names a released qcheck; its hooks and their options are kept, the others untouched.
    """
    loaded = yaml.safe_load(config)
    for entry in loaded.get("repos", []):
        ids = {hook["id"] for hook in entry.get("hooks", [])}
        if entry.get("repo") not in {"local", "meta"} and ids and ids <= set(source.names):
            entry.update(repo=str(source.repo), rev=source.rev)
    return yaml.safe_dump(loaded, sort_keys=False, allow_unicode=True)


def hook_runs(output: str) -> dict[str, HookRun]:
    """Return the hooks a commit's (or ``pre-commit run``'s) output shows, by name, in order."""
    lines = list(STATUS_LINE.finditer(output))
    runs = {}
    for index, line in enumerate(lines):
        end = lines[index + 1].start() if index + 1 < len(lines) else len(output)
        section = output[line.end() : end].lstrip("\n")
        head = SECTION_HEAD.match(section)
        printed = section[head.end() :] if head else section
        code = EXIT_CODE.search(head.group()) if head else None
        runs[line["name"]] = HookRun(
            name=line["name"],
            status=line["status"],
            exit_code=int(code["code"]) if code else None,
            output=printed.strip("\n"),
        )
    return runs


class ReportsRepo:
    """A git repository of reports with qcheck's hooks installed: add files, commit, look."""

    def __init__(self, path: Path, source: HookSource) -> None:
        self.path = path
        self.source = source
        self.env = dict(source.env)

    @classmethod
    def empty(cls, path: Path, source: HookSource) -> ReportsRepo:
        """Make an empty git repository at ``path``: no config yet, no hook installed."""
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path, source)
        repo.git("init", "--quiet", "--initial-branch=main")
        return repo

    @classmethod
    def create(
        cls, path: Path, source: HookSource, hooks: Sequence[Mapping[str, Any]] | None = None
    ) -> ReportsRepo:
        """Make a repository at ``path``, its first commit the hooks' config, the hooks installed.

        ``hooks`` as for :func:`hooks_config`; the first commit is made without them.
        """
        repo = cls.empty(path, source)
        repo.add(CONFIG, hooks_config(source, hooks))
        repo.git("commit", "--quiet", "--no-verify", "-m", "Check reports with qcheck")
        repo.install()
        return repo

    def install(self) -> None:
        """Install pre-commit's git hook, qcheck's hooks from the snapshot (the config staged).

        A config written for users (one naming a released qcheck) is pointed at the snapshot
        first, its hooks' options kept: see :func:`pointed_at`.
        """
        config = self.path / CONFIG
        self.add(CONFIG, pointed_at(config.read_text(encoding="utf-8"), self.source))
        self.pre_commit("install", check=True)

    def git(self, *args: str) -> str:
        """Run git in the repository; it must succeed. Return what it printed."""
        return git(*args, cwd=self.path, env=self.env)

    def pre_commit(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run pre-commit (the one installed with this interpreter) in the repository."""
        return run([sys.executable, "-m", "pre_commit", *args], self.path, self.env, check=check)

    def write(self, name: str, content: str | bytes) -> Path:
        """Write ``content`` to ``name`` in the repository (folders made), without adding it."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def add(self, name: str, content: str | bytes) -> Path:
        """Write ``content`` to ``name`` and stage it for the next commit."""
        path = self.write(name, content)
        self.git("add", "--", name)
        return path

    def commit(self, message: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Commit what is staged, hooks and all; return git's exit code and everything printed.

        ``args`` go to ``git commit``; ``env`` adds variables for this commit only (e.g.
        ``QCHECK_LANG="zh"``, ``GITHUB_ACTIONS="true"``). Read the hooks with :func:`hook_runs`.
        """
        command = [git_program() or "git", "commit", "--quiet", "-m", message, *args]
        return run(command, self.path, {**self.env, **env})

    def runs(self, output: str) -> dict[str, HookRun]:
        """Return the hooks ``output`` shows, by id (a hook not of qcheck's by its name)."""
        ids = {name: hook_id for hook_id, name in self.source.names.items()}
        return {ids.get(name, name): run for name, run in hook_runs(output).items()}

    def committed(self, name: str) -> bool:
        """Return whether the last commit holds ``name``."""
        return bool(self.git("ls-tree", "--name-only", "HEAD", "--", name).strip())
