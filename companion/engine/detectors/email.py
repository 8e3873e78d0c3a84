"""Email addresses, plain or disguised.

Forms: plain ("john@gmail.com"), look-alike or invisible characters inside (normalize() folds them),
spaced-out letters ("j o h n @ g m a i l . c o m"), "at"/"dot" spelled in words or brackets
("john (at) gmail [dot] com", "juan arroba gmail punto com"), and a provider named with the local
part ("my gmail is johnsmith1990", "john.smith on gmail", "johnsmith1990 at gmail").

Each form is found in its own view of the text (plain -> letters joined -> words turned into "@"
and "."), so a span always maps back to what the user typed. Validation keeps real addresses only:
a sensible local part, a known top-level domain or provider, and none of the example, placeholder
or code forms (name@example.com, git@github.com:org/repo.git, ssh user@host).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import islice

from companion.engine.document import Document
from companion.engine.lexicon.files import LazyPattern, alternation, finditer_near, gate_words, load_table, load_words
from companion.engine.model import Finding, Kind, Severity
from companion.engine.lexicon import packs
from companion.engine.lexicon.automaton import unspaced
from companion.engine.lexicon.grammar import GRAMMAR
from companion.engine.lexicon.registry import DOMAINS as _DOMAINS
from companion.engine.text import CLOSING_SYMBOL, LATIN_WORD, View, normalize
from companion.engine.lexicon.compiled import regex

MASK = "[address removed]"  # no filter trigger in a placeholder ("email" is one)
# Per form and message: a text with more addresses than this is flagged by the first ones already,
# and reading thousands ("a@b.co a@b.co ...") would cost more than the 20,000-character budget.
MAX_FINDINGS = 200
SUGGESTION = "Keep contact in the order chat; the platform relays messages and files."

_REASONS = {
    "email.plain": "This is an email address; sharing it moves the conversation off the platform.",
    "email.international": (
        "This is an email address written in another script; sharing it moves the conversation off "
        "the platform."
    ),
    "email.disguised_characters": (
        "This is an email address written with look-alike or hidden characters; the platform "
        "treats it like sharing the address."
    ),
    "email.spaced_letters": (
        "This is an email address with its letters spaced out; the platform treats it like "
        "sharing the address."
    ),
    "email.spelled_at_dot": (
        "This spells out an email address with words or signs for @ and dot; the platform treats it "
        "like sharing the address."
    ),
    "email.split_address": (
        "This gives an email address in pieces (the user name and the provider domain apart); the "
        "platform treats it like sharing the address."
    ),
    "email.provider_named": (
        "This gives an email account by naming the provider and the user name; the platform "
        "treats it like sharing the address."
    ),
}


def _any_word(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One of `words` as a whole word. The lookahead on first letters lets the regex engine skip
    other positions quickly."""
    first = re.escape("".join(sorted({w[0] for w in words})))
    return LazyPattern(rf"(?=[{first}])(?<![{LATIN_WORD}])(?:{alternation(words)})(?![{LATIN_WORD}])")


# --- lexicons ---------------------------------------------------------------------------------
_PROVIDERS: dict[str, str] = {name: domain for name, domain, _ in load_table("email_providers.tsv")}
_NAMED_PROVIDERS = [name for name, _, named in load_table("email_providers.tsv") if named == "yes"]
_TLDS = frozenset(load_words("email_tlds.txt"))
_NOT_LOCAL = frozenset(load_words("email_not_local.txt"))
_MAILBOX_NAMES = frozenset(load_words("email_mailbox_names.txt"))
_RESERVED: dict[str, frozenset[str]] = {
    kind: frozenset(value for k, value in load_table("email_reserved.tsv") if k == kind)
    for kind in ("tld", "domain", "label", "local")
}
_AT_WORDS = [normalize(word).text for word in packs.email_words("at")]
_DOT_WORDS = [normalize(word).text for word in packs.email_words("dot")]
_AT_BRACKETED = [*_AT_WORDS, *(normalize(word).text for word in packs.email_words("at_bracketed"))]
_SPELLINGS: dict[str, str] = {
    **dict(load_table("email_provider_spellings.tsv")),
    # Providers and top-level domains written in other scripts ("जीमेल" gmail, "কম" com).
    **{normalize(spelled).text: plain for spelled, plain in packs.email_spellings()},
}

# --- triggers: most messages have none of these, and the detector stops there ------------------
# (The patterns built from the lexicon are compiled when first used, lexicon.files.LazyPattern:
# behind their gates, most messages never need them.)
# The packs' own nouns for e-mail ("почта", "пошта", "邮箱", "correo"): a text about mail in any language.
_MAIL_NOUNS = sorted({"mail", *(normalize(alias.strip("*")).text for alias, channel in packs.channel_aliases() if channel == "email")})
_MAIL_WORD = _any_word([*_NAMED_PROVIDERS, *_SPELLINGS, *_MAIL_NOUNS, "email", "e-mail"])
_PROVIDER_SPELLING = _any_word(list(_SPELLINGS))
_AT_WORD = _any_word(_AT_WORDS)


def at_word_at(text: str, pos: int) -> bool:
    """Whether an "@" or a word for it ("at", "arroba", "艾特") follows `pos` of a view after blanks:
    the name before it is an address's local part, this detector's ("li.wei 艾特 qq 点 com")."""
    i = pos
    while i < len(text) and i - pos < 3 and text[i] in " \t([":
        i += 1
    return text.startswith("@", i) or _AT_WORD.match(text, i) is not None
_DOT_WORD = _any_word(_DOT_WORDS)
# A domain typed with its dot after a spelled "at": a known top-level domain after a dot.
_DOTTED_DOMAIN = LazyPattern(rf"(?<=[a-z0-9])\.(?:{alternation(sorted(_TLDS))})(?![a-z0-9])")
_DOT_BRACKET = regex(r"[\(\[\{<][ \t]{0,3}\.")
_CUE = _any_word([*load_words("email_cues.txt"), *_MAIL_NOUNS])
# The same words as letter runs, tested against View.words() before any of the searches above.
_MAIL_GATE = gate_words([*_NAMED_PROVIDERS, *_SPELLINGS, *_MAIL_NOUNS, "email", "e-mail"])
_AT_GATE = gate_words(_AT_WORDS)
_BRACKETED_AT_GATE = gate_words(_AT_BRACKETED)
_DOT_GATE = gate_words(_DOT_WORDS)
_CUE_GATE = gate_words([*load_words("email_cues.txt"), *_MAIL_NOUNS])
_SPELLING_GATE = gate_words(_SPELLINGS)


def _maybe_dot(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text may spell a dot: a superset of the dot evidence detect() looks for."""
    return (
        _DOT_GATE.opens(text, words)
        or " . " in text
        or " d o t " in text
        or " d-o-t " in text
        or (" dot" in text and _GLUED_DOTCOM.search(text) is not None)
        or ("." in text and _DOT_BRACKET.search(text) is not None)
        or ("." in text and _DOTTED_DOMAIN.search(text) is not None)
    )

# --- views -------------------------------------------------------------------------------------
# Top-level domains people glue to a provider or put after a spaced dot ("gmailcom", "gmail .com").
_COMMON_TLDS = "com|net|org|co|io|in|pk|uk|br|de|fr|es|me"
_GLUED_DOTCOM = regex(r"[ \t]dot(?:com|net|org)(?![a-z0-9])")  # "x@gmail dotcom"
# Single letters joined by one repeated "-" or "." ("k-a-t-e-8-8", "r.o.s.s@o.u.t.l.o.o.k.c.o.m", "a-t",
# "d-o-t"): the separators dropped, as spaced-out letters' blanks are. A dotted name ("john.a.smith")
# has runs of more than one letter and stays as it is.
# Between dashes the "@" and the "." are letters of the run too ("d-l-w-h-@-s-t-u-d-i-o-.-c-o-m").
_LETTER_RUN = regex(
    r"(?<![a-z0-9.\-])[a-z0-9](?P<sep>[.\-])[a-z0-9@](?![a-z0-9])(?:(?P=sep)(?:[a-z0-9@]|(?<=-)\.(?=-))(?![a-z0-9]))*"
)
# What a run of three or more has (a letter between two separators; "a-t" is tested apart): a
# character class first, which the regex engine skips to in C.
_LETTER_RUN_HINT = regex(r"[.\-][a-z0-9][.\-]")
# A provider right after an "@" and a blank before a domain ending ("johnsmith at gmail com", "x arroba
# hotmail com", "olegpetrov собака yandex ru"): the dot left out. Endings: the common ones and those of
# the packs' countries that are no word of the packs' languages (not "in", "me", "it", "id", "es", "de", "sa").
_AT_PROVIDER_BLANK_TLD = regex(
    rf"(?<=@)((?:{alternation(_PROVIDERS)}))[ \t]{{1,3}}"
    r"(?=(?:com|net|org|co|io|pk|uk|br|fr|ru|ua|pl|nl|jp|kr|cn|tw|tr|vn|ph|mx|bd|eg|ae)(?![a-z0-9\-]))"
)
# A comma typed for the dot of a domain right after an "@" ("tina.r@gmail,com").
_COMMA_DOT = regex(rf"(@[a-z0-9][a-z0-9\-]{{0,62}}),(?=(?:{_COMMON_TLDS})(?![a-z0-9]))")
# The gap between two single characters standing alone ("j o h n"): dropping it joins the letters.
# (the last letter may carry the sentence's mark or an emoji: "... . i t!", "c o m 🙂")
_SPACED_GAP = regex(r"(?=[ \t])(?<=(?<![^ \t\n])[a-z0-9@._\-])[ \t]{1,3}(?=[a-z0-9@._\-](?![^ \t\n!?,;)\u2600-\u27bf\U0001f000-\U0001faff]))")

# A line break (with blanks) right after or before the "@", or before the dot of a known top-level
# domain: the rest of an address continued on the next line.
_LINE_BREAK_IN_ADDRESS = regex(
    r"(?<=@)[ \t]*\n[ \t]*(?=[a-z0-9])|(?<=[a-z0-9])[ \t]*\n[ \t]*(?=@)"
    rf"|(?<=[a-z0-9])[ \t]*\n[ \t]*(?=\.(?:{_COMMON_TLDS})(?![a-z0-9]))"
)
# Brackets or symmetric marks around the word: "(at)", "[dot]", "-at-", "_dot_", "*at*".
_OPEN, _CLOSE = r"[\(\[\{<\-_*#~|/]", r"[\)\]\}>\-_*#~|/]"
# The leading lookahead lets the regex engine skip ordinary letters quickly; blanks are bounded
# ({0,3}) so a long run of spaces is never rescanned.
# "at"/"dot" words of scripts written without spaces ("john艾特gmail点com") need no blank around them.
_UNSPACED_AT = [w for w in _AT_WORDS if unspaced(w)]
_UNSPACED_DOT = [w for w in _DOT_WORDS if unspaced(w)]
_UNSPACED_FIRST = re.escape("".join(sorted({w[0] for w in [*_UNSPACED_AT, *_UNSPACED_DOT]})))
_SPELLED_AT = LazyPattern(
    rf"(?=[ \t(\[{{<@\-_*#~|/{_UNSPACED_FIRST}])(?:"
    rf"[ \t]{{0,3}}{_OPEN}[ \t]{{0,3}}(?:@|{alternation(_AT_BRACKETED)})[ \t]{{0,3}}{_CLOSE}[ \t]{{0,3}}"
    rf"|[ \t]{{1,3}}(?:{alternation(_AT_WORDS)})[ \t]{{1,3}}(?=[a-z0-9])"
    + (rf"|(?<=[a-z0-9])(?:{alternation(_UNSPACED_AT)})(?=[a-z0-9])" if _UNSPACED_AT else "")
    + r"|[ \t]{1,3}@[ \t]{1,3})"
)
_SPELLED_DOT = LazyPattern(
    rf"(?=[ \t(\[{{<\-_*#~|/{_UNSPACED_FIRST}])(?:"
    rf"[ \t]{{0,3}}{_OPEN}[ \t]{{0,3}}(?:\.|{alternation(_DOT_WORDS)})[ \t]{{0,3}}{_CLOSE}[ \t]{{0,3}}"
    rf"|[ \t]{{1,3}}(?:{alternation(_DOT_WORDS)}|\.)[ \t]{{1,3}}(?=[a-z0-9])"
    + (rf"|(?<=[a-z0-9])(?:{alternation(_UNSPACED_DOT)})(?=[a-z0-9])" if _UNSPACED_DOT else "")
    + r"|[ \t]{1,3}dot(?=(?:com|net|org)\b)"
    rf"|[ \t]{{1,3}}\.[ \t]{{0,3}}(?=(?:{_COMMON_TLDS})\b))"  # "gmail .com"
)
# The underscore and the hyphen read aloud between two parts of a name (grammar id_spelled_marks, less
# the words for "."): "john UNDERSCORE smith at gmail dot com", "ana GUION BAJO ruiz arroba ...". "-" is
# valid on both sides of the "@".
_MARK_WORDS = sorted(set(GRAMMAR.get("id_spelled_marks", ())) - {*_DOT_WORDS, "dot", "period", "punto", "point"})
_SPELLED_MARK = LazyPattern(rf"(?<=[a-z0-9])[ \t]{{1,3}}(?:{alternation(_MARK_WORDS)})[ \t]{{1,3}}(?=[a-z0-9])")
_MARK_GATE = gate_words(_MARK_WORDS)
_BRACKETED_AT = regex(
    rf"(?=[(\[{{<\-_*#~|/]){_OPEN}[ \t]{{0,3}}(?:@|{alternation(_AT_BRACKETED)}){_CLOSE}"
)
# Characters of an "at" that only ever mean "@" (brackets), unlike the word or a spaced sign.
_STRONG_AT = regex(r"[\(\[\{<\-_*#~|/]")

# --- matching ----------------------------------------------------------------------------------
# local@ consumed, the domain only looked at: "me@john.smith@gmail.com" still yields the second.
# The domain must have a dot or be a provider's name ("john@gmail"), so "a@b@c..." costs no Python.
# Found from the "@" (which the regex engine finds quickly) and the user name read backwards from
# it (_LOCAL_BEFORE: the whole run of user-name characters before it, at most 64).
_LOCAL_BEFORE = regex(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]{1,64}\Z")
_ADDRESS = LazyPattern(
    r"@"
    r"(?=([a-z0-9][a-z0-9\-]{0,62}(?:\.[a-z0-9\-]{1,63}){1,8}"
    rf"|(?:{alternation(_PROVIDERS)})(?:{_COMMON_TLDS})?(?![a-z0-9\-])))"
    # A known top-level domain among the first nine labels, or a provider first: what _addresses()
    # checks anyway, tested here so that "a@b.c a@b.c ..." costs no Python per "@".
    rf"(?=(?:{alternation(_PROVIDERS)})"
    rf"|[a-z0-9][a-z0-9\-]{{0,62}}(?:\.[a-z0-9\-]{{1,63}}){{0,7}}?\.(?:{alternation(_TLDS)})(?!-*[a-z0-9]))"
)
_PROVIDER_GLUED_TLD = regex(rf"(?:{alternation(_PROVIDERS)})(?:{_COMMON_TLDS})")
_LOCAL = r"[a-z0-9][a-z0-9._%+\-]{1,63}"
_LOCAL_WORD = regex(_LOCAL)
_PROVIDER_NAMES = alternation(_NAMED_PROVIDERS)
# "my gmail is johnsmith1990", "gmail id: john.smith", "my email id is john_smith90"
_NAMED_WORDS = [
    *load_table("email_named_words.tsv"),
    *(
        (role, normalize(w).text)
        for role in ("possessive", "possessive_after", "copula", "marker", "on", "label", "as")
        for w in packs.email_words(role)
    ),
]


def _named_words(role: str, *, latin: bool) -> str:
    """The words of a role as an alternation: those in Latin letters (a blank around them) or the
    others (Chinese, Japanese, Korean particles are written glued: "我的gmail是", "Gmailは")."""
    found = [w for r, w in _NAMED_WORDS if r == role and _LATIN_WORD.search(w) is not None and latin] + [
        w for r, w in _NAMED_WORDS if r == role and _LATIN_WORD.search(w) is None and not latin
    ]
    return alternation(found) if found else r"(?!)"


_LATIN_WORD = regex(r"[a-z]")


def _paired_copulas() -> dict[str, frozenset[str]]:
    """Copulas that are also prepositions (Polish "to" is English "to") -> the possessives of their
    own languages, the only ones they count after: "mój gmail to tomek.foto", not "forward my gmail
    to john.doe"."""
    prepositions = set(GRAMMAR["prepositions"])
    paired: dict[str, set[str]] = {}
    for pack in packs.PACKS.values():
        own = {normalize(w).text for role, w in pack.email if role == "possessive"}
        for role, w in pack.email:
            if role == "copula" and normalize(w).text in prepositions:
                paired.setdefault(normalize(w).text, set()).update(own)
    return {copula: frozenset(own) for copula, own in paired.items()}


_PAIRED_COPULAS = _paired_copulas()
_LISTED_COPULAS = frozenset(w for role, w in load_table("email_named_words.tsv") if role == "copula")
_POSSESSIVES = [w for role, w in _NAMED_WORDS if role == "possessive"]
_NOUNS_OF = [w for role, w in _NAMED_WORDS if role == "noun_of"]
_NAMED_FIRST_LETTERS = re.escape("".join(sorted({w[0] for w in [*_POSSESSIVES, *_NOUNS_OF, *_NAMED_PROVIDERS, "email"]})))
# [possessive] [noun of] provider [service] [possessive after] [label] connector local: "my gmail is johnsmith1990",
# "mon gmail c'est lucas75", "yung gmail ko ay jessa.arts", "gmail aku: rina.il", "我的gmail是 chen.d",
# "Gmailは suzuki.jp", "제 지메일은 choi.kr" (provider spellings are read as the provider first).
_NAMED_THEN_LOCAL = LazyPattern(
    # the lookahead on first letters lets the regex engine skip other positions quickly
    rf"(?=[{_NAMED_FIRST_LETTERS}])"
    rf"(?:(?<![a-z0-9])(?P<poss>{_named_words('possessive', latin=True)})[ \t]{{1,3}}"
    rf"|(?P<possx>{_named_words('possessive', latin=False)})[ \t]{{0,3}})?"
    rf"(?:(?<![a-z0-9])(?:{_named_words('noun_of', latin=True)})[ \t]{{1,3}})?"
    rf"(?<![a-z0-9])(?P<prov>{_PROVIDER_NAMES}|e-?mail)"
    rf"(?:[ \t]{{1,3}}{_named_words('service', latin=True)}(?![a-z0-9])|[ \t]{{0,3}}{_named_words('service', latin=False)})?"
    rf"(?:[ \t]{{1,3}}(?P<after>{_named_words('possessive_after', latin=True)})(?![a-z0-9])"
    rf"|[ \t]{{0,3}}(?P<afterx>{_named_words('possessive_after', latin=False)}))?"
    rf"(?:[ \t]{{0,3}}(?P<comma>,)?[ \t]{{1,3}}(?P<label>{_named_words('label', latin=True)})(?![a-z0-9])"
    rf"|[ \t]{{0,3}}(?P<labelx>{_named_words('label', latin=False)}))?"  # "Gmailのアドレスは", "네이버 아이디"
    r"(?P<conn>[ \t]{0,3}[:=][ \t]{0,3}"
    rf"|[ \t]{{0,3}}(?P<marker>{_named_words('marker', latin=False)})[ \t]{{0,3}}:?[ \t]{{0,3}}"
    rf"|[ \t]{{0,3}}(?P<ccomma>,)?[ \t]{{1,3}}(?P<copula>{_named_words('copula', latin=True)})(?![a-z0-9])[ \t]{{0,3}}:?[ \t]{{0,3}}"  # not "e" of "elif"
    r"|[ \t]{0,3},[ \t]{1,3}"  # "mi gmail, lucia.fdz92": with a possessive, the name after a comma
    rf"|[ \t]{{0,3}}(?P<copula2>{_named_words('copula', latin=False)})[ \t]{{0,3}}:?[ \t]{{0,3}}"
    r"|[ \t]{0,3}-{1,2}>?[ \t]{0,3}"
    rf"|[ \t]{{1,3}}(?P<as>{_named_words('as', latin=True)})[ \t]{{1,3}}"  # "on yahoo as kelly_designs"
    r"|[ \t]{1,3})"
    rf"(?P<local>{_LOCAL})"
)
# What every _NAMED_THEN_LOCAL match holds: the provider (or "email") as a word, then a blank, ":",
# "=" or "-". A cheaper scan to try first: "x@gmail.com" has none.
_NAMED_THEN_LINK = regex(
    rf"(?=[{_NAMED_FIRST_LETTERS}])(?<![a-z0-9])(?:{_PROVIDER_NAMES}|e-?mail)(?=[ \t:=\-]|,[ \t]|[^\x00-\x7f])"
)
# Every place it matches (overlapping ones too), and how far before it a _NAMED_THEN_LOCAL match may
# start (its possessive and noun of, each a word whose blanks match up to three, and up to three blanks
# after it): only those few positions are tried (lexicon.files.finditer_near), not the whole text.
_PROVIDER_PLACE = regex(f"(?={_NAMED_THEN_LINK.pattern})")
_NAMED_REACH = sum(max(len(w) + 2 * w.count(" ") for w in words) + 3 for words in (_POSSESSIVES, _NOUNS_OF))
# "john.smith on gmail", "johnsmith1990 via yahoo"; or the "@" left out before a whole domain:
# "rahul.k1 gmail.com", "rahulk1 gmail com"; or before the provider alone, ending its clause or before
# a postposition, in a text about email ("mail adresim: mert.kaya gmail", "ali.raza786 gmail pe hai")
_ON_WORDS = alternation(sorted({w for role, w in _NAMED_WORDS if role == "on"}))
_CLAUSE_AHEAD = rf"(?=[ \t]*(?:[.,;!?)]|\n|$|{CLOSING_SYMBOL}))"
_LOCAL_THEN_NAMED = LazyPattern(
    rf"(?<![a-z0-9._%+\-@])(?P<local>{_LOCAL})[ \t]{{1,3}}(?:"
    rf"(?:{_ON_WORDS})[ \t]{{1,3}}(?P<prov>{_PROVIDER_NAMES})(?:\.(?:{_COMMON_TLDS})){{0,2}}\b"
    # "tuananh.le99 (gmail)", "emma.watts - gmail": the provider in brackets or after a dash, ending its clause
    rf"|[(\[][ \t]{{0,2}}(?P<paren>{_PROVIDER_NAMES})(?:[ \t]?mail)?[ \t]{{0,2}}[)\]]{_CLAUSE_AHEAD.replace(')]', ']')}"
    rf"|(?:[\-–—|/:]{{1,2}}>?|→)[ \t]{{0,3}}(?P<sep>{_PROVIDER_NAMES}){_CLAUSE_AHEAD}"
    # "sam.k WHERE gmail DOM com": any word standing for "@" and for "." around a provider and a domain ending
    rf"|[a-z]{{2,8}}[ \t]{{1,3}}(?P<wprov>{_PROVIDER_NAMES})[ \t]{{1,3}}[a-z]{{2,8}}[ \t]{{1,3}}(?:{_COMMON_TLDS}){_CLAUSE_AHEAD}"
    rf"|(?P<domain>(?:{_PROVIDER_NAMES})[ \t]{{0,3}}\.?[ \t]{{0,3}}(?:{_COMMON_TLDS})(?:\.(?:{_COMMON_TLDS}))?)"
    rf"|(?P<bare>{_PROVIDER_NAMES})(?=[ \t]*(?:[.,;!?)]|\n|$|{CLOSING_SYMBOL})"
    rf"|[ \t]{{1,3}}(?:{alternation([w for role, w in _NAMED_WORDS if role == 'after'])})(?![a-z0-9]))"
    r"(?![a-z0-9\-@]|\.[a-z0-9]))"
)
# The letter run a _LOCAL_THEN_NAMED match leaves in View.words(): the provider's last run of letters
# ("online" of "t-online"), alone or with a top-level domain glued to it ("gmailcom").
_LOCAL_THEN_NAMED_GATE = frozenset(
    re.findall("[a-z]+", name)[-1] + tld for name in _NAMED_PROVIDERS for tld in ("", *_COMMON_TLDS.split("|"))
)
# What every _LOCAL_THEN_NAMED match holds (its provider follows blanks): a cheaper scan to try first.
_BLANK_THEN_PROVIDER = regex(rf"[ \t(\[\-–—|/:>→](?:{_PROVIDER_NAMES})")
# "johnATgmailDOTcom", "johnsmith1990atgmail.com": "at"/"dot" glued to a known provider.
_GLUED_HINT = regex(rf"at[._\-]?(?:{_PROVIDER_NAMES})[._\-]?(?:dot|\.)")
# The domain part: it starts with the literal "at", which the regex engine finds quickly; the user
# name is the run of address characters before it (_RUN_BEFORE), read backwards.
_GLUED_DOMAIN = LazyPattern(
    rf"at[._\-]?(?:{_PROVIDER_NAMES})(?:[._\-]?dot[._\-]?|\.)(?:{alternation(_TLDS)})(?![a-z0-9])"
)
_RUN_BEFORE = regex(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]{0,66}\Z")
# "@gmail.com" with the user name given apart: "johnsmith1990 + @gmail.com", "add @gmail.com to john.k"
_BARE_PROVIDER_DOMAIN = regex(  # starts with the "@" itself, which the regex engine finds fast
    rf"@(?<![a-z0-9._%+\-]@)(?:{alternation(_PROVIDERS.values())})(?![a-z0-9.\-])"
)
_PROVIDER_DOMAIN_GATE = gate_words(domain.split(".")[0] for domain in _PROVIDERS.values())
_WORD = regex(r"(?<![a-z0-9._%+\-@])[a-z0-9][a-z0-9._%+\-]{2,63}(?<![.\-])(?![a-z0-9@])")
# Commands that log in to a machine: "ssh deploy@build.acme.io", "git remote add origin git@..."
_SHELL_WORDS = ("ssh", "scp", "sftp", "rsync", "mosh", "telnet", "clone", "remote")
_SHELL_WORD = regex("|".join(_SHELL_WORDS))  # a quick test before _REMOTE_SHELL (substrings, as `in`)
# The command, then at most four options or arguments, then the address.
_REMOTE_SHELL = regex(rf"\b(?:{'|'.join(_SHELL_WORDS)})(?:[ \t]+[^ \t\n@]+){{0,4}}[ \t]+$")
_ID_LIKE = regex(r"[0-9._]")
_BLANKS = regex(r"[ \t]+")
_URL_PATH = regex(r"[/?=&#]")
# What follows the host of a remote: a port ("host:22"), a path ("git@github.com:org/repo.git",
# "host:~/x"); not a colon glued before the next words ("taro@gmail.com：よろしく", "x@y.com:thanks").
_REMOTE_PATH = regex(r":(?:[0-9]|[~/]|[a-z0-9._\-]{1,100}(?:/|\.git(?![a-z0-9])))")
# Endings of English words that are not also common first names (unlike -ed: Ahmed, -ly: Emily).
_WORD_ENDINGS = ("ing", "ful", "less", "ness", "ous", "able", "ible", "tion", "ment")
_CLAUSE_END = regex(rf"[ \t]*(?:[.,;:!?)\]&]|\n|$|{CLOSING_SYMBOL}|(?:and|or|but|so|pls|plz|please|thanks|thank|if)\b)")


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    text = doc.view.text
    words = doc.view.words()
    at_sign = "@" in text or _GLUED_HINT.search(text) is not None
    if not gated:
        # every pass behind the pre-check, with the text's own "@" (a forced "@" changes what the
        # passes read: "415 arobas libero" has no "@" and no dot, so no address)
        return _candidates(doc, at_sign)
    if not at_sign and not _MAIL_GATE.opens(text, words) and not _maybe_dot(text, words):
        return ()  # no "@", no mail word and no "dot": nothing below can match (most messages)
    return _candidates(doc, at_sign)


def _candidates(doc: Document, at_sign: bool) -> Iterator[Finding]:
    text = doc.view.text
    words = doc.view.words()
    at_word = (
        (_AT_GATE.opens(text, words) and _AT_WORD.search(text) is not None)
        or " a t " in text  # "j o h n a t g m a i l ..."
        or " a-t " in text  # "sara.j a-t gmail d-o-t com"
        or (bool(_UNSPACED_AT) and not text.isascii() and any(w in text for w in _UNSPACED_AT))  # "john艾特gmail"
        or (  # "john(a)gmail.com"
            (at_sign or _BRACKETED_AT_GATE.opens(text, words)) and _BRACKETED_AT.search(text) is not None
        )
    )
    dot_word = (at_sign or at_word) and (
        (_DOT_GATE.opens(text, words) and _DOT_WORD.search(text) is not None)
        or _DOT_BRACKET.search(text) is not None
        or " . " in text
        or " d o t " in text
        or " d-o-t " in text
        or (" dot" in text and _GLUED_DOTCOM.search(text) is not None)  # "x@gmail dotcom"
        or (bool(_UNSPACED_DOT) and not text.isascii() and any(w in text for w in _UNSPACED_DOT))
        or _DOTTED_DOMAIN.search(text) is not None  # "piotr (małpa) interia.pl": the dot itself typed
    )
    if not at_sign and not (at_word and dot_word) and not _MAIL_WORD.search(text):
        return
    cue = _LazyCue(doc.view)
    found: list[tuple[int, int, int, str]] = []  # (original start, end, pass order, rule)
    for view, spans, rule in _passes(doc, cue, at_word=at_word, dot_word=dot_word):
        for start, end in islice(spans, MAX_FINDINGS):
            o_start, o_end = view.to_original(start, end)
            found.append((o_start, o_end, len(found), rule))
        if len(found) >= MAX_FINDINGS:
            break  # a text this full of addresses is flagged already; the other readings cost more
    # The widest reading of each place wins ("john@gmail (dot) com" over "john@gmail"); on a tie the
    # plainest form names the rule.
    taken = _Spans()
    for o_start, o_end, _, rule in sorted(found, key=lambda f: (f[0] - f[1], f[2])):
        if not taken.add(o_start, o_end):
            continue
        if rule == "email.plain" and _disguised(doc.text[o_start:o_end]):
            rule = "email.disguised_characters"
        yield Finding(
            Kind.EMAIL, Severity.BLOCK, o_start, o_end, rule, _REASONS[rule], "email", SUGGESTION, MASK
        )


def _passes(
    doc: Document, cue: _LazyCue, *, at_word: bool, dot_word: bool
) -> Iterator[tuple[View, Iterator[tuple[int, int]], str]]:
    """Each reading of the text: (its view, the address spans in it, the rule). The views are
    derived one from another, and only when the caller asks for the next reading."""
    plain = doc.view
    text = plain.text
    yield plain, _addresses(plain, spelled=False, cue=cue), "email.plain"
    if "\n" in text and "@" in text:  # "john.smith@\ngmail.com": the address broken over two lines
        unbroken = plain.rewrite(_LINE_BREAK_IN_ADDRESS, "")
        if unbroken is not plain:
            yield unbroken, _addresses(unbroken, spelled=False, cue=cue), "email.split_address"
    # Spaced-out or spelled addresses always have a spaced "@" or an "at" word.
    spaced_at = at_word or " @" in text or "@ " in text
    joined = plain.rewrite(_SPACED_GAP, "") if spaced_at else plain
    if ("@" in text or at_word) and (" a-t " in text or _LETTER_RUN_HINT.search(text) is not None):
        # "k-a-t-e-8-8 at yahoo", "r.o.s.s@o.u.t.l.o.o.k.c.o.m", "a-t"
        joined = joined.rewrite(_LETTER_RUN, lambda m: m.group().replace(m.group("sep"), ""))
    if joined is not plain:
        yield joined, _addresses(joined, spelled=False, cue=cue), "email.spaced_letters"
    if _SPELLING_GATE.opens(text, plain.words()) and _PROVIDER_SPELLING.search(text):  # "g mail" -> "gmail"
        respelled = joined.rewrite(_PROVIDER_SPELLING, lambda m: _SPELLINGS[_BLANKS.sub(" ", m.group())])
        if respelled is not joined:  # "john@g mail.com"
            yield respelled, _addresses(respelled, spelled=False, cue=cue), "email.spaced_letters"
        joined = respelled
    worded = joined
    if spaced_at or dot_word:
        worded = joined.rewrite(_SPELLED_AT, "@").rewrite(_SPELLED_DOT, ".")
        if _MARK_GATE.opens(text, frozenset(plain.words())):
            worded = worded.rewrite(_SPELLED_MARK, "-")  # "john underscore smith at gmail dot com"
    if worded is not joined:
        yield worded, _addresses(worded, spelled=True, cue=cue, source=doc.text), "email.spelled_at_dot"
    if "@" in worded.text and _AT_PROVIDER_BLANK_TLD.search(worded.text):  # "johnsmith at gmail com": the dot left out
        undotted = worded.rewrite(_AT_PROVIDER_BLANK_TLD, lambda m: m.group(1) + ".")
        yield undotted, _addresses(undotted, spelled=worded is not joined, cue=cue, source=doc.text), "email.spelled_at_dot"
    if "," in worded.text and "@" in worded.text:  # "tina.r@gmail,com"
        commaed = worded.rewrite(_COMMA_DOT, lambda m: m.group(1) + ".")
        if commaed is not worded:
            yield commaed, _addresses(commaed, spelled=worded is not joined, cue=cue, source=doc.text), "email.spelled_at_dot"
    # Unless letters were joined (spaced-out letters, split provider names), the words of `worded`
    # are the text's, already known, plus "com" from "dotcom": good enough for the word gates.
    words = plain.words() if joined is plain else worded.words()
    word_set = frozenset(words)  # the gates below test it several times: a set is read once
    yield worded, _named(worded, word_set, cue), "email.provider_named"
    if "@" in text:
        if not text.isascii():  # "用户@例子.广告", "иван@почта.рф": an address in its own script
            yield plain, _idn_addresses(text), "email.international"
        if _PLUS_GATE.search(text):  # "alex.t + @ + outlook.com": joined with "+"
            yield (added := plain.rewrite(_PLUS_JOIN, "")), _addresses(added, spelled=False, cue=cue), "email.split_address"
    if "@" in text:  # "★を@に変えてください → ito.mika★gmail.com"
        for sym in _substituted_signs(text):
            swapped = plain.rewrite(regex(re.escape(sym)), "@")
            yield swapped, _addresses(swapped, spelled=False, cue=cue), "email.spelled_at_dot"
    yield worded, _glued(worded), "email.spelled_at_dot"
    yield worded, _split(worded, word_set), "email.split_address"
    yield worded, _labelled_domain(worded, word_set), "email.split_address"
    if "@" in worded.text:  # tried only before an "@" and a provider ("... @ gmail"), most texts have none
        spans = (m.span() for m in finditer_near(_NAME_REFERENCE_AT, _AT_PROVIDER_PLACE, worded.text, _NAME_REFERENCE_REACH))
        yield worded, spans, "email.provider_named"


# "same name @ yahoo", "mi nombre arroba gmail": the user name is one the reader already knows
# or an owner ("my", "same") and a noun for a name with up to two words between ("my FIVERR username"),
# and up to four words before the "@" ("same as my username here, at gmail"; not over a sentence's end)
_NAME_REFERENCE_AT = regex(
    rf"(?<![\w])(?:{alternation(normalize(w).text for w in GRAMMAR.get('name_references', ()))}"
    rf"|(?:{alternation(GRAMMAR.get('name_owners', ()))})(?:[ \t]+[^\s@.,;:!?]{{1,20}}){{0,2}}?[ \t]+(?:{alternation(GRAMMAR.get('name_nouns', ()))}))"
    rf"(?![\w])(?:[ \t,]+[^\s@.;:!?]{{1,20}}){{0,4}}?[ \t,]*@[ \t]*(?:{alternation(_NAMED_PROVIDERS)})(?![a-z])"
)
_AT_PROVIDER_PLACE = regex(rf"(?=@[ \t]*(?:{alternation(_NAMED_PROVIDERS)})(?![a-z]))")
# How far before its "@" a match may start: the longest reference (an owner, two words of up to 20
# characters and a noun, each blank up to 3 wide... counted generously), then four words of the gap.
_NAME_REFERENCE_REACH = (
    max(len(w) for w in [*GRAMMAR.get("name_references", ()), *GRAMMAR.get("name_owners", ()), *GRAMMAR.get("name_nouns", ())]) * 2
    + 2 * 21 + 4 * 24 + 16
)


# An address in another script: its own top-level domains (email_idn_tlds.txt).
_IDN_TLDS = frozenset(load_words("email_idn_tlds.txt"))
_IDN_LOCAL = regex(r"(?<![\w.%+-])[\w.%+-]{1,64}\Z")
_ASCII_TAIL = regex(r"[\x00-\x7f]*\Z")
_IDN_DOMAIN = regex(r"(?:[\w-]{1,63}\.)+([\w-]{2,63})(?![\w-])")


def _idn_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Read from each "@" (the first MAX_FINDINGS of them), so a text of thousands costs no more."""
    at = text.find("@")
    for _ in range(MAX_FINDINGS):
        if at < 0:
            return
        local, domain = _IDN_LOCAL.search(text, max(0, at - 64), at), _IDN_DOMAIN.match(text, at + 1)
        if local and domain and domain.group(1) in _IDN_TLDS | _TLDS:
            start = local.start()
            if text[at - 1].isascii():  # "邮箱是abc123@qq.com": the words glued before a Latin user name are not in it
                start = _ASCII_TAIL.search(text, start, at).start()
            if not text[start : domain.end()].isascii():
                yield start, domain.end()
        at = text.find("@", at + 1)


# Address pieces joined with "+" ('alex.t + @ + outlook.com', '"alex.t" + "@" + "outlook.com"').
_PLUS_GATE = regex(r"\+[ \t\"'“”‘’]*@|@[ \t\"'“”‘’]*\+")
# Led by its first character (a quote, blank or "+": a class the regex engine skips to in C) with a
# lookbehind after it for what stands before; same matches as
# r"(?<=[a-z0-9._@-])[\"'“”‘’]?[ \t]*\+[ \t]*[\"'“”‘’]?(?=[a-z0-9._@-])" (test_prechecks).
_PLUS_JOIN = regex(
    r"[\"'“”‘’ \t+](?<=[a-z0-9._@-][\"'“”‘’ \t+])(?:(?<=\+)|(?<=[\"'“”‘’ \t])[ \t]*\+)[ \t]*[\"'“”‘’]?(?=[a-z0-9._@-])"
)
# An instruction that a sign stands for "@" ("★を@に変えて", "replace # with @", "use @ instead of *",
# "把★换成@"): the sign is read as "@" everywhere in the message.
_SIGN = r"[\"'“”「(]?(?P<sym>[^\w\s@.,:;!?'\"“”「」()\[\]<>-])[\"'”」)]?"
_SUBSTITUTES = [
    regex(pattern)
    for pattern in (
        rf"{_SIGN}[ \t]*(?:を|は)[ \t]*[「\"']?@[」\"']?[ \t]*(?:に|へ|で)",
        rf"(?:replace|change|swap|substitute|read|turn)[ \t]+(?:the[ \t]+|every[ \t]+|each[ \t]+)?{_SIGN}[ \t]+"
        r"(?:with|to|for|by|into|as)[ \t]+(?:an?[ \t]+)?[\"'“”(]?@",
        rf"(?:把|将)[ \t]*{_SIGN}[ \t]*(?:换成|改成|替换成|替换为|变成)[ \t]*@",
        rf"{_SIGN}[ \t]*(?:=|→|->|=>|means|is)[ \t]*[\"'“”(]?@(?![\w.])",
        r"@[ \t]*[\"'”)]?[ \t]*(?:instead of|in place of|en lugar de|en vez de|no lugar de|au lieu de|invece di|statt|anstatt"
        rf"|zamiast|вместо|замість|yerine|thay cho|代替|替代|の代わり)[ \t]*(?:of[ \t]+)?(?:the[ \t]+)?{_SIGN}",
    )
]


_INSTRUCTION_REACH = 60  # characters around an "@" where an instruction about it may stand


def _substituted_signs(text: str) -> set[str]:
    """The signs an instruction says stand for "@", looked for around the first few "@" only."""
    signs: set[str] = set()
    at = text.find("@")
    for _ in range(8):
        if at < 0:
            break
        a, b = max(0, at - _INSTRUCTION_REACH), at + _INSTRUCTION_REACH
        signs.update(m.group("sym") for pattern in _SUBSTITUTES for m in pattern.finditer(text, a, b))
        at = text.find("@", b)
    return signs


class _Spans:
    """Disjoint spans kept sorted, so checking a new one for overlap costs a bisection."""

    __slots__ = ("_starts", "_ends")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Add [start, end) unless it overlaps a span already kept; say whether it was added."""
        i = bisect_right(self._starts, start)
        if (i > 0 and self._ends[i - 1] > start) or (i < len(self._starts) and self._starts[i] < end):
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def _disguised(original: str) -> bool:
    """Look-alike, fullwidth or invisible characters, as opposed to accents ("josé@...")."""
    if original.isascii():
        return False
    return not "".join(ch for ch in unicodedata.normalize("NFD", original) if not unicodedata.combining(ch)).isascii()


class _LazyCue:
    """Whether the text talks about email at all, looked up only when a form needs it."""

    __slots__ = ("_view", "_found")

    def __init__(self, view: View) -> None:
        self._view = view
        self._found: bool | None = None

    def __bool__(self) -> bool:
        if self._found is None:
            view = self._view
            self._found = _CUE_GATE.opens(view.text, view.words()) and _CUE.search(view.text) is not None
        return self._found


def _addresses(view: View, *, spelled: bool, cue: _LazyCue, source: str = "") -> Iterator[tuple[int, int]]:
    """View spans of addresses; `spelled` views need more evidence, since "at" is a common word."""
    text = view.text
    if "@" not in text:
        return
    for m in _ADDRESS.finditer(text):
        at = m.start()
        before = _LOCAL_BEFORE.search(text, at - 64 if at > 64 else 0, at)
        if before is None:
            continue
        local, domain = before.group(), m.group(1)
        labels = domain.rstrip("-").split(".")
        if labels[0] not in _PROVIDERS and _TLDS.isdisjoint(labels[1:]):
            if not _PROVIDER_GLUED_TLD.fullmatch(labels[0]):
                continue
            labels = labels[:1]  # "john@gmailcom": the dot left out
        start = before.start() + (len(local) - len(local.lstrip(".-+")))
        local = local.lstrip(".-+")
        if not _valid_local(local):
            continue
        tld_at = next((i for i in range(len(labels) - 1, 0, -1) if labels[i] in _TLDS), 0)
        if tld_at:
            labels = labels[: tld_at + 1]
        elif labels[0] in _PROVIDERS or _PROVIDER_GLUED_TLD.fullmatch(labels[0]):
            labels = labels[:1]
        else:
            continue
        end = at + 1 + len(".".join(labels))
        if spelled and not _plausible_spelling(view, source, local, labels, at, tld_at > 0, cue):
            continue
        if _reserved(local, labels) or _code_like(text, start, end):
            continue
        if not tld_at and not spelled and local in _NOT_LOCAL and not _ID_LIKE.search(local) and not cue:
            continue  # "me@gmail" alone is too thin; "email me@gmail" is not
        yield start, end


def _valid_local(local: str) -> bool:
    return bool(local.strip("._%+-")) and not local.endswith(".") and ".." not in local


def _reserved(local: str, labels: list[str]) -> bool:
    domain = ".".join(labels)
    return (
        local in _RESERVED["local"]
        or labels[-1] in _RESERVED["tld"]
        or domain in _RESERVED["domain"]
        or any(label in _RESERVED["label"] for label in labels)
        or all(label.isdigit() for label in labels)
    )


def _code_like(text: str, start: int, end: int) -> bool:
    """git@github.com:org/repo.git, https://user@host..., ssh deploy@build.acme.io."""
    if text.startswith(":", end) and _REMOTE_PATH.match(text, end):
        return True
    token_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    scheme = text.rfind("//", max(token_start, start - 200), start)
    if scheme >= 0 and not _URL_PATH.search(text, scheme + 2, start):  # user info: https://user@host
        return True
    window = text[max(0, start - 40) : start]
    return _SHELL_WORD.search(window) is not None and _REMOTE_SHELL.search(window) is not None


def _plausible_spelling(
    view: View, source: str, local: str, labels: list[str], at: int, has_tld: bool, cue: _LazyCue
) -> bool:
    """An address spelled in words needs a local part that is not an ordinary word ("look at ...")."""
    if has_tld and local in _MAILBOX_NAMES and labels[0] not in _NOT_LOCAL:
        return True
    if len(local) >= 2 and not _ordinary_word(local):
        if has_tld and labels[0] in _PROVIDERS:
            return True
        # "demo at mysite dot com" names a site, "john at gmail" may be a place: a user name needs
        # to look like one (as typed: "j.o.h.n.s.m.i.t.h" is joined in this view), or the text to be about email
        if _ID_LIKE.search(local) is not None or cue:
            return True
        if source and _ID_LIKE.search(source, *view.to_original(at - len(local), at)) is not None:
            return True
    a, b = view.to_original(at, at + 1)
    return _STRONG_AT.search(source, a, b) is not None  # "(at)" means "@" whatever is around it


def _named(view: View, words: frozenset[str], cue: _LazyCue) -> Iterator[tuple[int, int]]:
    """A provider named next to a user name, without any "@"."""
    text = view.text
    if not _MAIL_GATE.opens(text, words) or not _MAIL_WORD.search(text):
        return
    if _NAMED_THEN_LINK.search(text):  # "x@gmail.com" has no provider word joined to a name
        yield from _provider_then_name(text)
    yield from _local_on_domain(text, cue)
    if _LOCAL_THEN_NAMED_GATE.isdisjoint(words) or not _BLANK_THEN_PROVIDER.search(text):
        return  # no provider named after a blank ("email me the list", "x@gmail.com"): nothing to find
    for m in _LOCAL_THEN_NAMED.finditer(text):
        local = m.group("local")
        id_like = _ID_LIKE.search(local) is not None
        # "john.smith on gmail" may lean on a cue; "rahul.k1 gmail.com" needs a name shaped like an
        # id, or it is a word before a domain ("like gmail.com", "figma gmail.com integration")
        if m.group("bare") is not None:  # "mail adresim: mert.kaya gmail": an id, then the provider ending its clause
            if id_like and cue and _named_local(local):
                yield m.start("local"), m.end()
        elif any(m.group(g) is not None for g in ("paren", "sep", "wprov")):
            if id_like and _named_local(local) and not _file_name(local):
                yield m.start("local"), m.end()
        elif _named_local(local) and (id_like or (cue and m.group("domain") is None)):
            yield m.start("local"), m.end()


# "nazar.tkach на ukr.net", "alex.v на mail.ru": a word for "on" between a user name and a whole
# domain that no provider list holds; read only in a text about mail, from the word for "on".
_ON_DOMAIN = LazyPattern(
    rf"(?<=[a-z0-9])[ \t]{{1,3}}(?:{_ON_WORDS})[ \t]{{1,3}}"
    rf"(?P<domain>[a-z0-9][a-z0-9\-]{{0,62}}(?:\.[a-z0-9\-]{{1,63}}){{0,3}}\.(?:{alternation(sorted(_TLDS))}))(?![a-z0-9\-@/]|\.[a-z0-9])"
)
_ON_DOMAIN_LOCAL = regex(rf"(?<![a-z0-9._%+\-@/])(?:{_LOCAL})\Z")
_FILE_EXTENSIONS = frozenset(GRAMMAR.get("file_extensions", ()))
_LETTERS_2 = regex(r"[a-z]{2}")
# Where someone is found: "on yahoo as x", "en gmail como x"; not what a mail comes "from" or goes "via".
_ON_BEFORE = regex(
    rf"(?<![a-z0-9])(?:{alternation(sorted({w for role, w in _NAMED_WORDS if role == 'on'} - {'from', 'via'}))})[ \t]{{1,3}}\Z"
)


def _file_name(name: str) -> bool:
    """"logo_final.png", "backup.zip": a file, not a user name."""
    return "." in name and name.rsplit(".", 1)[-1] in _FILE_EXTENSIONS


def _local_on_domain(text: str, cue: _LazyCue) -> Iterator[tuple[int, int]]:
    if "." not in text or not cue:
        return
    for m in _ON_DOMAIN.finditer(text):
        domain = m.group("domain")
        if domain in _DOMAINS:  # a channel's own site ("x on behance.net")
            continue
        local = _ON_DOMAIN_LOCAL.search(text, max(0, m.start() - 64), m.start())
        if local is None:
            continue
        name = local.group().rstrip(".-")
        # a user name, not a file ("logo.png") or a version ("v2.1")
        if _ID_LIKE.search(name) and _named_local(name) and _LETTERS_2.search(name) and not _file_name(name):
            yield local.start(), m.end()


def _provider_then_name(text: str) -> Iterator[tuple[int, int]]:
    """"my gmail is johnsmith1990", "gmail: john.smith", "my email id is john_smith90"."""
    for m in finditer_near(_NAMED_THEN_LOCAL, _PROVIDER_PLACE, text, _NAMED_REACH):
        local = m.group("local").rstrip(".-")
        end = m.start("local") + len(local)
        if text[end : end + 1] == "@" or not _named_local(local):
            continue
        conn, generic = m.group("conn").strip(), m.group("prov").replace("-", "") == "email"
        id_like, label = _ID_LIKE.search(local) is not None, m.group("label") is not None or m.group("labelx") is not None
        mine = any(m.group(g) is not None for g in ("poss", "possx", "after", "afterx"))
        if m.group("marker"):  # "Gmailは suzuki.jp": a topic marker reads like ":"
            conn = ":"
        if m.group("as"):  # "búscame en gmail como andres.mora7": someone found ON the provider, not "save the gmail as draft_v2"
            ok = id_like and not generic and _ON_BEFORE.search(text, max(0, m.start("prov") - 16), m.start("prov")) is not None
        elif m.group("comma"):  # "yahoo, tên là bichngoc_91": a name said after a comma, not "gmail, name tags"
            ok = id_like and (conn == ":" or bool(m.group("copula") or m.group("copula2")))
        elif conn == "," or m.group("ccomma"):  # "mi gmail, lucia.fdz92", "escríbeme al gmail, es martina.estudio"
            ok = id_like and (mine or m.group("ccomma") is not None) and _ends_clause(text, end)
        elif generic:  # "my email id is john_smith90": no provider, so only someone's id-looking name
            ok = id_like and (mine or label) and _ends_clause(text, end)
        elif not conn:  # "gmail johnsmith1990", "gmail id john.smith"
            ok = id_like or label
        elif conn.startswith("-"):
            ok = id_like
        elif m.group("copula") or m.group("copula2"):  # "my gmail is ...", not "gmail is great"
            # a plain word after a copula only in the languages whose ordinary words are listed
            # (email_not_local.txt): "my gmail is full" stays clean, so must "mon gmail est plein"
            plain_ok = m.group("copula") in _LISTED_COPULAS and _ends_clause(text, end)
            ok = (mine or label) and (id_like or plain_ok)
            paired = _PAIRED_COPULAS.get(m.group("copula") or "")
            ok = ok and (paired is None or m.group("poss") in paired)
        else:  # "gmail: john.smith", not "gmail: integration done"
            ok = id_like or _ends_clause(text, end)
        if ok:
            yield m.start("prov"), end


def _glued(view: View) -> Iterator[tuple[int, int]]:
    """"johnATgmailDOTcom": the user name is the whole run of address characters before "at<provider>"
    (2 to 64 of them, without one "._-" right before "at"); when that is too short, a later
    "at<provider>" in the same run may still do."""
    text = view.text
    if not _GLUED_HINT.search(text):
        return
    taken = 0  # where the last match ended: a user name cannot start inside it
    m = _GLUED_DOMAIN.search(text)
    while m is not None:
        at = m.start()
        m, found = _GLUED_DOMAIN.search(text, at + 1), m  # domains may overlap ("x.at.gmail.com")
        run = _RUN_BEFORE.search(text, max(taken, at - 66), at)
        if run is None:
            continue  # the run begins inside the last match, or is too long for a user name
        start = run.start()
        end = at - 1 if at - start > 2 and text[at - 1] in "._-" else at
        if not 2 <= end - start <= 64:
            continue
        taken = found.end()
        if m is not None and m.start() < taken:
            m = _GLUED_DOMAIN.search(text, taken)
        local = text[start:end]
        if _valid_local(local) and local not in _NOT_LOCAL:
            yield start, taken


def _split(view: View, words: frozenset[str]) -> Iterator[tuple[int, int]]:
    """A provider domain with no user name before it, and a user name close by."""
    text = view.text
    if "@" not in text or _PROVIDER_DOMAIN_GATE.isdisjoint(words):
        return
    for m in _BARE_PROVIDER_DOMAIN.finditer(text):
        lo = max(0, m.start() - 60)
        name = _name_just_before(text[lo : m.start()])
        if name is not None:  # "john @gmail.com", "john + @gmail.com"
            yield lo + name, m.end()
            continue
        before = [t for t in _WORD.finditer(text, m.start() - 40 if m.start() > 40 else 0, m.start()) if _id_like(t)]
        if before:  # "johnsmith1990, add @gmail.com"
            yield before[-1].start(), m.end()
            continue
        after = next((t for t in _WORD.finditer(text, m.end(), m.end() + 40) if _id_like(t)), None)
        if after is not None:  # "add @gmail.com after johnsmith1990"
            yield m.start(), after.end()


# "user: tom.h88 / domain: yahoo.com", "y el dominio gmail.com": a provider's domain labelled as the
# domain, its user name the last id-shaped word before the label (up to 60 characters before it)
_LABELLED_DOMAIN = LazyPattern(
    rf"(?<![\w])(?:{alternation(GRAMMAR.get('domain_words', ()))})(?:[ \t]*[:=\-]|[ \t]+(?:{_named_words('copula', latin=True)}))?[ \t]*"
    rf"@?(?:{alternation(_PROVIDERS.values())})(?![a-z0-9.\-])"
)
_LABEL_GAP = 6  # ", ", "\n", " and ", " y "
_DOMAIN_WORD_GATE = gate_words(GRAMMAR.get("domain_words", ()))


def _labelled_domain(view: View, words: frozenset[str]) -> Iterator[tuple[int, int]]:
    text = view.text
    if _PROVIDER_DOMAIN_GATE.isdisjoint(words) or not _DOMAIN_WORD_GATE.opens(text, words):
        return
    for m in _LABELLED_DOMAIN.finditer(text):
        before = [t for t in _WORD.finditer(text, max(0, m.start() - 60), m.start()) if _id_like(t)]
        # the name right before the label ("tom.h88\ndomain:", "lily.w and the domain is"), not a word
        # of a sentence before it ("build_v2 is done, the domain is outlook.com")
        if before and m.start() - before[-1].end() <= _LABEL_GAP and not _file_name(before[-1].group()):
            yield before[-1].start(), m.end()


def _name_just_before(head: str) -> int | None:
    """Where the word right before the domain starts, when only blanks and maybe a "+" separate
    them and it can be a user name; None otherwise."""
    stripped = head.rstrip(" \t")
    if stripped == head:
        return None  # "x@gmail.com" is not split
    if stripped.endswith("+"):
        stripped = stripped[:-1].rstrip(" \t")
    start = max(stripped.rfind(" "), stripped.rfind("\t"), stripped.rfind("\n")) + 1
    name = stripped[start:]
    return start if _LOCAL_WORD.fullmatch(name) and _named_local(name) else None


def _id_like(word: re.Match[str]) -> bool:
    """A user-name-looking word: letters with digits, dots or underscores ("johnsmith1990")."""
    token = word.group()
    return _ID_LIKE.search(token) is not None and any(ch.isalpha() for ch in token)


def _named_local(local: str) -> bool:
    return len(local) >= 3 and not _ordinary_word(local) and any(ch.isalpha() for ch in local) and _valid_local(local)


def _ordinary_word(local: str) -> bool:
    """A dictionary word rather than a user name: listed, or shaped like an inflected word."""
    return local in _NOT_LOCAL or (local.isalpha() and local.endswith(_WORD_ENDINGS))


def _ends_clause(text: str, end: int) -> bool:
    """The name ends its clause: "my gmail is johnsmith.", "... johnsmith and my number is ..." """
    return _CLAUSE_END.match(text, end) is not None
