"""The pairing token: 256 random bits, hex-encoded, in `<config dir>/token` with mode 0600, and
the proofs both sides make with it.

Pasting the token once into the extension's options page pairs the two. It never crosses the
wire: on connect each side sends a fresh random nonce, and each proves it holds the token with
HMAC-SHA256 (keyed by the token's 32 bytes) over both nonces and the port the extension dialed,
under a different label per direction so one side's proof can never be replayed as the other's.
The companion proves first; the extension proves only once the companion's proof checks.
`contact-guard pair` creates the token when missing and prints it; `pair --rotate` replaces it
(connections opened afterwards need the new one). `contact-guard serve` creates it when missing
too, so a first run just works.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import re
import secrets
import signal
import stat
import sys
from pathlib import Path
from typing import Final, Literal

from companion.config import (
    CONFIG_FILE,
    allow_extension,
    ensure_config_dir,
    forget_extension,
    load_config,
    resolve_config_dir,
)
from companion.errors import ConfigError

TOKEN_FILE: Final = "token"
TOKEN_BYTES: Final = 32
_TOKEN: Final = re.compile(r"[0-9a-f]{64}")
_FIREFOX_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

PASTE_INSTRUCTIONS: Final = (
    "Paste this token into Contact Guard's options page (right-click the extension's icon, "
    "Options), then keep `contact-guard serve` running."
)


NONCE_BYTES: Final = 32
# What each direction's HMAC is over starts with its own label (extension/src/lib/protocol.js
# has the same two).
PROOF_LABELS: Final = {
    "companion": "contact-guard/2 companion proof",
    "extension": "contact-guard/2 extension proof",
}
Prover = Literal["companion", "extension"]


def new_nonce() -> str:
    """A fresh nonce for one handshake: 256 random bits as 64 lowercase hex digits."""
    return secrets.token_hex(NONCE_BYTES)


def make_proof(token: str, prover: Prover, *, client_nonce: str, companion_nonce: str, port: int) -> str:
    """HMAC-SHA256 keyed by the token's bytes over "<label>\\n<client nonce>\\n<companion nonce>\\n<port>",
    as 64 lowercase hex digits. Binding the port makes a relay on another port fail: the extension
    checks against the port it dialed, the companion proves with the port it listens on."""
    message = "\n".join((PROOF_LABELS[prover], client_nonce, companion_nonce, str(port))).encode("ascii")
    return hmac.new(bytes.fromhex(token), message, hashlib.sha256).hexdigest()


def proof_checks(expected: str, given: str) -> bool:
    """Constant-time comparison (an attacker may send anything as `given`)."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "replace"))


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
        raise ConfigError(f"cannot read the pairing token {path}: {exc}") from exc
    if not _TOKEN.fullmatch(token):
        raise ConfigError(f"the pairing token file {path} is damaged; run `contact-guard pair --rotate`")
    _restrict_to_owner(path)
    return token


class TokenCache:
    """The token for each new connection without opening the file each time: a stat() (which needs
    no file descriptor) tells whether it changed, so `pair --rotate` still applies at once, and a
    companion out of file descriptors keeps admitting the paired extension."""

    def __init__(self, directory: Path) -> None:
        self._path = token_path(directory)
        self._directory = directory
        self._seen: tuple[int, int, int] | None = None
        self._token: str | None = None

    def current(self) -> str | None:
        """The token now (None when there is none); raises ConfigError when a changed file cannot
        be read and no earlier token is known."""
        try:
            info = self._path.stat()
        except FileNotFoundError:
            self._seen, self._token = None, None
            return None
        except OSError:
            return self._token
        seen = (info.st_ino, info.st_mtime_ns, info.st_size)
        if seen != self._seen:
            try:
                self._token = read_token(self._directory)
            except ConfigError as exc:
                out_of_descriptors = getattr(exc.__cause__, "errno", None) in (errno.EMFILE, errno.ENFILE)
                if self._token is None or not out_of_descriptors:
                    raise
                return self._token  # keep the last good token; read again next time
            self._seen = seen
        return self._token


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
    """`contact-guard pair [--rotate] [--allow-firefox UUID] [--config-dir D]`: the token alone on
    the first line. --allow-firefox adds a Firefox install's uuid to config.json (Firefox origins
    are random per install, and the companion refuses every one it was not told about) and asks a
    running companion to reload it (SIGHUP). `pair --list` / `pair --forget ID`: list_allowed,
    forget_allowed (no token printed)."""
    directory = resolve_config_dir(args.config_dir)
    if getattr(args, "list", False):
        return list_allowed(directory)
    if getattr(args, "forget", None) is not None:
        return forget_allowed(directory, args.forget)
    try:
        token, created = ensure_token(directory, rotate=args.rotate)
        allowed = getattr(args, "allow_firefox", None)
        if allowed is not None:
            uuid = allowed.strip().removeprefix("moz-extension://").strip("/")
            if _FIREFOX_UUID.fullmatch(uuid.lower()) is None:
                raise ConfigError(f"--allow-firefox: {allowed[:80]!r} is not a Firefox extension uuid "
                                  "(like 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0; the options page shows it)")
            added = allow_extension(directory, uuid)
    except ConfigError as exc:
        print(f"contact-guard: {exc}", file=sys.stderr)
        return 1
    print(token)
    print(PASTE_INSTRUCTIONS)
    if created:
        print(f"contact-guard: wrote a new pairing token to {token_path(directory)}", file=sys.stderr)
    if allowed is not None:
        print(f"contact-guard: Firefox install {uuid.lower()} {'allowed' if added else 'was already allowed'} "
              f"({directory / CONFIG_FILE}); {_reload_running(directory)}", file=sys.stderr)
    return 0


def list_allowed(directory: Path) -> int:
    """`pair --list`: every browser install allowed to connect, one a line: its id (as `--forget`
    takes it), a tab, what it is. The published Chrome extension is always allowed."""
    from companion.server import EXTENSION_ID

    try:
        ids = load_config(directory).extra_extension_ids
    except ConfigError as exc:
        print(f"contact-guard: {exc}", file=sys.stderr)
        return 1
    print(f"{EXTENSION_ID}\tChrome: the published extension (always allowed)")
    for extension_id in ids:
        kind = "Firefox install" if _FIREFOX_UUID.fullmatch(extension_id) else "Chrome/Edge build"
        print(f"{extension_id}\t{kind} ({directory / CONFIG_FILE})")
    if not ids:
        print("contact-guard: no other install is allowed (`pair --allow-firefox UUID` adds a Firefox one)",
              file=sys.stderr)
    return 0


def forget_allowed(directory: Path, given: str) -> int:
    """`pair --forget ID`: removes a listed install (a Firefox uuid or a Chrome id, or its origin)
    from config.json and asks a running companion to reload it, which also closes that install's
    open connections. Exit 1 when it was not listed (nothing changed) or is the built-in one."""
    from companion.server import EXTENSION_ID

    extension_id = re.sub(r"^(?:moz|chrome)-extension://", "", given.strip(), flags=re.IGNORECASE).strip("/").lower()
    if extension_id == EXTENSION_ID:
        print("contact-guard: the published Chrome extension is always allowed; to unpair every browser, "
              "`contact-guard pair --rotate`", file=sys.stderr)
        return 1
    try:
        removed = forget_extension(directory, extension_id)
    except ConfigError as exc:
        print(f"contact-guard: --forget: {exc}", file=sys.stderr)
        return 1
    if not removed:
        print(f"contact-guard: {extension_id} is not allowed in {directory / CONFIG_FILE}, nothing changed "
              "(`contact-guard pair --list` shows what is)", file=sys.stderr)
        return 1
    print(f"contact-guard: {extension_id} is no longer allowed ({directory / CONFIG_FILE}); "
          f"{_reload_running(directory)}", file=sys.stderr)
    return 0


def _reload_running(directory: Path) -> str:
    """Asks the companion running with this config dir to read config.json again."""
    from companion.runtime_state import read_state

    state = read_state(directory)
    if state is None:
        return "the companion applies it when it starts"
    if not hasattr(signal, "SIGHUP"):  # Windows: no reload signal
        return "restart the companion to apply it"
    try:
        os.kill(state.pid, signal.SIGHUP)
    except OSError:
        return "restart the companion to apply it"
    return f"the running companion (pid {state.pid}) applies it now"
