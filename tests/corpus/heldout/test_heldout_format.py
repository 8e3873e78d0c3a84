"""Format checks for the held-out split (tests/corpus/heldout/<lang>.jsonl.gz), by ../LABELING.md.

These tests never run the engine and never print a case's text: every failure names case ids (or
file:line) and what is wrong, nothing else, so a failing run does not leak the split to tuners.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from . import heldout_ids as ids

HERE = Path(__file__).resolve().parent
LANGS = ("ar", "ur", "hi", "bn", "tr", "ru", "uk", "pl", "it", "nl", "de", "fr", "es", "pt-BR", "id",
         "vi", "tl", "zh", "ja", "ko", "en")
VERDICTS = ("block", "warn", "info", "ok")
KINDS = frozenset({"email", "phone", "handle", "link", "offplatform_request", "payment", "filter_risk"})
SURFACES = frozenset({"message", "requirements", "delivery", "offer", "other"})
REQUIRED_KEYS = frozenset({"id", "lang", "text", "verdict", "kinds", "source"})
ALLOWED_KEYS = REQUIRED_KEYS | {"surface", "allow", "spans", "note"}
# Coverage the split promises (README.md): per language at least this many cases / positives / clean.
MINIMUMS = {"en": (500, 300, 150)}
DEFAULT_MINIMUMS = (45, 25, 15)
BROKEN_MARK = "broken checksum"


def _read(path: Path) -> list[tuple[int, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [(n, line.rstrip("\n")) for n, line in enumerate(handle, 1) if line.strip()]


def _split_files() -> list[Path]:
    return sorted(HERE.glob("*.jsonl.gz"))


def _records() -> list[tuple[str, dict]]:
    out = []
    for path in _split_files():
        for line_no, line in _read(path):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            out.append((f"{path.name}:{line_no}", record if isinstance(record, dict) else None))
    return out


def test_the_split_has_a_file_for_every_supported_language_and_no_other():
    present = {p.name.removesuffix(".jsonl.gz") for p in _split_files()}
    assert present == set(LANGS), f"missing {sorted(set(LANGS) - present)}, unexpected {sorted(present - set(LANGS))}"


def test_every_line_is_a_json_object_with_only_the_labeling_keys():
    problems = []
    for where, record in _records():
        if record is None:
            problems.append(f"{where}: not a JSON object")
            continue
        missing, unknown = REQUIRED_KEYS - set(record), set(record) - ALLOWED_KEYS
        if missing or unknown:
            problems.append(f"{where}: missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")
    assert not problems, "\n".join(problems)


def _record_problems(file_lang: str, record: dict) -> list[str]:
    problems = []
    if not re.fullmatch(rf"ho-{re.escape(file_lang)}-\d{{3,}}", str(record.get("id"))):
        problems.append("id is not ho-<lang>-NNN for this file's language")
    if record.get("lang") != file_lang:
        problems.append("lang differs from the file's language")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("text is empty or not a string")
        text = ""
    verdict, kinds = record.get("verdict"), record.get("kinds")
    if verdict not in VERDICTS:
        problems.append("verdict is not block/warn/info/ok")
    if not isinstance(kinds, list) or not all(isinstance(k, str) and k for k in kinds):
        problems.append("kinds is not a list of strings")
        kinds = []
    for entry in kinds:
        if not set(entry.split("|")) <= KINDS:
            problems.append(f"unknown kind in {entry!r}")
    if len(set(kinds)) != len(kinds):
        problems.append("kinds repeats an entry")
    if (verdict == "ok") != (not kinds):
        problems.append("kinds must be empty exactly when the verdict is ok")
    if "filter_risk" in "|".join(kinds) and verdict != "info":
        problems.append("filter_risk is only ever expected at info")
    spans = record.get("spans", [])
    if not isinstance(spans, list) or not all(isinstance(s, str) and s for s in spans):
        problems.append("spans is not a list of non-empty strings")
    elif verdict == "ok" and spans:
        problems.append("an ok case has no finding, so no spans")
    else:
        problems.extend(f"span #{i} is not a substring of the text" for i, s in enumerate(spans) if s not in text)
    if record.get("surface", "message") not in SURFACES:
        problems.append("surface is not one of the contract's surfaces")
    allow = record.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) and a for a in allow):
        problems.append("allow is not a list of non-empty strings")
    source = record.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append("source is empty")
    if "note" in record and not isinstance(record["note"], str):
        problems.append("note is not a string")
    return problems


def test_every_record_follows_the_labeling_rules():
    problems = []
    for where, record in _records():
        if record is None:
            continue
        file_lang = where.split(".jsonl.gz")[0]
        problems.extend(f"{record.get('id', where)}: {p}" for p in _record_problems(file_lang, record))
    assert not problems, "\n".join(problems)


def test_ids_are_unique_and_texts_are_not_repeated_across_the_split():
    records = [r for _, r in _records() if r]
    repeated_ids = [i for i, n in Counter(r.get("id") for r in records).items() if n > 1]
    digests = Counter(hashlib.sha256(str(r.get("text")).encode()).hexdigest() for r in records)
    repeated_texts = [r["id"] for r in records if digests[hashlib.sha256(str(r.get("text")).encode()).hexdigest()] > 1]
    assert not repeated_ids, f"repeated ids: {repeated_ids}"
    assert not repeated_texts, f"cases sharing one text: {repeated_texts}"


def test_invisible_characters_are_escaped_in_the_file():
    """LABELING.md: control and format characters are written as \\uXXXX escapes, so a reader sees them."""
    problems = []
    for path in _split_files():
        for line_no, line in _read(path):
            if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in line):
                problems.append(f"{path.name}:{line_no}")
    assert not problems, "raw invisible characters at " + ", ".join(problems)


def test_every_language_has_the_promised_coverage():
    by_lang: dict[str, Counter] = {}
    for _, record in _records():
        if record:
            counts = by_lang.setdefault(record.get("lang"), Counter())
            counts["cases"] += 1
            counts["positive" if record.get("verdict") in ("block", "warn") else "clean"] += 1
    problems = []
    for lang in LANGS:
        counts = by_lang.get(lang, Counter())
        cases, positives, clean = MINIMUMS.get(lang, DEFAULT_MINIMUMS)
        if counts["cases"] < cases or counts["positive"] < positives or counts["clean"] < clean:
            problems.append(f"{lang}: {counts['cases']} cases, {counts['positive']} positive, {counts['clean']} clean;"
                            f" promised at least {cases}/{positives}/{clean}")
    assert not problems, "\n".join(problems)


# --- checksummed identifiers ---------------------------------------------------------------------

_B58 = "1-9A-HJ-NP-Za-km-z"
_FINDERS = {
    "eth": re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])"),
    "segwit": re.compile(r"(?<![0-9A-Za-z])bc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{8,87}(?![0-9A-Za-z])"),
    "btc": re.compile(rf"(?<![0-9A-Za-z])[13][{_B58}]{{25,34}}(?![0-9A-Za-z])"),
    "trx": re.compile(rf"(?<![0-9A-Za-z])T[{_B58}]{{33}}(?![0-9A-Za-z])"),
    "cpf": re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d-])"),
}
_IBAN_START = re.compile(rf"(?<![0-9A-Za-z])({'|'.join(sorted(ids.IBAN_LENGTHS))})\d\d")


def _ibans(text: str) -> list[str]:
    """IBAN-shaped runs (compact or in groups split by single spaces) of their country's length."""
    found = []
    for match in _IBAN_START.finditer(text):
        want, taken, i = ids.IBAN_LENGTHS[match.group(1)], 0, match.start()
        chars = []
        while i < len(text) and taken < want:
            char = text[i]
            if char.isascii() and (char.isdigit() or char.isupper()):
                chars.append(char)
                taken += 1
            elif not (char == " " and chars and i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalnum()):
                break
            i += 1
        if taken == want and not (i < len(text) and text[i].isascii() and text[i].isalnum()):
            found.append("".join(chars))
    return found


_VALID = {"eth": ids.is_valid_eip55, "segwit": ids.is_valid_segwit, "cpf": ids.is_valid_cpf, "iban": ids.is_valid_iban,
          "btc": lambda a: (p := ids.base58check_payload(a)) is not None and p[:1] in (b"\x00", b"\x05"),
          "trx": lambda a: (p := ids.base58check_payload(a)) is not None and p[:1] == b"\x41"}


def _checksummed(text: str) -> list[tuple[str, bool]]:
    found = [(kind, _VALID[kind](m.group(0))) for kind, finder in _FINDERS.items() for m in finder.finditer(text)]
    return found + [("iban", ids.is_valid_iban(candidate)) for candidate in _ibans(text)]


def test_checksummed_ids_are_valid_unless_the_case_says_its_checksum_is_broken():
    problems, seen = [], Counter()
    for _, record in _records():
        if not record:
            continue
        found = _checksummed(str(record.get("text", "")))
        marked = BROKEN_MARK in str(record.get("note", ""))
        seen.update(kind for kind, _ in found)
        if marked and not any(not valid for _, valid in found):
            problems.append(f"{record.get('id')}: note says {BROKEN_MARK!r} but every checksummed id in it is valid")
        if not marked and not all(valid for _, valid in found):
            problems.append(f"{record.get('id')}: holds an id whose checksum fails (mark the note if that is intended)")
    assert not problems, "\n".join(problems)
    assert {"eth", "btc", "segwit", "trx", "iban"} <= set(seen), f"checksummed kinds present: {dict(seen)}"


# --- the validators themselves, on published vectors ------------------------------------------

def test_keccak_matches_the_published_empty_digest_and_the_permutation_matches_hashlib_sha3():
    assert ids.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    for message in (b"", b"abc", bytes(range(256)) * 3):
        assert ids.sha3_256(message) == hashlib.sha3_256(message).digest()


@pytest.mark.parametrize("address", [  # EIP-55's own examples
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
])
def test_eip55_accepts_the_specification_examples_and_rejects_one_flipped_case(address):
    assert ids.is_valid_eip55(address)
    flipped = address[:-1] + (address[-1].lower() if address[-1].isupper() else address[-1].upper())
    assert not ids.is_valid_eip55(flipped) or flipped == address


@pytest.mark.parametrize("address, valid", [
    ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", True), ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", True),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", False),
])
def test_base58check_on_published_bitcoin_addresses(address, valid):
    assert _VALID["btc"](address) is valid


@pytest.mark.parametrize("address, valid", [  # BIP 173 / BIP 350 examples
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", True),
    ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", True),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", False),
])
def test_bech32_and_bech32m_on_published_addresses(address, valid):
    assert ids.is_valid_segwit(address) is valid


@pytest.mark.parametrize("iban", [  # the IBAN registry's examples
    "DE89370400440532013000", "ES9121000418450200051332", "FR1420041010050500013M02606", "IT60X0542811101000000123456",
    "NL91ABNA0417164300", "PL61109010140000071219812874", "TR330006100519786457841326", "GB82WEST12345698765432",
    "SA0380000000608010167519", "PK36SCBL0000001123456702", "UA213223130000026007233566001",
])
def test_iban_accepts_the_registry_examples_and_rejects_a_changed_digit(iban):
    assert ids.is_valid_iban(iban)
    assert not ids.is_valid_iban(iban[:-2] + str((int(iban[-2]) + 1) % 10) + iban[-1])


@pytest.mark.parametrize("make, kind", [
    (ids.btc_p2pkh, "btc"), (ids.btc_p2sh, "btc"), (ids.btc_segwit, "segwit"), (ids.btc_taproot, "segwit"),
    (ids.eth, "eth"), (ids.trx, "trx"), (ids.cpf, "cpf"),
] + [(lambda seed, c=c: ids.iban(c, seed), "iban") for c in ("DE", "ES", "FR", "IT", "NL", "PL", "TR", "UA")])
def test_the_generator_makes_valid_ids_and_broken_ones_differ_by_one_character(make, kind):
    value = make("format-test")
    bad = ids.broken(value, kind)
    assert _VALID[kind](value) and not _VALID[kind](bad)
    assert len(bad) == len(value) and sum(a != b for a, b in zip(value, bad)) == 1
