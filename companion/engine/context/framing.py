"""How a request is framed: as rule talk ("it's against the ToS", "Fiverr doesn't allow"), under a
negation in its clause ("please don't share your email", "nicht", "nahi"), as a past reference ("as
we agreed on the call"), as a name ("the mascot se chama Zap", "cứ gọi mình là Tí") or as a quoted
label ("the 'Book a call' button"). The cue phrases are lexicon classes (rule, neg, neg_cancel, past,
naming) of the language packs."""

from __future__ import annotations


from companion.engine.context.scan import Cues, Hit, within
from companion.engine.lexicon.compiled import regex
from companion.engine.lexicon.files import LazyPattern
from companion.engine.lexicon.grammar import grammar_pattern

# How far from a span its context may be (characters): keeps every lookup bounded.
REACH = 200
QUOTES = "'\"‘’“”«"
_REPORT_BACK = 16  # characters from a sentence's end to a report that refers back to it


def cancelled(negation: Hit, cancels: list[Hit]) -> bool:
    """ "don't hesitate", "can't we", "not sure": a negation word inside a phrase that negates
    nothing here (`cancels`: the neg_cancel hits, sorted by start, in the same offsets)."""
    return any(c.start <= negation.start and negation.end <= c.end for c in within(cancels, negation.start - 20, negation.end + 40))


# "..., não?", "... không?", "..., no?": a negation word that closes a question after the request
# asks for agreement (a tag question or a yes/no particle); it negates nothing.
# A short word may follow it ("... gak kak?", "... không ạ?", "..., não é?").
_TAG_END = regex(r"[ \t]{0,3}(?:[^\W\d_]{1,4}[ \t]{0,2})?[?\u061f\uff1f]")


def _tag(text: str, negation: Hit, end: int) -> bool:
    return negation.start >= end and _TAG_END.match(text, negation.end) is not None


def framing(
    start: int,
    end: int,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    rules: list[Hit],
    negations: list[Hit],
    cancels: list[Hit],
    pasts: list[Hit],
    names: list[Hit] = (),
    text: str = "",
    places: list[Hit] = (),
    labels: list[Hit] = (),
) -> str | None:
    """"rule_talk", "negated", "past", "naming" or None for a request at [start, end); every list is
    sorted by start and in the same offsets as the span."""
    # Words that name someone or something ("se chama", "gọi mình là") that the request starts in.
    if names and any(n.start <= start < n.end for n in within(names, max(0, start - 40), end + 40)):
        return "naming"
    # A rule word inside a phrase that waives it ("no refunds needed") says nothing about the rules.
    # A hypothetical about someone else ("if someone writes to you outside the platform, don't answer":
    # rule:if) frames only what follows it in its clause: "If anyone asks, add me on WhatsApp" and "Add
    # me on WhatsApp if anyone asks" still ask.
    if rules and any(
        not cancelled(r, cancels) and (r.arg != "if" or clause[0] <= r.start <= start)
        for r in within(rules, max(sentence[0], start - REACH), min(sentence[1], end + REACH))
    ):
        return "rule_talk"
    # A report to the platform labelled as such at the message's opening ("Signalement : l'acheteur
    # insiste pour régler par PayPal", "Reklamo: ...", "Жалоба: ...", "【お問い合わせ】...": grammar
    # report_labels) frames the sentence it opens; a later sentence may still ask the other side
    # ("申诉：卖家延期。我私下给你转 200 块可以吗？").
    if labels and _labels_message(text, labels[0]) and labels[0].end <= start and (
        sentence[0] <= labels[0].start or not any(c.isalnum() for c in text[labels[0].end : sentence[0]])
    ):
        return "rule_talk"
    # A report that opens the next sentence refers back to this one ("... off the site; I reported them."),
    # and so does a question about the rules right after it ("Can we exchange numbers? Is that allowed
    # here?", "可以交换联系方式吗？平台允许吗？").
    if rules and any(
        r.arg == "report" or r.arg != "if" and not cancelled(r, cancels) and _question_from(text, r.end)
        for r in within(rules, sentence[1], sentence[1] + _REPORT_BACK + 24)
        if r.start <= sentence[1] + _REPORT_BACK
    ):
        return "rule_talk"
    c_start, c_end = clause
    for neg in within(negations, max(c_start, start - REACH), min(c_end, end + REACH)):
        if cancelled(neg, cancels) or _tag(text, neg, end):
            continue
        if neg.arg in ("open", "open_here") and not _opens(text, neg, c_start, start):
            continue  # "Nada de WhatsApp" refuses it; "no, the number is wrong, call me" does not
        if neg.arg == "open_here" and not within(places, end, sentence[1] + 1):
            continue  # Portuguese "No WhatsApp, por favor" is "on WhatsApp": the platform named after it refuses
        # Before the request, or anywhere in its clause for "nicht"/"nahi" that follow their verb.
        if neg.end <= end or neg.arg == "after":
            return "negated"
    if within(pasts, max(c_start, start - REACH), start):
        return "past"
    return None


# What closes a label at the message's opening: a colon, a dash or a closing bracket ("Report:",
# "Reklamo -", "【お問い合わせ】").
_LABEL_CLOSE = regex(r"\s{0,2}[:：\-–—】\]]")


def _labels_message(text: str, label: Hit) -> bool:
    """Whether a report's label opens the message (nothing but marks before it) and a colon, dash or
    closing bracket follows it."""
    return not any(c.isalnum() for c in text[: label.start]) and _LABEL_CLOSE.match(text, label.end) is not None


_QUESTION_END = regex(r"[^.!?。！？\n]{0,40}[?\u061f\uff1f]")


def _question_from(text: str, pos: int) -> bool:
    """Whether the sentence going on at `pos` ends as a question within a few words."""
    return bool(text) and _QUESTION_END.match(text, pos) is not None


def _opens(text: str, negation: Hit, clause_start: int, start: int) -> bool:
    """A bare "no" or "nada de" (neg:open, neg:open_here) negates what follows it only when it opens its
    clause and the request starts right after it: "No Venmo please, pay via the order", "nada de
    WhatsApp, por favor"."""
    return not any(c.isalnum() for c in text[clause_start : negation.start]) and 0 <= start - negation.end <= 1


def quoted(text: str, start: int) -> bool:
    """A span that opens a quotation is a label or a title ("the 'Book a call' button")."""
    return start > 0 and text[start - 1] in QUOTES


# A request or payment talk inside a quotation that the writer comments on ('He wrote "pay me
# directly" and I blocked him', '「LINE交換しませんか」と言われました') is a quote, not a request. Straight
# double quotes pair up; the typographic ones open and close.
_OPENERS, _CLOSERS = "“„«「『", "”»」』"
_QUOTE_REACH = 160  # characters a quotation may run before or after the span


def _latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _single_quote_marks(text: str, line_start: int, line_end: int, start: int, end: int) -> tuple[int, int] | None:
    """The quotation [open, close + 1) of single quote marks around [start, end) on its line: an odd
    number of marks before it, one after; a "'" between two Latin letters is an apostrophe, not a mark."""
    opened = closed = -1
    count = 0
    i = text.find("'", line_start, start)
    while i >= 0:
        if not (i > 0 and _latin(text[i - 1]) and i + 1 < len(text) and _latin(text[i + 1])):
            count += 1
            opened = i
        i = text.find("'", i + 1, start)
    if count % 2 == 0:
        return None
    i = text.find("'", end, line_end)
    while i >= 0:
        if not (_latin(text[i - 1]) and i + 1 < len(text) and _latin(text[i + 1])):
            closed = i
            break
        i = text.find("'", i + 1, line_end)
    return (opened, closed + 1) if closed >= 0 else None


# A line opened by ">" quotes an earlier message, the way mail and chat replies do. A request on it
# that the writer's own lines answer with a refusal or with "here" ("> can u share ur whatsapp\nsorry, I
# keep everything here") is the other side's words, turned down. Answered otherwise it stands ("> heb je
# telegram?\nja, @pieterdj"), and the writer's own lines still ask ("> how do we continue?\nlet's go to
# WhatsApp").
def on_quoted_line(text: str, start: int) -> bool:
    """Whether `start` lies on a line opened by ">" (blanks before it allowed)."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[line_start:start].lstrip(" \t").startswith(">")


def answered_with_refusal(text: str, answers: list[Hit]) -> bool:
    """Whether one of `answers` (hits of refusal, rule, "here" and platform words, original offsets)
    lies on a line of the writer's own, not opened by ">"."""
    return any(not on_quoted_line(text, a.start) for a in answers)


def in_quotation(text: str, start: int, end: int) -> bool:
    """Whether [start, end) lies inside a quotation on its line, with the writer's own words beside it."""
    line_start = text.rfind("\n", max(0, start - _QUOTE_REACH), start) + 1 or max(0, start - _QUOTE_REACH)
    line_end = text.find("\n", end, end + _QUOTE_REACH)
    line_end = min(len(text), end + _QUOTE_REACH) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if before.count('"') % 2 == 1 and '"' in after:
        q_start, q_end = line_start + before.rfind('"'), end + after.index('"') + 1
    elif "'" in after and (marks := _single_quote_marks(text, line_start, line_end, start, end)) is not None:
        # Single quotes pair up too ("헤드라인은 '지금 바로 전화주세요'로 해주세요", "He wrote 'let's
        # continue somewhere else' and I blocked him"); an apostrophe inside a word ("don't") is no mark.
        q_start, q_end = marks
    else:
        opened = max(before.rfind(c) for c in _OPENERS)
        if opened < 0 or max(before.rfind(c) for c in _CLOSERS) > opened:
            return False
        closes = [i for i in (after.find(c) for c in _CLOSERS) if i >= 0]
        if not closes:
            return False
        q_start, q_end = line_start + opened, end + min(closes) + 1
    outside = text[line_start:q_start] + text[q_end:line_end]
    return any(c.isalpha() for c in outside)


# "Pedido #48213 pago no pix", "payment card se ho gayi, order number FO9182736", "已经用支付宝付款了，订单号
# FO8827301945": the order named by its number (grammar list order_nouns, a label word or two, then an id
# with digits) in a sentence of payment talk reports the order's own payment, made through the platform
# (docs: tests/corpus/LABELING.md). Not when the sentence sends money, says "directly" or "outside", asks,
# or pays someone ("paid YOU for order #12345"): then it pays outside whatever order it names.
_ORDER_REFERENCE = LazyPattern(
    rf"(?<![^\W\d_])(?:{grammar_pattern('order_nouns')})(?:\W{{0,3}}[^\W\d_]{{1,8}}){{0,2}}\W{{0,3}}"
    r"(?:#\s*[a-z]{0,4}\d{3,}|[a-z]{1,4}\d{4,}|\d{5,})(?!\w)"
)
_PAID_SOMEONE = LazyPattern(rf"\s+(?:{grammar_pattern('paid_to')})(?![^\W_])")
# Cues that make payment talk beside an order number more than a report of the order's payment.
_NOT_A_REPORT = ("paydirect", "outside", "elsewhere", "dest", "paysend", "ask", "please", "modal", "reach", "direct")


def order_paid_sentences(cues: Cues) -> list[tuple[int, int]]:
    """The sentences (view offsets) that report the order's payment by its number."""
    text = cues.text
    found: list[tuple[int, int]] = []
    for m in _ORDER_REFERENCE.finditer(text):
        sentence = cues.sentence(m.start())
        if found and found[-1] == sentence:
            continue
        a, b = sentence
        if within(cues.of(*_NOT_A_REPORT), a, b):
            continue
        if any(_PAID_SOMEONE.match(text, h.end) for h in within(cues.of("pay"), a, b)):
            continue
        found.append(sentence)
    return found
