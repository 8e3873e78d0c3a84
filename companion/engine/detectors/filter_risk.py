"""Benign text that still holds what the platform's naive keyword filter catches (a filter
trigger): a bare "@", the word "email", a channel the filter knows (Skype, WhatsApp, Telegram,
PayPal, Gmail, phone), "outside (of) Fiverr" — the `filter` class of the language packs.

Advice (info) only where a trigger is really there: rule talk or a refusal that names one ("I can't
share my WhatsApp, it's against the rules") gets its sentence reworded to say what happens on the
platform instead; a negation governing one ("please don't share your email") likewise; a past
reference ("as we decided during our phone call") becomes "as we agreed earlier"; any other trigger
word or bare "@" gets advice without a rewording. Rule talk without a trigger ("We can only discuss
this via Fiverr chat.") gets nothing. The policy drops advice where a real finding covers the same
words or the same sentence has a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from companion.engine.context.framing import cancelled
from companion.engine.context.scan import Cues, Hit, cues_of, within
from companion.engine.detectors.base import bounded
from companion.engine.lexicon.grammar import grammar_pattern
from companion.engine.document import Document
from companion.engine.model import Finding, Kind, Severity
from companion.engine.lexicon.compiled import regex

PAST_SUGGESTIONS = {"agreed": "as we agreed earlier", "mentioned": "as I mentioned earlier"}


def rule_talk_suggestion(doc: Document) -> str:
    return f"Let's keep everything here in {doc.chat}."


def negation_suggestion(doc: Document) -> str:
    return f"Let's keep all communication here in {doc.chat}."


_WORD_REASON = (
    "The platform's automatic filter may hold messages that contain this word, even when it is used "
    "harmlessly."
)
_AT_REASON = "The platform's automatic filter may hold messages that contain an @ sign, even harmless ones."
_RULE_REASON = (
    "Explaining the rules is fine, but the platform's automatic filter may still hold a message that "
    "names outside channels; saying what happens here instead avoids that."
)
_PAST_REASON = (
    "Mentioning a past call or email is fine, but the platform's automatic filter may still hold the "
    "message because of that word."
)
# After "our phone" / "my email": the noun that completes the past reference.
_PAST_TAIL = regex(rf"\s+(?:{grammar_pattern('past_reference_nouns')})\b")
_TRAILING_PUNCTUATION = ".,;:!?)]}\"'’”"
_AT_TOKEN = regex(r"(?<!\S)\S*@\S*")
# Inside a token of a script written without spaces, its full-width punctuation ends a word: read as
# ASCII in the view after a non-ASCII letter ("メール：taro@x" is "メール:taro@x"), or a CJK mark
# ("「@taro」"). Such a token is cut there; the rest (every ASCII token) pays one C-level test.
_CJK_MARKS = "\u3001\u3002\u300c\u300d\u300e\u300f\u3010\u3011"
_ASCII_MARKS = r":,;(!?"
_CUT_IN_TOKEN = regex(rf"[{_CJK_MARKS}]|[^\x00-\x7f][{_ASCII_MARKS}]")
_AT_PART = regex(
    rf"(?:(?<!\S)|(?<=[{_CJK_MARKS}])|(?<=[^\x00-\x7f][{_ASCII_MARKS}]))"
    rf"(?:[^\s{_CJK_MARKS}{_ASCII_MARKS}]|(?<=[\x00-\x7f])[{_ASCII_MARKS}])*@[^\s{_CJK_MARKS}]*"
)


# Channels whose name the filter holds in any script: a local name of one ("الواتساب", "телеграм",
# "whatsappie") is a trigger like the English word ("WhatsApp"), read from the channel hits the lexicon
# already has (the `filter` arguments that name a channel).
_FILTER_CHANNELS = frozenset({"whatsapp", "telegram", "skype", "paypal"})
_UNSPACED = regex(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")


def _triggers(cues: Cues) -> list[Hit]:
    """The filter's trigger words: the `filter` phrases, and local names of the channels it holds that
    end where their word ends ("телеграмму", a wire, is a longer word) or before a particle of a
    script written without spaces ("텔레그램으로"). Abbreviations and weak names ("zap", "tele") are
    not the filter's words."""
    words = cues.of("filter")
    if cues.channels.isdisjoint(_FILTER_CHANNELS):
        return words
    text = cues.text
    local = [
        Hit(h.start, h.end, "filter", h.arg)
        for h in cues.of("channel")
        if h.arg in _FILTER_CHANNELS
        and (h.end >= len(text) or not text[h.end].isalnum() or _UNSPACED.match(text, h.end))
        and not any(w.start < h.end and h.start < w.end for w in within(words, h.start - 40, h.end + 40))
    ]
    return sorted(words + local) if local else words


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    has_at = "@" in doc.view.text
    cues = cues_of(doc)
    if not gated:
        return _candidates(doc, cues, True)
    if not has_at and "filter" not in cues.classes and cues.channels.isdisjoint(_FILTER_CHANNELS):
        return ()  # most messages: nothing the filter holds, so no generator is started
    return _candidates(doc, cues, has_at)


@bounded
def _candidates(doc: Document, cues: Cues, has_at: bool) -> Iterator[Finding]:
    covered: set[tuple[int, int]] = set()  # sentences already turned into advice
    triggers = _triggers(cues)
    if cues.has("rule", "neg"):
        yield from _rule_sentences(doc, cues, covered, triggers)
    in_past_references: set[int] = set()  # starts of trigger words a past-reference advice took
    if "past" in cues.classes:
        yield from _past_references(doc, cues, covered, in_past_references, triggers)
    for hit in triggers:
        if (not covered or cues.sentence(hit.start) not in covered) and hit.start not in in_past_references:
            start, end = doc.view.to_original(hit.start, hit.end)
            yield Finding(Kind.FILTER_RISK, Severity.INFO, start, end, "filter_risk.trigger_word", _WORD_REASON, hit.arg)
    if has_at:
        yield from _at_signs(doc)


def _rule_sentences(doc: Document, cues: Cues, covered: set[tuple[int, int]], triggers: list[Hit]) -> Iterator[Finding]:
    """Sentences that explain the rules and hold a filter trigger (a trigger word or a bare "@"), or
    a negation governing a trigger word ("please don't share your email here")."""
    text = cues.text
    for hit in cues.of("rule"):
        sentence = cues.sentence(hit.start)
        if sentence in covered:
            continue
        if not cues.in_sentence(triggers, hit.start) and "@" not in text[sentence[0] : sentence[1]]:
            continue  # rule talk without a trigger: nothing the filter would hold
        covered.add(sentence)
        yield _sentence_advice(doc, cues, sentence, "filter_risk.rule_talk", rule_talk_suggestion(doc))
    cancels = cues.of("neg_cancel")
    filters = triggers
    for hit in cues.of("neg"):
        sentence = cues.sentence(hit.start)
        if sentence in covered or cancelled(hit, cancels):
            continue
        clause = cues.clause(hit.start)
        governed = within(filters, hit.end, min(clause[1], hit.end + 60))
        if not governed and hit.arg == "after":  # "nicht", "nahi" follow what they negate
            governed = within(filters, max(clause[0], hit.start - 60), hit.start)
        if not governed:
            continue  # the negation governs no trigger word
        covered.add(sentence)
        yield _sentence_advice(doc, cues, sentence, "filter_risk.negated", negation_suggestion(doc))


def _sentence_advice(doc: Document, cues: Cues, sentence: tuple[int, int], rule: str, suggestion: str) -> Finding:
    a, b = sentence
    text = cues.text
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _TRAILING_PUNCTUATION):
        b -= 1
    start, end = doc.view.to_original(a, b)
    return Finding(Kind.FILTER_RISK, Severity.INFO, start, end, rule, _RULE_REASON, None, suggestion)


def _past_references(
    doc: Document, cues: Cues, covered: set[tuple[int, int]], taken: set[int], words: list[Hit]
) -> Iterator[Finding]:
    """"as we decided during our phone call" -> "as we agreed earlier"."""
    text = cues.text
    for hit in cues.of("past"):
        if cues.sentence(hit.start) in covered:
            continue
        clause_end = cues.clause(hit.start)[1]
        following = within(words, hit.end, min(clause_end, hit.end + 40))
        if not following:
            continue
        word = following[0]
        end = word.end
        tail = _PAST_TAIL.match(text, end)
        if tail:
            end = tail.end()
        taken.add(word.start)
        start, o_end = doc.view.to_original(hit.start, end)
        yield Finding(
            Kind.FILTER_RISK,
            Severity.INFO,
            start,
            o_end,
            "filter_risk.past_reference",
            _PAST_REASON,
            word.arg,
            PAST_SUGGESTIONS.get(hit.arg or ""),
        )


def _at_signs(doc: Document) -> Iterator[Finding]:
    """Each whitespace-delimited token with an "@" in it (linear: tokens are tried once each)."""
    text = doc.view.text  # "＠" is "@" here
    for token in _AT_TOKEN.finditer(text):
        if token.group().isascii() or _CUT_IN_TOKEN.search(text, token.start(), token.end()) is None:
            parts: Iterable[re.Match[str]] = (token,)
        else:
            parts = _AT_PART.finditer(text, token.start(), token.end())
        for m in parts:
            end = m.end()
            while end > m.start() + 1 and text[end - 1] in _TRAILING_PUNCTUATION and "@" in text[m.start() : end - 1]:
                end -= 1
            start, o_end = doc.view.to_original(m.start(), end)
            yield Finding(Kind.FILTER_RISK, Severity.INFO, start, o_end, "filter_risk.at_sign", _AT_REASON)
