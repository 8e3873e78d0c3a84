"""Phone numbers in any notation people use to pass one on.

A run is a sequence of digit groups and digit words ("+44 20 7946 0958", "(415) 555-0132",
"4.1.5.5.5.5.0.1.3.2", "nine eight double seven...", "O3OO 12345 67") with short separators
between them. normalize() has already made other-script digits ASCII (Arabic-Indic, Persian,
Devanagari, fullwidth, circled, keycap). Each run becomes a digit string, which is a phone number
when phonenumbers accepts it for a region people write it in, and the context does not say it is
something else (an order id, a price, a date, an ISBN, a quantity...). Numbers that phonenumbers
calls merely "possible" (e.g. the fictional 555-01xx) count when the text says it is a number to
call or text, or when the digits were disguised; bare numbers must be valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers
from phonenumbers.re_util import enable_pattern_cache

from companion.engine.document import Document
from companion.engine.lexicon import compiled, packs
from companion.engine.lexicon.files import LazyPattern, alternation, load_table
from companion.engine.lexicon.grammar import GRAMMAR
from companion.engine.lexicon.registry import REGISTRY
from companion.engine.text import LATIN_LETTERS, LATIN_WORD, normalize
from companion.engine.model import Finding, Kind, Severity
from companion.engine.lexicon.compiled import regex

MASK = "[number removed]"  # no filter trigger in a placeholder ("phone" is one)
SUGGESTION = (
    "Keep the conversation in the order chat; if a call is needed, ask support to approve one for this order."
)

_REASONS = {
    "phone.international": "This is a phone number; sharing it moves the conversation off the platform.",
    "phone.national": "This is a phone number; sharing it moves the conversation off the platform.",
    "phone.spaced_digits": (
        "This is a phone number with its digits spaced or dotted apart; the platform treats it like "
        "sharing the number."
    ),
    "phone.spelled_words": (
        "This is a phone number written out in words; the platform treats it like sharing the number."
    ),
    "phone.letter_digits": (
        "This is a phone number with letters standing in for digits; the platform treats it like "
        "sharing the number."
    ),
    "phone.split": (
        "These digits, given in pieces with words between them, make up a phone number; the platform "
        "treats it like sharing the number."
    ),
    "phone.other_script": (
        "This is a phone number written with digits from another script or symbol set; the platform "
        "treats it like sharing the number."
    ),
}

# Keep phonenumbers' compiled metadata patterns instead of relying on the re module's small shared
# cache, where every other regex in the process would keep evicting and recompiling them.
enable_pattern_cache()

MIN_DIGITS, MAX_DIGITS = 7, 15  # E.164 allows at most 15; shorter is not a reachable number
_MAX_RUN_CHARS = 160  # longer runs are lists or digit dumps: only their pieces can be numbers
# Runs checked with phonenumbers per message (~0.1 ms each): plenty for any real message, and a
# bound on text stuffed with thousands of number-like runs.
MAX_VALIDATIONS = 64


# --- lexicons ---------------------------------------------------------------------------------
_WORDS: dict[str, tuple[str, str]] = compiled.value(
    "phone_digit_words",
    lambda: {normalize(word).text: (kind, value) for word, kind, value in packs.digit_words() if kind != "syllable"},
)
# Digit readings written glued in groups (Japanese kana, Sino-Korean syllables): see _syllable_runs.
_SYLLABLES: dict[str, str] = compiled.value(
    "phone_digit_syllables",
    lambda: {normalize(word).text: value for word, kind, value in packs.digit_words() if kind == "syllable"},
)
_WORD_SET = frozenset(w for w, (kind, _) in _WORDS.items() if kind != "inner")  # what counts toward the gate
# Digit words without ASCII letters (Arabic, Devanagari, Cyrillic...): View.words() does not see them.
_OTHER_SCRIPT_WORDS = frozenset(w for w in _WORDS if not w.isascii())
_SCRIPT_WORD = regex(r"[^\s\d.,;:!?()\-/+]+")  # not \w: Devanagari vowel signs are no \w
_ZERO_LETTERS = frozenset(w for w, (kind, value) in _WORDS.items() if value == "0" and len(w) <= 2)  # o, oh
_NOT_PHONE = [(where, normalize(word).text) for where, word in load_table("phone_not_phone.tsv")]  # folded like the text


def _region_table() -> list[tuple[str, str, tuple[int, ...], bool, tuple[int, ...]]]:
    """(region, trunk prefix or "", national lengths, mobile numbers only, local-only lengths) of every
    region a bare number is tried in: a bare number is tried for a trunk region only when it starts
    with the prefix or has a length dialled only locally there (without the area code: "міський
    234-56-78"), and only when the region has numbers of its length."""
    rows = load_table("phone_regions.tsv")
    regions = [(r, "" if t == "-" else t, "mobile" in rest) for r, t, *rest in rows]
    # Regions the language packs add (where their speakers' numbers come from); the trunk prefix is
    # phonenumbers' own national prefix for the region.
    regions += [
        (r, phonenumbers.PhoneMetadata.metadata_for_region(r).national_prefix or "", False)
        for r in dict.fromkeys(packs.phone_words("regions"))
        if r not in {region for region, _, mobile in regions if not mobile}
        and phonenumbers.PhoneMetadata.metadata_for_region(r) is not None
    ]
    return [
        (region, trunk, tuple(sorted(_national_lengths(region))), mobile, tuple(sorted(_local_lengths(region))))
        for region, trunk, mobile in regions
    ]


def _local_lengths(region: str) -> frozenset[int]:
    """How many digits a number dialled without its area code may have in the region."""
    return frozenset(phonenumbers.PhoneMetadata.metadata_for_region(region).general_desc.possible_length_local_only or ())


def _national_lengths(region: str) -> frozenset[int]:
    """How many digits (after the trunk prefix) a national number of the region may have."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    lengths = set(meta.general_desc.possible_length or ()) | set(meta.general_desc.possible_length_local_only or ())
    return frozenset(lengths) if lengths else frozenset(range(MIN_DIGITS - 2, MAX_DIGITS + 1))


# Read from the compiled lexicon: phonenumbers then loads a region's metadata only when a number is
# first parsed for it, not ~70 regions' at import.
_REGION_LENGTHS = tuple(
    (region, trunk, frozenset(lengths), mobile, frozenset(local))
    for region, trunk, lengths, mobile, local in compiled.value("phone_regions", _region_table)
)
_MOBILE = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})

# Messengers people reach by a phone number: their names say the number beside them is one to call or
# text, in every form the registry and the packs know ("رقم الواتس", "viber", "zalo", "SMS", "واٹس ایپ").
_BY_NUMBER = ("whatsapp", "viber", "telegram", "zalo", "line", "phone", "imo", "signal")


def _messenger_cues() -> list[tuple[str, str]]:
    """(strength, folded name) of every name of a messenger reached by number: full names are strong
    cues, short forms ("wa", "tg") weak ones (right beside the number only); word-like names ("line",
    "signal") none."""
    cues = []
    for c in REGISTRY["channels"]:
        if c["name"] in _BY_NUMBER:
            cues += [("strong", a) for a in c["aliases"]] + [("weak", a) for a in c["abbreviations"]]
    cues += [("strong" if len(a) > 3 else "weak", a) for a, channel in packs.channel_aliases() if channel in _BY_NUMBER and "*" not in a]
    return [(strength, folded) for strength, alias in cues if (folded := normalize(alias).text).strip()]


_CUES = [
    *load_table("phone_cues.tsv"),
    *(("strong", normalize(w).text) for w in packs.phone_words("cues")),
    *(("weak", normalize(w).text) for w in packs.phone_words("weak_cues")),
    *_messenger_cues(),
]
# A Latin letter that normalize() keeps ("ł", "ø", "ß") goes on with the word: "zap" in "zapłaty"
# (Polish: payment) is no cue. LATIN_WORD after the cue only: a lookbehind with that class is tried at
# every position of a window.
_STRONG_CUE = LazyPattern(
    r"(?<![a-z0-9])(?:" + alternation([p for s, p in _CUES if s == "strong"]) + rf")(?![{LATIN_WORD}])"
)
_WEAK_WORD = r"(?<![a-z0-9])(?:" + alternation([p for s, p in _CUES if s == "weak"]) + rf")(?![{LATIN_WORD}])"
# What may stand between a weak cue and its number: "phone: ", "cell no. ", "number is ", "contact - "
# (the words: grammar phone_cue_glue)
_GLUE = r"(?>[ \t:=#.,()\-]|(?:" + alternation(GRAMMAR["phone_cue_glue"]) + r")(?![a-z0-9]))"
# ... and words naming the line or its place ("front desk LINE is 555-0147", "fixo DO ESCRITÓRIO: 3245-7180",
# "il fisso DELLO STUDIO è 4567 8910"; grammar phone_line_words, every pack), before the number only; a
# label naming the number otherwise reaches over them as well ("o CEP DA LOJA é 01310-100")
_LINE_WORD = r"(?:" + alternation(GRAMMAR.get("phone_line_words", ())) + r")(?![a-z0-9])"
_WEAK_BEFORE = regex(_WEAK_WORD + rf"(?:{_GLUE}|{_LINE_WORD})" + r"{0,24}$")
_WEAK_ANYWHERE = LazyPattern(_WEAK_WORD)
# A signature's label opening the number's line ("m: +44 7700 900 451", "T. 612 34 56 78", "携帯：...").
_LINE_LABEL = regex(
    r"(?<![^\n])[ \t]*(?:" + alternation([p for s, p in _CUES if s == "label"]) + r")(?![a-z0-9])[ \t]*[.:|]?[ \t]*[(+]?\Z"
)
_WEAK_AFTER = regex(_GLUE + r"{0,12}" + _WEAK_WORD)
# What may stand between such a label and its number: a copula or a topic particle of any pack ("order
# number ko po AY 0917123", "注文番号は 1234-5678-9012", "주문번호는 ..."), and "my" after the label's
# "number" ("order number KO") or before a copula ("no resi SAYA adalah ..."; "account ko 0918 765 4321"
# stays a wallet's phone number).
_LABEL_GAP_WORDS = sorted(
    {w for w in (*GRAMMAR["copulas"], "po") if " " not in w}
    | {folded for w in packs.email_words("marker") if (folded := normalize(w).text.strip()) and " " not in folded and folded.isalpha()}
)
_MY_AFTER_LABEL = sorted(GRAMMAR["my_words"])
_LABEL_BEFORE = regex(
    r"(?<![a-z0-9])(?P<label>" + alternation([w for where, w in _NOT_PHONE if where == "before"]) + r")"
    r"[ \t-]*(?:(?:" + alternation(GRAMMAR["number_labels"]) + r"|no\.?|nr\.?|nro\.?|n\.?[o°]\.?|#|id|code)(?:[ \t]+(?:" + alternation(_MY_AFTER_LABEL) + r")(?![a-z0-9]))?[ \t]*"
    r"|(?:" + alternation(_MY_AFTER_LABEL) + r")[ \t]+(?=(?:" + alternation(_LABEL_GAP_WORDS) + r")(?![a-z0-9])))?(?:(?:is|was|are|of|" + alternation(_LABEL_GAP_WORDS) + r"|:|=|-|#|\.|" + _LINE_WORD + r")[ \t]*){0,4}$"
)
_UNIT_AFTER = regex(
    r"[ \t]*(?:(?:" + alternation([w for where, w in _NOT_PHONE if where == "after"]) + r")(?![a-z0-9])"
    r"|[x×*][ \t]*\d|:\d\d)"
)

# The largest patterns (digit words of every pack, phone cues) are compiled when first used: most
# messages hold no digit words, and many no number to judge.
# --- runs --------------------------------------------------------------------------------------
# "(+44)", "+ 91", "(0)20": an optional plus and parentheses around digits; O/l/I may stand in for 0/1
_DIGITS_ITEM = r"\(?(?:\+[ \t]?)?\(?(?:[oli]*\d)+[oli]*(?![a-z0-9@])\)?"
_WORD_ITEM = r"(?:" + alternation(_WORDS) + rf")(?![{LATIN_WORD}])"
# In a run of digit words, digits and words may be glued to each other ("415 five five five 01two3"),
# never to other letters.
_MIXED_DIGITS_ITEM = r"\(?(?:\+[ \t]?)?\(?(?:[oli]*\d)+[oli]*(?:(?![a-z0-9@])|(?=(?:" + alternation(_WORDS) + r")))\)?"
_MIXED_WORD_ITEM = r"(?:" + alternation(_WORDS) + rf")(?![{LATIN_LETTERS}])"
# Blanks, one short punctuation run ("-", "...", " / ") and at most one line break.
# ، 、: Arabic, CJK commas; の: Japanese read a number's groups with it ("〇八〇の九八七六の五四三二"); ー: the
# Japanese long-vowel mark, which a Japanese keyboard types for "-" ("０８０ー１２３４ー５６７８")
_SEP = r"(?>[ \t]{0,3}(?:[-.,/،、のー*~•·]{1,3}[ \t]{0,3})?(?:\n[ \t]{0,3})?)"
# Separators people do not put inside one number unless they are hiding it: the run needs a cue.
_LOOSE_SEP = regex(r"\n|[*~•·]|[-.,/،、]{2}|[-.,/،、][ \t]+[-.,/،、]")  # one "/" is a notation: "030/12345678"
# An extension after the number: "x204", "ext. 12", "extension 3", "доб. 12", "dahili 45", "Durchwahl 3".
_EXTENSION = regex(
    r"[ \t]*[,;]?[ \t]*(?:x|dw|int|" + alternation(GRAMMAR["phone_extensions"]) + r")\.?[ \t]*:?[ \t]*\d{1,6}(?![0-9])"
)
# ... or a few words later ("555-0199 and then my extension is 4471", "8234 4417, and ask for ext 12"):
# an extension's word and digits after a number make it one to call, as a cue does (short local
# numbers included). Not "x" (a size: "4471 x 2208") nor an extension that is no line's ("covers
# extension work, 4 hours": no digits right after the word).
_EXTENSION_CUE = regex(
    r"(?:[ \t,;]+[^\W\d_]{1,6}){0,4}[ \t,;]*(?<![^\W\d_])(?:" + alternation(GRAMMAR["phone_extensions"]) + r")"
    r"(?![a-z])\.?[ \t]*(?:(?:is|es|e|est|ist|la|:)[ \t]*)?\d{1,6}(?![0-9])"
)


def _cue_lead(word: str) -> str | None:
    """The first run of ASCII letters of a cue word ("call" of "call me", "nummer" of "06 nummer"), or
    None when it has none. The cue regexes bound a cue by what is no ASCII letter, and a cue's own signs
    and blanks bound its runs, so a text holding the cue holds this run as one of its words."""
    m = re.search(r"[a-z]+", word)
    return m.group() if m else None


# A gate derived from the same words as the cue regexes (_CUES, the labels among them, the extension
# words): a text none of whose ASCII words leads one of them, and that has no character outside ASCII
# (for the cues of other scripts and the emoji), holds no phone cue, and the cue searches around each
# number (six regex searches per candidate) are skipped.
_CUE_LEADS = frozenset(
    lead for word in (*(p for _, p in _CUES), *GRAMMAR["phone_extensions"]) if (lead := _cue_lead(word)) is not None
)
_OTHER_SCRIPT_CUES = any(_cue_lead(word) is None for word in (*(p for _, p in _CUES), *GRAMMAR["phone_extensions"]))
_CUE_GATE = "phone:cue_possible"  # doc.memo key


def _cue_possible(doc: Document) -> bool:
    """Whether the text can hold a phone cue at all (see _CUE_LEADS); asked once per analysis."""
    possible = doc.memo.get(_CUE_GATE)
    if possible is None:
        possible = doc.memo[_CUE_GATE] = (_OTHER_SCRIPT_CUES and not doc.view.text.isascii()) or not _CUE_LEADS.isdisjoint(doc.view.words())
    return possible


# Digits glued to a word ("text me on555-0134now"): taken only with a phone cue near (see _glued_to_words).
_WORD_BEFORE = regex(r"[^\W\d_]+$")
# Words a number is glued to by haste, not by being a code: the glue words and the weak cues.
_GLUE_WORDS = frozenset(GRAMMAR["phone_cue_glue"]) | frozenset(p for s, p in _CUES if s == "weak")
# Messengers reached by a phone number ("whatsapp03451234567", "wa0812...", "zalo0987..."): their
# one-word names and short forms, from the registry and the packs' local names.
_NUMBER_MESSENGERS = frozenset(
    folded
    for c in REGISTRY["channels"]
    if {"chat", "call"} & set(c["categories"]) and c["name"] not in ("email", "call")
    for alias in (c["name"], *c["aliases"], *c["abbreviations"])
    if (folded := normalize(alias).text).isalpha() and folded.isascii()
) | frozenset(
    folded
    for alias, channel in packs.channel_aliases()
    if channel in _BY_NUMBER
    and (folded := normalize(alias).text).isalpha()
)
# Cues written without their blanks ("callme2125550188"): "callme", "mynumber", "textme".
_CUES_GLUED = frozenset(re.sub(r"[\s-]", "", p) for s, p in _CUES if s == "strong" and " " in p)
# Led by the "+" or digit (a class the regex engine skips to in C), a lookbehind then asks for the letter
# before it; same matches as r"(?<=[^\W\d_])\+?\d(?:\d|[-. ](?=\d)){6,17}" (test_prechecks).
_GLUED_TO_WORD = regex(r"[+\d](?<=[^\W\d_][+\d])(?:(?<=\d)|(?<=\+)\d)(?:\d|[-. ](?=\d)){6,17}")
_START = r"(?<![a-z0-9_#$€£¥₹₦₱৳/@=&%])(?<![0-9][.,])(?<![a-z0-9]-)"  # "Ph.0300..." starts a run
# Atomic items and separators: each character is consumed once, so matching stays linear.
# The leading lookahead lets the regex engine skip characters that cannot start a run quickly.
_DIGIT_RUN = regex(rf"(?=[+(0-9oli]){_START}(?>{_DIGITS_ITEM})(?:{_SEP}(?>{_DIGITS_ITEM}))*")
# The same runs in a text where no O/l/I touches a digit (no _LETTER_BY_DIGIT): none starts at a letter.
_PLAIN_DIGIT_RUN = regex(rf"(?=[+(0-9]){_START}(?>{_DIGITS_ITEM})(?:{_SEP}(?>{_DIGITS_ITEM}))*")
_A_DIGIT = regex(r"[0-9]")
# In a run of digit words, a word for "." or "-" read aloud may stand between groups, with blanks around
# it ("four one five DOT five five five dot zero one three two", "seis uno dos PUNTO tres..."): the packs'
# one-word words for "." (email dot words) and grammar phone_spoken_dashes.
_SPOKEN_SEPARATORS = sorted(
    {folded for w in packs.email_words("dot") if len(folded := normalize(w).text.strip()) >= 3 and " " not in folded}
    | {w for w in GRAMMAR.get("phone_spoken_dashes", ())}
)
_SPOKEN_SEPARATOR_SET = frozenset(_SPOKEN_SEPARATORS)
_SPOKEN_SEP = rf"(?<=[ \t])(?:{alternation(_SPOKEN_SEPARATORS)})(?![{LATIN_WORD}])[ \t]{{1,3}}"
_WORD_RUN_SEP = rf"(?>{_SEP}(?:{_SPOKEN_SEP})?)"
_SPOKEN_SEP_WORD = LazyPattern(_SPOKEN_SEP)
_ANY_RUN_START = rf"(?=[+(0-9{re.escape(''.join(sorted({w[0] for w in _WORDS})))}]){_START}(?<![{LATIN_LETTERS}])"
_ANY_RUN = LazyPattern(
    rf"{_ANY_RUN_START}(?>{_MIXED_DIGITS_ITEM}|{_MIXED_WORD_ITEM})(?:{_WORD_RUN_SEP}(?>{_MIXED_DIGITS_ITEM}|{_MIXED_WORD_ITEM}))*"
)
_WORD_BY_DIGIT = LazyPattern(
    rf"(?<![{LATIN_WORD}])(?:{_WORD_ITEM}){_SEP}[+(]?\d|\d\)?{_SEP}(?<![{LATIN_WORD}])(?:" + alternation(_WORDS) + rf")(?![{LATIN_WORD}])"
)
_A_LETTER = regex(r"[^\W\d_]")  # a run without one has no digit words and no O/l/I
_PLAIN_TOKEN = regex(r"\+|[0-9]+")
_TOKEN = LazyPattern(r"\+|[0-9oli]*[0-9][0-9oli]*|(?>" + alternation(_WORDS) + r")")
# Digit words and digits glued together ("nine8seven6five4three2one0"); atomic, so linear.
_GLUED = LazyPattern(rf"(?<![{LATIN_WORD}])(?:(?>" + alternation(_WORDS) + rf")|\d){{7,}}(?![{LATIN_WORD}])")
_LONG_TOKEN_CHARS = 10
_LONG_TOKEN = regex(r"[a-z0-9]{%d,}" % _LONG_TOKEN_CHARS)
_LONG_WORD_CHARS = 20  # letters: digit words glued without digits between them ("ninesevensix...")
# The view's UTF-8 bytes reduced to their shape (ASCII letters "a", digits "0"), so that counting
# digits and looking for a long run of letters are C-level byte operations, not regex scans.
_LETTERS = b"abcdefghijklmnopqrstuvwxyz"
_SHAPE = bytes.maketrans(_LETTERS + b"0123456789", b"a" * len(_LETTERS) + b"0" * 10)
_LONG_LETTERS = b"a" * _LONG_WORD_CHARS
_MIN_WORDS = 4  # without a digit, fewer digit words than this cannot spell a number (a "ten" reads 2)
_LETTER_BY_DIGIT = regex(r"[0-9][oli]|[oli][0-9]")  # "O3OO": letters read as digits
# Pieces also end at a sentence's full stop, at a dash with blanks on both sides and at a double dash,
# which no one types inside one number ("My address is CA 34215. 415-666-7777 is my number", "zip 34215 -
# 415-666-7777", "Call 650-253-4561 -- 455-234-3451").
_PIECE_BREAK = regex(r"[,،、\n/]|.\+|\.[ \t]|[ \t]-[ \t]|--")
_PIECE = regex(r"\+?(?:[^,،、\n/+. \t-]|\.(?![ \t])|[ \t](?!-[ \t])|-(?!-)(?<!--)){%d,}" % (MIN_DIGITS - 1))  # shorter pieces cannot hold a number

# --- shapes that are not phone numbers ---------------------------------------------------------
_DATE = regex(
    r"(?<!\d)(?:(?:19|20)\d\d([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|[12]\d|3[01])\2(?:19|20)\d\d)(?!\d)"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IP = regex(rf"{_OCTET}(?:\.{_OCTET}){{3}}")  # not "339.12.34.567", an Italian mobile written in dots
_GROUPED_AMOUNT = regex(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?|\d+\.\d{1,2}")
# "2.500.000": thousands with dots (Spanish, German, Brazilian amounts), unless a cue says phone
_DOTTED_THOUSANDS = regex(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?")
# National id numbers with their own punctuation: Brazil CPF/CNPJ, Pakistan CNIC, US SSN.
_ID_SHAPE = regex(r"\d{3}\.\d{3}\.\d{3}-\d{2}|\d{2}\.\d{3}\.\d{3}/?\d{4}-\d{2}|\d{5}-\d{7}-\d|\d{3}-\d{2}-\d{4}")
# "0.5 0.25 0.125"; not one digit after each dot ("0.9.1.7.1.2.3.4.5.6.7": a number spelled out in dots)
_DECIMALS = regex(r"(?<![\d.])0\.\d(?!\.\d(?:\.|$))|\d\.\d+[ \t,]+(?:-[ \t]+)?\d+\.\d")  # "12.1 - 23.71": decimal values
# An alphanumeric code right before the digits ("1Z 999 AA1 01 2345 6784"): they belong to it.
_CODE_BEFORE = regex(r"(?<![a-z0-9])(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]+[ \t\-]{1,2}$")
# ... but an Arabizi word is no code: digits for Arabic letters, one at a time among three letters or
# more ("3ala 010 9876 5432", "ib3at", "7aga"), unlike "sku4", "win10", "x86".
_ARABIZI_WORD = regex(r"(?=(?:[0-9]*[a-z]){3})[a-z]*[235679](?:[a-z]+[235679]?)*")


def _code_before(text: str, start: int) -> bool:
    m = _CODE_BEFORE.search(text, max(0, start - 24), start)
    return m is not None and _ARABIZI_WORD.fullmatch(m.group().rstrip(" \t-")) is None


_RANGE = regex(r"(\d{3,7})[ \t]*-[ \t]*(\d{3,7})")
_OTHER_SCRIPT_MARKS = frozenset("\u20e3")  # keycap: "4️⃣"


@dataclass(slots=True)
class _Run:
    start: int  # view offsets
    end: int
    digits: str
    plus: bool
    words: bool
    letters: bool
    single_items: int
    items: int
    separated: bool
    loose: bool  # line breaks, slashes or punctuation runs between the parts
    values: list[str]  # each item's digits


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    text = doc.view.text
    tokens = doc.view.words()
    shape = text.encode("utf-8", "surrogatepass").translate(_SHAPE)  # lone surrogates are text too
    digit_count = shape.count(b"0")  # normalize() made every digit ASCII
    needed = 2 if digit_count else _MIN_WORDS
    count = sum(map(_WORD_SET.__contains__, tokens)) if not _WORD_SET.isdisjoint(tokens) else 0
    if count < needed and _OTHER_SCRIPT_WORDS and not text.isascii():  # digit words in other scripts
        count += sum(map(_OTHER_SCRIPT_WORDS.__contains__, _SCRIPT_WORD.findall(text)))
    # One digit word can still complete a number when it stands right beside digits ("ten 415 415").
    words = count >= needed or (count == 1 and digit_count > 0 and _WORD_BY_DIGIT.search(text) is not None)
    if not gated:
        # every pass behind the pre-check, reading the text as it is: forcing `words` reads other runs
        # ("0000000BA0@": digit-word runs instead of the glued run the real pass judges)
        return _candidates(doc, digit_count, words)
    if not digit_count and not words and _LONG_LETTERS not in shape and (text.isascii() or _SYLLABLE_RUN.search(text) is None):
        return ()  # no digit, too few digit words, no digit words glued together ("ninesevensix...")
    return _candidates(doc, digit_count, words)


def _candidates(doc: Document, digit_count: int, words: bool) -> Iterator[Finding]:
    text = doc.view.text
    if words:
        spans = _runs(_ANY_RUN, text)
    elif _LETTER_BY_DIGIT.search(text):
        spans = _runs(_DIGIT_RUN, text)
    elif digit_count >= MIN_DIGITS:
        spans = _plain_digit_runs(text)
    else:  # a run of digits reads as many digits as it has, plus the O/l/I glued to them: too few
        spans = []
    starts = [a for a, _ in spans]
    for m in _glued_runs(text):
        i = bisect_right(starts, m.start())
        if not (i and spans[i - 1][1] > m.start()) and not (i < len(spans) and spans[i][0] < m.end()):
            spans.append(m.span())
    if digit_count >= MIN_DIGITS:
        spans += _glued_to_words(text, spans, cue_possible=_cue_possible(doc))
    budget = [MAX_VALIDATIONS]
    if not text.isascii():
        yield from _syllable_runs(doc, budget)
    if _TOLL_FREE_GATE.search(text):
        yield from _vanity(doc, budget)
    found: list[tuple[int, int]] = []
    for start, end in spans:
        if budget[0] <= 0:
            break  # _judge() accepts nothing once the validations are spent: the rest cannot be numbers
        for run, rule in _phones_in(doc, start, end, budget):
            ext = _EXTENSION.match(text, run.end)
            found.append((run.start, run.end))
            o_start, o_end = doc.view.to_original(run.start, ext.end() if ext else run.end)
            if rule == "phone.national" or rule == "phone.international":
                rule = _disguise_rule(doc.text[o_start:o_end]) or rule
            yield Finding(
                Kind.PHONE, Severity.BLOCK, o_start, o_end, rule, _REASONS[rule], "phone", SUGGESTION, MASK
            )
    if digit_count >= _SPLIT_MIN_DIGITS and budget[0] > 0:
        for start, end in _split_numbers(doc, found, budget):
            o_start, o_end = doc.view.to_original(start, end)
            yield Finding(
                Kind.PHONE, Severity.BLOCK, o_start, o_end, "phone.split", _REASONS["phone.split"], "phone", SUGGESTION, MASK
            )


# A number given in pieces with a few words between them ("first part is 0917, the rest is 123 4567",
# "0917 yung umpisa tapos 555 1234", "my number's 415 555 and then 0132"): two or three digit groups
# in one sentence, joined by at most a few words each, that together are a valid number, when the
# first group opens one (a trunk "0" or a "+") or a phone cue is near (where no trunk "0" is written:
# "mera number 98765 hai, baaki 43210", "mi número: 612 y luego 345 678"). Only groups no other reading
# took; each joined candidate is validated (from the same budget).
_SPLIT_MIN_DIGITS = 9
_SPLIT_MAX_PIECES = 3
_SPLIT_GAP_CHARS = 45
_SPLIT_GAP_WORDS = 6
# A sentence's end: no gap inside one number; an ellipsis is a pause ("0912 ... à quên, đuôi 557 381")
_GAP_SENTENCE_END = regex(r"[!?。！？\n]|(?<!\.)\.(?!\.)")
_SPLIT_NOT_GAP = regex(r"[0-9]|" + _GAP_SENTENCE_END.pattern)  # a digit or a sentence's end
_SPLIT_GAP_LETTER = regex(r"[^\W\d_]")
_SPLIT_OPENS = regex(r"[+0](?<![0-9.,][+0])[0-9]")  # a group opening with "+" or a trunk "0"


def _split_numbers(doc: Document, found: list[tuple[int, int]], budget: list[int]) -> Iterator[tuple[int, int]]:
    text = doc.view.text
    # no group opens a number with a trunk "0" or a "+" (most texts): only a group with a cue around it
    # (a whole-text cue search cost ~0.8 % of the engine's instructions; the windows are short)
    cue_needed = _SPLIT_OPENS.search(text) is None
    if cue_needed and not _cue_possible(doc):
        return  # every group would need a cue around it, and the text holds none
    # groups of three digits or more ("the 2 of them" is no piece of a number); a number read already
    # may be the last piece of a longer one ("handy: 0176 und dann 2345 6789": the longer one wins)
    pieces = [m for m in _PLAIN_DIGIT_RUN.finditer(text) if len(_NOT_DIGIT.sub("", m.group())) >= 2]
    read = _overlapping(pieces, found)
    used = -1  # the last piece a number was made of
    for i, first in enumerate(pieces[: len(pieces) - 1]):
        if i <= used or read[i]:
            continue
        group = [first]
        for nxt in pieces[i + 1 : i + _SPLIT_MAX_PIECES]:
            gap = text[group[-1].end() : nxt.start()]
            if (
                len(gap) > _SPLIT_GAP_CHARS
                or _SPLIT_NOT_GAP.search(gap) and not _letters_for_digits(gap)
                or not _SPLIT_GAP_LETTER.search(gap)
                or len(gap.split()) > _SPLIT_GAP_WORDS
                or _NOT_PHONE_WORD.search(gap)
            ):
                break  # too far, a sentence ends, or a word names a piece as something else ("tapos 1234567 yung SERIAL")
            group.append(nxt)
        if cue_needed and len(group) > 1 and not _cue_around(doc, group[0].start(), group[-1].end()):
            continue
        while len(group) > 1:  # the longest joining first
            if (number := _split_number(doc, group, budget)) is not None:
                used = i + len(group) - 1
                yield number
                break
            group.pop()
        if budget[0] <= 0:
            return


_FEW_PAIRS = 64


def _overlapping(pieces: list[re.Match[str]], found: list[tuple[int, int]]) -> list[bool]:
    """For each piece, whether a span of `found` overlaps it. By bisection over the spans sorted by
    start and the largest end so far: a text of thousands of digit groups stays linear."""
    if len(found) * len(pieces) <= _FEW_PAIRS:  # a message's few numbers: every pair, as cheap
        return [any(a < m.end() and m.start() < b for a, b in found) for m in pieces]
    spans = sorted(found)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))  # the largest end of the spans up to each
    out = []
    for m in pieces:
        i = bisect_left(starts, m.end())  # the spans starting before the piece ends
        out.append(bool(i) and reach[i - 1] > m.start())
    return out


def _split_number(doc: Document, group: list[re.Match[str]], budget: list[int]) -> tuple[int, int] | None:
    text = doc.view.text
    values = [v for m in group for v in _PLAIN_TOKEN.findall(m.group()) if v != "+"]
    digits = "".join(values)
    plus = group[0].group().lstrip("( ").startswith("+")
    if not _SPLIT_MIN_DIGITS <= len(digits) <= (MAX_DIGITS if plus else 13):
        return None
    run = _Run(group[0].start(), group[-1].end(), digits, plus, False, False, 0, len(values), True, True, values)
    if (
        all(_HOURS.fullmatch(m.group()) for m in group)  # "from 0930 to 1230 and 1430": times
        or any(_not_phone_shape(m.group()) for m in group)
        or _progression(values)
        or _placeholder(digits)
        or any(_UNIT_AFTER.match(text, m.end()) is not None for m in group)
        or _labelled_otherwise(text, run)
    ):
        return None
    cue = _cue_near(doc, run)
    if not (plus or digits.startswith("0") or cue) or not cue and any(len(v) < 3 for v in values[1 if plus else 0 :]):
        return None  # two digits alone are a piece only as a country code or where a cue says phone
    budget[0] -= 1
    # with a cue a number merely possible counts, as in _notation(); without one only a mobile number:
    # hours and counts in a row ("from 0800 to 1200 and 1400") may make some region's fixed or toll-free one
    if plus:
        valid, possible = _checked(doc, _international, digits)
    elif cue:
        valid, possible = _checked(doc, _national, digits)
        possible = possible and not _round(digits)
    else:
        valid, possible = _checked(doc, _national_mobile, digits), False
    return (run.start, run.end) if valid or cue and possible else None


_NOT_DIGIT = regex(r"[^0-9]")
# The labels that say a number is something else, in a gap between pieces; without the words that
# also name a piece of the number itself ("0917 is the first PART, the rest is 555 1234"; grammar
# number_piece_words): a "part 2231" label still stands on its own number.
_NOT_PHONE_WORD = LazyPattern(
    r"(?<![a-z0-9])(?:"
    + alternation([w for where, w in _NOT_PHONE if where == "before" and w not in GRAMMAR.get("number_piece_words", ())])
    + r")(?![a-z0-9])"
)


def _letters_for_digits(gap: str) -> bool:
    """Whether every digit in a gap between pieces is a letter of an Arabizi word ("0100 w BA3DHA 472",
    "0101 3ALA tool w el BA2Y 555 1212": digits for Arabic letters, read by _ARABIZI_WORD) and no
    sentence ends there: then the digits are no piece of the number."""
    return _GAP_SENTENCE_END.search(gap) is None and all(
        _ARABIZI_WORD.fullmatch(token) is not None for token in _SPLIT_GAP_TOKEN.findall(gap) if not token.isalpha()
    )


_SPLIT_GAP_TOKEN = regex(r"[a-z0-9]+")
_HOURS = regex(r"(?:[01][0-9]|2[0-3])[0-5][0-9]")


def _national_mobile(digits: str) -> bool:
    """Whether the digits are a valid mobile number of a region as people write it there."""
    for region, trunk, lengths, _, _ in _REGION_LENGTHS:
        if trunk and not digits.startswith(trunk) or len(digits) - len(trunk) not in lengths:
            continue
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in _MOBILE:
            return True
    return False


# Digits read aloud and written as syllables glued in groups: Sino-Korean "공일공 일이삼사 오육칠팔",
# Japanese kana "ゼロキューゼロ、イチニーサンヨン、ゴーロクナナハチ" (packs' `syllable` digits; a kana
# syllable may be lengthened, "ニー"). Groups of two syllables or more, not glued to a letter of the
# script before them (a Japanese particle may be: "電話は|ゼロ…"), nine to eleven digits in all; a particle may be glued after the last group
# ("…오육칠팔로", "…오육칠팔이에요": syllables of the last group beyond eleven digits are the particle's).
_SYLLABLE = "(?:" + alternation(_SYLLABLES) + ")ー?" if _SYLLABLES else "(?!)"
_KANA_HANGUL = r"\u3041-\u3096\u30a1-\u30fc\uac00-\ud7a3"
_SYLLABLE_GROUP = rf"(?:{_SYLLABLE}){{2,11}}"
# Led by a class of the syllables' first characters, so that the regex engine skips other text with
# one class test per character (a CJK text of 20,000 characters: ~0.1 ms).
_SYLLABLE_RUN = regex(
    rf"(?=[{re.escape(''.join(sorted({w[0] for w in _SYLLABLES})))}])(?:(?<![{_KANA_HANGUL}])|(?<=[はをがにでへとも]))"
    rf"{_SYLLABLE_GROUP}(?:[ \t]{{0,2}}[-.,、・の]?[ \t]{{0,2}}(?:{_SYLLABLE_GROUP}|[0-9]{{2,4}}(?![0-9]))){{0,5}}"
    if _SYLLABLES else "(?!)"
)
_SYLLABLE_ITEM = regex(_SYLLABLE)
# a group of ASCII digits may stand between syllable groups ("공일공 1234 오육칠팔")
_SYLLABLE_GROUPS = regex(rf"{_SYLLABLE_GROUP}|[0-9]{{2,4}}")
_AFTER_LETTER = regex(rf"[{_KANA_HANGUL}]")


def _kana(ch: str) -> str | None:
    """Hiragana, katakana (with the long-vowel mark) or neither (Hangul, digits)."""
    return "hiragana" if "\u3041" <= ch <= "\u3096" else "katakana" if "\u30a1" <= ch <= "\u30fc" else None


def _syllable_runs(doc: Document, budget: list[int]) -> Iterator[Finding]:
    text = doc.view.text
    for m in _SYLLABLE_RUN.finditer(text):
        # each group's syllables as (end offset, digit)
        groups = [
            [(g.start() + i + 1, c) for i, c in enumerate(g.group())]
            if g.group()[0].isdigit()
            else [(s.end(), _SYLLABLES.get(s.group()) or _SYLLABLES[s.group()[:-1]]) for s in _SYLLABLE_ITEM.finditer(text, g.start(), g.end())]
            for g in _SYLLABLE_GROUPS.finditer(text, m.start(), m.end())
        ]
        if _AFTER_LETTER.match(text, m.end()):  # a particle glued after: what is beyond a number is its
            while sum(map(len, groups)) > 11 and len(groups[-1]) > 2:
                groups[-1].pop()
        # a particle in the other kana glued after the run ("…ナナハチに電話", hiragana "に" is also 2):
        # a number's syllables are written in one kana
        while len(groups[-1]) > 2 and _kana(text[groups[-1][-2][0]]) != _kana(text[groups[-1][-3][0]]):
            groups[-1].pop()
        values = ["".join(digit for _, digit in g) for g in groups]
        digits = "".join(values)
        if not 9 <= len(digits) <= 11:
            continue
        end = groups[-1][-1][0]
        run = _Run(m.start(), end, digits, False, True, False, 0, len(values), len(values) > 1, False, values)
        if _judge(doc, run, budget) is not None:
            o_start, o_end = doc.view.to_original(m.start(), end)
            yield Finding(Kind.PHONE, Severity.BLOCK, o_start, o_end, "phone.spelled_words", _REASONS["phone.spelled_words"], "phone", SUGGESTION, MASK)


# Vanity numbers: a North American toll-free code, then letters read on the keypad ("1-800-FLOWERS",
# "1-888-DESIGNR"); the first seven keys are the number, letters after them are decoration. Written
# with the country code or in capitals, as these numbers are advertised.
_TOLL_FREE_GATE = regex(r"8(?:00|88|77|66|55|44|33)[-. )]")
_VANITY = regex(
    r"(?<![a-z0-9+])(?P<cc>\+?1[ \t]?[-.]?[ \t]?)?\(?(?P<code>8(?:00|88|77|66|55|44|33))\)?[ \t]?[-.]?[ \t]?"
    r"(?P<keys>(?=(?:[0-9-]*[a-z]){3})[a-z0-9](?:-?[a-z0-9]){6,11})(?![a-z0-9])"
)
_KEYPAD = str.maketrans("abcdefghijklmnopqrstuvwxyz", "22233344455566677778889999")


def _vanity(doc: Document, budget: list[int]) -> Iterator[Finding]:
    for m in _VANITY.finditer(doc.view.text):
        o_start, o_end = doc.view.to_original(m.start(), m.end())
        if m.group("cc") is None and not any(c.isupper() for c in doc.text[o_start:o_end]):
            continue  # "800-unit warehouse": no country code and no capitals
        if _LABEL_BEFORE.search(doc.view.text, max(0, m.start() - 40), m.start()):
            continue  # "SKU 800-ABCDEFG"
        number = "1" + m.group("code") + m.group("keys").replace("-", "").translate(_KEYPAD)[:7]
        if budget[0] <= 0:
            return
        budget[0] -= 1
        if _checked(doc, _international, number)[0]:
            yield Finding(Kind.PHONE, Severity.BLOCK, o_start, o_end, "phone.letter_digits", _REASONS["phone.letter_digits"], "phone", SUGGESTION, MASK)


def _glued_to_words(text: str, spans: list[tuple[int, int]], *, cue_possible: bool = True) -> list[tuple[int, int]]:
    """Digit runs glued to a word before them ("on555-0134now", "رقمي0501234567"), outside the runs
    found already, when a strong phone cue is near: without one, letters glued to digits are a code.
    `cue_possible`: False when the text holds no phone cue (_cue_possible), which spares the searches."""
    # Whether a position lies inside a span: the spans starting at or before it, the furthest end
    # among them (a bisection per match, where testing every span made the pass quadratic).
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))
    taken = set(starts)
    found = []
    for m in _GLUED_TO_WORD.finditer(text):
        i = bisect_right(starts, m.start())
        if m.start() in taken or (i and reach[i - 1] > m.start()):
            continue
        word = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
        if word is None:
            continue
        before = word.group()
        if before in _NUMBER_MESSENGERS or before in _CUES_GLUED or cue_possible and _cue_ends_at(text, m.start()):
            found.append(m.span())  # glued to a messenger or to a cue itself: "numaram0532...", "callme212..."
        elif before not in _GLUE_WORDS:
            continue  # "FO81234567" is a code; "on555-0134" is a number glued to "on"
        elif cue_possible and (_STRONG_CUE.search(text, max(0, m.start() - 60), m.start()) or _STRONG_CUE.search(text, m.end(), m.end() + 40)):
            found.append(m.span())
        if len(found) >= 8:
            break
    return found


def _cue_ends_at(text: str, end: int) -> bool:
    """Whether a strong phone cue ends right at `end` ("call karo|7654321098", "zadzwoń|501234567")."""
    return any(m.end() == end for m in _STRONG_CUE.finditer(text, max(0, end - 40), end))


def _runs(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
    """The spans of `pattern`'s runs long enough to hold a number."""
    found = pattern.finditer(text, pos) if endpos is None else pattern.finditer(text, pos, endpos)
    return [m.span() for m in found if m.end() - m.start() >= MIN_DIGITS]


def _plain_digit_runs(text: str) -> list[tuple[int, int]]:
    """_DIGIT_RUN's runs in a text where no O/l/I touches a digit: a run then starts at most four
    characters ("(+ (") before a digit and ends at most one (")") after one, so only the stretch
    from the first digit to the last is searched, and only from "+", "(" or a digit on."""
    first = _A_DIGIT.search(text).start()
    last = len(text) - 1 - _A_DIGIT.search(text[::-1]).start()
    # endpos keeps the character after the last digit visible to the item's lookahead
    return _runs(_PLAIN_DIGIT_RUN, text, max(0, first - 4), min(len(text), last + 2))


def _glued_runs(text: str) -> Iterator[re.Match[str]]:
    """Digit words glued to each other or to digits, inside one long token."""
    if max(map(len, text.split()), default=0) < _LONG_TOKEN_CHARS:
        return  # no token is long enough (one C-level split instead of a regex pass)
    for token in _LONG_TOKEN.finditer(text):
        word = token.group()
        if not word.isdigit() and (not word.isalpha() or len(word) >= _LONG_WORD_CHARS):
            m = _GLUED.fullmatch(text, token.start(), token.end())
            if m is not None:
                yield m


def _phones_in(doc: Document, start: int, end: int, budget: list[int]) -> Iterator[tuple[_Run, str]]:
    """The run at view[start:end] as one number; failing that, each of its pieces between commas,
    line breaks and "+" signs ("0300-1234567, 0311-7654321", "Order 12345\n+44 20 7946 0958")."""
    text = doc.view.text
    if end - start <= _MAX_RUN_CHARS:
        whole = _read(text, start, end)
        if whole is None:
            return
        if (rule := _judge(doc, whole, budget)) is not None:
            yield whole, rule
            return
    if not _PIECE_BREAK.search(text, start, end):
        return
    for piece in _PIECE.finditer(text, start, end):
        if budget[0] <= 0:
            return
        a, b = piece.span()
        b -= len(piece.group()) - len(piece.group().rstrip(" \t-."))
        if b - a > _MAX_RUN_CHARS:
            continue
        if (part := _read(text, a, b)) is not None and (rule := _judge(doc, part, budget)) is not None:
            yield part, rule


def _read(text: str, start: int, end: int) -> _Run | None:
    """Turn the tokens of a run into digits; None when it has too few to be a number."""
    if _A_LETTER.search(text, start, end) is None:
        return _read_plain(text, start, end)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    # a word for "." or "-" between groups is no digit ("PUNTO" holds "un"): its tokens are left out
    # (such a word stands between blanks in the run, so it is one of the run's blank-separated words)
    spoken = (
        [m.span() for m in _SPOKEN_SEP_WORD.finditer(text, start, end)]
        if len(tokens) > 1 and not _SPOKEN_SEPARATOR_SET.isdisjoint(text[start:end].split())
        else []
    )
    if spoken:
        tokens = [t for t in tokens if not any(a <= t[0] < b for a, b in spoken)]
    # A lone "o"/"oh" at either end of a run of plain digits is a word ("o número", "oh, and"), not 0.
    # A digit word is a token of _WORDS (Arabizi ones have digits in them: "tis3a", "wa7ed").
    if not any(tok in _WORDS and tok not in _ZERO_LETTERS for _, _, tok in tokens):
        while tokens and tokens[0][2] in _ZERO_LETTERS:
            tokens.pop(0)
        while tokens and tokens[-1][2] in _ZERO_LETTERS:
            tokens.pop()
    while tokens and tokens[-1][2] in _WORDS and _WORDS[tokens[-1][2]][0] in ("repeat", "inner"):
        tokens.pop()
    while tokens and tokens[0][2] in _WORDS and _WORDS[tokens[0][2]][0] == "inner":
        tokens.pop(0)  # "mera number hai 98765 43210": Hinglish "is", not Vietnamese 2
    # A "+" opens an international number: digit words before it are words ("call me on +1 415...").
    plus_at = next((i for i, t in enumerate(tokens) if t[2] == "+"), 0)
    if plus_at and all(t[2] in _WORDS for t in tokens[:plus_at]):
        del tokens[:plus_at]
    # One digit word at the edge of digits is a word ("due 15.03.2024", "delivered on 03/15"): a
    # number spelled in words has more than one.
    spelled = [i for i, t in enumerate(tokens) if t[2] in _WORDS]
    if len(spelled) == 1 and len(tokens) > 1 and spelled[0] in (0, len(tokens) - 1):
        del tokens[spelled[0]]
    if not tokens:
        return None
    digits: list[str] = []
    plus = words = letters = False
    single = items = 0
    repeat = 1
    i = 0
    while i < len(tokens):
        _, _, tok = tokens[i]
        i += 1
        if tok == "+":
            plus = plus or not digits
            continue
        items += 1
        if tok in _WORDS:
            words = True
            kind, value = _WORDS[tok]
            if kind == "repeat":
                repeat = int(value)
                continue
            if kind == "hundreds":  # "пятьсот шестьдесят семь" 567, "pięćset jeden" 501, "beş yüz" 500
                rest, i = _below_hundred(tokens, i)
                value += rest or "00"
            elif kind == "tens":
                rest, i = _unit_after(tokens, i)
                value += rest or "0"
        else:
            if not tok.isdigit():
                letters = True
                tok = tok.replace("o", "0").replace("l", "1").replace("i", "1")
            value = tok
            single += len(tok) == 1
        digits.append(value * repeat if len(value) == 1 else value)
        repeat = 1
    joined = "".join(digits)
    if len(joined) < MIN_DIGITS:
        return None
    run_start, run_end = tokens[0][0], tokens[-1][1]
    if text[run_start - 1 : run_start] == "(":
        run_start -= 1
    if text[run_end : run_end + 1] == ")":
        run_end += 1
    loose = _LOOSE_SEP.search(text, run_start, run_end) is not None
    return _Run(run_start, run_end, joined, plus, words, letters, single, items, items > 1, loose, digits)


def _unit_after(tokens: list[tuple[int, int, str]], i: int) -> tuple[str, int]:
    """The unit digit word at tokens[i] that completes a tens word ("forty two"), and the next index."""
    nxt = tokens[i][2] if i < len(tokens) else ""
    unit = _WORDS.get(nxt, ("", ""))
    if unit[0] == "digit" and unit[1] != "0" and nxt not in _ZERO_LETTERS:
        return unit[1], i + 1
    return "", i


def _below_hundred(tokens: list[tuple[int, int, str]], i: int) -> tuple[str, int]:
    """The two digits after a hundreds word, spelled at tokens[i] (a tens word and its unit, a teen, or
    a unit: "...сорок три" 43, "...dwanaście" 12, "...jeden" 01), and the next index."""
    nxt = tokens[i][2] if i < len(tokens) else ""
    kind, value = _WORDS.get(nxt, ("", ""))
    if kind == "tens":
        unit, j = _unit_after(tokens, i + 1)
        return value + (unit or "0"), j
    if kind == "teen" and len(value) == 2:
        return value, i + 1
    if kind == "digit" and value != "0" and nxt not in _ZERO_LETTERS:
        return "0" + value, i + 1
    return "", i


def _read_plain(text: str, start: int, end: int) -> _Run | None:
    """_read() for a run without letters (most runs): its tokens are "+" and digit groups only."""
    found = list(_PLAIN_TOKEN.finditer(text, start, end))
    tokens = [m.group() for m in found]
    digits = [tok for tok in tokens if tok != "+"]
    joined = "".join(digits)
    if len(joined) < MIN_DIGITS:
        return None
    plus = tokens[0] == "+"  # a "+" counts before the first digits only
    single = sum(len(tok) == 1 for tok in digits)
    run_start, run_end = found[0].start(), found[-1].end()
    if text[run_start - 1 : run_start] == "(":
        run_start -= 1
    if text[run_end : run_end + 1] == ")":
        run_end += 1
    loose = _LOOSE_SEP.search(text, run_start, run_end) is not None
    return _Run(run_start, run_end, joined, plus, False, False, single, len(digits), len(digits) > 1, loose, digits)


def _judge(doc: Document, run: _Run, budget: list[int]) -> str | None:
    """The rule under which this run is a phone number, or None. `budget` counts down the runs
    left to check with phonenumbers in this message."""
    text = doc.view.text
    if len(run.digits) > MAX_DIGITS or _progression(run.values):
        return None
    raw = text[run.start : run.end]
    shape = None if run.words else _not_phone_shape(raw)
    cue = None
    if shape == "ean" and (cue := _cue_near(doc, run)):
        shape = None  # one 13-digit number in ten has a valid EAN check digit: "my whatsapp 8801712345678"
    if shape or _labelled_otherwise(text, run):
        return None
    if cue is None:
        cue = _cue_near(doc, run)
    spaced = run.items >= 6 and run.single_items * 10 >= run.items * 7
    disguised = run.words or run.letters or spaced
    if not cue and (
        (run.loose and not run.words and not _mobile_over_lines(doc, run, raw))
        or _placeholder(run.digits)
        or _timestamp(run.digits, run)
        or _DOTTED_THOUSANDS.fullmatch(raw) is not None
        or _code_before(text, run.start)
    ):
        return None
    if budget[0] <= 0:
        return None
    budget[0] -= 1
    notation = _notation(doc, run, raw, cue, disguised)
    if notation is None:
        return None
    if run.words:
        return "phone.spelled_words"
    if run.letters:
        return "phone.letter_digits"
    if spaced:
        return "phone.spaced_digits"
    return notation


_KEY_AFTER = regex(r":[a-z0-9_-]{20,}")
_GROUPS_OVER_LINES = regex(r"\+?[0-9]{2,5}[ \t]*(?:\n[ \t]*[0-9]{2,5}[ \t]*)+")  # one group a line


def _mobile_over_lines(doc: Document, run: _Run, raw: str) -> bool:
    """A mobile number laid out one group per line, under a line that names a number ("e đọc SỐ cho a
    ghi nha\n0868\n224\n913") or after such a word on the first group's line ("WA ke 0813\n2233\n4455 ya
    kak"; words may follow the last group): a layout that hides a number from a filter, not a list of
    counts ("Quantities:\n0120\n340\n560"), when it opens as a number does (a trunk "0" or a "+")."""
    if not (run.digits.startswith("0") or run.plus):
        return False
    text = doc.view.text
    start = text.rfind("\n", 0, run.start) + 1
    if _GROUPS_OVER_LINES.fullmatch(text, run.start, run.end) is None or run.start == start and start == 0:
        return False
    # the cue on the line above, or before the first group on its own line ("WA ke 0813\n2233\n4455 ya")
    above = start if run.start > start else text.rfind("\n", 0, start - 1) + 1
    if _WEAK_ANYWHERE.search(text, above, run.start) is None and _STRONG_CUE.search(text, above, run.start) is None:
        return False
    if run.plus:
        return _checked(doc, _international, run.digits)[0]
    return _checked(doc, _national_mobile, run.digits)


def _labelled_otherwise(text: str, run: _Run) -> bool:
    """A unit after it ("5000000 views") or a label before it ("order #", "ISBN"); ids never start
    with "+", so a label does not count then ("country code +92 ...")."""
    if _EXTENSION.match(text, run.end) is not None and len(run.digits) >= 10:
        return False  # "+1 415 555 0132 x204": an extension, not a size
    if _KEY_AFTER.match(text, run.end) is not None:
        return True  # "5123456789:AAHdqTcv...": the id half of a bot token or API key, not a phone
    if _UNIT_AFTER.match(text, run.end) is not None:
        return True
    label = None if run.plus else _LABEL_BEFORE.search(text, max(0, run.start - 40), run.start)
    # a label word inside a phone cue is the cue's ("area CODE is 212"; not "mi número DE PEDIDO es"): no label then
    return label is not None and not any(
        cue.start() < label.start() and label.end("label") <= cue.end()
        for cue in _STRONG_CUE.finditer(text, max(0, label.start() - 24), label.end())
    )


def _notation(doc: Document, run: _Run, raw: str, cue: bool, disguised: bool) -> str | None:
    """"phone.international" or "phone.national" when phonenumbers accepts the digits as evidence
    allows: valid numbers as people write them, merely possible ones only with a cue or a disguise."""
    digits = run.digits
    if run.plus or (digits.startswith("00") and not digits.startswith("000")):
        valid, possible = _checked(doc, _international, digits if run.plus else digits[2:])
        # "+1 555 234 5678": a "+", a country code and the groups of a phone number say what the text
        # need not, even when the number is one no carrier gives out (a fictional 555)
        grouped = run.plus and run.separated and len(run.values) >= 3 and len(digits) >= 10
        return "phone.international" if valid or (possible and (cue or disguised or grouped)) else None
    if not (cue or disguised) and (len(digits) < 9 or (len(digits) == 9 and not run.separated) or _range(raw)):
        return None  # what the checks below would decide for any validity: spare the regions' parses
    valid, possible = _checked(doc, _national, digits)
    if valid and len(digits) < 9 and _round(digits):
        return None  # "reached 2500000": an amount, though some region has such a number
    if valid:
        if not (cue or disguised) and (
            len(digits) < 9 or (len(digits) == 9 and not run.separated) or _range(raw)
        ):
            return None  # short bare numbers are counts and ids more often than phones
        return "phone.national"
    if cue and len(digits) >= 11 and _checked(doc, _international, digits)[0]:
        return "phone.international"  # "whatsapp 923001234567": a country code without the +
    return "phone.national" if (cue or disguised) and possible and not _round(digits) else None


def _cue_near(doc: Document, run: _Run) -> bool:
    """Words saying the number is one to call or text, shortly before or after it."""
    return _cue_around(doc, run.start, run.end)


def _cue_around(doc: Document, start: int, end: int) -> bool:
    """Words saying the number at start:end is one to call or text, shortly before or after it."""
    if not _cue_possible(doc):
        return False
    text = doc.view.text
    return (
        _STRONG_CUE.search(text, max(0, start - 60), start) is not None
        or _STRONG_CUE.search(text, end, end + 40) is not None
        or _WEAK_BEFORE.search(text, max(0, start - 40), start) is not None
        or _WEAK_AFTER.match(text, end, end + 40) is not None
        or "\n" in text[max(0, start - 12) : start] and _LINE_LABEL.search(text, max(0, start - 12), start) is not None
        or _EXTENSION_CUE.match(text, end, end + 48) is not None
    )


def _not_phone_shape(raw: str) -> str | None:
    """Why the run is no phone number by its shape alone (a date, an id, an IP, an amount, an ISBN;
    "ean": only an EAN-13 check digit, which a cue overrides), or None."""
    if (
        _DATE.search(raw) is not None
        or _ID_SHAPE.fullmatch(raw) is not None
        or _IP.fullmatch(raw) is not None
        or _GROUPED_AMOUNT.fullmatch(raw) is not None
        or _DECIMALS.search(raw) is not None
        or _isbn13(raw, checksum=False)
    ):
        return "shape"
    return "ean" if _isbn13(raw) else None


def _isbn13(raw: str, *, checksum: bool = True) -> bool:
    """EAN-13 / ISBN-13 (978/979 prefix, or a valid check digit when `checksum`) written without a "+"."""
    if len(raw) < 13 or "+" in raw:
        return False  # fewer than 13 characters cannot hold 13 digits (most runs: no digit loop)
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) != 13:
        return False
    if digits.startswith(("978", "979")):
        return True
    if not checksum:
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12]) and not digits.startswith("0")


def _range(raw: str) -> bool:
    """"100000-250000": two groups of the same length, the second larger."""
    m = _RANGE.fullmatch(raw)
    return bool(m) and len(m.group(1)) == len(m.group(2)) and int(m.group(1)) < int(m.group(2))


def _placeholder(digits: str) -> bool:
    """"0000000000", "1234567890", "123456789": sample values, not someone's number."""
    return len(set(digits)) == 1 or digits in "0123456789012345" or digits in "1234567890123456"


def _progression(values: list[str]) -> bool:
    """A numbered list, not a number: counting up ("1 2 3 4 5 6 7 8 9 10"), steps of round numbers
    ("10, 20, 30, 40"), a countdown to one. Not any constant step: "98 76 54 32 10" is how people
    write the Indian mobile 98765 43210."""
    if len(values) < 4:
        return False
    steps = {int(b) - int(a) for a, b in zip(values, values[1:])}
    if len(steps) != 1:
        return False
    step = steps.pop()
    return (
        step == 1
        or (step > 0 and all(int(v) % 5 == 0 for v in values))
        or (step == -1 and values[-1] == "1")
    )


def _round(digits: str) -> bool:
    """"2500000": an amount; a number that is merely possible needs to look less like one."""
    return len(digits.rstrip("0")) * 2 <= len(digits)


def _timestamp(digits: str, run: _Run) -> bool:
    """Unix time in seconds or milliseconds (2001-2033), written as one block."""
    return not run.separated and len(digits) in (10, 13) and digits.startswith("1") and not run.plus


_LEGACY_PREFIXES = tuple(load_table("phone_legacy_prefixes.tsv"))


_CHECKED = "phone:checked"  # doc.memo key of _checked()'s answers
_T = TypeVar("_T")


def _checked(doc: Document, check: Callable[[str], _T], digits: str) -> _T:
    """check(digits), asked once per analysis: phonenumbers' parses (~0.2 ms a number) answer the
    same for the same digits, and a text that repeats a number or its pieces ("123 ... 123") asked
    again and again. Kept in doc.memo, which lives and dies with the analysis (no digits outlive it);
    each caller still spends its validation budget as before."""
    memo = doc.memo.get(_CHECKED)
    if memo is None:
        memo = doc.memo[_CHECKED] = {}
    key = (check, digits)
    if key in memo:
        return memo[key]
    found = memo[key] = check(digits)
    return found


def _international(digits: str) -> tuple[bool, bool]:
    """(valid, possible as a whole number): with a country code, a local-only length is not enough.
    A mobile prefix the plan dropped counts as written (phone_legacy_prefixes.tsv: "+52 1 55 ...")."""
    for written, meaning in _LEGACY_PREFIXES:
        if digits.startswith(written):
            valid, possible = _international_plain(meaning + digits[len(written) :])
            if valid:
                return valid, possible
    return _international_plain(digits)


def _international_plain(digits: str) -> tuple[bool, bool]:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False, False
    reason = phonenumbers.is_possible_number_with_reason(number)
    return phonenumbers.is_valid_number(number), reason == phonenumbers.ValidationResult.IS_POSSIBLE


def _national(digits: str) -> tuple[bool, bool]:
    """(valid in a region as people write it there, possible in some region).

    The answer does not depend on the order the regions are tried in (any valid region answers, else
    whether any found the digits possible), so the regions whose national numbers have the digits'
    shape (phonenumbers' own description of them, _shape_of) are parsed first, the others after: a
    valid number took ~3 parses and validations (one per region of its length before its own), now
    mostly one."""
    possible = False
    later = []
    for entry in _REGION_LENGTHS:
        region, trunk, lengths, _, local = entry
        if trunk and not digits.startswith(trunk):
            if len(digits) in local:
                later.append(entry)  # a local number: possible there, never valid
            continue
        if len(digits) - len(trunk) not in lengths:
            continue  # no number of that region has this many digits: no parse needed
        shape = _SHAPES.get(region) or _shape_of(region)
        if shape.fullmatch(digits, len(trunk)) is None:
            later.append(entry)
            continue
        valid, possible = _national_in(digits, entry, possible)
        if valid:
            return True, True
    for entry in later:
        valid, possible = _national_in(digits, entry, possible)
        if valid:
            return True, True
    return False, possible


def _national_in(digits: str, entry: tuple, possible: bool) -> tuple[bool, bool]:
    """_national()'s answer for one region of _REGION_LENGTHS whose trunk prefix and lengths allow the
    digits: (valid there, possible there or before)."""
    region, trunk, _, mobile, _ = entry
    if trunk and not digits.startswith(trunk):  # a local number: possible there, never valid
        if not possible:
            try:
                possible = phonenumbers.is_possible_number(phonenumbers.parse(digits, region))
            except phonenumbers.NumberParseException:
                pass
        return False, possible
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False, possible
    if mobile:  # tried without its trunk prefix: only a mobile number is written so there
        return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in _MOBILE, possible
    if phonenumbers.is_valid_number(number):
        return True, True
    return False, possible or phonenumbers.is_possible_number(number)


# Each region's national numbers as phonenumbers describes them (the metadata's general description),
# compiled when a number of the region's length is first tried: they only order the regions' parses.
_SHAPES: dict[str, re.Pattern[str]] = {}
_ANY_SHAPE = regex(r"[0-9]*")


def _shape_of(region: str) -> re.Pattern[str]:
    desc = phonenumbers.PhoneMetadata.metadata_for_region(region).general_desc
    pattern = desc.national_number_pattern if desc is not None else None
    shape = _SHAPES[region] = regex(pattern) if pattern else _ANY_SHAPE
    return shape


def _disguise_rule(original: str) -> str | None:
    """phone.other_script when the digits were typed in another script or as symbols."""
    if original.isascii():
        return None
    for ch in original:
        if ch in _OTHER_SCRIPT_MARKS or (not ch.isascii() and ch.isnumeric()):
            return "phone.other_script"
    return None
