"""Squatters: programs that connect to the companion, never prove the pairing token, and reconnect
as soon as they are dropped (issue #12's lock-out attack). Used by tests/test_security.py and
scripts/bench-server, in a process of their own like a real attacker.

    .venv/bin/python scripts/squatters.py ws://127.0.0.1:PORT --count 40 [--seconds S]

Half of them (even numbers) finish the HTTP upgrade with the extension's Origin and say hello (so
they get a challenge, and stall there); the others only open TCP and stay silent. Runs until
stdin closes or --seconds pass; prints "ready" once every squatter connected once, and at the end
"connections N" (how many connections they made in all).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed, InvalidHandshake  # noqa: E402

from companion.client import ORIGIN, ClientHandshake  # noqa: E402

QUIET = logging.getLogger("squatters")
QUIET.setLevel(logging.CRITICAL)


MADE = [0]  # connections made by all squatters


async def squat(url: str, port: int, speak: bool, stop: asyncio.Event, connected: asyncio.Event) -> None:
    while not stop.is_set():
        MADE[0] += 1
        with contextlib.suppress(OSError, ConnectionClosed, TimeoutError, InvalidHandshake):
            if speak:
                async with connect(url, origin=ORIGIN, open_timeout=10, logger=QUIET) as ws:
                    await ws.send(ClientHandshake("0" * 64, port).hello())
                    connected.set()
                    while not stop.is_set():
                        await ws.recv()
            else:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                connected.set()
                try:
                    while not stop.is_set() and await reader.read(1024):
                        pass
                finally:
                    writer.close()
        await asyncio.sleep(0)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args()
    port = urlsplit(args.url).port
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.read() or stop.set())
    if args.seconds:
        loop.call_later(args.seconds, stop.set)
    firsts = [asyncio.Event() for _ in range(args.count)]
    tasks = [asyncio.create_task(squat(args.url, port, i % 2 == 0, stop, firsts[i])) for i in range(args.count)]
    await asyncio.gather(*(first.wait() for first in firsts))
    print("ready", flush=True)
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"connections {MADE[0]}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
