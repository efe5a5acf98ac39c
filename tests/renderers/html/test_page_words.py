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
