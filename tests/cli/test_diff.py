"""qcheck diff on the command line: two sample runs, every format, each bad input, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import assert_golden, run_cli

FAILURES = "samples/report-2020-with-failures.csv"
ALL_MET = "samples/report-2020-all-met.csv"
# What changed from the sample with failures to the one with every target met, pinned: the
# six targets not met and the two missing are met, two met at risk (inside the 1 pp band) are
# met clear of it; three met targets' values moved, one of them still at risk (98 to 98.6).
BETTER = {
    "consumer_goods_pass_rate": ("fail", "pass"),
    "food_safety_pass_rate": ("fail", "pass"),
    "major_projects_first_acceptance_rate": ("fail", "pass"),
    "key_services_level": ("fail", "pass"),
    "pm10_concentration": ("fail", "pass"),
    "pm25_concentration": ("fail", "pass"),
    "good_air_days_ratio": ("missing", "pass"),
    "sme_quality_training": ("missing", "pass"),
    "service_satisfaction": ("pass_at_risk", "pass"),
    "drinking_water_quality_ratio": ("pass_at_risk", "pass"),
}
MOVED = {
    "manufacturing_pass_rate": (93, 93.8),
    "agricultural_products_pass_rate": (98, 98.6),
    "large_projects_excellence_rate": (76, 78.5),
}


@pytest.fixture
def runs(in_tmp: Path) -> Path:
    """Write the JSON of the two sample runs, old.json (with failures) and new.json (all met)."""
    (in_tmp / "samples").symlink_to(Path(__file__).resolve().parents[2] / "samples")
    for name, sample in (("old.json", FAILURES), ("new.json", ALL_MET)):
        result = run_cli(["evaluate", sample, "--format", "json", "--lang", "en"])
        assert result.exit_code in (0, 1), result.output
        (in_tmp / name).write_text(result.stdout, encoding="utf-8")
    return in_tmp


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("table.80.en.txt", ["--lang", "en"]),
        ("table.80.zh.txt", ["--lang", "zh"]),
        ("markdown.en.md", ["--lang", "en", "--format", "markdown"]),
        ("markdown.zh.md", ["--lang", "zh", "--format", "markdown"]),
        ("json.en.json", ["--lang", "en", "--format", "json"]),
    ],
)
def test_the_diff_of_two_sample_runs_in_every_format(
    runs: Path, name: str, args: list[str]
) -> None:
    result = run_cli(["diff", "old.json", "new.json", *args], COLUMNS="80")
    assert result.exit_code == 0, result.output
    assert_golden(f"diff/{name}", result.stdout)
    if name.startswith("table"):
        assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_the_json_lists_exactly_the_pinned_changes(runs: Path) -> None:
    result = run_cli(["diff", "old.json", "new.json", "--format", "json"])
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert document["regressed"] is False
    (pair,) = document["reports"]
    changed = {t["id"]: (t["old"]["status"], t["new"]["status"]) for t in pair["targets"]}
    assert {k: v for k, v in changed.items() if v[0] != v[1]} == BETTER
    moved = {
        t["id"]: (t["old"]["value"], t["new"]["value"])
        for t in pair["targets"]
        if not t["status_changed"]
    }
    assert moved == MOVED
    assert all(t["direction"] == "better" for t in pair["targets"] if t["status_changed"])
    assert pair["unchanged"] == 27 - len(BETTER) - len(MOVED)
    assert pair["new_problems"] == pair["resolved_problems"] == []
    food = next(t for t in pair["targets"] if t["id"] == "food_safety_pass_rate")
    assert (food["old"]["gap"], food["new"]["gap"]) == (-0.5, 2.2)


def test_the_other_way_round_ten_targets_got_worse_and_the_run_fails(runs: Path) -> None:
    result = run_cli(["diff", "new.json", "old.json", "--lang", "en"], COLUMNS="80")
    assert result.exit_code == 1
    assert "13 target(s) changed (10 worse, 0 better), 14 unchanged" in result.stdout
    reported = run_cli(["diff", "new.json", "old.json", "--fail-on", "never"])
    assert reported.exit_code == 0


def test_outputs_are_written_in_the_format_their_suffix_names(runs: Path) -> None:
    result = run_cli(["diff", "new.json", "old.json", "-o", "d.json", "-o", "d.md"])
    assert result.exit_code == 1
    assert json.loads((runs / "d.json").read_text(encoding="utf-8"))["regressed"] is True
    assert (runs / "d.md").read_text(encoding="utf-8").startswith("### ❌ ")


def test_an_output_of_another_format_is_a_usage_error(runs: Path) -> None:
    result = run_cli(["diff", "old.json", "new.json", "-o", "d.xml", "--lang", "en"])
    assert result.exit_code == 2
    assert "d.xml" in result.stderr
    assert ".json" in result.stderr


def test_an_output_that_is_an_input_is_refused(runs: Path) -> None:
    before = (runs / "new.json").read_text(encoding="utf-8")
    result = run_cli(["diff", "old.json", "new.json", "-o", "new.json", "--lang", "en"])
    assert result.exit_code == 2
    assert "new.json" in result.stderr
    assert "Traceback" not in result.output
    assert (runs / "new.json").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("content", "said_en", "said_zh"),
    [
        (None, "No such file", "不存在"),
        ("not json at all", "not JSON: Expecting value (line 1, column 1)", "不是 JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8", "不是 UTF-8"),
        ('<?xml version="1.0"?><testsuites/>', "an XML file", "XML 文件"),
        ('{"version": "2.1.0", "runs": []}', "a SARIF file", "SARIF 文件"),
        ('{"schema_version": 2, "validation": {}}', "qcheck validate", "qcheck validate"),
        ('{"schema_version": 3, "reports": []}', "schema version 3", "版本"),
        (
            '{"schema_version": 2, "reports": [{"year": 2020}]}',
            "reports[1].source",
            "reports[1].source",
        ),
        ('{"a": NaN}', "not JSON qcheck can read", "无法读取的 JSON"),
        ("[" * 100_000, "not JSON qcheck can read", "无法读取的 JSON"),
    ],
)
def test_a_file_that_is_no_report_exits_2_naming_it_in_the_users_language(
    runs: Path, content: str | bytes | None, said_en: str, said_zh: str
) -> None:
    bad = runs / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content, encoding="utf-8")
    for lang, said in (("en", said_en), ("zh", said_zh)):
        result = run_cli(["diff", "bad.json", "new.json", "--lang", lang])
        assert result.exit_code == 2, result.output
        assert "bad.json" in result.stderr, result.stderr
        assert said in result.stderr, result.stderr
        assert "Traceback" not in result.output
        assert result.stdout == ""
    assert (
        "nothing was compared" in run_cli(["diff", "new.json", "bad.json", "--lang", "en"]).stderr
    )


def test_both_bad_files_are_named(runs: Path) -> None:
    (runs / "a.json").write_text("{}", encoding="utf-8")
    result = run_cli(["diff", "a.json", "missing.json", "--lang", "en"])
    assert result.exit_code == 2
    assert "a.json" in result.stderr
    assert "missing.json" in result.stderr
    assert "2 file(s) cannot be compared" in result.stderr


def test_an_unreadable_file_is_bad_input_not_a_bug(
    runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = run_cli(["diff", "old.json", "new.json", "--lang", "en"])
    assert result.exit_code == 2
    assert "old.json" in result.stderr
    assert "permission" in result.stderr.lower()


def test_a_batch_of_each_is_compared_report_by_report(runs: Path) -> None:
    batch = run_cli(["evaluate", FAILURES, ALL_MET, "--each", "--format", "json"])
    (runs / "batch.json").write_text(batch.stdout, encoding="utf-8")
    result = run_cli(["diff", "batch.json", "batch.json", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["reports"]) == 2
    assert document["summary"]["changed"] == 0
    assert document["added_reports"] == document["removed_reports"] == []
    against_one = json.loads(run_cli(["diff", "batch.json", "new.json", "--format", "json"]).stdout)
    # new.json's one report is the batch's second, by its file: the first is no longer there
    assert [pair["new"]["source"] for pair in against_one["reports"]] == [[ALL_MET]]
    assert against_one["added_reports"] == []
    assert [r["source"] for r in against_one["removed_reports"]] == [[FAILURES]]
