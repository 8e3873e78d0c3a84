"""Paste guard in the gig-requirements form: a paste with contact details waits for a choice."""

from playwright.sync_api import expect

from order_page import OrderPage

BEFORE = "Logo for a bakery. "
PASTED = "reach me at ana.souza@gmail.com"


def open_with_guarded_paste(page, site) -> OrderPage:
    order = OrderPage(page, site, "requirements").open()
    order.type(BEFORE)
    order.paste(PASTED)
    expect(order.paste_dialog).to_be_visible()
    for choice in ("paste-anyway", "paste-masked", "paste-cancel"):
        expect(order.action(choice)).to_be_visible()
    assert order.text() == BEFORE, "the paste landed before the user chose"
    return order


def test_paste_without_contact_details_lands_masked(extension, page, site):
    order = open_with_guarded_paste(page, site)
    order.action("paste-masked").click()
    expect(order.paste_dialog).to_have_count(0)

    landed = order.poll(order.text, lambda t: t != BEFORE, 5.0, lambda t: f"nothing landed: {t!r}")
    assert landed.startswith(BEFORE + "reach me at "), landed
    assert "ana.souza" not in landed and "gmail" not in landed and "@" not in landed, landed
    assert not [m for m in order.wait_quiet() if m.severity == "block"], "the masked paste still has a block finding"


def test_cancel_lands_nothing(extension, page, site):
    order = open_with_guarded_paste(page, site)
    order.action("paste-cancel").click()
    expect(order.paste_dialog).to_have_count(0)
    order.wait_quiet()
    assert order.text() == BEFORE


def test_paste_anyway_lands_the_text_as_pasted(extension, page, site):
    order = open_with_guarded_paste(page, site)
    order.action("paste-anyway").click()
    order.wait_for_text(BEFORE + PASTED)
