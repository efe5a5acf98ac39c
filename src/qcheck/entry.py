"""The ``qcheck`` executable: answers --version at once, else runs the Click command line."""

from __future__ import annotations

import os
import sys

from qcheck import __version__


def run() -> None:
    """Run qcheck; ``qcheck --version`` is answered without importing Click or anything else."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        sys.stdout.write(f"qcheck, version {__version__}\n")
        return
    # Pydantic looks for plugins in every installed package's metadata on its first model;
    # qcheck uses none, and the search costs more than the rest of a small run's start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from qcheck.cli import main

    main(prog_name="qcheck")
