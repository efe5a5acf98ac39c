"""Name what goes wrong when an input cannot be read."""

from __future__ import annotations

from qcheck.problems import Problem

EnZh = tuple[str, str]  # English, Chinese


def problem(source: str, code: str, message: EnZh, hint: EnZh | None = None) -> Problem:
    """Return a problem with the whole input, its message and hint in English and Chinese."""
    hint_en, hint_zh = hint or (None, None)
    return Problem(
        source=source,
        code=code,
        message=message[0],
        message_zh=message[1],
        hint=hint_en,
        hint_zh=hint_zh,
    )


def unreadable(source: str, error: OSError) -> Problem:
    """Return the problem for an input the system refused to open, list or stat."""
    reason = error.strerror or str(error)
    return problem(source, "unreadable", (reason, f"无法读取：{reason}"))
