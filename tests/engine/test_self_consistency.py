"""Self-consistency over the whole corpus (dev and the untouched split): every suggestion the engine
offers and every mask placeholder analyzes to `ok` with no finding, and the text with its masks
applied has no finding left on a placeholder. The untouched split is checked by an aggregate
assertion only: a failure there reports counts, never a case."""

from __future__ import annotations

from collections import Counter

import pytest

from companion.engine import analyze
from companion.engine.document import PLATFORMS
from corpus import load_cases, load_heldout

SAFE_PHRASINGS = (
    "We can only discuss this via Fiverr chat.",
    "Let's keep everything here in the order chat.",
    "Let's keep everything here in the Fiverr chat.",
    "Please pay through the order so both of us stay protected.",
)
# No platform, each marketplace with its own words for the place to talk, and one without.
PLATFORM_NAMES = (None, *PLATFORMS, "Toptal")


def problems_of(cases) -> Counter:
    """(what, rule) -> how many times it went wrong; `what` says which promise broke."""
    phrases: dict[tuple, bool] = {}  # (phrase, platform) -> analyzes clean (each analyzed once)

    def clean(phrase: str, platform: str | None = None) -> bool:
        """A suggestion is checked where it is offered: on its platform."""
        if (phrase, platform) not in phrases:
            phrases[(phrase, platform)] = analyze(phrase, platform=platform).findings == ()
        return phrases[(phrase, platform)]

    problems: Counter = Counter()
    for case in cases:
        for platform in PLATFORM_NAMES:
            report = analyze(case.text, surface=case.surface, allow=case.allow, platform=platform)
            for f in report.findings:
                if f.suggestion and not clean(f.suggestion, platform):
                    problems[("suggestion", f.rule)] += 1
                if f.mask and not clean(f.mask):
                    problems[("mask", f.rule)] += 1
        masked, placeholders = apply_masks(case.text, analyze(case.text, surface=case.surface, allow=case.allow).findings)
        if placeholders:
            after = analyze(masked, surface=case.surface, allow=case.allow)
            for f in after.findings:
                if any(on_placeholder(f.start, f.end, start, end) for start, end in placeholders):
                    problems[("finding on a placeholder", f.rule)] += 1
    return problems


def on_placeholder(start: int, end: int, p_start: int, p_end: int) -> bool:
    """A finding inside a placeholder or with an end inside one (the placeholder's words are part of
    the match). One that merely spans across it ("send it to [account removed] on Cash App") was in the
    text before the masking."""
    overlaps = start < p_end and p_start < end
    return overlaps and not (start < p_start and p_end < end)


def apply_masks(text: str, findings) -> tuple[str, list[tuple[int, int]]]:
    """The text with each masked finding's span replaced by its mask (overlaps: the first wins), and
    where the placeholders are in the result."""
    chosen = []
    end = -1
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.mask and f.start >= end:
            chosen.append(f)
            end = f.end
    out, spans, pos = [], [], 0
    for f in chosen:
        out.append(text[pos : f.start])
        start = sum(map(len, out))
        out.append(f.mask)
        spans.append((start, start + len(f.mask)))
        pos = f.end
    out.append(text[pos:])
    return "".join(out), spans


@pytest.mark.parametrize("phrase", SAFE_PHRASINGS)
def test_the_safe_phrasings_get_no_finding(phrase):
    assert analyze(phrase).findings == ()


def test_suggestions_and_masks_are_clean_on_the_dev_corpus():
    assert problems_of(load_cases()) == Counter()


def test_suggestions_and_masks_are_clean_on_the_untouched_split():
    cases = load_heldout()
    if not cases:
        pytest.skip("the untouched split has not landed yet")
    problems = problems_of(cases)
    # Aggregate only: what broke and under which rule, never which case.
    assert sum(problems.values()) == 0, dict(problems)


def test_the_check_can_fail_a_masked_placeholder_that_still_holds_a_trigger():
    text = "write to john.smith@gmail.com"
    masked, spans = apply_masks(text, analyze(text).findings)
    assert spans and "@" not in masked
    assert problems_of([]) == Counter()
    assert analyze("[email removed]").findings != ()  # the old placeholder held a filter trigger
