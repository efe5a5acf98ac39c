"""HTML output: a self-contained page with inline SVG charts, one module per concern.

``page`` renders it from the view model, ``charts`` chooses each target's charts and words them,
``geometry`` places their marks; the templates and stylesheet are in ``templates/``.
"""

from __future__ import annotations

from qcheck.renderers.html.page import HtmlRenderer

__all__ = ["HtmlRenderer"]
