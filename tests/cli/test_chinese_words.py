"""Under --lang zh every word is Chinese: the system's reasons, JUnit, Pydantic's errors."""

from __future__ import annotations

import copy
import errno
import os
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from qcheck.cli import main
from qcheck.lang import zh
from qcheck.loaders.targets import parse_targets
from qcheck.problems import Problem, TargetsError
from qcheck.words import OsReason, pydantic_message
from tests.helpers import REPO_ROOT, SAMPLES, run_cli

ALL_MET = SAMPLES / "report-2020-all-met.csv"
TARGETS = REPO_ROOT / "targets.yaml"

pytestmark = pytest.mark.usefixtures("in_tmp")


OS_REASONS_ZH = {getattr(errno, name): words for name, words in zh.OS_REASONS.items()}
PYDANTIC_MESSAGES = zh.PYDANTIC
CATALOGUE_MESSAGES = zh.CATALOGUE


def os_reason(error: OSError) -> tuple[str, str]:
    """Return why the system refused, in English and in Chinese."""
    reason = OsReason(error)
    return reason.said("en"), reason.said("zh")


def pydantic_in_chinese(error: Mapping[str, Any]) -> str:
    return pydantic_message("zh", error)


def run(*args: object) -> Result:
    """Run qcheck in-process, named as users call it."""
    return CliRunner().invoke(main, [str(arg) for arg in args], prog_name="qcheck")


def in_chinese(result: Result) -> str:
    """Return standard error, having checked that no English reason of the system is in it."""
    assert "Traceback" not in result.stderr
    for errno_value in OS_REASONS_ZH:
        assert os.strerror(errno_value) not in result.stderr
    return result.stderr


# ---- the system's reasons -------------------------------------------------------------------

COMMON = [
    "ENOENT",
    "EACCES",
    "EPERM",
    "EISDIR",
    "ENOTDIR",
    "ENOSPC",
    "ENAMETOOLONG",
    "EROFS",
    "ELOOP",
    "EMFILE",
    "EIO",
]


@pytest.mark.parametrize("name", COMMON)
def test_every_common_reason_has_its_chinese(name: str) -> None:
    number = getattr(errno, name)
    english, chinese = os_reason(OSError(number, os.strerror(number)))
    assert english == os.strerror(number)
    assert chinese == OS_REASONS_ZH[number]
    assert not chinese.isascii()


def test_a_rare_reason_is_shown_as_the_system_words_it() -> None:
    error = OSError(errno.ENOTTY, os.strerror(errno.ENOTTY))
    assert os_reason(error) == (os.strerror(errno.ENOTTY),) * 2
    assert os_reason(OSError("no errno at all")) == ("no errno at all",) * 2


def _denied(*_args: object, **_kwargs: object) -> object:
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def test_an_unreadable_report_says_why_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(ALL_MET, "r.csv")
    monkeypatch.setattr("qcheck.loaders.csv_file.open_text", _denied)
    result = run("evaluate", "r.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert "r.csv：[unreadable] 无法读取：没有权限" in in_chinese(result)


def test_an_unreadable_workbook_says_why_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    Path("r.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.setattr("qcheck.loaders.excel._open", _denied)
    result = run("validate", "r.xlsx", "--lang", "zh")
    assert result.exit_code == 2
    assert "无法读取：没有权限" in result.stdout
    assert os.strerror(errno.EACCES) not in result.stdout


def test_an_unreadable_targets_file_says_why_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(TARGETS, "t.yaml")
    monkeypatch.setattr("qcheck.loaders.targets.read_bounded", _denied)
    result = run("targets", "--check", "t.yaml", "--lang", "zh")
    assert result.exit_code == 2
    assert "t.yaml：[unreadable] 无法读取：没有权限" in in_chinese(result)


def test_a_missing_report_says_why_in_chinese() -> None:
    result = run("evaluate", "gone.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert "gone.csv：[unreadable] 无法读取：文件或文件夹不存在" in in_chinese(result)


def test_an_output_in_a_missing_folder_says_why_in_chinese() -> None:
    result = run("evaluate", ALL_MET, "-o", "gone/r.json", "--lang", "zh")
    assert result.exit_code == 2
    assert "qcheck：无法写入 gone/r.json：文件或文件夹不存在" in in_chinese(result)


def test_the_reason_stays_english_under_lang_en() -> None:
    result = run("evaluate", ALL_MET, "-o", "gone/r.json", "--lang", "en")
    assert f"qcheck: cannot write gone/r.json: {os.strerror(errno.ENOENT)}" in result.stderr


# ---- JUnit and CSV words --------------------------------------------------------------------

BAD_ROWS = "indicator,value\nfood_safety_pass_rate,abc\nfood_safety_pass_rate,\n"


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "2 problem(s)"), ("zh", "2个问题")], ids=["en", "zh"]
)
def test_a_junit_failure_counts_its_problems_in_the_users_language(lang: str, words: str) -> None:
    Path("bad.csv").write_text(BAD_ROWS, encoding="utf-8")
    result = run("validate", "bad.csv", "--format", "junit", "--lang", lang)
    assert result.exit_code == 2
    assert f'<failure message="{words}" type="invalid-input">' in result.stdout
    if lang == "zh":
        assert "problem(s)" not in result.stdout


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "2 problem(s); first: bad.csv"), ("zh", "2个问题；第一个：bad.csv")],
    ids=["en", "zh"],
)
def test_an_input_error_row_in_csv_is_in_the_users_language(lang: str, words: str) -> None:
    Path("bad.csv").write_text(BAD_ROWS, encoding="utf-8")
    result = run("evaluate", "bad.csv", ALL_MET, "--each", "--format", "csv", "--lang", lang)
    assert result.exit_code == 2
    assert words in result.stdout


# ---- Pydantic's words about a targets file --------------------------------------------------

Document = dict[str, Any]


def _set(path: str, value: object) -> Callable[[Document], None]:
    """Return a change that sets the key at a dotted path (numbers index lists)."""

    def change(document: Document) -> None:
        *parents, last = [int(key) if key.isdigit() else key for key in path.split(".")]
        node: Any = document
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _drop(path: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for key in parents:
            node = node[int(key) if key.isdigit() else key]
        del node[last]

    return change


def _twice(document: Document) -> None:
    document["targets"].append(copy.deepcopy(document["targets"][1]))


def _no_regions(document: Document) -> None:
    document["regions"] = []


def _alias_of_another(document: Document) -> None:
    document["targets"][1]["aliases"] = [document["targets"][2]["name_zh"]]


# Each change gives a targets file one error; together they give every kind of error
# the catalogue can have (Pydantic's, and the catalogue's own checks).
BROKEN: dict[str, Callable[[Document], None]] = {
    "missing": _drop("plan.title"),
    "extra_forbidden": _set("plan.author", "me"),
    "model_type": _set("plan", 3),
    "tuple_type": _set("areas", "product"),
    "string_type": _set("plan.title", ["a", "list"]),
    "int_type": _set("plan.start_year", [2018]),
    "int_parsing": _set("plan.start_year", "early"),
    "decimal_type": _set("targets.1.rule.threshold", [90]),
    "decimal_parsing": _set("targets.1.rule.threshold", "high"),
    "literal_error": _set("targets.1.rule.years", "sometimes"),
    "greater_than_equal": _set("plan.start_year", 1800),
    "less_than_equal": _set("plan.target_year", 2300),
    "string_pattern_mismatch": _set("targets.1.id", "Bad-Id"),
    "string_too_short": _set("targets.1.name_zh", ""),
    "string_too_long": _set("targets.1.id", "a" * 65),
    "too_short": _set("areas", []),
    "union_tag_invalid": _set("targets.1.rule.kind", "mostly"),
    "union_tag_not_found": _drop("targets.1.rule.kind"),
    "start after target": _set("plan.start_year", 2021),
    "qualitative with a unit": _set("targets.0.unit", "%"),
    "comparison without a unit": _set("targets.1.unit", None),
    "an id twice": _twice,
    "unknown area": _set("targets.1.area", "weather"),
    "unknown unit": _set("targets.1.unit", "kg"),
    "no regions to average": _no_regions,
    "baseline not before target": _set("targets.13.rule.baseline_year", 2020),
    "a name twice": _alias_of_another,
}


def _problems(
    change: Callable[[Document], None], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Problem], set[str]]:
    """Return the problems of the targets file with ``change``, and Pydantic's error types."""
    document = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))
    change(document)
    types: set[str] = set()

    def recording(lang: str, error: Mapping[str, Any]) -> str:
        types.add(error["type"])
        return pydantic_message(lang, error)

    monkeypatch.setattr("qcheck.words.pydantic_message", recording)
    with pytest.raises(TargetsError) as raised:
        parse_targets(yaml.safe_dump(document, allow_unicode=True), source="t.yaml")
    for problem in raised.value.problems:  # said when asked: in Chinese, now
        problem.text("zh")
    return raised.value.problems, types


@pytest.mark.parametrize("broken", BROKEN)
def test_every_targets_error_is_said_in_chinese(
    broken: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems, types = _problems(BROKEN[broken], monkeypatch)
    assert types == ({broken} if broken in PYDANTIC_MESSAGES else {"value_error"})
    for problem in problems:
        assert problem.code == "invalid-targets"
        message_zh = problem.text("zh")
        assert message_zh != problem.message
        assert re.search(r"[\u4e00-\u9fff]", message_zh), message_zh
        # Without names and the targets file's own keys, no English is left.
        words = re.sub(KEYS, "", message_zh)
        assert not re.search(r"[A-Za-z]{3,}", words), message_zh


# What a Chinese message may hold in Latin letters: quoted names, keys and values of the file.
KEYS = r"'[^']*'|\b(?:[a-z]+_year|unit|kind|regions|qualitative|at_least|true|false|README)\b"


def test_the_broken_files_give_most_kinds_of_pydantic_error() -> None:
    untested = set(PYDANTIC_MESSAGES) - set(BROKEN)
    # A targets file is read as text, so its keys are text and 2018.5 or .inf fail to parse;
    # the other types need fields the catalogue does not have today.
    assert untested == {
        "invalid_key",
        "int_from_float",
        "finite_number",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "bool_type",
        "bool_parsing",
        "greater_than",
        "less_than",
        "too_long",
    }


def test_every_check_of_the_catalogue_has_its_chinese() -> None:
    """Each of the catalogue's own messages is matched by its entry, and only by it."""
    for english, chinese in CATALOGUE_MESSAGES.items():
        fields = {name: f"'<{name}>'" for name in re.findall(r"\{(\w+)", english)}
        raised = ValueError(english.replace("!r}", "}").format(**fields))
        error = {"type": "value_error", "msg": "", "ctx": {"error": raised}}
        assert pydantic_in_chinese(error) == chinese.format(**fields), english


def test_an_unknown_error_type_keeps_pydantics_words() -> None:
    error = {"type": "something_new", "msg": "Something new", "ctx": {}}
    assert pydantic_in_chinese(error) == "Something new"
    missing_field = {"type": "greater_than_equal", "msg": "Input should be big", "ctx": {}}
    assert pydantic_in_chinese(missing_field) == "Input should be big"


@pytest.mark.parametrize(
    "command",
    [["targets", "--check", "t.yaml"], ["validate", "--targets", "t.yaml", str(ALL_MET)]],
    ids=["targets --check", "validate --targets"],
)
def test_a_targets_error_keeps_its_key_path_in_chinese(command: list[str]) -> None:
    document = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))
    _set("targets.4.rule.threshold", "high")(document)
    _drop("plan.title")(document)
    Path("t.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = run(*command, "--lang", "zh")
    assert result.exit_code == 2
    said = in_chinese(result)
    assert "“targets.4(food_safety_pass_rate).rule.threshold”列：[invalid-targets] 应为数字" in said
    assert "“plan.title”列：[invalid-targets] 缺少此项" in said
    assert "Input should" not in said
    assert "Field required" not in said


def _raised_messages() -> list[str]:
    """Return every ``raise ValueError(...)`` message of the rule kinds and the catalogue.

    Each field of an f-string is filled with a sample: quoted where it is written with ``!r``.
    """
    import ast

    source = Path(__file__).resolve().parents[2] / "src" / "qcheck"
    files = [*sorted((source / "rules").glob("*.py")), source / "catalogue.py"]
    messages = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call = node.exc
            if not (isinstance(call.func, ast.Name) and call.func.id == "ValueError"):
                continue
            (argument,) = call.args
            pieces = argument.values if isinstance(argument, ast.JoinedStr) else [argument]
            text = ""
            for piece in pieces:
                if isinstance(piece, ast.Constant):
                    text += str(piece.value)
                else:
                    assert isinstance(piece, ast.FormattedValue)
                    text += "'x7'" if piece.conversion == ord("r") else "7"
            messages.append(text)
    return messages


def test_every_message_a_targets_check_raises_has_its_chinese() -> None:
    messages = _raised_messages()
    assert len(messages) > 30
    for english in messages:
        error = {"type": "value_error", "msg": "", "ctx": {"error": ValueError(english)}}
        chinese = pydantic_in_chinese(error)
        assert chinese != english, f"no Chinese for {english!r}"


@pytest.mark.parametrize(
    ("lang", "field", "value", "words"),
    [
        ("en", "region", "甲县", "write the region's id 'ganzhou'"),
        ("zh", "region", "甲县", "请填写该地区的编号“ganzhou”"),
        ("en", "region", "Big Town", "an id is small letters, digits and _"),
        ("en", "threshold", "98%", "write the number without %: 98"),
        ("zh", "threshold", "98%", "请去掉百分号，只写数字：98"),
    ],
)
def test_a_targets_slip_is_told_what_to_write(
    tmp_path: Path, lang: str, field: str, value: str, words: str
) -> None:
    from tests.rules.helpers import document

    doc = document({"kind": "at_least", "threshold": 90})
    doc["regions"][0]["name_zh"] = "甲县"
    doc["targets"][0]["rule"][field] = value
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = run_cli(["targets", "--check", str(path), "--lang", lang])
    assert result.exit_code == 2
    assert words in result.output


@pytest.mark.parametrize(
    ("content", "chinese", "english"),
    [
        # Encodings were joined with " nor " in the Chinese message too.
        (
            b"\xe6\x8c\x87\xe6\xa0\x87,value\nfood_safety_pass_rate,9\x80\x80\n",
            "UTF-8或GB18030",
            "nor",
        ),
        # The field was the English word: (都是indicator).
        (
            "indicator,指标,value\nfood_safety_pass_rate,x,95\n".encode(),
            "都是指标",
            "都是indicator",
        ),
    ],
    ids=["encodings", "field"],
)
def test_a_problem_in_chinese_holds_no_english_joiner_or_field(
    content: bytes, chinese: str, english: str
) -> None:
    Path("r.csv").write_bytes(content)
    result = run("validate", "r.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert chinese in result.stdout
    assert english not in result.stdout


def test_a_gap_in_points_is_in_chinese_when_the_targets_file_names_no_word(tmp_path: Path) -> None:
    text = (SAMPLES / "targets-2025-example.yaml").read_text(encoding="utf-8")
    without = text.replace(",\n     gap_zh: 个百分点, gap_en: pp}", "}")
    assert without != text
    Path("t.yaml").write_text(without, encoding="utf-8")
    report = SAMPLES / "report-2025-example.csv"
    result = run("evaluate", report, "--targets", "t.yaml", "--year", "2025", "--lang", "zh")
    assert "个百分点" in result.stdout
    assert " pp" not in result.stdout


def test_chinese_labels_take_the_chinese_colon() -> None:
    result = run("evaluate", SAMPLES / "report-2020-with-failures.csv", "--lang", "zh")
    assert "数据来源：" in result.stdout
    assert "数据来源: " not in result.stdout
