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

from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import accumulate

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
    if len(findings) > 1:
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
        self.length = len(doc.text)
        self.view_text = view.text

    def reread(self, c: Candidate) -> Candidate:
        """The candidate, or filter_risk advice when its context says it is not a request."""
        s_start, s_end = span_around(self.sentences, c.start, self.length)
        if _within(self.rules, max(s_start, c.start - _REACH), min(s_end, c.end + _REACH)):
            return _advice(c, "filter_risk.rule_talk", RULE_TALK_SUGGESTION)
        c_start, c_end = span_around(self.clauses, c.start, self.length)
        for a, b, hit in _within(self.negations, max(c_start, c.start - _REACH), min(c_end, c.end + _REACH)):
            if self._cancelled(a, b):
                continue
            if b <= c.start or b <= c.end or self._postverbal(hit):
                return _advice(c, "filter_risk.negated", NEGATION_SUGGESTION)
        for _, _, hit in _within(self.pasts, max(c_start, c.start - _REACH), c.start):
            return _advice(c, "filter_risk.past_reference", PAST_SUGGESTIONS.get(hit.arg or ""))
        return c

    def _cancelled(self, a: int, b: int) -> bool:
        return any(x <= a and b <= y for x, y, _ in _within(self.cancels, a - 20, b + 40))

    def _postverbal(self, hit: Hit) -> bool:
        return self.view_text[hit.start : hit.end] in _POSTVERBAL


# How far from a candidate its context may be (characters): keeps every lookup bounded.
_REACH = 200


def _first(item: tuple[int, int, Hit]) -> int:
    return item[0]


def _within(items: list[tuple[int, int, Hit]], a: int, b: int) -> list[tuple[int, int, Hit]]:
    """The (start, end, hit) items, sorted by start, that lie inside [a, b)."""
    i = bisect_left(items, a, key=_first)
    j = bisect_left(items, b, key=_first, lo=i)
    return [item for item in items[i:j] if item[1] <= b]


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
    by_kind: dict[Kind, _Spans] = {}
    for f in sorted(findings, key=lambda f: (-f.severity, -(f.end - f.start), f.start)):
        by_kind.setdefault(f.kind, _Spans()).add_if_free(f)
    out = [f for spans in by_kind.values() for f in spans.findings]
    identifiers = by_kind.get(Kind.HANDLE), by_kind.get(Kind.LINK), by_kind.get(Kind.EMAIL), by_kind.get(Kind.PHONE)
    blocking = [s for s in identifiers if s is not None]
    if blocking and Kind.OFFPLATFORM_REQUEST in by_kind:
        # A request inside an identifier of the same channel ("skype: live:john") adds nothing.
        out = [
            f
            for f in out
            if f.kind != Kind.OFFPLATFORM_REQUEST
            or not any(i.channel == f.channel and i.severity > f.severity for s in blocking for i in s.covering(f))
        ]
    return out


class _Spans:
    """Non-overlapping findings of one kind, kept sorted by start for O(log n) overlap checks."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.findings: list[Finding] = []

    def add_if_free(self, f: Finding) -> None:
        i = bisect_right(self.starts, f.start)
        if i and self.findings[i - 1].end > f.start:
            return
        if i < len(self.starts) and self.starts[i] < f.end:
            return
        self.starts.insert(i, f.start)
        self.findings.insert(i, f)

    def overlapping(self, start: int, end: int) -> list[Finding]:
        i = bisect_right(self.starts, start)
        lo = i - 1 if i and self.findings[i - 1].end > start else i
        j = bisect_left(self.starts, end, lo=lo)
        return self.findings[lo:j]

    def covering(self, f: Finding) -> list[Finding]:
        return [g for g in self.overlapping(f.start, f.end) if g.start <= f.start and f.end <= g.end]


def _without_covered_advice(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Drop filter_risk advice where a real finding covers the same words or sentence."""
    real = sorted((f for f in findings if f.kind != Kind.FILTER_RISK), key=lambda f: f.start)
    if not real or len(real) == len(findings):
        return findings
    starts = [f.start for f in real]
    reach = list(accumulate((f.end for f in real), max))  # reach[i]: furthest end among real[: i + 1]
    sentences = breaks(SENTENCE_BREAK, doc.text)
    length = len(doc.text)
    serious = {span_around(sentences, f.start, length) for f in real if f.severity >= Severity.WARN}
    out = []
    for f in findings:
        if f.kind == Kind.FILTER_RISK:
            i = bisect_left(starts, f.end)  # real findings that start before f ends
            if i and reach[i - 1] > f.start:
                continue  # a real finding overlaps it
            if span_around(sentences, f.start, length) in serious:
                continue
        out.append(f)
    return out
