"""The one translation layer: every word users see, looked up by key in a table per language.

The tables are Python modules in ``qcheck.lang``, one per language (``zh.py``, ``en.py``); adding
a language is adding a module there, and ``LANGS`` (so ``--lang``'s choices) lists the modules
present. Python modules rather than TOML or gettext: qcheck supports Python 3.10, which has no
``tomllib``, and a module needs no parser and no dependency, is compiled once to bytecode, ships
in the wheel with the package, and is checked by ruff and mypy like the code. Keys are names
(``summary``, ``problem.not-a-number``, ``hint.not-a-number``), not English sentences as
gettext's message ids are, since Chinese is qcheck's first language. Templates use ``{name}``
fields, and punctuation and joiners (，/；/、 against , ; ) are words of the tables too
(``sep.*``, ``bracket``), so no code outside this module asks which language it is.

Only the standard library is imported, so that messages said before a command has loaded
anything (a usage error, an interrupt) cost nothing; qcheck.i18n formats results with them.
"""

from __future__ import annotations

import errno
import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from functools import cache
from types import ModuleType
from typing import Any

import qcheck.lang

Lang = str  # a language qcheck has a table for: one of LANGS
FALLBACK: Lang = "en"  # the language a word missing from a table, or a model's field, falls back to
SOURCE: Lang = "en"  # the language Click, Pydantic and the system write their messages in
INTERPRETED_MARK = "※"  # beside a target whose rule the plan leaves open
# qcheck's first language, the one plans and reports are written in; declared, so that a table
# added for another language changes nothing of it.
PRIMARY: Lang = "zh"


@cache
def table(lang: Lang) -> ModuleType:
    """Return the table of one language: its WORDS, and its translations of others' messages."""
    return importlib.import_module(f"{qcheck.lang.__name__}.{lang}")


def languages() -> tuple[Lang, ...]:
    """Return the languages there is a table for, as --lang lists them: PRIMARY, then by name.

    Told by the modules' names, without importing them: a table is read when it is used.
    """
    names = [
        module.name
        for module in pkgutil.iter_modules(qcheck.lang.__path__)
        if not module.ispkg and not module.name.startswith("_")
    ]
    return tuple(sorted(names, key=lambda name: (name != PRIMARY, name)))


LANGS: tuple[Lang, ...] = languages()


def word(lang: Lang, key: str) -> str:
    """Return the template ``key`` of ``lang``, unfilled (the fallback's if ``lang`` lacks it)."""
    words: dict[str, str] = table(lang).WORDS
    found = words.get(key)
    return table(FALLBACK).WORDS[key] if found is None else found


def label(lang: Lang, key: str, **params: object) -> str:
    """Return the label ``key`` in ``lang`` with its parameters filled in (see fill)."""
    return fill(lang, key, params)


@cache
def reason_codes() -> tuple[str, ...]:
    """Return the code of every reason a result may give: the reasons the fallback table words."""
    words: Mapping[str, str] = table(FALLBACK).WORDS
    return tuple(sorted(key.removeprefix("reason.") for key in words if key.startswith("reason.")))


def labelled(lang: Lang, key: str, text: str) -> str:
    """Return ``text`` after the label ``key`` and the language's colon: 'Data: a.csv'."""
    return fill(lang, "labelled", (("label", label(lang, key)), ("text", text)))


def has_word(key: str) -> bool:
    """Return whether the tables have a template ``key``."""
    return key in table(FALLBACK).WORDS


def join(lang: Lang, items: Iterable[object], *, sep: str = "sep.list") -> str:
    """Join ``items`` with a separator of ``lang``: 、 or ", " for a list, by default."""
    return word(lang, sep).join(str(item) for item in items)


def local(model: object, field: str, lang: Lang) -> Any:
    """Return a model's field in ``lang``: ``name`` reads ``name_zh`` or ``name_en``.

    The targets file writes a word once per language (``name_zh``, ``name_en``; an
    interpretation's ``zh`` and ``en``); a language it has no field for reads the fallback's.
    """
    attribute = f"{field}_{lang}" if field else lang
    found = getattr(model, attribute, None)
    if found is None:
        return getattr(model, f"{field}_{FALLBACK}" if field else FALLBACK)
    return found


def lang_of_locale(value: str) -> Lang | None:
    """Return the language a locale names (zh_CN.UTF-8 is zh), if there is a table for it."""
    return next((lang for lang in LANGS if value.lower().startswith(lang)), None)


def click_message(lang: Lang, text: str, own: Mapping[str, str] | None = None) -> str:
    """Return a message of Click's in ``lang``; ``own`` maps qcheck's own messages inside it."""
    if own and text in own:
        return own[text]
    for pattern, translated in _patterns(lang, "CLICK"):
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            if "message" in parts:
                parts["message"] = click_message(lang, parts["message"], own)
            return translated.format(**parts)
    return text


def pydantic_message(lang: Lang, error: Mapping[str, Any]) -> str:
    """Return one of Pydantic's errors (an item of ``errors()``) in ``lang``, by its type."""
    context = dict(error.get("ctx") or {})
    if error["type"] == "value_error":
        text = str(context.get("error", error["msg"]))
        for pattern, translated in _patterns(lang, "CATALOGUE"):
            if match := pattern.fullmatch(text):
                return translated.format(**match.groupdict())
        return text
    templates: dict[str, str] = table(lang).PYDANTIC
    template = templates.get(error["type"])
    if "expected" in context:  # 'a', 'b' or 'c'
        context["expected"] = str(context["expected"]).replace(" or ", word(lang, "sep.or"))
    try:
        return str(error["msg"]) if template is None else template.format(**context)
    except (KeyError, IndexError):  # a field this version of Pydantic does not give
        return str(error["msg"])


_QUOTED_FIELD = re.compile(r"\{(\w+)!r\}")


@cache
def _patterns(lang: Lang, name: str) -> list[tuple[re.Pattern[str], str]]:
    """Return a pattern for each English message of a table: its fields, and the rest as is."""
    patterns = []
    translations: dict[str, str] = getattr(table(lang), name)
    for english, translated in translations.items():
        pieces = re.split(r"\{(\w+)(?:!r)?\}", english)  # text, field, text, field, ..., text
        regex = "".join(
            f"(?P<{piece}>.+?)" if index % 2 else re.escape(piece)
            for index, piece in enumerate(pieces)
        )
        # Those wrapping another message first, then the most specific: "Invalid value for
        # {param_hint}: {message}" before "{value} is not in the range {range}.", which comes
        # before "{value!r} is not {choice}."
        order = ("message" not in pieces[1::2], -len("".join(pieces[::2])))
        # The fields are caught as the message shows them, quotes and all: a translation that
        # copied the English {name!r} would quote them twice.
        translated = _QUOTED_FIELD.sub(r"{\1}", translated)
        patterns.append((order, re.compile(regex, re.S), translated))
    return [(pattern, chinese) for _, pattern, chinese in sorted(patterns, key=lambda p: p[0])]


# ---- words whose language is chosen when they are said ------------------------------------
#
# A problem is made once and said in any language later (on the terminal, in JSON in both):
# its parameters that are words themselves are these, said in the language asked for.


class Said:
    """A parameter of a template that is itself worded: said in the language of the template."""

    __slots__ = ()

    def said(self, lang: Lang) -> str:
        """Return the words in ``lang``."""
        raise NotImplementedError

    def parts(self) -> tuple[object, ...]:
        """Return what the words are made of: equal parts, equal words."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.said(FALLBACK)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Said) and type(other) is type(self) and self.parts() == other.parts()
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.parts()))


Params = tuple[tuple[str, object], ...]  # a template's parameters, kept hashable and picklable


QUOTED_MOST = 200  # characters of a text a message quotes whole; a longer one is cut
QUOTED_CUT = 100  # characters kept of a text cut, then an ellipsis


def shown(value: object) -> object:
    """Return a parameter as a message quotes it: a text too long to read is cut short.

    A cell of 32,767 characters quoted whole made a message of as many, and JSON as large.
    """
    if isinstance(value, str) and len(value) > QUOTED_MOST:
        return value[:QUOTED_CUT] + "…"
    return value


def fill(lang: Lang, key: str, params: Params | dict[str, object] = ()) -> str:
    """Fill the template ``key`` of ``lang``; parameters that are words are said in ``lang``."""
    pairs = params.items() if isinstance(params, dict) else params
    return word(lang, key).format_map(
        {name: value.said(lang) if isinstance(value, Said) else value for name, value in pairs}
    )


class Word(Said):
    """A template of the tables with its parameters, said in whichever language is asked."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params: Params = tuple(params.items())

    def said(self, lang: Lang) -> str:
        """Return the template filled in ``lang``."""
        return fill(lang, self.key, self.params)

    def parts(self) -> tuple[object, ...]:
        """Return the template and its parameters."""
        return (self.key, self.params)


class Localized(Said):
    """A word the targets file writes in each language (a region's or unit's name)."""

    __slots__ = ("texts",)

    def __init__(self, texts: tuple[tuple[Lang, str], ...]) -> None:
        self.texts = texts

    def said(self, lang: Lang) -> str:
        """Return the word in ``lang``, else in the fallback language."""
        found = dict(self.texts)
        return found.get(lang) or found[FALLBACK]

    def parts(self) -> tuple[object, ...]:
        """Return the word in each language."""
        return self.texts


def localized(model: object, field: str) -> Localized:
    """Return a model's field in every language (see local), to be said in one later."""
    return Localized(tuple((lang, str(local(model, field, lang))) for lang in LANGS))


class Listed(Said):
    """Items joined as a language joins a list; each through the template ``each`` if given."""

    __slots__ = ("each", "items", "more", "sep")

    def __init__(
        self, items: Iterable[object], *, sep: str = "sep.list", each: str = "", more: int = 0
    ) -> None:
        self.items = tuple(items)
        self.sep = sep
        self.each = each  # a template with one field, {item}: how one item is written
        self.more = more  # items left out, counted after the list

    def said(self, lang: Lang) -> str:
        """Return the items joined in ``lang``, and how many more there are."""
        items = [item.said(lang) if isinstance(item, Said) else item for item in self.items]
        if self.each:
            items = [fill(lang, self.each, (("item", item),)) for item in items]
        text = join(lang, items, sep=self.sep)
        return (
            fill(lang, "list_more", (("text", text), ("count", self.more))) if self.more else text
        )

    def parts(self) -> tuple[object, ...]:
        """Return the items and how they are written."""
        return (self.items, self.sep, self.each, self.more)


class OsReason(Said):
    """Why the system refused: in the table's words for a common reason, else as it said."""

    __slots__ = ("number", "text")

    def __init__(self, error: OSError) -> None:
        self.number = error.errno
        self.text = error.strerror or str(error)

    def said(self, lang: Lang) -> str:
        """Return the reason in ``lang`` where its table has words for it."""
        if self.number is None:
            return self.text
        reasons: dict[str, str] = table(lang).OS_REASONS
        return reasons.get(errno.errorcode.get(self.number, ""), self.text)

    def parts(self) -> tuple[object, ...]:
        """Return the error's number and the system's words."""
        return (self.number, self.text)


# The languages a problem's published fields (JSON, SARIF, ...) carry, by the suffix of the
# field: ``message`` and ``hint`` in English, ``message_zh`` and ``hint_zh`` in Chinese. A
# format users parse: a language added to the tables is not added here.
PUBLISHED: tuple[tuple[str, Lang], ...] = (("", "en"), ("_zh", "zh"))


class Spelled(Localized):
    """A name said in a language, with the spelling a report writes beside it where it differs.

    In English the unit 'ratio (比例)'; in Chinese '比例'.
    """

    __slots__ = ()

    def said(self, lang: Lang) -> str:
        """Return the name in ``lang``, and in brackets the report's spelling if it differs."""
        name, spelling = super().said(lang), super().said(PRIMARY)
        if name == spelling:
            return name
        return fill(lang, "bracket", (("text", name), ("inner", spelling)))


def spelled(model: object, field: str) -> Spelled:
    """Return a model's field said in a language with the report's spelling (see Spelled)."""
    return Spelled(localized(model, field).texts)


class PydanticSaid(Said):
    """One of Pydantic's errors, put into a language by its type (see pydantic_message)."""

    __slots__ = ("context", "message", "type")

    def __init__(self, error: Mapping[str, Any]) -> None:
        self.type = str(error["type"])
        self.message = str(error["msg"])
        context = error.get("ctx") or {}
        self.context = tuple((key, str(value)) for key, value in context.items())

    def said(self, lang: Lang) -> str:
        """Return the error in ``lang``, or as Pydantic said it where the table has no words."""
        error = {"type": self.type, "msg": self.message, "ctx": dict(self.context)}
        return pydantic_message(lang, error)

    def parts(self) -> tuple[object, ...]:
        """Return the error's type, Pydantic's words and their fields."""
        return (self.type, self.message, self.context)
