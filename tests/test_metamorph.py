"""scripts/metamorph.py: label-preserving rewrites of the corpus cases keep their label. The rewrites come
from the engine's data files; the check runs on a fixed quarter (by id hash) of the dev corpus and outside split (never
the untouched split) and fails when a transformation's failure rate rises above what the engine reached
(MEASURED below: lower it when a fix lowers a rate, never raise it to let a change land)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import metamorph  # noqa: E402
from corpus import Case  # noqa: E402

SHARE = 4  # a quarter of the dev corpus and outside split, picked by a hash of the id: ~16,600 rewrites

# Failed rewrites / rewrites made (both halves) each transformation reached on that quarter; a run fails
# when its rate rises above (failed + 1) / made, so one new corpus case that fails does not fail the suite.
MEASURED = {
    "channel": (13, 1138),
    "platform": (1, 132),
    "digits_script": (0, 808),
    "digits_swap": (0, 218),
    "digit_words": (2, 94),
    "email_provider": (0, 248),
    "email_tld": (2, 36),
    "email_at_dot": (2, 113),
    "letter_case": (18, 2817),
    "trailing": (11, 4708),
    "greeting": (5, 4226),
    "quoted": (3, 2113),
}


def case(text: str, verdict: str = "warn", kinds: tuple[str, ...] = ("offplatform_request",), spans=(), lang="en") -> Case:
    return Case(id="t-1", family="test", text=text, verdict=verdict, kinds=kinds, spans=tuple(spans), lang=lang)


@pytest.fixture(scope="module")
def subset_run() -> metamorph.Run:
    return metamorph.run(metamorph.seed_cases(SHARE))


def test_every_transformation_has_a_ceiling():
    assert set(MEASURED) == set(metamorph.TRANSFORMS)


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_failure_rate_stays_under_its_ceiling(subset_run, name):
    failed = sum(subset_run.rate(name, which)[0] for which in "ab")
    made = sum(subset_run.rate(name, which)[1] for which in "ab")
    assert made >= 10, f"{name}: the subset makes too few rewrites to measure ({made})"
    examples = [f"{f.detail}: {f.variant.text!r} -> {f.said}" for f in subset_run.failures if f.transform == name][:5]
    reached, of = MEASURED[name]
    assert failed / made <= (reached + 1) / of, f"{name}: {failed}/{made} rewrites lost their label (reached {reached}/{of}), e.g. {examples}"


def test_the_untouched_split_is_never_a_seed():
    assert not any(c.family.startswith("heldout") for c in metamorph.seed_cases())


def test_halves_come_from_the_id_only():
    assert metamorph.half("en-001") == metamorph.half("en-001")
    assert {metamorph.half(f"x-{i}") for i in range(20)} == {"a", "b"}


def test_rewrites_are_deterministic():
    seed = case("add me on skype, my gmail is john dot smith at gmail dot com, or call 0412 345 678")
    assert list(metamorph.variants_of(seed)) == list(metamorph.variants_of(seed))


def test_a_channel_is_swapped_for_one_of_its_kind_from_the_registry():
    variants = metamorph.swap_channel(case("add me on Skype please"), random.Random(0))
    texts = [v.text for v, _ in variants]
    assert texts and all("Skype" not in t and t.startswith("add me on ") for t in texts)
    assert not any("instagram" in t for t in texts)  # a messenger stays a messenger


def test_a_channel_inside_a_link_or_a_longer_word_is_not_swapped():
    assert metamorph.swap_channel(case("see skype.com/join for the app"), random.Random(0)) == []
    assert metamorph.swap_channel(case("헤드라인은 크게 해주세요", verdict="ok", kinds=(), lang="ko"), random.Random(0)) == []


def test_a_platform_refusal_is_rewritten_for_each_other_marketplace():
    variants = metamorph.swap_platform(case("I only work through Fiverr.", verdict="ok", kinds=()), random.Random(0))
    assert [v.text for v, _ in variants] == [
        "I only work through Upwork.", "I only work through Freelancer.", "I only work through PeoplePerHour."
    ]


def test_other_script_digits_and_spans_move_together():
    seed = case("call me on 0412 345 678", verdict="block", kinds=("phone",), spans=["0412 345 678"])
    for variant, _ in metamorph.digits_script(seed, random.Random(0)):
        assert variant.spans[0] in variant.text and not any(c in "0123456789" for c in variant.text)


def test_a_case_the_engine_misses_fails_the_check():
    """The check can fail: a rewrite whose label the engine loses is counted (here the rewrite removes
    the request altogether, so it must)."""
    seed = case("add me on skype")
    failing = {"drop": lambda c, rng: [(Case(**{**c.__dict__, "text": "thanks for the files"}), "dropped")]}
    original = dict(metamorph.TRANSFORMS)
    try:
        metamorph.TRANSFORMS.clear()
        metamorph.TRANSFORMS.update(failing)
        result = metamorph.run([seed])
    finally:
        metamorph.TRANSFORMS.clear()
        metamorph.TRANSFORMS.update(original)
    assert [f.transform for f in result.failures] == ["drop"]


def test_a_greeting_keeps_a_quoted_opening_line_at_the_start_of_its_line():
    quoted = case("> can u share ur whatsapp\nsorry, I keep everything here", verdict="info", kinds=("filter_risk",))
    (greeted, _), _ = metamorph.greeting(quoted, random.Random(1))
    assert "\n> can u share ur whatsapp" in greeted.text
