"""A reports repository: the CI services it may run on, and the files `qcheck init` writes.

Light to import (the command's options read it at start-up); the files are made by
qcheck.repository.scaffold.
"""

from __future__ import annotations

DEFAULT_REPORTS = "reports"  # the folder of year folders (reports/2020/...)
# The settings file, and the table of pyproject.toml that serves as one.
CONFIG_NAME = "qcheck.toml"
PYPROJECT_NAME = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "qcheck")
CI_SERVICES = ("github", "gitlab")
# The results a CI job writes (with -o) and keeps, by format: one name each, for every service.
CI_OUTPUTS = {
    "junit": "qcheck-junit.xml",
    "sarif": "qcheck.sarif",
    "markdown": "qcheck.md",
    "codequality": "qcheck.codequality.json",
}
# Where each service reads its workflow, and the template it is written from.
CI_FILES = {
    "github": (".github/workflows/qcheck.yml", "github-workflow.yml.j2"),
    "gitlab": (".gitlab-ci.yml", "gitlab-ci.yml.j2"),
}
