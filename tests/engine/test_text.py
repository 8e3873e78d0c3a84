"""text.py's shared word boundary: whole_word() and word_chars(), which every word-list regex of the
engine uses instead of \\b (a word that ends in a combining mark has no \\b after it)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from companion.engine.text import LATIN_LETTERS, LATIN_WORD, normalize, whole_word, word_chars


def old_boundary(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{re.escape(word)})\b")


def old_lookaround(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{re.escape(word)})(?!\w)")


# (script, word that ends in a combining mark, a message holding it as a whole word)
ENDS_IN_A_MARK = [
    ("Bengali", "আইডি", "আমার ফেসবুক আইডি: rakib.hasan"),  # ি U+09BF, a spacing vowel sign
    ("Bengali", "ফোনে", "ফোনে কথা বলি"),  # ে U+09C7 ("on the phone")
    ("Devanagari", "आईडी", "मेरी इंस्टा आईडी: neha.art"),  # ी U+0940
    ("Devanagari", "नंबरो", "इन नंबरो पर कॉल करो"),  # ो U+094B
    ("Tamil", "ஐடி", "என் ஐடி: kavi.draws"),  # ி U+0BBF
    ("Gurmukhi", "ਆਈਡੀ", "ਮੇਰੀ ਆਈਡੀ: jas.art"),  # ੀ U+0A40
]


@pytest.mark.parametrize(("script", "word", "message"), ENDS_IN_A_MARK)
def test_a_word_ending_in_a_combining_mark_is_a_whole_word(script, word, message):
    """The bug: \\b never matches after a final vowel sign, so such words were never found."""
    text = normalize(message).text
    folded = normalize(word).text
    assert unicodedata.category(folded[-1])[0] == "M"  # the case is real: normalize keeps the mark
    assert old_boundary(folded).search(text) is None  # ... and the old boundary misses it
    assert re.search(whole_word(re.escape(folded)), text) is not None


# (script, a word list entry, a longer word it must not match inside: the entry + a mark)
PREFIX_BEFORE_A_MARK = [
    ("Bengali", "আইড", "আমার আইডি"),
    ("Devanagari", "नंबर", "इन नंबरो पर"),
    ("Tamil", "ஐட", "என் ஐடி"),
    ("Latin, decomposed accent (original text)", "cafe", "le cafe\u0301 ouvert"),
]


@pytest.mark.parametrize(("script", "word", "text"), PREFIX_BEFORE_A_MARK)
def test_a_word_does_not_end_before_a_combining_mark(script, word, text):
    """The other half: a mark continues the word, so a shorter entry is not found inside it."""
    if "original" not in script:  # lexicon words are folded like the text
        text, word = normalize(text).text, normalize(word).text
    assert old_lookaround(word).search(text) is not None  # the old lookaround matched inside
    assert re.search(whole_word(re.escape(word)), text) is None


def test_whole_word_matches_like_a_boundary_on_latin_words():
    pattern = re.compile(whole_word("id|skype|e\\.g\\."))
    assert [m.group() for m in pattern.finditer("my skype id, e.g. x")] == ["skype", "id", "e.g."]
    assert pattern.search("skyped idea ids e_g") is None
    assert pattern.search("x_id") is None  # "_" continues a word, as in \w


def test_word_chars_extend_inside_brackets():
    """word_chars() is a class body: other characters may join it ("-" for "ara-ba")."""
    pattern = re.compile(rf"(?<![-{word_chars()}])ara(?![-{word_chars()}])")
    assert pattern.search("instagram'da ara") and not pattern.search("ara-ba") and not pattern.search("araba")


@pytest.mark.parametrize("script", ["Bengali", "Devanagari", "Tamil", "Gurmukhi", "Thai", "Arabic", "Hebrew"])
def test_word_chars_hold_every_mark_of_the_words_script(script):
    """Only the marks of the words' own scripts go into the class (a class of every mark costs ~2 ms
    to compile per pattern): it holds each mark of the script's main block (marks named after it)."""
    letter = next(chr(c) for c in range(0x300, 0x3000) if unicodedata.name(chr(c), "").startswith((script.upper() + " LETTER", script.upper() + " CHARACTER")))
    marks = [
        chr(c)
        for c in range(ord(letter) & ~0xFF, (ord(letter) | 0xFF) + 1)
        if unicodedata.category(chr(c))[0] == "M" and unicodedata.name(chr(c), "").startswith(script.upper() + " ")
    ]
    assert marks
    pattern = re.compile(f"[{word_chars(letter)}]")
    assert [hex(ord(m)) for m in marks if not pattern.match(m)] == []
    assert not pattern.match(" ") and not pattern.match("।") and not pattern.match(",")


def test_latin_combining_accents_always_continue_a_word():
    pattern = re.compile(f"[{word_chars()}]")
    assert pattern.match("\u0301") and pattern.match("\u0308") and not pattern.match("\u0964")


def test_the_fold_table_gives_every_character_of_its_blocks_the_fold_worked_out_for_it():
    # normalize() reads a character's fold from the table (compiled with the lexicon) when its block
    # is covered; it must be exactly what _fold_char() works out, for every character of those blocks.
    from companion.engine import text

    covered = [chr(c) for block in sorted(text._FOLDED_BLOCKS) for c in range(block << 8, (block + 1) << 8)]
    assert len(covered) > 50_000 and {0x04, 0x09, 0x4E, 0xAC} <= text._FOLDED_BLOCKS  # Cyrillic, Devanagari, CJK, Hangul
    folds = text._folds(set(covered))
    assert [ch for ch in covered if folds[ch] != text._fold_char(ch)] == []
    # Outside the blocks the fold is worked out per text: the same function answers.
    outside = [chr(c) for c in range(0x80, 0x30000, 7) if c >> 8 not in text._FOLDED_BLOCKS and not 0xD800 <= c < 0xE000]
    assert outside and text._folds(set(outside)) == {ch: text._fold_char(ch) for ch in outside}


def test_the_fold_table_holds_what_changes_in_the_scripts_the_packs_use():
    # The property can fail: an upper-case Cyrillic letter, an accented Latin one, a full-width digit,
    # a CJK numeral and an invisible character change; a Hangul syllable stays itself.
    from companion.engine import text

    assert text._FOLD_CHANGES["П"] == "п" and text._FOLD_CHANGES["é"] == "e" and text._FOLD_CHANGES["７"] == "7"
    assert text._FOLD_CHANGES["二"] == "2" and text._FOLD_CHANGES["\u200b"] == "" and "카" not in text._FOLD_CHANGES
    assert text._folds({"카", "П"}) == {"카": "카", "П": "п"}


@pytest.mark.parametrize("letter", ["ł", "đ", "ø", "ß"])
def test_latin_letters_normalize_keeps_continue_a_latin_word(letter):
    """A Latin letter without an ASCII reading stays in the normalized text, so the regexes that bound
    ASCII lexicon words must read it as part of the word ("zap" is no word inside "zapłaty")."""
    assert normalize(letter).text == letter
    assert re.fullmatch(rf"[{LATIN_WORD}]", letter)
    assert re.search(rf"(?<![{LATIN_WORD}])zap(?![{LATIN_WORD}])", normalize("zapłaty").text) is None
    assert not re.fullmatch(rf"[{LATIN_LETTERS}]", "0") and not re.fullmatch(rf"[{LATIN_WORD}]", " ")
