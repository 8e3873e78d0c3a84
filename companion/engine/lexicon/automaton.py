"""The cue automaton: channel aliases (with their generated disguises), request/payment/context
phrases and the grammar words some detectors gate on, compiled once, at import, into ONE
Aho-Corasick automaton over word-padded keys, so a message is scanned once (context.scan)."""

from __future__ import annotations

import ahocorasick

from companion.engine.lexicon.files import build_automaton, load_table
from companion.engine.lexicon.grammar import ASCII_PAD, GRAMMAR, fold
from companion.engine.lexicon.registry import REGISTRY

# Classes whose keys also match when a hyphen or possessive follows ("Skype-style", "Fiverr's").
_LENIENT = frozenset({"filter", "internal", "rule", "past", "neg", "here"})



def _variants(key: str) -> set[str]:
    out = {key}
    if "'" in key:
        out |= {key.replace("'", "\u2019"), key.replace("'", ""), key.replace("'", " ")}
    if "-" in key:
        out |= {v.replace("-", " ") for v in list(out)}
    return {" ".join(v.split()) for v in out if v.strip()}


# Automaton class -> grammar.tsv lists whose words it marks: "search" (a name search may follow),
# "prefer" ("is better for me" after a chat app), "place" ("put our Instagram on the flyer", policy),
# "contrast" ("but": a sentence break).
_GATES = {
    "search": ("search_me", "search_verbs"),
    "prefer": ("preference_after",),
    "place": ("placement_verbs",),
    "contrast": ("contrast_words",),
}


def _build() -> ahocorasick.Automaton:
    """Padded key (" add me ", " skype-") -> ((class, argument, length of the word part), ...)."""
    entries: dict[str, list[tuple[str, str | None, int]]] = {}

    def add(phrase: str, cls: str, arg: str | None) -> None:
        for key in _variants(fold(phrase)):
            padded = [f" {key} "]
            if cls in _LENIENT:
                padded += [f" {key}-", f" {key}'s ", f" {key}\u2019s "]
            for p in padded:
                entries.setdefault(p, []).append((cls, arg, len(key)))

    disguised: dict[str, list[str]] = {}  # plain alias -> its disguised keys
    for channel in REGISTRY["channels"]:
        name = channel["name"]
        split = bool({"chat", "social"} & set(channel["categories"]))
        for i, alias in enumerate(channel["aliases"]):
            add(alias, "channel", name)
            for variant in disguises(fold(alias), spelled=i == 0, split=split):
                # ASCII and folded already: only the signs that separate words ("wh@tsapp") to pad.
                key = variant.encode().translate(ASCII_PAD).decode()
                # "w@s@p" would read as "w s p", "wasa$p" as "wasa p": single letters are too common
                if key not in NOT_DISGUISES and (variant == key or min(map(len, key.split())) > 1):
                    entries.setdefault(f" {key} ", []).append(("channel", name, len(key)))
                    disguised.setdefault(fold(alias), []).append(key)
        for alias in channel["weak_aliases"]:
            add(alias, "channel_weak", channel["name"])
        for alias in channel["abbreviations"]:
            add(alias, "abbrev", channel["name"])
    for row in load_table("phrases.tsv"):
        cls, arg = row[1], row[2] if len(row) > 2 and row[2] else None
        add(row[0], cls, arg)
        if cls == "direct":  # a channel used as a verb is disguised too: "w h a t s a p p me"
            words = fold(row[0]).split()
            for i, word in enumerate(words):
                for key in disguised.get(word, ()):
                    phrase = " ".join([*words[:i], key, *words[i + 1 :]])
                    entries.setdefault(f" {phrase} ", []).append((cls, arg, len(phrase)))
    # Grammar words some detectors need before running a regex of their own (cheap gates).
    for cls, lists in _GATES.items():
        for name in lists:
            for word in GRAMMAR[name]:
                add(word, cls, None)
    # Values reversed: scan() reverses its hits before sorting them (see there). Each value carries
    # how far back from the key's end its word starts, so scan() does no arithmetic on the key.
    return build_automaton(
        {
            key: tuple((len(key) - 1, word_len, cls, arg) for cls, arg, word_len in reversed(dict.fromkeys(values)))
            for key, values in entries.items()
        }
    )


# Disguised channel names, generated from each plain alias of four letters or more and compiled into
# the automaton with the rest (no extra pass over the text): spelled out ("s k y p e"; dots, stars
# and underscores read as spaces), split in two ("tele-gram", "teleg.ram", "whats app"), and up to
# two look-alike signs for letters ("wh4tsapp", "te1egram", "wh@ts@pp", "teIegram" with a capital I).
_LOOK_ALIKES = {"a": "4@", "e": "3", "i": "1!|l", "l": "1|i", "o": "0", "s": "5$", "t": "7"}
_MIN_DISGUISED = 4  # "s k y" or "t3l" would match ordinary text
NOT_DISGUISES = frozenset(GRAMMAR["not_disguises"])  # ordinary words a split would produce ("what app")
_MIN_PIECE = 3  # "tele-gram" splits; "t-elegram" is a typo, not a disguise


def disguises(alias: str, *, spelled: bool = True, split: bool = True) -> set[str]:
    """Disguised spellings of a plain alias (see above); none for short or non-Latin aliases.
    `spelled`: also spelled out letter by letter (for a channel's main name only, so that the
    spelled-out misspelling "w h a t s a p" does not also match inside "w h a t s a p p");
    `split`: also split in two (messengers and social networks: "web money", "hot mail" are words)."""
    if len(alias) < _MIN_DISGUISED or not alias.isascii() or not alias.isalpha():
        return set()
    out = {" ".join(alias), "-".join(alias)} if spelled else set()
    if split:  # a hyphen may leave two letters ("sk-ype"); a space needs three ("tele gram")
        out |= {f"{alias[:k]}-{alias[k:]}" for k in range(_MIN_PIECE - 1, len(alias) - _MIN_PIECE + 2)}
        out |= {f"{alias[:k]} {alias[k:]}" for k in range(_MIN_PIECE, len(alias) - _MIN_PIECE + 1)}
    last = len(alias) - 1
    # A sign that separates words ("@", "$") stays inside the name: "$lack" would read as "lack".
    singles = {
        alias[:k] + sign + alias[k + 1 :]
        for k, c in enumerate(alias)
        for sign in _LOOK_ALIKES.get(c, "")
        if 0 < k < last or sign.isalnum()
    }
    out |= singles
    out |= {
        v[:k] + sign + v[k + 1 :]
        for v in singles
        for k, c in enumerate(v)
        if c.isalpha()
        for sign in _LOOK_ALIKES.get(c, "")
        if 0 < k < last or sign.isalnum()
    }
    out.discard(alias)
    return out



AUTOMATON = _build()
