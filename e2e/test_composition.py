"""IME composition, in Chromium and Firefox (real composition events through the page helper's
input method: CDP's Input.imeSetComposition in Chromium, nsITextInputProcessor in Firefox): nothing
is analysed or painted mid-composition; committing the composition analyses the text; Enter that
commits a composition on a send-on-Enter page never sends nor asks, and the committed text is intact."""

import pytest

from harness import SENT_MESSAGES, open_mock

BEFORE = "write to "
COMPOSED = "ana.souza@gmail.com"


@pytest.mark.parametrize("name", ["chat", "chat-rich"])
def test_composition_is_not_analysed_until_committed(cg_page, site, name):
    open_mock(cg_page, site, name)

    def text() -> str:
        return cg_page.text().replace("\xa0", " ")

    cg_page.type(BEFORE)
    for end in [*range(3, len(COMPOSED), 4), len(COMPOSED)]:  # the candidate grows like an IME's
        cg_page.compose(COMPOSED[:end])
    # Firefox keeps the no-break space it typed for a trailing space of a contenteditable
    cg_page.poll(text, lambda current: current == BEFORE + COMPOSED, 5.0,
                 lambda current: f"composer text is {current!r}, expected {BEFORE + COMPOSED!r}")
    assert cg_page.wait_quiet() == [], "painted while the composition was still open"

    cg_page.commit(COMPOSED)  # compositionend
    cg_page.wait_for_marks(lambda marks: any(m.text == COMPOSED and m.severity == "block" for m in marks),
                           "the committed address underlined")
    assert text() == BEFORE + COMPOSED


def test_enter_committing_a_composition_neither_sends_nor_asks(cg_page, site):
    """The mock chat sends on Enter; a block finding is painted; Enter is the input method's."""
    open_mock(cg_page, site, "chat")
    cg_page.type(f"Hi, write to {COMPOSED} ")
    cg_page.wait_for_marks(lambda marks: any(m.severity == "block" for m in marks), "the address")
    sent_before = cg_page.texts(SENT_MESSAGES)
    cg_page.compose("にほん")
    cg_page.press_composing("Enter")
    cg_page.wait(0.5)
    assert cg_page.send_dialog() is None, "Enter during a composition was guarded"
    assert cg_page.texts(SENT_MESSAGES) == sent_before, "Enter during a composition sent the message"
    assert cg_page.text() == f"Hi, write to {COMPOSED} にほん"
