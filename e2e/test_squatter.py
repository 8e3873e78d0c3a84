"""A program squatting on the companion's port gets nothing it can reuse (issue #12, failure 7).

Protocol 2: the companion proves it holds the pairing token before the extension proves it does
or sends any text. These tests put a small WebSocket server on the port the extension dials and
let the real extension talk to it (in Chromium and Firefox): whatever the squatter answers (a
made-up proof, a welcome without any proof, or a real proof relayed from the real companion on its
own port), it receives the extension's hello and nothing else — no proof, no `analyze`, never the token or typed text —
and the options page and the popup say "this is not the Contact Guard companion". A plain address
is still caught at send, by the extension's own reduced check.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import subprocess
import sys
import threading
import time

import pytest
from websockets.sync.client import connect
from websockets.sync.server import serve

from harness import EXTENSION_ID, REPO_DIR, expect_reduced_check_at_send, open_mock

NOT_THE_COMPANION = re.compile(r"this is not the Contact Guard companion", re.IGNORECASE)


class Squatter:
    """Accepts any WebSocket on a free loopback port, records every frame, answers hello by `mode`."""

    def __init__(self, mode: str, companion_port: int) -> None:
        self.mode = mode
        self.companion_port = companion_port
        self.frames: list[str] = []
        self.relayed_challenges = 0  # real companion proofs passed on (relay mode)
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Squatter:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._thread.join(10)

    def _handle(self, ws) -> None:
        upstream = None
        with contextlib.ExitStack() as stack, contextlib.suppress(Exception):  # hung up on: the point
            for frame in ws:
                self.frames.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))
                if json.loads(frame).get("type") != "hello":
                    if upstream is not None:
                        upstream.send(frame)  # a relay passes everything on
                    continue
                if self.mode == "relay":
                    # The real companion proves itself for *its* port; the extension dialed ours.
                    upstream = stack.enter_context(connect(f"ws://127.0.0.1:{self.companion_port}",
                                                           origin=f"chrome-extension://{EXTENSION_ID}"))
                    upstream.send(frame)
                    challenge = upstream.recv(10)
                    self.relayed_challenges += json.loads(challenge)["type"] == "challenge"
                    ws.send(challenge)
                elif self.mode == "other-protocol":  # a companion of another protocol version
                    ws.send(json.dumps({"type": "error", "code": "unsupported_protocol",
                                        "detail": "this companion speaks protocol 3; update the extension"}))
                    ws.close(4400, "unsupported protocol version")
                elif self.mode == "welcome":
                    ws.send(json.dumps({"type": "welcome", "protocol": 2, "companion": "0.1.0"}))
                else:
                    ws.send(json.dumps({"type": "challenge", "protocol": 2, "companion": "0.1.0",
                                        "nonce": secrets.token_hex(32), "proof": secrets.token_hex(32)}))


@pytest.mark.parametrize("mode", ["made-up-proof", "welcome", "relay"],
                         ids=["made-up-proof", "welcome-without-proof", "proof-relayed-from-the-real-companion"])
def test_a_port_squatter_gets_no_proof_and_no_text_and_the_user_is_told(cg_browser, cg_companion, cg_page, site,
                                                                         mode):
    """Runs in Chromium and Firefox (the qa plugin's page helper). Before protocol 2 the extension
    sent the token in its hello, then every keystroke: this test fails on that code."""
    with Squatter(mode, cg_companion.port) as squatter:
        cg_browser.replace_settings({"port": squatter.port, "token": cg_companion.token})
        page = open_mock(cg_page, site, "chat", expect_status="impostor")
        text = "Sure, write to ana.souza@gmail.com with the files."
        page.type(text)
        page.wait_for_text(text)
        assert page.wait_quiet() == []  # nothing was analyzed: no companion verdict
        # Sending is still guarded, by the extension's own reduced check (nothing goes to the squatter).
        expect_reduced_check_at_send(page, "could not prove it is the companion")

        page.tab.goto(cg_browser.extension_url("popup/popup.html"))
        page.wait_for(lambda: NOT_THE_COMPANION.search(page.texts("#status")[0]),
                      "the popup saying 'this is not the Contact Guard companion'")
        page.tab.goto(cg_browser.extension_url("options/options.html"))
        page.wait_for(lambda: NOT_THE_COMPANION.search(page.texts("#pair-status")[0]),
                      "the options page saying 'this is not the Contact Guard companion'")

        received = list(squatter.frames)
    assert received, "the extension never reached the squatter"
    assert (squatter.relayed_challenges > 0) == (mode == "relay")  # the relay really got the real proof
    assert {json.loads(frame)["type"] for frame in received} == {"hello"}
    assert not any(cg_companion.token in frame or "ana.souza" in frame or "files" in frame for frame in received)


def test_a_companion_of_another_protocol_version_is_named_and_send_is_still_guarded(cg_browser, cg_companion,
                                                                                   cg_page, site):
    """A version mismatch (`unsupported_protocol`, close 4400) is its own state, not "not running"
    and not an impostor; the reduced check guards send meanwhile. Chromium and Firefox."""
    with Squatter("other-protocol", cg_companion.port) as other:
        cg_browser.replace_settings({"port": other.port, "token": cg_companion.token})
        page = open_mock(cg_page, site, "chat", expect_status="incompatible")
        page.type("Sure, write to ana.souza@gmail.com with the files.")
        expect_reduced_check_at_send(page, "version does not match this extension")
        page.tab.goto(cg_browser.extension_url("options/options.html"))
        page.wait_for(lambda: "another protocol version" in page.texts("#pair-status")[0],
                      "the options page naming the version mismatch")
        received = list(other.frames)
    assert {json.loads(frame)["type"] for frame in received} == {"hello"}


PAIRED = re.compile(r"(?<!not )\bpaired\b", re.IGNORECASE)


@contextlib.contextmanager
def squatters(port: int, count: int = 40):
    """scripts/squatters.py in its own process: `count` connections to the real companion that
    never prove the token, each reconnecting as soon as it is dropped (issue #12's lock-out)."""
    process = subprocess.Popen([sys.executable, str(REPO_DIR / "scripts" / "squatters.py"), f"ws://127.0.0.1:{port}",
                                "--count", str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "ready\n"
        yield process
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()


def test_the_real_extension_connects_while_40_squatters_reconnect_in_a_loop(cg_browser, cg_companion, cg_page):
    """Issue #12: the extension got in 0 of 28 tries in 15 s. Runs in Chromium and Firefox. Each
    round the options page is shown a wrong token (not the companion), then the right one: the
    background connects again at once, and its pairing line says paired. The rounds span more than
    the 5 s handshake deadline, so the squatters are also expired and reconnect meanwhile. The
    times are printed (the goal is <= 1 s); no timing is asserted."""
    cg_browser.replace_settings({"port": cg_companion.port, "token": "0" * 64})
    cg_page.tab.goto(cg_browser.extension_url("options/options.html"))

    def pairing(pattern: re.Pattern, describe: str) -> None:
        cg_page.wait_for(lambda: pattern.search(cg_page.texts("#pair-status")[0]), describe, timeout_s=15)

    times, count = [], 40
    with squatters(cg_companion.port, count) as attack:
        cg_page.wait(0.5)
        for _ in range(5):
            cg_browser.set_settings({"token": "0" * 64})
            pairing(NOT_THE_COMPANION, "not the companion (wrong token)")
            started = time.monotonic()
            cg_browser.set_settings({"token": cg_companion.token})
            pairing(PAIRED, "paired while the squatters are on")
            times.append(time.monotonic() - started)
            cg_page.wait(1.2)
        attack.stdin.close()
        made = int(attack.stdout.read().split()[-1])
    print(f"\n[{cg_page.browser_name}] the real extension connected in {', '.join(f'{t * 1000:.0f}' for t in times)} "
          f"ms while {count} squatters made {made:,} connections")
    assert made > count  # they were expired and reconnected during the rounds
