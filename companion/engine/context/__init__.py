"""The `context` stage: the cues around each finding's span, noted on the finding (`Finding.cues`)
for the policy to weigh. It never changes a kind, a span or a severity.

  request framing  framing.py  rule talk, negation, past reference, quotation (requests and
                               payment talk only: a concrete identifier is never excused)
  the work         work.py     an identifier placed into the deliverable ("on the flyer"); a
                               request said inside the deliverable ("公司的联系方式放在网站底部")
  shared           scan.py     the one-pass cue scan, sentences and clauses
                   ids.py      ids next to a channel cue (used by the handle and payment detectors)
"""

from __future__ import annotations

from companion.engine.context.framing import answered_with_refusal, framing, in_quotation, on_quoted_line, order_paid_sentences, quoted
from companion.engine.context.scan import Hit, breaks, cues_of, span_around, within
from companion.engine.context.work import REQUEST_CLASSES, in_the_work, placed_in_work
from companion.engine.document import Document
from companion.engine.lexicon.compiled import regex
from companion.engine.lexicon.grammar import QUESTION_TAIL
from companion.engine.model import Finding, Kind, Severity

_FRAMING_CLASSES = frozenset({"neg", "rule", "past", "naming", "reportlabel"})
_CONTENT_KINDS = frozenset({Kind.HANDLE, Kind.LINK})
# Verbs that reach someone: a request holding one ("message me on WhatsApp about the footer") asks,
# whatever its clause says about the work.
_VERB_CLASSES = ("reach", "talk", "modal", "callverb", "callword")
# Requests that only say a channel is better or ask whether it is there: conceded in their sentence
# ("I know WhatsApp is easier", "LINEの方が便利なのはわかりますが") they are the writer's "yes, but".
_CONCEDABLE = frozenset({"request.preference", "request.have", "request.question"})
# Request and payment phrases whose own negation word says where, not "no" ("not through the site").
_NEGATING_PHRASES = frozenset({"outside", "elsewhere", "paydirect", "payfee", "feeskip", "direct"})
# Words of a reply that turns a quoted request down: a negation, rule talk, "here", the platform.
_REFUSING = ("neg", "rule", "here", "internal")


def _closes_sentence(cues, hit: Hit) -> bool:
    """Whether only what may follow a closing question particle stands between a hit and the end of its
    sentence (grammar QUESTION_TAIL)."""
    return QUESTION_TAIL.fullmatch(cues.text, hit.end, cues.sentence(hit.start)[1]) is not None


def annotate(doc: Document, findings: list[Finding]) -> list[Finding]:
    """`findings` with the cues found around each (the same objects where there is nothing to say)."""
    if not findings:
        return findings
    cues = cues_of(doc)
    requests = [f for f in findings if f.severity is Severity.WARN]
    framed = bool(requests) and not cues.classes.isdisjoint(_FRAMING_CLASSES)
    content = "place" in cues.classes and any(f.kind in _CONTENT_KINDS and f.severity is Severity.BLOCK for f in findings)
    if not requests and not content:
        return findings
    bounds = bounds_of(doc)
    text = doc.text
    if framed:
        rules, cancels, pasts, names = (in_original(doc, cues.of(c)) for c in ("rule", "neg_cancel", "past", "naming"))
        labels = in_original(doc, cues.of("reportlabel")[:1])  # a report's label opening the message ("Reklamo:")
        if "qparticle" in cues.classes:
            # A question particle that closes its sentence is no negation ("có zalo không": have you zalo?).
            closing = in_original(doc, [p for p in cues.of("qparticle") if _closes_sentence(cues, p)])
            cancels = sorted([*cancels, *closing], key=lambda h: h.start) if closing else cancels
        # A negation word inside a longer phrase of a request is that phrase's word ("không qua sàn":
        # not through the marketplace; "ohne die Gebühren").
        negations = in_original(doc, [n for n in cues.of("neg") if not cues.inside_phrase(n, _NEGATING_PHRASES.__contains__)])
        # A bare "no" refuses only with the platform named after it (neg:open_here): read its places then.
        places = in_original(doc, cues.of("here", "internal")) if any(n.arg == "open_here" for n in negations) else ()
    if content:
        request_hits = in_original(doc, cues.of(*REQUEST_CLASSES))
    # Words of the deliverable itself (a place in it, "in the footer"; what it is, "a chatbot").
    works = bool(requests) and "work" in cues.classes
    # "I know WhatsApp is easier, but...": a preference the writer concedes, not one they ask for.
    concedes = in_original(doc, cues.of("concede")) if requests and "concede" in cues.classes else None
    if works:
        work_hits, verbs = in_original(doc, cues.of("work")), in_original(doc, cues.of(*_VERB_CLASSES))
    quotes = bool(requests) and _may_quote(text)
    # A reply under a quoted line ("> ...\n") that refuses: the requests on that line are the quoted side's.
    replies = (
        bool(requests) and ">" in text and "\n" in text
        and not cues.classes.isdisjoint(_REFUSING)
        and answered_with_refusal(text, in_original(doc, cues.of(*_REFUSING)))
    )
    # Payment talk in a sentence that names the order by its number reports the order's payment.
    orders_paid = (
        _order_paid_spans(doc, cues)
        if any(f.kind is Kind.PAYMENT for f in requests) and "pay" in cues.classes and _has_digit(text)
        else ()
    )
    out = []
    for f in findings:
        found: set[str] = set()
        if f.severity is Severity.WARN:
            if orders_paid and f.kind is Kind.PAYMENT and any(a <= f.start < b for a, b in orders_paid):
                found.add("order_paid")
            if (
                f.kind is Kind.OFFPLATFORM_REQUEST and quoted(text, f.start)
                or quotes and in_quotation(text, f.start, f.end)
                or replies and on_quoted_line(text, f.start)
            ):
                found.add("quoted")
            if works and f.kind is Kind.OFFPLATFORM_REQUEST and in_the_work(f.start, f.end, bounds.clause(f.start), work_hits, verbs):
                found.add("placed_in_work")
            if concedes and (f.rule in _CONCEDABLE or f.rule == "request.direct") and _conceded(doc, cues, within(concedes, *bounds.sentence(f.start)), f):
                found.add("conceded")
            if framed:
                how = framing(
                    f.start, f.end, bounds.sentence(f.start), bounds.clause(f.start), rules, negations, cancels, pasts, names, text, places, labels
                )
                if how:
                    found.add(how)
        elif content and f.kind in _CONTENT_KINDS and f.severity is Severity.BLOCK:
            if placed_in_work(text, bounds.sentence(f.start), f.start, f.end, request_hits):
                found.add("placed_in_work")
        out.append(f if not found else _with_cues(f, found))
    return out


_REFUSAL_AFTER = 80  # characters from a conditional preference to the rule or refusal that answers it


def _conceded(doc: Document, cues, concedes: list[Hit], f: Finding) -> bool:
    """Whether a concession in the finding's sentence makes it the writer's "yes, but": "I know WhatsApp
    is easier" always; a conditional ("it would be easier on WhatsApp", "sería más fácil", concede:if)
    only with rule talk right after it, across the "but" ("..., but the rules don't allow it"; not "..., but I can't today")."""
    if any(c.arg != "if" for c in concedes):
        return f.rule in _CONCEDABLE  # "I know": preferences and questions only
    # A conditional stands before or after what it makes conditional ("Qua Zalo thì sẽ tiện hơn").
    # The rule hits in original offsets are mapped once per analysis, not once per finding (a text of
    # many requests and rule words made this quadratic).
    answers = doc.memo.get("rules_original")
    if answers is None:
        answers = doc.memo["rules_original"] = in_original(doc, cues.of("rule"))
    return bool(within(answers, f.end, f.end + _REFUSAL_AFTER))


_DIGIT = regex(r"\d")


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None  # one C-level scan: a Python loop per character cost 1.4 %


def _order_paid_spans(doc: Document, cues) -> list[tuple[int, int]]:
    """order_paid_sentences() in ORIGINAL offsets."""
    return [doc.view.to_original(a, b) for a, b in order_paid_sentences(cues) if a < b]


def _may_quote(text: str) -> bool:
    return '"' in text or "'" in text or any(c in text for c in "“„«「『")


def _with_cues(f: Finding, cues: set[str]) -> Finding:
    return Finding(f.kind, f.severity, f.start, f.end, f.rule, f.reason, f.channel, f.suggestion, f.mask, f.cues | cues)


class Bounds:
    """Sentences and clauses of the ORIGINAL text, computed when first asked. When the view maps
    1:1 onto the text (ASCII input) the cue scan's own bounds are the same and are reused."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.view = doc.view
        self.cues = cues_of(doc)
        self.identity = doc.view.is_identity
        self._contrasts: list[tuple[int, int]] | None = None
        self._sentences: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self._clauses: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    def sentence(self, pos: int) -> tuple[int, int]:
        if self.identity:
            return self.cues.sentence(pos)
        if self._sentences is None:
            self._sentences = breaks(self.text, self._contrast_spans())
        return span_around(self._sentences, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        if self.identity:
            return self.cues.clause(pos)
        if self._clauses is None:
            self._clauses = breaks(self.text, self._contrast_spans(), clauses=True)
        return span_around(self._clauses, pos, len(self.text))

    def _contrast_spans(self) -> list[tuple[int, int]]:
        """The contrast spans of the original text, found once for sentences and clauses alike."""
        if self._contrasts is None:
            self._contrasts = self.cues.contrasts(self.view.to_original, self.text)
        return self._contrasts


def bounds_of(doc: Document) -> Bounds:
    """The original-offset bounds of a document, made once per analysis."""
    bounds = doc.memo.get("bounds")
    if bounds is None:
        bounds = doc.memo["bounds"] = Bounds(doc)
    return bounds


def in_original(doc: Document, hits: list[Hit]) -> list[Hit]:
    """Cue hits in ORIGINAL offsets (the same list when the view maps 1:1 onto the text)."""
    view = doc.view
    if view.is_identity:
        return hits
    new = tuple.__new__  # Hit(...) goes through a Python-level __new__: several times slower
    lists = view.offset_lists()
    if lists is not None:  # a hit is never empty: its span maps through the lists
        starts, ends = lists
        return [new(Hit, (starts[a], ends[b - 1], cls, arg)) for a, b, cls, arg in hits]
    to_original = view.to_original
    return [new(Hit, (*to_original(a, b), cls, arg)) for a, b, cls, arg in hits]
