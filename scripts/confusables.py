"""Generate companion/engine/data/confusables.tsv: every character that reads as ASCII letters,
digits or address punctuation, for text.normalize().

Sources, both Unicode's own data, so the next disguise nobody listed is read like the letters it
imitates:

1. UTS #39 confusables (confusables.txt, "Unicode Security Mechanisms"): each character whose
   prototype is ASCII — Cyrillic "а", Greek "ο", Cherokee
   "Ꭺ", Armenian "օ", Latin "ɑ", math "⍺"... Characters that NFKC already reads as ASCII (fullwidth,
   mathematical letters) are left to NFKC, whose reading is the more faithful one ("𝐈" is I, not l);
   digits of other scripts (category Nd) keep their numeric reading; quotes, brackets and operators
   are left alone, as are sentence ends of other scripts ("۔" ends an Urdu sentence).
2. Styled letters and digits without a compatibility decomposition, found by their Unicode names:
   negative circled and squared letters ("🅣"), regional indicator letters ("🇹"), small capitals
   ("ᴛ"), parenthesized letters ("⒯", whose NFKC form "(t)" would put brackets between letters), and
   dingbat digits ("❶", numbered by unicodedata).

Usage (the table is vendored; setup never runs this):

    python scripts/confusables.py path/to/confusables.txt > companion/engine/data/confusables.tsv

confusables.txt is https://www.unicode.org/Public/security/<version>/confusables.txt; the version
and the file's SHA-256 are written into the table's header, and tests/engine/test_confusables.py
checks the table against the rules above.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata

# Punctuation and symbols are taken only when they read as one of these (address and id punctuation).
_PUNCTUATION_READINGS = frozenset("@.-_:/")
_STYLED_LETTER = re.compile(
    r"(?:NEGATIVE (?:CIRCLED|SQUARED) |REGIONAL INDICATOR SYMBOL |PARENTHESIZED |SQUARED |CIRCLED )?"
    r"LATIN (?:CAPITAL |SMALL )?LETTER ([A-Z])|LATIN LETTER SMALL CAPITAL ([A-Z])|REGIONAL INDICATOR SYMBOL LETTER ([A-Z])"
)

# Numbers only in a style ("❶", "⑴", "⒈", "㊀"), not the numerals of other writing systems.
_STYLED_NUMBER = re.compile(r"CIRCLED|PARENTHESIZED|DINGBAT|FULL STOP")


def parse(path: str) -> tuple[dict[str, str], str, str]:
    """(character -> prototype, Unicode version, SHA-256 of the file)."""
    raw = open(path, "rb").read()
    version = re.search(rb"# Version: ([\d.]+)", raw)
    mapping: dict[str, str] = {}
    for line in raw.decode("utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        source, target, _kind = (field.strip() for field in line.split(";"))
        mapping[chr(int(source, 16))] = "".join(chr(int(cp, 16)) for cp in target.split())
    return mapping, version.group(1).decode() if version else "unknown", hashlib.sha256(raw).hexdigest()


def _nfkc_reading(ch: str) -> str:
    folded = unicodedata.normalize("NFKD", ch)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", folded).lower()


def confusable_rows(mapping: dict[str, str]) -> dict[str, str]:
    rows: dict[str, str] = {}
    for ch, prototype in mapping.items():
        if ch.isascii():
            continue  # "0" -> "O", "1" -> "l": the visual reading of ASCII is context.fuzzy's
        reading = prototype.lower()
        if reading == "l" and (ch != ch.lower() or "CAPITAL" in unicodedata.name(ch, "")):
            reading = "i"  # UTS #39 folds I and l together; a capital that looks like I reads as one
        if not reading.isascii() or not reading.strip():
            continue
        category = unicodedata.category(ch)
        if category == "Nd" or category[0] == "Z":
            continue  # other-script digits keep their value; spaces are read as spaces anyway
        if _nfkc_reading(ch).isascii():
            continue  # NFKC reads it already, and more faithfully
        if category[0] in "PS" or category == "Cn":
            if len(reading) != 1 or reading not in _PUNCTUATION_READINGS and not reading.isalnum():
                continue
            if category[0] == "P" and "FULL STOP" in unicodedata.name(ch, "") and reading != ".":
                continue  # a sentence end of another script ("۔") stays one
        elif not reading.isalnum():
            continue
        rows[ch] = reading
    return rows


def styled_rows() -> dict[str, str]:
    """Letters and digits in styles NFKC does not undo, by their Unicode names."""
    rows: dict[str, str] = {}
    for cp in range(0x80, 0x110000):
        ch = chr(cp)
        name = unicodedata.name(ch, "")
        if not name:
            continue
        nfkc = _nfkc_reading(ch)
        letter = _STYLED_LETTER.fullmatch(name)
        if letter is not None:
            if not (len(nfkc) == 1 and nfkc.isascii() and nfkc.isalpha()):
                rows[ch] = next(g for g in letter.groups() if g).lower()
            continue
        if unicodedata.category(ch) == "No" and _STYLED_NUMBER.search(name) and not (nfkc.isascii() and nfkc.isdigit()):
            value = unicodedata.numeric(ch, None)
            if value is not None and value == int(value) and 0 <= value <= 20:
                rows[ch] = str(int(value))
    return rows


def main(path: str) -> None:
    mapping, version, digest = parse(path)
    confusables = confusable_rows(mapping)
    styled = {ch: r for ch, r in styled_rows().items() if ch not in confusables}
    out = sys.stdout
    out.write(
        "# GENERATED by scripts/confusables.py: do not edit (hand additions go to homoglyphs.tsv).\n"
        f"# Source: Unicode confusables.txt (UTS #39), version {version}, sha256 {digest}\n"
        f"# Unicode names and NFKC: Python's unicodedata {unicodedata.unidata_version}\n"
        "# character<TAB>ASCII reading (lower case)<TAB>where from\n"
    )
    for ch, reading in sorted(confusables.items()):
        out.write(f"{ch}\t{reading}\tuts39\n")
    for ch, reading in sorted(styled.items()):
        out.write(f"{ch}\t{reading}\tstyled\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
