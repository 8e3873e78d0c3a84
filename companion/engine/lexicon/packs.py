"""Language packs: one data file per language, data/lang/<code>.toml, loaded once at import.

A pack holds what Contact Guard reads in one language (format: docs/detection.md, "Language
packs"):

  [language]   code, name
  [digits]     digit words for phone numbers: digit, teen, tens, repeat ("double")
  [email]      words for "@" and "." (at, dot, at_bracketed); [email.spellings] providers and
               top-level domains written in the language's script ("जीमेल" = "gmail")
  [channels]   local names and nicknames of channels: alias = channel name in channels.json
  [phrases]    request, payment and context phrases by class: "class" or "class:argument" = [...]
  [grammar]    additions to the grammar.tsv word lists: list name = [...]
  [phone]      cues = words that say a number is to call or text; weak_cues = words that do so only
               right next to it; regions = where numbers written without a country code come from

Every word is folded like the text (text.normalize) where it is used. A pack that breaks the format
stops the import with an error naming the file and the key: a bad pack never half-loads.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, replace
from typing import Any

from companion.engine.lexicon import compiled
from companion.engine.lexicon.files import data_names, load_json, load_table, load_toml

# The phrase classes the detectors and the context stage read (docs/detection.md lists what each means).
PHRASE_CLASSES = frozenset(
    {
        "reach", "talk", "modal", "ask", "offer", "dest", "have", "after", "please", "direct", "outside", "near",
        "noun", "noun_weak", "callword", "callverb", "pay", "paysend", "paydirect", "payfee", "paybefore", "other", "medium",
        "fee", "feeskip", "feetake", "paydetail", "payout", "payacct", "neg", "neg_cancel", "rule", "past", "internal", "here", "filter", "money", "elsewhere", "somewhere", "way", "better", "naming", "work", "concede", "complaint", "there",
        # a site of the writer's own and a way to reach them on it (link.py); meeting in person (meeting.py)
        "site", "site_contact", "meet", "in_person", "venue",
    }
)  # fmt: skip
# digit 0-9; teen a two-digit word ("twelve", "veintidós"); tens its first digit ("forty"); hundreds
# its first digit ("пятьсот" = 5); hundred a word multiplied by the digit before it ("beş yüz",
# "five hundred"; alone: 100); and a word between tens and unit ("treinta y cuatro"); repeat "double";
# syllable a digit's reading written glued to the next one, no blank between (Japanese kana "ゼロ",
# "キュー"; Sino-Korean "공", "일"): only a run made of nothing else reads as digits; unit_and a word
# gluing a unit before its tens ("vierendertig" 34, "vierunddreißig" 34); inner a digit word that is
# a common word in another language (Vietnamese "hai" 2 is Hinglish "is"): a digit only between two
# other digits or digit words.
DIGIT_KINDS = ("digit", "teen", "tens", "hundreds", "hundred", "and", "unit_and", "repeat", "syllable", "inner")
EMAIL_ROLES = ("at", "dot", "at_bracketed", "spellings", "possessive", "possessive_after", "copula", "marker", "on", "label", "as")
SECTIONS = frozenset({"language", "digits", "email", "channels", "phrases", "grammar", "phone"})
PHONE_KEYS = ("cues", "weak_cues", "regions")
# Grammar lists only packs fill (no word of them in grammar.tsv): prepositions glued to the next word;
# particles glued after a noun in Japanese, Korean, Chinese ("Zoomで", "카톡으로", "微信上") and the
# genitive ones ("インスタの", "인스타의"); preferences said right after such a word ("現金でも大丈夫");
# possessives that follow their noun ("number MO", "nomor KAMU", "số CỦA BẠN") or are glued to it
# (Arabic "انستقرامي", my instagram); case endings glued to a messenger's name ("instagramdan",
# "дискорді"), the final letters an ending replaces ("інста" -> "інсті") and the article a name is
# written with ("التلي": its glued prepositions go before the bare name, "بالتلي");
# conjunctions glued before a request or payment verb (Arabic "و", "ف": "وكلمني", "فراسلني");
# greetings that open a message before the name of the one greeted and a comma ("Hola Andrea, ...").
PACK_ONLY_GRAMMAR = frozenset(
    {
        "glued_prepositions",
        "postpositions",
        "genitives",
        "unspaced_preference_after",
        "possessives_after",
        "bare_call_verbs",
        "called_pronouns",
        "glued_possessives",
        "direct_adverbs",
        "direct_work_after",
        "have_purposes",
        "have_installed",
        "third_party_of",
        "work_nouns_before",
        "work_genitives",
        "glued_suffixes",
        "suffix_replaces",
        "glued_articles",
        "glued_conjunctions",
        "unmarked_letters",
        "greetings",
        "question_particles",
    }
)


class PackError(ValueError):
    """A language pack that does not follow the format."""


@dataclass(frozen=True, slots=True)
class Pack:
    code: str
    name: str
    digits: tuple[tuple[str, str, str], ...]  # (word, kind, value)
    email: tuple[tuple[str, str], ...]  # (role, word)
    channels: tuple[tuple[str, str], ...]  # (alias, channel)
    phrases: tuple[tuple[str, str, str | None], ...]  # (phrase, class, argument)
    grammar: tuple[tuple[str, str], ...]  # (list name, word)
    phone: tuple[tuple[str, str], ...]  # (key, word or region)


def _strings(name: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PackError(f"{name}: {key} must be a list of non-empty strings")
    return value


def _pack(name: str, raw: dict[str, Any], channels: frozenset[str], grammar_lists: frozenset[str]) -> Pack:
    unknown = set(raw) - SECTIONS
    if unknown:
        raise PackError(f"{name}: unknown sections {sorted(unknown)}")
    language = raw.get("language", {})
    code = language.get("code")
    if not isinstance(code, str) or name != f"lang/{code}.toml":
        raise PackError(f"{name}: [language] code must match the file name")
    digits = []
    for kind, words in raw.get("digits", {}).items():
        if kind not in DIGIT_KINDS or not isinstance(words, dict):
            raise PackError(f"{name}: [digits.{kind}] is not one of {DIGIT_KINDS}")
        for word, value in words.items():
            if not str(value).isdigit():
                raise PackError(f"{name}: digits.{kind}.{word} must be a number")
            digits.append((word, kind, str(value)))
    email = []
    for role, words in raw.get("email", {}).items():
        if role not in EMAIL_ROLES:
            raise PackError(f"{name}: [email] {role} is not one of {EMAIL_ROLES}")
        if role == "spellings":  # written form = what it stands for: "जीमेल" = "gmail"
            if not isinstance(words, dict) or not all(isinstance(v, str) for v in words.values()):
                raise PackError(f"{name}: [email.spellings] must map words to what they stand for")
            email += [("spelling", f"{k}\t{v}") for k, v in words.items()]
            continue
        email += [(role, w) for w in _strings(name, f"email.{role}", words)]
    aliases = []
    for alias, channel in raw.get("channels", {}).items():
        if channel not in channels:
            raise PackError(f"{name}: channels.{alias} names an unknown channel")
        aliases.append((alias, channel))
    phrases = []
    for key, words in raw.get("phrases", {}).items():
        cls, _, arg = key.partition(":")
        if cls not in PHRASE_CLASSES:
            raise PackError(f"{name}: phrases.{key}: unknown class {cls!r}")
        phrases += [(w, cls, arg or None) for w in _strings(name, f"phrases.{key}", words)]
    grammar = []
    for list_name, words in raw.get("grammar", {}).items():
        if list_name not in grammar_lists:
            raise PackError(f"{name}: grammar.{list_name} is not a grammar list")
        grammar += [(list_name, w) for w in _strings(name, f"grammar.{list_name}", words)]
    phone = []
    for key, words in raw.get("phone", {}).items():
        if key not in PHONE_KEYS:
            raise PackError(f"{name}: [phone] {key} is not one of {PHONE_KEYS}")
        phone += [(key, w) for w in _strings(name, f"phone.{key}", words)]
    return Pack(
        code,
        str(language.get("name", code)),
        tuple(digits),
        tuple(email),
        tuple(aliases),
        tuple(phrases),
        tuple(grammar),
        tuple(phone),
    )


def _load() -> dict[str, Pack]:
    channels = frozenset(c["name"] for c in load_json("channels.json")["channels"])
    grammar_lists = frozenset(row[0] for row in load_table("grammar.tsv")) | PACK_ONLY_GRAMMAR
    packs = {}
    for name in data_names("lang", ".toml"):
        try:
            raw = load_toml(name)
        except ValueError as exc:  # tomllib.TOMLDecodeError
            raise PackError(f"{name}: not valid TOML ({exc})") from None
        pack = _pack(name, raw, channels, grammar_lists)
        packs[pack.code] = pack
    return _for_every_marketplace(packs)


_FIVERR = compiled.regex(r"(?<![a-z])fiverr(?![a-z])")


def _for_every_marketplace(packs: dict[str, Pack]) -> dict[str, Pack]:
    """Each pack phrase naming "fiverr" also naming every other marketplace (grammar lists
    marketplace_names, marketplace_names_in_phrases: a name that is an ordinary word never stands alone)."""
    rows = load_table("grammar.tsv")
    names = [row[1] for row in rows if row[0] == "marketplace_names"]
    in_phrases = [row[1] for row in rows if row[0] == "marketplace_names_in_phrases"]
    out = {}
    for code, pack in packs.items():
        known = {(p.lower(), c, a) for p, c, a in pack.phrases}
        added = []
        for phrase, cls, arg in pack.phrases:
            if not _FIVERR.search(phrase.lower()):
                continue
            alone = _FIVERR.sub("", phrase.lower()).strip(" '’s") == ""
            for name in names if alone else [*names, *in_phrases]:
                row = (_FIVERR.sub(name, phrase.lower()), cls, arg)
                if row not in known:
                    known.add(row)
                    added.append(row)
        out[code] = replace(pack, phrases=(*pack.phrases, *added))
    return out


# Parsed and checked once; later imports read the result from the compiled lexicon (compiled.py).
PACKS: dict[str, Pack] = {
    fields[0]: Pack(*fields) for fields in compiled.value("packs", lambda: [astuple(pack) for pack in _load().values()])
}


def phrases() -> list[tuple[str, str, str | None]]:
    """Every pack's phrases: (phrase, class, argument)."""
    return [row for pack in PACKS.values() for row in pack.phrases]


def digit_words() -> list[tuple[str, str, str]]:
    """Every pack's digit words: (word, kind, value), kinds digit, teen, tens, hundreds, repeat. A
    pack's compound numbers are composed of its own words: "beş yüz" (hundreds 5), "treinta y
    cuatro" (teen 34), "vierendertig" (teen 34); a "hundred" alone is hundreds 1, an "and" is no word
    alone."""
    rows = []
    for pack in PACKS.values():
        by_kind: dict[str, list[tuple[str, str]]] = {}
        for word, kind, value in pack.digits:
            by_kind.setdefault(kind, []).append((word, value))
        units = [(w, v) for w, v in by_kind.get("digit", ()) if v != "0"]
        for word, kind, value in pack.digits:
            if kind == "hundred":
                rows.append((word, "hundreds", "1"))
                rows += [(f"{unit} {word}", "hundreds", v) for unit, v in units]
            elif kind == "and":
                rows += [(f"{tens} {word} {unit}", "teen", t + v) for tens, t in by_kind.get("tens", ()) for unit, v in units]
            elif kind == "unit_and":
                rows += [(f"{unit}{word}{tens}", "teen", t + v) for tens, t in by_kind.get("tens", ()) for unit, v in units]
            else:
                rows.append((word, kind, value))
    return rows


def email_words(role: str) -> list[str]:
    """Every pack's words for "@" (role "at", "at_bracketed"), "." (role "dot"), or around a provider
    named with a user name ("possessive", "possessive_after", "copula", "marker"; "on" between the
    name and its provider: "nazar.tkach на ukr.net"; "label" a mail noun after the provider: "Gmailの
    アドレスは x", "네이버 아이디 x"; "as" before the name: "búscame en gmail como x")."""
    return [word for pack in PACKS.values() for r, word in pack.email if r == role]


def email_spellings() -> list[tuple[str, str]]:
    """Every pack's providers and top-level domains in other scripts: (written form, plain form)."""
    return [tuple(word.split("\t", 1)) for pack in PACKS.values() for r, word in pack.email if r == "spelling"]


def channel_aliases() -> list[tuple[str, str]]:
    """Every pack's local names and nicknames of channels: (alias, channel)."""
    return [row for pack in PACKS.values() for row in pack.channels]


def grammar_words() -> list[tuple[str, str]]:
    """Every pack's additions to the grammar.tsv lists: (list name, word)."""
    return [row for pack in PACKS.values() for row in pack.grammar]


def phone_words(key: str) -> list[str]:
    """Every pack's phone cues (key "cues", "weak_cues") or regions (key "regions")."""
    return [word for pack in PACKS.values() for k, word in pack.phone if k == key]
