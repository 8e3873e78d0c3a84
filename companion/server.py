"""The WebSocket companion: a thin I/O shell around session.Session.

Connection rules (DESIGN.md, protocol version 1):
- listens on a loopback address only (default ws://127.0.0.1:47821);
- refuses the handshake with HTTP 403 unless the Host header names this server
  (127.0.0.1:PORT or localhost:PORT, against DNS rebinding) and the Origin is the extension's own
  (chrome-extension://EXTENSION_ID, any moz-extension:// origin, or an id from config.json);
  web pages, loopback pages, other extensions and a missing Origin are refused;
- at most `max_connections` at once (HTTP 503 beyond);
- a plain HTTP GET of /health (no upgrade) is answered 200 at once, never logged: the extension
  probes it while the companion is away (a failed fetch is silent in the browser's console, a failed
  WebSocket is not); a web Origin gets 403 like the handshake;
- no compression, messages up to 128 KiB (larger ones close with 1009), small receive queue,
  WebSocket pings, no Server header.

Each connection has a reader task (frames into the session) and a worker task (jobs out of it):
the reader takes in newer revisions while the worker is busy, so the session can replace a
field's waiting job instead of the server working through stale ones. Short texts are analyzed
inline on the event loop (the engine takes 1-2 ms per 1,000 characters); texts longer than
`offload_chars` go to a worker thread, at most `max_offloaded` per connection, so one long
analysis never stalls the other connections. With `max_backlog` jobs waiting, the reader stops
reading (TCP backpressure) instead of piling up work and memory.

Logs carry a per-connection id and never the typed text: websockets' own frame dumps are off
(its logger is pinned above DEBUG).
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import itertools
import logging
import re
import signal
import sys
import traceback
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
from companion.pairing import ensure_token, read_token
from companion.protocol import MAX_FRAME_BYTES, encode
from companion.runtime_state import published
from companion.session import CLOSE_UNAUTHORIZED, Actions, Analyzer, Job, Limits, Outcome, Session, State

DEFAULT_PORT: Final = 47821
EXTENSION_ID: Final = "pjodcephcifkhgojdnnjbfknidmnglpj"
HEALTH_PATH: Final = "/health"
CLOSE_TRY_AGAIN_LATER: Final = 1013

logger = logging.getLogger("companion.server")
# websockets logs every frame, payload included, at DEBUG: pin its logger above that.
_protocol_logger = logging.getLogger("companion.server.websockets")
_protocol_logger.setLevel(logging.INFO)

_FIREFOX_ORIGIN: Final = re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Settings:
    config: Config
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    max_connections: int = 8
    limits: Limits = Limits()
    # Above this many code points the engine runs in a worker thread (see scripts/bench-server).
    offload_chars: int = 2_000
    max_offloaded: int = 2
    max_backlog: int = 32
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    max_queue: int = 8


def trusted_origin(origin: str | None, extra_extension_ids: tuple[str, ...] = ()) -> bool:
    """The extension's own origins only: never a web page, another extension or no Origin."""
    if origin is None:
        return False
    if _FIREFOX_ORIGIN.fullmatch(origin):
        return True
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


@dataclass(eq=False)
class _Connection:
    """One accepted WebSocket and its session."""

    websocket: ServerConnection
    session: Session
    log: _ConnectionLog
    offloaded: set[asyncio.Task] = field(default_factory=set)
    # Set when the session may have a job to start / when the worker made progress.
    work: asyncio.Event = field(default_factory=asyncio.Event)
    progress: asyncio.Event = field(default_factory=asyncio.Event)


class Companion:
    """The running server: `async with Companion(settings) as companion: ... companion.port`."""

    def __init__(self, settings: Settings, *, analyzer: Analyzer = analyze) -> None:
        self.settings = settings
        self._analyzer = analyzer
        self._ids = itertools.count(1)
        self._connections: set[_Connection] = set()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="contact-guard-engine")
        self._server: Server | None = None
        self._allowed_hosts: frozenset[str] = frozenset()

    @property
    def port(self) -> int:
        assert self._server is not None, "the companion is not started"
        return self._server.sockets[0].getsockname()[1]

    @property
    def offloaded_analyses(self) -> int:
        """Long analyses in (or waiting for) a worker thread, over all connections."""
        return sum(len(connection.offloaded) for connection in self._connections)

    def authenticated_clients(self) -> int:
        """Connections past hello (published for `contact-guard status`)."""
        return sum(1 for connection in self._connections if connection.session.state is State.OPEN)

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
        self._server = await serve(
            self._handle,
            s.host,
            s.port,
            process_request=self._check_request,
            compression=None,
            max_size=MAX_FRAME_BYTES,
            max_queue=s.max_queue,
            ping_interval=s.ping_interval,
            ping_timeout=s.ping_timeout,
            server_header=None,
            logger=_protocol_logger,
        )
        host = f"[{s.host}]" if ":" in s.host else s.host
        self._allowed_hosts = frozenset(f"{h}:{self.port}" for h in ("127.0.0.1", "localhost", host))

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop listening, close every connection (1001), drop unanswered long analyses."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- handshake ------------------------------------------------------------------------

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        try:
            host = request.headers.get("Host")
            origin = request.headers.get("Origin")
        except MultipleValuesError:
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "duplicate Host or Origin header")
        if host is None or host.lower() not in self._allowed_hosts:
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "Host is not this companion")
        if request.path.partition("?")[0] == HEALTH_PATH and "Upgrade" not in request.headers:
            return self._health(connection, origin)
        if not trusted_origin(origin, self.settings.config.extra_extension_ids):
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "Origin is not the Contact Guard extension")
        if len(self._connections) >= self.settings.max_connections:
            return self._refuse(connection, HTTPStatus.SERVICE_UNAVAILABLE, "too many connections")
        return None

    def _health(self, connection: ServerConnection, origin: str | None) -> Response:
        """The extension's reconnect probe: 200 for its own origin (readable across origins) or no
        Origin (a local tool); 403 for a web page. Not logged: it comes every second while typing."""
        if origin is not None and not trusted_origin(origin, self.settings.config.extra_extension_ids):
            return connection.respond(HTTPStatus.FORBIDDEN, "Origin is not the Contact Guard extension\n")
        response = connection.respond(HTTPStatus.OK, "contact-guard\n")
        response.headers["Cache-Control"] = "no-store"
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
        return response

    @staticmethod
    def _refuse(connection: ServerConnection, status: HTTPStatus, why: str) -> Response:
        logger.info("refused a connection from %s: %s", connection.remote_address, why)
        return connection.respond(status, why + "\n")

    # --- connection -----------------------------------------------------------------------

    async def _handle(self, websocket: ServerConnection) -> None:
        loop = asyncio.get_running_loop()
        log = _ConnectionLog(logger, {"conn": next(self._ids)})
        if len(self._connections) >= self.settings.max_connections:
            log.info("closed: too many connections")
            await websocket.close(CLOSE_TRY_AGAIN_LATER, "too many connections")
            return
        try:
            token = read_token(self.settings.config.directory)
        except ConfigError as exc:
            log.error("%s", exc)
            token = None
        session = Session(token or "", port=self.port, now=loop.time(), limits=self.settings.limits,
                          analyzer=self._analyzer)
        connection = _Connection(websocket, session, log)
        self._connections.add(connection)
        log.info("open from %s (origin %s)", websocket.remote_address, websocket.request.headers.get("Origin"))
        worker = asyncio.create_task(self._work(connection))
        try:
            if token is None:
                await websocket.close(CLOSE_UNAUTHORIZED, "the companion has no pairing token; run `contact-guard pair`")
            else:
                await self._read(connection)
        except ConnectionClosed:
            pass
        except Exception as exc:
            _log_failure(log, "internal error", exc)
            await websocket.close(1011, "internal error")
        finally:
            session.closed()
            for task in (worker, *connection.offloaded):
                task.cancel()
            self._connections.discard(connection)
            stats = session.stats
            log.info("closed (code %s): %d answered, %d superseded, %d errors, %d rate-limited",
                     websocket.close_code, stats.answered, stats.superseded, stats.errors, stats.rate_limited)

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
                actions = session.receive(frame, loop.time())
            await self._perform(connection, actions)
            connection.work.set()
            while session.backlog >= self.settings.max_backlog:
                connection.progress.clear()
                await connection.progress.wait()

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
        except ConnectionClosed:
            pass  # the client left: the reader sees it too and ends the connection
        except Exception as exc:
            _log_failure(connection.log, "internal error", exc)
            await connection.websocket.close(1011, "internal error")

    async def _perform(self, connection: _Connection, actions: Actions) -> None:
        websocket = connection.websocket
        if actions.failure is not None:
            _log_failure(connection.log, "internal error while handling a message", actions.failure)
        for message in actions.messages:
            await websocket.send(encode(message), text=True)
        if actions.close is not None:
            connection.log.info("closing: %s", actions.close.reason)
            await websocket.close(actions.close.code, actions.close.reason)

    async def _run_offloaded(self, connection: _Connection, job: Job) -> None:
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self._pool, connection.session.run, job)
            await self._finish(connection, outcome)
        except ConnectionClosed:
            pass  # the client left mid-request: its answer is dropped
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
    if args.max_connections < 1:
        print("contact-guard serve: error: --max-connections must be at least 1", file=sys.stderr)
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
    settings = Settings(config=config, host=host, port=port, max_connections=args.max_connections)
    # A long text analyzed in a worker thread holds the GIL; hand it back to the event loop every
    # millisecond (default 5 ms) so short requests on other connections stay fast.
    sys.setswitchinterval(0.001)
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
    _on_stop_signals(stop.set)
    try:
        async with published(settings.config.directory, settings.host, companion.port, companion.authenticated_clients):
            print(f"contact-guard: listening on {companion.url} (pairing token: {token_note})", flush=True)
            await stop.wait()
    finally:
        logger.info("stopping")
        await companion.close()
    return 0


def _on_stop_signals(callback: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, callback)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
            pass
