"""Send guard: sending a message with a block finding asks first; a warning alone does not."""

import pytest
from playwright.sync_api import expect

from order_page import OrderPage

BLOCK_TEXT = "Sure, write to ana.souza@gmail.com with the files."
WARN_TEXT = "add me on skype so we can talk faster"


def typed_and_flagged(page, site, name: str, text: str, severity: str) -> OrderPage:
    order = OrderPage(page, site, name).open()
    order.type(text)
    order.wait_for_marks(lambda marks: any(m.severity == severity for m in marks), f"a {severity} mark")
    return order


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
def test_enter_on_a_block_message_asks_first_and_confirming_sends(extension, page, site, name):
    order = typed_and_flagged(page, site, name, BLOCK_TEXT, "block")
    sent_before = order.thread_messages.count()

    page.keyboard.press("Enter")
    expect(order.send_confirm).to_be_visible()
    expect(order.thread_messages).to_have_count(sent_before)
    assert order.text() == BLOCK_TEXT

    order.action("send-anyway").click()
    expect(order.thread_messages).to_have_count(sent_before + 1)
    expect(order.thread_messages.last).to_have_text(BLOCK_TEXT)
    order.wait_for_text("")
    expect(order.send_confirm).to_have_count(0)


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
def test_cancelling_the_send_keeps_the_text(extension, page, site, name):
    order = typed_and_flagged(page, site, name, BLOCK_TEXT, "block")
    sent_before = order.thread_messages.count()

    page.keyboard.press("Enter")
    expect(order.send_confirm).to_be_visible()
    order.action("send-cancel").click()
    expect(order.send_confirm).to_have_count(0)
    order.wait_quiet(0.5)
    expect(order.thread_messages).to_have_count(sent_before)
    assert order.text() == BLOCK_TEXT


def test_the_send_button_is_guarded_too(extension, page, site):
    order = typed_and_flagged(page, site, "chat", BLOCK_TEXT, "block")
    sent_before = order.thread_messages.count()

    page.locator("[data-cg-send]").click()
    expect(order.send_confirm).to_be_visible()
    expect(order.thread_messages).to_have_count(sent_before)
    order.action("send-anyway").click()
    expect(order.thread_messages.last).to_have_text(BLOCK_TEXT)


def test_a_warning_alone_sends_without_asking(extension, page, site):
    order = typed_and_flagged(page, site, "chat", WARN_TEXT, "warn")
    sent_before = order.thread_messages.count()
    page.keyboard.press("Enter")
    expect(order.thread_messages).to_have_count(sent_before + 1)
    expect(order.send_confirm).to_have_count(0)
