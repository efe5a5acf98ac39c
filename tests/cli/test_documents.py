"""How documents (HTML, workbooks) are given a run: digests of the inputs, and earlier years."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qcheck.cli import main
from qcheck.cli.request import Output
from qcheck.evaluation import Report
from qcheck.formats import OUTPUT_FORMATS
from qcheck.renderers.base import Renderer
from qcheck.trends import Trend
from qcheck.validation import Validation
from qcheck.verdicts import Status
from tests.helpers import SAMPLES, run_cli, shown_text, written

WITH_FAILURES = SAMPLES / "report-2020-with-failures.csv"


class ProbeRenderer(Renderer):
    """Says, as JSON, what a document renderer was given."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        return json.dumps({"call": "render", "reports": [said(r) for r in reports]})

    def render_trend(self, trend: Trend, *, limit: int) -> str:
        return json.dumps({"call": "trend", "reports": [said(r) for r in trend.reports]})

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        return "validation"


def said(report: Report) -> dict[str, object]:
    """Return what the probe tells of a report."""
    return {
        "year": report.year,
        "digests": dict(report.digests),
        "summary": [
            report.summary.count(Status.PASS),
            report.summary.count(Status.FAIL),
            report.summary.count(Status.MISSING),
        ],
    }


@pytest.fixture
def markdown_as_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make -o x.md a document format whose renderer is the probe."""
    probe = f"{__name__}:ProbeRenderer"
    registry = tuple(
        replace(kind, renderer=probe, document=True) if kind.name == "markdown" else kind
        for kind in OUTPUT_FORMATS
    )
    monkeypatch.setattr(Output, "registry", registry)


def probed(tmp_path: Path, *args: str) -> dict[str, Any]:
    """Run evaluate with -o probe.md and return what the probe was given."""
    target = tmp_path / "probe.md"
    result = run_cli(["evaluate", *args, "--format", "json", "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    said: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return said


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.usefixtures("markdown_as_document")
def test_a_single_year_document_gets_the_plans_earlier_years_and_the_digests(
    tmp_path: Path,
) -> None:
    source = "samples/report-2020-with-failures.csv"
    said = probed(tmp_path, source)
    assert said["call"] == "trend"
    reports = said["reports"]
    assert isinstance(reports, list)
    assert [report["year"] for report in reports] == [2018, 2019, 2020]
    assert reports[-1]["digests"] == {source: sha256(WITH_FAILURES)}
    # The evaluated year's report is the one standard output judges.
    plain = run_cli(["evaluate", source, "--format", "json"])
    summary = json.loads(plain.stdout)["reports"][0]["summary"]
    assert reports[-1]["summary"] == [summary["pass"], summary["fail"], summary["missing"]]


@pytest.mark.usefixtures("markdown_as_document")
def test_the_first_year_of_the_plan_has_no_earlier_years(tmp_path: Path) -> None:
    said = probed(tmp_path, str(WITH_FAILURES), "--year", "2018")
    assert said["call"] == "trend"
    assert [report["year"] for report in said["reports"]] == [2018]


@pytest.mark.usefixtures("markdown_as_document")
def test_each_file_is_its_own_document_part_with_its_digest(tmp_path: Path) -> None:
    county = SAMPLES / "counties" / "gaotai.csv"
    said = probed(tmp_path, str(WITH_FAILURES), str(county), "--each")
    assert said["call"] == "render"
    digests = [report["digests"] for report in said["reports"]]
    assert digests == [{str(WITH_FAILURES): sha256(WITH_FAILURES)}, {str(county): sha256(county)}]


@pytest.mark.usefixtures("markdown_as_document")
def test_years_give_the_document_the_trend_asked(tmp_path: Path) -> None:
    said = probed(tmp_path, str(WITH_FAILURES), "--years", "2019-2020")
    assert said["call"] == "trend"
    assert [report["year"] for report in said["reports"]] == [2019, 2020]


@pytest.mark.usefixtures("markdown_as_document")
def test_standard_input_is_not_read_twice(tmp_path: Path) -> None:
    target = tmp_path / "probe.md"
    text = WITH_FAILURES.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "-", "-o", str(target)], input=text)
    assert result.exit_code == 1, result.output
    said = json.loads(target.read_text(encoding="utf-8"))
    assert [report["year"] for report in said["reports"]] == [2020]
    assert said["reports"][0]["digests"] == {}


def test_a_documents_earlier_years_warn_of_nothing_the_year_asked_does_not(
    tmp_path: Path,
) -> None:
    # The sample's waiver for Sunan's missing 2020 air figure is used in 2020; the earlier
    # years judged for the charts must not call it unused there.
    waivers = str(SAMPLES / "waivers-2020.yaml")
    page, book = tmp_path / "report.html", tmp_path / "result.xlsx"
    args = ["evaluate", str(WITH_FAILURES), "--waivers", waivers]
    result = run_cli([*args, "-o", str(page), "-o", str(book)])
    assert result.exit_code == 1, result.output
    asked = run_cli([*args, "--format", "json"])
    codes = [warning["code"] for warning in json.loads(asked.stdout)["reports"][0]["warnings"]]
    assert codes == ["waiver-expired"]
    for text in (page.read_text(encoding="utf-8"), shown_text(written(book))):
        assert "waiver-expired" in text
        assert "waiver-unused" not in text


@pytest.mark.usefixtures("markdown_as_document")
def test_a_trend_left_out_is_told(tmp_path: Path) -> None:
    # A row without a year counts for every year: in 2019 it contradicts the 2019 row.
    report = tmp_path / "r.csv"
    report.write_text(
        "indicator,year,value\nfood_safety_pass_rate,,96\nfood_safety_pass_rate,2019,93\n",
        encoding="utf-8",
    )
    result = run_cli(["evaluate", str(report), "-o", str(tmp_path / "probe.md"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    said = json.loads((tmp_path / "probe.md").read_text(encoding="utf-8"))
    assert [report["year"] for report in said["reports"]] == [2020]
    assert "trend charts are left out: the inputs cannot be judged for 2019" in result.stderr
    stdin = CliRunner().invoke(
        main,
        ["evaluate", "-", "-o", str(tmp_path / "probe.md"), "--lang", "en"],
        input=WITH_FAILURES.read_text(encoding="utf-8"),
    )
    assert "standard input cannot be read again for the years before 2020" in stdin.stderr
