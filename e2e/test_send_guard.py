"""Send guard, in Chromium and Firefox: sending a message with a block finding asks first; a
warning alone does not."""

import pytest

from harness import SENT_MESSAGES, open_mock

BLOCK_TEXT = "Sure, write to ana.souza@gmail.com with the files."
WARN_TEXT = "add me on skype so we can talk faster"


def typed_and_flagged(cg_page, site, name: str, text: str, severity: str):
    page = open_mock(cg_page, site, name)
    page.type(text)
    page.wait_for_marks(lambda marks: any(m.severity == severity for m in marks), f"a {severity} mark")
    return page


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
def test_enter_on_a_block_message_asks_first_and_confirming_sends(cg_page, site, name):
    page = typed_and_flagged(cg_page, site, name, BLOCK_TEXT, "block")
    sent_before = page.texts(SENT_MESSAGES)

    page.press("Enter")
    dialog = page.wait_for(page.send_dialog, "the send confirmation")
    assert set(dialog.actions) >= {"send-anyway", "send-cancel"}
    assert page.texts(SENT_MESSAGES) == sent_before
    assert page.text() == BLOCK_TEXT

    page.choose("send-anyway")
    page.wait_for(lambda: page.texts(SENT_MESSAGES)[len(sent_before):] == [BLOCK_TEXT], "the message sent")
    page.wait_for_text("")
    assert page.send_dialog() is None


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
def test_cancelling_the_send_keeps_the_text(cg_page, site, name):
    page = typed_and_flagged(cg_page, site, name, BLOCK_TEXT, "block")
    sent_before = page.texts(SENT_MESSAGES)

    page.press("Enter")
    page.wait_for(page.send_dialog, "the send confirmation")
    page.choose("send-cancel")
    page.wait_gone(page.send_dialog, "the send confirmation")
    page.wait(0.5)
    assert page.texts(SENT_MESSAGES) == sent_before
    assert page.text() == BLOCK_TEXT


def test_the_send_button_is_guarded_too(cg_page, site):
    page = typed_and_flagged(cg_page, site, "chat", BLOCK_TEXT, "block")
    sent_before = page.texts(SENT_MESSAGES)

    page.send()  # clicks the page's send button
    page.wait_for(page.send_dialog, "the send confirmation")
    assert page.texts(SENT_MESSAGES) == sent_before
    page.choose("send-anyway")
    page.wait_for(lambda: page.texts(SENT_MESSAGES)[-1:] == [BLOCK_TEXT], "the message sent")


def test_a_warning_alone_sends_without_asking(cg_page, site):
    page = typed_and_flagged(cg_page, site, "chat", WARN_TEXT, "warn")
    sent_before = page.texts(SENT_MESSAGES)
    page.press("Enter")
    page.wait_for(lambda: len(page.texts(SENT_MESSAGES)) == len(sent_before) + 1, "the message sent")
    assert page.send_dialog() is None
