"""Waivers: the file's model and loader, and applying waivers to a report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report, Result, Status, evaluate
from qcheck.loaders.files import load_measurements
from qcheck.loaders.waivers import load_waivers
from qcheck.problem_codes import CODES
from qcheck.problems import InputError
from qcheck.waivers import Waiver, WaiverEntry, apply_waivers
from tests.helpers import SAMPLES

TODAY = date(2020, 12, 31)
GOOD = """\
waivers:
  - target: food_safety_pass_rate
    year: 2020
    reason: 口径调整
    approved_by: 市市场监督管理局
    expires: 2021-06-30
  - target: good_air_days_ratio
    region: 肃南县
    year: [2019, 2020]
    reason: 站点搬迁
    approved_by: 市生态环境局
    expires: 2021-06-30
"""


def write(tmp_path: Path, text: str, name: str = "w.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def waiver(target: str, *, line: int = 2, **fields: object) -> Waiver:
    entry = {"reason": "r", "approved_by": "a", "expires": "2021-06-30", **fields}
    return Waiver(WaiverEntry.model_validate({"target": target, **entry}), "w.yaml", line)


@pytest.fixture(scope="module")
def failures(catalogue: Catalogue) -> Report:
    """Return the sample with targets not met (food safety) and missing (Sunan's air figure)."""
    path = SAMPLES / "report-2020-with-failures.csv"
    measurements, _ = load_measurements([path], catalogue=catalogue)
    return evaluate(catalogue=catalogue, measurements=measurements, year=2020)


def result(report: Report, target: str) -> Result:
    return next(r for r in report.results if r.target.id == target)


def test_a_good_file_gives_each_waiver_with_its_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    first, second = load_waivers([path])
    assert (first.source, first.line, second.line) == (str(path), 2, 7)
    assert first.entry.target == "food_safety_pass_rate"
    assert first.entry.year == (2020,)
    assert first.entry.expires == date(2021, 6, 30)
    assert second.entry.year == (2019, 2020)
    assert second.entry.region == "肃南县"


def test_an_empty_list_is_no_waivers(tmp_path: Path) -> None:
    assert load_waivers([write(tmp_path, "waivers: []\n")]) == ()
    assert load_waivers([write(tmp_path, "waivers:\n")]) == ()


BAD = """\
waivers:
  - target: food_safety_pass_rate
    reason: r
    expires: 2021-06-30
  - target: food_safety_pass_rate
    reason: r
    approved_by: a
    expires: 2021/06/30
  - target: food_safety_pass_rate
    reason: ""
    approved_by: a
    expires: 2021-06-30
    aproved: b
  - target: food_safety_pass_rate
    year: [2020, next]
    reason: r
    approved_by: a
    expires: 2021-06-30
  - just text
"""


def test_every_bad_waiver_is_named_with_its_line_and_key(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_waivers([write(tmp_path, BAD)])
    found = [(p.code, p.row, p.column) for p in raised.value.problems]
    assert found == [
        ("invalid-waivers", 2, "approved_by"),
        ("invalid-waivers", 5, "expires"),
        ("invalid-waivers", 9, "reason"),
        ("invalid-waivers", 9, "aproved"),
        ("invalid-waivers", 14, "year.1"),
        ("invalid-waivers", 19, "waivers.4"),  # a waiver that is no mapping: its own line
    ]
    date_problem = raised.value.problems[1]
    assert "YYYY-MM-DD" in date_problem.text("en")
    assert "'2021/06/30'" in date_problem.text("en")
    assert "日期" in date_problem.text("zh")
    for problem in raised.value.problems:
        assert problem.severity == "error"
        assert "approved_by" in (problem.hint_text("en") or "")
        assert problem.hint_text("zh")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- target: x\n", "invalid-waivers.no-list"),
        ("waiver: []\n", "invalid-waivers.no-list"),
        ("waivers: {target: x}\n", "invalid-waivers.not-list"),
    ],
)
def test_a_file_not_shaped_as_waivers_says_how_it_should_be(
    tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(InputError) as raised:
        load_waivers([write(tmp_path, text)])
    assert [p.words for p in raised.value.problems][-1] == words


def test_bad_yaml_and_an_unreadable_file_are_located(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_waivers([write(tmp_path, "waivers: [\n"), tmp_path / "absent.yaml"])
    assert [(p.code, p.source) for p in raised.value.problems] == [
        ("bad-yaml", str(tmp_path / "w.yaml")),
        ("unreadable", str(tmp_path / "absent.yaml")),
    ]


def test_a_waiver_turns_a_target_not_met_waived_keeping_what_it_was(failures: Report) -> None:
    assert result(failures, "food_safety_pass_rate").status is Status.FAIL
    used = waiver("food_safety_pass_rate", year=2020, reason="口径调整")
    report = apply_waivers(failures, [used], today=TODAY)
    waived = result(report, "food_safety_pass_rate")
    assert waived.status is Status.WAIVED
    assert waived.waived_status is Status.FAIL
    assert waived.waiver == used
    assert waived.reasons[0].code == "waiver-applied"
    assert waived.reasons[0].params["reason"] == "口径调整"
    assert waived.value == result(failures, "food_safety_pass_rate").value
    assert report.summary.count(Status.WAIVED) == 1
    assert report.summary.failed == failures.summary.failed - 1
    assert report.problems == failures.problems


def test_a_waiver_for_another_year_does_not_apply(failures: Report) -> None:
    report = apply_waivers(
        failures, [waiver("food_safety_pass_rate", year=[2018, 2019])], today=TODAY
    )
    assert result(report, "food_safety_pass_rate").status is Status.FAIL
    assert report.problems == failures.problems  # a waiver for other years says nothing


def test_a_waiver_for_the_region_missing_waives_the_target(failures: Report) -> None:
    assert result(failures, "good_air_days_ratio").status is Status.MISSING
    for region in ("肃南县", "sunan", "Sunan Yugur Autonomous County"):
        report = apply_waivers(
            failures, [waiver("good_air_days_ratio", region=region)], today=TODAY
        )
        waived = result(report, "good_air_days_ratio")
        assert (waived.status, waived.waived_status) == (Status.WAIVED, Status.MISSING)


def test_a_waiver_for_another_region_is_not_applied_and_says_so(failures: Report) -> None:
    report = apply_waivers(failures, [waiver("good_air_days_ratio", region="临泽县")], today=TODAY)
    assert result(report, "good_air_days_ratio").status is Status.MISSING
    (problem,) = report.problems[len(failures.problems) :]
    assert (problem.code, problem.row) == ("waiver-unused", 2)
    assert problem.words == "waiver-unused.regions"
    assert "Sunan Yugur Autonomous County" in problem.text("en")
    assert "肃南裕固族自治县" in problem.text("zh")


def test_a_target_met_is_not_waived_and_the_waiver_is_said_not_needed(failures: Report) -> None:
    report = apply_waivers(failures, [waiver("manufacturing_pass_rate")], today=TODAY)
    assert result(report, "manufacturing_pass_rate").status is Status.PASS
    (problem,) = report.problems[len(failures.problems) :]
    assert (problem.code, problem.severity) == ("waiver-unused", "warning")
    assert "not needed" in problem.text("en")
    assert "manufacturing_pass_rate" in problem.text("zh")


def test_an_expired_waiver_is_ignored_with_a_warning_naming_it(failures: Report) -> None:
    expired = waiver("food_safety_pass_rate", line=7, expires="2020-12-30")
    report = apply_waivers(failures, [expired], today=TODAY)
    assert result(report, "food_safety_pass_rate").status is Status.FAIL
    (problem,) = report.problems[len(failures.problems) :]
    assert (problem.code, problem.source, problem.row, problem.column) == (
        "waiver-expired",
        "w.yaml",
        7,
        "expires",
    )
    assert "food_safety_pass_rate" in problem.text("en")
    assert "2020-12-30" in problem.text("zh")


def test_a_waiver_expiring_today_still_holds(failures: Report) -> None:
    report = apply_waivers(
        failures, [waiver("food_safety_pass_rate", expires=TODAY.isoformat())], today=TODAY
    )
    assert result(report, "food_safety_pass_rate").status is Status.WAIVED


def test_an_unknown_target_is_a_warning_with_the_id_meant(failures: Report) -> None:
    report = apply_waivers(
        failures,
        [waiver("food_safety_pass_rat"), waiver("食品安全抽检合格率"), waiver("zzz")],
        today=TODAY,
    )
    problems = report.problems[len(failures.problems) :]
    assert [(p.code, p.column) for p in problems] == [("waiver-unknown", "target")] * 3
    assert "did you mean 'food_safety_pass_rate'" in problems[0].text("en")
    assert "food_safety_pass_rate" in problems[1].text("zh")  # a name: its id is suggested
    assert "did you mean" not in problems[2].text("en")
    assert [r.status for r in report.results] == [r.status for r in failures.results]


def test_an_unknown_region_is_a_warning_with_the_name_meant(failures: Report) -> None:
    report = apply_waivers(failures, [waiver("good_air_days_ratio", region="肃难县")], today=TODAY)
    (problem,) = report.problems[len(failures.problems) :]
    assert (problem.code, problem.column) == ("waiver-unknown", "region")
    assert "肃南县" in problem.text("zh")
    assert result(report, "good_air_days_ratio").status is Status.MISSING


def test_no_waivers_leave_the_report_as_it_is(failures: Report) -> None:
    assert apply_waivers(failures, [], today=TODAY) is failures


def test_the_sample_has_a_waiver_past_its_expiry_that_is_ignored(failures: Report) -> None:
    waivers = load_waivers([SAMPLES / "waivers-2020.yaml"])
    report = apply_waivers(failures, waivers, today=date(2026, 1, 1))
    expired = [p for p in report.problems if p.code == "waiver-expired"]
    assert [(p.row, dict(p.params)["target"]) for p in expired] == [(15, "pm25_concentration")]
    assert result(report, "pm25_concentration").status is Status.FAIL
    assert result(report, "food_safety_pass_rate").status is Status.WAIVED
    assert result(report, "good_air_days_ratio").status is Status.WAIVED


def test_the_waiver_codes_are_declared_and_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "problems.md").read_text("utf-8")
    for code in ("invalid-waivers", "waiver-expired", "waiver-unknown", "waiver-unused"):
        assert code in CODES
        assert f"| `{code}` | {CODES[code].severity} |" in docs
