"""The shared cue scan (companion/engine/context/scan.py, lexicon/automaton.py): whole-word matches only, spelling variants of the
lexicon, sentence and clause bounds, and the registry lookups the detectors and the policy use."""

from __future__ import annotations

import pytest

from companion.engine.context.scan import scan, within
from companion.engine.context.work import is_work_object
from companion.engine.detectors.base import MAX_CANDIDATES, bounded
from companion.engine.lexicon.registry import CHANNELS, DOMAINS, FILE_HOSTING
from companion.engine.policy import is_allowed
from companion.engine.text import normalize


def hits(text: str, cls: str):
    view = normalize(text).text
    return [view[h.start : h.end] for h in scan(view).of(cls)]


@pytest.mark.parametrize(
    ("text", "cls", "expected"),
    [
        ("add me on skype", "channel", ["skype"]),
        ("skyped and skypes", "channel", []),
        ("telehealth clinic", "abbrev", []),
        ("ping me on tele", "abbrev", ["tele"]),
        ("LET'S continue", "modal", ["let's"]),
        ("let’s continue", "modal", ["let’s"]),
        ("lets continue", "modal", ["lets"]),
        ("contacte moi sur whatsapp", "reach", ["contacte moi"]),
        ("Skype-style ringtone", "filter", ["skype"]),
        ("Skype-style ringtone", "channel", []),
        ("the 'Email us' button", "filter", ["email"]),
        ("l'e-mail de Fiverr", "filter", ["e-mail"]),
        ("Fiverr's rules", "internal", ["fiverr"]),
        ("call-to-action", "callword", []),
        ("whats app me", "channel", ["whats app"]),
        ("¿Tienes Telegram?", "have", ["tienes"]),
        # a pack's glued_conjunctions before its request verbs (Arabic "and"/"so" + "call me")
        ("وكلمني على الواتس", "reach", ["وكلمني"]),
        ("فراسلني على الانستا", "reach", ["فراسلني"]),
        ("يكلمني على الواتس", "reach", []),
        ("مكلمني", "reach", []),
    ],
    ids=[
        "plain_alias", "no_match_inside_words", "abbreviation_not_inside_words", "abbreviation", "apostrophe_upper_case",
        "typographic_apostrophe", "apostrophe_dropped", "hyphen_as_space", "lenient_class_before_hyphen",
        "strict_class_not_before_hyphen", "quote_marks_separate_words", "french_elision", "possessive",
        "hyphenated_compound_is_not_a_call", "spaced_alias", "spanish_inverted_question_mark",
        "arabic_and_glued_to_a_verb", "arabic_so_glued_to_a_verb", "other_prefix_is_another_verb", "no_conjunction_no_verb",
    ],
)
def test_scan_matches_whole_words_and_spelling_variants(text, cls, expected):
    assert hits(text, cls) == expected


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("ابعتلي على انستاباي ahmed_k", ["mobile_money"]),  # InstaPay, read whole: not "انستا*" (Instagram)
        ("بالانستاباي", ["mobile_money"]),
        ("تابعني على انستاي", ["instagram"]),  # "my insta": the open key still reads a glued suffix
        ("instagram", ["instagram"]),
    ],
    ids=["instapay_not_instagram", "instapay_after_glued_preposition", "insta_with_suffix", "latin_whole_name"],
)
def test_a_word_is_read_as_its_longest_channel_name(text, channels):
    view = normalize(text).text
    assert {h.arg for h in scan(view).hits if h.cls in ("channel", "channel_weak", "abbrev")} == set(channels)


def test_hits_are_sorted_and_point_into_the_view():
    view = "please add me on whatsapp or telegram"
    found = scan(view).hits
    assert [h.start for h in found] == sorted(h.start for h in found)
    assert {view[h.start : h.end] for h in found} >= {"add me", "whatsapp", "telegram"}


@pytest.mark.parametrize(
    ("view", "pos", "sentence", "clause"),
    [
        ("hi there. add me on skype, ok", 12, (9, 29), (9, 25)),
        ("i know the rules but add me on skype", 25, (21, 36), (21, 36)),
        ("visit wa.me/123 now", 8, (0, 19), (0, 19)),
    ],
    ids=["period_and_comma", "but_starts_a_new_sentence", "a_dot_inside_a_word_is_not_a_break"],
)
def test_sentence_and_clause_bounds(view, pos, sentence, clause):
    cues = scan(view)
    assert cues.sentence(pos) == sentence
    assert cues.clause(pos) == clause


def test_within_returns_hits_inside_the_window_only():
    cues = scan("skype and whatsapp and telegram")
    channels = cues.of("channel")
    assert [h.start for h in within(channels, 0, 18)] == [0, 10]
    assert within(channels, 1, 9) == []


@pytest.mark.parametrize(
    ("view", "word", "work"),
    [("telegram bot project", "telegram", True), ("email-marketing plan", "email", True), ("number of pages", "number", True),
     ("add me on telegram", "telegram", False), ("your number please", "number", False)],
    ids=["bot", "hyphenated_marketing", "number_of", "a_channel", "a_contact_noun"],
)
def test_work_objects(view, word, work):
    hit = next(h for h in scan(view).hits if view[h.start : h.end] == word)
    assert is_work_object(view, hit) is work


def test_registry_is_consistent():
    for host, (channel, _) in DOMAINS.items():
        assert channel in CHANNELS, host
    assert "drive.google.com" in FILE_HOSTING and "wa.me" in DOMAINS
    assert all(c.label for c in CHANNELS.values())


@pytest.mark.parametrize(
    ("channel", "allow", "allowed"),
    [("zoom", {"zoom"}, True), ("zoom", {"video_call"}, True), ("phone", {"video_call"}, False), ("phone", {"call"}, True),
     ("whatsapp", {"zoom"}, False), (None, {"zoom"}, False), ("call", {"zoom"}, True), ("call", {"whatsapp"}, True),
     ("call", {"telegram"}, False)],
    ids=["name", "category", "video_call_excludes_phone", "call_includes_phone", "other_channel", "no_channel",
         "generic_call_under_approved_app", "generic_call_under_whatsapp_calls", "generic_call_not_under_chat_only_app"],
)
def test_is_allowed(channel, allow, allowed):
    assert is_allowed(channel, frozenset(allow)) is allowed


def test_bounded_stops_a_detector_after_max_candidates():
    produced = []

    def endless(_doc):
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    assert len(list(bounded(endless)(None))) == MAX_CANDIDATES
    assert len(produced) == MAX_CANDIDATES


def channel_names(text: str) -> list[tuple[str, str]]:
    """(the words of the original text, channel) for each channel hit."""
    view = normalize(text)
    return [(text[slice(*view.to_original(h.start, h.end))], h.arg) for h in scan(view.text).of("channel")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add me on s k y p e", [("s k y p e", "skype")]),
        ("msg me on w h a t s a p p", [("w h a t s a p p", "whatsapp")]),
        ("ping me on w.h.a.t.s.a.p.p", [("w.h.a.t.s.a.p.p", "whatsapp")]),
        ("find me on t-e-l-e-g-r-a-m", [("t-e-l-e-g-r-a-m", "telegram")]),
        ("add me on tele-gram", [("tele-gram", "telegram")]),
        ("reach me on teleg.ram", [("teleg.ram", "telegram")]),
        ("talk on sk-ype", [("sk-ype", "skype")]),
        ("join my disc0rd", [("disc0rd", "discord")]),
        ("text me on wh4tsapp", [("wh4tsapp", "whatsapp")]),
        ("text me on WH4TSAPP", [("WH4TSAPP", "whatsapp")]),
        ("add me on sk1pe", [("sk1pe", "skype")]),
        ("my te1egram", [("te1egram", "telegram")]),
        ("my te\u0399egram", [("te\u0399egram", "telegram")]),  # Greek capital iota for the l
        ("my teIegram", [("teIegram", "telegram")]),  # Latin capital I for the l
        ("dm me on 1nsta", [("1nsta", "instagram")]),
        ("let's talk on wh@ts@pp", [("wh@ts@pp", "whatsapp")]),
        ("call me on v1ber", [("v1ber", "viber")]),
    ],
    ids=[
        "spaced_letters", "spaced_letters_long", "dotted_letters", "hyphenated_letters", "split_with_hyphen",
        "split_with_dot", "split_with_hyphen_two_letters", "zero_for_o", "four_for_a", "upper_case_with_four_for_a", "one_for_i", "one_for_l", "greek_iota_for_l",
        "capital_i_for_l", "one_for_leading_i", "at_signs_for_a", "one_for_i_in_viber",
    ],
)
def test_disguised_channel_names_are_channel_cues(text, expected):
    assert channel_names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "s k y is the limit",  # too short to be a channel name
        "the telegraph article",
        "a 1920x1080 banner in mp4 and h264",
        "the e.g. and i.e. abbreviations",
        "file names like logo-final-v2.png",
        "t-shirt mockup",
        "a b c d e f g",
        "4.5.6.7",
        "what app do you use for the mockups?",
        "die Zeile 3 ist zu lang",
        "the web money page and the hot mail icon",
    ],
)
def test_ordinary_tokens_are_not_disguised_channel_names(text):
    assert channel_names(text) == []



def test_the_cue_scan_is_kept_per_document_not_per_text():
    from companion.engine.context.scan import cues_of
    from companion.engine.document import Document

    text = "add me on skype"
    first, second = (Document(text, normalize(text), "message") for _ in range(2))
    assert cues_of(first) is cues_of(first)  # scanned once, read by every detector
    assert cues_of(second) is not cues_of(first)  # no state shared between analyses


def all_hits(text: str):
    view = normalize(text).text
    return [(view[h.start : h.end], h.cls) for h in scan(view).hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wa.me/5511987654321", []),  # "wa" is WhatsApp's abbreviation, here part of the URL
        ("t.me/novadesigns", []),
        ("fb.me/novastudio", []),
        ("line.me/ti/p/abc123", []),
        ("zoom.us/j/84512345678", []),
        ("https://instagram.com/ig.nova", []),
        ("wa[.]me/5511987654321", []),  # defanged
        ("john.skype@gmail.com", []),  # an email address
        ("(wa.me/5511987654321)", []),  # punctuation around the token
    ],
    ids=["wa_me", "t_me", "fb_me", "line_me", "zoom_us_j", "ig_in_url_path", "defanged", "email", "in_parentheses"],
)
def test_words_inside_an_address_token_are_not_cues(text, expected):
    assert all_hits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add me on skype.com", [("add me", "reach"), ("skype", "channel"), ("skype", "filter")]),  # a bare domain names the channel
        ("ok.add me on whatsapp", [("add me", "reach"), ("whatsapp", "channel"), ("whatsapp", "filter")]),  # no TLD, no path
        ("skype/whatsapp", [("skype", "channel"), ("skype", "filter"), ("whatsapp", "channel"), ("whatsapp", "filter")]),
        ("whatsapp @nova_ux", [("whatsapp", "channel"), ("whatsapp", "filter")]),  # a handle is no address
        ("wa.me/55119 or whatsapp", [("whatsapp", "channel"), ("whatsapp", "filter")]),  # beside the token
    ],
    ids=["bare_domain", "missing_space", "slash_between_names", "at_handle", "beside_an_address"],
)
def test_words_outside_address_tokens_stay_cues(text, expected):
    assert set(expected) <= set(all_hits(text))


@pytest.mark.parametrize(
    "view",
    [
        "can we discuss the details on a quick call",
        "i can't, but whatsapp me later. ok? sure - fine",
        "add me on skype but not here; e-mail is fine (maybe)",
        "no marks here but a contrast word",
    ],
)
def test_same_clause_agrees_with_the_clause_bounds_before_and_after_they_are_computed(view):
    pairs = [(a, b) for a in range(len(view) + 1) for b in range(a, len(view) + 1)]
    full = scan(view)
    expected = [full.clause(a) == full.clause(b) for a, b in pairs]
    assert [scan(view).same_clause(a, b) for a, b in pairs] == expected  # fresh: clauses not computed
    assert [full.same_clause(a, b) for a, b in pairs] == expected  # clauses computed
