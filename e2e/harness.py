"""The mock order site of the e2e suite and the names the older tests and e2e/bench.py import.
Everything else (companion, browsers, page helper) is the QA plugin's: companion.testing."""

from __future__ import annotations

from pathlib import Path

from companion.testing import components
from companion.testing.chromium import VIEWPORT, ChromiumBrowser, chromium_executable  # noqa: F401
from companion.testing.components import (  # noqa: F401
    CHROME_EXTENSION_ID as EXTENSION_ID,
    Companion,
    HarnessError,
    free_port,
    port_open,
)

REPO_DIR = Path(__file__).resolve().parent.parent
E2E_DIR = REPO_DIR / "e2e"
SITE_DIR = E2E_DIR / "site"
EXTENSION_DIR = components.extension_dir()

ORDER_PATH = "/orders/FO81C2D5E7/"
STRICT_CSP = (
    "default-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
STRICT_CSP_PAGES = frozenset({ORDER_PATH + "secure-chat.html"})


class SiteServer(components.SiteServer):
    """e2e/site on http://127.0.0.1:<free port>; secure-chat.html is served with a strict CSP."""

    def __init__(self, root: Path = SITE_DIR) -> None:
        super().__init__(root, headers={path: {"Content-Security-Policy": STRICT_CSP} for path in STRICT_CSP_PAGES})

    def order_page(self, name: str) -> str:
        return f"{self.origin}{ORDER_PATH}{name}"


def launch_browser(playwright, user_data_dir: Path, *, extension_dir: Path = EXTENSION_DIR) -> ChromiumBrowser:
    """Chromium with the extension on an existing sync Playwright (for e2e/bench.py)."""
    return ChromiumBrowser(user_data_dir, extension=extension_dir, trace=False, playwright=playwright)


# Mock pages by name: (file under ORDER_PATH, composer selector, send control or None).
MOCK_PAGES = {
    "chat": ("chat.html", "#chat-input", "[data-cg-send]"),
    "chat-rich": ("chat-rich.html", "#rich-input", None),
    "requirements": ("requirements.html", "#req-brief", None),
    "delivery": ("delivery.html", "#delivery-note", None),
    "secure-chat": ("secure-chat.html", "#chat-input", None),
}
SENT_MESSAGES = "#thread li.mine .text"  # the mock chat's own messages, as the page shows them


def open_mock(cg_page, site: SiteServer, name: str, *, expect_status: str | None = "connected"):
    """The plugin's page helper (either browser) on a mock page, its composer focused."""
    file, composer, send = MOCK_PAGES[name]
    return cg_page.open(site.order_page(file), composer=composer, send=send, expect_status=expect_status)


def status_chips(cg_page) -> int:
    """How many status chips the extension shows in the page (one per tab, whatever the state)."""
    return cg_page.evaluate(
        "() => document.querySelector('contact-guard-root')?.shadowRoot?.querySelectorAll('.cg-status').length ?? 0")


def expect_reduced_check_at_send(cg_page, reason: str) -> None:
    """The composer holds a plain address and the companion's analysis is unavailable: a send
    opens the confirmation, marked as the reduced check with the state's own `reason`; "Keep
    editing" leaves the text as it was and nothing is sent. Then the page is quiet: one status
    chip, no console error."""
    text = cg_page.text()
    sent_before = cg_page.texts(SENT_MESSAGES)
    cg_page.send()
    dialog = cg_page.wait_for(cg_page.send_dialog, "the send confirmation (reduced check)")
    assert "Reduced check" in dialog.text and reason in dialog.text, dialog.text
    assert cg_page.texts(SENT_MESSAGES) == sent_before, "sent before the user chose"
    cg_page.choose("send-cancel")
    cg_page.wait_gone(cg_page.send_dialog, "the send confirmation")
    assert cg_page.text() == text
    assert cg_page.texts(SENT_MESSAGES) == sent_before
    assert status_chips(cg_page) == 1
    assert cg_page.tab.console.unexpected_errors() == []
