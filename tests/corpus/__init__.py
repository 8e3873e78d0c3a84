"""The labelled corpus (tests/corpus/*.jsonl, the dev corpus) and the flag-decision scoring shared by
tests/test_corpus.py, tests/conftest.py, scripts/bench.py and scripts/evaluate. Format:
tests/corpus/README.md and LABELING.md.

The untouched split (tests/corpus/heldout/) is read only by `load_heldout()`, for aggregate figures:
nothing in this project prints a held-out case's text, id or note. The outside split
(tests/corpus/outside/, `load_outside()`) is tuning material written from outside the project: scored
and listed by scripts/evaluate, checked for format by tests/test_corpus_outside.py, not asserted case by
case."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
VERDICTS = ("block", "warn", "info", "ok")
FLAG_VERDICTS = frozenset({"block", "warn"})
HELDOUT_DIR = CORPUS_DIR / "heldout"
CASE_KEYS = frozenset({"id", "text", "surface", "allow", "verdict", "kinds", "spans", "note", "lang", "source"})


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    text: str
    verdict: str
    kinds: tuple[str, ...]  # each entry may list alternatives: "link|payment"
    spans: tuple[str, ...]
    surface: str = "message"
    allow: tuple[str, ...] = ()
    note: str | None = None
    lang: str = "en"
    source: str | None = None

    @property
    def flagged(self) -> bool:
        return self.verdict in FLAG_VERDICTS


class CorpusError(ValueError):
    """A corpus line that does not follow tests/corpus/README.md."""


def _case_from_line(family: str, line_no: int, line: str) -> Case:
    where = f"{family}.jsonl:{line_no}"
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{where}: invalid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: not a JSON object")
    unknown = set(raw) - CASE_KEYS
    missing = {"id", "text", "verdict", "kinds"} - set(raw)
    if unknown or missing:
        raise CorpusError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    return Case(
        id=raw["id"],
        family=family,
        text=raw["text"],
        verdict=raw["verdict"],
        kinds=tuple(raw["kinds"]),
        spans=tuple(raw.get("spans", ())),
        surface=raw.get("surface", "message"),
        allow=tuple(raw.get("allow", ())),
        note=raw.get("note"),
        lang=raw.get("lang", "en"),
        source=raw.get("source"),
    )


LANG_DIR = CORPUS_DIR / "lang"


def load_cases(directory: Path = CORPUS_DIR) -> list[Case]:
    """Every case of every tests/corpus/<family>.jsonl and of every language's tests/corpus/lang/<code>.jsonl
    (family: the code), in file then line order (blank lines skipped)."""
    cases = []
    for path in [*sorted(directory.glob("*.jsonl")), *sorted((directory / "lang").glob("*.jsonl"))]:
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                cases.append(_case_from_line(path.stem, line_no, line))
    return cases


OUTSIDE_DIR = CORPUS_DIR / "outside"


def load_outside(directory: Path = OUTSIDE_DIR) -> list[Case]:
    """Every case of tests/corpus/outside/<lang>.jsonl (family: "outside/<lang>"), in file then line order."""
    cases = []
    for path in sorted(directory.glob("*.jsonl")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                cases.append(_case_from_line(f"outside/{path.stem}", line_no, line))
    return cases


def load_heldout(directory: Path = HELDOUT_DIR) -> list[Case]:
    """Every case of the untouched split (any *.jsonl or *.jsonl.gz below it), for aggregate figures
    only. Errors name the file and line, never the content."""
    cases = []
    if not directory.is_dir():
        return cases
    for path in sorted([*directory.rglob("*.jsonl"), *directory.rglob("*.jsonl.gz")]):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line_no, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        cases.append(_case_from_line("heldout", line_no, line))
                    except CorpusError:
                        raise CorpusError(f"{path.name}:{line_no}: not a valid case") from None
    return cases


@dataclass
class FlagScore:
    """Confusion counts for the flag decision (verdict block/warn or not)."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    true_neg: int = 0

    def add(self, expected: bool, predicted: bool) -> None:
        if expected and predicted:
            self.true_pos += 1
        elif predicted:
            self.false_pos += 1
        elif expected:
            self.false_neg += 1
        else:
            self.true_neg += 1

    @property
    def precision(self) -> float:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_pos + self.false_neg
        return self.true_pos / positives if positives else 1.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0


def score_by_family(cases: Iterable[Case], predict: Callable[[Case], bool]) -> dict[str, FlagScore]:
    """Per-family scores plus an "ALL" row; `predict` says whether a case gets flagged."""
    scores: dict[str, FlagScore] = {}
    total = FlagScore()
    for case in cases:
        predicted = predict(case)
        scores.setdefault(case.family, FlagScore()).add(case.flagged, predicted)
        total.add(case.flagged, predicted)
    return {**dict(sorted(scores.items())), "ALL": total}


def format_scores(scores: dict[str, FlagScore], title: str) -> str:
    lines = [title, f"{'family':<12} {'cases':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'prec':>6} {'recall':>6} {'F1':>6}"]
    for family, s in scores.items():
        cases = s.true_pos + s.false_pos + s.false_neg + s.true_neg
        lines.append(
            f"{family:<12} {cases:>5} {s.true_pos:>4} {s.false_pos:>4} {s.false_neg:>4} {s.true_neg:>4}"
            f" {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
        )
    return "\n".join(lines)
