"""The words a catalogue accepts for its places: the whole city, and each of its regions."""

from __future__ import annotations

from qcheck.catalogue import Catalogue
from qcheck.names import normalize_name
from qcheck.words import LANGS, Lang, Listed, Localized, Said, Word, label, local, localized

# A hint lists the regions by name up to this many; a province's thousands are only counted.
NAMED_REGIONS = 8


def city_words(catalogue: Catalogue) -> tuple[str, ...]:
    """Return the words the catalogue accepts for a city-wide figure, besides an empty cell."""
    plan = catalogue.plan
    return tuple(dict.fromkeys((*catalogue.city_aliases, plan.city_zh, plan.city_en)))


def place(catalogue: Catalogue, region: str | None) -> object:
    """Return a row's place as a message names it, in whichever language it is said in.

    The region's name, or 全市 / city-wide; a region no catalogue defines (a measurement made
    in code) is named by its id.
    """
    if region is None:
        return Word("city")
    try:
        return localized(catalogue.region(region), "name")
    except KeyError:
        return region


def place_name(catalogue: Catalogue, region: str | None, lang: Lang) -> str:
    """Return a row's place as a message in ``lang`` names it (see place)."""
    named = place(catalogue, region)
    return named.said(lang) if isinstance(named, Said) else str(named)


def city_word(catalogue: Catalogue, lang: Lang) -> str:
    """Return the word a blank report writes for a city-wide row, one the catalogue accepts.

    全市 / city-wide where the catalogue lists it, else the plan's own name for the city.
    """
    generic = label(lang, "city")
    places = catalogue.region_names.as_mapping()
    key = normalize_name(generic)
    if key in places and places[key] is None:  # None: a city-wide name, not a region's
        return generic
    return str(local(catalogue.plan, "city", lang))


def city_word_said(catalogue: Catalogue) -> Localized:
    """Return city_word in every language, to be said in one later."""
    return Localized(tuple((lang, city_word(catalogue, lang)) for lang in LANGS))


def place_spellings(catalogue: Catalogue) -> list[str]:
    """Return every spelling of a place the catalogue accepts: regions' and the city's."""
    names = {name for region in catalogue.regions for name in region.spellings()}
    return sorted(names | set(city_words(catalogue)))


def region_hint(catalogue: Catalogue) -> tuple[str, dict[str, object]]:
    """Return how to fix an unknown region, with this plan's places: a hint's variant and words."""
    regions = catalogue.regions
    count = len(regions)
    city = CityWords(city_words(catalogue))
    if not regions:
        return "none", {"city": city}
    if count <= NAMED_REGIONS:
        named = Listed(localized(region, "name") for region in regions)
        return "named", {"count": count, "regions": named, "city": city}
    return "many", {"count": count, "city": city}


class CityWords(Said):
    """The words for the whole city: in a language, those written as it writes, else all.

    Whether a language writes in ASCII is told by its own word for the city (全市, city-wide).
    """

    __slots__ = ("words",)

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words

    def said(self, lang: Lang) -> str:
        """Return the words in ``lang``, quoted and joined as it does."""
        ascii_words = label(lang, "city").isascii()
        own = [word for word in self.words if word.isascii() == ascii_words] or self.words
        return Listed(own, each="quote.city").said(lang)

    def parts(self) -> tuple[object, ...]:
        """Return the words."""
        return self.words
