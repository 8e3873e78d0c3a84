"""Pairing like a user, in Chromium and Firefox, and what an unpaired extension does (says so;
nothing else breaks). In Firefox this is also the proof that the background reaches
ws://127.0.0.1 at all (the manifest's extension_pages CSP has no upgrade-insecure-requests).

With protocol 2 the companion proves it holds the token before the extension proves it does: a
wrong token in the options page therefore shows that what answers on the port could not prove
the token ("this is not the Contact Guard companion"), exactly as a port squatter would
(e2e/test_squatter.py). In all these states the send guard falls back to the reduced check.
"""

import re

import pytest

from harness import SENT_MESSAGES, expect_reduced_check_at_send, open_mock

PAIRED = re.compile(r"(?<!not )\bpaired\b", re.IGNORECASE)
NOT_PAIRED = re.compile(r"not paired|companion not running", re.IGNORECASE)
NOT_THE_COMPANION = re.compile(r"this is not the Contact Guard companion", re.IGNORECASE)
POPUP_UNPAIRED = re.compile(r"not paired|unpaired", re.IGNORECASE)
# The reduced check's note says why it ran (extension/src/lib/status.js REDUCED_CHECK_REASONS).
REDUCED_CHECK_REASONS = {
    "unpaired": "not paired — open Contact Guard's options to pair",
    "impostor": "could not prove it is the companion",
    "incompatible": "version does not match this extension",
}


def pairing_status(page) -> str:
    return page.texts("#pair-status")[0]


def open_options(cg_browser, cg_page):
    cg_page.tab.goto(cg_browser.extension_url("options/options.html"))
    return cg_page


def retype(page, selector: str, text: str) -> None:
    """Select what the field holds and type over it, like a person. (Chromium does not let a test
    write the clipboard for an extension page, so the token is typed, in both browsers.)"""
    page.use(selector)
    page.focus()
    page.press("Control+A")
    page.press("Backspace")
    page.type(text)


def test_entering_the_token_in_the_options_page_pairs(cg_browser, cg_companion, cg_page):
    cg_browser.replace_settings({})  # a fresh install
    page = open_options(cg_browser, cg_page)
    page.wait_for(lambda: NOT_PAIRED.search(pairing_status(page)), "the options page saying 'not paired'")

    retype(page, "#port", str(cg_companion.port))
    retype(page, "#token", cg_companion.token)
    page.click("#save")

    page.wait_for(lambda: PAIRED.search(pairing_status(page)), "the options page saying 'paired'",
                  timeout_s=10)
    stored = cg_browser.settings()
    assert (stored["port"], stored["token"]) == (cg_companion.port, cg_companion.token)


def test_a_wrong_token_in_the_options_page_says_the_companion_could_not_prove_it(cg_browser, cg_page):
    page = open_options(cg_browser, cg_page)  # paired by the fixture
    page.wait_for(lambda: PAIRED.search(pairing_status(page)), "paired", timeout_s=10)

    retype(page, "#token", "0" * 64)
    page.click("#save")
    page.wait_for(lambda: NOT_THE_COMPANION.search(pairing_status(page)),
                  "the options page saying 'this is not the Contact Guard companion'", timeout_s=10)


@pytest.mark.parametrize(("token", "status", "popup_text"), [
    (None, "unpaired", POPUP_UNPAIRED),
    ("0" * 64, "impostor", NOT_THE_COMPANION),
], ids=["missing-token", "wrong-token"])
def test_unpaired_extension_says_so_and_the_reduced_check_guards_send(cg_browser, cg_companion, cg_page, site, token,
                                                                      status, popup_text):
    """Without the companion's analysis (no token, or a token the companion cannot prove) nothing is
    painted, but a plain address is still caught at send, and a phone number in a paste, by the
    reduced check, which says why it ran; once the user chooses "Send anyway" the page sends as usual."""
    cg_browser.replace_settings({"port": cg_companion.port} | ({"token": token} if token else {}))
    page = open_mock(cg_page, site, "chat", expect_status=status)

    text = "Sure, write to ana.souza@gmail.com with the files."
    page.type(text)
    page.wait_for_text(text)
    assert page.wait_quiet() == []
    assert page.card() is None

    expect_reduced_check_at_send(page, REDUCED_CHECK_REASONS[status])
    # A paste is checked the same way before it lands: held, the reduced check's dialog, cancelled.
    page.paste(" Or call +44 20 7946 0958.")
    dialog = page.wait_for(page.paste_dialog, "the paste dialog (reduced check)")
    assert "Reduced check" in dialog.text and REDUCED_CHECK_REASONS[status] in dialog.text, dialog.text
    page.choose("paste-cancel")
    page.wait_gone(page.paste_dialog, "the paste dialog")
    assert page.text() == text
    sent_before = page.texts(SENT_MESSAGES)
    page.send()
    page.wait_for(page.send_dialog, "the send confirmation again")
    page.choose("send-anyway")
    page.wait_for(lambda: page.texts(SENT_MESSAGES)[len(sent_before):] == [text], "the message sent")
    page.wait_for_text("")

    page.tab.goto(cg_browser.extension_url("popup/popup.html"))
    page.wait_for(lambda: popup_text.search(page.texts("#status")[0]), f"the popup matching {popup_text.pattern!r}")
