"""Channel names nobody listed: a word that is not in the lexicon but lies within a small edit
distance of a channel's name ("whatsaap", "telegarm", "skpye"), read through its visual disguises
first ("te1egr4m" -> "telegram", "s-k-y-p-e" -> "skype", "whhatsapp" -> "whatsapp"). The names come
from the channel registry (the main name of every messenger, social network and payment channel of
five letters or more); the distance allowed grows with the name's length (rapidfuzz, optimal string alignment,
in C; a swap of two letters is one edit). Ordinary words that land that near a name ("telegraph", "skate", "paypal" is exact anyway)
are listed in data/fuzzy_not_channels.txt, generated from wordfreq's lists of the commonest words in
every supported language by scripts/fuzzy_not_channels.py; tests/engine/test_fuzzy.py measures the
false positives on those lists.
"""

from __future__ import annotations


from itertools import groupby
from operator import itemgetter

from rapidfuzz.distance import OSA

from companion.engine.lexicon.files import load_json, load_words
from companion.engine.lexicon.compiled import regex

_REGISTRY = load_json("channels.json")
_FUZZY_CATEGORIES = frozenset({"chat", "social", "payment"})
# name -> channel: each channel's own name and its main alias, plain Latin letters, 5 letters or more
NAMES: dict[str, str] = {
    alias: c["name"]
    for c in _REGISTRY["channels"]
    if _FUZZY_CATEGORIES & set(c["categories"])
    for alias in c["aliases"][:2]
    if alias.isascii() and alias.isalpha() and len(alias) >= 5
}
_PREFIXES = tuple(NAMES)
# Names by first letter: a disguise keeps the first letter ("whatsaap", not "hatsapp"), so a word is
# compared only with the few names it could be.
_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _name in NAMES:
    _BY_FIRST[_name[0]] = (*_BY_FIRST.get(_name[0], ()), _name)
NOT_CHANNELS: frozenset[str] = frozenset(load_words("fuzzy_not_channels.txt")) | frozenset(
    load_words("fuzzy_not_channels_by_hand.txt")
)
# Look-alike signs read as the letters they stand for (the visual reading of "te1egr4m").
_VISUAL = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "l", "!": "i", "|": "l", "0": "o", "5": "s", "$": "s", "7": "t"})
# The same, and the separators a disguise puts between letters ("s-k-y-p-e") deleted, in one pass.
_VISUAL_JOINED = str.maketrans({**{chr(k): v for k, v in _VISUAL.items()}, **dict.fromkeys("-._*'")})
# A word with its disguises: letters, look-alike signs, and single separators between letters. Led by
# its first character, so the regex engine skips in C to where one may start (the lookbehind then
# checks what stands before that character: no word character).
_TOKEN_CHAR = "[a-z4@3!|05$7]"
TOKEN = regex(rf"{_TOKEN_CHAR}(?<![\w@$]{_TOKEN_CHAR})(?:{_TOKEN_CHAR}|[-._*'](?={_TOKEN_CHAR})){{4,24}}(?![\w@])")
_REPEATS = regex(r"(.)\1+")
_FIRST = itemgetter(0)


def max_distance(length: int) -> int:
    """Edits allowed for a name of this many letters: one up to seven letters, two from eight on."""
    return 1 if length < 8 else 2


# (first letter, length of a word) -> the names (in _BY_FIRST's order) whose length is within their
# allowed edits of it, with that allowance: the only names an edit distance can accept.
_NEAR_LENGTH: dict[tuple[str, int], tuple[tuple[str, int], ...]] = {}
for _name in NAMES:
    _allowed = max_distance(len(_name))
    for _length in range(len(_name) - _allowed, len(_name) + _allowed + 1):
        _NEAR_LENGTH[_name[0], _length] = (*_NEAR_LENGTH.get((_name[0], _length), ()), (_name, _allowed))


def skeleton(token: str) -> str:
    """The word as read: look-alike signs as letters, separators dropped ("s-k-y-p-e" -> "skype")."""
    # The table changes no letter: a word of letters only (most) is its own skeleton.
    return token if token.isalpha() else token.translate(_VISUAL_JOINED)


def channel_of(token: str) -> str | None:
    """The channel a word that is no lexicon word stands for, or None."""
    word = skeleton(token)
    if len(word) < 5 or word in NOT_CHANNELS or token in NOT_CHANNELS:
        return None
    if word in NAMES and word != token:
        return NAMES[word]  # "p@yp@l": a name whole under its disguise (the lexicon's generated
        # disguises leave out those that read as single letters, "p yp l")
    first = word[0]
    if first not in _BY_FIRST:
        return None
    if word.startswith(_PREFIXES):
        # "skyped", "skypes": the name inflected, which the lexicon decides on; but a short name may
        # open a misspelt longer one ("instagrm" opens with "insta"): only a name longer than the one
        # it opens with, and two letters or more past it
        shortest_room = len(word) - max(len(n) for n in _PREFIXES if word.startswith(n))
        return _near_longer_name(first, word) if shortest_room >= 2 else None
    found = _near_name(first, word)
    # "whhatsapp": doubled letters read once. Without a doubled letter the word would be the same
    # again, which finds nothing again (a search is cheaper than the joining). Each run of one letter
    # joined as that letter: what re.sub(r"(.)\1+", r"\1") gives (a word holds no line break), without
    # the Python-level template expansion re.sub runs per match (~4x as slow).
    if found is None and _REPEATS.search(word) is not None:
        found = _near_name(first, "".join(map(_FIRST, groupby(word))))
    return found if found is not None else _DRAWN_NAMES.get(word)  # "teiegrarn": "rn" as "m", "i" as "l"


def _drawn(name: str) -> set[str]:
    """A name with letters drawn as look-alikes in most fonts: "m" as "rn", "w" as "vv", "l" as a
    capital I (folded to "i"), any of them (a name written so, not misspelt as well)."""
    forms = {""}
    for ch in name:
        forms = {f + alt for f in forms for alt in (ch, *_DRAWN_AS.get(ch, ()))}
    return forms - {name}


_DRAWN_AS = {"m": ("rn",), "w": ("vv",), "l": ("i",)}
_DRAWN_NAMES: dict[str, str] = {form: channel for name, channel in NAMES.items() for form in _drawn(name) if form not in NOT_CHANNELS}


def _near_longer_name(first: str, word: str) -> str | None:
    """The channel of a name near `word` that is longer than every name `word` starts with."""
    opening = max(len(n) for n in _PREFIXES if word.startswith(n))
    for name, allowed in _NEAR_LENGTH.get((first, len(word)), ()):
        if len(name) > opening and OSA.distance(word, name, score_cutoff=allowed) <= allowed:
            return NAMES[name]
    return None


def _near_name(first: str, candidate: str) -> str | None:
    """The channel of the first name (of those with this first letter) within its allowed edits of `candidate`."""
    if candidate in NAMES:
        return NAMES[candidate]
    for name, allowed in _NEAR_LENGTH.get((first, len(candidate)), ()):
        if OSA.distance(candidate, name, score_cutoff=allowed) <= allowed:
            return NAMES[name]
    return None
