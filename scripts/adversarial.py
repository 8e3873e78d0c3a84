"""Adversarial texts for the engine's speed and behaviour checks (scripts/bench.py, bench_cues.py,
engine_snapshot.py): each is MAX_TEXT_CHARS (20,000) characters of one shape a detector could trip
over — long digit and separator runs, e-mail shapes with look-alike letters, channel names almost
but not quite right, CJK text, the language packs' own phrases back to back. A prefix of a text has
the same make-up as the whole, so `text[:2000]` measures how the time grows with the length.

The words come straight from the data files (language packs, channel registry), not from the
engine's compiled tables, so the texts do not depend on how the engine compiles them.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "companion" / "engine" / "data"
LENGTH = 20_000  # companion.engine.MAX_TEXT_CHARS


def _packs() -> list[dict]:
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((DATA / "lang").glob("*.toml"))]


def _registry() -> dict:
    return json.loads((DATA / "channels.json").read_text(encoding="utf-8"))


def lexicon_words() -> list[str]:
    """The words and phrases of the data files (language packs, channel registry), unfolded."""
    words: set[str] = set()
    for pack in _packs():
        for kind in pack.get("digits", {}).values():
            words |= set(kind)
        for found in pack.get("email", {}).values():
            words |= set(found)
        words |= set(pack.get("channels", {}))
        for found in pack.get("phrases", {}).values():
            words |= {w.strip("*") for w in found}
        for found in pack.get("grammar", {}).values():
            words |= set(found)
        for key, found in pack.get("phone", {}).items():
            if key != "regions":
                words |= set(found)
    registry = _registry()
    for channel in registry["channels"]:
        words |= set(channel["aliases"]) | set(channel["weak_aliases"]) | set(channel["abbreviations"])
        words |= set(channel["domains"])
    words |= set(registry["file_hosting"]["domains"])
    return sorted(w for w in words if w.strip())


def pack_phrases() -> list[str]:
    return sorted({w.strip("*") for pack in _packs() for found in pack.get("phrases", {}).values() for w in found})


def channel_names() -> list[str]:
    return sorted({c["name"] for c in _registry()["channels"] if c["name"].isalpha() and len(c["name"]) >= 5})


def _fill(chunk: str) -> str:
    return (chunk * (LENGTH // len(chunk) + 1))[:LENGTH]


def _random(make: Callable[[random.Random], str], seed: int) -> str:
    rnd = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < LENGTH:
        part = make(rnd)
        parts.append(part)
        size += len(part)
    return "".join(parts)[:LENGTH]


_MIXED = ["1", " ", "@", "at", "dot", ".", "+", "(", ")", "-", "9", "oh", "nine", "gmail", "com", "\u200b", "٣", "①"]
# Cyrillic/Greek look-alikes and fullwidth forms inside e-mail shapes ("jоhn.smіth＠gmаil.cоm").
_LOOK_ALIKES = {"a": "аα", "o": "оο", "i": "і", "e": "е", "c": "с", "p": "р", "@": "＠@", ".": "．."}
_CJK = "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以会可"
_CJK_PHRASES = ["加我微信", "私聊", "电话", "幺三八", "〇九〇", "カトク", "ライン", "電話番号", "카톡으로", "전화번호", "연락처"]
_SEPARATORS = [" ", "-", ".", "/", "(", ")", " - ", ", ", "+", "\n", "..", " / "]


def _homoglyph_email(rnd: random.Random) -> str:
    word = rnd.choice(["john.smith", "maria.design", "ana_souza99", "contact.me"]) + "@" + rnd.choice(["gmail.com", "outlook.com", "yahoo.co.uk"])
    return "".join(rnd.choice(_LOOK_ALIKES[ch]) if ch in _LOOK_ALIKES and rnd.random() < 0.4 else ch for ch in word) + " "


def _digit_separators(rnd: random.Random) -> str:
    return "".join(rnd.choice("0123456789") + (rnd.choice(_SEPARATORS) if rnd.random() < 0.5 else "") for _ in range(rnd.randint(1, 30)))


def _near_miss(names: list[str]) -> Callable[[random.Random], str]:
    """A channel name one or two edits away, or disguised with a sign, and a sign that opens the
    fuzzy pass ("?", "@", digits) now and then."""

    def make(rnd: random.Random) -> str:
        word = list(rnd.choice(names))
        for _ in range(rnd.randint(1, 2)):
            i = rnd.randrange(1, len(word))
            op = rnd.random()
            if op < 0.3:
                del word[i]
            elif op < 0.6:
                word[i] = rnd.choice("aeiouxyz4301")
            else:
                word.insert(i, rnd.choice("aeiou-._"))
        return "".join(word) + rnd.choice([" ", " ", "? ", " @x1 ", " 42 ", ", "])

    return make


def _cjk(rnd: random.Random) -> str:
    if rnd.random() < 0.3:
        return rnd.choice(_CJK_PHRASES)
    return "".join(rnd.choice(_CJK) for _ in range(rnd.randint(1, 8))) + rnd.choice(["", "，", "。", " ", "123"])


def adversarial_texts() -> dict[str, str]:
    """Label -> a 20,000-character text."""
    mixed = random.Random(20_000)
    phrases, names = pack_phrases(), channel_names()
    return {
        "digits and spaces": _fill("1 "),
        "one digit run": _fill("9"),
        "dotted digits": _fill("4."),
        "digit/separator runs": _random(_digit_separators, 1),
        "repeated 'at dot'": _fill("at dot "),
        "repeated ' (at) ' and '[dot]'": _fill(" (at) x [dot] "),
        "thousands of '@'": _fill("@"),
        "'a@' pairs": _fill("a@"),
        "spelled digits": _fill("nine oh "),
        "mixed tokens": "".join(mixed.choice(_MIXED) for _ in range(LENGTH))[:LENGTH],
        "almost-emails": _fill("john.smith@gmail "),
        "homoglyph e-mails": _random(_homoglyph_email, 2),
        "near-channel words": _random(_near_miss(names), 3),
        "CJK text": _random(_cjk, 4),
        "language-pack phrases": _random(lambda rnd: rnd.choice(phrases) + rnd.choice([" ", " ", ". ", "? ", " 5 "]), 5),
    }
