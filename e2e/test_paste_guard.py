"""Paste guard in the gig-requirements form, in Chromium and Firefox: a paste with contact details
waits for a choice."""

import pytest

from harness import open_mock

BEFORE = "Logo for a bakery. "
EMAIL = "ana.souza@gmail.com"
PASTED = f"reach me at {EMAIL}"


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


# Lines as a brief is pasted: a run of spaces, a line that starts with spaces, an empty line.
PASTED_LINES = f"Brief for the logo:\n  two  spaces kept\n\nwrite to {EMAIL} please\nlast line"
# Counted on the element: Marionette runs each script in a sandbox of its own, so no global survives.
_COUNT_INPUTS_JS = """(selector) => { const el = document.querySelector(selector); el.dataset.inputs = '0';
  el.addEventListener('input', () => { el.dataset.inputs = String(Number(el.dataset.inputs) + 1); }); }"""
_INPUTS_JS = "(selector) => Number(document.querySelector(selector).dataset.inputs)"
# The text after a collapsed caret (the page helper's selection() does not count <br> as a character).
_AFTER_CARET_JS = """(selector) => { const el = document.querySelector(selector);
  if (!el.isContentEditable) return el.selectionStart === el.selectionEnd ? el.value.slice(el.selectionEnd) : null;
  const sel = getSelection(); if (!sel.isCollapsed || !el.contains(sel.focusNode)) return null;
  const after = document.createRange(); after.selectNodeContents(el); after.setStart(sel.focusNode, sel.focusOffset);
  return after.toString(); }"""


@pytest.mark.parametrize("composer", ["requirements", "chat-rich"])  # a textarea, a plain contenteditable
def test_a_held_multiline_paste_lands_as_one_edit_with_the_caret_after_it_and_one_undo_step(cg_page, site, composer):
    """A held paste let through is inserted natively in one edit: Chromium's insertText would insert
    it line by line (an edit and an `input` per line and per line break: 500 for a 250-line brief,
    half a second of the extension's task), so the page would see the paste as many edits."""
    page = open_mock(cg_page, site, composer)
    typed = lambda: page.text().replace("\u00a0", " ")  # a contenteditable keeps a typed space as a no-break one
    page.type(BEFORE)
    page.poll(typed, lambda text: text == BEFORE, 5.0, lambda text: f"{composer}: typed {text!r}")
    page.evaluate(_COUNT_INPUTS_JS, page.selector)
    page.paste(PASTED_LINES)
    page.wait_for(page.paste_dialog, "the paste dialog")
    page.choose("paste-anyway")
    expected = BEFORE + PASTED_LINES
    page.poll(typed, lambda text: text == expected, 5.0,
              lambda text: f"{composer}: landed {text!r}, expected {expected!r}")
    assert page.evaluate(_INPUTS_JS, page.selector) == 1, "the paste reached the page as several edits"
    assert page.evaluate(_AFTER_CARET_JS, page.selector) == "", "the caret is not right after the pasted text"
    page.press("Control+Z")
    page.poll(typed, lambda text: text == BEFORE, 5.0, lambda text: f"{composer}: after one undo {text!r}")
