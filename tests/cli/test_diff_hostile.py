"""qcheck diff against hostile input: one-sided targets, lost figures, huge numbers, duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli


def result(target_id: str, status: str, value: Any = None, gap: Any = None) -> dict[str, Any]:
    return {
        "id": target_id,
        "name": target_id.title(),
        "status": status,
        "value": value,
        "gap": gap,
        "unit": "%",
    }


def report(*results: dict[str, Any], source: str = "a.csv", year: int = 2020) -> dict[str, Any]:
    return {"source": [source], "year": year, "results": list(results)}


def write(path: Path, *reports: dict[str, Any], **extra: Any) -> str:
    document = {"schema_version": 2, "lang": "en", "reports": list(reports), **extra}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path.name


def diff(*args: str, lang: str = "en") -> Any:
    return run_cli(["diff", *args, "--lang", lang], COLUMNS="100")


# ---- 1. a target only one report has; no results -----------------------------------------


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_a_target_only_in_one_report_shows_its_one_side(in_tmp: Path, fmt: str) -> None:
    old = write(in_tmp / "old.json", report(result("food", "fail", 93.5, -0.5)))
    new = write(in_tmp / "new.json", report(result("other", "pass", 96.5, 2.5)))
    out = diff(old, new, "--format", fmt)
    assert out.exit_code == 0, out.output
    if fmt == "json":
        targets = json.loads(out.stdout)["reports"][0]["targets"]
        assert [(t["id"], t["old"], t["new"]) for t in targets] == [
            ("other", None, {"status": "pass", "value": 96.5, "gap": 2.5}),
            ("food", {"status": "fail", "value": 93.5, "gap": -0.5}, None),
        ]
        return
    lines = out.stdout.splitlines()
    food = next(line for line in lines if "Food" in line)
    other = next(line for line in lines if "Other" in line)
    for shown in ("not met", "93.5%", "-0.5"):
        assert shown in food, food
    for shown in ("met", "96.5%", "+2.5"):
        assert shown in other, other


@pytest.mark.parametrize(
    ("reports", "field"),
    [
        ([{"source": ["a.csv"], "year": 2020, "results": []}], "reports[1].results"),
        ([{"source": ["a.csv"], "year": 2020}], "reports[1].results"),
        ([report(result("", "pass", 96, 2))], "reports[1].results[1].id"),
    ],
)
def test_a_report_without_results_or_ids_is_not_a_report(
    in_tmp: Path, reports: list[dict[str, Any]], field: str
) -> None:
    good = write(in_tmp / "good.json", report(result("food", "pass", 96, 2)))
    bad = write(in_tmp / "bad.json", *reports)
    for lang in ("en", "zh"):
        out = diff(bad, good, lang=lang)
        assert out.exit_code == 2, out.output
        assert "bad.json" in out.stderr
        assert "not-a-report" in out.stderr
        assert field in out.stderr
        assert "Traceback" not in out.output


# ---- 2. a figure that went missing ---------------------------------------------------------


@pytest.mark.parametrize(
    "before", ["pass", "pass_at_risk", "fail", "off_track", "waived", "not_due"]
)
def test_a_figure_that_went_missing_is_worse_data_lost_and_fails_the_run(
    in_tmp: Path, before: str
) -> None:
    old = write(in_tmp / "old.json", report(result("food", before, 93.5, -0.5)))
    new = write(in_tmp / "new.json", report(result("food", "missing")))
    document = json.loads(diff(old, new, "--format", "json").stdout)
    (change,) = document["reports"][0]["targets"]
    assert change["direction"] == "worse"
    assert document["regressed"] is True
    for lang, said in (("en", "worse: data lost"), ("zh", "变差：数据缺失")):
        out = diff(old, new, lang=lang)
        assert out.exit_code == 1, out.output
        assert said in out.stdout
        markdown = diff(old, new, "--format", "markdown", lang=lang)
        assert markdown.exit_code == 1
        assert markdown.stdout.startswith("### ❌")
        assert f"🔻 {said}" in markdown.stdout


def test_a_figure_still_missing_or_found_again_is_not_lost(in_tmp: Path) -> None:
    old = write(in_tmp / "old.json", report(result("a", "missing"), result("b", "missing")))
    new = write(in_tmp / "new.json", report(result("a", "missing"), result("b", "fail", 90, -4)))
    document = json.loads(diff(old, new, "--format", "json").stdout)
    assert [(t["id"], t["direction"]) for t in document["reports"][0]["targets"]] == [
        ("b", "worse")  # missing (4) to not met (5): worse by rank, and no data was lost
    ]


# ---- 3. huge numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("1e999999999", "1e999999999"),  # --format json once spun forever writing it out
        ("1e5000", "1e5000"),
        ("-1e31", "-1e31"),
        ("1e-31", "1e-31"),
        ("1234567890123456789012345678901", "1234567890123456789012345678901"),
        ("0.1234567890123456789012345678901", "0.1234567890123456789012345678901"),
        ("9" * 100_000, "9" * 40 + "…"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_a_number_beyond_any_figure_is_not_a_report_naming_its_field(
    in_tmp: Path, number: str, shown: str, fmt: str
) -> None:
    good = write(in_tmp / "good.json", report(result("food", "pass", 96.5, 2.5)))
    text = (in_tmp / good).read_text(encoding="utf-8").replace("96.5", number)
    (in_tmp / "huge.json").write_text(text, encoding="utf-8")
    for lang, said in (("en", "more than 30 digits"), ("zh", "不超过 30 位数字")):
        out = diff("huge.json", good, "--format", fmt, lang=lang)
        assert out.exit_code == 2, out.output
        assert "huge.json" in out.stderr
        assert "reports[1].results[1].value" in out.stderr
        assert shown in out.stderr
        assert said in out.stderr
        assert out.stdout == ""


def test_a_large_figure_within_the_limits_is_compared(in_tmp: Path) -> None:
    old = write(in_tmp / "old.json", report(result("food", "pass", 1e30, 1e-30)))
    new = write(in_tmp / "new.json", report(result("food", "pass", 123456789012345, 2)))
    document = json.loads(diff(old, new, "--format", "json").stdout)
    (change,) = document["reports"][0]["targets"]
    assert change["value_moved"] is True
    assert diff(old, new).exit_code == 0


# ---- 4. a target listed twice --------------------------------------------------------------


def test_a_target_listed_twice_in_a_report_is_not_a_report_naming_it(in_tmp: Path) -> None:
    twice = report(result("food", "pass", 96, 2), result("air", "pass", 90, 5))
    twice["results"].append(result("food", "fail", 93, -1))
    bad = write(in_tmp / "twice.json", twice)
    for lang, said in (("en", "listed a second time"), ("zh", "再次出现")):
        out = diff(bad, bad, lang=lang)  # compared with itself, it once said "1 worse"
        assert out.exit_code == 2, out.output
        assert "twice.json" in out.stderr
        assert "'food'" in out.stderr
        assert "reports[1].results[3].id" in out.stderr
        assert said in out.stderr


# ---- 5. the heading and colours follow the exit code ---------------------------------------


def test_an_input_that_became_unusable_is_red_and_crossed_as_the_exit_code_fails(
    in_tmp: Path,
) -> None:
    from qcheck.diff import compare
    from qcheck.loaders.targets import load_catalogue
    from qcheck.renderers.diff.table import DiffTableRenderer

    failure = {"source": ["a.csv"], "problems": []}
    old_document = {
        "schema_version": 2,
        "reports": [report(result("x", "pass", 1)), report(result("x", "pass", 1), source="b.csv")],
    }
    new_document = {
        "schema_version": 2,
        "reports": [report(result("x", "pass", 1), source="b.csv")],
        "input_errors": [failure],
    }
    old = in_tmp / "old.json"
    new = in_tmp / "new.json"
    old.write_text(json.dumps(old_document), encoding="utf-8")
    new.write_text(json.dumps(new_document), encoding="utf-8")
    markdown = diff("old.json", "new.json", "--format", "markdown")
    assert markdown.exit_code == 1, markdown.output
    assert markdown.stdout.startswith("### ❌ ")
    compared = compare(old_document, new_document, old_source="old.json", new_source="new.json")
    text = DiffTableRenderer(lang="en", color=True, width=100).render_diff(
        compared, load_catalogue()
    )
    # b.csv held (green); a.csv could be evaluated and cannot be now (red, as the exit code)
    assert text.endswith(
        "\x1b[33mthe input could be evaluated before and cannot be now\x1b[0m\n"
        "\x1b[1;31mno target changed\x1b[0m\n"
    )
    assert "\x1b[32mno target changed\x1b[0m\n\n" in text


# ---- 6. matching reports -------------------------------------------------------------------


def warned(code: str, source: str, row: int) -> dict[str, Any]:
    return {"source": source, "code": code, "severity": "warning", "row": row, "column": None}


def county(month: str, name: str, status: str, row: int) -> dict[str, Any]:
    path = f"{month}/{name}/report.csv"
    found = report(result("food", status, 96, 2), source=path)
    found["warnings"] = [warned("title-row", path, row)]
    return found


def test_files_of_one_name_in_folders_are_matched_by_their_path_inside_the_run(
    in_tmp: Path,
) -> None:
    old = write(
        in_tmp / "old.json",
        county("may", "ganzhou", "pass", 1),
        county("may", "linze", "pass", 1),
    )
    new = write(
        in_tmp / "new.json",
        county("jun", "linze", "fail", 2),  # another order
        county("jun", "ganzhou", "pass", 1),
    )
    out = diff(old, new, "--format", "json")
    assert out.exit_code == 1, out.output  # linze got worse: once never compared, exit 0
    document = json.loads(out.stdout)
    assert [(p["old"]["source"], p["new"]["source"]) for p in document["reports"]] == [
        (["may/linze/report.csv"], ["jun/linze/report.csv"]),
        (["may/ganzhou/report.csv"], ["jun/ganzhou/report.csv"]),
    ]
    linze, ganzhou = document["reports"]
    assert [t["direction"] for t in linze["targets"]] == ["worse"]
    # a problem is matched by its path inside the run: ganzhou's row 1 held; linze's moved
    assert ganzhou["new_problems"] == ganzhou["resolved_problems"] == []
    assert [p["row"] for p in linze["new_problems"]] == [2]
    assert [p["row"] for p in linze["resolved_problems"]] == [1]
    assert document["added_reports"] == document["removed_reports"] == []


def test_a_merged_run_whose_sources_are_in_another_order_is_compared(in_tmp: Path) -> None:
    sources = ["a.csv", "b.csv"]
    old_report = {"source": sources, "year": 2020, "results": [result("food", "pass", 96, 2)]}
    new_report = {"source": sources[::-1], "year": 2020, "results": [result("food", "fail", 93)]}
    other = report(result("food", "pass", 96, 2), source="c.csv")
    old = write(in_tmp / "old.json", old_report, other)
    new = write(in_tmp / "new.json", other, new_report)
    out = diff(old, new, "--format", "json")
    assert out.exit_code == 1, out.output
    assert len(json.loads(out.stdout)["reports"]) == 2
    assert "warning" not in out.stderr


def test_merged_runs_of_several_years_whose_files_changed_are_matched_by_year(
    in_tmp: Path,
) -> None:
    def run(sources: list[str], status: str) -> list[dict[str, Any]]:
        return [
            {"source": sources, "year": year, "results": [result("food", status, 96, 2)]}
            for year in (2018, 2019, 2020)
        ]

    old = write(in_tmp / "old.json", *run(["a.csv"], "pass"))
    new = write(in_tmp / "new.json", *run(["a.csv", "late.csv"], "fail"))
    out = diff(old, new, "--format", "json")
    assert out.exit_code == 1, out.output
    document = json.loads(out.stdout)
    assert [(p["old"]["year"], p["new"]["year"]) for p in document["reports"]] == [
        (2018, 2018),
        (2019, 2019),
        (2020, 2020),
    ]


def test_reports_left_unmatched_are_warned_of_and_none_matched_exits_2(in_tmp: Path) -> None:
    old = write(
        in_tmp / "old.json", county("may", "ganzhou", "pass", 1), county("may", "linze", "pass", 1)
    )
    new = write(
        in_tmp / "new.json", county("jun", "ganzhou", "pass", 1), county("jun", "gaotai", "pass", 1)
    )
    for lang, said in (
        ("en", "2 report(s) match no report"),
        ("zh", "2 份报表在另一文件中没有对应"),
    ):
        partly = diff(old, new, lang=lang)
        assert partly.exit_code == 0, partly.output
        assert said in partly.stderr
    none = write(
        in_tmp / "none.json", county("jun", "shandan", "pass", 1), county("jun", "sunan", "pass", 1)
    )
    for lang, said in (("en", "nothing was compared"), ("zh", "未进行比较")):
        out = diff(old, none, lang=lang)
        assert out.exit_code == 2, out.output
        assert said in out.stderr
        assert "old.json" in out.stderr
        assert out.stdout == ""


# ---- 7. messages: standard input twice, an empty file, UTF-16 -------------------------------


def test_standard_input_twice_is_a_usage_error(in_tmp: Path) -> None:
    for lang, said in (("en", "can be read once"), ("zh", "只能读取一次")):
        out = run_cli(["diff", "-", "-", "--lang", lang], input="{}")
        assert out.exit_code == 2, out.output
        assert said in out.stderr
        assert "Traceback" not in out.output


@pytest.mark.parametrize("content", [b"", b"  \r\n"])
def test_an_empty_file_is_said_to_be_empty(in_tmp: Path, content: bytes) -> None:
    good = write(in_tmp / "good.json", report(result("food", "pass", 96, 2)))
    (in_tmp / "empty.json").write_bytes(content)
    for lang, said in (("en", "the file is empty"), ("zh", "文件为空")):
        out = diff("empty.json", good, lang=lang)
        assert out.exit_code == 2, out.output
        assert "empty.json" in out.stderr
        assert f"[not-a-report] {said}" in out.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_report_in_utf_16_as_powershell_writes_it_is_read(in_tmp: Path, encoding: str) -> None:
    old = write(in_tmp / "old.json", report(result("food", "pass", 96, 2)))
    text = (in_tmp / old).read_text(encoding="utf-8").replace("pass", "fail")
    (in_tmp / "wide.json").write_bytes(text.encode(encoding))
    out = diff(old, "wide.json", "--format", "json")
    assert out.exit_code == 1, out.output
    (change,) = json.loads(out.stdout)["reports"][0]["targets"]
    assert (change["old"]["status"], change["new"]["status"]) == ("pass", "fail")
