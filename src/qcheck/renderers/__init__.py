"""Renderers: turn evaluation reports into text, one module per output format."""

from __future__ import annotations

import importlib

from qcheck.formats import FORMATS, OUTPUT_FORMATS, SUFFIX_FORMATS, output_format
from qcheck.renderers.base import Renderer
from qcheck.words import Lang

__all__ = ["FORMATS", "OUTPUT_FORMATS", "SUFFIX_FORMATS", "renderer_for"]


def renderer_for(
    output_format_name: str, *, lang: Lang, color: bool = False, width: int = 100
) -> Renderer:
    """Return the renderer for a format; one laid out for a terminal gets its colour and width."""
    kind = output_format(output_format_name)
    module_name, _, class_name = kind.renderer.partition(":")
    renderer_class = getattr(importlib.import_module(module_name), class_name)
    if kind.sized:
        renderer: Renderer = renderer_class(lang=lang, color=color, width=width)
    else:
        renderer = renderer_class(lang=lang)
    return renderer
