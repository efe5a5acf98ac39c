"""qcheck.diff: what changed between two JSON reports, on hand-built documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from qcheck.diff import compare
from qcheck.problems import InputError
from qcheck.verdicts import Status


def result(target_id: str, status: str, value: Any = None, gap: Any = None) -> dict[str, Any]:
    return {
        "id": target_id,
        "name": target_id.title(),
        "name_zh": f"{target_id}（中文）",
        "status": status,
        "value": value,
        "gap": gap,
        "unit": "%",
        "progress": {"ignored": True},  # a field of another slice or version: ignored
    }


def warning(code: str, source: str, row: int | None, column: str | None = None) -> dict[str, Any]:
    return {
        "source": source,
        "code": code,
        "severity": "warning",
        "row": row,
        "column": column,
        "message": f"{code} in English",
        "message_zh": f"{code}（中文）",
    }


def document(*reports: dict[str, Any], version: int = 2, **extra: Any) -> dict[str, Any]:
    return {"schema_version": version, "lang": "en", "reports": list(reports), **extra}


def report(
    source: str, *results: dict[str, Any], year: int = 2020, warnings: tuple[Any, ...] = ()
) -> dict[str, Any]:
    # A report lists at least one result (an empty list is no report): one that never changes.
    listed = list(results) or [result("same", "pass", 1)]
    return {"source": [source], "year": year, "results": listed, "warnings": list(warnings)}


def diff_of(old: dict[str, Any], new: dict[str, Any]) -> Any:
    return compare(old, new, old_source="old.json", new_source="new.json")


def test_a_status_whose_rank_rose_is_worse_and_fails_the_run() -> None:
    old = document(report("a.csv", result("food", "pass", Decimal("96.2"), Decimal("2.2"))))
    new = document(report("a.csv", result("food", "fail", Decimal("93.5"), Decimal("-0.5"))))
    diff = diff_of(old, new)
    (change,) = diff.reports[0].targets
    assert (change.before.status, change.after.status) == (Status.PASS, Status.FAIL)
    assert change.direction == "worse"
    assert change.status_changed
    assert change.value_moved
    assert (change.before.gap, change.after.gap) == (Decimal("2.2"), Decimal("-0.5"))
    assert diff.regressed()
    assert (diff.exit_code("worse"), diff.exit_code("never")) == (1, 0)


def test_a_status_whose_rank_fell_is_better_and_passes() -> None:
    old = document(report("a.csv", result("air", "missing")))
    new = document(report("a.csv", result("air", "pass", 89.5, 7.5)))
    diff = diff_of(old, new)
    (change,) = diff.reports[0].targets
    assert change.direction == "better"
    assert change.before.value is None
    assert change.after.value == Decimal("89.5")
    assert not diff.regressed()
    assert diff.exit_code("worse") == 0


def test_a_status_of_the_same_rank_is_a_change_neither_worse_nor_better() -> None:
    # on track and met are both rank 0; off track and not met are both rank 5
    old = document(report("a.csv", result("x", "on_track", 90), result("y", "off_track", 80)))
    new = document(report("a.csv", result("x", "pass", 90), result("y", "fail", 80)))
    diff = diff_of(old, new)
    assert [(c.id, c.status_changed, c.direction) for c in diff.reports[0].targets] == [
        ("x", True, "level"),
        ("y", True, "level"),
    ]
    assert not diff.regressed()


def test_an_unchanged_target_is_counted_not_listed_and_a_moved_value_is_listed() -> None:
    old = document(report("a.csv", result("x", "pass", 93, 1), result("y", "pass", 100, 0)))
    new = document(report("a.csv", result("x", "pass", 93.8, 1.8), result("y", "pass", 100, 0)))
    pair = diff_of(old, new).reports[0]
    assert pair.unchanged == 1
    (change,) = pair.targets
    assert change.id == "x"
    assert change.value_moved
    assert not change.status_changed


def test_the_same_figure_written_otherwise_has_not_moved_but_true_is_not_1() -> None:
    old = document(report("a.csv", result("x", "pass", 93), result("q", "pass", 1)))
    new = document(report("a.csv", result("x", "pass", 93.0), result("q", "pass", True)))
    pair = diff_of(old, new).reports[0]
    assert [change.id for change in pair.targets] == ["q"]


def test_targets_of_another_catalogue_are_added_and_removed() -> None:
    old = document(report("a.csv", result("kept", "pass", 1), result("gone", "fail", 1)))
    new = document(report("a.csv", result("kept", "pass", 1), result("new", "missing")))
    changes = diff_of(old, new).reports[0].targets
    assert [(c.id, c.before is None, c.after is None) for c in changes] == [
        ("new", True, False),
        ("gone", False, True),
    ]
    assert all(change.direction == "level" for change in changes)


def test_problems_are_new_or_resolved_by_code_file_name_row_and_column() -> None:
    old = document(
        report(
            "old/a.csv",
            warnings=(
                warning("unknown-column", "old/a.csv", 1, "备注"),
                warning("duplicate-identical", "old/a.csv", 5),
            ),
        ),
        report("b.csv"),
    )
    new = document(
        report(
            "new/a.csv",
            warnings=(
                warning("unknown-column", "new/a.csv", 1, "备注"),  # the same: another folder
                warning("duplicate-identical", "new/a.csv", 6),  # another row: new
            ),
        ),
        report("b.csv"),
    )
    diff = diff_of(old, new)
    pair = diff.reports[0]
    assert [(p.code, p.row) for p in pair.new_problems] == [("duplicate-identical", 6)]
    assert [(p.code, p.row) for p in pair.resolved_problems] == [("duplicate-identical", 5)]
    assert pair.new_problems[0].message("zh") == "duplicate-identical（中文）"


def test_one_report_each_is_compared_whatever_the_names_and_its_file_is_renamed() -> None:
    old = document(
        report(
            "2020-05.csv",
            result("x", "pass", 1),
            warnings=(warning("title-row", "2020-05.csv", 1),),
        )
    )
    new = document(
        report(
            "2020-06.csv",
            result("x", "fail", 0),
            warnings=(warning("title-row", "2020-06.csv", 1),),
        )
    )
    diff = diff_of(old, new)
    assert len(diff.reports) == 1
    assert not diff.added
    assert not diff.removed
    assert diff.reports[0].new_problems == diff.reports[0].resolved_problems == ()
    assert diff.regressed()


def test_reports_of_batches_match_by_year_and_file_name_the_rest_added_or_removed() -> None:
    old = document(
        report("may/a.csv", result("x", "pass", 1)),
        report("may/b.csv", result("x", "pass", 1)),
        report("may/gone.csv", result("x", "pass", 1)),
        report("may/a.csv", result("x", "pass", 1), year=2019),
    )
    new = document(
        report("june/b.csv", result("x", "fail", 0)),
        report("june/a.csv", result("x", "pass", 1)),
        report("june/new.csv", result("x", "pass", 1)),
    )
    diff = diff_of(old, new)
    assert [pair.after.sources for pair in diff.reports] == [("june/b.csv",), ("june/a.csv",)]
    assert [pair.before.sources for pair in diff.reports] == [("may/b.csv",), ("may/a.csv",)]
    assert [side.sources for side in diff.added] == [("june/new.csv",)]
    assert [(side.sources, side.year) for side in diff.removed] == [
        (("may/gone.csv",), 2020),
        (("may/a.csv",), 2019),
    ]
    assert diff.regressed()  # b.csv: met to not met


def test_an_input_of_a_batch_that_can_no_longer_be_evaluated_is_a_regression() -> None:
    failure = {"source": ["a.csv"], "problems": [warning("bad-csv", "a.csv", 3)]}
    old = document(report("a.csv", result("x", "pass", 1)), report("b.csv"))
    new = document(report("b.csv"), input_errors=[failure])
    diff = diff_of(old, new)
    pair = next(pair for pair in diff.reports if pair.after.failed)
    assert pair.became_unusable
    assert pair.targets == ()
    assert [p.code for p in pair.new_problems] == ["bad-csv"]
    assert diff.regressed()


def test_schema_version_1_is_read() -> None:
    old = document(report("a.csv", result("x", "fail", 1)), version=1)
    new = document(report("a.csv", result("x", "pass", 2)))
    assert diff_of(old, new).reports[0].targets[0].direction == "better"


@pytest.mark.parametrize(
    ("old", "words"),
    [
        ([1, 2], "other"),
        ({"version": "2.1.0", "runs": []}, "sarif"),
        ({"schema_version": 2, "validation": {}}, "validation"),
        ({"schema_version": 3, "reports": [], "qcheck_version": "9.0"}, "version"),
        ({"schema_version": True, "reports": []}, "other"),
        (document(report("a.csv", result("x", "great"))), "status"),
        (document({"source": "a.csv", "year": 2020, "results": []}), "field"),
        (document(report("a.csv", result("x", "pass", "93"))), "field"),
        (document(report("a.csv", year="2020")), "field"),  # type: ignore[arg-type]
    ],
)
def test_a_document_that_is_no_report_is_refused_naming_its_file(old: Any, words: str) -> None:
    good = document(report("a.csv"))
    with pytest.raises(InputError) as raised:
        compare(old, good, old_source="old.json", new_source="new.json")
    (problem,) = raised.value.problems
    assert (problem.source, problem.code, problem.words) == (
        "old.json",
        "not-a-report",
        f"not-a-report.{words}",
    )
    assert problem.hint
    assert problem.hint_zh
    assert problem.message_zh


def test_both_files_problems_are_listed() -> None:
    with pytest.raises(InputError) as raised:
        compare([], {}, old_source="old.json", new_source="new.json")
    assert [problem.source for problem in raised.value.problems] == ["old.json", "new.json"]
