"""WebSocket protocol version 2: every message as a msgspec Struct, in two tagged unions.

docs/protocol.md describes the whole protocol (handshake, messages, close codes, limits).

`ClientMessage` (extension -> companion) and `ServerMessage` (companion -> extension) are tagged
by their `type` field. Unknown fields are ignored and every optional field has a default, so a
later minor addition does not break an older peer. Offsets on the wire are UTF-16 code units
(JavaScript string indices); the session converts the engine's code-point offsets.

`decode_client(frame)` is the one way a frame becomes a message: for any input whatsoever it
returns a message or raises ProtocolError("bad_message") with one of a fixed set of details, so
nothing the client sent (not even the `field` of a broken message) ever comes back in a reply. `contact-guard schema -o FILE` writes the JSON Schema
of both unions (committed as extension/src/protocol.schema.json, which the extension builds against; a test
fails when the committed copy is stale).
"""

from __future__ import annotations

import json
import re
import sys
import typing
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

import msgspec

from companion.engine.model import Kind
from companion.errors import ProtocolError

PROTOCOL_VERSION: Final = 2
# Nonces and proofs on the wire: 32 bytes as lowercase hex.
NONCE_PATTERN: Final = "^[0-9a-f]{64}$"
MAX_TEXT_UTF16: Final = 20_000
MAX_FRAME_BYTES: Final = 128 * 1024
MAX_FIELD_ID: Final = 256
# JavaScript numbers are exact up to 2**53 - 1; a larger revision could not round-trip.
MAX_REVISION: Final = 2**53 - 1
# Arrays/objects inside one another; a message needs 2 (an object holding `allow`).
MAX_DEPTH: Final = 32

Surface = Literal["message", "requirements", "delivery", "offer", "other"]
SeverityLabel = Literal["block", "warn", "info"]
Verdict = Literal["block", "warn", "info", "ok"]
ErrorCode = Literal["bad_message", "unsupported_protocol", "text_too_long", "rate_limited", "internal"]

FieldId = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_FIELD_ID,
                                      description="opaque id of a text field, chosen by the extension")]
Revision = Annotated[int, msgspec.Meta(ge=0, le=MAX_REVISION,
                                       description="increases with every change of the field")]
Utf16Offset = Annotated[int, msgspec.Meta(ge=0, description="UTF-16 code units (a JavaScript string index)")]
ChannelName = Annotated[str, msgspec.Meta(max_length=64)]


class _Message(msgspec.Struct, tag_field="type", frozen=True, kw_only=True):
    """Common base: every message is tagged by its `type` field."""


# --- client -> companion --------------------------------------------------------------------


class Hello(_Message, tag="hello"):
    """First message, within 5 s of connecting. Answered by `challenge` (the companion's proof and
    nonce), or, for another protocol version, by `error unsupported_protocol` and close 4400."""

    protocol: int
    client: Annotated[str, msgspec.Meta(max_length=256, description="the client's name/version, for logs")] = ""
    # Optional in the struct so a version-1 hello (token, no nonce) still decodes and is told
    # `unsupported_protocol` instead of a bare 4401.
    nonce: Annotated[str, msgspec.Meta(pattern=NONCE_PATTERN, description=(
        "the client's fresh random nonce: 64 lowercase hex digits (256 bits)"))] = ""


class Proof(_Message, tag="proof"):
    """The extension's proof, sent only once the companion's proof in `challenge` checked:
    HMAC-SHA256 with label "contact-guard/2 extension proof". Answered by `welcome`, or a 4401
    close when it does not check."""

    proof: Annotated[str, msgspec.Meta(pattern=NONCE_PATTERN, description="64 lowercase hex digits")]


class Analyze(_Message, tag="analyze"):
    """Check one field's text; answered by `findings` (or `error`) with the same field/revision."""

    field: FieldId
    revision: Revision
    text: Annotated[str, msgspec.Meta(description=f"at most {MAX_TEXT_UTF16} UTF-16 code units")]
    surface: Surface = "message"
    allow: Annotated[tuple[ChannelName, ...], msgspec.Meta(
        max_length=32, description="channels or categories approved for this order, e.g. zoom")] = ()
    pasted: bool = False
    platform: Annotated[str, msgspec.Meta(
        max_length=64, description="the marketplace the text is typed on (a site profile's name)")] | None = None


class Ping(_Message, tag="ping"):
    """App-level keepalive; answered by `pong`."""


ClientMessage = Hello | Proof | Analyze | Ping

# --- companion -> client --------------------------------------------------------------------


class Challenge(_Message, tag="challenge"):
    """Answers `hello`: the companion proves first (HMAC-SHA256 with label
    "contact-guard/2 companion proof" over both nonces and the port) and sends its own nonce."""

    protocol: int
    companion: str
    nonce: Annotated[str, msgspec.Meta(pattern=NONCE_PATTERN, description="the companion's fresh random nonce")]
    proof: Annotated[str, msgspec.Meta(pattern=NONCE_PATTERN, description="64 lowercase hex digits")]


class Welcome(_Message, tag="welcome"):
    """The extension's proof checked: `analyze` and `ping` may follow."""

    protocol: int
    companion: str


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One flagged span; start/end are UTF-16 code units into the analyzed text."""

    kind: Kind
    severity: SeverityLabel
    start: Utf16Offset
    end: Utf16Offset
    rule: str
    channel: str | None
    reason: str
    suggestion: str | None
    mask: str | None


class Findings(_Message, tag="findings"):
    """Answers one `analyze`. A newer revision of the same field may supersede a pending older
    one, which is then never answered: answers for one field always come in revision order."""

    field: FieldId
    revision: Revision
    verdict: Verdict
    findings: tuple[Finding, ...]
    elapsed_us: Annotated[int, msgspec.Meta(ge=0, description="engine time in microseconds")]


class Pong(_Message, tag="pong"):
    pass


class Error(_Message, tag="error", omit_defaults=True):
    """A message that could not be answered; the connection stays open unless a close follows."""

    code: ErrorCode
    detail: str
    field: str | None = None
    revision: int | None = None


ServerMessage = Challenge | Welcome | Findings | Pong | Error

# --- codecs, built once ---------------------------------------------------------------------

_client_decoder: Final = msgspec.json.Decoder(ClientMessage)
_server_decoder: Final = msgspec.json.Decoder(ServerMessage)
_encoder: Final = msgspec.json.Encoder()

# Every `bad_message` detail is one of these fixed sentences: a detail never carries a value the
# client sent (not even a quoted piece of it), so typed text cannot reach a reply or a log of one.
NOT_JSON: Final = "not valid JSON"
NOT_AN_OBJECT: Final = "a message must be a JSON object"
TOO_DEEP: Final = f"nested deeper than {MAX_DEPTH} levels"
BINARY_FRAME: Final = "binary frames are not supported; send JSON text frames"
INVALID_MESSAGE: Final = "invalid message"
INVALID_UNICODE: Final = "invalid Unicode (a lone surrogate) outside `text`"
HANDSHAKE_DONE: Final = "the handshake is already done on this connection"
STALE_REVISION: Final = "`revision` is older than the latest one of this field"
_SURFACES: Final = ", ".join(typing.get_args(Surface))
FIELD_RULES: Final = MappingProxyType({
    "type": "unknown or missing `type`; expected hello, proof, analyze or ping",
    "protocol": "`protocol` must be an integer",
    "client": "`client` must be a string of at most 256 characters",
    "nonce": "`nonce` must be 64 lowercase hex digits",
    "proof": "`proof` must be 64 lowercase hex digits",
    "field": f"`field` must be a string of 1 to {MAX_FIELD_ID} characters",
    "revision": f"`revision` must be an integer from 0 to {MAX_REVISION}",
    "text": "`text` must be a string",
    "surface": f"`surface` must be one of {_SURFACES}",
    "allow": "`allow` must be a list of at most 32 strings of at most 64 characters",
    "pasted": "`pasted` must be true or false",
    "platform": "`platform` must be null or a string of at most 64 characters",
})
BAD_MESSAGE_DETAILS: Final = frozenset({
    NOT_JSON, NOT_AN_OBJECT, TOO_DEEP, BINARY_FRAME, INVALID_MESSAGE, INVALID_UNICODE, HANDSHAKE_DONE, STALE_REVISION,
    *FIELD_RULES.values(),
})
# Where msgspec names the field in a validation error: the path at the end (a wrong value), or the
# start (a missing field). Anchored: a quoted client value in between must not be taken for a name.
_WRONG_FIELD = re.compile(r"- at `\$\.(\w+)[^`]*`\Z")
_MISSING_FIELD = re.compile(r"\AObject missing required field `(\w+)`")
# Lone UTF-16 surrogates: legal in a JavaScript string and in JSON escapes, rejected by msgspec.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS_ONLY = re.compile(r"[^\[\]{}]+")
_INNERMOST_PAIR = re.compile(r"\[\]|\{\}")


def encode(message: ServerMessage | ClientMessage) -> bytes:
    """UTF-8 JSON; send it as a *text* frame."""
    return _encoder.encode(message)


def decode_server(frame: str | bytes) -> ServerMessage:
    """For clients (tests, benchmark): the companion's messages."""
    return _server_decoder.decode(frame)


def decode_client(frame: str | bytes) -> ClientMessage:
    """Parse one client text frame, or raise ProtocolError("bad_message") with a fixed detail.

    Never raises anything else for any input: bad JSON, nesting deeper than MAX_DEPTH, invalid
    Unicode and wrong types are all `bad_message`. The error names no field or revision: a frame
    that could not be read is not answered with anything it contained."""
    try:
        message = _client_decoder.decode(frame)
    except msgspec.ValidationError as exc:
        raise ProtocolError("bad_message", validation_detail(exc)) from None
    except RecursionError:
        raise ProtocolError("bad_message", TOO_DEEP) from None
    except msgspec.DecodeError:
        return _decode_with_lone_surrogates(frame)
    if _nested_too_deep(frame):
        raise ProtocolError("bad_message", TOO_DEEP)
    return message


def _decode_with_lone_surrogates(frame: str | bytes) -> ClientMessage:
    """A JavaScript string may hold a lone surrogate (JSON.stringify escapes it as \\udXXX). In
    `text` each becomes U+FFFD, also one UTF-16 unit, so offsets stay right and the text is still
    checked; anywhere else (a key, another value, an unknown field) it is `bad_message`."""
    try:
        value = json.loads(frame)
    except RecursionError:
        raise ProtocolError("bad_message", TOO_DEEP) from None
    except ValueError:
        raise ProtocolError("bad_message", NOT_JSON) from None
    if _nested_too_deep(frame):
        raise ProtocolError("bad_message", TOO_DEEP)
    if not isinstance(value, dict):
        raise ProtocolError("bad_message", NOT_AN_OBJECT)
    text = value.get("text")
    if isinstance(text, str):
        value["text"] = _LONE_SURROGATE.sub("\ufffd", text)
    if _holds_lone_surrogate(value):
        raise ProtocolError("bad_message", INVALID_UNICODE)
    try:
        return msgspec.convert(value, ClientMessage)
    except msgspec.ValidationError as exc:
        raise ProtocolError("bad_message", validation_detail(exc)) from None


def _holds_lone_surrogate(value: Any) -> bool:
    """Anywhere in a decoded value (nesting is already bounded by MAX_DEPTH)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(_holds_lone_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_lone_surrogate(k) or _holds_lone_surrogate(v) for k, v in value.items())
    return False


def _nested_too_deep(frame: str | bytes) -> bool:
    """Whether valid JSON nests arrays/objects deeper than MAX_DEPTH. Linear: only called on a
    frame that parsed, so every quote starts a string that ends; most frames have too few
    brackets to matter and pay two counts."""
    text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    brackets = _BRACKETS_ONLY.sub("", _JSON_STRING.sub("", text))
    for _ in range(MAX_DEPTH):
        brackets, removed = _INNERMOST_PAIR.subn("", brackets)
        if not brackets or not removed:
            break
    return bool(brackets)


def validation_detail(exc: msgspec.ValidationError) -> str:
    """The fixed sentence for a validation error: chosen by the field it names, never its text."""
    message = str(exc)
    if message.startswith("Expected `object`"):
        return NOT_AN_OBJECT
    named = _WRONG_FIELD.search(message) or _MISSING_FIELD.search(message)
    return FIELD_RULES.get(named[1], INVALID_MESSAGE) if named else INVALID_MESSAGE


# --- JSON Schema for the extension ----------------------------------------------------------

SCHEMA_PATH: Final = Path(__file__).resolve().parent.parent / "extension" / "src" / "protocol.schema.json"


def schema_text() -> str:
    """The committed schema file's exact content: deterministic, sorted, newline-terminated."""
    (client, server), components = msgspec.json.schema_components(
        (ClientMessage, ServerMessage), ref_template="#/$defs/{name}"
    )
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Contact Guard WebSocket protocol, version {PROTOCOL_VERSION}",
        "description": (
            "Generated by `contact-guard schema` from companion/protocol.py; do not edit. "
            "JSON text frames; offsets are UTF-16 code units; unknown fields are ignored."
        ),
        "x-protocol-version": PROTOCOL_VERSION,
        "$defs": {**components, "ClientMessage": client, "ServerMessage": server},
        "anyOf": [{"$ref": "#/$defs/ClientMessage"}, {"$ref": "#/$defs/ServerMessage"}],
    }
    return json.dumps(_with_plain_descriptions(schema), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _with_plain_descriptions(node: Any) -> Any:
    """Every "description" as one line of single-spaced words. msgspec copies docstrings into the
    schema and its releases indent them differently; the committed file must not change with that."""
    if isinstance(node, dict):
        return {
            key: " ".join(value.split()) if key == "description" and isinstance(value, str) else _with_plain_descriptions(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_with_plain_descriptions(item) for item in node]
    return node


def run_schema(args) -> int:
    """`contact-guard schema [-o FILE] [--check]`: stdout unless -o names a file; --check compares
    FILE (default: the committed extension/src/protocol.schema.json)."""
    expected = schema_text()
    if not args.output and not args.check:
        sys.stdout.write(expected)
        return 0
    path = Path(args.output) if args.output else SCHEMA_PATH
    if args.check:
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != expected:
            print(f"contact-guard: {path} is stale; run `contact-guard schema -o {path}` to regenerate it", file=sys.stderr)
            return 1
        print(f"contact-guard: {path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(expected, encoding="utf-8")
    print(f"contact-guard: wrote {path}")
    return 0
