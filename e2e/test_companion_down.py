"""Companion killed while typing: quiet offline status, no painting, typing unaffected, no console
error flood (the background probes silently; at most one line per outage), and the send and paste
guards still catch a plain address with the reduced check; restarted: the extension reconnects
within 3 s and re-checks the text typed meanwhile."""

import time

from playwright.sync_api import expect

from harness import open_mock
from order_page import OrderPage
from worker_console import WorkerConsole

RECONNECT_BUDGET_S = 3.0
# Long enough for several probes and, without a composer in use, for the back-off to grow.
OUTAGE_S = 4.0


def test_companion_killed_then_restarted(extension, companion, page, site, console):
    order = OrderPage(page, site, "chat").open()
    order.type("Hello Ana,")
    process = companion.process
    worker_console = WorkerConsole.attach(extension)
    try:
        process.stop(hard=True)  # like a crash: the socket drops without a close frame
        typed = " write to ana.souza@gmail.com"
        order.type(typed)
        order.expect_status("offline")
        order.wait_for_text("Hello Ana," + typed)
        time.sleep(OUTAGE_S)
        assert order.wait_quiet() == [], "painted without a companion"
        expect(order.banner).to_have_count(0)
        expect(order.send_confirm).to_have_count(0)

        # Sending is still guarded: the reduced check catches the plain address, and says it is reduced.
        sent_before = order.thread_messages.count()
        page.keyboard.press("Enter")
        expect(order.send_confirm).to_be_visible()
        expect(order.send_confirm).to_have_attribute("data-check", "reduced")
        expect(order.send_confirm.locator(".cg-note")).to_contain_text("Reduced check")
        expect(order.thread_messages).to_have_count(sent_before)
        order.action("send-cancel").click()
        expect(order.send_confirm).to_have_count(0)
        assert order.text() == "Hello Ana," + typed
        assert console.unexpected_errors() == []

        process.start()
        restarted = time.monotonic()
        order.wait_for_marks(
            lambda marks: any(m.text == "ana.souza@gmail.com" and m.severity == "block" for m in marks),
            "the text typed while offline re-checked",
            timeout_s=RECONNECT_BUDGET_S,
        )
        elapsed = time.monotonic() - restarted
        order.expect_status("connected", timeout_ms=1000)
        errors = worker_console.errors()
        print(f"\nreconnected and re-checked {elapsed * 1000:.0f} ms after the companion listened again; "
              f"worker console errors in the outage: {len(errors)}; "
              f"failed loads (network panel only): {len(worker_console.network_failures)}")
        assert len(errors) <= 1, f"{len(errors)} console errors for one outage: {errors}"
        assert console.unexpected_errors() == []
    finally:
        worker_console.detach()
        if not process.running:
            process.start()


def test_without_the_companion_a_pasted_address_is_caught_by_the_reduced_check(cg_page, cg_companion, site):
    """In Chromium and Firefox: the paste guard falls back to the reduced check, says so, and a
    clean paste is not held at all."""
    open_mock(cg_page, site, "requirements")
    process = cg_companion.process
    try:
        process.stop()
        cg_page.expect_status("offline")
        cg_page.paste("Brief attached. Contact: ana.souza@gmail.com")
        dialog = cg_page.wait_for(cg_page.paste_dialog, "the paste dialog (reduced check)")
        assert "Reduced check" in dialog.text, dialog.text
        cg_page.choose("paste-masked")
        cg_page.wait_for_text("Brief attached. Contact: [contact removed]")
        cg_page.paste(" Thanks!")
        cg_page.wait_for_text("Brief attached. Contact: [contact removed] Thanks!")
        assert cg_page.paste_dialog() is None
        assert cg_page.tab.console.unexpected_errors() == []
    finally:
        if not process.running:
            process.start()
