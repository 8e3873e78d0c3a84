"""The WebSocket companion: a thin I/O shell around session.Session.

Connection rules (docs/protocol.md, protocol version 2; docs/security.md says why):
- listens on a loopback address only (default ws://127.0.0.1:47821);
- refuses the HTTP handshake with 403 unless the Host header names this server (127.0.0.1:PORT or
  localhost:PORT, against DNS rebinding) and the Origin is the extension's own
  (chrome-extension://EXTENSION_ID, or a Chrome id or Firefox uuid listed in config.json);
- two pools. A connection is *waiting* from the moment TCP accepts it until its client has proved
  the pairing token (hello, challenge, proof, welcome; 5 s at most). At most `max_pending` wait at
  once, `max_pending_per_peer` from one address; a new connection beyond either evicts the waiting
  one (of that address, or of all) that has stood still the longest since its last step forward.
  A real client takes each step within milliseconds, so it is never that one: programs that
  connect and never prove anything only ever evict each other. A connection that has proved the
  token is a *client*: at most `max_clients` at once (one pairing token, so this is the limit per
  token), beyond which the new one is closed with 1013 instead of welcomed. Waiting connections
  never take a client's place;
- with few file descriptors fewer connections may wait; out of them (EMFILE/ENFILE) asyncio pauses
  accepting (0.1 s under `contact-guard serve`), the companion drops the oldest waiting connections
  to free descriptors, and logs one line when it starts and one when it is over;
- a reply that cannot be written within `send_timeout` (the client is not reading: the companion
  buffers at most `send_buffer` bytes for it, and asks the kernel for the same) drops the client;
- a plain HTTP GET of /health (no upgrade) is answered 200 at once, never logged: the extension
  probes it while the companion is away (a failed fetch is silent in the browser's console, a failed
  WebSocket is not); a web Origin gets 403 like the handshake;
- no compression, messages up to 128 KiB (larger ones close with 1009), small receive queue,
  WebSocket pings, no Server header;
- SIGHUP reloads config.json (extension ids, limits) for new connections, dropping nobody but the
  connections of an install no longer listed (`pair --forget`), closed with 1008.

Each client has a reader task (frames into the session) and a worker task (jobs out of it):
the reader takes in newer revisions while the worker is busy, so the session can replace a
field's waiting job instead of the server working through stale ones. Short texts are analyzed
inline on the event loop (the engine takes 1-2 ms per 1,000 characters); texts longer than
`offload_chars` go to a worker thread, at most `max_offloaded` per connection, so one long
analysis never stalls the other connections. With `max_backlog` jobs waiting, the reader stops
reading (TCP backpressure) instead of piling up work and memory.

Logs carry a per-connection id and never the typed text: websockets' own frame dumps are off (its
logger only passes warnings, a few per burst). What hostile clients cause (refused handshakes,
evictions, failed accepts) is logged as one line when a burst starts and one when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import functools
import ipaddress
import itertools
import logging
import os
import re
import signal
import socket
import sys
import traceback
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Final

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import MultipleValuesError
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from companion.config import Config, load_config, resolve_config_dir
from companion.engine import analyze
from companion.errors import ConfigError
from companion.pairing import TokenCache, ensure_token
from companion.protocol import MAX_FRAME_BYTES, encode
from companion.runtime_state import published
from companion.session import CLOSE_UNAUTHORIZED, Actions, Analyzer, Job, Limits, Outcome, Session, State

DEFAULT_PORT: Final = 47821
EXTENSION_ID: Final = "pjodcephcifkhgojdnnjbfknidmnglpj"
HEALTH_PATH: Final = "/health"
CLOSE_TRY_AGAIN_LATER: Final = 1013
CLOSE_NO_LONGER_ALLOWED: Final = 1008  # policy: the config reloaded without this install's origin
# A waiting connection still open this long after its handshake deadline is aborted (a client that
# got its 4401 but does not finish the closing handshake).
_DEADLINE_GRACE: Final = 0.5
_OUT_OF_DESCRIPTORS: Final = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
# Descriptors kept free besides one per paired client (token reads, logs, the engine's data files).
_SPARE_DESCRIPTORS: Final = 8
# The listen backlog, which is also how many connections asyncio accepts in one go (at most; fewer
# when descriptors are scarce, see _descriptor_budget).
_MAX_BACKLOG: Final = 128
# Settings that config.json "limits" may set (the rest of companion.config.LIMITS go to Limits).
_ACCEPT_RETRY_DELAY: Final = 0.1
_SERVER_LIMITS: Final = ("max_clients", "max_pending", "max_pending_per_peer", "send_timeout")

logger = logging.getLogger("companion.server")
# websockets logs every frame, payload included, at DEBUG, and every connection at INFO: let only
# its warnings and errors through, and at most a few of them per burst (see _BurstFilter).
_protocol_logger = logging.getLogger("companion.server.websockets")
_protocol_logger.setLevel(logging.WARNING)

_FIREFOX_ORIGIN: Final = re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Settings:
    config: Config
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    # Paired clients at once; all share the one pairing token, so this is the limit per token.
    max_clients: int = 8
    # Connections still in the handshake: all together, and from one peer address.
    max_pending: int = 64
    max_pending_per_peer: int = 48
    limits: Limits = Limits()
    # A reply not written within send_timeout (the client does not read) drops the client; the
    # companion buffers at most send_buffer bytes per connection and asks the kernel for as much.
    send_timeout: float = 10.0
    send_buffer: int = 64 * 1024
    # Above this many code points the engine runs in a worker thread (see scripts/bench-server).
    offload_chars: int = 2_000
    max_offloaded: int = 2
    max_backlog: int = 32
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    max_queue: int = 8
    # Names set on the command line: config.json's "limits" do not override them.
    pinned: frozenset[str] = frozenset()

    def configured(self, config: Config) -> Settings:
        """These settings with config.json's limits applied (except the pinned ones)."""
        values = {name: value for name, value in config.limits.items() if name not in self.pinned}
        server = {name: values.pop(name) for name in _SERVER_LIMITS if name in values}
        return dataclasses.replace(self, config=config, limits=dataclasses.replace(self.limits, **values), **server)


def trusted_origin(origin: str | None, extra_extension_ids: tuple[str, ...] = ()) -> bool:
    """The extension's own origins only: never a web page, another extension or no Origin. Chrome:
    the published id or a configured one. Firefox gives each install a random uuid, so only the
    installs whose uuid is configured (`contact-guard pair --allow-firefox`): any other Firefox
    extension is refused here, before it can take a place in the waiting pool."""
    if origin is None:
        return False
    if _FIREFOX_ORIGIN.fullmatch(origin):
        return origin.partition("://")[2].lower() in extra_extension_ids
    scheme, _, extension_id = origin.partition("://")
    return scheme == "chrome-extension" and extension_id in (EXTENSION_ID, *extra_extension_ids)


def _loopback_host(host: str) -> str | None:
    """The address to bind for --host, or None when it is not a loopback address."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        return host if ipaddress.ip_address(host).is_loopback else None
    except ValueError:
        return None


class _ConnectionLog(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return f"conn {self.extra['conn']}: {msg}", kwargs


class _BurstLog:
    """One line when a kind of event starts happening, one when it has stopped for `quiet`
    seconds (with the count): an attack costs the log two lines per burst, not one per event."""

    def __init__(self, level: int, started: str, ended: str, *, quiet: float = 10.0,
                 on_end: Callable[[], None] | None = None) -> None:
        self._level, self._started, self._ended, self._quiet = level, started, ended, quiet
        self._on_end = on_end
        self._count = 0
        self._first = self._last = 0.0
        self._timer: asyncio.TimerHandle | None = None

    @property
    def active(self) -> bool:
        """A burst is under way."""
        return self._count > 0

    def note(self, *args: object) -> None:
        """One event; `args` fill the start line's %-placeholders (the first event's only)."""
        loop = asyncio.get_running_loop()
        self._last = loop.time()
        self._count += 1
        if self._count == 1:
            self._first = self._last
            logger.log(self._level, self._started, *args)
            self._timer = loop.call_later(self._quiet, self._check)

    def end(self) -> None:
        """The burst is over now (e.g. accepting works again): log its summary."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._count > 1:
            logger.log(self._level, self._ended, self._count, self._last - self._first)
        if self._count and self._on_end is not None:
            self._on_end()
        self._count = 0

    def _check(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() - self._last >= self._quiet:
            self._timer = None
            self.end()
        else:
            self._timer = loop.call_at(self._last + self._quiet, self._check)


class _BurstFilter(logging.Filter):
    """Lets `per_burst` records through, then one note, then nothing until `quiet` seconds pass
    without a record (for websockets' own logger, whose errors come with tracebacks)."""

    def __init__(self, per_burst: int = 3, quiet: float = 10.0) -> None:
        super().__init__()
        self._per_burst, self._quiet = per_burst, quiet
        self._count = 0
        self._last = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.created - self._last >= self._quiet:
            self._count = 0
        self._last = record.created
        self._count += 1
        if self._count == self._per_burst + 1:
            record.msg, record.args, record.exc_info, record.exc_text = (
                "more websockets messages like these are not logged until they stop for a while", None, None, None)
        return self._count <= self._per_burst + 1


_protocol_logger.addFilter(_BurstFilter())


class _Waiting:
    """Connections that have not proved the pairing token yet, counted per peer, in the order of
    their last step forward (accepted, sent the HTTP upgrade, said hello): the first one has stood
    still the longest. A real client takes each step within milliseconds of the last, so it is
    never first; a program that never proves anything is, soon."""

    def __init__(self) -> None:
        self._peers: dict[_Accepted, str] = {}  # insertion order is the order of last progress
        self._per_peer: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._peers)

    def __contains__(self, connection: object) -> bool:
        return connection in self._peers

    def add(self, connection: _Accepted, peer: str) -> None:
        self._peers[connection] = peer
        self._per_peer[peer] += 1

    def progressed(self, connection: _Accepted) -> None:
        if connection in self._peers:
            self._peers[connection] = self._peers.pop(connection)  # to the end: it moved just now

    def discard(self, connection: _Accepted) -> None:
        peer = self._peers.pop(connection, None)
        if peer is not None:
            self._per_peer[peer] -= 1
            if not self._per_peer[peer]:
                del self._per_peer[peer]

    def count(self, peer: str) -> int:
        return self._per_peer[peer]

    def oldest(self, peer: str | None = None) -> _Accepted | None:
        return next((c for c, p in self._peers.items() if peer is None or p == peer), None)


class _Accepted(ServerConnection):
    """A ServerConnection that joins the companion's waiting pool the moment TCP accepts it."""

    def __init__(self, *args, companion: Companion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.companion = companion
        self.accepted_at = self.loop.time()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.companion._accepted(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.companion._waiting.discard(self)
        super().connection_lost(exc)


class _SlowReader(Exception):
    """A reply could not be written in time: the client has stopped reading."""


@dataclass(eq=False)
class _Connection:
    """One WebSocket past the HTTP handshake, and its session."""

    websocket: _Accepted
    session: Session
    log: _ConnectionLog
    offloaded: set[asyncio.Task] = field(default_factory=set)
    # Set when the session may have a job to start / when the worker made progress.
    work: asyncio.Event = field(default_factory=asyncio.Event)
    progress: asyncio.Event = field(default_factory=asyncio.Event)


class Companion:
    """The running server: `async with Companion(settings) as companion: ... companion.port`."""

    def __init__(self, settings: Settings, *, analyzer: Analyzer = analyze) -> None:
        self._base = settings
        self.settings = settings.configured(settings.config)
        self._analyzer = analyzer
        self._ids = itertools.count(1)
        self._connections: set[_Connection] = set()
        self._closing: set[asyncio.Task] = set()  # closes started by a reload (kept until done)
        self._clients: set[_Connection] = set()
        self._waiting = _Waiting()
        self._tokens = TokenCache(settings.config.directory)
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="contact-guard-engine")
        self._server: Server | None = None
        self._allowed_hosts: frozenset[str] = frozenset()
        self._previous_exception_handler = None
        self._refused = _BurstLog(logging.INFO, "refused a handshake: %s (more refusals are counted, not logged)",
                                  "refused %d handshakes in %.0f s")
        self._evicted = _BurstLog(
            logging.WARNING, "connections that have not proved the pairing token fill their pool (%s): dropping "
            "the oldest (more are counted, not logged)", "dropped %d connections that had not proved the token in %.0f s")
        self._accept_failures = _BurstLog(
            logging.WARNING, "out of file descriptors (%s): accepting paused a moment; fewer connections may wait "
            "for the handshake until it passes (more failures are counted, not logged)",
            "file descriptors are back: %d accepts had failed over %.0f s", on_end=self._restore_room)
        # How many connections may wait for the handshake now: max_pending, or fewer when the
        # process has fewer file descriptors (measured at start, cut on EMFILE).
        self._room = self.settings.max_pending
        self._backlog = _MAX_BACKLOG
        self._shedding = False
        self._no_token = _BurstLog(logging.WARNING, "refusing connections: %s", "refused %d connections in %.0f s")

    @property
    def port(self) -> int:
        assert self._server is not None, "the companion is not started"
        return self._server.sockets[0].getsockname()[1]

    @property
    def offloaded_analyses(self) -> int:
        """Long analyses in (or waiting for) a worker thread, over all connections."""
        return sum(len(connection.offloaded) for connection in self._connections)

    def authenticated_clients(self) -> int:
        """Connections that proved the pairing token (published for `contact-guard status`)."""
        return len(self._clients)

    @property
    def waiting(self) -> int:
        """Connections that have not (yet) proved it."""
        return len(self._waiting)

    @property
    def url(self) -> str:
        host = self.settings.host
        return f"ws://{f'[{host}]' if ':' in host else host}:{self.port}"

    async def __aenter__(self) -> Companion:
        await self.start()
        return self

    async def start(self) -> None:
        """Bind and listen; raises OSError when the port cannot be used."""
        s = self.settings
        loop = asyncio.get_running_loop()
        self._backlog = min(_MAX_BACKLOG, self._descriptor_budget())
        self._server = await serve(
            self._handle,
            s.host,
            s.port,
            process_request=self._check_request,
            create_connection=functools.partial(_Accepted, companion=self),
            compression=None,
            max_size=MAX_FRAME_BYTES,
            max_queue=s.max_queue,
            write_limit=s.send_buffer,
            ping_interval=s.ping_interval,
            ping_timeout=s.ping_timeout,
            # The handshake deadline is enforced from accept (see _accepted); this is a backstop.
            open_timeout=s.limits.handshake_timeout + 2 * _DEADLINE_GRACE,
            close_timeout=2,
            backlog=self._backlog,
            server_header=None,
            logger=_protocol_logger,
        )
        self._previous_exception_handler = loop.get_exception_handler()
        loop.set_exception_handler(self._loop_exception)
        self._restore_room()
        if self._room < s.max_pending:
            logger.warning("only %d more file descriptors: at most %d connections may wait for the handshake "
                           "(max_pending is %d)", _spare_descriptors(), self._room, s.max_pending)
        host = f"[{s.host}]" if ":" in s.host else s.host
        self._allowed_hosts = frozenset(f"{h}:{self.port}" for h in ("127.0.0.1", "localhost", host))

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop listening, close every connection (1001), drop unanswered long analyses."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            asyncio.get_running_loop().set_exception_handler(self._previous_exception_handler)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for burst in (self._refused, self._evicted, self._accept_failures, self._no_token):
            burst.end()

    def reload(self) -> bool:
        """Read config.json again (SIGHUP): new extension ids and limits apply to new connections;
        nobody is dropped but the connections of an install the file no longer lists (`pair
        --forget`: closed with 1008). A broken file is logged and the running config kept."""
        try:
            config = load_config(self._base.config.directory)
        except ConfigError as exc:
            logger.error("config not reloaded, keeping the running one: %s", exc)
            return False
        self.settings = self._base.configured(config)
        if not self._accept_failures.active:
            self._restore_room()
        forgotten = [c for c in self._connections
                     if not trusted_origin(c.websocket.request.headers.get("Origin"), config.extra_extension_ids)]
        for connection in forgotten:
            task = asyncio.get_running_loop().create_task(
                connection.websocket.close(CLOSE_NO_LONGER_ALLOWED, "this browser install is no longer allowed"))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        s = self.settings
        logger.info("config reloaded: %d extra extension ids; at most %d clients, %d waiting (%d per peer); "
                    "%g messages/s after a burst of %d; %d connections of installs no longer allowed closed",
                    len(config.extra_extension_ids), s.max_clients, s.max_pending, s.max_pending_per_peer,
                    s.limits.rate, s.limits.burst, len(forgotten))
        return True

    # --- accepting: the waiting pool ------------------------------------------------------

    def _accepted(self, connection: _Accepted) -> None:
        """TCP accepted `connection`: it waits for its handshake. When a pool is full, the waiting
        connection of its peer (or of all) that stood still longest makes room."""
        s = self.settings
        transport = connection.transport
        with _ignore_socket_errors():
            transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, s.send_buffer)
        peername = transport.get_extra_info("peername")
        peer = str(peername[0]) if peername else "?"
        room = min(s.max_pending, self._room)
        while self._waiting.count(peer) >= min(s.max_pending_per_peer, room):
            self._evict(self._waiting.oldest(peer), f"{min(s.max_pending_per_peer, room)} from one address")
        while len(self._waiting) >= room:
            self._evict(self._waiting.oldest(), f"{room} in all")
        self._waiting.add(connection, peer)
        deadline = connection.accepted_at + s.limits.handshake_timeout + _DEADLINE_GRACE
        connection.loop.call_at(deadline, self._expire, connection)

    def _restore_room(self) -> None:
        """As many waiting connections as max_pending allows and spare descriptors leave room for."""
        self._room = min(self.settings.max_pending, self._descriptor_budget())

    def _descriptor_budget(self) -> int:
        """Descriptors for waiting connections (and as many again for one go of accepts: a
        connection evicted to make room frees its descriptor only after the go), after keeping
        one per paired client and a few for the companion itself."""
        spare = _spare_descriptors()
        if spare is None:
            return _MAX_BACKLOG
        return max(1, (spare - self.settings.max_clients - _SPARE_DESCRIPTORS) // 2)

    def _evict(self, connection: _Accepted | None, why: str) -> None:
        if connection is None:
            return
        self._waiting.discard(connection)
        self._evicted.note(why)
        connection.transport.abort()

    def _expire(self, connection: _Accepted) -> None:
        if connection in self._waiting:
            self._waiting.discard(connection)
            connection.transport.abort()

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in _OUT_OF_DESCRIPTORS and "accept" in context.get("message", ""):
            self._accept_failures.note(errno.errorcode.get(exc.errno, exc.errno))
            if not self._shedding:  # asyncio tries up to `backlog` accepts in one go: once per go
                self._shedding = True
                loop.call_soon(setattr, self, "_shedding", False)
                # Until the burst is over half as many may wait as before, so a new connection
                # evicts a waiting one instead of failing to be accepted, and the accepts asyncio
                # retries in a second find the descriptors freed for them.
                self._room = max(1, min(self._room, len(self._waiting)) // 2)
                while len(self._waiting) > self._room:
                    self._evict(self._waiting.oldest(), "out of file descriptors")
            return
        if self._previous_exception_handler is not None:
            self._previous_exception_handler(loop, context)
        else:
            loop.default_exception_handler(context)

    # --- handshake ------------------------------------------------------------------------

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        try:
            host = request.headers.get("Host")
            origin = request.headers.get("Origin")
        except MultipleValuesError:
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "duplicate Host or Origin header")
        if host is None or host.lower() not in self._allowed_hosts:
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "Host is not this companion")
        path, _, query = request.path.partition("?")
        if path == HEALTH_PATH and "Upgrade" not in request.headers:
            return self._health(connection, origin, urllib.parse.parse_qs(query).get("origin", [None])[0])
        if not trusted_origin(origin, self.settings.config.extra_extension_ids):
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "Origin is not the Contact Guard extension")
        self._waiting.progressed(connection)
        return None

    def _health(self, connection: ServerConnection, origin: str | None, named: str | None) -> Response:
        """The extension's reconnect probe: 200 for its own origin (readable across origins) or no
        Origin (a local tool); 403 for a web page or another extension (readable by an extension).
        The probe also names its origin in the query (`named`): a browser may send it without an
        Origin header, and it tells whether the WebSocket would be refused. It grants nothing: a
        page's own Origin header still decides. Not logged: it comes every second while typing."""
        claimed = origin if origin is not None else named
        if claimed is not None and not trusted_origin(claimed, self.settings.config.extra_extension_ids):
            response = connection.respond(HTTPStatus.FORBIDDEN, "Origin is not the Contact Guard extension\n")
            if origin is not None and origin.startswith(("moz-extension://", "chrome-extension://")):
                # Readable by an extension (a web page still sees only a failed fetch), so a Firefox
                # install the companion was not told about can say so instead of "not running".
                response.headers["Access-Control-Allow-Origin"] = origin
            return response
        response = connection.respond(HTTPStatus.OK, "contact-guard\n")
        response.headers["Cache-Control"] = "no-store"
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
        return response

    def _refuse(self, connection: ServerConnection, status: HTTPStatus, why: str) -> Response:
        self._refused.note(why)
        return connection.respond(status, why + "\n")

    # --- connection -----------------------------------------------------------------------

    async def _handle(self, websocket: _Accepted) -> None:
        log = _ConnectionLog(logger, {"conn": next(self._ids)})
        try:
            token = self._tokens.current()
        except ConfigError as exc:
            self._no_token.note(exc)
            token = None
        session = Session(token or "", port=self.port, now=websocket.accepted_at, limits=self.settings.limits,
                          analyzer=self._analyzer)
        connection = _Connection(websocket, session, log)
        self._connections.add(connection)
        log.debug("open from %s (origin %s)", websocket.remote_address, websocket.request.headers.get("Origin"))
        worker = asyncio.create_task(self._work(connection))
        try:
            if token is None:
                self._no_token.note("the companion has no pairing token; run `contact-guard pair`")
                await websocket.close(CLOSE_UNAUTHORIZED, "the companion has no pairing token; run `contact-guard pair`")
            else:
                await self._read(connection)
        except (ConnectionClosed, _SlowReader):
            pass
        except Exception as exc:
            _log_failure(log, "internal error", exc)
            await websocket.close(1011, "internal error")
        finally:
            session.closed()
            for task in (worker, *connection.offloaded):
                task.cancel()
            self._connections.discard(connection)
            if connection in self._clients:
                self._clients.discard(connection)
                stats = session.stats
                log.info("closed (code %s): %d answered, %d superseded, %d errors, %d rate-limited",
                         websocket.close_code, stats.answered, stats.superseded, stats.errors, stats.rate_limited)
            else:
                log.debug("closed (code %s) before proving the pairing token", websocket.close_code)

    async def _read(self, connection: _Connection) -> None:
        """Frames into the session until it closes; pauses while the backlog is full."""
        websocket, session = connection.websocket, connection.session
        loop = asyncio.get_running_loop()
        while session.state is not State.CLOSED:
            try:
                deadline = session.handshake_deadline if session.authenticating else None
                async with asyncio.timeout_at(deadline):
                    frame = await websocket.recv()
            except TimeoutError:
                actions = session.expire(loop.time())
            else:
                if session.authenticating:
                    self._waiting.progressed(websocket)  # a hello (anything else ends the handshake)
                actions = session.receive(frame, loop.time())
            await self._perform(connection, actions)
            connection.work.set()
            while session.backlog >= self.settings.max_backlog:
                connection.progress.clear()
                await connection.progress.wait()

    def _admit(self, connection: _Connection) -> bool:
        """The client proved the token: it leaves the waiting pool, and is a client if there is room."""
        self._waiting.discard(connection.websocket)
        if len(self._clients) >= self.settings.max_clients:
            connection.log.info("refused: already %d paired clients (the limit)", len(self._clients))
            return False
        self._clients.add(connection)
        connection.log.info("paired client %.64r connected (origin %s)", connection.session.client,
                            connection.websocket.request.headers.get("Origin"))
        return True

    async def _work(self, connection: _Connection) -> None:
        """Jobs out of the session, one at a time (long ones handed to threads) until cancelled."""
        session = connection.session
        try:
            while True:
                while len(connection.offloaded) >= self.settings.max_offloaded:
                    await asyncio.wait(connection.offloaded, return_when=asyncio.FIRST_COMPLETED)
                job = session.next_job()
                if job is None:
                    connection.work.clear()
                    await connection.work.wait()
                    continue
                if len(job.text) <= self.settings.offload_chars:
                    await self._finish(connection, session.run(job))
                else:
                    task = asyncio.create_task(self._run_offloaded(connection, job))
                    connection.offloaded.add(task)
                    task.add_done_callback(connection.offloaded.discard)
                connection.progress.set()
                await asyncio.sleep(0)  # let the reader take in newer revisions first
        except (ConnectionClosed, _SlowReader):
            pass  # the client left or was dropped: the reader sees it too and ends the connection
        except Exception as exc:
            _log_failure(connection.log, "internal error", exc)
            await connection.websocket.close(1011, "internal error")

    async def _perform(self, connection: _Connection, actions: Actions) -> None:
        websocket = connection.websocket
        if actions.failure is not None:
            _log_failure(connection.log, "internal error while handling a message", actions.failure)
        if actions.authenticated and not self._admit(connection):
            await websocket.close(CLOSE_TRY_AGAIN_LATER, "the companion has its limit of paired clients")
            return
        for message in actions.messages:
            await self._send(connection, encode(message))
        if actions.close is not None:
            connection.log.debug("closing: %s", actions.close.reason)
            await websocket.close(actions.close.code, actions.close.reason)

    async def _send(self, connection: _Connection, frame: bytes) -> None:
        """Send, or drop a client that has not read its earlier replies for `send_timeout` s."""
        try:
            async with asyncio.timeout(self.settings.send_timeout):
                await connection.websocket.send(frame, text=True)
        except TimeoutError:
            connection.log.info("dropped: replies unread for %g s", self.settings.send_timeout)
            connection.websocket.transport.abort()
            raise _SlowReader from None

    async def _run_offloaded(self, connection: _Connection, job: Job) -> None:
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self._pool, connection.session.run, job)
            await self._finish(connection, outcome)
        except (ConnectionClosed, _SlowReader):
            pass  # the client left mid-request (or was dropped): its answer is dropped
        except Exception as exc:
            _log_failure(connection.log, "internal error", exc)

    async def _finish(self, connection: _Connection, outcome: Outcome) -> None:
        if outcome.failure is not None:
            _log_failure(connection.log, "the engine failed", outcome.failure)
        else:
            connection.log.debug("analyzed field %r revision %d (%d chars, %s): %s, %d findings, %d us",
                                 outcome.job.field, outcome.job.revision, len(outcome.job.text),
                                 outcome.job.surface, outcome.report.verdict, len(outcome.report.findings),
                                 outcome.elapsed_us)
        await self._perform(connection, connection.session.finish(outcome))
        connection.work.set()  # the field's waiting job may start now


def _log_failure(log: logging.LoggerAdapter, what: str, exc: BaseException) -> None:
    """Type and stack only: an exception's message may quote the typed text."""
    log.error("%s: %s (message withheld)\n%s", what, type(exc).__name__,
              "".join(traceback.format_tb(exc.__traceback__)).rstrip())



def _spare_descriptors() -> int | None:
    """File descriptors this process may still open (None where that cannot be known)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        in_use = len(os.listdir("/proc/self/fd"))
    except (ImportError, OSError, ValueError):
        return None
    return None if soft == resource.RLIM_INFINITY else soft - in_use


@contextlib.contextmanager
def _ignore_socket_errors():
    try:
        yield
    except (OSError, AttributeError):  # a socket already gone, or a transport without one
        pass


# --- contact-guard serve ----------------------------------------------------------------------


def run_serve(args) -> int:
    """`contact-guard serve [--port P] [--host H] [--config-dir D] [-v]`."""
    host = _loopback_host(args.host)
    port = DEFAULT_PORT if args.port is None else args.port
    if host is None:
        print(f"contact-guard serve: error: --host {args.host!r} is not a loopback address; the companion "
              "only listens on this machine (use 127.0.0.1)", file=sys.stderr)
        return 2
    if not 0 <= port <= 65535:
        print(f"contact-guard serve: error: --port {port} is not a TCP port (0-65535)", file=sys.stderr)
        return 2
    if args.max_clients is not None and args.max_clients < 1:
        print("contact-guard serve: error: --max-clients must be at least 1", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        directory = resolve_config_dir(args.config_dir)
        config = load_config(directory)
        _, created = ensure_token(directory)
    except ConfigError as exc:
        print(f"contact-guard: {exc}", file=sys.stderr)
        return 1
    token_note = "created; run `contact-guard pair` to show it" if created else "present"
    settings = Settings(config=config, host=host, port=port)
    if args.max_clients is not None:  # the flag wins over config.json, also after a reload
        settings = dataclasses.replace(settings, max_clients=args.max_clients, pinned=frozenset({"max_clients"}))
    # A long text analyzed in a worker thread holds the GIL; hand it back to the event loop every
    # millisecond (default 5 ms) so short requests on other connections stay fast.
    sys.setswitchinterval(0.001)
    # Out of descriptors, asyncio stops accepting for ACCEPT_RETRY_DELAY (1 s). The companion frees
    # descriptors at once (it evicts waiting connections), so it tries again sooner: otherwise a
    # flood queued in the kernel drains at one batch a second, and the extension waits behind it.
    # (The process's own event loop only: this is a module setting, not set for embedders.)
    asyncio.constants.ACCEPT_RETRY_DELAY = _ACCEPT_RETRY_DELAY
    try:
        return asyncio.run(_serve_until_stopped(settings, token_note))
    except KeyboardInterrupt:  # platforms without loop signal handlers
        return 0


async def _serve_until_stopped(settings: Settings, token_note: str) -> int:
    companion = Companion(settings)
    try:
        await companion.start()
    except OSError as exc:
        await companion.close()
        where = f"{settings.host}:{settings.port}"
        if exc.errno == errno.EADDRINUSE:
            print(f"contact-guard: cannot listen on {where}: the port is already in use "
                  "(is another companion running? pick another with --port)", file=sys.stderr)
        else:
            print(f"contact-guard: cannot listen on {where}: {exc.strerror}", file=sys.stderr)
        return 1
    stop = asyncio.Event()
    _on_signals(stop=stop.set, reload=companion.reload)
    try:
        async with published(settings.config.directory, settings.host, companion.port, companion.authenticated_clients):
            print(f"contact-guard: listening on {companion.url} (pairing token: {token_note})", flush=True)
            await stop.wait()
    finally:
        logger.info("stopping")
        await companion.close()
    return 0


def _on_signals(*, stop: Callable[[], None], reload: Callable[[], object]) -> None:
    """SIGINT/SIGTERM stop (connections closed with 1001, exit 0); SIGHUP reloads config.json."""
    loop = asyncio.get_running_loop()
    handlers = [(signal.SIGINT, stop), (signal.SIGTERM, stop)]
    if hasattr(signal, "SIGHUP"):
        handlers.append((signal.SIGHUP, reload))
    for signum, callback in handlers:
        try:
            loop.add_signal_handler(signum, callback)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
            pass
