"""Repeated rows: values compared exactly on every path, in memory that grows with the rows read."""

from __future__ import annotations

import json
import tempfile
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcheck.catalogue import Catalogue
from qcheck.duplicates import DuplicateIndex
from qcheck.loaders.files import check_files
from qcheck.measurements import Measurement, Origin, held
from qcheck.problems import Problem
from qcheck.rows import validate_records
from tests.conftest import make_records
from tests.helpers import run_cli

FOOD = "food_safety_pass_rate"  # %, 0 to 100
SME = "sme_quality_training"  # 户, a whole number


def _duplicate_codes(problems: tuple[Problem, ...] | list[Problem]) -> set[str]:
    return {problem.code for problem in problems if problem.code.startswith("duplicate")}


def _check(catalogue: Catalogue, texts: list[str]) -> tuple[Problem, ...]:
    """Check CSV files as one dataset; return the problems."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, text in enumerate(texts):
            paths.append(Path(folder) / f"report-{number}.csv")
            paths[-1].write_text(text, encoding="utf-8")
        _, validation = check_files(paths, catalogue=catalogue)
    return validation.problems


def test_counts_whose_hashes_are_equal_are_not_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python hashes numbers modulo P = 2**61 - 1, so 2306 * 10**15 hashes like 2306 * 10**15 - P;
    # both are held whole by qcheck's 15 significant digits.
    large, small = 2306 * 10**15, 2306 * 10**15 - (2**61 - 1)
    assert hash(Decimal(large)) == hash(Decimal(small))
    monkeypatch.chdir(tmp_path)
    Path("report.csv").write_text(f"指标,数值,年份\n{SME},{small},2020\n{SME},{large},2020\n")
    result = run_cli(["validate", "report.csv", "--format", "json"])
    assert result.exit_code == 2, result.output
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["code"], problem["severity"], problem["row"]) == ("duplicate", "error", 3)
    assert problem["message"] == (
        f"{SME}, city-wide, 2020 is {large} here but {small} in report.csv, row 2"
    )


# Numbers as a department may type them: trailing zeros, and integers that hash alike (above 1:
# a likely fraction, 0.5 or 1 for a percentage, is warned about).
DECIMALS = st.decimals(min_value=Decimal("1.01"), max_value=100, places=2, allow_nan=False)
WRITTEN = st.builds(
    lambda number, zeros: f"{number}{'0' * zeros if '.' in str(number) else ''}",
    DECIMALS,
    st.integers(0, 2),
)
COUNTS = st.sampled_from([0, 1, 2, 2**61, 2**61 + 1, 2**61 - 1, 2**62, 10**20]).map(str)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pair=st.one_of(
        st.tuples(st.just(FOOD), WRITTEN, WRITTEN), st.tuples(st.just(SME), COUNTS, COUNTS)
    )
)
@example(pair=(FOOD, "95.2", "95.20"))
@example(pair=(SME, "1", str(2**61)))
@example(pair=(SME, str(2306 * 10**15 - 2**61 + 1), str(2306 * 10**15)))
def test_rows_are_identical_if_and_only_if_their_values_are_equal(
    unguarded: Catalogue, pair: tuple[str, str, str]
) -> None:
    catalogue = unguarded  # every figure from 1 is used: none is refused as implausible
    indicator, first, second = pair
    # Figures are held to 15 significant digits when read: 2**61 and 2**61 + 1 are one figure.
    same = held(Decimal(first)) == held(Decimal(second))
    expected = {"duplicate-identical"} if same else {"duplicate"}
    # The general path, row by row.
    _, problems = validate_records(
        make_records([(indicator, first, 2020), (indicator, second, 2020)]),
        catalogue=catalogue,
        default_year=2020,
    )
    assert _duplicate_codes(problems) == expected
    # CSV files. The first file has every cell of the second judged, so the second's rows are
    # judged by remembered verdicts; its last row repeats the one before.
    header = "indicator,value,year,region\n"
    first_file = f"{indicator},{first},2018,甘州区\n{indicator},{second},2019,\n"
    second_file = (
        f"{indicator},{first},2019,甘州区\n{indicator},{first},2018,\n{indicator},{second},2018,\n"
    )
    found = _check(catalogue, [header + first_file, header + second_file])
    assert _duplicate_codes(found) == expected, found


def test_a_repeated_answer_is_shown_in_the_language_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("report.csv").write_text(
        "指标,数值,年份\nkey_services_level,达到,2020\nkey_services_level,否,2020\n",
        encoding="utf-8",
    )
    result = run_cli(["validate", "report.csv", "--lang", "zh", "--format", "json"])
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert problem["message_zh"] == (
        "key_services_level，全市，2020年：此处为未达到，而report.csv，第2行为达到"
    )
    assert problem["message"] == (
        "key_services_level, city-wide, 2020 is not met here but met in report.csv, row 2"
    )
    table = run_cli(["validate", "report.csv", "--lang", "zh"])
    assert "met" not in table.stdout


def test_memory_grows_with_the_rows_read_not_with_the_catalogue(catalogue: Catalogue) -> None:
    region = catalogue.regions[0]
    regions = tuple(region.model_copy(update={"id": f"r{n}"}) for n in range(2400))
    large = catalogue.model_copy(update={"regions": regions})
    # Two flat arrays of 8 bytes for each indicator, region and year would take over 64 MiB.
    assert len(large.targets) * (len(regions) + 1) * 101 * 16 > 64 * 1024 * 1024
    records = make_records([(FOOD, "95"), (FOOD, "96")])
    measurements = [
        Measurement(
            indicator=FOOD,
            value=Decimal(record.cells["value"]),  # type: ignore[arg-type]
            year=2020,
            region="r7",
            origin=Origin(source=record.source, row=record.row),
        )
        for record in records
    ]
    tracemalloc.start()
    try:
        index = DuplicateIndex(large)
        found = [index.check(m, record) for m, record in zip(measurements, records, strict=True)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found[0] is None
    assert found[1] is not None
    assert found[1].code == "duplicate"
    assert peak < 8 * 1024 * 1024, f"{peak:,} bytes"


def test_a_duplicate_names_the_region_in_the_users_words(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    path = tmp_path / "d.csv"
    path.write_text(
        "indicator,year,region,value\n"
        "good_air_days_ratio,2020,甘州区,86\ngood_air_days_ratio,2020,甘州,87\n",
        encoding="utf-8",
    )
    zh = run_cli(["validate", str(path), "--lang", "zh", "--format", "json"])
    assert "good_air_days_ratio，甘州区，2020年" in zh.stdout
    assert "ganzhou" not in zh.stdout
    en = run_cli(["validate", str(path), "--format", "json"])
    assert "good_air_days_ratio, Ganzhou District, 2020" in en.stdout


@given(
    numbers=st.lists(st.integers(min_value=-(2**62), max_value=2**62), min_size=1, max_size=300),
    steps=st.booleans(),
)
@example(numbers=[5, 6, 7, 8, 100_000], steps=True)
@example(numbers=[2**40, 2**40 + 3], steps=False)
def test_first_rows_are_packed_and_unpacked_exactly(numbers: list[int], steps: bool) -> None:
    from qcheck.arrays import ints
    from qcheck.duplicates import _Packed

    packed = _Packed.of(ints(numbers), steps=steps)
    assert packed.unpacked().to_pylist() == numbers


def test_row_numbers_that_go_up_by_one_pack_to_almost_nothing() -> None:
    from qcheck.arrays import ints
    from qcheck.duplicates import _Packed

    packed = _Packed.of(ints(range(2, 100_002)), steps=True)
    assert len(packed.data) < 100
