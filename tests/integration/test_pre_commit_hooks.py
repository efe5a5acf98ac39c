"""The shipped hooks in a reports repository: what a commit of reports lets through or refuses."""

from __future__ import annotations

from tests.helpers import SAMPLES
from tests.integration.reports_repo import HookSource, ReportsRepo

CITY = "reports/2020/city.csv"
COUNTY = "reports/2020/ganzhou.csv"
ALL_MET = (SAMPLES / "report-2020-all-met.csv").read_text(encoding="utf-8")
GANZHOU = (SAMPLES / "counties" / "ganzhou.csv").read_text(encoding="utf-8")


def with_cell(text: str, row: int, old: str, new: str) -> str:
    """Return CSV ``text`` with ``old`` replaced by ``new`` in row ``row`` (the header is 1)."""
    lines = text.splitlines(keepends=True)
    assert old in lines[row - 1], f"row {row} has no {old!r}: {lines[row - 1]!r}"
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    return "".join(lines)


def statuses(repo: ReportsRepo, output: str) -> dict[str, str]:
    """Return how each hook a commit ran ended, by id."""
    return {hook_id: run.status for hook_id, run in repo.runs(output).items()}


def test_a_valid_report_is_committed(hook_source: HookSource, reports_repo: ReportsRepo) -> None:
    reports_repo.add(CITY, ALL_MET)
    done = reports_repo.commit("City report for 2020")
    assert done.returncode == 0, done.stdout
    assert statuses(reports_repo, done.stdout) == dict.fromkeys(hook_source.names, "Passed")
    assert reports_repo.committed(CITY)


def test_a_report_with_a_number_in_words_is_refused_and_the_row_named(
    reports_repo: ReportsRepo,
) -> None:
    reports_repo.add(CITY, with_cell(ALL_MET, 4, "92.3", "九十五"))
    done = reports_repo.commit("City report for 2020")
    assert done.returncode == 1, done.stdout
    validate = reports_repo.runs(done.stdout)["qcheck-validate"]
    assert (validate.status, validate.exit_code) == ("Failed", 2)
    assert f"{CITY}, row 4, column '数值'" in validate.output
    assert "not-a-number" in validate.output
    assert "'九十五' is not a number" in validate.output
    assert not reports_repo.committed(CITY)


def test_a_county_file_with_a_bad_number_is_refused_in_chinese(reports_repo: ReportsRepo) -> None:
    reports_repo.add(COUNTY, with_cell(GANZHOU, 3, "85.0", "八十五"))
    done = reports_repo.commit("甘州区 2020 年报表", QCHECK_LANG="zh")
    assert done.returncode == 1, done.stdout
    validate = reports_repo.runs(done.stdout)["qcheck-validate"]
    assert (validate.status, validate.exit_code) == ("Failed", 2)
    assert f"{COUNTY}，第3行，“数值”列" in validate.output
    assert "“八十五”不是数字" in validate.output
    assert not reports_repo.committed(COUNTY)


def test_a_file_that_is_not_a_report_runs_no_hook(
    hook_source: HookSource, reports_repo: ReportsRepo
) -> None:
    reports_repo.add("README.md", "# 张掖市 2020 reports\n\nOne folder a year.\n")
    done = reports_repo.commit("Say what the repository holds")
    assert done.returncode == 0, done.stdout
    assert statuses(reports_repo, done.stdout) == dict.fromkeys(hook_source.names, "Skipped")
    assert reports_repo.committed("README.md")
