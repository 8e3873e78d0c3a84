"""A string with a map back to the original text, so every span a detector finds points into what
the user actually typed.

`normalize()` makes the first view (case folded, compatibility forms and look-alike letters folded,
other-script digits made ASCII, invisible characters removed). Detectors derive further views with
`rewrite()` (e.g. " at " -> "@", "five" -> "5") or `keep()` (drop separators), and call
`to_original()` on their match spans. All offsets are code points (Python string indices).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from companion.engine.lexicon import load_mapping


class View:
    __slots__ = ("text", "_starts", "_ends", "source_len")

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

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def starts(self) -> list[int]:
        return list(range(len(self.text))) if self._starts is None else self._starts

    def ends(self) -> list[int]:
        return list(range(1, len(self.text) + 1)) if self._ends is None else self._ends

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the view span [start, end) to the original text span that produced it."""
        if self._starts is None:
            return start, end
        if end <= start:
            pos = self._starts[start] if start < len(self._starts) else self.source_len
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def rewrite(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]) -> View:
        """A view where each match of `pattern` becomes `replace(match)`; None keeps the match.

        Every character of a replacement maps to the whole original span of its match.
        """
        text = self.text
        starts, ends = self.starts(), self.ends()
        out_text: list[str] = []
        out_starts: list[int] = []
        out_ends: list[int] = []
        pos = 0
        changed = False
        for m in pattern.finditer(text):
            new = replace(m)
            if new is None:
                continue
            a, b = m.span()
            out_text.append(text[pos:a])
            out_starts.extend(starts[pos:a])
            out_ends.extend(ends[pos:a])
            if new:
                if a < b:
                    o_start, o_end = starts[a], ends[b - 1]
                else:  # an insertion: anchor it on the position
                    o_start = o_end = starts[a] if a < len(starts) else self.source_len
                out_text.append(new)
                out_starts.extend([o_start] * len(new))
                out_ends.extend([o_end] * len(new))
            pos = b
            changed = True
        if not changed:
            return self
        out_text.append(text[pos:])
        out_starts.extend(starts[pos:])
        out_ends.extend(ends[pos:])
        return View("".join(out_text), out_starts, out_ends, self.source_len)

    def keep(self, keep_char: Callable[[int], bool]) -> View:
        """A view of only the characters at indices where `keep_char(i)` is true."""
        starts, ends = self.starts(), self.ends()
        idx = [i for i in range(len(self.text)) if keep_char(i)]
        if len(idx) == len(self.text):
            return self
        return View(
            "".join(self.text[i] for i in idx),
            [starts[i] for i in idx],
            [ends[i] for i in idx],
            self.source_len,
        )


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

_HOMOGLYPHS: dict[str, str] = load_mapping("homoglyphs.tsv")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """The normalized form of one non-ASCII character ("" when it is invisible)."""
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


def normalize(text: str) -> View:
    """The view every detector starts from: lower case, ASCII digits, look-alikes folded."""
    if text.isascii():
        return View(text.lower())
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch < "\x80":
            piece = ch.lower()
        else:
            piece = _fold_char(ch)
            if not piece:
                if ends:  # an invisible or combining character belongs to what precedes it
                    ends[-1] = i + 1
                continue
        out.append(piece)
        if len(piece) == 1:
            starts.append(i)
            ends.append(i + 1)
        else:
            starts.extend([i] * len(piece))
            ends.extend([i + 1] * len(piece))
    return View("".join(out), starts, ends, len(text))
