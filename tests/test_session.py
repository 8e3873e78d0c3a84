"""The sans-I/O session: protocol version 2 without a socket (frames in, actions out)."""

from __future__ import annotations

import json

import pytest
from companion_support import FRAMES, TOKEN, flag_addresses, js_index, js_slice
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import __version__
from companion.engine import Report
from companion import protocol
from companion import session as session_module
from companion.client import ClientHandshake, NotTheCompanion
from companion.pairing import make_proof
from companion.protocol import Challenge, Error, Findings, Pong, Welcome, encode
from companion.session import (
    CLOSE_UNAUTHORIZED,
    CLOSE_UNSUPPORTED_PROTOCOL,
    Limits,
    Session,
    State,
    utf16_length,
    utf16_offsets,
)

CANARY = "CANARY-7f3a-do-not-log"


def frame(**message) -> str:
    return json.dumps(message)


PORT = 47821
CLIENT_NONCE, COMPANION_NONCE = "a" * 64, "b" * 64
# HMAC-SHA256 test vector for TOKEN, these nonces and port 47821, computed independently with
# `openssl dgst -sha256 -mac HMAC -macopt hexkey:TOKEN` (extension/test/protocol.test.js has the same).
COMPANION_PROOF = "8875f959ce07b758104021e1ead4b5ca36d6e052267b06695f405d1d829d6ef0"
EXTENSION_PROOF = "b9bc8a609cec2af397c58e508e3dd7e8f025331f0deb16c1bec22d61e702665c"


def hello(protocol: int = 2, nonce: str | None = CLIENT_NONCE, **extra) -> str:
    return frame(type="hello", protocol=protocol, client="test/1", **({"nonce": nonce} if nonce else {}), **extra)


def proof(value: str = EXTENSION_PROOF) -> str:
    return frame(type="proof", proof=value)


def analyze(field: str = "f", revision: int = 0, text: str = "hello", **extra) -> str:
    return frame(type="analyze", field=field, revision=revision, text=text, **extra)


def new_session(now: float = 0.0, **kwargs) -> Session:
    return Session(TOKEN, port=PORT, now=now, nonce=lambda: COMPANION_NONCE, **kwargs)


def challenged(**kwargs) -> Session:
    session = new_session(**kwargs)
    [challenge] = session.receive(hello(), 0.0).messages
    assert isinstance(challenge, Challenge)
    return session


def opened(**kwargs) -> Session:
    session = challenged(**kwargs)
    actions = session.receive(proof(), 0.0)
    assert actions.messages == [Welcome(protocol=2, companion=__version__)] and actions.authenticated
    return session


def submit(session: Session, message: str, now: float = 0.0):
    """Hand one analyze to the session and take the job it makes runnable (None if none)."""
    actions = session.receive(message, now)
    assert actions.messages == [] and actions.close is None, actions
    return session.next_job()


def answer(session: Session, job) -> list:
    """Run one job on the engine and return what the session sends for it."""
    return session.finish(session.run(job)).messages


def only_error(actions) -> Error:
    assert actions.close is None
    [message] = actions.messages
    assert isinstance(message, Error)
    return message


def closed_silently(actions) -> int:
    assert actions.messages == [] and actions.close is not None
    return actions.close.code


# --- handshake: mutual proof of the pairing token -------------------------------------------------


def test_the_companion_proves_first_then_welcomes_a_matching_proof():
    session = new_session()
    actions = session.receive(hello(), 0.0)
    assert actions.messages == [Challenge(protocol=2, companion=__version__, nonce=COMPANION_NONCE,
                                          proof=COMPANION_PROOF)]
    assert actions.close is None and not actions.authenticated and session.state is State.AWAITING_PROOF
    actions = session.receive(proof(), 0.0)
    assert actions.messages == [Welcome(protocol=2, companion=__version__)]
    assert actions.authenticated and session.state is State.OPEN and session.client == "test/1"


def test_the_python_client_handshake_agrees_with_the_session():
    session = Session(TOKEN, port=PORT, now=0.0)  # random companion nonce
    client = ClientHandshake(TOKEN, PORT)
    [challenge] = session.receive(client.hello(), 0.0).messages
    assert challenge.nonce != client.nonce and len(challenge.nonce) == 64
    assert session.receive(client.answer(encode(challenge)), 0.0).authenticated


def test_the_token_never_crosses_the_wire():
    session = new_session()
    sent = [encode(m) for m in session.receive(hello(), 0.0).messages + session.receive(proof(), 0.0).messages]
    assert not any(TOKEN.encode() in frame_ for frame_ in sent)


def test_a_client_without_the_token_learns_the_companion_is_not_its_own():
    session = new_session()
    stranger = ClientHandshake("f" * 64, PORT)
    [challenge] = session.receive(stranger.hello(), 0.0).messages
    with pytest.raises(NotTheCompanion):
        stranger.answer(encode(challenge))


def proof_for(**changes) -> str:
    values = {"client_nonce": CLIENT_NONCE, "companion_nonce": COMPANION_NONCE, "port": PORT} | changes
    token = values.pop("token", TOKEN)
    prover = values.pop("prover", "extension")
    return make_proof(token, prover, **values)


@pytest.mark.parametrize("wrong", [
    proof_for(token="0" * 64),
    proof_for(prover="companion"),  # the companion's own proof reflected back
    proof_for(port=PORT + 1),  # made for a relay on another port
    proof_for(companion_nonce="c" * 64),  # replayed from an earlier connection
    proof_for(client_nonce="c" * 64),
    "0" * 64,
], ids=["wrong-token", "reflected", "other-port", "old-companion-nonce", "other-client-nonce", "zeros"])
def test_a_proof_that_does_not_check_closes_4401_without_a_reply(wrong):
    session = challenged()
    assert closed_silently(session.receive(proof(wrong), 0.0)) == CLOSE_UNAUTHORIZED
    assert session.state is State.CLOSED
    assert session.receive(analyze(), 0.1).messages == []  # nothing after the close


@pytest.mark.parametrize(("version", "update"), [(1, "extension"), (0, "extension"), (3, "companion")])
def test_another_protocol_version_gets_unsupported_protocol_then_4400(version, update):
    session = new_session()
    v1_hello = frame(type="hello", protocol=version, token=TOKEN, client="contact-guard-extension/0.1.0")
    actions = session.receive(v1_hello, 0.0)
    [error] = actions.messages
    assert (error.code, error.field) == ("unsupported_protocol", None)
    assert f"update the {update}" in error.detail and TOKEN not in error.detail
    assert actions.close.code == CLOSE_UNSUPPORTED_PROTOCOL


@pytest.mark.parametrize(
    "first",
    [analyze(), frame(type="ping"), proof(), "{not json", "[]", b"\x00binary", hello(nonce=None),
     hello(nonce="A" * 64), hello(nonce="ab")],
    ids=["analyze", "ping", "proof", "malformed", "array", "binary", "hello-without-nonce", "uppercase-nonce",
         "short-nonce"],
)
def test_anything_but_a_valid_hello_first_closes_4401(first):
    session = new_session()
    assert closed_silently(session.receive(first, 0.0)) == CLOSE_UNAUTHORIZED
    assert session.next_job() is None


@pytest.mark.parametrize("second", [analyze(), frame(type="ping"), hello(), "{", proof("xyz")],
                         ids=["analyze", "ping", "hello-again", "malformed", "malformed-proof"])
def test_anything_but_a_proof_after_hello_closes_4401(second):
    session = challenged()
    assert closed_silently(session.receive(second, 0.0)) == CLOSE_UNAUTHORIZED
    assert session.next_job() is None


def test_the_handshake_deadline_covers_hello_and_proof():
    session = new_session(now=10.0, limits=Limits(handshake_timeout=5.0))
    assert session.handshake_deadline == 15.0
    assert session.expire(14.9).close is None
    session.receive(hello(), 12.0)
    assert session.expire(14.9).close is None
    assert session.expire(15.0).close.code == CLOSE_UNAUTHORIZED


def test_the_deadline_no_longer_applies_once_welcomed():
    session = opened(limits=Limits(handshake_timeout=5.0))
    assert session.expire(60.0).close is None
    assert session.state is State.OPEN


@pytest.mark.parametrize("again", [hello(), proof()], ids=["hello", "proof"])
def test_a_second_handshake_message_is_an_error_and_the_connection_stays(again):
    session = opened()
    error = only_error(session.receive(again, 0.0))
    assert (error.code, error.detail) == ("bad_message", protocol.HANDSHAKE_DONE)
    assert session.receive(frame(type="ping"), 0.0).messages == [Pong()]


# --- bad messages after hello -------------------------------------------------------------------

BAD_FRAMES = {
    "malformed-json": '{"type": "analyze", ',
    "trailing-garbage": '{"type": "ping"} x',
    "not-an-object-array": "[1, 2]",
    "not-an-object-string": '"analyze"',
    "not-an-object-null": "null",
    "unknown-type": frame(type="subscribe"),
    "no-type": frame(field="f", revision=1, text="x"),
    "missing-text": frame(type="analyze", field="f", revision=1),
    "missing-field": frame(type="analyze", revision=1, text="x"),
    "missing-revision": frame(type="analyze", field="f", text="x"),
    "revision-as-string": analyze(revision="1"),
    "revision-as-float": analyze(revision=1.5),
    "revision-as-bool": analyze(revision=True),
    "negative-revision": analyze(revision=-1),
    "revision-beyond-js-integers": analyze(revision=2**53),
    "text-as-number": analyze(text=42),
    "field-as-number": frame(type="analyze", field=7, revision=1, text="x"),
    "empty-field": analyze(field=""),
    "allow-as-string": analyze(allow="zoom"),
    "pasted-as-string": analyze(pasted="yes"),
    "unknown-surface": analyze(surface="email-body"),
}


@pytest.mark.parametrize("bad", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
def test_a_bad_message_gets_bad_message_and_the_connection_stays(bad):
    session = opened()
    error = only_error(session.receive(bad, 0.0))
    assert error.code == "bad_message" and error.detail
    assert session.state is State.OPEN
    assert session.receive(frame(type="ping"), 0.0).messages == [Pong()]


def test_a_binary_frame_gets_bad_message_and_the_connection_stays():
    session = opened()
    error = only_error(session.receive(analyze().encode(), 0.0))
    assert error.code == "bad_message" and "binary" in error.detail
    assert session.state is State.OPEN


@pytest.mark.parametrize("bad", [
    analyze(field="f7", revision=3, text=12),
    analyze(field="f7", revision=3, surface="x"),
    analyze(field="f7", revision=-3),
    '{"type": "analyze", "field": "\\ud83d", "revision": 3, "text": 12}',  # unencodable if echoed
], ids=["bad-text", "bad-surface", "bad-revision", "lone-surrogate-field"])
def test_a_bad_message_names_no_field_or_revision(bad):
    """Nothing from a message that could not be read comes back, not even its field id."""
    error = only_error(opened().receive(bad, 0.0))
    assert (error.code, error.field, error.revision) == ("bad_message", None, None)
    assert json.loads(encode(error)) == {"type": "error", "code": "bad_message", "detail": error.detail}


@pytest.mark.parametrize("bad", [
    frame(type=CANARY),
    analyze(surface=CANARY, text=CANARY),
    analyze(surface=f"it's {CANARY}", text=CANARY),  # a quote inside the value (issue #12: it leaked)
    analyze(surface=f"`$.token` {CANARY}'"),
    analyze(revision=CANARY, text=CANARY),
    analyze(text=CANARY, allow=CANARY),
    analyze(text=CANARY, allow=[f"it's {CANARY}" * 5]),
    analyze(field=CANARY * 20, revision=1),
    analyze(field=CANARY, revision=2, platform=CANARY * 9),
], ids=["as-type", "as-surface", "with-a-quote", "with-a-path", "as-revision", "beside-bad-allow",
        "too-long-allow", "too-long-field", "too-long-platform"])
def test_error_details_never_echo_what_the_client_sent(bad):
    error = only_error(opened().receive(bad, 0.0))
    assert CANARY not in json.dumps([error.detail, error.field])
    assert error.detail in protocol.BAD_MESSAGE_DETAILS


@pytest.mark.parametrize("deep", [
    "[" * 1000 + "]" * 1000,
    '{"type": "ping", "x": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"a": ' * 2000 + "1" + "}" * 2000,
    '{"type": "ping", "x": ' + "[" * 100_000,
], ids=["array-1000", "unknown-field-5000", "objects-2000", "unclosed-100000"])
def test_deep_nesting_is_bad_message_after_hello_and_a_4401_close_before(deep):
    """Issue #12: nesting >= 1,000 deep raised RecursionError and closed with 1011."""
    session = opened()
    assert only_error(session.receive(deep, 0.0)).code == "bad_message"
    assert session.receive(frame(type="ping"), 0.0).messages == [Pong()]
    fresh = new_session()
    actions = fresh.receive(deep, 0.0)
    assert actions.messages == [] and actions.close.code == CLOSE_UNAUTHORIZED


def test_a_bug_while_handling_a_frame_is_an_internal_error_and_the_connection_stays(monkeypatch):
    session = opened()

    def broken(frame_):
        raise KeyError(CANARY)

    monkeypatch.setattr(session_module, "decode_client", broken)
    actions = session.receive(frame(type="ping"), 0.0)
    error = only_error(actions)
    assert error.code == "internal" and CANARY not in error.detail
    assert isinstance(actions.failure, KeyError)
    monkeypatch.undo()
    assert session.receive(frame(type="ping"), 0.0).messages == [Pong()]


def test_unknown_fields_are_ignored():
    session = opened()
    job = submit(session, analyze(field="f", revision=1, extra={"future": True}, colour="red"))
    assert (job.field, job.revision, job.surface, job.allow) == ("f", 1, "message", ())


def test_surface_and_allow_reach_the_engine():
    session = opened()
    job = submit(session, analyze(surface="delivery", allow=["zoom", "video_call"], pasted=True))
    assert job.surface == "delivery" and job.allow == ("zoom", "video_call")


def test_platform_reaches_an_engine_that_takes_it():
    calls = []

    def engine(text, *, surface="message", allow=(), platform=None):
        calls.append(platform)
        return Report()

    session = opened(analyzer=engine)
    answer(session, submit(session, analyze(field="a", platform="upwork")))
    answer(session, submit(session, analyze(field="b")))
    assert calls == ["upwork", None]


def test_platform_is_not_passed_to_an_engine_without_the_keyword():
    session = opened(analyzer=flag_addresses)  # (text, *, surface, allow): no platform
    [reply] = answer(session, submit(session, analyze(text="x@y.co", platform="fiverr")))
    assert isinstance(reply, Findings) and len(reply.findings) == 1


# --- text length in UTF-16 units ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("a" * 20_000, True),
        ("a" * 20_001, False),
        ("😀" * 10_000, True),  # 10,000 code points, 20,000 UTF-16 units
        ("😀" * 10_001, False),  # 10,001 code points but 20,002 units: over the wire limit
        ("中" * 20_000, True),  # BMP: one unit each
    ],
    ids=["ascii-at-limit", "ascii-over", "emoji-at-limit", "emoji-over-in-utf16-only", "cjk-at-limit"],
)
def test_the_text_limit_counts_utf16_units(text, accepted):
    session = opened()
    actions = session.receive(analyze(field="f", revision=2, text=text), 0.0)
    if accepted:
        assert actions.messages == [] and session.next_job().text == text
    else:
        assert session.next_job() is None
        error = only_error(actions)
        assert (error.code, error.field, error.revision) == ("text_too_long", "f", 2)


# --- rate limit ---------------------------------------------------------------------------------


def test_a_burst_over_the_limit_is_answered_rate_limited_then_recovers():
    session = opened(limits=Limits(rate=50, burst=50))
    for revision in range(50):
        assert submit(session, analyze(field=f"f{revision}", revision=revision), 1.0) is not None
    error = only_error(session.receive(analyze(field="late", revision=9), 1.0))
    assert (error.code, error.field, error.revision) == ("rate_limited", "late", 9)
    assert only_error(session.receive(frame(type="ping"), 1.0)).code == "rate_limited"
    # 0.1 s later, 5 more are allowed (50 per second), then the limit applies again.
    for revision in range(5):
        assert session.receive(frame(type="ping"), 1.1).messages == [Pong()]
    assert only_error(session.receive(frame(type="ping"), 1.1)).code == "rate_limited"
    assert session.state is State.OPEN
    assert session.stats.rate_limited == 3


def test_bad_messages_count_against_the_rate_limit_too():
    session = opened(limits=Limits(rate=1, burst=2))
    assert only_error(session.receive("{", 0.0)).code == "bad_message"
    assert only_error(session.receive("{", 0.0)).code == "bad_message"
    assert only_error(session.receive("{", 0.0)).code == "rate_limited"


# --- per-field ordering -------------------------------------------------------------------------


def test_a_newer_revision_replaces_the_one_waiting_and_answers_stay_in_order():
    session = opened(analyzer=flag_addresses)
    first = submit(session, analyze(revision=1))
    # While revision 1 runs, 2 and 3 arrive: 3 replaces 2, which is never answered.
    assert submit(session, analyze(revision=2)) is None
    assert submit(session, analyze(revision=3)) is None
    assert session.backlog == 0  # nothing may start while the field's revision 1 runs
    assert [(m.field, m.revision) for m in answer(session, first)] == [("f", 1)]
    assert session.backlog == 1
    third = session.next_job()
    assert third.revision == 3 and session.next_job() is None
    assert [m.revision for m in answer(session, third)] == [3]
    assert session.stats.superseded == 1


def test_a_server_that_falls_behind_starts_only_the_latest_revision():
    session = opened()
    for revision in range(10):
        session.receive(analyze(revision=revision), 0.0)
    assert session.backlog == 1
    assert session.next_job().revision == 9
    assert session.stats.superseded == 9


def test_waiting_fields_take_turns_oldest_first():
    session = opened()
    for name in ("a", "b", "c"):
        session.receive(analyze(field=name, revision=1), 0.0)
    session.receive(analyze(field="a", revision=2), 0.0)  # replaces a's waiting job, keeps its turn
    assert [(job.field, job.revision) for job in iter(session.next_job, None)] == [("a", 2), ("b", 1), ("c", 1)]


def test_fields_are_analyzed_independently():
    session = opened()
    a = submit(session, analyze(field="a", revision=1))
    b = submit(session, analyze(field="b", revision=1))
    assert [m.field for m in answer(session, b)] == ["b"]
    assert [m.field for m in answer(session, a)] == ["a"]


def test_an_older_revision_than_the_latest_is_refused():
    session = opened()
    answer(session, submit(session, analyze(revision=5)))
    error = only_error(session.receive(analyze(revision=4), 0.0))
    assert (error.code, error.revision) == ("bad_message", None)
    assert submit(session, analyze(revision=5)).revision == 5  # the same revision again is fine


def test_idle_fields_beyond_the_limit_are_forgotten():
    session = opened(limits=Limits(max_fields=2))
    for name in ("a", "b", "c"):
        answer(session, submit(session, analyze(field=name, revision=7)))
    # "a" was forgotten, so an older revision of it is accepted as new again.
    assert submit(session, analyze(field="a", revision=1)).revision == 1
    assert only_error(session.receive(analyze(field="c", revision=1), 0.0)).code == "bad_message"


def test_after_close_nothing_is_answered_and_waiting_jobs_are_dropped():
    session = opened()
    job = submit(session, analyze(revision=1))
    session.receive(analyze(revision=2), 0.0)
    session.closed()
    assert session.finish(session.run(job)).messages == []
    assert session.backlog == 0 and session.next_job() is None


def test_an_engine_failure_is_an_internal_error_that_does_not_quote_the_text():
    def broken(text, *, surface, allow):
        raise ValueError(f"cannot handle {text}")

    session = opened(analyzer=broken)
    job = submit(session, analyze(field="f", revision=4, text=CANARY))
    outcome = session.run(job)
    assert isinstance(outcome.failure, ValueError)
    [error] = session.finish(outcome).messages
    assert (error.code, error.field, error.revision) == ("internal", "f", 4)
    assert CANARY not in error.detail
    assert session.receive(frame(type="ping"), 0.0).messages == [Pong()]


# --- findings and UTF-16 offsets ----------------------------------------------------------------

OFFSET_CASES = {
    "ascii": "mail me: john.smith@gmail.com",
    "emoji-before": "😀 mail me: john.smith@gmail.com",
    "several-astral-before": "👍🏽 𠀀𝔘 🇫🇷 mail me: john.smith@gmail.com",
    "zwj-family-before": "👨‍👩‍👧 ok: ann@example.org and bob@example.net",
    "bmp-only-before": "café 中文 ✓ ann@example.org",
    "astral-after-only": "ann@example.org 😀😀",
    "astral-between-two": "ann@example.org 😀 bob@example.net 🎉 carl@example.com",
}


@pytest.mark.parametrize("text", OFFSET_CASES.values(), ids=OFFSET_CASES.keys())
def test_finding_offsets_are_utf16_indices(text):
    session = opened(analyzer=flag_addresses)
    job = submit(session, analyze(field="f", revision=1, text=text))
    [findings] = answer(session, job)
    assert isinstance(findings, Findings)
    expected = flag_addresses(text).findings
    assert len(findings.findings) == len(expected) > 0
    for wire, engine in zip(findings.findings, expected, strict=True):
        assert (wire.start, wire.end) == (js_index(text, engine.start), js_index(text, engine.end))
        assert js_slice(text, wire.start, wire.end) == text[engine.start:engine.end]
        assert (wire.kind, wire.severity, wire.rule, wire.mask) == ("email", "block", "test.address",
                                                                      "[contact removed]")
    assert findings.verdict == "block" and findings.elapsed_us >= 0


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_utf16_offsets_match_javascript_for_every_index(text):
    to_utf16 = utf16_offsets(text)
    assert [to_utf16(i) for i in range(len(text) + 1)] == [js_index(text, i) for i in range(len(text) + 1)]
    assert utf16_length(text) == js_index(text, len(text))


def test_a_text_without_findings_answers_ok_with_the_real_engine():
    session = opened()
    job = submit(session, analyze(field="f", revision=1, text="Thanks, the logo looks great!"))
    [findings] = answer(session, job)
    assert (findings.field, findings.revision, findings.verdict, findings.findings) == ("f", 1, "ok", ())


def test_the_real_engine_findings_map_to_the_same_characters_in_utf16():
    text = "😀🎉 mail me: john.smith@gmail.com or call +1 415 555 0134 😀"
    session = opened()
    job = submit(session, analyze(text=text))
    outcome = session.run(job)
    [findings] = session.finish(outcome).messages
    assert isinstance(outcome.report, Report)
    assert len(findings.findings) == len(outcome.report.findings)
    for wire, engine in zip(findings.findings, outcome.report.findings, strict=True):
        assert js_slice(text, wire.start, wire.end) == text[engine.start:engine.end]
    emails = [f for f in findings.findings if f.kind == "email"]
    assert [js_slice(text, f.start, f.end) for f in emails] == ["john.smith@gmail.com"]
    assert (emails[0].start, emails[0].end) == (js_index(text, 12), js_index(text, 32)) == (14, 34)


# --- robustness -----------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.lists(FRAMES, max_size=8))
def test_any_frames_after_hello_get_answers_never_exceptions(frames):
    session = opened(analyzer=flag_addresses)
    for now, frame_ in enumerate(frames):
        actions = session.receive(frame_, float(now))
        assert actions.close is None and actions.failure is None and session.state is State.OPEN
        for message in actions.messages:
            assert isinstance(message, (Error, Pong))
            if isinstance(message, Error):
                assert message.code != "internal"
                encode(message)  # always encodable: nothing unencodable is ever echoed
            if isinstance(message, Error) and message.code == "bad_message":
                assert message.detail in protocol.BAD_MESSAGE_DETAILS and message.field is None
        while (job := session.next_job()) is not None:
            [reply] = answer(session, job)
            assert isinstance(reply, Findings)


@settings(max_examples=150, deadline=None)
@given(FRAMES)
def test_any_first_frame_without_the_token_closes_the_connection(first):
    session = new_session()
    actions = session.receive(first, 0.0)
    assert actions.failure is None
    assert actions.close.code in (CLOSE_UNAUTHORIZED, CLOSE_UNSUPPORTED_PROTOCOL)
    assert session.state is State.CLOSED and session.next_job() is None


def test_the_real_engine_receives_platform():
    """The engine took the keyword (issue #10); a session with the real engine passes it on."""
    assert session_module.takes_platform(session_module.analyze)
    session = opened()
    [reply] = answer(session, submit(session, analyze(text="Thanks, the logo looks great!", platform="upwork")))
    assert isinstance(reply, Findings) and reply.verdict == "ok"
