"""The shipped GitHub workflow's qcheck steps, run as a script as the runner would run them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO_ROOT, SAMPLES, run_cli
from tests.renderers.test_formats import check_sarif

WORKFLOW = REPO_ROOT / "docs" / "github-workflow.yml"
BIN = Path(sys.executable).parent  # the qcheck the step's `pip install` would have installed
LIMIT = 10  # GitHub shows at most 10 annotations of each level per step


def steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    found: list[dict[str, object]] = workflow["jobs"]["qcheck"]["steps"]
    return found


def qcheck_script() -> str:
    """Return the workflow's steps that run qcheck (not the install), as one script."""
    runs = [str(step["run"]) for step in steps() if "run" in step]
    return "\n".join(run for run in runs if run.lstrip().startswith("qcheck "))


def uploaded() -> set[str]:
    kept = next(step for step in steps() if "upload-artifact" in str(step.get("uses")))
    return set(str(kept["with"]["path"]).split())  # type: ignore[index]


def run_workflow(repo: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    summary = repo.parent / "step-summary.md"
    summary.write_text("## An earlier step\n", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QCHECK_", "GITHUB_"))
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
        LANG="C.UTF-8",
    )
    done = subprocess.run(
        ["bash", "-e", "-c", qcheck_script()],  # noqa: S607 - bash, as the runner runs a step
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done, summary


def outside_actions(repo: Path, output_format: str) -> str:
    """Return what `qcheck evaluate --layout` prints in ``output_format``, not under Actions."""
    return subprocess.run(
        [str(BIN / "qcheck"), "evaluate", "--layout", "--format", output_format],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    ).stdout


def annotated(stdout: str, level: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(f"::{level} ")]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make a reports repository with `qcheck init`, with 2019 and 2020's reports."""
    root = tmp_path / "reports-repo"
    root.mkdir()
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    made = run_cli(["init", "--lang", "en"])
    assert made.exit_code == 0, made.output
    # The workflow it wrote is the one the docs ship.
    written = (root / ".github" / "workflows" / "qcheck.yml").read_text(encoding="utf-8")
    assert (
        written.split("QCHECK_REQUIREMENT:")[0]
        == WORKFLOW.read_text(encoding="utf-8").split("QCHECK_REQUIREMENT:")[0]
    )
    shutil.copy(SAMPLES / "report-2019-progress.csv", root / "reports" / "2019")
    for path in [SAMPLES / "city-2020.csv", *sorted((SAMPLES / "counties").glob("*.csv"))]:
        shutil.copy(path, root / "reports" / "2020")
    return root


def test_the_steps_write_every_file_the_workflow_keeps(repo: Path) -> None:
    done, summary = run_workflow(repo)
    assert done.returncode == 1, done.stderr  # 2019 has a target not met, told truthfully
    assert all((repo / name).is_file() for name in uploaded())
    results = check_sarif((repo / "qcheck.sarif").read_text(encoding="utf-8"))
    assert results
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## An earlier step\n")  # appended, as a step's summary is
    assert "### ❌ Zhangye City: quality targets, 2019" in text
    assert "### 🟡 Zhangye City: quality targets, 2020" in text  # met, one at risk
    assert "| 96 enterprises | -4 enterprises | ❌ not met |" in text
    # Each year is one merged dataset: 2020 has all seven files, so nothing is missing.
    reports = json.loads(outside_actions(repo, "json"))["reports"]
    assert [(r["year"], len(r["source"]), r["summary"]["missing"]) for r in reports] == [
        (2019, 1, 5),
        (2020, 7, 0),
    ]


def test_annotations_are_capped_the_most_important_first(repo: Path) -> None:
    # Twelve cells that are no numbers in a department's 2020 file: more errors than GitHub
    # shows, beside 2019's verdicts.
    rows = "".join(f"食品安全抽检合格率,2020,,九十{n}\n" for n in range(12))
    (repo / "reports" / "2020" / "food-dept.CSV").write_text(
        "指标,年份,地区,数值\n" + rows, encoding="utf-8"
    )
    done, summary = run_workflow(repo)
    assert done.returncode == 2, done.stderr  # 2020 cannot be used
    for level in ("error", "warning", "notice"):
        assert len(annotated(done.stdout, level)) <= LIMIT, level
    errors = annotated(done.stdout, "error")
    assert len(errors) == LIMIT
    # The cells to fix come first, each on its file and row.
    assert all("file=reports/2020/food-dept.CSV" in line for line in errors)
    assert [int(re.search(r"line=(\d+)", line)[1]) for line in errors] == list(range(2, 12))  # type: ignore[index]
    more = [line for line in annotated(done.stdout, "notice") if "more" in line]
    assert len(more) == 1, done.stdout
    # 12 cells, then 2019's targets not met or off track: what is not shown is counted.
    plain = outside_actions(repo, "github")
    errors_in_all = len(re.findall(r": error: ", plain))
    assert errors_in_all > LIMIT
    assert f"({errors_in_all - LIMIT} error(s)" in more[0]
    # The summary and the artifacts still say everything, cut nowhere.
    text = summary.read_text(encoding="utf-8")
    assert text.count("九十") == 12
    sarif = check_sarif((repo / "qcheck.sarif").read_text(encoding="utf-8"))
    assert sum(r["ruleId"] == "not-a-number" for r in sarif) == 12
    assert all((repo / name).is_file() for name in uploaded())
