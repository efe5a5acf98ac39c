"""--layout: a reports repository's folder per year, each judged whole as one dataset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.helpers import REPO_ROOT, run_cli

SAMPLES = REPO_ROOT / "samples"
COUNTIES = sorted((SAMPLES / "counties").glob("*.csv"))


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make a reports repository: the city's and counties' 2020 files, and a 2019 report."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # where the search for settings stops
    year_2020 = tmp_path / "reports" / "2020"
    year_2020.mkdir(parents=True)
    for path in [SAMPLES / "city-2020.csv", *COUNTIES]:
        shutil.copy(path, year_2020 / path.name)
    (tmp_path / "reports" / "2019").mkdir()
    shutil.copy(SAMPLES / "report-2019-progress.csv", tmp_path / "reports" / "2019")
    return tmp_path


def reports_of(*args: str) -> list[dict[str, Any]]:
    result = run_cli(["evaluate", "--layout", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    reports: list[dict[str, Any]] = json.loads(result.stdout)["reports"]
    return reports


def status(report: dict[str, Any], target: str) -> str:
    return next(str(r["status"]) for r in report["results"] if r["id"] == target)


def test_a_year_folder_is_one_dataset_judged_for_its_year(repository: Path) -> None:
    first, second = reports_of()
    assert (first["year"], second["year"]) == (2019, 2020)
    assert first["source"] == ["reports/2019/report-2019-progress.csv"]
    assert len(second["source"]) == 7
    # The six counties' mean needs every county's file: judged together, it is not missing.
    assert status(second, "good_air_days_ratio") == "pass"
    assert second["summary"]["missing"] == 0


def test_a_county_file_stands_for_its_whole_year(repository: Path) -> None:
    # pre-commit hands over the files a commit changed, in batches: the verdict must not
    # depend on which of a year's files it handed over.
    whole = reports_of("reports/2020")
    for county in COUNTIES:
        assert reports_of(f"reports/2020/{county.name}") == whole
    assert reports_of(*(f"reports/2020/{c.name}" for c in COUNTIES[:2])) == whole


def test_files_of_two_years_are_two_reports(repository: Path) -> None:
    reports = reports_of("reports/2020/ganzhou.csv", "reports/2019/report-2019-progress.csv")
    assert [report["year"] for report in reports] == [2019, 2020]


def test_a_file_outside_the_reports_folder_is_left_out_and_said_to_be(repository: Path) -> None:
    (repository / "notes.csv").write_text("indicator,value\nPM10,1\n", encoding="utf-8")
    result = run_cli(["evaluate", "--layout", "notes.csv", "reports/2019", "--lang", "en"])
    assert result.exit_code == 1, result.output  # 2019's verdict
    assert "notes.csv is left out: it is not in the reports folder reports" in result.stderr


@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_a_run_that_judged_nothing_does_not_pass(repository: Path, command: str) -> None:
    # A hostile tester's case: a file outside the reports folder, alone, was "valid".
    (repository / "notes.csv").write_text("indicator,value\nPM10,9x\n", encoding="utf-8")
    never = ["--fail-on", "never"] if command == "evaluate" else []
    result = run_cli([command, "--layout", "notes.csv", "--lang", "en", *never])
    assert result.exit_code == 2, result.output
    assert "nothing was judged" in result.output


def test_a_fresh_repository_with_no_report_does_not_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports" / "2020").mkdir(parents=True)
    result = run_cli(["evaluate", "--layout", "--fail-on", "missing", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "reports/2020 holds no report yet: left out" in result.stderr
    assert "nothing was judged" in result.stderr


def test_a_report_named_in_a_year_outside_the_plan_is_refused(repository: Path) -> None:
    # A typo'd year must not let a report in unread.
    (repository / "reports" / "2002").mkdir()
    (repository / "reports" / "2002" / "city.csv").write_text(
        "indicator,value\nPM10,9x\n", encoding="utf-8"
    )
    result = run_cli(["validate", "--layout", "reports/2002/city.csv", "--format", "json"])
    assert result.exit_code == 2, result.output
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["source"], problem["code"]) == ("reports/2002/city.csv", "outside-layout")
    assert "outside the plan's years 2018–2020" in problem["message"]


def test_a_year_folder_in_other_digits_is_no_year(repository: Path) -> None:
    # ２０２０ (full-width) once stood in for 2020, and hid its reports.
    fullwidth = repository / "reports" / "２０２０"
    fullwidth.mkdir()
    shutil.copy(SAMPLES / "report-2020-all-met.csv", fullwidth / "city.csv")
    result = run_cli(["evaluate", "--layout", "--format", "json"])
    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout)
    assert [r["year"] for r in document["reports"]] == [2019, 2020]
    assert len(document["reports"][1]["source"]) == 7  # the real 2020 folder, whole
    (failed,) = document["input_errors"]
    assert failed["problems"][0]["code"] == "outside-layout"


def test_a_hidden_or_missing_file_named_is_read_not_passed_by(repository: Path) -> None:
    (repository / "reports" / "2020" / ".draft.csv").write_text(
        "indicator,value\nPM10,9x\n", encoding="utf-8"
    )
    for named in ("reports/2020/.draft.csv", "reports/2020/nonexistent.csv"):
        result = run_cli(["validate", "--layout", named, "--format", "json"])
        assert result.exit_code == 2, named
        sources = {p["source"] for p in json.loads(result.stdout)["validation"]["problems"]}
        assert sources == {named}


def test_the_waivers_file_stands_for_every_year(repository: Path) -> None:
    # The hooks hand it over when a commit changes it: every year is judged with it.
    shutil.copy(SAMPLES / "waivers-2020.yaml", repository / "reports" / "qcheck-waivers.yaml")
    result = run_cli(["validate", "--layout", "reports/qcheck-waivers.yaml"])
    assert result.exit_code == 0, result.output
    assert "8 file(s)" in result.output or "8个文件" in result.output


def test_a_waivers_file_the_settings_name_in_a_year_folder_is_no_report(
    repository: Path,
) -> None:
    shutil.copy(SAMPLES / "waivers-2020.yaml", repository / "reports" / "2020" / "w.yaml")
    (repository / "qcheck.toml").write_text('waivers = "reports/2020/w.yaml"\n', encoding="utf-8")
    result = run_cli(["evaluate", "--layout", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert all("w.yaml" not in s for r in json.loads(result.stdout)["reports"] for s in r["source"])


def test_a_report_in_no_years_folder_is_refused_by_name(repository: Path) -> None:
    shutil.copy(SAMPLES / "city-2020.csv", repository / "reports" / "city.csv")
    (repository / "reports" / "drafts").mkdir()
    shutil.copy(SAMPLES / "city-2020.csv", repository / "reports" / "drafts" / "d.CSV")
    for command in ("evaluate", "validate"):
        result = run_cli([command, "--layout", "--lang", "en"])
        assert result.exit_code == 2, result.output
        document = json.loads(run_cli([command, "--layout", "--format", "json"]).stdout)
        listed = document["input_errors"] if command == "evaluate" else [document["validation"]]
        found = {(p["source"], p["code"]) for failed in listed for p in failed["problems"]}
        assert found == {
            ("reports/city.csv", "outside-layout"),
            ("reports/drafts/d.CSV", "outside-layout"),
        }
        assert "put each report in the folder of the year it reports on" in result.output


def test_a_bad_number_in_a_county_file_names_its_row(repository: Path) -> None:
    county = repository / "reports" / "2020" / "linze.csv"
    lines = county.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("数值")] = "九十五"
    county.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    result = run_cli(["validate", "--layout", "reports/2020/linze.csv", "--lang", "en"])
    assert result.exit_code == 2, result.output
    (problem,) = json.loads(run_cli(["validate", "--layout", "--format", "json"]).stdout)[
        "validation"
    ]["problems"]
    assert (problem["source"], problem["row"], problem["column"], problem["code"]) == (
        "reports/2020/linze.csv",
        2,
        "数值",
        "not-a-number",
    )


def test_an_empty_year_and_a_year_outside_the_plan_are_told(repository: Path) -> None:
    (repository / "reports" / "2018").mkdir()
    (repository / "reports" / "2017").mkdir()
    shutil.copy(SAMPLES / "city-2020.csv", repository / "reports" / "2017")
    result = run_cli(["evaluate", "--layout", "--lang", "en", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "reports/2018 holds no report yet: left out" in result.stderr
    assert "the folder of 2017 is left out: the plan's years are 2018–2020" in result.stderr
    assert [r["year"] for r in json.loads(result.stdout)["reports"]] == [2019, 2020]


@pytest.mark.parametrize(
    ("command", "other"),
    [
        ("evaluate", ["--each"]),
        ("evaluate", ["--years", "2018-2020"]),
        ("evaluate", ["--year", "2019"]),
        ("validate", ["--year", "2019"]),
    ],
)
def test_layout_goes_with_neither_each_nor_years(
    repository: Path, command: str, other: list[str]
) -> None:
    stale = repository / "r.json"
    stale.write_text("an earlier run's verdict", encoding="utf-8")
    result = run_cli([command, "--layout", *other, "--lang", "en", "-o", "r.json"])
    assert result.exit_code == 2
    assert f"it does not go with {other[0]}" in result.stderr
    assert stale.read_bytes() == b""


def test_a_year_in_the_settings_is_no_year_given(repository: Path) -> None:
    # The settings' year is for runs without --layout; each folder has its own.
    (repository / "qcheck.toml").write_text("year = 2019\n", encoding="utf-8")
    assert [report["year"] for report in reports_of()] == [2019, 2020]


def test_layout_reads_no_standard_input(repository: Path) -> None:
    result = run_cli(["validate", "--layout", "-", "--lang", "en"])
    assert result.exit_code == 2
    assert "not standard input" in result.stderr


def test_an_input_is_needed_without_layout(repository: Path) -> None:
    for command in ("evaluate", "validate"):
        result = run_cli([command, "--lang", "en"])
        assert result.exit_code == 2
        assert "Missing argument 'FILE|FOLDER|-...'" in result.stderr


def test_the_settings_name_the_reports_folder(repository: Path) -> None:
    (repository / "reports").rename(repository / "submissions")
    (repository / "qcheck.toml").write_text('reports = "submissions"\n', encoding="utf-8")
    reports = reports_of()
    assert [r["source"][0].split("/")[0] for r in reports] == ["submissions", "submissions"]


def test_no_reports_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(["validate", "--layout", "--lang", "en"])
    assert result.exit_code == 2
    assert "the reports folder does not exist or cannot be listed" in result.output


def test_the_waivers_beside_the_years_are_read(repository: Path) -> None:
    shutil.copy(SAMPLES / "waivers-2020.yaml", repository / "reports" / "qcheck-waivers.yaml")
    plain = run_cli(["evaluate", "--layout", "--format", "json", "--no-waivers"])
    waived = run_cli(["evaluate", "--layout", "--format", "json"])
    assert waived.exit_code in (0, 1), waived.output
    counts = [json.loads(r.stdout)["summary"]["waived"] for r in (plain, waived)]
    assert counts[0] == 0
    assert counts[1] > 0 or "expired" in waived.stderr


def test_only_years_outside_the_plan_is_nothing_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reviewer's case: reports/2030 alone once gave "0 file(s) ... valid", exit 0.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports" / "2030").mkdir(parents=True)
    shutil.copy(SAMPLES / "city-2020.csv", tmp_path / "reports" / "2030" / "city.csv")
    for command in ("validate", "evaluate"):
        result = run_cli([command, "--layout", "--lang", "en"])
        assert result.exit_code == 2, command
        assert "nothing was judged" in result.output, command


def test_a_report_in_another_format_outside_the_years_is_told(repository: Path) -> None:
    # reports/city-2021.xls and a .xlsb in a drafts folder were passed by: "valid", exit 0.
    (repository / "reports" / "city-2021.xls").write_bytes(b"x")
    (repository / "reports" / "drafts").mkdir()
    (repository / "reports" / "drafts" / "d.xlsb").write_bytes(b"x")
    result = run_cli(["validate", "--layout", "--format", "json"])
    assert result.exit_code == 2, result.output
    found = {(p["source"], p["code"]) for p in json.loads(result.stdout)["validation"]["problems"]}
    assert found == {
        ("reports/city-2021.xls", "outside-layout"),
        ("reports/drafts/d.xlsb", "outside-layout"),
    }


def test_an_entry_outside_the_years_that_cannot_be_read_is_told(repository: Path) -> None:
    (repository / "reports" / "drafts").mkdir()
    (repository / "reports" / "drafts" / "gone.csv").symlink_to(repository / "nowhere.csv")
    result = run_cli(["validate", "--layout", "--format", "json"])
    assert result.exit_code == 2, result.output
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["source"], problem["code"]) == ("reports/drafts/gone.csv", "unreadable")


def test_a_named_file_the_folder_search_told_of_is_told_once(repository: Path) -> None:
    # pre-commit names reports/2020/food.xls (the hooks look for refused formats too): it was
    # told twice, by the folder's search and as a file named.
    (repository / "reports" / "2020" / "food.xls").write_bytes(b"x")
    result = run_cli(["validate", "--layout", "reports/2020/food.xls", "--format", "json"])
    assert result.exit_code == 2, result.output
    problems = json.loads(result.stdout)["validation"]["problems"]
    assert [(p["source"], p["code"]) for p in problems] == [
        ("reports/2020/food.xls", "unsupported-format")
    ]


def test_a_document_of_several_years_is_titled_with_them_and_names_each_folder(
    repository: Path,
) -> None:
    # The page of 2019 and 2020 was titled "2019" (its first report's), its overview and the
    # workbook named 2020 by a list of seven files, and the workbook's year was 2020 alone.
    result = run_cli(["evaluate", "--layout", "-o", "r.html", "-o", "r.xlsx", "--lang", "en"])
    assert result.exit_code == 1, result.output
    page = (repository / "r.html").read_text(encoding="utf-8")
    assert "<title>Zhangye City: quality targets, 2019–2020</title>" in page
    overview = page.split('id="overview"')[1].split("</section>")[0]
    assert ">reports/2020<" in overview
    assert "ganzhou.csv" not in overview
    about = [row for row in load_workbook(repository / "r.xlsx")["About"].values if row[0]]
    assert about[0][0] == "Zhangye City: quality targets, 2019–2020"
    assert ("Year", "2019–2020") in [row[:2] for row in about]
    results = [row for row in about if row[0] == "Results"]
    assert [row[2] for row in results] == ["reports/2019", "reports/2020"]
    overview_sheet = load_workbook(repository / "r.xlsx")["Overview"]
    assert [row[0] for row in overview_sheet.values][1:3] == ["reports/2019", "reports/2020"]
