""""Enable on this site" for a site no profile covers: the popup asks for that one origin (optional
host permission), the background registers the content script and injects it into the open tab,
it survives a reload, and "Remove from this site" takes it (and the permission) away again.

What could not be automated: Chromium's permission prompt itself (a browser dialog, out of reach of
Playwright and CDP). The test gives the user's consent the other way Chromium offers it — the
"Site access → add a site" control of chrome://extensions (`developerPrivate.addHostPermission`) —
after which the popup's own `chrome.permissions.request` call resolves `true` without a prompt.
Everything from the popup's click on is the real extension code path.
"""

from pathlib import Path

from playwright.sync_api import expect

FIXTURE = Path(__file__).parent / "fixtures" / "sites" / "any-forum.html"
ORIGIN = "https://forum.example.test"
PAGE_URL = f"{ORIGIN}/t/42/reply"
ROOT = "contact-guard-root"
ADDRESS = "ana.souza@gmail.com"


def serve_fixture(page) -> None:
    page.route(f"{ORIGIN}/**", lambda route: route.fulfill(body=FIXTURE.read_text(), content_type="text/html"))


def grant_site_access(extension, context) -> None:
    """The user's consent, given through chrome://extensions (the prompt cannot be clicked here)."""
    settings = context.new_page()
    settings.goto("chrome://extensions")
    error = settings.evaluate(
        """([id, pattern]) => new Promise((resolve) => chrome.developerPrivate.addHostPermission(
              id, pattern, () => resolve(chrome.runtime.lastError?.message ?? null)))""",
        [extension.extension_id, f"{ORIGIN}/*"],
    )
    settings.close()
    assert error is None, error


def tab_id(extension, page) -> int:
    """The fixture's tab: the active tab whose address the extension may not read (no permission yet)."""
    page.bring_to_front()
    tabs = extension.worker.evaluate("() => chrome.tabs.query({active: true})")
    unreadable = [tab["id"] for tab in tabs if not tab.get("url")]
    assert len(unreadable) == 1, tabs
    return unreadable[0]


def open_popup(extension, context, tab: int):
    """The popup as a page about that tab (Playwright cannot click the toolbar button)."""
    popup = context.new_page()
    popup.goto(extension.page_url(f"popup/popup.html?tab={tab}&url={PAGE_URL}"))
    return popup


def test_enable_on_this_site_then_remove(extension, page, console):
    context = page.context
    serve_fixture(page)
    page.goto(PAGE_URL)
    page.wait_for_timeout(500)
    expect(page.locator(ROOT)).to_have_count(0)  # not watched before the user enables it

    grant_site_access(extension, context)
    tab = tab_id(extension, page)
    popup = open_popup(extension, context, tab)
    expect(popup.locator("#enable-site")).to_be_visible()
    popup.locator("#enable-site").click()
    expect(popup.locator("#site-access-result")).to_have_text("Enabled. Contact Guard now watches this site.")
    popup.close()

    # Injected into the open tab at once; the search box in the header is left alone.
    composer = page.locator("#reply-body")
    composer.click()
    expect(page.locator(f'{ROOT} [data-cg-for="reply-body"]')).to_have_count(1)
    expect(page.locator(f'{ROOT} [data-cg-for="search"]')).to_have_count(0)
    page.keyboard.type(f"Write to {ADDRESS} please")
    expect(page.locator(f'{ROOT} [data-cg-for="reply-body"] .cg-mark[data-severity="block"]').first).to_be_attached()
    page.locator("#post").click()
    expect(page.locator(f'{ROOT} .cg-send-confirm')).to_be_visible()
    page.locator(f'{ROOT} [data-action="send-cancel"]').click()
    expect(page.locator("#sent")).to_have_text("")

    # Registered for the origin: a reload is watched too.
    page.reload()
    page.locator("#reply-body").click()
    expect(page.locator(f'{ROOT} [data-cg-for="reply-body"]')).to_have_count(1)
    assert extension.settings()["enabledSites"] == [ORIGIN]

    popup = open_popup(extension, context, tab)
    expect(popup.locator("#remove-site")).to_be_visible()
    popup.locator("#remove-site").click()
    expect(popup.locator("#site-access-result")).to_contain_text("Removed.")
    popup.close()
    page.reload()
    page.wait_for_timeout(500)
    expect(page.locator(ROOT)).to_have_count(0)
    assert extension.settings()["enabledSites"] == []
    assert extension.worker.evaluate("p => chrome.permissions.contains({origins: [p]})", f"{ORIGIN}/*") is False
    assert extension.worker.evaluate("() => chrome.scripting.getRegisteredContentScripts()") == []
    assert console.unexpected_errors() == []
