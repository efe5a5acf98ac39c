"""Benchmark qcheck against floors timed in the same rounds; print medians, spreads and ratios.

Usage: python benchmarks/run.py [--quick] [--keep] [--seed N]

It generates its inputs under benchmarks/data/ (not committed), caches the bytecode of qcheck's
modules and runs every command once untimed, then times whole commands as subprocesses in
rounds: each round runs every command and every floor once, in an order shuffled by a printed
seed, so load that comes and goes falls on commands and floors alike. Values are medians over
the rounds, shown with their spread (lowest to highest). Peak memory (max RSS) is measured in
single runs. Each figure is shown beside its floor: what Python and qcheck's dependencies cost
for the same work. Targets are those of issue 11; the table says which are met.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
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
    limit: float
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
        return (self.value if self.absolute else self.ratio) <= self.limit

    @property
    def target(self) -> str:
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
            + ("yes" if f.met else "NO")
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


def peak_memory_mib(command: Sequence[str], env: Mapping[str, str]) -> float:
    """Return the peak resident memory of one run of ``command``, in MiB."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    output = subprocess.run(
        [PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True, env=env
    )
    return int(output.stdout.strip()) / 1024


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


# Issue 11's goals, as ratios to the floor (memory of 10,000 rows: in MiB), and those kept from
# before it: start-up, and memory that does not grow with the rows.
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
}


def main() -> None:
    """Generate the inputs, time every figure and its floor in rounds, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 100,000 rows only")
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/data afterwards")
    parser.add_argument("--seed", type=int, help="the order of the rounds (default: a new one)")
    args = parser.parse_args()
    rounds = 5 if args.quick else 9
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(3), "little")
    sizes = [100_000] if args.quick else [1_000_000, 100_000]
    load_before = os.getloadavg()[0]
    DATA.mkdir(exist_ok=True)
    typical = DATA / "typical.csv"
    province_targets = DATA / "province-targets.yaml"
    rows = {size: DATA / f"rows-{size}.csv" for size in sizes}
    small = DATA / "rows-10000.csv"
    many = DATA / "many"
    print(f"generating inputs in {DATA} ...", file=sys.stderr)
    write_typical_report(typical)
    for size, path in rows.items():
        write_province(province_targets, path, size)
    write_province(province_targets, small, 10_000)
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
        *(
            Goal(
                f"{size:,} rows",
                (
                    *QCHECK,
                    "evaluate",
                    str(path),
                    "--targets",
                    str(province_targets),
                    "--format",
                    "json",
                ),
                "csv.reader pass",
                csv_reader_pass(path),
            )
            for size, path in rows.items()
        ),
        Goal(
            "1,000 files --each",
            (*QCHECK, "evaluate", str(many), "--each", "--format", "json"),
            "import deps + csv.reader x1000",
            read_many_floor(many),
        ),
    ]
    no_model, no_bytecode = "import deps + table, no model", "typical report, no bytecode"
    jobs = [
        *(Job(goal.name, goal.command) for goal in goals),
        *(Job(goal.floor_key, goal.floor) for goal in goals),
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

    print("measuring memory ...", file=sys.stderr)
    evaluate = (*QCHECK, "evaluate", "--targets", str(province_targets), "--format", "json")
    small_memory = peak_memory_mib((*evaluate, str(small)), env)
    big_memory = peak_memory_mib((*evaluate, str(rows[sizes[0]])), env)
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
            "peak memory, 10,000 rows",
            (small_memory,),
            LIMITS[memory_name],
            "MiB",
            shown(evaluate) + " FILE",
        ),
    ]

    print("\nqcheck benchmark")
    for fact in environment_facts(os.environ, cached, modules):
        print(fact)
    print(f"load average over a minute: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"{rounds} rounds after a warm-up round; each ran all {len(jobs)} commands once, in an "
        f"order shuffled with seed {seed} (--seed {seed} repeats the orders)"
    )
    print("times are medians over the rounds; memory is one run each\n")
    print("\n".join(render_table(figures)))
    print(
        "\nspread over the rounds: lowest-highest (the range as a share of the median); "
        "the ratio of the command to its floor within each round"
    )
    print("\n".join(render_spreads(figures)))
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
    for figure in figures:
        print(f"  {figure.name}: {figure.command}")
    if not args.keep:
        shutil.rmtree(DATA)


if __name__ == "__main__":
    main()
