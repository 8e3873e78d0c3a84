"""Benchmark of the companion over loopback (run it as scripts/bench-server; prints figures).

Starts the real companion (`python -m companion serve --port 0`, a temporary config dir) in its own
process, then measures:
  1. one client, round-trip latency for 100-, 1,000- and 10,000-character texts (p50/p99);
  2. for each count in --clients (default 50,200): that many clients each typing into one field,
     M analyze/s (default 20) for S seconds (default 10), 300-character texts unless --load-chars:
     achieved rate, round-trip p50/p99, errors, revisions superseded (skipped by design when the
     companion falls behind), CPU; the load average before and after;
  3. the companion's resident memory (now and peak);
  4. unless --no-attacks, each against a fresh companion (issue #12): time for a client doing the
     extension's handshake to connect while 40 (then 200) squatters reconnect in a loop
     (scripts/squatters.py, its own process); log lines and bytes while 1,100 silent TCP
     connections flood a companion limited to 1,024 descriptors, and while its descriptors run out
     under its feet; how long a client that stops reading its replies keeps its connection.
Targets (issue): one client p99 <= 3 ms at 1,000 characters; 50 clients p99 <= 10 ms with zero
errors; companion RSS <= 80 MB; connect under 40 squatters <= 1 s; <= 10 log lines per burst of
descriptor exhaustion; a slow reader dropped within send_timeout (10 s) of its buffers filling.
Run it with `nice` on a shared machine; every phase prints the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from companion.client import connect_paired  # noqa: E402
from companion.pairing import ensure_token, read_token  # noqa: E402
from companion.protocol import Error, Findings, decode_server  # noqa: E402

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
    def __init__(self, limits: dict | None = None, max_open_files: int | None = None) -> None:
        self.config_dir = tempfile.TemporaryDirectory(prefix="contact-guard-bench-")
        ensure_token(Path(self.config_dir.name))
        if limits:
            (Path(self.config_dir.name) / "config.json").write_text(json.dumps({"limits": limits}))

        def limit_descriptors() -> None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max_open_files, max_open_files))

        self.process = subprocess.Popen(
            [sys.executable, "-m", "companion", "serve", "--port", "0", "--config-dir", self.config_dir.name],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=limit_descriptors if max_open_files else None,
        )
        line = self.process.stdout.readline()
        match = re.search(r"listening on (ws://\S+)", line)
        if not match:
            self.stop()
            raise SystemExit(f"bench-server: the companion did not start: {line!r}")
        self.url = match[1]
        self.token = read_token(Path(self.config_dir.name))
        self.log: list[str] = []  # its stderr, line by line (it never logs typed text)
        threading.Thread(target=lambda: self.log.extend(self.process.stderr), daemon=True).start()

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


async def paired(companion: CompanionProcess, **connect_args) -> ClientConnection:
    """A client doing exactly the extension's handshake (hello, check the companion's proof, prove)."""
    return await connect_paired(companion.url, companion.token, client="bench", max_size=None, **connect_args)


def load_average() -> str:
    return "load average " + " ".join(f"{load:.2f}" for load in os.getloadavg())


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


async def load(companion: CompanionProcess, clients: int, rate: float, seconds: float, chars: int) -> tuple[float, float]:
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
                    # Answered at once (e.g. rate_limited when this loaded client sent a late burst),
                    # possibly before the findings of an earlier revision: it supersedes nothing.
                    counts["errors"] += 1
                    counts[f"error {answer.code}"] = counts.get(f"error {answer.code}", 0) + 1
                    sent_at.pop(answer.revision, None)
                else:
                    latencies.append((time.perf_counter() - sent_at.pop(answer.revision)) * 1000)
                    counts["answered"] += 1
                    for revision in [r for r in sent_at if r < answer.revision]:
                        del sent_at[revision]
                        counts["superseded"] += 1
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
    kinds = ", ".join(f"{name[6:]} {n}" for name, n in counts.items() if name.startswith("error "))
    print(f"  sent {counts['sent']:,}, answered {counts['answered']:,} ({counts['answered'] / wall:,.0f} msg/s "
          f"over {wall:.1f} s), superseded {counts['superseded']}, errors {counts['errors']}"
          f"{f' ({kinds})' if kinds else ''}, unanswered {counts['unanswered']}")
    print(f"  round trip p50 {percentile(latencies, 0.5):.2f} ms   p99 {percentile(latencies, 0.99):.2f} ms"
          f"   max {max(latencies):.2f} ms")
    print(f"  companion CPU {cpu:.1f} s ({cpu / wall:.0%} of one core, {cpu / max(1, counts['sent']) * 1e6:.0f} us "
          f"per message, engine included); the {clients} clients used {own / wall:.0%} of one core")
    return percentile(latencies, 0.99), cpu / max(1, counts["sent"])


async def main(args: argparse.Namespace) -> None:
    counts = [int(c) for c in args.clients.split(",")]
    most = max(counts)
    # Load clients connect all at once: let them (a real extension is one or two clients).
    companion = CompanionProcess({"max_clients": most, "max_pending": most, "max_pending_per_peer": most})
    try:
        print(f"contact-guard bench-server: companion pid {companion.process.pid} at {companion.url}, "
              f"{os.cpu_count()} CPUs ({load_average()}), Python {sys.version.split()[0]}")
        print(f"one client, round trip over loopback ({args.samples} requests each):")
        for chars in (100, 1_000, 10_000):
            await one_client(companion, chars, args.samples)
        await stall(companion)
        measured = {}
        for clients in counts:
            print(f"{clients} clients x {args.rate:g} msg/s for {args.seconds:g} s, {args.load_chars:,}-char texts "
                  f"({load_average()} before):")
            measured[clients] = await load(companion, clients, args.rate, args.seconds, args.load_chars)
        if len(counts) > 1:  # against the first count, measured in this same run (load matters less)
            base, (base_p99, base_cpu) = counts[0], measured[counts[0]]
            for clients in counts[1:]:
                p99, cpu = measured[clients]
                print(f"{clients} vs {base} clients: round trip p99 x{p99 / base_p99:.2f}, companion CPU per message "
                      f"x{cpu / base_cpu:.2f}")
        now, peak = companion.memory_mb()
        print(f"companion memory: RSS {now:.1f} MB now, {peak:.1f} MB peak ({load_average()})")
    finally:
        companion.stop()
    if args.attacks:
        for squatters in (40, 200):
            await connect_under_squatters(squatters, args.connect_samples)
        await silent_flood(1_100)
        await silent_flood(1_100, exhaust=True)
        await slow_reader()


async def connect_with_retries(companion: CompanionProcess) -> tuple[float, int]:
    """Seconds until welcomed, retrying like the extension (250 ms, then longer) when dropped."""
    started = time.perf_counter()
    for attempt in range(1, 11):
        try:
            ws = await paired(companion, open_timeout=10)
        except (ConnectionClosed, InvalidHandshake, OSError, TimeoutError):
            await asyncio.sleep(0.25 * 1.5 ** (attempt - 1))
            continue
        elapsed = time.perf_counter() - started
        await ws.close()
        return elapsed, attempt
    raise SystemExit("bench-server: a real client did not get in after 10 tries")


async def connect_under_squatters(count: int, samples: int) -> None:
    """Issue #12: 40 reconnecting squatters kept the extension out (0 of 28 tries in 15 s)."""
    companion = CompanionProcess()
    squatters = subprocess.Popen([sys.executable, str(REPO / "scripts" / "squatters.py"), companion.url,
                                  "--count", str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        squatters.stdout.readline()  # ready: every squatter connected once
        await asyncio.sleep(1)
        before = load_average()
        times, tries = [], []
        for _ in range(samples):
            elapsed, attempts = await connect_with_retries(companion)
            times.append(elapsed * 1000)
            tries.append(attempts)
            await asyncio.sleep(0.1)
        squatters.stdin.close()
        made = int(squatters.stdout.read().split()[-1])
        first = sum(t == 1 for t in tries)
        print(f"connect while {count} squatters reconnect in a loop ({made:,} squatter connections; {before}):")
        print(f"  {samples} connects: p50 {percentile(times, 0.5):.0f} ms   p90 {percentile(times, 0.9):.0f} ms   "
              f"max {max(times):.0f} ms; {first} of {samples} at the first try, at most {max(tries)} tries")
    finally:
        if squatters.poll() is None:
            squatters.kill()
        companion.stop()


async def silent_flood(count: int, *, exhaust: bool = False) -> None:
    """Issue #12: 1,100 silent TCP connections exhausted 1,024 descriptors (2,792 ERROR lines with
    tracebacks, 1.8 MB, in ~15 s). With `exhaust`, the companion's limit is also cut to 16 more
    than it uses, so its descriptors run out whatever its pool expects."""
    companion = CompanionProcess(max_open_files=1024)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(count + 256, resource.getrlimit(resource.RLIMIT_NOFILE)[0]),
                                                resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    if exhaust:
        in_use = len(os.listdir(f"/proc/{companion.process.pid}/fd"))
        resource.prlimit(companion.process.pid, resource.RLIMIT_NOFILE, (in_use + 16, in_use + 16))
    before, flood = len(companion.log), []
    try:
        started = time.perf_counter()
        for index in range(count):
            probe = socket.socket()
            probe.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                probe.connect(("127.0.0.1", int(companion.url.rsplit(":", 1)[1])))
            flood.append(probe)
            if index % 50 == 0:
                await asyncio.sleep(0.01)
        during, attempts = await connect_with_retries(companion)
        await asyncio.sleep(max(0.0, 15 - (time.perf_counter() - started)))  # the 15 s
    finally:
        for probe in flood:
            probe.close()
    after, _ = await connect_with_retries(companion)
    await asyncio.sleep(11)  # a burst's summary comes after 10 quiet seconds
    lines = companion.log[before:]
    what = "descriptors cut to 16 spare while running" if exhaust else "limit 1,024 descriptors"
    print(f"{count:,} silent TCP connections for 15 s ({what}; {load_average()}):")
    print(f"  companion log: {len(lines)} lines, {sum(len(line.encode()) for line in lines):,} bytes, "
          f"{sum('Traceback' in line for line in lines)} tracebacks; a client connected in {during * 1000:.0f} ms "
          f"({attempts} tries) during the flood, in {after * 1000:.0f} ms after it")
    for line in lines:
        print(f"    {line.rstrip()[:160]}")
    companion.stop()


async def slow_reader() -> None:
    """Issue #12: a client that never read its replies was never dropped (over 150 s)."""
    companion = CompanionProcess()
    receive_buffer = socket.socket()
    receive_buffer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    receive_buffer.connect(("127.0.0.1", int(companion.url.rsplit(":", 1)[1])))
    ws = await connect_paired(companion.url, companion.token, sock=receive_buffer, max_queue=1)
    text = "write to a@b.co or c@d.co " * 700  # ~1,400 findings: replies of a few hundred KB
    started = time.perf_counter()
    sent = 0
    with contextlib.suppress(ConnectionClosed, OSError):
        while not any("dropped: replies unread" in line for line in companion.log):
            if time.perf_counter() - started > 120:
                raise SystemExit("bench-server: the slow reader was not dropped within 120 s")
            if sent < 40:  # under the rate limit; the buffers fill long before
                await ws.send(json.dumps({"type": "analyze", "field": f"f{sent}", "revision": 1, "text": text}))
                sent += 1
            await asyncio.sleep(0.05)
    dropped = time.perf_counter() - started
    print(f"a client that never reads its replies ({load_average()}):")
    print(f"  dropped {dropped:.1f} s after its first request ({sent} requests sent); the bound: send_timeout "
          f"10 s after a reply stops fitting in 64 KiB (companion) + the kernel's send buffer")
    ws.transport.abort()
    companion.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench-server", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300, help="requests per text size, one client")
    parser.add_argument("--clients", default="50,200", help="client counts for the load phase (default 50,200)")
    parser.add_argument("--no-attacks", dest="attacks", action="store_false", help="skip the attack phases")
    parser.add_argument("--connect-samples", type=int, default=20, help="connects measured under squatters")
    parser.add_argument("--rate", type=float, default=20, help="analyze messages per second per client")
    parser.add_argument("--seconds", type=float, default=10)
    # A chat message being typed: most are a few hundred characters (1,000 doubles the engine's share).
    parser.add_argument("--load-chars", type=int, default=300, help="text length in the load phase (default 300)")
    asyncio.run(main(parser.parse_args()))
