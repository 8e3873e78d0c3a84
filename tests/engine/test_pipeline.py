"""analyze()'s work grows linearly with the length of the text, on the 20,000-character adversarial
texts of scripts/adversarial.py (digit runs, e-mail shapes with look-alikes, near-channel words, CJK,
the packs' own phrases back to back) and a random mix of lexicon words.

No clock: timing assertions are banned on this shared machine. The measure is an operation count —
every Python and C function call analyze() makes (sys.setprofile) — on the whole text and on its
first half; each text is made so that a prefix has the make-up of the whole, so linear work gives a
ratio of about 2 (fixed costs and the detectors' caps make it less), a scan per finding over the
whole text about 4. It sees loops written in Python, not a regex backtracking inside the C engine
(scripts/bench prints CPU time and the linearity ratio for those)."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from companion.engine import MAX_TEXT_CHARS, analyze

_SPEC = importlib.util.spec_from_file_location(
    "adversarial", Path(__file__).resolve().parents[2] / "scripts" / "adversarial.py"
)
adversarial = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(adversarial)

MAX_RATIO = 2.25  # calls(whole) / calls(first half): linear is 2, n log n at these sizes ~2.1


def calls(run: Callable[[str], object], text: str) -> int:
    """How many Python and C function calls run(text) makes."""
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        count += 1

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        run(text)
    finally:
        sys.setprofile(previous)
    return count


def growth(run: Callable[[str], object], text: str) -> float:
    run(text)  # anything compiled on first use (lazy patterns, phone metadata) is not the text's work
    return calls(run, text) / max(1, calls(run, text[: len(text) // 2]))


def lexicon_mix() -> str:
    rnd = random.Random(20)
    words = adversarial.lexicon_words()
    text = " ".join(rnd.choice(words) if rnd.random() < 0.8 else str(rnd.randint(0, 10**9)) for _ in range(4000))
    return text[:MAX_TEXT_CHARS]


TEXTS = {**adversarial.adversarial_texts(), "lexicon mix": lexicon_mix()}


@pytest.mark.parametrize("label", sorted(TEXTS))
def test_analyze_calls_grow_linearly_with_the_text(label):
    text = TEXTS[label]
    assert len(text) == MAX_TEXT_CHARS
    assert growth(analyze, text) <= MAX_RATIO


def test_the_growth_measure_sees_a_quadratic_scan():
    # The measure can fail: work that looks at every earlier word before each word is caught.
    def quadratic(text: str) -> None:
        words = text.split()
        for i in range(len(words)):
            for word in words[:i]:
                word.isdigit()

    text = TEXTS["language-pack phrases"][:2000]
    assert growth(quadratic, text) > 3.5
    assert growth(lambda text: [word.isdigit() for word in text.split()], text) <= MAX_RATIO
