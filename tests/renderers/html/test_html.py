"""The HTML page: self-contained, escaped, parsed back, every target's row and charts present."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcheck.catalogue import Catalogue
from qcheck.cli import main
from qcheck.evaluation import Report, evaluate
from qcheck.problems import Problem
from qcheck.renderers import renderer_for
from qcheck.renderers.html.page import css_string
from qcheck.trends import Trend
from qcheck.validation import Validation
from tests.conftest import Measure
from tests.helpers import SAMPLES, run_cli
from tests.renderers.html.parse import Element, page_text, parse
from tests.renderers.reports import every_case

FAILURES = str(SAMPLES / "report-2020-with-failures.csv")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SCRIPT = "<script>alert(1)</script>"


def render(reports: list[Report], lang: str = "zh", **options: object) -> str:
    renderer = renderer_for("html", lang=lang, **options)  # type: ignore[arg-type]
    page = renderer.render(reports, limit=20)
    assert isinstance(page, str)
    return page


def sample_page(lang: str, *args: str) -> str:
    result = run_cli(["evaluate", FAILURES, *args, "--format", "html", "--lang", lang])
    assert result.exit_code == 1, result.output
    return result.stdout


def charts_of(root: Element, kind: str) -> dict[str, Element]:
    return {
        figure.attrs["data-target"]: figure for figure in root.find_all("figure", data_chart=kind)
    }


def check_figure(figure: Element) -> None:
    """Check the contract of a chart: caption first, the SVG with a title, a value line last."""
    children = figure.elements()
    assert children[0].tag == "figcaption"
    assert children[0].text()
    assert children[-1].attrs.get("class") == "chart-foot"
    assert children[-1].text()
    [svg] = [child for child in children[1:-1] if child.tag == "svg"]
    assert svg.attrs["role"] == "img"
    titles = svg.find_all("title")
    assert titles
    assert titles[0].text()
    labelled = svg.attrs["aria-labelledby"].split()
    assert titles[0].attrs["id"] in labelled
    assert figure.attrs["class"] == "chart"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sample_page_is_self_contained_and_complete(lang: str) -> None:
    page = sample_page(lang)
    root = parse(page)
    [html] = root.find_all("html")
    assert html.attrs["lang"] == {"zh": "zh-CN", "en": "en"}[lang]
    metas = root.find_all("meta", http_equiv="Content-Security-Policy")
    assert [meta.attrs["content"] for meta in metas] == [CSP]
    assert "<script" not in page.lower()
    assert "http://" not in page
    assert "https://" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!#)""", page)  # only links inside the page
    # Each target's row, once.
    rows = [row.attrs["id"] for row in root.find_all("tr") if "id" in row.attrs]
    assert len(rows) == len(set(rows)) == 27
    assert all(row.startswith("target-") for row in rows)
    # Every chart keeps the contract; every id is unique.
    for figure in root.find_all("figure"):
        check_figure(figure)
    ids = [element.attrs["id"] for element in root.iter() if "id" in element.attrs]
    assert len(ids) == len(set(ids))


def test_warnings_about_the_input_are_collapsed(catalogue: Catalogue) -> None:
    root = parse(render([every_case(catalogue)], "en"))
    [details] = root.find_all("details", class_="problems")
    assert "open" not in details.attrs
    assert details.elements()[0].tag == "summary"
    assert "1 warning" in details.elements()[0].text()
    assert "looks-like-fraction" in details.text()
    assert "a.csv" in details.text()


def test_every_numeric_target_has_its_bullet_and_the_counties_their_bars(
    catalogue: Catalogue,
) -> None:
    root = parse(sample_page("zh"))
    numeric = {t.id for t in catalogue.targets if not t.rule.answers_yes_no}
    assert set(charts_of(root, "bullet")) == numeric
    assert set(charts_of(root, "regions")) == {"good_air_days_ratio"}
    assert set(charts_of(root, "change")) == {"pm10_concentration", "pm25_concentration"}
    # A single year comes with the plan's years before it: a line where two figures join.
    assert set(charts_of(root, "trend")) == {
        "consumer_goods_pass_rate",
        "manufacturing_pass_rate",
        "pm10_concentration",
        "pm25_concentration",
        "sme_quality_training",
    }


def test_standard_input_read_once_gives_no_trend() -> None:
    text = Path(FAILURES).read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "-", "--format", "html"], input=text)
    assert result.exit_code == 1, result.output
    assert not charts_of(parse(result.stdout), "trend")


def test_a_missing_county_is_drawn_as_missing_never_as_zero() -> None:
    root = parse(sample_page("zh"))
    figure = charts_of(root, "regions")["good_air_days_ratio"]
    missing = figure.find_all("rect", class_="missing")
    assert len(missing) == 1
    assert missing[0].attrs["fill"] == "none"
    svg_text = figure.find_all("svg")[0].text()
    assert "缺报" in svg_text
    table = figure.find_all("table")[0].text()
    assert "肃南裕固族自治县 | 缺报" in table
    assert "肃南裕固族自治县缺报" in figure.elements()[-1].text()
    # Five bars for the five counties that reported.
    assert len(figure.find_all("rect", class_="bar")) == 6


def test_a_bullet_hatches_the_warning_band_and_says_the_status_in_words() -> None:
    root = parse(sample_page("en"))
    figure = charts_of(root, "bullet")["agricultural_products_pass_rate"]
    [band] = figure.find_all("rect", class_="band")
    assert band.attrs["fill"].startswith("url(#")
    assert figure.find_all("pattern")
    foot = figure.elements()[-1].text()
    assert "98%" in foot
    assert "met, at risk" in foot
    assert "!" in foot  # the status's symbol, for greyscale readers


def test_a_decrease_is_drawn_against_its_baseline() -> None:
    root = parse(sample_page("en"))
    figure = charts_of(root, "change")["pm10_concentration"]
    table = figure.find_all("table")[0].text()
    assert "baseline 2017 | 78 µg/m³" in table
    assert "2020 | 71 µg/m³" in table
    assert "line 70.2 µg/m³" in figure.elements()[-1].text()


def test_years_give_a_trend_line_where_there_are_figures_to_join() -> None:
    result = run_cli(
        ["evaluate", FAILURES, "--years", "2018-2020", "--format", "html", "--lang", "en"]
    )
    root = parse(result.stdout)
    trends = charts_of(root, "trend")
    # The targets the sample gives earlier years' figures for, and the falls from 2017's.
    assert set(trends) == {
        "consumer_goods_pass_rate",
        "manufacturing_pass_rate",
        "sme_quality_training",
        "pm10_concentration",
        "pm25_concentration",
    }
    for figure in trends.values():
        check_figure(figure)
    pm10 = trends["pm10_concentration"]
    table = pm10.find_all("table")[0].text()
    assert "baseline 2017 | 78 µg/m³" in table
    assert "2018 | no figure" in table  # a year without a figure, never 0
    assert len(pm10.find_all("circle")) == 1
    # The page is titled with its years; its detailed rows are 2020's verdicts.
    text = page_text(result.stdout)
    assert text.startswith("Zhangye City: quality targets, 2018–2020\n")
    assert "\n2020 in detail\n" in text


def test_a_trend_of_one_year_with_figures_has_no_trend_chart(
    catalogue: Catalogue, measure: Measure
) -> None:
    # The plan's years up to 2020, the file holding 2020's figures only: no line to draw.
    rows = measure(("food_safety_pass_rate", "93.5", 2020, "", "%", ""))
    reports = tuple(
        evaluate(catalogue=catalogue, measurements=rows, year=year) for year in (2018, 2019, 2020)
    )
    page = renderer_for("html", lang="en").render_trend(Trend(reports), limit=20)
    root = parse(page)
    assert not charts_of(root, "trend")
    assert "93.5%" in charts_of(root, "bullet")["food_safety_pass_rate"].text()


def test_a_trend_of_one_report_has_no_trend_chart(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=2020)
    renderer = renderer_for("html", lang="en")
    trend_page = renderer.render_trend(Trend((report,)), limit=20)
    root = parse(trend_page)
    assert not charts_of(root, "trend")
    assert len(charts_of(root, "bullet")) == len(
        [t for t in catalogue.targets if not t.rule.answers_yes_no]
    )


def test_each_gives_an_overview_then_each_report_prefixed(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("nothing,here\n1,2\n", encoding="utf-8")
    result = run_cli(
        [
            "evaluate",
            FAILURES,
            str(SAMPLES / "report-2020-all-met.csv"),
            str(broken),
            "--each",
            "--format",
            "html",
            "--lang",
            "zh",
        ]
    )
    root = parse(result.stdout)
    [overview] = root.find_all("section", class_="overview")
    [matrix] = overview.find_all("table", class_="matrix")
    body_rows = matrix.find_all("tbody")[0].find_all("tr")
    assert len(body_rows) == 3
    assert "输入有误" in body_rows[2].text()
    # The page is titled as its reports are; the overview is headed as the matrix.
    assert [h.text() for h in root.find_all("h1")] == ["张掖市2020年质量目标核查"]
    assert overview.elements()[0].text() == "汇总：各报告 × 各指标"
    sections = root.find_all("section", class_="report")
    assert [section.attrs["id"] for section in sections] == ["r1", "r2"]
    for number in (1, 2):
        assert root.find_all("tr", id=f"r{number}-target-food_safety_pass_rate")
    assert not root.find_all("tr", id="target-food_safety_pass_rate")
    assert root.find_all("section", class_="failures")
    # The overview comes first, the failures last.
    order = [s.attrs.get("class") for s in root.find_all("section") if s.attrs.get("class")]
    top = [name for name in order if name in ("overview", "report", "failures")]
    assert top == ["overview", "report", "report", "failures"]
    ids = [element.attrs["id"] for element in root.iter() if "id" in element.attrs]
    assert len(ids) == len(set(ids))


def test_script_in_a_region_a_name_or_a_note_is_text(catalogue: Catalogue) -> None:
    data = catalogue.model_dump(exclude_unset=True)
    for region in data["regions"]:
        if region["id"] == "sunan":
            region["name_zh"] = region["name_en"] = SCRIPT
    data["targets"][0]["name_zh"] = data["targets"][0]["name_en"] = SCRIPT
    hostile = Catalogue.model_validate(data)
    report = every_case(hostile)
    for lang in ("zh", "en"):
        page = render([report], lang)
        assert "<script" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert SCRIPT in page_text(page)


def test_a_waivers_reason_holding_markup_is_text(tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - target: food_safety_pass_rate\n    year: 2020\n"
        f"    reason: {SCRIPT} & co\n"
        "    approved_by: <b>bureau</b>\n    expires: 2099-12-31\n",
        encoding="utf-8",
    )
    result = run_cli(
        ["evaluate", FAILURES, "--waivers", str(waivers), "--format", "html", "--lang", "en"]
    )
    assert "<script" not in result.stdout
    assert "<b>" not in result.stdout
    assert f"{SCRIPT} & co" in page_text(result.stdout)


def test_digests_are_shown_beside_their_sources(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=2020, sources=("a.csv", "b.csv"))
    digest = "ab" * 32
    with_digest = Report(
        catalogue=report.catalogue,
        sources=report.sources,
        year=report.year,
        results=report.results,
        digests={"a.csv": digest},
    )
    text = page_text(render([with_digest], "en"))
    assert f"a.csv SHA-256: {digest}" in text
    assert "b.csv\n" in text  # no digest known: nothing beside it
    assert text.count("SHA-256") == 1


def test_by_unit_groups_as_the_table_does_and_keeps_ids_unique() -> None:
    result = run_cli(["evaluate", FAILURES, "--by", "unit", "--format", "html", "--lang", "zh"])
    root = parse(result.stdout)
    ids = [element.attrs["id"] for element in root.iter() if "id" in element.attrs]
    assert len(ids) == len(set(ids))
    rows = [row for row in root.find_all("tr") if row.attrs.get("id", "").startswith("target-")]
    assert len(rows) == 27
    # The groups are headed under the page's year of detail (h3), after its years (h2).
    headings = [h.text() for h in root.iter() if h.tag in ("h2", "h3")]
    table = run_cli(["evaluate", FAILURES, "--by", "unit", "--format", "markdown", "--lang", "zh"])
    units = re.findall(r"^- (.+?): ", table.stdout, re.M)
    assert units
    assert [h for h in headings if h in units] == units


def test_validate_writes_a_page_of_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,value,year\n食品安全抽检合格率,abc,2020\n", encoding="utf-8")
    result = run_cli(["validate", str(bad), "--format", "html", "--lang", "en"])
    assert result.exit_code == 2, result.output
    root = parse(result.stdout)
    [section] = root.find_all("section", class_="validation")
    codes = [code.text() for code in section.find_all("code")]
    assert codes
    assert all(code in result.stdout for code in codes)
    expected = run_cli(["validate", str(bad), "--format", "json", "--lang", "en"])
    assert expected.exit_code == 2
    assert set(codes) <= set(re.findall(r'"code": "([a-z-]+)"', expected.stdout))


def test_the_page_says_when_and_by_what_it_was_made(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=2020)
    root = parse(render([report], "en"))
    [time] = root.find_all("time")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", time.attrs["datetime"])
    assert "qcheck 0.1.0" in root.text()


def test_the_print_stylesheet_keeps_charts_and_rows_whole(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=2020)
    [style] = parse(render([report], "en")).find_all("style")
    css = style.text()
    assert "@page" in css
    assert "size: A4" in css
    assert re.search(r"figure\.chart, tr \{ break-inside: avoid", css)
    assert "Noto Sans CJK SC" in css
    assert "@media print" in css


def test_the_running_header_cannot_leave_its_css_string() -> None:
    escaped = css_string('a"</style><script>')
    assert re.fullmatch(r"[A-Za-z0-9\\]*", escaped)
    assert escaped.startswith("a\\000022")


def test_a_target_without_a_figure_is_drawn_as_missing(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=2020)
    root = parse(render([report], "zh"))
    for figure in charts_of(root, "bullet").values():
        assert not figure.find_all("rect", class_="value") or figure.find_all(
            "rect", class_="missing"
        )
        assert "缺报" in figure.find_all("svg")[0].text()


def test_no_failure_list_without_failures(catalogue: Catalogue) -> None:
    report = evaluate(catalogue=catalogue, measurements=[], year=2020)
    assert not parse(render([report])).find_all("section", class_="failures")


def test_an_input_that_failed_alone_is_listed(catalogue: Catalogue) -> None:
    problem = Problem.of("unreadable", source="gone.csv", words="name", reason="no such file")
    failed = Validation(sources=("gone.csv",), rows=0, measurements=0, problems=(problem,))
    root = parse(renderer_for("html", lang="en").render([], [failed], limit=20))
    [section] = root.find_all("section", class_="failures")
    assert "gone.csv" in section.text()
    assert "unreadable" in section.text()
    assert not root.find_all("section", class_="report")


def test_every_kind_of_rule_of_the_2025_example_is_charted() -> None:
    targets = SAMPLES / "targets-2025-example.yaml"
    args = [str(SAMPLES / "report-2025-example.csv"), "--targets", str(targets)]
    result = run_cli(["evaluate", *args, "--format", "html", "--lang", "zh"])
    root = parse(result.stdout)
    for figure in root.find_all("figure"):
        check_figure(figure)
    assert len(charts_of(root, "regions")) == 3  # a mean, every county, 5 of 6 counties
    assert len(charts_of(root, "change")) == 3  # two decreases and an increase
    feet = [figure.elements()[-1].text() for figure in root.find_all("figure")]
    assert any(foot.endswith("6县区加权平均≥82%；平均 82.07%") for foot in feet)
    assert any(foot.endswith("6个县区中至少5个≥85%；林溪县缺报") for foot in feet)


def test_a_trend_page_is_its_last_years_page_with_trend_lines() -> None:
    def page(*args: str) -> str:
        return run_cli(["evaluate", FAILURES, *args, "--format", "html", "--lang", "zh"]).stdout

    trend_lines = re.compile(r'<figure class="chart" [^>]*data-chart="trend">.*?</figure>\n', re.S)
    # Each year's status leads the page, then the last year's report in detail.
    years = re.compile(
        r"<header.*?</header>|<section class=\"years\".*?</section>\n|<h2>2020年详细结果</h2>",
        re.S,
    )
    # A single year's page draws the plan's years up to it, but is about that year alone:
    # titled with it, without the years asked of --years.
    single = page("--year", "2020")
    assert '<section class="years"' not in single
    assert "<h1>张掖市2020年质量目标核查</h1>" in single
    assert page_text(years.sub("", page("--years", "2018-2020"))) == page_text(
        years.sub("", single)
    )
    two_years = page("--years", "2019-2020")
    assert len(trend_lines.findall(two_years)) == 4  # training has no 2019 figure to join
    assert page_text(years.sub("", trend_lines.sub("", two_years))) == page_text(
        years.sub("", trend_lines.sub("", page("--year", "2020")))
    )


def test_rows_for_other_years_no_rule_read_are_told_in_the_problems(tmp_path: Path) -> None:
    lines = Path(FAILURES).read_text(encoding="utf-8").splitlines()
    report = tmp_path / "report.csv"
    report.write_text("\n".join([*lines, "pm10_concentration,2016,,70,ug/m3,"]) + "\n", "utf-8")
    result = run_cli(["evaluate", str(report), "--format", "html", "--lang", "en"])
    assert result.exit_code == 1, result.output
    (details,) = parse(result.stdout).find_all("details", class_="problems")
    assert "1 row(s) for other years were read, but no rule for 2020 needed them" in details.text()


def test_a_years_page_lists_the_warnings_of_every_year() -> None:
    # A waiver's warning is told once, in the first year it arises: 2018's, here.
    waivers = str(SAMPLES / "waivers-2020.yaml")
    args = [FAILURES, "--years", "2018-2020", "--waivers", waivers, "--lang", "en"]
    told = json.loads(run_cli(["evaluate", *args, "--format", "json"]).stdout)
    codes = {w["code"] for report in told["reports"] for w in report["warnings"]}
    assert "waiver-expired" in codes
    page = run_cli(["evaluate", *args, "--format", "html"]).stdout
    (details,) = parse(page).find_all("details", class_="problems")
    for code in codes:
        assert code in details.text()
