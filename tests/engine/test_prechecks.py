"""Every detector's fast pre-check ("can this text hold a phone at all?") never hides a match: for
any text, the detector with its pre-check finds exactly what it finds with the pre-check skipped
(`detect(doc, gated=False)` runs every pass). The texts are built from the lexicon's own words
(channel aliases, phrases, digit words, at/dot words) and the signs detectors look at, besides
arbitrary Unicode, so the pre-checks are exercised where they matter."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.engine.context import fuzzy, scan
from companion.engine.detectors import email, filter_risk, handle, link, payment, phone, request
from companion.engine.document import Document
from companion.engine.lexicon import automaton, packs
from companion.engine.lexicon import files, grammar
from companion.engine.lexicon.files import build_automaton, load_table
from companion.engine.lexicon.grammar import GRAMMAR, PAD, SEPARATOR, grammar_pattern
from companion.engine.lexicon.registry import REGISTRY
from companion.engine.text import normalize

PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LEXICON_WORDS = sorted(
    {alias for c in REGISTRY["channels"] for alias in c["aliases"] + c["abbreviations"] + c["weak_aliases"]}
    | {phrase for phrase, _, _ in packs.phrases()}
    | {word for word, _, _ in packs.digit_words()}
    | {word for role in ("at", "dot", "at_bracketed") for word in packs.email_words(role)}
    | {alias for alias, _ in packs.channel_aliases()}
    | {row[0] for row in load_table("email_providers.tsv")}
    | set(REGISTRY["file_hosting"]["domains"])
    | {host for c in REGISTRY["channels"] for host in c["domains"]}
)
SIGNS = (
    " ", " ", "\n", "@", ".", ":", "/", "-", "(", ")", "[", "]", "+", "#", "$", "?", "'", ",",
    "0", "1", "4", "5", "9", "415", "555", "0132", "98765", "43210", "+44", "0x", "bc1", "DE89", "live:",
    "john", "smith", "com", "o", "l", "I", "٣", "５", "\u200b", "ｇ", "＠", "а", "Fiverr", "dot", "at",
)
tokens = st.one_of(st.sampled_from(LEXICON_WORDS), st.sampled_from(SIGNS))
texts = st.one_of(
    st.lists(tokens, max_size=40).map(" ".join),
    st.lists(tokens, max_size=40).map("".join),
    st.text(max_size=200),
)
DETECTORS = {
    "email": email.detect,
    "phone": phone.detect,
    "handle": handle.detect,
    "link": link.detect,
    "request": request.detect,
    "payment": payment.detect,
    "filter_risk": filter_risk.detect,
}


def found(detect, text: str, *, gated: bool) -> list[tuple]:
    doc = Document(text, normalize(text), "message")
    return sorted((f.kind, f.start, f.end, f.rule) for f in detect(doc, gated=gated))


@pytest.mark.parametrize("name", sorted(DETECTORS))
@PROPERTY
@given(text=texts)
def test_the_pre_check_never_hides_a_match(name, text):
    detect = DETECTORS[name]
    assert found(detect, text, gated=True) == found(detect, text, gated=False)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("email", "write to john.smith@gmail.com"),
        ("phone", "call +1 415 555 0132"),
        ("handle", "my telegram is @john_d"),
        ("link", "wa.me/14155550132"),
        ("request", "add me on skype"),
        ("payment", "pay me via paypal directly"),
        ("filter_risk", "the email template"),
    ],
)
def test_the_property_can_fail_each_detector_finds_its_kind(name, text):
    # The property compares two runs; this shows the runs are not both empty for a real case.
    assert found(DETECTORS[name], text, gated=False)


# Text glued to unspaced scripts (CJK, kana, Hangul) is read a second time with those runs blanked,
# only in windows around the runs' edges (context.scan._glued_hits). Disguised names with two spaces
# in a row ("me$$enger") and phrases of several words are the keys that reach furthest into a window.
UNSPACED = ("加", "微信", "カトク", "카톡으로", "电话", "的")
glued_tokens = st.one_of(st.sampled_from(LEXICON_WORDS), st.sampled_from(SIGNS), st.sampled_from(UNSPACED), st.sampled_from(("$$", "$", " ")))
glued_texts = st.one_of(st.lists(glued_tokens, max_size=40).map("".join), st.lists(glued_tokens, max_size=40).map(" ".join))


@PROPERTY
@given(text=glued_texts)
def test_the_windowed_second_reading_finds_every_hit_of_the_whole_one(text):
    view = normalize(text).text
    padded = " " + view.translate(PAD) + " "
    whole = scan._hits(scan._UNSPACED_RUN.sub(scan._blank, padded), anywhere=True)
    first = set(scan._hits(padded, anywhere=True))
    assert [h for h in scan._glued_hits(padded, True) if h not in first] == [h for h in whole if h not in first]


def test_the_second_reading_finds_a_latin_name_glued_to_an_unspaced_script():
    # The property compares two readings; this shows the windowed one finds what the first misses.
    padded = " " + normalize("加skype详聊").text + " "
    assert ("skype" in {h.arg for h in scan._glued_hits(padded)}) and not any(h.arg == "skype" for h in scan._hits(padded))


# The key table is stored as two automata (lexicon.automaton._automata); the second one, of keys that
# match anywhere, runs only on text holding one of their characters. Together, gate included, they
# find exactly the hits of one automaton of the whole table, in its order.
ONE_AUTOMATON = build_automaton(automaton._key_table())


def one_automaton_hits(padded: str) -> list[scan.Hit]:
    return [
        scan.Hit(end - back, end - back + length, cls, arg)
        for end, (_, values) in ONE_AUTOMATON.iter(padded)
        for back, length, cls, arg in values
    ]


@PROPERTY
@given(text=st.one_of(glued_texts, st.lists(st.sampled_from(LEXICON_WORDS), max_size=30).map(" ".join), st.text(max_size=200)))
def test_the_two_automata_find_exactly_what_one_automaton_of_every_key_finds(text):
    view = normalize(text).text
    padded = " " + view.translate(PAD) + " "
    assert scan._hits(padded, anywhere=scan._may_match_anywhere(view)) == one_automaton_hits(padded)


def test_the_anywhere_keys_are_found_beside_the_blank_led_ones():
    # The property can fail: a text with keys of both automata needs both, in one order.
    padded = " " + normalize("加我微信 or whatsapp me, カトク").text + " "
    hits = scan._hits(padded, anywhere=True)
    assert {"channel", "reach"} <= {h.cls for h in hits} and hits != scan._hits(padded) and hits == one_automaton_hits(padded)


def test_the_automatons_placeholder_keys_give_no_hit_even_where_the_text_holds_one():
    # The anywhere automaton's root leads with placeholder keys ("a\uffff") so that common characters are found at once;
    # a text holding one gets the same hits as from one automaton of the key table.
    padded = " " + normalize("加我微信 a\uffff e\uffff whatsapp \uffff微信 0\uffff").text + " "
    assert any(not found for _, (_, found) in automaton.ANYWHERE.iter(padded))
    # The blank-led automaton's node after a blank leads with the same placeholders (" a\uffff").
    assert any(not found for _, (_, found) in automaton.AUTOMATON.iter(padded))
    hits = scan._hits(padded, anywhere=True)
    assert {"channel", "reach"} <= {h.cls for h in hits} and hits == one_automaton_hits(padded)


def test_keys_of_both_automata_ending_at_one_place_come_in_one_automatons_order():
    # " واتساب " (led by a blank) and "واتساب" (open at its start: "بالواتساب") end together: the
    # two lists are then merged by end and length, not by end alone.
    padded = " " + normalize("كلمني واتساب").text + " "
    ends = {end for end, _ in automaton.AUTOMATON.iter(padded)} & {end for end, _ in automaton.ANYWHERE.iter(padded)}
    assert ends and scan._hits(padded, anywhere=True) == one_automaton_hits(padded)


@PROPERTY
@given(text=st.one_of(glued_texts, st.text(max_size=200)))
def test_the_separator_class_blanks_exactly_what_the_pad_table_does(text):
    assert SEPARATOR.sub(" ", text) == text.translate(PAD)


@pytest.mark.parametrize("name", sorted(GRAMMAR))
def test_a_grammar_pattern_matches_exactly_what_its_plain_alternation_matches(name):
    # grammar_pattern() leads the alternation with a lookahead for the words' first characters (a
    # gate derived from the list): it must not hide a match, here on texts made of the list's words.
    words = sorted(GRAMMAR[name], key=len, reverse=True)
    plain = re.compile("(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")")
    led = re.compile(grammar_pattern(name))
    rnd = random.Random(name)
    text = " ".join(rnd.choice([*words, "x", "1", "@", "the", "\n"]) for _ in range(300))
    assert [m.span() for m in led.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("name", ["prepositions", "determiners", "glued_prepositions"])
def test_a_grammar_trie_matches_a_text_end_exactly_where_the_longest_first_pattern_does(name):
    # grammar_trie() tries a list's words in trie order, not longest first: anchored at the end of
    # a window (as in PREPOSITION_BEFORE, read as yes or no) it must say yes exactly where
    # grammar_pattern() does, here on the windows before every position of a text of the words.
    from companion.engine.lexicon.grammar import grammar_trie

    plain = re.compile(rf"(?<![a-z0-9])(?:{grammar_pattern(name)})\s*$")
    trie = re.compile(rf"(?<![a-z0-9])(?:{grammar_trie(name)})\s*$")
    words = sorted(GRAMMAR[name])
    rnd = random.Random(name)
    text = " ".join(rnd.choice([*words, *(w[:-1] for w in words), "x", "1", "the", "\n"]) for _ in range(300))
    for end in range(len(text) + 1):
        a = max(0, end - 24)
        assert (trie.search(text, a, end) is None) == (plain.search(text, a, end) is None), text[a:end]



def engine_alternations() -> list[frozenset[str]]:
    """The word lists of every alternation() the engine built or read at import."""
    from companion.engine.lexicon import compiled

    stored = {**compiled._STORED, **compiled._DERIVED}
    return sorted((key[1] for key in stored if isinstance(key, tuple) and key[0] == "alternation"), key=sorted)


def test_every_alternation_of_the_engine_is_gated_by_its_first_characters():
    lists = engine_alternations()
    assert len(lists) >= 20 and all(files.alternation(words).startswith("(?=[") for words in lists if "" not in words)


@pytest.mark.parametrize("words", engine_alternations(), ids=lambda words: f"{len(words)}-words-{min(words, default='')[:12]}")
def test_an_alternation_matches_exactly_what_its_trie_alone_matches(words):
    # alternation() leads the trie with a lookahead for the words' first characters: it must not hide
    # a match, here on texts made of the list's words, their prefixes and signs, blanks and tabs.
    gated, plain = re.compile(files.alternation(words)), re.compile(files._alternation(words))
    rnd = random.Random(len(words))
    pool = [*sorted(words), *(w[: len(w) // 2] for w in sorted(words)), "x", "1", "@", "the", "\n", "\t", "  "]
    text = "".join(rnd.choice(pool) + rnd.choice(["", " ", "\t"]) for _ in range(400))
    assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]

# The cue scan drops the hits inside address tokens ("wa.me/55...", "john.skype@gmail.com") token by
# token (scan._outside_addresses); the definition is hit by hit: a hit is dropped when the last token
# starting at or before it also ends at or after its end.
address_texts = st.lists(
    st.one_of(st.sampled_from(LEXICON_WORDS), st.sampled_from(["@", ".", "/", "://", ".com/", "@gmail.com", "wa.me/", " ", "[.]"])),
    max_size=40,
).map("".join)


@PROPERTY
@given(text=st.one_of(address_texts, address_texts.map(lambda t: t.replace(" ", "  "))))
def test_the_hits_inside_addresses_are_dropped_exactly_as_defined_hit_by_hit(text):
    view = normalize(text).text
    hits = sorted(scan._hits(" " + view.translate(PAD) + " ", anywhere=True), key=lambda h: h.start)
    spans = scan._address_spans(view)
    def kept(h):
        before = [span for span in spans if span[0] <= h.start]
        return not before or before[-1][1] < h.end

    expected = [h for h in hits if kept(h)]
    assert scan._outside_addresses(view, hits) == expected


def test_a_word_inside_an_address_is_dropped_and_one_outside_kept():
    view = normalize("my skype is john.skype@gmail.com, skype me").text
    hits = sorted(scan._hits(" " + view.translate(PAD) + " "), key=lambda h: h.start)
    kept = scan._outside_addresses(view, hits)
    inside = [h for h in hits if 12 <= h.start < 33]
    assert inside and [h for h in hits if h not in inside] == kept


# phone._glued_to_words() skips digit runs inside the spans found already by a bisection over the
# spans sorted by start (their furthest end so far); the definition tests every span.
glued_phone_texts = st.lists(
    st.sampled_from(["call", "me", "on", "whatsapp", "numaram", "رقمي", "555", "0134", "-", " ", "0501234567", "now", "\n", "加"]),
    max_size=30,
).map("".join)


@PROPERTY
@given(text=glued_phone_texts, cuts=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=12))
def test_digits_glued_to_words_skip_exactly_the_runs_inside_a_found_span(text, cuts):
    view = normalize(text).text
    spans = [(a, a + n) for a, n in cuts]  # any spans, overlapping and unsorted

    def definition():  # the pass as first written: every span tested for each match
        taken = {a for a, _ in spans}
        found = []
        for m in phone._GLUED_TO_WORD.finditer(view):
            if m.start() in taken or any(a <= m.start() < b for a, b in spans):
                continue
            word = phone._WORD_BEFORE.search(view, max(0, m.start() - 20), m.start())
            if word is None:
                continue
            before = word.group()
            if before in phone._NUMBER_MESSENGERS or before in phone._CUES_GLUED or phone._cue_ends_at(view, m.start()):
                found.append(m.span())
            elif before not in phone._GLUE_WORDS:
                continue
            elif phone._STRONG_CUE.search(view, max(0, m.start() - 60), m.start()) or phone._STRONG_CUE.search(view, m.end(), m.end() + 40):
                found.append(m.span())
            if len(found) >= 8:
                break
        return found

    assert phone._glued_to_words(view, spans) == definition()
    assert phone._glued_to_words(view, spans) == phone._glued_to_words(view, sorted(spans, reverse=True))


# phone._cue_possible() shuts the cue searches around numbers when no ASCII word of the text leads a cue
# word and the text is ASCII: then no cue word (of any strength, label or extension word) stands in the
# text between what is no ASCII letter, the loosest bounds any cue regex reads it with.
PHONE_CUE_WORDS = sorted({p for _, p in phone._CUES} | set(GRAMMAR["phone_extensions"]))
phone_cue_texts = st.lists(
    st.one_of(
        st.sampled_from(PHONE_CUE_WORDS),
        st.sampled_from(["555", "0134", "-", " ", ":", "x", "s", "ca", "llme", "0", "+44", "\n", "é", "ł", "加", "my", "is"]),
    ),
    max_size=24,
)


@PROPERTY
@given(text=st.one_of(phone_cue_texts.map("".join), phone_cue_texts.map(" ".join), st.text(max_size=120)))
def test_the_phone_cue_gate_shuts_only_on_text_without_a_cue_word(text):
    doc = Document(text, normalize(text), "message")
    if phone._cue_possible(doc):
        return
    view = doc.view.text
    loosest = re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, PHONE_CUE_WORDS)) + r")(?![a-z])")
    assert loosest.search(view) is None
    assert phone._STRONG_CUE.search(view) is None and phone._WEAK_ANYWHERE.search(view) is None
    assert not phone._cue_around(doc, 0, len(view))


def test_the_phone_cue_gate_opens_on_a_cue_glued_to_digits_and_on_other_scripts():
    for text in ("whatsapp0300 1234567", "call me2125550188", "ext12", "my number is 555", "رقمي 0501234567"):
        assert phone._cue_possible(Document(text, normalize(text), "message")), text
    assert not phone._cue_possible(Document("order 4471902385 shipped", normalize("order 4471902385 shipped"), "message"))


# handle._name_labelled_after() runs only on text that can hold a name word (handle._NAME_NOUN_LEADS).
NAME_NOUNS = sorted(GRAMMAR["name_nouns"])
name_word_texts = st.lists(
    st.one_of(st.sampled_from(NAME_NOUNS), st.sampled_from(["imo", " ", ",", ":", "'", "Ana", "Souza", "the", "names", "é", "加", "x"])),
    max_size=20,
)


@PROPERTY
@given(text=st.one_of(name_word_texts.map(" ".join), name_word_texts.map("".join), st.text(max_size=120)))
def test_the_name_word_gate_shuts_only_on_text_without_a_name_word(text):
    doc = Document(text, normalize(text), "message")
    if not handle._name_word_possible(doc):
        view = doc.view.text
        assert not any(handle._BARE_NAME_LABEL.match(view, i) for i in range(len(view) + 1))


# Cues.same_clause() looks for a contrast word ending between two positions by a bisection over
# where those words end; the definition tests each contrast word.
@PROPERTY
@given(
    words=st.lists(st.sampled_from([*LEXICON_WORDS[:200], "but", "pero", "aber", "mais", "ama", "but also", ",", "."]), max_size=30),
    points=st.tuples(st.integers(0, 400), st.integers(0, 400)),
)
def test_same_clause_finds_a_contrast_word_between_two_positions_as_defined(words, points):
    view = normalize(" ".join(words)).text
    a, b = sorted(min(p, len(view)) for p in points)
    cues = scan.scan(view)
    contrasts = cues.of("contrast")
    marks = not set(view[a:b]).isdisjoint(scan._MARKS) or any(a <= h.end < b for h in contrasts)
    expected = cues.clause(a) == cues.clause(b) if marks else True
    assert scan.scan(view).same_clause(a, b) == expected


# Sentence and clause breaks are found by one regex per kind (scan._break_runs); the definition, as
# first written, checks each maximal punctuation run in Python.
def breaks_as_defined(text: str, contrasts: list[tuple[int, int]], clauses: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    runs = [(m.start(), m.end(), m.group()) for m in re.finditer("[" + re.escape("".join(scan._MARKS)) + "]+", text)]
    spans = []
    for start, end, run in runs:
        followed = end == len(text) or text[end].isspace()
        if "\n" in run or followed and not scan._SENTENCE_ENDS.isdisjoint(run) or not scan._ALWAYS_ENDS.isdisjoint(run):
            spans.append((start, end))
        elif clauses and (
            not scan._CLAUSE_MARKS.isdisjoint(run) or followed and run in scan._DASHES and start and text[start - 1].isspace()
        ):
            spans.append((start, end))
    if contrasts:
        spans = sorted([*spans, *contrasts])
        spans = [span for i, span in enumerate(spans) if not i or span[0] >= spans[i - 1][1]]
    return tuple(zip(*spans)) if spans else ((), ())


MARK_TEXT = st.lists(
    st.one_of(st.sampled_from(sorted(scan._MARKS)), st.sampled_from([" ", "\t", "\u3000", "a", "b", "1", "but", "x-y", "."])),
    max_size=60,
).map("".join)


@PROPERTY
@given(text=st.one_of(MARK_TEXT, st.text(max_size=120)), clauses=st.booleans(), cut=st.integers(0, 60))
def test_sentence_and_clause_breaks_are_the_punctuation_runs_as_defined(text, clauses, cut):
    contrasts = [(cut, cut + 3)] if cut + 3 <= len(text) else []
    assert scan.breaks(text, contrasts, clauses=clauses) == breaks_as_defined(text, contrasts, clauses)


def test_a_lone_dash_between_blanks_breaks_a_clause_but_not_a_sentence():
    # The property can fail: this text has each kind of break.
    text = "first - second, third. fourth\nfifth!sixth"
    assert scan.breaks(text, clauses=True) == ((6, 14, 21, 29), (7, 15, 22, 30))
    assert scan.breaks(text) == ((21, 29), (22, 30))


# Cues groups the hits by class with a sort when there are many (a loop below _FEW_HITS): either
# way each class holds its hits in the scan's order.
@PROPERTY
@given(words=st.lists(st.sampled_from(LEXICON_WORDS), min_size=1, max_size=80))
def test_the_hits_of_a_class_are_the_scans_hits_of_that_class_in_order(words):
    cues = scan.scan(normalize(" ".join(words)).text)
    assert set(cues.classes) == {h.cls for h in cues.hits}
    for cls in cues.classes:
        assert cues.of(cls) == [h for h in cues.hits if h.cls == cls]


def test_a_long_text_has_more_hits_than_the_loop_groups():
    # The property can fail: its texts reach past _FEW_HITS hits.
    assert len(scan.scan(normalize(" ".join(["whatsapp me", "add me on skype", "paypal"] * 20)).text).hits) > scan._FEW_HITS


# The scan's gates on unspaced scripts are written led by one character class (the regex engine then
# skips to it in C); they find what their plain forms find.
@PROPERTY
@given(text=st.one_of(glued_texts, st.lists(st.sampled_from(["a", "z", "加", "カ", "카", " ", "1", "é", "ー"]), max_size=12).map("".join)))
def test_the_unspaced_gates_find_what_their_plain_forms_find(text):
    view = normalize(text).text
    plain_run = re.compile(automaton.UNSPACED_CHARS + "+")
    plain_glued = re.compile(f"[a-z]{automaton.UNSPACED_CHARS}|{automaton.UNSPACED_CHARS}[a-z]")
    assert [m.span() for m in scan._UNSPACED_RUN.finditer(view)] == [m.span() for m in plain_run.finditer(view)]
    assert (scan._GLUED_LATIN.search(view) is None) == (plain_glued.search(view) is None)


@PROPERTY
@given(text=st.one_of(st.lists(st.sampled_from([*LEXICON_WORDS[:300], "wh4tsapp", "te1egr4m", "s-k-y-p-e", "x!skype", "@", "$", "_", " ", "-"]), max_size=30).map("".join), st.text(max_size=120)))
def test_the_fuzzy_token_regex_finds_what_its_plain_form_finds(text):
    # Led by its first character (a class) instead of the lookbehind: the same tokens.
    plain = re.compile(r"(?<![\w@$])[a-z4@3!|05$7](?:[a-z4@3!|05$7]|[-._*'](?=[a-z4@3!|05$7])){4,24}(?![\w@])")
    view = normalize(text).text
    assert [m.span() for m in fuzzy.TOKEN.finditer(view)] == [m.span() for m in plain.finditer(view)]


# phone._GLUED_TO_WORD is led by its first character (a class) and checks the letter before it with
# a lookbehind after it, so that the regex engine skips to candidates in C: the same matches as its
# plain form, which starts with the lookbehind.
id_texts = st.lists(
    st.sampled_from(["john", "j0hn", ".", "_", "#1234", "@", "/", "-", "+", "+44", "555", "0134", " ", "x", "é", "on", "2125550188", "me"]),
    max_size=30,
).map("".join)


@PROPERTY
@given(text=st.one_of(id_texts, st.text(max_size=120)))
def test_the_glued_number_regex_finds_what_its_plain_form_finds(text):
    view = normalize(text).text
    glued = re.compile(r"(?<=[^\W\d_])\+?\d(?:\d|[-. ](?=\d)){6,17}")
    assert [m.span() for m in phone._GLUED_TO_WORD.finditer(view)] == [m.span() for m in glued.finditer(view)]


def test_the_glued_number_regex_matches_after_a_letter_only():
    # The property can fail: it matches here, with and without the plus.
    assert phone._GLUED_TO_WORD.search("text me on+15550134567 now").span() == (10, 22)
    assert phone._GLUED_TO_WORD.search("on5550134567").span() == (2, 12) and phone._GLUED_TO_WORD.search(" 5550134567") is None


@PROPERTY
@given(text=st.one_of(
    st.lists(st.sampled_from(["alex.t", "a", "1", ".", "@", "+", " ", "\t", '"', "'", "“", "’", "-", "_", "é", "\n", "outlook.com"]), max_size=30).map("".join),
    st.text(max_size=80),
))
def test_the_plus_join_regex_finds_what_its_plain_form_finds(text):
    # email._PLUS_JOIN is led by its first character (a class) instead of a lookbehind.
    plain = re.compile(r"(?<=[a-z0-9._@-])[\"'“”‘’]?[ \t]*\+[ \t]*[\"'“”‘’]?(?=[a-z0-9._@-])")
    view = normalize(text).text
    assert [m.span() for m in email._PLUS_JOIN.finditer(view)] == [m.span() for m in plain.finditer(view)]


def test_the_plus_join_regex_joins_quoted_and_bare_pieces():
    # The property can fail: both shapes match here, a doubled "+" does not.
    assert [m.group() for m in email._PLUS_JOIN.finditer('alex.t + @ + outlook.com "a"+"b" x_++_y')] == [" + ", " + ", '"+"']


NAMED_TOKENS = st.sampled_from(
    sorted({w for _, w in email._NAMED_WORDS} | set(email._NAMED_PROVIDERS))
    + ["email", "e-mail", "john.smith90", "rina.il", "x", " ", "  ", "\t", ":", "=", "-", "->", ",", ".", "@", "\n", "é", "我的"]
)
NAMED_TEXTS = st.one_of(st.lists(NAMED_TOKENS, max_size=40).map(" ".join), st.lists(NAMED_TOKENS, max_size=40).map("".join))


@PROPERTY
@given(text=NAMED_TEXTS, most=st.sampled_from([0, 1, 2, 64]))
def test_the_named_provider_scan_near_provider_words_finds_what_the_whole_text_scan_finds(text, most):
    # email._provider_then_name tries only the positions up to _NAMED_REACH before a provider word
    # (lexicon.files.finditer_near); with `most` places exceeded it reads the whole text.
    view = normalize(text).text
    near = files.finditer_near(email._NAMED_THEN_LOCAL, email._PROVIDER_PLACE, view, email._NAMED_REACH, most)
    assert [(m.span(), m.groupdict()) for m in near] == [(m.span(), m.groupdict()) for m in email._NAMED_THEN_LOCAL.finditer(view)]


def test_the_named_provider_reach_is_the_widest_start_before_the_provider():
    # The property can fail: a reach one short misses the widest start the whole-text scan finds.
    from re import _parser

    source = email._NAMED_THEN_LOCAL.pattern
    before = source[: source.index("(?<![a-z0-9])(?P<prov>")]
    assert email._NAMED_REACH == _parser.parse(before).getwidth()[1]
    text = "meine   indirizzo   di   gmail: john.smith90"  # possessive, the longest "noun of", the most blanks
    whole = [m.span() for m in email._NAMED_THEN_LOCAL.finditer(text)]
    assert whole == [(0, len(text))] and text.index("gmail") == email._NAMED_REACH
    short = files.finditer_near(email._NAMED_THEN_LOCAL, email._PROVIDER_PLACE, text, email._NAMED_REACH - 1)
    assert [m.span() for m in short] != whole
    assert [m.span() for m in files.finditer_near(email._NAMED_THEN_LOCAL, email._PROVIDER_PLACE, text, email._NAMED_REACH)] == whole


WORK_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(grammar.WORK_NOUNS),
        st.sampled_from(grammar.WORK_NOUNS).map(lambda w: w[: len(w) // 2 + 1]),
        st.sampled_from(["telegram", "line", "카톡", "微信", "の", "의", "的", " ", "  ", "\t", "\n", "-", " - ", "'s", "’s", "s", "1", "x", "スタンプ"]),
    ),
    max_size=30,
).map(lambda parts: normalize("".join(parts)).text)


@PROPERTY
@given(text=WORK_TEXTS)
def test_the_work_noun_trie_matches_what_the_longest_first_alternation_matches(text):
    # grammar.WORK_OBJECT_AFTER is matched after every channel hit (context.work): its nouns are a
    # trie led by their first characters instead of the plain alternation, longest first.
    plain = re.compile(
        grammar.WORK_OBJECT_AFTER.pattern.replace(
            grammar._WORK_NOUN_TRIE, "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in grammar.WORK_NOUNS)
        )
    )
    assert plain.pattern != grammar.WORK_OBJECT_AFTER.pattern
    for i in range(len(text) + 1):
        ours, theirs = grammar.WORK_OBJECT_AFTER.match(text, i), plain.match(text, i)
        assert (ours and ours.span()) == (theirs and theirs.span()), i


def test_the_work_noun_trie_finds_a_noun_after_a_channel():
    # The property can fail: these match, and a noun glued to a longer word does not.
    assert grammar.WORK_OBJECT_AFTER.match("telegram bot", 8).span() == (8, 12)
    assert grammar.WORK_OBJECT_AFTER.match(normalize("LINEスタンプ").text, 4) is not None
    assert grammar.WORK_OBJECT_AFTER.match("telegram botany", 8) is None


_GATES = {name: gate for name, gate in vars(email).items() if isinstance(gate, files.Gate) and gate.other}
_GATE_PHRASES = sorted({p for gate in _GATES.values() for p in gate.other})
GATE_TEXTS = st.one_of(
    st.lists(st.one_of(st.sampled_from(_GATE_PHRASES), st.sampled_from(SIGNS), st.sampled_from(LEXICON_WORDS)), max_size=20).map(
        "".join
    ),
    st.lists(st.sampled_from(_GATE_PHRASES), max_size=3).map(lambda ps: " ".join(p[:-1] for p in ps if len(p) > 1)),  # cut short
    st.text(max_size=80),
)


@pytest.mark.parametrize("name", sorted(_GATES))
@PROPERTY
@given(text=GATE_TEXTS)
def test_a_gate_opens_exactly_when_a_phrase_without_latin_letters_is_in_the_text(name, text):
    # Gate.opens looks for its `other` phrases with one regex; the plain form is a test per phrase.
    gate = _GATES[name]
    view = normalize(text)
    plain = not gate.isdisjoint(view.words()) or (not view.text.isascii() and any(p in view.text for p in gate.other))
    assert gate.opens(view.text, view.words()) == plain


def test_the_gates_other_phrases_are_searched_as_literal_substrings():
    # The property can fail: a phrase with a space ("علامة ات") is found only with exactly that space.
    gate = files.gate_words(["علامة ات", "собака", "艾特"])
    assert gate.opens("x علامة ات y", []) and gate.opens("моясобакаточка", []) and gate.opens("我艾特你", [])
    assert not gate.opens("x علامة  ات y", []) and not gate.opens("собак", []) and not gate.opens("艾", [])
    assert len(_GATES) >= 4


# The cue scan's and the view's C-level shortcuts (engine-speed, round 8) against the plain Python
# loops they replaced: the same result on texts of lexicon words, look-alike letters and signs.
lookalike_texts = st.lists(
    st.one_of(
        st.sampled_from(LEXICON_WORDS[:400]),
        st.sampled_from(["jоhn", "gmаil", "ѕкуре", "номер", "не", "Ѕкуре", "маrіа", "сом", "а", "о", "ж", "_", "9", "X"]),
        st.sampled_from(SIGNS),
    ),
    max_size=40,
).map("".join)


@PROPERTY
@given(text=st.one_of(lookalike_texts, lookalike_texts.map(str.lower), st.text(max_size=120)))
def test_the_lookalike_word_regex_finds_the_words_a_word_by_word_loop_keeps(text):
    from companion.engine import text as text_module

    base = text.lower()
    lookalikes = text_module._FOLDED_LOOKALIKES.keys()
    expected = [
        m.span()
        for m in text_module._WORD_RUN.finditer(base)
        if not m.group().isascii()
        and not lookalikes.isdisjoint(m.group())
        and m.group().translate(text_module._FOLDED_TABLE).isascii()
    ]
    assert [m.span() for m in text_module._LOOKALIKE_WORD.finditer(base)] == expected


@PROPERTY
@given(text=st.one_of(address_texts, st.text(alphabet="ab.%+-_!@ 9", max_size=60)))
def test_the_local_part_regex_starts_where_the_backward_loop_stops(text):
    view = " " + normalize(text).text
    for at in (i for i, ch in enumerate(view) if ch == "@"):
        start = view.rfind(" ", 0, at) + 1  # the search starts after a blank, as in _address_spans
        local = at
        while local > start and view[local - 1] in scan._LOCAL_PART:
            local -= 1
        assert scan._LOCAL_PART_TAIL.search(view, start, at).start() == local


def _longest_per_start_plain(text, hits):
    out = [hits[0]]
    for h in hits[1:]:
        last = out[-1]
        if h[0] == last[0] and h[1] < len(text) and text[h[1]].isalnum() and (
            (h[2] == last[2] and h[3] == last[3])
            or (h[2] in scan._CHANNEL_CLASSES and last[2] in scan._CHANNEL_CLASSES and h[1] < last[1] and not re.search(r"\s", text[h[1] : last[1]]))
        ):
            continue
        out.append(h)
    return out


# Keys open at their end ("insta*", " інстаграм") with letters after them: hits that share a start.
OPEN_KEY_WORDS = sorted(
    key.strip() + tail
    for key in automaton.keys(automaton.AUTOMATON) + automaton.keys(automaton.ANYWHERE)
    if key[-1] not in " '\u2019-"
    for tail in ("", "ам", "gram", "а")
)
open_key_texts = st.lists(st.one_of(st.sampled_from(OPEN_KEY_WORDS), st.sampled_from(SIGNS)), max_size=30).map(" ".join)


@PROPERTY
@given(text=st.one_of(open_key_texts, texts))
def test_the_longest_hit_per_start_is_kept_as_the_hit_by_hit_loop_keeps_it(text):
    view = normalize(text).text
    hits = scan._hits(" " + view.translate(PAD) + " ", anywhere=True)
    hits.reverse()
    hits.sort(key=lambda h: h.start)
    if len(hits) > 1:
        assert scan._longest_per_start(view, hits) == _longest_per_start_plain(view, hits)


# The second reading of text glued to unspaced scripts reads only windows around the runs that a key
# can reach (scan._glued_hits): it must find every hit that reading the whole blanked text finds and
# the first reading does not ("PayPalで", "加 QQ", "x  加" with keys holding two blanks in a row).
glued_texts = st.lists(
    st.one_of(
        st.sampled_from(LEXICON_WORDS),
        st.sampled_from(["加", "的", "で", "로", "微信", "카톡", "QQ", "paypal", "x", "pa", "wh", "l", " ", "  ", "@", "."]),
    ),
    max_size=30,
).map("".join)


@PROPERTY
@given(text=st.one_of(glued_texts, glued_texts.map(lambda t: t.replace("加", " 加 "))))
def test_the_glued_reading_finds_what_reading_the_whole_blanked_text_finds(text):
    view = normalize(text).text
    padded = " " + view.translate(PAD) + " "
    anywhere = scan._may_match_anywhere(view)
    first = set(scan._hits(padded, anywhere=anywhere))
    blanked = scan._UNSPACED_RUN.sub(scan._blank, padded)
    whole = {h for h in scan._hits(blanked, anywhere=anywhere) if h not in first}
    assert {h for h in scan._glued_hits(padded, anywhere) if h not in first} == whole
