"""Turns detector candidates into findings with severities, and the findings into a Report.

1. Context: a REQUEST-strength candidate (a request, payment talk) said as rule talk ("it's against
   the ToS", "Fiverr doesn't allow"), under a negation in its clause ("please don't share your
   email") or as a past reference ("as we agreed on the call") is not a request: it becomes
   filter_risk advice. Concrete identifiers are never downgraded ("don't tell anyone, my number
   is ..." is still a number).
2. Severity from strength: IDENTIFIER block, REQUEST warn, EXCEPTION and ADVICE info.
3. `allow`: a finding on a channel (or category) support approved for the order becomes info.
4. Overlaps: per kind, non-overlapping spans, the most severe and then the longest wins; a request
   inside an identifier of the same channel adds nothing; filter_risk advice is dropped where a
   real finding covers the same words or the same sentence.
Pure: no I/O, no global state.
"""

from __future__ import annotations

from dataclasses import replace

from companion.engine.cues import CLAUSE_BREAK, SENTENCE_BREAK, Hit, breaks, is_allowed, label, scan, span_around
from companion.engine.document import Document
from companion.engine.model import Candidate, Finding, Kind, Report, Severity, Strength

_SEVERITY = {
    Strength.IDENTIFIER: Severity.BLOCK,
    Strength.REQUEST: Severity.WARN,
    Strength.EXCEPTION: Severity.INFO,
    Strength.ADVICE: Severity.INFO,
}

# Negators that follow the verb they negate ("ich darf ... nicht geben", "share karna nahi").
_POSTVERBAL = frozenset({"nicht", "pas", "nahi", "nahin", "mat"})

RULE_TALK_SUGGESTION = "Let's keep everything here in the order chat."
NEGATION_SUGGESTION = "Let's keep all communication here in the order chat."
PAST_SUGGESTIONS = {"agreed": "as we agreed earlier", "mentioned": "as I mentioned earlier"}


def decide(doc: Document, candidates: list[Candidate], allow: frozenset[str]) -> Report:
    if not candidates:
        return Report()
    context = _Context(doc) if any(c.strength == Strength.REQUEST for c in candidates) else None
    findings = []
    for c in candidates:
        if context is not None and c.strength == Strength.REQUEST:
            c = context.reread(c)
        findings.append(_finding(c, allow))
    findings = _without_overlaps(findings)
    findings = _without_covered_advice(doc, findings)
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return Report(tuple(findings))


def _finding(c: Candidate, allow: frozenset[str]) -> Finding:
    severity = _SEVERITY[c.strength]
    reason = c.reason
    if severity > Severity.INFO and is_allowed(c.channel, allow):
        severity = Severity.INFO
        reason = f"Support approved {label(c.channel)} for this order, so this is fine here."
    return Finding(c.kind, severity, c.start, c.end, c.rule, reason, c.channel, c.suggestion, c.mask)


class _Context:
    """Negation, rule-talk and past-reference cues of one document, in original offsets."""

    def __init__(self, doc: Document) -> None:
        view = doc.view
        cues = scan(view.text)

        def mapped(*classes: str) -> list[tuple[int, int, Hit]]:
            return [(*view.to_original(h.start, h.end), h) for h in cues.of(*classes)]

        self.negations = mapped("neg")
        self.cancels = mapped("neg_cancel")
        self.rules = mapped("rule")
        self.pasts = mapped("past")
        self.sentences = breaks(SENTENCE_BREAK, doc.text)
        self.clauses = breaks(CLAUSE_BREAK, doc.text)
        self.text = doc.text
        self.view_text = view.text

    def reread(self, c: Candidate) -> Candidate:
        """The candidate, or filter_risk advice when its context says it is not a request."""
        s_start, s_end = span_around(self.sentences, c.start, len(self.text))
        if any(s_start <= a and b <= s_end for a, b, _ in self.rules):
            return _advice(c, "filter_risk.rule_talk", RULE_TALK_SUGGESTION)
        c_start, c_end = span_around(self.clauses, c.start, len(self.text))
        for a, b, hit in self.negations:
            if not (c_start <= a and b <= c_end) or self._cancelled(a, b):
                continue
            if b <= c.start or (a < c.end and b <= c.end and a >= c.start) or self._postverbal(hit):
                return _advice(c, "filter_risk.negated", NEGATION_SUGGESTION)
        for a, b, hit in self.pasts:
            if c_start <= a and b <= c.start:
                return _advice(c, "filter_risk.past_reference", PAST_SUGGESTIONS.get(hit.arg or "", None))
        return c

    def _cancelled(self, a: int, b: int) -> bool:
        return any(x <= a and b <= y for x, y, _ in self.cancels)

    def _postverbal(self, hit: Hit) -> bool:
        return self.view_text[hit.start : hit.end] in _POSTVERBAL


def _advice(c: Candidate, rule: str, suggestion: str | None) -> Candidate:
    return replace(
        c,
        kind=Kind.FILTER_RISK,
        strength=Strength.ADVICE,
        rule=rule,
        reason=(
            "This talks about the rules rather than asking to leave the platform, but the platform's "
            "automatic filter may still hold it because it names an outside channel."
        ),
        suggestion=suggestion,
        mask=None,
    )


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    by_kind: dict[Kind, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (-f.severity, -(f.end - f.start), f.start)):
        kept = by_kind.setdefault(f.kind, [])
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    out = [f for kept in by_kind.values() for f in kept]
    identifiers = [f for f in out if f.severity == Severity.BLOCK]
    if identifiers:
        out = [
            f
            for f in out
            if not (
                f.kind == Kind.OFFPLATFORM_REQUEST
                and any(i.channel == f.channel and i.start <= f.start and f.end <= i.end for i in identifiers)
            )
        ]
    return out


def _without_covered_advice(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Drop filter_risk advice where a real finding covers the same words or sentence."""
    real = [f for f in findings if f.kind != Kind.FILTER_RISK]
    if not real or len(real) == len(findings):
        return findings
    sentences = breaks(SENTENCE_BREAK, doc.text)
    serious = [span_around(sentences, f.start, len(doc.text)) for f in real if f.severity >= Severity.WARN]
    out = []
    for f in findings:
        if f.kind == Kind.FILTER_RISK:
            if any(f.start < r.end and r.start < f.end for r in real):
                continue
            s = span_around(sentences, f.start, len(doc.text))
            if s in serious:
                continue
        out.append(f)
    return out
