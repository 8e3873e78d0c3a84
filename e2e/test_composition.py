"""IME composition (real composition events from Chromium's Input.imeSetComposition): nothing is
analysed or painted mid-composition; committing the composition analyses the text."""

import pytest

from order_page import OrderPage

BEFORE = "write to "
COMPOSED = "ana.souza@gmail.com"


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
def test_composition_is_not_analysed_until_committed(extension, page, site, name):
    order = OrderPage(page, site, name).open()
    order.type(BEFORE)
    ime = page.context.new_cdp_session(page)
    for end in [*range(3, len(COMPOSED), 4), len(COMPOSED)]:  # the candidate grows like an IME's
        ime.send("Input.imeSetComposition",
                 {"text": COMPOSED[:end], "selectionStart": end, "selectionEnd": end})
    order.wait_for_text(BEFORE + COMPOSED)
    assert order.wait_quiet() == [], "painted while the composition was still open"

    ime.send("Input.insertText", {"text": COMPOSED})  # commits: compositionend
    order.wait_for_marks(lambda marks: any(m.text == COMPOSED and m.severity == "block" for m in marks),
                         "the committed address underlined")
    assert order.text() == BEFORE + COMPOSED
