"""Edges of the column path found by a hostile review: each failed on the code before its fix."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import qcheck.loaders.csv_file
import qcheck.loaders.excel
import qcheck.loaders.table
import qcheck.rows
from qcheck.catalogue import Catalogue
from qcheck.loaders.files import check_files
from tests.loaders.test_parquet import outcome

FOOD = "food_safety_pass_rate"


def _both_ways(
    catalogue: Catalogue, texts: Sequence[str], *, size: int = 7, **options: Any
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Check CSV files as rows (every row alone) and as columns (batches of ``size``)."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"r{n}.csv" for n in range(len(texts))]
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text, encoding="utf-8")
        for columns in (False, True):
            with pytest.MonkeyPatch.context() as patch:
                alone = 0 if columns else 10**12
                patch.setattr(qcheck.loaders.csv_file, "ROWS_ALONE", alone)
                patch.setattr(qcheck.loaders.excel, "ROWS_ALONE", alone)
                patch.setattr(qcheck.loaders.table, "COLUMN_BATCH", size)
                results.append(check_files(paths, catalogue=catalogue, **options))
    return results[0], results[1]


# --- kept measurements -------------------------------------------------------------------


def test_a_kept_value_keeps_the_digits_its_cell_was_written_with(catalogue: Catalogue) -> None:
    # The column path makes each measurement's value from DuplicateIndex.values, which
    # keeps one Decimal per *equal* value: the first one seen in the run. 95.20 given for
    # food_safety after 95.2 was given for another indicator comes back as Decimal('95.2')
    # (and "0" after "-0" as Decimal('-0')). The row path keeps Decimal('95.20'), the cell's
    # own. keep_all / load_measurements users (and anything that prints str(value)) see other
    # figures than they wrote. Right: the measurement's value is the cell's own verdict.
    text = (
        "indicator,year,value\n"
        "agricultural_products_pass_rate,2020,95.2\n"
        "food_safety_pass_rate,2020,95.20\n"
    )
    (rows, _), (columns, _) = _both_ways(catalogue, [text], keep_all=True)
    by_rows = [str(m.value) for m in rows.everything or ()]
    by_columns = [str(m.value) for m in columns.everything or ()]
    assert by_rows == ["95.2", "95.20"]
    assert by_columns == by_rows


# --- Parquet / Arrow read as the same table saved as CSV ----------------------------------


def test_a_float32_column_reads_as_its_csv_text(tmp_path: Path, catalogue: Catalogue) -> None:
    # A float32 column (pandas astype("float32"), polars Float32) holding 96.85
    # is widened to a double and written with 15 digits, 96.8499984741211, which fails
    # drinking_water_quality_ratio's threshold of 96.85; the same table saved as CSV (pandas
    # and polars write float32 96.85 as "96.85") passes. Right: a float32 (and float16) cell
    # reads as its own shortest text, 96.85, as it is shown and saved everywhere else.
    table = pa.table(
        {
            "indicator": ["drinking_water_quality_ratio"],
            "year": ["2020"],
            "value": pa.array([96.85], pa.float32()),
        }
    )
    pq.write_table(table, tmp_path / "r.parquet")
    (tmp_path / "r.csv").write_text(
        "indicator,year,value\ndrinking_water_quality_ratio,2020,96.85\n", encoding="utf-8"
    )
    measured, problems = outcome(tmp_path / "r.parquet", catalogue)
    assert outcome(tmp_path / "r.csv", catalogue) == (measured, problems)


def test_a_table_of_string_views_is_read_as_text(catalogue: Catalogue, tmp_path: Path) -> None:
    # polars hands its text columns over the Arrow C stream as string_view (polars
    # 2.1: RecordBatchReader.from_stream(df).schema says "indicator: string_view"), and
    # writes .arrow / .feather files (DataFrame.write_ipc, write_ipc_stream) with them too.
    # _readable() does not know the type, so qcheck.check_table(polars_df) and `qcheck
    # validate r.arrow` refuse every such report with bad-parquet "the column holds values of
    # type string_view, not one number or text per cell" (exit 2). Right: string_view (and
    # binary-free view types of text) read as text, as string and large_string do.
    from qcheck.loaders.arrow_table import check_table

    table = pa.table(
        {
            "indicator": pa.array(["food_safety_pass_rate"], pa.string_view()),
            "year": pa.array(["2020"], pa.string_view()),
            "value": pa.array(["95"], pa.string_view()),
        }
    )
    _, validation = check_table(table, catalogue=catalogue)
    assert validation.problems == ()
    assert validation.measurements == 1
    path = tmp_path / "r.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    _, validation = check_files([tmp_path / "r.arrow"], catalogue=catalogue)
    assert validation.problems == ()


def test_a_row_holding_only_false_is_not_taken_for_blank(catalogue: Catalogue) -> None:
    # Both paths: Layout.record takes a row
    # for blank when `not any(row)`, and False is falsy, so a row whose one cell is a boolean
    # FALSE (not met) with its indicator left out is skipped without a word and not counted,
    # while the same row holding TRUE is refused with "the indicator is empty". Right: False
    # is a cell (is_blank(False) is False); the row is refused like its TRUE twin.
    from qcheck.loaders.arrow_table import check_table

    def problems(value: bool) -> list[tuple[str, int | None]]:
        table = pa.table(
            {
                "indicator": pa.array(["leading_products_level", None], pa.string()),
                "year": pa.array(["2020", None], pa.string()),
                "value": pa.array([True, value]),
            }
        )
        _, validation = check_table(table, catalogue=catalogue)
        return [(p.code, p.row) for p in validation.problems]

    assert problems(True) == [("empty-value", 1)]
    assert problems(False) == problems(True)


# --- messages ---------------------------------------------------------------------------
def test_the_last_suggestion_goes_to_the_same_name_on_both_paths(catalogue: Catalogue) -> None:
    # DIFFERENT MESSAGE: a run looks for "did you mean" for its first 500 distinct unknown
    # names (SuggestionBudget). The column path first has the model judge the first row holding
    # each new cell in the batch, then checks the other rows; when a name's first row is one
    # that is not read (here: a cell past the header), its next row is judged only after every
    # later new name, which takes the last suggestion. Read as rows, food_safety_pass_rat (row
    # 502) gets "did you mean 'food_safety_pass_rate'?" and good_air_days_rati (row 503) none;
    # read as columns, the other way round. Right: the same problems as the row path.
    text = "indicator,year,value\n" + "".join(f"junk{i},2020,95\n" for i in range(499))
    text += "food_safety_pass_rat,2020,95,extra\n"
    text += "food_safety_pass_rat,2020,95\n"
    text += "good_air_days_rati,2020,95\n"
    (_, rows), (_, columns) = _both_ways(catalogue, [text], size=65_536)
    assert [p.message for p in rows.problems[-2:]] == [
        "unknown indicator 'food_safety_pass_rat'; did you mean 'food_safety_pass_rate'?",
        "unknown indicator 'good_air_days_rati'",
    ]
    assert columns.problems == rows.problems


def test_each_file_s_suggestions_do_not_depend_on_the_files_before_it(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    # DIFFERENT MESSAGE with --each: CellVerdicts are shared by every file of the run, but the
    # suggestion budget is a new one per file. A refusal remembered while an earlier file had
    # used up its 500 suggestions is reused, without its "did you mean", for a later file that
    # would have had one: `qcheck evaluate b.csv --each` says "did you mean
    # 'food_safety_pass_rate'?", `qcheck evaluate a.csv b.csv --each` does not, for b.csv.
    # Right: a file's problems under --each are what it gets on its own.
    from qcheck.rows import CellVerdicts

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    junk = "".join(f"junk{i},2020,95\n" for i in range(600))
    a.write_text(
        "indicator,year,value\nfood_safety_pass_rate,2020,95\n"
        + junk
        + "food_safety_pass_rat,2020,95\n",
        encoding="utf-8",
    )
    b.write_text("indicator,year,value\nfood_safety_pass_rat,2020,95\n", encoding="utf-8")
    alone = check_files([b], catalogue=catalogue)[1].problems
    verdicts = CellVerdicts()
    check_files([a], catalogue=catalogue, verdicts=verdicts)
    after = check_files([b], catalogue=catalogue, verdicts=verdicts)[1].problems
    assert "did you mean" in alone[0].message
    assert after == alone


def test_two_unread_columns_of_one_name_are_both_looked_at(catalogue: Catalogue) -> None:
    # SILENT DROP (both paths): Layout.record gathers the columns qcheck does not read into
    # RawRecord.extras, a dict keyed by label. Two columns headed 部门 keep only the last
    # one's cell, so regions named in the first are never seen: these county rows count as
    # city-wide with no unread-region-column warning. Right: every unread column is looked
    # at, and the first row naming a region in the first 部门 column is flagged (row 2).
    text = (
        "indicator,year,value,部门,部门\n"
        "food_safety_pass_rate,2020,95,甘州,x\n"
        "food_safety_pass_rate,2019,95,甘州,x\n"
    )
    (_, rows), (_, columns) = _both_ways(catalogue, [text])
    for validation in (rows, columns):
        flagged = [(p.code, p.row) for p in validation.problems if p.code != "unknown-column"]
        assert flagged == [("unread-region-column", 2)]


def test_a_parquet_file_with_its_header_in_its_first_row_goes_on_as_columns(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pandas writes a sheet read with header=None as columns "0", "1", ...; the header is the
    # first row. Every row was read one at a time (1,000,000 rows: 8.6 s, against 1.1 s with
    # the header as names); now, as in a CSV file, the rows after ROWS_ALONE go as columns.
    import qcheck.loaders.arrow_file
    from tests.core.test_intake import _batches_taken
    from tests.core.test_verdicts import _state

    names = ["indicator", "year", "value"]
    rows = [["food_safety_pass_rate", str(year), "95"] for year in range(2000, 2100)]
    rows[50][1] = "twenty"  # a bad year among the columns
    table = pa.table({str(i): [names[i], *(row[i] for row in rows)] for i in range(3)})
    pq.write_table(table, tmp_path / "r.parquet")
    by_rows = _state(*check_files([tmp_path / "r.parquet"], catalogue=catalogue))
    monkeypatch.setattr(qcheck.loaders.arrow_file, "ROWS_ALONE", 10)
    taken = _batches_taken(monkeypatch)
    by_columns = _state(*check_files([tmp_path / "r.parquet"], catalogue=catalogue))
    assert sum(taken) == 90
    assert by_columns == by_rows
    assert [(p.code, p.row) for p in by_columns["problems"]] == [("title-row", 1), ("bad-year", 53)]


def test_the_rows_read_before_a_damaged_part_of_a_parquet_file_are_checked(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rows waiting to be joined into a batch were dropped when the next part of the file
    # could not be read (found by review): now they are checked, then the damage is told.
    import qcheck.loaders.arrow_file

    table = pa.table(
        {
            "indicator": ["food_safety_pass_rate"] * 3,
            "year": ["2018", "2019", "2020"],
            "value": ["95"] * 3,
        }
    )
    pq.write_table(table, tmp_path / "r.parquet")
    open_table = qcheck.loaders.arrow_file._open_table

    def damaged(*args: Any) -> Any:
        schema, batches = open_table(*args)

        def then_damage() -> Any:
            yield from batches
            raise pa.ArrowInvalid("a damaged row group")

        return schema, then_damage()

    monkeypatch.setattr(qcheck.loaders.arrow_file, "_open_table", damaged)
    _, validation = check_files([tmp_path / "r.parquet"], catalogue=catalogue)
    assert (validation.rows, validation.measurements) == (3, 3)
    assert [p.code for p in validation.problems] == ["bad-parquet"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(["food_safty_pass_rate", "PM1O", "good_air_day_ratio", "nope"]),
            st.sampled_from(["", ",2020", ",2020,95", ",2020,95,x", ",2020,95,,", ",2020,95,x,y"]),
        ),
        max_size=12,
    )
)
@example(
    lines=[
        ("PM1O", ",2020"),
        ("food_safty_pass_rate", ",2020,95,x"),
        ("good_air_day_ratio", ",2020,95,x"),
    ]
)
def test_rows_of_other_widths_use_the_suggestions_as_the_row_path_does(
    catalogue: Catalogue, lines: list[tuple[str, str]]
) -> None:
    # Rows shorter than the header, or longer with blank cells past it, are read; their names
    # must take the run's suggestions in the same order on both paths (a budget of 2 here).
    text = "indicator,year,value,note\n" + "".join(name + rest + "\n" for name, rest in lines)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qcheck.rows, "SUGGESTED_NAMES", 2)
        (_, rows), (_, columns) = _both_ways(catalogue, [text], size=3)
    assert columns.problems == rows.problems


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(st.sampled_from(["95", "95.0", "96", "x"]), min_size=1, max_size=40),
    keep=st.integers(0, 4),
)
def test_repeats_past_the_problems_kept_are_counted_alike(
    catalogue: Catalogue, values: list[str], keep: int
) -> None:
    # Past the problems kept, the column path counts repeats without making them (millions of
    # repeats took seconds each to make); the counts are the row path's.
    text = "indicator,year,value\n" + "".join(f"{FOOD},2020,{value}\n" for value in values)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qcheck.rows, "KEPT_PROBLEMS", keep)
        (_, rows), (_, columns) = _both_ways(catalogue, [text], size=3)
    assert columns == rows
