"""Remembered verdicts on cells give exactly what the model gives judging every row afresh."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import qcheck.loaders.csv_file
import qcheck.rows
from qcheck.catalogue import Catalogue
from qcheck.dataset import Dataset
from qcheck.loaders.files import check_files
from qcheck.measurements import MeasurementRow
from qcheck.validation import Validation

INDICATORS = [
    "food_safety_pass_rate",
    "食品安全抽检合格率",
    "PM10",
    "good_air_days_ratio",
    "key_services_level",
    "sme_quality_training",
    "completed_projects_compliance",  # a rate that also takes the answer 达到
    "食品安全抽检合格率（%）",
    "nope",
    "",
]
VALUES = ["95", "95.0", "0.5", "101", "60", "达到", "否", "120", "1,200", "", "x", "９５"]
YEARS = ["2020", "2019", "", "2017", "1999", "2020年"]
REGIONS = ["", "全市", "甘州", "临泽县", "酒泉", " "]
UNITS = ["", "%", "ug/m3", "户", " ", "kg"]
NOTES = ["", "备注", " x "]
ROW = st.tuples(
    st.sampled_from(INDICATORS),
    st.sampled_from(YEARS),
    st.sampled_from(REGIONS),
    st.sampled_from(VALUES),
    st.sampled_from(UNITS),
    st.sampled_from(NOTES),
)
FOOD = "food_safety_pass_rate"
FULL = "indicator,year,region,value,unit,note"
FOOD = "food_safety_pass_rate"
FULL = "indicator,year,region,value,unit,note"
FOOD_2020 = (FOOD, "2020", "", "95", "%", "")
AGRI_2019 = ("agricultural_products_pass_rate", "2019", "", "99", "", "")
SHAPES = st.sampled_from(
    [
        "indicator,year,region,value,unit,note",
        "indicator,year,region,value",
        "指标,数值",
        "indicator,year,value,序号",
        "indicator,value,department",
    ]
)


def _state(dataset: Dataset, validation: Validation) -> dict[str, Any]:
    return {
        "rows": validation.rows,
        "measurements": validation.measurements,
        "problems": validation.problems,
        "kept": sorted(dataset.by_key.items(), key=repr),
        "positions": dataset.position,
        "regions": dataset.regions_reported,
        "counted": dataset.regions_counted,
        "unused": dataset.unused(set()),
        "by_year": dataset.unusable_by_year,
    }


def _run(
    catalogue: Catalogue, paths: list[Path], *, remember: bool, batch: int = 4096
) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        if not remember:
            patch.setattr(qcheck.rows, "VERDICTS_KEPT", 0)
        patch.setattr(qcheck.loaders.csv_file, "BATCH_ROWS", batch)
        dataset, validation = check_files(paths, catalogue=catalogue)
    return _state(dataset, validation)


def _both(
    catalogue: Catalogue, texts: list[str], *, batch: int = 4096
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the same files remembering verdicts (read in batches of ``batch`` rows), and not."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, text in enumerate(texts):
            path = Path(folder) / f"r{n}.csv"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        remembered = _run(catalogue, paths, remember=True, batch=batch)
        return remembered, _run(catalogue, paths, remember=False)


def _text(shape: str, rows: Sequence[tuple[str, ...]]) -> str:
    width = len(shape.split(","))
    lines = [shape] + [",".join(f'"{cell}"' for cell in row[:width]) for row in rows]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.tuples(SHAPES, st.lists(ROW, max_size=25)), min_size=1, max_size=3))
# The last row's cells were all judged before (by rows of another year and indicator), and each
# holds one thing a remembered verdict must not answer for.
@example(files=[(FULL, [FOOD_2020, AGRI_2019, (FOOD, "2019", "", "95", "ug/m3", "")])])
@example(files=[(FULL, [FOOD_2020, AGRI_2019, (FOOD, "2019", "", "0.5", "", "")])])
@example(files=[(FULL, [FOOD_2020, AGRI_2019, (FOOD, "2019", "", "95", "", " note ")])])
@example(files=[(FULL, [FOOD_2020, (FOOD, "2020", "", "95", "", "x")])])
@example(files=[(FULL, [FOOD_2020]), (FULL, [(FOOD, "2020", "", "96", "", "")])])
@example(
    files=[
        (FULL, [(FOOD, "2020", "", "0.5", "", ""), AGRI_2019, (FOOD, "2019", "", "0.5", "", "")])
    ]
)
def test_remembered_verdicts_change_nothing(
    catalogue: Catalogue, files: list[tuple[str, list[tuple[str, ...]]]]
) -> None:
    fast, general = _both(catalogue, [_text(shape, rows) for shape, rows in files])
    assert fast == general


# Rows over a grid of places and years, most of them valid and distinct; a few odd ones.
GRID_ROW = st.tuples(
    st.sampled_from(
        [FOOD, "PM10", "good_air_days_ratio", "key_services_level", "nope", "竣工工程质量达标率"]
    ),
    st.sampled_from(["2020", "2019", "2018", "2017", "2005", "2021"]),
    st.sampled_from(["", "甘州区", "临泽县", "高台县", "酒泉"]),
    st.sampled_from(["95", "96.5", "60", "达到", "0.5", "x"]),
    st.sampled_from(["", "", "", "%", "ug/m3"]),
    st.sampled_from(["", "", "备注"]),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.lists(st.tuples(SHAPES, st.lists(GRID_ROW, max_size=60)), min_size=1, max_size=3),
    batch=st.sampled_from([1, 2, 3, 7, 4096]),
)
def test_batches_change_nothing(
    catalogue: Catalogue, files: list[tuple[str, list[tuple[str, ...]]]], batch: int
) -> None:
    texts = [_text(shape, rows) for shape, rows in files]
    fast, general = _both(catalogue, texts, batch=batch)
    assert fast == general


def test_a_long_file_read_in_batches_changes_nothing(catalogue: Catalogue) -> None:
    places = ["", "甘州区", "临泽县", "高台县", "山丹县", "民乐县"]
    rows = [
        (target, str(year), place, value, "", "")
        for year in range(2000, 2030)
        for place in places
        for target, value in [(FOOD, "95"), ("PM10", "60"), ("key_services_level", "达到")]
    ]
    rows.insert(300, (FOOD, "2001", "甘州区", "96", "", ""))  # repeats row 2 + 3*6 + 3
    rows.insert(400, (FOOD, "2010", "", "0.5", "", ""))  # a repeat refused as a fraction
    text = _text("indicator,year,region,value,unit,note", rows)
    fast, general = _both(catalogue, [text], batch=50)
    assert fast == general
    assert {problem.code for problem in fast["problems"]} == {"duplicate", "implausible"}


def test_plain_rows_are_judged_by_looking_up_their_cells(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        ("good_air_days_ratio", str(year), county, "85", "%", "")
        for year in range(2000, 2021)
        for county in ["甘州区", "临泽县", "", "全市"]
    ]
    text = _text("indicator,year,region,value,unit,note", rows)
    calls = []
    validate = MeasurementRow.model_validate

    def counting(*args: Any, **kwargs: Any) -> MeasurementRow:
        calls.append(args)
        return validate(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(MeasurementRow, "model_validate", counting)
        fast, general = _both(catalogue, [text])
    # Remembering, the model sees the first row and one for each of the 20 later years and the
    # 3 other places (24); not remembering, all 84 rows.
    assert len(calls) == 24 + 84
    # 全市 and an empty region are the same place: the only problems are those repeats.
    assert {problem.code for problem in fast["problems"]} == {"duplicate-identical"}
    assert len(fast["kept"]) == 4 * 3  # years a rule reads: 2017 (a baseline) to 2020
    assert fast == general
