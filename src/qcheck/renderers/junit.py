"""JUnit XML output: one test case per target, for CI systems that show test reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from qcheck.evaluation import Report, Result, Status
from qcheck.i18n import Texts
from qcheck.problems import shown_problems
from qcheck.renderers.base import (
    InputWarnings,
    Renderer,
    decisive_origin,
    first_source,
    input_warnings,
    report_anchor,
    sources_named,
)
from qcheck.validation import Validation
from qcheck.verdicts import facts
from qcheck.words import label


class JunitRenderer(Renderer):
    """Renders a test suite per report: a target not met fails, one lacking data is skipped."""

    def render(
        self, reports: Sequence[Report], failures: Sequence[Validation] = (), *, limit: int
    ) -> str:
        """Return a ``<testsuites>`` document; an input that failed is a suite with an error."""
        root = ET.Element("testsuites", name="qcheck")
        for report in reports:
            root.append(self._suite(report, input_warnings(report, limit)))
        for failure in failures:
            name = ", ".join(sources_named(failure, self.lang))
            suite = ET.SubElement(root, "testsuite", name=name)
            case = ET.SubElement(suite, "testcase", classname="qcheck.input", name=name)
            error = ET.SubElement(
                case, "error", type="invalid-input", message=label(self.lang, "input_error")
            )
            error.text = "\n".join(problem.describe(self.lang) for problem in failure.problems)
            _count(suite, [suite])
        _count(root, root.findall("testsuite"))
        return _serialize(root)

    def render_validation(self, validation: Validation, *, strict: bool, limit: int) -> str:
        """Return one test case per input file, failing with the problems found in it."""
        root = ET.Element("testsuites", name="qcheck validate")
        suite = ET.SubElement(root, "testsuite", name="qcheck validate")
        shown, more = shown_problems(validation.problems, limit, omitted=validation.omitted)
        unlisted = validation.unlisted_errors(shown, strict=strict)
        for source, named in zip(
            validation.sources, sources_named(validation, self.lang), strict=True
        ):
            case = ET.SubElement(suite, "testcase", classname="qcheck.validate", name=named)
            mine = [p for p in shown if p.source == source]
            failing = [p for p in mine if p.fails(strict=strict)]
            if failing:
                message = label(self.lang, "problem_count", count=len(failing))
                failure = ET.SubElement(case, "failure", message=message, type="invalid-input")
                failure.text = "\n".join(problem.describe(self.lang) for problem in mine)
            elif unlisted:
                # Errors past --max-errors may be this file's: it is not shown as passing.
                message = label(self.lang, "junit.maybe_unlisted", count=unlisted)
                ET.SubElement(case, "skipped", message=message).text = message
            elif mine:
                ET.SubElement(case, "system-out").text = "\n".join(
                    p.describe(self.lang) for p in mine
                )
        if unlisted:
            # Counted as failing, so that the suite's counts hold every error found.
            name = label(self.lang, "more", count=more)
            case = ET.SubElement(suite, "testcase", classname="qcheck.validate", name=name)
            message = label(self.lang, "problem_count", count=unlisted)
            failure = ET.SubElement(case, "failure", message=message, type="invalid-input")
            failure.text = name
        elif more:
            ET.SubElement(suite, "system-out").text = label(self.lang, "more", count=more)
        _count(suite, [suite])
        _count(root, [suite])
        return _serialize(root)

    def _suite(self, report: Report, warnings: InputWarnings) -> ET.Element:
        texts = self.texts_for(report.catalogue)
        # GitLab keys a test by its suite's name: one a year's folder keeps as it gains files.
        inputs = ", ".join(sources_named(report, self.lang))
        if len(report.sources) > 1 or report.folder:
            inputs = report_anchor(report) or inputs
        name = f"{inputs or 'qcheck'} ({report.year})"
        suite = ET.Element("testsuite", name=name)
        if warnings.count:
            suite.append(self._warnings_case(report, warnings))
        for result in report.results:
            suite.append(self._case(result, texts, report))
        _count(suite, [suite])
        return suite

    def _warnings_case(self, report: Report, warnings: InputWarnings) -> ET.Element:
        """Return a skipped test case listing the warnings about the input.

        Skipped, not passed: GitLab, Jenkins and junitparser show a skipped case and its
        message in their counts and lists, but show nothing of a passed case's output. Not
        failed: a warning does not fail a run unless --strict, which refuses the input.
        GitLab shows the skipped element's text (an element with attributes alone reaches its
        page as a hash of them), and Jenkins the case's output: the list is in both.
        """
        case = ET.Element(
            "testcase", classname="qcheck.input", name=label(self.lang, "input_warnings")
        )
        if report.sources:
            case.set("file", report.sources[0])
        message = label(self.lang, "warning_count", count=warnings.count)
        if warnings.shown:
            first = warnings.shown[0].describe(self.lang)
            message = label(self.lang, "first_warning", count=warnings.count, first=first)
        lines = [problem.describe(self.lang) for problem in warnings.shown]
        if warnings.more:
            lines.append(label(self.lang, "more", count=warnings.more))
        listed = "\n".join(lines)
        # GitLab shows a skipped case's text, never its system-out: the list is both.
        ET.SubElement(case, "skipped", message=message).text = listed
        ET.SubElement(case, "system-out").text = listed
        return case

    def _case(self, result: Result, texts: Texts, report: Report) -> ET.Element:
        target = result.target
        case = ET.Element(
            "testcase",
            classname=f"qcheck.{target.area}",
            name=f"{target.id}: {texts.target_name(target)}",
        )
        origin = decisive_origin(result)
        file = origin.source if origin else first_source(report)
        if file is not None:  # the file of the row that decided it, where one did
            case.set("file", file)
        working = self._working(result, texts)
        status = facts(result.status)
        if status.severity == "error":
            # "not-met" was the one failure type before progress statuses; it stays the same.
            kind = "not-met" if result.status is Status.FAIL else result.status.value
            failure = ET.SubElement(case, "failure", type=kind, message=working.splitlines()[0])
            failure.text = working
        elif not status.settled:
            reason = texts.reasons(result) or texts.status(result.status)
            skipped = ET.SubElement(
                case, "skipped", message=f"{texts.status(result.status)}: {reason}"
            )
            skipped.text = working  # what GitLab shows of a skipped case
            ET.SubElement(case, "system-out").text = working
        else:
            ET.SubElement(case, "system-out").text = working
        return case

    def _working(self, result: Result, texts: Texts) -> str:
        target = result.target
        lines = [f"{texts.status(result.status)}: {texts.comparison(result)}"]
        for obs in result.observations:
            row = texts.label("row", row=obs.origin.row) if obs.origin.row is not None else ""
            region = texts.region_name(obs.region)
            lines.append(
                f"  {obs.year} {region}: {texts.observed(obs.value, target, obs.year)}"
                f" ({obs.origin.source}{row})"
            )
        lines.append(f"{texts.label('plan_words')}: {target.source.text}")
        return "\n".join(lines)


def _count(element: ET.Element, suites: Sequence[ET.Element]) -> None:
    """Set the tests, failures, errors and skipped counts that JUnit readers expect."""
    cases = [case for suite in suites for case in suite.iter("testcase")]
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(case.find("failure") is not None for case in cases)))
    element.set("errors", str(sum(case.find("error") is not None for case in cases)))
    element.set("skipped", str(sum(case.find("skipped") is not None for case in cases)))


def _serialize(root: ET.Element) -> str:
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
