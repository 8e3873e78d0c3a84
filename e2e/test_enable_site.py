""""Enable on this site" for a site no profile covers: the popup asks for that one origin (optional
host permission), the background registers the content script and injects it into the open tab,
it survives a reload, and "Remove from this site" takes it (and the permission) away again.

What could not be automated: Chromium's permission prompt itself (a browser dialog, out of reach of
Playwright and CDP). The test gives the user's consent the other way Chromium offers it — the
"Site access → add a site" control of chrome://extensions (`developerPrivate.addHostPermission`) —
after which the popup's own `chrome.permissions.request` call resolves `true` without a prompt.
Everything from the popup's click on is the real extension code path.

The same in Firefox (test_enable_on_this_site_in_firefox): there the prompt is Firefox's own
doorhanger in the browser window, which Marionette's chrome context can reach, so the test clicks
its "Allow" button itself; nothing is granted any other way.

Both check the page-world script (content/page-world.js, registered in the page's own world beside
the loader): without it rich editors lose Mask and guarded pastes in Firefox.
"""

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from companion.testing.components import GECKO_ID
from companion.testing.firefox import pointer_click

FIXTURE = Path(__file__).parent / "fixtures" / "sites" / "any-forum.html"
ORIGIN = "https://forum.example.test"
PAGE_URL = f"{ORIGIN}/t/42/reply"
ROOT = "contact-guard-root"
ADDRESS = "ana.souza@gmail.com"


# The page-world helper takes a `contact-guard:dispatch` request and, in a task of the page's own,
# dispatches a paste built in the page's world, then answers with `contact-guard:dispatched`: count
# the pastes one request makes (1: installed once; 0: missing, no answer within a second). The
# request goes to a plain element of the page, not to a composer, whose pastes the paste guard holds.
PAGE_WORLD_PROBE_JS = """async () => {
  const el = document.body.appendChild(document.createElement("div"));
  let pastes = 0;
  el.addEventListener("paste", (event) => { pastes++; event.preventDefault(); });
  const answered = new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    // A second helper would answer (and paste) in the next task or so.
    document.addEventListener("contact-guard:dispatched", () => { clearTimeout(timer); setTimeout(resolve, 100); },
      {once: true});
  });
  el.dispatchEvent(new CustomEvent("contact-guard:dispatch", {bubbles: true, composed: true, cancelable: true,
    detail: JSON.stringify({kind: "paste", types: [["text/plain", "probe"]], id: 1, deadline: performance.now() + 1000})}));
  await answered;
  el.remove();
  return pastes;
}"""


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
    assert page.evaluate(PAGE_WORLD_PROBE_JS) == 1  # the page-world helper, once
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
    assert page.evaluate(PAGE_WORLD_PROBE_JS) == 1
    assert extension.settings()["enabledSites"] == [ORIGIN]
    registered = extension.worker.evaluate("() => chrome.scripting.getRegisteredContentScripts()")
    assert sorted((s["id"], s["js"][0], s.get("world", "ISOLATED")) for s in registered) == [
        (f"cg-site:{ORIGIN}", "content/loader.js", "ISOLATED"),
        (f"cg-site:{ORIGIN}#page-world", "content/page-world.js", "MAIN")]

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


# --- Firefox ------------------------------------------------------------------------------------

# Chrome context: the add-on permission doorhanger of the selected tab's window, its main button
# clicked the way a person does (null while it is not shown yet).
_ALLOW_PROMPT_JS = """
const panel = PopupNotifications.panel;
const notification = panel && Array.from(panel.children).find(
  (n) => n.id === "addon-webext-permissions-notification" && !n.hidden);
if (!notification) return null;
const text = notification.textContent;
notification.button.click();
return text;
"""

# Chrome context: the optional origins Firefox has recorded as granted to the add-on.
_GRANTED_ORIGINS_JS = """
const [id, done] = arguments;
const { ExtensionPermissions } = ChromeUtils.importESModule("resource://gre/modules/ExtensionPermissions.sys.mjs");
ExtensionPermissions.get(id).then((perms) => done(perms.origins));
"""


def _granted_origins(client) -> list[str]:
    with client.using_context("chrome"):
        return client.execute_async_script(_GRANTED_ORIGINS_JS, script_args=[GECKO_ID])



def _firefox_active_tab_id(browser) -> int:
    ids = browser._in_extension_page(
        "chrome.tabs.query({active: true, currentWindow: true}).then((tabs) => done(tabs.map((t) => t.id)));", None)
    assert len(ids) == 1, ids
    return ids[0]


def _firefox_popup(cg_page, tab: int, url: str) -> str:
    """The popup as a tab about `tab` (Marionette cannot click the toolbar button); its handle."""
    client = cg_page.tab.client
    handle = client.open(type="tab", focus=True)["handle"]
    client.switch_to_window(handle)
    client.navigate(cg_page.browser.extension_url(f"popup/popup.html?tab={tab}&url={url}"))
    return handle


def _firefox_close_popup(cg_page, handle: str) -> None:
    client = cg_page.tab.client
    client.switch_to_window(handle)
    client.close()
    client.switch_to_window(cg_page.tab.handle)


def _click_when_shown(client, selector: str, timeout_s: float = 10.0) -> None:
    """A real click (trusted pointer events: a user gesture) once the popup has shown the button."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = client.find_elements("css selector", selector)
        if found and found[0].is_displayed():
            pointer_click(client, found[0])
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} not shown")
        time.sleep(0.1)


def _wait_text(client, selector: str, expected: str, timeout_s: float = 10.0) -> str:
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = client.execute_script("return document.querySelector(arguments[0])?.textContent ?? ''", [selector])
        if expected in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{selector} says {text!r}, not {expected!r}")


@pytest.mark.cg_browsers("firefox")
def test_enable_on_this_site_in_firefox(cg_page, marketplace):
    """In real Firefox: the popup asks, the user allows in Firefox's own prompt, the open tab is
    watched at once (loader and page-world), a reload too, and Remove takes it all back."""
    client = cg_page.tab.client
    url = marketplace.serve(cg_page, "any-forum.html", PAGE_URL)
    origin = url.split("/t/")[0]
    cg_page.tab.goto(url)
    cg_page.wait(0.5)
    assert cg_page.evaluate("() => document.querySelector('contact-guard-root') === null")
    tab = _firefox_active_tab_id(cg_page.browser)

    popup = _firefox_popup(cg_page, tab, url)
    _click_when_shown(client, "#enable-site")
    prompt, deadline = None, time.monotonic() + 10
    while prompt is None and time.monotonic() < deadline:
        with client.using_context("chrome"):
            prompt = client.execute_script(_ALLOW_PROMPT_JS)
        time.sleep(0.1)
    assert prompt is not None, "Firefox showed no permission prompt"
    print(f"\n[firefox] permission prompt: {' '.join(prompt.split())[:160]}")
    _wait_text(client, "#site-access-result", "Enabled. Contact Guard now watches this site.")
    _firefox_close_popup(cg_page, popup)

    # Injected into the open tab at once (loader and page-world helper); the search box is left alone.
    cg_page.use("#reply-body", send="#post")
    cg_page.click("#reply-body")
    cg_page.expect_status("connected")
    assert cg_page.evaluate(PAGE_WORLD_PROBE_JS) == 1
    cg_page.type(f"Write to {ADDRESS} please")
    cg_page.wait_for_marks(lambda marks: any(m.text == ADDRESS and m.severity == "block" for m in marks), "the address")
    cg_page.send()
    cg_page.wait_for(cg_page.send_dialog, "the send confirmation")
    cg_page.choose("send-cancel")
    assert cg_page.texts("#sent") == [""]

    # Registered for the origin: a reload is watched too, page world included.
    cg_page.tab.goto(url)
    cg_page.click("#reply-body")
    cg_page.expect_status("connected")
    assert cg_page.evaluate(PAGE_WORLD_PROBE_JS) == 1
    assert cg_page.browser.settings()["enabledSites"] == [origin]
    # (Firefox keeps MV3 host_permissions in the same list: the marketplaces are there too.)
    assert "https://forum.example.test/*" in _granted_origins(client)

    popup = _firefox_popup(cg_page, tab, url)
    _click_when_shown(client, "#remove-site")
    _wait_text(client, "#site-access-result", "Removed.")
    _firefox_close_popup(cg_page, popup)
    cg_page.tab.goto(url)
    cg_page.wait(0.5)
    assert cg_page.evaluate("() => document.querySelector('contact-guard-root') === null")
    assert cg_page.evaluate(PAGE_WORLD_PROBE_JS) == 0
    assert cg_page.browser.settings()["enabledSites"] == []
    assert "https://forum.example.test/*" not in _granted_origins(client)
