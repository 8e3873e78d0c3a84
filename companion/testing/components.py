"""The real components a browser check needs: the companion as a subprocess, a static site on
loopback, a free port, and where the unpacked extension is.

Nothing here imports a browser driver, so it is cheap to import from any test.
"""

from __future__ import annotations

import functools
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import companion

# Fixed by the manifest "key" (extension/README.md); the companion accepts this origin.
CHROME_EXTENSION_ID = "pjodcephcifkhgojdnnjbfknidmnglpj"
# browser_specific_settings.gecko.id; Firefox gives each install a random moz-extension:// uuid.
GECKO_ID = "contact-guard@contactguard.dev"


class HarnessError(RuntimeError):
    """A real component could not be started; the message says which and why."""


def extension_dir() -> Path:
    """The unpacked extension: $CG_EXTENSION_DIR, else the copy inside the installed package
    (a wheel ships it as package data), else the repository's extension/src (a checkout)."""
    candidates = []
    if os.environ.get("CG_EXTENSION_DIR"):
        candidates.append(Path(os.environ["CG_EXTENSION_DIR"]))
    package = Path(companion.__file__).resolve().parent
    candidates += [package / "extension", package.parent / "extension" / "src"]
    for candidate in candidates:
        if (candidate / "manifest.json").is_file():
            return candidate.resolve()
    raise HarnessError(
        "no unpacked extension found (looked in " + ", ".join(map(str, candidates))
        + "); set CG_EXTENSION_DIR to a folder holding manifest.json"
    )


def free_port() -> int:
    """A port the OS says is free now (never assume a fixed one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def health_status(port: int, origin: str) -> int | None:
    """The HTTP status of the companion's health answer for a request from `origin` (None: no answer)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health", headers={"Origin": origin})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


class Companion:
    """The real companion (`python -m companion serve`) as a subprocess, with its own config dir;
    restartable on the same port. Its output is kept: the companion never logs typed text."""

    def __init__(self, config_dir: Path, port: int | None = None) -> None:
        self.config_dir = Path(config_dir)
        self.port = port or free_port()
        self.output: list[str] = []
        self.allowed: set[str] = set()  # Firefox install uuids in its config.json
        self._process: subprocess.Popen[str] | None = None

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "companion", *args, "--config-dir", str(self.config_dir)]

    def pair(self) -> str:
        """The pairing token, exactly as a user gets it from `contact-guard pair`."""
        done = subprocess.run(self._command("pair"), capture_output=True, text=True, timeout=60)
        lines = done.stdout.splitlines()
        if done.returncode != 0 or not lines:
            raise HarnessError(f"`companion pair` failed (exit {done.returncode}): {done.stderr.strip()}")
        return lines[0].strip()

    def allow_firefox(self, uuid: str, timeout: float = 30.0) -> None:
        """Lets a Firefox install connect, as its user does: `contact-guard pair --allow-firefox`
        (the companion refuses every moz-extension:// origin it was not told about; the command
        makes a running companion reload at once). Waits until the running companion accepts it."""
        if uuid in self.allowed:
            return
        done = subprocess.run(self._command("pair", "--allow-firefox", uuid), capture_output=True, text=True,
                              timeout=60)
        if done.returncode != 0:
            raise HarnessError(f"`companion pair --allow-firefox` failed (exit {done.returncode}): "
                               f"{done.stderr.strip()}")
        deadline = time.monotonic() + timeout
        while self.running and health_status(self.port, f"moz-extension://{uuid}") != 200:
            if time.monotonic() > deadline:
                raise HarnessError(f"the companion did not accept Firefox install {uuid} within {timeout} s")
            time.sleep(0.05)
        self.allowed.add(uuid)

    def reload(self) -> None:
        """SIGHUP: the running companion reads config.json again (nobody is dropped)."""
        if self.running:
            self._process.send_signal(signal.SIGHUP)

    def start(self, timeout: float = 30.0) -> None:
        self._process = subprocess.Popen(
            [*self._command("serve"), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._drain, args=(self._process,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self._process.poll() is not None:
                raise HarnessError(
                    f"companion exited with {self._process.returncode} before listening:\n"
                    + "".join(self.output[-20:])
                )
            if time.monotonic() > deadline:
                self.stop()
                raise HarnessError(f"companion did not listen on port {self.port} within {timeout} s")
            time.sleep(0.05)

    def _drain(self, process: subprocess.Popen[str]) -> None:
        for line in process.stdout:
            self.output.append(line)

    def stop(self, *, hard: bool = False) -> None:
        """SIGKILL (hard, like a crash) or SIGTERM, and wait until it has exited."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None


class _Handler(http.server.SimpleHTTPRequestHandler):
    headers_by_path: Mapping[str, Mapping[str, str]] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_by_path.get(self.path.split("?", 1)[0], {}).items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # keep test output readable
        pass


class SiteServer:
    """A folder served on http://127.0.0.1:<free port> (one thread per request), optionally with
    extra response headers per path (e.g. a strict Content-Security-Policy)."""

    def __init__(self, root: Path, headers: Mapping[str, Mapping[str, str]] | None = None) -> None:
        handler = type("Handler", (_Handler,), {"headers_by_path": dict(headers or {})})
        self.root = Path(root)
        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"{self.origin}/{path.lstrip('/')}"
