"""The channel registry and the one-pass cue scan shared by the handle, link, request, payment and
filter_risk detectors and by the policy.

channels.json (the registry) and phrases.tsv (request, payment and context phrases) are compiled
once, at import, into ONE Aho-Corasick automaton over word-padded keys, so a message is scanned once
and only whole-word matches come back. `cues_of(doc)` scans a document once and keeps the result on
the document (Document.memo) because several detectors and the policy read the same cues.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from companion.engine.document import Document
from companion.engine.lexicon import build_automaton, load_json, load_table, load_words
from companion.engine.model import Candidate
from companion.engine.view import normalize


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    label: str
    categories: frozenset[str]


class Hit(NamedTuple):
    """A whole-word lexicon match in the normalized view: [start, end) and what it is."""

    start: int
    end: int
    cls: str
    arg: str | None


_REGISTRY = load_json("channels.json")

CHANNELS: dict[str, Channel] = {
    c["name"]: Channel(c["name"], c["label"], frozenset(c["categories"])) for c in _REGISTRY["channels"]
}

FILE_HOSTING: frozenset[str] = frozenset(_REGISTRY["file_hosting"]["domains"])

# host -> (channel name, compiled regex of an identifying path, or None when the bare host is enough)
DOMAINS: dict[str, tuple[str, re.Pattern[str] | None]] = {
    host: (c["name"], re.compile(path) if path else None)
    for c in _REGISTRY["channels"]
    for host, path in c["domains"].items()
}

def _grammar() -> dict[str, tuple[str, ...]]:
    lists: dict[str, list[str]] = {}
    for name, word in load_table("grammar.tsv"):
        lists.setdefault(name, []).append(normalize(word).text)
    return {name: tuple(words) for name, words in lists.items()}


GRAMMAR: dict[str, tuple[str, ...]] = _grammar()


def alternation(name: str) -> str:
    """A regex alternation of one grammar.tsv list, longest first; a phrase's spaces match \\s+."""
    words = sorted(GRAMMAR[name], key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


def channels_in(*categories: str) -> frozenset[str]:
    """Names of the channels in any of these categories."""
    return frozenset(c.name for c in CHANNELS.values() if c.categories & set(categories))


def label(channel: str | None) -> str:
    found = CHANNELS.get(channel or "")
    return found.label if found else "another app"


def category_of(channel: str | None) -> frozenset[str]:
    found = CHANNELS.get(channel or "")
    return found.categories if found else frozenset()


_CALLS = frozenset({"call", "video_call"})


def is_allowed(channel: str | None, allow: frozenset[str]) -> bool:
    """True when `allow` names the channel or one of its categories. A call that names no app
    ("let's hop on a call") is covered by any approved call app ("zoom") or call category."""
    if not allow or not channel:
        return False
    if channel in allow or category_of(channel) & allow:
        return True
    return channel == "call" and any(a in _CALLS or category_of(a) & _CALLS for a in allow)


# A message gets at most this many candidates from one detector: past that, more underlines tell the
# user nothing new (the verdict is already decided), and a 20,000-character message of "@a @a @a..."
# stays fast.
MAX_CANDIDATES = 64


def bounded(detect: Callable[..., Iterator[Candidate]]) -> Callable[..., Iterator[Candidate]]:
    """Wrap a detector so it yields at most MAX_CANDIDATES candidates (and stops working there)."""

    @wraps(detect)
    def bounded_detect(doc: Document, *context: object) -> Iterator[Candidate]:
        return islice(detect(doc, *context), MAX_CANDIDATES)

    return bounded_detect


# ------------------------------------------------------------------------------------------ scan

# Characters that separate words for the automaton; "'", "’", "-" and letters/digits stay, so
# "skype-style" and "whatsapp's" are matched by explicit key variants only.
_SEPARATORS = ",.!?;:()[]{}<>\"“”«»¿¡…/\\|*~`^+=#$%&_@\t\n\r\u00a0"
_PAD = str.maketrans({c: " " for c in _SEPARATORS})
# The same table for ASCII text as bytes (bytes.translate is several times faster).
_ASCII_PAD = bytes.maketrans(
    "".join(c for c in _SEPARATORS if c.isascii()).encode(), b" " * sum(c.isascii() for c in _SEPARATORS)
)

_QUOTES = "'\u2019"
_ELIDED = frozenset("ldjmtsnc")  # French elision: "l'e-mail", "d'appel", "qu'on"


def _separates(padded: str, i: int) -> bool:
    """Whether the quote mark at `i` separates words: a quote that is not an apostrophe inside a
    word ("the 'Email us' button"), or French elision. `padded` starts and ends with a space."""
    if not padded[i - 1].isalpha() or not padded[i + 1].isalpha():
        return True
    if i >= 2 and padded[i - 2].isspace() and padded[i - 1] in _ELIDED:
        return True
    return i >= 3 and padded[i - 3].isspace() and padded[i - 2 : i] == "qu"


# _separates() for ASCII text as one regex pass (the view is lower case): most messages with a quote
# mark are English with apostrophes ("I've", "let's"), where a Python loop per mark costs more.
# Led by the literal quote, which the regex engine finds fast; the lookbehinds include the quote.
_ASCII_SEPARATING_QUOTE = re.compile(
    r"'(?:(?<![a-z]')|(?![a-z])|(?<=\s[" + "".join(sorted(_ELIDED)) + r"]')|(?<=\squ'))"
)


def _unquoted(padded: str) -> str:
    """`padded` with the quote marks that separate words turned into spaces (same length)."""
    if padded.isascii():
        return _ASCII_SEPARATING_QUOTE.sub(" ", padded)
    chars = None
    for quote in _QUOTES:
        i = padded.find(quote)
        while i != -1:
            if _separates(padded, i):
                if chars is None:
                    chars = list(padded)
                chars[i] = " "
            i = padded.find(quote, i + 1)
    return padded if chars is None else "".join(chars)

# Classes whose keys also match when a hyphen or possessive follows ("Skype-style", "Fiverr's").
_LENIENT = frozenset({"filter", "internal", "rule", "past", "neg", "here"})


def fold(phrase: str) -> str:
    """A lexicon phrase folded exactly like the text the automaton reads."""
    return normalize(phrase).text.translate(_PAD).strip()


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
    for channel in _REGISTRY["channels"]:
        name = channel["name"]
        split = bool({"chat", "social"} & set(channel["categories"]))
        for i, alias in enumerate(channel["aliases"]):
            add(alias, "channel", name)
            for variant in disguises(fold(alias), spelled=i == 0, split=split):
                # ASCII and folded already: only the signs that separate words ("wh@tsapp") to pad.
                key = variant.encode().translate(_ASCII_PAD).decode()
                # "w@s@p" would read as "w s p", "wasa$p" as "wasa p": single letters are too common
                if key not in _NOT_DISGUISES and (variant == key or min(map(len, key.split())) > 1):
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
_NOT_DISGUISES = frozenset(GRAMMAR["not_disguises"])  # ordinary words a split would produce ("what app")
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


_AUTOMATON = _build()

# Sentence ends and clause ends: punctuation, found as runs of one character class (a fast scan) and
# checked here, and the contrast words ("but": what follows it is said despite what precedes), which
# the automaton finds (class "contrast"). They work on the view and on the original text alike (the
# policy reads original offsets).
_MARK_RUN = re.compile("[.!?;\u3002\uff01\uff1f\n,:()\"\u201c\u201d\uff0c\u2013\u2014-]+")
_SENTENCE_ENDS = frozenset(".!?;\u3002\uff01\uff1f")  # a sentence end when a blank or the end follows
_CLAUSE_MARKS = frozenset(',:()"\u201c\u201d\uff0c\n')  # a clause end wherever it is
_DASHES = frozenset("-\u2013\u2014")  # a clause end between blanks ("- ", not "e-mail")
_MARKS = _SENTENCE_ENDS | _CLAUSE_MARKS | _DASHES


_CHANNEL_CLASSES = ("channel", "channel_weak", "abbrev")
_NO_CHANNELS: frozenset[str] = frozenset()


class Cues:
    """Every lexicon hit in one normalized text, by class, plus its sentence and clause bounds."""

    __slots__ = ("text", "hits", "classes", "_channels", "_by_cls", "_merged", "_cut_marks", "_sentences", "_clauses")

    def __init__(self, text: str, hits: list[Hit]) -> None:
        self.text = text
        self.hits = hits
        by_cls: dict[str, list[Hit]] = {}
        for h in hits:
            found = by_cls.get(h[2])
            if found is None:
                by_cls[h[2]] = [h]
            else:
                found.append(h)
        self._by_cls = by_cls
        # The classes present: hot gates test a prebuilt frozenset against it (`has` builds a tuple).
        self.classes = by_cls.keys()
        self._channels: frozenset[str] | None = None
        self._merged: dict[tuple[str, ...], list[Hit]] = {}
        self._cut_marks: tuple[list[tuple[int, int]], list[tuple[int, int, str]]] | None = None  # when first asked, as are:
        self._sentences: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self._clauses: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    def of(self, *classes: str) -> list[Hit]:
        """The hits of these classes, sorted by start (do not modify the list)."""
        if len(classes) == 1:
            return self._by_cls.get(classes[0], [])
        merged = self._merged.get(classes)
        if merged is None:
            by_cls = self._by_cls
            found = [by_cls[c] for c in classes if c in by_cls]
            if len(found) == 1:
                merged = found[0]
            elif not found:
                merged = []
            else:
                merged = [h for hits in found for h in hits]
                merged.sort(key=_START)
            self._merged[classes] = merged
        return merged

    @property
    def channels(self) -> frozenset[str]:
        """Channels named in the text (any strength): a detector tests its own set against it first."""
        if self._channels is None:
            by_cls = self._by_cls
            self._channels = (
                frozenset(h.arg for c in _CHANNEL_CLASSES for h in by_cls.get(c, ()))
                if not by_cls.keys().isdisjoint(_CHANNEL_CLASSES)
                else _NO_CHANNELS
            )
        return self._channels

    def has(self, *classes: str) -> bool:
        return not self.classes.isdisjoint(classes)

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._sentences is None:
            self._sentences = breaks(self.text, *self._marks())
        return span_around(self._sentences, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        if self._clauses is None:
            self._clauses = breaks(self.text, *self._marks(), clauses=True)
        return span_around(self._clauses, pos, len(self.text))

    def _marks(self) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
        """(contrast spans, punctuation runs): what sentences and clauses are both cut at."""
        if self._cut_marks is None:
            self._cut_marks = self.contrasts(), mark_runs(self.text)
        return self._cut_marks

    def contrasts(self, to_original: Callable[[int, int], tuple[int, int]] | None = None, text: str | None = None) -> list[tuple[int, int]]:
        """The contrast words between blanks as break spans (the blanks included), in view offsets
        or, given the view's to_original and the original text, in original offsets."""
        text = self.text if text is None else text
        out = []
        for h in self._by_cls.get("contrast", ()):
            start, end = (h.start, h.end) if to_original is None else to_original(h.start, h.end)
            if 0 < start and end < len(text) and text[start - 1].isspace() and text[end].isspace():
                out.append((start - 1, end + 1))
        return out

    def same_clause(self, a: int, b: int) -> bool:
        """Whether positions a <= b lie in one clause. Without a punctuation mark or a contrast word
        between them they do, and the clauses of the text need not be computed."""
        if self._clauses is None and _MARKS.isdisjoint(self.text[a:b]):
            contrasts = self._by_cls.get("contrast")
            if not contrasts or not any(a <= h.end < b for h in contrasts):
                return True
        return self.clause(a) == self.clause(b)

    def in_sentence(self, hits: list[Hit], pos: int, reach: int = 200) -> list[Hit]:
        """Hits (sorted by start) in the sentence around `pos`, at most `reach` characters away."""
        if not hits:
            return []  # no need for the sentence
        a, b = self.sentence(pos)
        return within(hits, max(a, pos - reach), min(b, pos + reach))

    def in_clause(self, hits: list[Hit], pos: int, reach: int = 60) -> list[Hit]:
        """Hits (sorted by start) in the clause around `pos`, at most `reach` characters away.

        The reach keeps every lookup bounded, so a 20,000-character message stays linear."""
        if not hits:
            return []  # no need for the clause
        a, b = self.clause(pos)
        return within(hits, max(a, pos - reach), min(b, pos + reach))


_START = itemgetter(0)  # Hit.start, read in C


def within(hits: list[Hit], a: int, b: int) -> list[Hit]:
    """The hits (sorted by start) that lie inside [a, b)."""
    i = bisect_left(hits, a, key=_START)
    j = bisect_left(hits, b, key=_START, lo=i)
    return [h for h in hits[i:j] if h.end <= b]


def cancelled(negation: Hit, cancels: list[Hit]) -> bool:
    """ "don't hesitate", "can't we", "not sure": a negation word inside a phrase that negates
    nothing here (`cancels`: the neg_cancel hits, sorted by start, in the same offsets)."""
    return any(c.start <= negation.start and negation.end <= c.end for c in within(cancels, negation.start - 20, negation.end + 40))


def mark_runs(text: str) -> list[tuple[int, int, str]]:
    """The punctuation runs of a text (see _MARK_RUN): one scan serves sentences and clauses."""
    if _MARKS.isdisjoint(text):
        return []  # a short message often has none: a set test is cheaper than a regex scan
    return [(m.start(), m.end(), m.group()) for m in _MARK_RUN.finditer(text)]


def breaks(
    text: str, contrasts: list[tuple[int, int]] = (), runs: list[tuple[int, int, str]] | None = None, *, clauses: bool = False
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the sentence (or, with `clauses`, clause) breaks start and end: punctuation (`runs`,
    mark_runs(text) when not given) and the `contrasts` spans."""
    if runs is None:
        runs = mark_runs(text)
    if not runs and not contrasts:
        return (), ()
    spans = []
    length = len(text)
    for start, end, run in runs:
        followed = end == length or text[end].isspace()
        if "\n" in run or followed and not _SENTENCE_ENDS.isdisjoint(run):
            spans.append((start, end))
        elif clauses and (
            not _CLAUSE_MARKS.isdisjoint(run)
            or followed and run in _DASHES and start and text[start - 1].isspace()
        ):
            spans.append((start, end))
    if contrasts:
        spans.extend(contrasts)
        spans.sort()
        spans = [span for i, span in enumerate(spans) if not i or span[0] >= spans[i - 1][1]]  # no overlaps
    if not spans:
        return (), ()
    starts, ends = zip(*spans)
    return starts, ends


def span_around(found: tuple[tuple[int, ...], tuple[int, ...]], pos: int, length: int) -> tuple[int, int]:
    """The sentence or clause [start, end) around `pos`, given breaks()."""
    starts, ends = found
    i = bisect_right(ends, pos)  # breaks that end at or before pos lie before it
    begin = ends[i - 1] if i else 0
    end = starts[i] if i < len(starts) else length
    return begin, max(end, begin)


def cues_of(doc: Document) -> Cues:
    """The cue scan of a document's view, computed once per document."""
    cues = doc.memo.get("cues")
    if cues is None:
        cues = doc.memo["cues"] = scan(doc.view.text)
    return cues


def scan(text: str) -> Cues:
    """All whole-word lexicon hits in a normalized text (doc.view.text), sorted by start."""
    if text.isascii():
        padded = " " + text.encode().translate(_ASCII_PAD).decode() + " "
    else:
        padded = " " + text.translate(_PAD) + " "
    if "'" in padded or "\u2019" in padded:
        padded = _unquoted(padded)
    new = tuple.__new__  # Hit(...) goes through a Python-level __new__: several times slower
    # The key starts with the space before the word, and `padded` has one extra leading space, so the
    # word starts at the same index in `text` as the key does in `padded`: end - (len(key) - 1).
    hits = [
        new(Hit, (end - back, end - back + word_len, cls, arg))
        for end, (_, values) in _AUTOMATON.iter(padded)
        for back, word_len, cls, arg in values
    ]
    if len(hits) > 1:
        # By start, longer first: the automaton reports by end, so a reversed list sorted stably by
        # start alone (a C-level key) comes out in that order.
        hits.reverse()
        hits.sort(key=_START)
    if hits and ("/" in text or "@" in text):
        hits = _outside_addresses(text, hits)
    return Cues(text, hits)


# A token that is a URL with a path or scheme ("wa.me/55...", "https://x", "instagram.com/p/ig1",
# also defanged "wa[.]me/55") or an email address ("john.skype@gmail.com"). Words inside it ("wa",
# "t", "ig", "skype") are part of an address, which the link and email detectors read as a whole:
# they are no request, handle or filter cue. A bare domain ("contact me on skype.com") keeps its words:
# it names the channel and no detector covers it.
_ADDRESS_TOKEN = re.compile(
    r"\S*?(?:[a-z0-9-](?:\.|\[\.\]|\(\.\)|\{\.\})[a-z]{2,}(?:/|\[/\])|://|[a-z0-9_%+-]@[a-z0-9-]+\.[a-z])"
)
# Where an address token may be (a superset of _ADDRESS_TOKEN's marks, each led by a literal, so the
# regex engine finds them fast); only the tokens around these marks are tried.
_ADDRESS_MARK = re.compile(
    r"://|@[a-z0-9-]+\.[a-z]|\.[a-z]{2,}(?:/|\[/\])|\[\.\][a-z]{2,}(?:/|\[/\])"
    r"|\(\.\)[a-z]{2,}(?:/|\[/\])|\{\.\}[a-z]{2,}(?:/|\[/\])"
)
_UP_TO_LAST_BLANK = re.compile(r".*\s", re.DOTALL)
_NON_BLANKS = re.compile(r"\S*")


def _address_spans(text: str) -> list[tuple[int, int]]:
    """The address tokens of a text (see _ADDRESS_TOKEN). Linear: each token is read once."""
    spans = []
    end = 0
    while (mark := _ADDRESS_MARK.search(text, end)) is not None:
        before = _UP_TO_LAST_BLANK.match(text, end, mark.start())
        start = before.end() if before else end
        end = _NON_BLANKS.match(text, mark.start()).end()
        if _ADDRESS_TOKEN.match(text, start, end):
            spans.append((start, end))
    return spans


def _outside_addresses(text: str, hits: list[Hit]) -> list[Hit]:
    """`hits` (sorted by start) without those inside an address token (see _ADDRESS_TOKEN)."""
    spans = _address_spans(text)
    if not spans:
        return hits
    kept = []
    for h in hits:
        i = bisect_right(spans, (h[0], len(text))) - 1  # the last address starting at or before h
        if i < 0 or spans[i][1] < h[1]:
            kept.append(h)
    return kept


HANDLE_STOPWORDS: frozenset[str] = frozenset(fold(w) for w in load_words("handle_stopwords.txt"))

_WORK_NOUNS = sorted({fold(w) for w in load_words("work_nouns.txt")}, key=len, reverse=True)
_WORK_NOUN_SET = frozenset(_WORK_NOUNS)
_WORK_OBJECT_AFTER = re.compile(
    r"(?:\s*-\s*|\s+|'s\s+|\u2019s\s+)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _WORK_NOUNS) + r")(?![a-z0-9])"
)


def is_work_object(text: str, hit: Hit) -> bool:
    """True when the words after a channel or contact noun make it the subject of the work
    ("Telegram bot", "email template", "phone case", "number of pages")."""
    return _WORK_OBJECT_AFTER.match(text, hit.end) is not None


# ------------------------------------------------------------------- ids after channel cues

# What may stand between a channel cue and the id: ":", "-", "=>", "is", "id", "username", "me"...
_SEPARATOR = re.compile(rf"(?:\s*(?:[:=>~\-,#]|\b(?:{alternation('id_separators')})\b)){{1,6}}\s*")
_COLON = re.compile(r"[:>~\-]")  # not "=": "x = copy.copy(y)" is code
_MARKER = re.compile(rf"\b(?:{alternation('id_markers')})\b")
_COPULA = re.compile(rf"\b(?:{alternation('copulas')})\b")
_ID = re.compile(r"@?[a-z0-9_](?:[a-z0-9._-]{0,30}[a-z0-9_])?(?:#\d{4})?(?![a-z0-9@#])")
_MY_BEFORE = re.compile(rf"(?<![a-z])(?:{alternation('my_words')})\s+$")
AT_HANDLE = re.compile(r"(?<![a-z0-9._%+-])@[a-z0-9_](?:[a-z0-9._-]{0,30}[a-z0-9_])?(?![a-z0-9@/])")
_DOMAIN_LIKE = re.compile(r"\.(?:com|net|org|io|co|me|info|biz|app|dev|ai|edu|gov|de|uk|in|br|es|fr|us|pk|ng|ph|bd)$")
_EMAIL_TAIL = re.compile(r"[a-z0-9._-]*@")
# After a plain-word id ("skype: johnsmith"): the end of the clause or a short follow-up.
_AFTER_PLAIN_ID = re.compile(rf"[ \t]*(?:$|[.,;:!?()\[\]\n/-]|(?:{alternation('plain_id_followers')})\b)")
# A number with a unit ("2px", "1.5em"), a size ("1080x1920") or a version ("v2.3") after "Line:" or
# "Instagram -" is a spec value, not an id.
_MEASURE = re.compile(rf"\d+(?:\.\d+)?(?:{alternation('measure_units')})?|\d+x\d+(?:px)?|v\d+(?:\.\d+)*")
CUE_BEFORE, CUE_AFTER = 40, 25  # how near an id a channel cue must be (characters)


def id_after(cues: Cues, cue: Hit, *, digits: bool = False) -> tuple[int, int] | None:
    """The id right after a cue ("skype: john.doe", "my discord is nova.codes"), as a view span."""
    text = cues.text
    sep = _SEPARATOR.match(text, cue.end)
    if sep is None or sep.end() == cue.end:
        return None
    m = _ID.match(text, sep.end())
    if m is None or _EMAIL_TAIL.match(text, m.end()):
        return None  # an email address is the email detector's
    token = m.group()
    separator = sep.group()
    at = token.startswith("@")
    bare = token.lstrip("@")
    if not is_handle_token(bare, digits=digits) or _DOMAIN_LIKE.search(bare):
        return None
    looks_like_id = at or any(c in bare for c in "._#") or any(c.isdigit() for c in bare)
    if not looks_like_id and not _AFTER_PLAIN_ID.match(text, m.end()):
        return None  # "LinkedIn: Rewrite my summary" is a heading, not a user name
    colon = _COLON.search(separator) is not None
    marker = _MARKER.search(separator) is not None
    mine = _MY_BEFORE.search(text, max(0, cue.start - 8), cue.start) is not None
    copula = _COPULA.search(separator) is not None
    if cue.cls == "channel":
        ok = looks_like_id or colon or marker or copula and mine
    elif cue.cls == "abbrev":
        ok = looks_like_id or colon or marker
    elif cue.end - cue.start == 1:  # "x": an @handle or a named id ("X: @maria", "my X is maria_ux"; not "'x:bz2'")
        ok = at and (colon or marker or mine) or looks_like_id and (marker or mine)
    else:  # a word-like alias ("line", "signal"): only an id that looks like one, clearly marked
        ok = looks_like_id and (colon or marker or mine)
    return (m.start(), m.end()) if ok else None


def is_handle_token(token: str, *, digits: bool = False) -> bool:
    if len(token) < 2 or token in HANDLE_STOPWORDS or token in _WORK_NOUN_SET:
        return False
    if not digits and not any(c.isalpha() for c in token):
        return False  # digits only: a phone number or a count, not a user name
    if _MEASURE.fullmatch(token) and not (digits and token.isdigit()):
        return False
    return not (token.isalpha() and len(token) > 5 and token.endswith(("ing", "ed", "ly")))


def cue_near(cues: Cues, messengers: list[Hit], start: int, end: int) -> Hit | None:
    """The channel cue (from `messengers`, sorted by start) nearest an id, in its sentence."""
    sentence = cues.sentence(start)
    best = None
    for cue in within(messengers, max(sentence[0], start - CUE_BEFORE - 30), min(sentence[1], end + CUE_AFTER + 30)):
        if cue.end <= start and start - cue.end <= CUE_BEFORE or cue.start >= end and cue.start - end <= CUE_AFTER:
            best = cue if best is None or abs(cue.start - start) < abs(best.start - start) else best
    return best
