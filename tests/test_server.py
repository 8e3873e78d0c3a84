"""The WebSocket companion over real loopback sockets (port 0), and `contact-guard serve`."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from companion_support import CHROME_ORIGIN, flag_addresses, js_index
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from companion.cli import main
from companion.client import ClientHandshake, NotTheCompanion, connect_paired
from companion.config import load_config
from companion.engine import analyze
from companion.pairing import ensure_token
from companion.protocol import Error, Findings, Pong, Welcome, decode_server
from companion.server import Companion, Settings
from companion.session import Limits

REPO = Path(__file__).resolve().parent.parent
CANARY = "zq-CANARY-4e1b"
FIREFOX_ORIGIN = "moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
# The test's own client would dump its frames (canaries included) at DEBUG: only the companion's
# logs are under test.
CLIENT_LOGGER = logging.getLogger("tests.websocket-client")
CLIENT_LOGGER.setLevel(logging.WARNING)


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def config_dir(tmp_path) -> Path:
    directory = tmp_path / "config"
    ensure_token(directory)
    return directory


def token_of(config_dir: Path) -> str:
    return ensure_token(config_dir)[0]


@contextlib.asynccontextmanager
async def running(config_dir: Path, *, analyzer=analyze, **settings):
    async with Companion(Settings(config=load_config(config_dir), port=0, **settings), analyzer=analyzer) as companion:
        yield companion


@pytest.fixture
async def companion(config_dir):
    async with running(config_dir) as companion:
        yield companion


def connect_to(companion: Companion, origin: str | None = CHROME_ORIGIN):
    return connect(companion.url, origin=origin, compression=None, open_timeout=5, logger=CLIENT_LOGGER)


async def handshake(ws: ClientConnection, token: str, port: int) -> Welcome:
    """The extension's handshake: hello, check the companion's proof, send ours, get welcomed."""
    client = ClientHandshake(token, port, client="pytest")
    await ws.send(client.hello())
    await ws.send(client.answer(await asyncio.wait_for(ws.recv(), 5)))
    welcome = await receive(ws)
    assert isinstance(welcome, Welcome)
    return welcome


async def paired(companion: Companion, config_dir: Path) -> ClientConnection:
    ws = await connect_to(companion)
    await handshake(ws, token_of(config_dir), companion.port)
    return ws


async def receive(ws: ClientConnection):
    return decode_server(await asyncio.wait_for(ws.recv(), 5))


def analyze_frame(field: str, revision: int, text: str, **extra) -> str:
    return json.dumps({"type": "analyze", "field": field, "revision": revision, "text": text, **extra})


async def close_code(ws: ClientConnection) -> int:
    """Wait for the server to close; every message before the close must be an error."""
    with pytest.raises(ConnectionClosed):
        while True:
            assert isinstance(await receive(ws), Error)
    return ws.close_code


async def still_serving(companion: Companion, config_dir: Path) -> None:
    ws = await paired(companion, config_dir)
    await ws.send('{"type": "ping"}')
    assert await receive(ws) == Pong()
    await ws.close()


async def raw_handshake(port: int, headers: dict[str, str]) -> int:
    """The HTTP status of a hand-written WebSocket upgrade (to set Host/Origin freely)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    request = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key,
               "Sec-WebSocket-Version": "13", **headers}
    writer.write(("GET / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in request.items()) + "\r\n").encode())
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    return int(status_line.split()[1])


def slow(engine, seconds: float):
    """The real engine, made slow enough that a request is surely still in flight."""

    def analyzer(text, **kwargs):
        time.sleep(seconds)
        return engine(text, **kwargs)

    return analyzer


# --- round trip ---------------------------------------------------------------------------------


async def test_round_trip_hello_analyze_ping(companion, config_dir):
    async with connect_to(companion) as ws:
        welcome = await handshake(ws, token_of(config_dir), companion.port)
        assert welcome.protocol == 2
        await ws.send(analyze_frame("tab1:el1", 0, "Thanks, I will start on the logo today.", surface="message"))
        answer = await receive(ws)
        assert isinstance(answer, Findings)
        assert (answer.field, answer.revision, answer.verdict) == ("tab1:el1", 0, "ok")
        assert answer.elapsed_us >= 0
        await ws.send('{"type": "ping"}')
        assert await receive(ws) == Pong()


async def test_the_real_engine_answer_arrives_with_utf16_offsets(companion, config_dir):
    text = "👍🏽 sure! mail me: john.smith@gmail.com"
    ws = await paired(companion, config_dir)
    await ws.send(analyze_frame("f", 1, text))
    answer = await receive(ws)
    assert answer.verdict == "block"
    [email] = [f for f in answer.findings if f.kind == "email"]
    assert (email.start, email.end, email.severity) == (20, 40, "block")  # JavaScript indices
    assert text.encode("utf-16-le")[2 * email.start:2 * email.end].decode("utf-16-le") == "john.smith@gmail.com"
    await ws.close()


async def test_findings_arrive_with_utf16_offsets(config_dir):
    text = "😀🎉 mail me: john.smith@gmail.com 👍"
    async with running(config_dir, analyzer=flag_addresses) as companion:
        ws = await paired(companion, config_dir)
        await ws.send(analyze_frame("f", 1, text))
        [finding] = (await receive(ws)).findings
        start = text.index("john")
        assert (finding.start, finding.end) == (js_index(text, start), js_index(text, start + 20)) == (14, 34)
        await ws.close()


# --- handshake: origin, host, connection limit --------------------------------------------------


@pytest.mark.parametrize("origin", [
    "https://evil.example",
    "http://127.0.0.1:8080",
    "http://localhost",
    "null",
    "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    CHROME_ORIGIN + ".evil.example",
    "moz-extension://evil.example",
    None,
], ids=["web-page", "loopback-page", "localhost-page", "opaque-origin", "other-extension",
        "lookalike-of-ours", "moz-not-a-uuid", "missing"])
async def test_untrusted_origins_are_refused_with_403(companion, config_dir, origin):
    with pytest.raises(InvalidStatus) as refused:
        async with connect_to(companion, origin=origin):
            pass
    assert refused.value.response.status_code == 403
    await still_serving(companion, config_dir)


async def test_only_a_configured_firefox_install_is_accepted(config_dir):
    """Firefox origins are random per install: only the uuids in config.json may connect (issue #12:
    every moz-extension:// origin passed)."""
    uuid = FIREFOX_ORIGIN.removeprefix("moz-extension://")
    (config_dir / "config.json").write_text(json.dumps({"extra_extension_ids": [uuid.upper()]}))
    async with running(config_dir) as companion:
        async with connect_to(companion, origin=FIREFOX_ORIGIN) as ws:
            await handshake(ws, token_of(config_dir), companion.port)
        with pytest.raises(InvalidStatus) as refused:
            async with connect_to(companion, origin=FIREFOX_ORIGIN.replace("0f1e", "1f1e")):
                pass
        assert refused.value.response.status_code == 403


async def test_an_extension_id_from_config_json_is_accepted(config_dir):
    extra = "bcdefghijklmnopabcdefghijklmnopa"
    (config_dir / "config.json").write_text(json.dumps({"extra_extension_ids": [extra]}))
    async with running(config_dir) as companion:
        async with connect_to(companion, origin=f"chrome-extension://{extra}") as ws:
            await handshake(ws, token_of(config_dir), companion.port)


@pytest.mark.parametrize(("host", "status"), [
    ("127.0.0.1:{port}", 101),
    ("localhost:{port}", 101),
    ("evil.example:{port}", 403),
    ("127.0.0.1:1", 403),
    ("127.0.0.1", 403),
], ids=["ip", "localhost", "rebound-name", "wrong-port", "no-port"])
async def test_the_host_header_must_name_this_companion(companion, host, status):
    headers = {"Host": host.format(port=companion.port), "Origin": CHROME_ORIGIN}
    assert await raw_handshake(companion.port, headers) == status


async def test_paired_clients_beyond_the_limit_are_closed_1013_until_one_leaves(config_dir):
    async with running(config_dir, max_clients=2) as companion:
        first, second = await paired(companion, config_dir), await paired(companion, config_dir)
        async with connect_to(companion) as third:
            client = ClientHandshake(token_of(config_dir), companion.port)
            await third.send(client.hello())
            await third.send(client.answer(await asyncio.wait_for(third.recv(), 5)))
            assert await close_code(third) == 1013  # proved the token, but no room: not welcomed
        await first.close()
        for _ in range(50):  # the server notices the close asynchronously
            with contextlib.suppress(ConnectionClosed):
                third = await paired(companion, config_dir)
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("a place did not free up after a client left")
        await second.send('{"type": "ping"}')
        assert await receive(second) == Pong()
        assert companion.authenticated_clients() == 2
        await third.close()
        await second.close()


async def test_connections_still_in_the_handshake_never_take_a_clients_place(config_dir):
    async with running(config_dir, max_clients=1, max_pending=4) as companion:
        squatters = [await connect_to(companion) for _ in range(10)]  # never say hello
        ws = await paired(companion, config_dir)  # evicts the oldest squatter to get in
        assert companion.authenticated_clients() == 1 and companion.waiting <= 4
        await ws.send('{"type": "ping"}')
        assert await receive(ws) == Pong()
        closed = [s for s in squatters if s.close_code is not None or not await still_open(s)]
        assert len(closed) >= 10 - 4
        for squatter in squatters:
            await squatter.close()
        await ws.close()


async def still_open(ws: ClientConnection) -> bool:
    with contextlib.suppress(ConnectionClosed, TimeoutError):
        await asyncio.wait_for(ws.recv(), 0.2)
    return ws.close_code is None


# --- authentication -----------------------------------------------------------------------------


async def test_a_client_with_a_wrong_token_sees_the_companion_cannot_prove_it_and_a_wrong_proof_closes_4401(
        companion, config_dir):
    async with connect_to(companion) as ws:
        stranger = ClientHandshake("0" * 64, companion.port)
        await ws.send(stranger.hello())
        challenge = await asyncio.wait_for(ws.recv(), 5)
        with pytest.raises(NotTheCompanion):
            stranger.answer(challenge)
        await ws.send(json.dumps({"type": "proof", "proof": "0" * 64}))
        assert await close_code(ws) == 4401
    await still_serving(companion, config_dir)


async def test_an_unsupported_protocol_gets_an_error_then_4400(companion, config_dir):
    async with connect_to(companion) as ws:
        # A version-1 extension sends its token in hello: it is told to update, nothing else.
        await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": token_of(config_dir), "client": "old"}))
        error = await receive(ws)
        assert isinstance(error, Error) and error.code == "unsupported_protocol"
        assert error.detail == "this companion speaks protocol 2; update the extension"
        assert await close_code(ws) == 4400


async def test_analyze_before_hello_closes_4401(companion):
    async with connect_to(companion) as ws:
        await ws.send(analyze_frame("f", 0, "hi"))
        assert await close_code(ws) == 4401


async def test_a_client_that_says_nothing_is_closed_4401_and_others_are_unaffected(config_dir):
    async with running(config_dir, limits=Limits(handshake_timeout=1.5)) as companion:
        async with connect_to(companion) as silent:
            other = await paired(companion, config_dir)
            assert await close_code(silent) == 4401
            assert silent.close_reason == "the handshake was not completed in time"
            await other.send('{"type": "ping"}')
            assert await receive(other) == Pong()  # its own hello was in time; it stays open
            await other.close()


async def test_the_pairing_token_is_read_per_connection_so_rotation_applies(companion, config_dir):
    old = token_of(config_dir)
    new, _ = ensure_token(config_dir, rotate=True)
    async with connect_to(companion) as ws:
        with pytest.raises(NotTheCompanion):
            await handshake(ws, old, companion.port)
    async with connect_to(companion) as ws:
        await handshake(ws, new, companion.port)


async def test_a_second_hello_is_an_error_and_the_connection_stays(companion, config_dir):
    ws = await paired(companion, config_dir)
    await ws.send(ClientHandshake(token_of(config_dir), companion.port).hello())
    assert (await receive(ws)).code == "bad_message"
    await ws.send('{"type": "ping"}')
    assert await receive(ws) == Pong()
    await ws.close()


# --- bad input after hello ----------------------------------------------------------------------


@pytest.mark.parametrize("frame", [
    "{oops",
    "[]",
    '{"type": "teleport"}',
    '{"type": "analyze", "field": "f", "revision": "1", "text": "x"}',
    '{"type": "analyze", "field": "f", "revision": 1}',
    '{"type": "analyze", "field": "f", "revision": -1, "text": "x"}',
    '{"type": "analyze", "field": "f", "revision": 1, "text": "x", "surface": "tweet"}',
], ids=["malformed", "not-an-object", "unknown-type", "wrong-type", "missing-text", "negative-revision",
        "unknown-surface"])
async def test_bad_messages_get_bad_message_and_the_connection_stays(companion, config_dir, frame):
    ws = await paired(companion, config_dir)
    await ws.send(frame)
    error = await receive(ws)
    assert isinstance(error, Error) and error.code == "bad_message"
    await ws.send(analyze_frame("f", 2, "still here"))
    assert isinstance(await receive(ws), Findings)
    await ws.close()


async def test_a_binary_frame_gets_bad_message(companion, config_dir):
    ws = await paired(companion, config_dir)
    await ws.send(analyze_frame("f", 1, "hi").encode())
    assert (await receive(ws)).code == "bad_message"
    await ws.send('{"type": "ping"}')
    assert await receive(ws) == Pong()
    await ws.close()


async def test_text_over_20000_utf16_units_gets_text_too_long(companion, config_dir):
    ws = await paired(companion, config_dir)
    await ws.send(analyze_frame("f", 3, "😀" * 10_001))  # 10,001 code points, 20,002 units
    error = await receive(ws)
    assert (error.code, error.field, error.revision) == ("text_too_long", "f", 3)
    await ws.close()


async def test_a_frame_over_128_kib_closes_1009_and_the_server_stays_up(companion, config_dir):
    ws = await paired(companion, config_dir)
    await ws.send(analyze_frame("f", 1, "a" * (128 * 1024)))
    assert await close_code(ws) == 1009
    await still_serving(companion, config_dir)


async def test_a_flood_is_rate_limited_and_never_hurts_other_connections(companion, config_dir):
    flooder, bystander = await paired(companion, config_dir), await paired(companion, config_dir)
    count = 400
    await asyncio.gather(*(flooder.send(analyze_frame(f"f{i}", i, "hello there")) for i in range(count)))
    await bystander.send('{"type": "ping"}')
    assert await receive(bystander) == Pong()
    answers = [await receive(flooder) for _ in range(count)]
    limited = [a for a in answers if isinstance(a, Error)]
    assert {a.code for a in limited} == {"rate_limited"}
    assert 0 < len(limited) < count and {a.field for a in limited} <= {f"f{i}" for i in range(count)}
    assert all(isinstance(a, Findings) for a in answers if a not in limited)
    await asyncio.sleep(0.1)  # the bucket refills: the flooder is served again
    await flooder.send(analyze_frame("later", 0, "hello"))
    assert isinstance(await receive(flooder), Findings)
    await flooder.close()
    await bystander.close()


# --- scheduling: long texts, per-field order, disconnects ---------------------------------------


async def test_long_texts_run_off_the_event_loop(config_dir):
    threads = []

    def recording(text, **kwargs):
        threads.append(threading.current_thread().name)
        if len(text) > 1000:
            time.sleep(0.8)
        return analyze(text, **kwargs)

    async with running(config_dir, analyzer=recording, offload_chars=1000) as companion:
        writer, other = await paired(companion, config_dir), await paired(companion, config_dir)
        await writer.send(analyze_frame("long", 1, "word " * 2000))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await other.send(analyze_frame("short", 1, "hi"))
        assert isinstance(await receive(other), Findings)
        assert time.monotonic() - started < 0.4  # not stuck behind the 0.8 s analysis
        assert (await receive(writer)).field == "long"
        assert threads[0].startswith("contact-guard-engine") and threads[1] == threading.main_thread().name
        await writer.close()
        await other.close()


async def test_long_texts_from_one_connection_take_at_most_two_threads(config_dir):
    async with running(config_dir, analyzer=slow(analyze, 0.1), offload_chars=100, max_offloaded=2) as companion:
        ws = await paired(companion, config_dir)
        for field in range(12):
            await ws.send(analyze_frame(f"f{field}", 1, "a long text " * 20))
        most = 0
        answers = []
        while len(answers) < 12:
            most = max(most, companion.offloaded_analyses)
            with contextlib.suppress(TimeoutError):
                answers.append(decode_server(await asyncio.wait_for(ws.recv(), 0.02)))
        assert 1 <= most <= 2
        assert sorted(a.field for a in answers) == sorted(f"f{field}" for field in range(12))
        await ws.close()


async def test_reading_pauses_while_the_backlog_is_full(config_dir):
    async with running(config_dir, analyzer=slow(analyze, 0.05), max_backlog=1) as companion:
        ws = await paired(companion, config_dir)
        for field in range(6):
            await ws.send(analyze_frame(f"f{field}", 1, "hello"))
        await ws.send('{"type": "ping"}')
        kinds = [type(await receive(ws)).__name__ for _ in range(7)]
        # The ping is read only once the analyses ahead of it have started, one at a time.
        assert kinds.index("Pong") >= 4 and kinds.count("Findings") == 6
        await ws.close()


@pytest.mark.parametrize("offload_chars", [0, 10_000], ids=["in-a-thread", "inline"])
async def test_a_newer_revision_supersedes_a_waiting_one_and_order_holds(config_dir, offload_chars):
    async with running(config_dir, analyzer=slow(analyze, 0.05), offload_chars=offload_chars) as companion:
        ws = await paired(companion, config_dir)
        for revision in range(20):
            await ws.send(analyze_frame("f", revision, f"draft {revision}"))
        revisions = []
        while not revisions or revisions[-1] != 19:
            revisions.append((await receive(ws)).revision)
        assert revisions == sorted(set(revisions))
        assert len(revisions) < 20  # waiting revisions were replaced by newer ones
        await ws.close()


async def test_a_client_that_leaves_mid_request_harms_nothing(config_dir, caplog):
    caplog.set_level(logging.DEBUG)
    async with running(config_dir, analyzer=slow(analyze, 0.3), offload_chars=100) as companion:
        ws = await paired(companion, config_dir)
        await ws.send(analyze_frame("f", 1, "long text " * 50))
        await asyncio.sleep(0.05)
        await ws.close()
        await asyncio.sleep(0.4)  # the analysis finishes with nobody to answer
        await still_serving(companion, config_dir)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_an_engine_crash_is_an_internal_error_and_is_logged_without_its_message(config_dir, caplog):
    def broken(text, **kwargs):
        raise ValueError(f"choked on {text}")

    async with running(config_dir, analyzer=broken) as companion:
        ws = await paired(companion, config_dir)
        await ws.send(analyze_frame("f", 1, CANARY))
        error = await receive(ws)
        assert (error.code, error.field, error.revision) == ("internal", "f", 1)
        await ws.send('{"type": "ping"}')
        assert await receive(ws) == Pong()
        await ws.close()
    assert any("ValueError" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    assert CANARY not in caplog.text


async def test_50_clients_200_messages_each_all_answered_right_in_field_order(config_dir):
    clients, fields, revisions = 50, 10, 20

    def text_for(client: int, field: int, revision: int) -> str:
        return f"{'😀' * (revision % 3)} c{client} f{field}: mail u{client}.{field}.{revision}@example.com {'🎉' * (revision % 2)}"

    async def one_client(client: int) -> dict[int, list[int]]:
        seen: dict[int, list[int]] = {field: [] for field in range(fields)}
        async with connect_to(companion) as ws:
            await handshake(ws, token_of(config_dir), companion.port)
            for revision in range(revisions):
                for field in range(fields):
                    await ws.send(analyze_frame(f"c{client}:f{field}", revision, text_for(client, field, revision)))
                for _ in range(fields):
                    answer = await receive(ws)
                    field = int(answer.field.rsplit(":f", 1)[1])
                    text = text_for(client, field, answer.revision)
                    start = text.index("u")
                    end = text.index(".com") + 4
                    [finding] = answer.findings
                    assert (finding.start, finding.end) == (js_index(text, start), js_index(text, end))
                    seen[field].append(answer.revision)
        return seen

    async with running(config_dir, analyzer=flag_addresses, max_clients=clients, max_pending=clients,
                       max_pending_per_peer=clients,
                       limits=Limits(rate=1e6, burst=10**6)) as companion:
        results = await asyncio.gather(*(one_client(c) for c in range(clients)))
    for seen in results:
        assert seen == {field: list(range(revisions)) for field in range(fields)}


# --- privacy ------------------------------------------------------------------------------------


async def test_typed_text_never_reaches_the_logs_or_the_config_dir(config_dir, caplog):
    caplog.set_level(logging.DEBUG)
    secret = f"my canary is {CANARY}, mail {CANARY}@example.com"
    async with running(config_dir, analyzer=flag_addresses, offload_chars=500) as companion:
        ws = await paired(companion, config_dir)
        frames = [
            analyze_frame("f", 1, secret),
            analyze_frame("long", 1, secret * 40),  # long: runs in a worker thread
            analyze_frame("f", 3, secret * 600),  # over 20,000 units
            analyze_frame("f", 0, secret),  # older revision
            analyze_frame("g", "1", secret),  # wrong type
            analyze_frame("h", 1, secret, surface=CANARY),  # unknown surface
            json.dumps({"type": CANARY, "text": secret}),
            secret,  # not JSON at all
        ]
        for frame in frames:
            await ws.send(frame)
        await ws.send(secret.encode())  # binary
        answers = [await receive(ws) for _ in range(len(frames) + 1)]
        assert all(CANARY not in getattr(a, "detail", "") for a in answers)
        await ws.close()
        async with connect_to(companion) as bad:
            await handshake(bad, token_of(config_dir), companion.port)
            await bad.send(analyze_frame("f", 1, "a" * (128 * 1024) + CANARY))
            assert await close_code(bad) == 1009
    assert sum(r.levelno == logging.DEBUG for r in caplog.records) >= 2  # debug logging was on
    assert CANARY not in caplog.text
    assert all(CANARY not in str(r.args) for r in caplog.records)
    stored = b"".join(p.read_bytes() for p in config_dir.rglob("*") if p.is_file())
    assert CANARY.encode() not in stored


# --- contact-guard serve ------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["serve", "--host", "0.0.0.0"],
    ["serve", "--host", "192.168.1.10"],
    ["serve", "--host", "example.com"],
    ["serve", "--port", "70000"],
    ["serve", "--max-connections", "0"],
])
def test_serve_refuses_non_loopback_hosts_and_bad_ports_as_usage_errors(argv, capsys, tmp_path):
    assert main([*argv, "--config-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error" in err


def test_serve_explains_a_bad_config_json_in_one_line(tmp_path, capsys):
    (tmp_path / "config.json").write_text('{"extra_extension_ids": "not a list"}')
    assert main(["serve", "--port", "0", "--config-dir", str(tmp_path)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("contact-guard: ") and "extra_extension_ids" in line


def serve_process(config_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "companion", "serve", "--config-dir", str(config_dir), *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_serve_says_clearly_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = serve_process(tmp_path, "--port", str(port))
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().splitlines() == [
        f"contact-guard: cannot listen on 127.0.0.1:{port}: the port is already in use "
        "(is another companion running? pick another with --port)"
    ]
    assert out == ""


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_runs_then_stops_cleanly_on_a_signal_without_logging_text(tmp_path, stop_signal):
    config_dir = tmp_path / "fresh"
    process = serve_process(config_dir, "--port", "0", "-v")
    try:
        startup = process.stdout.readline()
        match = re.fullmatch(r"contact-guard: listening on (ws://127\.0\.0\.1:(\d+)) \(pairing token: (.+)\)\n", startup)
        assert match, startup
        assert match[3].startswith("created")  # first run: serve made the token
        url, port, token = match[1], int(match[2]), token_of(config_dir)

        async def talk() -> None:
            async with connect(url, origin=CHROME_ORIGIN) as ws:
                await handshake(ws, token, port)
                await ws.send(analyze_frame("f", 1, f"reach me at {CANARY}@example.com"))
                assert isinstance(await receive(ws), Findings)
                await ws.send(analyze_frame("f", 2, CANARY * 300))  # in flight when the signal lands
                process.send_signal(stop_signal)
                with contextlib.suppress(ConnectionClosed):
                    while True:
                        await receive(ws)
                assert ws.close_code == 1001  # going away: the extension reconnects when it is back

        asyncio.run(talk())
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in err and "Traceback" not in out
    assert "DEBUG" in err  # -v really logged at debug level
    assert CANARY not in out + err
    assert all(CANARY.encode() not in p.read_bytes() for p in config_dir.rglob("*") if p.is_file())


def test_serve_reports_an_existing_token_as_present(config_dir):
    process = serve_process(config_dir, "--port", "0")
    try:
        assert process.stdout.readline().endswith("(pairing token: present)\n")
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_sighup_reloads_config_json_without_dropping_clients_and_sigterm_closes_them_1001(config_dir):
    """Issue #12: SIGHUP killed the companion. Now it reads config.json again (extension ids,
    limits) for new connections, keeps every client, and keeps the running config when the file
    is broken; SIGTERM then closes the clients with 1001 and exits 0."""
    process = serve_process(config_dir, "--port", "0")
    log: list[str] = []
    try:
        url = re.search(r"(ws://\S+)", process.stdout.readline())[1]
        threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()
        token, extra = token_of(config_dir), "bcdefghijklmnopabcdefghijklmnopa"

        def logged(words: str, before: int) -> None:
            for _ in range(200):
                if any(words in line for line in log[before:]):
                    return
                time.sleep(0.05)
            pytest.fail(f"no {words!r} in the log: {log}")

        async def talk() -> None:
            kept = await connect_paired(url, token, logger=CLIENT_LOGGER)
            with pytest.raises(InvalidStatus):  # not trusted yet
                await connect_paired(url, token, origin=f"chrome-extension://{extra}", logger=CLIENT_LOGGER)
            (config_dir / "config.json").write_text(json.dumps({"extra_extension_ids": [extra],
                                                                 "limits": {"max_clients": 2}}))
            before = len(log)
            process.send_signal(signal.SIGHUP)
            await asyncio.to_thread(logged, "config reloaded", before)
            await kept.send('{"type": "ping"}')
            assert await receive(kept) == Pong()  # not dropped
            second = await connect_paired(url, token, origin=f"chrome-extension://{extra}", logger=CLIENT_LOGGER)
            with pytest.raises(ConnectionClosed) as refused:  # max_clients 2 applies to new ones
                await connect_paired(url, token, logger=CLIENT_LOGGER)
            assert refused.value.rcvd.code == 1013
            (config_dir / "config.json").write_text("{broken")
            before = len(log)
            process.send_signal(signal.SIGHUP)
            await asyncio.to_thread(logged, "config not reloaded", before)
            await second.close()
            third = await connect_paired(url, token, origin=f"chrome-extension://{extra}", logger=CLIENT_LOGGER)
            process.send_signal(signal.SIGTERM)
            for ws in (kept, third):
                with contextlib.suppress(ConnectionClosed):
                    while True:
                        await receive(ws)
                assert ws.close_code == 1001

        asyncio.run(talk())
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert not any("Traceback" in line for line in log)


def test_config_json_limits_apply_and_a_command_line_flag_wins(config_dir):
    (config_dir / "config.json").write_text(json.dumps({"limits": {"max_clients": 9, "rate": 7, "max_pending": 5}}))
    config = load_config(config_dir)
    applied = Settings(config=config).configured(config)
    assert (applied.max_clients, applied.max_pending, applied.limits.rate, applied.limits.burst) == (9, 5, 7.0, 50)
    pinned = Settings(config=config, max_clients=3, pinned=frozenset({"max_clients"})).configured(config)
    assert (pinned.max_clients, pinned.max_pending) == (3, 5)
