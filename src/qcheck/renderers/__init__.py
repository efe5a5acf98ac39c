"""Renderers: turn evaluation reports into text, one module per output format."""

from __future__ import annotations

import importlib
from typing import Any

from qcheck.formats import FORMATS, OUTPUT_FORMATS, SUFFIX_FORMATS, OutputFormat, output_format
from qcheck.renderers.base import Renderer
from qcheck.words import Lang

__all__ = ["FORMATS", "OUTPUT_FORMATS", "SUFFIX_FORMATS", "renderer_class", "renderer_for"]


def renderer_for(
    output_format_name: str,
    *,
    lang: Lang,
    color: bool = False,
    width: int = 100,
    by: str = "area",
    among: tuple[OutputFormat, ...] = OUTPUT_FORMATS,
    annotations: bool = True,
) -> Renderer:
    """Return the renderer for a format; one laid out for a terminal gets its colour and width.

    ``by`` is how a format for people groups a report's targets (see GROUPINGS); ``among`` is
    the registry the format is one of (``qcheck diff`` has its own); ``annotations``, whether
    a format that annotates runs where they are read (GitHub Actions).
    """
    kind = output_format(output_format_name, among)
    options: dict[str, Any] = {"lang": lang}
    if kind.sized:
        options.update(color=color, width=width)
    if kind.audience == "people":  # a format for machines lists targets as the catalogue does
        options["by"] = by
    made = renderer_class(kind)
    if made.annotates:
        options["annotations"] = annotations
    renderer: Renderer = made(**options)
    return renderer


def renderer_class(kind: OutputFormat) -> type[Renderer]:
    """Return the class that renders a format, importing its module."""
    module_name, _, class_name = kind.renderer.partition(":")
    found: type[Renderer] = getattr(importlib.import_module(module_name), class_name)
    return found
