"""The output of ``qcheck diff``: what changed, as a table, Markdown or JSON.

The formats for people are laid out from one view (view.DiffView), as a report's are from
renderers.view; each renderer, one module per format, has ``render_diff(diff)``.
"""

from __future__ import annotations

from qcheck.renderers.diff.view import DiffRenderer

__all__ = ["DiffRenderer"]
