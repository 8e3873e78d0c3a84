"""Where the companion keeps its state, and the optional config.json in it.

The config dir is, first match wins: the --config-dir flag, the CONTACT_GUARD_CONFIG_DIR
environment variable, then the per-user config dir from platformdirs (~/.config/contact-guard on
Linux). It holds `token` (the pairing token, mode 0600, see pairing.py) and optionally
`config.json`:

    {"extra_extension_ids": ["abcdefghijklmnopabcdefghijklmnop"],
     "limits": {"max_clients": 8, "rate": 50}}

Extra ids are Chrome/Edge extension ids (32 letters a-p) whose `chrome-extension://` origin may
connect besides the published extension's own, e.g. an unpacked development build. `limits`
overrides the companion's limits (LIMITS below; a command-line flag wins over it). `contact-guard
serve` reads the file at start and again on SIGHUP. Nothing typed by the user is ever written here.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

import platformdirs

from companion.errors import ConfigError

APP_NAME: Final = "contact-guard"
CONFIG_DIR_ENV: Final = "CONTACT_GUARD_CONFIG_DIR"
CONFIG_FILE: Final = "config.json"
_EXTENSION_ID: Final = re.compile(r"[a-p]{32}")
# The limits config.json may set: name -> (type, what it is). Every one must be > 0.
LIMITS: Final = MappingProxyType({
    "max_clients": (int, "paired clients at once (per pairing token)"),
    "max_pending": (int, "connections still in the handshake, all peers together"),
    "max_pending_per_peer": (int, "connections still in the handshake from one peer address"),
    "handshake_timeout": (float, "seconds from connect to a checked proof"),
    "send_timeout": (float, "seconds a reply may wait for the client to read earlier ones"),
    "rate": (float, "messages per second per connection, after a burst"),
    "burst": (int, "messages at once per connection"),
})


@dataclass(frozen=True, slots=True)
class Config:
    directory: Path
    extra_extension_ids: tuple[str, ...] = ()
    # Overrides from config.json "limits" (names from LIMITS); unset ones keep the defaults.
    limits: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


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
    return Config(directory, tuple(ids), MappingProxyType(_limits(path, data.get("limits", {}))))


def _limits(path: Path, limits: object) -> dict[str, float]:
    if not isinstance(limits, dict):
        raise ConfigError(f"{path}: limits must be an object, e.g. {{\"max_clients\": 8}}")
    checked = {}
    for name, value in limits.items():
        if name not in LIMITS:
            raise ConfigError(f"{path}: unknown limit {name[:40]!r}; known: {', '.join(LIMITS)}")
        kind, _ = LIMITS[name]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or value <= 0 or (kind is int and value != int(value)) or value != value or value == float("inf"):
            raise ConfigError(f"{path}: limits.{name} must be a positive {'whole ' if kind is int else ''}number")
        checked[name] = kind(value)
    return checked
