"""Renderers: turn evaluation reports into text, one module per output format."""

from __future__ import annotations

from qcheck.i18n import Lang
from qcheck.renderers.base import Renderer

FORMATS = ("table", "json")


def renderer_for(
    output_format: str, *, lang: Lang, color: bool = False, width: int = 100
) -> Renderer:
    """Return the renderer for ``output_format``."""
    if output_format == "table":
        from qcheck.renderers.table import TableRenderer

        return TableRenderer(lang=lang, color=color, width=width)
    if output_format == "json":
        from qcheck.renderers.json import JsonRenderer

        return JsonRenderer(lang=lang)
    raise ValueError(f"unknown format {output_format!r}")
