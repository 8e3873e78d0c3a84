"""analyze(): text -> lexicon -> detectors -> context -> policy -> Report. Pure and thread-safe.

  text       text.normalize(): NFKC, look-alike letters and digits folded, invisible characters
             removed, one offset map back to the original
  lexicon    lexicon/: the data packs, loaded and compiled once at import
  detectors  detectors/: one module per kind, each proposes findings
  context    context/: the cues around each finding (rule talk, negation, past, quotation, the work)
  policy     policy.py: the final severity of each finding, overlaps, the Report
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from companion.engine import context, policy
from companion.engine.detectors import DETECTORS
from companion.engine.detectors.base import found_by
from companion.engine.document import DEFAULT_CHAT, Document
from companion.engine.model import MAX_TEXT_CHARS, SURFACES, Report
from companion.engine.text import normalize
from companion.errors import TextTooLongError, UnknownSurfaceError


def analyze(
    text: str, *, surface: str = "message", allow: Iterable[str] = (), platform: str | None = None
) -> Report:
    """Find off-platform contact details in `text`; spans are code-point offsets into `text`.

    `platform`: the marketplace's name ("Upwork") for the wording of suggestions ("Let's keep the
    conversation here in Upwork messages."; data/platform_chats.tsv); None says "the order chat"."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(len(text), MAX_TEXT_CHARS)
    if surface not in SURFACES:
        raise UnknownSurfaceError(surface)
    if platform is not None and not isinstance(platform, str):
        raise TypeError(f"platform must be str or None, not {type(platform).__name__}")
    if not text or text.isspace():
        return Report()
    doc = Document(text, normalize(text), surface, _platform_name(platform))
    findings = [f for detect in DETECTORS for f in found_by(doc, detect)]
    findings = context.annotate(doc, findings)
    report = policy.decide(doc, findings, frozenset(a.strip().lower() for a in allow) if allow else _NOTHING_ALLOWED)
    return _in_platform_words(doc, report)


_NOTHING_ALLOWED: frozenset[str] = frozenset()


def _in_platform_words(doc: Document, report: Report) -> Report:
    """The report with each suggestion naming the platform's place to talk (Document.worded)."""
    if doc.chat == DEFAULT_CHAT or not any(f.suggestion for f in report.findings):
        return report
    return Report(tuple(f if (worded := doc.worded(f.suggestion)) == f.suggestion else replace(f, suggestion=worded)
                        for f in report.findings))


def _platform_name(platform: str | None) -> str | None:
    """A short, printable platform name for suggestions, or None."""
    if platform is None:
        return None
    name = " ".join(platform.split())[:40]
    return name if name and name.isprintable() else None
