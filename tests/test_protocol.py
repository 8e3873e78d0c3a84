"""Protocol version 1 messages, codecs, and the JSON Schema the extension builds against."""

from __future__ import annotations

import json
import typing
from argparse import Namespace

import pytest

from companion.engine import SURFACES, Kind
from companion.errors import ProtocolError
from companion.protocol import (
    SCHEMA_PATH,
    Analyze,
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
        "extension/src/protocol.schema.json is stale: run `python -m companion schema` and commit it"
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
    assert schema["x-protocol-version"] == 1
    client, server = schema["$defs"]["ClientMessage"], schema["$defs"]["ServerMessage"]
    assert set(client["discriminator"]["mapping"]) == {"hello", "analyze", "ping"}
    assert set(server["discriminator"]["mapping"]) == {"welcome", "findings", "pong", "error"}
    assert schema["$defs"]["Finding"]["properties"]["kind"] == {"$ref": "#/$defs/Kind"}
    assert set(schema["$defs"]["Kind"]["enum"]) == {k.value for k in Kind}


def test_wire_surfaces_are_the_engine_surfaces():
    assert set(typing.get_args(Surface)) == SURFACES


def test_analyze_defaults():
    message = decode_client('{"type": "analyze", "field": "tab1:el2", "revision": 0, "text": "hi"}')
    assert message == Analyze(field="tab1:el2", revision=0, text="hi", surface="message", allow=(), pasted=False)


def test_unknown_fields_are_ignored_in_every_message():
    assert decode_client('{"type": "ping", "sent_at": 12}') == Ping()
    assert decode_client('{"type": "hello", "protocol": 1, "token": "t", "client": "c", "features": []}') == Hello(
        protocol=1, token="t", client="c"
    )


def test_a_lone_surrogate_becomes_one_replacement_character_so_offsets_hold():
    # JSON.stringify("a\ud83d b") -> "a\\ud83d b": legal JavaScript, not valid Unicode.
    message = decode_client('{"type": "analyze", "field": "f", "revision": 1, "text": "a\\ud83d b\\ud83d\\ude00"}')
    assert message.text == "a\ufffd b😀"


@pytest.mark.parametrize("frame", ["", "{", "[]", '{"type": 5}', '{"type": "analyze"}'])
def test_undecodable_frames_raise_bad_message(frame):
    with pytest.raises(ProtocolError) as caught:
        decode_client(frame)
    assert caught.value.code == "bad_message"


def test_errors_omit_unknown_field_and_revision():
    assert json.loads(encode(Error(code="rate_limited", detail="slow down"))) == {
        "type": "error", "code": "rate_limited", "detail": "slow down"}
    assert json.loads(encode(Error(code="internal", detail="x", field="f", revision=2)))["revision"] == 2


def test_server_messages_round_trip():
    finding = Finding(kind=Kind.PHONE, severity="block", start=3, end=9, rule="phone.spaced", channel=None,
                      reason="A phone number.", suggestion=None, mask="[contact removed]")
    messages = [
        Welcome(protocol=1, companion="0.1.0"),
        Findings(field="f", revision=4, verdict="block", findings=(finding,), elapsed_us=120),
        Pong(),
        Error(code="bad_message", detail="d", field="f"),
    ]
    for message in messages:
        assert decode_server(encode(message)) == message
    wire = json.loads(encode(messages[1]))
    assert wire["type"] == "findings"
    assert wire["findings"][0] == {"kind": "phone", "severity": "block", "start": 3, "end": 9,
                                   "rule": "phone.spaced", "channel": None, "reason": "A phone number.",
                                   "suggestion": None, "mask": "[contact removed]"}
