"""Problems past --max-errors: every CI format counts them, as grave as they are."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import SAMPLES, run_cli
from tests.renderers.test_codequality import check_codequality


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make a folder of two reports, the second with eight cells that are no numbers."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "report-2020-all-met.csv", tmp_path / "a.csv")
    rows = "".join(f"food_safety_pass_rate,2020,,九十{n}\n" for n in range(8))
    (tmp_path / "b.csv").write_text("indicator,year,region,value\n" + rows, encoding="utf-8")
    return tmp_path


def test_junit_shows_no_file_as_passing_when_errors_go_unlisted(folder: Path) -> None:
    # b.csv's errors past --max-errors once left a.csv, and b.csv beyond the listed, passing.
    result = run_cli(["validate", ".", "--max-errors", "3", "-o", "v.xml", "--lang", "en"])
    assert result.exit_code == 2
    suite = ET.fromstring((folder / "v.xml").read_text(encoding="utf-8")).find("testsuite")  # noqa: S314 - qcheck's own output
    assert suite is not None
    cases = {case.get("name"): [child.tag for child in case] for case in suite}
    assert cases["a.csv"] == ["skipped"]
    assert cases["b.csv"] == ["failure"]
    (more,) = [name for name in cases if name and "more" in name]
    assert cases[more] == ["failure"]
    assert all(tags for tags in cases.values())  # no case passes


def test_sarif_counts_unlisted_errors_as_errors(folder: Path) -> None:
    run_cli(["validate", ".", "--max-errors", "3", "-o", "v.sarif", "--lang", "en"])
    log = json.loads((folder / "v.sarif").read_text(encoding="utf-8"))
    (invocation,) = log["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"].endswith("... and 5 more")


def test_code_quality_counts_unlisted_errors_as_a_blocker(folder: Path) -> None:
    run_cli(["validate", ".", "--max-errors", "3", "-o", "v.codequality.json"])
    issues = check_codequality((folder / "v.codequality.json").read_text(encoding="utf-8"))
    (more,) = [issue for issue in issues if issue["check_name"] == "more-problems"]
    assert more["severity"] == "blocker"


def test_a_year_folder_gaining_a_file_keeps_its_fingerprints_and_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Code Quality fingerprinted a target no row decides by the first file, and JUnit named a
    # suite by every file (GitLab keys a test by suite, class and name): adding city.csv to a
    # year's folder once made most issues "fixed" and "new", and every test new.
    monkeypatch.chdir(tmp_path)
    year = tmp_path / "reports" / "2020"
    year.mkdir(parents=True)
    shutil.copy(SAMPLES / "counties" / "ganzhou.csv", year)  # alone, then with another

    def identities() -> tuple[dict[str, str], list[str | None]]:
        result = run_cli(["evaluate", "--layout", "--format", "codequality", "-o", "j.xml"])
        issues = check_codequality(result.stdout)
        root = ET.fromstring(Path("j.xml").read_text(encoding="utf-8"))  # noqa: S314 - qcheck's own output
        suites = [suite.get("name") for suite in root.findall("testsuite")]
        return {i["check_name"]: i["fingerprint"] for i in issues}, suites

    before, suites = identities()
    (year / "aaa.csv").write_text("indicator,year,value\nPM10,2017,78\n", encoding="utf-8")
    after, suites_after = identities()
    kept = {name for name in before if name in after and after[name] == before[name]}
    assert len(before) > 20
    assert kept == set(before) - {"pm10_concentration"}
    assert suites == suites_after == ["reports/2020 (2020)"]


def test_github_names_the_year_of_each_of_several_reports() -> None:
    args = ["evaluate", str(SAMPLES / "report-2019-progress.csv"), "--years", "2019,2020"]
    result = run_cli([*args, "--format", "github", "--lang", "en"])
    counts = [line for line in result.stdout.splitlines() if " targets: " in line]
    assert [line.split(": 27 targets")[0][-6:] for line in counts] == ["(2019)", "(2020)"]
    assert "Customer satisfaction with service quality in key sectors (2019) off track" in (
        result.stdout
    )


def test_a_run_where_no_input_could_be_used_says_nothing_was_judged(folder: Path) -> None:
    result = run_cli(["evaluate", "b.csv", "--each", "--lang", "en"])
    assert result.exit_code == 2
    assert "no input could be evaluated (1 in all); nothing was judged" in result.stderr
