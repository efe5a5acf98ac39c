"""Golden cases: each folder of tests/golden/cases is a command run and the output it prints.

A case holds ``args`` (the command line after ``qcheck``), ``columns`` (the terminal's width),
``exit`` (the exit code), ``expected.txt`` (standard output) and any input files it names;
``samples/`` is the repository's. An HTML page is compared by its text as a reader sees it
(``page_text``: its bytes hold the time of the run). Regenerate every expected output with
``QCHECK_UPDATE_GOLDEN=1 python -m pytest tests/renderers/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from tests.helpers import GOLDEN, SAMPLES, assert_golden, run_cli
from tests.renderers.html.parse import page_text

CASES = sorted(path for path in (GOLDEN / "cases").iterdir() if path.is_dir())
CASE_FILES = {"args", "columns", "exit", "expected.txt"}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_case(case: Path, in_tmp: Path) -> None:
    for path in case.iterdir():
        if path.name not in CASE_FILES:
            shutil.copy(path, in_tmp / path.name)
    (in_tmp / "samples").symlink_to(SAMPLES)
    result = run_cli(shlex.split(_read(case, "args")), COLUMNS=_read(case, "columns"))
    assert result.exit_code == int(_read(case, "exit")), result.output
    output = result.stdout
    if output.startswith("<!DOCTYPE html>"):
        output = page_text(output)
    assert_golden(str((case / "expected.txt").relative_to(GOLDEN)), output)


def _read(case: Path, name: str) -> str:
    return (case / name).read_text(encoding="utf-8").strip()
