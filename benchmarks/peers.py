"""qcheck's row checks written with its peers: frictionless, pandas, pyarrow.compute, polars.

Usage: python benchmarks/peers.py TOOL TARGETS ROWS

Each tool reads a targets file and a CSV report of the columns indicator, year, region and
value, as benchmarks/run.py writes them, and checks every row as qcheck does: the indicator is
a name of a target; the year is empty (the plan's target year) or a whole number 2000-2100; the
region is empty, a name of the city or of a region; the value is a met / not met word for a
target answered so, else a finite number within the target's unit and plausible range, and
whole for a count. A good row whose (indicator, region, year) an earlier good row has is a
duplicate. Names are compared with spaces around them removed and letters in lower case. The
tool prints JSON: how many rows are bad and how many are duplicates, and the line numbers (the
header is line 1) of the first 100 of each.

Each is written as its users would write it: pandas, polars and pyarrow.compute a column at a
time, frictionless with a Table Schema (types, enums, ranges, a primary key) and a custom check
of the value. They differ from qcheck, and from one another, only on text these files never
hold: numbers written with a % sign, grouped thousands or an exponent, names in full-width
forms; and frictionless, whose primary key is checked on every row, also counts a good row
that repeats a bad row's key, and does not take an empty year for the target year.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The met / not met words qcheck reads (qcheck.measurements), folded.
YES_NO_WORDS = frozenset(
    {"达到", "已达到", "达标", "是", "完成", "已完成", "yes", "true", "met", "done"}
    | {"未达到", "没有达到", "未达标", "否", "未完成", "没有完成"}
    | {"no", "false", "not met", "not_met", "not done"}
)
CITY = "city"  # the region of a row about the whole city
FIRST_YEAR, LAST_YEAR = 2000, 2100
SHOWN = 100  # line numbers listed of each kind, as qcheck lists 100 problems


@dataclass(frozen=True)
class Rules:
    """What a row must hold, read from a targets file."""

    indicators: Mapping[str, str]  # each folded name of a target: its id
    regions: Mapping[str, str]  # each folded name of a region: its id; the city's and "": CITY
    yes_no: frozenset[str]  # ids of the targets answered met / not met
    either: frozenset[str]  # ids of numeric targets that also take a met / not met answer
    whole: frozenset[str]  # ids of the targets counted in whole numbers
    minimum: Mapping[str, float]  # id of each numeric target: its lowest acceptable value
    maximum: Mapping[str, float]  # and its highest
    year: int  # the year of a row that gives none

    @classmethod
    def read(cls, path: Path) -> Rules:
        """Read the rules of a qcheck targets file."""
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
        units = {unit["id"]: unit for unit in data.get("units", [])}
        indicators, minimum, maximum = {}, {}, {}
        yes_no, either, whole = set(), set(), set()
        for target in data["targets"]:
            key = target["id"]
            for name in _names(target):
                indicators[name] = key
            if target.get("unit") is None:
                yes_no.add(key)
                continue
            rule = target["rule"]
            if rule.get("answer_accepted") or rule.get("test", {}).get("answer_accepted"):
                either.add(key)
            unit, plausible = units.get(target["unit"], {}), target.get("plausible") or {}
            lowest = max(unit.get("minimum", -math.inf), plausible.get("minimum", -math.inf))
            highest = min(unit.get("maximum", math.inf), plausible.get("maximum", math.inf))
            minimum[key], maximum[key] = float(lowest), float(highest)
            if unit.get("integer"):
                whole.add(key)
        regions = {fold(name): CITY for name in ["", *data.get("city_aliases", [])]}
        for region in data.get("regions", []):
            regions.update(dict.fromkeys(_names(region), region["id"]))
        return cls(
            indicators,
            regions,
            frozenset(yes_no),
            frozenset(either),
            frozenset(whole),
            minimum,
            maximum,
            data["plan"]["target_year"],
        )


def fold(name: str) -> str:
    """Return a name as the peers compare it: no spaces around it, letters in lower case."""
    return name.strip().lower()


def _names(entry: Mapping[str, Any]) -> list[str]:
    return [fold(entry[key]) for key in ("id", "name_zh", "name_en")] + [
        fold(alias) for alias in entry.get("aliases", [])
    ]


@dataclass(frozen=True)
class Findings:
    """The line numbers of the bad rows and of the duplicates, in order."""

    bad: Sequence[int]
    duplicates: Sequence[int]

    def summary(self, tool: str) -> dict[str, Any]:
        """Return what the command prints: the counts and the first line numbers of each."""
        return {
            "tool": tool,
            "bad_rows": len(self.bad),
            "duplicates": len(self.duplicates),
            "first_bad_rows": list(self.bad[:SHOWN]),
            "first_duplicates": list(self.duplicates[:SHOWN]),
        }


def check_pandas(rules: Rules, rows: Path) -> Findings:
    """Check the rows with pandas, a column at a time."""
    import numpy as np
    import pandas as pd

    table = pd.read_csv(rows, dtype=str, keep_default_na=False)
    indicator = table["indicator"].str.strip().str.lower().map(rules.indicators)
    region = table["region"].str.strip().str.lower().map(rules.regions)
    year = pd.to_numeric(table["year"].str.strip().replace("", str(rules.year)), errors="coerce")
    text = table["value"].str.strip().str.lower()
    value = pd.to_numeric(text, errors="coerce")
    answer = text.isin(YES_NO_WORDS)
    number = (indicator.isin(rules.either) & answer) | (
        np.isfinite(value)
        & value.between(indicator.map(rules.minimum), indicator.map(rules.maximum))
        & (~indicator.isin(rules.whole) | (value % 1 == 0))
    )
    good = (
        indicator.notna()
        & region.notna()
        & year.between(FIRST_YEAR, LAST_YEAR)
        & (year % 1 == 0)
        & np.where(indicator.isin(rules.yes_no), answer, number)
    )
    keys = pd.DataFrame({"indicator": indicator, "region": region, "year": year})[good]
    repeated = keys.index[keys.duplicated()]
    return Findings(_lines(table.index[~good].tolist()), _lines(repeated.tolist()))


def check_polars(rules: Rules, rows: Path) -> Findings:
    """Check the rows with polars' lazy expressions."""
    import polars as pl

    def folded(name: str) -> pl.Expr:
        return pl.col(name).fill_null("").str.strip_chars().str.to_lowercase()

    def number(column: pl.Expr) -> pl.Expr:
        return column.cast(pl.Float64, strict=False)

    indicator, region, year, text, value = (
        pl.col(name) for name in ("indicator", "region", "year", "text", "value")
    )
    read = pl.scan_csv(rows, infer_schema=False).with_row_index("line", offset=2)
    cells = read.select(
        "line",
        indicator=folded("indicator").replace_strict(rules.indicators, default=None),
        region=folded("region").replace_strict(rules.regions, default=None),
        year=number(folded("year").replace("", str(rules.year))),
        text=folded("value"),
        value=number(folded("value")),
    )
    in_range = value.is_between(
        indicator.replace_strict(rules.minimum, default=None, return_dtype=pl.Float64),
        indicator.replace_strict(rules.maximum, default=None, return_dtype=pl.Float64),
    )
    whole = ~indicator.is_in(list(rules.whole)) | (value % 1 == 0)
    answer = text.is_in(list(YES_NO_WORDS))
    number = value.is_finite() & in_range & whole | indicator.is_in(list(rules.either)) & answer
    good = (
        indicator.is_not_null()
        & region.is_not_null()
        & year.is_between(FIRST_YEAR, LAST_YEAR)
        & (year % 1 == 0)
        & pl.when(indicator.is_in(list(rules.yes_no))).then(answer).otherwise(number)
    ).fill_null(False)
    checked = cells.with_columns(good=good)
    bad, repeated = pl.collect_all(
        [
            checked.filter(~pl.col("good")).select("line"),
            checked.filter("good")
            .filter(~pl.struct("indicator", "region", "year").is_first_distinct())
            .select("line"),
        ]
    )
    return Findings(bad["line"].to_list(), repeated["line"].to_list())


# qcheck's plain number: digits with at most one point, signed or not (no exponent, no nan).
PLAIN_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"


def check_pyarrow(rules: Rules, rows: Path) -> Findings:
    """Check the rows with pyarrow.compute, a column at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    text_columns = dict.fromkeys(("indicator", "year", "region", "value"), pa.string())
    table = pacsv.read_csv(rows, convert_options=pacsv.ConvertOptions(column_types=text_columns))

    def folded(name: str) -> Any:
        return pc.utf8_lower(pc.utf8_trim_whitespace(table[name]))

    def lookup(keys: Any, mapping: Mapping[str, Any]) -> Any:
        found = pc.index_in(keys, value_set=pa.array(list(mapping)))
        return pc.take(pa.array(list(mapping.values())), found)

    def number(texts: Any) -> Any:
        plain = pc.match_substring_regex(texts, PLAIN_NUMBER)
        return pc.cast(pc.if_else(plain, texts, pa.scalar(None, pa.string())), pa.float64())

    def among(column: Any, values: frozenset[str]) -> Any:
        return pc.is_in(column, value_set=pa.array(list(values), pa.string()))

    def between(column: Any, low: Any, high: Any) -> Any:
        return pc.and_kleene(pc.greater_equal(column, low), pc.less_equal(column, high))

    indicator = lookup(folded("indicator"), rules.indicators)
    region = lookup(folded("region"), rules.regions)
    year_text = folded("year")
    year = number(pc.if_else(pc.equal(year_text, ""), str(rules.year), year_text))
    text = folded("value")
    value = number(text)
    answer = among(text, YES_NO_WORDS)
    figure = pc.and_kleene(
        between(value, lookup(indicator, rules.minimum), lookup(indicator, rules.maximum)),
        pc.or_kleene(pc.invert(among(indicator, rules.whole)), pc.equal(pc.floor(value), value)),
    )
    checks = [
        pc.is_valid(indicator),
        pc.is_valid(region),
        between(year, FIRST_YEAR, LAST_YEAR),
        pc.equal(pc.floor(year), year),
        pc.if_else(
            among(indicator, rules.yes_no),
            answer,
            pc.or_kleene(figure, pc.and_kleene(among(indicator, rules.either), answer)),
        ),
    ]
    good = checks[0]
    for check in checks[1:]:
        good = pc.and_kleene(good, check)
    good = pc.fill_null(good, False)
    kept = pa.table(
        {
            "indicator": pc.filter(indicator, good),
            "region": pc.filter(region, good),
            "year": pc.filter(year, good),
            "index": pc.indices_nonzero(good),
        }
    )
    firsts = kept.group_by(["indicator", "region", "year"]).aggregate([("index", "min")])
    repeated = pc.filter(
        kept["index"], pc.invert(pc.is_in(kept["index"], value_set=firsts["index_min"]))
    )
    bad = pc.indices_nonzero(pc.invert(good))
    return Findings(_lines(bad.to_pylist()), _lines(repeated.to_pylist()))


def check_frictionless(rules: Rules, rows: Path) -> Findings:
    """Check the rows with a frictionless Table Schema and a custom check of region and value."""
    from frictionless import Check, Checklist, Resource, Schema, errors

    class RowCheck(Check):  # type: ignore[misc]  # frictionless is not type-checked here
        """The region is known, and the value suits the indicator."""

        type = "row-suits-targets"
        Errors = [errors.RowError]  # noqa: RUF012 - as frictionless declares it

        def validate_row(self, row: Any) -> Iterator[Any]:
            if fold(row["region"] or "") not in rules.regions:
                yield errors.RowError.from_row(row, note=f"unknown region {row['region']!r}")
            key = rules.indicators.get(fold(row["indicator"] or ""))
            if key is not None and not _value_suits(rules, key, row["value"] or ""):
                yield errors.RowError.from_row(row, note=f"{row['value']!r} does not suit {key}")

    # The regions are checked above: an enum constraint is a list that every cell is looked up
    # in, 2,000 regions' names a row.
    schema = Schema.from_descriptor(
        {
            "fields": [
                {
                    "name": "indicator",
                    "type": "string",
                    "constraints": {"required": True, "enum": list(rules.indicators)},
                },
                {
                    "name": "year",
                    "type": "integer",
                    "constraints": {"minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                },
                {"name": "region", "type": "string"},
                {"name": "value", "type": "string", "constraints": {"required": True}},
            ],
            "primaryKey": ["indicator", "region", "year"],
        }
    )
    # frictionless reads a path relative to a base only: it refuses absolute ones as unsafe.
    resource = Resource(rows.name, basepath=str(rows.parent), schema=schema)
    report = resource.validate(checklist=Checklist(checks=[RowCheck()]), limit_errors=sys.maxsize)
    bad: set[int] = set()
    repeated: set[int] = set()
    for error in report.tasks[0].errors:
        (repeated if error.type == "primary-key" else bad).add(error.row_number)
    return Findings(sorted(bad), sorted(repeated - bad))


def _value_suits(rules: Rules, key: str, raw: str) -> bool:
    text = fold(raw)
    if key in rules.yes_no or (key in rules.either and text in YES_NO_WORDS):
        return text in YES_NO_WORDS
    try:
        value = float(text)
    except ValueError:
        return False
    return (
        math.isfinite(value)
        and rules.minimum[key] <= value <= rules.maximum[key]
        and (key not in rules.whole or value.is_integer())
    )


def _lines(indices: Sequence[int]) -> list[int]:
    """Return row indices (0 for the first row under the header) as line numbers."""
    return [index + 2 for index in indices]


CHECKS: dict[str, Callable[[Rules, Path], Findings]] = {
    "frictionless": check_frictionless,
    "pandas": check_pandas,
    "pyarrow.compute": check_pyarrow,
    "polars": check_polars,
}
PACKAGES = {"frictionless": "frictionless", "pandas": "pandas", "polars": "polars"}


def main(argv: Sequence[str]) -> None:
    """Check ROWS against TARGETS with TOOL and print the findings as JSON."""
    tool, targets, rows = argv
    findings = CHECKS[tool](Rules.read(Path(targets)), Path(rows))
    print(json.dumps(findings.summary(tool)))


if __name__ == "__main__":
    main(sys.argv[1:])
