"""The extension keeps a rich editor's text from its mutation records instead of walking the editor on
every keystroke (extension/src/content/editable-text.js updateEditable): the kept text must never
disagree with the editor's. Checked in the seven real editors, in Chromium and Firefox, through what
the extension paints: the CSS highlight of a finding is a DOM Range built from the kept text's
offsets, so after each kind of edit before the finding (typing into the line, a new paragraph above
it, joining it back with Backspace, undo, a paste) the highlighted text must be exactly the address.
A kept text one character off (a line break it missed, a node it did not see) highlights the wrong
characters."""

from __future__ import annotations

import pytest

from test_editors import EDITORS, EMAIL, EditorPage, editors_origin  # noqa: F401 (fixture)
from test_highlights import HIGHLIGHTED_JS

TEXT = f"write to {EMAIL} today"


def expect_only_the_address_highlighted(cg_page, ed: EditorPage, describe: str) -> None:
    cg_page.poll(lambda: cg_page.evaluate(HIGHLIGHTED_JS), lambda texts: texts == [EMAIL], 5.0,
                 lambda texts: f"{ed.editor}: after {describe} the highlights cover {texts!r}, "
                               f"expected only {EMAIL!r}; the DOM reads {ed.dom()!r}")


@pytest.mark.parametrize("editor", EDITORS)
def test_the_kept_text_matches_the_editor_after_every_kind_of_edit(cg_page, editors_origin, editor):
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=False).open()
    ed.type(TEXT)
    ed.expect_model(TEXT, "typed text")
    expect_only_the_address_highlighted(cg_page, ed, "typing")

    ed.press("Control+Home")
    ed.type("Hi Ana, ")  # into the same text node, before the finding
    ed.expect_model("Hi Ana, " + TEXT, "typing before the address")
    expect_only_the_address_highlighted(cg_page, ed, "typing before the address")

    ed.press("Enter")  # a new paragraph above: the line break moves every offset after it
    ed.expect_model("Hi Ana, \n" + TEXT, "Enter before the address")
    expect_only_the_address_highlighted(cg_page, ed, "a paragraph break before the address")

    ed.type("x")  # typing at the start of the second paragraph
    ed.expect_model("Hi Ana, \nx" + TEXT, "typing at the start of the second paragraph")
    expect_only_the_address_highlighted(cg_page, ed, "typing at the start of a paragraph")

    ed.press("Backspace")
    ed.press("Backspace")  # joins the paragraphs again
    ed.expect_model("Hi Ana, " + TEXT, "Backspace joining the paragraphs")
    expect_only_the_address_highlighted(cg_page, ed, "Backspace joining the paragraphs")

    ed.pause_for_undo_group()
    ed.press("Enter")  # the caret is where the paragraphs were joined
    ed.expect_model("Hi Ana, \n" + TEXT, "Enter again")
    expect_only_the_address_highlighted(cg_page, ed, "Enter again")
    ed.press("Control+Z")  # the editor puts its own DOM back
    ed.expect_model("Hi Ana, " + TEXT, "undo of the Enter")
    expect_only_the_address_highlighted(cg_page, ed, "undo")

    ed.press("Control+End")
    ed.type(" and ")
    cg_page.paste("more lines\nof text")  # a clean multi-line paste after the address
    ed.wait_model(lambda model: model.endswith("more lines\nof text"), "the paste did not land")
    expect_only_the_address_highlighted(cg_page, ed, "a multi-line paste after the address")
