"""The Python API: the names README documents, and a start-up that imports nothing heavy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import qcheck
from qcheck import Status, evaluate, load_catalogue, load_measurements
from tests.helpers import SAMPLES

HEAVY = ("pydantic", "rich", "yaml", "openpyxl", "pyarrow", "jinja2", "markupsafe")
# The modules that run the commands, imported when one runs: start-up stops short of them.
BODIES = (
    "qcheck.cli.evaluate",
    "qcheck.cli.catalogue",
    "qcheck.cli.diff",
    "qcheck.cli.init",
    "qcheck.cli.request",
    "qcheck.cli.jobs",
    "qcheck.cli.pool",
)
LATE_IN_BODIES = {"rich.progress", "qcheck.cli.pool"}  # with a progress bar; with processes
CLI = Path(qcheck.__file__).parent / "cli"


def test_readme_example() -> None:
    catalogue = load_catalogue()
    measurements, warnings = load_measurements(
        [SAMPLES / "report-2020-with-failures.csv"], catalogue=catalogue
    )
    report = evaluate(catalogue=catalogue, measurements=measurements, year=2020)
    assert warnings == []
    assert (report.summary.passed, report.summary.failed, report.summary.missing) == (16, 6, 2)
    statuses = {result.target.id: result.status for result in report.results}
    # Met by less than the 1 pp band: 85.4 against ≥85 (the issue's own example), 98 against
    # ≥98, 96.85 against ≥96.85.
    at_risk = {key for key, status in statuses.items() if status is Status.PASS_AT_RISK}
    assert at_risk == {
        "service_satisfaction",
        "agricultural_products_pass_rate",
        "drinking_water_quality_ratio",
    }
    assert statuses["food_safety_pass_rate"] is Status.FAIL
    assert statuses["pm10_concentration"] is Status.FAIL  # 78 to 71: less than the 10% asked


def test_every_public_name_resolves() -> None:
    assert set(qcheck.__all__) == {"__version__", *qcheck._EXPORTS}
    for name in qcheck.__all__:
        assert getattr(qcheck, name) is not None


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        qcheck.nothing_here  # noqa: B018


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["--version"],
        ["evaluate", "--help"],
        ["schema", "--help"],
        ["diff", "--help"],
        ["evaluate", "x", "--nope", "--lang", "zh"],  # a usage error, in Chinese
        ["template", "--format", "pdf", "--lang", "en"],
        ["init", "--help"],
        ["init", "--ci", "travis"],
    ],
    ids=" ".join,
)
def test_command_line_start_up_imports_nothing_heavy(argv: list[str]) -> None:
    # A usage error's words come from qcheck.words, which needs no model (Pydantic cost 116 ms).
    code = (
        f"import sys; sys.argv = ['qcheck', *{argv!r}]\n"
        "from qcheck.entry import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {BODIES!r}))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip().splitlines()[-1] == "[]"
    if "--nope" in argv:
        assert "--nope" in completed.stderr


def test_the_command_bodies_are_the_one_lazy_import() -> None:
    """Commands import their body's module as they run; the bodies import at their top."""
    for module in BODIES:
        path = CLI / f"{module.rpartition('.')[2]}.py"
        late = {name for name in function_imports(path) if name not in LATE_IN_BODIES}
        assert not late, f"{path.name} imports {late} inside a function"
    assert function_imports(CLI / "commands.py") <= set(BODIES)


# What the modules read at start-up may import late: a body as its command runs, Rich only when
# there is something to say on standard error, and (entry) Click only when it is not --version.
START_UP_LATE = {
    "commands.py": set(BODIES),
    "streams.py": {"rich.console"},
    "app.py": set(),
    "lang.py": set(),
    "messages.py": set(),
    "options.py": set(),
}


def test_the_start_up_modules_import_late_only_what_start_up_must_not_pay_for() -> None:
    for name, allowed in START_UP_LATE.items():
        late = function_imports(CLI / name)
        assert late <= allowed, f"{name} imports {late - allowed} inside a function"
    entry = function_imports(CLI.parent / "entry.py")
    assert entry <= {"qcheck.cli", "qcheck.cli.app", "qcheck.cli.streams", "signal"}


def function_imports(path: Path) -> set[str]:
    """Return the modules a module imports inside its functions."""
    names: set[str] = set()
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.add(node.module)
                elif isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
    return names


def test_a_dataset_is_evaluated_for_the_year_it_was_gathered_for(tmp_path: Path) -> None:
    from qcheck import check_files

    path = tmp_path / "r.csv"
    path.write_text(
        "indicator,year,value\nfood_safety_pass_rate,2020,97\nfood_safety_pass_rate,2019,95\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue()
    dataset, _ = check_files([path], catalogue=catalogue, default_year=2019)
    report = evaluate(catalogue=catalogue, measurements=dataset, year=2019)
    food = next(r for r in report.results if r.target.id == "food_safety_pass_rate")
    # 2019 is before the 2020 due year: a figure meeting the line already is on track.
    assert (food.status, food.value) == (Status.ON_TRACK, 95)
    with pytest.raises(ValueError, match="default_year=2020"):
        evaluate(catalogue=catalogue, measurements=dataset, year=2020)


def test_load_targets_is_a_deprecated_name_of_load_catalogue() -> None:
    with pytest.warns(DeprecationWarning, match="load_catalogue"):
        catalogue = qcheck.load_targets()
    assert catalogue == load_catalogue()
