"""Benign text the platform's naive keyword filter would still hold: rule talk ("We can only discuss
this via Fiverr chat"), past references ("as we decided during our phone call"), the filter's
trigger words used for something else ("email newsletter template", "phone case") and a bare "@".

Each becomes ADVICE (info) with, where one fits, a rewording that says what will happen through
the platform. The policy drops advice where a real finding covers the same words or sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from companion.engine.cues import Cues, alternation, bounded, cancelled, cues_of, within
from companion.engine.document import Document
from companion.engine.model import Candidate, Kind, Strength
from companion.engine.policy import NEGATION_SUGGESTION, PAST_SUGGESTIONS, RULE_TALK_SUGGESTION

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
_PAST_TAIL = re.compile(rf"\s+(?:{alternation('past_reference_nouns')})\b")
_TRAILING_PUNCTUATION = ".,;:!?)]}\"'’”"
_AT_TOKEN = re.compile(r"(?<!\S)\S*@\S*")


def detect(doc: Document) -> Iterable[Candidate]:
    has_at = "@" in doc.view.text
    cues = cues_of(doc)
    if not has_at and "filter" not in cues.classes and "rule" not in cues.classes:
        return ()  # most messages: nothing the filter holds, so no generator is started
    return _candidates(doc, cues, has_at)


@bounded
def _candidates(doc: Document, cues: Cues, has_at: bool) -> Iterator[Candidate]:
    covered: set[tuple[int, int]] = set()  # sentences already turned into advice
    if cues.has("rule", "neg"):
        yield from _rule_sentences(doc, cues, covered)
    in_past_references: set[int] = set()  # starts of trigger words a past-reference advice took
    if "past" in cues.classes:
        yield from _past_references(doc, cues, covered, in_past_references)
    for hit in cues.of("filter"):
        if (not covered or cues.sentence(hit.start) not in covered) and hit.start not in in_past_references:
            start, end = doc.view.to_original(hit.start, hit.end)
            yield Candidate(Kind.FILTER_RISK, Strength.ADVICE, start, end, "filter_risk.trigger_word", _WORD_REASON, hit.arg)
    if has_at:
        yield from _at_signs(doc)


def _rule_sentences(doc: Document, cues: Cues, covered: set[tuple[int, int]]) -> Iterator[Candidate]:
    """Sentences that explain the rules: a rule phrase and the platform or a channel, or a
    negation governing a trigger word ("please don't share your email here")."""
    mentions = cues.of("internal", "filter", "channel", "noun")
    for hit in cues.of("rule"):
        sentence = cues.sentence(hit.start)
        if sentence in covered or not cues.in_sentence(mentions, hit.start):
            continue
        covered.add(sentence)
        yield _sentence_advice(doc, cues, sentence, "filter_risk.rule_talk", RULE_TALK_SUGGESTION)
    cancels = cues.of("neg_cancel")
    filters = cues.of("filter")
    for hit in cues.of("neg"):
        sentence = cues.sentence(hit.start)
        if sentence in covered or cancelled(hit, cancels):
            continue
        if not within(filters, hit.end, min(cues.clause(hit.start)[1], hit.end + 60)):
            continue  # the negation governs no trigger word
        covered.add(sentence)
        yield _sentence_advice(doc, cues, sentence, "filter_risk.negated", NEGATION_SUGGESTION)


def _sentence_advice(doc: Document, cues: Cues, sentence: tuple[int, int], rule: str, suggestion: str) -> Candidate:
    a, b = sentence
    text = cues.text
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _TRAILING_PUNCTUATION):
        b -= 1
    start, end = doc.view.to_original(a, b)
    return Candidate(Kind.FILTER_RISK, Strength.ADVICE, start, end, rule, _RULE_REASON, None, suggestion)


def _past_references(
    doc: Document, cues: Cues, covered: set[tuple[int, int]], taken: set[int]
) -> Iterator[Candidate]:
    """"as we decided during our phone call" -> "as we agreed earlier"."""
    text = cues.text
    words = cues.of("filter")
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
        yield Candidate(
            Kind.FILTER_RISK,
            Strength.ADVICE,
            start,
            o_end,
            "filter_risk.past_reference",
            _PAST_REASON,
            word.arg,
            PAST_SUGGESTIONS.get(hit.arg or ""),
        )


def _at_signs(doc: Document) -> Iterator[Candidate]:
    """Each whitespace-delimited token with an "@" in it (linear: tokens are tried once each)."""
    text = doc.view.text  # "＠" is "@" here
    for m in _AT_TOKEN.finditer(text):
        end = m.end()
        while end > m.start() + 1 and text[end - 1] in _TRAILING_PUNCTUATION and "@" in text[m.start() : end - 1]:
            end -= 1
        start, o_end = doc.view.to_original(m.start(), end)
        yield Candidate(Kind.FILTER_RISK, Strength.ADVICE, start, o_end, "filter_risk.at_sign", _AT_REASON)
