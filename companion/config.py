"""Where the companion keeps its state, and the optional config.json in it.

The config dir is, first match wins: the --config-dir flag, the CONTACT_GUARD_CONFIG_DIR
environment variable, then the per-user config dir from platformdirs (~/.config/contact-guard on
Linux). It holds `token` (the pairing token, mode 0600, see pairing.py) and optionally
`config.json`:

    {"extra_extension_ids": ["abcdefghijklmnopabcdefghijklmnop"]}

Extra ids are Chrome/Edge extension ids (32 letters a-p) whose `chrome-extension://` origin may
connect besides the published extension's own, e.g. an unpacked development build.
Nothing typed by the user is ever written here.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import platformdirs

from companion.errors import ConfigError

APP_NAME: Final = "contact-guard"
CONFIG_DIR_ENV: Final = "CONTACT_GUARD_CONFIG_DIR"
CONFIG_FILE: Final = "config.json"
_EXTENSION_ID: Final = re.compile(r"[a-p]{32}")


@dataclass(frozen=True, slots=True)
class Config:
    directory: Path
    extra_extension_ids: tuple[str, ...] = ()


def resolve_config_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    if flag:
        return Path(flag).expanduser()
    if env := os.environ.get(CONFIG_DIR_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def ensure_config_dir(directory: Path) -> Path:
    """Create the dir readable by its owner only (it holds the pairing token)."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the config dir {directory}: {exc.strerror}") from None
    if not directory.is_dir():
        raise ConfigError(f"the config dir {directory} is not a directory")
    return directory


def load_config(directory: Path) -> Config:
    """Read config.json if it exists; a missing file means the defaults."""
    path = directory / CONFIG_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(directory)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a JSON object")
    ids = data.get("extra_extension_ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, str) and _EXTENSION_ID.fullmatch(i) for i in ids):
        raise ConfigError(
            f"{path}: extra_extension_ids must be a list of Chrome extension ids (32 letters a-p)"
        )
    return Config(directory, tuple(ids))
