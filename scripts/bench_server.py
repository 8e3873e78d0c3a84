"""Benchmark of the companion over loopback (run it as scripts/bench-server; prints figures).

Starts the real companion (`python -m companion serve --port 0`, a temporary config dir) in its own
process, then measures:
  1. one client, round-trip latency for 100-, 1,000- and 10,000-character texts (p50/p99);
  2. N clients (default 50) each typing into one field, M analyze/s (default 20) for S seconds
     (default 10), 300-character texts unless --load-chars: achieved rate, round-trip p50/p99,
     errors, revisions superseded (skipped by design when the companion falls behind), CPU;
  3. the companion's resident memory (now and peak).
Targets (issue): one client p99 <= 3 ms at 1,000 characters; 50 clients p99 <= 10 ms with zero
errors; companion RSS <= 80 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from companion.client import ClientHandshake  # noqa: E402
from companion.pairing import read_token  # noqa: E402
from companion.protocol import Error, Findings, decode_server  # noqa: E402
from companion.server import EXTENSION_ID  # noqa: E402

ORIGIN = f"chrome-extension://{EXTENSION_ID}"
# A chat message of the kind the extension streams, with contact details for the detectors to find.
CHAT = (
    "Hi Anna, thanks for the order! I have read the brief and I will send the first logo drafts "
    "tomorrow morning. If the files are too large I can share a Google Drive link instead. "
    "You can also mail me: john.smith@gmail.com or call +1 415 555 0134 if anything is unclear. "
    "Let me know which colours you prefer, and whether the slogan should be on a second line. 😀 "
)


def text_of(chars: int) -> str:
    return (CHAT * (chars // len(CHAT) + 1))[:chars]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class CompanionProcess:
    def __init__(self, max_connections: int) -> None:
        self.config_dir = tempfile.TemporaryDirectory(prefix="contact-guard-bench-")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "companion", "serve", "--port", "0", "--config-dir", self.config_dir.name,
             "--max-connections", str(max_connections)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        line = self.process.stdout.readline()
        match = re.search(r"listening on (ws://\S+)", line)
        if not match:
            self.stop()
            raise SystemExit(f"bench-server: the companion did not start: {line!r}")
        self.url = match[1]
        self.token = read_token(Path(self.config_dir.name))

    def memory_mb(self) -> tuple[float, float]:
        """(resident now, resident peak) in MB, from /proc."""
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time the companion has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.config_dir.cleanup()


async def paired(companion: CompanionProcess) -> ClientConnection:
    ws = await connect(companion.url, origin=ORIGIN, compression=None, max_size=None)
    handshake = ClientHandshake(companion.token, int(companion.url.rsplit(":", 1)[1]), client="bench")
    await ws.send(handshake.hello())
    await ws.send(handshake.answer(await ws.recv()))
    await ws.recv()  # welcome
    return ws


def analyze_frame(field: str, revision: int, text: str) -> str:
    return json.dumps({"type": "analyze", "field": field, "revision": revision, "text": text})


async def one_client(companion: CompanionProcess, chars: int, samples: int) -> None:
    ws = await paired(companion)
    text = text_of(chars)
    round_trips, engine = [], []
    for revision in range(samples + 50):  # 50 warm-up requests are not counted
        started = time.perf_counter()
        await ws.send(analyze_frame("bench", revision, text))
        answer = decode_server(await ws.recv())
        elapsed = (time.perf_counter() - started) * 1000
        if not isinstance(answer, Findings):
            raise SystemExit(f"bench-server: unexpected answer {answer}")
        if revision >= 50:
            round_trips.append(elapsed)
            engine.append(answer.elapsed_us / 1000)
        await asyncio.sleep(0.02)  # paced under the per-connection rate limit (50/s)
    await ws.close()
    print(f"  {chars:>6,} chars: p50 {percentile(round_trips, 0.5):6.2f} ms   p99 {percentile(round_trips, 0.99):6.2f} ms"
          f"   (engine alone p50 {statistics.median(engine):.2f} ms, {len(answer.findings)} findings)")


async def stall(companion: CompanionProcess, seconds: float = 3.0) -> None:
    """Does a long analysis hold up other connections? Ping round trips on one connection while
    another keeps the engine busy with 20,000-character texts (which run in a worker thread)."""
    writer, pinger = await paired(companion), await paired(companion)
    text = text_of(20_000)
    busy_until = time.perf_counter() + seconds

    async def keep_busy() -> None:
        revision = 0
        while time.perf_counter() < busy_until:
            await writer.send(analyze_frame("long", revision, text))
            await writer.recv()
            revision += 1
            await asyncio.sleep(0.02)  # under the rate limit

    async def ping_until_done() -> list[float]:
        round_trips = []
        while time.perf_counter() < busy_until:
            started = time.perf_counter()
            await pinger.send('{"type": "ping"}')
            await pinger.recv()
            round_trips.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.025)
        return round_trips

    _, round_trips = await asyncio.gather(keep_busy(), ping_until_done())
    print(f"  ping while another connection analyzes 20,000-char texts: p50 {percentile(round_trips, 0.5):.2f} ms"
          f"   p99 {percentile(round_trips, 0.99):.2f} ms   max {max(round_trips):.2f} ms")
    await writer.close()
    await pinger.close()


async def load(companion: CompanionProcess, clients: int, rate: float, seconds: float, chars: int) -> None:
    """Each client types into one field: a new revision every 1/rate s. A revision still waiting
    when a newer one arrives is superseded by design (never answered): counted apart from errors."""
    text = text_of(chars)
    latencies: list[float] = []
    counts = {"sent": 0, "answered": 0, "superseded": 0, "errors": 0, "unanswered": 0}

    async def client(index: int) -> None:
        ws = await paired(companion)
        total = int(rate * seconds)
        sent_at: dict[int, float] = {}

        async def receive_all() -> None:
            while True:
                answer = decode_server(await ws.recv())
                if isinstance(answer, Error):
                    counts["errors"] += 1
                else:
                    latencies.append((time.perf_counter() - sent_at[answer.revision]) * 1000)
                    counts["answered"] += 1
                for revision in [r for r in sent_at if r < answer.revision]:
                    del sent_at[revision]
                    counts["superseded"] += 1
                sent_at.pop(answer.revision, None)
                if answer.revision == total - 1:
                    return

        receiver = asyncio.create_task(receive_all())
        start = time.perf_counter() + index / (clients * rate)  # spread the clients' phases
        for revision in range(total):
            await asyncio.sleep(max(0.0, start + revision / rate - time.perf_counter()))
            sent_at[revision] = time.perf_counter()
            counts["sent"] += 1
            await ws.send(analyze_frame(f"client{index}", revision, text))
        try:
            await asyncio.wait_for(receiver, timeout=10)
        except TimeoutError:
            counts["unanswered"] += len(sent_at)
        await ws.close()

    started, cpu_before, own_before = time.perf_counter(), companion.cpu_seconds(), time.process_time()
    await asyncio.gather(*(client(i) for i in range(clients)))
    wall, cpu = time.perf_counter() - started, companion.cpu_seconds() - cpu_before
    own = time.process_time() - own_before
    print(f"  sent {counts['sent']:,}, answered {counts['answered']:,} ({counts['answered'] / wall:,.0f} msg/s "
          f"over {wall:.1f} s), superseded {counts['superseded']}, errors {counts['errors']}, "
          f"unanswered {counts['unanswered']}")
    print(f"  round trip p50 {percentile(latencies, 0.5):.2f} ms   p99 {percentile(latencies, 0.99):.2f} ms"
          f"   max {max(latencies):.2f} ms")
    print(f"  companion CPU {cpu:.1f} s ({cpu / wall:.0%} of one core, {cpu / max(1, counts['sent']) * 1e6:.0f} us "
          f"per message, engine included); the {clients} clients used {own / wall:.0%} of one core")


async def main(args: argparse.Namespace) -> None:
    companion = CompanionProcess(max_connections=args.clients)
    try:
        print(f"contact-guard bench-server: companion pid {companion.process.pid} at {companion.url}, "
              f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.2f}), Python {sys.version.split()[0]}")
        print(f"one client, round trip over loopback ({args.samples} requests each):")
        for chars in (100, 1_000, 10_000):
            await one_client(companion, chars, args.samples)
        await stall(companion)
        print(f"{args.clients} clients x {args.rate:g} msg/s for {args.seconds:g} s, {args.load_chars:,}-char texts:")
        await load(companion, args.clients, args.rate, args.seconds, args.load_chars)
        now, peak = companion.memory_mb()
        print(f"companion memory: RSS {now:.1f} MB now, {peak:.1f} MB peak")
    finally:
        companion.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench-server", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300, help="requests per text size, one client")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=20, help="analyze messages per second per client")
    parser.add_argument("--seconds", type=float, default=10)
    # A chat message being typed: most are a few hundred characters (1,000 doubles the engine's share).
    parser.add_argument("--load-chars", type=int, default=300, help="text length in the load phase (default 300)")
    asyncio.run(main(parser.parse_args()))
