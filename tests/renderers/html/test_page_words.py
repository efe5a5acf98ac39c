"""The HTML page's own words against the input's: order, years, severity, line breaks."""

from __future__ import annotations

from pathlib import Path

from qcheck.renderers.html.page import css_string, shown
from tests.helpers import REPO_ROOT, SAMPLES, run_cli
from tests.renderers.html.parse import Element, page_text, parse

FAILURES = SAMPLES / "report-2020-with-failures.csv"
TARGETS = REPO_ROOT / "src" / "qcheck" / "targets.yaml"
RLO = "\u202e"
CONSUMER = "Key consumer goods supervisory sampling pass rate"


def trend_caption(root: Element, target: str) -> str:
    [found] = [
        f for f in root.find_all("figure", data_chart="trend") if f.attrs["data-target"] == target
    ]
    return found.elements()[0].text()


def test_an_override_in_input_text_turns_none_of_qcheck_s_words_around(tmp_path: Path) -> None:
    text = TARGETS.read_text(encoding="utf-8")
    text = text.replace("title: 关于开展", f"title: 关于{RLO}开展", 1)
    text = text.replace(f"name_en: {CONSUMER}", f"name_en: {CONSUMER} {RLO}x", 1)
    targets = tmp_path / "t.yaml"
    targets.write_text(text, encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - target: food_safety_pass_rate\n    year: 2020\n"
        '    reason: r\n    approved_by: "boss \\u202e x"\n    expires: 2030-12-31\n',
        encoding="utf-8",
    )
    args = [str(FAILURES), "--targets", str(targets), "--waivers", str(waivers)]
    result = run_cli(
        ["evaluate", *args, "--years", "2018-2020", "--format", "html", "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    for mark in ("\u202e", "\u2066", "\u2067", "\u2068", "\u2069"):
        assert mark not in result.stdout
    text = page_text(result.stdout)
    assert "approved by boss \ufffd x, expires 2030-12-31" in text
    root = parse(result.stdout)
    plan = root.find_all("dl", class_="meta")[0].find_all("dd")[0]
    assert plan.text() == "关于\ufffd开展质量提升行动实施方案 市委发〔2018〕29号"
    caption = trend_caption(root, "consumer_goods_pass_rate")
    assert caption == f"{CONSUMER} \ufffdx: 2018–2020"


def test_every_bidi_control_is_shown_as_a_replacement() -> None:
    for mark in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert shown(f"a{mark}b: 2021–2025") == "a\ufffdb: 2021–2025"
        assert css_string(f"a{mark}b") == "a\\00fffdb"


def test_a_page_of_years_apart_is_titled_with_those_years_only() -> None:
    args = ["evaluate", str(FAILURES), "--years", "2018,2020", "--format", "html"]
    for lang, title, caption in (
        ("en", "Zhangye City: quality targets, 2018, 2020", f"{CONSUMER}: 2018, 2020"),
        ("zh", "张掖市2018、2020年质量目标核查", "重点消费品质量监督抽查合格率：2018、2020年"),
    ):
        result = run_cli([*args, "--lang", lang])
        assert result.exit_code == 1, result.output
        root = parse(result.stdout)
        assert [h1.text() for h1 in root.find_all("h1")] == [title]
        assert f"<title>{title}</title>" in result.stdout
        assert trend_caption(root, "consumer_goods_pass_rate") == caption


def test_a_page_of_years_that_follow_on_is_titled_with_their_span() -> None:
    args = ["evaluate", str(FAILURES), "--years", "2018-2020", "--format", "html"]
    for lang, title, caption in (
        ("en", "Zhangye City: quality targets, 2018–2020", f"{CONSUMER}: 2018–2020"),
        ("zh", "张掖市2018—2020年质量目标核查", "重点消费品质量监督抽查合格率：2018—2020年"),
    ):
        root = parse(run_cli([*args, "--lang", lang]).stdout)
        assert [h1.text() for h1 in root.find_all("h1")] == [title]
        assert trend_caption(root, "consumer_goods_pass_rate") == caption


def problem_rows(root: Element) -> list[list[str]]:
    """Return the rows of a page's problems table, each cell's text."""
    [table] = root.find_all("table", class_="problems-table")
    return [
        [cell.text().removesuffix(" |") for cell in tr.elements()] for tr in table.find_all("tr")
    ]


def result_page(data: Path) -> str:
    return str(run_cli(["validate", str(data), "--format", "html", "--lang", "en"]).stdout)


def test_the_validate_page_says_which_problems_are_errors(tmp_path: Path) -> None:
    data = tmp_path / "mixw.csv"
    data.write_text("indicator,year,value,extra\nfood_safety_pass_rate,2020,abc,1\n")
    for lang, words in (("en", ("Severity", "error", "warning")), ("zh", ("级别", "错误", "警告"))):
        result = run_cli(["validate", str(data), "--format", "html", "--lang", lang])
        assert result.exit_code == 2, result.output
        head, error, warning = problem_rows(parse(result.stdout))
        assert head[1] == words[0]
        assert error[1] == f"✘ {words[1]}"
        assert warning[1] == f"\u26a0 {words[2]}"
        assert error[2:] == ["not-a-number", *error[3:]]
    root = parse(result_page(data))
    [hint] = root.find_all("span", class_="hint")[:1]
    assert hint.text() == "How to fix: write a plain number such as 95.2 or 95.2%"
    # The fix stands on its own line below what is wrong.
    assert 'is not a number<br><span class="hint">How to fix:' in result_page(data)


def test_an_evaluate_page_says_which_of_its_problems_are_warnings(tmp_path: Path) -> None:
    lines = FAILURES.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "extra.csv"
    data.write_text(
        "\n".join([f"{lines[0]},extra", *(f"{line},x" for line in lines[1:])]) + "\n",
        encoding="utf-8",
    )
    result = run_cli(["evaluate", str(data), "--format", "html", "--lang", "zh"])
    assert result.exit_code == 1, result.output
    head, *rows = problem_rows(parse(result.stdout))
    assert head[1] == "级别"
    [extra] = [row for row in rows if row[2] == "unknown-column"]
    assert extra[1] == "\u26a0 警告"
    assert "修改建议：" in extra[3]
