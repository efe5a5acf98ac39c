"""The language a run speaks: the one --lang, QCHECK_LANG or the locale asks for."""

from __future__ import annotations

import os
from collections.abc import Sequence

from qcheck.words import FALLBACK, LANGS, Lang, lang_of_locale


def default_lang() -> Lang:
    """Return the language the locale names if qcheck has it (zh_CN: zh), else the fallback.

    QCHECK_LANG overrides it, via Click.
    """
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return lang_of_locale(value) or FALLBACK
    return FALLBACK


def requested_lang(args: Sequence[str]) -> Lang:
    """Return the language a command line asks for, as --lang will: for errors found before it.

    The last ``--lang`` in ``args`` that names a language, else QCHECK_LANG, else the locale.
    """
    asked: str | None = None
    for index, word in enumerate(args):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(args):
            asked = args[index + 1]
        elif word.startswith("--lang="):
            asked = word.partition("=")[2]
    for lang in (asked, os.environ.get("QCHECK_LANG")):
        if lang in LANGS:
            return lang
    return default_lang()
