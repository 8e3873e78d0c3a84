"""Pairing like a user, and what an unpaired extension does (says so; nothing else breaks).

With protocol 2 the companion proves it holds the token before the extension proves it does: a
wrong token in the options page therefore shows that what answers on the port could not prove
the token ("this is not the Contact Guard companion"), exactly as a port squatter would
(e2e/test_squatter.py)."""

import re

import pytest
from playwright.sync_api import expect

from order_page import OrderPage

PAIRED = re.compile(r"(?<!not )\bpaired\b", re.IGNORECASE)
NOT_PAIRED = re.compile(r"not paired|companion not running", re.IGNORECASE)
NOT_THE_COMPANION = re.compile(r"this is not the Contact Guard companion", re.IGNORECASE)
POPUP_UNPAIRED = re.compile(r"not paired|unpaired", re.IGNORECASE)


def open_options(browser, page):
    page.goto(browser.page_url("options/options.html"))
    return page.locator("#pair-status")


def paste_into(page, selector: str, text: str, site) -> None:
    """Copy from another tab (like from the terminal), then Ctrl+V: Chromium will not grant clipboard
    permissions to an extension origin, and the clipboard is shared by the whole browser anyway."""
    source = page.context.new_page()
    source.goto(site.order_page("chat.html"))
    source.evaluate("t => navigator.clipboard.writeText(t)", text)
    source.close()
    page.bring_to_front()
    page.locator(selector).fill("")
    page.locator(selector).focus()
    page.keyboard.press("Control+V")


def test_pasting_the_token_in_the_options_page_pairs(browser, companion, page, site, console):
    browser.replace_settings({})  # a fresh install
    status = open_options(browser, page)
    expect(status).to_have_text(NOT_PAIRED)

    page.locator("#port").fill(str(companion.port))
    paste_into(page, "#token", companion.token, site)
    page.locator("#save").click()

    expect(status).to_have_text(PAIRED)
    stored = browser.settings()
    assert (stored["port"], stored["token"]) == (companion.port, companion.token)
    assert console.unexpected_errors() == []


def test_a_wrong_token_in_the_options_page_says_the_companion_could_not_prove_it(browser, companion, page, site):
    browser.replace_settings({"port": companion.port, "token": companion.token})
    status = open_options(browser, page)
    expect(status).to_have_text(PAIRED)

    paste_into(page, "#token", "0" * 64, site)
    page.locator("#save").click()
    expect(status).to_have_text(NOT_THE_COMPANION)


@pytest.mark.parametrize(("token", "status", "popup_text"), [
    (None, "unpaired", POPUP_UNPAIRED),
    ("0" * 64, "impostor", NOT_THE_COMPANION),
], ids=["missing-token", "wrong-token"])
def test_unpaired_extension_says_so_and_the_page_works(browser, companion, page, site, console, token, status,
                                                       popup_text):
    settings = {"port": companion.port} | ({"token": token} if token else {})
    browser.replace_settings(settings)
    order = OrderPage(page, site, "chat").open(expect_status=status)

    text = "Sure, write to ana.souza@gmail.com with the files."
    order.type(text)
    order.wait_for_text(text)
    assert order.wait_quiet() == []
    expect(order.banner).to_have_count(0)

    page.keyboard.press("Enter")  # no guard without a companion verdict: the page sends as usual
    expect(order.thread_messages.last).to_have_text(text)
    order.wait_for_text("")

    popup = page.context.new_page()
    popup.goto(browser.page_url("popup/popup.html"))
    expect(popup.locator("#status")).to_have_text(popup_text)
    popup.close()
    assert console.unexpected_errors() == []
