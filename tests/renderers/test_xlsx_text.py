"""Text that openpyxl writes outside cells (chart titles, properties) is cleaned as cells are."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import SAMPLES, run_cli
from tests.renderers.test_xlsx import FAILURES

BELL = "\x07"


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in an empty folder."""


def _chart_titles(path: str) -> str:
    """Return the XML of every chart of a workbook, joined."""
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.startswith("xl/charts/")]
        assert names
        return "".join(archive.read(name).decode("utf-8") for name in names)


def test_a_file_named_with_a_control_character_titles_its_chart_readably() -> None:
    folder = Path("ctl")
    folder.mkdir()
    (folder / f"a{BELL}b.csv").write_bytes(FAILURES.read_bytes())
    (folder / "c.csv").write_bytes(FAILURES.read_bytes())  # a batch: charts name their file
    result = run_cli(["evaluate", str(folder), "--each", "-o", "ctl.xlsx", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert BELL not in _chart_titles("ctl.xlsx")
    assert "a\ufffdb.csv" in _chart_titles("ctl.xlsx")
    load_workbook("ctl.xlsx")  # no ParseError


def test_a_target_or_city_named_with_a_control_character_is_shown_readably() -> None:
    targets = (SAMPLES / "targets-2025-example.yaml").read_text(encoding="utf-8")
    named, city = "name_en: Manufactured products pass rate", "city_en: Example City"
    assert named in targets
    assert city in targets
    targets = targets.replace(named, 'name_en: "Manufactured\\u0007 products pass rate"')
    Path("t.yaml").write_text(
        targets.replace(city, 'city_en: "Example\\u0007 City"'), encoding="utf-8"
    )
    report = SAMPLES / "report-2025-example.csv"
    args = ["evaluate", str(report), "--targets", "t.yaml", "-o", "t.xlsx", "--lang", "en"]
    result = run_cli(args)
    assert result.exit_code in (0, 1), result.output
    titles = _chart_titles("t.xlsx")
    assert BELL not in titles
    assert "Manufactured\ufffd products pass rate" in titles
    # The title of the workbook's properties (the About sheet's title) names the city.
    assert "Example\ufffd City" in str(load_workbook("t.xlsx").properties.title)
