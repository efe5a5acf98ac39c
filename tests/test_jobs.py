"""--each over many files: what is the same for every file is done once per run."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from qcheck.cli import main
from qcheck.renderers.base import machine_number
from qcheck.renderers.json import JsonRenderer, _dumps
from tests.helpers import SAMPLES

pytestmark = pytest.mark.usefixtures("in_tmp")

ALL_MET = SAMPLES / "report-2020-all-met.csv"
FAILURES = SAMPLES / "report-2020-with-failures.csv"
BROKEN = "indicator,value\nfood_safety_pass_rate,abc\n"
# A column qcheck does not read is a warning, and a row no rule reads another: still evaluated.
WARNED = (
    "indicator,year,region,value,remark\n"
    "food_safety_pass_rate,2020,,97,x\n"
    "food_safety_pass_rate,2019,,96,x\n"
)


def run(*args: object, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], input=stdin)


def write_mixed_folder(copies: int = 3) -> Path:
    """Write reports/: good, failing, broken and warned files, a county folder, a YAML report."""
    folder = Path("reports")
    (folder / "counties").mkdir(parents=True)
    for n in range(copies):
        shutil.copy(ALL_MET, folder / f"a{n}-met.csv")
        shutil.copy(FAILURES, folder / f"b{n}-failing.csv")
        (folder / f"c{n}-broken.csv").write_text(BROKEN, encoding="utf-8")
        (folder / f"d{n}-warned.csv").write_text(WARNED, encoding="utf-8")
    for county in (SAMPLES / "counties").glob("*.csv"):
        shutil.copy(county, folder / "counties")
    shutil.copy(SAMPLES / "report-2020.yaml", folder)
    return folder


# ---- per-run work done once: each report as if judged alone ---------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_report_of_a_run_is_the_report_of_its_file_judged_alone(lang: str) -> None:
    folder = write_mixed_folder(copies=1)
    good = sorted(p for p in folder.rglob("*") if p.is_file() and "broken" not in p.name)
    each = run("evaluate", *good, "--each", "--format", "json", "--lang", lang)
    reports = json.loads(each.stdout)["reports"]
    assert len(reports) == len(good)
    for path, report in zip(good, reports, strict=True):
        alone = run("evaluate", path, "--format", "json", "--lang", lang)
        assert json.loads(alone.stdout)["reports"] == [report], path


@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=9),
    st.integers(min_value=0, max_value=6),
)
def test_a_figure_is_written_the_same_after_an_equal_one(number: Decimal, zeros: int) -> None:
    """The JSON renderer remembers figures: one equal to a figure seen reads the same."""
    padded = number.quantize(Decimal(1).scaleb(-9 - zeros))
    assert padded == number
    renderer = JsonRenderer(lang="en")
    renderer._number(padded)
    written = _dumps({"value": renderer._number(number)}, indent=None)
    assert written == _dumps({"value": machine_number(number)}, indent=None)
