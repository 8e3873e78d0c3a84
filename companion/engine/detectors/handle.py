"""Ids on off-platform messengers and social networks: Skype `live:…`, and user names and @handles
only WITH a channel cue nearby ("telegram @john_doe", "my insta is jane.designs", "discord: john#1234",
"wechat id: abc123", "find me on LinkedIn, Ana Souza"). "@here", "@media", "Reply to @someone"
and "Telegram bot project" stay clean (the filter_risk detector may still advise on the "@").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import itemgetter

from companion.engine.context import ids
from companion.engine.context.ids import AT_HANDLE, DOMAIN_LIKE, cue_near, id_after, is_handle_token
from companion.engine.context.scan import Cues, Hit, cues_of, within
from companion.engine.context.work import is_work_object, placement_verb_in
from companion.engine.detectors.base import bounded
from companion.engine.detectors.email import at_word_at
from companion.engine.lexicon.grammar import GRAMMAR, HANDLE_STOPWORDS, WORK_NOUN_SET, WORK_OBJECT_AFTER, grammar_pattern
from companion.engine.lexicon.registry import NAMED_PROFILES, NUMERIC_IDS, channels_in, label
from companion.engine.document import Document
from companion.engine.model import Finding, Kind, Severity
from companion.engine.text import whole_word, word_chars
from companion.engine.lexicon import compiled, packs
from companion.engine.lexicon.compiled import regex
from companion.engine.text import CLOSING_SYMBOL, LATIN_WORD, normalize

_CUES = ("channel", "channel_weak", "abbrev")
# Channels whose accounts are handles (calls, email and phone have their own detectors and formats).
_MESSENGERS = channels_in("chat", "social") - {"email", "phone", "call", "zoom", "google_meet", "teams", "webex", "whereby", "linktree"}
MASK = "[contact removed]"
_SUGGESTION = "Let's keep the conversation here in the order chat."

_SKYPE_LIVE = regex(r"(?<![a-z0-9])live:(?=[a-z0-9._-]{3})[a-z0-9._-]{3,48}")


# "search my name on facebook", "find me on LinkedIn as Ana Souza".
_SEARCH = regex(rf"(?<![a-z])(?:{grammar_pattern('search_me')})(?![a-z])")
_EXPLICIT_SEARCH = regex(grammar_pattern("search_explicit"))
_NAME_CHARS = word_chars("Ёё")  # names are capitalized: Latin, Cyrillic; accents may be typed apart
_NAME = regex(
    rf"[\s:,\-–—]*(?:(?:{grammar_pattern('name_introducers')})\s+)?((?:[^\W\d_][{_NAME_CHARS}'’.-]*)(?:[ \t]+[^\W\d_][{_NAME_CHARS}'’.-]*){{0,4}})"
)


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    cues = cues_of(doc)
    skype_live = "live:" in doc.view.text
    named = not cues.channels.isdisjoint(_MESSENGERS)
    if not gated:
        return _candidates(doc, cues, True, True, True)
    at_sign = "@" in doc.view.text
    if not skype_live and not named and not at_sign:
        return ()  # most messages: no id, no "@" and no messenger named, so no generator is started
    return _candidates(doc, cues, skype_live, named, at_sign)


@bounded
def _candidates(doc: Document, cues: Cues, skype_live: bool, named: bool, at_sign: bool) -> Iterator[Finding]:
    text = doc.view.text
    if at_sign:
        yield from _at_noun_ids(doc, cues)
    if skype_live:
        for m in _SKYPE_LIVE.finditer(text):
            end = m.end()
            while text[end - 1] in ".-":
                end -= 1
            yield _candidate(doc, m.start(), end, "skype", "handle.skype_live")
    if not named:
        return
    messengers = [h for h in cues.of(*_CUES) if h.arg in _MESSENGERS]
    taken: set[int] = set()  # starts of ids already found after a cue
    searching = "search" in cues.classes  # a search verb somewhere (the automaton's gate class)
    for cue in messengers:
        found = id_after(cues, cue, digits=cue.arg in NUMERIC_IDS) or (searching and _spelled_then_search(text, cue))
        if found:
            taken.add(found[0])
            yield _candidate(doc, *found, cue.arg, "handle.cued_id")
    if "@" in text:
        # "Thanks @john, the Telegram bot works": a channel that is the work does not cue a mention.
        at_cues = [h for h in messengers if not is_work_object(text, h)]
        for m in AT_HANDLE.finditer(text):
            if m.start() in taken or not is_handle_token(m.group()[1:], at=True):
                continue
            cue = cue_near(cues, at_cues, m.start(), m.end())
            if cue is not None:
                yield _candidate(doc, m.start(), m.end(), cue.arg, "handle.cued_at_handle")
    if "@" in text and ("@ " in text or not text.isascii()):
        yield from _other_at_handles(doc, cues, [h for h in messengers if not is_work_object(text, h)])
    marks = "_" in text or "." in text or "#" in text
    spelled = "spelledmark" in cues.classes  # "ali dot arts underscore pk": an id spelled with its marks' words
    if marks or spelled:
        # a weak alias ("the gram", "line") only in a sentence that asks to reach there
        asks = cues.of(*_REQUESTS)
        shaped_cues = [
            h for h in messengers
            if (h.end - h.start > 1 or not cues.text[h.start].isascii()) and (h.cls != "channel_weak" or within(asks, *cues.sentence(h.start)) or _named_app(doc, h))
        ]
        yield from _shaped_ids(doc, cues, shaped_cues, taken, marks=marks, spelled=spelled)
    yield from _next_sentence_ids(doc, cues, messengers, taken)
    yield from _far_labelled_ids(doc, cues, messengers, taken)
    yield from _labelled_plain_ids(doc, cues, messengers, taken)
    if "displayname" in cues.classes:
        yield from _display_names(doc, cues, messengers)
    if _name_word_possible(doc):
        yield from _name_labelled_after(doc, cues, messengers)
    if "search" in cues.classes:
        yield from _search_my_name(doc, cues, messengers)
        yield from _search_name_on(doc, cues, messengers)
    yield from _named_profiles(doc, messengers)
    yield from _colon_names(doc, messengers)
    yield from _clause_then_name(doc, messengers)


# "my @ is rosa.design", "mon @ c'est camille.dessine", "@ ko mera sana.arts hai", "我的@是 xiaoyu_design":
# the "@" sign standing alone is the account's name itself (what people call their handle), so it
# cues an id as a network's name does, with "my" before or after it; no network need be named. Only an
# id shaped as one (a dot or an underscore inside, or letters with digits): "my @ key is broken", "meet
# me @ 5pm", "a @ b" (code) and "3 banners @ $20" are no accounts.
_BARE_AT = regex(r"@(?![a-z0-9_.@])")
_AT_ID_LEAD = regex(r"[a-z0-9._%+-]")  # what an e-mail's or handle's "@" has before it
_MY_RIGHT_BEFORE = regex(rf"(?:{ids.separator_words('my_words')})[ \t]*\Z")
_MY_RIGHT_AFTER = regex(rf"[ \t]*(?:{ids.separator_words('my_words')})")
_MY_IN = regex(ids.separator_words("my_words"))
_AT_NOUN_SPAN = 12  # "my" at most this far before the "@" ("il mio @", "我的@")


def _at_noun_ids(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    for m in _BARE_AT.finditer(text):
        at = m.start()
        if at and _AT_ID_LEAD.match(text, at - 1):
            continue  # "rosa@" or "x.@": part of an address being typed, not the sign alone
        mine = _MY_RIGHT_BEFORE.search(text, max(0, at - _AT_NOUN_SPAN), at) is not None or _MY_RIGHT_AFTER.match(text, at + 1) is not None
        found = ids.id_after(cues, Hit(at, at + 1, "channel", None))
        if found is not None and not _id_shaped(text[found[0] : found[1]].lstrip("@")):
            found = None  # a word ("my @ is broken"), a time or a price
        if found is not None and not mine and _MY_IN.search(text, at + 1, found[0]) is None:
            continue  # whose it is: "my @", "@ ko", "@ aku"
        if found is None and (not mine or (found := _labelled_later(cues, at)) is None):
            continue
        # the network when the sentence names one ("meu @ é x lá no insta"), for `allow` and the reason
        cue = cue_near(cues, [h for h in cues.of(*_CUES) if h.arg in _MESSENGERS], *found)
        o_start, o_end = doc.view.to_original(*found)
        yield Finding(
            Kind.HANDLE,
            Severity.BLOCK,
            o_start,
            o_end,
            "handle.at_noun",
            f"Naming your @ gives your {label(cue.arg) if cue else 'account on another app'}; sharing it moves the conversation off the platform.",
            cue.arg if cue else None,
            _SUGGESTION,
            MASK,
        )


def _id_shaped(token: str) -> bool:
    """An underscore anywhere ("ateliedajuh_"), a dot inside, or letters with digits: no word of prose."""
    return "_" in token or "." in token.strip(".") or any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


def _labelled_later(cues: Cues, at: int) -> tuple[int, int] | None:
    """ "My @ on the gram is the shop name with underscores: bloom_and_bark_studio": after "my @", an id
    shaped as one right after a colon later in its sentence (read as after a network's label)."""
    text = cues.text
    end = min(cues.sentence(at)[1], at + _FAR_REACH)
    colon = text.find(":", at + 1, end)
    while colon != -1:
        found = ids.id_after(cues, Hit(colon, colon, "channel", None))
        if found is not None:
            token = text[found[0] : found[1]]
            if token.startswith("@") or _id_shaped(token) and ("." not in token or _looks_shaped(token)):
                return found  # not a file or a host ("logo_v2.png")
        colon = text.find(":", colon + 1, end)
    return None


# "insta @ noah . designs": an @handle with blanks inside (an id needs a digit, "." or "_" then);
# "小红书 @阿橙画画": an @handle in another script.
_SPACED_AT_HANDLE = regex(r"(?<![a-z0-9._%+-])@[ \t]{1,3}[a-z0-9_]+(?:[ \t]{0,3}[._][ \t]{0,3}[a-z0-9_]+)*")
_SCRIPT_AT_HANDLE = regex(r"(?<![\w.%+-])@[^\W_][\w.]{0,29}(?<!\.)")
_BLANKS = regex(r"[ \t]+")


def _other_at_handles(doc: Document, cues: Cues, at_cues: list[Hit]) -> Iterator[Finding]:
    text = cues.text
    for m in _SPACED_AT_HANDLE.finditer(text):
        token = _BLANKS.sub("", m.group()[1:])
        if not any(c in token for c in "._") and not any(c.isdigit() for c in token) and not (
            len(token) >= _WEAK_ID_LETTERS and token not in _PACK_WORDS and within(cues.of(*_NAMING_ASKS), *cues.sentence(m.start()))
        ):
            continue  # "telegram @ noon" is a time, not an id; "dm me on twitter @ samwrites" asks to write there
        if is_handle_token(token, at=True) and (cue := cue_near(cues, at_cues, m.start(), m.end())) is not None:
            yield _candidate(doc, m.start(), m.end(), cue.arg, "handle.cued_at_handle")
    if text.isascii():
        return
    for m in _SCRIPT_AT_HANDLE.finditer(text):
        if m.group().isascii():
            continue  # AT_HANDLE's
        if (cue := cue_near(cues, at_cues, m.start(), m.end())) is not None:
            yield _candidate(doc, m.start(), m.end(), cue.arg, "handle.cued_at_handle")


# An id by its shape alone, near a messenger in its sentence, whatever words stand between ("add me
# on snap sam_design", "insta pe add karo khaled.design", "kullanıcı adım elif_cizim, telegramda"): a
# name with an underscore or a dot between letters, or a Discord tag ("kaito#1234"). Not a file or
# code name ("logo_final.png", "node.js"), a domain, or initials ("e.g.", "p.s."); after a colon only
# when no Latin word is glued to it ("IDで：taro.w_2025", not "mailto:x.y").
_SHAPED_ID = regex(
    r"(?<![\w@./#+-])(?<![a-z0-9]:)(?:[a-z0-9]+(?:[._][a-z0-9]+)+_*(?:#\d{4})?|[a-z][a-z0-9._]{1,30}#\d{4})(?![\w@/#]|[.-][a-z0-9])"
)
_FILE_EXTENSIONS = frozenset(GRAMMAR.get("file_extensions", ()))
# A search verb right after an id ("insta pe ali.arts.pk search kar lo", "zeynep.cizer diye arat"):
# what is to be searched on the network is an account, even shaped like a host name.
_SEARCH_AFTER = regex(rf"[ \t]+(?:(?:diye|olarak|ko|como|as)[ \t]+)?(?:{grammar_pattern('search_verbs')})(?![a-z])")
# What makes words between a channel and a shaped id contact talk: a request or offer in the
# sentence, or a word that names an id or its owner between them ("mam nick tomek_foto", "ig gue"), or
# asks to follow it ("insta par follow karein ali_arts_pk").
_CONTACT_CLASSES = ("reach", "near", "after", "ask", "offer", "direct", "have", "search", "talk")
_ID_WORDS = regex("|".join(f"(?:{ids.separator_words(name)})" for name in ("id_markers", "my_words", "follow_verbs", "add_verbs")))
# The id before the network, only prepositions or a copula between ("I'm kaitlyn_rose ON tiktok", "meri
# id sana.designs HAI insta PE", "add kaitlyn_rose on snapchat"): an id word, "my", a name marker or an
# add/follow verb right before the id says whose it is; without one it is a file or a caption
# ("upload promo_clip on instagram").
_GAP_ONLY_LINKS = regex(rf"(?:[ \t]*(?:{ids.separator_words('prepositions')}|{ids.separator_words('copulas')}))+[ \t]*")
_OWNER_BEFORE = regex(
    "(?:" + "|".join(f"(?:{ids.separator_words(name)})" for name in ("id_markers", "my_words", "follow_verbs", "add_verbs", "name_markers")) + r")[ \t:]*\Z"
)


# An id spelled with the words for its marks is a shaped id too ("insta pe add karo: ali dot arts
# underscore pk", "instagramdan ekle: zeynep alt çizgi tasarim"): with a mark's word, not only a pack's "."
_SPELLED_TOKEN = regex(rf"(?<![a-z0-9@._#-])(?={ids.SPELLED_LEAD}){ids.SPELLED_ID}")


def _spelled_name(text: str, start: int, end: int) -> bool:
    """A spelled id whose words hold a mark's word and name no file: not "an underscore between" (a
    sentence), "brief underscore v2 dot pdf" (a file)."""
    return (
        ids.spelled_id_at(text, start) is not None
        and ids.strong_mark_in(text, start, end)
        and text[start:end].rsplit(None, 1)[-1] not in _FILE_EXTENSIONS
    )


# A name shaped like a file ("vxpr.exe", "kaan.wav": a gamer's joke) is an id where a word naming the
# account's name stands right before it ("name's vxpr.exe", "kullanıcı adım kaan.wav", "mera naam wahan
# hasnain.exe hai"; the packs' id_markers and name_markers, not the ones that are prepositions too: "sent
# it as setup.exe"), at most two words between that are "there", a copula or "my" (grammar there_words,
# copulas, my_words: "I'm FIXING main_menu.py" is work on a file); not when a word for a file names it ("the
# file name is setup_v2.exe"; grammar file_nouns).
_ACCOUNT_NAME_WORDS = sorted((set(GRAMMAR.get("id_markers", ())) | set(GRAMMAR.get("name_markers", ()))) - set(GRAMMAR.get("weak_name_markers", ())))
_FILE_NAMED_AS_ID = regex(
    rf"(?:(?P<file>{ids.separator_words('file_nouns')})['’]?s?[ \t]*)?(?:{ids.whole_words(_ACCOUNT_NAME_WORDS)})(?:['’]s)?"
    rf"(?:[ \t:=\-–—{ids.ARROWS}]+(?:{ids.separator_words('there_words')}|{ids.separator_words('copulas')}|{ids.separator_words('my_words')})){{0,2}}?[ \t:=\-–—{ids.ARROWS}]+\Z"
)


def _named_as_id(text: str, start: int) -> bool:
    """Whether a word naming an account's name (no file's) stands right before `start`."""
    m = _FILE_NAMED_AS_ID.search(text, max(0, start - 40), start)
    return m is not None and m.group("file") is None


def _shaped_ids(doc: Document, cues: Cues, cue_hits: list[Hit], taken: set[int], *, marks: bool = True, spelled: bool = False) -> Iterator[Finding]:
    text = cues.text
    at_cues = [h for h in cue_hits if not is_work_object(text, h)]
    if not at_cues:
        return
    tokens: Iterable[re.Match[str]] = _SHAPED_ID.finditer(text) if marks else ()
    if spelled:
        tokens = chain(tokens, _SPELLED_TOKEN.finditer(text))
    for m in tokens:
        token = m.group()
        if m.start() in taken or at_word_at(text, m.end()):
            continue
        if m.re is _SPELLED_TOKEN:
            if not _spelled_name(text, m.start(), m.end()):
                continue
        elif (shape := _shape_of(token)) != _NAME_SHAPED and not (
            shape == _HOST_SHAPED and (_SEARCH_AFTER.match(text, m.end()) or _searched_for(cues, m))
            or shape == _FILE_SHAPED and _named_as_id(text, m.start())
        ):
            continue  # a file, a version; a host name only when it is to be searched ("ali.arts.pk search kar lo")
        cue = cue_near(cues, at_cues, m.start(), m.end())
        if cue is None or cue.start <= m.start() < cue.end:
            continue
        gap = text[cue.end : m.start()] if cue.end <= m.start() else text[m.end() : cue.start]
        if len(gap.strip(" \t:-,")) > 0 and not _ID_WORDS.search(gap) and not within(
            cues.of(*_CONTACT_CLASSES), *cues.sentence(m.start())
        ) and not (cue.start >= m.end() and _owned_before(cues, m.start(), gap)):
            continue  # "the tiktok video, named promo_clip_final": no contact word, a file name
        taken.add(m.start())
        yield _candidate(doc, m.start(), m.end(), cue.arg, "handle.shaped_id")


# "insta pe dhoond lo mujhe, ahmed.clicks.pk likh ke", "i-follow mo ko sa insta, bianca.art.ph yan": a
# search, add or follow request earlier in the sentence, and the
# host-shaped name ends its clause or is "written as" ("likh ke", "naam se"): an account to look up.
_WRITTEN_AS = regex(rf"[ \t]+(?:{ids.separator_words('written_as')})")


def _searched_for(cues: Cues, m: re.Match[str]) -> bool:
    a = cues.sentence(m.start())[0]
    asked = bool(within(cues.of("search"), a, m.start())) or _ADD_OR_FOLLOW.search(cues.text, a, m.start()) is not None
    return asked and (
        ids.after_plain_id(cues.text, m.end()) or _WRITTEN_AS.match(cues.text, m.end()) is not None
    )


# A word naming an id shortly after a word-like alias ("passer par Signal, mon PSEUDO c'est julien_b.42",
# "LINEのQRじゃなくてIDで：taro.w_2025"): the alias is the messenger then, as after a request.
_ID_MARKER = regex(ids.separator_words("id_markers"))


def _id_marker_after(text: str, cue: Hit, end: int | None = None) -> bool:
    """An id word after the channel (before `end`), not a work noun's ("the discord handle FIELD")."""
    word = _ID_MARKER.search(text, cue.end, cue.end + ids.CUE_BEFORE if end is None else end)
    return word is not None and WORK_OBJECT_AFTER.match(text, word.end()) is None


def _named_app(doc: Document, cue: Hit) -> bool:
    """A word-like alias written as the app's name (capitalized: "Signal", "LINE"; not "a signal
    handler", "the line item") with an id word after it."""
    start, end = doc.view.to_original(cue.start, cue.end)
    return doc.text[start:end][:1].isupper() and _id_marker_after(doc.view.text, cue)


def _owned_before(cues: Cues, start: int, gap: str) -> bool:
    """An id before its network with only prepositions or a copula between, and a word saying whose
    it is right before it ("I'm kaitlyn_rose on tiktok", "add kaitlyn_rose on snapchat")."""
    return _GAP_ONLY_LINKS.fullmatch(gap) is not None and _OWNER_BEFORE.search(
        cues.text, max(cues.sentence(start)[0], start - 30), start
    ) is not None


# The channel asked for or asked about in one sentence, the id labelled at the start of the next
# ("Add me on Telegram! ID: nova_builds", "LINE交換しませんか？ID: haruka0612", "Tienes Telegram? Mi
# usuario: sofi_ilustra", "insta?\n@maya.creates"): read as if the label stood right after the channel.
_NEXT_SENTENCE_GAP = 30  # characters between the channel and the end of its sentence
# ... a question quoted in the reply ("«ممكن حساب الانستا؟»", "> tem insta?") ends at its closing mark
_SENTENCE_END = regex(r"[ \t]*[.!?؟…]*[ \t]*[\"”»」』'’]*[ \t]*(?:\n[ \t]*)*")
_QUESTION_OR_EXCLAMATION = regex(r"[?!؟]")
_SENTENCE_MARK = regex(r"[.!?…\n]")


def _next_sentence_ids(doc: Document, cues: Cues, messengers: list[Hit], taken: set[int]) -> Iterator[Finding]:
    text = cues.text
    asks = cues.of(*_CONTACT_CLASSES)
    for cue in messengers:
        if _SENTENCE_MARK.search(text, cue.end, cue.end + _NEXT_SENTENCE_GAP + 1) is None:
            continue  # no sentence ends near the channel (most cues: a quick test before the bounds)
        start, end = cues.sentence(cue.start)
        mark = _QUESTION_OR_EXCLAMATION.search(text, cue.end, min(end, cue.end + _NEXT_SENTENCE_GAP))
        end = mark.start() if mark else end  # "LINE交換しませんか？ID: x": no blank after the "？"
        if end - cue.end > _NEXT_SENTENCE_GAP or end >= len(text):
            continue  # the channel is not near the end of its sentence, or no sentence follows
        label_at = _SENTENCE_END.match(text, end).end()
        if label_at == end or not ("?" in text[end:label_at] or "؟" in text[end:label_at] or _any_within(asks, start, end)) or is_work_object(text, cue):
            continue  # no request or question about the channel ("insta?", "Add me on Telegram!")
        at = AT_HANDLE.match(text, label_at)
        if at is not None and is_handle_token(at.group()[1:], at=True):
            found: tuple[int, int] | None = at.span()
        else:
            found = id_after(cues, Hit(label_at, label_at, cue.cls, cue.arg), digits=cue.arg in NUMERIC_IDS)
            if found is not None and found[0] == label_at:
                found = None  # no label before it: "Add me on Telegram! Thanks" is no id
        if found is None and ("?" in text[end:label_at] or "؟" in text[end:label_at]) and (
            end - cue.end <= _ASKED_GAP or _any_within(cues.of("have", "ask"), start, cue.start)
        ):
            found = _answered_id(text, label_at)  # the channel asked about: it ends the question, or is had or asked for
        if found is None or found[0] in taken:
            continue
        taken.add(found[0])
        yield _candidate(doc, *found, cue.arg, "handle.cued_id")


# The reply to a question about a channel, quoted above it or asked in the line before ("> tem
# insta?\ntenho sim: @camila.doces.bh", "«ممكن حساب الانستا؟»\nأكيد: lamasat.henna", "> heb je
# telegram?\nja, @pieterdj"): a word that answers yes (grammar `answer_words`, every pack: "yes",
# "klar", "tenho", "var", "ada", "أكيد"), at most two more words, a mark, then an @handle or a shaped id
# (or an id spelled with the words for its marks: "yeah, it's pixel dot forge") ending its clause, maybe
# after a copula or an id word ("oui, c'est lea.ptitbout", "ouais c'est karim tiret bas 93"). A refusal ("nein, nur hier. Die Datei heißt logo_v2.png") gives none.
_ASKED_GAP = 10  # "got insta?", "telegram var mı?", "インスタある？"; not "will telegram show the link preview?"
_ANSWER_LABEL = rf"(?:(?:{ids.separator_words('copulas')}|{ids.separator_words('my_words')}|{ids.separator_words('id_markers')})[ \t:]*)"
_ANSWER_LEAD = regex(
    rf"(?:{ids.separator_words('answer_words')})(?:[ \t]+[^\s,:;.!?\-–—،]+){{0,2}}?[ \t]*"
    rf"(?:[,:;!\-–—،{ids.ARROWS}][ \t]*{_ANSWER_LABEL}{{0,3}}|{_ANSWER_LABEL}{{1,3}})"
)


def _answered_id(text: str, at: int) -> tuple[int, int] | None:
    lead = _ANSWER_LEAD.match(text, at)
    if lead is None:
        return None
    m = AT_HANDLE.match(text, lead.end())
    if m is not None:
        return m.span() if is_handle_token(m.group()[1:], at=True) else None
    spelled = ids.spelled_id_at(text, lead.end())  # "yeah, it's pixel dot forge"
    if spelled is not None and _spelled_name(text, *spelled) and ids.after_plain_id(text, spelled[1]):
        return spelled
    m = _SHAPED_ID.match(text, lead.end())
    if m is None or not _looks_shaped(m.group()) or not ids.after_plain_id(text, m.end()) or at_word_at(text, m.end()):
        return None
    return m.span()


# In a longer sentence the id may stand far from the channel a request names ("find me on Instagram
# where I post all my latest work: maya.creates", "me escribes por Instagram, que es donde más rápido
# contesto, soy @sofi.ilustra"): an @handle or a shaped id right after a colon or an id word, up to
# _FAR_REACH characters after the requested channel, with no sentence end between them.
_FAR_REACH = 150
_FAR_TEXT_LIMIT = 3000
_SENTENCE_STOP = regex(r"[.!?…](?:\s|$)|\n|[。！？]")
# ... or, after an id word ("IDは", "user is"), letters and digits joined by a hyphen ("hiro-0427").
_HYPHEN_ID = r"(?<![\w@./#+-])[a-z][a-z0-9]{1,20}-[0-9]{2,8}(?![\w@/#]|[.-][a-z0-9])"
# Led by a lookahead for a mark within the first run of letters (what every such token holds): the
# regex engine then skips plain words and other scripts quickly.
_FAR_TOKEN = regex(rf"(?=@|[a-z0-9][a-z0-9]{{0,30}}[._#\-])(?:{AT_HANDLE.pattern}|{_SHAPED_ID.pattern}|(?P<hyphen>{_HYPHEN_ID}))")
# ... or an id spelled with the words for its marks ("username: sara dot builds", "IDは kenta アンダーバー 88"):
# only in a text holding a mark's word (automaton class spelledmark), as its lookahead is tried at every letter
_FAR_TOKEN_SPELLED = regex(
    rf"(?=@|[a-z0-9][a-z0-9]{{0,30}}[._#\-]|{ids.SPELLED_LEAD})"
    rf"(?:{AT_HANDLE.pattern}|{_SHAPED_ID.pattern}|(?P<hyphen>{_HYPHEN_ID})|(?<![a-z0-9@._#-])(?P<spelled>{ids.SPELLED_ID}))"
)
_LABEL_BEFORE = regex(rf"(?:[:=>\-{ids.ARROWS}]|(?P<word>{ids.separator_words('id_separators')}|{ids.separator_words('id_markers')}))[ \t]*\Z")
# A request naming the channel, or in its sentence when an id word labels the id: a preference or an
# offer counts then too ("easier on disc tbh, user is nightowl_dev", "ラインの方が早いので、IDは hiro-0427").
_ID_WORD_AFTER = regex(rf"['’]?[ \t]*(?:{ids.separator_words('id_markers')})")
def _names_an_id(text: str, cue: Hit) -> bool:
    """An id word right after the channel, not a work noun after that ("the discord handle FIELD")."""
    word = _ID_WORD_AFTER.match(text, cue.end)
    return word is not None and WORK_OBJECT_AFTER.match(text, word.end()) is None


_NAMING_ASKS = ("reach", "near", "after", "direct", "search", "talk")
_LABELLED_ASKS = (*_NAMING_ASKS, "have", "prefer", "ask", "offer")


def _any_within(hits: list[Hit], a: int, b: int) -> bool:
    """Whether a hit (of `hits`, sorted by start) lies inside [a, b): scan.within without its list."""
    for i in range(bisect_left(hits, a, key=_HIT_START), len(hits)):
        if hits[i].start >= b:
            return False
        if hits[i].end <= b:
            return True
    return False


_HIT_START = itemgetter(0)


def _far_labelled_ids(doc: Document, cues: Cues, messengers: list[Hit], taken: set[int]) -> Iterator[Finding]:
    text = cues.text
    if len(text) > _FAR_TEXT_LIMIT:
        return  # a chat message of a few sentences, not a 20,000-character text full of channel names
    asks = cues.of(*_LABELLED_ASKS)
    if not asks and not any(_names_an_id(text, cue) or (cue.cls != "channel_weak" or _named_app(doc, cue)) and _id_marker_after(text, cue) for cue in messengers):
        return  # no request, preference or id word about any channel (most messages naming one)
    naming = [h for h in asks if h.cls in _NAMING_ASKS]
    far_token = _FAR_TOKEN_SPELLED if "spelledmark" in cues.classes else _FAR_TOKEN
    tokens: list[int] = []  # starts of id-shaped tokens, read once up to `scanned` (windows of cues overlap)
    scanned = 0
    for cue in messengers:
        if scanned < cue.end + _FAR_REACH:
            tokens += [m.start() for m in far_token.finditer(text, max(scanned, cue.end), cue.end + _FAR_REACH)]
            scanned = cue.end + _FAR_REACH
        first = bisect_left(tokens, cue.end)
        if first == len(tokens) or tokens[first] >= cue.end + _FAR_REACH:
            continue  # no id-shaped token after this channel (most cues)
        # "reach me on WhatsApp", "me segue no Instagram"; or an id word right after the channel names
        # the id to come ("discord handle's the same as my name here but with an underscore: marco_1994")
        requested = _any_within(naming, max(0, cue.start - 30), cue.end)
        named = requested or _names_an_id(text, cue)
        stop = _SENTENCE_STOP.search(text, cue.end, cue.end + _FAR_REACH)
        end = stop.start() if stop else cue.end + _FAR_REACH
        if tokens[first] >= end or is_work_object(text, cue):
            continue
        # "тг такой же, как НИК тут, только с подчёркиванием: @artem_kovalev": an id word between the
        # channel and the id names it
        marked = _id_marker_after(text, cue, tokens[first]) and (cue.cls != "channel_weak" or _named_app(doc, cue))
        if not named and not marked and not _any_within(asks, cues.sentence(cue.start)[0], min(len(text), end + 40)):
            continue
        for m in far_token.finditer(text, tokens[first], end):
            token = m.group()
            at = token.startswith("@")
            label = _LABEL_BEFORE.search(text, max(cue.end, m.start() - 30), m.start())
            # a host-shaped name only after an id word ("insta pe aa jao, id hai zain.edits.pk")
            host_ok = label is not None and label.group("word") is not None and "/" not in token
            if m.re is _FAR_TOKEN_SPELLED and m.group("spelled") is not None:
                shaped = _spelled_name(text, m.start(), m.end())
            else:
                shaped = is_handle_token(token[1:], at=True) if at else m.group("hyphen") or _looks_shaped(token, host_ok=host_ok)
            if m.start() in taken or not shaped:
                continue
            if at_word_at(text, m.end()):
                continue
            if label is None and at and (requested or marked or _any_within(naming, cue.end, m.start())) and "@" not in text[cue.end : m.start()]:
                pass  # "... pelo Telegram que é mais prático, me acha lá como @carol_socialmedia": a request names the channel
            elif label is None or not (named or marked or label.group("word")) or m.group("hyphen") and not label.group("word"):
                continue  # only an id given as one: after a colon (a request names the channel) or an id word
            taken.add(m.start())
            yield _candidate(doc, m.start(), m.end(), cue.arg, "handle.cued_id")
            break


def _strong_name_markers() -> str:
    """The name markers that label a name on their own ("name is", "soy", "pangalan"), not "as"."""
    weak = set(GRAMMAR.get("weak_name_markers", ()))
    words = sorted((w for w in GRAMMAR.get("name_markers", ()) if w not in weak), key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return rf"(?<![{LATIN_WORD}])(?:{alternatives})(?![{LATIN_WORD}])"


# A plain-word id labelled by an id word later in a sentence that names a messenger ("honestly telegram
# is faster for me, USERNAME IS brushandbyte", "sa telegram na lang po tayo, USERNAME KO PO AY markvfx",
# "كلمني تلجرام، اليوزر: ahmedux", "telegram par message karo, USERNAME usmanfx HAI"), or the id word
# after it ("add mo ko sa ig, jessadraws YUNG USERNAME KO"). Shaped ids have the passes above; a word
# alone is an id only when labelled as one, ends its clause, and the sentence asks, offers or says
# "my" (not "the bakery's instagram, username is sweetcrumbs" nor a "telegram bot" being built).
_PLAIN_MARKER = regex(rf"{ids.separator_words('id_markers')}|{_strong_name_markers()}")
# weaker labels ("add me on snap, ITS kaylawrites", "búscame en instagram COMO carlosfotografo", "search
# for ellaprints"): only in a sentence that asks to reach or look up the writer there
_WEAK_PLAIN_MARKER = regex(
    rf"{ids.separator_words('plain_id_markers')}|{ids.separator_words('weak_name_markers')}|{ids.separator_words('search_verbs')}"
)
_PLAIN_GAP = regex(
    rf"[ \t]*(?:(?:{ids.separator_words('id_separators')}|{ids.separator_words('my_words')}|{ids.separator_words('hindi_fillers')}"
    rf"|{ids.separator_words('there_words')}|{ids.separator_words('copulas')}|['’]s(?![a-z])|[:=\-{ids.ARROWS}])[ \t]*){{0,5}}"
)
_PLAIN_WORD = regex(r"(?<![\w@.#/-])[a-z][a-z0-9_]{3,29}(?![\w@#/]|[.-][a-z0-9])")
_PLAIN_END = regex(
    rf"[ \t]*(?:(?:{ids.separator_words('copulas')}|{ids.separator_words('hindi_fillers')}|{ids.separator_words('there_words')})[ \t]*)*"
    rf"(?:$|[.,;!?)\n]|{CLOSING_SYMBOL}|(?:{ids.separator_words('plain_id_followers')}))"
)
# ... "my" after the id word, or an article before it ("kathdraws ANG username": X is the username)
_MARKER_THEN_MINE = regex(
    rf"[ \t]+(?:(?:{grammar_pattern('ask_fillers')}|{grammar_pattern('determiners')})[ \t]+(?=(?:{ids.separator_words('id_markers')})[ \t]*(?:$|[.,;!?\n]|{CLOSING_SYMBOL}))"
    rf"|(?:(?:{grammar_pattern('ask_fillers')}|{grammar_pattern('determiners')})[ \t]+)?(?=(?:{ids.separator_words('id_markers')})[ \t]+(?:{ids.separator_words('my_words')})))"
    rf"(?:{ids.separator_words('id_markers')})"
    rf"(?:[ \t]+(?:{ids.separator_words('my_words')}))?(?:[ \t]+(?:{ids.separator_words('hindi_fillers')}|{ids.separator_words('there_words')}))*[ \t]*(?:$|[.,;!?\n]|{CLOSING_SYMBOL})"
)
_MINE_IN = regex(ids.separator_words("my_words"))


# The Latin words of the packs' phrases and word lists ("siempre", "regras", "tidak"): after a weak label
# a plain word is an id only when it is none of them ("escríbeme por whatsapp como SIEMPRE").
def _pack_words() -> frozenset[str]:
    words: set[str] = set()
    for entry in (*packs.phrases(), *packs.grammar_words()):
        for part in entry:
            if part:
                words.update(re.findall(r"[a-z]+", normalize(part).text))
    return frozenset(words)


_PACK_WORDS = compiled.value("handle_pack_words", _pack_words)
_WEAK_ID_LETTERS = 6


def _plain_id(text: str, start: int) -> re.Match[str] | None:
    m = _PLAIN_WORD.match(text, start)
    if m is None or not is_handle_token(m.group()) or _PLAIN_MARKER.fullmatch(m.group()) or _MINE_IN.fullmatch(m.group()):
        return None
    return m


def _labelled_plain_ids(doc: Document, cues: Cues, messengers: list[Hit], taken: set[int]) -> Iterator[Finding]:
    text = cues.text
    if len(text) > _FAR_TEXT_LIMIT:
        return
    asks = cues.of(*_LABELLED_ASKS)
    searches = cues.of("search")
    offers = cues.of("offer", *_NAMING_ASKS)
    for cue in messengers:
        if is_work_object(text, cue):
            continue
        start, end = cues.sentence(cue.start)
        end = min(end, cue.end + _FAR_REACH)
        markers = list(_PLAIN_MARKER.finditer(text, cue.end, end))
        if not markers and text.find(":", cue.end) < 0 and _WEAK_PLAIN_MARKER.search(text, cue.end, end) is None:
            # no id word after the channel and no colon (_MINE_COLON, _mine_then_colon end at one): no
            # marker below, so no id (most cues); the checks below are skipped, none has an effect
            continue
        # a request or offer in the sentence, or a verb to add or follow ("follow mo ko sa ig, ...")
        requested = _any_within(asks, start, end)
        if cue.cls == "channel_weak" and not requested and not _named_app(doc, cue):
            continue  # "add a signal handler, the id is sig_handler_01": a word-like alias needs a request
        asked = requested or _ADD_OR_FOLLOW.search(text, start, end) is not None
        if asked and (colon := _MINE_COLON.match(text, cue.end) or _mine_then_colon(text, cue, end, offers)) is not None:
            markers.insert(0, colon)  # "nhắn tele cho mình: huyvfx", "te dejo mi discord por si acaso: x": "my" and a colon
        if _any_within(searches, start, end) or _ADD_OR_FOLLOW.search(text, start, end) or _SELF_BEFORE.search(text, start, cue.start):
            # "add me on snap its kaylawrites", "búscame en instagram como carlosfotografo", "im on insta as
            # lunaillustrates"; not "escríbeme
            # por whatsapp como quieras", nor "não passo meu WhatsApp, é contra as regras"
            markers = sorted(markers + list(_WEAK_PLAIN_MARKER.finditer(text, cue.end, end)), key=lambda m: m.start())
        for marker in markers:
            weak = marker.re is _WEAK_PLAIN_MARKER
            if WORK_OBJECT_AFTER.match(text, marker.end()) is not None:
                continue  # "the discord username field"
            gap_end = _PLAIN_GAP.match(text, marker.end()).end()
            again = next((h for h in messengers if h.start == gap_end), None)
            if again is not None:  # "tên ZALO là ...": the network named again after the id word
                gap_end = _PLAIN_GAP.match(text, again.end).end()
            found = _plain_id(text, gap_end)
            if weak and found is not None and (len(found.group()) < _WEAK_ID_LETTERS or found.group() in _PACK_WORDS):
                found = None
            mine = _MINE_IN.search(text, max(start, marker.start() - 12), gap_end) is not None
            if found is not None and found.end() <= end and (asked or mine) and _PLAIN_END.match(text, found.end()):
                if found.start() not in taken:
                    taken.add(found.start())
                    yield _candidate(doc, found.start(), found.end(), cue.arg, "handle.labelled_plain_id")
                break
            if weak:
                continue
            if (asked or mine) and cue.arg in NAMED_PROFILES:
                # "kết bạn zalo với mình nha, tên zalo là Thu Trang Decor": on a network whose profiles go
                # by a name, a capitalized name after the id word
                name = _name_after(doc, _NAME_GAP.match(text, again.end if again is not None else marker.end()).end())
                if name is not None and _NAME_END.match(doc.text, name[1]):
                    yield _profile_name(cue, name)
                    break
            # "jessadraws yung username ko": the id, then the id word and "my" end the clause
            before = _PLAIN_BEFORE.search(text, max(cue.end, marker.start() - 40), marker.start())
            if before is not None and asked and _MARKER_THEN_MINE.match(text, before.end(1)):
                found = _plain_id(text, before.start(1))
                if found is not None and found.start() not in taken:
                    taken.add(found.start())
                    yield _candidate(doc, found.start(), found.end(), cue.arg, "handle.labelled_plain_id")
                break
            # "..., Rommel Santos Gfx yung pangalan ko dun": a name before them, on a network of names
            if asked and cue.arg in NAMED_PROFILES and _MARKER_THEN_MINE.match(text, marker.start() - 1) is not None:
                if (name := _name_before(doc, cue.end, marker.start())) is not None:
                    yield _profile_name(cue, name)
                    break


# before a capitalized name: no "my" ("tên là MINH Thư" is a name, though "mình" is "my")
_NAME_GAP = regex(
    rf"[ \t]*(?:(?:{ids.separator_words('copulas')}|{ids.separator_words('hindi_fillers')}|{ids.separator_words('there_words')}|[:=\-])[ \t]*){{0,5}}"
)
_COLON_SOON = regex(r"[^.!?\n:]{0,25}:")


def _mine_then_colon(text: str, cue: Hit, end: int, offers: list[Hit]) -> re.Match[str] | None:
    """A colon shortly after "my <network>" in its clause ("te dejo mi discord por si acaso: nachodev")."""
    if ids._MY_BEFORE.search(text, max(0, cue.start - 8), cue.start) is None or not _any_within(offers, max(0, cue.start - 30), cue.end):
        return None  # "te DEJO mi discord": an offer or request names the network, not "mi instagram tiene esto: fotos"
    return _COLON_SOON.match(text, cue.end, end)


_MINE_COLON = regex(rf"[ \t]+(?:[a-z]{{1,4}}[ \t]+)?(?:{ids.separator_words('my_words')})[ \t]*:")
_BEFORE_MARKER_FILLER = regex(rf"(?:[ \t]+(?:{grammar_pattern('ask_fillers')}|{grammar_pattern('determiners')}))?[ \t]*\Z", re.IGNORECASE)


def _name_before(doc: Document, view_start: int, view_end: int) -> tuple[int, int] | None:
    """A capitalized name of two to four words ending right before `view_end` (maybe before a
    determiner: "Rommel Santos Gfx yung"), after a comma or colon, in the ORIGINAL text."""
    a, b = doc.view.to_original(view_start, view_end)
    segment = doc.text[a:b]
    filler = _BEFORE_MARKER_FILLER.search(segment)
    head = segment[: filler.start()] if filler else segment
    words = list(re.finditer(r"[^\s,:;]+", head))
    taken = []
    for word in reversed(words):
        if not word.group()[0].isupper() or word.group().lower() in HANDLE_STOPWORDS or len(taken) == 4:
            break
        taken.append(word)
    if len(taken) < 2:
        return None
    first, last = taken[-1], taken[0]
    if head[: first.start()].rstrip()[-1:] not in (",", ":"):
        return None  # the name opens its clause: "..., Rommel Santos Gfx yung pangalan ko"
    return a + first.start(), a + last.end()


_ADD_OR_FOLLOW = regex("|".join(f"(?:{ids.separator_words(name)})" for name in ("follow_verbs", "add_verbs")))
_PLAIN_BEFORE = regex(rf"[,:][ \t]*([a-z][a-z0-9]{{3,29}})[ \t]+(?:(?:{grammar_pattern('ask_fillers')}|{grammar_pattern('determiners')})[ \t]+)?\Z")


_BLANK_AFTER_CUE = regex(r"[ \t]{1,3}")


def _spelled_then_search(text: str, cue: Hit) -> tuple[int, int] | None:
    """ "instada zeynep nokta cizer diye arat": an id spelled with its marks' words right after the
    channel, then a search verb: what is to be searched there is an account."""
    blank = _BLANK_AFTER_CUE.match(text, cue.end)
    found = blank and ids.spelled_id_at(text, blank.end())
    return found if found and _SEARCH_AFTER.match(text, found[1]) else None


def _looks_shaped(token: str, *, host_ok: bool = False, file_ok: bool = False) -> bool:
    """Whether a token is shaped like a user name: `host_ok`, even like a host name; `file_ok`, even
    like a file's name (ending in a file extension)."""
    allowed = (_HOST_SHAPED if host_ok else 0) | (_FILE_SHAPED if file_ok else 0)
    return not _shape_of(token) & ~allowed


# What _shape_of() reads a token as: bits of what keeps it from being a user name, none for a name.
_NAME_SHAPED, _FILE_SHAPED, _HOST_SHAPED, _NUMBERED, _NO_NAME = 0, 1, 2, 4, 8


def _shape_of(token: str) -> int:
    """What a token's shape says: a user name (_NAME_SHAPED), or the bits of what it is otherwise: a
    file's name (ending in a file extension), a host name, a version or an amount ("v2.10",
    "build.12"), no name at all. One reading for the three questions _looks_shaped() answers."""
    name = token.split("#", 1)[0]
    parts = re.split(r"[._]", name)
    letters = sum(c.isalpha() for c in name)
    if letters < 4 or max(len(p) for p in parts) < 3 or not is_handle_token(name):
        return _NO_NAME
    if "." not in name:
        return _NAME_SHAPED
    numbered = parts[-1].isdigit() and "_" not in name and sum(p.isalpha() for p in parts) < 2
    # a file, a host, a version or an amount; "ali.raza.99" is a name
    return (
        (_FILE_SHAPED if parts[-1] in _FILE_EXTENSIONS else 0)
        | (_HOST_SHAPED if DOMAIN_LIKE.search(name) else 0)
        | (_NUMBERED if numbered else 0)
    )


_PREPOSITION_AFTER = regex(rf"['’]?[a-z]{{0,3}}[ \t]+(?:(?:{grammar_pattern('prepositions')})[ \t]+)?")


def _search_my_name(doc: Document, cues: Cues, messengers: list[Hit]) -> Iterator[Finding]:
    """ "find me on LinkedIn as Ana Souza" (the name is the id), "search my name on facebook"."""
    text = view = cues.text
    for m in _SEARCH.finditer(text):
        sentence = cues.sentence(m.start())
        near = within(messengers, max(sentence[0], m.end() - 30), min(sentence[1], m.end() + 31))
        far = False
        if not near and within(cues.of(*_FAR_SEARCH_REQUESTS), *sentence):
            # "sa messenger na lang tayo mag-usap, search mo 'Kaye Dela Cruz Crafts'": a request names it further back
            near, far = within(messengers, max(sentence[0], m.end() - 60), m.start()), True
        if not near:
            # "fb pe "Usman Arts Studio" search karein": the name between the network and the verb (verb last)
            if (found := _name_before_search(doc, cues, messengers, m, sentence)) is not None:
                yield _search_finding(*found)
            continue
        cue = near[0]
        span = _name_after(doc, max(cue.end, m.end()))
        if span is None and cue.start > m.end():
            span = _name_after(doc, m.end())  # "search my name John Smith on Viber"

        if span is None and _EXPLICIT_SEARCH.search(m.group()) and not far and not _quoted_after(doc, max(cue.end, m.end())):
            span = doc.view.to_original(min(m.start(), cue.start), max(m.end(), cue.end))
        if span is not None:
            yield _search_finding(cue, span)


def _quoted_after(doc: Document, view_pos: int) -> bool:
    """A quoted query after the search ("search korun 'logo design ideas'"): what is searched for is
    that, not the writer (a quoted name would have been read as the name)."""
    return _QUOTED_NAME.match(doc.text, doc.view.to_original(view_pos, view_pos)[0]) is not None


def _search_finding(cue: Hit, span: tuple[int, int]) -> Finding:
    return Finding(
        Kind.HANDLE,
        Severity.BLOCK,
        *span,
        "handle.search_my_name",
        f"Telling someone to look you up on {label(cue.arg)} by name moves the conversation off the platform.",
        cue.arg,
        _SUGGESTION,
        MASK,
    )


# what stands between the name and a search verb after it: quotes, "diye" (Turkish "as"), "naam se"
_NAME_TO_VERB = regex(r"[\"”»」』'’]?[ \t]*(?:(?:diye|olarak|naam se|likh ke|likh kar|ko)[ \t]+)?", re.IGNORECASE)


def _name_before_search(doc: Document, cues: Cues, messengers: list[Hit], m: re.Match[str], sentence: tuple[int, int]) -> tuple[Hit, tuple[int, int]] | None:
    """A network, its postposition, a name, then the search verb: Hindi/Urdu/Turkish order."""
    view = cues.text
    if _SEARCH_PURPOSE.search(view, m.end(), min(sentence[1], m.end() + 40)):
        return None  # "instagram pe "minimal logo" search karo for ideas"
    for cue in within(messengers, max(sentence[0], m.start() - 60), m.start()):
        prep = _PREPOSITION_AFTER.match(view, cue.end, m.start())
        name = prep and _name_after(doc, prep.end())
        if name and _NAME_TO_VERB.fullmatch(doc.text, name[1], doc.view.to_original(m.start(), m.start())[0]):
            return cue, name
    return None


# "search Ana Souza on Facebook": a search verb, a name, then "on <channel>" (original text).
_SEARCH_VERBS = grammar_pattern("search_verbs")
_SEARCH_VERB = regex(rf"(?<![-{word_chars(_SEARCH_VERBS)}])(?:{_SEARCH_VERBS})(?![-{word_chars(_SEARCH_VERBS)}])")
_ON_CHANNEL = regex(
    rf"[ \t]*[\"“”»」』'’›]?[ \t]*,?[ \t]+(?:{grammar_pattern('prepositions')})[ \t]+(?:(?:{grammar_pattern('determiners')})[ \t]+)?", re.IGNORECASE
)
_SEARCH_PURPOSE = regex(whole_word(grammar_pattern("search_purpose")))
_SEARCH_OBJECT_LEAD = regex(rf"[ \t]+(?:(?:{grammar_pattern('prepositions')}|me|for)[ \t]+)?")


def _id_before_channel(text: str, verb_end: int, cue_start: int) -> tuple[int, int] | None:
    """An id between a search verb and "on <network>" (view text): spelled with a mark's word, shaped
    or an @handle; not a plain word ("look for inspiration on instagram", "busca referencias en instagram")."""
    lead = _SEARCH_OBJECT_LEAD.match(text, verb_end)
    at = lead.end() if lead else verb_end
    found = ids.spelled_id_at(text, at)
    if found is None and (m := AT_HANDLE.match(text, at) or _SHAPED_ID.match(text, at)) is not None:
        found = m.span() if m.group().startswith("@") or _looks_shaped(m.group()) else None
    if found is None or not _ON_CHANNEL.fullmatch(text, found[1], cue_start):
        return None
    return found


def _search_name_on(doc: Document, cues: Cues, messengers: list[Hit]) -> Iterator[Finding]:
    """ "search Ana Souza on Facebook and add me", "look for Nova Studio on TikTok"."""
    text = cues.text
    for cue in messengers:
        if is_work_object(text, cue):
            continue  # "type Nova Designs on the Facebook cover"
        sentence = cues.sentence(cue.start)
        if _SEARCH_PURPOSE.search(text, cue.end, min(sentence[1], cue.end + 40)):
            continue  # "look for Modern Logos on Instagram for inspiration"
        verb = None  # the last search verb before the channel (in the view: words are folded there)
        for verb in _SEARCH_VERB.finditer(text, max(sentence[0], cue.start - 60), cue.start):
            pass
        if verb is None:
            continue
        cue_start = doc.view.to_original(cue.start, cue.end)[0]
        name = _name_after(doc, verb.end())
        if name is None or not _ON_CHANNEL.fullmatch(doc.text, name[1], cue_start):
            # "procura por larissa ponto arts no instagram", "search for ella_prints on telegram": an id
            if (found := _id_before_channel(text, verb.end(), cue.start)) is not None:
                yield _candidate(doc, *found, cue.arg, "handle.search_name")
            continue
        yield Finding(
            Kind.HANDLE,
            Severity.BLOCK,
            *name,
            "handle.search_name",
            f"Telling someone to look you up on {label(cue.arg)} by name moves the conversation off the platform.",
            cue.arg,
            _SUGGESTION,
            MASK,
        )


# "my facebook name is Ana Souza", "on LinkedIn I'm Ana Souza": a name marker right after the network,
# maybe after a suffix glued to it ("face'de adım", Bangla "ফেসবুকে আমার নাম"), a preposition and "my"
# ("facebook pe mera naam Usman Tariq hai").
_NAME_MARKER = regex(
    rf"(?:['’]\w{{1,5}}|[^\s\w:]{{1,2}})?[ \t]*(?:(?:{grammar_pattern('prepositions')})[ \t]+)?"
    rf"(?:(?:{grammar_pattern('my_words')})[ \t]+)?(?:{grammar_pattern('name_markers')})"
)
# Name markers that are also ordinary prepositions (en "as"): they name the writer's profile only
# when the writer is the subject or object before the network ("find me on Viber as ...", "I'm on
# LinkedIn as ...").
_WEAK_MARKER_END = regex(rf"(?<![a-z])(?:{grammar_pattern('weak_name_markers')})\Z")
_SELF_BEFORE = regex(rf"(?<![a-z])(?:{grammar_pattern('self_words')})(?![a-z])")
_NAMED_PROFILES = NAMED_PROFILES


_COPULA_AFTER = regex(rf"[ \t]+(?:{ids.separator_words('copulas')})[ \t]*:?")


def _named_profiles(doc: Document, messengers: list[Hit]) -> Iterator[Finding]:
    view = doc.view.text
    for cue in messengers:
        if cue.cls == "abbrev" or cue.end - cue.start < 4 or cue.arg not in _NAMED_PROFILES:
            continue  # a name ("facebook", "face"), not "x" or "ig"
        marker = _NAME_MARKER.match(view, cue.end)
        if marker is not None and _WEAK_MARKER_END.search(view, marker.start(), marker.end()) and not _SELF_BEFORE.search(
            view, cues_of(doc).sentence(cue.start)[0], cue.start
        ):
            marker = None  # "I use Facebook as a marketing tool": "as" names me only after "find me", "I'm"
        if marker is None and _MY_BEFORE.search(view, max(0, cue.start - 8), cue.start):
            marker = _COPULA_AFTER.match(view, cue.end)  # "mi face es Juan Pérez García"
        name = marker and _name_after(doc, marker.end())
        if name:
            yield _profile_name(cue, name)


# "my fb: Kristine Mae Reyes", "face mình: Hoàng Minh Tuấn": on a network whose profiles go by a
# person's name, "my" and a colon, then a capitalized name that ends its line. A request to reach or
# add on the network before it says the same ("add mo ko sa facebook: Mark Cruz"), and then a comma
# separates too ("pm mo ko sa fb, Kristine Mae Reyes"). A page, group or community named on a network
# ("viber community: Ahmed Design Hub", "our page on facebook: Nova Bakery Studio") is one to look up.
# Without any of these only a message that is nothing else ("FB: Kristine Mae Reyes Art") and whose
# words are no work nouns: "Facebook: Cover Photo Banner" is a heading.
_NAME_PROFILES = frozenset({"facebook"})
_COMMUNITY_NETWORKS = frozenset({"facebook", "viber", "telegram", "whatsapp"})  # pages, groups, communities, channels
_COLON_AFTER = regex(
    rf"[ \t]*((?:{ids.separator_words('my_words')})(?:[ \t]+(?:{grammar_pattern('hindi_fillers')}))?[ \t]*)?"  # "fb ko po:"
    rf"(?:(?:{ids.separator_words('id_markers')})[ \t]*)?"  # "আমার ফেসবুক আইডি: Sumaiya Akter", "my fb id:"
    rf"((?:{ids.separator_words('community_nouns')})[ \t]*)?([:,،])"
)
# ... after a comma, a label naming the page or the name ("ضيفني على الفيس، اسم الصفحة: Noor Calligraphy
# Studio", "add me on fb, page name: ...")
_LABEL_AFTER_COMMA = regex(
    rf"[ \t]*(?:(?:{ids.separator_words('name_markers')}|{ids.separator_words('id_markers')})[ \t]*)?"
    rf"((?:{ids.separator_words('community_nouns')})[ \t]*)?(?:{ids.separator_words('name_markers')}[ \t]*)?:"
)
_COMMUNITY_BEFORE = regex(
    rf"(?<![a-z])(?:{grammar_pattern('community_nouns')})[ \t]+(?:(?:{grammar_pattern('prepositions')}|of|de|del|da|do)[ \t]+)?$"
)
_LABEL_LEAD = 24  # a page named like a label: at most a few words ("find our page on") before it
_LINE_END = regex(rf"[ \t]*[.!]*[ \t]*(?:{CLOSING_SYMBOL}[ \t]*)*(?:\n|$)")
_NOTHING_MORE = regex(rf"[ \t.!]*(?:{CLOSING_SYMBOL}[ \t.!]*)*\Z")  # the message ends: marks and emoji at most
# ... or a name marker after the name ends it ("..., Jessa Mae Santos pangalan ko", "Usman Tariq naam hai")
_NAME_THEN_END = regex(
    rf"[ \t]+(?:{grammar_pattern('name_markers')})(?:[ \t]+(?:{grammar_pattern('my_words')}|hai|ha|he))?[ \t]*[.!]*[ \t]*(?:{CLOSING_SYMBOL}[ \t]*)*(?:\n|$)",
    re.IGNORECASE,
)
# ... or a name word after the name says so, the sentence going on after a comma ("Joanna Paula Cruz
# YUNG NAME, naka-pink yung dp", "Rica Mae Santos yung name ko dun, ...", "Usman Tariq naam hai mera,
# ...", "Jenna Park is the name, ...", "Ana Clara Souza é meu nome lá, ..."): read on the folded text
# after the name (copulas, articles, "my", "there" around the name word)
_AROUND_NAME_WORD = rf"(?:{grammar_pattern('copulas')}|{grammar_pattern('ask_fillers')}|{grammar_pattern('determiners')}|{grammar_pattern('my_words')}|{grammar_pattern('there_words')}|{grammar_pattern('hindi_fillers')})"
_NAME_WORD_AFTER = regex(
    rf"[ \t]+(?:{_AROUND_NAME_WORD}[ \t]+){{0,3}}(?:{grammar_pattern('name_nouns')}|{grammar_pattern('name_markers')})"
    rf"(?:[ \t]+{_AROUND_NAME_WORD}){{0,3}}[ \t]*(?:[,;.!]|\n|$|{CLOSING_SYMBOL})"
)
_NAME_TAIL = 60  # characters after a name read for its name word


def _name_word_after(text: str, end: int) -> bool:
    """Whether a name word follows the name ending at `end` (ORIGINAL text), read folded."""
    return _NAME_WORD_AFTER.match(normalize(text[end : end + _NAME_TAIL]).text) is not None
_MY_BEFORE = regex(rf"(?<![a-z])(?:{grammar_pattern('my_words')})\s+$")
_REQUESTS = ("reach", "near", "after", "ask", "offer", "direct", "search")
_FAR_SEARCH_REQUESTS = ("reach", "near", "after", "offer", "direct", "talk")


# The request after the network, the name after the clause's comma, labelled by a name word after it
# ("fb pe add kar lo, Usman Tariq naam hai mera, ...", "add fb aku ya, Dewi Lestari namanya, ...").
_CLAUSE_COMMA = regex(r"[^,،:\n.!?]{0,30}?[,،]")


def _clause_then_name(doc: Document, messengers: list[Hit]) -> Iterator[Finding]:
    view = doc.view.text
    cues = cues_of(doc)
    for cue in messengers:
        if cue.arg not in _NAME_PROFILES or (comma := _CLAUSE_COMMA.match(view, cue.end)) is None or is_work_object(view, cue):
            continue
        lead = cues.sentence(cue.start)[0]
        if not within(cues.of(*_REQUESTS), lead, comma.end()) and _ADD_OR_FOLLOW.search(view, lead, comma.end()) is None:
            continue  # a request, or a verb to add or follow ("fb te add koro, ..."), before the comma
        name = _name_after(doc, comma.end())
        if name and _name_word_after(doc.text, name[1]):
            yield _profile_name(cue, name)


def _colon_names(doc: Document, messengers: list[Hit]) -> Iterator[Finding]:
    view = doc.view.text
    cues = cues_of(doc)
    for cue in messengers:
        colon = _COLON_AFTER.match(view, cue.end)
        if not colon or cue.cls == "abbrev" and colon.group(2):
            continue
        community = colon.group(2) or _COMMUNITY_BEFORE.search(view, max(0, cue.start - 30), cue.start)
        name_at = colon.end()
        labelled = False
        if colon.group(3) != ":" and (label := _LABEL_AFTER_COMMA.match(view, colon.end())) is not None and label.end() > colon.end() + 1:
            community, name_at, labelled = community or label.group(1), label.end(), True  # "، اسم الصفحة: Noor Calligraphy Studio"
        if cue.arg not in _NAME_PROFILES and not (community and cue.arg in _COMMUNITY_NETWORKS):
            continue
        requested = within(cues.of(*_REQUESTS), cues.sentence(cue.start)[0], cue.start)
        if colon.group(3) != ":" and not requested and not labelled:
            continue  # "facebook, instagram and the website": a list
        name = _name_after(doc, name_at, most=5)
        if not name or not (_LINE_END.match(doc.text, name[1]) or _NAME_THEN_END.match(doc.text, name[1]) or _name_word_after(doc.text, name[1])):
            continue
        lead = cues.sentence(cue.start)[0]
        if community and not requested and (
            cue.start - lead > _LABEL_LEAD or placement_verb_in(doc.text, doc.view.to_original(lead, cue.start)[0], name[0])
        ):
            continue  # "add the video to our Facebook page: Product Launch Teaser", "design the header for ...": the work
        mine = colon.group(1) or community or requested or _MY_BEFORE.search(view, max(0, cue.start - 8), cue.start)
        if not mine:
            words = doc.text[slice(*name)].lower().split()
            alone = not view[: cue.start].strip() and _NOTHING_MORE.match(doc.text, name[1]) is not None
            if cue.cls == "channel_weak" or not alone or any(w in WORK_NOUN_SET or w in HANDLE_STOPWORDS for w in words):
                continue
        # A heading names the work first ("Facebook page: Cover Photo"); a page's or group's name
        # often holds a work noun after its own first word ("viber community: Ahmed Design Hub").
        elif any(w in WORK_NOUN_SET or w in HANDLE_STOPWORDS for w in doc.text[slice(*name)].lower().split()[: 1 if community else 2]):
            continue
        yield _profile_name(cue, name)


# "add me on discord, display name Nova Prints", "no zap meu nome aparece como Ju Doces Finos", "tên hiển
# thị là Minh Thư Bakery", "nam dekhabe 'Karim Print House'": a word for the name an account shows
# (grammar display_name_labels, an automaton gate), a copula, "my" or a colon, then a capitalized or
# quoted name, with a messenger or network named in its sentence: the account to look up there. Not a
# name in the work ("the whatsapp display name shows John Doe" in a mockup names no network of the writer's).
_DISPLAY_GAP = regex(
    rf"[ \t]*(?:(?:{ids.separator_words('copulas')}|{ids.separator_words('my_words')}|[:=\-–—])[ \t]*){{0,3}}"
)
_DISPLAY_REACH = 80  # characters between the network and the label, either way


def _display_names(doc: Document, cues: Cues, messengers: list[Hit]) -> Iterator[Finding]:
    view = doc.view.text
    for label_hit in cues.of("displayname"):
        a, b = cues.sentence(label_hit.start)
        near = [
            h for h in within(messengers, max(a, label_hit.start - _DISPLAY_REACH), min(b, label_hit.end + _DISPLAY_REACH))
            if not is_work_object(view, h)
        ]
        if not near or "work" in cues.classes and within(cues.of("work"), a, b):
            continue  # no network of the writer's in the sentence, or the sentence is about the work
        gap = _DISPLAY_GAP.match(view, label_hit.end)
        name = _name_after(doc, gap.end() if gap else label_hit.end, most=5)
        if name is None:
            continue
        o_a, o_b = doc.view.to_original(a, b)
        if any(w in WORK_NOUN_SET for w in (doc.text[o_a : name[0]] + " " + doc.text[name[1] : o_b]).lower().split()):
            continue  # "in the app mockup the whatsapp display name shows John Doe": a name in the work
        yield _profile_name(min(near, key=lambda h: abs(h.start - label_hit.start)), name)


# "imo pe add karo, naam Zain Bhatti Official likha hai", "Zalo tên Thảo Nguyên Decor nha", "ইমো তে আমাকে
# পাবেন, নাম 'Rony Photography Sylhet'": a bare word for a name (grammar name_nouns) opening the words
# after a network's name, right after it or after the comma of a clause that asks to reach, add, follow
# or find the writer there, then a capitalized or quoted name: the profile to look up. Not in a sentence
# about the work ("logo pe naam Riya Kapoor Studio likhna hai, insta icon ke saath").
# Led by a lookahead for the words' first characters: after most networks' names stands another word,
# which fails there at once (this is tried after every network named).
_NAME_NOUN_FIRSTS = "".join(sorted({re.escape(w[0]) for w in GRAMMAR.get("name_nouns", ())}))
# A gate from the same words: each ASCII name word's last run of letters ("name" of "the name"), which a
# text holding the word holds as one of its words (the word's bounds and its own blanks end the run).
_NAME_NOUN_LEADS = frozenset(re.findall(r"[a-z]+", w)[-1] for w in GRAMMAR.get("name_nouns", ()) if w.isascii() and re.search(r"[a-z]", w))
_OTHER_SCRIPT_NAME_NOUNS = any(not (w.isascii() and re.search(r"[a-z]", w)) for w in GRAMMAR.get("name_nouns", ()))
_BARE_NAME_LABEL = regex(rf"[ \t]*(?=[{_NAME_NOUN_FIRSTS}])(?:{ids.separator_words('name_nouns')})")


def _name_word_possible(doc: Document) -> bool:
    """Whether the text can hold a name word (_NAME_NOUN_LEADS); most texts naming a network hold none."""
    return not _NAME_NOUN_LEADS.isdisjoint(doc.view.words()) or _OTHER_SCRIPT_NAME_NOUNS and not doc.view.text.isascii()


def _name_labelled_after(doc: Document, cues: Cues, messengers: list[Hit]) -> Iterator[Finding]:
    view = doc.view.text
    for cue in messengers:
        label = _BARE_NAME_LABEL.match(view, cue.end)
        if label is None:
            comma = _CLAUSE_COMMA.match(view, cue.end)
            if comma is None or (label := _BARE_NAME_LABEL.match(view, comma.end())) is None:
                continue
            lead = cues.sentence(cue.start)[0]
            if not within(cues.of(*_REQUESTS), lead, comma.end()) and _ADD_OR_FOLLOW.search(view, lead, comma.end()) is None:
                continue  # "facebook, naam aur logo ...": no request to reach the writer there
        if is_work_object(view, cue):
            continue
        gap = _DISPLAY_GAP.match(view, label.end())
        name = _name_after(doc, gap.end() if gap else label.end(), most=5)
        if name is None:
            continue
        a, b = doc.view.to_original(*cues.sentence(cue.start))
        if "work" in cues.classes and within(cues.of("work"), *cues.sentence(cue.start)) or any(
            w in WORK_NOUN_SET for w in (doc.text[a : name[0]] + " " + doc.text[name[1] : b]).lower().split()
        ):
            continue  # a name written into the work
        yield _profile_name(cue, name)


def _profile_name(cue: Hit, name: tuple[int, int]) -> Finding:
    """The finding for a person's name given as a profile on `cue`'s network."""
    return Finding(
        Kind.HANDLE,
        Severity.BLOCK,
        *name,
        "handle.profile_name",
        f"This names a {label(cue.arg)} profile; sharing it moves the conversation off the platform.",
        cue.arg,
        _SUGGESTION,
        MASK,
    )


def _name_after(doc: Document, view_pos: int, most: int = 4) -> tuple[int, int] | None:
    """A capitalized name of two to `most` words in the ORIGINAL text after `view_pos`."""
    return _name_at(doc, doc.view.to_original(view_pos, view_pos)[0], most)


# A name in quotation marks ("Maria Lopez Illustration", « Sarah Cohen », 「ハルカ イラスト工房」): the
# marks say where it begins and ends, in any script and whatever its capitals.
_QUOTED_NAME = regex(
    rf"[\s:,\-–—]*(?:(?:{grammar_pattern('name_introducers')})\s+)?"
    r"[\"“”„«»「『'‘‚‹]\s*([^\W\d_][^\"“”„«»」』'’‘›\n]{1,60}?)\s*[\"“”«»」』'’‹›]"
)
_MAX_QUOTED_WORDS = 6
_NAME_PARTICLES = frozenset(GRAMMAR.get("name_particles", ()))
_NAME_END = regex(rf"[ \t]*(?:[.,!?;)\]]|\n|$|{CLOSING_SYMBOL})")


def _name_at(doc: Document, pos: int, most: int = 4) -> tuple[int, int] | None:
    """A capitalized name of two to four words, or a quoted name, in the ORIGINAL text at `pos`."""
    quoted = _QUOTED_NAME.match(doc.text, pos)
    if quoted is not None and len(quoted.group(1).split()) <= _MAX_QUOTED_WORDS and not _lower_case_only(quoted.group(1)):
        return quoted.span(1)
    m = _NAME.match(doc.text, pos)
    if m is None:
        return None
    start = m.start(1)
    end = start
    words = 0
    found = list(re.finditer(r"\S+", m.group(1)))
    for i, word in enumerate(found):
        text, low = word.group(), word.group().lower()
        if words == most:
            break
        if not text[0].isupper():
            if words and low in _NAME_PARTICLES and i + 1 < len(found) and found[i + 1].group()[0].isupper():
                continue  # "Sanne de Vries": the name goes on over its particle
            break
        if low in HANDLE_STOPWORDS and not (words >= 2 and len(low) <= 3 and _NAME_END.match(doc.text, start + word.end())):
            break  # "Nguyễn Văn An" ends with a name, not the article
        end = start + word.end()
        words += 1
    if words < 2:
        return None
    return start, end


def _lower_case_only(words: str) -> bool:
    """Words of a cased script without a capital ("'logo design ideas'"): a search query, not a name;
    a name in a script without case ("「ハルカ イラスト工房」") has none to give."""
    return any(c.islower() for c in words) and not any(c.isupper() for c in words)


def _candidate(doc: Document, start: int, end: int, channel: str | None, rule: str) -> Finding:
    o_start, o_end = doc.view.to_original(start, end)
    return Finding(
        Kind.HANDLE,
        Severity.BLOCK,
        o_start,
        o_end,
        rule,
        f"This is a {label(channel)} account; sharing it moves the conversation off the platform.",
        channel,
        _SUGGESTION,
        MASK,
    )
