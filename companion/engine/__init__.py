"""The contact-detection engine: `analyze(text, surface=, allow=, platform=) -> Report`.

Stages, data flowing one way (see pipeline.py): text (normalize, offset map) -> lexicon (data
packs, compiled once) -> detectors (one per kind) -> context (cues around each span) -> policy
(severity) -> Report.
"""

from companion.engine.lexicon import compiled as _compiled

from companion.engine.model import (
    MAX_TEXT_CHARS,
    SURFACES,
    Finding,
    Kind,
    Report,
    Severity,
)
from companion.engine.pipeline import analyze

_compiled.save()  # what this import derived from the data files, for the next import (a no-op when read)

__all__ = ["MAX_TEXT_CHARS", "SURFACES", "Finding", "Kind", "Report", "Severity", "analyze"]
