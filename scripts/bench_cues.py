"""Speed of the cue side of the engine (the shared cue scan, the handle, link, request, payment and
filter_risk detectors and the policy) on the labelled corpus and on the 20,000-character
adversarial texts of scripts/adversarial.py. Prints µs per message: for each text the best of several
runs, each on a fresh Document (so every run pays for its own cue scan), then the median over the
corpus — other load on the machine inflates these figures as little as possible.

    .venv/bin/python scripts/bench_cues.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "scripts")]

from adversarial import adversarial_texts  # noqa: E402
from corpus import load_cases  # noqa: E402

from companion.engine import context, policy  # noqa: E402
from companion.engine.context.scan import cues_of  # noqa: E402
from companion.engine.detectors import DETECTORS  # noqa: E402
from companion.engine.document import Document  # noqa: E402
from companion.engine.text import normalize  # noqa: E402

CUE_SIDE = ("handle", "link", "request", "payment", "filter_risk")
TARGET_MEDIAN_US = 20


def by_name() -> dict[str, object]:
    return {detect.__module__.rsplit(".", 1)[1]: detect for detect in DETECTORS}


def best_ns(run, runs: int) -> int:
    best = 1 << 62
    for _ in range(runs):
        start = time.perf_counter_ns()
        run()
        best = min(best, time.perf_counter_ns() - start)
    return best


def cue_side_us(text: str, runs: int) -> dict[str, float]:
    """Best µs of each stage for one text (scan, each cue-side detector, the policy) and of all of
    them together (timed apart, without the per-stage clock reads)."""
    detectors = by_name()
    cue_side = [detectors[name] for name in CUE_SIDE]
    others = [detectors[name] for name in detectors if name not in CUE_SIDE]
    view = normalize(text)
    best = {name: 1 << 62 for name in ("scan", *CUE_SIDE, "policy", "together")}
    clock = time.perf_counter_ns
    for _ in range(runs):
        doc = Document(text, view, "message")
        candidates = [c for detect in others for c in detect(doc)]  # email and phone: not timed
        start = clock()
        candidates += [c for detect in cue_side for c in detect(doc)]
        policy.decide(doc, context.annotate(doc, candidates), frozenset())
        best["together"] = min(best["together"], clock() - start)

        doc = Document(text, view, "message")
        candidates = [c for detect in others for c in detect(doc)]
        start = clock()
        cues_of(doc)
        best["scan"] = min(best["scan"], clock() - start)
        for name, detect in zip(CUE_SIDE, cue_side):
            start = clock()
            candidates += list(detect(doc))
            best[name] = min(best[name], clock() - start)
        start = clock()
        policy.decide(doc, context.annotate(doc, candidates), frozenset())
        best["policy"] = min(best["policy"], clock() - start)
    return {name: ns / 1000 for name, ns in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per corpus text (default 30)")
    args = parser.parse_args()

    texts = [case.text for case in load_cases()]
    rows = [cue_side_us(text, args.runs) for text in texts]
    print(f"corpus: {len(texts)} messages, best of {args.runs} runs each, fresh Document per run; µs")
    for name in rows[0]:
        values = [row[name] for row in rows]
        print(f"  {name:12s} median {statistics.median(values):6.1f}   mean {statistics.mean(values):6.1f}"
              f"   p99 {sorted(values)[int(0.99 * len(values))]:7.1f}")
    together = statistics.median(row["together"] for row in rows)
    verdict = "ok" if together <= TARGET_MEDIAN_US else "MISS"
    print(f"  cue side together: median {together:.1f} µs  [target ≤ {TARGET_MEDIAN_US}: {verdict}]")

    print("adversarial 20,000-char texts, cue side together, ms (best of 3):")
    for label, text in adversarial_texts().items():
        print(f"  {label:34s} {cue_side_us(text, 3)['together'] / 1000:7.2f}")


if __name__ == "__main__":
    main()
