"""qcheck: check reported figures against Zhangye City's 2020 quality targets."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
