"""The --config option: a reports repository's qcheck.toml, found and made Click's defaults.

Light at start-up: the model that reads the file is imported only when there is one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qcheck.cli.lang import requested_lang
from qcheck.cli.messages import ARGS_KEY
from qcheck.cli.streams import error_console
from qcheck.repository import CONFIG_NAME, DEFAULT_REPORTS, PYPROJECT_NAME
from qcheck.words import LANGS, Listed, label

if TYPE_CHECKING:
    from qcheck.config import Config

CONFIG_KEY = "qcheck.config"  # ctx.meta: the Settings of the run
NO_CONFIG = "none"
# The parameter each key of the settings gives its default to, and the commands that take it
# (None: every command with that parameter). --fail-on of diff takes other words.
_PARAMETERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "targets": ("targets_path", None),
    "year": ("year", None),
    "waivers": ("waivers", ("evaluate",)),
    "fail_on": ("fail_on", ("evaluate",)),
    "lang": ("lang", None),
}


@dataclass(frozen=True)
class Settings:
    """The settings a run was given: the file they came from (if any) and what it says."""

    path: Path | None = None
    config: Config | None = None

    def reports_folder(self) -> str:
        """Return the folder of year folders --layout reads, as a path from the working folder."""
        # From the settings file's folder, the default too: run from a subfolder, the reports
        # are still the repository's.
        named = self.config.reports if self.config else DEFAULT_REPORTS
        return self._from_here(named) if self.path else named

    def defaults(self, command: str, parameters: set[str]) -> dict[str, Any]:
        """Return the defaults the settings give ``command``'s parameters (Click's default_map)."""
        if self.config is None:
            return {}
        found: dict[str, Any] = {}
        for key in self.given():
            if key not in _PARAMETERS:
                continue
            parameter, commands = _PARAMETERS[key]
            if parameter in parameters and (commands is None or command in commands):
                found[parameter] = self._value(key)
        return found

    def given(self) -> set[str]:
        """Return the keys the settings file sets."""
        return set() if self.config is None else set(self.config.model_fields_set)

    def _value(self, key: str) -> Any:
        value = getattr(self.config, key)
        if key == "targets":
            return self._from_here(value)
        if key == "waivers":
            return tuple(self._from_here(path) for path in value)
        return value

    def _from_here(self, path: str) -> str:
        """Return a path the settings file gives, relative to its folder, from the working one."""
        folder = self.path.parent if self.path else Path()
        return shown_path(folder / Path(path).expanduser())


def shown_path(path: Path) -> str:
    """Return a path as messages show it: from the working folder where it is under it."""
    joined = os.path.normpath(Path.cwd() / path)
    try:
        return os.path.relpath(joined)
    except ValueError:  # another drive, on Windows
        return joined


def find_config(start: Path) -> Path | None:
    """Return the settings file for ``start``: qcheck.toml or a pyproject.toml with [tool.qcheck].

    Looked for in ``start`` and each folder above it up to the repository's root (the folder
    holding .git). Outside a repository, only in ``start``: a file in a folder shared above
    it must not change a verdict unseen.
    """
    here = start.absolute()
    ancestors = (here, *here.parents)
    root = next((folder for folder in ancestors if (folder / ".git").exists()), None)
    for folder in ancestors if root is not None else (here,):
        named = folder / CONFIG_NAME
        if named.is_file():
            return named
        pyproject = folder / PYPROJECT_NAME
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
        if folder == root:
            break
    return None


def _has_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml seems to hold qcheck's table (reading it then says if it does)."""
    try:
        with pyproject.open(encoding="utf-8", errors="replace") as file:
            return any(line.strip().startswith("[tool.qcheck") for line in file)
    except OSError:
        return False


def _read(ctx: click.Context, _param: click.Parameter, value: str | None) -> Settings:
    """Find and read the settings, and make them the defaults of the command's options."""
    path = None if value == NO_CONFIG else Path(value) if value else find_config(Path())
    if path is None:
        settings = Settings()
    else:
        from qcheck.loaders.config import load_config

        settings = Settings(path, load_config(path))
    ctx.meta[CONFIG_KEY] = settings
    names = {param.name for param in ctx.command.params if param.name}
    defaults = settings.defaults(ctx.command.name or "", names)
    if defaults:
        ctx.default_map = {**defaults, **(ctx.default_map or {})}
    said = sorted(key.replace("_", "-") for key in settings.given())
    if path is not None and said:  # whatever it sets: a setting never acts unseen
        lang = _lang(ctx.meta.get(ARGS_KEY) or [], defaults.get("lang"))
        message = label(lang, "config_read", path=shown_path(path), keys=Listed(said))
        error_console().print(message, style="yellow", markup=False)
    return settings


def _lang(args: list[str], configured: str | None) -> str:
    """Return the language of the run as --lang will be: the option, QCHECK_LANG, the settings."""
    asked = any(word == "--lang" or word.startswith("--lang=") for word in args)
    if asked or os.environ.get("QCHECK_LANG") in LANGS or configured is None:
        return requested_lang(args)
    return configured


CONFIG_OPTION = click.option(
    "--config",
    "settings",
    metavar="FILE",
    is_eager=True,
    expose_value=False,
    envvar="QCHECK_CONFIG",
    callback=_read,
    help="Settings file (qcheck.toml, or pyproject.toml with [tool.qcheck]); options given "
    "beat it. Default: found in this folder or one above it, up to the repository's root; "
    f"'{NO_CONFIG}': none.",
)


def settings_of(ctx: click.Context) -> Settings:
    """Return the settings the running command read (none if it takes no --config)."""
    found = ctx.meta.get(CONFIG_KEY)
    return found if isinstance(found, Settings) else Settings()
