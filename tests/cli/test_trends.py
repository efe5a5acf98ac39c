"""qcheck evaluate --years: each year on the same inputs, a target × year matrix and trends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import qcheck.cli.evaluate as evaluate_module
from qcheck.cli import main
from tests.helpers import SAMPLES, csv_records, run_cli

FAILURES = str(SAMPLES / "report-2020-with-failures.csv")


def _json(args: list[str]) -> dict[str, Any]:
    result = run_cli(["evaluate", *args, "--format", "json", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_years_shows_a_target_by_year_table_with_the_trend() -> None:
    result = run_cli(["evaluate", FAILURES, "--years", "2018-2020", "--lang", "en"], COLUMNS="120")
    assert result.exit_code == 1
    out = result.stdout
    assert "Zhangye City: quality targets, 2018–2020" in out
    row = next(line for line in out.splitlines() if line.startswith("Manufactured products"))
    # Against ≥92% with a 1 pp band: 92.1 and 92.6 are met at risk (!), 93 is met.
    for cell in ("! 92.1%", "! 92.6%", "✔ 93%"):
        assert cell in row
    assert row.rstrip().endswith("▁▅█ rising")
    assert "2019: 27 targets: 5 met, 1 not met, 16 missing, 1 met at risk, 4 not yet due" in out


def test_years_in_chinese_words_the_direction() -> None:
    result = run_cli(["evaluate", FAILURES, "--years", "2018-2020", "--lang", "zh"], COLUMNS="120")
    assert "张掖市2018—2020年质量目标核查" in result.stdout
    assert "▆▁█ 上升" in result.stdout


def test_each_year_is_judged_as_year_would_judge_it() -> None:
    trend = _json([FAILURES, "--years", "2018-2020"])
    assert [report["year"] for report in trend["reports"]] == [2018, 2019, 2020]
    for report in trend["reports"]:
        alone = _json([FAILURES, "--year", str(report["year"])])["reports"][0]
        assert report == alone


def test_json_carries_each_targets_series() -> None:
    document = _json([FAILURES, "--years", "2018,2020"])
    assert document["trends"]["years"] == [2018, 2020]
    series = {s["id"]: s for s in document["trends"]["targets"]}
    assert series["consumer_goods_pass_rate"] == {
        "id": "consumer_goods_pass_rate",
        "unit": "%",
        "due_year": 2020,
        "baseline": None,
        "threshold": 90,
        "direction": "rising",
        "undated_years": [],
        "points": [
            {"year": 2018, "value": 91.2, "status": "pass"},
            {"year": 2020, "value": 92, "status": "fail"},
        ],
    }
    assert series["pm10_concentration"]["baseline"] == {"value": 78, "year": 2017}
    assert series["sme_quality_training"]["points"][1] == {
        "year": 2020,
        "value": 118,
        "status": "missing",
    }


def test_json_without_years_has_no_trends() -> None:
    assert "trends" not in _json([FAILURES])


def test_one_year_is_a_trend_of_one_column() -> None:
    document = _json([FAILURES, "--years", "2019"])
    assert [report["year"] for report in document["reports"]] == [2019]
    assert all(len(s["points"]) == 1 for s in document["trends"]["targets"])


def test_csv_gets_a_report_per_year() -> None:
    result = run_cli(["evaluate", FAILURES, "--years", "2019-2020", "--format", "csv"])
    rows = csv_records(result.stdout)
    assert sorted({row["year"] for row in rows}) == ["2019", "2020"]
    assert len([row for row in rows if row["id"] == "service_satisfaction"]) == 2


def test_the_exit_code_is_the_worst_of_the_years(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    # Met in 2020; off track in 2019, having fallen back from 95 in the 2017 baseline.
    rows = [(2017, 95), (2019, 93), (2020, 95)]
    text = "".join(f"food_safety_pass_rate,{year},{value}\n" for year, value in rows)
    report.write_text("indicator,year,value\n" + text, encoding="utf-8")
    assert run_cli(["evaluate", str(report), "--year", "2020"]).exit_code == 0
    assert run_cli(["evaluate", str(report), "--years", "2019-2020"]).exit_code == 1
    assert run_cli(["evaluate", str(report), "--years", "2020"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "lang", "words"),
    [
        (["--years", "2018-20x"], "en", "'2018-20x' names no years"),
        (["--years", "2018-20x"], "zh", "'2018-20x' 不是年份"),
        (["--years", ""], "en", "names no years"),
        (["--years", "2020-2018"], "en", "2020-2018 runs backwards: write 2018-2020"),
        (["--years", "2020-2018"], "zh", "2020-2018 的起止颠倒了"),
        (["--years", "2017-2019"], "en", "the plan runs from 2018; 2017 is before it"),
        (["--years", "2019,2021"], "zh", "方案的目标年份是2020年；2021年在此之后"),
        (["--years", "2019", "--year", "2019"], "en", "--years and --year both say"),
        (["--years", "2019", "--each"], "zh", "--years 把所有输入作为一个数据集评估"),
    ],
)
def test_bad_years_are_a_usage_error_in_the_users_language(
    args: list[str], lang: str, words: str
) -> None:
    result = run_cli(["evaluate", FAILURES, *args, "--lang", lang])
    assert result.exit_code == 2
    assert words in result.stderr
    assert "'--years'" in result.stderr
    assert "Traceback" not in result.output


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Record the default year of every read of the inputs."""
    reads: list[int | None] = []
    real = getattr(evaluate_module, "check_files")  # noqa: B009 - not exported

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("default_year"))
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluate_module, "check_files", counted)
    return reads


def test_inputs_whose_rows_give_their_years_are_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = _count_reads(monkeypatch)
    assert run_cli(["evaluate", FAILURES, "--years", "2018-2020"]).exit_code == 1
    assert reads == [2018]


def test_a_row_without_a_year_counts_for_each_year(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = tmp_path / "r.csv"
    report.write_text(
        "indicator,year,value\nfood_safety_pass_rate,,95\nservice_satisfaction,2019,86\n",
        encoding="utf-8",
    )
    reads = _count_reads(monkeypatch)
    document = _json([str(report), "--years", "2018-2020"])
    assert reads == [2018, 2019, 2020]  # read again for each year: the default differs
    series = {s["id"]: s for s in document["trends"]["targets"]}
    assert [p["value"] for p in series["food_safety_pass_rate"]["points"]] == [95, 95, 95]
    assert [p["value"] for p in series["service_satisfaction"]["points"]] == [None, 86, None]


def test_a_stream_with_rows_without_a_year_is_refused() -> None:
    text = "indicator,value\nfood_safety_pass_rate,95\n"
    result = CliRunner().invoke(
        main, ["evaluate", "-", "--years", "2019-2020", "--lang", "en"], input=text
    )
    assert result.exit_code == 2
    assert "<stdin> has rows without a year" in result.stderr
    assert "Traceback" not in result.output


def test_a_stream_whose_rows_give_their_years_is_read_once() -> None:
    text = "indicator,year,value\nfood_safety_pass_rate,2019,93\nfood_safety_pass_rate,2020,95\n"
    result = CliRunner().invoke(
        main, ["evaluate", "-", "--years", "2019-2020", "--format", "json"], input=text
    )
    assert result.exit_code == 0  # 2019 is not yet due (no earlier figure), 2020 met
    series = {s["id"]: s for s in json.loads(result.stdout)["trends"]["targets"]}
    assert [p["value"] for p in series["food_safety_pass_rate"]["points"]] == [93, 95]


def test_an_unusable_input_stops_the_run_as_without_years(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    report.write_text("indicator,year,value\nfood_safety_pass_rate,2019,abc\n", encoding="utf-8")
    result = run_cli(["evaluate", str(report), "--years", "2019-2020", "--lang", "en"])
    assert result.exit_code == 2
    assert "not-a-number" in result.stdout or "not-a-number" in result.stderr
