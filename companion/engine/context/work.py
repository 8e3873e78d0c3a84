"""Whether a channel or identifier is the subject or the content of the work rather than a contact:
"Telegram bot", "email template", "phone case"; "put our Instagram @novacafe on the flyer"."""

from __future__ import annotations

import re

from companion.engine.context.scan import Hit, within
from companion.engine.lexicon.grammar import GRAMMAR, WORK_OBJECT_AFTER, grammar_pattern
from companion.engine.text import whole_word, word_chars
from companion.engine.lexicon.compiled import regex


# "Google Meet pe screen share kar lo": sharing a screen on a call is no screen of the work.
_SCREEN_SHARED = regex(r"\s+screen[\s-]?shar")


# Languages that put the noun first name the element of the work before the channel or call word
# ("un bouton WhatsApp", "nút gọi điện", "botón de llamar", "кнопка звонка"; pack-only grammar list
# work_nouns_before, an optional "of" word between): the one or two words before it, looked up in sets
# (this runs for every channel hit that no noun follows, so no regex pass over the text before it).
_NOUNS_BEFORE = frozenset(GRAMMAR.get("work_nouns_before", ()))
_OF_WORDS = frozenset(GRAMMAR.get("third_party_of", ()))
# Hindi/Urdu name it after a genitive particle ("call ka button", "واٹس ایپ کا بٹن").
_GENITIVE_WORK_AFTER = regex(
    rf"\s+(?:{grammar_pattern('work_genitives')})\s+(?:{grammar_pattern('work_nouns_before')})(?![^\W_])"
)


def _named_before(text: str, start: int) -> bool:
    words = text[max(0, start - 24) : start].split()
    if not words:
        return False
    last = words[-1]
    if last in _NOUNS_BEFORE:
        return True
    return len(words) > 1 and last in _OF_WORDS and words[-2] in _NOUNS_BEFORE


def is_work_object(text: str, hit: Hit) -> bool:
    """True when the words after a channel or contact noun make it the subject of the work
    ("Telegram bot", "email template", "phone case", "number of pages"), or the element of the work
    named right before it ("un bouton WhatsApp", "nút gọi điện")."""
    if WORK_OBJECT_AFTER.match(text, hit.end) is not None:
        return _SCREEN_SHARED.match(text, hit.end) is None
    return _named_before(text, hit.start) or _GENITIVE_WORK_AFTER.match(text, hit.end) is not None


# "customers will pay on my website": who pays is the people the work serves, not the buyer.
_PAYING_SUBJECTS = regex(whole_word(grammar_pattern("payment_work_subjects")))


def paid_by_the_work(text: str, start: int, end: int) -> bool:
    """Whether the words in [start, end) (a clause) name who pays as the work's own users."""
    return _PAYING_SUBJECTS.search(text, start, end) is not None


# A handle or link the buyer wants IN the work ("put our Instagram @novacafe on the flyer",
# "add instagram.com/novacafe to the footer") is content of the deliverable.
# Word bounds of the shared kind (text.whole_word): a verb ending in a vowel sign still ends there.
_PLACEMENT_VERBS = grammar_pattern("placement_verbs")
_PLACEMENT = regex(rf"(?<![-{word_chars(_PLACEMENT_VERBS)}])(?:{_PLACEMENT_VERBS})(?![-{word_chars(_PLACEMENT_VERBS)}])", re.IGNORECASE)
_IN_DELIVERABLE = regex(
    r"(?<![\w-])(?:(?:on|in|into|onto|under|below|above|across|at)\s+(?:(?:the|our|my|your|a|an|this|that|each|every|its|their)\s+)?"
    r"|to\s+(?:the|our|my|your|this|that|each|every|its|their)\s+)(?:[\w'’-]+\s+){0,2}?"
    rf"(?:{grammar_pattern('deliverables')})s?(?![\w-])",
    re.IGNORECASE,
)
REQUEST_CLASSES = ("reach", "ask", "offer", "direct", "talk", "outside")


def placement_verb_in(text: str, start: int, end: int) -> bool:
    """Whether a placement verb ("add", "put", "upload") stands in text[start:end] (original text)."""
    return _PLACEMENT.search(text, start, end) is not None


def placed_in_work(text: str, sentence: tuple[int, int], start: int, end: int, requests: list[Hit]) -> bool:
    """Whether a placement verb puts the span [start, end) of `text` (original offsets) into the
    deliverable, with no request (`requests`, original offsets) in its sentence."""
    s_start, s_end = sentence
    # The verb before the identifier ("put our @x on the flyer") or after it ("..., put it on the flyer").
    verb = _PLACEMENT.search(text, max(s_start, start - 80), start) or _PLACEMENT.search(text, end, min(s_end, end + 80))
    if verb is None or within(requests, s_start, s_end):
        return False
    return _IN_DELIVERABLE.search(text, verb.end(), min(s_end, end + 80)) is not None


def in_the_work(start: int, end: int, clause: tuple[int, int], works: list[Hit], verbs: list[Hit]) -> bool:
    """Whether a request at [start, end) is said inside the deliverable: a word of the work (`works`,
    the `work` phrases: a place in it, "in the footer", "网站底部", "cuối trang"; what it is, "a
    chatbot") stands in its clause, and no verb that reaches someone (`verbs`) lies inside it: a
    company's contact details placed at the bottom of its site, a bot that answers on LINE. All in
    the same offsets, sorted by start."""
    c_start, c_end = clause
    if not within(works, max(c_start, start - 120), min(c_end, end + 120)):
        return False
    return not within(verbs, start, end)
