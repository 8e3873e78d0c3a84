"""A 20,000-character requirements text keeps every keystroke, in order, and still gets its
underline; one character over the limit says too_long; in Chromium and Firefox. The slowest
keystroke interaction is printed, not asserted: on a shared machine a time limit here fails for
reasons that are not the extension's (speed is the benchmarks' job: scripts/bench-e2e)."""

from harness import open_mock

LIMIT = 20_000
TYPED = " Questions? ana.souza@gmail.com"
SENTENCE = ("We are a family bakery in Porto Alegre and want a warm, hand-drawn logo that reads well "
            "on boxes, on the shop sign and on our menu boards. ")
# The page already holds the long draft (as a page restores one): set as its value, one input event.
FILL_JS = """([selector, text]) => { const el = document.querySelector(selector);
  el.value = text; el.dispatchEvent(new Event("input", {bubbles: true})); }"""
# The Event Timing API (both browsers); the slowest is kept in the DOM, readable from any script world.
EVENT_TIMING_JS = """() => { const root = document.documentElement; root.dataset.cgSlowest = "0";
  new PerformanceObserver(list => { for (const e of list.getEntries())
    if (e.name === "keydown" || e.name === "keypress" || e.name === "input")
      root.dataset.cgSlowest = String(Math.max(Number(root.dataset.cgSlowest), e.duration)); }
  ).observe({type: "event", durationThreshold: 16, buffered: false}); }"""


def test_twenty_thousand_characters_keep_every_keystroke(cg_page, site):
    open_mock(cg_page, site, "requirements")
    base = (SENTENCE * (LIMIT // len(SENTENCE) + 1))[: LIMIT - len(TYPED)]
    cg_page.evaluate(FILL_JS, [cg_page.selector, base])
    cg_page.wait_for_text(base)
    cg_page.evaluate(EVENT_TIMING_JS)

    cg_page.set_caret(len(base))
    cg_page.tab.type(TYPED)  # at the caret
    cg_page.wait_for_text(base + TYPED)  # every keystroke landed, in order
    assert len(cg_page.text()) == LIMIT
    marks = cg_page.wait_for_marks(
        lambda marks: any(m.text == "ana.souza@gmail.com" and m.severity == "block" for m in marks),
        "the address at the end of a 20,000-character text underlined",
    )
    assert [p for m in marks for p in cg_page.underline_problems(m)] == []
    slowest = float(cg_page.evaluate("() => document.documentElement.dataset.cgSlowest"))
    print(f"\n[{cg_page.browser_name}] slowest keystroke interaction at 20,000 characters: {slowest:.0f} ms "
          "(0 = none over 16 ms)")

    cg_page.tab.type("!")
    cg_page.expect_status("too_long")
    cg_page.wait_for_marks(lambda marks: marks == [], "marks cleared once the text is over the limit")
