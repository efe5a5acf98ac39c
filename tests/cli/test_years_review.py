"""qcheck evaluate --years, as a hostile reader tried it: outputs, notes, warnings and trends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import SAMPLES, run_cli

FAILURES = str(SAMPLES / "report-2020-with-failures.csv")
WAIVERS = str(SAMPLES / "waivers-2020.yaml")


@pytest.mark.parametrize("clash", [["--year", "2020"], ["--each"]])
def test_a_usage_error_of_years_leaves_no_earlier_result(tmp_path: Path, clash: list[str]) -> None:
    outputs = [tmp_path / name for name in ("r.json", "r.md")]
    for path in outputs:
        path.write_text("an earlier run's verdict", encoding="utf-8")
    args = [arg for path in outputs for arg in ("-o", str(path))]
    result = run_cli(["evaluate", FAILURES, "--years", "2019", *clash, *args])
    assert result.exit_code == 2
    assert [path.read_bytes() for path in outputs] == [b"", b""]


def _years(*args: str, columns: str = "200") -> tuple[str, str, int]:
    result = run_cli(
        ["evaluate", FAILURES, "--years", "2018-2020", "--lang", "en", *args], COLUMNS=columns
    )
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_years_give_each_targets_notes_by_year_and_the_waivers_reason(output_format: str) -> None:
    out, _, code = _years("--waivers", WAIVERS, "--format", output_format)
    assert code == 1
    # 2020's ✘ 92% is explained: it failed because of 2019.
    assert "Key consumer goods supervisory sampling pass rate: 2019, 2020: not met in 2019" in out
    assert "2020: waived (not met without the waiver): 2020年抽检口径调整" in out
    assert "2020: baseline 2017: 78 µg/m³; fell, but by less than 10%" in out


def test_years_notes_show_the_pace_of_a_year_before_the_due_year() -> None:
    result = run_cli(
        ["evaluate", str(SAMPLES / "report-2019-progress.csv"), "--years", "2018-2020"],
        COLUMNS="250",
        QCHECK_LANG="en",
    )
    notes = result.stdout.split("Notes", 1)[1]
    line = next(n for n in notes.splitlines() if "Food safety sampling pass rate" in n)
    assert "2018: needs +1.33 pp a year, made +2 pp a year since 2017" in line  # the pace
    assert "2019: already meets the 2020 line in 2019" in line


def test_years_list_the_warnings_each_once_and_count_what_they_list() -> None:
    out, err, _ = _years("--waivers", WAIVERS, "--format", "markdown")
    told = [line for line in err.splitlines() if line.startswith("warning:")]
    # The expired waiver, once; the two in use in 2020 are not "unused" for the other years.
    assert len(told) == 1
    assert "**⚠️ 1 warning(s) about the input**" in out
    assert out.count("`waiver-expired`") == 1
    assert out.count("`waiver-unused`") == 0
    table, _, _ = _years("--waivers", WAIVERS)
    assert "1 warning(s) about the input, listed on standard error" in table


def test_html_in_a_waivers_reason_is_escaped_in_markdown(tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - target: food_safety_pass_rate\n    year: 2020\n"
        "    reason: <img src=x onerror=alert(1)> & co | done\n"
        "    approved_by: <b>bureau</b>\n    expires: 2099-12-31\n",
        encoding="utf-8",
    )
    for years in (["--years", "2019-2020"], []):
        result = run_cli(
            ["evaluate", FAILURES, *years, "--waivers", str(waivers), "--format", "markdown"],
            QCHECK_LANG="en",
        )
        assert result.exit_code == 1
        assert not re.search(r"(?<!\\)[<>&]", result.stdout)
        assert r"\<img src=x onerror=alert(1)\> \& co \| done" in result.stdout
        assert r"\<b\>bureau\</b\>" in result.stdout


def test_a_trend_resting_on_a_row_without_a_year_says_so(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    report.write_text(
        "indicator,year,value\nfood_safety_pass_rate,,95\n"
        "service_satisfaction,2018,84\nservice_satisfaction,2019,86\n",
        encoding="utf-8",
    )
    result = run_cli(
        ["evaluate", str(report), "--years", "2018-2020", "--lang", "en"], COLUMNS="250"
    )
    rows = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    assert rows["Food safety sampling pass rate"].rstrip().endswith("▄·· no year given")
    assert "flat" not in rows["Food safety sampling pass rate"]
    assert (
        rows["Customer satisfaction with service quality in key sectors"]
        .rstrip()
        .endswith("rising")
    )
    assert "2018, 2019, 2020: the same figure, from a row without a year" in result.stdout
    document = run_cli(["evaluate", str(report), "--years", "2018-2020", "--format", "json"]).stdout
    series = {s["id"]: s for s in json.loads(document)["trends"]["targets"]}
    assert series["food_safety_pass_rate"]["direction"] is None
    assert series["food_safety_pass_rate"]["undated_years"] == [2018, 2019, 2020]
    assert series["service_satisfaction"]["undated_years"] == []


@pytest.mark.parametrize(("lang", "twice"), [("en", r"(\d{4}): \1"), ("zh", r"(\d{4})年：\1年")])
def test_a_note_of_one_year_that_names_its_year_says_it_once(lang: str, twice: str) -> None:
    # "2021: 2021: no value from East District" said the year twice.
    report, targets = SAMPLES / "report-2025-example.csv", SAMPLES / "targets-2025-example.yaml"
    args = ["evaluate", str(report), "--years", "2021-2025", "--targets", str(targets)]
    result = run_cli([*args, "--lang", lang], COLUMNS="200")
    assert result.exit_code == 1
    assert "2021" in result.stdout
    assert not re.search(twice, result.stdout)
