"""Settings in qcheck.toml or [tool.qcheck]: found, read, beaten by options, refused when bad."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qcheck.cli.config import find_config
from tests.helpers import REPO_ROOT, run_cli

SAMPLE = REPO_ROOT / "samples" / "report-2020-with-failures.csv"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QCHECK_LANG", raising=False)
    monkeypatch.delenv("QCHECK_CONFIG", raising=False)
    (tmp_path / ".git").mkdir()
    shutil.copy(SAMPLE, tmp_path / "report.csv")
    return tmp_path


def settle(folder: Path, text: str, name: str = "qcheck.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def evaluated(*args: str) -> dict[str, object]:
    result = run_cli(["evaluate", "report.csv", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    report: dict[str, object] = json.loads(result.stdout)["reports"][0]
    return report


def test_the_settings_give_the_options_their_defaults(repository: Path) -> None:
    settle(repository, 'lang = "zh"\nyear = 2019\nfail-on = "never"\n')
    result = run_cli(["evaluate", "report.csv"])
    assert result.exit_code == 0  # fail-on never, though 2019 has a target not met
    assert "2019" in result.stdout
    assert "张掖市" in result.stdout  # in Chinese
    assert "已读取设置文件 qcheck.toml：fail-on、lang、year" in result.stderr


def test_an_option_given_beats_the_settings(repository: Path) -> None:
    settle(repository, 'lang = "zh"\nyear = 2019\nfail-on = "never"\n')
    result = run_cli(
        ["evaluate", "report.csv", "--lang", "en", "--year", "2020", "--fail-on", "fail"]
    )
    assert result.exit_code == 1
    assert "Zhangye City: quality targets, 2020" in result.stdout
    assert "settings from qcheck.toml: fail-on, lang, year" in result.stderr
    assert run_cli(["evaluate", "report.csv"], QCHECK_LANG="en").stdout.startswith("Zhangye")


def test_paths_are_read_from_the_settings_folder(repository: Path) -> None:
    targets = (REPO_ROOT / "src" / "qcheck" / "targets.yaml").read_text(encoding="utf-8")
    (repository / "plan").mkdir()
    (repository / "plan" / "my-targets.yaml").write_text(
        targets.replace("Zhangye City", "Testing City"), encoding="utf-8"
    )
    settle(repository, 'targets = "plan/my-targets.yaml"\n')
    (repository / "sub").mkdir()
    shutil.copy(SAMPLE, repository / "sub" / "report.csv")
    for folder in (repository, repository / "sub"):
        result = run_cli(["evaluate", str(folder / "report.csv"), "--lang", "en"])
        assert "Testing City" in result.stdout, folder


def test_pyproject_holds_them_under_tool_qcheck(repository: Path) -> None:
    settle(repository, '[project]\nname = "x"\n\n[tool.qcheck]\nyear = 2019\n', "pyproject.toml")
    assert evaluated()["year"] == 2019


def test_a_pyproject_without_the_table_is_not_the_settings(repository: Path) -> None:
    settle(repository, '[project]\nname = "x"\n', "pyproject.toml")
    assert find_config(repository) is None
    assert evaluated()["year"] == 2020


def test_the_search_goes_up_to_the_repository_root(repository: Path) -> None:
    settle(repository.parent, "year = 2019\n")  # above the repository: not its settings
    (repository / "a" / "b").mkdir(parents=True)
    assert find_config(repository / "a" / "b") is None
    found = settle(repository, "year = 2018\n")
    assert find_config(repository / "a" / "b") == found
    (repository.parent / "qcheck.toml").unlink()


def test_config_names_a_file_or_none(repository: Path) -> None:
    settle(repository, "year = 2019\n")
    settle(repository, "year = 2018\n", "other.toml")
    assert evaluated()["year"] == 2019
    assert evaluated("--config", "other.toml")["year"] == 2018
    assert evaluated("--config", "none")["year"] == 2020
    result = run_cli(["evaluate", "report.csv", "--format", "json"], QCHECK_CONFIG="other.toml")
    assert json.loads(result.stdout)["reports"][0]["year"] == 2018


def test_waivers_may_be_one_path_or_a_list(repository: Path) -> None:
    shutil.copy(REPO_ROOT / "samples" / "waivers-2020.yaml", repository / "w.yaml")
    for text in ('waivers = "w.yaml"\n', 'waivers = ["w.yaml"]\n'):
        settle(repository, text)
        results: list[dict[str, object]] = evaluated("--lang", "en")["results"]  # type: ignore[assignment]
        assert any(r["waiver"] for r in results), text


@pytest.mark.parametrize(
    ("text", "row", "key", "says"),
    [
        ('lang = "fr"\n', 1, "lang", "not one of zh, en"),
        ('year = 2020\nfail_on = "never"\n', 2, "fail_on", "Extra inputs are not permitted"),
        ('\nfail-on = "sometimes"\n', 2, "fail-on", "'never', 'fail', 'missing' or 'warn'"),
        ("year = 1999\n", 1, "year", "greater than or equal to 2000"),
        ('targets = " "\n', 1, "targets", "an empty path"),
        ("year = \n", 1, None, "not valid TOML"),
    ],
)
def test_bad_settings_are_refused_by_key_and_line(
    repository: Path, text: str, row: int, key: str | None, says: str
) -> None:
    settle(repository, text)
    result = run_cli(["validate", "report.csv", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert says in result.stderr
    assert f"qcheck.toml, row {row}" in result.stderr
    if key is not None:
        assert f"column '{key}'" in result.stderr
    assert "the keys are targets, reports, year, waivers, fail-on and lang" in result.stderr


def test_bad_settings_are_told_in_chinese(repository: Path) -> None:
    settle(repository, "year = \n")
    result = run_cli(["validate", "report.csv", "--lang", "zh"])
    assert result.exit_code == 2
    assert "不是有效的 TOML" in result.stderr
    assert "可用的键为" in result.stderr


def test_a_settings_key_applies_only_where_the_command_has_it(repository: Path) -> None:
    shutil.copy(REPO_ROOT / "samples" / "waivers-2020.yaml", repository / "w.yaml")
    settle(repository, 'fail-on = "never"\nwaivers = "w.yaml"\nlang = "en"\n')
    result = run_cli(["targets", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "settings from qcheck.toml" in result.stderr
    # diff's --fail-on takes other words (worse, never): the key is evaluate's alone.
    old = run_cli(["evaluate", "report.csv", "--format", "json"]).stdout
    (repository / "old.json").write_text(old, encoding="utf-8")
    diffed = run_cli(["diff", "old.json", "old.json", "--format", "json"])
    assert diffed.exit_code == 0, diffed.output


def test_outside_a_repository_only_the_working_folder_is_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A settings file in a folder shared above the user's once turned exit 1 into 0, unseen.
    work = tmp_path / "shared" / "alice" / "work"
    work.mkdir(parents=True)
    settle(tmp_path / "shared", 'fail-on = "never"\nyear = 2019\n')
    assert find_config(work) is None
    found = settle(work, "year = 2019\n")
    assert find_config(work) == found


def test_the_default_reports_folder_is_the_repository_s_from_a_subfolder(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(repository, 'lang = "en"\n')  # no reports key: the default, reports
    year = repository / "reports" / "2020"
    year.mkdir(parents=True)
    shutil.copy(SAMPLE, year / "city.csv")
    monkeypatch.chdir(year)
    result = run_cli(["validate", "--layout", "city.csv"])
    assert result.exit_code == 0, result.output
    assert "1 file(s)" in result.output
    assert "left out" not in result.output


def test_a_settings_file_that_cannot_be_read_says_it_is_the_settings(repository: Path) -> None:
    for args, env in ((["--config", "nope.toml"], {}), ([], {"QCHECK_CONFIG": "nope.toml"})):
        result = run_cli(["validate", "report.csv", "--lang", "en", *args], **env)
        assert result.exit_code == 2, result.output
        assert "nope.toml: [invalid-config] the settings file cannot be read" in result.stderr
        assert "--config or QCHECK_CONFIG" in result.stderr
