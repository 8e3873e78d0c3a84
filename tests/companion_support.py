"""Shared by the companion tests (session, server): an engine stand-in with predictable spans.

The real detectors are written in parallel and may not flag anything yet; the session's job
(offsets, ordering, answers) does not depend on what they find, so these tests use an analyzer
whose spans the test can compute itself: every `name@domain.tld` word is a `block` email.
"""

from __future__ import annotations

import re

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
