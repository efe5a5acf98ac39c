"""--each over many files: --jobs spreads them over processes; the output stays the same."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

import qcheck.cli.jobs
import qcheck.cli.pool
from qcheck.catalogue import Catalogue
from qcheck.cli import main
from qcheck.cli.jobs import in_order
from qcheck.cli.options import JOBS_FROM
from qcheck.evaluation import Report
from qcheck.loaders.files import check_files
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
UNREADABLE = "reports/locked.csv"


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
    shutil.copy(ALL_MET, UNREADABLE)
    return folder


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make one file of reports/ unreadable: opening it is refused (forked workers inherit it)."""
    from qcheck.loaders import encoding

    original = encoding.open_text

    def refusing(binary: Any, *, source: str, **kwargs: Any) -> Any:
        if source == UNREADABLE:
            raise PermissionError(13, "Permission denied")
        return original(binary, source=source, **kwargs)

    monkeypatch.setattr("qcheck.loaders.csv_file.open_text", refusing)


def outcome(result: Result) -> tuple[int, str, str]:
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


# ---- the same output whatever the number of processes -----------------------------------


@pytest.mark.usefixtures("locked")
@pytest.mark.parametrize("output_format", ["json", "table", "csv", "junit"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_any_number_of_jobs_gives_the_same_output_and_exit_code(
    output_format: str, lang: str
) -> None:
    folder = write_mixed_folder()
    args = ("evaluate", folder, "--each", "--format", output_format, "--lang", lang)
    alone = outcome(run(*args, "--jobs", "1"))
    assert alone[0] == 2  # broken and unreadable inputs fail the run
    assert UNREADABLE in alone[2]
    for jobs in (2, 3):
        assert outcome(run(*args, "--jobs", jobs)) == alone, f"--jobs {jobs}"


@pytest.mark.parametrize("output_format", ["json", "table"])
def test_output_files_are_the_same_whatever_the_number_of_jobs(output_format: str) -> None:
    folder = write_mixed_folder()
    written = {}
    for jobs in (1, 2):
        outputs = [f"{jobs}.json", f"{jobs}.md", f"{jobs}.sarif"]
        args = [arg for path in outputs for arg in ("-o", path)]
        result = run("evaluate", folder, "--each", "--format", output_format, *args, "-j", jobs)
        files = [Path(path).read_text(encoding="utf-8") for path in outputs]
        written[jobs] = (result.exit_code, result.stdout, result.stderr, files)
    assert written[1] == written[2]


def test_reports_come_in_the_order_of_the_inputs_with_many_jobs() -> None:
    folder = Path("reports")
    folder.mkdir()
    names = [f"{n:03d}.csv" for n in range(50)]
    for n, name in enumerate(names):
        shutil.copy(FAILURES if n % 7 == 3 else ALL_MET, folder / name)
    result = run("evaluate", folder, "--each", "--format", "json", "-j", "3")
    assert result.exit_code == 1
    reports = json.loads(result.stdout)["reports"]
    assert [report["source"] for report in reports] == [[f"reports/{name}"] for name in names]
    failed = [n for n, report in enumerate(reports) if report["summary"]["fail"]]
    assert failed == [n for n in range(50) if n % 7 == 3]


def test_standard_input_is_read_by_the_main_process_among_files() -> None:
    folder = write_mixed_folder(copies=1)
    text = ALL_MET.read_text(encoding="utf-8")
    args = ("evaluate", folder / "a0-met.csv", "-", folder / "b0-failing.csv", "--each")
    alone = outcome(run(*args, "--format", "json", "-j", "1", stdin=text))
    assert outcome(run(*args, "--format", "json", "-j", "2", stdin=text)) == alone
    sources = [report["source"] for report in json.loads(alone[1])["reports"]]
    assert sources == [["reports/a0-met.csv"], ["<stdin>"], ["reports/b0-failing.csv"]]


def test_jobs_without_each_evaluate_one_dataset_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qcheck.cli.pool, "in_processes", _no_pool)
    merged = run("evaluate", SAMPLES / "city-2020.csv", SAMPLES / "counties", "-j", "2")
    assert merged.exit_code == 0, merged.output


# ---- how many processes ---------------------------------------------------------------------


def _no_pool(*_args: object, **_kwargs: object) -> Iterator[Any]:
    raise AssertionError("a process pool was started")


def test_one_job_never_starts_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path("many")
    folder.mkdir()
    for n in range(JOBS_FROM + 1):
        shutil.copy(ALL_MET, folder / f"{n:03d}.csv")
    monkeypatch.setattr(qcheck.cli.pool, "in_processes", _no_pool)
    monkeypatch.setattr(qcheck.cli.pool, "ProcessPoolExecutor", _no_pool)
    result = run("evaluate", folder, "--each", "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["reports"]) == JOBS_FROM + 1


@pytest.mark.parametrize(("files", "cores", "expected"), [(JOBS_FROM, 2, 2), (JOBS_FROM - 1, 2, 1)])
def test_by_default_every_core_is_used_from_many_files(
    monkeypatch: pytest.MonkeyPatch, files: int, cores: int, expected: int
) -> None:
    folder = Path("many")
    folder.mkdir()
    for n in range(files):
        shutil.copy(ALL_MET, folder / f"{n:03d}.csv")
    asked: list[int] = []
    original = qcheck.cli.jobs.in_order

    def spy(*args: Any, jobs: int, **kwargs: Any) -> Iterator[Any]:
        asked.append(jobs)
        return original(*args, jobs=jobs, **kwargs)

    monkeypatch.setattr(qcheck.cli.jobs, "usable_cores", lambda: cores)
    monkeypatch.setattr("qcheck.cli.evaluate.in_order", spy)
    result = run("evaluate", folder, "--each", "--format", "json")
    assert result.exit_code == 0, result.output
    assert asked == [expected]


def test_the_usable_cores_are_those_this_process_may_run_on() -> None:
    usable = qcheck.cli.jobs.usable_cores()
    if hasattr(os, "sched_getaffinity"):
        assert usable == len(os.sched_getaffinity(0))
    assert usable >= 1


def test_jobs_must_be_a_positive_number() -> None:
    result = run("evaluate", ALL_MET, "--each", "--jobs", "0", "--lang", "en")
    assert result.exit_code == 2
    assert "--jobs" in result.stderr


# ---- errors in a worker ---------------------------------------------------------------------


def _broken_evaluation(**_kwargs: object) -> Report:
    raise ValueError("the rule cannot be judged")


def _out_of_memory(**_kwargs: object) -> Report:
    raise MemoryError


@pytest.mark.parametrize(
    ("fault", "code", "said"),
    [
        (_broken_evaluation, 3, "ValueError: the rule cannot be judged"),
        (_out_of_memory, 2, "memory"),
    ],
)
def test_an_error_in_a_worker_ends_the_run_as_it_would_in_process(
    monkeypatch: pytest.MonkeyPatch, fault: Any, code: int, said: str
) -> None:
    folder = write_mixed_folder(copies=2)
    monkeypatch.setattr("qcheck.cli.evaluate.evaluate_targets", fault)
    args = ("evaluate", folder, "--each", "--format", "json", "--lang", "en")
    alone = run(*args, "-j", "1")
    assert (alone.exit_code, alone.stdout) == (code, "")
    assert said in alone.stderr
    assert "Traceback" not in alone.stderr
    spread = run(*args, "-j", "2")
    assert (spread.exit_code, spread.stdout, spread.stderr) == (code, "", alone.stderr)


def test_debug_shows_the_workers_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_mixed_folder(copies=1)
    monkeypatch.setattr("qcheck.cli.evaluate.evaluate_targets", _broken_evaluation)
    result = run("--debug", "evaluate", folder, "--each", "-j", "2", "--lang", "en")
    assert result.exit_code == 3
    assert "_broken_evaluation" in result.stderr  # the line that failed, in the worker


# ---- in_order and the way results travel ----------------------------------------------------


def pid_of(item: int) -> tuple[int, int]:
    """Return an item with the process that handled it (a module's function: spawn pickles it)."""
    return item, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_in_order_keeps_the_order_and_does_local_items_here(jobs: int) -> None:
    items = list(range(23))
    local = [item % 5 == 0 for item in items]
    results = list(in_order(items, pid_of, jobs=jobs, local=local))
    assert [item for item, _pid in results] == items
    here = {item for item, pid in results if pid == os.getpid()}
    assert here == (set(items) if jobs == 1 else {item for item in items if local[item]})


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_workers_start_before_the_results_are_read() -> None:
    """A progress bar's thread, started once in_order has returned, runs beside no fork."""
    results = in_order(list(range(4)), pid_of, jobs=2)
    workers = children(os.getpid())
    assert len(workers) == 2
    assert {pid for _item, pid in results} <= workers


def test_in_order_works_where_processes_are_spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    results = list(in_order(list(range(5)), pid_of, jobs=2))
    assert [item for item, _pid in results] == list(range(5))
    assert os.getpid() not in {pid for _item, pid in results}


def test_reports_travel_back_holding_this_process_catalogue(catalogue: Catalogue) -> None:
    from qcheck.evaluation import evaluate

    dataset, validation = check_files([FAILURES], catalogue=catalogue)
    report = evaluate(
        catalogue=catalogue, measurements=dataset, year=2020, sources=validation.sources
    )
    shared = (catalogue, *catalogue.targets)
    back = qcheck.cli.pool._Unpickler(qcheck.cli.pool._dumps([report], shared), shared).load()[0]
    assert back == report
    assert back.catalogue is catalogue
    assert all(a.target is b.target for a, b in zip(back.results, report.results, strict=True))
    renderer = JsonRenderer(lang="en")
    assert renderer.render([back, back], limit=100) == renderer.render([report, report], limit=100)


@dataclass(frozen=True, slots=True)
class _Slotted:
    number: int
    words: tuple[str, ...] = ()
    kind: ClassVar[str] = "slotted"


def test_a_slotted_dataclass_travels_as_its_fields() -> None:
    item = _Slotted(3, ("a", "b"))
    back = qcheck.cli.pool._Unpickler(qcheck.cli.pool._dumps([item, item], ()), ()).load()
    assert back == [item, item]
    assert back[0] is back[1]  # pickled once, as pickle does


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


# ---- an interrupt leaves no process behind --------------------------------------------------


def children(pid: int) -> set[int]:
    """Return the processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text(encoding="ascii") if task.exists() else ""
        found |= {int(child) for child in text.split()}
    return found


def alive(pid: int) -> bool:
    """Whether a process runs (one ended but not yet waited for, a zombie, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_stops_the_workers(sent: signal.Signals, code: int) -> None:
    folder = Path("many")
    folder.mkdir()
    for n in range(3000):
        shutil.copy(ALL_MET, folder / f"{n:04d}.csv")
    command: Sequence[str] = (sys.executable, "-m", "qcheck", "evaluate", str(folder), "--each")
    process = subprocess.Popen(
        [*command, "-j", "2", "--format", "json", "--lang", "en"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers = children(process.pid)
        time.sleep(0.01)
    assert len(workers) == 2, "the workers did not start"
    os.killpg(process.pid, sent)  # a terminal's Ctrl-C goes to every process of the job
    _out, err = process.communicate(timeout=60)
    assert process.returncode == code, err.decode()
    assert b"Traceback" not in err
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(alive(pid) for pid in workers)


@pytest.mark.parametrize("count", [0, 2, 3])
def test_a_batch_is_its_reports_written_one_by_one_and_put_in_place(
    catalogue: Catalogue, count: int
) -> None:
    from qcheck.evaluation import evaluate
    from qcheck.validation import Validation

    dataset, validation = check_files([FAILURES], catalogue=catalogue)
    report = evaluate(
        catalogue=catalogue, measurements=dataset, year=2020, sources=validation.sources
    )
    failure = Validation(sources=("bad.csv",), rows=0, measurements=0)
    reports, failures = [report] * count, [failure] * (2 - min(count, 1))
    text = JsonRenderer(lang="zh").render(reports, failures, limit=100)
    document = json.loads(text)
    assert document["reports"] == [json.loads(JsonRenderer(lang="zh").part(report))] * count
    assert text == json.dumps(document, ensure_ascii=False) + "\n"


def test_spawned_workers_give_the_same_output() -> None:
    """Where workers are spawned (not Linux), each gets the run's settings and catalogue pickled.

    Each also imports ``python -m qcheck``'s main module again, which must not run qcheck.
    """
    folder = write_mixed_folder(copies=1)
    spawning = (
        "import multiprocessing, runpy, sys; "
        "multiprocessing.get_all_start_methods = lambda: ['spawn']; "
        "sys.argv[0] = 'qcheck'; "
        "runpy.run_module('qcheck', run_name='__main__', alter_sys=True)"
    )
    args = ["evaluate", str(folder), "--each", "--format", "json", "--lang", "en"]
    alone = subprocess.run(
        [sys.executable, "-m", "qcheck", *args, "-j", "1"], capture_output=True, check=False
    )
    spawned = subprocess.run(
        [sys.executable, "-c", spawning, *args, "-j", "2"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert alone.returncode == 2
    assert (spawned.returncode, spawned.stdout, spawned.stderr) == (
        alone.returncode,
        alone.stdout,
        alone.stderr,
    )


@pytest.mark.parametrize("imported_first", [True, False])
def test_a_worker_has_pyarrow_use_one_thread(imported_first: bool) -> None:
    code = (
        ("import pyarrow\n" if imported_first else "") + "from qcheck.cli.pool import _one_thread\n"
        "_one_thread()\n"
        "import pyarrow\n"
        "print(pyarrow.cpu_count())\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "OMP_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "1", done.stderr
