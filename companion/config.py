"""Where the companion keeps its state, and the optional config.json in it.

The config dir is, first match wins: the --config-dir flag, the CONTACT_GUARD_CONFIG_DIR
environment variable, then the per-user config dir from platformdirs (~/.config/contact-guard on
Linux). It holds `token` (the pairing token, mode 0600, see pairing.py) and optionally
`config.json`:

    {"extra_extension_ids": ["abcdefghijklmnopabcdefghijklmnop", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"],
     "limits": {"max_clients": 8, "rate": 50}}

Extra ids are the extension installs allowed to connect besides the published Chrome extension:
a Chrome/Edge extension id (32 letters a-p; its `chrome-extension://` origin, e.g. an unpacked
development build) or a Firefox install's uuid (its `moz-extension://` origin: Firefox gives each
install a random one, shown on the extension's options page; `contact-guard pair --allow-firefox
UUID` adds it here, `pair --list` lists them, `pair --forget ID` removes one). No other
`moz-extension://` origin may connect. `limits`
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
_EXTENSION_ID: Final = re.compile(r"[a-p]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
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
    if not isinstance(ids, list) or not all(isinstance(i, str) and is_extension_id(i) for i in ids):
        raise ConfigError(
            f"{path}: extra_extension_ids must be a list of Chrome extension ids (32 letters a-p) "
            "or Firefox extension uuids (like 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)"
        )
    ids = tuple(dict.fromkeys(i.lower() for i in ids))
    return Config(directory, ids, MappingProxyType(_limits(path, data.get("limits", {}))))


def is_extension_id(value: str) -> bool:
    """A Chrome extension id (32 letters a-p) or a Firefox install's uuid (any case)."""
    return bool(_EXTENSION_ID.fullmatch(value.lower()))


def allow_extension(directory: Path, extension_id: str) -> bool:
    """Adds an extension id to config.json's extra_extension_ids, keeping everything else in the
    file; False when it was there already. Raises ConfigError on a bad id or an unusable file."""
    extension_id = extension_id.lower()
    if not is_extension_id(extension_id):
        raise ConfigError(f"{extension_id[:80]!r} is neither a Chrome extension id nor a Firefox extension uuid")
    config = load_config(directory)  # refuses a broken file before it is rewritten
    if extension_id in config.extra_extension_ids:
        return False
    _write_extension_ids(directory, [*config.extra_extension_ids, extension_id])
    return True


def forget_extension(directory: Path, extension_id: str) -> bool:
    """Removes an extension id from config.json's extra_extension_ids, keeping everything else in
    the file; False when it was not listed (nothing is written). Raises ConfigError on a bad id or
    an unusable file."""
    extension_id = extension_id.lower()
    if not is_extension_id(extension_id):
        raise ConfigError(f"{extension_id[:80]!r} is neither a Chrome extension id nor a Firefox extension uuid")
    config = load_config(directory)
    if extension_id not in config.extra_extension_ids:
        return False
    _write_extension_ids(directory, [i for i in config.extra_extension_ids if i != extension_id])
    return True


def _write_extension_ids(directory: Path, ids: list[str]) -> None:
    """Rewrites config.json with `ids` as extra_extension_ids, atomically, the rest kept as it was."""
    path = directory / CONFIG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    data["extra_extension_ids"] = ids
    ensure_config_dir(directory)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None


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
