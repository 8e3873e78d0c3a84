"""Small word lists the detectors' patterns are built from (data/grammar.tsv), the stop words of
handles and the nouns that make a channel the subject of the work, all folded like the text."""

from __future__ import annotations

import re

from companion.engine.lexicon import compiled, packs
from companion.engine.lexicon.files import _alternation, load_table, load_words
from companion.engine.text import LATIN_WORD, normalize
from companion.engine.lexicon.compiled import regex

# Characters that separate words for the cue automaton; "'", "’", "-" and letters/digits stay, so
# "skype-style" and "whatsapp's" are matched by explicit key variants only.
SEPARATORS = ",.!?;:()[]{}<>\"“”«»¿¡…/\\|*~`^+=#$%&_@\t\n\r\u00a0؟،؛۔।॥。、「」『』【】《》"
PAD = str.maketrans({c: " " for c in SEPARATORS})
# The same as one character class: on non-ASCII text a regex substitution is several times faster
# than str.translate with a dict (one lookup per character).
SEPARATOR = regex("[" + re.escape(SEPARATORS) + "]")
# The same table for ASCII text as bytes (bytes.translate is several times faster).
ASCII_PAD = bytes.maketrans(
    "".join(c for c in SEPARATORS if c.isascii()).encode(), b" " * sum(c.isascii() for c in SEPARATORS)
)



def fold(phrase: str) -> str:
    """A lexicon phrase folded exactly like the text the automaton reads."""
    return normalize(phrase).text.translate(PAD).strip()




def _grammar() -> dict[str, tuple[str, ...]]:
    lists: dict[str, list[str]] = {}
    for name, word in [*load_table("grammar.tsv"), *packs.grammar_words()]:
        lists.setdefault(name, []).append(normalize(word).text)
    return {name: tuple(words) for name, words in lists.items()}


GRAMMAR: dict[str, tuple[str, ...]] = compiled.value("grammar", _grammar)


def grammar_pattern(name: str) -> str:
    """A regex alternation of one grammar list, longest first; a phrase's spaces match \\s+. A list
    no pack fills matches nothing. It is led by a lookahead for the words' first characters: the
    regex engine then tests one character class at each position instead of trying every word
    (on a 20,000-character text up to 15x faster), and it matches exactly the same."""
    words = sorted(GRAMMAR.get(name, ()), key=len, reverse=True)
    if not words:
        return "(?!)"
    firsts = "".join(sorted({re.escape(w[0]) if not w[0].isspace() else r"\s" for w in words}))
    return f"(?=[{firsts}])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"


def grammar_trie(name: str) -> str:
    """The words of grammar_pattern(name) as a trie led by the same lookahead: the same strings, but
    at one position the words are tried in the trie's order, not longest first, so it is for
    patterns read as yes or no (or anchored at both ends). The regex engine then tests a word's first
    character once, not once per word (grammar_pattern's ~150 prepositions: every word's first
    character was compared at every position of the window)."""
    words = frozenset(GRAMMAR.get(name, ()))
    if not words:
        return "(?!)"
    if "" in words:
        return _alternation(words, blank=r"\s+")
    firsts = "".join(sorted({re.escape(w[0]) if not w[0].isspace() else r"\s" for w in words}))
    return f"(?=[{firsts}])" + _alternation(words, blank=r"\s+")


# "<verb> ... on|via|por|auf|على [my] <channel>": the preposition right before a channel or payment
# name, as its own word, or glued to it (Arabic "بال", "ال" after "على": the channel's hit then
# starts inside the word, see the "*" of language packs). Anchored at the end and read as yes or no
# (search(text, a, b) before a hit): its lists as tries.
# What may stand after a question particle that closes its sentence ("có zalo không", "có zalo không b",
# "有微信吗亲"): the words a bare question may add (bare_question_after), then marks, blanks or emoji.
QUESTION_TAIL = regex(rf"(?:\s*(?:{grammar_pattern('bare_question_after')}))*[\W_]*")
PREPOSITION_BEFORE = regex(
    rf"(?:(?<![{LATIN_WORD}])(?:{grammar_trie('prepositions')})\s+(?:(?:{grammar_trie('determiners')})\s+)?"
    rf"(?:{grammar_trie('glued_prepositions')})?|(?<!\S)(?:{grammar_trie('glued_prepositions')}))$"
)


HANDLE_STOPWORDS: frozenset[str] = frozenset(fold(w) for w in load_words("handle_stopwords.txt"))

WORK_NOUNS = sorted({fold(w) for w in load_words("work_nouns.txt")}, key=lambda w: (-len(w), w))
WORK_NOUN_SET = frozenset(WORK_NOUNS)
# The nouns as a trie led by their first characters (tried after every channel hit: one class test
# where no noun starts, instead of each noun in turn); same matches as their longest-first
# alternation, "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in WORK_NOUNS) (test_prechecks).
_WORK_NOUN_TRIE = compiled.value(
    "work_noun_trie",
    lambda: "(?=[" + "".join(sorted({re.escape(w[0]) for w in WORK_NOUNS})) + "])" + _alternation(WORK_NOUNS, blank=r"\s+"),
)
# Glued, or after a genitive particle, in scripts written without spaces ("LINEスタンプ",
# "Zoomの背景", "카톡 이모티콘", "微信的图标").
WORK_OBJECT_AFTER = regex(
    r"(?:\s*-\s*|\s+|'s\s+|\u2019s\s+|(?:\s*(?:の|의|的)\s*)?(?=[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]))(?:"
    + _WORK_NOUN_TRIE
    + r")(?![a-z0-9])"
)

