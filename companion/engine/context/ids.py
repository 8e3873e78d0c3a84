"""Ids next to a channel cue: "skype: john.doe", "my discord is nova.codes", an @handle within
a few words of a channel's name. Shared by the handle and payment detectors."""

from __future__ import annotations

import re
from collections.abc import Iterable

from companion.engine.context.scan import Cues, Hit, within
from companion.engine.lexicon.automaton import unspaced
from companion.engine.lexicon import packs
from companion.engine.lexicon.files import alternation
from companion.engine.lexicon.grammar import GRAMMAR, HANDLE_STOPWORDS, WORK_NOUN_SET, grammar_pattern
from companion.engine.text import CLOSING_SYMBOL, LATIN_WORD, normalize, whole_word, word_chars
from companion.engine.lexicon.compiled import regex


# Arrows point from a channel to its id ("skype → john.doe", "snapchat ➜ bella.x"): the Unicode
# arrow blocks, dingbat arrows, and the pointing marks and hands people use for them.
ARROWS = "\u2190-\u21ff\u2794-\u27bf\u27f0-\u27ff\u2900-\u297f\u2b00-\u2b2f\u25b6\u25ba\u00bb\u203a\u261b\u261e\U0001f446-\U0001f449"  # and ☞, 👉, 👇


def separator_words(name: str) -> str:
    """A grammar list as whole words; words of scripts written without spaces ("号", "아이디") need
    no word bound, since what is glued to them is a word of their own."""
    return whole_words(GRAMMAR.get(name, ()))


def whole_words(words_in: Iterable[str]) -> str:
    """Words as whole words, as separator_words() reads a grammar list."""
    words = sorted(words_in, key=len, reverse=True)
    latin = [w for w in words if w.isascii()]  # bounded by what is no Latin letter: "のidは" holds "id"
    spaced = [w for w in words if not w.isascii() and not unspaced(w)]
    glued = [w for w in words if unspaced(w)]
    parts = []
    if latin:
        parts.append(rf"(?<![{LATIN_WORD}])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in latin) + rf")(?![{LATIN_WORD}])")
    if spaced:
        # not \b: a Bangla or Hindi word may end in a vowel sign, which is no \w ("আইডি")
        parts.append(whole_word("|".join(re.escape(w).replace(r"\ ", r"\s+") for w in spaced)))
    if glued:
        parts.append("|".join(re.escape(w).replace(r"\ ", r"\s*") for w in glued))
    return "|".join(parts) or "(?!)"


# What may stand between a channel cue and the id: ":", "-", "=>", "→", "is", "id", "username", "me"...
# An English "'s" glued to the channel is "is" ("my discord's kaito#1234").
# A page's or channel's noun too ("یوٹیوب چینل: x", "my facebook page: nova.bakery").
# An emoji between them too ("IG 📷 maya.creates", "insta➡️ maya.creates": a variation selector after the arrow).
_SEPARATOR_ITEM = rf"\s*(?:[:=>~\-,#({ARROWS}\ufe0f\u2600-\u27bf\U0001f300-\U0001faff]|{separator_words('id_separators')}|{separator_words('community_nouns')})"
# A possessive glued to the channel's name is "my" (Arabic "انستقرامي: x", "my instagram: x").
_GLUED_POSSESSIVE = rf"(?:{grammar_pattern('glued_possessives')})(?![{word_chars(grammar_pattern('glued_possessives'))}])"
_GLUED_MINE = regex(_GLUED_POSSESSIVE)
_SEPARATOR = regex(rf"(?:['’]s(?![a-z])|{_GLUED_POSSESSIVE})?(?:{_SEPARATOR_ITEM}){{0,6}}\s*")  # blanks alone: no separator
_COLON = regex(rf"[:>~\-{ARROWS}]")  # not "=": "x = copy.copy(y)" is code
_MARKER = regex(separator_words("id_markers"))
_COPULA = regex(separator_words("copulas"))
# "u/name" is how Reddit writes a user ("reddit u/jackson_writes"): marked like an "@".
_ID = regex(r"(?:@|(?<![a-z0-9])u/)?[a-z0-9_](?:[a-z0-9._-]{0,30}[a-z0-9_])?(?:#\d{4})?(?![a-z0-9@#])")
# An id spelled out with the words for its marks: "grace underscore paints", "nova dot studio"; a
# mark's word of a script written without spaces may be glued to the pieces ("lin下划线xiaoyu88").
def _mark_join(extra: str = "") -> str:
    """The words for an id's marks between two pieces: blanks around a spaced word, none needed around
    an unspaced one. `extra`: more spaced words (the packs' ordinary words for ".")."""
    marks = GRAMMAR.get("id_spelled_marks", ())
    spaced = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted((w for w in marks if not unspaced(w)), key=len, reverse=True))
    glued = "|".join(re.escape(w) for w in sorted((w for w in marks if unspaced(w)), key=len, reverse=True)) or "(?!)"
    return rf"(?:[ \t]+(?:{spaced}{'|' + extra if extra else ''})[ \t]+|[ \t]*(?:{glued})[ \t]*)"


_SPELLED_ID = regex(rf"@?[a-z0-9]+(?:{_mark_join()}[a-z0-9]+)+(?![a-z0-9@#])")
# ... or with the packs' word for "." ("vale punto dibuja", "lotte punt tekent", "dita titik gambar"),
# ending its clause: those words are ordinary words too ("insta : un point important pour nous").
_PACK_DOTS = sorted({normalize(w).text for w in packs.email_words("dot")} - set(GRAMMAR.get("id_spelled_marks", ())))
_FUNCTION_WORDS = frozenset(GRAMMAR.get("articles", ()) + GRAMMAR.get("determiners", ())) | HANDLE_STOPWORDS
_SPELLED_PACK_ID = regex(
    rf"@?[a-z0-9]+(?:[ \t]+(?:{alternation(w for w in _PACK_DOTS if w.isascii())})[ \t]+[a-z0-9]+)+(?![a-z0-9@#])"
)
# ... both: a mark's word makes the pack's "." an id's ("pablo punto beats guion bajo mx", "gabi ponto arts
# underline br": the words after it need not end the clause then)
_SPELLED_MIXED = regex(
    rf"@?[a-z0-9]+(?:{_mark_join(alternation(w for w in _PACK_DOTS if w.isascii()))}[a-z0-9]+)+(?![a-z0-9@#])"
)
_STRONG_MARK = regex(_mark_join())
# Where a spelled id may start, for a pass that looks for ids by their shape ("username: sara dot
# builds", "IDは kenta アンダーバー 88"): a piece, then a mark's word.
SPELLED_LEAD = rf"[a-z0-9]{{1,30}}{_mark_join()}"
SPELLED_ID = _SPELLED_ID.pattern


# ... or letter by letter ("insta: l u n a p r i n t s"), as e-mails and channel names are spaced out
_SPACED_ID = regex(r"[a-z0-9](?:[ \t][a-z0-9._]){4,}(?![a-z0-9@#])")


def _spaced_id(text: str, pos: int) -> re.Match[str] | None:
    """_SPACED_ID at `pos` when it spells a name ending its clause: letters, not counting ("1 2 3 4 5")
    or the alphabet ("a b c d e")."""
    m = _SPACED_ID.match(text, pos)
    if m is None:
        return None
    joined = m.group().replace(" ", "").replace("\t", "")
    letters = [c for c in joined if c.isalpha()]
    if len(letters) < 4 or joined in "abcdefghijklmnopqrstuvwxyz" or not _AFTER_PLAIN_ID.match(text, m.end()):
        return None
    return m
_MY_WORD = regex(separator_words("my_words"))
_MY_BEFORE = regex(rf"(?<![a-z])(?:{grammar_pattern('my_words')})\s+$")
AT_HANDLE = regex(r"(?<![a-z0-9._%+-])@[a-z0-9_](?:[a-z0-9._-]{0,30}[a-z0-9_])?(?![a-z0-9@/])")
_FILE_EXTENSIONS = frozenset(GRAMMAR.get("file_extensions", ()))
_WEB_ENDING = regex(rf"\.(?:{grammar_pattern('web_address_endings')})$")
DOMAIN_LIKE = regex(r"\.(?:com|net|org|io|co|me|info|biz|app|dev|ai|edu|gov|de|uk|in|br|es|fr|us|pk|ng|ph|bd)$")
_EMAIL_TAIL = regex(r"[a-z0-9._-]*@")
# After a plain-word id ("skype: johnsmith"): the end of the clause or a short follow-up.
# An emoji or pictograph ends a clause as a full stop does ("الديسكورد: noura-art 🎨 راسلني").
_AFTER_PLAIN_ID = regex(rf"[ \t]*(?:$|[.,;:!?()\[\]\n/-]|{CLOSING_SYMBOL}|(?:{grammar_pattern('plain_id_followers')})\b)")
def after_plain_id(text: str, pos: int) -> bool:
    """Whether a plain-word id ending at `pos` ends its clause (or a short follow-up comes after it)."""
    return _AFTER_PLAIN_ID.match(text, pos) is not None


# A number with a unit ("2px", "1.5em"), a size ("1080x1920") or a version ("v2.3") after "Line:" or
# "Instagram -" is a spec value, not an id.
_MEASURE = regex(rf"\d+(?:\.\d+)?(?:{grammar_pattern('measure_units')})?|\d+x\d+(?:px)?|v\d+(?:\.\d+)*")
# "my insta is hacked", "mijn insta is gehackt": the state of the account, in every pack's words
_ACCOUNT_STATES = frozenset(GRAMMAR.get("account_states", ()))
CUE_BEFORE, CUE_AFTER = 40, 25  # how near an id a channel cue must be (characters)


def id_after(cues: Cues, cue: Hit, *, digits: bool = False) -> tuple[int, int] | None:
    """The id right after a cue ("skype: john.doe", "my discord is nova.codes"), as a view span."""
    text = cues.text
    sep = _SEPARATOR.match(text, cue.end)
    if sep is None or not sep.group().strip():
        return _id_after_blank(cues, cue, digits=digits)
    m = _SPELLED_ID.match(text, sep.end())
    if m is None and (m := _SPELLED_MIXED.match(text, sep.end())) is not None and _STRONG_MARK.search(m.group()) is None:
        m = None  # the pack's word for "." alone: the checks below
    if m is None and (m := _SPELLED_PACK_ID.match(text, sep.end())) is not None:
        parts = m.group().lstrip("@").split()
        if not _AFTER_PLAIN_ID.match(text, m.end()) or min(map(len, parts)) < 2 or parts[0] in _FUNCTION_WORDS:
            m = None  # "instagram : un point important": a sentence, not "lotte punt tekent", "linh chấm vẽ"
    m = m or _spaced_id(text, sep.end()) or _ID.match(text, sep.end())
    if m is None or _EMAIL_TAIL.match(text, m.end()):
        return None  # an email address is the email detector's
    token = m.group()
    separator = sep.group()
    at = token.startswith(("@", "u/"))
    marker = _MARKER.search(separator) is not None
    if "(" in separator and not (text[m.end() : m.end() + 1] == ")" and (at or sum(c.isalpha() for c in token) >= 4)):
        return None  # "on Skype (maria.lopez.studio)": an id in brackets, whole; not "LinkedIn (e.g. ...)"
    spelled = m.re is _SPELLED_ID or m.re is _SPELLED_PACK_ID or m.re is _SPELLED_MIXED or m.re is _SPACED_ID  # "grace underscore paints": an id read aloud
    bare = token.removeprefix("u/").lstrip("@")
    # A host-shaped name after a label: the account, unless it ends as a site does ("ig: bea.creates.ph",
    # "discord - thiago.dev"; not "Instagram: shop.lena.com") or an id word names it ("(handle: brightbakes.co)")
    host_ok = _COLON.search(separator) is not None and text[m.end() : m.end() + 1] != "/" and (
        marker or cue.cls != "channel_weak" and _WEB_ENDING.search(bare) is None
    )
    if not spelled and (not is_handle_token(bare, digits=digits, at=at) or DOMAIN_LIKE.search(bare) and not host_ok):
        return None  # a host name is an id only after an id word and a colon ("(handle: brightbakes.co)")
    if not (spelled or at or marker) and "." in bare and bare.rpartition(".")[2] in _FILE_EXTENSIONS and not _AFTER_PLAIN_ID.match(text, m.end()):
        return None  # "discord: server.js crashes on start": a file talked about; "disc - kaito.exe" ends its clause
    looks_like_id = spelled or at or any(c in bare for c in "._#") or any(c.isdigit() for c in bare)
    looks_like_id = looks_like_id or _latin_in_other_script(cues, m.start(), m.end())
    if not looks_like_id and not _AFTER_PLAIN_ID.match(text, m.end()):
        return None  # "LinkedIn: Rewrite my summary" is a heading, not a user name
    colon = _COLON.search(separator) is not None
    # "my insta", or a possessive after the noun ("line aku", "ig ko"), a separator of its own
    mine = (
        _MY_BEFORE.search(text, max(0, cue.start - 8), cue.start) is not None
        or _MY_WORD.search(separator) is not None
        or _GLUED_MINE.match(separator) is not None
    )
    copula = _COPULA.search(separator) is not None or separator.startswith(("'s", "’s"))
    if cue.cls == "channel":
        ok = looks_like_id or colon or marker or copula and mine
    elif cue.cls == "abbrev":  # "my ig is mayadraws": "my" and a copula name it as with the full name
        ok = looks_like_id or colon or marker or copula and mine
    elif cue.end - cue.start == 1:  # "x": an @handle or a named id ("X: @maria", "my X is maria_ux"; not "'x:bz2'")
        ok = at and (colon or marker or mine) or looks_like_id and (marker or mine)
    else:  # a word-like alias ("line", "signal"): only an id that looks like one, clearly marked
        ok = looks_like_id and (colon or marker or mine)
    return (m.start(), m.end()) if ok else None


def spelled_id_at(text: str, pos: int) -> tuple[int, int] | None:
    """An id spelled with the words for its marks at `pos` ("zeynep nokta cizer", "grace underscore
    paints"), whose words are no articles: for a caller that has other evidence it is an id."""
    m = _SPELLED_ID.match(text, pos) or _SPELLED_MIXED.match(text, pos) or _SPELLED_PACK_ID.match(text, pos)
    if m is None or min(map(len, m.group().lstrip("@").split())) < 2 or m.group().lstrip("@").split()[0] in _FUNCTION_WORDS:
        return None
    return m.span()


def strong_mark_in(text: str, start: int, end: int) -> bool:
    """Whether a spelled id holds a word for an id's mark ("underscore", "下划线"), not only a pack's "."."""
    return _STRONG_MARK.search(text, start, end) is not None


def is_handle_token(token: str, *, digits: bool = False, at: bool = False) -> bool:
    """Whether a token after a channel cue can be a user name. `at`: it was written with an "@"
    ("@miadrawsdaily"), which makes an ordinary-looking word ("my skype is working") a name."""
    if len(token) < 2 or token in HANDLE_STOPWORDS or token in WORK_NOUN_SET or token in _ACCOUNT_STATES:
        return False
    if not digits and not any(c.isalpha() for c in token):
        return False  # digits only: a phone number or a count, not a user name
    if _MEASURE.fullmatch(token) and not (digits and token.isdigit()):
        return False
    return at or not (token.isalpha() and len(token) > 5 and token.endswith(("ing", "ed", "ly")))


def cue_near(cues: Cues, messengers: list[Hit], start: int, end: int) -> Hit | None:
    """The channel cue (from `messengers`, sorted by start) nearest an id, in its sentence."""
    near = within(messengers, max(0, start - CUE_BEFORE - 30), end + CUE_AFTER + 30)
    if not near:
        return None  # most ids of a long text: no cue within reach, so no need for the sentence
    sentence = cues.sentence(start)
    a, b = max(sentence[0], start - CUE_BEFORE - 30), min(sentence[1], end + CUE_AFTER + 30)
    best = None
    for cue in near:
        if not (a <= cue.start < b and cue.end <= b):
            continue  # outside the sentence
        if cue.end <= start and start - cue.end <= CUE_BEFORE or cue.start >= end and cue.start - end <= CUE_AFTER:
            best = cue if best is None or abs(cue.start - start) < abs(best.start - start) else best
    return best



_BLANKS = regex(r"[ \t]{1,3}")
_LATIN_LETTER = regex(r"[a-z]")
_OTHER_LETTER = regex(r"[^\W\d_a-z]")
_LATIN_NAME_CHARS = 4


def _latin_in_other_script(cues: Cues, start: int, end: int) -> bool:
    """A plain Latin word in a sentence otherwise written in another script ("мой телеграм lunaprints",
    "我的电报是lunaprints", "テレグラムは lunaprints です", "আমার টেলিগ্রাম lunaprints"): a user name,
    typed in the only script ids are made of."""
    text = cues.text
    if end - start < _LATIN_NAME_CHARS or not text[start:end].isalpha() or not text[start:end].isascii():
        return False
    a, b = cues.sentence(start)
    return (
        _LATIN_LETTER.search(text, a, start) is None
        and _LATIN_LETTER.search(text, end, b) is None
        and (_OTHER_LETTER.search(text, a, start) is not None)
    )


_COPULA_END = regex(rf"[ \t]+(?:{separator_words('copulas')})[ \t]*(?:$|[.,;!?\n]|{CLOSING_SYMBOL})")


def _spelled_after_blank(text: str, end: int) -> tuple[int, int] | None:
    """An id spelled with a mark's word ("dot", "underscore") right after the network's name, ending
    its clause or followed by a copula ("mera snap hamza dot edits hai", "ig maria underscore art")."""
    blank = _BLANKS.match(text, end)
    if blank is None:
        return None
    found = spelled_id_at(text, blank.end())
    if found is None or _STRONG_MARK.search(text, found[0], found[1]) is None:
        return None
    if _AFTER_PLAIN_ID.match(text, found[1]) is None and _COPULA_END.match(text, found[1]) is None:
        return None
    return found


# "my" and a preposition before the network ("حسابي في الانستا nourdraws": my account IN the insta),
# maybe an article glued to the network's name
_MY_PREP_BEFORE = regex(rf"(?:{separator_words('my_words')})\s+(?:{separator_words('prepositions')})\s+(?:ال)?$")


def _mine_before(text: str, start: int) -> bool:
    return _MY_BEFORE.search(text, max(0, start - 8), start) is not None or _MY_PREP_BEFORE.search(text, max(0, start - 24), start) is not None


def _id_after_blank(cues: Cues, cue: Hit, *, digits: bool) -> tuple[int, int] | None:
    """ "wechat wxid_abc123", "微信 abc123456": a channel's name, a blank (none after a word of a script
    written without spaces), then a token that can only be an id (letters with digits, or an underscore or dot inside), ending its clause or followed by
    a blank."""
    text = cues.text
    if cue.cls in ("channel", "abbrev") and (spelled := _spelled_after_blank(text, cue.end)) is not None:
        return spelled  # "mera snap hamza dot edits hai"
    if cue.cls != "channel" and not (digits and cue.cls == "abbrev"):
        return None  # "QQ 123456789": a channel whose ids are numbers, by its abbreviation
    blank = _BLANKS.match(text, cue.end)
    if blank is None and not unspaced(text[cue.end - 1]):
        return None  # "ラインidはabc_123": after a word of a script without spaces no blank is needed
    m = _ID.match(text, blank.end() if blank else cue.end)
    if m is None or m.group().startswith("@") or _EMAIL_TAIL.match(text, m.end()):
        return None  # an @handle has its own pass; an email address is the email detector's
    token = m.group()
    if token.startswith("u/"):
        return m.span() if is_handle_token(token[2:], at=True) else None
    if not is_handle_token(token, digits=digits) or DOMAIN_LIKE.search(token) or len(token) < 5:
        return None
    has_digit = any(c.isdigit() for c in token)
    if digits and token.isdigit():
        return m.span() if 5 <= len(token) <= 12 else None
    if cue.cls != "channel":
        return None
    if not (has_digit and any(c.isalpha() for c in token) or "_" in token.strip("_") or "." in token.strip(".")) and not (
        _mine_before(text, cue.start) and _latin_in_other_script(cues, m.start(), m.end())
    ):
        return None  # "мой телеграм lunaprints": "my" and a Latin name in another script's sentence
    return m.span()
