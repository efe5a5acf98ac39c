"""Encodings a report may arrive in: UTF-32, marks written twice, joined files, look-alikes."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from qcheck.cli import main
from qcheck.loaders.encoding import decode
from qcheck.problems import InputError

REPORT = "指标,数值,年份\n食品安全抽检合格率,95.2,2020\n主要农产品质量安全监测合格率,97.5,2020\n"
MARKS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


pytestmark = pytest.mark.usefixtures("in_tmp")


def _validate(data: bytes, *args: str, stdin: bool = False) -> tuple[Result, dict[str, Any]]:
    """Validate ``data`` as report.csv (or from standard input); return the run and validation."""
    if stdin:
        result = CliRunner().invoke(main, ["validate", "-", *args, "--format", "json"], input=data)
    else:
        Path("report.csv").write_bytes(data)
        result = CliRunner().invoke(main, ["validate", "report.csv", *args, "--format", "json"])
    assert "Traceback" not in result.stderr, result.stderr
    for stray in ("\x00", "\ufeff", "\\u0000", "\\ufeff"):
        assert stray not in result.stdout + result.stderr
    validation: dict[str, Any] = json.loads(result.stdout)["validation"]
    return result, validation


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("marked", [True, False])
def test_utf32_is_read(encoding: str, marked: bool) -> None:
    data = (MARKS[encoding] if marked else b"") + REPORT.encode(encoding)
    result, found = _validate(data)
    assert (result.exit_code, found["problems"], found["measurements"]) == (0, [], 2)


@pytest.mark.parametrize("encoding", list(MARKS))
def test_a_mark_written_twice_is_skipped(encoding: str) -> None:
    result, found = _validate(MARKS[encoding] * 2 + REPORT.encode(encoding))
    assert (result.exit_code, found["problems"], found["measurements"]) == (0, [], 2)


@pytest.mark.parametrize("stdin", [False, True])
def test_a_mark_inside_the_text_is_refused(stdin: bool) -> None:
    data = codecs.BOM_UTF8 + REPORT.encode() + codecs.BOM_UTF8 + REPORT.encode()
    result, found = _validate(data, stdin=stdin)
    assert result.exit_code == 2
    (problem,) = found["problems"]
    offset = 3 + len(REPORT.encode())
    assert problem["code"] == "bad-encoding"
    assert problem["message"] == f"a byte-order mark (U+FEFF) at offset {offset}, inside the text"
    assert problem["hint"].startswith("were two files joined?")
    assert problem["message_zh"] == f"偏移量{offset}处在文本中间出现字节顺序标记（U+FEFF）"


def test_a_nul_is_refused_and_the_encoding_suggested() -> None:
    # Mostly Chinese UTF-16 without a mark: too few NULs to tell it by them.
    text = "指标,数值\n食品安全抽检合格率,九十五\n主要农产品质量安全监测合格率,九十七\n"
    result, found = _validate(text.encode("utf-16-le"))
    assert result.exit_code == 2
    (problem,) = found["problems"]
    assert problem["code"] == "bad-encoding"
    assert (
        "(a NUL character: the file may be UTF-16 or UTF-32 without a mark)" in problem["message"]
    )
    assert problem["hint"] == "it reads as UTF-16-LE: run again with --encoding utf-16-le"
    _, found = _validate(b"indicator,value\nfood_safety_pass_rate,9\x005\n")
    (problem,) = found["problems"]
    assert problem["message"] == (
        "byte 0x00 at offset 39 is not valid text in UTF-8 nor GB18030 "
        "(a NUL character: the file may be UTF-16 or UTF-32 without a mark)"
    )


BIG5 = "indicator,完成值,年份\nfood_safety_pass_rate,95.2,2020\n".encode("big5")


@pytest.mark.parametrize("stdin", [False, True])
def test_big5_read_as_gb18030_is_refused_naming_big5(stdin: bool) -> None:
    result, found = _validate(BIG5, stdin=stdin)
    assert result.exit_code == 2
    (problem,) = found["problems"]
    assert problem["code"] == "bad-encoding"
    assert problem["message"] == (
        "read as GB18030, the header names no known column; read as BIG5, it does: "
        "the file looks like BIG5"
    )
    assert problem["hint"] == "run again with --encoding big5, or save the file as CSV UTF-8"
    assert problem["hint_zh"] == "请加上 --encoding big5 重新运行，或另存为“CSV UTF-8”"
    result, found = _validate(BIG5, "--encoding", "big5", stdin=stdin)
    assert (result.exit_code, found["problems"], found["measurements"]) == (0, [], 1)


def test_a_gbk_file_with_an_unknown_header_is_not_called_another_encoding() -> None:
    result, found = _validate("指数,数量\n食品安全抽检合格率,95\n".encode("gbk"))
    assert result.exit_code == 2
    assert {problem["code"] for problem in found["problems"]} == {
        "missing-column",
        "unknown-column",
    }


ROWS = st.lists(
    st.tuples(
        st.sampled_from(["食品安全抽检合格率", "PM10", "甘州区", "备注：较上年提高", "x"]),
        st.sampled_from(["95.2", "９５．２％", "达到", ""]),
    ),
    max_size=20,
)


@given(
    rows=ROWS,
    encoding=st.sampled_from(list(MARKS)),
    marks=st.integers(min_value=0, max_value=3),
)
def test_a_marked_text_decodes_to_itself(
    rows: list[tuple[str, str]], encoding: str, marks: int
) -> None:
    text = "指标,数值\n" + "".join(f"{name},{value}\n" for name, value in rows)
    data = MARKS[encoding] * marks + text.encode(encoding)
    if marks == 0 and encoding.startswith("utf-16"):
        data = MARKS[encoding] + data  # UTF-16 without a mark is told by its NULs: not here
    assert decode(data, source="report.csv") == text


@given(text=st.text(alphabet=st.sampled_from("指标,数值\n95x\x00\ufeff"), max_size=40))
def test_decoded_text_holds_no_nul_and_no_mark(text: str) -> None:
    try:
        decoded = decode(codecs.BOM_UTF8 + text.encode(), source="report.csv")
    except InputError as error:
        (problem,) = error.problems
        assert problem.code == "bad-encoding"
        return
    assert "\x00" not in decoded
    assert "\ufeff" not in decoded
