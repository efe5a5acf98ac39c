"""The output-format registry: every place that lists formats derives from OUTPUT_FORMATS."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcheck.cli import main
from qcheck.formats import (
    DEFAULT_FORMAT,
    FORMATS,
    OUTPUT_FORMATS,
    SUFFIX_FORMATS,
    OutputFormat,
    by_suffix,
    format_of_path,
    output_format,
)
from qcheck.renderers import renderer_for
from qcheck.renderers.base import Renderer
from tests.helpers import REPO_ROOT

OPTIONAL = ("rich", "yaml", "openpyxl", "pyarrow", "jinja2")
FORMATS_TABLE = "| `--format` | `--output` suffix | for |"


def test_names_and_suffixes_are_declared_once() -> None:
    assert len(set(FORMATS)) == len(FORMATS)
    suffixes = [suffix for kind in OUTPUT_FORMATS for suffix in kind.suffixes]
    assert len(set(suffixes)) == len(suffixes)
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in suffixes)
    assert {suffix: by_suffix(suffix) for suffix in suffixes} == {
        suffix: output_format(name) for suffix, name in SUFFIX_FORMATS.items()
    }
    assert by_suffix(".pdf") is None
    assert DEFAULT_FORMAT in FORMATS
    with pytest.raises(ValueError, match="nope"):
        output_format("nope")


@pytest.mark.parametrize("kind", OUTPUT_FORMATS, ids=FORMATS)
def test_each_renderer_is_declared_with_what_it_needs(kind: OutputFormat) -> None:
    renderer = renderer_for(kind.name, lang="en", color=True, width=77)
    assert isinstance(renderer, Renderer)
    if kind.sized:
        assert (getattr(renderer, "color", None), getattr(renderer, "width", None)) == (True, 77)
    module = kind.renderer.partition(":")[0]
    code = (
        f"import sys, {module}; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({OPTIONAL!r})))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == repr(sorted(kind.needs))


def test_the_options_and_their_help_derive_from_the_registry() -> None:
    for command in ("evaluate", "validate"):
        params = {param.name: param for param in main.commands[command].params}
        offered = params["output_format"]
        assert tuple(offered.type.choices) == FORMATS  # type: ignore[attr-defined]
        assert offered.default == DEFAULT_FORMAT
        help_text = params["outputs"].help or ""
        for kind in OUTPUT_FORMATS:
            assert all(
                re.search(re.escape(suffix) + r"(=\w+)?[ )]", help_text) for suffix in kind.suffixes
            ), kind.name


def test_the_docs_table_of_formats_is_the_registry() -> None:
    pages = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    (page,) = [page for page in pages if FORMATS_TABLE in page.read_text(encoding="utf-8")]
    lines = page.read_text(encoding="utf-8").split(FORMATS_TABLE, 1)[1].splitlines()[2:]
    rows = lines[: next(i for i, line in enumerate(lines) if not line.strip())]
    documented = {}
    for row in rows:
        name, suffixes = (cell.strip() for cell in row.strip("|").split(" | ")[:2])
        documented[name.split("`")[1]] = tuple(re.findall(r"`(\.[\w.]+)`", suffixes))
    assert documented == {kind.name: kind.suffixes for kind in OUTPUT_FORMATS}


SCRATCH_RENDERER = """
from qcheck.renderers.base import Renderer


class ScratchRenderer(Renderer):
    def render(self, reports, failures=(), *, limit):
        return "".join(f"scratch {report.summary.total}\\n" for report in reports)

    def render_validation(self, validation, *, strict, limit):
        return f"scratch {validation.rows}\\n"
"""

# Loads qcheck.formats with one more entry, as a new format would add it, then runs qcheck.
ADD_A_FORMAT = """
import importlib.util, sys
spec = importlib.util.find_spec("qcheck.formats")
source = spec.loader.get_source("qcheck.formats")
entry = '    OutputFormat("scratch", (".scr",), "scratch_renderer:ScratchRenderer", "people"),\\n'
source = source.replace("\\n)\\nDEFAULT_FORMAT", "\\n" + entry + ")\\nDEFAULT_FORMAT", 1)
module = importlib.util.module_from_spec(spec)
sys.modules["qcheck.formats"] = module
exec(compile(source, spec.origin, "exec"), module.__dict__)
from qcheck.cli import main
main(sys.argv[1:])
"""


def test_adding_a_format_is_one_entry_and_one_module(tmp_path: Path) -> None:
    (tmp_path / "scratch_renderer.py").write_text(SCRATCH_RENDERER, encoding="utf-8")
    sample = str(REPO_ROOT / "samples" / "report-2020-all-met.csv")
    args = ["evaluate", sample, "--format", "scratch", "-o", "r.scr", "-o", "r.json"]
    completed = subprocess.run(
        [sys.executable, "-c", ADD_A_FORMAT, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "", "LANG": "C.UTF-8"},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "scratch 27\n"
    assert (tmp_path / "r.scr").read_text(encoding="utf-8") == "scratch 27\n"
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["pass"] == 26
    shown = subprocess.run(
        [sys.executable, "-c", ADD_A_FORMAT, "evaluate", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "", "LANG": "C.UTF-8", "COLUMNS": "200"},
    ).stdout
    assert f"|{FORMATS[-1]}|scratch]" in shown
    assert re.search(r"\.scr[)\s]", shown)  # the help may wrap after it


# ---- the format a file's name names --------------------------------------------------------

COMPOUND = {".json": "json", ".codequality.json": "codequality", ".xml": "junit"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("r.json", "json"),
        ("R.JSON", "json"),
        ("qcheck.codequality.json", "codequality"),
        ("out/QCHECK.CodeQuality.JSON", "codequality"),
        ("x.codequality.json.bak", None),
        ("codequality.json", "json"),  # the compound suffix starts with a dot
        (".codequality.json", "json"),  # a name that is only a suffix has none
        (".json", None),
        ("r.json/", None),
        ("json", None),
        ("r.xml", "junit"),
        ("r", None),
    ],
)
def test_a_name_names_the_format_of_its_longest_suffix(name: str, expected: str | None) -> None:
    assert format_of_path(name, COMPOUND) == expected
    if not name.endswith("/"):  # a Path drops a trailing slash
        assert format_of_path(Path(name), COMPOUND) == expected


@given(st.text(min_size=1).filter(lambda s: not {"/", "\\", "."} & set(s)))
def test_every_registered_suffix_names_its_format(stem: str) -> None:
    for suffix, name in SUFFIX_FORMATS.items():
        for written in (suffix, suffix.upper(), suffix.title()):
            assert format_of_path(f"out/{stem}{written}") == name, (stem, written)
