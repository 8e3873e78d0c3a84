"""Shared by the companion tests (session, server): an engine stand-in with predictable spans.

The real detectors are written in parallel and may not flag anything yet; the session's job
(offsets, ordering, answers) does not depend on what they find, so these tests use an analyzer
whose spans the test can compute itself: every `name@domain.tld` word is a `block` email.
"""

from __future__ import annotations

import json
import re

from hypothesis import strategies as st

from companion.engine import Finding, Kind, Report, Severity

TOKEN = "0123456789abcdef" * 4
CHROME_ORIGIN = "chrome-extension://pjodcephcifkhgojdnnjbfknidmnglpj"
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def flag_addresses(text: str, *, surface: str = "message", allow=()) -> Report:
    return Report(tuple(
        Finding(Kind.EMAIL, Severity.BLOCK, m.start(), m.end(), "test.address", "An email address.",
                mask="[contact removed]")
        for m in _ADDRESS.finditer(text)
    ))


def js_index(text: str, code_point_offset: int) -> int:
    """What JavaScript's string index is for a Python (code point) offset, computed independently."""
    return len(text[:code_point_offset].encode("utf-16-le")) // 2


def js_slice(text: str, start: int, end: int) -> str:
    """JavaScript's `text.slice(start, end)` on UTF-16 offsets."""
    units = text.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")


# --- hostile frames (session property tests and the real-server fuzz in test_security) ---------

# Text that may hold lone surrogates: json.dumps escapes them as \udXXX, as JSON.stringify does.
_ANY_CHAR = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
_TEXT = st.text(_ANY_CHAR, max_size=20)
_FIELD_NAMES = ("type", "protocol", "token", "client", "nonce", "proof", "field", "revision", "text",
                "surface", "allow", "pasted", "platform")
_TYPES = ("hello", "proof", "analyze", "ping", "pong", "welcome", "findings", "error", "x")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**53 - 2, max_value=2**70)
    | st.floats() | _TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.one_of(_TEXT, st.sampled_from(_FIELD_NAMES)), children, max_size=4),
    max_leaves=12,
)
MESSAGE_LIKE = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from(_TYPES), JSON_VALUES)},
    optional={name: st.one_of(JSON_VALUES, st.sampled_from(("message", "zoom", "f", "")), st.integers(0, 5))
              for name in _FIELD_NAMES if name != "type"},
)


@st.composite
def _nested(draw) -> str:
    depth = draw(st.integers(min_value=20, max_value=3000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
    inner = opener * depth + "1" + closer * (depth if draw(st.booleans()) else 0)
    return json.dumps({"type": draw(st.sampled_from(_TYPES))})[:-1] + ', "x": ' + inner + "}"


@st.composite
def _damaged(draw) -> str:
    """A well-formed analyze, cut short or with one character replaced."""
    good = json.dumps({"type": "analyze", "field": "f", "revision": 1, "text": draw(_TEXT)})
    at = draw(st.integers(min_value=0, max_value=len(good)))
    if draw(st.booleans()):
        return good[:at]
    return good[:at] + draw(st.sampled_from(['"', "\\", "{", "]", ",", "\\ud800", "\x00"])) + good[at + 1:]


def _dumps(value) -> str:
    return json.dumps(value)  # NaN and Infinity come out as JavaScript would not send them: fine


FRAMES = st.one_of(
    st.binary(max_size=40),
    st.text(_ANY_CHAR, max_size=40).map(lambda t: t.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")),
    JSON_VALUES.map(_dumps),
    MESSAGE_LIKE.map(_dumps),
    _nested(),
    _damaged(),
)
