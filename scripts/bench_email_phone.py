"""Speed of the email and phone detectors (and normalize) on the labelled corpus, on adversarial
20,000-character texts (this script's and scripts/adversarial.py's) and on typical messages. Prints µs per
call: for each text the best of several rounds, so other load on the machine inflates the figures
as little as possible.

    .venv/bin/python scripts/bench_email_phone.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "scripts")]

from adversarial import adversarial_texts  # noqa: E402
from corpus import load_cases  # noqa: E402

from companion.engine import MAX_TEXT_CHARS, analyze  # noqa: E402
from companion.engine.detectors import email, phone  # noqa: E402
from companion.engine.document import Document  # noqa: E402
from companion.engine.text import normalize  # noqa: E402


def fill(chunk: str) -> str:
    return (chunk * (MAX_TEXT_CHARS // len(chunk) + 1))[:MAX_TEXT_CHARS]


ADVERSARIAL = {
    '"1 " repeated': fill("1 "),
    '"1" repeated': fill("1"),
    '"a at b dot " repeated': fill("a at b dot "),
    '"@" repeated': fill("@"),
    '"a@b.c " repeated': fill("a@b.c "),
    '"j o h n " repeated': fill("j o h n "),
    '"one two " repeated': fill("one two "),
    '"gmail is x1 " repeated': fill("gmail is x1 "),
    '"(at)" repeated': fill("(at)"),
    '"+1 (" repeated': fill("+1 ("),
    '"0o" repeated': fill("0o"),
    '"1\\n" repeated': fill("1\n"),
    '"9-" repeated': fill("9-"),
    '" " repeated': fill(" "),
    '"😀" repeated': fill("😀"),
    '"é1 " repeated': fill("é1 "),
    '"a\\u200b" repeated': fill("a\u200b"),
    '"⑩" repeated': fill("⑩"),
}

TYPICAL = [
    "Hi! I've attached the first draft of the logo, let me know what you think.",
    "Can you make the font a bit bigger and change the colour to #FF5733?",
    "I'll deliver in 3 days, 2 revisions included. Order #FO81234567.",
    "Sure, I can do 5000 words by Friday 15/03/2024 at 10:30.",
    "Thanks for the order! Please check the requirements and look at the references.",
    "my whatsapp is +91 98765 43210",
    "email me at john dot smith at gmail dot com",
    "The total is $1,250.00 for 3 revisions.",
]


def best_us(fn: Callable[[], object], batch: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        best = min(best, (time.perf_counter() - start) / batch)
    return best * 1e6


def detector(module, text: str) -> Callable[[], object]:
    doc = Document(text, normalize(text), "message")
    return lambda: list(module.detect(doc))


def corpus_medians(rounds: int = 7) -> None:
    """Median over the corpus of each text's best time; every call gets a fresh Document, so the
    shared per-view work (View.words()) is paid by each detector alone and once by the pair."""
    texts = [case.text for case in load_cases()]
    timed = {"email": (email.detect,), "phone": (phone.detect,), "email+phone": (email.detect, phone.detect)}
    print(f"corpus ({len(texts)} messages), µs per message, median and p99 of each text's best of {rounds}:")
    for name, detectors in timed.items():
        best = [float("inf")] * len(texts)
        for _ in range(rounds):
            for i, text in enumerate(texts):
                doc = Document(text, normalize(text), "message")
                start = time.perf_counter()
                for detect in detectors:
                    list(detect(doc))
                best[i] = min(best[i], time.perf_counter() - start)
        ordered = sorted(best)
        median, p99 = ordered[len(ordered) // 2], ordered[int(0.99 * len(ordered))]
        print(f"  {name:12s} median {median * 1e6:6.1f}   p99 {p99 * 1e6:7.1f}")


def main() -> None:
    corpus_medians()
    print("adversarial 20,000-char texts, µs per call (best of 5):")
    print(f"  {'text':28s} {'analyze':>9s} {'normalize':>9s} {'email':>9s} {'phone':>9s}")
    for name, text in {**ADVERSARIAL, **adversarial_texts()}.items():
        figures = [
            best_us(lambda: analyze(text), 1, 5),
            best_us(lambda: normalize(text), 1, 5),
            best_us(detector(email, text), 1, 5),
            best_us(detector(phone, text), 1, 5),
        ]
        print(f"  {name:28s} " + " ".join(f"{f:9.0f}" for f in figures))
    print("typical messages, µs per call (best of 15 rounds of 200):")
    print(f"  {'analyze':>8s} {'normalize':>9s} {'email':>7s} {'phone':>7s}  text")
    for text in TYPICAL:
        figures = [
            best_us(lambda: analyze(text), 200, 15),
            best_us(lambda: normalize(text), 200, 15),
            best_us(detector(email, text), 200, 15),
            best_us(detector(phone, text), 200, 15),
        ]
        print(f"  {figures[0]:8.1f} {figures[1]:9.1f} {figures[2]:7.1f} {figures[3]:7.1f}  {text[:56]}")


if __name__ == "__main__":
    main()
