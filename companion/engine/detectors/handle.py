"""Ids on off-platform messengers and social networks: Skype `live:…`, and user names and @handles
only WITH a channel cue nearby ("telegram @john_doe", "my insta is jane.designs", "discord: john#1234",
"wechat id: abc123", "find me on LinkedIn, Ana Souza"). "@here", "@media", "Reply to @someone"
and "Telegram bot project" stay clean (the filter_risk detector may still advise on the "@").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from companion.engine.cues import CHANNELS, HANDLE_STOPWORDS, Cues, Hit, category_of, label, scan
from companion.engine.document import Document
from companion.engine.model import Candidate, Kind, Strength

_CUES = ("channel", "channel_weak", "abbrev")
_MESSENGER_CATEGORIES = frozenset({"chat", "social"})
_NOT_MESSENGERS = frozenset({"email", "phone", "call", "zoom", "google_meet", "teams", "webex", "whereby", "linktree"})
MASK = "[contact removed]"
_SUGGESTION = "Let's keep the conversation here in the order chat."

_SKYPE_LIVE = re.compile(r"(?<![a-z0-9])live:(?=[a-z0-9._-]{3})[a-z0-9._-]{3,48}")

# What may stand between a channel cue and the id: ":", "-", "=>", "is", "id", "username", "me"...
_SEPARATOR = re.compile(
    r"(?:\s*(?:[:=>~\-]|\bis\b|\bes\b|\be\b|\bist\b|\best\b|\bhai\b|\bit'?s\b|\bid\b|\busername\b|\buser\s?name\b|"
    r"\buser\b|\bhandle\b|\bname\b|\baccount\b|\bacc\b|\bprofile\b|\btag\b|\bme\b|\bsame\s+name\b)){1,6}\s*"
)
_COLON = re.compile(r"[:=>~\-]")
_MARKER = re.compile(r"\b(?:id|username|user\s?name|user|handle|same\s+name)\b")
_COPULA = re.compile(r"\b(?:is|es|e|ist|est|hai|it'?s)\b")
_ID = re.compile(r"@?[a-z0-9_](?:[a-z0-9._-]{0,30}[a-z0-9_])?(?:#\d{4})?(?![a-z0-9@#])")
_MY_BEFORE = re.compile(r"(?<![a-z])(?:my|mi|meu|mon|ma|mein|meine|mera|meri)\s+$")
_AT_HANDLE = re.compile(r"(?<![a-z0-9._%+-])@[a-z0-9_](?:[a-z0-9._-]{0,30}[a-z0-9_])?(?![a-z0-9@/])")
_DOMAIN_LIKE = re.compile(r"\.(?:com|net|org|io|co|me|info|biz|app|dev|ai|edu|gov|de|uk|in|br|es|fr|us|pk|ng|ph|bd)$")
_CODE_AT_WORDS = frozenset(
    "media import property keyframes font-face supports page charset namespace layer container here everyone "
    "channel all param return returns override deprecated types type interface component injectable input output "
    "click model staticmethod classmethod dataclass app route pytest fixture".split()
)
_CUE_BEFORE, _CUE_AFTER = 40, 25  # how near an @handle a channel cue must be (characters)

# "search my name on facebook", "find me on LinkedIn as Ana Souza".
_SEARCH = re.compile(
    r"(?<![a-z])(?:search(?:\s+for)?\s+(?:my\s+name|me)|look\s+me\s+up|look\s+for\s+me|find\s+me|"
    r"busca(?:me|\s+mi\s+nombre)|procura\s+(?:meu\s+nome|por\s+mim)|such\s+(?:nach\s+)?mir|"
    r"cherche(?:-moi|\s+mon\s+nom)|mera\s+naam\s+search)(?![a-z])"
)
_EXPLICIT_SEARCH = re.compile(r"search|look|busca|procura|such|cherche|naam")
_NAME = re.compile(r"[\s:,\-–—]*(?:(?:as|by|under|como|als|comme)\s+)?((?:[^\W\d_][\w'’.-]*)(?:[ \t]+[^\W\d_][\w'’.-]*){0,3})")


def detect(doc: Document) -> Iterator[Candidate]:
    text = doc.view.text
    if "live:" in text:
        for m in _SKYPE_LIVE.finditer(text):
            end = m.end()
            while text[end - 1] in ".-":
                end -= 1
            yield _candidate(doc, m.start(), end, "skype", "handle.skype_live")
    cues = scan(text)
    if not cues.has(*_CUES):
        return
    messengers = [h for h in cues.of(*_CUES) if _is_messenger(h.arg)]
    if not messengers:
        return
    taken: list[tuple[int, int]] = []
    for cue in messengers:
        found = _id_after(cues, cue)
        if found:
            taken.append(found)
            yield _candidate(doc, *found, cue.arg, "handle.cued_id")
    if "@" in text:
        for m in _AT_HANDLE.finditer(text):
            if any(a <= m.start() < b for a, b in taken) or not _is_handle_token(m.group()[1:]):
                continue
            cue = _cue_near(cues, messengers, m.start(), m.end())
            if cue is not None:
                yield _candidate(doc, m.start(), m.end(), cue.arg, "handle.cued_at_handle")
    yield from _search_my_name(doc, cues, messengers)


def _is_messenger(channel: str | None) -> bool:
    return channel not in _NOT_MESSENGERS and bool(category_of(channel) & _MESSENGER_CATEGORIES) and channel in CHANNELS


def _id_after(cues: Cues, cue: Hit) -> tuple[int, int] | None:
    """The id right after a cue ("skype: john.doe", "my discord is nova.codes"), as a view span."""
    text = cues.text
    sep = _SEPARATOR.match(text, cue.end)
    if sep is None or sep.end() == cue.end:
        return None
    m = _ID.match(text, sep.end())
    if m is None:
        return None
    token = m.group()
    separator = sep.group()
    at = token.startswith("@")
    bare = token.lstrip("@")
    if not _is_handle_token(bare) or _DOMAIN_LIKE.search(bare):
        return None
    looks_like_id = at or any(c in bare for c in "._#") or any(c.isdigit() for c in bare)
    colon = _COLON.search(separator) is not None
    marker = _MARKER.search(separator) is not None
    mine = _MY_BEFORE.search(text, max(0, cue.start - 8), cue.start) is not None
    copula = _COPULA.search(separator) is not None
    if cue.cls == "channel":
        ok = looks_like_id or colon or marker or copula and mine
    elif cue.cls == "abbrev":
        ok = looks_like_id or colon or marker
    else:  # a word-like alias ("line", "signal", "x"): only an id that looks like one, clearly marked
        ok = looks_like_id and (colon or marker or mine)
    return (m.start(), m.end()) if ok else None


def _is_handle_token(token: str) -> bool:
    if len(token) < 2 or token in HANDLE_STOPWORDS or token in _CODE_AT_WORDS:
        return False
    if not any(c.isalpha() for c in token):
        return False  # digits only: a phone number or a count, not a user name
    return not (token.isalpha() and len(token) > 5 and token.endswith(("ing", "ed", "ly")))


def _cue_near(cues: Cues, messengers: list[Hit], start: int, end: int) -> Hit | None:
    sentence = cues.sentence(start)
    best = None
    for cue in messengers:
        if not (sentence[0] <= cue.start and cue.end <= sentence[1]):
            continue
        if cue.end <= start and start - cue.end <= _CUE_BEFORE or cue.start >= end and cue.start - end <= _CUE_AFTER:
            best = cue if best is None or abs(cue.start - start) < abs(best.start - start) else best
    return best


def _search_my_name(doc: Document, cues: Cues, messengers: list[Hit]) -> Iterator[Candidate]:
    text = cues.text
    for m in _SEARCH.finditer(text):
        sentence = cues.sentence(m.start())
        cue = next(
            (c for c in messengers if sentence[0] <= c.start and c.end <= sentence[1] and abs(c.start - m.end()) <= 30),
            None,
        )
        if cue is None:
            continue
        name = _name_after(doc, max(cue.end, m.end()))
        if name is not None:
            yield Candidate(
                Kind.HANDLE,
                Strength.IDENTIFIER,
                *name,
                "handle.search_my_name",
                f"Telling someone to look you up on {label(cue.arg)} by name moves the conversation off the platform.",
                cue.arg,
                _SUGGESTION,
                MASK,
            )
        elif _EXPLICIT_SEARCH.search(m.group()):
            start, end = doc.view.to_original(min(m.start(), cue.start), max(m.end(), cue.end))
            yield Candidate(
                Kind.HANDLE,
                Strength.IDENTIFIER,
                start,
                end,
                "handle.search_my_name",
                f"Telling someone to look you up on {label(cue.arg)} by name moves the conversation off the platform.",
                cue.arg,
                _SUGGESTION,
                MASK,
            )


def _name_after(doc: Document, view_pos: int) -> tuple[int, int] | None:
    """A capitalized name of two to four words in the ORIGINAL text after `view_pos`."""
    pos = doc.view.to_original(view_pos, view_pos)[0]
    m = _NAME.match(doc.text, pos)
    if m is None:
        return None
    start = m.start(1)
    end = start
    words = 0
    for word in re.finditer(r"\S+", m.group(1)):
        if not word.group()[0].isupper() or word.group().lower() in HANDLE_STOPWORDS:
            break
        end = start + word.end()
        words += 1
    if words < 2:
        return None
    return start, end


def _candidate(doc: Document, start: int, end: int, channel: str | None, rule: str) -> Candidate:
    o_start, o_end = doc.view.to_original(start, end)
    return Candidate(
        Kind.HANDLE,
        Strength.IDENTIFIER,
        o_start,
        o_end,
        rule,
        f"This is a {label(channel)} account; sharing it moves the conversation off the platform.",
        channel,
        _SUGGESTION,
        MASK,
    )
