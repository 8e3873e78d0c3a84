"""Metamorphic (label-preserving) check of companion.engine.analyze: every labelled case of the dev
corpus (tests/corpus/*.jsonl, tests/corpus/lang/*.jsonl) and of the outside split (tests/corpus/outside/)
that the engine gets right is rewritten by transformations that must not change its label (another
channel or nickname for the channel named, another marketplace's name, other digits or another
script's digits, another mail provider or top-level domain, another language's words for "@" and ".",
upper or lower case, a trailing mark or emoji added or dropped, a greeting or sign-off, a quoted line
before it), and every rewrite must keep the label: a positive case flagged with an expected kind at the
expected severity, a clean one not flagged. The untouched split (tests/corpus/heldout/) is never read.

The channels, nicknames, providers, top-level domains, "@"/"." words and digit words come from the
engine's own data files (companion/engine/data/), so a channel or language added there is exercised
here without a change to this file. The greetings, sign-offs and quoted lines are the only words this
file holds: they are no engine data (no detector reads them) and must stay clean in every language.

Seeds are split in two halves by a hash of the case id (`half()`): fix classes from half a's failures,
keep half b's as the generalization figure (`--examples` lists half a's failures only).

Deterministic: each case's choices come from a random.Random seeded with the case id and the
transformation's name. Run: .venv/bin/python scripts/metamorph.py [--examples N] [--share N] [--only T ...] [--dump FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "tests") not in sys.path:
    sys.path[:0] = [str(REPO), str(REPO / "tests")]

from companion.engine import Severity, analyze  # noqa: E402
from corpus import Case, load_cases, load_outside  # noqa: E402

DATA = REPO / "companion" / "engine" / "data"
FLAG = frozenset({"block", "warn"})
# Channels people reach each other on, swapped for each other: a messenger or a network's DMs. Not
# the meeting tools (their ids are meetings), marketplaces, payments, mail or phone (other kinds).
MESSENGER_CATEGORIES = frozenset({"chat"})
# Aliases that are also ordinary words in a sentence ("can we chat about it?"): not read as a channel named.
NOT_A_NAME_HERE = frozenset({"we chat"})
NOT_SWAPPED = frozenset({"reddit", "slack", "teams", "chatwork", "kik", "imo", "qq", "weibo", "vk", "bip", "offplatform"})
PLATFORMS = ("Fiverr", "Upwork", "Freelancer", "PeoplePerHour")
PLATFORMS_NAMED = ("fiverr", "upwork", "peopleperhour")  # "freelancer" is also a person: only written, not read
# Decimal digits of other scripts, each read as the ASCII digit by the engine's normalization.
DIGIT_ZEROS = {"arabic": 0x660, "persian": 0x6F0, "devanagari": 0x966, "bengali": 0x9E6, "fullwidth": 0xFF10}
TRAILING = (".", "!", " 🙂", " 🙏", "!!")
STRIPPABLE_END = re.compile(r"[\s.!?。！？…🙂🙏😊👍]+$")


@dataclass(frozen=True)
class Phrasebook:
    """Ordinary words of one language a message may open or close with, or quote: no contact, no
    payment, no channel, no platform."""

    greetings: tuple[str, ...]  # "{name}" is the addressee
    signoffs: tuple[str, ...]  # "{name}" is the writer
    quoted: str  # a line of ordinary work talk the message answers


PHRASEBOOKS = {
    "en": Phrasebook(("Hi {name},", "Hello {name}!", "Good morning {name},"), ("Thanks, {name}", "Best regards,\n{name}"), "Can you send the first draft by Friday?"),
    "ar": Phrasebook(("مرحبا {name}،", "السلام عليكم {name}،"), ("شكرا، {name}",), "هل يمكنك إرسال المسودة الأولى يوم الجمعة؟"),
    "ur": Phrasebook(("Assalam o alaikum {name},", "السلام علیکم {name}،"), ("Shukriya, {name}",), "kya aap pehla draft jumma tak bhej sakte hain?"),
    "hi": Phrasebook(("Namaste {name} ji,", "नमस्ते {name},"), ("Dhanyavaad, {name}",), "kya aap pehla draft shukravar tak bhej denge?"),
    "bn": Phrasebook(("হ্যালো {name},", "নমস্কার {name},"), ("ধন্যবাদ, {name}",), "প্রথম খসড়াটা কি শুক্রবারের মধ্যে পাঠাতে পারবেন?"),
    "tr": Phrasebook(("Merhaba {name},", "Selam {name},"), ("Teşekkürler, {name}",), "İlk taslağı cumaya kadar gönderebilir misiniz?"),
    "ru": Phrasebook(("Здравствуйте, {name}!", "Привет, {name},"), ("Спасибо, {name}",), "Сможете прислать первый черновик к пятнице?"),
    "uk": Phrasebook(("Добрий день, {name}!", "Привіт, {name},"), ("Дякую, {name}",), "Чи можете надіслати першу чернетку до п'ятниці?"),
    "pl": Phrasebook(("Dzień dobry {name},", "Cześć {name},"), ("Dziękuję, {name}",), "Czy możesz przesłać pierwszą wersję do piątku?"),
    "it": Phrasebook(("Ciao {name},", "Buongiorno {name},"), ("Grazie, {name}",), "Puoi mandare la prima bozza entro venerdì?"),
    "nl": Phrasebook(("Hoi {name},", "Goedemorgen {name},"), ("Bedankt, {name}",), "Kun je het eerste ontwerp voor vrijdag sturen?"),
    "de": Phrasebook(("Hallo {name},", "Guten Morgen {name},"), ("Danke, {name}",), "Kannst du den ersten Entwurf bis Freitag schicken?"),
    "fr": Phrasebook(("Bonjour {name},", "Salut {name},"), ("Merci, {name}",), "Pouvez-vous envoyer la première version d'ici vendredi ?"),
    "es": Phrasebook(("Hola {name},", "Buenos días {name},"), ("Gracias, {name}",), "¿Puedes enviar el primer borrador para el viernes?"),
    "pt-BR": Phrasebook(("Oi {name},", "Bom dia {name},"), ("Obrigado, {name}",), "Você consegue mandar o primeiro rascunho até sexta?"),
    "id": Phrasebook(("Halo {name},", "Selamat pagi {name},"), ("Terima kasih, {name}",), "Bisa kirim draf pertama sebelum hari Jumat?"),
    "vi": Phrasebook(("Chào {name},", "Xin chào {name},"), ("Cảm ơn, {name}",), "Bạn gửi bản nháp đầu tiên trước thứ Sáu được không?"),
    "tl": Phrasebook(("Hi po {name},", "Magandang umaga {name},"), ("Salamat, {name}",), "Pwede mo bang ipadala ang unang draft bago mag-Biyernes?"),
    "zh": Phrasebook(("{name}你好，", "您好{name}，"), ("谢谢，{name}",), "周五前能发第一版草稿吗？"),
    "ja": Phrasebook(("{name}さん、こんにちは。", "{name}様、お世話になっております。"), ("よろしくお願いします。{name}",), "金曜日までに初稿を送っていただけますか？"),
    "ko": Phrasebook(("{name}님 안녕하세요,", "안녕하세요 {name}님,"), ("감사합니다, {name}",), "금요일까지 초안 보내주실 수 있나요?"),
}
NAMES = ("Maria", "Ahmed", "Priya", "Kenji", "Olga", "Lucas", "Fatima", "Minh", "Sara", "Tomasz", "Ayşe", "Chen")


# --- the engine's data, read from its files --------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """What the transformations swap, from companion/engine/data/."""

    channel_names: dict[str, str]  # folded alias -> channel: the registry's aliases of the channels swapped
    nicknames: dict[str, dict[str, str]]  # language -> its pack's names of those channels -> channel
    channel_targets: dict[str, str]  # channel -> one way to write it (its first alias)
    groups: dict[str, tuple[bool, bool]]  # channel -> (a social network, its profiles go by a name)
    glued_after: tuple[str, ...]  # particles written glued after a channel's name (Korean, Japanese, Chinese)
    providers: tuple[str, ...]  # mail providers named in words, at <name>.com
    tlds: tuple[str, ...]
    at_dot: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # language -> (words for "@", words for ".")
    digit_words: dict[str, dict[str, str]]  # language -> digit -> its first word


@cache
def lexicon() -> Lexicon:
    registry = json.loads((DATA / "channels.json").read_text(encoding="utf-8"))
    swapped = {
        c["name"]: c for c in registry["channels"]
        if MESSENGER_CATEGORIES & set(c["categories"]) and c["name"] not in NOT_SWAPPED and c["aliases"]
    }
    nicknames: dict[str, dict[str, str]] = defaultdict(dict)
    at_dot, digit_words, glued = {}, {}, set()
    for path in sorted((DATA / "lang").glob("*.toml")):
        pack = tomllib.loads(path.read_text(encoding="utf-8"))
        code = pack["language"]["code"]
        for alias, channel in pack.get("channels", {}).items():
            if channel in swapped and not alias.startswith("*") and not alias.endswith("*") and not alias.endswith(
                tuple(pack.get("grammar", {}).get("postpositions", ()))
            ):
                nicknames[code][alias.lower()] = channel
        grammar = pack.get("grammar", {})
        glued.update(grammar.get("postpositions", ()), grammar.get("genitives", ()))
        email = pack.get("email", {})
        if email.get("at") and email.get("dot"):
            at_dot[code] = (tuple(email["at"]), tuple(email["dot"]))
        words: dict[str, str] = {}
        for word, digit in pack.get("digits", {}).get("digit", {}).items():
            words.setdefault(str(digit), word)
        if len(words) == 10:
            digit_words[code] = words
    providers = tuple(
        name for name, domain, in_words in (line.split("\t")[:3] for line in _lines(DATA / "email_providers.tsv"))
        if in_words == "yes" and domain == f"{name}.com"
    )
    return Lexicon(
        channel_names={alias.lower(): name for name, c in swapped.items() for alias in c["aliases"]},
        nicknames=dict(nicknames),
        channel_targets={name: c["aliases"][0] for name, c in swapped.items()},
        groups={name: ("social" in c["categories"], bool(c.get("named_profiles"))) for name, c in swapped.items()},
        glued_after=tuple(sorted(glued, key=len, reverse=True)),
        providers=providers,
        tlds=tuple(_lines(DATA / "email_tlds.txt")),
        at_dot=at_dot,
        digit_words=digit_words,
    )


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


# --- finding what to swap ---------------------------------------------------------------------------

# Katakana and hangul words hold a channel's name inside them ("オンライン" online, "헤드라인" headline).
_GLUED_BEFORE = re.compile(r"[\u30a0-\u30ff\uac00-\ud7af]")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # kana, CJK, hangul: words glued to words


def _word_at(text: str, start: int, end: int) -> bool:
    """text[start:end] stands as a word: not inside a longer word, an address, a link or an id."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before in "./@_-#":
        return False
    if after.isalnum() or after in "_-#'’":
        return False
    if after in ".:/@" and end + 1 < len(text) and (text[end + 1].isalnum() or text[end + 1] == "/"):
        return False
    return True


def _occurrences(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of the words in text (case-insensitive, whole words, longest first, no overlaps)."""
    lowered = text.lower()
    found: list[tuple[int, int]] = []
    for word in sorted(set(words), key=len, reverse=True):
        if not word:
            continue
        start = lowered.find(word)
        while start != -1:
            end = start + len(word)
            if (_word_at(text, start, end) or _UNSPACED.search(word)) and not any(s < end and start < e for s, e in found):
                found.append((start, end))
            start = lowered.find(word, start + 1)
    return sorted(found)


def _substitute(case: Case, spans: list[tuple[int, int]], new: str | Callable[[str], str]) -> Case:
    """The case with each span of its text replaced (and the same words in its expected spans)."""
    text, pieces, last = case.text, [], 0
    olds = set()
    for start, end in spans:
        old = text[start:end]
        olds.add(old)
        pieces += [text[last:start], new(old) if callable(new) else new]
        last = end
    new_text = "".join(pieces) + text[last:]
    new_spans = []
    for span in case.spans:
        for old in sorted(olds, key=len, reverse=True):
            if old in span:
                span = span.replace(old, new(old) if callable(new) else new)
        new_spans.append(span)
    return replace(case, text=new_text, spans=tuple(new_spans))


def _pick(rng: random.Random, items: Iterable[str], k: int) -> list[str]:
    items = sorted(set(items))
    return items if len(items) <= k else rng.sample(items, k)


# --- the transformations: case -> [(variant, what changed)] -------------------------------------------

Variants = list[tuple[Case, str]]
PER_CASE = 4  # rewrites drawn per case and transformation (all of them when fewer)


def swap_channel(case: Case, rng: random.Random) -> Variants:
    """Another channel of the same kind (messenger for messenger, social network for social network;
    for an id that is a name, one whose profiles go by a name) for the one named: its registry name,
    or a nickname from the case language's pack."""
    if case.allow or any("link" in alt for alt in case.kinds):
        return []  # an allowed channel stays allowed; a link's host is no name to swap
    lex = lexicon()
    names = {**lex.channel_names, **lex.nicknames.get(case.lang, {})}
    spans = [
        (s, e) for s, e in _occurrences(case.text, set(names) - NOT_A_NAME_HERE)
        if (not _UNSPACED.match(case.text, e) or case.text.startswith(lex.glued_after, e))
        and not (s and _GLUED_BEFORE.match(case.text, s - 1) and _GLUED_BEFORE.match(case.text, s))
    ]
    if not spans:
        return []
    named = {names[case.text[s:e].lower()] for s, e in spans}
    groups = {lex.groups[c] for c in named}
    if len(groups) != 1:
        return []
    social, by_name = groups.pop()
    if any("handle" in alt for alt in case.kinds) and any(" " in span for span in case.spans):
        return []  # an id that is a name ("fb: Kristine Mae Reyes") is one on the networks found by name only
    fits = {c for c, (soc, _) in lex.groups.items() if soc == social} - named
    targets = [lex.channel_targets[c] for c in sorted(fits)]
    own = [n for n, c in lex.nicknames.get(case.lang, {}).items() if c in fits]
    chosen = _pick(rng, targets, PER_CASE) + _pick(rng, own, 2)
    return [(_substitute(case, spans, target), f"-> {target}") for target in chosen]


def swap_platform(case: Case, rng: random.Random) -> Variants:
    """Another marketplace's name for the one named (a refusal on Upwork is one on Fiverr)."""
    spans = _occurrences(case.text, PLATFORMS_NAMED)
    if not spans:
        return []
    named = {case.text[s:e].lower() for s, e in spans}
    return [(_substitute(case, spans, p), f"-> {p}") for p in PLATFORMS if p.lower() not in named]


_DIGIT_RUN = re.compile(r"(?<![A-Za-z\d])\d(?:[\d \-.()/]*\d)?(?![A-Za-z\d])", re.ASCII)


def digits_script(case: Case, rng: random.Random) -> Variants:
    """Every digit not glued to a Latin letter written in another script's digits."""
    runs = [m.span() for m in _DIGIT_RUN.finditer(case.text)]
    if not runs:
        return []
    out = []
    for script in _pick(rng, DIGIT_ZEROS, 2):
        zero = DIGIT_ZEROS[script]
        def to_script(run: str, zero: int = zero) -> str:
            return "".join(chr(zero + int(c)) if c.isascii() and c.isdigit() else c for c in run)
        out.append((_substitute(case, runs, to_script), f"digits -> {script}"))
    return out


_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}", re.ASCII)
_NUMBERISH = re.compile(r"\+?\d[\d \-.()]{5,}\d", re.ASCII)


def swap_digits(case: Case, rng: random.Random) -> Variants:
    """The last four digits of a phone number's run of 7-12 digits changed (its region and prefix kept).
    In phone cases only: a checksum (IBAN, card) would break, and other numbers of clean texts (counts,
    dates, a "1 2 3 ..." list) may become a phone's."""
    if not any("phone" in alt for alt in case.kinds) or any("payment" in alt for alt in case.kinds):
        return []
    runs = [
        m.span() for m in _NUMBERISH.finditer(case.text)
        if 7 <= sum(c in "0123456789" for c in m.group()) <= 12 and not _IP.fullmatch(m.group())
        and len(set(m.group()) & set("0123456789")) > 2
    ]
    if not runs:
        return []
    out = []
    for shift in sorted(rng.sample(range(1, 10), 2)):
        def shifted(run: str, shift: int = shift) -> str:
            chars, left = list(run), 4
            for i in range(len(chars) - 1, -1, -1):
                if left and chars[i] in '0123456789':
                    chars[i] = str((int(chars[i]) + shift) % 10)
                    left -= 1
            return "".join(chars)
        out.append((_substitute(case, runs, shifted), f"last four digits +{shift}"))
    return out


def digit_words(case: Case, rng: random.Random) -> Variants:
    """An expected phone number written out in the case language's digit words."""
    words = lexicon().digit_words.get(case.lang)
    if not words or case.kinds != ("phone",) or not case.spans:
        return []
    span = case.spans[0]
    if not span or case.text.find(span) < 0 or not re.fullmatch(r"\+?[\d \-.()]+", span, re.ASCII):
        return []
    spelled = " ".join(words[c] for c in span if c in "0123456789")
    start = case.text.find(span)
    spelled = ("" if not start or case.text[start - 1].isspace() else " ") + spelled
    spelled += "" if start + len(span) == len(case.text) or case.text[start + len(span)].isspace() else " "
    return [(_substitute(case, [(start, start + len(span))], spelled), f"digits as {case.lang} words")]


def swap_provider(case: Case, rng: random.Random) -> Variants:
    """Another mail provider for the one named (in an address or in words)."""
    providers = lexicon().providers
    spans = [
        (s, e) for s, e in _occurrences_glued(case.text, providers)
    ]
    if not spans:
        return []
    named = {case.text[s:e].lower() for s, e in spans}
    return [(_substitute(case, spans, p), f"-> {p}") for p in _pick(rng, [p for p in providers if p not in named], PER_CASE)]


def _occurrences_glued(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """A provider stands after "@" or a blank and before "." or a blank or the end."""
    lowered, found = text.lower(), []
    for word in sorted(set(words), key=len, reverse=True):
        for m in re.finditer(rf"(?<=[@\s(\[])({re.escape(word)})(?=[.\s)\]]|$)", lowered):
            if not any(s < m.end(1) and m.start(1) < e for s, e in found):
                found.append(m.span(1))
    return sorted(found)


_TLD_AFTER = re.compile(r"(?:\.|\bdot\s|\(dot\)\s?|\[dot\]\s?)(com|net|org)\b", re.IGNORECASE)


def _provider_before(text: str, start: int) -> bool:
    """The domain before the top-level domain is a mail provider's ("icloud.com": provider swaps change it
    whole) or the platform's own (a reserved address)."""
    words = re.findall(r"[a-z0-9-]+", text[:start].lower())
    return bool(words) and (words[-1] in lexicon().providers or words[-1] in PLATFORMS_NAMED or words[-1] == "dot" and len(words) > 1 and words[-2] in lexicon().providers)


def swap_tld(case: Case, rng: random.Random) -> Variants:
    """Another top-level domain for an e-mail address's ".com", ".net" or ".org"."""
    if not any("email" in alt for alt in case.kinds) and "@" not in case.text:
        return []
    spans = [m.span(1) for m in _TLD_AFTER.finditer(case.text) if "@" in case.text[: m.start()] or " " in m.group()]
    spans = [s for s in spans if not case.text[s[1]:s[1] + 1].isalnum() and not _provider_before(case.text, s[0])]
    if not spans:
        return []
    named = {case.text[s:e].lower() for s, e in spans}
    common = [t for t in lexicon().tlds if len(t) >= 2 and "." not in t and t not in named]
    return [(_substitute(case, spans, t), f".{t}") for t in _pick(rng, common, PER_CASE)]


def swap_at_dot(case: Case, rng: random.Random) -> Variants:
    """Another language's words for "@" and "." in an expected e-mail address spelled out."""
    if case.kinds != ("email",) or not case.spans:
        return []
    lex = lexicon()
    span = case.spans[0]
    start = case.text.find(span)
    if start < 0:
        return []
    ats = [(s, e) for s, e in _occurrences(span, {w for at, _ in lex.at_dot.values() for w in at}) if " " in span]
    dots = [(s, e) for s, e in _occurrences(span, {w for _, dot in lex.at_dot.values() for w in dot})]
    if len(ats) != 1 or not dots:
        return []
    out = []
    for code in _pick(rng, lex.at_dot, 3):
        at, dot = lex.at_dot[code][0][0], lex.at_dot[code][1][0]
        pieces = sorted([(s, e, at) for s, e in ats] + [(s, e, dot) for s, e in dots])
        new_span, last = "", 0
        for s, e, word in pieces:
            new_span += span[last:s] + word
            last = e
        new_span += span[last:]
        out.append((_substitute(case, [(start, start + len(span))], new_span), f"at/dot -> {code} ({at}, {dot})"))
    return out


_LONG_TOKEN = re.compile(r"\S{25,}")


def letter_case(case: Case, rng: random.Random) -> Variants:
    """All lower case; all upper case. Long tokens (crypto addresses, links) keep their case."""
    def recase(fn: Callable[[str], str]) -> Case:
        keep = [m.span() for m in _LONG_TOKEN.finditer(case.text)]
        text, last, pieces = case.text, 0, []
        for s, e in keep:
            pieces += [fn(text[last:s]), text[s:e]]
            last = e
        pieces.append(fn(text[last:]))
        new = "".join(pieces)
        spans = tuple(span if _LONG_TOKEN.search(span) else fn(span) for span in case.spans)
        return replace(case, text=new, spans=spans)
    out = []
    for name, fn in (("lower", str.lower), ("upper", str.upper)):
        variant = recase(fn)
        if variant.text != case.text and len(variant.text) == len(case.text):
            out.append((variant, name))
    return out


def trailing_mark(case: Case, rng: random.Random) -> Variants:
    """A trailing mark or emoji added; the trailing marks dropped."""
    out = [(replace(case, text=case.text + mark), f"+{mark.strip()}") for mark in _pick(rng, TRAILING, 2)]
    stripped = STRIPPABLE_END.sub("", case.text)
    if stripped != case.text and stripped and all(span in stripped for span in case.spans):
        out.append((replace(case, text=stripped), "marks dropped"))
    return out


def greeting(case: Case, rng: random.Random) -> Variants:
    """A greeting to someone by name before the message; a sign-off with a name after it."""
    book = PHRASEBOOKS.get(case.lang)
    if book is None:
        return []
    hello = rng.choice(book.greetings).format(name=rng.choice(NAMES))
    bye = rng.choice(book.signoffs).format(name=rng.choice(NAMES))
    # A message that opens with a quoted line ("> ...") keeps it at the start of a line: the greeting goes
    # on a line of its own (glued before the ">", the quote would no longer be one).
    before = f"{hello}\n" if case.text.lstrip().startswith(">") else f"{hello} "
    return [(replace(case, text=f"{before}{case.text}"), "greeting"), (replace(case, text=f"{case.text}\n{bye}"), "sign-off")]


def quoted_line(case: Case, rng: random.Random) -> Variants:
    """The message as an answer under a quoted line of ordinary work talk."""
    book = PHRASEBOOKS.get(case.lang)
    if book is None:
        return []
    return [(replace(case, text=f"> {book.quoted}\n\n{case.text}"), "after a quote")]


TRANSFORMS: dict[str, Callable[[Case, random.Random], Variants]] = {
    "channel": swap_channel,
    "platform": swap_platform,
    "digits_script": digits_script,
    "digits_swap": swap_digits,
    "digit_words": digit_words,
    "email_provider": swap_provider,
    "email_tld": swap_tld,
    "email_at_dot": swap_at_dot,
    "letter_case": letter_case,
    "trailing": trailing_mark,
    "greeting": greeting,
    "quoted": quoted_line,
}


# --- running them --------------------------------------------------------------------------------


def half(case_id: str) -> str:
    """"a" or "b", from a hash of the id (stable across runs, machines and Python's hash seed)."""
    return "a" if hashlib.sha256(case_id.encode()).digest()[0] % 2 == 0 else "b"


def correct(case: Case) -> tuple[bool, str]:
    """(the engine keeps the case's label, what it said). Positive: flagged with an expected kind at
    the expected severity or above (as scripts/evaluate counts a hit); clean: not flagged."""
    report = analyze(case.text, surface=case.surface, allow=case.allow)
    said = f"{report.verdict} {sorted({f.kind.value for f in report.findings if f.severity == report.severity})}"
    if case.verdict not in FLAG:
        return report.verdict not in FLAG, said
    expected = Severity[case.verdict.upper()]
    found = {f.kind.value for f in report.findings if f.severity >= expected}
    return report.verdict in FLAG and all(found & set(alt.split("|")) for alt in case.kinds), said


@dataclass
class Failure:
    transform: str
    detail: str
    seed: Case
    variant: Case
    said: str


@dataclass
class Run:
    seeds: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # half -> seeds kept
    skipped: int = 0  # cases the engine gets wrong as written: no seed
    variants: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))  # (transform, half)
    failures: list[Failure] = field(default_factory=list)

    def rate(self, transform: str, which: str) -> tuple[int, int]:
        n = self.variants[(transform, which)]
        failed = sum(1 for f in self.failures if f.transform == transform and half(f.seed.id) == which)
        return failed, n


def seed_cases(share: int | None = None) -> list[Case]:
    """The dev corpus and the outside split (never the untouched split); with `share`, the 1/share of
    them picked by a hash of the id (a case added later joins or not, the others stay)."""
    cases = [*load_cases(), *load_outside()]
    if share:
        cases = [c for c in cases if hashlib.sha256(c.id.encode()).digest()[1] % share == 0]
    return cases


def variants_of(case: Case, transforms: Iterable[str] = TRANSFORMS) -> Iterator[tuple[str, Case, str]]:
    for name in transforms:
        rng = random.Random(f"{case.id}:{name}")
        for variant, detail in TRANSFORMS[name](case, rng):
            if variant.text != case.text:
                yield name, variant, detail


def run(cases: Iterable[Case], transforms: Iterable[str] = TRANSFORMS) -> Run:
    result = Run()
    transforms = tuple(transforms)
    for case in cases:
        if not correct(case)[0]:
            result.skipped += 1
            continue
        which = half(case.id)
        result.seeds[which] += 1
        for name, variant, detail in variants_of(case, transforms):
            result.variants[(name, which)] += 1
            ok, said = correct(variant)
            if not ok:
                result.failures.append(Failure(name, detail, case, variant, said))
    return result


def _group(case: Case) -> str:
    return "+".join(case.kinds) if case.verdict in FLAG else "clean"


def report(result: Run, *, examples: int = 0, by: bool = True) -> str:
    lines = [
        f"seeds: half a {result.seeds['a']}, half b {result.seeds['b']} (cases the engine gets right as written;"
        f" {result.skipped} it gets wrong are no seeds)",
        f"{'transformation':<16}{'a: failed/variants':>22}{'rate':>8}{'b: failed/variants':>22}{'rate':>8}",
    ]
    for name in TRANSFORMS:
        fa, na = result.rate(name, "a")
        fb, nb = result.rate(name, "b")
        if na or nb:
            lines.append(f"{name:<16}{f'{fa}/{na}':>22}{fa / max(na, 1):>8.3f}{f'{fb}/{nb}':>22}{fb / max(nb, 1):>8.3f}")
    total = {w: (sum(result.rate(t, w)[0] for t in TRANSFORMS), sum(result.rate(t, w)[1] for t in TRANSFORMS)) for w in "ab"}
    lines.append(f"{'all':<16}{'%d/%d' % total['a']:>22}{total['a'][0] / max(total['a'][1], 1):>8.3f}"
                 f"{'%d/%d' % total['b']:>22}{total['b'][0] / max(total['b'][1], 1):>8.3f}")
    if by:
        for label, key in (("kind", _group), ("language", lambda c: c.lang)):
            counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for f in result.failures:
                counts[key(f.seed)][0 if half(f.seed.id) == "a" else 1] += 1
            lines.append(f"failures by {label} (a / b): " + ", ".join(
                f"{k} {a}/{b}" for k, (a, b) in sorted(counts.items(), key=lambda kv: -sum(kv[1]))))
    if examples:
        lines.append(f"-- half a failures (up to {examples} per transformation; half b's are not listed):")
        shown: dict[str, int] = defaultdict(int)
        for f in result.failures:
            if half(f.seed.id) == "a" and shown[f.transform] < examples:
                shown[f.transform] += 1
                lines.append(f"{f.transform} [{f.seed.id} {f.seed.lang}] {f.detail}: expected {f.seed.verdict}"
                             f" {list(f.seed.kinds)}, got {f.said}: {f.variant.text!r}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=0, help="list up to N of half a's failures per transformation")
    parser.add_argument("--share", type=int, default=None, help="only the 1/N of the cases picked by a hash of the id")
    parser.add_argument("--only", nargs="*", choices=list(TRANSFORMS), help="these transformations only")
    parser.add_argument("--dump", type=Path, help="write half a's failures as JSON lines here")
    args = parser.parse_args()
    result = run(seed_cases(args.share), args.only or TRANSFORMS)
    print(report(result, examples=args.examples))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for f in result.failures:
                if half(f.seed.id) == "a":
                    out.write(json.dumps({"transform": f.transform, "detail": f.detail, "id": f.seed.id, "lang": f.seed.lang,
                                          "verdict": f.seed.verdict, "kinds": f.seed.kinds, "said": f.said,
                                          "seed": f.seed.text, "text": f.variant.text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
