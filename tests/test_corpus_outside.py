"""The outside split (tests/corpus/outside/<lang>.jsonl): tuning material written from outside the
project, labelled by tests/corpus/LABELING.md. Its cases are scored by scripts/evaluate (which lists the
misses), never asserted one by one; these tests check the format only and never run the engine.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from corpus import OUTSIDE_DIR, VERDICTS, load_cases, load_heldout, load_outside
from corpus.checksummed_ids import btc_address_is_valid, eth_address_is_valid, iban_is_valid, trx_address_is_valid

# The languages and kinds of the product contract (shared design, LABELING.md), written out here so
# that a format check needs no engine import.
LANGS = ("en", "ar", "ur", "hi", "bn", "tr", "ru", "uk", "pl", "it", "nl", "de", "fr", "es", "pt-BR", "id", "vi", "tl", "zh", "ja", "ko")
KINDS_AT = {
    "block": {"email", "phone", "handle", "link", "payment"},
    "warn": {"offplatform_request", "payment"},
    "info": {"email", "phone", "handle", "link", "payment", "offplatform_request", "filter_risk"},
}
SURFACES = {"message", "requirements", "delivery", "offer", "other"}
REQUIRED = {"id", "lang", "text", "verdict", "kinds", "source"}
OPTIONAL = {"surface", "allow", "spans", "note"}
SOURCE = re.compile(r"^(own phrasing|forum paraphrase|adapted from \S+/\S+ \S+)")
# What the platform's naive filter holds (LABELING.md): a case labelled ok must contain none of it. A trigger
# word counts when no letter of any script stands before it: "téléphone" is a local word (README), not "phone".
NAIVE_FILTER_TRIGGER = re.compile(r"@|＠|(?<![^\W\d_])(e-?mail|gmail|skype|whatsapp|telegram|phone|paypal)|outside (of )?fiverr", re.IGNORECASE)
IBAN_LIKE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")
BTC_LIKE = re.compile(r"^([13][1-9A-HJ-NP-Za-km-z]{25,34}|(bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{20,})$")
ETH_LIKE = re.compile(r"^0x[0-9a-fA-F]{40}$")
TRX_LIKE = re.compile(r"^T[1-9A-HJ-NP-Za-km-z]{33}$")

FILES = sorted(OUTSIDE_DIR.glob("*.jsonl"))
RAW = [(path.stem, line_no, json.loads(line)) for path in FILES for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
CASES = load_outside()


def test_every_language_has_its_file_with_enough_cases_both_ways():
    assert sorted(path.stem for path in FILES) == sorted(LANGS)
    problems = []
    for lang in LANGS:
        cases = [c for c in CASES if c.lang == lang]
        positives = [c for c in cases if c.flagged]
        minimum = 300 if lang == "en" else 60
        if len(cases) < minimum:
            problems.append(f"{lang}: {len(cases)} cases, fewer than {minimum}")
        if not 0.5 <= len(positives) / max(len(cases), 1) <= 0.8:
            problems.append(f"{lang}: {len(positives)} of {len(cases)} positive, outside 50–80%")
        kinds = {k for c in positives for alternatives in c.kinds for k in alternatives.split("|")}
        missing = {"email", "phone", "handle", "link", "payment", "offplatform_request"} - kinds
        if missing:
            problems.append(f"{lang}: no positive of kind {sorted(missing)}")
        verdicts = Counter(c.verdict for c in cases)
        if verdicts["ok"] < 10 or verdicts["info"] < 3:
            problems.append(f"{lang}: too few clean cases ({verdicts['ok']} ok, {verdicts['info']} info)")
        if not any(c.flagged and c.verdict == "warn" and "payment" in c.kinds for c in cases):
            problems.append(f"{lang}: no off-platform payment talk (warn/payment)")
    assert not problems, "\n".join(problems)


def test_records_have_the_keys_ids_and_language_of_their_file():
    problems = []
    for lang, line_no, raw in RAW:
        where = f"outside/{lang}.jsonl:{line_no}"
        keys = set(raw)
        if not REQUIRED <= keys or not keys <= REQUIRED | OPTIONAL:
            problems.append(f"{where}: missing {sorted(REQUIRED - keys)}, unknown {sorted(keys - REQUIRED - OPTIONAL)}")
            continue
        if raw["lang"] != lang or lang not in LANGS:
            problems.append(f"{where}: lang {raw['lang']!r} in the file of {lang!r}")
        if not re.fullmatch(rf"out-{re.escape(lang)}-\d{{3}}", raw["id"]):
            problems.append(f"{where}: id {raw['id']!r} is not out-{lang}-NNN")
        if not isinstance(raw["source"], str) or not SOURCE.match(raw["source"]):
            problems.append(f"{where}: source must say own phrasing, forum paraphrase or 'adapted from owner/repo path'")
    assert not problems, "\n".join(problems)


def test_ids_and_inputs_are_unique_and_new():
    ids = Counter(c.id for c in CASES)
    assert [i for i, n in ids.items() if n > 1] == []
    inputs = Counter((c.text, c.surface, c.allow) for c in CASES)
    assert [c.id for c in CASES if inputs[(c.text, c.surface, c.allow)] > 1] == []
    dev = {c.text for c in load_cases()}
    assert [c.id for c in CASES if c.text in dev] == [], "copies of dev-corpus cases"


def test_no_case_repeats_a_held_out_text():
    """Tuning on a copy of a held-out case would leak the untouched split; only outside ids are named."""
    held = {c.text.strip().casefold() for c in load_heldout()}
    assert [c.id for c in CASES if c.text.strip().casefold() in held] == []


def test_verdicts_kinds_surfaces_and_spans_follow_labeling():
    problems = []
    for case in CASES:
        if case.verdict not in VERDICTS:
            problems.append(f"{case.id}: verdict {case.verdict!r}")
            continue
        if not case.text.strip():
            problems.append(f"{case.id}: empty text")
        if (case.verdict == "ok") != (not case.kinds):
            problems.append(f"{case.id}: kinds must be empty exactly when the verdict is ok")
        for alternatives in case.kinds:
            if not set(alternatives.split("|")) <= KINDS_AT.get(case.verdict, set()):
                problems.append(f"{case.id}: kind {alternatives!r} cannot be expected at {case.verdict}")
        if case.surface not in SURFACES or not all(isinstance(a, str) and a for a in case.allow):
            problems.append(f"{case.id}: surface {case.surface!r} / allow {case.allow!r}")
        if case.verdict == "ok" and case.spans:
            problems.append(f"{case.id}: an ok case has no span to cover")
        for span in case.spans:
            if not span or span not in case.text:
                problems.append(f"{case.id}: span {span!r} is not in the text")
    assert not problems, "\n".join(problems)


def test_clean_cases_hold_no_naive_filter_trigger():
    """LABELING.md: benign text the platform's naive filter would hold is info/filter_risk, not ok."""
    assert [c.id for c in CASES if c.verdict == "ok" and NAIVE_FILTER_TRIGGER.search(c.text)] == []


CHECKSUMMED = {"iban": (IBAN_LIKE, iban_is_valid), "btc": (BTC_LIKE, btc_address_is_valid), "eth": (ETH_LIKE, eth_address_is_valid), "trx": (TRX_LIKE, trx_address_is_valid)}


def test_payment_destinations_carry_valid_checksums():
    checked: dict[str, list[str]] = {name: [] for name in CHECKSUMMED}
    broken = []
    for case in CASES:
        for span in case.spans if case.flagged else ():
            compact = span.replace(" ", "")
            for name, (pattern, valid) in CHECKSUMMED.items():
                if pattern.match(compact):
                    checked[name].append(case.id)
                    if not valid(compact):
                        broken.append(f"{case.id}: {name} {span!r}")
    assert broken == []
    assert all(checked.values()) and sum(map(len, checked.values())) >= 10, f"too few destinations to mean anything: {checked}"
