"""Fixtures for the end-to-end suite: one real companion, one static site, one Chromium with the
real extension for the whole session; a fresh page, a trace chunk and a console log per test.

On failure, e2e/results/<test>/ gets screenshot.png, trace.zip (open with
`.venv/bin/playwright show-trace`), console.log (pages + the extension's service worker) and
companion.log.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from harness import E2E_DIR, Companion, ExtensionBrowser, SiteServer, free_port, launch_browser

RESULTS_DIR = E2E_DIR / "results"

# Chromium logs each failed reconnect of the service worker's socket while the companion is down
# (E2E.md); it is expected noise, never an error of the extension.
WEBSOCKET_NOISE = re.compile(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/?.*' failed")


@dataclass
class ConsoleLog:
    """Console messages and uncaught errors of pages and the extension's worker, for one test."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    provoked: list[str] = field(default_factory=list)  # regexes of errors a test causes on purpose

    def add(self, source: str, kind: str, text: str) -> None:
        self.lines.append(f"[{source}] {kind}: {text}")
        if kind in ("error", "pageerror"):
            self.errors.append(f"[{source}] {text}")

    def provoke(self, pattern: str) -> None:
        """Errors matching the regex are caused by the test on purpose (messages arrive async)."""
        self.provoked.append(pattern)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors
                if not WEBSOCKET_NOISE.search(e) and not any(re.search(p, e) for p in self.provoked)]


class _CurrentLog:
    """Session-wide listeners write into whichever test's log is current."""

    log = ConsoleLog()


def _console_source(message) -> str:
    if message.worker is not None:
        return f"worker {message.worker.url}"
    return message.page.url if message.page is not None else "browser"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def site():
    with SiteServer() as server:
        yield server


@dataclass
class RunningCompanion:
    process: Companion
    token: str

    @property
    def port(self) -> int:
        return self.process.port


@pytest.fixture(scope="session")
def companion(tmp_path_factory) -> RunningCompanion:
    process = Companion(tmp_path_factory.mktemp("companion-config"), free_port())
    token = process.pair()
    process.start()
    yield RunningCompanion(process, token)
    process.stop()


@pytest.fixture(scope="session")
def browser(tmp_path_factory, site) -> ExtensionBrowser:
    with sync_playwright() as playwright:
        launched = launch_browser(playwright, tmp_path_factory.mktemp("chromium-profile"))
        context = launched.context
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
        context.on(
            "console", lambda m: _CurrentLog.log.add(_console_source(m), m.type, m.text)
        )
        context.on(
            "weberror",
            lambda e: _CurrentLog.log.add(e.page.url if e.page else "page", "pageerror", str(e.error)),
        )
        context.tracing.start(screenshots=True, snapshots=True)
        yield launched
        context.tracing.stop()
        context.close()


@pytest.fixture
def paired_settings(companion) -> dict:
    """The extension's storage as a paired user has it, with nothing disabled or allowlisted."""
    return {"port": companion.port, "token": companion.token}


@pytest.fixture
def extension(browser, paired_settings) -> ExtensionBrowser:
    """The extension configured with the companion's port and token (reset before each test)."""
    browser.replace_settings(paired_settings)
    return browser


@pytest.fixture
def console() -> ConsoleLog:
    """This test's console: the session-wide listeners write here from now on."""
    _CurrentLog.log = ConsoleLog()
    return _CurrentLog.log


@pytest.fixture
def page(request, browser, console):
    """A fresh tab; on failure its screenshot, the trace chunk and the console go to e2e/results."""
    context = browser.context
    context.tracing.start_chunk(title=request.node.nodeid)
    tab = context.new_page()
    yield tab
    reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
    failed = any(report is not None and report.failed for report in reports)
    # Every test also holds the extension and the pages to a clean console.
    errors = console.unexpected_errors()
    if failed or errors:
        _save_artifacts(request, tab, console)
    else:
        context.tracing.stop_chunk()
    tab.close()
    if errors and not failed:
        pytest.fail("console errors during the test:\n" + "\n".join(errors), pytrace=False)


def _save_artifacts(request, tab, log: ConsoleLog) -> None:
    folder = RESULTS_DIR / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        tab.screenshot(path=str(folder / "screenshot.png"), full_page=True)
    except Exception as problem:  # a crashed tab must not hide the trace and the console
        (folder / "screenshot-error.txt").write_text(f"{problem}\n")
    tab.context.tracing.stop_chunk(path=str(folder / "trace.zip"))
    (folder / "console.log").write_text("\n".join(log.lines) + "\n")
    if "companion" in request.fixturenames:
        companion = request.getfixturevalue("companion")
        (folder / "companion.log").write_text("".join(companion.process.output))
    print(f"\nartifacts: {folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder}")
