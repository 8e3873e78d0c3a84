"""The labelled corpus (tests/corpus/*.jsonl) run through companion.engine.analyze.

One test per case (test id = case id) checks the verdict, the kinds found at the verdict's severity
and that every listed span is covered by one such finding. test_flag_decision_scores prints the
per-family precision/recall table (also shown in pytest's terminal summary, see conftest.py).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from companion.engine import Kind, Severity, analyze
from companion.engine.model import SURFACES
from corpus import FLAG_VERDICTS, VERDICTS, Case, format_scores, load_cases, score_by_family
from corpus.checksummed_ids import btc_address_is_valid, eth_address_is_valid, iban_is_valid

CASES = load_cases()
FAMILIES = (
    "benign", "code", "emails", "exceptions", "handles", "links", "numbers", "payments", "phones", "requests",
)
KINDS = frozenset(k.value for k in Kind)
# What the platform's naive keyword filter holds; a case without findings must not contain these
# (benign text that does gets `info` + filter_risk by the corpus's convention, see README.md).
NAIVE_FILTER_TRIGGER = re.compile(r"@|(?<![a-z])(e-?mail|gmail|skype|whatsapp|telegram|phone|paypal)", re.IGNORECASE)
IBAN_LIKE = re.compile(r"^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{10,}$")
BTC_LIKE = re.compile(r"^([13][1-9A-HJ-NP-Za-km-z]{25,34}|(bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{20,})$")
ETH_LIKE = re.compile(r"^0x[0-9a-fA-F]{40}$")


# --- the corpus itself -------------------------------------------------------------------------


def test_corpus_is_large_enough_and_covers_every_family_both_ways():
    assert len(CASES) >= 600
    by_family = Counter((c.family, c.flagged) for c in CASES)
    for family in FAMILIES:
        assert by_family[(family, True)] >= 10, f"{family}: too few flagged cases"
        assert by_family[(family, False)] >= 10, f"{family}: too few clean cases"
    flagged = sum(c.flagged for c in CASES)
    assert 0.4 <= flagged / len(CASES) <= 0.6, "positives and negatives should be roughly balanced"


def test_corpus_cases_are_well_formed():
    problems = []
    for case in CASES:
        if not re.fullmatch(rf"{case.family}-\d{{3}}", case.id):
            problems.append(f"{case.id}: id must be <family>-<nnn> with the file's family")
        if not isinstance(case.text, str) or not case.text.strip():
            problems.append(f"{case.id}: empty text")
        if case.verdict not in VERDICTS:
            problems.append(f"{case.id}: unknown verdict {case.verdict!r}")
        if case.surface not in SURFACES:
            problems.append(f"{case.id}: unknown surface {case.surface!r}")
        if not all(isinstance(a, str) for a in case.allow):
            problems.append(f"{case.id}: allow must be a list of strings")
        for alternatives in case.kinds:
            if not set(alternatives.split("|")) <= KINDS:
                problems.append(f"{case.id}: unknown kind in {alternatives!r}")
        if (case.verdict == "ok") != (not case.kinds):
            problems.append(f"{case.id}: kinds must be empty exactly when the verdict is ok")
        for span in case.spans:
            if not span or span not in case.text:
                problems.append(f"{case.id}: span {span!r} is not in the text")
    assert not problems, "\n".join(problems)


def test_corpus_ids_and_inputs_are_unique():
    ids = Counter(c.id for c in CASES)
    inputs = Counter((c.text, c.surface, c.allow) for c in CASES)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [c.id for c in CASES if inputs[(c.text, c.surface, c.allow)] > 1] == []


def test_clean_cases_hold_no_naive_filter_trigger():
    """Convention: benign text the naive filter would hold is labelled info/filter_risk, not ok."""
    assert [c.id for c in CASES if c.verdict == "ok" and NAIVE_FILTER_TRIGGER.search(c.text)] == []


def test_payment_destinations_carry_valid_checksums():
    checked = 0
    for case in CASES:
        for span in case.spans if case.flagged else ():
            compact = span.replace(" ", "")
            if ETH_LIKE.match(compact):
                assert eth_address_is_valid(compact), case.id
            elif BTC_LIKE.match(compact):
                assert btc_address_is_valid(compact), case.id
            elif IBAN_LIKE.match(span) and compact[2:4].isdigit() and len(compact) >= 15:
                assert iban_is_valid(compact), case.id
            else:
                continue
            checked += 1
    assert checked >= 15


# --- the engine on every case ------------------------------------------------------------------


def _findings_at(report, severity: Severity):
    return [f for f in report.findings if f.severity == severity]


def _describe(report) -> str:
    return "; ".join(f"{f.kind.value}/{f.severity.label} [{f.start},{f.end}) {f.rule}" for f in report.findings) or "none"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case):
    report = analyze(case.text, surface=case.surface, allow=case.allow)
    found = _describe(report)
    assert report.verdict == case.verdict, f"{case.note or case.id}: findings: {found}"
    at_verdict = _findings_at(report, Severity[case.verdict.upper()])
    kinds_found = {f.kind.value for f in at_verdict}
    for alternatives in case.kinds:
        assert kinds_found & set(alternatives.split("|")), f"expected {alternatives} at {case.verdict}; findings: {found}"
    for span in case.spans:
        start = case.text.index(span)
        end = start + len(span)
        assert any(f.start <= start and end <= f.end for f in at_verdict), (
            f"span [{start},{end}) not covered by one {case.verdict} finding; findings: {found}"
        )


def _flagged_by_engine(case: Case) -> bool:
    try:
        return analyze(case.text, surface=case.surface, allow=case.allow).verdict in FLAG_VERDICTS
    except Exception:  # a crash is scored as the wrong answer; test_case reports the crash itself
        return not case.flagged


def test_flag_decision_scores(terminal_summary):
    """Precision/recall of the flag decision per family; the targets are 0.97 (the brief's)."""
    scores = score_by_family(CASES, _flagged_by_engine)
    table = format_scores(scores, "corpus flag decision (block/warn vs not), companion.engine.analyze")
    terminal_summary.append(table)
    print("\n" + table)
    total = scores["ALL"]
    assert total.precision >= 0.97 and total.recall >= 0.97, "flag decision below the 0.97 targets (see table)"


# --- the untouched split (tests/corpus/heldout/): aggregates only --------------------------------

ISSUE_OVERALL, ISSUE_PER_LANGUAGE = 0.97, 0.90
ISSUE_LANGUAGES = ("ar", "ur", "hi", "bn", "tr", "ru", "uk", "pl", "it", "nl", "de", "fr", "es", "pt-BR", "id", "vi", "tl", "zh", "ja", "ko")


@pytest.mark.xfail(strict=True, reason="not met yet: untouched-split figures in docs/detection.md (Evaluation)")
def test_the_untouched_split_meets_the_issue_targets():
    """Precision and recall of the flag decision on the untouched split, overall and per language
    (issue #10). Strict xfail while the targets are missed: the day they are met this test passes,
    the run fails, and the marker must go, so the bar is never lowered silently. Only rates are
    reported, never a case."""
    from corpus import load_heldout

    cases = load_heldout()
    assert cases, "the untouched split has not landed"
    overall = score_by_family(cases, _flagged_by_engine)["ALL"]
    assert overall.precision >= ISSUE_OVERALL and overall.recall >= ISSUE_OVERALL, (overall.precision, overall.recall)
    for lang in ISSUE_LANGUAGES:
        own = [c for c in cases if c.lang == lang]
        score = score_by_family(own, _flagged_by_engine)["ALL"]
        assert own and score.precision >= ISSUE_PER_LANGUAGE and score.recall >= ISSUE_PER_LANGUAGE, (lang, score.precision, score.recall)


# --- the outside split (tests/corpus/outside/): an aggregate floor ------------------------------

# The outside split's figures as LABELING.md counts them (a positive counts as found only when it is
# flagged with an expected kind at the expected severity or above). Tuning raises them; a change
# that lowers them is a regression. Raise the floors as the figures improve (scripts/evaluate prints
# them), never lower them to make a change pass. The one legitimate way down: new blind cases added
# to the split (round 6, batch 1 of fresh cases: 303 new, recall 0.985 -> 0.970; batch 2: 206 new,
# precision 0.995 -> 0.990, recall 0.970 -> 0.965; batch 3: 144 new, recall 0.965 -> 0.960, measured
# with the engine work merged from main at 19:30 UTC: precision 0.993, recall 0.960; batch 4: 139 new,
# recall 0.960 -> 0.945).
# Raised after this round's id fixes of batches 3-4 (spelled dots in every pack): measured 0.992 / 0.959.
# Raised after engine-intent's request fixes of batches 3-4 merged with the others' (main 261ecf7):
# measured 0.998 / 0.982.
# Round 7, batch 5 of fresh blind cases (194 new, weakest languages of the untouched split): measured
# 0.995 / 0.970 on main fecc45b -> precision 0.996 -> 0.995, recall 0.978 -> 0.970.
# Raised after engine-pay's payment fixes of batch 5 (asked-for details, direct bank transfer, reports):
# measured 0.997 / 0.979.
# Round 7, batch 6 of fresh blind cases (225 new, longer and code-switched messages): measured
# 0.995 / 0.967 on main 1413ab7 -> precision 0.996 -> 0.995, recall 0.975 -> 0.965.
# Raised after engine-pay's payment fixes of batch 6 (help-center rule talk, balances settled between us):
# measured 0.998 / 0.975.
# Round 8, batch 7 of fresh blind cases (200 new): measured 0.996 / 0.979 on main e285c26, floors unchanged.
# Round 9, batches 9 and 10 of fresh blind cases (416 new): measured 0.998 / 0.988 with batch 10 untuned
# (on main 2ecbf79 + batch 10), floors unchanged.
# Round 11, batch 13 of fresh blind cases (207 new, weighted to phones, handles, Arabic and Vietnamese):
# measured 0.995 / 0.974 on main 1ee565e + batch 13 -> precision 0.996 -> 0.995.
# Round 11, batch 14 (212 new: very short asks, signatures, voice-to-text), landed untuned after scoring
# it on the round's start and end engines: measured 0.993 / 0.971 on main 148dc10 + batch 14.
# Round 12, blind batch 15 (204 new, weighted to split phones, spelled handles and requests naming no
# channel; scored untuned on the round's start engine 4ab9410: P .991 R .827): measured 0.993 / 0.965 on
# 4ab9410 + batch 15 (0.9646) -> recall floor 0.970 -> 0.960.
# Blind batches 16 (227) and 17 (216), kept aside until the round's end (start engine 4ab9410: P .962 R .901
# and P .965 R .807; end engine 47b2dcb: .969 / .901 and .965 / .822): measured 0.993 / 0.961 on 47b2dcb +
# batches 16 and 17, floors unchanged.
# Round 13, blind batch 18 (217 new, a broad mix; scored untuned on the round's start engine 5d8cfe7: P .976
# R .909): measured 0.9925 / 0.959 on 5d8cfe7 + batch 18 -> floors 0.993 / 0.960 -> 0.992 / 0.955.
# Blind batches 19 and 20 (220 + 220, kept aside until the round's end; start engine 5d8cfe7: P .991 R .797
# and P .970 R .724; end engine f1bdae7: .981 / .797 and .970 / .724): measured 0.9927 / 0.954 on f1bdae7 +
# batches 19 and 20 (5,814 cases) -> recall floor 0.955 -> 0.950.
# Round 14: blind batch 21 (229 cases: indirect asks "where else can I find you", meeting in person,
# portfolio sites with a contact form, display names on other networks) scored on the start engine
# 622e3ed: P .975 R .557; landed as tuning material: measured 0.9923 / 0.940 on 6,043 cases -> recall
# floor 0.950 -> 0.939.
# Blind batches 22 (256: long deliveries, code, logs, pasted e-mail with a contact hidden in them) and 23
# (258: disguise and evasion: split digits, channels described, local payment methods described), kept
# aside until the round's end: start engine 622e3ed P .950 R .875 and P .980 R .577, end d7e3fbba
# P .950 R .875 and P .980 R .583; landed as tuning material: measured 0.9922 / 0.942 on 6,557 cases
# -> recall floor 0.939 -> 0.941 (the round's classes raised the 6,043 cases to .961 first).
OUTSIDE_PRECISION_FLOOR, OUTSIDE_RECALL_FLOOR = 0.992, 0.941


def test_the_outside_split_does_not_regress():
    from corpus import load_outside

    cases = load_outside()
    assert len(cases) >= 1500, "the outside split has not landed"
    tp = fp = fn = 0
    for case in cases:
        report = analyze(case.text, surface=case.surface, allow=case.allow)
        flagged = report.verdict in FLAG_VERDICTS
        if not case.flagged:
            fp += flagged
            continue
        expected = Severity[case.verdict.upper()]
        found = {f.kind.value for f in report.findings if f.severity >= expected}
        hit = flagged and all(found & set(alt.split("|")) for alt in case.kinds)
        tp += hit
        fn += not hit
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\noutside split: precision {precision:.3f} recall {recall:.3f} (TP {tp} FP {fp} FN {fn})")
    assert precision >= OUTSIDE_PRECISION_FLOOR and recall >= OUTSIDE_RECALL_FLOOR, (precision, recall)
