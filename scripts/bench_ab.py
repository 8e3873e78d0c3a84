"""A/B speed of two versions of the engine on a loaded machine: the 20,000-character adversarial
texts of scripts/adversarial.py (CPU ms, median of 5 runs each), `import companion.engine` + a
first analyze() (CPU ms) and the dev + outside corpus messages one by one (median and mean CPU µs
per message of each one's best of 3 passes: the common path scripts/bench compares with Presidio), each version in its own fresh interpreter, the two taking turns, so that
both see the same minutes of the machine's load; the ratio after/before is what to read (CPU times
themselves grow with the load of a shared machine).

    .venv/bin/python scripts/bench_ab.py BEFORE [AFTER] [--rounds N]

BEFORE and AFTER are git revisions (AFTER: the working tree when left out). Each revision's
`companion/` is exported to a temporary directory (git archive) and compiled to bytecode; its
compiled lexicon is written there by a first import before timing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, statistics, sys, time
c = time.process_time_ns()
import companion.engine
companion.engine.analyze("add me on whatsapp +44 20 7946 0958 or write to john at gmail dot com, paypal.me/john")
first = (time.process_time_ns() - c) / 1e6
sys.path.insert(0, sys.argv[1])
from adversarial import adversarial_texts
out = {"import + first analyze": first, "engine": companion.engine.__file__}
for label, text in adversarial_texts().items():
    companion.engine.analyze(text)
    runs = []
    for _ in range(5):
        c = time.process_time_ns()
        companion.engine.analyze(text)
        runs.append((time.process_time_ns() - c) / 1e6)
    out[label] = statistics.median(runs)
sys.path.insert(0, sys.argv[2])
from corpus import load_cases, load_outside
messages = [case.text for case in load_cases() + load_outside()]
for text in messages:
    companion.engine.analyze(text)
times = [float("inf")] * len(messages)
for _ in range(3):  # each message's best of 3 passes: a loaded machine's stalls land on few messages
    for i, text in enumerate(messages):
        c = time.process_time_ns()
        companion.engine.analyze(text)
        times[i] = min(times[i], (time.process_time_ns() - c) / 1e3)
out["corpus median (us)"] = statistics.median(times)
out["corpus mean (us)"] = statistics.fmean(times)
print(json.dumps(out))
"""


def export(rev: str | None, into: Path) -> Path:
    """A directory whose companion/ is `rev`'s (the working tree's when None)."""
    if rev is None:
        return REPO
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "companion"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run(root: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("CONTACT_GUARD_NO_LEXICON_CACHE", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO / "scripts"), str(REPO / "tests")], env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True, check=True
    )
    found = json.loads(out.stdout)
    assert found.pop("engine").startswith(str(root)), "the engine was not imported from the exported tree"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after", nargs="?")
    parser.add_argument("--rounds", type=int, default=3, help="fresh interpreters per version (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roots = {"before": export(args.before, Path(tmp) / "before"), "after": export(args.after, Path(tmp) / "after")}
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for root in roots.values():
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "companion")], env=env, check=True)
            run(root)  # writes its compiled lexicon
        results: dict[str, list[dict]] = {name: [] for name in roots}
        print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for _ in range(args.rounds):
            for name, root in roots.items():
                results[name].append(run(root))
        print(f"load average at end:   {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"\nCPU ms (corpus: µs), median of {args.rounds} interpreters per version taking turns (adversarial: each the median of 5 runs)")
    print(f"before = {args.before}, after = {args.after or 'working tree'}")
    print(f"{'':32} {'before':>8} {'after':>8} {'after/before':>12}")
    for label in results["before"][0]:
        before = statistics.median(r[label] for r in results["before"])
        after = statistics.median(r[label] for r in results["after"])
        print(f"{label:<32} {before:8.1f} {after:8.1f} {after / before:12.2f}")


if __name__ == "__main__":
    main()
