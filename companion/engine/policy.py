"""The `policy` stage: decides each finding's final severity from its kind, the cues the context
stage noted, the surface and `allow`, settles overlaps, and builds the Report. It decides; it does
not detect (no text is searched here).

1. Framing: a request or payment talk (`warn`) said as rule talk, under a negation, as a past
   reference or as a quoted label is no request: it is dropped. (Where such text still holds what
   the platform's naive filter catches, the filter_risk detector has its own advice.) Concrete
   identifiers are never excused ("don't tell anyone, my number is ..." is still a number).
2. The work: a handle or link placed into the deliverable ("put our Instagram @novacafe on the
   flyer") is `info`, with a reason saying so. Emails and phone numbers stay blocked: the platform's
   filter holds them whatever they are for.
3. `allow`: a finding on a channel (or category) support approved for the order becomes `info`.
4. Overlaps: per kind, non-overlapping spans, the most severe and then the longest wins; a request
   inside an identifier of the same channel adds nothing; filter_risk advice is dropped where a
   real finding covers the same words or the same sentence has a warning.
Pure: no I/O, no global state.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from operator import attrgetter

from companion.engine.context import bounds_of
from companion.engine.document import Document
from companion.engine.lexicon.registry import category_of, label
from companion.engine.model import Finding, Kind, Report, Severity

# Cues that make a request no request.
# A request inside the content of the work ("公司的联系方式放在网站底部") is no request either.
_EXCUSING = frozenset({"rule_talk", "negated", "past", "quoted", "naming", "placed_in_work", "conceded", "order_paid"})
_CONTENT_REASON = (
    "This looks like content for the work itself, which is fine, but the platform's automatic filter may "
    "still hold a message with a contact handle or link in it."
)
_CONTENT_SUGGESTION = "Add the handle or link to the order requirements or a file instead of the chat message."
_CALLS = frozenset({"call", "video_call"})


def decide(doc: Document, findings: list[Finding], allow: frozenset[str]) -> Report:
    if not findings:
        return Report()
    home = doc.home_channel
    if home is not None:
        # Talking on the platform the text is written on is staying on it ("message me on Upwork").
        request = Kind.OFFPLATFORM_REQUEST
        findings = [f for f in findings if not (f.kind is request and f.channel == home)]
        if not findings:
            return Report()
    findings = [d for d in (_decided(f, allow) for f in findings) if d is not None]
    advice_kind = Kind.FILTER_RISK  # read once: an enum member lookup costs more than a local
    real = [f for f in findings if f.kind is not advice_kind]
    advice = [f for f in findings if f.kind is advice_kind]
    if len(real) > 1:
        real.sort(key=_position)
        if _needs_dedupe(real):
            real = sorted(_without_overlaps(real), key=_position)
    if advice:
        if len(advice) > 1:
            advice = _advice_without_overlaps(advice)
        if real:
            advice = _uncovered_advice(doc, real, advice)
    out = real + advice
    if advice and real:
        out.sort(key=_position)
    elif len(out) > 1:
        out.sort(key=_position)
    return Report(tuple(out))


def _decided(f: Finding, allow: frozenset[str]) -> Finding | None:
    """The finding at its final severity, or None when it is dropped."""
    cues = f.cues
    if cues:
        if f.severity is Severity.WARN and not cues.isdisjoint(_EXCUSING):
            return None
        if "placed_in_work" in cues:
            return Finding(f.kind, Severity.INFO, f.start, f.end, f.rule, _CONTENT_REASON, f.channel, _CONTENT_SUGGESTION, f.mask, cues)
    if allow and f.severity > Severity.INFO and f.kind is not Kind.FILTER_RISK and is_allowed(f.channel, allow):
        reason = f"Support approved {label(f.channel)} for this order, so this is fine here."
        return Finding(f.kind, Severity.INFO, f.start, f.end, f.rule, reason, f.channel, f.suggestion, f.mask, cues)
    return f


def is_allowed(channel: str | None, allow: frozenset[str]) -> bool:
    """True when `allow` names the channel or one of its categories. A call that names no app
    ("let's hop on a call") is covered by any approved call app ("zoom") or call category."""
    if not allow or not channel:
        return False
    if channel in allow or category_of(channel) & allow:
        return True
    return channel == "call" and any(a in _CALLS or category_of(a) & _CALLS for a in allow)


_position = attrgetter("start", "end", "kind")  # how findings are ordered (read in C)


def _needs_dedupe(findings: list[Finding]) -> bool:
    """Whether _without_overlaps has work (findings sorted by start): two findings of one kind
    overlap, or a request overlaps an identifier."""
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


def _advice_without_overlaps(advice: list[Finding]) -> list[Finding]:
    """Non-overlapping advice, the longest (then the first) winning."""
    spans = _Spans()
    for f in sorted(advice, key=lambda f: (f.start - f.end, f.start)):
        spans.add_if_free(f)
    return spans.findings


def _uncovered_advice(doc: Document, real: list[Finding], advice: list[Finding]) -> list[Finding]:
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
            bounds = bounds_of(doc)
            serious = {bounds.sentence(r.start) for r in real if r.severity >= Severity.WARN}
        if serious and bounds_of(doc).sentence(a.start) in serious:
            continue
        out.append(a)
    return out
