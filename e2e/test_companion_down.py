"""Companion killed while typing, in Chromium and Firefox: quiet offline status, no painting,
typing unaffected, no console errors; restarted: the extension reconnects within 3 s and re-checks
the text typed meanwhile."""

import time

from harness import open_mock

RECONNECT_BUDGET_S = 3.0


def test_companion_killed_then_restarted(cg_page, cg_companion, site):
    page = open_mock(cg_page, site, "chat")
    page.type("Hello Ana,")
    process = cg_companion.process
    try:
        process.stop(hard=True)  # like a crash: the socket drops without a close frame
        typed = " write to ana.souza@gmail.com"
        page.type(typed)
        page.expect_status("offline")
        page.wait_for_text("Hello Ana," + typed)
        assert page.wait_quiet() == [], "painted without a companion"
        assert page.card() is None and page.send_dialog() is None
        assert page.tab.console.unexpected_errors() == []

        process.start()
        restarted = time.monotonic()
        page.wait_for_marks(
            lambda marks: any(m.text == "ana.souza@gmail.com" and m.severity == "block" for m in marks),
            "the text typed while offline re-checked",
            timeout_s=RECONNECT_BUDGET_S,
        )
        elapsed = time.monotonic() - restarted
        page.expect_status("connected", timeout_s=1)
        print(f"\nreconnected and re-checked {elapsed * 1000:.0f} ms after the companion listened again")
    finally:
        if not process.running:
            process.start()
