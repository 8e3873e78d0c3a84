"""`contact-guard status` and `doctor` against a real companion (`serve --port 0` in a subprocess)
and the state.json it publishes (runtime_state.py): created 0600 when it listens, the count of
authenticated clients followed on connect/disconnect, no typed text in it, removed on a clean exit."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from companion import __version__
from companion.client import ORIGIN, ClientHandshake
from companion.runtime_state import STATE_FILE, Publisher, read_state
from companion.status import FAIL, OK, check_firefox_csp, check_versions

REPO = Path(__file__).resolve().parent.parent
CANARY = "canary-5d1f-status-quartz"


def contact_guard(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, cwd=REPO, timeout=60)


@pytest.fixture
def companion(tmp_path):
    config = tmp_path / "config"
    process = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", "0", "--config-dir", str(config)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    assert "listening on ws://" in line, line
    yield config, line.split("listening on ")[1].split()[0], process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def wait_for(predicate, what: str, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def paired_client(url: str, token: str):
    ws = await connect(url, origin=ORIGIN, compression=None)
    handshake = ClientHandshake(token, int(url.rsplit(":", 1)[1]))
    await ws.send(handshake.hello())
    await ws.send(handshake.answer(await ws.recv()))
    assert json.loads(await ws.recv())["type"] == "welcome"
    return ws


def test_state_file_status_and_doctor_follow_a_real_companion(companion):
    config, url, process = companion
    path = config / STATE_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    state = read_state(config)
    assert (state.pid, state.version, state.clients, state.last_client) == (process.pid, __version__, 0, None)
    assert url.endswith(f":{state.port}")

    status = contact_guard("status", "--config-dir", str(config))
    assert status.returncode == 0
    assert f"listening on {url}" in status.stdout and "paired clients connected: 0" in status.stdout

    token = (config / "token").read_text().strip()

    async def connected_then_left():
        ws = await paired_client(url, token)
        await ws.send(json.dumps({"type": "analyze", "field": "f", "revision": 0, "text": f"{CANARY} call me"}))
        await ws.recv()
        await asyncio.to_thread(wait_for, lambda: read_state(config).clients == 1, "clients: 1")
        as_json = json.loads(contact_guard("status", "--json", "--config-dir", str(config)).stdout)
        doctor = contact_guard("doctor", "--config-dir", str(config))
        await ws.close()
        return as_json, doctor

    as_json, doctor = asyncio.run(connected_then_left())
    assert as_json["running"] and as_json["clients"] == 1 and as_json["port"] == state.port
    assert doctor.returncode == 0, doctor.stdout
    assert "ok    extension: 1 paired client connected now" in doctor.stdout
    assert "ok    port:" in doctor.stdout and "answers as the companion" in doctor.stdout
    left = wait_for(lambda: (s := read_state(config)) and s.clients == 0 and s.last_client and s, "clients: 0")
    assert left.last_client >= state.started
    assert CANARY not in path.read_text()

    process.terminate()
    assert process.wait(timeout=30) == 0
    assert not path.exists()  # removed on a clean exit
    stopped = contact_guard("status", "--config-dir", str(config))
    assert stopped.returncode == 1 and "not running" in stopped.stdout


def test_a_state_file_left_by_a_crash_reads_as_not_running(tmp_path):
    publisher = Publisher(tmp_path, "127.0.0.1", 47821)
    assert read_state(tmp_path) is not None
    data = json.loads((tmp_path / STATE_FILE).read_text())
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout
    (tmp_path / STATE_FILE).write_text(json.dumps({**data, "pid": int(dead)}))
    assert read_state(tmp_path) is None
    publisher.remove()  # not its own file any more: left alone
    assert (tmp_path / STATE_FILE).exists()


def test_doctor_fails_on_loose_permissions_and_a_missing_companion(tmp_path):
    config = tmp_path / "config"
    assert contact_guard("pair", "--config-dir", str(config)).returncode == 0
    os.chmod(config, 0o755)
    os.chmod(config / "token", 0o644)
    result = contact_guard("doctor", "--config-dir", str(config), "--port", "0")
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert any(line.startswith("FAIL  config dir:") and "chmod 700" in line for line in lines)
    assert any(line.startswith("FAIL  pairing token:") and "chmod 600" in line for line in lines)
    assert any(line.startswith("FAIL  companion: not running") for line in lines)
    assert lines[-1] == "3 problems found"
    token = (config / "token").read_text().strip()
    assert token not in result.stdout


def test_doctor_catches_upgrade_insecure_requests_in_the_firefox_csp(tmp_path):
    manifest = json.loads((REPO / "extension/src/manifest.json").read_text())
    shipped = check_firefox_csp(REPO / "extension/src/manifest.json")
    assert shipped.status == OK
    manifest["content_security_policy"] = {"extension_pages": "script-src 'self'; upgrade-insecure-requests"}
    bad = tmp_path / "manifest.json"
    bad.write_text(json.dumps(manifest))
    assert check_firefox_csp(bad).status == FAIL
    manifest["version"] = "9.9.9"
    bad.write_text(json.dumps(manifest))
    versions = check_versions(None, bad)
    assert versions.status == FAIL and "9.9.9" in versions.detail
