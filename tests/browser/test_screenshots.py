"""The README shows the screenshots of the sample report that tests/browser/screenshots.py takes."""

from __future__ import annotations

import pytest

from tests.browser.harness import WIDTH, png_size
from tests.browser.screenshots import HEIGHT, IMAGES
from tests.helpers import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_readme_shows_a_screenshot_of_the_report_in_each_language(lang: str) -> None:
    image = IMAGES / f"report-{lang}.png"
    assert f"]({image.relative_to(REPO_ROOT)})" in README
    assert png_size(image.read_bytes()) == (WIDTH, HEIGHT)
