"""The cue automaton: channel aliases (with their generated disguises), request/payment/context
phrases and the grammar words some detectors gate on, compiled once, at import, into one key table
over word-padded keys, so a message is scanned once (context.scan); the table is stored as two
Aho-Corasick automata for speed (see _automata)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import ahocorasick

from companion.engine.lexicon import compiled, packs
from companion.engine.lexicon.files import build_automaton
from companion.engine.lexicon.grammar import ASCII_PAD, GRAMMAR, fold
from companion.engine.lexicon.registry import REGISTRY

# Classes whose keys also match when a hyphen or possessive follows ("Skype-style", "Fiverr's").
_LENIENT = frozenset({"filter", "internal", "rule", "past", "neg", "here"})



# Scripts written without spaces between words, or with particles glued to nouns (Korean): a phrase
# in them matches anywhere, not only between blanks. Hangul, Hiragana, Katakana, CJK ideographs.
UNSPACED_CHARS = "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
# The same ranges for unspaced(), as code points: compiling a character class this wide costs
# milliseconds of every import (tests/engine/test_compiled_lexicon.py checks that both agree).
_UNSPACED = ((0x1100, 0x11FF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))


def unspaced(key: str) -> bool:
    """Whether a folded phrase is in a script matched without word bounds."""
    return any(lo <= ord(ch) <= hi for ch in key if ch >= "\u1100" for lo, hi in _UNSPACED)


def _variants(key: str) -> set[str]:
    out = {key}
    # Vietnamese typed without marks: "gọi điện" as "goi dien"; phrases of two words or more only ("đừng",
    # don't, would be "dùng", use; "đây", here, English "day")
    if " " in key and any(chr(code) in key for code in _UNMARKED_AS):
        out.add(key.translate(_UNMARKED_AS))
    if "'" in key:
        out |= {key.replace("'", "\u2019"), key.replace("'", ""), key.replace("'", " ")}
    if "-" in key:
        out |= {v.replace("-", " ") for v in list(out)}
    return {" ".join(v.split()) for v in out if v.strip()}


# Letters without an ASCII reading in normalize() that people type as a plain letter (packs'
# `unmarked_letters`, "đ=d"): a phrase or name holding one also matches written with the plain one.
_UNMARKED_AS = str.maketrans(
    dict(entry.split("=", 1) for name, entry in packs.grammar_words() if name == "unmarked_letters")
)


# Automaton class -> grammar.tsv lists whose words it marks: "search" (a name search may follow),
# "prefer" ("is better for me" after a chat app), "place" ("put our Instagram on the flyer", policy),
# "contrast" ("but": a sentence break), "callbare" (a call verb whose object stands before it: "je me
# vanavond even BELLEN"), "phoning" (a verb of calling someone: "call", "llamar", "anrufen", "позвонить";
# with its object glued: "llamarla"), "callask" (a call asked of the addressee: "can you", "puedes",
# "kannst du", "주실 수 있나요"), "reportlabel" (a report to the platform labelled at the message's
# opening: "Reklamo:", "Жалоба:"), "qopener" (an interrogative opening a bare question left without its
# mark: "ano fb mo"), "displayname" (the name an account shows: "display name", "aparece como"),
# "greeting" ("Hi Olga, ...": an opening that is a sentence of its own, context/scan.py),
# "spelledmark" (an id's mark read aloud: "underscore", "下划线": an id may be spelled with it),
# "qparticle" (a question particle closing a bare question: "有vx吗"), "payoption" (a checkout's
# "payment options": the ways to pay it takes, detectors/payment.py).
_GATES = {
    "search": ("search_me", "search_verbs"),
    "prefer": ("preference_after", "unspaced_preference_after"),
    "place": ("placement_verbs",),
    "contrast": ("contrast_words",),
    "callbare": ("bare_call_verbs",),
    "phoning": ("bare_call_verbs", "call_verbs", "called_verb_forms"),
    "callask": ("call_askers",),
    "reportlabel": ("report_labels",),
    "qopener": ("question_openers",),
    "displayname": ("display_name_labels",),
    "greeting": ("greetings",),
    "spelledmark": ("id_spelled_marks",),
    "payoption": ("payment_option_nouns",),
    "qparticle": ("question_particles",),
}


def _key_table() -> dict[str, tuple[tuple[int, int, str, str | None], ...]]:
    """Padded key (" add me ", " skype-") -> ((back, length of the word part, class, argument), ...)."""
    # key -> (class, argument, length of the word part, characters after the key's blank before it:
    # a glued preposition the hit leaves out)
    entries: dict[str, list[tuple[str, str | None, int, int]]] = {}

    def add(phrase: str, cls: str, arg: str | None) -> None:
        # A "*" at either end of a pack phrase lets the word go on there: "numara*" (Turkish
        # numaram, numaranı...), "*واتساب" (Arabic "بالواتساب", "والواتساب").
        open_start, open_end = phrase.startswith("*"), phrase.endswith("*")
        # A stem that ends at an apostrophe ("iban'*": Turkish suffixes after it) stays open only
        # where the apostrophe is written: without it the bare word is a whole word, or "iban" would
        # open onto Tagalog "ibang" (other).
        apostrophe_stem = open_end and phrase.rstrip("*").endswith(("'", "\u2019"))
        for key in _variants(fold(phrase.strip("*"))):
            if open_end and phrase.endswith("'*") and not key.endswith(("'", "\u2019")):
                continue  # "iban'*" is IBAN'ı, IBAN'a...: without its apostrophe it would be "ibang"'s prefix

            if unspaced(key):  # Chinese, Japanese, Korean: words run together ("加我微信", "카톡으로")
                entries.setdefault(key, []).append((cls, arg, len(key), 0))
                continue
            key_open_end = open_end and not (apostrophe_stem and not key.endswith(("'", "\u2019")))
            if open_start or key_open_end:
                entries.setdefault(("" if open_start else " ") + key + ("" if key_open_end else " "), []).append((cls, arg, len(key), 0))
                continue
            padded = [f" {key} "]
            if cls in _LENIENT:
                padded += [f" {key}-", f" {key}'s ", f" {key}\u2019s "]
            for p in padded:
                entries.setdefault(p, []).append((cls, arg, len(key), 0))

    def add_compounds(alias: str, cls: str, arg: str, glued: tuple[str, ...] = ("-id", "id")) -> None:
        """A channel's name with a suffix after an apostrophe ("face'de", "WhatsApp'tan",
        "Instagram's", "ig'den") and with the `glued` words ("Threema-ID", "lineid", "Skype-Name"):
        the name still."""
        key = fold(alias)
        if unspaced(key) or " " in key:
            return
        for compound in (f" {key}'", f" {key}\u2019"):
            entries.setdefault(compound, []).append((cls, arg, len(key), 0))
        for suffix in glued:
            entries.setdefault(f" {key}{suffix} ", []).append((cls, arg, len(key) + len(suffix), 0))

    def add_inflected(alias: str, name: str, grammar: list[dict[str, tuple]]) -> None:
        """A messenger's or network's name (or nickname) inflected by a pack's grammar, glued as the
        language writes it without an apostrophe: the pack's `glued_suffixes` after it (Turkish
        "instagramdan", Ukrainian "дискорді", Bangla "টেলিতে"; an ending replaces a final letter the
        pack lists in `suffix_replaces`: "інста" -> "інсті") and its `glued_prepositions` before it
        (Arabic "بالتلي", "عالسناب"; a name written with a `glued_articles` word is read without it),
        each only on names in its own script. A suffixed key is the whole word (an id may follow it);
        a prefixed key reports the name only, as the "*"-led pack keys do, so the preposition before it
        is still read as one. `grammar`: the packs whose words apply (a pack's own names: its own;
        the registry's international names: every pack's)."""
        key = fold(alias)
        if unspaced(key) or " " in key or not _letters(key):
            return
        last, first = _script(key[-1]), _script(key[0])
        for pack in grammar:
            if len(key) >= (_MIN_SUFFIXED if last == "LATIN" else _MIN_INFLECTED) and not _inflected_form(key, name, pack):
                for suffix, replaced in pack["suffixes"].get(last, ()):
                    for stem in {key, key[:-1]} if key[-1] in replaced else {key}:
                        if stem + suffix not in NOT_DISGUISES:  # an ordinary word the ending would make
                            entries.setdefault(f" {stem}{suffix} ", []).append(("channel", name, len(stem) + len(suffix), 0))
            articles = pack["articles"].get(first, ())
            bare = next((key[len(a) :] for a in articles if key.startswith(a) and len(key) - len(a) >= _MIN_INFLECTED), key)
            if len(bare) >= _MIN_INFLECTED:
                for prefix in pack["prefixes"].get(first, ()):
                    if f" {prefix}{bare} " not in entries and prefix + bare not in NOT_DISGUISES:
                        entries.setdefault(f" {prefix}{bare} ", []).append(("channel", name, len(bare), len(prefix)))

    def _inflected_form(key: str, name: str, pack: dict[str, tuple]) -> bool:
        """Whether a name is already a case form of another name of its channel ("вайбере" of
        "вайбер", "tiktokta" of "tiktok"): its endings are not glued again."""
        return any(
            key.endswith(suffix) and any(key[: -len(suffix)] + tail in names_of.get(name, ()) for tail in ("", *replaced))
            for suffixes in pack["suffixes"].values()
            for suffix, replaced in suffixes
        )

    inflection = _inflection()
    everyone = list(inflection.values())
    names_of: dict[str, set[str]] = {}  # channel -> its folded names (registry and packs)
    for channel in REGISTRY["channels"]:
        names_of.setdefault(channel["name"], set()).update(fold(a) for a in channel["aliases"])
    for alias, name in packs.channel_aliases():
        names_of.setdefault(name, set()).add(fold(alias.strip("*")))
    disguised: dict[str, list[str]] = {}  # plain alias -> its disguised keys
    for channel in REGISTRY["channels"]:
        name = channel["name"]
        split = bool({"chat", "social"} & set(channel["categories"]))
        for i, alias in enumerate(channel["aliases"]):
            add(alias, "channel", name)
            if split:
                add_compounds(alias, "channel", name, ("-id", "id", "-name"))
                add_inflected(alias, name, everyone)
            for variant in disguises(fold(alias), spelled=i == 0, split=split):
                # ASCII and folded already: only the signs that separate words ("wh@tsapp") to pad.
                key = variant.encode().translate(ASCII_PAD).decode()
                # "w@s@p" would read as "w s p", "wasa$p" as "wasa p": single letters are too common
                if key not in NOT_DISGUISES and (variant == key or min(map(len, key.split())) > 1):
                    entries.setdefault(f" {key} ", []).append(("channel", name, len(key), 0))
                    disguised.setdefault(fold(alias), []).append(key)
        for alias in channel["weak_aliases"]:
            add(alias, "channel_weak", channel["name"])
            add_compounds(alias, "channel_weak", channel["name"])
        for alias in channel["abbreviations"]:
            add(alias, "abbrev", channel["name"])
            if split and len(alias) > 1:
                add_compounds(alias, "abbrev", channel["name"], ())
    for code, pack in packs.PACKS.items():
        for alias, name in pack.channels:
            add(alias, "channel", name)
            if not alias.endswith("*"):
                add_compounds(alias, "channel", name)
            # an open stem ("дискорд*") is a name too: its case forms make whole words ("в дискорді: x")
            if not alias.startswith("*") and name in _MESSENGERS_AND_NETWORKS and code in inflection:
                add_inflected(alias.rstrip("*"), name, [inflection[code]])
    for phrase, cls, arg in packs.phrases():
        add(phrase, cls, arg)
        if cls == "direct":  # a channel used as a verb is disguised too: "w h a t s a p p me"
            words = fold(phrase).split()
            for i, word in enumerate(words):
                for key in disguised.get(word, ()):
                    variant = " ".join([*words[:i], key, *words[i + 1 :]])
                    entries.setdefault(f" {variant} ", []).append((cls, arg, len(variant), 0))
    for phrase, cls, arg in _conjoined_phrases():
        add(phrase, cls, arg)
    # Grammar words some detectors need before running a regex of their own (cheap gates).
    for cls, lists in _GATES.items():
        for name in lists:
            for word in GRAMMAR.get(name, ()):
                add(word, cls, None)
    # Values reversed: scan() reverses its hits before sorting them (see there). Each value carries
    # how far back from the key's end its word starts, so scan() does no arithmetic on the key.
    return {
        key: tuple(
            ((len(key) - 1 if key[0] == " " else len(key)) - lead, word_len, cls, arg)
            for cls, arg, word_len, lead in reversed(dict.fromkeys(values))
        )
        for key, values in entries.items()
    }


# The classes whose verbs a conjunction glued before them leaves a request or payment verb (Arabic
# "وكلمني", "فراسلني": and/so + message me).
_CONJOINED = frozenset({"reach", "talk", "modal", "ask", "offer", "have", "direct", "near", "after", "please", "pay", "paysend"})


def _conjoined_phrases() -> list[tuple[str, str, str | None]]:
    """Each pack's request and payment phrases with its `glued_conjunctions` written before them, the
    way Arabic glues "و" (and) and "ف" (so) to the next word: ("وكلمني", "reach", None). Only a phrase
    of the conjunction's own script, and not one open at its start (that one matches glued already)."""
    rows = []
    for pack in packs.PACKS.values():
        conjunctions = [word for name, word in pack.grammar if name == "glued_conjunctions"]
        for phrase, cls, arg in pack.phrases if conjunctions else ():
            if cls in _CONJOINED and not phrase.startswith("*"):
                rows += [(conj + phrase, cls, arg) for conj in conjunctions if _script(conj[0]) == _script(phrase[0])]
    return rows


def _script(ch: str) -> str:
    """The script a letter is written in, as Unicode names it ("ARABIC", "LATIN")."""
    return unicodedata.name(ch, "").split(" ", 1)[0]


# Disguised channel names, generated from each plain alias of four letters or more and compiled into
# the automaton with the rest (no extra pass over the text): spelled out ("s k y p e"; dots, stars
# and underscores read as spaces), split in two ("tele-gram", "teleg.ram", "whats app"), and up to
# two look-alike signs for letters ("wh4tsapp", "te1egram", "wh@ts@pp", "teIegram" with a capital I).
_LOOK_ALIKES = {"a": "4@", "e": "3", "i": "1!|l", "l": "1|i", "o": "0", "s": "5$", "t": "7"}
_MIN_DISGUISED = 4  # "s k y" or "t3l" would match ordinary text
NOT_DISGUISES = frozenset(GRAMMAR["not_disguises"])
_MIN_PIECE = 3  # "tele-gram" splits; "t-elegram" is a typo, not a disguise
_MIN_SUFFIXED = 5  # a Latin name: "line" + "a" is Spanish "linea"
_MIN_INFLECTED = 3  # a name in another script (or its stem after an article): "тг" + "у" is no name
# The channels whose names are inflected (messengers and social networks, as for split disguises).
_MESSENGERS_AND_NETWORKS = frozenset(c["name"] for c in REGISTRY["channels"] if {"chat", "social"} & set(c["categories"]))


def _letters(key: str) -> bool:
    """Whether a folded name is one word of letters (with the combining marks of Indic scripts)."""
    return all(ch.isalpha() or unicodedata.category(ch)[0] == "M" for ch in key)


def _inflection() -> dict[str, dict[str, dict[str, tuple]]]:
    """The packs' inflection data: pack code -> {"suffixes": script -> ((ending, final letters it
    replaces), ...), "prefixes": script -> (glued preposition, ...), "articles": script -> (article,
    ...)}, for the packs that have any. Each list applies to names in its own script."""
    out = {}
    for code, pack in packs.PACKS.items():
        lists: dict[str, list[str]] = {}
        for list_name, word in pack.grammar:
            lists.setdefault(list_name, []).append(fold(word))
        replaced = "".join(lists.get("suffix_replaces", ()))
        data: dict[str, dict[str, tuple]] = {"suffixes": {}, "prefixes": {}, "articles": {}}
        for suffix in dict.fromkeys(lists.get("glued_suffixes", ())):
            data["suffixes"][_script(suffix[0])] = (*data["suffixes"].get(_script(suffix[0]), ()), (suffix, replaced))
        for kind, list_name in (("prefixes", "glued_prepositions"), ("articles", "glued_articles")):
            for word in dict.fromkeys(lists.get(list_name, ())):
                data[kind][_script(word[0])] = (*data[kind].get(_script(word[0]), ()), word)
        if any(data.values()):
            out[code] = data
    return out


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



def _automata() -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    """The key table as two automata: the keys led by a blank (or wholly ASCII), and the keys that
    match anywhere, with a character outside ASCII (words of unspaced scripts, "*واتساب"). One
    automaton would scan the same, but pyahocorasick finds a node's next character by a linear search
    of its children, and every character that starts no key is looked up at the root: the first
    characters of the unspaced keys made the root ~280 wide, and each character of any text paid for
    that. The second automaton runs only on text holding one of its keys' characters (see
    ANYWHERE_CHARS); context.scan merges the two in the one automaton's order."""
    table = _key_table()
    anywhere = {key: values for key, values in table.items() if key[0] != " " and not key.isascii()}
    blank_led = {key: values for key, values in table.items() if key not in anywhere}
    # The text the second automaton reads is mostly blanks, digits and Latin letters, which start
    # none of its keys (or few), and each of them was found missing only after a search of the whole
    # root (pyahocorasick searches a node's children in the order they were added). Placeholder keys
    # led by them, added first, put them at the front of the root: found at once. A placeholder's
    # match, should a text ever hold one, carries no hit (empty values; see _PLACEHOLDER).
    front = {ch + _PLACEHOLDER: () for ch in _FRONT}
    # Behind them the root's children come in the order their keys were added: led by the keys whose
    # first character is commonest among the keys' own characters ("我", "的" before rare ones), which
    # are also the common ones of text in those scripts (CJK text: the pass ~15 % faster).
    counts = Counter(ch for key in anywhere for ch in key)
    anywhere = dict(sorted(anywhere.items(), key=lambda item: -counts[item[0][0]]))  # stable: ties keep their order
    # The first automaton's keys are nearly all led by a blank, and the node after it had ~150
    # children in the order the packs came (Devanagari, Bengali, Cyrillic... Latin last): every word
    # of a Latin text started with a search of most of them. The same placeholders after a blank put
    # the common characters first there.
    blank_front = {" " + ch + _PLACEHOLDER: () for ch in _FRONT}
    return build_automaton({**blank_front, **blank_led}), build_automaton({**front, **anywhere})


# The characters put at the front of the anywhere automaton's root, most frequent first, and what
# follows each in its placeholder key (a noncharacter; empty values: no hit, whatever the text).
_FRONT = " etaoinsrhldcumfpgwybvkxjqz0123456789"
_PLACEHOLDER = "\uffff"


def keys(automaton: ahocorasick.Automaton) -> list[str]:
    """The keys of an automaton that carry hits (no placeholder)."""
    return [key for key, (_, values) in automaton.items() if values]


# Derived once, then read from the compiled lexicon (compiled.py) as ready automata
# (ahocorasick.Automaton: padded key -> (key, values of _key_table)).
AUTOMATON, ANYWHERE = compiled.value("automata", _automata)
# Every ANYWHERE key holds one of these characters (none is ASCII): a text without any is not scanned for them.
ANYWHERE_CHARS = compiled.value(
    "anywhere_chars", lambda: "".join(sorted({ch for key in keys(ANYWHERE) for ch in key if not ch.isascii()}))
)
# Whether any pack key is open at an end ("insta*"): then one name can match at one start twice.
OPEN_KEYS = compiled.value(
    "open_keys", lambda: any(key[0] != " " or key[-1] != " " for key in [*keys(AUTOMATON), *keys(ANYWHERE)])
)


def _key_shape() -> tuple[int, int]:
    """(the longest key, the longest run of spaces inside one key): how far from a changed character
    a key can newly match (context.scan's second reading of text glued to unspaced scripts)."""
    found = [*keys(AUTOMATON), *keys(ANYWHERE)]
    return max(map(len, found), default=0), max((len(run) for key in found for run in re.findall(" +", key)), default=0)


LONGEST_KEY, LONGEST_KEY_SPACES = compiled.value("key_shape", _key_shape)


def _blank_neighbours() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(BEFORE_BLANKS, AFTER_BLANKS): entry n holds the characters that some key has right before
    (after) n blanks in a row or more. A key can reach across n blanks to a character only if
    that character is in entry n (context.scan: where a second reading of glued text is needed)."""
    before: list[set[str]] = [set() for _ in range(LONGEST_KEY_SPACES + 2)]
    after: list[set[str]] = [set() for _ in range(LONGEST_KEY_SPACES + 2)]
    for key in [*keys(AUTOMATON), *keys(ANYWHERE)]:
        for run in re.finditer(" +", key):
            a, b = run.span()
            for n in range(1, b - a + 1):
                if a:
                    before[n].add(key[a - 1])
                if b < len(key):
                    after[n].add(key[b])
    return tuple("".join(sorted(s)) for s in before), tuple("".join(sorted(s)) for s in after)


BEFORE_BLANKS, AFTER_BLANKS = compiled.value("blank_neighbours", _blank_neighbours)
