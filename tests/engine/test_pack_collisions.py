"""All packs are loaded together and words are folded before they are matched (accents, apostrophes),
so one pack's word acts in every language: Turkish "iban'*" opened onto Tagalog "ibang" (other) and
made "ibang font" a bank transfer, Vietnamese "cấm" (forbidden) read English "cam" as rule talk,
Spanish "deja" asked for a contact in French "déjà". This check finds such collisions before a
corpus does: a pack word (or stem) that, once folded, is a common word of another pack's language
(wordfreq's commonest words, and the words of that pack's own phrases) written differently there,
and that the other pack does not give the same role. Each is fixed in the pack (written inside a
phrase, a stem narrowed, a `neg_cancel`), or reviewed and listed with the reason it does no harm in
tests/engine/pack_fold_collisions.tsv. Digit words and e-mail words are left out: they count only
inside a run of digit words (a phone number spelled out) or between a user name and a provider, never
alone. Words written alike in both languages are left out too (not a folding artefact: "iban" is
Spanish for "they went" and the registry's IBAN alike)."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from wordfreq import top_n_list

from companion.engine.lexicon import packs
from companion.engine.lexicon.automaton import unspaced
from companion.engine.lexicon.grammar import fold

REVIEWED = Path(__file__).with_name("pack_fold_collisions.tsv")
WORDFREQ_CODES = {"pt-BR": "pt", "tl": "fil"}
COMMON = 5000

Entry = tuple[str, str]  # (word as written in the pack, role: "channel:paypal", "pay", "neg:after" ...)


def entries(pack: packs.Pack) -> list[Entry]:
    rows = [(alias, f"channel:{channel}") for alias, channel in pack.channels]
    rows += [(word, f"{cls}:{arg}" if arg else cls) for word, cls, arg in pack.phrases]
    return rows


def keys(word: str) -> Iterable[tuple[str, bool, bool]]:
    """The one-word keys a pack word becomes (folded; apostrophe dropped or not), with whether it is
    open at its end or start (a `*` stem). Phrases of several words are left out: their other words
    keep them in their language."""
    open_start, open_end = word.startswith("*"), word.endswith("*")
    stem = fold(word.strip("*"))
    apostrophe_stem = open_end and stem.endswith(("'", "\u2019"))
    for key in {stem, stem.replace("'", "").replace("\u2019", "")}:
        if key and " " not in key and not unspaced(key) and len(key) > 1:
            yield key, open_start, open_end and not (apostrophe_stem and not key.endswith(("'", "\u2019")))


def collisions(pack_entries: dict[str, list[Entry]], common: dict[str, dict[str, set[str]]]) -> set[tuple[str, str, str, str]]:
    """(pack, word, role, other language's word) for each pack word that reads as a differently
    written common word of another language, in a role that language's pack does not give it.
    `common`: language -> folded word -> the ways it is written."""
    roles: dict[str, dict[str, set[str]]] = {}
    stems: dict[str, list[tuple[str, bool, str]]] = {}  # (stem, open at its end, role)
    for code, rows in pack_entries.items():
        roles[code], stems[code] = defaultdict(set), []
        for word, role in rows:
            for key, open_start, open_end in keys(word):
                if open_start or open_end:
                    stems[code].append((key, open_end, role))
                else:
                    roles[code][key].add(role)

    def gives(code: str, word: str, role: str) -> bool:
        """Whether a pack gives a word that role itself (as a word or through one of its stems)."""
        return role in roles[code].get(word, ()) or any(
            r == role and (word.startswith(stem) if open_end else word.endswith(stem)) for stem, open_end, r in stems[code]
        )
    forward = {code: sorted(words) for code, words in common.items()}
    backward = {code: sorted(w[::-1] for w in words) for code, words in common.items()}
    found = set()
    for code, rows in pack_entries.items():
        for word, role in rows:
            written = word.strip("*").lower()
            bare = written.replace("'", "").replace("\u2019", "")
            for key, open_start, open_end in keys(word):
                for other, words in common.items():
                    if other == code:
                        continue
                    if open_end:
                        sorted_words, probe = forward[other], key
                    elif open_start:
                        sorted_words, probe = backward[other], key[::-1]
                    else:
                        sorted_words, probe = None, key
                    if sorted_words is None:
                        hits = [key] if key in words else []
                    else:
                        i, hits = bisect_left(sorted_words, probe), []
                        while i < len(sorted_words) and sorted_words[i].startswith(probe):
                            hits.append(sorted_words[i] if open_end else sorted_words[i][::-1])
                            i += 1
                    for hit in hits:
                        forms = words[hit]
                        if not (open_start or open_end) and (written in forms or bare in forms):
                            continue
                        if gives(other, hit, role):
                            continue
                        found.add((code, word, role, hit))
    return found


def common_words() -> dict[str, dict[str, set[str]]]:
    common: dict[str, dict[str, set[str]]] = {}
    for code, pack in packs.PACKS.items():
        words: dict[str, set[str]] = defaultdict(set)
        for word in top_n_list(WORDFREQ_CODES.get(code, code), COMMON):
            words[fold(word)].add(word.lower())
        for word, _ in entries(pack):
            for part in word.strip("*").lower().split():
                if not unspaced(part):
                    words[fold(part)].add(part)
        common[code] = words
    return common


def reviewed() -> set[tuple[str, str, str, str]]:
    rows = set()
    for line in REVIEWED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, word, role, other, why = line.split("\t")
            assert why.strip(), f"{REVIEWED.name}: say why {code} {word!r} does no harm"
            rows.add((code, word, role, other))
    return rows


def test_the_check_finds_a_stem_and_a_folded_word_reading_as_another_language():
    pack_entries = {
        "tr": [("iban'*", "channel:bank_transfer")],
        "vi": [("cấm", "rule")],
        "tl": [("ibang app", "elsewhere")],
        "en": [("webcam", "work")],
    }
    common = {
        "tr": {"iban": {"iban"}},
        "vi": {"cam": {"cấm"}},
        "tl": {"ibang": {"ibang"}, "app": {"app"}},
        "en": {"cam": {"cam"}, "iban": {"iban"}},
    }
    found = collisions(pack_entries, common)
    assert ("tr", "iban'*", "channel:bank_transfer", "ibang") not in found  # the apostrophe stem stays Turkish
    assert ("vi", "cấm", "rule", "cam") in found  # folded onto English "cam"
    assert not any(row[0] == "tr" and row[3] == "iban" for row in found)  # "iban" written alike: a shared word
    pack_entries["tr"] = [("iba*", "channel:bank_transfer")]
    assert ("tr", "iba*", "channel:bank_transfer", "ibang") in collisions(pack_entries, common)


def test_no_pack_word_folds_onto_another_languages_common_word_unreviewed():
    found = collisions({code: entries(pack) for code, pack in packs.PACKS.items()}, common_words())
    listed = reviewed()
    new = sorted(found - listed)
    assert new == [], (
        "pack words that, folded, read as another language's common word (pack, word, role, reads as): "
        f"{new}; write them inside a phrase, narrow the stem or cancel the collision, or list each with "
        f"why it does no harm in {REVIEWED.name}"
    )
    assert sorted(listed - found) == [], f"{REVIEWED.name}: rows that no longer collide, remove them"
