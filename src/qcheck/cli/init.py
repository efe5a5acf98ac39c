"""The body of `qcheck init`: write a new reports repository's settings, folders, hooks and CI."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from qcheck import __version__
from qcheck.cli.messages import BadValue, say
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
) -> None:
    """Write the files of a new reports repository into ``folder``; refuse to overwrite any."""
    root = Path(folder)
    catalogue = load_catalogue(Path(targets_path) if targets_path else None)
    plan = catalogue.plan
    requirement, hooks = installed_source()
    setup = Scaffold(
        lang=lang,
        years=tuple(range(plan.start_year, plan.target_year + 1)),
        ci=tuple(dict.fromkeys(service for service in ci if service != "none")),
        reports=reports.strip("/") or ".",
        targets=_from(root, targets_path) if targets_path else None,
        fail_on=fail_on,
        requirement=requirement,
        hooks=hooks,
    )
    # A year's folder that is there already needs no file to keep it.
    files = {
        path: text
        for path, text in scaffold(setup).items()
        if text or not (root / path).parent.exists()
    }
    there = [path for path in files if (root / path).exists()]
    if there:
        raise BadValue("init_exists", param_hint="'FOLDER'", paths=Listed(there))
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
        echo(say("init_wrote", path=str(target)) + "\n")
    year_folder = root / setup.reports / str(setup.years[-1])
    echo(say("init_next", year=setup.years[-1], folder=f"{year_folder}/") + "\n")


def _from(root: Path, path: str) -> str:
    """Return a path given from the working folder as the settings in ``root`` name it."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


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
