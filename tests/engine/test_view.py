"""The normalized view and its offset map back to the original text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from companion.engine.text import _FOLDED_LOOKALIKES, _LATIN_NAMES, _SCRIPT_LOOKALIKES, View, _fold_char, normalize


def char_spans(view: View) -> list[tuple[int, int]]:
    return [view.to_original(i, i + 1) for i in range(len(view.text))]


def reference_normalize(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The definition, one character at a time: what normalize() must equal, however it is built."""
    # Each character folded on its own; letters of other alphabets keep their script (lower case).
    folded = [ch.lower() if ch < "\x80" else _fold_char(ch) for ch in text]
    # Look-alike letters of other alphabets are Latin only in a word (a run of word characters, each
    # character standing for its one-character fold) that has Latin letters or digits, or that spells
    # a Latin name whole, and whose other-script letters all look Latin; a capital reads as the
    # capital it imitates.
    base = "".join(f if len(f) == 1 else ch for ch, f in zip(text, folded))
    for m in re.finditer(r"[^\W_]+", base):
        foreign = [ch for ch in m.group() if not ch.isascii()]
        if not foreign or not all(ch in _FOLDED_LOOKALIKES for ch in foreign):
            continue
        latin = [_SCRIPT_LOOKALIKES.get(text[i]) or _FOLDED_LOOKALIKES.get(base[i], base[i]) for i in range(m.start(), m.end())]
        if len(foreign) == len(m.group()) and "".join(latin) not in _LATIN_NAMES:
            continue
        for i, reading in zip(range(m.start(), m.end()), latin):
            folded[i] = reading
    out: list[str] = []
    spans: list[list[int]] = []
    for i, piece in enumerate(folded):
        if not piece:
            if spans:
                spans[-1][1] = i + 1
            continue
        for c in piece:  # every character of an expansion maps to the whole source character
            out.append(c)
            spans.append([i, i + 1])
    return "".join(out), [tuple(s) for s in spans]


# (case id, original, normalized text)
FOLDS = [
    ("ascii_lower", "Hello WORLD", "hello world"),
    ("accents_removed", "José Müller", "jose muller"),
    ("combining_mark_dropped", "Jose\u0301", "jose"),
    ("zero_width_removed", "jo\u200bhn\u200d", "john"),
    ("bidi_controls_removed", "a\u202eb\u2066c\u2069", "abc"),
    ("soft_hyphen_removed", "in\u00adfo", "info"),
    ("fullwidth_letters_and_at", "ｊｏｈｎ＠ｇｍａｉｌ", "john@gmail"),
    ("fullwidth_digits", "０３００", "0300"),
    ("arabic_indic_digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"),
    ("persian_digits", "۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    ("devanagari_digits", "०१२३४५६७८९", "0123456789"),
    ("bengali_digits", "০১২৩", "0123"),
    ("circled_digits", "①②③", "123"),
    ("circled_ten_expands", "⑩", "10"),
    ("dingbat_digits", "❶➋⓷", "123"),
    ("keycaps", "4️⃣1️⃣5️⃣", "415"),
    ("math_bold_digits", "𝟏𝟐", "12"),
    ("cyrillic_lookalikes", "раураӏ", "paypal"),
    ("greek_lookalikes_in_a_latin_word", "Αορle", "aople"),
    ("whole_script_word_that_spells_a_channel", "ѕкуре", "skype"),
    ("russian_words_stay_russian", "не в тг", "не в тг"),
    ("greek_word_stays_greek", "Αορ", "αορ"),
    ("small_capitals", "ᴊᴏʜɴ ɢᴍᴀɪʟ", "john gmail"),
    ("dot_lookalikes", "a⋅b‧c", "a.b.c"),
    ("emoji_kept", "hi 😀", "hi 😀"),
    ("nbsp_to_space", "a\u00a0b", "a b"),
    ("dash_variants", "a–b—c", "a-b-c"),
    ("ligature_expands", "ﬁle", "file"),
    # UTS #39 confusables and styled letters (data/confusables.tsv, generated from Unicode's data)
    ("lisu_lookalikes_spell_a_channel", "ꓔꓰꓡꓰꓖꓣꓮꓟ", "telegram"),
    ("cherokee_lookalike_in_a_latin_word", "Ꭲelegram", "telegram"),
    ("negative_circled_letters", "🅣🅔🅛🅔🅖🅡🅐🅜", "telegram"),
    ("regional_indicator_letters", "🇹🇪🇱🇪🇬🇷🇦🇲", "telegram"),
    ("parenthesized_letters_without_brackets", "⒯⒠⒧", "tel"),
    ("greek_capital_nu_reads_n_small_nu_v", "ΝETFLIX νetflix", "netflix vetflix"),
    ("cyrillic_capital_i_reads_i", "ІNSTA", "insta"),
    ("a_cyrillic_word_glued_to_digits_stays_cyrillic", "номер89161234567пиши", "номер89161234567пиши"),
    ("arabic_stays_arabic_glued_to_latin", "بالwhatsapp", "بالwhatsapp"),
    ("urdu_full_stop_stays_a_sentence_end", "ٹھیک ہے۔", "ٹھیک ہے۔"),
]


@pytest.mark.parametrize(("original", "expected"), [c[1:] for c in FOLDS], ids=[c[0] for c in FOLDS])
def test_normalize_folds(original, expected):
    assert normalize(original).text == expected


@pytest.mark.parametrize("original", [c[1] for c in FOLDS], ids=[c[0] for c in FOLDS])
def test_offset_map_matches_the_one_character_at_a_time_definition(original):
    view = normalize(original)
    text, spans = reference_normalize(original)
    assert view.text == text
    assert char_spans(view) == spans


def test_ascii_text_is_an_identity_view():
    view = normalize("Call ME at 5")
    assert view.is_identity
    assert view.to_original(5, 7) == (5, 7)


def test_one_to_one_non_ascii_text_keeps_no_offset_lists():
    # emoji, accents and look-alikes fold character for character: offsets equal indices
    view = normalize("😀 Jоsé ＠ x")
    assert view.text == "😀 jose @ x"
    assert char_spans(view) == [(i, i + 1) for i in range(len(view.text))]


def test_span_after_emoji_maps_to_original_code_points():
    text = "😀👍🏽 call"
    view = normalize(text)
    start = view.text.index("call")
    assert view.to_original(start, start + 4) == (text.index("call"), len(text))


def test_combining_marks_join_the_preceding_character():
    text = "Jose\u0301 x"
    view = normalize(text)
    assert view.to_original(0, 4) == (0, 5)  # "jose" covers the combining acute
    assert view.to_original(5, 6) == (6, 7)


def test_zero_width_inside_a_word_belongs_to_the_character_before():
    text = "jo\u200b\u200bhn"
    view = normalize(text)
    assert view.text == "john"
    assert view.to_original(1, 2) == (1, 4)
    assert view.to_original(2, 4) == (4, 6)


def test_leading_invisible_characters_are_outside_every_span():
    text = "\u200b\u200bab"
    view = normalize(text)
    assert view.text == "ab"
    assert view.to_original(0, 2) == (2, 4)


def test_keycap_digit_covers_its_variation_selector_and_keycap_mark():
    text = "1️⃣2️⃣"
    view = normalize(text)
    assert view.text == "12"
    assert view.to_original(0, 1) == (0, 3)
    assert view.to_original(0, 2) == (0, 6)


def test_fullwidth_span_maps_back_character_for_character():
    text = "tel ０３００－１２３"
    view = normalize(text)
    assert view.text == "tel 0300-123"
    assert view.to_original(4, 12) == (4, 12)


def test_expansion_maps_each_character_to_the_whole_source():
    text = "a⑩b"
    view = normalize(text)
    assert view.text == "a10b"
    assert view.to_original(1, 2) == (1, 2)
    assert view.to_original(2, 3) == (1, 2)
    assert view.to_original(3, 4) == (2, 3)


def test_empty_span_maps_to_a_position():
    text = "😀\u200bab"
    view = normalize(text)
    assert view.to_original(1, 1) == (2, 2)
    assert view.to_original(len(view.text), len(view.text)) == (len(text), len(text))


AT_WORD = re.compile(r" +at +")
DOT_WORD = re.compile(r" +dot +")


def test_rewrite_maps_replacement_to_the_whole_match():
    text = "john  at  gmail dot com"
    view = normalize(text).rewrite(AT_WORD, lambda m: "@").rewrite(DOT_WORD, lambda m: ".")
    assert view.text == "john@gmail.com"
    assert view.to_original(0, len(view.text)) == (0, len(text))
    assert view.to_original(4, 5) == (4, 10)  # "@" <- "  at  "
    assert view.to_original(5, 10) == (10, 15)  # "gmail"
    assert view.to_original(11, 14) == (20, 23)  # "com"


def test_rewrite_after_non_ascii_prefix_maps_through_both_layers():
    text = "😀 Jose\u0301 at gmail"
    view = normalize(text).rewrite(AT_WORD, lambda m: "@")
    assert view.text == "😀 jose@gmail"
    start = view.text.index("jose")
    assert view.to_original(start, len(view.text)) == (2, len(text))


def test_rewrite_deletion_and_insertion():
    view = normalize("a b c").rewrite(re.compile(" "), lambda m: "")
    assert view.text == "abc"
    assert view.to_original(1, 2) == (2, 3)
    assert view.to_original(0, 3) == (0, 5)
    inserted = normalize("ab").rewrite(re.compile("(?=b)"), lambda m: "-")
    assert inserted.text == "a-b"
    assert inserted.to_original(1, 2) == (1, 1)
    assert inserted.to_original(2, 3) == (1, 2)


def test_rewrite_that_keeps_every_match_returns_the_same_view():
    view = normalize("abc")
    assert view.rewrite(re.compile("b"), lambda m: None) is view


def test_keep_drops_characters_and_keeps_their_neighbours_offsets():
    text = "4-1-5 😀"
    view = normalize(text).keep(lambda i: normalize(text).text[i] != "-")
    assert view.text == "415 😀"
    assert view.to_original(0, 3) == (0, 5)
    assert view.to_original(4, 5) == (6, 7)


def test_keep_on_a_rewritten_view():
    text = "a at b-c"
    worded = normalize(text).rewrite(AT_WORD, lambda m: "@")
    kept = worded.keep(lambda i: worded.text[i] != "-")
    assert kept.text == "a@bc"
    assert kept.to_original(1, 2) == (1, 5)
    assert kept.to_original(3, 4) == (7, 8)


_ALPHABET = st.sampled_from(
    list("aZ 1@.-")
    + ["٣", "۴", "३", "１", "①", "⑩", "Ⅻ", "İ", "ß", "é", "е", "\u0301", "\u200b", "\u202e", "😀", "👍🏽", "1️⃣",
       "＠", "Ａ", "ﬁ", "\ufe0f", "\u20e3", "ǅ", "ﬀ", "Σ"]
)


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_normalize_equals_the_definition_on_mixed_text(text):
    view = normalize(text)
    expected_text, expected_spans = reference_normalize(text)
    assert view.text == expected_text
    assert char_spans(view) == expected_spans


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_every_view_character_maps_inside_the_original_in_order(text):
    view = normalize(text)
    spans = char_spans(view)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert [a for a, _ in spans] == sorted(a for a, _ in spans)
    for (a, b), ch in zip(spans, view.text):
        alone = reference_normalize(text[a:b])[0]
        # each character comes from its source span: its reading alone, or, for a look-alike letter
        # of another alphabet, its Latin reading (which depends on the word around it)
        assert ch in alone or ch == _SCRIPT_LOOKALIKES.get(text[a:b]) or ch == _FOLDED_LOOKALIKES.get(alone)


def test_rewrite_with_a_constant_string_maps_like_a_callable():
    text = "j o h n  at  gmail"
    view = normalize(text)
    pattern = re.compile(r"(?<=\S) (?=\S(?:\s|$))|  at  ")
    by_string = view.rewrite(pattern, "")
    by_callable = view.rewrite(pattern, lambda m: "")
    assert by_string.text == by_callable.text
    assert char_spans(by_string) == char_spans(by_callable)


def test_rewrite_constant_is_literal_not_a_regex_template():
    view = normalize("a-b").rewrite(re.compile("-"), "\\1\\")
    assert view.text == "a\\1\\b"
    assert view.to_original(1, 4) == (1, 2)


@pytest.mark.parametrize(
    "text",
    [
        "a\u200b" * 100,  # many vanishing characters
        "\x00a\u200b\u0301" * 100,  # many vanishing characters beside NULs, which stay
        "\ud83da\u200b" * 100,  # many vanishing characters beside lone surrogates
        "⑩x" * 100,  # many expanding characters
        "Ⅻ\u0301ǅ\ufe0f…" * 40,  # both, with case changes
        "ok ❤️ " * 10 + "… done",  # a few of each
    ],
    ids=["dense_vanishing", "dense_vanishing_with_nul", "dense_vanishing_with_surrogates", "dense_expanding", "dense_mixed", "sparse_mixed"],
)
def test_dense_and_sparse_irregular_characters_match_the_definition(text):
    view = normalize(text)
    expected_text, expected_spans = reference_normalize(text)
    assert view.text == expected_text
    assert char_spans(view) == expected_spans


@pytest.mark.parametrize(
    "pattern, replace",
    [
        (r"(a)(t)", "@"),  # groups of its own
        (r"(?=b)", "-"),  # empty matches insert
        (r" +", ""),  # deletions
        (r"(d)o\1?t", "."),  # a backreference
    ],
    ids=["own_groups", "empty_matches", "deletions", "backreference"],
)
def test_rewrite_with_a_constant_string_equals_the_callable_form(pattern, replace):
    text = "j o h n at b dot com ab at ddt bb"
    view = normalize(text)
    by_string = view.rewrite(re.compile(pattern), replace)
    by_callable = view.rewrite(re.compile(pattern), lambda m: replace)
    assert by_string.text == by_callable.text != text
    assert char_spans(by_string) == char_spans(by_callable)
    assert by_string.to_original(0, len(by_string.text)) == (0, len(text))


def test_words_are_the_letter_runs_in_order():
    assert normalize("John.Smith99@Gmail, ok-ok").words() == ("john", "smith", "gmail", "ok", "ok")
    assert normalize("12 34 !").words() == ()


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=60))  # surrogates too
@example("ab\ud800cd ÉTÉ é-x ｗa")
def test_words_are_exactly_the_lowercase_ascii_letter_runs_of_any_text(text):
    # Raw View (no normalize): upper case, non-ASCII letters and lone surrogates are no letters here.
    assert View(text, None, None, len(text)).words() == tuple(re.findall("[a-z]+", text))
    view = normalize(text)
    assert view.words() == tuple(re.findall("[a-z]+", view.text))


def test_a_character_that_stays_as_it_is_is_what_the_full_fold_gives():
    """_fold_char() returns a character that _stays() as it is without decomposing it: for every code
    point of the first two planes (surrogates included) and every 16th above, where it does, the
    full steps give the character itself."""
    from companion.engine.text import _HOMOGLYPHS, _INVISIBLE, _decomposed_fold, _stays

    kept = [
        ch
        for ch in map(chr, [*range(0x80, 0x20000), *range(0x20000, 0x110000, 16)])
        if ch not in _INVISIBLE and ch not in _HOMOGLYPHS and _stays(ch)
        and unicodedata.category(ch) not in ("Nd", "Mn", "Me", "Cf", "Zs", "Zl", "Zp")
    ]
    assert len(kept) > 80_000  # the shortcut serves most letters of other scripts
    assert [ch for ch in kept if _decomposed_fold(ch) != ch] == []


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(st.one_of(st.lists(_ALPHABET, max_size=40).map("".join), st.text(max_size=60)))
def test_the_offset_lists_map_every_span_as_to_original_does(text):
    # Callers mapping many spans (context.in_original) read the lists instead of calling to_original().
    view = normalize(text)
    lists = view.offset_lists()
    if lists is None:
        return
    starts, ends = lists
    n = len(view.text)
    assert all((starts[a], ends[b - 1]) == view.to_original(a, b) for a in range(n) for b in range(a + 1, n + 1))


def test_a_view_with_expanded_characters_has_offset_lists_and_a_rewritten_one_none():
    view = normalize("ﬁle ①")
    assert view.offset_lists() is not None and normalize("file").offset_lists() is None
    assert view.rewrite(re.compile("le"), "X").offset_lists() is None
