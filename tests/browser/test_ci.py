"""CI's script installs the browser, its driver and a Chinese font, only where they are missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

CI_RUN = REPO_ROOT / ".ci" / "run"
PACKAGES = ("chromium", "chromium-driver", "fonts-noto-cjk", "fontconfig")
#: A Chinese font as fc-list names it.
ZH_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC:style=Regular"


def install_block() -> str:
    """Return the part of .ci/run that installs the browser's packages."""
    found = re.search(r"^if ! command -v chromium .*?^fi$", CI_RUN.read_text(), re.M | re.S)
    assert found, ".ci/run has no block installing chromium"
    return found.group(0)


def run_block(tmp_path: Path, *present: str, fonts: str = "") -> list[str]:
    """Run the install block with only ``present`` commands (and apt-get) on PATH.

    fc-list, when present, lists ``fonts``; apt-get writes down what it was asked.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    stubs = {"apt-get": f'echo "$*" >> {calls}', "fc-list": f"printf '%s' '{fonts}'"}
    for name in ("apt-get", *present):
        stub = bin_dir / name
        stub.write_text(f"#!/bin/sh\n{stubs.get(name, 'exit 0')}\n", encoding="utf-8")
        stub.chmod(0o755)
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash to run .ci/run with")
    subprocess.run(
        [bash, "-euo", "pipefail", "-c", install_block()],
        env={"PATH": str(bin_dir)},
        check=True,
    )
    return calls.read_text().splitlines() if calls.exists() else []


def test_nothing_is_installed_where_everything_is_there(tmp_path: Path) -> None:
    present = ("chromium", "chromedriver", "fc-list")
    assert run_block(tmp_path, *present, fonts=ZH_FONT) == []


@pytest.mark.parametrize(
    ("present", "fonts"),
    [
        (("chromedriver", "fc-list"), ZH_FONT),
        (("chromium", "fc-list"), ZH_FONT),
        (("chromium", "chromedriver", "fc-list"), ""),
        (("chromium", "chromedriver"), ""),
    ],
    ids=["no-browser", "no-driver", "no-chinese-font", "no-fontconfig"],
)
def test_what_is_missing_is_installed(tmp_path: Path, present: tuple[str, ...], fonts: str) -> None:
    update, install = run_block(tmp_path, *present, fonts=fonts)
    assert update == "update -qq"
    assert install.split()[:4] == ["install", "-y", "-qq", "--no-install-recommends"]
    assert install.split()[4:] == list(PACKAGES)


def test_the_packages_are_installed_before_the_tests_run() -> None:
    script = CI_RUN.read_text()
    assert script.index(install_block()) < script.index("python -m pytest")
