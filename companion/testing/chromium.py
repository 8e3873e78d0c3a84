"""Chromium backend: Debian's Chromium driven by Playwright's sync API, the unpacked extension
loaded in a persistent context (the only way to get its service worker), one trace chunk per tab."""

from __future__ import annotations

import os
from pathlib import Path

from .components import HarnessError, extension_dir
from .console import ConsoleLog

VIEWPORT = {"width": 1280, "height": 860}


def chromium_executable() -> str | None:
    """Debian's Chromium binary ($CG_CHROMIUM wins); the wrapper script only adds a shell warning."""
    for candidate in (os.environ.get("CG_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium",
                      "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _source(message) -> str:
    if message.worker is not None:
        return f"worker {message.worker.url}"
    return message.page.url if message.page is not None else "browser"


def _kind(message) -> str:
    """A page's own missing resource (a favicon, say) is the page's business, not an error of the
    extension: logged as a network error; one of the extension's own resources still counts."""
    if message.type == "error" and message.text.startswith("Failed to load resource"):
        if not (message.location or {}).get("url", "").startswith("chrome-extension://"):
            return "network-error"
    return message.type


class ChromiumBrowser:
    """One persistent Chromium context with the extension, for a whole test session."""

    name = "chromium"

    def __init__(self, profile_dir: Path, *, extension: Path | None = None, trace: bool = True,
                 playwright=None) -> None:
        """`playwright`: a running sync Playwright to launch with (else one of its own)."""
        executable = chromium_executable()
        if executable is None:
            raise HarnessError("no Chromium found (apt-get install chromium, or set CG_CHROMIUM)")
        extension = extension or extension_dir()
        self._playwright_cm = None
        if playwright is None:
            from playwright.sync_api import sync_playwright  # only when Chromium is really used

            self._playwright_cm = sync_playwright()
            playwright = self._playwright_cm.start()
        self.playwright = playwright
        self.console = ConsoleLog()
        try:
            self.context = self.playwright.chromium.launch_persistent_context(
                str(profile_dir),
                executable_path=executable,
                # CG_HEADED=1 shows the window (needs a display, e.g. xvfb-run); CG_SLOWMO=ms slows actions.
                headless=os.environ.get("CG_HEADED") != "1",
                slow_mo=float(os.environ.get("CG_SLOWMO") or 0),
                viewport=VIEWPORT,
                args=[f"--disable-extensions-except={extension}", f"--load-extension={extension}",
                      "--disable-sync"],
            )
            self.worker = next(
                (w for w in self.context.service_workers if w.url.startswith("chrome-extension://")), None
            ) or self.context.wait_for_event(
                "serviceworker", lambda w: w.url.startswith("chrome-extension://"), timeout=20_000
            )
        except Exception:
            if self._playwright_cm is not None:
                self._playwright_cm.__exit__(None, None, None)
            raise
        self.extension_id = self.worker.url.split("/")[2]
        self.context.on("console", lambda m: self.console.add(_source(m), _kind(m), m.text))
        self.context.on("weberror", lambda e: self.console.add(
            e.page.url if e.page else "page", "pageerror", str(e.error)))
        self.tracing = trace
        if trace:
            self.context.tracing.start(screenshots=True, snapshots=True)

    # --- the extension's storage ----------------------------------------------------------------
    def extension_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path.lstrip('/')}"

    page_url = extension_url

    def settings(self) -> dict:
        return self.worker.evaluate("() => chrome.storage.local.get(null)")

    def set_settings(self, patch: dict) -> None:
        self.worker.evaluate("s => chrome.storage.local.set(s)", patch)

    def replace_settings(self, settings: dict) -> None:
        """Exactly these settings; storage is only written when it differs (a write reconnects)."""
        if self.settings() != settings:
            self.worker.evaluate(
                "s => chrome.storage.local.clear().then(() => chrome.storage.local.set(s))", settings)

    # --- tabs -------------------------------------------------------------------------------------
    def new_tab(self, title: str = "") -> ChromiumTab:
        self.console = ConsoleLog()
        if self.tracing:
            self.context.tracing.start_chunk(title=title)
        return ChromiumTab(self.context.new_page(), self)

    def close(self) -> None:
        try:
            if self.tracing:
                self.context.tracing.stop()
            self.context.close()
        finally:
            if self._playwright_cm is not None:
                self._playwright_cm.__exit__(None, None, None)


class ChromiumTab:
    """One page of the Chromium context; the methods the page helper needs, nothing more."""

    def __init__(self, page, browser: ChromiumBrowser | None = None) -> None:
        self.page = page  # the Playwright Page, for Chromium-only checks
        self.browser = browser

    @property
    def console(self) -> ConsoleLog:
        return self.browser.console

    @property
    def url(self) -> str:
        return self.page.url

    def goto(self, url: str):
        origin = "/".join(url.split("/")[:3])
        if origin.startswith("http"):  # so paste() can use the real clipboard
            self.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        return self.page.goto(url)

    def evaluate(self, script: str, arg=None):
        """`script` is a JavaScript function of one argument, run in the page."""
        return self.page.evaluate(script, arg)

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def click_overlay(self, selector: str) -> None:
        self.page.locator(f"contact-guard-root {selector}").first.click()

    def focus(self, selector: str) -> None:
        self.page.locator(selector).first.focus()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, keys: str) -> None:
        """`keys` like "Enter", "Control+Z", "Shift+Enter" (Playwright's names)."""
        self.page.keyboard.press(keys)

    # --- an input method (IME): real composition events, through CDP -------------------------------
    def _ime(self):
        if getattr(self, "_cdp", None) is None:
            self._cdp = self.page.context.new_cdp_session(self.page)
        return self._cdp

    def compose(self, text: str) -> None:
        """The input method's candidate becomes `text` (compositionstart/update), caret at its end."""
        end = len(text.encode("utf-16-le")) // 2
        self._ime().send("Input.imeSetComposition", {"text": text, "selectionStart": end, "selectionEnd": end})
        self._candidate = text

    def commit(self, text: str) -> None:
        """The input method commits `text` in place of the candidate (compositionend)."""
        self._ime().send("Input.insertText", {"text": text})
        self._candidate = None

    def press_composing(self, key: str) -> None:
        """`key` pressed while a composition is open: the input method's key, which commits the
        candidate. As Chromium has it from a real IME: keydown with keyCode 229 (isComposing set),
        the commit, then the key's own keyup."""
        cdp = self._ime()
        cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", "key": key, "code": key,
                                            "windowsVirtualKeyCode": 229})
        self.commit(getattr(self, "_candidate", None) or "")
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": key,
                                            "windowsVirtualKeyCode": {"Enter": 13, "Escape": 27}.get(key, 0)})

    def paste(self, text: str) -> None:
        """Real clipboard, then Ctrl+V: a trusted paste event in the focused element."""
        self.page.evaluate("t => navigator.clipboard.writeText(t)", text)
        self.page.keyboard.press("Control+V")

    def wait(self, ms: float) -> None:
        self.page.wait_for_timeout(ms)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path), full_page=True)

    def save_trace(self, path: Path | None) -> None:
        """Ends this tab's trace chunk, kept in `path` (None: dropped)."""
        if self.browser.tracing:
            self.browser.context.tracing.stop_chunk(path=str(path) if path else None)

    def close(self) -> None:
        self.page.close()
