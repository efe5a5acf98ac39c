"""qcheck evaluate --years, as a hostile reader tried it: outputs, notes, warnings and trends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SAMPLES, run_cli

FAILURES = str(SAMPLES / "report-2020-with-failures.csv")
WAIVERS = str(SAMPLES / "waivers-2020.yaml")


@pytest.mark.parametrize("clash", [["--year", "2020"], ["--each"]])
def test_a_usage_error_of_years_leaves_no_earlier_result(tmp_path: Path, clash: list[str]) -> None:
    outputs = [tmp_path / name for name in ("r.json", "r.md")]
    for path in outputs:
        path.write_text("an earlier run's verdict", encoding="utf-8")
    args = [arg for path in outputs for arg in ("-o", str(path))]
    result = run_cli(["evaluate", FAILURES, "--years", "2019", *clash, *args])
    assert result.exit_code == 2
    assert [path.read_bytes() for path in outputs] == [b"", b""]
