"""Paste guard in the gig-requirements form, in Chromium and Firefox: a paste with contact details
waits for a choice."""

from harness import open_mock

BEFORE = "Logo for a bakery. "
PASTED = "reach me at ana.souza@gmail.com"


def open_with_guarded_paste(cg_page, site):
    page = open_mock(cg_page, site, "requirements")
    page.type(BEFORE)
    page.paste(PASTED)
    dialog = page.wait_for(page.paste_dialog, "the paste dialog")
    assert set(dialog.actions) >= {"paste-anyway", "paste-masked", "paste-cancel"}
    assert page.text() == BEFORE, "the paste landed before the user chose"
    return page


def test_paste_without_contact_details_lands_masked(cg_page, site):
    page = open_with_guarded_paste(cg_page, site)
    page.choose("paste-masked")
    page.wait_gone(page.paste_dialog, "the paste dialog")

    landed = page.poll(page.text, lambda t: t != BEFORE, 5.0, lambda t: f"nothing landed: {t!r}")
    assert landed.startswith(BEFORE + "reach me at "), landed
    assert "ana.souza" not in landed and "gmail" not in landed and "@" not in landed, landed
    assert not [m for m in page.wait_quiet() if m.severity == "block"], "the masked paste still has a block finding"


def test_cancel_lands_nothing(cg_page, site):
    page = open_with_guarded_paste(cg_page, site)
    page.choose("paste-cancel")
    page.wait_gone(page.paste_dialog, "the paste dialog")
    page.wait_quiet()
    assert page.text() == BEFORE


def test_paste_anyway_lands_the_text_as_pasted(cg_page, site):
    page = open_with_guarded_paste(cg_page, site)
    page.choose("paste-anyway")
    page.wait_for_text(BEFORE + PASTED)
