"""The contact-detection engine: `analyze(text, surface=, allow=) -> Report`.

normalize (view.py, with an offset map) -> one detector per file (detectors/) -> policy.py.
Lexicons are data files in data/, compiled once at import (lexicon.py).
"""

from companion.engine.model import (
    MAX_TEXT_CHARS,
    SURFACES,
    Finding,
    Kind,
    Report,
    Severity,
)
from companion.engine.pipeline import analyze

__all__ = ["MAX_TEXT_CHARS", "SURFACES", "Finding", "Kind", "Report", "Severity", "analyze"]
