"""Run the command line with ``python -m qcheck``."""

from qcheck.entry import run

run()
