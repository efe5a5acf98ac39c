"""Benchmark qcheck against floors timed in the same rounds; print medians, spreads and ratios.

Usage: python benchmarks/run.py [--quick] [--keep] [--seed N] [--peers] [--huge]

It generates its inputs under benchmarks/data/ (not committed), caches the bytecode of qcheck's
modules and runs every command once untimed, then times whole commands as subprocesses in
rounds: each round runs every command and every floor once, in an order shuffled by a printed
seed, so load that comes and goes falls on commands and floors alike. Values are medians over
the rounds, shown with their spread (lowest to highest). Peak memory (max RSS) is measured in
single runs. Each figure is shown beside its floor: what Python and qcheck's dependencies cost
for the same work. Targets are those of issue 11; the table says which are met.

--peers times frictionless, pandas, pyarrow.compute and polars doing qcheck's row checks
(benchmarks/peers.py) in the same rounds, on 10,000, 100,000 and 1,000,000 rows, each beside
the csv.reader pass over the same file; they come with `pip install -e ".[bench]"`.
--huge evaluates 20,000,000 rows as CSV and as Parquet, and 2,000,000 rows of each, once each:
time and peak memory. Those inputs are kept under benchmarks/data/huge/ for the next run.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import os
import platform
import py_compile
import random
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import peers

import qcheck

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PYTHON = sys.executable
QCHECK = (PYTHON, "-m", "qcheck")
COUNTIES = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]
NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"


@dataclass(frozen=True)
class Spread:
    """The median of some samples and their range."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        """Summarise ``samples`` (at least one)."""
        if not samples:
            raise ValueError("no samples")
        return cls(statistics.median(samples), min(samples), max(samples))

    @property
    def relative(self) -> float:
        """The range as a fraction of the median."""
        return (self.high - self.low) / self.median


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its floor, with the limit the issue sets."""

    name: str
    values: tuple[float, ...]
    floor_name: str
    floors: tuple[float, ...]
    limit: float | None  # None: a figure shown for comparison, with no goal
    unit: str
    command: str
    absolute: bool = False  # the limit bounds the value itself, in its unit, not the ratio

    @property
    def value(self) -> float:
        return Spread.of(self.values).median

    @property
    def floor(self) -> float:
        return Spread.of(self.floors).median

    @property
    def ratio(self) -> float:
        return self.value / self.floor

    @property
    def round_ratios(self) -> tuple[float, ...]:
        """The ratio within each round: the command against the floor timed in the same round."""
        return tuple(v / f for v, f in zip(self.values, self.floors, strict=True))

    @property
    def met(self) -> bool:
        if self.limit is None:
            return False
        return (self.value if self.absolute else self.ratio) <= self.limit

    @property
    def target(self) -> str:
        if self.limit is None:
            return "-"
        return amount(self.limit, self.unit) if self.absolute else f"{self.limit:.2f}x"


@dataclass(frozen=True)
class Goal:
    """A figure to time: its command and its floor's."""

    name: str
    command: tuple[str, ...]
    floor_name: str
    floor: tuple[str, ...]

    @property
    def floor_key(self) -> str:
        """The floor's name among the timed commands (two figures may share a floor's label)."""
        return f"{self.name} / floor"


@dataclass(frozen=True)
class Job:
    """A command timed once in every round: a figure, its floor, or a reference."""

    name: str
    command: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()  # set on top of the timing environment


def amount(value: float, unit: str) -> str:
    """Format a time in seconds or a memory size in MiB."""
    return f"{value:.3f} s" if unit == "s" else f"{value:.0f} MiB"


def schedule(names: Sequence[str], rounds: int, seed: int) -> list[list[str]]:
    """Return ``rounds`` orders of ``names``, each shuffled; the same seed gives the same orders."""
    shuffler = random.Random(seed)  # noqa: S311 - an order to run commands in, not a secret
    orders = []
    for _ in range(rounds):
        order = list(names)
        shuffler.shuffle(order)
        orders.append(order)
    return orders


def timing_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """Return the environment every command runs in: this one, with bytecode writing allowed."""
    return {name: value for name, value in environ.items() if name != NO_BYTECODE}


def bytecode_is_fresh(source: Path) -> bool:
    """Whether Python would load ``source`` from cached bytecode rather than compile it."""
    cached = Path(importlib.util.cache_from_source(str(source)))
    try:
        header = cached.read_bytes()[:16]
    except OSError:
        return False
    stat = source.stat()
    return (
        header[:4] == importlib.util.MAGIC_NUMBER
        and int.from_bytes(header[4:8], "little") == 0  # stamped with the source's time and size
        and int.from_bytes(header[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
        and int.from_bytes(header[12:16], "little") == stat.st_size & 0xFFFFFFFF
    )


def cache_bytecode(package: Path) -> tuple[int, int]:
    """Compile a package's modules; return how many have fresh cached bytecode, of how many."""
    compileall.compile_dir(
        package, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
    )
    sources = sorted(package.rglob("*.py"))
    return sum(bytecode_is_fresh(source) for source in sources), len(sources)


def render_table(figures: Sequence[Figure]) -> list[str]:
    """Return the table of figures: value, floor, ratio of the medians, target and verdict."""
    header = (
        f"{'figure':32} {'value':>10} {'floor':32} {'floor value':>11} "
        f"{'ratio':>7} {'target':>8}  met"
    )
    lines = [header, "-" * len(header)]
    for f in figures:
        lines.append(
            f"{f.name:32} {amount(f.value, f.unit):>10} {f.floor_name:32} "
            f"{amount(f.floor, f.unit):>11} {f.ratio:>6.2f}x {f.target:>8}  "
            + ("" if f.limit is None else "yes" if f.met else "NO")
        )
    return lines


def render_spreads(figures: Sequence[Figure]) -> list[str]:
    """Return each timed figure's range over the rounds: value, floor and the ratio per round."""
    header = (
        f"{'figure':32} {'value, lowest-highest':>26} {'floor, lowest-highest':>26} {'ratio':>14}"
    )
    lines = [header, "-" * len(header)]
    for f in figures:
        if len(f.values) < 2:
            continue
        value, floor, ratio = Spread.of(f.values), Spread.of(f.floors), Spread.of(f.round_ratios)
        lines.append(
            f"{f.name:32} {_range(value, f.unit):>26} {_range(floor, f.unit):>26} "
            f"{f'{ratio.low:.2f}-{ratio.high:.2f}x':>14}"
        )
    return lines


def _range(spread: Spread, unit: str) -> str:
    return f"{spread.low:.3f}-{amount(spread.high, unit)} ({spread.relative:.0%})"


def run_once(command: Sequence[str], env: Mapping[str, str]) -> float:
    """Run a command with no input, discard its output, and return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        check=False,
    )
    return time.perf_counter() - start


def time_rounds(
    jobs: Sequence[Job],
    orders: Sequence[Sequence[str]],
    env: Mapping[str, str],
    label: str = "round",
) -> dict[str, tuple[float, ...]]:
    """Run the jobs in the given orders, one round per order; return each job's wall times."""
    by_name = {job.name: job for job in jobs}
    times: dict[str, list[float]] = {job.name: [] for job in jobs}
    for number, order in enumerate(orders, 1):
        print(f"{label} {number} of {len(orders)} ...", file=sys.stderr)
        for name in order:
            job = by_name[name]
            times[name].append(run_once(job.command, {**env, **dict(job.env)}))
    return {name: tuple(samples) for name, samples in times.items()}


@dataclass(frozen=True)
class Run:
    """One run of a command: its wall time, peak resident memory and exit code."""

    seconds: float
    memory: float  # MiB
    code: int


def probe(command: Sequence[str], env: Mapping[str, str]) -> Run:
    """Run ``command`` once, with no input and its output discarded, and measure it."""
    script = (
        "import json, resource, subprocess, sys, time; "
        "start = time.perf_counter(); "
        "code = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
        "seconds = time.perf_counter() - start; "
        "print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code]))"
    )
    output = subprocess.run(
        [PYTHON, "-c", script, *command], capture_output=True, text=True, check=True, env=env
    )
    seconds, kib, code = json.loads(output.stdout)
    return Run(seconds, kib / 1024, code)


def peak_memory_mib(command: Sequence[str], env: Mapping[str, str]) -> float:
    """Return the peak resident memory of one run of ``command``, in MiB."""
    return probe(command, env).memory


def python_script(code: str) -> tuple[str, ...]:
    """Return the command that runs ``code`` with this Python."""
    return (PYTHON, "-c", textwrap.dedent(code))


def shown(command: Sequence[str]) -> str:
    """Return a command as the table's footnotes show it, without this Python's path."""
    return " ".join(command[1:]) if command[0] == PYTHON else " ".join(command)


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


# The typical report's floor: what any run that validates with a Pydantic model pays before
# reading a row (`import pydantic` alone defers all of that).
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


def csv_reader_pass(path: Path) -> tuple[str, ...]:
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
    from qcheck.loaders.targets import load_catalogue

    catalogue = load_catalogue()
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


def write_province(targets: Path, rows: Path, count: int, regions: int = 2000) -> None:
    """Write a targets file of ``regions`` regions, and ``count`` distinct valid rows over them."""
    text = (HERE.parent / "src" / "qcheck" / "targets.yaml").read_text(encoding="utf-8")
    head, tail = text.split("regions:\n", 1)
    # The province's regions replace the six counties: a target of one county reads its first.
    tail = tail[tail.index("\ntargets:") :].replace("region: ganzhou", "region: r0000")
    listed = "".join(
        f"  - {{id: r{n:04d}, name_zh: 区{n:04d}, name_en: Region {n:04d}}}\n"
        for n in range(regions)
    )
    targets.write_text(head + "regions:\n" + listed + tail, encoding="utf-8")
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
        # The plan's years first, then later ones: 101 years x (regions + 1) places x 18
        # indicators.
        for year in [*range(2020, 1999, -1), *range(2021, 2101)]:
            for region in ["", *(f"r{n:04d}" for n in range(regions))]:
                for target_id, unit in ids:
                    if written == count:
                        return
                    writer.writerow([target_id, year, region, _value(unit, year + written % 3)])
                    written += 1
        if written < count:
            raise ValueError(f"only {written} distinct rows fit; asked for {count}")


def write_many(folder: Path, count: int, typical: Path) -> None:
    """``count`` small reports: the bundled all-met sample, copied."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = (HERE.parent / "samples" / "report-2020-all-met.csv").read_bytes()
    for n in range(count):
        (folder / f"report-{n:04d}.csv").write_bytes(sample)


def read_many_floor(folder: Path) -> tuple[str, ...]:
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


def evaluate_rows(targets: Path, rows: Path) -> tuple[str, ...]:
    """Return the command that evaluates a generated province file to JSON."""
    return (*QCHECK, "evaluate", str(rows), "--targets", str(targets), "--format", "json")


PEER_SIZES = (10_000, 100_000, 1_000_000)
TOOLS = ("qcheck", *peers.CHECKS)  # the columns, in its order


def missing_peers() -> list[str]:
    """Return the packages the peers need that are not installed."""
    return [name for name in peers.PACKAGES if importlib.util.find_spec(name) is None]


def tool_command(tool: str, targets: Path, rows: Path) -> tuple[str, ...]:
    """Return the command that checks ``rows`` with ``tool``: qcheck, or one of its peers."""
    if tool == "qcheck":
        return evaluate_rows(targets, rows)
    return (PYTHON, str(HERE / "peers.py"), tool, str(targets), str(rows))


def rows_goal(targets: Path, rows: Path, size: int) -> Goal:
    """Return the goal of evaluating a generated file of ``size`` rows, beside a csv.reader pass."""
    return Goal(
        rows_name(size), evaluate_rows(targets, rows), "csv.reader pass", csv_reader_pass(rows)
    )


def rows_name(size: int, tool: str = "qcheck") -> str:
    """Return the name of the timed job that checks ``size`` rows with ``tool``."""
    return f"{size:,} rows" if tool == "qcheck" else f"{size:,} rows, {tool}"


def render_matrix(figures: Mapping[tuple[int, str], Figure], sizes: Sequence[int]) -> list[str]:
    """Return the issue's table: a line per file, a column per tool, each a ratio to csv.reader."""
    header = f"{'rows':>10} {'csv.reader':>10}" + "".join(f" {tool:>15}" for tool in TOOLS)
    lines = [header, "-" * len(header)]
    for size in sizes:
        floor = figures[size, TOOLS[0]].floor
        ratios = "".join(f" {figures[size, tool].ratio:>14.2f}x" for tool in TOOLS)
        lines.append(f"{size:>10,} {amount(floor, 's'):>10}" + ratios)
    return lines


HUGE, HUGE_BASE = 20_000_000, 2_000_000
HUGE_REGIONS = 12_000  # 101 years x 12,001 places x 18 indicators: room for 20M distinct rows


def write_parquet(rows: Path, parquet: Path) -> None:
    """Write a CSV file's table as Parquet, a batch of rows at a time."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    reader = pacsv.open_csv(rows, read_options=pacsv.ReadOptions(block_size=64 << 20))
    with pq.ParquetWriter(parquet, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


def huge_inputs(folder: Path) -> tuple[Path, dict[tuple[int, str], Path]]:
    """Return the targets and the CSV and Parquet files of each huge size, writing any missing.

    A file is written under a temporary name and renamed when complete, so one found is whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    targets = folder / "targets.yaml"
    files: dict[tuple[int, str], Path] = {}
    for size in (HUGE_BASE, HUGE):
        csv_path, parquet = folder / f"rows-{size}.csv", folder / f"rows-{size}.parquet"
        partial = folder / "partial"
        if not csv_path.exists():
            print(f"writing {csv_path} ...", file=sys.stderr)
            write_province(folder / "partial-targets.yaml", partial, size, HUGE_REGIONS)
            (folder / "partial-targets.yaml").replace(targets)
            partial.replace(csv_path)
        if not parquet.exists():
            print(f"writing {parquet} ...", file=sys.stderr)
            write_parquet(csv_path, partial)
            partial.replace(parquet)
        files[size, "CSV"], files[size, "Parquet"] = csv_path, parquet
    return targets, files


def huge_figures(
    targets: Path, files: Mapping[tuple[int, str], Path], env: Mapping[str, str]
) -> list[Figure]:
    """Evaluate each huge file once; return its peak memory and its time against 10x fewer rows."""
    runs: dict[tuple[int, str], Run] = {}
    for (size, kind), path in files.items():
        print(f"evaluating {size:,} rows of {kind} ...", file=sys.stderr)
        command = (*evaluate_rows(targets, path), "--max-bytes", str(path.stat().st_size))
        runs[size, kind] = run = probe(command, env)
        if run.code not in (0, 1):
            raise SystemExit(f"{shown(command)} exited {run.code}: it did not evaluate the file")
    figures = []
    for kind in ("CSV", "Parquet"):
        big, base = runs[HUGE, kind], runs[HUGE_BASE, kind]
        footnote = shown(evaluate_rows(targets, files[HUGE, kind])) + " --max-bytes SIZE"
        big_rows, base_rows = f"{HUGE / 1e6:g}M rows", f"{HUGE_BASE / 1e6:g}M rows"
        figures += [
            Figure(
                f"peak memory, {big_rows}, {kind}",
                (big.memory,),
                f"peak memory, {base_rows}",
                (base.memory,),
                LIMITS["peak memory, 20,000,000 rows"],
                "MiB",
                footnote,
                absolute=True,
            ),
            Figure(
                f"time, {big_rows}, {kind}",
                (big.seconds,),
                f"{base_rows}' time x {HUGE / HUGE_BASE:g}",
                (base.seconds * HUGE / HUGE_BASE,),
                LIMITS["time per row, 20M against 2M"],
                "s",
                footnote,
            ),
        ]
    return figures


def file_sizes(files: Mapping[tuple[int, str], Path]) -> str:
    """Return the sizes of the huge inputs, to be said beside their figures."""
    return ", ".join(
        f"{size:,} rows of {kind}: {path.stat().st_size / 2**20:,.0f} MiB"
        for (size, kind), path in files.items()
    )


def processor() -> str:
    """Return the processor's model name where the system says it, else its architecture."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


def environment_facts(environ: Mapping[str, str], cached: int, modules: int) -> list[str]:
    """Return the facts about this machine and environment that bear on the times."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts = [
        f"{date.today():%d %B %Y}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}",
        f"{processor()}, {os.cpu_count()} cores ({usable} usable by this process)",
        f"bytecode: {cached} of qcheck's {modules} modules cached before timing",
    ]
    if NO_BYTECODE in environ:
        facts.append(f"{NO_BYTECODE} was set here: every command runs without it")
    passed = sorted(f"{name}={environ[name]}" for name in environ if name.startswith("PYTHON"))
    passed = [variable for variable in passed if not variable.startswith(NO_BYTECODE + "=")]
    if passed:
        facts.append("passed to every command: " + ", ".join(passed))
    return facts


# Issue 11's goals, as ratios to the floor (memory of 10,000 and 20,000,000 rows: in MiB), and
# those kept from before it: start-up, and memory that does not grow with the rows. Time linear
# in rows: 20M rows within 20% of ten times 2M's, each timed once.
LIMITS = {
    "qcheck --version": 3.0,
    "qcheck --help": 1.5,
    "typical report": 1.25,
    "1,000,000 rows": 1.3,
    "100,000 rows": 4.0,
    "1,000 files --each": 2.5,
    "peak memory, 10k rows, 2k regions": 80.0,
    "peak memory, 1,000,000 rows": 1.5,
    "peak memory, 100,000 rows": 1.5,
    "1,000,000 rows against polars": 1.0,
    "peak memory, 20,000,000 rows": 500.0,
    "time per row, 20M against 2M": 1.2,
}


def main() -> None:
    """Generate the inputs, time every figure and its floor in rounds, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 100,000 rows only")
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/data afterwards")
    parser.add_argument("--seed", type=int, help="the order of the rounds (default: a new one)")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also time frictionless, pandas, pyarrow.compute and polars doing the same checks",
    )
    parser.add_argument(
        "--huge",
        action="store_true",
        help="also evaluate 20,000,000 and 2,000,000 rows, CSV and Parquet: time, peak memory",
    )
    args = parser.parse_args()
    if args.peers and (missing := missing_peers()):
        parser.exit(
            2,
            f"{parser.prog}: --peers needs {', '.join(peers.PACKAGES)}; not installed: "
            f'{", ".join(missing)}. Install them with: pip install -e ".[bench]"\n',
        )
    rounds = 5 if args.quick else 9
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(3), "little")
    sizes = [100_000] if args.quick else [1_000_000, 100_000]
    peer_sizes = PEER_SIZES if args.peers else ()
    load_before = os.getloadavg()[0]
    DATA.mkdir(exist_ok=True)
    typical = DATA / "typical.csv"
    province_targets = DATA / "province-targets.yaml"
    rows = {size: DATA / f"rows-{size}.csv" for size in sorted({*sizes, *peer_sizes, 10_000})}
    small = rows[10_000]
    many = DATA / "many"
    print(f"generating inputs in {DATA} ...", file=sys.stderr)
    write_typical_report(typical)
    for size, path in rows.items():
        write_province(province_targets, path, size)
    write_many(many, 1000, typical)

    env = timing_environment(os.environ)
    package = Path(qcheck.__file__).parent
    cached, modules = cache_bytecode(package)
    # A copy of the package with no bytecode, imported first, shows what compiling costs.
    uncached = DATA / "uncached"
    shutil.rmtree(uncached, ignore_errors=True)
    shutil.copytree(package, uncached / "qcheck", ignore=shutil.ignore_patterns("__pycache__"))
    uncached_path = os.pathsep.join(filter(None, [str(uncached), env.get("PYTHONPATH")]))

    evaluate_typical = (*QCHECK, "evaluate", str(typical))
    goals = [
        Goal(
            "qcheck --version",
            (*QCHECK, "--version"),
            "python -c pass",
            (PYTHON, "-c", "pass"),
        ),
        Goal("qcheck --help", (*QCHECK, "--help"), "import click", python_script("import click")),
        Goal(
            "typical report",
            evaluate_typical,
            "import deps + model + table",
            IMPORT_AND_MODEL,
        ),
        *(rows_goal(province_targets, rows[size], size) for size in sizes),
        Goal(
            "1,000 files --each",
            (*QCHECK, "evaluate", str(many), "--each", "--format", "json"),
            "import deps + csv.reader x1000",
            read_many_floor(many),
        ),
    ]
    # The peers' files: qcheck and the csv.reader pass where no goal times them already.
    compared = [
        rows_goal(province_targets, rows[size], size) for size in peer_sizes if size not in sizes
    ]
    no_model, no_bytecode = "import deps + table, no model", "typical report, no bytecode"
    jobs = [
        *(Job(goal.name, goal.command) for goal in [*goals, *compared]),
        *(Job(goal.floor_key, goal.floor) for goal in [*goals, *compared]),
        *(
            Job(rows_name(size, tool), tool_command(tool, province_targets, rows[size]))
            for size in peer_sizes
            for tool in peers.CHECKS
        ),
        Job(no_model, IMPORT_AND_TABLE),
        Job(no_bytecode, evaluate_typical, ((NO_BYTECODE, "1"), ("PYTHONPATH", uncached_path))),
    ]
    time_rounds(jobs, [[job.name for job in jobs]], env, "warm-up (untimed, writing bytecode)")
    times = time_rounds(jobs, schedule([job.name for job in jobs], rounds, seed), env)
    figures = [
        Figure(
            goal.name,
            times[goal.name],
            goal.floor_name,
            times[goal.floor_key],
            LIMITS[goal.name],
            "s",
            shown(goal.command),
        )
        for goal in goals
    ]
    versus = {
        (size, tool): Figure(
            rows_name(size, tool),
            times[rows_name(size, tool)],
            "csv.reader pass",
            times[f"{rows_name(size)} / floor"],
            None,
            "s",
            shown(tool_command(tool, province_targets, rows[size])),
        )
        for size in peer_sizes
        for tool in TOOLS
    }
    if peer_sizes:
        biggest = rows_name(peer_sizes[-1])
        figures.append(
            Figure(
                f"{biggest} against polars",
                times[biggest],
                "polars, the same checks",
                times[rows_name(peer_sizes[-1], "polars")],
                LIMITS[f"{biggest} against polars"],
                "s",
                versus[peer_sizes[-1], "qcheck"].command,
            )
        )

    print("measuring memory ...", file=sys.stderr)
    evaluate = (*QCHECK, "evaluate", "--targets", str(province_targets), "--format", "json")
    small_memory = peak_memory_mib((*evaluate, str(small)), env)
    big_memory = peak_memory_mib((*evaluate, str(rows[sizes[0]])), env)
    # Memory that does not grow with the rows: the largest file against one ten times smaller,
    # both read as columns (a 10,000-row file is read a row at a time, without pyarrow).
    base_size = 100_000 if sizes[0] != 100_000 else 10_000
    base_memory = (
        small_memory
        if base_size == 10_000
        else peak_memory_mib((*evaluate, str(rows[base_size])), env)
    )
    model_memory = peak_memory_mib(IMPORT_AND_MODEL, env)
    memory_name = f"peak memory, {sizes[0]:,} rows"
    figures += [
        Figure(
            "peak memory, 10k rows, 2k regions",
            (small_memory,),
            "import deps + model + table",
            (model_memory,),
            LIMITS["peak memory, 10k rows, 2k regions"],
            "MiB",
            shown(evaluate) + " FILE",
            absolute=True,
        ),
        Figure(
            memory_name,
            (big_memory,),
            f"peak memory, {base_size:,} rows",
            (base_memory,),
            LIMITS[memory_name],
            "MiB",
            shown(evaluate) + " FILE",
        ),
    ]
    huge_facts = ""
    if args.huge:
        huge_targets, huge_files = huge_inputs(DATA / "huge")
        figures += huge_figures(huge_targets, huge_files, env)
        huge_facts = file_sizes(huge_files)

    print("\nqcheck benchmark")
    for fact in environment_facts(os.environ, cached, modules):
        print(fact)
    print(f"load average over a minute: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"{rounds} rounds after a warm-up round; each ran all {len(jobs)} commands once, in an "
        f"order shuffled with seed {seed} (--seed {seed} repeats the orders)"
    )
    print("times are medians over the rounds; memory and the huge files are one run each\n")
    print("\n".join(render_table(figures)))
    if huge_facts:
        print(f"\nhuge inputs, kept in {DATA / 'huge'}: {huge_facts}")
    if versus:
        print(
            "\nthe same checks by qcheck and its peers, each beside a csv.reader pass over the file"
        )
        print("\n".join(render_table(list(versus.values()))))
        print("\nratio to a csv.reader pass over the same file, medians over the rounds")
        print("\n".join(render_matrix(versus, peer_sizes)))
    timed = [*figures, *versus.values()]
    print(
        "\nspread over the rounds: lowest-highest (the range as a share of the median); "
        "the ratio of the command to its floor within each round"
    )
    print("\n".join(render_spreads(timed)))
    typical_figure = next(figure for figure in figures if figure.name == "typical report")
    table_floor = Spread.of(times[no_model]).median
    compiling = Spread.of(
        [u - c for u, c in zip(times[no_bytecode], times["typical report"], strict=True)]
    )
    print(
        f"\nfor reference: importing the four dependencies and printing a table, without defining "
        f"a Pydantic model, takes {table_floor:.3f} s; the typical report's floor, which defines "
        f"one, is {typical_figure.floor / table_floor:.2f}x that."
    )
    uncached_median = Spread.of(times[no_bytecode]).median
    print(
        f"without cached bytecode ({NO_BYTECODE}=1 and a fresh copy of qcheck), the typical "
        f"report takes {uncached_median:.3f} s: {compiling.median * 1000:.0f} ms "
        f"more (per round {compiling.low * 1000:.0f}-{compiling.high * 1000:.0f} ms), "
        "compiling qcheck's modules from source in every run."
    )
    print("\ncommands (run from the repository root, after `python benchmarks/run.py --keep`):")
    for figure in timed:
        print(f"  {figure.name}: {figure.command}")
    if not args.keep:
        remove_inputs(DATA)


def remove_inputs(folder: Path) -> None:
    """Remove the generated inputs but the huge ones, which take a while to write."""
    for path in folder.iterdir():
        if path.name != "huge":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


if __name__ == "__main__":
    main()
