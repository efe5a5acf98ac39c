"""Every problem code is declared once, used, worded in every language, and documented."""

from __future__ import annotations

import ast
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qcheck.problem_codes import CODES, markdown, params, severity
from qcheck.problems import Problem, Where
from qcheck.words import LANGS, Word, table
from tests.helpers import REPO_ROOT

SRC = REPO_ROOT / "src" / "qcheck"
DOC = REPO_ROOT / "docs" / "problems.md"


def _sources() -> dict[str, str]:
    """Return the text of every module but the catalogue of codes and the language tables."""
    return {
        str(path.relative_to(SRC)): path.read_text(encoding="utf-8")
        for path in SRC.rglob("*.py")
        if path.name != "problem_codes.py" and path.parent.name != "lang"
    }


def _codes_made_in_source() -> set[str]:
    """Return the codes written out where a problem is made.

    The first argument of Problem.of and _fail, the code of _key_problem, and the code of
    ``code, ... = "the-code", ...``.
    """
    position = {"of": 0, "_fail": 0, "_key_problem": 3}
    found: set[str] = set()
    for text in _sources().values():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                index = position.get(str(name))
                if index is not None and len(node.args) > index:
                    argument = node.args[index]
                    values = (
                        [argument.body, argument.orelse]
                        if isinstance(argument, ast.IfExp)
                        else [argument]
                    )
                    found |= {str(v.value) for v in values if isinstance(v, ast.Constant)}
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                first = node.targets[0].elts[0]
                if isinstance(first, ast.Name) and first.id == "code":
                    value = node.value
                    if isinstance(value, ast.Tuple) and isinstance(value.elts[0], ast.Constant):
                        found.add(str(value.elts[0].value))
    return found


def test_every_code_made_in_the_source_is_declared() -> None:
    made = _codes_made_in_source()
    assert len(made) > 30
    assert made - set(CODES) == set()


def test_every_code_worded_in_the_tables_is_declared() -> None:
    for lang in LANGS:
        worded = {
            key.split(".")[1] for key in table(lang).WORDS if key.startswith(("problem.", "hint."))
        }
        assert worded - set(CODES) <= {"maybe-csv", "other-sheet"}, lang


def test_every_declared_code_is_used() -> None:
    text = "\n".join(_sources().values())
    for code in CODES:
        assert f'"{code}"' in text, f"{code} is declared but no module makes it"


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_message_in_every_language(lang: str) -> None:
    words = table(lang).WORDS
    for code in CODES:
        assert any(re.fullmatch(rf"problem\.{re.escape(code)}(\..+)?", key) for key in words), code


def test_every_code_has_its_meaning_and_fix() -> None:
    for code in CODES.values():
        assert code.severity in ("error", "warning")
        assert code.meaning
        assert code.fix
        assert "|" not in code.meaning + code.fix  # a cell of the docs' table


def test_a_code_not_declared_is_a_bug_not_a_silent_error() -> None:
    with pytest.raises(KeyError):
        Problem.of("no-such-code", source="a.csv")
    assert severity("duplicate-identical") == "warning"
    assert Problem.of("duplicate-identical", source="a.csv").severity == "warning"


def test_the_parameters_of_a_code_are_read_from_its_words() -> None:
    assert params("duplicate") == {"indicator", "place", "year", "value", "earlier", "where"}
    assert params("not-a-number") >= {"value", "point", "grouped"}


def test_a_problem_is_said_when_asked_and_travels_to_a_worker_whole() -> None:
    made = Problem.of(
        "duplicate",
        source="a.csv",
        row=3,
        column="数值",
        indicator="food_safety_pass_rate",
        place=Word("city"),
        year=2020,
        value="95",
        earlier=Word("met"),
        where=Where("b.csv", row=2),
    )
    assert pickle.loads(pickle.dumps(made)) == made  # noqa: S301 - bytes it just made
    assert made.to_dict() == {
        "source": "a.csv",
        "code": "duplicate",
        "message": "food_safety_pass_rate, city-wide, 2020 is 95 here but met in b.csv, row 2",
        "severity": "error",
        "row": 3,
        "column": "数值",
        "hint": "keep one row per indicator, region and year",
        "message_zh": "food_safety_pass_rate，全市，2020年：此处为95，而b.csv，第2行为达到",
        "hint_zh": "同一指标、地区、年份只保留一行",
    }
    assert list(made.to_dict()) == [
        "source",
        "code",
        "message",
        "severity",
        "row",
        "column",
        "hint",
        "message_zh",
        "hint_zh",
    ]


def test_the_list_of_codes_in_the_docs_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/problems.md is stale: run python -m qcheck.problem_codes > docs/problems.md"
    )
    assert "docs/problems.md" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_documented_command_writes_the_docs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qcheck.problem_codes"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout == DOC.read_text(encoding="utf-8")
    assert "| `unused-row` | warning |" in done.stdout


def test_a_refusal_pydantic_words_itself_is_published_under_a_declared_code() -> None:
    # An undeclared code (Pydantic's own, such as 'string_type') was once published as is.
    from pydantic import ValidationError

    from qcheck.rows import _field_errors

    error = ValidationError.from_exception_data(
        "MeasurementRow", [{"type": "string_type", "loc": ("note",), "input": 1}]
    )
    (field,) = _field_errors(error)
    assert (field.field, field.code) == ("note", "invalid-value")
    assert field.code in CODES


def test_an_empty_indicator_is_told_how_to_fill_in_an_indicator(tmp_path: Path) -> None:
    # It was given the value's fix: "fill in the figure".
    path = tmp_path / "r.csv"
    path.write_text("indicator,value\n,95\n", encoding="utf-8")
    from qcheck.loaders.files import check_files
    from qcheck.loaders.targets import load_catalogue

    _, validation = check_files([path], catalogue=load_catalogue())
    (problem,) = validation.problems
    assert (problem.code, problem.column) == ("empty-value", "indicator")
    assert "id or name" in (problem.hint_text("en") or "")
    assert "fill in the figure" not in (problem.hint_text("en") or "")


def test_a_cell_too_long_to_read_is_quoted_cut_short(tmp_path: Path) -> None:
    # A 32,767-character indicator was quoted whole: a message, and JSON, of as many.
    from qcheck.loaders.files import check_files
    from qcheck.loaders.targets import load_catalogue

    path = tmp_path / "r.csv"
    path.write_text("indicator,value\n" + "y" * 30_000 + ",95\n", encoding="utf-8")
    _, validation = check_files([path], catalogue=load_catalogue())
    (problem,) = validation.problems
    assert problem.code == "unknown-indicator"
    for lang in LANGS:
        assert len(problem.text(lang)) < 300, lang
        assert "y" * 100 + "…" in problem.text(lang)
    assert dict(problem.params)["value"] == "y" * 30_000  # kept whole; only its words are cut
