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
    ("drawn_letters", "hit me up on teIegrarn, im @pixelmoth", "telegram"),  # "rn" for "m", capital I for "l"
    ("short_name_opens_it", "find me on instagrm, handle is marco.films", "instagram"),  # not "insta" inflected
]


@pytest.mark.parametrize(("text", "channel"), [c[1:] for c in DISGUISED], ids=[c[0] for c in DISGUISED])
def test_a_disguised_channel_name_is_read_as_the_channel(text, channel):
    report = analyze(text)
    assert report.flagged, report.findings
    assert any(f.channel == channel for f in report.findings), [(f.kind, f.channel) for f in report.findings]


BENIGN = ["the telegraph article", "installed the instance", "the skyped interview", "install the app", "skate park logo", "pinterest board", "a papal visit", "discard the old draft", "revolt poster", "pioneer logo", "linked files"]


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


def _channel_of_as_first_written(token: str) -> str | None:
    """channel_of() as first written (every name of the first letter tried, the doubled-letter reading
    always computed): the faster form must answer exactly the same."""
    import re

    from rapidfuzz.distance import OSA

    word = re.sub(r"[-._*']", "", token.translate(fuzzy._VISUAL))
    if len(word) < 5 or word in fuzzy.NOT_CHANNELS or token in fuzzy.NOT_CHANNELS:
        return None
    if word in fuzzy.NAMES and word != token:
        return fuzzy.NAMES[word]
    names = [n for n in fuzzy.NAMES if n[0] == word[0]]
    opening = max((len(n) for n in fuzzy.NAMES if word.startswith(n)), default=0)
    if opening:  # a name's inflection, unless a longer name is meant ("instagrm" opens with "insta")
        if len(word) - opening < 2:
            return None
        longer = [n for n in names if len(n) > opening and abs(len(n) - len(word)) <= fuzzy.max_distance(len(n))]
        return next((fuzzy.NAMES[n] for n in longer if OSA.distance(word, n) <= fuzzy.max_distance(len(n))), None)
    for candidate in (word, re.sub(r"(.)\1+", r"\1", word)):
        if candidate in fuzzy.NAMES:
            return fuzzy.NAMES[candidate]
        for name in names:
            allowed = fuzzy.max_distance(len(name))
            if abs(len(name) - len(candidate)) <= allowed and OSA.distance(candidate, name, score_cutoff=allowed) <= allowed:
                return fuzzy.NAMES[name]
    drawn = {form: fuzzy.NAMES[name] for name in fuzzy.NAMES for form in fuzzy._drawn(name)}  # "teiegrarn"
    return drawn.get(word)


def _near_names() -> list[str]:
    """Every name with one or two edits, doubled letters and disguises: the words near the line."""
    import random

    rnd = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz4@3!|05$7-._*'"
    out = []
    for name in fuzzy.NAMES:
        for _ in range(60):
            word = list(name)
            for _ in range(rnd.randint(1, 3)):
                i = rnd.randrange(len(word))
                how = rnd.randrange(4)
                if how == 0:
                    word[i] = rnd.choice(letters)
                elif how == 1:
                    word.insert(i, rnd.choice(letters + word[i] * 10))
                elif how == 2 and len(word) > 1:
                    del word[i]
                elif i + 1 < len(word):
                    word[i], word[i + 1] = word[i + 1], word[i]
            out.append("".join(word))
    return out


def test_channel_of_answers_as_first_written():
    words = [normalize(w).text for lang in ("en", "es", "pt", "de", "fr") for w in top_n_list(lang, 20_000)]
    words += _near_names()
    tokens = [w for w in words if fuzzy.TOKEN.fullmatch(w)]
    assert len(tokens) > 50_000
    differing = [w for w in tokens if fuzzy.channel_of(w) != _channel_of_as_first_written(w)]
    assert differing == []
    assert sum(_channel_of_as_first_written(w) is not None for w in tokens) > 1_000  # the near-name words are in
