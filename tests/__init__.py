"""qcheck test suite."""
