"""The words a catalogue accepts for its places: the whole city, and each of its regions."""

from __future__ import annotations

from qcheck.catalogue import Catalogue
from qcheck.names import normalize_name
from qcheck.words import Lang, label

# A hint lists the regions by name up to this many; a province's thousands are only counted.
NAMED_REGIONS = 8


def city_words(catalogue: Catalogue) -> tuple[str, ...]:
    """Return the words the catalogue accepts for a city-wide figure, besides an empty cell."""
    plan = catalogue.plan
    return tuple(dict.fromkeys((*catalogue.city_aliases, plan.city_zh, plan.city_en)))


def place_name(catalogue: Catalogue, region: str | None, lang: Lang) -> str:
    """Return a row's place as a message names it: the region's name, or 全市 / city-wide.

    A region no catalogue defines (a measurement made in code) is named by its id.
    """
    if region is None:
        return label(lang, "city")
    try:
        place = catalogue.region(region)
    except KeyError:
        return region
    return place.name_zh if lang == "zh" else place.name_en


def city_word(catalogue: Catalogue, lang: Lang) -> str:
    """Return the word a blank report writes for a city-wide row, one the catalogue accepts.

    全市 / city-wide where the catalogue lists it, else the plan's own name for the city.
    """
    generic = label(lang, "city")
    places = catalogue.region_names.as_mapping()
    key = normalize_name(generic)
    if key in places and places[key] is None:  # None: a city-wide name, not a region's
        return generic
    return catalogue.plan.city_zh if lang == "zh" else catalogue.plan.city_en


def place_spellings(catalogue: Catalogue) -> list[str]:
    """Return every spelling of a place the catalogue accepts: regions' and the city's."""
    names = {
        name
        for region in catalogue.regions
        for name in (region.id, region.name_zh, region.name_en, *region.aliases)
    }
    return sorted(names | set(city_words(catalogue)))


def region_hint(catalogue: Catalogue) -> tuple[str, str]:
    """Return how to fix an unknown region, in English and Chinese, with this plan's places."""
    regions = catalogue.regions
    count = len(regions)
    words = city_words(catalogue)
    # Each language names the city-wide words written in it, if it has any.
    latin = [word for word in words if word.isascii()] or words
    chinese = [word for word in words if not word.isascii()] or words
    city_en = ", ".join(latin)
    city_zh = "、".join(f"“{word}”" for word in chinese)
    if not regions:
        return (
            f"this plan has no counties/districts: leave the region empty or write {city_en}",
            f"本方案未设县区：地区请留空或填{city_zh}",
        )
    if count <= NAMED_REGIONS:
        named_en = f" ({', '.join(region.name_en for region in regions)})"
        named_zh = f"：{'、'.join(region.name_zh for region in regions)}"
        few = "以下"
    else:
        named_en = named_zh = few = ""
    return (
        f"use one of the {count} counties/districts{named_en}, or for the city-wide figure "
        f"leave it empty or write {city_en}",
        f"请填写{few}{count}个县区之一{named_zh}；全市数据请留空或填{city_zh}",
    )
