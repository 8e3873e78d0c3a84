"""What a running companion publishes about itself for `contact-guard status` and `doctor`.

`state.json` in the config dir, mode 0600, written atomically (temp file + rename):

    {"pid": 4242, "host": "127.0.0.1", "port": 47821, "version": "0.1.0", "started": 1767225600.0,
     "clients": 1, "last_client": 1767225712.5, "updated": 1767225712.5}

`clients` counts authenticated connections (past hello); `last_client` is when one was last
connected (null: none since start). The server wraps its run in `published(...)` once it listens;
the count is read every WATCH_INTERVAL_S and the file rewritten only when it changes. Removed on a clean exit;
a file whose pid is gone is stale (a crash) and reads as "not running".
Counts and times only: no text, no field ids, no client names.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from companion import __version__

STATE_FILE: Final = "state.json"
WATCH_INTERVAL_S: Final = 0.5


@dataclass(slots=True)
class RuntimeState:
    pid: int
    host: str
    port: int
    version: str
    started: float
    clients: int = 0
    last_client: float | None = None
    updated: float = 0.0


class Publisher:
    """Owns state.json while the companion runs."""

    def __init__(self, directory: Path, host: str, port: int) -> None:
        self.path = directory / STATE_FILE
        self.state = RuntimeState(os.getpid(), host, port, __version__, started=time.time())
        self._write()

    def clients(self, count: int) -> None:
        if count == self.state.clients:
            return
        now = time.time()
        if count or self.state.clients:
            self.state.last_client = now
        self.state.clients = count
        self._write()

    async def watch(self, count: Callable[[], int]) -> None:
        """Follow `count()` until cancelled."""
        while True:
            self.clients(count())
            await asyncio.sleep(WATCH_INTERVAL_S)

    def remove(self) -> None:
        try:
            if read_state(self.path.parent, check_pid=False) == self.state:
                self.path.unlink()
        except OSError:
            pass

    def _write(self) -> None:
        self.state.updated = time.time()
        descriptor, temp = tempfile.mkstemp(prefix=".state-", dir=self.path.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:  # mkstemp makes it 0600
                json.dump(asdict(self.state), file)
            os.replace(temp, self.path)
        except OSError:
            Path(temp).unlink(missing_ok=True)


@asynccontextmanager
async def published(directory: Path, host: str, port: int, count: Callable[[], int]) -> AsyncIterator[Publisher]:
    """state.json exists, and follows `count()` (authenticated clients), for the `async with` body."""
    publisher = Publisher(directory, host, port)
    watcher = asyncio.create_task(publisher.watch(count))
    try:
        yield publisher
    finally:
        watcher.cancel()
        publisher.remove()


def read_state(directory: Path, *, check_pid: bool = True) -> RuntimeState | None:
    """The published state, or None when no companion runs (no file, unreadable, or its pid gone)."""
    try:
        fields = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
        state = RuntimeState(**{name: fields[name] for name in RuntimeState.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_pid and not pid_alive(state.pid):
        return None
    return state


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
        return bool(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
