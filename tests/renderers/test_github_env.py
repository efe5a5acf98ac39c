"""The github format knows where it runs: capped annotations in Actions, plain lines elsewhere."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report
from qcheck.renderers import renderer_for
from qcheck.renderers.github import ANNOTATIONS_PER_LEVEL, GithubRenderer
from qcheck.verdicts import STATUS_FACTS, Status
from qcheck.words import Lang, Listed, Word, label
from tests.helpers import REPO_ROOT, SAMPLES, run_cli
from tests.renderers.reports import every_case
from tests.renderers.test_formats import parse_command

FAILURES = "samples/report-2020-with-failures.csv"
# file:line: level: what: message, as compilers write it (editors link the file and line).
PLAIN_LINE = re.compile(r"^(?P<file>[^:]+?)(?::(?P<line>\d+))?: (?P<level>error|warning|note): ")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("QCHECK_LANG", raising=False)


def commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    """Parse the workflow commands of ``text``; lines of the log that are none are left out."""
    return [parse_command(line) for line in text.splitlines() if line.startswith("::")]


def levels(text: str) -> Counter[str]:
    """Count the workflow commands of ``text`` by level; lines that are none are not counted."""
    return Counter(line[2:].split(" ", 1)[0] for line in text.splitlines() if line.startswith("::"))


# ---- 1. where it runs -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_outside_actions_it_writes_plain_lines_people_read(lang: Lang) -> None:
    result = run_cli(["evaluate", FAILURES, "--format", "github", "--lang", lang])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("::")]
    assert "%25" not in result.stdout
    assert "%3A" not in result.stdout
    *findings, counts = lines
    assert all(PLAIN_LINE.match(line) for line in findings), findings
    food = next(line for line in findings if ":10: " in line)
    name = "Food safety sampling pass rate" if lang == "en" else "食品安全抽检合格率"
    status = label(lang, "fail")
    assert food.startswith(f"{FAILURES}:10: error: {name} {status}: ")
    assert "93.5%" in food
    assert [PLAIN_LINE.match(line)["level"] for line in findings].count("error") == 6  # type: ignore[index]
    # The counts line names the report it counts.
    assert counts.startswith(f"{FAILURES}: ")
    assert label(lang, "fail") in counts


def test_github_actions_false_is_outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    text = run_cli(["evaluate", FAILURES, "--format", "github"]).stdout
    assert not text.startswith("::")


@pytest.mark.usefixtures("github_actions")
def test_under_actions_it_writes_workflow_commands() -> None:
    text = run_cli(["evaluate", FAILURES, "--format", "github", "--lang", "en"]).stdout
    assert levels(text) == {"error": 6, "warning": 2, "notice": 4}
    assert len(text.splitlines()) == 12


def test_plain_lines_without_a_row_name_the_file_alone(catalogue: Catalogue) -> None:
    text = GithubRenderer(lang="en", annotations=False).render([every_case(catalogue)], limit=10)
    lines = text.splitlines()
    missing = [line for line in lines if " missing: " in line]
    assert missing
    assert all(line.startswith("a.csv: warning: ") for line in missing)
    assert lines[0].startswith("a.csv:3: warning: looks-like-fraction: ")
    notes = [line for line in lines if ": note: " in line]
    assert len(notes) == 9  # three of each: at risk, on track at risk, waived


def test_plain_lines_are_not_capped_beyond_max_errors() -> None:
    text = run_cli(["evaluate", "samples/", "--each", "--format", "github"]).stdout
    plain = Counter(
        match["level"] for line in text.splitlines() if (match := PLAIN_LINE.match(line))
    )
    assert plain["error"] > ANNOTATIONS_PER_LEVEL
    assert plain["warning"] > ANNOTATIONS_PER_LEVEL
    assert "::" not in text


def test_renderers_never_read_the_environment() -> None:
    # Where the format runs is told by the CLI (qcheck.cli.request.in_github_actions).
    for path in (REPO_ROOT / "src/qcheck/renderers").rglob("*.py"):
        names = {
            node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        }
        assert not names & {"environ", "getenv"}, path


# ---- 2. capped annotations --------------------------------------------------------------------


def more_notice(lang: Lang, **left: int) -> str:
    counted = [Word(f"github.{level}s", count=count) for level, count in left.items() if count]
    return label(lang, "github.more", count=sum(left.values()), levels=Listed(counted))


@pytest.mark.usefixtures("github_actions")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_samples_folder_gets_at_most_ten_of_each_level_and_one_notice_more(
    lang: Lang,
) -> None:
    result = run_cli(["evaluate", "samples/", "--each", "--format", "github", "--lang", lang])
    assert result.exit_code == 2  # samples/ holds a targets file and a waivers file
    counted = levels(result.stdout)
    assert counted == {"error": 10, "warning": 10, "notice": 10}
    notices = [message for level, _, message in commands(result.stdout) if level == "notice"]
    # As many more as a run outside Actions lists, less those annotated.
    args = ["evaluate", "samples/", "--each", "--format", "github", "--lang", lang]
    plain = run_cli(args, GITHUB_ACTIONS="").stdout
    outside = Counter(m["level"] for line in plain.splitlines() if (m := PLAIN_LINE.match(line)))
    reports = len([line for line in plain.splitlines() if not PLAIN_LINE.match(line)])
    assert reports == 11
    # The notices are the counts of 9 reports and this one; the other 2 counts are log lines.
    more = more_notice(
        lang,
        error=outside["error"] - 10,
        warning=outside["warning"] - 10,
        notice=outside["note"] + 2,
    )
    assert notices[9] == more
    assert [line for line in result.stdout.splitlines() if not line.startswith("::")] == [
        line for line in plain.splitlines() if not PLAIN_LINE.match(line)
    ][-2:]


@pytest.mark.usefixtures("github_actions")
def test_unusable_input_comes_before_targets_not_met(in_tmp: Path) -> None:
    # Each report has six targets not met; the damaged file, last of the run, has 5 errors.
    for name in ("a.csv", "b.csv"):
        (in_tmp / name).write_bytes((SAMPLES / "report-2020-with-failures.csv").read_bytes())
    bad = "indicator,year,value\n" + "".join(f"nothing_{n},2020,1\n" for n in range(5))
    (in_tmp / "z-bad.csv").write_text(bad, encoding="utf-8")
    result = run_cli(["evaluate", "a.csv", "b.csv", "z-bad.csv", "--each", "--format", "github"])
    errors = [
        (props, message) for level, props, message in commands(result.stdout) if level == "error"
    ]
    assert len(errors) == 10
    assert [props["file"] for props, _ in errors[:5]] == ["z-bad.csv"] * 5
    assert all(props["title"] == "qcheck: unknown-indicator" for props, _ in errors[:5])
    # Then the targets not met, in the catalogue's order, each report's in turn.
    kept = [(props["file"], props["title"]) for props, _ in errors[5:]]
    assert kept == [
        ("a.csv", "qcheck: Key consumer goods supervisory sampling pass rate not met"),
        ("b.csv", "qcheck: Key consumer goods supervisory sampling pass rate not met"),
        ("a.csv", "qcheck: Food safety sampling pass rate not met"),
        ("b.csv", "qcheck: Food safety sampling pass rate not met"),
        ("a.csv", "qcheck: Large and medium projects first-time acceptance rate not met"),
    ]
    notices = [message for level, _, message in commands(result.stdout) if level == "notice"]
    assert more_notice("en", error=7, notice=0) in notices


def test_the_worst_status_first_then_the_catalogues_order(catalogue: Catalogue) -> None:
    # every_case lists its results in reverse: the order kept is the catalogue's, not theirs.
    report = every_case(catalogue)
    text = GithubRenderer(lang="en").render([report, report], limit=10)
    order = {target.name_en: n for n, target in enumerate(catalogue.targets)}
    named = {f"qcheck: {r.target.name_en} {label('en', r.status.value)}": r for r in report.results}
    found = [(level, props["title"]) for level, props, _ in commands(text)]
    errors = [named[title] for level, title in found if level == "error"]
    assert len(errors) == 10  # of 12: 3 not met and 3 off track, twice
    positions = [order[r.target.name_en] for r in errors]
    assert positions == sorted(positions)
    unkept = {
        order[r.target.name_en]
        for r in report.results
        if STATUS_FACTS[r.status].severity == "error"
    }
    assert max(positions) <= max(unkept)
    # Notices: the two counts, the one saying how many more, then waived (ranked worse than
    # at risk) before at risk.
    notices = [title for level, title in found if level == "notice"]
    assert len(notices) == ANNOTATIONS_PER_LEVEL
    assert notices[:3] == ["qcheck"] * 3
    statuses = [named[title].status for title in notices[3:]]
    assert statuses[:6] == [Status.WAIVED] * 6
    assert statuses[6] in (Status.PASS_AT_RISK, Status.ON_TRACK_AT_RISK)


def test_the_input_warnings_come_before_targets_missing(catalogue: Catalogue) -> None:
    text = GithubRenderer(lang="en").render([every_case(catalogue)], limit=10)
    warnings = [props["title"] for level, props, _ in commands(text) if level == "warning"]
    assert warnings[0] == "qcheck: looks-like-fraction"
    assert all(title.endswith(" missing") for title in warnings[1:])


def test_nothing_left_out_means_no_notice_more(catalogue: Catalogue) -> None:
    text = GithubRenderer(lang="en").render([every_case(catalogue)], limit=10)
    assert levels(text) == {"error": 6, "warning": 4, "notice": 10}
    assert "more" not in text


@pytest.mark.usefixtures("github_actions")
def test_validate_is_capped_too() -> None:
    result = run_cli(["validate", "samples/report-2025-example.csv", "--format", "github"])
    assert result.exit_code == 2
    counted = levels(result.stdout)
    assert counted["error"] == 10
    assert counted["notice"] == 1
    plain = run_cli(
        ["validate", "samples/report-2025-example.csv", "--format", "github"],
        GITHUB_ACTIONS="",
    ).stdout
    assert len(plain.splitlines()) > 10
    assert all(PLAIN_LINE.match(line) for line in plain.splitlines())


def test_the_renderer_is_told_where_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from qcheck.cli.request import Output

    def made() -> GithubRenderer:
        renderer = Output(lang="en", output_format="github", outputs=()).renderer()
        assert isinstance(renderer, GithubRenderer)
        return renderer

    assert not made().annotations
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert made().annotations
    # A format that does not annotate is not told.
    assert renderer_for("json", lang="en", annotations=False) is not None


def test_a_report_alone_keeps_its_counts_as_the_last_line(catalogue: Catalogue) -> None:
    report: Report = every_case(catalogue)
    text = GithubRenderer(lang="zh", annotations=False).render([report], limit=10)
    assert text.splitlines()[-1].startswith("a.csv: ")


def test_the_more_notice_counts_what_max_errors_left_out_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "... and 18 more", itself past the cap, once counted as one finding in the notice of
    # what was not annotated.
    monkeypatch.chdir(tmp_path)
    lines = "indicator,year,region,value,unit\n" + "".join(
        f"food_safety_pass_rate,{year},,95,%\nfood_safety_pass_rate,{year},,95,%\n"
        for year in range(2000, 2030)
    )
    Path("r.csv").write_text(lines, encoding="utf-8")
    args = ["evaluate", "r.csv", "--format", "github", "--max-errors", "12"]
    plain = run_cli(args).stdout
    annotated = run_cli(args, GITHUB_ACTIONS="true").stdout
    listed = len(re.findall(r"^r\.csv(:\d+)?: warning: ", plain, re.M))  # each on its own
    told = int(re.search(r"\.\.\. and (\d+) more", plain)[1])  # type: ignore[index]
    assert told > 0
    (more,) = [line for line in annotated.splitlines() if "not shown" in line]
    hidden = int(re.search(r"and (\d+) more not shown", more)[1])  # type: ignore[index]
    assert hidden == listed + told - ANNOTATIONS_PER_LEVEL


def test_validate_says_how_many_problems_it_did_not_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"food_safety_pass_rate,2020,,九十{n}\n" for n in range(8))
    Path("r.csv").write_text("indicator,year,region,value\n" + rows, encoding="utf-8")
    plain = run_cli(["validate", "r.csv", "--format", "github", "--max-errors", "3"])
    assert plain.exit_code == 2
    assert "error: r.csv: ... and 5 more" in plain.stdout
    annotated = run_cli(
        ["validate", "r.csv", "--format", "github", "--max-errors", "3"], GITHUB_ACTIONS="true"
    )
    assert "::error title=qcheck::r.csv: ... and 5 more" in annotated.stdout


def test_a_plain_line_stays_one_line_whatever_the_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a\nb.csv"
    Path(name).write_text("indicator,value\nPM10,9x\n", encoding="utf-8")
    result = run_cli(["validate", name, "--format", "github", "--lang", "en"])
    assert result.exit_code == 2
    (finding,) = [line for line in result.stdout.splitlines() if "not-a-number" in line]
    assert finding.startswith("a\\nb.csv:2: error: not-a-number: ")
