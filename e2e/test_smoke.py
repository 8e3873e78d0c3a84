"""The extension loads: in Chromium its worker runs with the fixed id; in both browsers its options
page and popup open and show their state without a console error (the plugin fails a test on any)."""

from harness import EXTENSION_ID

_SHOWN_JS = """(selector) => { const el = document.querySelector(selector);
  if (!el) return null; const r = el.getBoundingClientRect();
  return {visible: r.width > 0 && r.height > 0, text: el.textContent.trim()}; }"""


def test_extension_worker_runs_with_the_fixed_id(browser):
    assert browser.extension_id == EXTENSION_ID
    manifest = browser.worker.evaluate("() => chrome.runtime.getManifest()")
    assert manifest["manifest_version"] == 3
    assert manifest["options_ui"]["page"] if "options_ui" in manifest else manifest["options_page"]


def shown(cg_page, selector: str) -> dict:
    return cg_page.poll(lambda: cg_page.evaluate(_SHOWN_JS, selector),
                        lambda found: found and found["visible"] and found["text"] != "", 5.0,
                        lambda found: f"{selector}: {found or 'missing'} (expected visible, with text)")


def test_options_page_opens_without_errors(cg_page):
    cg_page.tab.goto(cg_page.browser.extension_url("options/options.html"))
    for field in ("input#token", "input#port"):
        assert cg_page.poll(lambda: cg_page.evaluate(_SHOWN_JS, field), lambda f: f and f["visible"], 5.0,
                            lambda f: f"{field}: {f or 'missing'}")
    shown(cg_page, "#pair-status")
    assert cg_page.tab.console.unexpected_errors() == []


def test_popup_shows_a_status(cg_page):
    cg_page.tab.goto(cg_page.browser.extension_url("popup/popup.html"))
    shown(cg_page, "#status")
    assert cg_page.tab.console.unexpected_errors() == []
