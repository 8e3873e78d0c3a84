"""Turns detector candidates into findings with severities (placeholder, replaced by the real policy)."""

from __future__ import annotations

from companion.engine.document import Document
from companion.engine.model import Candidate, Finding, Report, Severity, Strength

_SEVERITY = {
    Strength.IDENTIFIER: Severity.BLOCK,
    Strength.REQUEST: Severity.WARN,
    Strength.EXCEPTION: Severity.INFO,
    Strength.ADVICE: Severity.INFO,
}


def decide(doc: Document, candidates: list[Candidate], allow: frozenset[str]) -> Report:
    findings = [
        Finding(c.kind, _SEVERITY[c.strength], c.start, c.end, c.rule, c.reason, c.channel, c.suggestion, c.mask)
        for c in candidates
    ]
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return Report(tuple(findings))
