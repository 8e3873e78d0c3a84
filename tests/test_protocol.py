"""Protocol version 2 messages, codecs, and the JSON Schema the extension builds against."""

from __future__ import annotations

import json
import typing
from argparse import Namespace

import msgspec
import pytest
from companion_support import FRAMES
from hypothesis import given, settings

from companion.engine import SURFACES, Kind
from companion.errors import ProtocolError
from companion.protocol import (
    BAD_MESSAGE_DETAILS,
    FIELD_RULES,
    INVALID_UNICODE,
    MAX_DEPTH,
    SCHEMA_PATH,
    TOO_DEEP,
    NOT_AN_OBJECT,
    ClientMessage,
    Analyze,
    Challenge,
    Error,
    Finding,
    Findings,
    Hello,
    Ping,
    Pong,
    Surface,
    Welcome,
    decode_client,
    decode_server,
    encode,
    run_schema,
    schema_text,
)


def test_the_committed_schema_is_up_to_date():
    """Fails when a message changed without `contact-guard schema` being run and committed."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "extension/src/protocol.schema.json is stale: run `python -m companion schema -o extension/src/protocol.schema.json` and commit it"
    )


def test_schema_check_fails_on_a_stale_file_and_passes_after_writing(tmp_path, capsys):
    path = tmp_path / "protocol.schema.json"
    path.write_text("{}\n")
    assert run_schema(Namespace(output=str(path), check=True)) == 1
    assert "stale" in capsys.readouterr().err
    assert run_schema(Namespace(output=str(path), check=False)) == 0
    assert run_schema(Namespace(output=str(path), check=True)) == 0


def test_the_schema_describes_both_directions_with_a_type_discriminator():
    schema = json.loads(schema_text())
    assert schema["x-protocol-version"] == 2
    client, server = schema["$defs"]["ClientMessage"], schema["$defs"]["ServerMessage"]
    assert set(client["discriminator"]["mapping"]) == {"hello", "proof", "analyze", "ping"}
    assert set(server["discriminator"]["mapping"]) == {"challenge", "welcome", "findings", "pong", "error"}
    assert "token" not in schema["$defs"]["Hello"]["properties"]  # the token never crosses the wire
    assert schema["$defs"]["Finding"]["properties"]["kind"] == {"$ref": "#/$defs/Kind"}
    assert set(schema["$defs"]["Kind"]["enum"]) == {k.value for k in Kind}


def test_wire_surfaces_are_the_engine_surfaces():
    assert set(typing.get_args(Surface)) == SURFACES


def test_analyze_defaults():
    message = decode_client('{"type": "analyze", "field": "tab1:el2", "revision": 0, "text": "hi"}')
    assert message == Analyze(field="tab1:el2", revision=0, text="hi", surface="message", allow=(), pasted=False)


def test_unknown_fields_are_ignored_in_every_message():
    assert decode_client('{"type": "ping", "sent_at": 12}') == Ping()
    assert decode_client('{"type": "hello", "protocol": 2, "nonce": "%s", "client": "c", "features": []}'
                         % ("0" * 64)) == Hello(protocol=2, client="c", nonce="0" * 64)


def test_a_version_1_hello_still_decodes_so_it_can_be_told_unsupported_protocol():
    assert decode_client('{"type": "hello", "protocol": 1, "token": "%s", "client": "c"}' % ("ab" * 32)) == Hello(
        protocol=1, client="c", nonce="")


def test_a_lone_surrogate_becomes_one_replacement_character_so_offsets_hold():
    # JSON.stringify("a\ud83d b") -> "a\\ud83d b": legal JavaScript, not valid Unicode.
    message = decode_client('{"type": "analyze", "field": "f", "revision": 1, "text": "a\\ud83d b\\ud83d\\ude00"}')
    assert message.text == "a\ufffd b😀"


@pytest.mark.parametrize("frame", ["", "{", "[]", '{"type": 5}', '{"type": "analyze"}'])
def test_undecodable_frames_raise_bad_message(frame):
    with pytest.raises(ProtocolError) as caught:
        decode_client(frame)
    assert caught.value.code == "bad_message"


def test_platform_is_optional_and_defaults_to_null():
    base = '{"type": "analyze", "field": "f", "revision": 0, "text": "hi"'
    assert decode_client(base + "}").platform is None
    assert decode_client(base + ', "platform": null}').platform is None
    assert decode_client(base + ', "platform": "upwork"}').platform == "upwork"
    with pytest.raises(ProtocolError) as caught:
        decode_client(base + ', "platform": 7}')
    assert caught.value.detail == FIELD_RULES["platform"]


def test_every_client_field_has_its_own_fixed_detail():
    names = {f.name for cls in typing.get_args(ClientMessage) for f in msgspec.structs.fields(cls)}
    assert names | {"type"} <= set(FIELD_RULES)


def bad_detail(frame: str) -> str:
    with pytest.raises(ProtocolError) as caught:
        decode_client(frame)
    assert caught.value.code == "bad_message"
    return caught.value.detail


ANALYZE = '{"type": "analyze", "field": "f", "revision": 1, "text": "hi"'


@pytest.mark.parametrize("frame", [
    "[" * 1000 + "]" * 1000,
    ANALYZE + ', "x": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",
    ANALYZE + ', "x": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}",
    ANALYZE + ', "x": ' + "[" * 100_000,
    ANALYZE + ', "x": ' + "[" * 5000 + '"\\ud800"' + "]" * 5000 + "}",  # deep and invalid Unicode
], ids=["array-1000", "one-level-too-deep", "objects-3000", "unclosed-100000", "deep-with-surrogate"])
def test_nesting_deeper_than_the_limit_is_bad_message(frame):
    assert bad_detail(frame) in (TOO_DEEP, NOT_AN_OBJECT)


def test_nesting_up_to_the_limit_and_brackets_inside_strings_are_fine():
    deep = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # inside the message's object: MAX_DEPTH levels
    assert decode_client(ANALYZE + ', "x": ' + deep + "}").field == "f"
    brackets = "{[" * 5000
    assert decode_client(json.dumps({"type": "analyze", "field": "f", "revision": 1, "text": brackets})).text == brackets


@pytest.mark.parametrize("frame", [
    '{"\\ud800": 1, "type": "ping"}',
    '{"type": "ping", "x\\udfff": "y"}',
    ANALYZE + ', "allow": ["zoom\\ud83d"]}',
    '{"type": "analyze", "field": "\\ud83d", "revision": 1, "text": "x"}',
    ANALYZE + ', "x": {"y": ["\\udc00"]}}',
    '{"type": "\\ud800"}',
], ids=["key", "unknown-key", "allow", "field", "nested-unknown-value", "type"])
def test_a_lone_surrogate_outside_text_is_bad_message(frame):
    """Issue #12: a lone surrogate in a key raised UnicodeEncodeError (1011)."""
    assert bad_detail(frame) == INVALID_UNICODE


@settings(max_examples=200, deadline=None)  # a 3,000-deep frame on a loaded machine
@given(FRAMES)
def test_any_frame_decodes_or_is_bad_message_with_a_fixed_detail(frame):
    try:
        message = decode_client(frame)
    except ProtocolError as exc:
        assert exc.code == "bad_message" and exc.detail in BAD_MESSAGE_DETAILS
    else:
        assert isinstance(message, typing.get_args(ClientMessage))
        encode(message)  # nothing unencodable got through


def test_errors_omit_unknown_field_and_revision():
    assert json.loads(encode(Error(code="rate_limited", detail="slow down"))) == {
        "type": "error", "code": "rate_limited", "detail": "slow down"}
    assert json.loads(encode(Error(code="internal", detail="x", field="f", revision=2)))["revision"] == 2


def test_server_messages_round_trip():
    finding = Finding(kind=Kind.PHONE, severity="block", start=3, end=9, rule="phone.spaced", channel=None,
                      reason="A phone number.", suggestion=None, mask="[contact removed]")
    messages = [
        Challenge(protocol=2, companion="0.1.0", nonce="ab" * 32, proof="cd" * 32),
        Welcome(protocol=2, companion="0.1.0"),
        Findings(field="f", revision=4, verdict="block", findings=(finding,), elapsed_us=120),
        Pong(),
        Error(code="bad_message", detail="d", field="f"),
    ]
    for message in messages:
        assert decode_server(encode(message)) == message
    wire = json.loads(encode(messages[2]))
    assert wire["type"] == "findings"
    assert wire["findings"][0] == {"kind": "phone", "severity": "block", "start": 3, "end": 9,
                                   "rule": "phone.spaced", "channel": None, "reason": "A phone number.",
                                   "suggestion": None, "mask": "[contact removed]"}

