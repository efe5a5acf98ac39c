"""The files of a new reports repository, as `qcheck init` writes them, in the chosen language.

Pure: ``scaffold`` returns each file's path and text; the CLI writes them. docs/ci.md's
example workflows are these files written in English (a test checks them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qcheck.hooks import HOOKS, files_pattern, hook_fields, yaml_lines
from qcheck.repository import CI_FILES, CI_OUTPUTS, CONFIG_NAME, DEFAULT_REPORTS
from qcheck.words import Lang, label

if TYPE_CHECKING:
    from jinja2 import Environment

HOOKS_CONFIG = ".pre-commit-config.yaml"
KEEP = ".gitkeep"  # git keeps no empty folder: a year's folder holds this until its reports come


@dataclass(frozen=True)
class HooksSource:
    """Where pre-commit gets the hooks: qcheck's repository at a commit, or the qcheck installed."""

    repo: str | None = None  # a git URL; None: hooks run the qcheck on PATH (language: system)
    rev: str | None = None


@dataclass(frozen=True)
class Scaffold:
    """What a new reports repository is set up with."""

    lang: Lang
    years: tuple[int, ...]  # a folder for each
    ci: tuple[str, ...] = ("github",)  # of CI_SERVICES
    reports: str = DEFAULT_REPORTS
    targets: str | None = None  # a targets file; None: the catalogue built into qcheck
    fail_on: str = "fail"
    requirement: str = "qcheck"  # what CI installs with pip: pinned
    hooks: HooksSource = HooksSource()


def scaffold(setup: Scaffold) -> dict[str, str]:
    """Return each file of a new reports repository (its path, with /) and its text."""
    environment = _environment(setup.lang)
    files = {
        CONFIG_NAME: _render(environment, "qcheck.toml.j2", setup=setup),
        HOOKS_CONFIG: _render(environment, "pre-commit-config.yaml.j2", setup=setup),
        f"{setup.reports}/README.md": _render(environment, "reports-readme.md.j2", setup=setup),
    }
    for service in setup.ci:
        path, template = CI_FILES[service]
        files[path] = _render(environment, template, setup=setup)
    for year in setup.years:
        files[f"{setup.reports}/{year}/{KEEP}"] = ""
    return files


def _render(environment: Environment, template: str, **values: object) -> str:
    return environment.get_template(template).render(**values)


def _environment(lang: Lang) -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("qcheck.repository", "templates"),
        autoescape=False,  # noqa: S701 - TOML, YAML and Markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    environment.globals["say"] = lambda key, **params: label(lang, key, **params)
    environment.globals["hook_lines"] = _hook_lines
    environment.globals["outputs"] = CI_OUTPUTS
    environment.filters["quoted"] = lambda value: json.dumps(value, ensure_ascii=False)
    environment.filters["comment"] = _comment
    environment.filters["pattern"] = files_pattern
    return environment


def _comment(text: str, indent: int = 0) -> str:
    """Return ``text`` as comment lines (``# ...``), indented by ``indent`` spaces."""
    pad = " " * indent
    return "\n".join(f"{pad}# {line}".rstrip() for line in text.splitlines())


def _hook_lines(setup: Scaffold, indent: int) -> str:
    """Return the hooks of .pre-commit-config.yaml: ids from qcheck's repository, or in full."""
    pad = " " * indent
    lines: list[str] = []
    for hook in HOOKS:
        if setup.hooks.repo is not None:
            lines.append(f"{pad}- id: {hook.id}")
            if setup.reports != DEFAULT_REPORTS:
                lines.append(f"{pad}  files: {json.dumps(files_pattern(setup.reports))}")
            continue
        fields = hook_fields(hook, reports=setup.reports)
        fields["language"] = "system"  # the qcheck installed where the commit is made
        lines += yaml_lines(fields, pad)
    return "\n".join(lines)
