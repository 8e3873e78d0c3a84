"""Speed and accuracy of companion.engine.analyze on the labelled corpus, beside peers.

Peers: presidio-analyzer's pattern recognizers (Email/Phone/Url, called directly: no AnalyzerEngine,
no spaCy), phonenumbers.PhoneNumberMatcher + an email regex, and (accuracy only) a naive keyword
filter like the platform's. Prints per-message median/p99 µs and the speed ratios, ms on 20,000-char
adversarial texts, the import time of companion.engine in a fresh interpreter, and flag-decision
precision/recall/F1 on the corpus for every tool, each beside its target. Run: scripts/bench
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
# Presidio's EmailRecognizer validates through tldextract, which would fetch the public suffix list
# over the network; an empty URL list makes it use its bundled snapshot (network stays off).
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

import phonenumbers  # noqa: E402
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer, UrlRecognizer  # noqa: E402

from companion.engine import MAX_TEXT_CHARS, analyze  # noqa: E402
from corpus import Case, format_scores, load_cases, score_by_family  # noqa: E402

TARGET_MEDIAN_US = 40
TARGET_P99_US = 1000
TARGET_PRESIDIO_RATIO = 10
TARGET_ADVERSARIAL_MS = 20
TARGET_IMPORT_MS = 300
TARGET_PRECISION = TARGET_RECALL = 0.97

EMAIL_REGEX = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAIVE_KEYWORDS = re.compile(
    r"@|e-?mail|gmail|phone|skype|whatsapp|telegram|paypal|number|call me|zoom|instagram|discord", re.IGNORECASE
)


class Presidio:
    name = "presidio patterns"

    def __init__(self) -> None:
        self.recognizers = (
            (EmailRecognizer(), ["EMAIL_ADDRESS"]),
            (PhoneRecognizer(), ["PHONE_NUMBER"]),
            (UrlRecognizer(), ["URL"]),
        )

    def __call__(self, text: str) -> bool:
        found = False
        for recognizer, entities in self.recognizers:
            found |= bool(recognizer.analyze(text, entities=entities, nlp_artifacts=None))
        return found


def phonenumbers_and_regex(text: str) -> bool:
    phones = any(True for _ in phonenumbers.PhoneNumberMatcher(text, "US"))
    return phones | bool(EMAIL_REGEX.search(text))


phonenumbers_and_regex.name = "phonenumbers+regex"


def ours(text: str) -> bool:
    return analyze(text).flagged


ours.name = "contact-guard"


def naive_filter(text: str) -> bool:
    return bool(NAIVE_KEYWORDS.search(text))


naive_filter.name = "naive keywords"


def time_per_message(detect: Callable[[str], object], texts: list[str], rounds: int) -> list[list[float]]:
    """µs per call: for each text, one sample per round (after one warm-up pass; GC off, as timeit)."""
    for text in texts:
        detect(text)
    clock = time.perf_counter_ns
    samples: list[list[float]] = [[] for _ in texts]
    gc.disable()
    try:
        for _ in range(rounds):
            for i, text in enumerate(texts):
                start = clock()
                detect(text)
                samples[i].append((clock() - start) / 1000)
    finally:
        gc.enable()
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def adversarial_texts() -> dict[str, str]:
    rnd = random.Random(20_000)
    tokens = ["1", " ", "@", "at", "dot", ".", "+", "(", ")", "-", "9", "oh", "nine", "gmail", "com", "\u200b", "٣", "①"]

    def fill(chunk: str) -> str:
        return (chunk * (MAX_TEXT_CHARS // len(chunk) + 1))[:MAX_TEXT_CHARS]

    return {
        "digits and spaces": fill("1 "),
        "one digit run": fill("9"),
        "dotted digits": fill("4."),
        "repeated 'at dot'": fill("at dot "),
        "repeated ' (at) ' and '[dot]'": fill(" (at) x [dot] "),
        "thousands of '@'": fill("@"),
        "'a@' pairs": fill("a@"),
        "spelled digits": fill("nine oh "),
        "mixed tokens": "".join(rnd.choice(tokens) for _ in range(MAX_TEXT_CHARS))[:MAX_TEXT_CHARS],
        "almost-emails": fill("john.smith@gmail "),
    }


def time_adversarial(detect: Callable[[str], object], text: str, repeats: int = 3) -> float:
    """Worst of `repeats` runs, in ms."""
    worst = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        detect(text)
        worst = max(worst, time.perf_counter() - start)
    return worst * 1000


def time_adversarial_capped(detect: Callable[[str], object], text: str, cap_s: float) -> str:
    """One run in a forked child, given up after `cap_s` (some peers take minutes on these texts)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=lambda: sender.send(time_adversarial(detect, text, repeats=1)), daemon=True)
    child.start()
    try:
        return f"{receiver.recv():.2f}" if receiver.poll(cap_s) else f">{cap_s * 1000:.0f}"
    finally:
        child.kill()
        child.join()


def import_time_ms(runs: int = 5) -> float:
    code = "import time; t = time.perf_counter(); import companion.engine; print((time.perf_counter() - t) * 1000)"
    times = [
        float(subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(times)


def verdict(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing passes over the corpus (default 5)")
    parser.add_argument("--families", action="store_true", help="also print per-family accuracy tables")
    parser.add_argument("--peer-cap", type=float, default=3.0, help="seconds before a peer's adversarial run is given up")
    args = parser.parse_args()

    cases: list[Case] = load_cases()
    texts = [c.text for c in cases]
    presidio = Presidio()
    timed = (ours, presidio, phonenumbers_and_regex)
    load = os.getloadavg()[0]
    print(f"corpus: {len(cases)} messages, {args.rounds} rounds; python {sys.version.split()[0]};"
          f" load average {load:.1f} on {os.cpu_count()} CPUs (timings are noisy when it exceeds them)\n")

    print("== per-message time (µs)")
    medians = {}
    for detect in timed:
        per_text = time_per_message(detect, texts, args.rounds)
        samples = [sample for text_samples in per_text for sample in text_samples]
        medians[detect.name] = statistics.median(samples)
        p99 = percentile(samples, 0.99)
        line = f"{detect.name:<20} median {medians[detect.name]:9.1f}   p99 {p99:9.1f}"
        if detect is ours:
            line += (f"   [target median ≤ {TARGET_MEDIAN_US}: {verdict(medians[detect.name] <= TARGET_MEDIAN_US)}"
                     f" p99 ≤ {TARGET_P99_US}: {verdict(p99 <= TARGET_P99_US)}]")
            slowest = sorted(zip((statistics.median(t) for t in per_text), cases), key=lambda pair: -pair[0])[:5]
        print(line)
    print("slowest corpus cases for ours (median µs): " + ", ".join(f"{c.id} {us:.0f}" for us, c in slowest))
    for peer in timed[1:]:
        ratio = medians[peer.name] / medians[ours.name]
        target = f"   [target ≥ {TARGET_PRESIDIO_RATIO}×: {verdict(ratio >= TARGET_PRESIDIO_RATIO)}]" if peer is presidio else ""
        print(f"ours vs {peer.name:<20} {ratio:7.1f}× faster (median){target}")

    print(f"\n== 20,000-character adversarial texts, ms (ours: worst of 3; peers: one run, capped at"
          f" {args.peer_cap:.0f} s)  [target ours ≤ {TARGET_ADVERSARIAL_MS}]")
    print(f"{'text':<32} {'ours':>8} {'':4} {'presidio':>10} {'phonenumbers':>13}")
    for label, text in adversarial_texts().items():
        ours_ms = time_adversarial(ours, text)
        peers = [time_adversarial_capped(p, text, args.peer_cap) for p in timed[1:]]
        print(f"{label:<32} {ours_ms:8.2f} {verdict(ours_ms <= TARGET_ADVERSARIAL_MS)} {peers[0]:>10} {peers[1]:>13}")

    ms = import_time_ms()
    print(f"\n== import companion.engine in a fresh interpreter: {ms:.0f} ms  [target ≤ {TARGET_IMPORT_MS}: {verdict(ms <= TARGET_IMPORT_MS)}]")

    print(f"\n== flag decision on the corpus (block/warn vs not; peers flag when they find anything)"
          f"  [target precision and recall ≥ {TARGET_PRECISION}]")
    print(f"{'tool':<20} {'prec':>6} {'recall':>6} {'F1':>6} {'FP':>4} {'FN':>4}")
    for detect in (*timed, naive_filter):
        scores = score_by_family(cases, lambda case, detect=detect: detect(case.text) if detect is not ours
                                 else analyze(case.text, surface=case.surface, allow=case.allow).flagged)
        total = scores["ALL"]
        print(f"{detect.name:<20} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f} {total.false_pos:4} {total.false_neg:4}")
        if args.families:
            print(format_scores(scores, f"  per family: {detect.name}"))


if __name__ == "__main__":
    main()
