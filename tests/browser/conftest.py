"""The browser tests: pages loaded in a real headless chromium, as a reader would see them.

A test layer of its own, mirroring no module: the harness (``harness.py``) is proven on the
hand-made pages in ``data/``, then used on the reports qcheck writes. Without chromium and
chromedriver the tests are skipped, with the reason; where the environment variable CI is set
they fail instead, so that CI cannot pass without running them (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import pytest

from tests.browser.harness import Browser, Programs, find_programs, zh_families

DATA = Path(__file__).resolve().parent / "data"


def unavailable(reason: str, environ: Mapping[str, str] = os.environ) -> NoReturn:
    """Skip the test for ``reason``, or fail it where CI is set: CI must run every test."""
    if environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def programs() -> Programs:
    """Return the system's chromium and chromedriver (skip, or fail in CI, without them)."""
    found = find_programs()
    if isinstance(found, str):
        unavailable(found)
    return found


# Package-scoped, not session-scoped: the browser and its driver are gone before the other
# tests run, some of which count this process's children.
@pytest.fixture(scope="package")
def browser(programs: Programs) -> Iterator[Browser]:
    """Return one headless browser for the browser tests, the network blocked."""
    started = Browser(programs)
    yield started
    started.quit()


@pytest.fixture(scope="session")
def chinese_fonts() -> frozenset[str]:
    """Return the Chinese font families installed (skip, or fail in CI, without any)."""
    families = zh_families()
    if not families:
        unavailable("no Chinese font (fc-list :lang=zh): install fonts-noto-cjk")
    return families
