"""One translation layer: a table per language, the same keys and fields in each, no other."""

from __future__ import annotations

import ast
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from qcheck.words import LANGS, PRIMARY, SOURCE, table
from tests.helpers import REPO_ROOT, SAMPLES

SRC = REPO_ROOT / "src" / "qcheck"
LAYER = (SRC / "words.py", *sorted((SRC / "lang").glob("*.py")))


def fields(template: str) -> set[str]:
    """Return the names of a template's fields: {year}, {count:,}, {due.year} (as due)."""
    names = (name for _, name, _, _ in string.Formatter().parse(template) if name)
    return {name.split(".")[0].split("[")[0] for name in names}


def test_there_are_tables_for_chinese_first_and_english() -> None:
    assert LANGS[:2] == ("zh", "en")
    assert PRIMARY == "zh"
    assert SOURCE in LANGS


def _fields_asked(lang: str, key: str) -> set[str]:
    """Return the fields of a template, with those its table leaves unsaid on purpose."""
    unsaid = {field for unsaid_key, field in table(lang).UNSAID if unsaid_key == key}
    return fields(table(lang).WORDS[key]) | unsaid


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_is_in_every_language_with_the_same_fields(lang: str) -> None:
    words, reference = table(lang).WORDS, table(SOURCE).WORDS
    assert set(words) == set(reference)
    for key in words:
        assert _fields_asked(lang, key) == _fields_asked(SOURCE, key), key


@pytest.mark.parametrize("lang", LANGS)
def test_what_a_table_leaves_unsaid_is_still_unsaid_and_said_elsewhere(lang: str) -> None:
    for key, field in table(lang).UNSAID:
        assert field not in fields(table(lang).WORDS[key]), key
        assert any(field in fields(table(other).WORDS[key]) for other in LANGS), key


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_translates_what_the_others_do(lang: str) -> None:
    """Others' English messages: a language puts the same ones into its words, or none."""
    module, primary = table(lang), table(PRIMARY)
    for name in ("CLICK", "PYDANTIC", "CATALOGUE", "OS_REASONS"):
        translated = getattr(module, name)
        assert set(translated) in (set(), set(getattr(primary, name))), (lang, name)
        if lang == PRIMARY:
            assert translated, name


# ---- a third language is a table and nothing else -------------------------------------------

FAKE_TABLE = '''
"""A made-up language for the test: English words, marked."""
from qcheck.lang.en import CATALOGUE, CLICK, OS_REASONS, PYDANTIC, WORDS as _EN

WORDS = {key: "⟪" + text + "⟫" if key in ("summary", "title", "status") else text
         for key, text in _EN.items()}
'''

# Puts a folder of tables on the path of qcheck.lang before anything reads it, then runs qcheck.
RUN_WITH_TABLES = """
import sys
import qcheck.lang
qcheck.lang.__path__.append(sys.argv[1])
from qcheck.cli import main
main(sys.argv[2:], prog_name="qcheck")
"""


def _qcheck_with_a_table(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run qcheck in a new Python whose qcheck.lang also has the tables in ``folder``."""
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src"), "NO_COLOR": "1", **env}
    environment.pop("QCHECK_LANG", None)
    return subprocess.run(
        [sys.executable, "-c", RUN_WITH_TABLES, str(folder), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def test_a_language_added_as_a_table_is_spoken_with_no_code_changed(tmp_path: Path) -> None:
    (tmp_path / "xx.py").write_text(FAKE_TABLE, encoding="utf-8")
    report = str(SAMPLES / "report-2020-with-failures.csv")
    made_up = _qcheck_with_a_table(tmp_path, "evaluate", report, "--lang", "xx")
    english = _qcheck_with_a_table(tmp_path, "evaluate", report, "--lang", "en")
    assert "Traceback" not in made_up.stderr, made_up.stderr
    assert made_up.returncode == english.returncode == 1
    assert "⟪" in made_up.stdout
    assert "⟪" not in english.stdout
    assert "⟪Zhangye City: quality targets, 2020⟫" in made_up.stdout
    assert re.search(r"⟪\d+ targets: \d+ met, \d+ not met, \d+ missing⟫", made_up.stdout)
    assert "⟪met⟫" not in made_up.stdout  # words it has as English are English
    assert "not met" in made_up.stdout
    # --lang lists it, after the languages ranked before it.
    usage = _qcheck_with_a_table(tmp_path, "evaluate", report, "--lang", "yy")
    assert usage.returncode == 2
    assert re.search(r"one of 'zh', 'en'(, '\w+')*, 'xx'\.", usage.stderr), usage.stderr


def test_a_language_of_the_locale_is_chosen_if_there_is_a_table_for_it(tmp_path: Path) -> None:
    (tmp_path / "xx.py").write_text(FAKE_TABLE, encoding="utf-8")
    report = str(SAMPLES / "report-2020-with-failures.csv")
    done = _qcheck_with_a_table(tmp_path, "evaluate", report, LC_ALL="xx_XX.UTF-8")
    assert "⟪" in done.stdout, done.stderr


# ---- no language is asked about outside the layer --------------------------------------------


def _language_literals(path: Path) -> list[int]:
    """Return the lines where a module compares with, or picks by, "zh" or "en" written out."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
        elif isinstance(node, ast.IfExp):
            parts = [node.test]
        elif isinstance(node, ast.Subscript):  # LANGS.index, a (zh, en) pair indexed
            parts = [node.slice]
        else:
            continue
        for part in parts:
            for inner in ast.walk(part):
                if isinstance(inner, ast.Constant) and inner.value in ("zh", "en"):
                    found.append(node.lineno)
    return found


def test_no_code_outside_the_layer_compares_a_language_with_zh_or_en() -> None:
    modules = [path for path in SRC.rglob("*.py") if path not in LAYER]
    assert len(modules) > 50
    found = [f"{path}:{line}" for path in modules for line in _language_literals(path)]
    assert found == []


def test_the_check_finds_a_comparison(tmp_path: Path) -> None:
    sample = tmp_path / "branch.py"
    sample.write_text(
        'def f(lang):\n    return "甲" if lang == "zh" else "A"\n\n\n'
        'def g(pair, lang):\n    return pair[LANGS.index("en")]\n',
        encoding="utf-8",
    )
    assert sorted(_language_literals(sample)) == [2, 2, 6]


def test_a_table_added_first_by_name_changes_nothing_of_the_other_languages(
    tmp_path: Path,
) -> None:
    # The first language was LANGS[0], so a table sorting first ("aa") changed the unit words
    # of zh and en output: 1（比例（ratio））, and '(比例)' gone from the English hint.
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "aa.py").write_text(FAKE_TABLE, encoding="utf-8")
    report = tmp_path / "r.csv"
    report.write_text("指标,单位,数值\n食品安全抽检合格率,比例,0.952\n", encoding="utf-8")
    for lang in ("zh", "en"):
        args = ("validate", str(report), "--format", "json", "--lang", lang)
        alone = _qcheck_with_a_table(tmp_path / "none", *args)
        beside = _qcheck_with_a_table(tables, *args)
        assert "unit-converted" in alone.stdout
        assert beside.stdout == alone.stdout, lang


OWN_HEADERS_TABLE = '''
"""A made-up language whose template writes headers of its own."""
from qcheck.lang.en import CATALOGUE, CLICK, OS_REASONS, PYDANTIC, WORDS as _EN

OWN = {"indicator": "ИНДИКАТОР", "year": "ГОД", "region": "РАЙОН", "value": "ЗНАЧЕНИЕ",
       "unit": "ЕДИНИЦА", "note": "ПРИМЕЧАНИЕ"}
WORDS = {**_EN, **{f"template.{field}": header for field, header in OWN.items()}}
'''


def test_a_template_in_a_new_language_is_read_back(tmp_path: Path) -> None:
    # The template wrote the table's headers, which the readers did not know: missing-column.
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "xx.py").write_text(OWN_HEADERS_TABLE, encoding="utf-8")
    template = tmp_path / "t.csv"
    made = _qcheck_with_a_table(
        tables, "template", "--lang", "xx", "--area", "product", "-o", str(template)
    )
    assert made.returncode == 0, made.stderr
    lines = template.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("\ufeffИНДИКАТОР")  # a BOM for Excel, which qcheck reads back
    header = lines[0].split(",")
    value = header.index("ЗНАЧЕНИЕ")
    filled = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[value] = "达到" if "level" in line or "水平" in line else "99"
        filled.append(",".join(cells))
    template.write_text("\n".join(filled) + "\n", encoding="utf-8")
    checked = _qcheck_with_a_table(tables, "validate", str(template), "--format", "json")
    problems = json.loads(checked.stdout)["validation"]["problems"]
    assert not [p for p in problems if p["code"] in ("missing-column", "unknown-column")]


def test_a_click_translation_that_copied_a_quoted_field_quotes_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # {name!r} in a translation quoted Click's already quoted value again: "'--bogus'".
    import types

    from qcheck import words

    fake = types.SimpleNamespace(CLICK={"No such option {name!r}.": "NO SUCH OPTION {name!r}."})
    monkeypatch.setattr(words, "table", lambda lang: fake)
    words._patterns.cache_clear()
    try:
        assert words.click_message("xx", "No such option '--bogus'.") == "NO SUCH OPTION '--bogus'."
    finally:
        words._patterns.cache_clear()
