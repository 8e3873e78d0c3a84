"""Attacks on the companion, run against a real server on loopback (issue #12; docs/security.md).

Each test plays one hostile local program: fuzzed frames (a hypothesis property over JSON-ish
frames, bounded so CI stays fast; `scripts/fuzz-server` runs 100,001), squatters reconnecting in
a loop (scripts/squatters.py, in a process of its own), silent TCP floods under a low or shrinking
descriptor limit, a client that stops reading, a squatting companion (and a relay to the real
one) that a client must not prove itself to, and Origin/Host variations. The fuzz tests drive a
companion serving in a thread (websockets' synchronous client, for hypothesis); the others a real
`contact-guard serve` process, whose log they read.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from companion_support import CHROME_ORIGIN, FRAMES, flag_addresses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve as serve_websocket
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.asyncio.client import ClientConnection as AsyncClientConnection
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as connect_sync

from companion.client import ClientHandshake, NotTheCompanion, connect_paired
from companion.config import load_config
from companion.pairing import ensure_token
from companion.protocol import BAD_MESSAGE_DETAILS, Challenge, Error, Findings, Pong, Welcome, decode_server
from companion.server import Companion, Settings
from companion.session import Limits

CLIENT_LOGGER = logging.getLogger("tests.websocket-client")
CLIENT_LOGGER.setLevel(logging.WARNING)


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
        return connect_sync(self.url, origin=origin, compression=None, open_timeout=10, logger=CLIENT_LOGGER)

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
    with ThreadedCompanion(directory, max_clients=64, limits=Limits(rate=1e9, burst=10**9)) as running:
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


# --- a real `contact-guard serve` process ----------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


class ServeProcess:
    """`python -m companion serve --port 0` with its stderr (the logs) collected line by line."""

    def __init__(self, config_dir: Path, *args: str, max_open_files: int | None = None) -> None:
        def lower_the_limit() -> None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max_open_files, max_open_files))

        self.process = subprocess.Popen(
            [sys.executable, "-m", "companion", "serve", "--port", "0", "--config-dir", str(config_dir), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lower_the_limit if max_open_files else None,
        )
        startup = self.process.stdout.readline()
        match = re.search(r"listening on (ws://127\.0\.0\.1:(\d+))", startup)
        assert match, f"the companion did not start: {startup!r} {self.process.stderr.read() if not startup else ''}"
        self.url, self.port = match[1], int(match[2])
        self.config_dir = config_dir
        self.token = ensure_token(config_dir)[0]
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.process.stderr), daemon=True).start()

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    async def paired(self, **connect_args):
        return await connect_paired(self.url, self.token, logger=CLIENT_LOGGER, **connect_args)


@pytest.fixture
def serve(tmp_path):
    """Start companions with optional config.json limits; all are stopped after the test."""
    started: list[ServeProcess] = []

    def start(limits: dict | None = None, extension_ids: tuple[str, ...] = (), **kwargs) -> ServeProcess:
        directory = tmp_path / f"config{len(started)}"
        ensure_token(directory)
        if limits or extension_ids:
            (directory / "config.json").write_text(json.dumps({"limits": limits or {},
                                                               "extra_extension_ids": list(extension_ids)}))
        started.append(ServeProcess(directory, **kwargs))
        return started[-1]

    yield start
    for process in started:
        process.stop(signal.SIGKILL)


# --- slot squatting ------------------------------------------------------------------------------


@contextlib.contextmanager
def squatters(url: str, count: int = 40) -> Iterator[subprocess.Popen[str]]:
    """scripts/squatters.py in its own process, like a real attacker: `count` connections that never
    prove the token, each reconnecting as soon as it is dropped."""
    process = subprocess.Popen([sys.executable, str(REPO / "scripts" / "squatters.py"), url, "--count", str(count)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
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


async def test_a_real_client_is_always_admitted_while_40_squatters_reconnect_in_a_loop(serve):
    """Issue #12: 40 connections that never said hello held all 8 slots; the extension got in 0 of
    28 tries. Now they have their own pool (64, 48 from one address): every real handshake succeeds
    at the first try (how fast: `scripts/bench-server --squatters 40`; no timing asserted here)."""
    companion = serve()
    with squatters(companion.url) as attack:
        await asyncio.sleep(0.5)
        for _ in range(5):
            ws = await companion.paired(open_timeout=10)
            await ws.send('{"type": "ping"}')
            assert decode_server(await asyncio.wait_for(ws.recv(), 10)) == Pong()
            await ws.close()
        attack.stdin.close()
        made = int(attack.stdout.read().split()[-1])
    assert made >= 40
    assert companion.process.poll() is None
    assert not any("Traceback" in line for line in companion.log)


async def test_more_squatters_than_the_pool_only_evict_each_other_and_a_retrying_client_gets_in(serve):
    """40 squatters against a pool of 16 (12 per address): they churn, each evicting the one that
    stood still longest, and a real client that tries again like the extension always gets in
    (issue #12: 0 of 28 tries). How many tries it needs depends on how promptly the machine lets it
    take its next step (on a loaded machine, now and then more than 5); the rule itself is checked
    step by step, without the scheduler's say, by the next test."""
    companion = serve({"max_pending": 16, "max_pending_per_peer": 12})
    tries = []
    with squatters(companion.url) as attack:
        for _ in range(5):
            for attempt in range(1, 29):
                with contextlib.suppress(ConnectionClosed, InvalidHandshake, OSError, TimeoutError):
                    ws = await companion.paired(open_timeout=10)
                    break
            else:
                pytest.fail(f"28 tries in a row were evicted (earlier clients needed {tries})")
            tries.append(attempt)
            await ws.close()
        attack.stdin.close()
        made = int(attack.stdout.read().split()[-1])
    print(f"\ntries per client while {made:,} squatter connections churned: {tries}")
    assert made > 100  # they really churned
    assert any(line for line in companion.log if "fill their pool" in line)
    assert companion.process.poll() is None


# How long an eviction the test waits for may take at most: a safety net that turns a hang into a
# failure, never what the test measures (it waits for each connection to be closed, however slowly).
EVICTION_SAFETY_S = 120


async def test_a_client_that_keeps_moving_is_never_the_one_evicted(serve):
    """The waiting pool's rule, step by step, waiting on events only (each connection's 101, each
    eviction's close), so a loaded machine cannot change the outcome: with its address's 12 places
    full, each new connection evicts the one of that address that stood still longest. A client is
    the newest when it connects and again after each step (HTTP upgrade, hello), so 11 squatters
    connecting between its steps evict only squatters, and it gets in at its first try; the 12th
    connection evicts a connection that stands still (shown on a second client)."""
    companion = serve({"max_pending": 16, "max_pending_per_peer": 12, "handshake_timeout": 600})

    async def connected() -> AsyncClientConnection:  # returns once the companion answered the upgrade
        return await connect(companion.url, origin=CHROME_ORIGIN, compression=None, logger=CLIENT_LOGGER)

    async def evicted(ws) -> None:
        await asyncio.wait_for(ws.wait_closed(), EVICTION_SAFETY_S)

    waiting = [await connected() for _ in range(12)]  # the address's places, oldest first
    client = await connected()
    await evicted(waiting.pop(0))
    handshake = ClientHandshake(companion.token, companion.port)
    answer = None
    for step in ("hello", "proof"):
        for _ in range(11):  # the client stands still while 11 newer connections come in
            waiting.append(await connected())
            await evicted(waiting.pop(0))  # the oldest squatter, not the client
        if step == "hello":
            await client.send(handshake.hello())
            challenge = await client.recv()  # the companion read the hello: the client moved on
        else:
            await client.send(handshake.answer(challenge))
            answer = decode_server(await client.recv())
    assert isinstance(answer, Welcome)

    still = await connected()  # connects, then stands still
    for _ in range(11):
        waiting.append(await connected())
        await evicted(waiting.pop(0))
    waiting.append(await connected())  # the 12th newer connection
    await evicted(still)
    await client.send('{"type": "ping"}')  # the paired client was never in danger
    assert decode_server(await client.recv()) == Pong()
    await client.close()
    for ws in waiting:
        await ws.close()
    assert any(line for line in companion.log if "fill their pool" in line)


# --- file descriptors ----------------------------------------------------------------------------


async def silent_flood(port: int, count: int = 150) -> list[socket.socket]:
    """`count` TCP connections that never send a byte (the issue used 1,100)."""
    sockets = []
    for _ in range(count):
        probe = socket.socket()
        probe.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            probe.connect(("127.0.0.1", port))
        sockets.append(probe)
        await asyncio.sleep(0.002)
    return sockets


async def served(companion: ServeProcess, tries: int = 1) -> None:
    """A real client gets in (within `tries`, like the extension retrying) and is answered."""
    for attempt in range(tries):
        try:
            ws = await companion.paired(open_timeout=15)
            break
        except (ConnectionClosed, InvalidHandshake, OSError, TimeoutError):
            if attempt == tries - 1:
                raise
    await ws.send(json.dumps({"type": "analyze", "field": "f", "revision": 1, "text": "mail a@b.co"}))
    assert isinstance(decode_server(await asyncio.wait_for(ws.recv(), 10)), Findings)
    await ws.close()
    assert companion.process.poll() is None


async def test_started_with_few_file_descriptors_it_sizes_the_waiting_pool_to_fit(serve):
    """Issue #12: 1,100 silent TCP connections exhausted 1,024 descriptors. Started under a limit of
    128 the companion keeps fewer connections waiting, so a flood only evicts itself."""
    companion = serve(max_open_files=128)
    flood = await silent_flood(companion.port)
    try:
        await served(companion)  # while the flood holds
    finally:
        for probe in flood:
            probe.close()
    await served(companion)
    log = list(companion.log)
    assert "at most" in log[0] and "connections may wait for the handshake" in log[0]
    assert not any("out of file descriptors" in line or "Traceback" in line for line in log), log


async def test_out_of_file_descriptors_it_logs_a_few_lines_sheds_waiting_connections_and_recovers(serve):
    """Issue #12: 2,792 ERROR lines with tracebacks (1.8 MB) in ~15 s, no service for 10 s. Here the
    descriptors run out under the companion's feet (its limit is cut while it runs, below what its
    pool expects): a line when it starts, one when it is over, a client still gets in (accepts
    pause a second at a time, so like the extension it may need to retry), and at once after."""
    companion = serve()
    in_use = len(os.listdir(f"/proc/{companion.process.pid}/fd"))
    resource.prlimit(companion.process.pid, resource.RLIMIT_NOFILE, (in_use + 12, in_use + 12))
    flood = await silent_flood(companion.port)
    try:
        await served(companion, tries=3)  # while it holds: accepts pause 1 s at a time, like a retry
    finally:
        for probe in flood:
            probe.close()
    await served(companion)  # and at once after it
    log = list(companion.log)
    assert any("out of file descriptors (EMFILE)" in line for line in log), log
    assert len(log) <= 10, log
    assert not any("Traceback" in line for line in log)


# --- slow reader ---------------------------------------------------------------------------------


async def test_a_client_that_stops_reading_is_dropped_within_the_send_timeout(serve):
    """Issue #12: a paired client that never read its replies was never dropped (over 150 s)."""
    companion = serve({"send_timeout": 1})
    receive_buffer = socket.socket()
    receive_buffer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    receive_buffer.connect(("127.0.0.1", companion.port))
    # max_queue=1: websockets stops reading the socket as soon as one message is waiting unread.
    ws = await connect_paired(companion.url, companion.token, sock=receive_buffer, max_queue=1, logger=CLIENT_LOGGER)
    long_reply = "write to a@b.co or c@d.co " * 700  # ~1,400 findings: a reply of a few hundred KB
    for revision in range(20):
        await ws.send(json.dumps({"type": "analyze", "field": f"f{revision}", "revision": 1, "text": long_reply}))
    for _ in range(300):  # 30 s at most, far beyond the 1 s bound: the test fails, it does not hang
        if any("dropped: replies unread" in line for line in companion.log):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail(f"the slow reader was not dropped; log: {companion.log}")
    ws.transport.abort()
    other = await companion.paired()  # the companion is fine
    await other.close()


# --- a squatter pretending to be the companion ------------------------------------------------------


@contextlib.asynccontextmanager
async def fake_companion(answer):
    """A WebSocket server that answers hello with `answer(hello)` and records every frame."""
    frames: list[str] = []

    async def handle(ws):
        with contextlib.suppress(ConnectionClosed):
            async for frame in ws:
                frames.append(frame)
                if json.loads(frame).get("type") == "hello":
                    await ws.send(await answer(json.loads(frame)))

    async with serve_websocket(handle, "127.0.0.1", 0, logger=CLIENT_LOGGER) as server:
        yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}", frames


async def relay_to(url: str):
    async def answer(hello: dict) -> str:
        async with connect(url, origin=CHROME_ORIGIN, logger=CLIENT_LOGGER) as upstream:
            await upstream.send(json.dumps(hello))
            return await upstream.recv()
    return answer


async def made_up_proof(hello: dict) -> str:
    return json.dumps({"type": "challenge", "protocol": 2, "companion": "x", "nonce": "ab" * 32, "proof": "cd" * 32})


async def welcome_at_once(hello: dict) -> str:
    return json.dumps({"type": "welcome", "protocol": 2, "companion": "x"})


@pytest.mark.parametrize("kind", ["made-up-proof", "welcome-without-proof", "relay-to-the-real-companion"])
async def test_a_squatting_companion_gets_no_proof_from_a_client(serve, kind):
    companion = serve()
    answer = {"made-up-proof": made_up_proof, "welcome-without-proof": welcome_at_once,
              "relay-to-the-real-companion": await relay_to(companion.url)}[kind]
    async with fake_companion(answer) as (url, frames):
        with pytest.raises(NotTheCompanion):
            await connect_paired(url, companion.token, logger=CLIENT_LOGGER)
    assert [json.loads(frame)["type"] for frame in frames] == ["hello"]
    assert not any(companion.token in frame for frame in frames)


# --- origin and host variations ------------------------------------------------------------------


async def handshake_status(port: int, headers: list[tuple[str, str]]) -> int:
    """The HTTP status of a hand-written WebSocket upgrade (headers repeated or odd on purpose)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", key),
             ("Sec-WebSocket-Version", "13"), *headers]
    writer.write(("GET / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in lines) + "\r\n").encode())
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    return int(status_line.split()[1])


FIREFOX_UUID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
FIREFOX = f"moz-extension://{FIREFOX_UUID}"
HEADER_CASES = {
    "ours": ([("Host", "127.0.0.1:{port}"), ("Origin", CHROME_ORIGIN)], 101),
    "firefox-configured": ([("Host", "127.0.0.1:{port}"), ("Origin", FIREFOX)], 101),
    "firefox-uppercase-uuid": ([("Host", "127.0.0.1:{port}"), ("Origin", FIREFOX.upper().replace("MOZ-EXTENSION", "moz-extension"))], 101),
    # Issue #12: every moz-extension:// origin passed; any other Firefox extension is refused now.
    "firefox-another-install": ([("Host", "127.0.0.1:{port}"), ("Origin", "moz-extension://1f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")], 403),
    "scheme-in-capitals": ([("Host", "127.0.0.1:{port}"), ("Origin", CHROME_ORIGIN.replace("chrome-extension", "Chrome-Extension"))], 403),
    "trailing-slash": ([("Host", "127.0.0.1:{port}"), ("Origin", CHROME_ORIGIN + "/")], 403),
    "with-a-port": ([("Host", "127.0.0.1:{port}"), ("Origin", CHROME_ORIGIN + ":443")], 403),
    "two-origins": ([("Host", "127.0.0.1:{port}"), ("Origin", CHROME_ORIGIN), ("Origin", "https://evil.example")], 403),
    "origin-list": ([("Host", "127.0.0.1:{port}"), ("Origin", f"{CHROME_ORIGIN} https://evil.example")], 403),
    "firefox-not-a-uuid": ([("Host", "127.0.0.1:{port}"), ("Origin", "moz-extension://../../evil")], 403),
    "file-origin": ([("Host", "127.0.0.1:{port}"), ("Origin", "file://")], 403),
    "two-hosts": ([("Host", "127.0.0.1:{port}"), ("Host", "evil.example"), ("Origin", CHROME_ORIGIN)], 403),
    "host-trailing-dot": ([("Host", "localhost.:{port}"), ("Origin", CHROME_ORIGIN)], 403),
    "host-ipv6": ([("Host", "[::1]:{port}"), ("Origin", CHROME_ORIGIN)], 403),
    "host-other-loopback": ([("Host", "127.0.0.2:{port}"), ("Origin", CHROME_ORIGIN)], 403),
    "host-in-capitals": ([("Host", "LOCALHOST:{port}"), ("Origin", CHROME_ORIGIN)], 101),
    "host-with-userinfo": ([("Host", "evil@127.0.0.1:{port}"), ("Origin", CHROME_ORIGIN)], 403),
}


async def test_origin_and_host_variations_get_the_documented_status(serve):
    companion = serve(extension_ids=(FIREFOX_UUID,))
    statuses = {name: await handshake_status(companion.port, [(k, v.format(port=companion.port)) for k, v in headers])
                for name, (headers, _) in HEADER_CASES.items()}
    assert statuses == {name: expected for name, (_, expected) in HEADER_CASES.items()}
    ws = await companion.paired()  # still serving
    await ws.close()


async def test_a_firefox_install_connects_only_once_allowed_and_pair_allow_firefox_applies_at_once(serve):
    """Issue #12: every moz-extension:// origin passed the handshake. Now a Firefox install's
    origin is refused (403, also its health probe) until `contact-guard pair --allow-firefox`
    lists its uuid, which the running companion applies at once (SIGHUP) without dropping anyone."""
    companion = serve()
    kept = await companion.paired()
    assert await handshake_status(companion.port, [("Host", f"127.0.0.1:{companion.port}"), ("Origin", FIREFOX)]) == 403
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "companion", "pair", "--allow-firefox", FIREFOX + "/",
                         "--config-dir", str(companion.config_dir)], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == companion.token
    assert "applies it now" in done.stderr
    for _ in range(100):
        if any("config reloaded" in line for line in companion.log):
            break
        await asyncio.sleep(0.05)
    ws = await companion.paired(origin=FIREFOX)
    await ws.close()
    await kept.send('{"type": "ping"}')
    assert decode_server(await kept.recv()) == Pong()
    await kept.close()
    assert load_config(companion.config_dir).extra_extension_ids == (FIREFOX_UUID,)


async def test_pair_forget_closes_the_forgotten_install_at_once_and_keeps_everyone_else(serve):
    """`contact-guard pair --forget UUID` removes a Firefox install from config.json; the running
    companion reloads it (SIGHUP) and closes that install's open connection with 1008 (the extension
    then probes, gets 403 and says the companion refuses this browser); other clients stay."""
    companion = serve(extension_ids=(FIREFOX_UUID,))
    kept = await companion.paired()
    forgotten = await companion.paired(origin=FIREFOX)
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "companion", "pair", "--forget", FIREFOX + "/",
                         "--config-dir", str(companion.config_dir)], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # no token printed
    assert f"{FIREFOX_UUID} is no longer allowed" in done.stderr and "applies it now" in done.stderr
    await asyncio.wait_for(forgotten.wait_closed(), 30)
    assert forgotten.close_code == 1008
    assert await handshake_status(companion.port, [("Host", f"127.0.0.1:{companion.port}"), ("Origin", FIREFOX)]) == 403
    await kept.send('{"type": "ping"}')
    assert decode_server(await kept.recv()) == Pong()
    await kept.close()
    assert load_config(companion.config_dir).extra_extension_ids == ()
