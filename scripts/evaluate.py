"""Precision and recall of companion.engine.analyze on the labelled corpus, counted as
tests/corpus/LABELING.md says: per kind, per language, overall; on the dev corpus (tests/corpus/*.jsonl),
on the outside split (tests/corpus/outside/, tuning material written from outside the project) and on
the untouched split (tests/corpus/heldout/).

For the untouched split this prints aggregate figures ONLY: no text, id, note or span of a held-out
case is ever printed (`--misses` lists misses of the dev corpus and of the outside split, whose
misses also show their text; `--split outside` lists them too). Run: scripts/evaluate
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from companion.engine import Severity, analyze  # noqa: E402
from corpus import Case, load_cases, load_heldout, load_outside  # noqa: E402

LANGS = ("en", "ar", "ur", "hi", "bn", "tr", "ru", "uk", "pl", "it", "nl", "de", "fr", "es", "pt-BR", "id", "vi", "tl", "zh", "ja", "ko")
TARGET_ALL, TARGET_LANG = 0.97, 0.90
FLAG = frozenset({"block", "warn"})


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, positive: bool, flagged: bool, hit: bool) -> None:
        """`hit`: flagged with an expected kind at the expected severity or above."""
        if positive:
            if hit:
                self.tp += 1
            else:
                self.fn += 1
            if flagged and not hit:
                self.fp += 0  # a positive flagged for the wrong reason is a miss, not a false alarm
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Result:
    overall: Score = field(default_factory=Score)
    by_lang: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_kind: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    # kind -> [found, expected], where an expected kind is found when any kind of its "a|b" alternative
    # is: LABELING.md accepts either ("phone|payment": a wallet's number), while by_kind counts the other
    # one as missed.
    by_kind_either: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    exact: int = 0
    false_advice: int = 0  # any finding on a case labelled ok
    ok_flagged: int = 0  # warn/block on a case labelled ok or info
    crashes: int = 0
    crash_sites: list[str] = field(default_factory=list)  # exception type and engine line, never text
    misses: list[str] = field(default_factory=list)  # dev and outside only, never held-out
    # (expected verdict, engine verdict) -> count; (expected kinds, engine kinds) for misses -> count
    confusion: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    miss_kinds: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))


def judge(case: Case) -> tuple[bool, bool, set[str], str, bool]:
    """(flagged, hit, kinds found at warn or above, verdict, any finding) for one case."""
    report = analyze(case.text, surface=case.surface, allow=case.allow)
    flagged = report.verdict in FLAG
    expected = Severity[case.verdict.upper()]
    at_or_above = {f.kind.value for f in report.findings if f.severity >= expected}
    hit = flagged and all(at_or_above & set(alt.split("|")) for alt in case.kinds)
    kinds = {f.kind.value for f in report.findings if f.severity == report.severity >= Severity.WARN}
    return flagged, hit, kinds, report.verdict, bool(report.findings)


def evaluate(cases: list[Case], *, keep_misses: bool, with_text: bool = False) -> Result:
    result = Result()
    for case in cases:
        positive = case.verdict in FLAG
        try:
            flagged, hit, kinds, verdict, any_finding = judge(case)
        except Exception as exc:  # noqa: BLE001 - a crash counts as the wrong answer
            result.crashes += 1
            result.crash_sites.append(_site(exc))
            flagged, hit, kinds, verdict, any_finding = (not positive), False, set(), "crash", False
        result.overall.add(positive, flagged, hit)
        result.by_lang[case.lang].add(positive, flagged, hit)
        expected_kinds = {k for alt in case.kinds for k in alt.split("|")} if positive else set()
        for kind in expected_kinds | kinds:
            result.by_kind[kind].add(kind in expected_kinds, kind in kinds, kind in expected_kinds and kind in kinds)
        for alt in case.kinds if positive else ():
            members = alt.split("|")
            met = not kinds.isdisjoint(members)
            for kind in members:
                result.by_kind_either[kind][0] += met
                result.by_kind_either[kind][1] += 1
        result.exact += verdict == case.verdict
        result.confusion[(case.verdict, verdict)] += 1
        if positive and not hit:
            result.miss_kinds[(f"{case.lang} {case.verdict}:" + "+".join(case.kinds), f"{verdict}:" + "+".join(sorted(kinds)))] += 1
        result.false_advice += case.verdict == "ok" and any_finding
        result.ok_flagged += not positive and flagged
        if keep_misses and (positive != flagged or (positive and not hit)):
            result.misses.append(
                f"{case.id} [{case.lang}] expected {case.verdict} {list(case.kinds)}, got {verdict} {sorted(kinds)}"
                + (f": {case.text!r}" if with_text else "")
            )
    return result


def _site(exc: BaseException) -> str:
    """Where an exception was raised in the engine: its type and file:line, nothing of the text."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "companion" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at {where}"


def table(title: str, result: Result, *, miss_classes: bool = True) -> str:
    o = result.overall
    lines = [
        f"== {title}: {o.n} cases",
        f"overall  precision {o.precision:.3f}  recall {o.recall:.3f}  (TP {o.tp} FP {o.fp} FN {o.fn} TN {o.tn})"
        f"  [target ≥ {TARGET_ALL}: {'ok' if min(o.precision, o.recall) >= TARGET_ALL else 'MISS'}]",
        f"exact verdict {result.exact}/{o.n}   false advice (a finding on an 'ok' case) {result.false_advice}"
        f"   warn/block on a clean case {result.ok_flagged}   crashes {result.crashes}",
        f"{'kind':<22}{'n':>5}{'prec':>8}{'recall':>8}{'recall*':>9}   (*: 'a|b' met by either)",
    ]
    if result.crash_sites:
        lines.insert(3, "crash sites: " + ", ".join(sorted(set(result.crash_sites))))
    for kind, s in sorted(result.by_kind.items()):
        found, expected = result.by_kind_either.get(kind, (0, 0))
        either = f"{found / expected:>9.3f}" if expected else f"{'-':>9}"
        lines.append(f"{kind:<22}{s.n:>5}{s.precision:>8.3f}{s.recall:>8.3f}{either}")
    lines.append(f"{'lang':<8}{'n':>5}{'prec':>8}{'recall':>8}  target ≥ {TARGET_LANG}")
    for lang in sorted(result.by_lang, key=lambda l: (LANGS.index(l) if l in LANGS else 99, l)):
        s = result.by_lang[lang]
        mark = "ok" if min(s.precision, s.recall) >= TARGET_LANG else "MISS"
        lines.append(f"{lang:<8}{s.n:>5}{s.precision:>8.3f}{s.recall:>8.3f}  {mark}")
    lines.append("verdicts (expected -> engine): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(result.confusion.items()) if a != b))
    if miss_classes:  # never for the untouched split: language x kind x verdict is a tuning signal
        lines.append("missed positives (expected -> engine): " + ", ".join(f"{a} -> {b} {n}" for (a, b), n in sorted(result.miss_kinds.items(), key=lambda kv: -kv[1])))
    missing = [lang for lang in LANGS if lang not in result.by_lang]
    if missing:
        lines.append(f"languages without cases: {' '.join(missing)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the misses of the dev corpus and the outside split (never the held-out ones)")
    parser.add_argument(
        "--split", choices=("tuning", "dev", "outside", "heldout", "both", "all"), default="tuning",
        help="tuning (default): dev and outside; both: dev and held-out; all: the three. Look at the "
        "untouched split at milestones, not while tuning.")
    parser.add_argument(
        "--ids", type=Path, metavar="FILE",
        help="score only the dev and outside cases whose ids FILE lists (a JSON array, or one id a line): a "
        "blind batch, scored on any engine by archiving that engine's companion/ into the batch's checkout. "
        "Not with the untouched split, which is only ever read whole.")
    args = parser.parse_args()
    only = _ids(args.ids) if args.ids else None
    if only is not None and args.split in ("heldout", "both", "all"):
        parser.error("--ids selects dev and outside cases; the untouched split is only read whole")
    pick = (lambda cases: [c for c in cases if c.id in only]) if only is not None else (lambda cases: cases)
    if args.split in ("tuning", "dev", "both", "all"):
        dev = evaluate(pick(load_cases()), keep_misses=args.misses)
        print(table("dev corpus (tests/corpus/*.jsonl)", dev))
        if args.misses:
            print("\n".join(["-- dev misses:", *dev.misses]))
    if args.split in ("tuning", "outside", "all"):
        listed = args.misses or args.split == "outside"
        outside = evaluate(pick(load_outside()), keep_misses=True, with_text=True)
        print(table("outside split (tests/corpus/outside/, tuning material)", outside))
        if listed:
            print("\n".join(["-- outside misses (id, expected, engine, text):", *outside.misses]))
        else:
            print(f"-- {len(outside.misses)} outside cases missed: `--split outside` or `--misses` lists them with their text")
    if args.split in ("heldout", "both", "all"):
        held = load_heldout()
        if not held:
            print("== untouched split: no cases yet")
        else:
            print(table("untouched split (tests/corpus/heldout/, aggregates only)", evaluate(held, keep_misses=False), miss_classes=False))


def _ids(path: Path) -> frozenset[str]:
    """Case ids from a JSON array or from a file of one id a line."""
    import json

    text = path.read_text(encoding="utf-8")
    ids = json.loads(text) if text.lstrip().startswith("[") else text.split()
    if not ids or not all(isinstance(i, str) for i in ids):
        sys.exit(f"evaluate: {path} lists no case ids")
    return frozenset(ids)


if __name__ == "__main__":
    main()
