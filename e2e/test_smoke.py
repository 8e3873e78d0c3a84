"""The extension loads into Debian's Chromium: its worker runs with the fixed id, its pages open."""

from playwright.sync_api import expect

from harness import EXTENSION_ID


def test_extension_worker_runs_with_the_fixed_id(browser):
    assert browser.extension_id == EXTENSION_ID
    manifest = browser.worker.evaluate("() => chrome.runtime.getManifest()")
    assert manifest["manifest_version"] == 3
    assert manifest["options_ui"]["page"] if "options_ui" in manifest else manifest["options_page"]


def test_options_page_opens_without_errors(browser, page, console):
    page.goto(browser.page_url("options/options.html"))
    expect(page.locator("input#token")).to_be_visible()
    expect(page.locator("input#port")).to_be_visible()
    expect(page.locator("#pair-status")).not_to_be_empty()
    assert console.unexpected_errors() == []


def test_popup_shows_a_status(browser, page, console):
    page.goto(browser.page_url("popup/popup.html"))
    expect(page.locator("#status")).not_to_be_empty()
    assert console.unexpected_errors() == []
