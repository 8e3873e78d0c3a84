"""A mock order page for the older Chromium-only tests: the plugin's page helper
(companion.testing.page.ComposerPage) on a Playwright page, plus Playwright locators for the panels.
New tests should use the `cg_page` fixture instead (it runs in Chromium and Firefox)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from companion.testing.chromium import ChromiumTab
from companion.testing.page import (  # noqa: F401
    CONNECT_TIMEOUT_S,
    PAINT_TIMEOUT_S,
    QUIET_WINDOW_S,
    ComposerPage,
    Mark,
    utf16_slice,
)
from harness import SiteServer

# page name -> (file under e2e/site/orders/<order>/, id of its main composer)
PAGES = {
    "chat": ("chat.html", "chat-input"),
    "chat-rich": ("chat-rich.html", "rich-input"),
    "requirements": ("requirements.html", "req-brief"),
    "delivery": ("delivery.html", "delivery-note"),
    "secure-chat": ("secure-chat.html", "chat-input"),
}
CONNECT_TIMEOUT_MS = CONNECT_TIMEOUT_S * 1000


class OrderPage(ComposerPage):
    def __init__(self, page: Page, site: SiteServer, name: str, composer_id: str | None = None) -> None:
        super().__init__(ChromiumTab(page))
        file, default_composer = PAGES[name]
        self.page = page
        self.name = name
        self.url = site.order_page(file)
        self.composer_id = composer_id or default_composer
        self.use(f"#{self.composer_id}")

    def use(self, composer: str, *, send: str | None = None) -> OrderPage:
        # The page may not be loaded yet: the layer key is the composer's id.
        self.selector, self.send_control, self._key = composer, send, composer.removeprefix("#")
        return self

    # --- Playwright locators ----------------------------------------------------------------------
    @property
    def composer(self) -> Locator:
        return self.page.locator(f"#{self.composer_id}")

    @property
    def layer(self) -> Locator:
        return self.page.locator(f'contact-guard-root [data-cg-for="{self.composer_id}"]')

    @property
    def banner(self) -> Locator:
        return self.layer.locator(".cg-banner")

    @property
    def alarming_banner(self) -> Locator:
        """A banner asking for attention (block or warn), which info-only text must never get."""
        return self.layer.locator(".cg-banner[data-verdict='block'], .cg-banner[data-verdict='warn']")

    @property
    def status(self) -> Locator:
        return self.page.locator("contact-guard-root .cg-status").first

    @property
    def paste_dialog(self) -> Locator:
        return self.layer.locator(".cg-paste-dialog")

    @property
    def send_confirm(self) -> Locator:
        return self.layer.locator(".cg-send-confirm")

    @property
    def thread_messages(self) -> Locator:
        return self.page.locator("#thread li.mine .text")

    def action(self, name: str) -> Locator:
        return self.layer.locator(f'[data-action="{name}"]')

    def open(self, *, expect_status: str | None = "connected") -> OrderPage:
        super().open(self.url, composer=self.selector, expect_status=None)
        if expect_status:
            self.expect_status(expect_status)
        return self

    def expect_status(self, status: str, timeout_ms: float = CONNECT_TIMEOUT_MS) -> None:
        expect(self.status).to_have_attribute("data-status", status, timeout=timeout_ms)
