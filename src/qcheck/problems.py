"""Typed input problems and the exceptions that carry them to the command line."""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, Protocol

Severity = Literal["error", "warning"]


class TableName(str):
    """The name of an in-memory table: its rows are told by their 0-based index, not a line.

    It stays a plain string to everything else; where a row is, it says "row index 3".
    """

    __slots__ = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the input allows."""

    source: str
    code: str
    message: str
    severity: Severity = "error"
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None
    message_zh: str | None = None
    hint_zh: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as JSON-ready fields, leaving out those that are not known."""
        return {key: value for key, value in asdict(self).items() if value is not None}

    def text(self, lang: str = "en") -> str:
        """Return what is wrong, in Chinese when asked and written, else in English."""
        return (self.message_zh if lang == "zh" else None) or self.message

    def hint_text(self, lang: str = "en") -> str | None:
        """Return how to fix it, in Chinese when asked and written, else in English."""
        return (self.hint_zh if lang == "zh" else None) or self.hint

    def location(self, lang: str = "en") -> str:
        """Return file, sheet, row and column, with the parts that are known."""
        return location(self.source, self.sheet, self.row, self.column, lang)

    def detail(self, lang: str = "en") -> str:
        """Return what is wrong and, in brackets, how to fix it."""
        hint = self.hint_text(lang)
        if not hint:
            return self.text(lang)
        return f"{self.text(lang)}（{hint}）" if lang == "zh" else f"{self.text(lang)} ({hint})"

    def describe(self, lang: str = "en") -> str:
        """Return the one-line text shown to people: where, code, what, and how to fix."""
        return f"{self.location(lang)}: [{self.code}] {self.detail(lang)}"

    def with_hint(self, hint: str, hint_zh: str, *, joiner: str = "; ") -> Problem:
        """Return the problem with one more way to fix it, after the hints it has."""
        return replace(
            self,
            hint=f"{self.hint}{joiner}{hint}" if self.hint else hint,
            hint_zh=f"{self.hint_zh}；{hint_zh}" if self.hint_zh else hint_zh,
        )


def location(
    source: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    lang: str = "en",
) -> str:
    """Return where a row or cell is: file, sheet, row and column, with the parts that are known."""
    zh = lang == "zh"
    parts = [source]
    if sheet is not None:
        parts.append(sheet_name(sheet, lang))
    if row is not None and isinstance(source, TableName):
        parts.append(f"行索引{row}" if zh else f"row index {row}")
    elif row is not None:
        parts.append(f"第{row}行" if zh else f"row {row}")
    if column:
        parts.append(f"“{column}”列" if zh else f"column {column!r}")
    return ("，" if zh else ", ").join(parts)


def sheet_name(sheet: str, lang: str = "en") -> str:
    """Return how a worksheet is named to people: sheet 'S', or 工作表“S”."""
    return f"工作表“{sheet}”" if lang == "zh" else f"sheet {sheet!r}"


def source_name(source: str, sheets: Mapping[str, str], lang: str = "en") -> str:
    """Return an input's name with the sheet read from it, if a workbook: a.xlsx (sheet 'S')."""
    sheet = sheets.get(source)
    if sheet is None:
        return source
    return (
        f"{source}（{sheet_name(sheet, lang)}）"
        if lang == "zh"
        else f"{source} ({sheet_name(sheet)})"
    )


# Why the system refused, in Chinese, for the reasons it gives most often; another reason is
# shown as the system words it.
OS_REASONS_ZH: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件过大",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EROFS: "文件系统是只读的",
    errno.ELOOP: "符号链接层数过多（可能循环指向自身）",
    errno.EMFILE: "打开的文件过多",
    errno.EIO: "输入/输出错误",
    errno.EPIPE: "管道已关闭",
    errno.EBUSY: "设备或资源忙",
}


def os_reason(error: OSError) -> tuple[str, str]:
    """Return why the system refused, in English and in Chinese."""
    english = error.strerror or str(error)
    if error.errno is None:
        return english, english
    return english, OS_REASONS_ZH.get(error.errno, english)


class ProblemSink(Protocol):
    """Where problems go as they are found: a list, or a log that keeps only so many."""

    def append(self, problem: Problem, /) -> None:
        """Record one problem."""


class QcheckError(Exception):
    """Base of every error qcheck reports to a user instead of crashing."""


class InputError(QcheckError):
    """Measurements could not be used; carries every problem found."""

    def __init__(
        self, problems: list[Problem], *, omitted_errors: int = 0, omitted: int = 0
    ) -> None:
        self.problems = problems
        self.omitted_errors = omitted_errors  # errors found beyond those listed
        self.omitted = omitted  # problems of any kind found beyond those listed
        super().__init__("\n".join(problem.describe() for problem in problems))


class TargetsError(InputError):
    """The targets file is unreadable or invalid."""


class OutputError(QcheckError):
    """A result could not be written where the user asked; said in English and Chinese."""

    def __init__(self, message: str, *, message_zh: str | None = None) -> None:
        self.message = message
        self.message_zh = message_zh
        super().__init__(message)

    def text(self, lang: str = "en") -> str:
        """Return what went wrong, in Chinese when asked and written, else in English."""
        return (self.message_zh if lang == "zh" else None) or self.message
