"""WebSocket protocol version 1: every message as a msgspec Struct, in two tagged unions.

`ClientMessage` (extension -> companion) and `ServerMessage` (companion -> extension) are tagged
by their `type` field. Unknown fields are ignored and every optional field has a default, so a
later minor addition does not break an older peer. Offsets on the wire are UTF-16 code units
(JavaScript string indices); the session converts the engine's code-point offsets.

`decode_client(frame)` is the one way a frame becomes a message: it raises ProtocolError
("bad_message") with a detail that never quotes the frame, and carries the `field`/`revision`
it could still read so the error can name them. `contact-guard schema` writes the JSON Schema
of both unions to extension/src/protocol.schema.json, which the extension builds against; a test
fails when the committed copy is stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import msgspec

from companion.engine.model import Kind
from companion.errors import ProtocolError

PROTOCOL_VERSION: Final = 1
MAX_TEXT_UTF16: Final = 20_000
MAX_FRAME_BYTES: Final = 128 * 1024
MAX_FIELD_ID: Final = 256
# JavaScript numbers are exact up to 2**53 - 1; a larger revision could not round-trip.
MAX_REVISION: Final = 2**53 - 1

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
    """First message, within 5 s of connecting: a wrong token closes with 4401."""

    protocol: int
    token: Annotated[str, msgspec.Meta(max_length=256)]
    client: Annotated[str, msgspec.Meta(max_length=256)] = ""


class Analyze(_Message, tag="analyze"):
    """Check one field's text; answered by `findings` (or `error`) with the same field/revision."""

    field: FieldId
    revision: Revision
    text: Annotated[str, msgspec.Meta(description=f"at most {MAX_TEXT_UTF16} UTF-16 code units")]
    surface: Surface = "message"
    allow: Annotated[tuple[ChannelName, ...], msgspec.Meta(
        max_length=32, description="channels or categories approved for this order, e.g. zoom")] = ()
    pasted: bool = False


class Ping(_Message, tag="ping"):
    """App-level keepalive; answered by `pong`."""


ClientMessage = Hello | Analyze | Ping

# --- companion -> client --------------------------------------------------------------------


class Welcome(_Message, tag="welcome"):
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


ServerMessage = Welcome | Findings | Pong | Error

# --- codecs, built once ---------------------------------------------------------------------

_client_decoder: Final = msgspec.json.Decoder(ClientMessage)
_server_decoder: Final = msgspec.json.Decoder(ServerMessage)
_encoder: Final = msgspec.json.Encoder()

# msgspec quotes offending values ("Invalid value 'x'"); a detail must never echo client data.
_QUOTED_VALUE = re.compile(r"\s*'[^']*'")
# Lone UTF-16 surrogates: legal in a JavaScript string and in JSON escapes, rejected by msgspec.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encode(message: ServerMessage | ClientMessage) -> bytes:
    """UTF-8 JSON; send it as a *text* frame."""
    return _encoder.encode(message)


def decode_server(frame: str | bytes) -> ServerMessage:
    """For clients (tests, benchmark): the companion's messages."""
    return _server_decoder.decode(frame)


def decode_client(frame: str | bytes) -> ClientMessage:
    """Parse one client frame, or raise ProtocolError("bad_message") naming what was wrong."""
    try:
        return _client_decoder.decode(frame)
    except msgspec.ValidationError as exc:
        raise _bad_message(_validation_detail(exc), _json_or_none(frame)) from None
    except msgspec.DecodeError:
        return _decode_with_lone_surrogates(frame)


def _decode_with_lone_surrogates(frame: str | bytes) -> ClientMessage:
    """A JavaScript string may hold a lone surrogate (JSON.stringify escapes it as \\udXXX).
    Replace each with U+FFFD, also one UTF-16 unit, so offsets stay right and nothing is lost."""
    value = _json_or_none(frame)
    if value is None:
        raise _bad_message("not valid JSON", None)
    if not isinstance(value, dict):
        raise _bad_message("invalid message: expected a JSON object", None)
    cleaned = {k: _LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in value.items()}
    try:
        return msgspec.convert(cleaned, ClientMessage)
    except msgspec.ValidationError as exc:
        raise _bad_message(_validation_detail(exc), cleaned) from None


def _json_or_none(frame: str | bytes) -> Any:
    try:
        return json.loads(frame)
    except (ValueError, RecursionError):
        return None


def _validation_detail(exc: msgspec.ValidationError) -> str:
    message = str(exc)
    if message.startswith("Invalid value") and message.endswith("`$.type`"):
        return "unknown message type; expected hello, analyze or ping"
    return f"invalid message: {_QUOTED_VALUE.sub('', message)}"


def _bad_message(detail: str, value: Any) -> ProtocolError:
    """The error names the message's field/revision when those are themselves valid."""
    field = revision = None
    if isinstance(value, dict):
        field, revision = value.get("field"), value.get("revision")
    return ProtocolError(
        "bad_message",
        detail,
        field=field if isinstance(field, str) and 0 < len(field) <= MAX_FIELD_ID else None,
        revision=revision if type(revision) is int and 0 <= revision <= MAX_REVISION else None,
    )


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
    """`contact-guard schema [--output FILE] [--check]`."""
    path = Path(args.output) if args.output else SCHEMA_PATH
    expected = schema_text()
    if args.check:
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != expected:
            print(f"contact-guard: {path} is stale; run `contact-guard schema` to regenerate it", file=sys.stderr)
            return 1
        print(f"contact-guard: {path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(expected, encoding="utf-8")
    print(f"contact-guard: wrote {path}")
    return 0
