"""Mask (keeps the caret, undo restores) and Ignore (hidden until the text changes there)."""

import pytest
from playwright.sync_api import expect

from order_page import OrderPage

EMAIL = "ana.souza@gmail.com"
TEXT = f"write to {EMAIL} and thanks"


def flagged(page, site, name: str, text: str = TEXT) -> OrderPage:
    order = OrderPage(page, site, name).open()
    order.type(text)
    order.wait_for_marks(lambda marks: any(m.text == EMAIL for m in marks), "the address underlined")
    return order


def email_finding(order: OrderPage):
    return order.banner.locator(".cg-finding[data-kind='email']").first


def masked_text(order: OrderPage) -> str:
    text = order.poll(order.text, lambda t: t != TEXT, 5.0, lambda t: f"Mask did not change the text: {t!r}")
    assert text.startswith("write to ") and text.endswith(" and thanks"), text
    assert EMAIL not in text and "@" not in text, text
    return text


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
@pytest.mark.parametrize("caret_at", ["before", "after"], ids=["caret-before-span", "caret-after-span"])
def test_mask_replaces_the_span_keeps_the_caret_and_undo_restores(extension, page, site, name, caret_at):
    order = flagged(page, site, name)
    caret = TEXT.index("write") + 3 if caret_at == "before" else TEXT.index("thanks") + 2
    order.set_caret(caret)

    email_finding(order).locator("button[data-action='mask']").click()
    text = masked_text(order)
    shift = 0 if caret_at == "before" else len(text) - len(TEXT)
    assert order.selection() == (caret + shift, caret + shift), "Mask moved the caret"

    order.composer.focus()
    page.keyboard.press("Control+Z")
    order.wait_for_text(TEXT)


def test_ignore_hides_the_finding_until_the_text_changes_there(extension, page, site):
    order = flagged(page, site, "chat")
    email_finding(order).locator("button[data-action='ignore']").click()
    order.wait_for_marks(lambda marks: not any(m.kind == "email" for m in marks), "the ignored mark gone")
    expect(email_finding(order)).to_have_count(0)

    order.type(" a lot")  # an edit elsewhere: still ignored
    order.wait_for_text(TEXT + " a lot")
    assert not [m for m in order.wait_quiet() if m.kind == "email"], "an edit elsewhere revived the ignored finding"

    order.set_caret(TEXT.index(EMAIL) + len("ana"))
    page.keyboard.type("x")  # an edit inside the address: it is a new finding
    order.wait_for_marks(lambda marks: any(m.text == "anax.souza@gmail.com" for m in marks),
                         "the edited address underlined again")
