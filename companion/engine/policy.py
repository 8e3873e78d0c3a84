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

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from operator import attrgetter

from companion.engine.cues import (
    Hit,
    alternation,
    breaks,
    cancelled,
    is_allowed,
    label,
    cues_of,
    span_around,
    within,
)
from companion.engine.document import Document
from companion.engine.model import Candidate, Finding, Kind, Report, Severity, Strength

_SEVERITY = {
    Strength.IDENTIFIER: Severity.BLOCK,
    Strength.REQUEST: Severity.WARN,
    Strength.EXCEPTION: Severity.INFO,
    Strength.ADVICE: Severity.INFO,
}

RULE_TALK_SUGGESTION = "Let's keep everything here in the order chat."
NEGATION_SUGGESTION = "Let's keep all communication here in the order chat."
PAST_SUGGESTIONS = {"agreed": "as we agreed earlier", "mentioned": "as I mentioned earlier"}


def decide(doc: Document, candidates: list[Candidate], allow: frozenset[str]) -> Report:
    if not candidates:
        return Report()
    strengths = {c.strength for c in candidates}
    bounds = context = content = None
    if Strength.REQUEST in strengths and not cues_of(doc).classes.isdisjoint(_CONTEXT_CLASSES):
        bounds = _Bounds(doc)  # cheap: sentences and clauses are only computed when asked for
        context = _Context(doc, bounds)
    if Strength.IDENTIFIER in strengths and "place" in cues_of(doc).classes:
        bounds = bounds or _Bounds(doc)
        content = _DesignContent(doc, bounds)
    if context is not None or content is not None:
        candidates = [_reread(c, context, content) for c in candidates]
    # Advice is settled apart from the real findings (below) when there is advice and something to
    # weigh it against; a lone candidate is its own finding, whatever it is.
    if len(candidates) > 1 and (Strength.ADVICE in strengths or context is not None or content is not None):
        advice_kind = Kind.FILTER_RISK  # read once: an enum member lookup costs more than a local
        real = [c for c in candidates if c.kind is not advice_kind]
        advice = [c for c in candidates if c.kind is advice_kind] if real else candidates
    else:
        real, advice = candidates, ()
    if allow:
        findings = [_finding(c, allow) for c in real]
    else:  # the common case, without a call per candidate
        findings = [
            Finding(c.kind, _SEVERITY[c.strength], c.start, c.end, c.rule, c.reason, c.channel, c.suggestion, c.mask)
            for c in real
        ]
    if len(findings) > 1:
        findings.sort(key=_position)
        if _needs_dedupe(findings):
            findings = sorted(_without_overlaps(findings), key=_position)
    if advice:  # settled on the candidates, so advice that a real finding covers costs no Finding
        if len(advice) > 1:
            advice = _advice_without_overlaps(advice)
        if findings:
            advice = _uncovered_advice(bounds or _Bounds(doc), findings, advice)
        if advice:  # advice is info whatever `allow` says
            info = Severity.INFO
            findings += [Finding(c.kind, info, c.start, c.end, c.rule, c.reason, c.channel, c.suggestion, c.mask) for c in advice]
            if len(findings) > 1:
                findings.sort(key=_position)
    return Report(tuple(findings))


_CONTEXT_CLASSES = frozenset({"neg", "rule", "past"})
_position = attrgetter("start", "end", "kind")  # how findings are ordered (read in C)


def _reread(c: Candidate, context: _Context | None, content: _DesignContent | None) -> Candidate:
    """The candidate in its context: rule talk, negation or a past reference for a request, the
    deliverable's content for a handle or link."""
    if context is not None and c.strength == Strength.REQUEST:
        return context.reread(c)
    if content is not None and c.strength == Strength.IDENTIFIER and c.kind in _CONTENT_KINDS:
        return content.reread(c)
    return c


def _needs_dedupe(findings: list[Finding]) -> bool:
    """Whether _without_overlaps has work (findings sorted by start): two findings of one kind
    overlap, or a request overlaps an identifier. Advice next to a real finding is handled apart."""
    furthest: dict[Kind, int] = {}
    furthest_block = -1
    request, block = Kind.OFFPLATFORM_REQUEST, Severity.BLOCK  # locals: enum member lookups cost more
    for f in findings:
        kind, start, end = f.kind, f.start, f.end
        reach = furthest.get(kind, -1)
        if start < reach or (kind is request and start < furthest_block):
            return True
        if end > reach:
            furthest[kind] = end
        if end > furthest_block and f.severity is block:
            furthest_block = end
    return False


class _Bounds:
    """Sentences and clauses of the ORIGINAL text, computed when first asked. When the view maps
    1:1 onto the text (ASCII input) the cue scan's own bounds are the same and are reused."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.view = doc.view
        self.cues = cues_of(doc)
        self.identity = doc.view.is_identity
        self._sentences: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self._clauses: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    def sentence(self, pos: int) -> tuple[int, int]:
        if self.identity:
            return self.cues.sentence(pos)
        if self._sentences is None:
            self._sentences = breaks(self.text, self.cues.contrasts(self.view.to_original, self.text))
        return span_around(self._sentences, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        if self.identity:
            return self.cues.clause(pos)
        if self._clauses is None:
            self._clauses = breaks(self.text, self.cues.contrasts(self.view.to_original, self.text), clauses=True)
        return span_around(self._clauses, pos, len(self.text))


def _finding(c: Candidate, allow: frozenset[str]) -> Finding:
    severity = _SEVERITY[c.strength]
    reason = c.reason
    if allow and severity > Severity.INFO and is_allowed(c.channel, allow):
        severity = Severity.INFO
        reason = f"Support approved {label(c.channel)} for this order, so this is fine here."
    return Finding(c.kind, severity, c.start, c.end, c.rule, reason, c.channel, c.suggestion, c.mask)


class _Context:
    """Negation, rule-talk and past-reference cues of one document, as hits in ORIGINAL offsets."""

    def __init__(self, doc: Document, bounds: _Bounds) -> None:
        cues = bounds.cues
        self.negations, self.cancels, self.rules, self.pasts = (
            _in_original(doc, cues.of(cls)) for cls in ("neg", "neg_cancel", "rule", "past")
        )
        self.bounds = bounds

    def reread(self, c: Candidate) -> Candidate:
        """The candidate, or filter_risk advice when its context says it is not a request."""
        if self.rules:
            s_start, s_end = self.bounds.sentence(c.start)
            if within(self.rules, max(s_start, c.start - _REACH), min(s_end, c.end + _REACH)):
                return _advice(c, "filter_risk.rule_talk", RULE_TALK_SUGGESTION)
        if not self.negations and not self.pasts:
            return c
        c_start, c_end = self.bounds.clause(c.start)
        for neg in within(self.negations, max(c_start, c.start - _REACH), min(c_end, c.end + _REACH)):
            if cancelled(neg, self.cancels):
                continue
            # Before the request, or anywhere in its clause for "nicht"/"nahi" that follow their verb.
            if neg.end <= c.end or neg.arg == "after":
                return _advice(c, "filter_risk.negated", NEGATION_SUGGESTION)
        for past in within(self.pasts, max(c_start, c.start - _REACH), c.start):
            return _advice(c, "filter_risk.past_reference", PAST_SUGGESTIONS.get(past.arg or ""))
        return c


# A handle or link the buyer wants IN the work ("put our Instagram @novacafe on the flyer",
# "add instagram.com/novacafe to the footer") is content of the deliverable. Emails and phone numbers
# stay blocked: the platform's filter holds them whatever they are for.
_CONTENT_KINDS = frozenset({Kind.HANDLE, Kind.LINK})
_PLACEMENT = re.compile(rf"(?<![\w-])(?:{alternation('placement_verbs')})(?![\w-])", re.IGNORECASE)
_IN_DELIVERABLE = re.compile(
    r"(?<![\w-])(?:(?:on|in|into|onto|under|below|above|across|at)\s+(?:(?:the|our|my|your|a|an|this|that|each|every|its|their)\s+)?"
    r"|to\s+(?:the|our|my|your|this|that|each|every|its|their)\s+)(?:[\w'’-]+\s+){0,2}?"
    rf"(?:{alternation('deliverables')})s?(?![\w-])",
    re.IGNORECASE,
)
_CONTENT_REASON = (
    "This looks like content for the work itself, which is fine, but the platform's automatic filter may "
    "still hold a message with a contact handle or link in it."
)
_CONTENT_SUGGESTION = "Add the handle or link to the order requirements or a file instead of the chat message."


class _DesignContent:
    """Identifiers placed in the deliverable by a placement verb, with no request in the sentence."""

    def __init__(self, doc: Document, bounds: _Bounds) -> None:
        self.text = doc.text
        self.bounds = bounds
        self.requests = _in_original(doc, bounds.cues.of("reach", "ask", "offer", "direct", "talk", "outside"))

    def reread(self, c: Candidate) -> Candidate:
        s_start, s_end = self.bounds.sentence(c.start)
        # The verb before the identifier ("put our @x on the flyer") or after it ("..., put it on the flyer").
        verb = _PLACEMENT.search(self.text, max(s_start, c.start - 80), c.start) or _PLACEMENT.search(
            self.text, c.end, min(s_end, c.end + 80)
        )
        if verb is None or within(self.requests, s_start, s_end):
            return c
        if not _IN_DELIVERABLE.search(self.text, verb.end(), min(s_end, c.end + 80)):
            return c
        return Candidate(
            Kind.FILTER_RISK,
            Strength.ADVICE,
            c.start,
            c.end,
            "filter_risk.design_content",
            _CONTENT_REASON,
            c.channel,
            _CONTENT_SUGGESTION,
        )


# How far from a candidate its context may be (characters): keeps every lookup bounded.
_REACH = 200


_ADVICE_REASON = (
    "This talks about the rules rather than asking to leave the platform, but the platform's "
    "automatic filter may still hold it because it names an outside channel."
)


def _advice(c: Candidate, rule: str, suggestion: str | None) -> Candidate:
    # Built directly: dataclasses.replace() costs over twice as much.
    return Candidate(Kind.FILTER_RISK, Strength.ADVICE, c.start, c.end, rule, _ADVICE_REASON, c.channel, suggestion)


def _in_original(doc: Document, hits: list[Hit]) -> list[Hit]:
    """Cue hits in ORIGINAL offsets (the same list when the view maps 1:1 onto the text)."""
    view = doc.view
    if view.is_identity:
        return hits
    return [Hit(*view.to_original(h.start, h.end), h.cls, h.arg) for h in hits]


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
    """Non-overlapping findings (or advice candidates) of one kind, kept sorted by start for O(log n)
    overlap checks."""

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


def _advice_without_overlaps(advice: list[Candidate]) -> list[Candidate]:
    """Non-overlapping advice, the longest (then the first) winning, as _without_overlaps does for
    a kind whose findings are all of one severity."""
    spans = _Spans()
    for c in sorted(advice, key=lambda c: (c.start - c.end, c.start)):
        spans.add_if_free(c)
    return spans.findings


def _uncovered_advice(bounds: _Bounds, real: list[Finding], advice: list[Candidate]) -> list[Candidate]:
    """The advice that no real finding (`real`, sorted by start) covers: neither the same words nor
    the sentence of a warning or worse."""
    starts = [f.start for f in real]
    reach = list(accumulate((f.end for f in real), max))  # reach[i]: furthest end among real[: i + 1]
    serious = None  # sentences with a warning or worse, computed when first needed
    out = []
    for a in advice:
        i = bisect_left(starts, a.end)  # real findings that start before a ends
        if i and reach[i - 1] > a.start:
            continue  # a real finding overlaps it
        if serious is None:
            serious = {bounds.sentence(r.start) for r in real if r.severity >= Severity.WARN}
        if serious and bounds.sentence(a.start) in serious:
            continue
        out.append(a)
    return out
