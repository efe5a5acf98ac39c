"""GitLab Code Quality reports: checked against GitLab's schema and read as GitLab reads them."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path, PurePath
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from qcheck.evaluation import Report
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import Problem
from qcheck.renderers.codequality import (
    NO_LINE,
    PROBLEM_SEVERITY,
    STATUS_SEVERITY,
    CodequalityRenderer,
    repository_path,
)
from qcheck.verdicts import facts
from tests.helpers import REPO_ROOT, run_cli
from tests.renderers.reports import every_case
from tests.renderers.test_formats import BAD_REPORT, FAILED, FAILURES, MISSING, sample_line

# GitLab's schema for one issue of a Code Quality report: GitLab checks each issue against it
# and stops reading the report at the first it refuses (see tests/schemas/README.md).
SCHEMA = REPO_ROOT / "tests" / "schemas" / "gitlab-codeclimate.json"
SEVERITIES = ("info", "minor", "major", "critical", "blocker")  # GitLab's, least first
CATALOGUE = load_catalogue()
ALL_MET = REPO_ROOT / "samples" / "report-2020-all-met.csv"

pytestmark = pytest.mark.usefixtures("cli_environment")


@functools.cache
def issue_validator() -> Draft7Validator:
    """Return a validator for one issue, as GitLab has it."""
    return Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check_codequality(text: str) -> list[dict[str, Any]]:
    """Check a Code Quality report as GitLab reads it; return its issues.

    Beyond the schema, GitLab's documentation asks for a check name, a path relative to the
    repository and a line; it keeps one issue per fingerprint, and counts issues by severity
    among its five.
    """
    issues = json.loads(text)
    assert isinstance(issues, list)
    for issue in issues:
        errors = [error.message for error in issue_validator().iter_errors(issue)]
        assert not errors, (errors, issue)
        assert issue["description"].strip()
        assert isinstance(issue["check_name"], str)
        assert issue["check_name"]
        assert issue["severity"] in SEVERITIES
        path = issue["location"]["path"]
        assert path
        assert not PurePath(path).is_absolute()
        assert not path.startswith("./")
        assert "\\" not in path
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int)
        assert begin >= 1
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints), Counter(fingerprints).most_common(2)
    return issues


def run(*args: str) -> Any:
    return run_cli(list(args))


def test_the_check_refuses_what_gitlab_would_drop() -> None:
    issue = {
        "description": "d",
        "check_name": "c",
        "fingerprint": "f",
        "severity": "major",
        "location": {"path": "a.csv", "lines": {"begin": 3}},
    }
    check_codequality(json.dumps([issue]))
    for broken in (
        {"fingerprint": None},
        {"severity": "error"},
        {"location": {"path": "a.csv", "lines": {"begin": "3"}}},
        {"location": {"path": "/abs/a.csv", "lines": {"begin": 3}}},
        {"location": {"path": "a.csv"}},
    ):
        with pytest.raises((AssertionError, KeyError)):
            check_codequality(json.dumps([{**issue, **broken}]))
    with pytest.raises(AssertionError):
        check_codequality(json.dumps([issue, {**issue, "description": "other"}]))


def test_an_issue_per_target_not_met_on_the_row_that_decided_it() -> None:
    result = run("evaluate", FAILURES, "--format", "codequality", "--lang", "en")
    assert result.exit_code == 1
    issues = check_codequality(result.stdout)
    by_target = {issue["check_name"]: issue for issue in issues}
    assert {name for name, issue in by_target.items() if issue["severity"] == "critical"} == FAILED
    assert {name for name, issue in by_target.items() if issue["severity"] == "major"} == MISSING
    consumer = by_target["consumer_goods_pass_rate"]
    assert consumer["location"] == {
        "path": FAILURES,
        "lines": {"begin": sample_line("consumer_goods_pass_rate,2019,")},
    }
    assert consumer["description"].startswith(
        "Key consumer goods supervisory sampling pass rate (2020), not met; actual 89.4%"
    )


@pytest.mark.parametrize("sample", [FAILURES, "samples/report-2020-all-met.csv"])
def test_the_issues_are_the_targets_not_plainly_met(sample: str) -> None:
    statuses = {
        result["id"]: result["status"]
        for result in json.loads(run("evaluate", sample, "--format", "json").stdout)["reports"][0][
            "results"
        ]
    }
    issues = check_codequality(run("evaluate", sample, "--format", "codequality").stdout)
    plainly_met = {"pass", "on_track", "not_due"}
    assert {issue["check_name"] for issue in issues} == {
        target for target, status in statuses.items() if status not in plainly_met
    }


def test_a_target_with_no_row_points_at_the_first_line_of_the_input() -> None:
    county = "samples/counties/ganzhou.csv"
    issues = check_codequality(run("evaluate", county, "--format", "codequality").stdout)
    rowless = [issue for issue in issues if issue["location"]["lines"]["begin"] == NO_LINE]
    assert len(rowless) >= len(issues) - 1  # a county's file alone has the city's data for none
    assert {issue["location"]["path"] for issue in issues} == {county}
    assert {issue["severity"] for issue in rowless} == {"major"}


def test_the_severity_of_every_status_is_the_documented_one() -> None:
    report = every_case(CATALOGUE)
    issues = check_codequality(CodequalityRenderer(lang="en").render([report], limit=20))
    statuses = {result.target.id: result.status for result in report.results}
    expected = {
        target: STATUS_SEVERITY[facts(status).severity]
        for target, status in statuses.items()
        if facts(status).severity != "none"
    }
    verdicts = {i["check_name"]: i["severity"] for i in issues if i["check_name"] in statuses}
    assert verdicts == expected
    (warning,) = [issue for issue in issues if issue["check_name"] == "looks-like-fraction"]
    assert warning["severity"] == PROBLEM_SEVERITY["warning"] == "minor"
    assert warning["location"] == {"path": "a.csv", "lines": {"begin": 3}}
    documented = (REPO_ROOT / "docs" / "output.md").read_text(encoding="utf-8")
    for status_severity, severity in STATUS_SEVERITY.items():
        assert f"`{severity}`" in documented, status_severity


def test_validation_problems_are_issues(in_tmp: Path) -> None:
    path = in_tmp / "bad.csv"
    path.write_text(BAD_REPORT, encoding="utf-8")
    result = run("validate", "bad.csv", "--format", "codequality")
    assert result.exit_code == 2
    issues = check_codequality(result.stdout)
    assert {issue["check_name"] for issue in issues} >= {"unknown-indicator", "not-a-number"}
    assert {issue["severity"] for issue in issues} == {"blocker", "minor"}
    strict = check_codequality(
        run("validate", "bad.csv", "--format", "codequality", "--strict").stdout
    )
    assert {issue["severity"] for issue in strict} == {"blocker"}
    assert [i["fingerprint"] for i in strict] == [i["fingerprint"] for i in issues]


def test_an_unusable_file_in_a_batch_is_issues_beside_the_verdicts(in_tmp: Path) -> None:
    (in_tmp / "in").mkdir()
    (in_tmp / "in" / "bad.csv").write_text(BAD_REPORT, encoding="utf-8")
    (in_tmp / "in" / "thin.csv").write_text("指标,数值\n食品安全抽检合格率,97\n", encoding="utf-8")
    result = run("evaluate", "in", "--each", "--format", "codequality")
    assert result.exit_code == 2
    issues = check_codequality(result.stdout)
    blockers = {issue["check_name"] for issue in issues if issue["severity"] == "blocker"}
    assert "not-a-number" in blockers
    missing = [issue for issue in issues if issue["severity"] == "major"]
    assert missing
    assert {issue["location"]["path"] for issue in missing} == {"in/thin.csv"}


def test_warnings_past_max_errors_are_counted_in_one_issue(in_tmp: Path) -> None:
    lines = ALL_MET.read_text(encoding="utf-8").splitlines(keepends=True)
    repeated = "".join(lines[-3:])  # three rows written twice: a warning each
    (in_tmp / "r.csv").write_text("".join(lines) + repeated, "utf-8")
    listed = check_codequality(run("evaluate", "r.csv", "--format", "codequality").stdout)
    warnings = [issue for issue in listed if issue["severity"] == "minor"]
    assert len(warnings) == 3
    capped = check_codequality(
        run("evaluate", "r.csv", "--format", "codequality", "--max-errors", "1").stdout
    )
    (more,) = [issue for issue in capped if issue["check_name"] == "more-problems"]
    # Counted as grave as what it counts: warnings, as each warning listed.
    assert [issue["severity"] for issue in capped if issue["severity"] == "minor"] == [
        "minor",
        "minor",
    ]
    assert more["severity"] == "minor"
    assert more["description"] == "r.csv: ... and 2 more"
    assert more["location"] == {"path": "r.csv", "lines": {"begin": NO_LINE}}


def test_problems_past_max_errors_of_an_unusable_input_are_counted_too(in_tmp: Path) -> None:
    (in_tmp / "bad.csv").write_text(BAD_REPORT, encoding="utf-8")
    issues = check_codequality(
        run("evaluate", "bad.csv", "--format", "codequality", "--max-errors", "1").stdout
    )
    # Errors not listed are errors still: once counted as info, which GitLab shows as nothing.
    assert [issue["severity"] for issue in issues] == ["blocker", "blocker"]
    assert issues[1]["check_name"] == "more-problems"


def test_the_years_of_a_trend_are_issues_of_their_own() -> None:
    args = ("evaluate", FAILURES, "--years", "2019-2020", "--format", "codequality")
    issues = check_codequality(run(*args).stdout)
    consumer = [i for i in issues if i["check_name"] == "consumer_goods_pass_rate"]
    assert [i["description"].split(",")[0][-6:] for i in consumer] == ["(2019)", "(2020)"]


def test_the_years_of_a_trend_tell_each_warning_once(in_tmp: Path) -> None:
    lines = ALL_MET.read_text(encoding="utf-8").splitlines(keepends=True)
    (in_tmp / "r.csv").write_text("".join(lines) + "".join(lines[-3:]), "utf-8")
    args = ["evaluate", "r.csv", "--years", "2019-2020", "--format", "codequality"]
    issues = check_codequality(run(*args).stdout)
    assert Counter(i["severity"] for i in issues)["minor"] == 3
    capped = check_codequality(run(*args, "--max-errors", "1").stdout)
    assert Counter(i["check_name"] for i in capped)["more-problems"] == 1


def test_fingerprints_do_not_depend_on_the_language() -> None:
    args = ("evaluate", FAILURES, "--format", "codequality", "--lang")
    said = {lang: check_codequality(run(*args, lang).stdout) for lang in ("en", "zh")}
    assert [i["fingerprint"] for i in said["en"]] == [i["fingerprint"] for i in said["zh"]]
    assert [i["description"] for i in said["en"]] != [i["description"] for i in said["zh"]]


def test_the_compound_suffix_writes_code_quality_beside_json(tmp_path: Path) -> None:
    quality, document = tmp_path / "qcheck.CodeQuality.JSON", tmp_path / "qcheck.json"
    result = run("evaluate", FAILURES, "-o", str(quality), "-o", str(document), "--lang", "en")
    assert result.exit_code == 1
    assert (
        quality.read_text(encoding="utf-8")
        == run("evaluate", FAILURES, "--format", "codequality", "--lang", "en").stdout
    )
    assert json.loads(document.read_text(encoding="utf-8"))["summary"]["fail"] == len(FAILED)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("reports/2020/a.csv", "reports/2020/a.csv"),
        ("./reports/a.csv", "reports/a.csv"),
        ("a.csv", "a.csv"),
    ],
)
def test_paths_are_relative_to_the_repository(given: str, expected: str) -> None:
    assert repository_path(given) == expected
    assert repository_path(str(Path.cwd() / given)) == expected


def test_a_path_outside_the_repository_is_left_as_given(tmp_path: Path) -> None:
    outside = str(tmp_path.parent / "elsewhere.csv")
    assert repository_path(outside) == PurePath(outside).as_posix()


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Return a warning somewhere in a few files, rows and columns: places repeat."""
    return Problem.of(
        "looks-like-fraction",
        source=draw(st.sampled_from(("a.csv", "./a.csv", "reports/2020/b.csv"))),
        row=draw(st.none() | st.integers(0, 3)),
        column=draw(st.none() | st.sampled_from(("value", "数值"))),
        value=draw(st.sampled_from(("0.95", "0.9"))),
        percent="95",
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(problems(), max_size=8), st.sampled_from((2019, 2020)))
def test_fingerprints_are_unique_and_the_same_in_every_language(
    warnings: list[Problem], year: int
) -> None:
    report = every_case(CATALOGUE, year=year)
    report = Report(
        catalogue=report.catalogue,
        sources=report.sources,
        year=year,
        results=report.results,
        problems=tuple(warnings),
    )
    said = {
        lang: check_codequality(CodequalityRenderer(lang=lang).render([report], limit=100))
        for lang in ("en", "zh")
    }
    assert [i["fingerprint"] for i in said["en"]] == [i["fingerprint"] for i in said["zh"]]
    listed = [issue for issue in said["en"] if issue["check_name"] == "looks-like-fraction"]
    assert len(listed) == len(warnings)  # the same place twice is two issues
