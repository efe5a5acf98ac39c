"""Benchmark qcheck against floors measured in the same run; print a table of medians and ratios.

Usage: python benchmarks/run.py [--quick] [--keep]

It generates its inputs under benchmarks/data/ (not committed), times whole commands as
subprocesses (median of several runs), and measures peak memory (max RSS) of single runs.
Each figure is shown beside its floor: what Python and qcheck's dependencies cost for the same
work. Targets are those of the performance issue; the table says which are met.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PYTHON = sys.executable
QCHECK = [PYTHON, "-m", "qcheck"]
COUNTIES = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its floor and the ratio the issue allows."""

    name: str
    value: float
    floor_name: str
    floor: float
    limit: float
    unit: str
    command: str

    @property
    def ratio(self) -> float:
        return self.value / self.floor

    @property
    def met(self) -> bool:
        return self.ratio <= self.limit


def run_once(command: Sequence[str], *, stdin: Path | None = None) -> float:
    """Run a command, discard its output, and return its wall time in seconds."""
    with Path(stdin or os.devnull).open("rb") as source:
        start = time.perf_counter()
        subprocess.run(
            command, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        return time.perf_counter() - start


def median_time(command: Sequence[str], repeats: int) -> float:
    """Return the median wall time of ``repeats`` runs, after one warm-up run."""
    run_once(command)
    return statistics.median(run_once(command) for _ in range(repeats))


def peak_memory_mib(command: Sequence[str]) -> float:
    """Return the peak resident memory of one run of ``command``, in MiB."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    output = subprocess.run(
        [PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return int(output.stdout.strip()) / 1024


def python_script(code: str) -> list[str]:
    """Return the command that runs ``code`` with this Python."""
    return [PYTHON, "-c", textwrap.dedent(code)]


IMPORT_AND_TABLE = python_script(
    """
    import click, pydantic, rich, yaml
    from rich.console import Console
    from rich.table import Table
    table = Table()
    table.add_column("indicator")
    table.add_row("food_safety_pass_rate")
    Console().print(table)
    """
)


# Not a floor of the issue, shown for reference: what any run that validates with a Pydantic
# model pays before reading a row (the floor's `import pydantic` alone defers all of that).
IMPORT_AND_MODEL = python_script(
    """
    import click, pydantic, rich, yaml
    from rich.console import Console
    from rich.table import Table

    class Row(pydantic.BaseModel):
        indicator: str

    table = Table()
    table.add_column("indicator")
    table.add_row(Row(indicator="food_safety_pass_rate").indicator)
    Console().print(table)
    """
)


def csv_reader_pass(path: Path) -> list[str]:
    """Return the floor for a big file: a bare csv.reader pass over it."""
    return python_script(
        f"""
        import csv
        with open({str(path)!r}, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                pass
        """
    )


def write_typical_report(path: Path) -> None:
    """All targets, the six counties and the city, three years: as a department might send."""
    from qcheck.loaders.targets import load_targets

    catalogue = load_targets()
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["指标", "年份", "地区", "数值"])
        for target in catalogue.targets:
            for year in (2018, 2019, 2020):
                for region in ["全市", *COUNTIES]:
                    writer.writerow([target.name_zh, year, region, _value(target.unit, year)])
        for target in catalogue.targets:
            if target.id.startswith("pm"):
                writer.writerow([target.name_zh, 2017, "全市", 90])


def _value(unit: str | None, year: int) -> str:
    if unit is None:
        return "达到"
    if unit == "户":
        return str(100 + year % 7)
    if unit == "ug/m3":
        return str(60 - year % 5)
    return f"{96 + (year % 4) / 2:.1f}"


def write_province(targets: Path, rows: Path, count: int) -> None:
    """Write a targets file with 2,000 regions, and ``count`` distinct valid rows over them."""
    text = (HERE.parent / "src" / "qcheck" / "targets.yaml").read_text(encoding="utf-8")
    head, tail = text.split("regions:\n", 1)
    tail = tail[tail.index("\ntargets:") :]
    regions = "".join(
        f"  - {{id: r{n:04d}, name_zh: 区{n:04d}, name_en: Region {n:04d}}}\n" for n in range(2000)
    )
    targets.write_text(head + "regions:\n" + regions + tail, encoding="utf-8")
    ids = [
        ("leading_products_level", None),
        ("consumer_goods_pass_rate", "%"),
        ("manufacturing_pass_rate", "%"),
        ("agricultural_products_pass_rate", "%"),
        ("food_safety_pass_rate", "%"),
        ("essential_drugs_coverage", "%"),
        ("completed_projects_compliance", "%"),
        ("major_projects_first_acceptance_rate", "%"),
        ("water_projects_pass_rate", "%"),
        ("water_projects_inspection_rate", "%"),
        ("large_projects_excellence_rate", "%"),
        ("service_satisfaction", "%"),
        ("key_services_level", None),
        ("pm10_concentration", "ug/m3"),
        ("pm25_concentration", "ug/m3"),
        ("good_air_days_ratio", "%"),
        ("drinking_water_quality_ratio", "%"),
        ("sme_quality_training", "户"),
    ]
    with rows.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["indicator", "year", "region", "value"])
        written = 0
        # The plan's years first, then later ones: 101 years x 2,001 places x 18 indicators.
        for year in [*range(2020, 1999, -1), *range(2021, 2101)]:
            for region in ["", *(f"r{n:04d}" for n in range(2000))]:
                for target_id, unit in ids:
                    if written == count:
                        return
                    writer.writerow([target_id, year, region, _value(unit, year + written % 3)])
                    written += 1
        raise ValueError(f"only {written} distinct rows fit; asked for {count}")


def write_many(folder: Path, count: int, typical: Path) -> None:
    """``count`` small reports: the bundled all-met sample, copied."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = (HERE.parent / "samples" / "report-2020-all-met.csv").read_bytes()
    for n in range(count):
        (folder / f"report-{n:04d}.csv").write_bytes(sample)


def read_many_floor(folder: Path) -> list[str]:
    """Return the floor for many files: import the four dependencies, csv.reader each file."""
    return python_script(
        f"""
        import csv, pathlib
        import click, pydantic, rich, yaml
        for path in sorted(pathlib.Path({str(folder)!r}).glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as f:
                for row in csv.reader(f):
                    pass
        """
    )


def main() -> None:
    """Generate the inputs, measure every figure and its floor, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 100,000 rows")
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/data afterwards")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    rows = 100_000 if args.quick else 1_000_000
    DATA.mkdir(exist_ok=True)
    typical = DATA / "typical.csv"
    province_targets = DATA / "province-targets.yaml"
    big = DATA / f"rows-{rows}.csv"
    small = DATA / "rows-10000.csv"
    many = DATA / "many"
    print(f"generating inputs in {DATA} ...", file=sys.stderr)
    write_typical_report(typical)
    write_province(province_targets, big, rows)
    write_province(province_targets, small, 10_000)
    write_many(many, 1000, typical)

    figures: list[Figure] = []

    def add(
        name: str,
        command: list[str],
        floor_name: str,
        floor_command: list[str],
        limit: float,
        n: int = repeats,
    ) -> None:
        print(f"timing {name} ...", file=sys.stderr)
        value = median_time(command, n)
        floor = median_time(floor_command, n)
        figures.append(
            Figure(
                name,
                value,
                floor_name,
                floor,
                limit,
                "s",
                " ".join(command[1:]) if command[0] == PYTHON else " ".join(command),
            )
        )

    bare = [PYTHON, "-c", "pass"]
    click_only = python_script("import click")
    add("qcheck --version", [*QCHECK, "--version"], "python -c pass", bare, 3.0)
    add("qcheck --help", [*QCHECK, "--help"], "import click", click_only, 1.5)
    add(
        "typical report",
        [*QCHECK, "evaluate", str(typical)],
        "import deps + print a table",
        IMPORT_AND_TABLE,
        1.25,
    )
    add(
        f"{rows:,} rows",
        [*QCHECK, "evaluate", str(big), "--targets", str(province_targets), "--format", "json"],
        "csv.reader pass",
        csv_reader_pass(big),
        3.0,
        n=max(1, repeats // 3),
    )
    add(
        "1,000 files --each",
        [*QCHECK, "evaluate", str(many), "--each", "--format", "json"],
        "import deps + csv.reader x1000",
        read_many_floor(many),
        2.0,
        n=max(1, repeats // 3),
    )
    print("timing the reference ...", file=sys.stderr)
    model_floor = median_time(IMPORT_AND_MODEL, repeats)
    table_floor = next(f.floor for f in figures if f.name == "typical report")
    print("measuring memory ...", file=sys.stderr)
    evaluate = [*QCHECK, "evaluate", "--targets", str(province_targets), "--format", "json"]
    small_memory = peak_memory_mib([*evaluate, str(small)])
    big_memory = peak_memory_mib([*evaluate, str(big)])
    figures.append(
        Figure(
            f"peak memory, {rows:,} rows",
            big_memory,
            "peak memory, 10,000 rows",
            small_memory,
            1.5,
            "MiB",
            " ".join(evaluate[1:]) + " FILE",
        )
    )

    machine = f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
    print(f"\nqcheck benchmark — {machine}")
    print(f"medians of {repeats} runs (long runs: {max(1, repeats // 3)}), after a warm-up run\n")
    header = (
        f"{'figure':32} {'value':>10} {'floor':32} {'floor value':>11} "
        f"{'ratio':>7} {'target':>7}  met"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        value = f"{f.value:.3f} s" if f.unit == "s" else f"{f.value:.0f} MiB"
        floor = f"{f.floor:.3f} s" if f.unit == "s" else f"{f.floor:.0f} MiB"
        met = "yes" if f.met else "NO"
        print(
            f"{f.name:32} {value:>10} {f.floor_name:32} {floor:>11} "
            f"{f.ratio:>6.2f}x {f.limit:>6.2f}x  {met}"
        )
    print(
        f"\nfor reference: importing the four dependencies, defining one Pydantic model and "
        f"printing a table takes {model_floor:.3f} s, {model_floor / table_floor:.2f}x the "
        "typical report's floor; every qcheck run that validates pays at least this."
    )
    print("\ncommands (run from the repository root, after `python benchmarks/run.py --keep`):")
    for f in figures:
        print(f"  {f.name}: {f.command}")
    if not args.keep:
        shutil.rmtree(DATA)


if __name__ == "__main__":
    main()
