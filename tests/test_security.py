"""Attacks on the companion, run against a real server on loopback (issue #12).

Each test plays one hostile client the way a local process could: fuzzed frames (a hypothesis
property over JSON-ish frames, bounded so CI stays fast; `scripts/fuzz-server` runs 100,001).
The companion runs in a thread with its own event loop so the hypothesis tests can drive it with
websockets' synchronous client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from companion_support import CHROME_ORIGIN, FRAMES, flag_addresses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from companion.client import ClientHandshake
from companion.config import load_config
from companion.pairing import ensure_token
from companion.protocol import BAD_MESSAGE_DETAILS, Challenge, Error, Findings, Pong, Welcome, decode_server
from companion.server import Companion, Settings
from companion.session import Limits

CLIENT_LOGGER = logging.getLogger("tests.websocket-client")
CLIENT_LOGGER.setLevel(logging.WARNING)
# Close codes the companion documents (docs/protocol.md); nothing else may end a connection.
CLOSE_CODES = {1000, 1001, 1007, 1009, 1013, 4400, 4401}


class ThreadedCompanion:
    """The real companion serving in a background thread (its own event loop)."""

    def __init__(self, config_dir: Path, **settings) -> None:
        self.config_dir = config_dir
        self._settings = Settings(config=load_config(config_dir), port=0, **settings)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.companion = Companion(self._settings, analyzer=flag_addresses)

    def __enter__(self) -> ThreadedCompanion:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.companion.start(), self._loop).result(30)
        return self

    def __exit__(self, *exc_info) -> None:
        asyncio.run_coroutine_threadsafe(self.companion.close(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()

    @property
    def url(self) -> str:
        return self.companion.url

    @property
    def token(self) -> str:
        return ensure_token(self.config_dir)[0]

    def connect(self, origin: str = CHROME_ORIGIN) -> ClientConnection:
        return connect(self.url, origin=origin, compression=None, open_timeout=10, logger=CLIENT_LOGGER)

    @contextlib.contextmanager
    def paired(self) -> Iterator[ClientConnection]:
        with self.connect() as ws:
            client = ClientHandshake(self.token, self.companion.port, client="pytest")
            ws.send(client.hello())
            ws.send(client.answer(ws.recv(10)))
            assert isinstance(decode_server(ws.recv(10)), Welcome)
            yield ws


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("config")
    ensure_token(directory)
    # No rate limit here: the fuzz checks answers, not the limiter (its own tests do).
    with ThreadedCompanion(directory, max_connections=64, limits=Limits(rate=1e9, burst=10**9)) as running:
        yield running


def check_answer(message) -> None:
    """Only documented answers: findings, pong, or an error whose bad_message detail is fixed."""
    assert isinstance(message, (Error, Findings, Pong)), message
    if isinstance(message, Error):
        assert message.code in ("bad_message", "text_too_long"), message
        if message.code == "bad_message":
            assert message.detail in BAD_MESSAGE_DETAILS and message.field is None


def answers_until_pong(ws: ClientConnection) -> list:
    ws.send('{"type": "ping"}')
    seen = []
    while not seen or not isinstance(seen[-1], Pong):
        seen.append(decode_server(ws.recv(10)))
    return seen


# --- fuzzed frames --------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frames=st.lists(FRAMES, min_size=1, max_size=6))
def test_fuzzed_frames_after_hello_get_only_documented_answers(server, frames):
    """Issue #12: 1,968 of 100,001 fuzzed frames ended the connection with 1011."""
    with server.paired() as ws:
        for frame in frames:
            ws.send(frame)
        for message in answers_until_pong(ws):
            check_answer(message)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=FRAMES)
def test_a_fuzzed_first_frame_gets_a_documented_close(server, first):
    """Before the handshake is done anything unexpected is a 4401 close (RecursionError used to
    give 1011). A valid hello is answered by a challenge; the ping after it then closes 4401."""
    with server.connect() as ws:
        ws.send(first)
        with contextlib.suppress(ConnectionClosed):
            ws.send('{"type": "ping"}')
        with contextlib.suppress(ConnectionClosed):
            while True:
                message = decode_server(ws.recv(10))
                # A hello with another protocol version is told so before the 4400 close.
                assert isinstance(message, Challenge) or (
                    isinstance(message, Error) and message.code == "unsupported_protocol"), message
        assert ws.close_code in (4400, 4401)
