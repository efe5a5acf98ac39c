"""Terminal tables at any width: nothing cut, nothing lost, and cell text shown as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Status
from qcheck.i18n import Texts
from qcheck.renderers import renderer_for
from qcheck.verdicts import facts
from qcheck.words import Lang
from tests.helpers import SAMPLES, run_cli, shown_text
from tests.renderers.reports import every_case

WIDTHS = [20, 30, 40, 50, 60, 70, 80, 100, 120, 200]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_status_word_stays_whole_at_any_width(
    catalogue: Catalogue, lang: Lang, width: int
) -> None:
    # Below the table's least width Rich once cropped the status column: '✔ 达…', '? miss…'.
    report = every_case(catalogue)
    text = shown_text(renderer_for("table", lang=lang, width=width).render([report], limit=10))
    assert max(cell_len(line) for line in text.splitlines()) <= width
    texts = Texts(lang, catalogue)
    for result in report.results:
        mark = re.escape(facts(result.status).symbol)
        assert re.search(
            rf"(?:{mark}|·) {re.escape(texts.status(result.status))}(?![\w…])", text
        ), result.status
    assert text.count(texts.status(Status.PASS)) >= 1


@pytest.mark.parametrize("width", [1, 20, 40, 60, 64, 65, 80])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_targets_at_any_width_says_what_it_left_out(width: int, lang: str) -> None:
    # At 64 columns or fewer the note's words were looked up by a key that did not exist.
    result = run_cli(["targets", "--lang", lang], COLUMNS=str(width))
    assert result.exit_code == 0, result.output
    assert "csv" in re.sub(r"\s+", "", result.stdout)


@pytest.mark.parametrize("width", ["40", "100", "200"])
def test_a_cell_holding_brackets_is_shown_as_written(in_tmp: Path, width: str) -> None:
    # Rich read [/b] in a cell as markup and crashed; [red] vanished from what was shown.
    Path("bad[draft].csv").write_text(
        "指标,年份,地区,数值\na[/b],2020,,95\n[red]食品[/red],2020,,95\n"
    )
    result = run_cli(["validate", "bad[draft].csv", "--lang", "en"], COLUMNS=width)
    assert result.exit_code == 2, result.output
    flat = re.sub(r"\s+", "", result.stdout)
    for written in ("bad[draft].csv", "a[/b]", "[red]食品[/red]"):
        assert written in flat, written


def test_the_batch_matrix_shows_file_names_with_brackets(in_tmp: Path) -> None:
    for name in ("r[draft].csv", "r[bold].csv"):
        Path(name).write_bytes((SAMPLES / "report-2020-all-met.csv").read_bytes())
    result = run_cli(["evaluate", "--each", "r[draft].csv", "r[bold].csv"], COLUMNS="120")
    assert result.exit_code == 0, result.output
    assert "r[draft].csv" in result.stdout
    assert "r[bold].csv" in result.stdout


def test_a_targets_name_with_brackets_is_listed_whole(in_tmp: Path) -> None:
    text = (SAMPLES / "targets-2025-example.yaml").read_text(encoding="utf-8")
    first = re.compile(r"name_en: ([^\n{}]+)$", re.M).search(text, text.index("\ntargets:"))
    assert first is not None
    Path("t.yaml").write_text(
        text.replace(first.group(0), f'name_en: "{first.group(1)} [annual mean]"', 1),
        encoding="utf-8",
    )
    result = run_cli(["targets", "--targets", "t.yaml", "--lang", "en"], COLUMNS="200")
    assert result.exit_code == 0, result.output
    assert "[annual mean]" in result.stdout


@pytest.mark.parametrize("width", ["30", "40", "60", "120"])
def test_the_batch_matrix_keeps_every_report_and_the_totals_at_any_width(width: str) -> None:
    # At 40 columns the report column and the totals' label once vanished from the matrix.
    inputs = [str(SAMPLES / "counties"), str(SAMPLES / "city-2020.csv")]
    result = run_cli(["evaluate", "--each", *inputs, "--lang", "en"], COLUMNS=width)
    matrix = result.stdout.split("Summary: reports × targets", 1)[1]
    flat = re.sub(r"\s+", "", matrix)
    for path in sorted((SAMPLES / "counties").glob("*.csv")):
        assert path.name in flat, path.name
    assert "city-2020.csv" in flat
    assert "Totals" in flat
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= int(width)
