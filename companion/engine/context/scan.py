"""The one-pass cue scan: every whole-word lexicon hit in a normalized text (the cue automaton of
lexicon.automaton), by class, with the text's sentence and clause bounds. `cues_of(doc)` scans a
document once and keeps the result on the document (Document.memo) because several detectors and
the context stage read the same cues; it lives and dies with that one analysis."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import compress, groupby
from operator import eq, itemgetter
from typing import NamedTuple

from companion.engine.context import fuzzy
from companion.engine.document import Document
from companion.engine.lexicon.automaton import (
    UNSPACED_CHARS,
    ANYWHERE,
    ANYWHERE_CHARS,
    AUTOMATON,
    AFTER_BLANKS,
    BEFORE_BLANKS,
    LONGEST_KEY,
    LONGEST_KEY_SPACES,
    OPEN_KEYS,
    UNSPACED_CHARS,
    unspaced,
)
from companion.engine.lexicon.files import LazyPattern
from companion.engine.lexicon.grammar import ASCII_PAD, SEPARATOR
from companion.engine.lexicon.compiled import regex


class Hit(NamedTuple):
    """A whole-word lexicon match in the normalized view: [start, end) and what it is."""

    start: int
    end: int
    cls: str
    arg: str | None



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
_ASCII_SEPARATING_QUOTE = regex(
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

# Sentence ends and clause ends: runs of punctuation marks (_MARKS), checked by one regex each (see
# _break_runs), and the contrast words ("but": what follows it is said despite what precedes), which
# the automaton finds (class "contrast"). They work on the view and on the original text alike (the
# policy reads original offsets).
_SENTENCE_ENDS = frozenset(".!?;\u3002\uff01\uff1f\u061f\u06d4\u0964\u0965")  # a sentence end when a blank or the end follows
# Sentence ends of scripts that put no blank after them (。) or that are never anything else (؟ ۔ ।).
_ALWAYS_ENDS = frozenset("\u3002\u061f\u06d4\u0964\u0965")
_CLAUSE_MARKS = frozenset(',:()"\u201c\u201d\uff0c\n\u060c\u061b\u3001')  # a clause end wherever it is
_DASHES = frozenset("-\u2013\u2014")  # a clause end between blanks ("- ", not "e-mail")
_MARKS = _SENTENCE_ENDS | _CLAUSE_MARKS | _DASHES


_CHANNEL_CLASSES = frozenset({"channel", "channel_weak", "abbrev"})
# Automaton classes of grammar words (gates), not phrases of their own; how far back a phrase holding
# a contrast word may start.
_GATE_CLASSES = frozenset({"contrast", "search", "prefer", "place", "callbare", "phoning", "callask", "reportlabel", "qopener"})
_PHRASE_REACH = 40
# A greeting opening the message: at most a name before it, a name or title and its comma after it.
_GREETING_LEAD = 20
_NO_MARK = regex(r"[^,\u060c\uff0c.!?:;\n]*")
_GREETING_END = regex(r"[^,\u060c\uff0c.!?:;\n]{0,30}?([,\u060c\uff0c][ \t]?)")
_NO_CHANNELS: frozenset[str] = frozenset()


class Cues:
    """Every lexicon hit in one normalized text, by class, plus its sentence and clause bounds."""

    __slots__ = (
        "text", "hits", "classes", "_channels", "_by_cls", "_merged", "_cut_marks", "_sentences", "_clauses", "_contrast_ends",
        "_starts",
    )

    def __init__(self, text: str, hits: list[Hit]) -> None:
        self.text = text
        self.hits = hits
        by_cls: dict[str, list[Hit]] = {}
        if len(hits) <= _FEW_HITS:
            for h in hits:
                found = by_cls.get(h[2])
                if found is None:
                    by_cls[h[2]] = [h]
                else:
                    found.append(h)
        else:  # the same, grouped by C-level passes: a stable sort by class keeps each class by start
            for cls, found in groupby(sorted(hits, key=_CLS), key=_CLS):
                by_cls[cls] = list(found)
        self._by_cls = by_cls
        # The classes present: hot gates test a prebuilt frozenset against it (`has` builds a tuple).
        self.classes = by_cls.keys()
        self._channels: frozenset[str] | None = None
        self._merged: dict[tuple[str, ...], list[Hit]] = {}
        self._cut_marks: list[tuple[int, int]] | None = None  # contrast spans, when first asked, as are:
        self._sentences: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self._clauses: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self._contrast_ends: list[int] | None = None  # same_clause(): where the contrast words end
        self._starts: list[int] | None = None  # inside_phrase(): the hits' starts, when first asked

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
            self._sentences = breaks(self.text, self._contrast_spans())
        return span_around(self._sentences, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        if self._clauses is None:
            self._clauses = breaks(self.text, self._contrast_spans(), clauses=True)
        return span_around(self._clauses, pos, len(self.text))

    def _contrast_spans(self) -> list[tuple[int, int]]:
        """The contrast spans, which sentences and clauses are both cut at."""
        if self._cut_marks is None:
            self._cut_marks = self.contrasts()
        return self._cut_marks

    def contrasts(self, to_original: Callable[[int, int], tuple[int, int]] | None = None, text: str | None = None) -> list[tuple[int, int]]:
        """The contrast words between blanks (or of a script written without spaces) as break spans
        (the blanks included), in view offsets
        or, given the view's to_original and the original text, in original offsets."""
        text = self.text if text is None else text
        out = []
        greetings = self._by_cls.get("greeting")
        if greetings is not None:
            opening = self._opening(greetings[0])
            if opening is not None:
                out.append(opening if to_original is None else to_original(*opening))
        for h in self._by_cls.get("contrast", ()):
            if self._inside_phrase(h):
                continue  # "más fácil por", "mais fácil pelo": Spanish "más" and Portuguese "mais" are "more"
            start, end = (h.start, h.end) if to_original is None else to_original(h.start, h.end)
            if unspaced(text[start:end]):
                out.append((start, end))  # "我知道不允许，但是加个微信吧": a script without spaces needs no blanks
            elif 0 < start and end < len(text) and text[start - 1].isspace() and text[end].isspace():
                out.append((start - 1, end + 1))
        return out

    def _opening(self, greeting: Hit) -> tuple[int, int] | None:
        """The comma that ends a greeting opening the message ("Hi Olga, u on telegram?", "Sara님
        안녕하세요, ...", "Priya你好，有微信吗？"), as a break span: what follows is a sentence of its own, so a
        question after it is as short as it is without the greeting. None when the greeting does not
        open the message or no comma follows it closely."""
        if greeting.start > _GREETING_LEAD or not _NO_MARK.fullmatch(self.text, 0, greeting.start):
            return None
        comma = _GREETING_END.match(self.text, greeting.end)
        return None if comma is None else comma.span(1)

    def _inside_phrase(self, contrast: Hit) -> bool:
        """Whether a contrast word is a part of a longer phrase of the lexicon: then it is that
        phrase's word, not a contrast ("mas" is Portuguese "but" and, folded, Spanish "más")."""
        return self.inside_phrase(contrast, lambda cls: cls not in _GATE_CLASSES)

    def inside_phrase(self, word: Hit, counts: Callable[[str], bool]) -> bool:
        """Whether a hit lies inside a longer hit of a class that `counts`."""
        start, end = word[0], word[1]
        length = end - start
        starts = self._starts
        if starts is None:  # the hits' starts as plain ints: a bisection without a key call per step
            starts = self._starts = list(map(_START, self.hits))
        i = bisect_left(starts, max(0, start - _PHRASE_REACH))
        j = bisect_right(starts, start, lo=i)
        return any(end <= h[1] and h[1] - h[0] > length and counts(h[2]) for h in self.hits[i:j])

    def same_clause(self, a: int, b: int) -> bool:
        """Whether positions a <= b lie in one clause. Without a punctuation mark or a contrast word
        between them they do, and the clauses of the text need not be computed."""
        if self._clauses is None and _MARKS.isdisjoint(self.text[a:b]):
            if self._contrast_ends is None:
                self._contrast_ends = sorted(h.end for h in self._by_cls.get("contrast", ()))
            ends = self._contrast_ends
            i = bisect_left(ends, a)
            if i == len(ends) or ends[i] >= b:  # no contrast word ends in [a, b)
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
_CLS = itemgetter(2)  # Hit.cls
_FEW_HITS = 32  # up to this many hits a Python loop groups them faster than sorting
_END = itemgetter(0)  # the end of an automaton match (end, (key, values)), read in C
_HIT_END = itemgetter(1)  # Hit.end
# A character that continues a word (str.isalnum: re's \w without "_"), as _longest_per_start tests it.
_ENDS_INSIDE_A_WORD = regex(r"[^\W_]")


def within(hits: list[Hit], a: int, b: int) -> list[Hit]:
    """The hits (sorted by start) that lie inside [a, b)."""
    i = bisect_left(hits, a, key=_START)
    j = bisect_left(hits, b, key=_START, lo=i)
    if i == j:
        return []  # most windows hold no hit of the classes asked for: no list comprehension to run
    return [h for h in hits[i:j] if h[1] <= b]


def _any_of(chars: frozenset[str]) -> str:
    return "[" + "".join(map(re.escape, sorted(chars))) + "]"


def _break_runs(*, clauses: bool) -> re.Pattern[str]:
    """The punctuation runs (maximal runs of _MARKS) that break a sentence, or with `clauses` a
    clause, as one regex: a run holding a line break or a mark that always ends a sentence; one
    holding a sentence end with a blank (or the end) after it; for clauses also one holding a clause
    mark, and a lone dash between blanks. Led by the run's first character (a class the regex engine
    skips to quickly), which the lookbehind proves is where the run starts."""
    mark = _any_of(_MARKS)

    def holds(chars: frozenset[str]) -> str:
        return f"(?:(?<={_any_of(chars)})|(?={mark}*{_any_of(chars)}))"

    # a blank, the end, or a letter of a script written without blanks ("有QQ吗？发我一下": the
    # fullwidth "？" is "?" in the view) after it
    ways = [f"{holds(_ALWAYS_ENDS | {chr(10)})}{mark}*+", f"{holds(_SENTENCE_ENDS)}{mark}*+(?![^\\s{UNSPACED_CHARS[1:-1]}])"]
    if clauses:
        ways += [f"{holds(_CLAUSE_MARKS)}{mark}*+", f"(?<=\\s{_any_of(_DASHES)})(?!{mark})(?!\\S)"]
    return regex(f"{mark}(?<!{mark}[\\s\\S])(?:{'|'.join(ways)})")


_SENTENCE_BREAK = _break_runs(clauses=False)
_CLAUSE_BREAK = _break_runs(clauses=True)


def breaks(text: str, contrasts: list[tuple[int, int]] = (), *, clauses: bool = False) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the sentence (or, with `clauses`, clause) breaks start and end: punctuation runs (see
    _break_runs) and the `contrasts` spans. One regex pass, no Python work per punctuation run."""
    if _MARKS.isdisjoint(text):
        if not contrasts:
            return (), ()  # a short message often has no mark: a set test is cheaper than a regex scan
        spans = []
    else:
        spans = [m.span() for m in (_CLAUSE_BREAK if clauses else _SENTENCE_BREAK).finditer(text)]
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


_BLANK = regex(r"\s")


def _longest_per_start(text: str, hits: list[Hit]) -> list[Hit]:
    """Without a hit that ends inside a word (an open-ended pack key, "insta*") where a longer hit
    starts at the same place: of the same class and argument ("instagram"), or a channel's name that
    is the same word read whole (Arabic "انستاباي" is InstaPay, not "انستا" Instagram). `hits` are
    sorted by start, longer first."""
    # Only hits sharing a start can go: the runs of equal starts are found by C-level passes, and
    # only they are read in Python (a text of the packs' phrases has thousands of hits, few sharing).
    starts = list(map(_START, hits))
    shared = list(compress(range(1, len(starts)), map(eq, starts[1:], starts)))
    if not shared:
        return hits
    dropped = []
    i = 0
    while i < len(shared):
        j = i  # shared[i..j] are consecutive: one run of equal starts, from shared[i] - 1
        while j + 1 < len(shared) and shared[j + 1] == shared[j] + 1:
            j += 1
        last = hits[shared[i] - 1]
        for k in range(shared[i], shared[j] + 1):
            h = hits[k]
            if h[1] < len(text) and text[h[1]].isalnum() and (
                (h[2] == last[2] and h[3] == last[3])
                or (h[2] in _CHANNEL_CLASSES and last[2] in _CHANNEL_CLASSES and h[1] < last[1] and not _BLANK.search(text, h[1], last[1]))
            ):
                dropped.append(k)
                continue
            last = h
        i = j + 1
    if not dropped:
        return hits
    dropped.append(len(hits))
    out = hits[: dropped[0]]
    for a, b in zip(dropped, dropped[1:]):
        out += hits[a + 1 : b]
    return out


def scan(text: str) -> Cues:
    """All whole-word lexicon hits in a normalized text (doc.view.text), sorted by start."""
    if text.isascii():
        padded = " " + text.encode().translate(ASCII_PAD).decode() + " "
    else:
        padded = " " + SEPARATOR.sub(" ", text) + " "  # text.translate(PAD), faster
    if "'" in padded or "\u2019" in padded:
        padded = _unquoted(padded)
    anywhere = _may_match_anywhere(text)
    hits = _hits(padded, anywhere=anywhere)
    if not text.isascii() and _UNSPACED_RUN.search(text) and _GLUED_LATIN.search(text) is not None:
        # "PayPalで払って", "paypal로", "加QQ详聊": a Latin word glued to a script written without
        # spaces is still a word. Read again with those scripts blanked (same length, same offsets);
        # their own phrases cannot match there, so only the Latin words are new.
        known = set(hits)
        hits += [h for h in _glued_hits(padded, anywhere) if h not in known]
    if len(hits) > 1:
        # By start, longer first: the automaton reports by end, so a reversed list sorted stably by
        # start alone (a C-level key) comes out in that order.
        hits.reverse()
        hits.sort(key=_START)
        # Only hits sharing a start can go, and only one that ends inside a word (an open-ended key):
        # the characters after every hit are read in C, and most texts with shared starts (a key of
        # several classes) have none, so the Python pass over the runs of shared starts is skipped.
        if OPEN_KEYS and len(set(map(_START, hits))) < len(hits) and _ENDS_INSIDE_A_WORD.search(
            "".join(map((text + " ").__getitem__, map(_HIT_END, hits)))
        ):
            hits = _longest_per_start(text, hits)
    fuzzy_hits = _fuzzy_channels(text, hits) if _may_name_a_channel(text, hits) else ()
    if fuzzy_hits:
        hits = sorted([*hits, *fuzzy_hits], key=_START)
    if hits and ("/" in text or "@" in text):
        hits = _outside_addresses(text, hits)
    return Cues(text, hits)


def _hits(padded: str, start: int = 0, stop: int | None = None, *, anywhere: bool = False) -> list[Hit]:
    """The automaton's hits in `padded` (in padded[start:stop] when given, at their offsets in
    `padded`). `anywhere`: also the keys that match anywhere (lexicon.automaton.ANYWHERE), which only
    a text holding one of ANYWHERE_CHARS can have."""
    found = AUTOMATON.iter(padded) if stop is None else AUTOMATON.iter(padded, start, stop)
    if anywhere:
        more = list(ANYWHERE.iter(padded) if stop is None else ANYWHERE.iter(padded, start, stop))
        if more:
            # One automaton of all keys reports by end, the longer of two keys ending together first
            # ((end, length) names one key occurrence), as each of the two does on its own: where no
            # end is shared, a stable sort by end alone (a C-level key) gives exactly that order.
            found = list(found)
            if not found:
                found = more
            else:
                shared = set(map(_END, found)).intersection(map(_END, more))
                found += more
                found.sort(key=_END)
                # At an end both report, the stable sort put the first automaton's keys first:
                # only those few stretches are put longer first (a Python key for every match cost
                # more than the rest of the merge).
                for end in shared:
                    i = bisect_left(found, end, key=_END)
                    j = bisect_right(found, end, lo=i, key=_END)
                    found[i:j] = sorted(found[i:j], key=_longer_first)
    new = tuple.__new__  # Hit(...) goes through a Python-level __new__: several times slower
    # The key starts with the space before the word, and `padded` has one extra leading space, so the
    # word starts at the same index in `text` as the key does in `padded`: end - (len(key) - 1).
    return [
        new(Hit, (end - back, end - back + word_len, cls, arg))
        for end, (_, values) in found
        for back, word_len, cls, arg in values
    ]


def _may_match_anywhere(text: str) -> bool:
    """Whether a key of the ANYWHERE automaton can match: the text holds one of their characters."""
    return not text.isascii() and _ANYWHERE_CHAR.search(text) is not None


def _longer_first(found: tuple[int, tuple[str, object]]) -> int:
    return -len(found[1][0])


def _glued_hits(padded: str, anywhere: bool = False) -> list[Hit]:
    """The hits of `padded` read with its unspaced runs blanked, where that reading can differ from
    the first: only a key occurrence that covers a blanked character can be new, and a key holds at
    most LONGEST_KEY_SPACES spaces in a row, so it reaches a run only from text at most that many
    blanks away, and only from a character that some key has beside that many blanks and one more
    (BEFORE_BLANKS, AFTER_BLANKS); it is found whole in the window of LONGEST_KEY characters either
    side of the run's edge. A text in those scripts with few Latin words glued to them then costs a
    few windows, not a second pass."""
    blanked = _UNSPACED_RUN.sub(_blank, padded)
    reach, spaces = LONGEST_KEY, LONGEST_KEY_SPACES
    windows = []
    for m in _UNSPACED_RUN.finditer(padded):
        a, b = m.span()
        # Text within `spaces` before the run, n blanks before it: a key reaching into the run from
        # there holds that text's last character followed by n + 1 blanks (BEFORE_BLANKS[n + 1]).
        # "x 加" needs a key with "x" and two blanks in a row: a few keys, so "x" is seldom one.
        before = blanked[max(0, a - spaces) : a]
        text_before = before.rstrip(" ")
        if text_before and text_before[-1] in BEFORE_BLANKS[len(before) - len(text_before) + 1]:
            windows.append((max(0, a - reach + 1), a + reach))
        after = blanked[b : b + spaces]  # and after it, the same way (AFTER_BLANKS)
        text_after = after.lstrip(" ")
        if text_after and text_after[0] in AFTER_BLANKS[len(after) - len(text_after) + 1]:
            windows.append((max(0, b - reach), b - 1 + reach))
    if not windows:
        return []
    windows.sort()
    hits = []
    start, stop = windows[0]
    for a, b in windows[1:]:
        if a > stop:
            hits += _hits(blanked, start, min(stop, len(blanked)), anywhere=anywhere)
            start = a
        stop = max(stop, b)
    hits += _hits(blanked, start, min(stop, len(blanked)), anywhere=anywhere)
    return hits


# Wide character classes cost milliseconds to compile: compiled when first used (non-ASCII text).
# A run is written as one character and then more: led by a class, the regex engine skips to the
# first one in C (a text in other scripts holds none and is not searched for glued Latin words).
_UNSPACED_RUN = LazyPattern(UNSPACED_CHARS + UNSPACED_CHARS + "*")
# A Latin letter with one of those characters right after or before it; led by the letter, which
# text in those scripts seldom holds (only whether there is one is asked).
_GLUED_LATIN = LazyPattern(f"[a-z](?:{UNSPACED_CHARS}|(?<={UNSPACED_CHARS}[a-z]))")
_ANYWHERE_CHAR = LazyPattern("[" + "".join(map(re.escape, ANYWHERE_CHARS)) + "]" if ANYWHERE_CHARS else "(?!)")


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


_FUZZY_FIRST = frozenset(name[0] for name in fuzzy.NAMES)
_FUZZY_LEADS = _FUZZY_FIRST | frozenset("4@3!|05$7")  # and the signs that look like a first letter
# A channel name matters to a detector only next to a request, payment or framing phrase, an id
# ("@", ":" before a handle, digits) or in a question ("WhatsApp?"): without one of those no finding
# can depend on a fuzzy name, so most messages skip the fuzzy pass.
_FUZZY_NEEDS = frozenset(
    {"reach", "talk", "modal", "have", "ask", "offer", "dest", "direct", "after", "please", "near", "pay", "paysend", "paydirect", "search"}
)
_FUZZY_SIGNS = regex(r"[@:?0-9#]")


def _may_name_a_channel(text: str, hits: list[Hit]) -> bool:
    return _FUZZY_SIGNS.search(text) is not None or not _FUZZY_NEEDS.isdisjoint(map(_CLS, hits))
_MAX_FUZZY = 64  # words tried per message: a 20,000-character text of near-names stays linear


def _fuzzy_channels(text: str, hits: list[Hit]) -> list[Hit]:
    """Channel names the lexicon does not list, within a small edit distance of one (context.fuzzy),
    for the words no lexicon hit covers."""
    found: list[Hit] = []
    tried = 0
    starts = list(map(_START, hits))  # plain ints: a bisection without a key call per step
    for m in fuzzy.TOKEN.finditer(text):
        word = m.group()
        if word[0] not in _FUZZY_LEADS:
            continue  # a disguise keeps a name's first letter, or a sign that looks like it
        start, end = m.span()
        i = bisect_right(starts, start)
        if (i and hits[i - 1][1] > start) or (i < len(hits) and starts[i] < end):
            continue  # the lexicon knows this word (or part of it)
        tried += 1
        if tried > _MAX_FUZZY:
            break
        channel = fuzzy.channel_of(word)
        if channel is not None:
            found.append(tuple.__new__(Hit, (start, end, "channel", channel)))
    return found


# A token that is a URL with a path or scheme ("wa.me/55...", "https://x", "instagram.com/p/ig1",
# also defanged "wa[.]me/55") or an email address ("john.skype@gmail.com"). Words inside it ("wa",
# "t", "ig", "skype") are part of an address, which the link and email detectors read as a whole:
# they are no request, handle or filter cue. A bare domain ("contact me on skype.com") keeps its words:
# it names the channel and no detector covers it.
_ADDRESS_TOKEN = regex(
    r"\S*?(?:[a-z0-9-](?:\.|\[\.\]|\(\.\)|\{\.\})[a-z]{2,}(?:/|\[/\])|://|[a-z0-9_%+-]@[a-z0-9-]+\.[a-z])"
)
# Where an address token may be (a superset of _ADDRESS_TOKEN's marks, each led by a literal, so the
# regex engine finds them fast); only the tokens around these marks are tried.
_ADDRESS_MARK = regex(
    r"://|@[a-z0-9-]+\.[a-z]|\.[a-z]{2,}(?:/|\[/\])|\[\.\][a-z]{2,}(?:/|\[/\])"
    r"|\(\.\)[a-z]{2,}(?:/|\[/\])|\{\.\}[a-z]{2,}(?:/|\[/\])"
)
_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
# The run of _LOCAL_PART characters that ends where the search stops (endpos): where it starts, found
# in C. A run starts after a character outside the set, or at the search's start (always after a
# blank, or at 0). Possessive: each run is read once, so a long token stays linear.
_LOCAL_CLASS = "[" + re.escape("".join(sorted(_LOCAL_PART))) + "]"
_LOCAL_PART_TAIL = regex(rf"(?<!{_LOCAL_CLASS}){_LOCAL_CLASS}*+\Z")
_UP_TO_LAST_BLANK = regex(r".*\s", re.DOTALL)
_NON_BLANKS = regex(r"\S*")


def _address_spans(text: str) -> list[tuple[int, int]]:
    """The address tokens of a text (see _ADDRESS_TOKEN). Linear: each token is read once."""
    spans = []
    end = 0
    while (mark := _ADDRESS_MARK.search(text, end)) is not None:
        before = _UP_TO_LAST_BLANK.match(text, end, mark.start())
        start = before.end() if before else end
        end = _NON_BLANKS.match(text, mark.start()).end()
        if text.startswith("@", mark.start()):
            # An e-mail address starts at its local part: "支付宝:x@163.com", "paypal:maria@gmail.com"
            # keep the name written before it, glued by a colon (the way to pay of the address).
            start = _LOCAL_PART_TAIL.search(text, start, mark.start()).start()
        if _ADDRESS_TOKEN.match(text, start, end):
            spans.append((start, end))
    return spans


def _outside_addresses(text: str, hits: list[Hit]) -> list[Hit]:
    """`hits` (sorted by start) without those inside an address token (see _ADDRESS_TOKEN). The
    tokens are disjoint, so a hit lies inside one exactly when it starts inside it and ends by its
    end: each token's hits are found by bisection, and the hits between tokens are copied whole."""
    spans = _address_spans(text)
    if not spans:
        return hits
    kept: list[Hit] = []
    done = 0
    for a, b in spans:
        i = bisect_left(hits, a, lo=done, key=_START)
        j = bisect_left(hits, b, lo=i, key=_START)
        if i == j:
            continue
        kept += hits[done:i]
        kept += [h for h in hits[i:j] if h[1] > b]
        done = j
    if not done:
        return hits
    kept += hits[done:]
    return kept
