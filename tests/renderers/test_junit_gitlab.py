"""JUnit as GitLab reads it: every case that did not pass shows GitLab its words.

GitLab's parser (lib/gitlab/ci/parsers/test/junit.rb in GitLab's source) turns the XML into a
hash the way ActiveSupport's ``Hash.from_xml`` does and reads, per ``testcase``: its status
from the first of ``failure``, ``error``, ``skipped`` it has (else success); ``name``,
``classname``, ``file`` and ``time`` (a number; none reads as 0); and what it shows of the
case: the failure's or error's text followed by ``system-out``, a skipped element's text, and
nothing of a passed case. A skipped element with attributes and no text reaches the page as
a hash of its attributes, not as words. Cases are kept per suite name, class name and name:
two with the same three are one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from qcheck.loaders.targets import load_catalogue
from qcheck.renderers.junit import JunitRenderer
from tests.helpers import SIX_REGIONS, run_cli
from tests.renderers.reports import every_case
from tests.renderers.test_formats import BAD_REPORT, FAILED, FAILURES, MISSING

pytestmark = pytest.mark.usefixtures("cli_environment")


@dataclass(frozen=True)
class GitlabCase:
    """A test case as GitLab keeps it."""

    suite: str | None
    classname: str | None
    name: str | None
    file: str | None
    status: str
    shown: object  # what the page shows of it: text, a hash of attributes, or None
    time: float


def _content(element: ET.Element) -> object:
    """Return an element as ActiveSupport's XML converter gives it: text, attributes or None."""
    text = element.text or ""
    if text.strip():
        return text
    return dict(element.attrib) or None


def gitlab_reads(xml: str) -> list[GitlabCase]:
    """Return the test cases GitLab's JUnit parser reads from ``xml``, as it keeps them."""
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    cases: list[GitlabCase] = []

    def suites(node: ET.Element) -> None:
        for case in node.findall("testcase"):
            cases.append(_case(case, node.get("name")))
        for suite in node.findall("testsuite"):
            suites(suite)

    suites(root)
    kept = {(case.status, case.suite, case.classname, case.name): case for case in cases}
    return list(kept.values())


def _case(case: ET.Element, suite: str | None) -> GitlabCase:
    out = case.find("system-out")
    system_out = f"System Out:\n\n{out.text}" if out is not None else None
    shown: object = None
    status = "success"
    for tag, named in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        found = case.find(tag)
        if found is not None:
            status = named
            shown = _content(found)
            if tag != "skipped":
                parts = [part for part in (shown, system_out) if part is not None]
                shown = "\n\n".join(str(part) for part in parts)
            break
    return GitlabCase(
        suite=suite,
        classname=case.get("classname"),
        name=case.get("name"),
        file=case.get("file"),
        status=status,
        shown=shown,
        time=float(case.get("time") or 0),
    )


def _read_all(xml: str) -> list[GitlabCase]:
    cases = gitlab_reads(xml)
    assert len(cases) == xml.count("<testcase "), "GitLab would keep two cases as one"
    for case in cases:
        if case.status != "success":
            assert isinstance(case.shown, str), case
            assert case.shown.strip(), case
    return cases


def test_gitlab_reads_every_verdict_with_its_working() -> None:
    result = run_cli(["evaluate", FAILURES, "--format", "junit", "--lang", "en"])
    assert result.exit_code == 1
    cases = _read_all(result.stdout)
    by_status: dict[str, set[str]] = {}
    for case in cases:
        by_status.setdefault(case.status, set()).add((case.name or "").split(":")[0])
    assert by_status["failed"] == FAILED
    assert by_status["skipped"] == MISSING
    assert "error" not in by_status
    (consumer,) = [c for c in cases if (c.name or "").startswith("consumer_goods_pass_rate")]
    assert isinstance(consumer.shown, str)
    assert "89.4%" in consumer.shown
    assert {case.file for case in cases} == {FAILURES}
    (missing,) = [c for c in cases if (c.name or "").startswith("good_air_days_ratio")]
    assert isinstance(missing.shown, str)
    assert "missing" in missing.shown


def test_gitlab_shows_the_warnings_about_the_input() -> None:
    report = every_case(load_catalogue())
    xml = JunitRenderer(lang="en").render([report], limit=20)
    (warnings,) = [case for case in _read_all(xml) if case.classname == "qcheck.input"]
    assert warnings.status == "skipped"
    assert isinstance(warnings.shown, str)
    assert "a.csv, row 3" in warnings.shown


def test_an_unusable_file_of_a_batch_is_an_error_gitlab_shows(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(BAD_REPORT, encoding="utf-8")
    (tmp_path / "good.csv").write_text(Path(FAILURES).read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli(["evaluate", str(tmp_path), "--each", "--format", "junit", "--lang", "en"])
    assert result.exit_code == 2
    cases = _read_all(result.stdout)
    (error,) = [case for case in cases if case.status == "error"]
    assert isinstance(error.shown, str)
    assert "not-a-number" in error.shown
    assert len([case for case in cases if case.status == "failed"]) == len(FAILED)


@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_gitlab_shows_the_problems_validate_found(tmp_path: Path, strict: list[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_REPORT, encoding="utf-8")
    result = run_cli(["validate", str(path), "--format", "junit", "--lang", "en", *strict])
    assert result.exit_code == 2
    (case,) = _read_all(result.stdout)
    assert case.status == "failed"
    assert isinstance(case.shown, str)
    assert "unknown-indicator" in case.shown


def test_the_years_of_a_trend_are_cases_gitlab_keeps_apart() -> None:
    args = ["evaluate", FAILURES, "--years", "2019-2020", "--format", "junit"]
    cases = _read_all(run_cli(args).stdout)
    assert len({case.suite for case in cases}) == 2


def test_a_case_names_the_file_of_the_row_that_decided_it() -> None:
    counties = [f"samples/counties/{region}.csv" for region in sorted(SIX_REGIONS)]
    args = ["evaluate", *counties, "samples/city-2020.csv", "--format", "junit"]
    cases = {(case.name or "").split(":")[0]: case for case in _read_all(run_cli(args).stdout)}
    # Judged on the city's figure: GitLab's file column names the city's file, not the first
    # county's, which the input list starts with.
    assert cases["consumer_goods_pass_rate"].file == "samples/city-2020.csv"
    assert cases["good_air_days_ratio"].file in counties  # judged on the counties' figures
