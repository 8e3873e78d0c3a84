"""A 20,000-character requirements text keeps every keystroke, in order, and still gets its
underline; one character over the limit says too_long. The slowest keystroke interaction is
printed, not asserted: on a shared machine a time limit here fails for reasons that are not the
extension's (speed is the benchmarks' job: scripts/bench-e2e)."""

from order_page import OrderPage

LIMIT = 20_000
TYPED = " Questions? ana.souza@gmail.com"
SENTENCE = ("We are a family bakery in Porto Alegre and want a warm, hand-drawn logo that reads well "
            "on boxes, on the shop sign and on our menu boards. ")
EVENT_TIMING_JS = """() => { window.cgSlowest = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries())
    if (e.name === "keydown" || e.name === "keypress" || e.name === "input")
      window.cgSlowest = Math.max(window.cgSlowest, e.duration); }
  ).observe({type: "event", durationThreshold: 16, buffered: false}); }"""


def test_twenty_thousand_characters_keep_every_keystroke(extension, page, site):
    order = OrderPage(page, site, "requirements").open()
    base = (SENTENCE * (LIMIT // len(SENTENCE) + 1))[: LIMIT - len(TYPED)]
    order.composer.fill(base)
    order.wait_for_text(base)
    page.evaluate(EVENT_TIMING_JS)

    order.set_caret(len(base))
    page.keyboard.type(TYPED)
    order.wait_for_text(base + TYPED)  # every keystroke landed, in order
    assert len(order.text()) == LIMIT
    marks = order.wait_for_marks(
        lambda marks: any(m.text == "ana.souza@gmail.com" and m.severity == "block" for m in marks),
        "the address at the end of a 20,000-character text underlined",
    )
    assert [p for m in marks for p in order.underline_problems(m)] == []
    slowest = page.evaluate("window.cgSlowest")
    print(f"\nslowest keystroke interaction at 20,000 characters: {slowest:.0f} ms (0 = none over 16 ms)")

    page.keyboard.type("!")
    order.expect_status("too_long")
    order.wait_for_marks(lambda marks: marks == [], "marks cleared once the text is over the limit")
