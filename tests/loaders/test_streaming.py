"""Reading at scale keeps every check: regressions found by reviewing the streaming reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

import qcheck.rows
from tests.helpers import run_cli

pytestmark = pytest.mark.usefixtures("cli_environment")


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def validation(result: Result) -> dict[str, object]:
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    found = document["validation"]
    assert isinstance(found, dict)
    return found


def test_unit_in_a_name_is_checked_after_a_row_that_gave_its_own_unit(tmp_path: Path) -> None:
    text = (
        "indicator,year,region,value,unit\n"
        "食品安全抽检合格率（户）,2019,,95,%\n"
        "食品安全抽检合格率（户）,2020,甘州区,96,%\n"
        "食品安全抽检合格率（户）,2020,,95,\n"
    )
    path = write(tmp_path, "a.csv", text)
    found = validation(run_cli(["validate", path, "--format", "json"]))
    problems = found["problems"]
    assert isinstance(problems, list)
    # A unit in the name that disagrees with the unit given is refused too (rows 2 and 3).
    assert [(p["row"], p["code"]) for p in problems] == [
        (2, "unit-mismatch"),
        (3, "unit-mismatch"),
        (4, "unit-mismatch"),
    ]


def test_each_file_is_judged_as_if_alone(tmp_path: Path) -> None:
    first = write(
        tmp_path, "e1.csv", "indicator,year,value,unit\n食品安全抽检合格率（户）,2019,95,%\n"
    )
    second = write(tmp_path, "e2.csv", "indicator,year,value\n食品安全抽检合格率（户）,2020,95\n")
    alone = run_cli(["evaluate", second, "--format", "json"])
    together = run_cli(["evaluate", first, second, "--each", "--format", "json"])
    assert alone.exit_code == 2
    assert together.exit_code == 2
    errors = json.loads(together.stdout)["input_errors"]
    # The first file is refused for its own reason: the unit in the name disagrees with %.
    assert [(e["source"], e["problems"][0]["code"]) for e in errors] == [
        ([first], "unit-mismatch"),
        ([second], "unit-mismatch"),
    ]


@pytest.mark.parametrize("name", ["utf-16", "utf-16-le", "UTF16"])
def test_forced_utf16_reads_a_file_with_its_mark(tmp_path: Path, name: str) -> None:
    path = write(
        tmp_path, "u.txt", "indicator\tyear\tvalue\n食品安全抽检合格率\t2020\t95\n", "utf-16"
    )
    result = run_cli(["validate", path, "--encoding", name, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert validation(result)["measurements"] == 1


def test_forced_utf8_does_not_drop_a_utf16_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "indicator,value\nfood_safety_pass_rate,95\n", "utf-16")
    result = run_cli(["validate", path, "--encoding", "utf-8", "--format", "json"])
    assert result.exit_code == 2
    problems = validation(result)["problems"]
    assert isinstance(problems, list)
    assert problems[0]["message"] == "byte 0xFF at offset 0 is not valid text in UTF-8"


def test_counts_stay_true_beyond_the_problems_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qcheck.rows, "KEPT_PROBLEMS", 10)
    rows = [f"nope{n},2020,,1" for n in range(15)] + ["食品安全抽检合格率,2019,,96"] * 13
    path = write(tmp_path, "a.csv", "indicator,year,region,value\n" + "\n".join(rows) + "\n")
    found = validation(run_cli(["validate", path, "--format", "json", "--max-errors", "5"]))
    assert (found["error_count"], found["warning_count"]) == (15, 12)
    assert found["problems_not_shown"] == 15 + 12 - 5
    stderr = run_cli(["evaluate", path]).stderr
    assert "15 error(s) in the input" in stderr


def test_rows_with_extra_cells_are_counted_not_hoarded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qcheck.rows, "KEPT_PROBLEMS", 10)
    rows = ["sme_quality_training,2020,1,234"] * 50  # an unquoted thousands separator
    path = write(tmp_path, "a.csv", "indicator,year,value\n" + "\n".join(rows) + "\n")
    found = validation(run_cli(["validate", path, "--format", "json"]))
    problems = found["problems"]
    assert isinstance(problems, list)
    assert found["error_count"] == 50
    assert len(problems) == 10


def test_an_unused_row_of_the_evaluated_year_is_named_among_many_others(tmp_path: Path) -> None:
    counties = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]
    rows = [f"食品安全抽检合格率,{year},{c},95" for year in range(2001, 2018) for c in counties]
    rows.append("食品安全抽检合格率,2020,甘州区,95")
    path = write(tmp_path, "a.csv", "indicator,year,region,value\n" + "\n".join(rows) + "\n")
    result = run_cli(["evaluate", path, "--format", "json"])
    assert "1 row(s) for 2020 were read but used by no target" in result.stderr
    assert f"{path} row {len(rows) + 1}: food_safety_pass_rate, Ganzhou District" in result.stderr
    report = json.loads(result.stdout)["reports"][0]
    assert report["unused_count"] == len(rows)
    assert any(row["year"] == 2020 for row in report["unused_rows"])


@pytest.mark.parametrize(
    ("first", "second"),
    # Figures are held to 15 significant digits; two that differ in the 15th are not the same.
    [("95.2", "95.2000000000001"), ("900719925474099", "900719925474098")],
)
def test_duplicates_are_compared_exactly(tmp_path: Path, first: str, second: str) -> None:
    indicator = "sme_quality_training" if len(first) > 10 else "food_safety_pass_rate"
    text = f"indicator,year,value\n{indicator},2020,{first}\n{indicator},2020,{second}\n"
    found = validation(run_cli(["validate", write(tmp_path, "a.csv", text), "--format", "json"]))
    problems = found["problems"]
    assert isinstance(problems, list)
    assert [p["code"] for p in problems] == ["duplicate"]
    assert second in str(problems[0]["message"])


def test_a_huge_cell_among_the_first_lines_is_a_clean_error(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.csv", "indicator,value\nfood_safety_pass_rate," + "9" * 200_000 + "\n"
    )
    result = run_cli(["validate", path, "--format", "json"])
    assert result.exit_code == 2
    problems = validation(result)["problems"]
    assert isinstance(problems, list)
    # Too long a cell, named with its column (it was bad-csv, "check the quotes").
    assert (problems[0]["code"], problems[0]["row"], problems[0]["column"]) == (
        "too-large",
        2,
        "value",
    )


def test_a_default_year_outside_the_range_is_refused() -> None:
    from qcheck import check_files, load_catalogue

    with pytest.raises(ValueError, match="default_year"):
        check_files([], catalogue=load_catalogue(), default_year=2101)
