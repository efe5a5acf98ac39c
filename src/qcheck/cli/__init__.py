"""The command line: Click commands over the core; one place maps errors to exit codes."""

from __future__ import annotations

# Importing the command modules registers their commands on the group.
import qcheck.cli.catalogue
import qcheck.cli.evaluate  # noqa: F401
from qcheck.cli.app import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK, main

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_NOT_MET", "EXIT_OK", "main"]
