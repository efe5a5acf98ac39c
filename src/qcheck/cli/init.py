"""The body of `qcheck init`: write a new reports repository's settings, folders, hooks and CI."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path, PurePosixPath

from qcheck import __version__
from qcheck.cli.messages import BadValue, note, say
from qcheck.cli.streams import echo
from qcheck.loaders.targets import load_catalogue
from qcheck.repository.scaffold import HooksSource, Scaffold, scaffold
from qcheck.words import Listed
from qcheck.writing import write_atomic


def init_repository(
    *,
    folder: str,
    ci: tuple[str, ...],
    reports: str,
    targets_path: str | None,
    fail_on: str,
    lang: str,
    requirement: str | None = None,
) -> None:
    """Write the files of a new reports repository into ``folder``; refuse to overwrite any.

    A targets file outside ``folder`` is copied into it: CI reads the repository alone.
    """
    root = Path(folder)
    catalogue = load_catalogue(Path(targets_path) if targets_path else None)
    plan = catalogue.plan
    installed, hooks = installed_source()
    if requirement is None and hooks.repo is None:
        # Not from git: a release of this version, which the index CI uses may not serve.
        note("init_requirement", requirement=installed)
    source = Path(targets_path) if targets_path else None
    inside = _inside(root, source) if source else None
    targets = inside or (Path(source.name) if source else None)  # outside: copied in
    setup = Scaffold(
        lang=lang,
        years=tuple(range(plan.start_year, plan.target_year + 1)),
        ci=tuple(dict.fromkeys(service for service in ci if service != "none")),
        reports=_reports_folder(reports),
        targets=targets.as_posix() if targets else None,
        fail_on=fail_on,
        requirement=requirement or installed,
        hooks=hooks,
    )
    # A year's folder that is there already needs no file to keep it.
    files: dict[str, str | bytes] = {
        path: text
        for path, text in scaffold(setup).items()
        if text or not (root / path).parent.is_dir()
    }
    if source is not None and inside is None:
        files[source.name] = source.read_bytes()
    there = [path for path in files if _taken(root, path)]
    if there:
        raise BadValue("init_exists", param_hint="'FOLDER'", paths=Listed(there))
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
        echo(say("init_wrote", path=str(target)) + "\n")
    year_folder = root / setup.reports / str(setup.years[-1])
    echo(say("init_next", year=setup.years[-1], folder=f"{year_folder}/") + "\n")


def _reports_folder(reports: str) -> str:
    """Return the reports folder as the hooks' pattern names it; refuse one outside the repository.

    It must be a relative path inside the repository, without ``..``: pre-commit names files
    from the repository's root, and a pattern for any other folder would match nothing.
    """
    named = PurePosixPath(reports.replace("\\", "/"))
    if named.is_absolute() or ".." in named.parts or str(named) in ("", "."):
        raise BadValue("init_reports", param_hint="'--reports'", reports=reports)
    return str(named)


def _taken(root: Path, path: str) -> bool:
    """Whether writing ``path`` in ``root`` would replace a file (or meet one as a folder)."""
    target = root / path
    if target.exists() or target.is_symlink():
        return True
    return any(parent.exists() and not parent.is_dir() for parent in target.parents)


def _inside(root: Path, targets: Path) -> Path | None:
    """Return the targets file's path from ``root``, if it is inside it."""
    try:
        return targets.resolve().relative_to(root.resolve())
    except ValueError:
        return None


def installed_source() -> tuple[str, HooksSource]:
    """Return the pip requirement of the qcheck running, pinned, and where its hooks are.

    Installed from a commit of a git repository (PEP 610's direct_url.json says so), both are
    that commit; otherwise the released version, and the hooks run the qcheck installed.
    """
    try:
        direct = distribution("qcheck").read_text("direct_url.json")
    except PackageNotFoundError:
        direct = None
    if direct:
        found = json.loads(direct)
        vcs = found.get("vcs_info") or {}
        if vcs.get("vcs") == "git" and vcs.get("commit_id"):
            url, commit = str(found["url"]), str(vcs["commit_id"])
            return f"qcheck @ git+{url}@{commit}", HooksSource(repo=url, rev=commit)
    return f"qcheck=={__version__}", HooksSource()
