"""The command line: Click commands over the core; one place maps errors to exit codes."""

from __future__ import annotations

# Importing the commands registers them on the group; their bodies are imported as they run.
import qcheck.cli.commands  # noqa: F401
from qcheck.cli.app import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK, main

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_NOT_MET", "EXIT_OK", "main"]
