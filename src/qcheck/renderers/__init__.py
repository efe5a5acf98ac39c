"""Renderers: turn evaluation reports into text, one module per output format."""

from __future__ import annotations

import importlib

from qcheck.formats import FORMATS, SUFFIX_FORMATS
from qcheck.i18n import Lang
from qcheck.renderers.base import Renderer

# format name -> (module, class)
RENDERERS = {
    "table": ("qcheck.renderers.table", "TableRenderer"),
    "json": ("qcheck.renderers.json", "JsonRenderer"),
    "csv": ("qcheck.renderers.csv", "CsvRenderer"),
    "markdown": ("qcheck.renderers.markdown", "MarkdownRenderer"),
    "junit": ("qcheck.renderers.junit", "JunitRenderer"),
    "github": ("qcheck.renderers.github", "GithubRenderer"),
    "sarif": ("qcheck.renderers.sarif", "SarifRenderer"),
}


__all__ = ["FORMATS", "RENDERERS", "SUFFIX_FORMATS", "renderer_for"]


def renderer_for(
    output_format: str, *, lang: Lang, color: bool = False, width: int = 100
) -> Renderer:
    """Return the renderer for ``output_format``."""
    if output_format not in RENDERERS:
        raise ValueError(f"unknown format {output_format!r}")
    module_name, class_name = RENDERERS[output_format]
    renderer_class = getattr(importlib.import_module(module_name), class_name)
    if output_format == "table":
        renderer: Renderer = renderer_class(lang=lang, color=color, width=width)
    else:
        renderer = renderer_class(lang=lang)
    return renderer
