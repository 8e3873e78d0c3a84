"""Mask (keeps the caret, undo restores) and Ignore (hidden until the text changes there), in
Chromium and Firefox."""

import pytest

from harness import open_mock

EMAIL = "ana.souza@gmail.com"
TEXT = f"write to {EMAIL} and thanks"


def flagged(cg_page, site, name: str, text: str = TEXT):
    page = open_mock(cg_page, site, name)
    page.type(text)
    page.wait_for_marks(lambda marks: any(m.text == EMAIL for m in marks), "the address underlined")
    return page


# The composer's caret as the page reads it in a task of its own queued by its `input` listener
# (the first task after the edit's), kept on <html> for the test (either browser's script world).
CARET_AFTER_INPUT_JS = """(selector) => {
  const el = document.querySelector(selector);
  delete document.documentElement.dataset.cgTestCaret;
  el.addEventListener('input', () => setTimeout(() => {
    let caret;
    if (!el.isContentEditable) {
      caret = [el.selectionStart, el.selectionEnd];
    } else {
      const sel = getSelection();
      const offsetOf = (node, off) => {
        const r = document.createRange(); r.selectNodeContents(el); r.setEnd(node, off);
        return r.toString().length;
      };
      caret = [offsetOf(sel.anchorNode, sel.anchorOffset), offsetOf(sel.focusNode, sel.focusOffset)].sort((a, b) => a - b);
    }
    document.documentElement.dataset.cgTestCaret = JSON.stringify(caret);
  }), {once: true});
}"""
_SEEN_JS = "() => document.documentElement.dataset.cgTestCaret ? JSON.parse(document.documentElement.dataset.cgTestCaret) : null"


def masked_text(page) -> str:
    text = page.poll(page.text, lambda t: t != TEXT, 5.0, lambda t: f"Mask did not change the text: {t!r}")
    assert text.startswith("write to ") and text.endswith(" and thanks"), text
    assert EMAIL not in text and "@" not in text, text
    return text


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
@pytest.mark.parametrize("caret_at", ["before", "after"], ids=["caret-before-span", "caret-after-span"])
def test_mask_replaces_the_span_keeps_the_caret_and_undo_restores(cg_page, site, name, caret_at):
    page = flagged(cg_page, site, name)
    caret = TEXT.index("write") + 3 if caret_at == "before" else TEXT.index("thanks") + 2
    page.set_caret(caret)

    card = page.card()
    assert card is not None and "mask" in next(f for f in card.findings if f.kind == "email").actions
    page.evaluate(CARET_AFTER_INPUT_JS, page.selector)
    page.choose("mask", kind="email")
    text = masked_text(page)
    shift = 0 if caret_at == "before" else len(text) - len(TEXT)
    expected = [caret + shift, caret + shift]
    # Read once: the caret goes back in the edit's own task, so any read after the text changed sees it.
    assert list(page.selection()) == expected, "Mask moved the caret"
    # The same as the page saw it in the first task after Mask's input event (a native edit leaves
    # the caret after the replacement; put back any later, a page's script would see it there).
    seen = page.poll(lambda: page.evaluate(_SEEN_JS), lambda seen: seen is not None, 2.0,
                     lambda seen: "the page's input listener never ran")
    assert seen == expected, f"the page saw the caret at {seen} after Mask's edit, before it was put back"

    page.focus()
    page.press("Control+Z")
    page.wait_for_text(TEXT)


def test_ignore_hides_the_finding_until_the_text_changes_there(cg_page, site):
    page = flagged(cg_page, site, "chat")
    page.choose("ignore", kind="email")
    page.wait_for_marks(lambda marks: not any(m.kind == "email" for m in marks), "the ignored mark gone")
    card = page.card()
    assert card is None or not any(f.kind == "email" for f in card.findings)

    page.type(" a lot")  # an edit elsewhere: still ignored
    page.wait_for_text(TEXT + " a lot")
    assert not [m for m in page.wait_quiet() if m.kind == "email"], "an edit elsewhere revived the ignored finding"

    page.set_caret(TEXT.index(EMAIL) + len("ana"))
    page.tab.type("x")  # an edit inside the address, at the caret: it is a new finding
    page.wait_for_marks(lambda marks: any(m.text == "anax.souza@gmail.com" for m in marks),
                        "the edited address underlined again")
