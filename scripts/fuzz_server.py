"""Fuzz a real companion with hostile frames and count how many got a documented answer
(run it as scripts/fuzz-server; issue #12 found 1,968 of 100,001 ending in 1011).

The companion (the real server and the real engine, rate limit off) serves on loopback in a
thread. Frames come from a seeded generator of the same kinds as the hypothesis strategy that
tests/test_security.py runs in CI (that one shrinks failures but makes ~100 frames a second here;
this one makes thousands): JSON values and message-like objects with lone surrogates in keys and
values, wrong types, huge numbers, NaN; nesting up to 5,000 deep, closed or not; well-formed
messages cut short or with a character replaced; raw text and bytes. Each frame goes either after a finished handshake (then a ping; every message
up to the pong must be `error` with a fixed detail, `findings` or `pong`, and the connection must
stay open) or, one in `--first-every`, as the first frame of a new connection (then it must end
in close 4401/4400, after at most a `challenge` or `error unsupported_protocol`).

    scripts/fuzz-server [--frames 100001] [--first-every 10] [--seed 12]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from companion.client import ORIGIN, ClientHandshake  # noqa: E402
from companion.config import load_config  # noqa: E402
from companion.pairing import ensure_token  # noqa: E402
from companion.protocol import BAD_MESSAGE_DETAILS, Challenge, Error, Findings, Pong, decode_server  # noqa: E402
from companion.server import Companion, Settings  # noqa: E402
from companion.session import Limits  # noqa: E402

PRE_HANDSHAKE_CLOSES = {4400, 4401}
FIELD_NAMES = ("type", "protocol", "token", "client", "nonce", "proof", "field", "revision", "text", "surface",
               "allow", "pasted", "platform")
TYPES = ("hello", "proof", "analyze", "ping", "pong", "welcome", "findings", "error", "x", "")


class Frames:
    """Seeded hostile frames: each call returns one str (text frame) or bytes (binary frame)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def text(self, size: int = 12) -> str:
        r = self.random
        pick = r.random()
        if pick < 0.15:
            return "".join(chr(r.randint(0xD800, 0xDFFF)) for _ in range(r.randint(1, 3)))  # lone surrogates
        if pick < 0.3:
            return "".join(chr(r.choice((r.randint(0, 0x7F), r.randint(0x80, 0xD7FF), r.randint(0xE000, 0x10FFFF))))
                           for _ in range(r.randint(0, size)))
        if pick < 0.4:
            return r.choice(("message", "zoom", "f", "", "john@gmail.com", "'", "`$.token`", "it's"))
        return "".join(r.choice("abcxyz @.:'\\\"{}[]0123456789😀") for _ in range(r.randint(0, size)))

    def value(self, depth: int = 0):
        r = self.random
        pick = r.random()
        if depth < 3 and pick < 0.15:
            return [self.value(depth + 1) for _ in range(r.randint(0, 4))]
        if depth < 3 and pick < 0.3:
            return {self.key(): self.value(depth + 1) for _ in range(r.randint(0, 4))}
        return r.choice((
            None, True, False, r.randint(-5, 5), r.randint(2**53 - 2, 2**70), -(2**64),
            r.uniform(-1e6, 1e6), float("nan"), float("inf"), self.text(), self.text(40),
        ))

    def key(self) -> str:
        return self.random.choice(FIELD_NAMES) if self.random.random() < 0.6 else self.text(6)

    def message(self) -> dict:
        message = {"type": self.random.choice(TYPES) if self.random.random() < 0.9 else self.value()}
        for name in self.random.sample(FIELD_NAMES[1:], self.random.randint(0, 6)):
            message[name] = self.value()
        return message

    def analyze(self) -> dict:
        return {"type": "analyze", "field": self.random.choice(("f", "g", "7.1.chat")),
                "revision": self.random.randint(0, 100), "text": self.text(60),
                "surface": self.random.choice(("message", "delivery", "offer"))}

    def nested(self) -> str:
        depth = self.random.randint(20, 5000)
        opener, closer = self.random.choice((("[", "]"), ('{"a": ', "}")))
        inner = opener * depth + "1" + (closer * depth if self.random.random() < 0.7 else "")
        return json.dumps(self.message())[:-1].rstrip("{") + (", " if len(self.message()) else "") + f'"x": {inner}}}'

    def damaged(self) -> str:
        good = json.dumps(self.analyze())
        at = self.random.randint(0, len(good))
        if self.random.random() < 0.5:
            return good[:at]
        return good[:at] + self.random.choice(('"', "\\", "{", "]", ",", "\\ud800", "\x00", "\\u")) + good[at + 1:]

    def __call__(self) -> str | bytes:
        r = self.random
        pick = r.random()
        if pick < 0.05:
            return r.randbytes(r.randint(0, 40))
        if pick < 0.10:
            return self.text(40).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        if pick < 0.25:
            return json.dumps(self.value())
        if pick < 0.55:
            return json.dumps(self.message())
        if pick < 0.60:
            return self.nested()
        if pick < 0.65:  # hellos: v2 (then a challenge), v1 with a token and v3 (then 4400)
            return json.dumps({"type": "hello", "protocol": r.choice((1, 2, 2, 3)), "client": self.text(),
                               "nonce": r.randbytes(32).hex(), "token": r.randbytes(32).hex()})
        if pick < 0.80:
            return self.damaged()
        return json.dumps(self.analyze())


class Fuzzer:
    def __init__(self, url: str, port: int, token: str) -> None:
        self.url, self.port, self.token = url, port, token
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.failures: list[str] = []
        self.ws = None

    def _paired(self):
        if self.ws is None:
            self.ws = connect(self.url, origin=ORIGIN, compression=None, open_timeout=10, legacy=True)
            handshake = ClientHandshake(self.token, self.port, client="fuzz-server")
            self.ws.send(handshake.hello())
            self.ws.send(handshake.answer(self.ws.recv(10)))
            self.ws.recv(10)  # welcome
        return self.ws

    def after_handshake(self, frame: str | bytes) -> None:
        ws = self._paired()
        try:
            ws.send(frame)
            ws.send('{"type": "ping"}')
            seen = []
            while not seen or not isinstance(seen[-1], Pong):
                seen.append(decode_server(ws.recv(10)))
        except ConnectionClosed:
            self.ws = None
            self._fail(frame, f"connection closed with {ws.close_code}")
            return
        except TimeoutError:
            self.ws.close()
            self.ws = None
            self._fail(frame, "no answer within 10 s")
            return
        for message in seen[:-1]:
            if isinstance(message, Findings):
                continue
            if not (isinstance(message, Error) and message.code in ("bad_message", "text_too_long")
                    and (message.code != "bad_message" or (message.detail in BAD_MESSAGE_DETAILS
                                                          and message.field is None))):
                self._fail(frame, f"undocumented answer {message!r}")
                return
        kinds = "+".join(sorted({m.code if isinstance(m, Error) else type(m).__name__.lower() for m in seen[:-1]}))
        self.outcomes[f"after handshake: {kinds or 'nothing (pong only)'}"] += 1

    def first_frame(self, frame: str | bytes) -> None:
        with connect(self.url, origin=ORIGIN, compression=None, open_timeout=10) as ws:
            answers = []
            try:
                ws.send(frame)
                with contextlib.suppress(ConnectionClosed):
                    ws.send('{"type": "ping"}')  # ends a handshake that a valid hello started
                while True:
                    answers.append(decode_server(ws.recv(10)))
            except ConnectionClosed:
                pass
            except TimeoutError:
                self._fail(frame, "first frame: no close within 10 s")
                return
            code = ws.close_code
        ok = code in PRE_HANDSHAKE_CLOSES and all(
            isinstance(m, Challenge) or (isinstance(m, Error) and m.code == "unsupported_protocol") for m in answers)
        if ok:
            self.outcomes[f"first frame: close {code}"] += 1
        else:
            self._fail(frame, f"first frame: close {code} after {answers!r}")

    def _fail(self, frame: str | bytes, why: str) -> None:
        self.outcomes["FAILED"] += 1
        if len(self.failures) < 20:
            self.failures.append(f"{why}: {frame!r:.200}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/fuzz-server", description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=100_001)
    parser.add_argument("--first-every", type=int, default=10, help="every Nth frame opens a new connection")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    config_dir = Path(tempfile.mkdtemp(prefix="contact-guard-fuzz-"))
    token, _ = ensure_token(config_dir)
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    companion = Companion(Settings(config=load_config(config_dir), port=0, max_clients=16,
                                   limits=Limits(rate=1e9, burst=10**9)))
    asyncio.run_coroutine_threadsafe(companion.start(), loop).result(30)
    fuzzer = Fuzzer(companion.url, companion.port, token)
    frames = Frames(args.seed)
    started = time.monotonic()
    for count in range(1, args.frames + 1):
        (fuzzer.first_frame if count % args.first_every == 0 else fuzzer.after_handshake)(frames())
        if count % 10_000 == 0:
            print(f"  {count:,} frames, {fuzzer.outcomes['FAILED']:,} failed", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    asyncio.run_coroutine_threadsafe(companion.close(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)

    failed = fuzzer.outcomes.pop("FAILED", 0)
    print(f"fuzz-server: {count:,} frames in {elapsed:.0f} s (seed {args.seed}): "
          f"{count - failed:,} answered as documented ({100 * (count - failed) / max(count, 1):.3f}%), {failed:,} not")
    for outcome, n in sorted(fuzzer.outcomes.items(), key=lambda item: -item[1]):
        print(f"  {n:>8,}  {outcome}")
    for failure in fuzzer.failures:
        print(f"  FAILED {failure}")
    return 1 if failed or count < args.frames else 0


if __name__ == "__main__":
    sys.exit(main())
