"""Properties of companion.engine.analyze that hold for every input (hypothesis).

Runs derandomized (a fixed seed per test) with modest example counts, so CI is deterministic and
the suite stays fast; the texts lean on what the detectors look at (digits in many scripts, '@',
at/dot words, channel names, invisible characters) besides arbitrary Unicode.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.engine import MAX_TEXT_CHARS, SURFACES, Severity, analyze
from companion.errors import TextTooLongError

PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

TOKENS = (
    "@", " at ", " dot ", ".", " ", "  ", "\n", "-", "(", ")", "[", "]", "/", ":", "+", "#", "$", "_",
    "john", "smith", "gmail", "com", "yahoo", "outlook", "arroba", "punto", "ponto", "punkt", "at the rate",
    "1", "4", "5", "0", "9", "415", "555", "0132", "98765", "43210", "+91", "+44", "oh", "o", "O", "l", "I",
    "double", "triple", "nine", "five", "nueve", "cinco", "neun", "fünf", "neuf", "nau", "paanch",
    "٣", "۴", "३", "５", "①", "1️⃣", "\u200b", "\u200d", "\u2060", "\u202e", "\u2066", "\u0301", "ｇ", "＠", "а", "о",
    "whatsapp", "skype", "live:", "telegram", "insta", "discord", "wa.me/", "t.me/", "zoom.us/j/", "zoom",
    "call me", "add me on", "my number", "my email", "paypal", "pay me", "iban", "DE", "0x", "bc1", "upi",
    "@okaxis", "drive.google.com/file/d/", "fiverr", "not", "don't", "here", "😀", "👍🏽", "🏳️‍🌈", "𝕏", "é",
)
CONTACTS = (" john.smith@gmail.com", " +1 415 555 0132", " wa.me/14155550132")
ASTRAL_PREFIXES = ("😀", "👍🏽👍🏽", "🏳️‍🌈", "𝕏𝔸", "𓀀", "e\u0301", "🇧🇷 ")
ALLOW = ("zoom", "video_call", "whatsapp", "phone", "email", "skype", "calendly", "Zoom ")

contact_like_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
any_unicode = st.text(alphabet=st.characters(exclude_categories=()), max_size=400)  # incl. lone surrogates
texts = st.one_of(contact_like_text, any_unicode, st.tuples(contact_like_text, any_unicode).map("".join))
long_texts = st.builds(
    lambda chunk, n: (chunk * n)[:MAX_TEXT_CHARS],
    st.one_of(
        st.sampled_from(["1 ", "12", "9.", "at dot ", "@", "@a", "a@", " (at) ", "oh ", "nine ", "\u200b1", "+1 ", "x" * 50]),
        contact_like_text.filter(bool),
    ),
    st.integers(min_value=1, max_value=MAX_TEXT_CHARS),
)
surfaces = st.sampled_from(sorted(SURFACES))
allows = st.lists(st.sampled_from(ALLOW), max_size=3)


def assert_well_formed(text: str, report) -> None:
    by_kind: dict = {}
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text), (f.start, f.end, len(text))
        assert isinstance(f.severity, Severity) and f.severity > Severity.OK
        assert f.rule and f.reason
        by_kind.setdefault(f.kind, []).append((f.start, f.end))
    for kind, spans in by_kind.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert end <= start, f"overlapping {kind.value} findings: {spans}"
    assert report.verdict == (max(f.severity for f in report.findings).label if report.findings else "ok")


@PROPERTY
@given(text=texts, surface=surfaces, allow=allows)
def test_analyze_never_raises_and_findings_are_well_formed(text, surface, allow):
    assert_well_formed(text, analyze(text, surface=surface, allow=allow))


@settings(PROPERTY, max_examples=25)
@given(text=long_texts)
def test_long_adversarial_texts_up_to_the_limit_are_answered(text):
    assert_well_formed(text, analyze(text))


@pytest.mark.parametrize("length", [MAX_TEXT_CHARS + 1, MAX_TEXT_CHARS * 3])
def test_texts_over_the_limit_raise_text_too_long(length):
    with pytest.raises(TextTooLongError):
        analyze("9" * length)
    with pytest.raises(TextTooLongError):
        analyze("😀" * length)


def test_the_limit_counts_code_points_not_bytes():
    assert_well_formed("😀" * MAX_TEXT_CHARS, analyze("😀" * MAX_TEXT_CHARS))


@PROPERTY
@given(text=texts, surface=surfaces, allow=allows)
def test_analyze_is_deterministic(text, surface, allow):
    assert analyze(text, surface=surface, allow=allow) == analyze(text, surface=surface, allow=allow)


@PROPERTY
@given(text=texts, contact=st.sampled_from(CONTACTS))
def test_appending_a_contact_id_never_lowers_the_severity(text, contact):
    assert analyze(text + contact).severity >= analyze(text).severity


@pytest.mark.parametrize("contact", CONTACTS)
def test_a_contact_id_alone_is_blocked(contact):
    assert analyze(contact.strip()).verdict == "block"


@PROPERTY
@given(text=texts, prefix=st.lists(st.sampled_from(ASTRAL_PREFIXES), min_size=1, max_size=4).map("".join))
def test_offsets_shift_by_the_prefix_length_after_emoji_and_astral_characters(text, prefix):
    prefix += "\n"
    plain = analyze(text)
    shifted = analyze(prefix + text)
    expected = sorted((f.kind, f.severity, f.rule, f.start + len(prefix), f.end + len(prefix)) for f in plain.findings)
    got = sorted((f.kind, f.severity, f.rule, f.start, f.end) for f in shifted.findings if f.end > len(prefix))
    assert got == expected


@pytest.mark.parametrize("contact", CONTACTS)
@pytest.mark.parametrize("prefix", ASTRAL_PREFIXES)
def test_a_contact_after_astral_characters_is_found_at_its_own_offsets(prefix, contact):
    text = f"{prefix} ok{contact}"
    start = text.index(contact.strip())
    blocks = [f for f in analyze(text).findings if f.severity == Severity.BLOCK]
    assert any(f.start <= start and start + len(contact.strip()) <= f.end for f in blocks), blocks
