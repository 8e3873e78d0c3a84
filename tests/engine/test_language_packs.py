"""Every language pack (companion/engine/data/lang/<code>.toml) loads, follows the format, and comes
with its own labelled cases (tests/corpus/lang/<code>.jsonl, run case by case by tests/test_corpus.py):
adding a language is a pack and a case file, no Python."""

from __future__ import annotations

import pytest

from companion.engine import analyze
from companion.engine.lexicon import packs
from companion.engine.lexicon.files import load_toml
from corpus import LANG_DIR, load_cases

CASES = load_cases()
CODES = sorted(packs.PACKS)
MIN_EACH_WAY = 5


def test_the_twenty_languages_of_the_issue_have_packs():
    wanted = {"ar", "ur", "hi", "bn", "tr", "ru", "uk", "pl", "it", "nl", "de", "fr", "es", "pt-BR", "id", "vi", "tl", "zh", "ja", "ko"}
    assert sorted(wanted - set(CODES)) == []


@pytest.mark.parametrize("code", CODES)
def test_each_pack_has_cases_both_ways_in_its_own_language(code):
    path = LANG_DIR / f"{code}.jsonl"
    assert path.is_file(), f"{code}: add tests/corpus/lang/{code}.jsonl"
    own = [c for c in CASES if c.family == code]
    assert all(c.lang == code for c in own), f"{code}: every case's lang is the file's"
    assert all(c.source for c in own), f"{code}: every case names its source"
    assert sum(c.flagged for c in own) >= MIN_EACH_WAY, f"{code}: too few flagged cases"
    assert sum(not c.flagged for c in own) >= MIN_EACH_WAY, f"{code}: too few clean cases"


@pytest.mark.parametrize("code", CODES)
def test_each_pack_teaches_the_engine_something_in_its_language(code):
    """A pack is not decoration: analyzing its flagged cases with the pack's own phrases present
    flags them (the corpus test checks each one exactly; this guards an empty or broken pack)."""
    pack = packs.PACKS[code]
    assert pack.phrases or pack.digits or pack.email or pack.channels, f"{code}: empty pack"
    flagged = [c for c in CASES if c.family == code and c.flagged]
    assert any(analyze(c.text, surface=c.surface, allow=c.allow).flagged for c in flagged)


def test_a_broken_pack_is_refused_with_the_file_and_key_named():
    with pytest.raises(packs.PackError, match=r"lang/xx\.toml: phrases\.reeach: unknown class"):
        packs._pack("lang/xx.toml", {"language": {"code": "xx"}, "phrases": {"reeach": ["x"]}}, frozenset(), frozenset())
    with pytest.raises(packs.PackError, match="unknown channel"):
        packs._pack("lang/xx.toml", {"language": {"code": "xx"}, "channels": {"x": "nope"}}, frozenset(), frozenset())
    with pytest.raises(packs.PackError, match="code must match"):
        packs._pack("lang/yy.toml", {"language": {"code": "xx"}}, frozenset(), frozenset())


def test_packs_are_plain_toml():
    assert load_toml("lang/en.toml")["language"]["code"] == "en"


# The networks and messengers ids are given on: a pack of a language written in another script names
# each of them in that script (from the pack or the registry), so "тикток: x", "틱톡 아이디 x" and
# "推特：@x" cue an id like "tiktok: x". Chinese writes these four in Latin letters.
CORE_NETWORKS = ("whatsapp", "telegram", "instagram", "facebook", "tiktok", "snapchat", "youtube", "twitter", "discord", "linkedin", "skype", "viber")
PACK_SCRIPTS = {"ar": "ARABIC", "ur": "ARABIC", "hi": "DEVANAGARI", "bn": "BENGALI", "ru": "CYRILLIC", "uk": "CYRILLIC", "zh": "CJK", "ja": "KATAKANA", "ko": "HANGUL"}
WRITTEN_IN_LATIN = {"zh": {"whatsapp", "discord", "skype", "viber"}}


@pytest.mark.parametrize("code", sorted(PACK_SCRIPTS))
def test_each_pack_in_another_script_names_the_core_networks_in_it(code):
    import unicodedata

    from companion.engine.lexicon.files import load_json

    def script(word: str) -> str | None:
        return next((unicodedata.name(ch).split()[0] for ch in word if ch.isalpha() and not ch.isascii()), None)

    registry = load_json("channels.json")["channels"]
    named = {c for alias, c in packs.PACKS[code].channels if script(alias) == PACK_SCRIPTS[code]}
    named |= {c["name"] for c in registry for a in (*c["aliases"], *c["weak_aliases"]) if script(a) == PACK_SCRIPTS[code]}
    missing = set(CORE_NETWORKS) - named - WRITTEN_IN_LATIN.get(code, set())
    assert not missing, f"{code}: name {sorted(missing)} in the pack's script ([channels])"
