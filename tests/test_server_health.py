"""The companion's HTTP health answer, probed by the extension while the companion is away
(a failed fetch is silent in the browser's console; a failed WebSocket writes an error line)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from companion_support import CHROME_ORIGIN

from companion.config import load_config
from companion.pairing import ensure_token
from companion.server import Companion, Settings

FIREFOX_ORIGIN = "moz-extension://0b7f3c4e-8f21-4a4f-9d0b-1c2d3e4f5a6b"


@pytest.fixture
async def companion(tmp_path):
    directory = tmp_path / "config"
    ensure_token(directory)
    (directory / "config.json").write_text(json.dumps({"extra_extension_ids": [FIREFOX_ORIGIN.removeprefix("moz-extension://")]}))
    async with Companion(Settings(config=load_config(directory), port=0)) as running:
        yield running


async def get(companion: Companion, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP/1.1 GET, as a browser's fetch sends it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", companion.port)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{companion.port}", *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    fields = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), fields, body


@pytest.mark.parametrize("origin", [CHROME_ORIGIN, FIREFOX_ORIGIN])
async def test_the_extension_gets_a_readable_health_answer(companion, origin):
    status, headers, body = await get(companion, "/health", {"Origin": origin})
    assert status == 200
    assert body == b"contact-guard\n"
    # Readable from the extension's origin even where its fetch is a CORS request (Firefox).
    assert headers["access-control-allow-origin"] == origin
    assert headers["cache-control"] == "no-store"


async def test_a_local_tool_without_origin_gets_the_health_answer(companion):
    status, headers, _ = await get(companion, "/health", {})
    assert status == 200
    assert "access-control-allow-origin" not in headers


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8080", "null"])
async def test_web_origins_are_refused_the_health_answer(companion, origin):
    status, headers, _ = await get(companion, "/health", {"Origin": origin})
    assert status == 403
    assert "access-control-allow-origin" not in headers


@pytest.mark.parametrize("origin", ["moz-extension://1b7f3c4e-8f21-4a4f-9d0b-1c2d3e4f5a6b",
                                    "chrome-extension://bcdefghijklmnopabcdefghijklmnopa"])
async def test_an_extension_the_companion_does_not_know_can_read_its_403(companion, origin):
    """A Firefox install not listed in config.json learns it is refused (not that nothing runs)."""
    status, headers, _ = await get(companion, "/health", {"Origin": origin})
    assert status == 403
    assert headers["access-control-allow-origin"] == origin


async def test_a_probe_without_an_origin_header_is_answered_for_the_origin_it_names(companion):
    """Firefox sends the extension's probe without an Origin header (host permission): the probe
    names its origin in the query, so an install the companion does not know is told so."""
    allowed = f"/health?origin={FIREFOX_ORIGIN}"
    assert (await get(companion, allowed, {}))[0] == 200
    assert (await get(companion, "/health?origin=moz-extension://1b7f3c4e-8f21-4a4f-9d0b-1c2d3e4f5a6b", {}))[0] == 403
    # Naming an origin grants nothing: a page's own Origin header decides.
    assert (await get(companion, allowed, {"Origin": "https://evil.example"}))[0] == 403


async def test_the_host_check_applies_to_the_health_answer_too(companion):
    reader, writer = await asyncio.open_connection("127.0.0.1", companion.port)
    writer.write(b"GET /health HTTP/1.1\r\nHost: attacker.example\r\nOrigin: " + CHROME_ORIGIN.encode() + b"\r\n\r\n")
    raw = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    assert raw.split()[1] == b"403"


async def test_health_probes_are_not_logged_as_refusals(companion, caplog):
    # websockets' own access line ("HTTP response sent") stays; the extension only probes while the
    # companion is away, so a running companion sees one probe per reconnect.
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        assert (await get(companion, "/health", {"Origin": CHROME_ORIGIN}))[0] == 200
    assert [r.getMessage() for r in caplog.records if r.name == "companion.server"] == []
