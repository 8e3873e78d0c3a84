"""Suggestions name the place to talk in the platform's own words (data/platform_chats.tsv, applied
by the pipeline to what every detector writes with "the order chat"): Upwork, Freelancer and
PeoplePerHour get theirs, Fiverr and a text from no platform keep "the order chat", a name the
engine does not list gets "the order chat" too (it might be another site, whose chat is off-platform)."""

from __future__ import annotations

import pytest

from companion.engine import analyze
from companion.engine.document import DEFAULT_CHAT, PLATFORMS
from companion.engine.lexicon.registry import CHANNELS

# One text per detector that writes a suggestion naming the place to talk.
TEXTS = {
    "email": "write to ana.souza@gmail.com",
    "phone": "call me on +44 7911 123456",
    "handle": "add me on telegram @ana_souza",
    "request": "let us talk on whatsapp instead",
    "filter_risk": "I can't give you my phone number, it's against the ToS",
}


def suggestions(text: str, platform: str | None) -> list[str]:
    return [f.suggestion for f in analyze(text, platform=platform).findings if f.suggestion]


@pytest.mark.parametrize("kind", TEXTS)
@pytest.mark.parametrize("platform, place", [
    ("Upwork", "Upwork messages"), ("upwork", "Upwork messages"), ("Freelancer", "the Freelancer chat"),
    ("PeoplePerHour", "the PeoplePerHour WorkStream"),
])
def test_each_platform_gets_its_own_words(kind, platform, place):
    worded = suggestions(TEXTS[kind], platform)
    assert worded and all(place in s and DEFAULT_CHAT not in s for s in worded), worded
    # The same suggestion as without a platform, with the place put in.
    assert worded == [s.replace(DEFAULT_CHAT, place) for s in suggestions(TEXTS[kind], None)]


@pytest.mark.parametrize("kind", TEXTS)
@pytest.mark.parametrize("platform", ["Fiverr", "Toptal"])
def test_fiverr_and_an_unlisted_name_keep_the_order_chat(kind, platform):
    kept = suggestions(TEXTS[kind], platform)
    assert kept == suggestions(TEXTS[kind], None) and all(DEFAULT_CHAT in s for s in kept), kept


def test_every_listed_platform_names_a_place_and_a_known_channel():
    for platform, (channel, place) in PLATFORMS.items():
        assert place and place.isprintable(), platform
        assert channel is None or channel in CHANNELS, f"{platform}: {channel} is not in channels.json"
