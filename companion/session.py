"""One connection's protocol state, without I/O: a frame in, `Actions` out.

The server (server.py) owns the socket and the clock; a Session decides everything else:
the handshake (hello -> challenge -> proof -> welcome, mutual proof of the pairing token, see
pairing.py), rate limiting, validation, per-field ordering, and the conversion of the engine's
code-point offsets to the UTF-16 offsets JavaScript uses.

Per field, at most one analysis runs at a time and at most one waits to start: a newer revision
replaces the waiting one, which is never answered (the extension drops stale answers anyway).
Answers for one field therefore always come back in revision order, and a server that falls
behind skips straight to each field's latest text instead of working through a backlog.

The server pulls `Job`s with `next_job()` when it can run one (fields take turns, oldest first)
and chooses where it runs (inline for short texts, a worker thread for long ones):
`session.run(job)` is thread-safe and touches no state; `session.finish(outcome)` must be called
back on the session's own thread.
"""

from __future__ import annotations

import enum
import functools
import inspect
import re
import time
from bisect import bisect_left
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from companion import __version__
from companion.engine import Report, analyze
from companion.errors import ProtocolError
from companion.pairing import Prover, make_proof, new_nonce, proof_checks
from companion.protocol import (
    BINARY_FRAME,
    HANDSHAKE_DONE,
    MAX_TEXT_UTF16,
    PROTOCOL_VERSION,
    STALE_REVISION,
    Analyze,
    Challenge,
    Error,
    Finding,
    Findings,
    Hello,
    Ping,
    Pong,
    Proof,
    ServerMessage,
    Welcome,
    decode_client,
)

CLOSE_UNSUPPORTED_PROTOCOL: Final = 4400
CLOSE_UNAUTHORIZED: Final = 4401

Analyzer = Callable[..., Report]

_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def takes_platform(analyzer: Analyzer) -> bool:
    """Whether the engine takes the `platform` keyword (engines before it do not)."""
    try:
        return "platform" in inspect.signature(analyzer).parameters
    except (TypeError, ValueError):
        return False


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript's `text.length` counts it."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Map a code-point offset into `text` to its UTF-16 offset (each astral character before
    it takes two units)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
    if not astral:
        return int
    return lambda offset: offset + bisect_left(astral, offset)


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-connection limits. A token bucket: `burst` messages at once, then `rate` per second."""

    rate: float = 50.0
    burst: int = 50
    # From connect to the end of the handshake (hello, then proof).
    handshake_timeout: float = 5.0
    # Fields remembered for revision ordering; the least recently used idle one is forgotten.
    max_fields: int = 1024


@dataclass(frozen=True, slots=True)
class Job:
    """One engine call to make. Holds typed text: never log it, never keep it after answering."""

    field: str
    revision: int
    text: str = field(repr=False)
    surface: str
    allow: tuple[str, ...]
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    job: Job
    report: Report | None
    elapsed_us: int
    failure: BaseException | None = None


@dataclass(frozen=True, slots=True)
class Close:
    code: int
    reason: str


@dataclass(slots=True)
class Actions:
    """What the server must do, in this order: send `messages`, then `close`."""

    messages: list[ServerMessage] = field(default_factory=list)
    close: Close | None = None
    # The client just proved the token: the server admits it (sends `messages`, which hold the
    # welcome) or, with its limit of clients reached, closes 1013 instead.
    authenticated: bool = False
    # An unexpected exception met while handling the frame (log its type, never its message).
    failure: BaseException | None = None


class State(enum.Enum):
    AWAITING_HELLO = "awaiting hello"
    AWAITING_PROOF = "awaiting proof"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(slots=True)
class _FieldState:
    latest: int
    running: Job | None = None
    waiting: Job | None = None

    @property
    def idle(self) -> bool:
        return self.running is None and self.waiting is None


@dataclass(slots=True)
class Stats:
    """Counts for the connection's closing log line (counts only: no text, no field ids)."""

    answered: int = 0
    superseded: int = 0
    errors: int = 0
    rate_limited: int = 0


class Session:
    def __init__(
        self,
        token: str,
        *,
        port: int,
        now: float,
        limits: Limits = Limits(),
        analyzer: Analyzer = analyze,
        nonce: Callable[[], str] = new_nonce,
    ) -> None:
        """`token`: the pairing token (64 hex digits); `port`: the port the companion listens on
        (bound into both proofs); `now`: when the connection was accepted (the handshake deadline
        counts from there); `nonce`: makes the companion's nonce (random; tests pin it)."""
        self._token = token
        self._port = port
        self._new_nonce = nonce
        self._client_nonce = self._companion_nonce = ""
        self._limits = limits
        self._analyzer = analyzer
        self._engine_takes_platform = takes_platform(analyzer)
        self.state = State.AWAITING_HELLO
        self.handshake_deadline = now + limits.handshake_timeout
        self.client = ""
        self.stats = Stats()
        self._fields: OrderedDict[str, _FieldState] = OrderedDict()
        # Fields whose waiting job may start (none of theirs is running), oldest first.
        self._ready: deque[str] = deque()
        self._allowance = float(limits.burst)
        self._refilled_at = now

    # --- input ----------------------------------------------------------------------------

    def receive(self, frame: str | bytes, now: float) -> Actions:
        """Handle one WebSocket message (str for a text frame, bytes for a binary one). Never
        raises: a bug met on the way is an `internal` error (or, before hello, a 4401 close) that
        carries the exception in `Actions.failure` for the server to log."""
        try:
            return self._receive(frame, now)
        except Exception as exc:
            if self.authenticating:
                actions = self._close(CLOSE_UNAUTHORIZED, "the handshake failed")
            else:
                actions = self._error("internal", "the companion failed to handle this message")
            actions.failure = exc
            return actions

    def _receive(self, frame: str | bytes, now: float) -> Actions:
        if self.state is State.CLOSED:
            return Actions()
        if self.state is State.AWAITING_HELLO:
            return self._receive_hello(frame)
        if self.state is State.AWAITING_PROOF:
            return self._receive_proof(frame)
        try:
            message = self._decode(frame)
        except ProtocolError as exc:
            if not self._take_allowance(now):
                return self._rate_limited(None, None)
            return self._error(exc.code, exc.detail)
        if not self._take_allowance(now):
            if isinstance(message, Analyze):
                return self._rate_limited(message.field, message.revision)
            return self._rate_limited(None, None)
        match message:
            case Analyze():
                return self._receive_analyze(message)
            case Ping():
                return Actions(messages=[Pong()])
            case Hello() | Proof():
                return self._error("bad_message", HANDSHAKE_DONE)
        raise AssertionError(f"unhandled message type {type(message).__name__}")

    @property
    def authenticating(self) -> bool:
        """Still in the handshake (hello and proof not both received)."""
        return self.state in (State.AWAITING_HELLO, State.AWAITING_PROOF)

    def expire(self, now: float) -> Actions:
        """Call when `handshake_deadline` has passed: a handshake not done in time closes."""
        if self.authenticating and now >= self.handshake_deadline:
            return self._close(CLOSE_UNAUTHORIZED, "the handshake was not completed in time")
        return Actions()

    # --- engine ---------------------------------------------------------------------------

    @property
    def backlog(self) -> int:
        """Jobs waiting to start."""
        return len(self._ready)

    def next_job(self) -> Job | None:
        """The next job to run, now counted as running; None when nothing is waiting."""
        if not self._ready:
            return None
        state = self._fields[self._ready.popleft()]
        state.running, state.waiting = state.waiting, None
        return state.running

    def run(self, job: Job) -> Outcome:
        """Call the engine for `job`. Thread-safe: reads no session state."""
        started = time.perf_counter_ns()
        try:
            if self._engine_takes_platform:
                report = self._analyzer(job.text, surface=job.surface, allow=job.allow, platform=job.platform)
            else:
                report = self._analyzer(job.text, surface=job.surface, allow=job.allow)
        except Exception as exc:  # the engine's bug must not take the connection down
            return Outcome(job, None, (time.perf_counter_ns() - started) // 1000, exc)
        return Outcome(job, report, (time.perf_counter_ns() - started) // 1000)

    def finish(self, outcome: Outcome) -> Actions:
        """Turn an engine outcome into its answer; the field's waiting job, if any, may start."""
        job = outcome.job
        state = self._fields.get(job.field)
        actions = Actions()
        if state is not None and state.running is job:
            state.running = None
            if state.waiting is not None:
                self._ready.append(job.field)
        if self.state is State.CLOSED:
            return actions
        if outcome.report is None:
            self.stats.errors += 1
            actions.messages.append(Error(code="internal", detail="the detection engine failed on this text",
                                          field=job.field, revision=job.revision))
        else:
            self.stats.answered += 1
            actions.messages.append(_findings(job, outcome.report, outcome.elapsed_us))
        return actions

    def closed(self) -> None:
        """The socket is gone: answer nothing more, drop the waiting jobs (and their text)."""
        self.state = State.CLOSED
        self._fields.clear()
        self._ready.clear()

    # --- internals ------------------------------------------------------------------------

    def _receive_hello(self, frame: str | bytes) -> Actions:
        message = self._handshake_message(frame, Hello)
        if message is None:
            return self._close(CLOSE_UNAUTHORIZED, "the first message must be hello")
        if message.protocol != PROTOCOL_VERSION:
            actions = self._close(CLOSE_UNSUPPORTED_PROTOCOL, "unsupported protocol version")
            actions.messages.append(Error(
                code="unsupported_protocol",
                detail=f"this companion speaks protocol {PROTOCOL_VERSION}; update the "
                       f"{'companion' if message.protocol > PROTOCOL_VERSION else 'extension'}",
            ))
            return actions
        if not message.nonce:
            return self._close(CLOSE_UNAUTHORIZED, "hello carries no nonce")
        self.client = message.client
        self._client_nonce, self._companion_nonce = message.nonce, self._new_nonce()
        self.state = State.AWAITING_PROOF
        return Actions(messages=[Challenge(
            protocol=PROTOCOL_VERSION,
            companion=__version__,
            nonce=self._companion_nonce,
            proof=self._proof("companion"),
        )])

    def _receive_proof(self, frame: str | bytes) -> Actions:
        message = self._handshake_message(frame, Proof)
        if message is None:
            return self._close(CLOSE_UNAUTHORIZED, "the second message must be proof")
        if not proof_checks(self._proof("extension"), message.proof):
            return self._close(CLOSE_UNAUTHORIZED, "the proof does not match the pairing token")
        self.state = State.OPEN
        return Actions(messages=[Welcome(protocol=PROTOCOL_VERSION, companion=__version__)], authenticated=True)

    def _handshake_message(self, frame: str | bytes, expected: type):
        """The handshake message expected now, or None (anything else ends the connection)."""
        try:
            message = self._decode(frame)
        except ProtocolError:
            return None
        return message if isinstance(message, expected) else None

    def _proof(self, prover: Prover) -> str:
        return make_proof(self._token, prover, client_nonce=self._client_nonce,
                          companion_nonce=self._companion_nonce, port=self._port)

    def _receive_analyze(self, message: Analyze) -> Actions:
        length = utf16_length(message.text)
        if length > MAX_TEXT_UTF16:
            return self._error("text_too_long", f"text is over the limit of {MAX_TEXT_UTF16:,} UTF-16 code units",
                               message.field, message.revision)
        state = self._fields.get(message.field)
        if state is None:
            state = self._fields[message.field] = _FieldState(latest=message.revision)
            self._forget_idle_fields()
        elif message.revision < state.latest:
            return self._error("bad_message", STALE_REVISION)
        self._fields.move_to_end(message.field)
        state.latest = message.revision
        if state.waiting is not None:
            self.stats.superseded += 1
        elif state.running is None:
            self._ready.append(message.field)
        state.waiting = Job(message.field, message.revision, message.text, message.surface, message.allow,
                            message.platform)
        return Actions()

    def _forget_idle_fields(self) -> None:
        excess = len(self._fields) - self._limits.max_fields
        if excess <= 0:
            return
        for name in [name for name, state in self._fields.items() if state.idle][:excess]:
            del self._fields[name]

    def _take_allowance(self, now: float) -> bool:
        limits = self._limits
        elapsed = max(0.0, now - self._refilled_at)
        self._allowance = min(float(limits.burst), self._allowance + elapsed * limits.rate)
        self._refilled_at = now
        if self._allowance < 1.0:
            return False
        self._allowance -= 1.0
        return True

    def _decode(self, frame: str | bytes):
        if not isinstance(frame, str):
            raise ProtocolError("bad_message", BINARY_FRAME)
        return decode_client(frame)

    def _rate_limited(self, field_id: str | None, revision: int | None) -> Actions:
        self.stats.rate_limited += 1
        return self._error("rate_limited", f"more than {self._limits.rate:g} messages per second; "
                           "this one was dropped", field_id, revision)

    def _error(self, code: str, detail: str, field_id: str | None = None, revision: int | None = None) -> Actions:
        self.stats.errors += 1
        return Actions(messages=[Error(code=code, detail=detail, field=field_id, revision=revision)])

    def _close(self, code: int, reason: str) -> Actions:
        self.closed()
        return Actions(close=Close(code, reason))


def _findings(job: Job, report: Report, elapsed_us: int) -> Findings:
    to_utf16 = utf16_offsets(job.text) if report.findings else int
    return Findings(
        field=job.field,
        revision=job.revision,
        verdict=report.verdict,
        findings=tuple(
            Finding(
                kind=f.kind,
                severity=f.severity.label,
                start=to_utf16(f.start),
                end=to_utf16(f.end),
                rule=f.rule,
                channel=f.channel,
                reason=f.reason,
                suggestion=f.suggestion,
                mask=f.mask,
            )
            for f in report.findings
        ),
        elapsed_us=elapsed_us,
    )
