"""`contact-guard status` (is the companion running, where, for how many clients) and
`contact-guard doctor` (one line per check of what the extension needs, exit 1 if any fails).

Both read what the running companion publishes (runtime_state.py) and the config dir; neither
starts anything nor changes a file.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from companion import __version__
from companion.config import resolve_config_dir
from companion.pairing import TOKEN_FILE
from companion.runtime_state import RuntimeState, read_state

DEFAULT_PORT = 47821  # the server's default; duplicated so `status` does not import websockets
REPO = Path(__file__).resolve().parent.parent
OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"


def run_status(args, out=None) -> int:
    """Exit 0 when the companion runs, 1 when it does not."""
    out = out or sys.stdout
    directory = resolve_config_dir(args.config_dir)
    state = read_state(directory)
    if args.json:
        out.write(json.dumps({"running": state is not None, "config_dir": str(directory),
                              **(_state_fields(state) if state else {})}) + "\n")
        return 0 if state else 1
    if state is None:
        out.write(f"contact-guard {__version__}: the companion is not running (config dir {directory})\n"
                  "  start it with `contact-guard serve`, or at every login with `contact-guard install-autostart`\n")
        return 1
    out.write(f"contact-guard {state.version}: running, pid {state.pid}, up {_duration(time.time() - state.started)}\n"
              f"  listening on {_url(state)}\n"
              f"  paired clients connected: {state.clients}{_last_seen(state)}\n"
              f"  config dir: {directory}\n")
    return 0


def _state_fields(state: RuntimeState) -> dict:
    return {"pid": state.pid, "url": _url(state), "port": state.port, "version": state.version,
            "clients": state.clients, "last_client": state.last_client, "started": state.started}


def _url(state: RuntimeState) -> str:
    return f"ws://{f'[{state.host}]' if ':' in state.host else state.host}:{state.port}"


def _last_seen(state: RuntimeState) -> str:
    if state.clients or state.last_client is None:
        return "" if state.clients else " (none since it started)"
    return f" (last one left {_duration(time.time() - state.last_client)} ago)"


def _duration(seconds: float) -> str:
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60}s"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60}m"
    return f"{s // 86400}d {s % 86400 // 3600}h"


# --- doctor ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    status: str  # OK, WARN, FAIL or SKIP
    name: str
    detail: str


def run_doctor(args, out=None) -> int:
    out = out or sys.stdout
    checks = list(diagnose(resolve_config_dir(args.config_dir), args.port))
    for check in checks:
        out.write(f"{check.status:<4}  {check.name}: {check.detail}\n")
    failed = sum(check.status == FAIL for check in checks)
    out.write(f"{failed} problem{'s' * (failed != 1)} found\n" if failed else "everything looks right\n")
    return 1 if failed else 0


def diagnose(directory: Path, port: int | None = None) -> Iterator[Check]:
    state = read_state(directory)
    yield check_config_dir(directory)
    yield check_token(directory)
    yield check_companion(state, directory)
    yield check_port(state, port or DEFAULT_PORT)
    yield check_extension_seen(state)
    manifest = find_manifest()
    yield check_firefox_csp(manifest)
    yield check_versions(state, manifest)


def check_config_dir(directory: Path) -> Check:
    name = "config dir"
    try:
        info = directory.stat()
    except FileNotFoundError:
        return Check(FAIL, name, f"{directory} does not exist (`contact-guard pair` creates it)")
    except OSError as exc:
        return Check(FAIL, name, f"{directory}: {exc.strerror}")
    if not stat.S_ISDIR(info.st_mode):
        return Check(FAIL, name, f"{directory} is not a directory")
    if os.name != "nt" and info.st_mode & 0o077:
        return Check(FAIL, name, f"{directory} is mode {stat.S_IMODE(info.st_mode):o}; others can look in it "
                                 f"(fix: chmod 700 {directory})")
    if os.name != "nt" and info.st_uid != os.getuid():
        return Check(FAIL, name, f"{directory} belongs to another user (uid {info.st_uid})")
    return Check(OK, name, f"{directory} (owner only)")


def check_token(directory: Path) -> Check:
    name = "pairing token"
    path = directory / TOKEN_FILE
    try:
        info = path.stat()
        content = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return Check(FAIL, name, f"{path} does not exist (create it with `contact-guard pair`)")
    except (OSError, UnicodeDecodeError) as exc:
        return Check(FAIL, name, f"{path} cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})")
    if os.name != "nt" and info.st_mode & 0o077:
        return Check(FAIL, name, f"{path} is mode {stat.S_IMODE(info.st_mode):o}; it must be 600 (fix: chmod 600 {path})")
    if len(content) != 64 or any(c not in "0123456789abcdef" for c in content):
        return Check(FAIL, name, f"{path} does not hold a valid token (make a new one: `contact-guard pair --rotate`)")
    return Check(OK, name, f"{path} (mode 600, 256 bits)")


def check_companion(state: RuntimeState | None, directory: Path) -> Check:
    if state is None:
        return Check(FAIL, "companion", f"not running for config dir {directory} (start it: `contact-guard serve`)")
    return Check(OK, "companion", f"running, pid {state.pid}, version {state.version}")


def check_port(state: RuntimeState | None, port: int) -> Check:
    if state is not None:
        answer = _probe(state.host, state.port)
        if answer == "companion":
            return Check(OK, "port", f"{_url(state)} answers as the companion")
        return Check(FAIL, "port", f"{_url(state)} does not answer as the companion ({answer})")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", port))
    except OSError:
        answer = _probe("127.0.0.1", port)
        if answer == "companion":
            return Check(WARN, "port", f"{port} answers as a companion started with another config dir")
        return Check(FAIL, "port", f"{port} is taken by another program: the companion cannot listen there "
                                   "(run it with --port and set the same port in the extension's options)")
    return Check(OK, "port", f"{port} is free for the companion")


def _probe(host: str, port: int) -> str:
    """'companion' if host:port refuses a WebSocket handshake without Origin the way the companion
    does (HTTP 403 naming the extension), else what it did."""
    request = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: Y29udGFjdC1ndWFyZC1kb2M=\r\nSec-WebSocket-Version: 13\r\n\r\n")
    try:
        with socket.create_connection((host, port), timeout=3) as connection:
            connection.sendall(request.encode())
            reply = b""
            while len(reply) < 4096 and (chunk := connection.recv(4096)):
                reply += chunk
                if b"\r\n\r\n" in reply and b"extension" in reply:
                    break
    except OSError as exc:
        return f"no answer: {exc.strerror or exc}"
    head = reply.split(b"\r\n", 1)[0].decode("latin-1", "replace")
    return "companion" if b" 403 " in reply[:16] and b"extension" in reply else f"answered {head!r}"


def check_extension_seen(state: RuntimeState | None) -> Check:
    name = "extension"
    if state is None:
        return Check(SKIP, name, "unknown while the companion is not running")
    if state.clients:
        return Check(OK, name, f"{state.clients} paired client{'s' * (state.clients != 1)} connected now")
    if state.last_client is not None:
        return Check(WARN, name, f"none connected now; the last one left {_duration(time.time() - state.last_client)} ago")
    return Check(WARN, name, "none has connected since the companion started (load the extension, paste the "
                             "token from `contact-guard pair` into its options page)")


def find_manifest() -> Path | None:
    """The extension manifest shipped with this install: package data if present, else the checkout's."""
    candidates = []
    try:
        candidates.append(Path(str(resources.files("companion") / "extension" / "manifest.json")))
    except (ModuleNotFoundError, TypeError):
        pass
    candidates.append(REPO / "extension" / "src" / "manifest.json")
    return next((path for path in candidates if path.is_file()), None)


def check_firefox_csp(manifest: Path | None) -> Check:
    name = "Firefox CSP"
    if manifest is None:
        return Check(SKIP, name, "no extension manifest shipped with this install")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Check(FAIL, name, f"{manifest} cannot be read ({type(exc).__name__})")
    policy = data.get("content_security_policy") or {}
    policies = policy.values() if isinstance(policy, dict) else [policy]
    if any("upgrade-insecure-requests" in str(p) for p in policies):
        return Check(FAIL, name, f"{manifest}: upgrade-insecure-requests would turn ws://127.0.0.1 into wss:// in "
                                 "Firefox, and the extension could not reach the companion")
    return Check(OK, name, "no upgrade-insecure-requests (ws://127.0.0.1 stays reachable)")


def check_versions(state: RuntimeState | None, manifest: Path | None) -> Check:
    versions = {"companion package": __version__}
    try:
        versions["installed metadata"] = metadata.version("contact-guard")
    except metadata.PackageNotFoundError:
        pass
    if manifest is not None:
        try:
            versions["extension manifest"] = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            pass
    if state is not None:
        versions["running companion"] = state.version
    if len(set(versions.values())) == 1:
        return Check(OK, "versions", f"{__version__} everywhere ({', '.join(versions)})")
    listed = ", ".join(f"{where} {version}" for where, version in versions.items())
    return Check(FAIL, "versions", f"they differ: {listed} (restart the companion / reinstall after upgrading)")
