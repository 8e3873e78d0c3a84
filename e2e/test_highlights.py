"""What the CSS Custom Highlight API paints in a contenteditable composer, in Chromium and Firefox:
the findings on or near the screen are highlighted; one far out of view (a long text that scrolls)
is not, until a scroll brings it near (every highlighted text node costs the browser work on each
keystroke: extension/src/lib/reach.js). The boxes that carry each mark's geometry stay for every
finding. Both states are photographed to <artifacts>/screens/<browser>/highlight-*.png."""

from harness import open_mock

EMAIL = "ana.souza@gmail.com"
PHONE = "+55 11 98765 4321"
FILLER_LINES = 120  # ~2,700 px of text: the last line is far more than a viewport below the first

# The text of every range registered under Contact Guard's highlight names (cg-block, cg-warn-dark...).
HIGHLIGHTED_JS = """() => {
  const texts = [];
  for (const severity of ['block', 'warn', 'info']) {
    for (const name of [`cg-${severity}`, `cg-${severity}-dark`]) {
      const highlight = CSS.highlights.get(name);
      highlight?.forEach((range) => texts.push(range.toString()));  // (Firefox's sandbox cannot iterate)
    }
  }
  return texts;
}"""

FILL_JS = """([selector, lines]) => {
  const composer = document.querySelector(selector);
  const line = (text) => { const div = document.createElement('div'); div.textContent = text; return div; };
  composer.replaceChildren(line(lines[0]), ...lines.slice(1).map(line));
}"""


def test_far_findings_are_highlighted_when_scrolled_near(cg_page, site, cg_artifacts_dir):
    page = open_mock(cg_page, site, "chat-rich")
    lines = [f"write to {EMAIL} please"] + [f"line {i} of the brief" for i in range(FILLER_LINES)] + \
        [f"or call {PHONE} today"]
    page.evaluate(FILL_JS, [page.selector, lines])
    page.wait_for_marks(lambda marks: {EMAIL, PHONE} <= {m.text for m in marks}, "both findings marked")
    screens = cg_artifacts_dir / "screens" / page.browser_name

    # The composer shows its first lines: the address is highlighted, the number far below is not.
    page.evaluate("(s) => { document.querySelector(s).scrollTop = 0; }", page.selector)
    top = page.poll(lambda: page.evaluate(HIGHLIGHTED_JS), lambda texts: EMAIL in texts, 5.0,
                    lambda texts: f"the address on screen is not highlighted: {texts}")
    assert PHONE not in top, f"a finding ~2,700 px out of view is highlighted: {top}"
    page.screenshot(screens / "highlight-top.png")

    # Scrolled to the end: the number is highlighted, the address (now far above) no longer is.
    page.evaluate("(s) => { const c = document.querySelector(s); c.scrollTop = c.scrollHeight; }", page.selector)
    bottom = page.poll(lambda: page.evaluate(HIGHLIGHTED_JS), lambda texts: PHONE in texts and EMAIL not in texts,
                       5.0, lambda texts: f"after scrolling to the end, highlighted: {texts}")
    assert bottom == [PHONE], bottom
    page.screenshot(screens / "highlight-bottom.png")
    # The marks' boxes (geometry, hover, the card) stay for both findings, highlighted or not.
    assert {EMAIL, PHONE} <= {m.text for m in page.marks()}



def _highlights_match_marks(page, wanted: set[str], when: str) -> None:
    """Waits until the highlighted texts are exactly the marked findings' texts and include `wanted`."""
    def read():
        return sorted(page.evaluate(HIGHLIGHTED_JS)), sorted(m.text for m in page.marks())

    page.poll(read, lambda got: got[0] == got[1] and wanted <= set(got[0]), 10.0,
              lambda got: f"{when}: highlighted {got[0]}, marked {got[1]}")


def test_highlights_follow_the_findings_as_the_text_changes(cg_page, site):
    """Each composer's Ranges are moved in place on every paint rather than made anew (a live Range
    costs each later edit of the page until it is collected): what is registered must still be
    exactly the findings, after typing before them (offsets move in the same text node), after a
    finding goes (one Range fewer) and after the text is replaced (every Range moved elsewhere)."""
    page = open_mock(cg_page, site, "chat-rich")
    page.type(f"write to {EMAIL} please")
    _highlights_match_marks(page, {EMAIL}, "the address typed")

    # A number typed before the address: both are highlighted, each on its own text.
    before = f"{PHONE} and "
    page.set_caret(0)
    page.tab.type(before)
    _highlights_match_marks(page, {PHONE, EMAIL}, "a number typed before the address")

    # The number goes again: only the address is highlighted, where it now is.
    page.set_caret(0)
    for _ in before:
        page.press("Delete")
    _highlights_match_marks(page, {EMAIL}, "the number deleted")
    assert PHONE not in page.evaluate(HIGHLIGHTED_JS)

    # Replaced by the page (new text nodes): the highlight moves to the new finding, nothing stale stays.
    other = "bruno.lima@outlook.com"
    page.evaluate(FILL_JS, [page.selector, [f"or mail {other}", "thanks"]])
    _highlights_match_marks(page, {other}, "the text replaced")
    assert EMAIL not in page.evaluate(HIGHLIGHTED_JS)
