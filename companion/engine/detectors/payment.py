"""Paying outside the platform.

REQUEST (warn): payment talk that names an outside way to pay or says "directly"/"outside" in the
same clause ("pay me directly via PayPal", "cancel the order and pay me outside", "pague por pix"),
or fee avoidance on its own ("let's skip Fiverr fees").
IDENTIFIER (block): a payment destination — PayPal/Venmo/Cash App/Pix/UPI/mobile-money handles or
numbers after a payment cue, account numbers after a bank's name, $cashtags near Cash App, IBANs
(mod-97 checksum), Bitcoin addresses (base58check, bech32/bech32m checksums), Tron addresses
(base58check), Ethereum addresses (EIP-55 checksum when mixed case; all one case only with a crypto
cue) and UPI ids (name@okaxis).

The checksums are small pure functions below (no dependencies beyond hashlib).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator

from companion.engine.context.ids import AT_HANDLE, cue_near, id_after, separator_words
from companion.engine.context.scan import Cues, Hit, cues_of, within
from companion.engine.context.work import is_work_object, paid_by_the_work
from companion.engine.detectors import email as email_detector
from companion.engine.detectors import link as link_detector
from companion.engine.detectors import phone as phone_detector
from companion.engine.detectors.base import bounded, found_by
from companion.engine.lexicon.automaton import unspaced
from companion.engine.lexicon.grammar import GRAMMAR, PREPOSITION_BEFORE, grammar_pattern
from companion.engine.lexicon.registry import DOMAINS, channels_in, label
from companion.engine.document import Document
from companion.engine.lexicon.files import LazyPattern, load_table, load_words
from companion.engine.model import Finding, Kind, Severity
from companion.engine.text import LATIN_LETTERS, LATIN_WORD, normalize, whole_word
from companion.engine.lexicon.compiled import regex

MASK = "[account removed]"  # no payment word in a placeholder: "payment" is a cue
_SUGGESTION = "Please pay through the order so both of us stay protected."
_TALK_REASON = (
    "Paying or being paid outside the platform is against its rules and removes the protection of the order."
)
_DESTINATION_REASON = "This is a payment destination outside the platform; payments must go through the order."

# Channels whose ids are handles or numbers ("paypal: john", "pix: 1198..."); banks and crypto have
# their own formats below.
_HANDLE_PAYMENTS = frozenset(
    {"paypal", "venmo", "cashapp", "zelle", "payoneer", "wise", "revolut", "skrill", "pix", "upi", "mobile_money", "bank_transfer", "mercado_pago"}
)
_PAYMENT_CHANNELS = channels_in("payment")
_DIGIT_IDS = frozenset({"pix", "upi", "mobile_money", "zelle", "bank_transfer"})
_MIN_ACCOUNT_DIGITS = 6  # "Bank: HDFC" names a bank; "HDFC a/c 50100123456789" is an account
_IBAN_SHAPED = regex(r"[a-z]{2}\d{2}")
_MIN_BARE_DIGITS = 8  # "GTBank 0123456789" is an account; "JazzCash 2000 rupees" an amount
# An account number right after a bank or wallet name, without a separator ("GTBank 0123456789").
# Digits right after a bank's or wallet's name, maybe after the kind of account ("Bancolombia ahorros
# 123-456789-01"); up to a Polish NRB's 26 digits in groups ("mBank 12 1140 2004 0000 3002 0123 4567").
_ACCOUNT_KINDS = sorted({normalize(w).text for w in GRAMMAR.get("account_kinds", ())}, key=lambda w: (-len(w), w))
_DIGITS_AFTER = regex(
    r"[ \t]*(?:(?:" + "|".join(map(re.escape, _ACCOUNT_KINDS)) + r")(?![a-z])[ \t]*)?[:#=-]?[ \t]*(\d(?:[\d -]{4,34})\d)(?!\d)"
)
_CASHTAG_CUES = frozenset({"cashapp", "venmo"})

_IBAN_LENGTHS: dict[str, int] = {row[0]: int(row[1]) for row in load_table("iban_lengths.tsv")}
_UPI_SUFFIXES: frozenset[str] = frozenset(load_words("upi_suffixes.txt"))

_IBAN = regex(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}")
# Base58check addresses: Bitcoin (1…, 3…), Tron (T…), Litecoin (L…, M…), Dogecoin (D…); XRP (r…) has
# its own alphabet. Bech32: Bitcoin (bc1…) and Litecoin (ltc1…).
_BASE58_ADDRESS = regex(r"(?<![A-Za-z0-9])[13TLMDr][1-9A-HJ-NP-Za-km-z]{24,34}(?![A-Za-z0-9])")
_BTC_BECH32 = regex(r"(?<![A-Za-z0-9])(?:bc1|BC1|ltc1|LTC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![A-Za-z0-9])")
# A Solana address: 32 bytes in base58 (no checksum: only with a crypto cue in the text).
_SOLANA = regex(r"(?<![A-Za-z0-9/=?&#.-])[1-9A-HJ-NP-Za-km-z]{32,44}(?![A-Za-z0-9/])")  # not in a URL
# A TON address, user-friendly form: 36 bytes in base64 (url-safe or not), "EQ…"/"UQ…", CRC16 checked.
_TON = regex(r"(?<![A-Za-z0-9_+/-])[EU]Q[A-Za-z0-9_+/-]{46}(?![A-Za-z0-9_+/=-])")
_ETH = regex(r"(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])")
_CRYPTO_CUE = LazyPattern(whole_word(grammar_pattern("crypto_cues")))  # "ক্রিপ্টো" ends in a vowel sign
_UPI = regex(r"(?<![a-z0-9._-])[a-z0-9][a-z0-9._-]{1,63}@([a-z]{2,20})(?![a-z0-9@])(?!\.[a-z])")
_UPI_BANK = regex(r"@(?<=[a-z0-9._-]@)([a-z]{2,20})(?![a-z0-9@])(?!\.[a-z])")  # the "@okaxis" of a UPI id
_UPI_HANDLE = regex(r"(?<![a-z0-9._-])[a-z0-9][a-z0-9._-]{1,63}$")  # the handle before it
_UPI_CUE = LazyPattern(whole_word(grammar_pattern("upi_cues")))
_CASHTAG = regex(r"(?<![\w$])\$[a-z][a-z0-9_]{0,19}(?![\w])")
_PAID_REPORTS = frozenset(GRAMMAR.get("paid_reports", ()))
_DIRECT_ADVERBS = frozenset(GRAMMAR.get("direct_adverbs", ()))  # "directly", "直接": bare, no fee said
_PAID_REPORT_BEFORE = LazyPattern(rf"{whole_word(grammar_pattern('paid_report_before'))}\s+$")
_PAID_REPORT = LazyPattern(rf"{whole_word(grammar_pattern('paid_report_before'))}\s+(?:{grammar_pattern('paid_reports')})(?!\w)")
_PAID_TO = LazyPattern(rf"\s+{whole_word(grammar_pattern('paid_to'))}")  # "I paid YOU on PayPal": outside
_NOT_PAYING = LazyPattern(rf"\s+{whole_word(grammar_pattern('not_paying'))}")
# Words that make a clause about building payments rather than paying ("add PayPal payments to my app").
_WORK_CONTEXT = regex(whole_word(grammar_pattern("payment_work_context")))
# Building payments into the work; a verb of a script written without spaces matches glued ("接入到").
_BUILDING = LazyPattern(separator_words("payment_build_verbs"))
_ORDER_NOUN = LazyPattern(separator_words("order_nouns"))
# The object of a weak paying verb ("send", "kirim") a word or two after it, when it is a deliverable
# (grammar list deliverables: "send the banner design", "kirim desain banner"): the work is sent.
_DELIVERABLE_OBJECT = LazyPattern(rf"(?:\s+[^\W\d_]+){{0,2}}?\s+{whole_word(grammar_pattern('deliverables'))}")
# Who pays on a site or account being built ("CUSTOMERS pay on my website"): not the other side of the order.
# Whether any account format can be present (most messages: no): the text's UTF-8 bytes reduced to
# their shape (ASCII letters "a", digits "0"; other bytes stay as they are), so that substring checks
# replace a regex scan.
_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SHAPE = bytes.maketrans(_LETTERS + b"0123456789", b"a" * len(_LETTERS) + b"0" * 10)
_DIGIT_AS_LETTER = bytes.maketrans(b"0", b"a")
_LONG_RUN = b"a" * 26  # Bitcoin and Tron addresses have 26 or more; Ethereum's 0x + 40 hex too


# A bank account, card or wallet number after its label ("sort code 20-00-00", "nr konta: 38 7509 ...",
# "계좌: 국민은행 123456-01-234567", "振込先：三菱UFJ銀行 渋谷支店 普通 1234567"): the label, then at
# most 40 characters without digits or a sentence end (a bank's or branch's name), then at least six
# digits in groups. Amounts ("conta de 150000") are round; dates and times have their own shapes.
def words_pattern(words: Iterable[str]) -> str:
    """An alternation of `words` as a prefix tree led by a lookahead for their first characters
    ("(?=[as])(?:a(?:ccount(?:\\s+n(?:o|umber))?|ba)|s…)"): the regex engine tests one character
    class at most positions and then follows one branch, instead of trying every word at every
    position (the CJK adversarial text: 2.1 -> 0.2 ms). At one position the words that match are
    prefixes of each other, and the tree tries the longer first, as a longest-first list does: the
    same matches. A blank matches any run of white space."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict[str, dict]) -> str:
        alternatives = [(r"\s+" if ch == " " else re.escape(ch)) + branch(node[ch]) for ch in sorted(node) if ch]
        if not alternatives:
            return ""
        if len(alternatives) == 1 and "" not in node:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + (")?" if "" in node else ")")

    firsts = "".join(sorted({re.escape(w[0]) for w in tree if w}))
    return f"(?=[{firsts}])" + branch(tree) if firsts else "(?!)"


_ACCOUNT_CUE_WORDS = {normalize(w).text for w in GRAMMAR.get("account_cues", ())}
_ACCOUNT_NUMBER = regex(
    rf"(?<![{LATIN_WORD}])(?P<cue>" + words_pattern(_ACCOUNT_CUE_WORDS) + r")"
    rf"(?![{LATIN_LETTERS}])\.?" r"[^\d\n.!?。！？]{0,40}?(?<![\d/+])(?P<number>\d(?:[ -]?\d){5,33})(?![\d/])"  # "acct no. 0052..."
)
# The same after a word for an account that has other senses too, read only with a bank named in
# its sentence ("Nubank, agência 0001 conta 1234567-8", "Konto bei der Sparkasse: 1234567890").
_ACCOUNT_WORDS = {normalize(w).text for w in GRAMMAR.get("account_words", ())}
_WEAK_ACCOUNT_NUMBER = regex(
    rf"(?<![{LATIN_WORD}])(?P<cue>" + words_pattern(_ACCOUNT_WORDS) + r")"
    rf"(?![{LATIN_LETTERS}])" r"[^\d\n.!?。！？]{0,40}?(?<![\d/+])(?P<number>\d(?:[ -]?\d){5,33})(?![\d/])"
)
_SHORT_LABEL = 3  # Latin "cc", "c/c", "tk": abbreviations label only the number right after them
_SHORT_LABEL_GAP = 3  # "cc: ", "tk - "
_SIX_DIGITS = regex(r"\d(?:[ -]?\d){5}")
# A currency or a unit after the digits ("2500000 rupees", "1234567 views"): the units phones use too.
_AMOUNT_AFTER = regex(
    r"[ \t]*(?:[$€£¥₹₩%]|(?:"
    + "|".join(
        re.escape(w)
        for w in sorted({w for where, w in load_table("phone_not_phone.tsv") if where == "after"}
        | {"usd", "eur", "rs", "inr", "pkr", "reais", "rupees", "rub", "руб", "грн", "won", "원", "円", "元", "zl", "tl", "lira", "points", "pts"}, key=lambda w: (-len(w), w))
    )
    + r")(?![a-z]))"
)


def _maybe_account(text: str) -> bool:
    """An IBAN's start ("DE89"), a run of 26 letters and digits, or "bc1": maybe an account."""
    shape = text.encode("utf-8", "surrogatepass").translate(_SHAPE)  # a lone surrogate is still text
    if b"0" not in shape:
        return False  # every format has digits (Bitcoin: all but one in 10^3)
    return (
        b"aa00" in shape
        or "bc1" in text
        or "BC1" in text
        or "ltc1" in text
        or "LTC1" in text
        or _LONG_RUN in shape.translate(_DIGIT_AS_LETTER)
    )


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    cues = cues_of(doc)
    classes = cues.classes
    named = not cues.channels.isdisjoint(_PAYMENT_CHANNELS)  # a way to pay is named
    # (other scripts' digits read in the view: "SA٠٣ ٨٠٠٠ ..." is an IBAN's start too)
    account = _maybe_account(doc.text) or (not doc.text.isascii() and _maybe_account(doc.view.text))
    if not gated:
        return _candidates(doc, cues, True, True)
    if not (
        named
        or account
        or "payfee" in classes
        or ("feeskip" in classes and "fee" in classes)
        or (("feetake" in classes or "fee" in classes) and cues.has("paydirect", "outside"))
        or "paydetail" in classes
        or ("payacct" in classes and "pay" in classes)
        or ("pay" in classes and cues.has("paydirect", "outside"))
        or ("pay" in classes and "paybefore" in classes)
        or "@" in doc.view.text
        or _PAYMENT_LINK_NAMES.search(doc.view.text) is not None
        or _SIX_DIGITS.search(doc.view.text) is not None  # an account number after its label?
    ):
        return ()  # most messages: nothing about paying, so no generator is started
    return _candidates(doc, cues, named, account)


@bounded
def _candidates(doc: Document, cues: Cues, named: bool, account: bool) -> Iterator[Finding]:
    view_text = doc.view.text
    channels = [h for h in cues.of("channel", "channel_weak", "abbrev") if h.arg in _PAYMENT_CHANNELS] if named else []
    if channels and "internal" in cues.classes:
        # a way to pay inside a phrase of the platform's own payment ("can I pay WITH MY CARD?": what every
        # checkout takes) is the order's payment
        internal = cues.of("internal")
        channels = [h for h in channels if not any(
            i.start <= h.start and h.end <= i.end and i.end - i.start > h.end - h.start for i in internal
        )]
    if "pay" in cues.classes and (channels or cues.has("paydirect", "outside")):
        yield from _payment_talk(doc, cues, channels)
    if "paybefore" in cues.classes and "pay" in cues.classes:
        yield from _paid_before_the_work(doc, cues)
    for hit in cues.of("payfee") if "payfee" in cues.classes else ():
        yield _talk(doc, hit.start, hit.end, None, "payment.fee_avoidance")
    if "feeskip" in cues.classes and "fee" in cues.classes:
        yield from _fee_frames(doc, cues)
    if ("feetake" in cues.classes or "fee" in cues.classes) and cues.has("paydirect", "outside"):
        yield from _cut_frames(doc, cues)
    if channels:
        if cues.has("paysend"):
            yield from _sending(doc, cues, channels)
        handle_cues = [h for h in channels if h.arg in _HANDLE_PAYMENTS]
        if handle_cues:
            yield from _payment_handles(doc, cues, handle_cues)
            yield from _identifiers_paid_to(doc, cues, handle_cues)
    if _PAYMENT_LINK_NAMES.search(view_text) is not None:
        yield from _payment_links(doc)
    if channels and ("?" in view_text or "؟" in view_text):
        yield from _payment_questions(doc, cues, channels)
    if channels:
        yield from _channel_as_verb(doc, cues, channels)
        if "paydirect" in cues.classes:
            yield from _direct_ways(doc, cues, channels)
        yield from _preferences(doc, cues, channels)  # a "prefer" cue, or "instead" right after the way to pay
        if cues.has("ask", "after", "have"):
            yield from _asked_for(doc, cues, channels)
    if "paydetail" in cues.classes or channels:
        yield from _details_for_paying(doc, cues, channels)
    if "payacct" in cues.classes and "pay" in cues.classes:
        yield from _into_accounts(doc, cues)
    if account:
        yield from _accounts(doc, cues)
    if _SIX_DIGITS.search(view_text) is not None:
        yield from _account_numbers(doc, cues, channels)
    if channels and any(h.arg == "pix" for h in channels):
        yield from _pix_keys(doc, [h for h in channels if h.arg == "pix"])
    if _maybe_card(doc.text):
        yield from _cards(doc)
    if "@" in view_text:
        yield from _upi_ids(doc, cues)


# ------------------------------------------------------------------------------- payment talk

_SHORT_QUESTION_WORDS = 5  # "Can we just do ACH?"; longer questions name a way to pay for other reasons


def _in_payout_sentence(cues: Cues, pos: int) -> bool:
    """Whether the sentence at `pos` speaks of the platform's payout (withdrawing earnings, "sacar o
    saldo"): a way to pay there is where the platform pays out, not paying outside."""
    return "payout" in cues.classes and bool(within(cues.of("payout"), *cues.sentence(pos)))


def _payment_questions(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """A short question that names a way to pay ("accetti Satispay?", "GPay chalega?", "Revolut może
    być?", "aceita boleto?"): asking whether the other side takes payment that way."""
    text = cues.text
    for c in channels:
        start, end = cues.sentence(c.start)
        if end >= len(text) or text[end] not in "?؟" or is_work_object(text, c):
            continue
        if within(cues.of("internal"), cues.sentence(max(0, start - 1))[0], end):
            continue  # "which withdrawal method has lower fees? bank or card?": the platform's payout
        # a way to pay of several words counts as one ("آپ کا ایزی پیسہ اکاؤنٹ ہے؟")
        words = len(text[start:end].split()) - len(text[c.start : c.end].split()) + 1
        if words > _SHORT_QUESTION_WORDS or _WORK_CONTEXT.search(text, start, end):
            continue
        yield _talk(doc, max(start, c.start - 30) if start < c.start - 30 else start, end + 1, c.arg, "payment.question")




_PREFER_GAP = 16  # characters from the way to pay to the preference after it ("PayPal would be easier")


def _preferences(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """A way to pay named, then preferred ("PayPal would be easier for me", "Wise is cheaper",
    "bank wire ok for the rest?"): proposing to be paid that way. Not when the clause builds payments,
    the way to pay is the work, or the platform's own payment stands between ("PayPal at checkout is
    easier")."""
    text = cues.text
    prefers = cues.of("prefer") if "prefer" in cues.classes else []
    internal = cues.of("internal")
    for c in channels:
        after = within(prefers, c.end, c.end + _PREFER_GAP + 24) if prefers else ()
        p = next((h for h in after if h.start - c.end <= _PREFER_GAP), None)
        if p is None:
            m = _INSTEAD.match(text, c.end)  # "would you be ok with Venmo INSTEAD?"
            if m is None:
                continue
            p = Hit(m.start(1), m.end(1), "prefer", None)
            clause = cues.clause(c.start)
            if _WORK_CONTEXT.search(text, *clause) or _PAID_REPORT.search(text, *clause):
                continue  # "add Apple Pay instead of PayPal to the checkout", "I paid with my card instead"
        if is_work_object(text, c) or not cues.same_clause(c.start, p.start):
            continue
        if within(internal, c.end, p.start) or _WORK_CONTEXT.search(text, cues.clause(c.start)[0], p.end):
            continue
        yield _talk(doc, c.start, p.end, c.arg, "payment.preference")


_INSTEAD = LazyPattern(rf"[ \t]*({whole_word(grammar_pattern('payment_instead'))})")

_ASK_GAP = 14  # characters between a request verb and the way to pay it asks for ("podaj mi swój numer BLIK")


def _asked_for(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """A way to pay asked for or offered with a request verb close by: before it ("heb je een IBAN voor
    me?", "kirim no. rekening", "liever via bankoverschrijving"), or after it in verb-final order
    ("বিকাশ নম্বরটা দেন", "JazzCash number bata dein"). The request detector reports contact nouns;
    this is the way to pay itself."""
    text = cues.text
    before = cues.of("ask", "have")
    after = cues.of("after")
    for c in channels:
        if is_work_object(text, c):
            continue
        if _in_payout_sentence(cues, c.start):
            continue  # "can I withdraw my earnings to Payoneer?", "kya main apni earnings Payoneer mein withdraw kar sakta hoon?": the platform's payout, not paying
        verb = next((h for h in within(before, max(0, c.start - _ASK_GAP - 24), c.start) if _close(text, h.end, c.start)), None)
        if verb is None:
            verb = next((h for h in within(after, c.end, c.end + _ASK_GAP + 24) if _close(text, c.end, h.start)), None)
        if verb is None:
            continue
        a, b = (verb.end, c.start) if verb.start < c.start else (c.end, verb.start)
        if not cues.same_clause(min(verb.start, c.start), max(verb.start, c.start)) and not _aside(text, a, b):
            continue  # a clause between, unless it is only a "please" set off by commas
        if _WORK_CONTEXT.search(text, *cues.clause(c.start)):
            continue
        yield _talk(doc, min(verb.start, c.start), max(verb.end, c.end), c.arg, "payment.asked")


def _close(text: str, a: int, b: int) -> bool:
    """Whether a request verb and a way to pay are close: at most two words between, or only
    postpositions in scripts written without spaces ("カード番号の入力欄を作って" makes an input field),
    not counting a "please" or filler set off between them (_aside)."""
    if not 0 <= b - a <= _ASK_GAP:
        return _aside(text, a, b)
    gap = text[a:b]
    return _BEFORE_SEND.fullmatch(gap) is not None or (len(gap.split()) <= 2 and not unspaced(gap)) or _aside(text, a, b)


_ASIDES = LazyPattern(rf"[\s,]*(?:(?:{whole_word(grammar_pattern('ask_asides'))})[\s,]*)+")
_ASIDE_REACH = 40  # characters of asides between a request verb and its object


def _aside(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] holds asides ("please", fillers), commas and at most two other words
    ("Надішліть, будь ласка, реквізити", "Pakisend na lang po ng bank details")."""
    if not 0 <= b - a <= _ASIDE_REACH or not any(ch.isalpha() for ch in text[a:b]):
        return False
    core = _ASIDES.sub(" ", text[a:b])
    return len(core) < b - a and len(core.split()) <= 2 and not unspaced(core) and not any(ch in ".!?;:" for ch in core)


# "I'll Revolut you the deposit", "Venmo me": a way to pay used as a verb, with its object right
# after and a subject or modal (or nothing: the clause's start) right before.
_VERB_OBJECT = regex(rf"[ \t]+(?:{grammar_pattern('channel_verb_objects')})(?![\w'’])")
_VERB_SUBJECT = regex(rf"(?:^|(?<![\w'’])(?:{grammar_pattern('channel_verb_subjects')}))[ \t]*$")


def _channel_as_verb(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    text = cues.text
    for c in channels:
        m = _VERB_OBJECT.match(text, c.end)
        if m is None or c.cls != "channel" or is_work_object(text, c):
            continue
        clause_start = cues.clause(c.start)[0]
        if _VERB_SUBJECT.search(text[max(clause_start, c.start - 16) : c.start]):
            if "pay" in cues.classes and _clause_names_work_part(cues, c) and not cues.in_clause(_partners_outside(cues), c.start):
                continue  # "please wire it into the payment page": building the work
            yield _talk(doc, c.start, m.end(), c.arg, "payment.channel_as_verb")


# Ways to pay that are no company's name: "direct" beside them makes the way outside ("direct bank
# transfer", "تحويل بنكي مباشر", "transferencia directa"); beside a brand it may say whom to contact
# ("ask PayPal directly about the refund").
_GENERIC_WAYS = frozenset({"bank_transfer", "card", "cash", "crypto", "check", "gift_card", "mobile_money"})
_DIRECT_BESIDE = regex(r"[ \t]*")


def _direct_ways(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """A generic way to pay with a one-word "direct"/"outside" right before or after it, nothing but blanks
    between ("direct bank transfer", "virement direct", "تحويل بنكي مباشر"): paying outside, even
    with no verb of paying ("let's do a direct bank transfer"). Not when the clause builds payments
    or names the platform's own payment."""
    text = cues.text
    direct = [h for h in cues.of("paydirect") if h.arg != "apart"]  # "a separate bank transfer" may be a second order
    internal = cues.of("internal")
    for c in channels:
        if c.arg not in _GENERIC_WAYS or is_work_object(text, c):
            continue
        d = next(
            (h for h in within(direct, max(0, c.start - 40), c.end + 40)
             if h.end <= c.start and _DIRECT_BESIDE.fullmatch(text, h.end, c.start)
             or h.start >= c.end and _DIRECT_BESIDE.fullmatch(text, c.end, h.start)),
            None,
        )
        if d is None or len(text[d.start : d.end].split()) > 1:
            continue  # one word: "pole numer karty NA MOJEJ STRONIE" places a field on a site
        clause = cues.clause(c.start)
        if within(internal, *clause) or _WORK_CONTEXT.search(text, *clause):
            continue
        yield _talk(doc, min(c.start, d.start), max(c.end, d.end), c.arg, "payment.direct_way")
        return


_PLATFORM_NAMES = frozenset(normalize(w).text for w in GRAMMAR.get("platform_names", ()))
_OTHER_FEE_BEFORE = LazyPattern(rf"{whole_word(grammar_pattern('fee_other_kinds'))}[\s-]*$")
# "la comisión DEL BANCO", "the fee OF THE PRINTER": a genitive naming another fee's owner
_OTHER_FEE_AFTER = LazyPattern(
    rf"\s+(?:{grammar_pattern('payment_remainder_of')})(?:\s+(?:{grammar_pattern('determiners')}))?\s+{whole_word(grammar_pattern('fee_other_kinds'))}"
)
_FEE_REACH = 36
_INTO_REACH = 48  # characters from a verb of paying to the account it pays into ("send the money to your dad's account")
_INTO_BEFORE_REACH = 20  # verb-final: the account, its postposition, then the verb ("口座に振り込んで")
# the preposition, then at most two words that are no preposition themselves ("to YOUR DAD'S account",
# not "bayad na po VIA card")
_PAY_INTO = LazyPattern(
    whole_word(grammar_pattern("pay_into"))
    + rf"(?:\s+(?!(?:{grammar_pattern('prepositions')})\s)[^\s]+){{0,2}}\s*$"
)
_PAY_INTO_AFTER = LazyPattern(rf"\s*(?:{grammar_pattern('pay_into_after')})(?![^\W\d_])")
_AMBIGUOUS_PAY = frozenset(normalize(w).text for w in GRAMMAR.get("pay_ambiguous", ()))


def _moves_other_things(cues: Cues, verb: Hit, clause: tuple[int, int]) -> bool:
    """A verb of paying that also moves other things ("transfer", "transfere") with no other word of
    money in its clause: "transfer the domain to your account" is the work."""
    if cues.text[verb.start : verb.end] not in _AMBIGUOUS_PAY:
        return False
    return not any(h[:2] != verb[:2] for h in within(cues.of("pay", "money"), *clause))


def _into_accounts(doc: Document, cues: Cues) -> Iterator[Finding]:
    """Paying into an account, card or wallet, whoever's: the frame [verb of paying] + [into] +
    [account noun] (`payacct`: "account", "conta", "tài khoản", "картку", "口座"), the account after a
    destination preposition (`pay_into`: "to", "pra", "на", "vào", "على") within the clause ("send the
    money to your dad's account", "mandar o dinheiro pra conta da minha esposa"), glued to its own case
    (`payacct:glued`: "hesabına", "অ্যাকাউন্টে"), or before a postposition in verb-final order
    (`pay_into_after`: "口座に振り込んで", "계좌로 입금", "account mein daal"). The platform (its name,
    payout) in the clause keeps it the order's; a verb that also moves other things ("transfer") needs
    a second word of money in the clause ("transfer the domain to your account" is the work)."""
    text = cues.text
    accounts = cues.of("payacct")
    internal = cues.of("internal")
    payouts = cues.of("payout")
    pays = [p for p in cues.of("pay") if p.arg != "weak" and not _NOT_PAYING.match(text, p.end)]
    for p in pays:
        clause = cues.clause(p.start)
        if within(internal, *clause) or within(payouts, *clause) or _WORK_CONTEXT.search(text, *clause):
            continue
        if _moves_other_things(cues, p, clause):
            continue
        for a in within(accounts, max(clause[0], p.start - _INTO_BEFORE_REACH - 16), min(clause[1], p.end + _INTO_REACH)):
            if a.start < p.end and p.start < a.end or is_work_object(text, a) or text.startswith(MASK, a.start - 1):
                continue  # MASK: the placeholder of a masked account is no account named
            if a.start >= p.end:
                ok = a.arg == "glued" or _PAY_INTO.search(text[p.end : a.start]) is not None
            else:
                ok = p.start - a.end <= _INTO_BEFORE_REACH and (a.arg == "glued" or _PAY_INTO_AFTER.match(text, a.end) is not None)
            if ok:
                yield _talk(doc, min(p.start, a.start), max(p.end, a.end), "bank_transfer", "payment.into_account")
                return

_DETAIL_WAYS = frozenset({"bank_transfer", "card", "crypto"})  # ways whose details are a destination
_PAYING_REACH = 160
# "YOUR (checking) account", "account MO", "tài khoản CỦA BẠN": the other side's account, card or wallet.
_YOUR_BEFORE = LazyPattern(rf"{whole_word(grammar_pattern('your_words'))}(?:\s+[^\W\d_]+)?\s*$")
_YOURS_AFTER = LazyPattern(rf"\s*{whole_word(grammar_pattern('possessives_after'))}")  # characters after the asking sentence where the paying may be said


def _account_word_end(cues: Cues, way: Hit) -> int:
    """Where the kind of account after a way to pay ends ("BDO ACCOUNT mo", "GCash WALLET mo"), or the
    way's own end: the possessive after it may follow that word."""
    account = next((a for a in within(cues.of("payacct"), way.end, way.end + 24) if not cues.text[way.end : a.start].strip()), None)
    return account.end if account is not None else way.end


def _details_for_paying(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """Payment details asked for: the frame [asked] + [a destination's detail] (+ [paying]). A detail
    only a payment needs (`paydetail:<way>`: "wallet address", "account holder", "titular da conta",
    "عنوان محفظ*", "钱包地址", "예금주") asked for is enough ("paste your wallet address here"); a
    detail that may be asked for other reasons (`paydetail:<way>_weak`: "your bank name", "SWIFT",
    "a tu nombre") or an account, card or wallet named (`bank_transfer`, `card`, `crypto`) needs a
    verb of paying or sending in its sentence or the next ("whose name is your checking account
    under? I want to send the deposit today"). Asked: a question, or a request verb in its sentence.
    Not when the sentence is about the platform (its payout, its account) or builds payments (a
    wallet-address field); rule talk and reports are the context stage's."""
    text = cues.text
    targets = [*cues.of("paydetail"), *(c for c in channels if c.arg in _DETAIL_WAYS)]
    if not targets:
        return
    payers = cues.of("pay", "paysend")
    money_after = [*cues.of("money", "pay"), *(c for c in channels)]
    asks = cues.of("ask", "have", "after", "reach")
    internal = cues.of("internal")
    weak_details = sum(1 for t in targets if t.cls == "paydetail" and t.arg and t.arg.endswith("_weak"))
    for t in sorted(targets):
        if is_work_object(text, t):
            continue
        if t.cls != "paydetail" and not (
            _YOUR_BEFORE.search(text, max(0, t.start - 24), t.start) or _YOURS_AFTER.match(text, _account_word_end(cues, t))
        ):
            continue  # "the bank statement": an account named is asked for only as the other side's
        start, end = cues.sentence(t.start)
        question = end < len(text) and text[end] in "?؟？"
        if not question and not within(asks, start, end):
            continue
        reach_end = cues.sentence(end + 1)[1] if end + 1 < len(text) else end
        reach_end = min(max(reach_end, end), end + _PAYING_REACH)
        if within(internal, start, reach_end) or within(cues.of("payout"), start, reach_end) or _WORK_CONTEXT.search(text, start, end):
            continue  # "is the account holder the company or you? it's for the invoice on Fiverr"
        way = (t.arg or "bank_transfer").removesuffix("_weak")
        if (t.cls != "paydetail" or t.arg != way) and weak_details < 2:  # a weak detail alone: paying must be said
            paying = next(
                (p for p in within(payers, start, reach_end)
                 if p.arg != "weak" and not (p.start < t.end and t.start < p.end) and not _NOT_PAYING.match(text, p.end)
                 and (p.cls == "pay" or within(money_after, p.end, p.end + _SEND_REACH))),
                None,
            )  # "te mando el boceto" sends the work: a verb of sending pays only with money or a way to pay after it
            if paying is None and not any(c.end <= t.start or c.start >= t.end for c in within(channels, start, end)):
                continue  # "ano account name mo sa GCash?": a way to pay named with it will do
        yield _talk(doc, t.start, t.end, way, "payment.details_asked")
        return


def _fee_frames(doc: Document, cues: Cues) -> Iterator[Finding]:
    """Fee avoidance as a frame of two pack classes in one clause: a verb of avoiding, saving, not
    paying or not losing (`feeskip`: "avoid", "ahorrarnos", "fugir da", "bachane", "省", "아끼")
    and the platform's cut (`fee`: "fee", "commission", "comisión", "taxa", "手续费", "수수료"), in
    either order ("commission se bachne", "手数料を避ける"). The platform's own payout or packages in
    the clause ("avoid the withdrawal fee", "save 10% with the bundle") and building payments keep it
    clean; rule talk and reports are the context stage's."""
    text = cues.text
    fees = cues.of("fee")
    internal = cues.of("internal")
    for skip in cues.of("feeskip"):
        fee = next(
            (f for f in within(fees, max(0, skip.start - _FEE_REACH - 24), skip.end + _FEE_REACH)
             if (f.start >= skip.end and f.start - skip.end <= _FEE_REACH or f.end <= skip.start and skip.start - f.end <= _FEE_REACH)
             and cues.same_clause(min(f.start, skip.start), max(f.start, skip.start))),
            None,
        )
        if (
            fee is None
            or _OTHER_FEE_BEFORE.search(text, max(0, fee.start - 24), fee.start)
            or _OTHER_FEE_AFTER.match(text, fee.end)
            or is_work_object(text, fee)
        ):
            continue  # "it saves the print fee": some other fee; "skip the service fee section": the work
        clause = cues.clause(skip.start)
        if (
            any(text[h.start : h.end] not in _PLATFORM_NAMES for h in within(internal, *clause))
            or within(cues.of("payout"), *clause)
            or _WORK_CONTEXT.search(text, *clause)
        ):
            continue  # "avoid the withdrawal fee", "save on fees with the bundle": the platform's own
        yield _talk(doc, min(skip.start, fee.start), max(skip.end, fee.end), None, "payment.fee_avoidance")
        return


# The platform's cut said as a share ("Fiverr takes 20%", "a plataforma come 20%", "20% kaat leta hai",
# "keeps a fifth of everything", "sàn thu 20% phí"): a verb of taking (`feetake`) or the cut's own word
# (`fee`) beside a percentage or a share word (`fee_shares`). With a way outside the order (`paydirect`,
# `outside`) in its sentence it is the reason given for paying outside ("..., melhor fechar direto
# comigo", "..., direct de do"). The platform's features, its payout and building payments in the
# sentence keep it clean; a price cut alone ("take 20% off") has no partner.
_SHARE = LazyPattern(r"(?<![\d.,])\d{1,2}(?:[.,]\d{1,2})?\s?%|%\s?\d{1,2}(?![\d.,])|" + whole_word(grammar_pattern("fee_shares")))
_SHARE_REACH = 16  # characters between the verb of taking and the share ("takes about 20%", "20% kaat")


def _cut_frames(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    direct = _partners_outside(cues)
    if not direct:
        return
    internal = cues.of("internal")
    for cut in cues.of("feetake", "fee"):
        if _SHARE.search(text, max(0, cut.start - _SHARE_REACH), min(len(text), cut.end + _SHARE_REACH)) is None:
            continue
        if cut.cls == "fee" and (_OTHER_FEE_BEFORE.search(text, max(0, cut.start - 24), cut.start) or _OTHER_FEE_AFTER.match(text, cut.end)):
            continue  # "the print fee is 20%": some other fee
        start, end = cues.sentence(cut.start)
        partner = next(
            (
                d
                for d in within(direct, start, end)
                if (d.end <= cut.start or d.start >= cut.end)
                and (cut.cls == "feetake" or text[d.start : d.end] not in _DIRECT_ADVERBS)  # "the fee is 20%, the rest goes directly to..."
            ),
            None,
        )
        if partner is None:
            continue
        if (
            any(text[h.start : h.end] not in _PLATFORM_NAMES for h in within(internal, start, end))
            or within(cues.of("payout"), start, end)
            or _WORK_CONTEXT.search(text, *cues.clause(partner.start))  # not the cut's: "the site takes 20%"
        ):
            continue  # "the order page shows the 20% fee", "withdraw directly": the platform's own
        yield _talk(doc, min(cut.start, partner.start), max(cut.end, partner.end), None, "payment.fee_avoidance")
        return


# "the rest separately", "o restante por fora": a way apart from the order (`paydirect:apart`) is
# outside only for what is left of the price, named in the same clause (`payment_remainder`): "I'll
# pay for the two logos separately" may be two orders.
_REMAINDER = LazyPattern(
    whole_word(grammar_pattern("payment_remainder")) + rf"(?!\s+{whole_word(grammar_pattern('payment_remainder_of'))})"
)


def _partners_outside(cues: Cues) -> list[Hit]:
    """The paydirect and outside hits that make payment talk outside."""
    found = cues.of("paydirect", "outside")
    if not any(h.arg == "apart" for h in found):
        return found
    return [h for h in found if h.arg != "apart" or _REMAINDER.search(cues.text, *cues.clause(h.start)) is not None]


def _payment_talk(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """`channels`: the ways to pay named in the text (sorted by start)."""
    text = cues.text
    direct = _partners_outside(cues)
    internal = cues.of("internal")
    building = None
    for hit in cues.of("pay"):
        if hit.arg in ("future", "next"):  # "next": a time of the next orders ("next time", "la próxima")
            yield from _future_orders(doc, cues, hit, direct)
            continue
        if _NOT_PAYING.match(text, hit.end):
            continue  # "pay attention to the bank holiday"
        nearby = cues.in_clause(channels, hit.start)
        if any(c.start <= hit.start and hit.end <= c.end and c[:2] != hit[:2] for c in nearby):
            continue  # the "transfer" of "bank transfer", the "pay" of "Google Pay": a name, not a verb
        # A word that is both the way to pay and the verb (Chinese "转账", Korean "송금") needs another
        # partner: "我直接转账给你" (directly), not "转账" alone.
        partners = [c for c in nearby if c[:2] != hit[:2] and not is_work_object(text, c)]
        if hit.arg == "weak" and _WORK_CONTEXT.search(text, *cues.clause(hit.start)):
            continue  # "integrate PayPal payments into the store": building, not paying
        if _names_work_part(text, hit, "payoption" in cues.classes) and not cues.in_clause(direct, hit.start):
            continue  # "a payment page with Bizum", "pantalla de pago con Bizum", "сторінку оплати з Monobank"
        if (
            text[hit.start : hit.end] in _PAID_REPORTS
            and _PAID_REPORT_BEFORE.search(text, max(0, hit.start - 12), hit.start)
            and not _PAID_TO.match(text, hit.end)
            and not cues.in_clause(direct, hit.start)
        ):
            continue  # "I paid with PayPal at checkout", "shows order 123 as paid": the order's payment, made
        if hit.arg != "weak":
            partners = partners + cues.in_clause(direct, hit.start)
            if not partners:
                partners = _next_clause_way(cues, hit, channels)
        if not partners:
            continue
        if hit.arg == "weak" and _sends_a_deliverable(cues, hit, channels):
            continue  # "kirim desain banner untuk promo GoPay": sending the work
        if building is None:  # once per text: most payment talk names no part of the work and builds nothing
            building = _BUILDING.search(text) is not None or _WORK_NOUN.search(text) is not None
        if building and not cues.in_clause(direct, hit.start) and (
            _BUILDING.search(text, *cues.clause(hit.start)) or _clause_names_work_part(cues, hit)
        ):
            continue  # "把支付宝支付接入到小程序里": building payments; "wire it into the payment page": a part of the work
        if all(p.cls in ("paydirect", "outside") for p in partners) and _moves_other_things(cues, hit, cues.clause(hit.start)):
            continue  # "transfere o domínio pra sua conta": moving the work, not money
        if paid_by_the_work(text, *cues.clause(hit.start)):
            continue  # "customers will pay on my website (with their card)": the site being built, not this order
        if _required_of_the_work(cues, hit, direct):
            continue  # "the app must accept payment via Pix", "L'app deve accettare pagamenti con PayPal"
        if not cues.in_clause(direct, hit.start) and cues.in_clause(internal, hit.start):
            continue  # "I'll pay with PayPal at checkout", "on Fiverr": paying the platform
        if _in_payout_sentence(cues, hit.start):
            continue  # "when does the payment reach my account after I withdraw?": the platform's payout
        start = min(hit.start, *(p.start for p in partners))
        end = max(hit.end, *(p.end for p in partners))
        channel = next((p.arg for p in [*partners, *nearby] if p.cls != "paydirect" and p.cls != "outside"), None)
        yield _talk(doc, start, end, channel, "payment.outside_talk")


# "send me the money first and I'll start", "me manda o dinheiro antes que eu começo", "mandami i soldi
# prima dell'ordine", "скинь деньги заранее": paying (class `pay`) and a time before the order or the
# work that the money starts (class `paybefore`: "upfront", "before the order", "and I'll start") in one
# sentence. The order is paid before the work too, so the order or the platform named in the paying
# clause ("si me pagas el pedido hoy empiezo mañana") keeps it the order's own payment.
def _paid_before_the_work(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    internal = cues.of("internal", "here")
    for before in cues.of("paybefore"):
        s_start, s_end = cues.sentence(before.start)
        for hit in within(cues.of("pay"), s_start, s_end):
            if hit.arg in ("weak", "future", "next") or hit.start < before.end and before.start < hit.end:
                continue
            if any(
                not (before.start <= i.start and i.end <= before.end)  # the "ordine" of "prima dell'ordine"
                for i in [*cues.in_clause(internal, hit.start), *cues.in_clause(internal, before.start)]
            ):
                continue  # "pay for the order first and I'll start": the order's payment
            if any(
                not (before.start <= m.start() and m.end() <= before.end)
                for m in _ORDER_NOUN.finditer(text, *cues.clause(hit.start))
            ):
                continue  # "оплати заказ заранее", "paga l'ordine in anticipo": the order's payment
            if _NOT_PAYING.match(text, hit.end) or _names_work_part(text, hit) or _in_payout_sentence(cues, hit.start):
                continue
            c_start = cues.clause(min(hit.start, before.start))[0]
            if paid_by_the_work(text, *cues.clause(hit.start)) or _WORK_CONTEXT.search(text, c_start, max(hit.end, before.end)):
                continue  # "customers pay upfront on the site": the work (not "... and I'll start the logo")
            yield _talk(doc, min(hit.start, before.start), max(hit.end, before.end), None, "payment.before_work")
            return


# A part of the deliverable named by its payment step: the work noun right after the pay word ("payment
# PAGE", "ödeme ENTEGRASYONU") or before it with at most one short word between ("PANTALLA de pago",
# "СТОРІНКУ оплати", "TRANG thanh toán", "صفحة دفع").
_WORK_NOUN = LazyPattern(whole_word(grammar_pattern("payment_work_nouns")))
_WORK_PART_AFTER = LazyPattern(rf"\s+{whole_word(grammar_pattern('payment_work_nouns'))}")
_WORK_PART_BEFORE = LazyPattern(rf"{whole_word(grammar_pattern('payment_work_nouns'))}(?:\s+[^\W\d_]{{1,4}})?\s+$")


def _sends_a_deliverable(cues: Cues, hit: Hit, channels: list[Hit]) -> bool:
    """Whether a deliverable is the object of a weak paying verb, no way to pay's name before it
    ("kirim DESAIN banner", not "I accept Cash APP")."""
    m = _DELIVERABLE_OBJECT.match(cues.text, hit.end)
    return m is not None and not within(channels, hit.end, m.end())


def _clause_names_work_part(cues: Cues, hit: Hit) -> bool:
    """Whether the pay word, or another in its clause, names a part of the deliverable ("wire it into
    the PAYMENT PAGE"): the clause builds the work."""
    return _names_work_part(cues.text, hit) or any(_names_work_part(cues.text, h) for h in cues.in_clause(cues.of("pay"), hit.start) if h != hit)


def _names_work_part(text: str, hit: Hit, options: bool = False) -> bool:
    """`options`: the scan found an option noun (automaton class payoption), so the checkout's options
    are looked for too."""
    return (
        _WORK_PART_AFTER.match(text, hit.end) is not None
        or _WORK_PART_BEFORE.search(text, max(0, hit.start - 40), hit.start) is not None
        or options and _names_checkout_options(text, hit)
    )


# "bKash, Nagad ar card payment OPTION thakbe", "OPCIÓN de pago con Mercado Pago", "OPSI pembayaran OVO": the ways
# to pay named as the options a checkout offers (the platform's or the site being built), not someone paid; "MY
# payment options are PayPal or Wise" (owned) are the writer's ways to be paid.
_OPTION_AFTER = LazyPattern(rf"\s+({whole_word(grammar_pattern('payment_option_nouns'))})")
_OPTION_BEFORE = LazyPattern(rf"{whole_word(grammar_pattern('payment_option_nouns'))}(?:\s+[^\W\d_]{{1,4}})?\s+$")


def _names_checkout_options(text: str, hit: Hit) -> bool:
    start = hit.start
    while start > 0 and text[start - 1].isalnum():
        start -= 1  # a pay word read inside a longer one ("pem-BAYARAN")
    if _OPTION_AFTER.match(text, hit.end) is not None:
        opening = start
    elif (before := _OPTION_BEFORE.search(text, max(0, start - 40), start)) is not None:
        opening = before.start()
    else:
        return False
    return _OWNED_BEFORE.search(text, max(0, opening - 24), opening) is None


# "The app MUST accept payment via Pix", "Приложение ДОЛЖНО принимать оплату", "Uygulama ödeme kabul ETMELİ".
_REQUIREMENT = LazyPattern(whole_word(grammar_pattern("requirement_modals")))
_PRODUCT = LazyPattern(whole_word(f"{grammar_pattern('payment_products')}|{grammar_pattern('payment_work_context')}"))
# "MY website", "TU tienda": a product someone owns is where they take money, not a product being built.
_OWNED_BEFORE = LazyPattern(rf"(?<![^\W_])(?:{grammar_pattern('possessives')}|{grammar_pattern('my_words')})\s+$")


def _required_of_the_work(cues: Cues, hit: Hit, direct: list[Hit]) -> bool:
    """Whether the clause of a paying word states a requirement of the product being built: a product
    (payment_products, payment_work_context: app, store, site, checkout) before the paying word, owned by nobody, and an
    obligation (requirement_modals), with no "directly" or "outside" in the clause. "On my website you
    must pay via PayPal" names the seller's own site; "you must pay me on my website" pays there."""
    text = cues.text
    c_start, c_end = cues.clause(hit.start)
    if cues.in_clause(direct, hit.start) or not _REQUIREMENT.search(text, c_start, c_end):
        return False
    for product in _PRODUCT.finditer(text, c_start, hit.start):
        if any(c.start <= product.start() and product.end() <= c.end for c in within(cues.of("channel"), product.start() - 24, product.end())):
            continue  # the "app" of "Cash App": a way to pay, no product
        if not _OWNED_BEFORE.search(text, max(c_start, product.start() - 12), product.start()):
            return True
    return False


_NEXT_CLAUSE_REACH = 60  # characters from a verb of paying to a way to pay in the clause after it
_SHORT_CLAUSE_WORDS = 6


def _next_clause_way(cues: Cues, hit: Hit, channels: list[Hit]) -> list[Hit]:
    """A way to pay in the clause right after a verb of paying, in the same sentence, when that clause
    is a question or a short aside ("I can pay now, do you have PayPal?", "happy to pay the rest, Zelle
    or Cash App, whichever you like"): the second clause names how. Not with the platform or a
    negation in the sentence ("I'll pay through the order, no Venmo")."""
    text = cues.text
    s_start, s_end = cues.sentence(hit.start)
    _, c_end = cues.clause(hit.start)
    for c in within(channels, c_end, min(s_end, hit.end + _NEXT_CLAUSE_REACH)):
        if is_work_object(text, c):
            continue
        n_start, n_end = cues.clause(c.start)
        if text[c_end:n_start].strip(_CLAUSE_TAIL + "—–-"):
            break  # only the clause right after the verb's
        question = n_end < len(text) and text[n_end] in "?؟？"
        if not (question or len(text[n_start:n_end].split()) <= _SHORT_CLAUSE_WORDS):
            break
        if within(cues.of("internal", "neg"), s_start, s_end):
            break
        return [c]
    return []


def _future_orders(doc: Document, cues: Cues, hit: Hit, direct: list[Hit]) -> Iterator[Finding]:
    """Future orders (`pay:future`: "los próximos trabajos", "kolejne zlecenia", "次回以降") taken
    without the middleman or the fee anywhere in their sentence ("..., sin intermediarios"): the
    next orders leave the platform. A bare "directly" is not enough ("the next jobs we do directly in
    Figma"): the partner is a phrase of several words, or of a script written without spaces, or a
    word about money stands in the sentence ("..., onderling, scheelt ons allebei geld")."""
    text = cues.text
    start, end = cues.sentence(hit.start)
    # "..., scheelt ons allebei geld", "手数料がもったいないので、次回から直接": a word of money or the fee, and a
    # bare "directly" will do
    money = within(cues.of("money", "payfee", "fee"), start, end)
    partners = [*within(direct, start, end), *within(cues.of("payfee"), start, end)]
    # The platform named in the sentence outside the partner's own words ("next time order directly
    # from my gig, no custom offer fee", "payments go directly through Fiverr"): the next orders stay on it.
    if any(not any(d.start <= i.start and i.end <= d.end for d in partners) for i in within(cues.of("internal"), start, end)):
        return
    for d in partners:
        said = text[d.start : d.end]
        if hit.arg == "next" and said in _DIRECT_ADVERBS and not money:
            continue  # "今後のやり取りは…直接": a time of the next orders and a bare "directly" say nothing of money
        if len(said.split()) > 1 or unspaced(said) or money:
            yield _talk(doc, min(hit.start, d.start), max(hit.end, d.end), None, "payment.future_orders")
            return


# "send it VIA Wise", "half ON PayPal", "send to MY GCash": a preposition right before the way to pay;
# or nothing but "me"/an amount between ("send me USDT", "send 50 USDT").
_DIRECTLY_AFTER_SEND = regex(
    rf"(?:\s+(?:{grammar_pattern('send_fillers')}|\d[\d.,]*\s*%?|[$€£₹]\s?\d[\d.,]*))*\s+"
)
_SEND_REACH = 30  # characters from the verb to the way to pay


# Verb-final order: the way to pay right before the verb, maybe with a postposition between
# ("PayPayで送ります", "카카오페이로 보낼게요", "een betaalverzoek sturen").
_BEFORE_SEND = LazyPattern(rf"(?:\s*(?:{grammar_pattern('postpositions')}|{grammar_pattern('hindi_fillers')})){{0,2}}\s*")
_SEND_BEFORE_REACH = 16  # characters from the way to pay to the verb after it
_CLAUSE_TAIL = " \t\n?!.,;:…؟。！？"


def _sending(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """ "send it via Western Union", "half on PayPal and half here", "send me USDT"; a light verb
    (`paysend:close`: "te hago un Bizum", "je te fais un virement") only with the way to pay right
    after it, not behind a preposition ("te hago un logo para Bizum" is the work)."""
    text = cues.text
    for hit in cues.of("paysend"):
        if _in_payout_sentence(cues, hit.start):
            continue  # "dá pra sacar o saldo do Fiverr pro Nubank?": the platform's payout
        clause_start, clause_end = cues.clause(hit.start)
        found = None
        for c in within(channels, hit.end, min(clause_end, hit.end + _SEND_REACH)):
            if is_work_object(text, c):
                continue
            if _DIRECTLY_AFTER_SEND.fullmatch(text, hit.end, c.start) or hit.arg != "close" and PREPOSITION_BEFORE.search(
                text, max(hit.end, c.start - 24), c.start
            ):
                found = (hit.start, c.end, c)
                break
        if found is None and hit.arg != "close":
            for c in within(channels, max(clause_start, hit.start - _SEND_BEFORE_REACH - 30), hit.start):
                if hit.start - c.end > _SEND_BEFORE_REACH or is_work_object(text, c):
                    continue
                between = _BEFORE_SEND.fullmatch(text, c.end, hit.start)
                # with nothing between, the verb must end its clause: "did Payoneer send you the invoice"
                # has the way to pay as its subject
                if between and (between.group().strip() or not text[hit.end : clause_end].strip(_CLAUSE_TAIL)):
                    found = (c.start, hit.end, c)
        if found is None and hit.arg != "close" and cues.has("paydirect", "outside"):
            found = _sent_directly(cues, hit, channels, clause_start, clause_end)
        if found is not None:
            yield _talk(doc, found[0], found[1], found[2].arg, "payment.outside_talk")


def _sent_directly(cues: Cues, hit: Hit, channels: list[Hit], clause_start: int, clause_end: int) -> tuple[int, int, Hit] | None:
    """A sending verb, a way to pay and a "directly" or "outside" in one clause, in any order and with
    other words between ("PayPayで直接送りますね", "te mando directo por Nequi el resto"): the three parts
    of paying outside, not a phrase. Not with the platform or the work in the clause."""
    ways = [c for c in within(channels, clause_start, clause_end) if not is_work_object(cues.text, c)]
    direct = within(_partners_outside(cues), clause_start, clause_end)
    if not ways or not direct or within(cues.of("internal"), clause_start, clause_end):
        return None
    if _WORK_CONTEXT.search(cues.text, clause_start, clause_end) or _moves_other_things(cues, hit, (clause_start, clause_end)):
        return None
    parts = (hit, ways[0], direct[0])
    return min(p.start for p in parts), max(p.end for p in parts), ways[0]


def _talk(doc: Document, start: int, end: int, channel: str | None, rule: str) -> Finding:
    o_start, o_end = doc.view.to_original(start, end)
    reason = _TALK_REASON if channel is None else (
        f"Paying through {label(channel)} instead of the order is against the platform's rules and removes the "
        "protection of the order."
    )
    return Finding(Kind.PAYMENT, Severity.WARN, o_start, o_end, rule, reason, channel, _SUGGESTION, None)


# ----------------------------------------------------------------------------- payment handles


# An e-mail address that names the account of a way to pay ("PayPal: maria@gmail.com", "my paypal is
# x@y.com", "Zelle to jdoe@outlook.com"): a payment destination, beside the e-mail finding.
_EMAIL_AFTER = LazyPattern(
    rf"(?:[ \t]+[^\s\d:@]{{1,12}}(?=[ \t]*:))?"  # one word before a colon ("PayPal Freunde: ...", "PayPal amici: ...")
    rf"(?:[ \t]*(?:[:=>~\-]|{separator_words('id_separators')}|to|at|on|via)){{0,4}}[ \t]*"
    r"([a-z0-9][a-z0-9._+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?![a-z0-9@-]|\.[a-z0-9])"
)
# The address of _EMAIL_AFTER read from its "@" (the regex engine finds the literal fast): without one
# after a cue, _EMAIL_AFTER cannot match there, and trying its separator words in every order before
# an "@" with no domain after it ("upi id hai rohit.k@okicici, ...") cost ~150 us per cue.
_EMAIL_AFTER_AT = regex(r"@(?<=[a-z0-9._+-]@)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![a-z0-9@-]|\.[a-z0-9])")

# Wallets reached by a phone number ("Yape al 987 654 321", "Tikkie naar 06-12345678", "bkash
# personal 01712345678", "STC Pay على الرقم 0551234567", "a chave pix é o celular: 21 97777-6666", "Raast ID number hai 0333 7654321"): one to four short words (any script: a
# Bangla word may end in a vowel sign, which is no \w) between the
# wallet's name and the number, which a phone finding also covers; the number is given to be paid on.
_WALLET_NUMBERS = frozenset({"mobile_money", "zelle", "pix", "upi"})
_MIN_WALLET_DIGITS = 7  # fewer digits after a wallet's id words are the first group of its number
# A word piece is possessive: a word cannot end inside a run of its characters where the number must
# follow (no digit, blank or mark there), so giving characters back never finds a match, and trying
# every split of a long word into four pieces cost up to a millisecond per cue ("... walletaccountnumber").
_WALLET_NUMBER_AFTER = LazyPattern(
    r"(?:[ \t]*[:#=-]?[ \t]*[^\s\d:#=.,;!?()/+-]{1,14}+){1,4}[ \t]*[:#=-]?[ \t]*(\+?\d(?:[ .-]?\d){7,13})(?![\d/])"
)


def _wallet_number_after(text: str, cue: Hit) -> tuple[int, int] | None:
    m = _WALLET_NUMBER_AFTER.match(text, cue.end)
    if m is None or _AMOUNT_AFTER.match(text, m.end(1)):
        return None  # "JazzCash 20000000 rupees"
    if cue.arg == "pix" and _PIX_KEY.fullmatch(m.group(1)):
        return None  # a CPF or CNPJ: its check digits decide (_pix_keys)
    digits = re.sub(r"\D", "", m.group(1))
    if len(set(digits)) == 1 or len(digits.rstrip("0")) * 2 <= len(digits):
        return None  # round: an amount
    if len(digits) < 9 and m.group(1)[0] not in "+0":
        return None  # "UPI app shows order 12345678": a phone number has 9 digits or a leading 0 or +
    return m.span(1)


def _payment_handles(doc: Document, cues: Cues, handle_cues: list[Hit]) -> Iterator[Finding]:
    text = cues.text
    taken: set[int] = set()  # starts of ids already found after a cue
    for cue in handle_cues:
        email = _EMAIL_AFTER.match(text, cue.end) if _EMAIL_AFTER_AT.search(text, cue.end) is not None else None
        if email is not None:  # "PayPal: maria@gmail.com": the address is the account paid to
            taken.add(email.start(1))
            yield _destination(doc, *email.span(1), cue.arg, "payment.handle")
            continue
        found = id_after(cues, cue, digits=cue.arg in _DIGIT_IDS)
        if (
            found is not None
            and cue.arg == "bank_transfer"
            and sum(c.isdigit() for c in text[found[0] : found[1]]) < _MIN_ACCOUNT_DIGITS
            and text[cue.start : cue.end] not in _ACCOUNT_CUE_WORDS  # "numer konta: 61 1090 ...": _account_numbers
        ):
            found = None  # "Vietcombank: 0071 0001 23456": the first group of the account number, read whole below
        if found is None and cue.arg in _DIGIT_IDS and text[cue.start : cue.end] != "bank":
            digits = _DIGITS_AFTER.match(text, cue.end)
            if digits and sum(c.isdigit() for c in digits.group(1)) >= _MIN_BARE_DIGITS:
                found = digits.span(1)
        if cue.arg in _WALLET_NUMBERS and (found is None or text[found[0] : found[1]].isdigit() and found[1] - found[0] < _MIN_WALLET_DIGITS):
            found = _wallet_number_after(text, cue)  # "Raast ID number hai 0333 7654321": not "0333"
        if found and cue.arg == "bank_transfer" and (
            sum(c.isdigit() for c in text[found[0] : found[1]]) < _MIN_ACCOUNT_DIGITS or _IBAN_SHAPED.match(text, found[0])
        ):
            continue  # a bank's name, or an IBAN (its checksum decides, below)
        if found and not _UPI.match(text, found[0]):
            taken.add(found[0])
            yield _destination(doc, *found, cue.arg, "payment.handle")
    if "@" in text:
        for m in AT_HANDLE.finditer(text):
            if m.start() in taken:
                continue
            cue = cue_near(cues, handle_cues, m.start(), m.end())
            if cue is not None:
                yield _destination(doc, m.start(), m.end(), cue.arg, "payment.handle")
    cashtag_cues = [h for h in handle_cues if h.arg in _CASHTAG_CUES]
    if cashtag_cues and "$" in text:
        for m in _CASHTAG.finditer(text):
            cue = cue_near(cues, cashtag_cues, m.start(), m.end())
            if cue is not None:
                yield _destination(doc, m.start(), m.end(), cue.arg, "payment.cashtag")


# A phone number or an e-mail address given as the account of a way to pay ("GCash: 0955 318 2047",
# "Lydia au zéro six 71 48 29 00", "Vodafone Cash 3ala 010 9876 5432", "PayPal an lisa.meier@web.de",
# "wise email is marcus at protonmail dot com"): the number or address the phone or e-mail detector
# reads, in any notation or disguise, after the way to pay in its sentence, is also where the money
# goes. Wallets are reached by a number, the others by an address ("Zelle to my number" both).
_PHONE_IDS = _WALLET_NUMBERS | {"bank_transfer"}  # banks pay to a phone number too ("на Монобанк за номером +380...")
_EMAIL_IDS = _HANDLE_PAYMENTS - {"upi"}  # a UPI id has an "@" of its own (_upi_ids)
_ID_REACH = 70  # characters from the way to pay to the number or address it is paid on
_EMAIL_GAP = 16  # "PayPal an lisa@...", "PayPal: x@..."; further, the address must be named as the account


def _identifiers_paid_to(doc: Document, cues: Cues, handle_cues: list[Hit]) -> Iterator[Finding]:
    wallets = [c for c in handle_cues if c.arg in _PHONE_IDS]
    mailed = [c for c in handle_cues if c.arg in _EMAIL_IDS]
    found: list[tuple[Finding, list[Hit]]] = []
    if wallets:
        found += [(f, wallets) for f in found_by(doc, phone_detector.detect) if f.severity is Severity.BLOCK]
    if mailed:
        found += [(f, mailed) for f in found_by(doc, email_detector.detect) if f.severity is Severity.BLOCK]
    if not found:
        return
    for f, ways in found:
        for way in ways:
            start, end = cues.sentence(way.start)
            s_start, s_end = doc.view.to_original(start, end)
            way_end = doc.view.to_original(way.start, way.end)[1]
            if not (s_start <= f.start and f.end <= s_end or f.kind is Kind.PHONE and _account_in_next(doc, cues, end, f)):
                continue
            if not way_end <= f.start <= way_end + _ID_REACH:
                continue
            if f.kind is Kind.EMAIL and f.start - way_end > _EMAIL_GAP and not _named_as_paid(cues, way, start, end):
                continue  # "paypal support emailed me at ana@x.com": someone's address, not the account
            yield Finding(Kind.PAYMENT, Severity.BLOCK, f.start, f.end, "payment.handle", _paid_on(way.arg), way.arg, _SUGGESTION, MASK)
            break


def _account_in_next(doc: Document, cues: Cues, end: int, f: Finding) -> bool:
    """Whether the number stands in the sentence right after the way to pay's, and that sentence says
    it is an account or pays to it ("pwede ba Maya? eto account ko 0915 ...", "GCash? send mo dito 0917 ...")."""
    if end + 1 >= len(cues.text):
        return False
    n_start, n_end = cues.sentence(end + 1)
    o_start, o_end = doc.view.to_original(n_start, n_end)
    return o_start <= f.start and f.end <= o_end and bool(within(cues.of("payacct", "pay", "paysend"), n_start, n_end))


def _named_as_paid(cues: Cues, way: Hit, start: int, end: int) -> bool:
    """Whether an address further from the way to pay is its account: an e-mail named between ("wise
    email is ...", "pix é meu e-mail mesmo: ...") or payment talk in the sentence ("envoie ... sur mon
    PayPal, c'est sans frais : ...")."""
    if any(h.arg == "email" for h in within(cues.of("noun"), way.end, end)):
        return True
    return bool(within(cues.of("pay", "paysend", "paydirect", "payfee"), start, end))


def _paid_on(channel: str | None) -> str:
    return f"This is a {label(channel)} payment destination outside the platform; payments must go through the order."


# A link to a way to pay's page for one person ("paypal.me/x", "tikkie.me/pay/...", "buy.stripe.com/..."):
# the link detector reads it, in any disguise; it is also a payment destination. The names of those
# hosts gate the pass.
_PAYMENT_HOSTS = sorted({host for host, (channel, _) in DOMAINS.items() if channel in _PAYMENT_CHANNELS})
_PAYMENT_LINK_NAMES = regex(
    r"(?<![a-z0-9])(?:" + "|".join(sorted({re.escape(max(host.split(".")[:-1], key=len)) for host in _PAYMENT_HOSTS}, key=lambda w: (-len(w), w))) + ")"
)


def _payment_links(doc: Document) -> Iterator[Finding]:
    for f in found_by(doc, link_detector.detect):
        if f.severity is Severity.BLOCK and f.channel in _PAYMENT_CHANNELS:
            yield Finding(Kind.PAYMENT, Severity.BLOCK, f.start, f.end, "payment.link", _paid_on(f.channel), f.channel, _SUGGESTION, MASK)


# ---------------------------------------------------------------------------- bank and crypto


def _accounts(doc: Document, cues: Cues) -> Iterator[Finding]:
    """IBAN, Bitcoin, Tron and Ethereum addresses."""
    text = doc.text  # account formats are case-sensitive (base58, EIP-55): read the original
    digits = _with_ascii_digits(text)  # an IBAN is read the same in any script's digits
    for m in _IBAN.finditer(digits):
        end = iban_end(digits, m.start(), m.end())
        if end is not None:
            yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), end, "payment.iban", _DESTINATION_REASON, "bank_transfer", _SUGGESTION, MASK)
    taken: set[int] = set()
    for m in _BASE58_ADDRESS.finditer(text):
        chain = base58check_chain(m.group())
        if chain is not None:
            taken.add(m.start())
            yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), m.end(), f"payment.{chain}", _DESTINATION_REASON, "crypto", _SUGGESTION, MASK)
    for m in _BTC_BECH32.finditer(text):
        if is_valid_bech32_address(m.group()):
            rule = "payment.litecoin" if m.group()[0] in "lL" else "payment.bitcoin"
            yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), m.end(), rule, _DESTINATION_REASON, "crypto", _SUGGESTION, MASK)
    if "Q" in text:
        for m in _TON.finditer(text):
            if is_valid_ton_address(m.group()):
                yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), m.end(), "payment.ton", _DESTINATION_REASON, "crypto", _SUGGESTION, MASK)
    crypto_cue: bool | None = None
    for m in _SOLANA.finditer(text):
        if m.start() in taken or not is_solana_shaped(m.group()):
            continue
        if crypto_cue is None:
            crypto_cue = _CRYPTO_CUE.search(cues.text) is not None
        if not crypto_cue:
            break
        yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), m.end(), "payment.solana", _DESTINATION_REASON, "crypto", _SUGGESTION, MASK)
    if "0x" in text or "0X" in text:
        crypto_cue = _CRYPTO_CUE.search(cues.text) is not None if crypto_cue is None else crypto_cue
        for m in _ETH.finditer(text):
            if is_valid_eth_address(m.group(), cued=crypto_cue):
                yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), m.end(), "payment.ethereum", _DESTINATION_REASON, "crypto", _SUGGESTION, MASK)


def _account_numbers(doc: Document, cues: Cues, channels: list[Hit]) -> Iterator[Finding]:
    """Account, card and wallet numbers after their label (_ACCOUNT_NUMBER), or after a word for an
    account with a bank named in the sentence (_WEAK_ACCOUNT_NUMBER)."""
    text = doc.view.text
    matches = list(_ACCOUNT_NUMBER.finditer(text))
    banks = [h for h in channels if h.arg == "bank_transfer"]
    if banks:
        strong = {m.start("number") for m in matches}
        for m in _WEAK_ACCOUNT_NUMBER.finditer(text):
            sentence = cues.sentence(m.start())
            if m.start("number") not in strong and within(banks, *sentence):
                matches.append(m)
    for m in matches:
        number = m.group("number")
        digits = re.sub(r"\D", "", number)
        if len(set(digits)) == 1 or (len(digits.rstrip("0")) * 2 <= len(digits) and "-" not in number):
            continue  # "conta de 150000": an amount ("20-00-00" is a sort code); "000000": a placeholder
        cue = m.group("cue")
        if len(cue) <= _SHORT_LABEL and cue.isascii() and m.start("number") - m.end("cue") > _SHORT_LABEL_GAP:
            continue  # "cc 12345-6" labels the number; "(cc) to the manager of Itaú, ticket 123456" does not
        if m.group("cue") == "routing" and not _aba_valid(digits):
            continue  # "the routing table has 1234567 entries": only a real routing number counts
        if _AMOUNT_AFTER.match(text, m.end("number")):
            continue  # "account 2500000 rupees"
        yield _destination(doc, *m.span("number"), "bank_transfer", "payment.account_number")


def _aba_valid(digits: str) -> bool:
    """A US bank routing (ABA) number: nine digits with their weighted check (3, 7, 1)."""
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, (3, 7, 1) * 3)) % 10 == 0


# A Pix key after "pix": a random key (a UUID) or a CPF/CNPJ with its check digits.
_PIX_KEY = regex(
    r"(?<![0-9a-f-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])"
    r"|(?<![\d.])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\d.-])|(?<![\d.])\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}(?![\d.-])"
)
_PIX_REACH = 60  # characters after "pix" to its key ("pix chave aleatória ...", "pix no meu CPF ...")


def _pix_keys(doc: Document, hits: list[Hit]) -> Iterator[Finding]:
    text = doc.view.text
    for hit in hits:
        for m in _PIX_KEY.finditer(text, hit.end, min(len(text), hit.end + _PIX_REACH)):
            key = m.group()
            if "-" in key and len(key) == 36 or _cpf_or_cnpj_valid(re.sub(r"\D", "", key)):
                yield _destination(doc, m.start(), m.end(), "pix", "payment.pix_key")
                break


def _cpf_or_cnpj_valid(digits: str) -> bool:
    """The two check digits of a Brazilian CPF (11 digits) or CNPJ (14 digits)."""
    if len(set(digits)) == 1:
        return False
    if len(digits) == 11:
        weights = [range(10, 1, -1), range(11, 1, -1)]
    elif len(digits) == 14:
        weights = [(5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)]
    else:
        return False
    for i, w in enumerate(weights):
        body = digits[: len(digits) - 2 + i]
        total = sum(int(d) * k for d, k in zip(body, w))
        check = total % 11
        check = 0 if check < 2 else 11 - check
        if check != int(digits[len(body)]):
            return False
    return True


def _upi_ids(doc: Document, cues: Cues) -> Iterator[Finding]:
    """UPI ids: a known suffix ("name@okaxis"), or any handle@bank with a UPI cue in the text. The
    scan starts at each "@" (a literal: fast) and reads the handle before it only for a candidate."""
    text = cues.text
    upi_cue = None
    for m in _UPI_BANK.finditer(text):
        if m.group(1) not in _UPI_SUFFIXES:
            if upi_cue is None:
                upi_cue = _UPI_CUE.search(text) is not None
            if not upi_cue:
                continue
        handle = _UPI_HANDLE.search(text, max(0, m.start() - 64), m.start())
        if handle is not None:
            yield _destination(doc, handle.start(), m.end(), "upi", "payment.upi")


def _destination(doc: Document, start: int, end: int, channel: str | None, rule: str) -> Finding:
    o_start, o_end = doc.view.to_original(start, end)
    return Finding(
        Kind.PAYMENT,
        Severity.BLOCK,
        o_start,
        o_end,
        rule,
        f"This is a {label(channel)} payment destination outside the platform; payments must go through the order.",
        channel,
        _SUGGESTION,
        MASK,
    )


# ---------------------------------------------------------------------------------- cards

# A card number: 13 to 19 digits, in groups of four (or one block, or American Express's 4-6-5), with a
# valid Luhn check digit. Groups of four are a card's own shape; a block or 4-6-5 groups count only after
# a card label (grammar card_labels: "my credit card: 371449635398431"), as order ids are blocks too.
_CARD = regex(r"(?<![\d-])(?:\d{4}[ -]){3}\d{1,7}(?![\d-])|(?<![\d-])\d{4}[ -]\d{6}[ -]\d{5}(?![\d-])|(?<!\d)\d{13,19}(?!\d)")
_CARD_GROUPS = regex(r"\d{4}[ -]\d{4}[ -]\d{4}[ -]\d")
_CARD_BLOCK = regex(r"\d{13}|\d{4}[ -]\d{6}[ -]\d{5}")
_CARD_LABEL = LazyPattern(whole_word(grammar_pattern("card_labels")) + r"[^\n\d]{0,24}$")
_CARD_LABEL_REACH = 40  # characters before a block that the label may stand in


def _maybe_card(text: str) -> bool:
    return _CARD_GROUPS.search(text) is not None or _CARD_BLOCK.search(text) is not None


def _cards(doc: Document) -> Iterator[Finding]:
    """Card numbers given to be paid on ("ricarica la mia PostePay: 5333 1712 3456 7895")."""
    for m in _CARD.finditer(doc.text):
        digits = re.sub(r"\D", "", m.group())
        if not (13 <= len(digits) <= 19 and luhn_valid(digits) and len(set(digits)) > 2):
            continue
        if _CARD_GROUPS.match(m.group()) is None:  # a block or 4-6-5 groups: only after a card label (ASCII words, so lower case is their fold)
            if _CARD_LABEL.search(doc.text[max(0, m.start() - _CARD_LABEL_REACH) : m.start()].lower()) is None:
                continue
        yield Finding(Kind.PAYMENT, Severity.BLOCK, m.start(), m.end(), "payment.card", _DESTINATION_REASON, "bank_transfer", _SUGGESTION, MASK)


def luhn_valid(digits: str) -> bool:
    """The Luhn check digit of card numbers."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


# ---------------------------------------------------------------------------------- checksums


def _with_ascii_digits(text: str) -> str:
    """The text with other scripts' decimal digits as ASCII ones, one character for one (offsets
    kept): "SA٠٣ ٨٠٠٠ ٠٠٠٠ ...", "DE６２ ３７０４ ..." are the same accounts in Arabic-Indic or fullwidth digits."""
    if text.isascii():
        return text
    # Each distinct character looked up once, then one C-level translate (not a Python step per character).
    table = {ord(c): str(d) for c in set(text) if c >= "\x80" and (d := unicodedata.decimal(c, None)) is not None}
    return text.translate(table) if table else text


def iban_end(text: str, start: int, limit: int) -> int | None:
    """Where a valid IBAN starting at `start` ends (spaces allowed between characters), or None.

    The country's registered length decides how many characters belong to it, so a following word
    ("... 0166 13 bitte") is not swallowed."""
    country = text[start : start + 2].upper()
    length = _IBAN_LENGTHS.get(country)
    if length is None:
        return None
    chars: list[str] = []
    pos = start
    while pos < limit and len(chars) < length:
        if text[pos] != " ":
            chars.append(text[pos])
        pos += 1
    if len(chars) < length or (pos < len(text) and text[pos].isalnum()):
        return None
    return pos if is_valid_iban("".join(chars)) else None


def is_valid_iban(iban: str) -> bool:
    """ISO 13616 mod-97 check of a compact IBAN (spaces removed)."""
    iban = iban.replace(" ", "").upper()
    if len(iban) < 15 or not iban.isalnum() or not iban[:2].isalpha() or not iban[2:4].isdigit():
        return False
    if _IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {c: i for i, c in enumerate(_BASE58)}


def is_valid_base58check_address(address: str) -> bool:
    """A legacy (1…, P2PKH) or script (3…, P2SH) Bitcoin address, a Tron (T…), Litecoin (L…, M…),
    Dogecoin (D…) or XRP (r…) address, with a valid base58check checksum."""
    return base58check_chain(address) is not None


# Version byte -> chain, per first character (a version fixes the first character of the address).
_BASE58_VERSIONS = {
    "1": {0x00: "bitcoin"}, "3": {0x05: "bitcoin"}, "T": {0x41: "tron"},
    "L": {0x30: "litecoin"}, "M": {0x32: "litecoin"}, "D": {0x1E: "dogecoin"},
}  # fmt: skip
_XRP_ALPHABET = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
_XRP_INDEX = {c: i for i, c in enumerate(_XRP_ALPHABET)}


def base58check_chain(address: str) -> str | None:
    """The chain of a base58check address ("bitcoin", "tron", "litecoin", "dogecoin", "xrp"), or None."""
    if address[0] == "r":
        raw, versions = _base58_decode(address, _XRP_INDEX, "r"), {0x00: "xrp"}
    else:
        raw, versions = _base58_decode(address), _BASE58_VERSIONS.get(address[0], {})
    if raw is None or len(raw) != 25 or raw[0] not in versions:
        return None
    checksum = hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4]
    return versions[raw[0]] if checksum == raw[21:] else None


def is_solana_shaped(address: str) -> bool:
    """Base58 that decodes to exactly 32 bytes (a Solana public key has no checksum)."""
    raw = _base58_decode(address)
    return raw is not None and len(raw) == 32


def is_valid_ton_address(address: str) -> bool:
    """A TON address in its user-friendly form: flags, workchain, 32-byte hash, CRC16-XMODEM."""
    try:
        raw = base64.b64decode(address.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) != 36 or raw[0] & 0x3F != 0x11 or raw[1] not in (0x00, 0xFF):
        return False
    return _crc16_xmodem(raw[:34]) == int.from_bytes(raw[34:], "big")


def _crc16_xmodem(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return crc


def _base58_decode(address: str, index: dict[str, int] = _BASE58_INDEX, zero: str = "1") -> bytes | None:
    number = 0
    for c in address:
        value = index.get(c)
        if value is None:
            return None
        number = number * 58 + value
    leading_zeros = len(address) - len(address.lstrip(zero))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * leading_zeros + body


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                checksum ^= generators[i]
    return checksum


def is_valid_bech32_address(address: str) -> bool:
    """A native segwit Bitcoin (bc1…) or Litecoin (ltc1…) address: bech32 for version 0, bech32m for later versions."""
    if address.lower() != address and address.upper() != address:
        return False  # mixed case is invalid in bech32
    address = address.lower()
    hrp, _, data_part = address.rpartition("1")
    if hrp not in ("bc", "ltc") or len(data_part) < 7:
        return False
    try:
        data = [_BECH32.index(c) for c in data_part]
    except ValueError:
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    constant = _bech32_polymod(expanded + data)
    version = data[0]
    if constant != (_BECH32_CONST if version == 0 else _BECH32M_CONST) or version > 16:
        return False
    program_bits = (len(data) - 7) * 5  # data minus version and the 6-character checksum
    program_len = program_bits // 8
    if version == 0:
        return program_len in (20, 32)
    return 2 <= program_len <= 40


def is_valid_eth_address(address: str, *, cued: bool) -> bool:
    """0x + 40 hex: mixed case must pass EIP-55; one case only counts with a crypto cue."""
    body = address[2:]
    if body.lower() == body or body.upper() == body:
        return cued
    digest = keccak256(body.lower().encode("ascii")).hex()
    return all(
        c.isdigit() or (c.isupper() == (int(digest[i], 16) >= 8)) for i, c in enumerate(body)
    )


# Keccak-256 (the pre-SHA-3 padding Ethereum uses; hashlib's sha3_256 pads differently).
_MASK64 = (1 << 64) - 1
_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip
_ROTATIONS = ((0, 36, 3, 41, 18), (1, 44, 10, 45, 2), (62, 6, 43, 15, 61), (28, 55, 25, 21, 56), (27, 20, 39, 8, 14))
_RATE = 136


# (source lane, destination lane, rotation, 64 - rotation, source column) of the rho and pi steps for
# every lane but the first (which stays in place unrotated); lanes are indexed x + 5y.
_RHO_PI = tuple(
    (x + 5 * y, y + 5 * ((2 * x + 3 * y) % 5), _ROTATIONS[x][y], 64 - _ROTATIONS[x][y], x)
    for x in range(5)
    for y in range(5)
    if x or y
)


def _keccak_f(state: list[int]) -> None:
    """The Keccak-f[1600] permutation, in place, on 25 lanes (unrolled where it pays in Python)."""
    mask = _MASK64
    b = [0] * 25
    for constant in _ROUND_CONSTANTS:
        c0 = state[0] ^ state[5] ^ state[10] ^ state[15] ^ state[20]
        c1 = state[1] ^ state[6] ^ state[11] ^ state[16] ^ state[21]
        c2 = state[2] ^ state[7] ^ state[12] ^ state[17] ^ state[22]
        c3 = state[3] ^ state[8] ^ state[13] ^ state[18] ^ state[23]
        c4 = state[4] ^ state[9] ^ state[14] ^ state[19] ^ state[24]
        d = (
            c4 ^ (((c1 << 1) | (c1 >> 63)) & mask),
            c0 ^ (((c2 << 1) | (c2 >> 63)) & mask),
            c1 ^ (((c3 << 1) | (c3 >> 63)) & mask),
            c2 ^ (((c4 << 1) | (c4 >> 63)) & mask),
            c3 ^ (((c0 << 1) | (c0 >> 63)) & mask),
        )
        b[0] = state[0] ^ d[0]
        for src, dst, shift, back, column in _RHO_PI:
            v = state[src] ^ d[column]
            b[dst] = ((v << shift) | (v >> back)) & mask
        for y in (0, 5, 10, 15, 20):
            b0, b1, b2, b3, b4 = b[y : y + 5]
            state[y] = b0 ^ (~b1 & b2)
            state[y + 1] = b1 ^ (~b2 & b3)
            state[y + 2] = b2 ^ (~b3 & b4)
            state[y + 3] = b3 ^ (~b4 & b0)
            state[y + 4] = b4 ^ (~b0 & b1)
        state[0] ^= constant


def keccak256(data: bytes) -> bytes:
    padded = bytearray(data)
    padded.append(0x01)
    padded.extend(b"\x00" * (-len(padded) % _RATE))
    padded[-1] |= 0x80
    state = [0] * 25
    for offset in range(0, len(padded), _RATE):
        for i in range(_RATE // 8):
            state[i] ^= int.from_bytes(padded[offset + 8 * i : offset + 8 * i + 8], "little")
        _keccak_f(state)
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))

