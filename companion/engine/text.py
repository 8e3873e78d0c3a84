"""The `text` stage: normalization with one offset map back to the original text.

A string with a map back to the original text, so every span a detector finds points into what
the user actually typed.

`normalize()` makes the first view (case folded, compatibility forms and look-alike letters folded,
other-script digits made ASCII, invisible characters removed). Detectors derive further views with
`rewrite()` (e.g. " at " -> "@", "five" -> "5") or `keep()` (drop separators), and call
`to_original()` on their match spans. All offsets are code points (Python string indices).

Cost model: a view whose characters each come from exactly one original character (all ASCII text,
and most other text: accents, emoji, look-alikes, fullwidth forms) keeps no offset lists at all.
A rewritten view records only its edits and maps offsets through them on demand, so rewriting a
long text costs one pass, not one list entry per character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, chain, compress

from companion.engine.lexicon.files import load_json, load_mapping, load_table
from companion.engine.lexicon import compiled
from companion.engine.lexicon.compiled import regex


# View.words() keeps the ASCII letters a-z of the UTF-8 bytes and blanks out every other byte, then
# splits: the same runs as re.findall("[a-z]+") at under half the cost on ordinary messages.
_LETTERS_ONLY = bytes(b if 0x61 <= b <= 0x7A else 0x20 for b in range(256))
_MATCH_SPAN = re.Match.span  # read in C by map(): a match's (start, end)


class View:
    __slots__ = ("text", "_starts", "_ends", "source_len", "_parent", "_edits", "_edit_starts", "_pending", "_words")

    def __init__(
        self,
        text: str,
        starts: list[int] | None = None,
        ends: list[int] | None = None,
        source_len: int | None = None,
    ) -> None:
        # starts[i]/ends[i]: the original span that produced text[i]. None means identity.
        self.text = text
        self._starts = starts
        self._ends = ends
        self.source_len = len(text) if source_len is None else source_len
        self._parent: View | None = None
        # A rewritten view: (start, end) in this text, (start, end) of what it replaced in the parent.
        self._edits: list[tuple[int, int, int, int]] = []
        self._edit_starts: list[int] = []
        # A view rewritten with a constant replacement keeps (the matches' spans, the replacement's
        # length) instead, and works out the edits only when an offset is first mapped (most views never are).
        self._pending: tuple[list[tuple[int, int]], int] | None = None
        self._words: tuple[str, ...] | None = None

    def words(self) -> tuple[str, ...]:
        """Every maximal run of ASCII letters in the text, in order ("john.smith99@gmail" -> john,
        smith, gmail), computed once per view. Detectors test it against their trigger words
        (`triggers.isdisjoint(view.words())`) before any regex pass: far cheaper than searching the
        text for each word."""
        if self._words is None:
            # "surrogatepass": a lone surrogate is text too (its bytes are not letters)
            self._words = tuple(self.text.encode("utf-8", "surrogatepass").translate(_LETTERS_ONLY).decode().split())
        return self._words

    @classmethod
    def _rewritten(cls, text: str, parent: View, edits: list[tuple[int, int, int, int]]) -> View:
        view = cls(text, None, None, parent.source_len)
        view._parent = parent
        view._edits = edits
        view._edit_starts = [e[0] for e in edits]
        return view

    @property
    def is_identity(self) -> bool:
        return self._starts is None and self._parent is None

    def starts(self) -> list[int]:
        if self._starts is not None:
            return self._starts
        if self._parent is None:
            return list(range(len(self.text)))
        return [self.to_original(i, i + 1)[0] for i in range(len(self.text))]

    def ends(self) -> list[int]:
        if self._ends is not None:
            return self._ends
        if self._parent is None:
            return list(range(1, len(self.text) + 1))
        return [self.to_original(i, i + 1)[1] for i in range(len(self.text))]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the view span [start, end) to the original text span that produced it."""
        parent = self._parent
        if parent is not None:
            if end <= start:
                pos = self._source_of(start)[0] if start < len(self.text) else len(parent.text)
                return parent.to_original(pos, pos)
            return parent.to_original(self._source_of(start)[0], self._source_of(end - 1)[1])
        if self._starts is None:
            return start, end
        if end <= start:
            pos = self._starts[start] if start < len(self._starts) else self.source_len
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def offset_lists(self) -> tuple[list[int], list[int]] | None:
        """(starts, ends) when this view maps back through one list per character, so that
        to_original(a, b) is (starts[a], ends[b - 1]) for every b > a: a caller mapping many spans
        reads the lists instead of calling to_original() for each. None for other views."""
        if self._parent is None and self._starts is not None:
            return self._starts, self._ends
        return None

    def _source_of(self, i: int) -> tuple[int, int]:
        """The parent span that character i of a rewritten view came from."""
        if self._pending is not None:
            self._edits_from_pending()
        k = bisect_right(self._edit_starts, i) - 1
        if k < 0:
            return i, i + 1
        start, end, p_start, p_end = self._edits[k]
        if i < end:  # inside a replacement: the whole match
            return p_start, p_end
        p = i - end + p_end
        return p, p + 1

    def rewrite(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None] | str) -> View:
        """A view where each match of `pattern` becomes `replace(match)`; None keeps the match.
        `replace` may also be a plain string, the same for every match (the fast path: the regex
        engine rebuilds the text, and the offset map is worked out only if it is ever used).

        Every character of a replacement maps to the whole original span of its match.
        """
        text = self.text
        if isinstance(replace, str):
            # One regex pass finds the matches, their spans read in C (map, no Python step per match:
            # a text of thousands of gaps); the text is rebuilt from them in C (the pieces between
            # matches joined by the replacement), and the offset map is worked out from them only if
            # it is ever used (most views never are). Pattern.subn, with the matches found again when
            # a view is mapped, cost two passes over a long text whose readings hold addresses.
            spans = list(map(_MATCH_SPAN, pattern.finditer(text)))
            if not spans:
                return self
            bounds = [0, *chain.from_iterable(spans), len(text)]
            view = View._rewritten(replace.join(map(text.__getitem__, map(slice, bounds[::2], bounds[1::2]))), self, [])
            view._pending = (spans, len(replace))
            return view
        parts: list[str] = []
        edits: list[tuple[int, int, int, int]] = []
        pos = shift = 0
        for m in pattern.finditer(text):
            new = replace(m)
            if new is None:
                continue
            a, b = m.span()
            parts.append(text[pos:a])
            parts.append(new)
            edits.append((a + shift, a + shift + len(new), a, b))
            shift += len(new) - (b - a)
            pos = b
        if not edits:
            return self
        parts.append(text[pos:])
        return View._rewritten("".join(parts), self, edits)

    def _edits_from_pending(self) -> None:
        spans, width = self._pending
        self._pending = None
        shifts = accumulate((width - (b - a) for a, b in spans), initial=0)
        self._edits = [(a + shift, a + shift + width, a, b) for (a, b), shift in zip(spans, shifts)]
        self._edit_starts = [e[0] for e in self._edits]

    def keep(self, keep_char: Callable[[int], bool]) -> View:
        """A view of only the characters at indices where `keep_char(i)` is true."""
        idx = [i for i in range(len(self.text)) if keep_char(i)]
        if len(idx) == len(self.text):
            return self
        starts, ends = self.starts(), self.ends()
        return View(
            "".join(self.text[i] for i in idx),
            [starts[i] for i in idx],
            [ends[i] for i in idx],
            self.source_len,
        )



# Where a word ends. Python's \w (and so \b) matches letters, digits and "_" but no combining mark,
# and Bangla and Hindi words often END in one: a vowel sign ("আইডি" id, "ফোনে" on the phone, "आईडी"
# end in a spacing mark, which normalize() keeps). `\bআইডি\b` then never matches (the mark and the
# blank after it are both \W: no boundary), and `(?<!\w)আইড(?!\w)` wrongly matches inside "আইডি".
# So a combining mark continues a word. Only the marks of the words' own scripts can continue them,
# and a class of all ~2,200 marks costs ~2 ms to compile per pattern (a class of one block's: ~0.05).
_LATIN_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # accents typed apart
_BLOCK = 256  # a script's letters and its marks share an aligned block of 256 (Arabic 0600-06ff)


def word_chars(words: str = "") -> str:
    """What continues a word made of the characters of `words`, as a regex class body (no brackets):
    letters, digits, "_" (\\w), the combining diacritics of Latin, and the combining marks (Unicode
    Mn, Mc, Me) of each 256-character block that holds a character of `words`. Add to it inside
    brackets: `rf"(?<![-{word_chars(pattern)}])"`."""
    blocks = sorted({ord(ch) // _BLOCK for ch in words if ch > "\u036f"})
    marks = [
        chr(code)
        for block in blocks
        for code in range(block * _BLOCK, (block + 1) * _BLOCK)
        if unicodedata.category(chr(code))[0] == "M"
    ]
    return r"\w" + _LATIN_MARKS + "".join(map(re.escape, marks))


def whole_word(pattern: str) -> str:
    """Regex source matching `pattern` (usually an alternation of lexicon words) only as a whole
    word: no letter, digit, "_" or combining mark of its scripts (word_chars) right before or after
    it. Use it instead of `\\b(?:...)\\b` around a word list:

        _CUE = regex(whole_word(grammar_pattern("crypto_cues")))   # "ক্রিপ্টো", "আইডি", "wallet"

    Unlike \\b it finds the end of a word that ends in a vowel sign (see above) and never ends a word
    before a mark; a word that ends in punctuation ("e.g.") matches before a blank (\\b would want a
    letter there). It works on the normalized text and on the original (non-spacing marks kept)."""
    chars = word_chars(pattern)
    return rf"(?<![{chars}])(?:{pattern})(?![{chars}])"


# What continues a word of Latin letters in the normalized text, for the regexes that bound ASCII
# lexicon words without \w: a-z, 0-9 and the Latin letters normalize() keeps because they have no
# ASCII reading (Polish "ł", Vietnamese "đ", "ø", "ß"). Bounded by [a-z0-9] alone, a
# word list read "zap" (WhatsApp) inside Polish "zapłaty", "once" (11) inside "słońce", "at" inside
# "opłat". Use it inside brackets: rf"(?<![{LATIN_WORD}])(?:{words})(?![{LATIN_WORD}])".
LATIN_LETTERS = r"a-z\u00df-\u00f6\u00f8-\u024f"
LATIN_WORD = LATIN_LETTERS + "0-9"

# An emoji, pictograph or emoticon: one after an id, a name or an address ends its clause as a full
# stop does ("my insta is maria.design 😊", "username ko ay jomar_ :)", "fb: Anjali Mehra 🙏🏻").
CLOSING_SYMBOL = r"(?:[\u2600-\u27bf\U0001f000-\U0001faff][\ufe0f\u200d]?|[:;]-?[()dpDP](?![A-Za-z0-9]))"


# Characters that change nothing a reader sees: zero-width joiners/spaces, bidi controls, soft
# hyphen, variation selectors, the combining keycap (so "1️⃣" reads as "1"), word joiner, BOM.
_INVISIBLE = frozenset(
    [chr(c) for c in (0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x20E3)]
    + [chr(c) for c in range(0x200B, 0x2010)]  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # LRE..RLO
    + [chr(c) for c in range(0x2060, 0x2070)]  # word joiner, invisible operators, isolates
    + [chr(c) for c in range(0xFE00, 0xFE10)]  # variation selectors
    + ["\ufeff", "\u3164", "\uffa0"]
)

# Characters read as ASCII: Unicode's confusables (UTS #39) and styled letters, generated from
# Unicode's data (confusables.tsv, by scripts/confusables.py), look-alikes Unicode does not list
# (homoglyphs.tsv: the Cyrillic "к" of "ѕкуре", bullets read as dots), and characters read as digits
# (numerals.tsv: CJK numerals). Later files win.
_NUMERALS: dict[str, str] = load_mapping("numerals.tsv")
_READINGS: dict[str, str] = {**load_mapping("confusables.tsv"), **load_mapping("homoglyphs.tsv"), **_NUMERALS}


def _is_script_letter(ch: str) -> bool:
    """A letter of another alphabet (Cyrillic "а", Greek "ο", Cherokee "Ꭺ"), not a Latin letter."""
    return unicodedata.category(ch)[0] == "L" and not unicodedata.name(ch, "LATIN").startswith("LATIN")


# Letters of other alphabets that look like Latin ones (Cyrillic "о", Greek "ο", Armenian "օ") are
# read as Latin only inside a word that mixes them with Latin letters or digits ("jоhn", "gmаil",
# "wh4tsаpp") or that spells a Latin name whole ("ѕкуре"), and only when every other-script letter
# of the word has a Latin reading, as UTS #39 does for mixed-script confusables. A word wholly in that
# alphabet ("номер", "не") stays as it is, so Russian never reads as English ("не" is not "he"), and
# so does a word whose other letters do not look Latin ("номер89161234567пиши"). Keys are lower case,
# as they stand in the folded text.
_SCRIPT_LOOKALIKES: dict[str, str] = {
    ch: latin
    for ch, latin in _READINGS.items()
    if len(latin) == 1 and latin.isascii() and latin.isalnum() and _is_script_letter(ch) and ch not in _NUMERALS
}
# The same readings by the lower case letter, as it stands in the folded text ("К" is "к" there).
_FOLDED_LOOKALIKES: dict[str, str] = {
    **{ch.lower(): latin for ch, latin in _SCRIPT_LOOKALIKES.items() if ch.lower() not in _SCRIPT_LOOKALIKES},
    **{ch: latin for ch, latin in _SCRIPT_LOOKALIKES.items() if ch.lower() == ch},
}
# Readings that apply wherever the character stands: symbols, styled and Latin letters, numerals.
_HOMOGLYPHS: dict[str, str] = {ch: r for ch, r in _READINGS.items() if ch in _NUMERALS or not _is_script_letter(ch)}
_LATIN_NAMES: frozenset[str] = frozenset(
    alias
    for channel in load_json("channels.json")["channels"]
    for alias in channel["aliases"]
    if alias.isascii() and alias.isalpha() and len(alias) >= 4
) | frozenset(row[0] for row in load_table("email_providers.tsv")) | {"com", "net", "org", "mail", "email"}
_WORD_RUN = regex(r"[^\W_]+")


def _fold_char(ch: str) -> str:
    """The normalized form of one non-ASCII character ("" when it is invisible). A letter of another
    alphabet keeps its script (lower case, accents removed): its Latin reading depends on the word
    around it (_mixed_words_folded)."""
    if ch in _INVISIBLE:
        return ""
    mapped = _HOMOGLYPHS.get(ch)
    if mapped is not None:
        return mapped
    cat = unicodedata.category(ch)
    if cat == "Nd":
        return str(unicodedata.digit(ch))
    if cat in ("Mn", "Me", "Cf"):
        return ""  # combining marks and other format controls attach to their base character
    if cat in ("Zs", "Zl", "Zp"):
        return " "
    if _stays(ch):
        return ch  # most letters of other scripts: what _decomposed_fold() gives them, sooner
    return _decomposed_fold(ch)


def _stays(ch: str) -> bool:
    """A character with no compatibility form, no accent and no upper case: its own fold."""
    return unicodedata.is_normalized("NFKD", ch) and not unicodedata.combining(ch) and ch.lower() == ch


def _decomposed_fold(ch: str) -> str:
    """_fold_char() of a character after its checks: accents removed, compatibility forms, lower case."""
    folded = unicodedata.normalize("NFKD", ch)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", folded) if folded else ""
    out = []
    for c in folded.lower():
        if c in _INVISIBLE or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        m = _HOMOGLYPHS.get(c)
        if m is not None:
            out.append(m)
        elif unicodedata.category(c) == "Nd":
            out.append(str(unicodedata.digit(c)))
        else:
            out.append(c)
    return "".join(out)


_FEW_CHANGES = 16  # up to this many distinct characters to replace, str.replace beats translate
_FEW_IRREGULAR = 64  # up to this many expanding or vanishing characters, splice around them


def _folds(distinct: set[str]) -> dict[str, str]:
    """The normalized form of each distinct non-ASCII character: read from the fold table where it
    covers the character, otherwise worked out for this text only (nothing the user typed is kept
    once the analysis returns: the table is derived from Unicode's data and the data files, and is
    the same whatever the texts)."""
    changes, blocks = _FOLD_CHANGES, _FOLDED_BLOCKS
    out = {}
    for ch in distinct:
        folded = changes.get(ch)
        if folded is None:
            folded = ch if ord(ch) >> 8 in blocks else _fold_char(ch)
        out[ch] = folded
    return out


# The 256-character blocks of the scripts the engine reads: those of the packs' phrases and channel
# names, of the look-alike readings and invisible characters, and the CJK ideographs and Hangul
# syllables (written without spaces: a message holds dozens of distinct ones). Without the table
# each distinct character of a message cost ~1.5 us of Unicode look-ups (_fold_char), a message in
# Russian or Hindi ~20-30 us, more than the rest of its normalization.
_UNSPACED_BLOCKS = (*range(0x34, 0x4E), *range(0x4E, 0xA0), *range(0xAC, 0xD8))


def _fold_table() -> tuple[str, str, tuple[int, ...]]:
    """(the characters of the blocks whose fold is not themselves, their folds joined by NUL, the
    blocks): compiled once with the lexicon."""
    from companion.engine.lexicon import packs

    chars = {*_READINGS, *_INVISIBLE}
    for phrase, _, _ in packs.phrases():
        chars.update(phrase)
    for alias, _ in packs.channel_aliases():
        chars.update(alias)
    blocks = sorted({ord(ch) >> 8 for ch in chars if ch >= "\x80"} | set(_UNSPACED_BLOCKS))
    blocks = [b for b in blocks if not 0xD8 <= b < 0xE0]  # no surrogates
    changes = {}
    for block in blocks:
        for code in range(block << 8, (block + 1) << 8):
            folded = _fold_char(chr(code))
            if folded != chr(code):
                changes[chr(code)] = folded
    assert not any("\0" in folded for folded in changes.values())
    return "".join(changes), "\0".join(changes.values()), tuple(blocks)


_FOLD_KEYS, _FOLD_VALUES, _BLOCKS = compiled.value("fold_table", _fold_table)
_FOLD_CHANGES: dict[str, str] = dict(zip(_FOLD_KEYS, _FOLD_VALUES.split("\0")))
_FOLDED_BLOCKS = frozenset(_BLOCKS)


def _fold_same_length(text: str, changed: dict[str, str]) -> str:
    """`text` lower-cased with each key of `changed` (one character) replaced by its value (one
    character), so offsets are unchanged."""
    if len(changed) <= _FEW_CHANGES:
        for ch, new in changed.items():
            text = text.replace(ch, new)
    else:
        text = text.translate({ord(ch): new for ch, new in changed.items()})
    return text.lower()


_ASCII = frozenset(map(chr, range(0x80)))


def normalize(text: str) -> View:
    """The view every detector starts from: lower case, ASCII digits, look-alikes folded."""
    if text.isascii():
        return View(text.lower())
    folds = _folds(set(text).difference(_ASCII))
    one_to_one: dict[str, str] = {}
    irregular: dict[str, str] = {}
    for ch, new in folds.items():
        if len(new) != 1:
            irregular[ch] = new
        elif new != ch:
            one_to_one[ch] = new
    # Same length as text: the one character whose lower case is longer ("İ") folds to one ("i")
    # and is replaced before lower-casing; irregular characters are read from `irregular` below.
    base = _fold_same_length(text, one_to_one)
    if not _FOLDED_LOOKALIKES.keys().isdisjoint(folds.values()):
        base = _mixed_words_folded(text, base)
    if not irregular:  # character for character: no offset lists needed
        return View(base, None, None, len(text))
    positions = _positions(text, irregular, _FEW_IRREGULAR)
    if positions is not None:
        return _spliced(text, base, irregular, positions)
    if not any(irregular.values()):
        return _without(text, base, "[" + "".join(map(re.escape, irregular)) + "]")
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = irregular.get(ch)
        if piece is None:
            out.append(base[i])
            starts.append(i)
            ends.append(i + 1)
        elif piece:
            out.append(piece)
            starts.extend([i] * len(piece))
            ends.extend([i + 1] * len(piece))
        elif ends:  # an invisible or combining character belongs to what precedes it
            ends[-1] = i + 1
    return View("".join(out), starts, ends, len(text))


def _mixed_words_folded(text: str, base: str) -> str:
    """`base` (`text` folded, as long as it) with the look-alike letters of other alphabets read as
    Latin in the words that mix them with Latin letters or digits, or that spell a Latin name whole,
    when all of the word's other-script letters look Latin (see _SCRIPT_LOOKALIKES). A capital is
    read as the capital it imitates (Greek "Ν" is N, its small "ν" is v)."""
    pieces: list[str] = []
    done = 0
    # Only the words made of ASCII letters and digits and look-alike letters, with one look-alike at
    # least, can read as Latin ("номер89161234567пиши" has letters with no Latin reading): the regex
    # finds them in C, and a text of other words costs no Python step per word.
    # A word typed as it reads folded has one reading wherever it stands: read once per text (a
    # disguised address is repeated; a dict translate per character was ~2 us a word). Kept for this
    # call only.
    readings: dict[str, str | None] = {}
    for m in _LOOKALIKE_WORD.finditer(base):
        word = m.group()
        start, end = m.span()
        if text[start:end] == word:
            if word in readings:
                latin = readings[word]
            else:
                latin = readings[word] = _latin_reading(word, word.translate(_FOLDED_TABLE))
        else:  # capitals or folded characters: read each from the original
            latin = _latin_reading(
                word, "".join(_SCRIPT_LOOKALIKES.get(text[i]) or _FOLDED_LOOKALIKES.get(ch, ch) for i, ch in enumerate(word, start))
            )
        if latin is None:
            continue
        pieces += (base[done:start], latin)
        done = end
    if not pieces:
        return base
    pieces.append(base[done:])
    return "".join(pieces)


def _latin_reading(word: str, latin: str) -> str | None:
    """`latin`, unless the word is wholly in another alphabet ("нос") and spells no Latin name ("ѕкуре")."""
    if not word.encode("ascii", "ignore") and latin not in _LATIN_NAMES:
        return None
    return latin


# _FOLDED_LOOKALIKES as a str.translate table. For a character that is its own lower case (every
# character of the folded text) it gives what _SCRIPT_LOOKALIKES gives for it.
_FOLDED_TABLE = str.maketrans(_FOLDED_LOOKALIKES)
# A whole word (a run of _WORD_RUN) of ASCII letters and digits and _FOLDED_LOOKALIKES, holding one of
# them: the words whose reading through _FOLDED_TABLE is all ASCII and differs from the word. Led by
# the lookbehind (a word starts where no word character precedes it); possessive, so linear.
_LOOKALIKE_CLASS = "".join(re.escape(ch) for ch in sorted(_FOLDED_LOOKALIKES) if _WORD_RUN.fullmatch(ch))
_LOOKALIKE_WORD = regex(
    rf"(?<![^\W_])(?=[A-Za-z0-9]*+[{_LOOKALIKE_CLASS}])[A-Za-z0-9{_LOOKALIKE_CLASS}]++(?![^\W_])"
)


def _positions(text: str, chars: dict[str, str], limit: int) -> list[int] | None:
    """Sorted indices of `chars` in `text`, or None when there are more than `limit`."""
    found: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            found.append(i)
            if len(found) > limit:
                return None
            i = text.find(ch, i + 1)
    found.sort()
    return found


def _spliced(text: str, base: str, irregular: dict[str, str], positions: list[int]) -> View:
    """`base` with the few irregular characters at `positions` replaced by their folds: the
    stretches between them are copied whole, offsets included."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for i in positions:
        out.append(base[pos:i])
        starts.extend(range(pos, i))
        ends.extend(range(pos + 1, i + 1))
        piece = irregular[text[i]]
        if piece:
            out.append(piece)
            starts.extend([i] * len(piece))
            ends.extend([i + 1] * len(piece))
        elif ends:  # an invisible or combining character belongs to what precedes it
            ends[-1] = i + 1
        pos = i + 1
    out.append(base[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return View("".join(out), starts, ends, len(text))


def _without(text: str, base: str, dropped: str) -> View:
    """`base` without the characters matched by the class `dropped` (invisible or combining), each
    of which joins the span of the character before it. Built with C-level passes only, so a text
    full of zero-width characters costs about as much as a plain one."""
    # Dropped characters become NUL (an original NUL is kept: it becomes \x01 first); then, from the
    # text as fixed-width UTF-32, one byte per character that is zero exactly for the NULs: the
    # three low bytes of each character ORed together, as big integers (no per-character work).
    marked = re.sub(dropped, "\x00", text.replace("\x00", "\x01") if "\x00" in text else text)
    wide = marked.encode("utf-32-le", "surrogatepass")  # lone surrogates are text too
    low_bytes = (int.from_bytes(wide[i::4], "little") for i in range(3))
    keep = (next(low_bytes) | next(low_bytes) | next(low_bytes)).to_bytes(len(text), "little")
    starts = list(compress(range(len(text)), keep))
    ends = starts[1:]
    ends.append(len(text))
    return View(re.sub(dropped, "", base), starts, ends, len(text))
