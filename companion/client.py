"""The extension's side of the handshake, for Python clients of the companion (the tests, the
benchmarks, QA scripts). The extension itself does the same in
extension/src/background/companion-link.js with WebCrypto.

    handshake = ClientHandshake(token, port)
    send(handshake.hello())
    send(handshake.answer(receive()))   # raises NotTheCompanion unless the companion proved first
    receive()                           # welcome

or, with websockets' asyncio client, `ws = await connect_paired(url, token)`.

Nothing but the two nonces and the two proofs cross the wire; the token never does.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

import msgspec
from websockets.asyncio.client import ClientConnection, connect

from companion.errors import ContactGuardError
from companion.pairing import make_proof, new_nonce, proof_checks
from companion.protocol import PROTOCOL_VERSION, Challenge, Hello, Proof, Welcome, decode_server, encode

ORIGIN: Final = "chrome-extension://pjodcephcifkhgojdnnjbfknidmnglpj"


class NotTheCompanion(ContactGuardError):
    """The peer did not prove it holds the pairing token: send it nothing more."""


class ClientHandshake:
    def __init__(self, token: str, port: int, *, client: str = "contact-guard-python") -> None:
        self._token = token
        self._port = port
        self._client = client
        self.nonce = new_nonce()

    def hello(self) -> str:
        """The first frame (a text frame: send it as str)."""
        return encode(Hello(protocol=PROTOCOL_VERSION, client=self._client, nonce=self.nonce)).decode()

    def answer(self, frame: str | bytes) -> str:
        """Our proof for the companion's `challenge`, once its own proof checks."""
        try:
            challenge = decode_server(frame)
        except msgspec.MsgspecError:
            raise NotTheCompanion("the answer to hello is not a challenge") from None
        if not isinstance(challenge, Challenge):
            raise NotTheCompanion(f"the answer to hello is {type(challenge).__name__}, not a challenge")
        nonces = {"client_nonce": self.nonce, "companion_nonce": challenge.nonce, "port": self._port}
        if not proof_checks(make_proof(self._token, "companion", **nonces), challenge.proof):
            raise NotTheCompanion("the companion's proof does not match the pairing token")
        return encode(Proof(proof=make_proof(self._token, "extension", **nonces))).decode()


async def connect_paired(url: str, token: str, *, origin: str = ORIGIN, client: str = "contact-guard-python",
                         **connect_args: Any) -> ClientConnection:
    """Connect to `url` (ws://127.0.0.1:PORT) and do the extension's handshake: the connection is
    returned once welcomed. Raises NotTheCompanion, or ConnectionClosed when the companion hangs
    up (4401: a proof that does not check; 1013: its limit of clients)."""
    ws = await connect(url, origin=origin, compression=None, **connect_args)
    try:
        handshake = ClientHandshake(token, urlsplit(url).port, client=client)
        await ws.send(handshake.hello())
        await ws.send(handshake.answer(await ws.recv()))
        welcome = decode_server(await ws.recv())
        if not isinstance(welcome, Welcome):
            raise NotTheCompanion(f"the answer to the proof is {type(welcome).__name__}, not welcome")
    except BaseException:
        await ws.close()
        raise
    return ws
