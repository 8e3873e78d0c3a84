"""Lexicons are data files under companion/engine/data/, read and compiled once at import.

Formats (UTF-8, '#' starts a comment line, blank lines ignored):
  *.txt  one entry per line
  *.tsv  tab-separated columns
  *.json structured data (channel registry)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick


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
    word matches a run of one to three blanks. Longer words win over their prefixes."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [
            ("[ \\t]{1,3}" if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_LETTER_RUN = re.compile(r"[a-z]+")


def gate_words(phrases: Iterable[str]) -> frozenset[str]:
    """For a quick "can any of `phrases` occur?" test against View.words(): the longest run of
    letters of each phrase (the rarest part: "mail" for "g mail"). A phrase matched as whole words
    always leaves that run in the text's words, so no match is missed; a hit only means "look"."""
    return frozenset(max(_LETTER_RUN.findall(phrase), key=len) for phrase in phrases)
