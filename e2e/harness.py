"""Real components for the end-to-end suite and the latency benchmark.

The companion runs as a subprocess (`python -m companion serve`), the mock order site is served by a
threaded http.server on loopback, and Debian's Chromium is launched by Playwright with the unpacked
extension loaded (a persistent context: it is the only way to get the extension's service worker).
Shared by e2e/conftest.py and e2e/bench.py so both drive exactly the same setup.
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
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Playwright, Worker

REPO_DIR = Path(__file__).resolve().parent.parent
E2E_DIR = REPO_DIR / "e2e"
SITE_DIR = E2E_DIR / "site"
# CG_EXTENSION_DIR lets QA point the suite at another unpacked build of the extension.
EXTENSION_DIR = Path(os.environ.get("CG_EXTENSION_DIR") or REPO_DIR / "extension" / "src").resolve()
# Fixed by the manifest "key" (see extension/README.md); the companion only accepts this origin.
EXTENSION_ID = "pjodcephcifkhgojdnnjbfknidmnglpj"

ORDER_PATH = "/orders/FO81C2D5E7/"
STRICT_CSP = (
    "default-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
STRICT_CSP_PAGES = frozenset({ORDER_PATH + "secure-chat.html"})

VIEWPORT = {"width": 1280, "height": 860}


class HarnessError(RuntimeError):
    """A real component could not be started; the message says which and why."""


def chromium_executable() -> str:
    """Debian's Chromium binary; the wrapper script only adds a noisy shell warning."""
    direct = Path("/usr/lib/chromium/chromium")
    return str(direct) if direct.exists() else "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Companion:
    """The real companion as a subprocess, restartable on the same port with the same config dir."""

    def __init__(self, config_dir: Path, port: int) -> None:
        self.config_dir = config_dir
        self.port = port
        self.output: list[str] = []  # the companion never logs typed text, so this is safe to keep
        self._process: subprocess.Popen[str] | None = None

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "companion", *args, "--config-dir", str(self.config_dir)]

    def pair(self) -> str:
        """The pairing token, exactly as a user gets it from `contact-guard pair`."""
        done = subprocess.run(
            self._command("pair"), cwd=REPO_DIR, capture_output=True, text=True, timeout=60
        )
        lines = done.stdout.splitlines()
        if done.returncode != 0 or not lines:
            raise HarnessError(f"`companion pair` failed (exit {done.returncode}): {done.stderr.strip()}")
        return lines[0].strip()

    def start(self, timeout: float = 30.0) -> None:
        self._process = subprocess.Popen(
            [*self._command("serve"), "--port", str(self.port)],
            cwd=REPO_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
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
        """SIGKILL (hard, like a crash) or SIGTERM, and wait until the port is free again."""
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


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        if self.path.split("?", 1)[0] in STRICT_CSP_PAGES:
            self.send_header("Content-Security-Policy", STRICT_CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # keep test output readable
        pass


class SiteServer:
    """e2e/site on http://127.0.0.1:<free port>, one thread per request."""

    def __init__(self, root: Path = SITE_DIR) -> None:
        handler = functools.partial(_SiteHandler, directory=str(root))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def order_page(self, name: str) -> str:
        return f"{self.origin}{ORDER_PATH}{name}"


@dataclass
class ExtensionBrowser:
    """One persistent Chromium context with the unpacked extension, and its service worker."""

    context: BrowserContext
    worker: Worker  # the extension's background service worker
    extension_id: str

    def page_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def settings(self) -> dict:
        return self.worker.evaluate("() => chrome.storage.local.get(null)")

    def set_settings(self, settings: dict) -> None:
        self.worker.evaluate("s => chrome.storage.local.set(s)", settings)

    def replace_settings(self, settings: dict) -> None:
        """Exactly these settings; storage is only written when it differs (a write reconnects)."""
        if self.settings() != settings:
            self.worker.evaluate("s => chrome.storage.local.clear().then(() => chrome.storage.local.set(s))", settings)


def launch_browser(playwright: Playwright, user_data_dir: Path, *, extension_dir: Path = EXTENSION_DIR) -> ExtensionBrowser:
    if not (extension_dir / "manifest.json").exists():
        raise HarnessError(f"no unpacked extension at {extension_dir} (manifest.json missing)")
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=chromium_executable(),
        # CG_HEADED=1 shows the window (needs a display, e.g. xvfb-run); CG_SLOWMO=ms slows each action.
        headless=os.environ.get("CG_HEADED") != "1",
        slow_mo=float(os.environ.get("CG_SLOWMO") or 0),
        viewport=VIEWPORT,
        args=[
            f"--disable-extensions-except={extension_dir}",
            f"--load-extension={extension_dir}",
            "--disable-sync",
        ],
    )
    try:
        worker = next(
            (w for w in context.service_workers if w.url.startswith("chrome-extension://")), None
        ) or context.wait_for_event(
            "serviceworker", lambda w: w.url.startswith("chrome-extension://"), timeout=20_000
        )
    except Exception:
        context.close()
        raise
    return ExtensionBrowser(context=context, worker=worker, extension_id=worker.url.split("/")[2])
