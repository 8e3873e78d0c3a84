"""analyze(): normalize -> detectors -> policy -> Report. Pure and thread-safe."""

from __future__ import annotations

from collections.abc import Iterable

from companion.engine import policy
from companion.engine.detectors import DETECTORS
from companion.engine.document import Document
from companion.engine.model import MAX_TEXT_CHARS, SURFACES, Report
from companion.engine.view import normalize
from companion.errors import TextTooLongError, UnknownSurfaceError


def analyze(text: str, *, surface: str = "message", allow: Iterable[str] = ()) -> Report:
    """Find off-platform contact details in `text`; spans are code-point offsets into `text`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(len(text), MAX_TEXT_CHARS)
    if surface not in SURFACES:
        raise UnknownSurfaceError(surface)
    if not text or text.isspace():
        return Report()
    doc = Document(text, normalize(text), surface)
    candidates = [c for detect in DETECTORS for c in detect(doc)]
    return policy.decide(doc, candidates, frozenset(a.strip().lower() for a in allow) if allow else _NOTHING_ALLOWED)


_NOTHING_ALLOWED: frozenset[str] = frozenset()
