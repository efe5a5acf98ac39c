"""Take the README's screenshots of the sample report: ``python -m tests.browser.screenshots``.

Writes docs/images/report-zh.png and report-en.png: the top of the HTML report of the
"Done when" run (the city's report and the counties' files), 1200 pixels wide, in a headless
chromium with the network blocked.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from qcheck.formats import FORMATS
from tests.browser.harness import WIDTH, Browser, find_programs
from tests.helpers import REPO_ROOT, run_cli

IMAGES = REPO_ROOT / "docs" / "images"
#: As the README's command names them: the report's header shows its sources as given.
INPUTS = ("samples/report-2020-with-failures.csv", "samples/counties")
#: Tall enough for the header, the summary and the first charts.
HEIGHT = 1400


def take(browser: Browser, lang: str, folder: Path) -> bytes:
    """Return the screenshot of the sample report in ``lang``, written to ``folder``."""
    page = folder / f"report-{lang}.html"
    result = run_cli(["evaluate", *INPUTS, "--lang", lang, "-o", str(page)])
    if result.exit_code not in (0, 1):
        raise SystemExit(f"qcheck refused the samples (exit {result.exit_code}):\n{result.output}")
    loaded = browser.load(page)
    if loaded.errors or loaded.requests:
        raise SystemExit(f"the {lang} report is not clean: {loaded}")
    return browser.screenshot(WIDTH, HEIGHT)


def main() -> int:
    """Write the screenshots; return the exit status."""
    if "html" not in FORMATS:
        print("qcheck has no HTML report to take a screenshot of", file=sys.stderr)
        return 1
    programs = find_programs()
    if isinstance(programs, str):
        print(programs, file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    os.chdir(REPO_ROOT)
    browser = Browser(programs)
    try:
        with tempfile.TemporaryDirectory() as folder:
            for lang in ("zh", "en"):
                image = IMAGES / f"report-{lang}.png"
                image.write_bytes(take(browser, lang, Path(folder)))
                print(image.relative_to(REPO_ROOT))
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
