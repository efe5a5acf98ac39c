"""The HTML page against a hostile reader: years that must not hide, text that must not lie."""

from __future__ import annotations

import shutil
from pathlib import Path

from markupsafe import Markup

from qcheck.renderers.html.page import shown
from qcheck.verdicts import Status, facts
from tests.helpers import SAMPLES, run_cli
from tests.renderers.html.parse import Element, page_text, parse

FAILURES = SAMPLES / "report-2020-with-failures.csv"
ALL_MET = SAMPLES / "report-2020-all-met.csv"
FOOD = "食品安全抽检合格率"


def figure(root: Element, target: str, kind: str) -> Element:
    [found] = [
        f for f in root.find_all("figure", data_chart=kind) if f.attrs["data-target"] == target
    ]
    return found


def food_safety_years(tmp_path: Path) -> Path:
    """Return the all-met sample with food safety at 90 / 90.5 / 96: 2019 is off track."""
    lines = [
        line
        for line in ALL_MET.read_text(encoding="utf-8").splitlines()
        if not line.startswith(FOOD)
    ]
    lines += [
        f"{FOOD},{year},全市,{value},%," for year, value in ((2018, 90), (2019, 90.5), (2020, 96))
    ]
    path = tmp_path / "y.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_page_of_several_years_shows_each_years_own_status(tmp_path: Path) -> None:
    data = food_safety_years(tmp_path)
    args = ["evaluate", str(data), "--years", "2018-2020", "--lang", "en"]
    result = run_cli([*args, "--format", "html"])
    assert result.exit_code == 1, result.output  # 2019 is off track
    root = parse(result.stdout)
    [title] = root.find_all("h1")
    assert title.text() == "Zhangye City: quality targets, 2018–2020"
    [years] = root.find_all("section", class_="years")
    counts = [li.text() for li in years.find_all("li")]
    assert [line[:5] for line in counts] == ["2018:", "2019:", "2020:"]
    assert "1 off track" in counts[1]
    [row] = [tr for tr in years.find_all("tr") if "Food safety sampling pass rate" in tr.text()]
    cells = row.find_all("td", class_="year")
    assert [cell.attrs["class"] for cell in cells] == [
        "year status-not_due",
        "year status-off_track",
        "year status-pass",
    ]
    assert cells[1].text().startswith(f"{facts(Status.OFF_TRACK).symbol} off track")
    assert cells[1].find_all("span", class_="figure")[0].text() == "90.5%"
    # The trend chart marks each year's point with that year's own verdict.
    trend = figure(root, "food_safety_pass_rate", "trend")
    marks = [text.text() for text in trend.find_all("text", class_="point-mark")]
    assert marks == [facts(s).symbol for s in (Status.NOT_DUE, Status.OFF_TRACK, Status.PASS)]
    assert "2019 | 90.5%, off track" in trend.find_all("table")[0].text()
    # The detailed part below is said to be 2020's.
    assert "\n2020 in detail\n" in page_text(result.stdout)


def test_a_year_left_out_breaks_the_trend_line_and_is_said_to_be() -> None:
    args = ["evaluate", str(FAILURES), "--years", "2018,2020", "--lang", "en"]
    result = run_cli([*args, "--format", "html"])
    assert result.exit_code == 1, result.output
    trend = figure(parse(result.stdout), "consumer_goods_pass_rate", "trend")
    caption = trend.elements()[0].text()
    assert caption == "Key consumer goods supervisory sampling pass rate: 2018, 2020"
    # No stretch of the line joins 2018 to 2020 over 2019's empty slot.
    runs = [p.attrs["points"].split() for p in trend.find_all("polyline")]
    assert runs
    assert all(len(points) == 1 for points in runs)
    assert "2019 | not evaluated" in trend.find_all("table")[0].text()
    [legend] = trend.find_all("p", class_="chart-legend")
    assert "not evaluated: 2019" in legend.text()
    assert "no figure" not in legend.text()


def test_years_without_figures_are_told_once_under_the_chart() -> None:
    args = ["evaluate", str(FAILURES), "--years", "2018-2020", "--lang", "en"]
    result = run_cli([*args, "--format", "html"])
    trend = figure(parse(result.stdout), "pm10_concentration", "trend")
    # One short mark a year at the chart's foot, never words that run into each other.
    missing = [text.text() for text in trend.find_all("text", class_="missing")]
    assert missing == [facts(Status.MISSING).symbol] * 2
    [legend] = trend.find_all("p", class_="chart-legend")
    assert "no figure: 2018, 2019" in legend.text()


def test_a_yes_no_answer_to_a_rule_with_a_number_has_no_bullet_chart() -> None:
    args = [
        "evaluate",
        str(SAMPLES / "report-2025-example.csv"),
        "--targets",
        str(SAMPLES / "targets-2025-example.yaml"),
        "--year",
        "2025",
        "--lang",
        "en",
    ]
    result = run_cli([*args, "--format", "html"])
    root = parse(result.stdout)
    target = "completed_projects_compliance"
    assert root.find_all("tr", id=f"target-{target}")
    assert not [f for f in root.find_all("figure") if f.attrs.get("data-target") == target]
    assert "met met" not in page_text(result.stdout)


def test_control_characters_in_input_text_are_shown_as_replacement(tmp_path: Path) -> None:
    data = tmp_path / "r\x07.csv"
    shutil.copy(FAILURES, data)
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - target: food_safety_pass_rate\n    year: 2020\n"
        '    reason: "\\e[31mred\\a"\n    approved_by: bureau\n    expires: 2099-12-31\n',
        encoding="utf-8",
    )
    result = run_cli(
        ["evaluate", str(data), "--waivers", str(waivers), "--format", "html", "--lang", "en"]
    )
    assert "\x07" not in result.stdout
    assert "\x1b" not in result.stdout
    text = page_text(result.stdout)
    assert "\ufffd[31mred\ufffd" in text
    assert "r\ufffd.csv" in text


def test_every_value_of_the_page_passes_one_filter() -> None:
    assert shown("a\x00b\x1b\x7f\x85c") == "a\ufffdb\ufffd\ufffd\ufffdc"
    assert shown("tab\tand\nlines\r") == "tab\tand\nlines\r"
    # A bidi override is shown, not obeyed: it turns around nothing after it.
    assert shown("x\u202ey.csv") == "x\ufffdy.csv"
    assert shown(Markup("<p>\x07</p>")) == Markup("<p>\x07</p>")  # the templates' own
    assert shown(3) == 3


def test_a_name_holding_a_bidi_override_is_isolated_from_its_digest(tmp_path: Path) -> None:
    data = tmp_path / "r\u202eabc.csv"
    shutil.copy(FAILURES, data)
    result = run_cli(["evaluate", str(data), "-o", str(tmp_path / "p.html"), "--lang", "en"])
    assert result.exit_code == 1, result.output
    root = parse((tmp_path / "p.html").read_text(encoding="utf-8"))
    [item] = root.find_all("ul", class_="sources")[0].find_all("li")
    name, digest = item.elements()
    assert name.tag == "bdi"
    assert name.text() == str(data).replace("\u202e", "\ufffd")
    assert digest.attrs == {"class": "digest", "dir": "ltr"}
    assert digest.text().startswith("SHA-256: ")
