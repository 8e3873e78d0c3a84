"""Meeting in person (OFFPLATFORM_REQUEST, warn): "Fancy meeting at the Corn Exchange to go through the
sketches in person?", "¿quedamos en un café de Ruzafa?", "梅田のカフェで直接お会いして", "kita tayo sa SM
North". An address to meet at asks to deal off the platform (tests/corpus/LABELING.md, Postal
addresses), where the order no longer protects either side.

The packs say it with three phrase classes: a verb of meeting up (`meet`; `meet:at` holds the place's
preposition, "meet at", "quedamos en", "afspreken bij"), in person (`in_person`; `in_person:meet` says
both, "直接お会い", "milke baat") and a place to sit down (`venue`: "a coffee", "カフェ", "chai pe"). A
sentence asks to meet when it holds two of the three, a phrase that says both, or a `meet:at` with
a place after it (not a time: "meet at 5 on the order's call"). English verbs of meeting are
proposals ("let's meet", "shall we meet"): "students meet up after class" describes the work.
"Meet the deadline", "nice to meet you", a café's address on a flyer and a postal address to ship
to hold one or none. Rule talk, negation, reports and quotations are the context stage's
(context/framing.py), as for every request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from companion.engine.context.scan import Hit, cues_of, within
from companion.engine.detectors.base import bounded
from companion.engine.document import Document
from companion.engine.lexicon.compiled import regex
from companion.engine.model import Finding, Kind, Severity

_CLASSES = ("meet", "in_person", "venue")
_CLAUSE_END = regex(r"[,.;:!?()\n\u3001\u3002\uff0c\uff1f]")
_GATE = frozenset(_CLASSES)
# The platform itself in the sentence ("meet on the order's call", "let's meet here"): no move off it.
_HERE = ("here", "internal")


def detect(doc: Document) -> Iterable[Finding]:
    cues = cues_of(doc)
    if cues.classes.isdisjoint(_GATE):
        return ()  # the pre-check: the cue scan found no word of meeting up
    return _meetings(doc, cues)


@bounded
def _meetings(doc: Document, cues) -> Iterator[Finding]:
    hits = cues.of(*_CLASSES)
    done = -1
    for hit in hits:
        if hit.start < done:
            continue
        s_start, s_end = cues.sentence(hit.start)
        done = s_end
        found = within(hits, s_start, s_end)
        classes = {h.cls for h in found}
        if not (len(classes) >= 2 or any(h.arg == "meet" or h.arg == "at" and _place_after(doc, h) for h in found)):
            continue
        if within(cues.of(*_HERE), s_start, s_end):
            continue
        start, end = doc.view.to_original(min(h.start for h in found), max(h.end for h in found))
        yield Finding(
            Kind.OFFPLATFORM_REQUEST,
            Severity.WARN,
            start,
            end,
            "request.meet",
            "Meeting in person takes the deal off the platform, where the order no longer protects either side.",
            "offplatform",
            "Let's go through it here in the order chat.",
            None,
        )


def _place_after(doc: Document, hit: Hit) -> bool:
    """Whether a place's name follows "meet at" in its clause: a capitalized word among the next three
    ("meet at the Corn Exchange", "kita tayo sa SM North"), not a time ("meeting at noon", "meet at 5")."""
    end = doc.view.to_original(hit.start, hit.end)[1]
    for word in _CLAUSE_END.split(doc.text[end : end + 40], 1)[0].split()[:3]:
        if word[0].isdigit():
            return False
        if word[0].isupper():
            return True
    return False
