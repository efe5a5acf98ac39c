"""Regional rules' tests: rows of the counties' figures, the command line on one target."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from click.testing import Result

from tests.conftest import Row
from tests.helpers import run_cli
from tests.rules.helpers import REGIONS, as_yaml

YEAR = 2023
NAMES_ZH = {
    "ganzhou": "甘州区",
    "linze": "临泽县",
    "gaotai": "高台县",
    "shandan": "山丹县",
    "minle": "民乐县",
    "sunan": "肃南县",
}


def six(*values: object) -> dict[str | None, object]:
    """Return the six counties' figures, in the catalogue's order, leaving out those None."""
    return {r: v for r, v in zip(REGIONS, values, strict=True) if v is not None}


def rows_of(figures: Mapping[str | None, object], *, year: int = YEAR) -> tuple[Row, ...]:
    """Return a row of target ``t`` for each region's figure (None: the city-wide row)."""
    return tuple(
        ("t", value, year) if region is None else ("t", value, year, region)
        for region, value in figures.items()
    )


def csv_of(figures: Mapping[str | None, object], *, year: int = YEAR) -> str:
    """Return a report of target ``t``, one row per region's figure, as CSV text."""
    lines = ["indicator,region,year,value"]
    lines += [f"t,{NAMES_ZH[r] if r else '全市'},{year},{v}" for r, v in figures.items()]
    return "\n".join(lines) + "\n"


def run_on(
    rule: dict[str, Any],
    figures: Mapping[str | None, object],
    *args: str,
    unit: str | None = "%",
    year: int = YEAR,
    columns: int = 100,
) -> Result:
    """Write the targets file of ``rule`` and a report of ``figures``; evaluate it.

    The plan is due in ``year``: before its due year a target is on pace or not yet due.
    """
    Path("t.yaml").write_text(as_yaml(rule, unit=unit, target_year=year), encoding="utf-8")
    Path("r.csv").write_text(csv_of(figures, year=year), encoding="utf-8")
    command = ["evaluate", "r.csv", "--targets", "t.yaml", "--year", str(year), *args]
    return run_cli(command, COLUMNS=str(columns))


def json_result(rule: dict[str, Any], figures: Mapping[str | None, object], **kw: Any) -> Any:
    """Return the JSON of target ``t``'s result."""
    result = run_on(rule, figures, "--format", "json", **kw)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["reports"][0]["results"][0]


def check_refused(rule: dict[str, Any], *, unit: str | None = "%") -> tuple[str, str]:
    """Return what ``targets --check`` says of a refused rule, in English and in Chinese."""
    Path("t.yaml").write_text(as_yaml(rule, unit=unit), encoding="utf-8")
    said = []
    for lang in ("en", "zh"):
        result = run_cli(["targets", "--check", "t.yaml", "--lang", lang])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        said.append(result.stderr)
    return said[0], said[1]


def template_regions(rule: dict[str, Any], *, unit: str | None = "%") -> Sequence[str]:
    """Return the region cell of each row ``qcheck template`` lists for target ``t``."""
    Path("t.yaml").write_text(as_yaml(rule, unit=unit), encoding="utf-8")
    result = run_cli(["template", "--targets", "t.yaml", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines[0].split(",")
    column = next(i for i, name in enumerate(header) if "region" in name or "地区" in name)
    return [line.split(",")[column] for line in lines[1:] if line]
