"""Behaviour snapshot of companion.engine.analyze: proves a speed change changes no finding.

    .venv/bin/python scripts/engine_snapshot.py take  [--baseline PATH]   # before the change
    .venv/bin/python scripts/engine_snapshot.py check [--baseline PATH]   # after it: exit 1 on any difference

For every case of every split — dev (tests/corpus/*.jsonl, lang/), outside (tests/corpus/outside/)
and the untouched split (tests/corpus/heldout/) — and for generated texts (the 20,000-character
adversarial texts of scripts/adversarial.py, and seeded random mixes of the data packs' own words with
digits and signs, read straight from the data files so that they do not depend on how the engine
compiles them), the findings' (kind, severity, start, end, rule, channel, suggestion, mask) are
recorded with the case's surface and allow list, once without and once with a platform name.

The untouched split is recorded as a digest per case and compared only as a count of differing
cases: nothing of it (text, id, finding) is written to the baseline or printed. Dev, outside and
generated differences are printed with the case's id.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "scripts")]

from adversarial import adversarial_texts, lexicon_words  # noqa: E402
from corpus import load_cases, load_heldout, load_outside  # noqa: E402

from companion.engine import MAX_TEXT_CHARS, analyze  # noqa: E402

# Outside the checkout (build/ is cleaned by wheel builds); one per checkout.
DEFAULT_BASELINE = Path(tempfile.gettempdir()) / f"contact-guard-engine-snapshot-{hashlib.sha256(str(REPO).encode()).hexdigest()[:12]}.json"
PLATFORMS = (None, "Fiverr")
SIGNS = ["@", ".", ":", "?", "!", ",", "-", "/", "#", "+", "(", ")", "\n", "  ", "'", "_", "$", "*"]


def findings_of(text: str, surface: str, allow: tuple[str, ...]) -> list:
    out = []
    for platform in PLATFORMS:
        report = analyze(text, surface=surface, allow=allow, platform=platform)
        out.append(
            [report.verdict]
            + [[f.kind, f.severity, f.start, f.end, f.rule, f.channel, f.suggestion, f.mask] for f in report.findings]
        )
    return out


def generated_texts(count: int = 3000, seed: int = 10) -> dict[str, str]:
    """Seeded random mixes of lexicon words, digits, names, signs and disguises."""
    rnd = random.Random(seed)
    words = lexicon_words()
    names = ["john", "maria.design", "ana_souza", "john.smith1990", "Ana Souza", "x", "the logo", "gmail", "com"]
    out = {}
    for i in range(count):
        parts = []
        for _ in range(rnd.randint(1, 14)):
            pick = rnd.random()
            if pick < 0.5:
                word = rnd.choice(words)
                if rnd.random() < 0.15:  # a disguise: spaced letters, a sign inside, upper case
                    word = rnd.choice([" ".join(word), word.upper(), word.replace("a", "4").replace("e", "3"), word.title()])
                parts.append(word)
            elif pick < 0.65:
                parts.append("".join(rnd.choice("0123456789 -.") for _ in range(rnd.randint(1, 14))))
            elif pick < 0.8:
                parts.append(rnd.choice(names))
            else:
                parts.append(rnd.choice(SIGNS))
        out[f"gen-{i}"] = rnd.choice([" ", "", " ", "\n"]).join(parts)
    return out


def adversarial() -> dict[str, str]:
    texts = {f"adv-{label}": text for label, text in adversarial_texts().items()}
    # A 20,000-character text of random lexicon words and digits (every detector's worst case mixed).
    rnd = random.Random(20)
    words = lexicon_words()
    long = " ".join(rnd.choice(words) if rnd.random() < 0.8 else str(rnd.randint(0, 10**9)) for _ in range(4000))
    texts["adv-lexicon mix"] = long[:MAX_TEXT_CHARS]
    return texts


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def snapshot() -> dict:
    visible: dict[str, list] = {}
    for split, cases in (("dev", load_cases()), ("outside", load_outside())):
        for n, case in enumerate(cases):
            visible[f"{split}:{case.family}:{case.id}:{n}"] = findings_of(case.text, case.surface, case.allow)
    for key, text in {**generated_texts(), **adversarial()}.items():
        visible[key] = findings_of(text, "message", ())
    # The untouched split: one digest per case, in file order; never its text, id or findings.
    heldout = [digest(findings_of(case.text, case.surface, case.allow)) for case in load_heldout()]
    return {"visible": visible, "heldout": heldout, "heldout_total": digest(heldout)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("take", "check"))
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    args = parser.parse_args()
    import companion.engine

    print(f"engine: {Path(companion.engine.__file__).parent}")
    now = snapshot()
    counts = f"{len(now['visible'])} dev/outside/generated cases, {len(now['heldout'])} untouched cases, 2 platforms each"
    if args.action == "take":
        args.baseline.parent.mkdir(parents=True, exist_ok=True)
        args.baseline.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"snapshot taken: {counts} -> {args.baseline}")
        return 0
    before = json.loads(args.baseline.read_text(encoding="utf-8"))
    changed = sorted(k for k in before["visible"].keys() | now["visible"].keys() if before["visible"].get(k) != now["visible"].get(k))
    for key in changed[:40]:
        print(f"DIFFERS {key}\n  before {before['visible'].get(key)}\n  after  {now['visible'].get(key)}")
    held_before, held_now = before["heldout"], now["heldout"]
    held_changed = sum(a != b for a, b in zip(held_before, held_now)) + abs(len(held_before) - len(held_now))
    print(f"checked: {counts}")
    print(f"dev/outside/generated: {len(changed)} differ")
    print(f"untouched split: {'identical' if before['heldout_total'] == now['heldout_total'] else f'{held_changed} differ'}"
          f" (digest {now['heldout_total'][:12]}, {len(held_now)} cases)")
    return 1 if changed or before["heldout_total"] != now["heldout_total"] else 0


if __name__ == "__main__":
    sys.exit(main())
