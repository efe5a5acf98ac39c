"""docs/gitlab-ci.yml: a job GitLab can load, running a command qcheck knows, keeping its files."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from qcheck.cli import main
from qcheck.formats import format_of_path
from tests.helpers import REPO_ROOT, SAMPLES, SIX_REGIONS, run_cli
from tests.renderers.test_codequality import check_codequality

JOB_FILE = REPO_ROOT / "docs" / "gitlab-ci.yml"


def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(JOB_FILE.read_text(encoding="utf-8"))
    return document


def _job() -> dict[str, Any]:
    job: dict[str, Any] = _document()["qcheck"]
    return job


def _command() -> list[str]:
    """Return the qcheck line of the job's script, split as the shell splits it."""
    (line,) = [line for line in _job()["script"] if line.startswith("qcheck ")]
    words = shlex.split(line)
    assert words[:2] == ["qcheck", "evaluate"]
    return words[2:]


def _arguments() -> list[str]:
    """Return evaluate's arguments in the job's line."""
    return _command()


def _kept_files() -> list[str]:
    artifacts = _job()["artifacts"]
    return [*artifacts.get("paths", []), *artifacts["reports"].values()]


def test_the_job_parses_as_gitlab_reads_it() -> None:
    document = _document()
    assert document["variables"]["QCHECK_REQUIREMENT"]
    job = _job()
    assert any("$QCHECK_REQUIREMENT" in line for line in job["before_script"])
    assert job["allow_failure"] == {"exit_codes": [1]}
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["expose_as"]
    assert set(artifacts["reports"]) == {"codequality", "junit"}


def test_the_job_runs_options_evaluate_knows() -> None:
    evaluate = main.commands["evaluate"]
    # An unknown option, a format qcheck lacks or an --output suffix naming none is refused.
    context = evaluate.make_context("evaluate", _arguments())
    assert context.params["output_format"] == "table"
    outputs = context.params["outputs"]
    assert sorted(_kept_files()) == sorted(outputs)  # every file it writes is kept, and only those
    reports = _job()["artifacts"]["reports"]
    assert format_of_path(reports["codequality"]) == "codequality"
    assert format_of_path(reports["junit"]) == "junit"
    with pytest.raises(click.UsageError):
        evaluate.make_context("evaluate", [*_arguments(), "--no-such-option"])


def test_the_job_writes_every_file_it_keeps(in_tmp: Path) -> None:
    year = in_tmp / "reports" / "2020"
    year.mkdir(parents=True)
    for region in SIX_REGIONS:
        shutil.copy(SAMPLES / "counties" / f"{region}.csv", year)
    shutil.copy(SAMPLES / "city-2020.csv", year)
    result = run_cli(["evaluate", *_arguments()])
    assert result.exit_code in (0, *_job()["allow_failure"]["exit_codes"]), result.output
    for name in _kept_files():
        assert (in_tmp / name).stat().st_size > 0, name
    issues = check_codequality((in_tmp / _job()["artifacts"]["reports"]["codequality"]).read_text())
    assert {issue["location"]["path"].split("/")[0] for issue in issues} <= {"reports"}
    assert json.dumps(issues)  # read back as GitLab does
