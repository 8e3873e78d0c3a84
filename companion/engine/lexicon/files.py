"""Lexicons are data files under companion/engine/data/, read and compiled once at import.

Formats (UTF-8, '#' starts a comment line, blank lines ignored):
  *.txt  one entry per line
  *.tsv  tab-separated columns
  *.json structured data (channel registry)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from importlib import resources
from typing import Any

import ahocorasick

from companion.engine.lexicon import compiled


def _read(name: str) -> str:
    return resources.files("companion.engine").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    out = []
    for raw in _read(name).split("\n"):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(line)
    return out


@cache
def load_words(name: str) -> tuple[str, ...]:
    """One entry per line (stripped)."""
    return tuple(line.strip() for line in _lines(name))


@cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Tab-separated rows."""
    return tuple(tuple(col.strip() for col in line.split("\t")) for line in _lines(name))


@cache
def load_mapping(name: str) -> dict[str, str]:
    """Two tab-separated columns: key, value."""
    return {row[0]: row[1] for row in load_table(name)}


@cache
def load_json(name: str) -> Any:
    return json.loads(_read(name))


def build_automaton(entries: dict[str, Any]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton mapping each key to (key, value); search with .iter(text)."""
    automaton = ahocorasick.Automaton()
    for key, value in entries.items():
        automaton.add_word(key, (key, value))
    automaton.make_automaton()
    return automaton


def alternation(words: Iterable[str]) -> str:
    """Regex source matching any of `words`, built as a trie ("a(?:t|rroba)" rather than
    "at|arroba") so the regex engine does not retry every word at every position. A space inside a
    word matches a run of one to three blanks. Longer words win over their prefixes. (Lexicon words
    only, at import: the result is kept in the compiled lexicon, as building it is most of the cost
    of a large pattern.)"""
    # The result does not depend on the words' order or repeats, so neither does the key: a list
    # built from a set comes in another order in every process (string hashing is randomized), and
    # keyed by its order it would miss the compiled lexicon on every import and rewrite the file.
    words = frozenset(words)
    return compiled.value(("alternation", words), lambda: _first_characters_gate(words) + _alternation(words))


def _first_characters_gate(words: frozenset[str]) -> str:
    """A lookahead for the first characters of `words` (empty when one of them is empty, which the
    trie matches without any character). The trie can only match from one of these characters, so
    the lookahead changes no match; it lets the regex engine reject a position with one character
    class test instead of entering the trie, as grammar_pattern() does: a phone cue pattern over
    20,000 characters 1.36 -> 0.44 ms, and 3x faster in the 60-character windows detectors search."""
    if "" in words or not words:
        return ""
    firsts = {word[0] for word in words}
    if " " in firsts:
        firsts.add("\t")  # a space matches a run of blanks (see emit)
    return "(?=[" + "".join(sorted(map(re.escape, firsts))) + "])"


def _alternation(words: Iterable[str], blank: str = "[ \\t]{1,3}") -> str:
    """The trie of alternation() without its gate; a space inside a word matches `blank`."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [
            (blank if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_PATTERN_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """A regex compiled when it is first used, for the large patterns built from the lexicon that
    most messages never need (digit words, spelled "at"): compiling them costs import time in every
    process, using them only in the messages that hold what they look for. After the first use its
    methods are the compiled pattern's own (slot attributes: no indirection per call). Holds the
    pattern only, never a text it searched."""

    __slots__ = ("_source", *_PATTERN_METHODS)

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = (source, flags)
        compiled.regex_later(source, flags)

    def __getattr__(self, name: str) -> Any:  # only while the slots are unset: the first use
        if name not in _PATTERN_METHODS:
            raise AttributeError(name)
        pattern = compiled.stored_regex(*self._source)
        for method in _PATTERN_METHODS:
            setattr(self, method, getattr(pattern, method))
        return getattr(pattern, name)


def finditer_near(pattern: re.Pattern[str], places: re.Pattern[str], text: str, reach: int, most: int = 64) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), for a pattern whose every match starts at most `reach` characters
    before a place that `places` (zero-width: it finds every such place, overlapping ones included)
    finds, and is never empty. With a few places only the positions before them are tried, instead
    of every position of the text; with more than `most` the text is read whole (same matches)."""
    found = [m.start() for m in islice(places.finditer(text), most + 1)]
    if len(found) > most:
        yield from pattern.finditer(text)
        return
    pos = 0  # where the next match may start: the end of the last one, or the first untried position
    for place in found:
        for start in range(max(pos, place - reach), place + 1):
            m = pattern.match(text, start)
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            pos = max(pos, place + 1)


_LETTER_RUN = compiled.regex(r"[a-z]+")


class Gate(frozenset):
    """A quick "can any of these phrases occur?" test (see gate_words): the longest run of ASCII
    letters of each phrase, tested against View.words(), plus the phrases that have none (other
    scripts: "собака", "艾特"), looked for as substrings in text that is not ASCII."""

    other: tuple[str, ...] = ()
    # `other` as one regex of the literal phrases (a trie led by their first characters): one search
    # in C finds whether any of them is a substring, where a Python test per phrase cost ~40 of them.
    _other: re.Pattern[str] | None = None

    def opens(self, text: str, words: Iterable[str]) -> bool:
        """Whether a phrase may occur in `text` (whose View.words() are `words`): a hit means "look"."""
        if not self.isdisjoint(words):
            return True
        return self._other is not None and not text.isascii() and self._other.search(text) is not None


def gate_words(phrases: Iterable[str]) -> Gate:
    """The Gate of `phrases` (as they appear in the normalized text). A phrase matched as whole words
    always leaves its longest letter run in the text's words, or (without ASCII letters) itself in
    the text, so no match is missed."""
    runs, other = set(), []
    for phrase in phrases:
        found = _LETTER_RUN.findall(phrase)
        if found:
            runs.add(max(found, key=len))
        else:
            other.append(phrase)
    gate = Gate(runs)
    gate.other = tuple(other)
    if other:
        literal = frozenset(other)  # a space is itself here, as in `phrase in text`
        # The trie alone, without alternation()'s leading lookahead: a search for a pattern that starts
        # with literals (the trie's branches) skips in C to a position holding one of their first
        # characters, which a pattern led by a lookahead does not (it is tried at every position):
        # 2-4x faster on a message in another script.
        gate._other = compiled.regex(_alternation(literal, blank=" "))
    return gate


def load_toml(name: str) -> dict[str, Any]:
    """A TOML data file (the language packs), parsed with the standard library's tomllib (imported
    here: an import that reads the compiled lexicon parses no TOML)."""
    import tomllib

    return tomllib.loads(_read(name))


def data_names(folder: str, suffix: str) -> list[str]:
    """The names (relative to data/) of the files in a data folder with this suffix, sorted."""
    root = resources.files("companion.engine").joinpath("data").joinpath(folder)
    return sorted(f"{folder}/{entry.name}" for entry in root.iterdir() if entry.name.endswith(suffix))
