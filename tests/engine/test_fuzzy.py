"""The fuzzy channel matcher (companion/engine/context/fuzzy.py): channel names nobody listed are
found through their disguises and misspellings; common words near a name stay clean, measured on
word lists the stop list was not made from."""

from __future__ import annotations

import pytest
from wordfreq import top_n_list

from companion.engine import Kind, analyze
from companion.engine.context import fuzzy
from companion.engine.text import normalize

DISGUISED = [
    ("misspelled", "add me on whatsaap", "whatsapp"),
    ("swapped_letters", "my telegarm is @nova_x", "telegram"),
    ("leetspeak", "te1egr4m me @john_d", "telegram"),
    ("letters_apart", "message me on s-k-y-p-e", "skype"),
    ("doubled_letter", "let's talk on whhatsapp", "whatsapp"),
    ("payment_name", "pay me on paypall", "paypal"),
]


@pytest.mark.parametrize(("text", "channel"), [c[1:] for c in DISGUISED], ids=[c[0] for c in DISGUISED])
def test_a_disguised_channel_name_is_read_as_the_channel(text, channel):
    report = analyze(text)
    assert report.flagged, report.findings
    assert any(f.channel == channel for f in report.findings), [(f.kind, f.channel) for f in report.findings]


BENIGN = ["the telegraph article", "install the app", "skate park logo", "pinterest board", "a papal visit", "discard the old draft", "revolt poster", "pioneer logo", "linked files"]


@pytest.mark.parametrize("text", BENIGN)
def test_common_words_near_a_channel_name_stay_clean(text):
    assert analyze(text).findings == ()


def test_false_positives_on_common_words_the_stop_list_was_not_made_from():
    """The stop list holds the near-name words among the 50,000 commonest of each language; the next
    50,000 English words measure what it did not see. Besides real channel mentions ("instagram's")
    almost none of them may read as a channel."""
    unseen = top_n_list("en", 100_000)[50_000:]
    read_as_channel = [
        w for w in (normalize(w).text for w in unseen) if fuzzy.TOKEN.fullmatch(w) and fuzzy.channel_of(w) is not None
    ]
    not_mentions = [w for w in read_as_channel if not any(name in fuzzy.skeleton(w) for name in fuzzy.NAMES)]
    assert len(not_mentions) / len(unseen) < 0.001, not_mentions


def test_the_stop_list_covers_the_commonest_english_words():
    common = (normalize(w).text for w in top_n_list("en", 50_000))
    assert [w for w in common if fuzzy.TOKEN.fullmatch(w) and fuzzy.skeleton(w) not in fuzzy.NAMES and fuzzy.channel_of(w)] == []


def test_the_distance_grows_with_the_name():
    assert fuzzy.max_distance(5) == 1 and fuzzy.max_distance(8) == 2
    assert fuzzy.channel_of("skpye") == "skype"  # two letters swapped: one edit
    assert fuzzy.channel_of("skxxe") is None  # two edits: too many for five letters
    assert fuzzy.channel_of("telegrxxm") == "telegram"  # two edits: enough for eight
