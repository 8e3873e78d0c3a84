"""The pairing token: 256 random bits, hex-encoded, in `<config dir>/token` with mode 0600.

The extension sends it in `hello`; pasting it once into the extension's options page pairs the
two. `contact-guard pair` creates it when missing and prints it; `pair --rotate` replaces it
(connections opened afterwards need the new one). `contact-guard serve` creates it when missing
too, so a first run just works.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
from pathlib import Path
from typing import Final

from companion.config import ensure_config_dir, resolve_config_dir
from companion.errors import ConfigError

TOKEN_FILE: Final = "token"
TOKEN_BYTES: Final = 32
_TOKEN: Final = re.compile(r"[0-9a-f]{64}")

PASTE_INSTRUCTIONS: Final = (
    "Paste this token into Contact Guard's options page (right-click the extension's icon, "
    "Options), then keep `contact-guard serve` running."
)


def token_path(directory: Path) -> Path:
    return directory / TOKEN_FILE


def read_token(directory: Path) -> str | None:
    """The saved token, or None when there is none yet."""
    path = token_path(directory)
    try:
        token = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the pairing token {path}: {exc}") from None
    if not _TOKEN.fullmatch(token):
        raise ConfigError(f"the pairing token file {path} is damaged; run `contact-guard pair --rotate`")
    _restrict_to_owner(path)
    return token


def ensure_token(directory: Path, *, rotate: bool = False) -> tuple[str, bool]:
    """The token, made (or remade when `rotate`) if needed; also says whether it was made now."""
    if not rotate and (token := read_token(directory)) is not None:
        return token, False
    ensure_config_dir(directory)
    token = secrets.token_hex(TOKEN_BYTES)
    _write_private(token_path(directory), token + "\n")
    return token, True


def _write_private(path: Path, content: str) -> None:
    """Write atomically, mode 0600 from the first byte (never briefly world-readable)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"cannot write the pairing token {path}: {exc.strerror}") from None


def _restrict_to_owner(path: Path) -> None:
    """A token others can read pairs them too: tighten a loosened mode back to 0600."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(0o600)


def run_pair(args) -> int:
    """`contact-guard pair [--rotate] [--config-dir D]`: the token alone on the first line."""
    directory = resolve_config_dir(args.config_dir)
    try:
        token, created = ensure_token(directory, rotate=args.rotate)
    except ConfigError as exc:
        print(f"contact-guard: {exc}", file=sys.stderr)
        return 1
    print(token)
    print(PASTE_INSTRUCTIONS)
    if created:
        print(f"contact-guard: wrote a new pairing token to {token_path(directory)}", file=sys.stderr)
    return 0
