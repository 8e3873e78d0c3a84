"""Requests and offers to move the conversation off the platform, with or without an identifier:
"add me on skype", "let's continue on WhatsApp", "send me your number", "call me", "me chama no zap".

A request is a trigger phrase (the language packs, data/lang/*.toml: reach, talk, modal, have, ask, offer, direct, outside)
joined to a target (a channel from the registry, a contact noun, or a call word) by the structure
its class needs: "<reach> on <channel>", "<ask> your <noun>", "<modal> a <call>", Hindi
"<channel> pe <verb>". Targets that are the subject of the work ("Telegram bot", "email template")
do not count. Negation and rule talk are the policy's business, not this detector's.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter
from collections.abc import Iterable, Iterator, Set

from companion.engine.context.scan import Cues, Hit, cues_of, within
from companion.engine.context.work import is_work_object, paid_by_the_work
from companion.engine.detectors.base import bounded
from companion.engine.lexicon.automaton import UNSPACED_CHARS
from companion.engine.lexicon.grammar import GRAMMAR, PREPOSITION_BEFORE, QUESTION_TAIL, grammar_pattern
from companion.engine.lexicon.registry import category_of, channels_in, label
from companion.engine.document import Document
from companion.engine.model import Finding, Kind, Severity
from companion.engine.lexicon.compiled import regex
from companion.engine.text import LATIN_WORD

_TRIGGERS = ("reach", "talk", "modal", "have", "ask", "offer", "dest", "direct", "outside", "after", "please", "near", "elsewhere", "there")
_TARGETS = ("channel", "channel_weak", "abbrev", "noun", "noun_weak", "callword", "callverb")
# The same classes as sets, for the gate in detect() (a set test against the scan's classes is cheaper).
_TRIGGER_SET, _TARGET_SET = frozenset((*_TRIGGERS, "callbare")), frozenset(_TARGETS)
_NOUNS = frozenset({"noun", "noun_weak"})
_IS_CHANNEL = frozenset({"channel"}).__contains__
_CHANNEL_SET = frozenset({"channel", "channel_weak", "abbrev"})


def _asks(text: str) -> bool:
    """Whether the text holds a question mark: Latin "?" or the Arabic-script "؟" (Arabic, Urdu)."""
    return "?" in text or "؟" in text


_WINDOW = 40  # how far after a trigger its target may start (characters)
# A blank between words, or none next to a word of a script written without spaces ("有微信吗",
# "Skypeやってますか").
_BLANK = rf"(?:\s+|(?<={UNSPACED_CHARS})\s*|\s*(?={UNSPACED_CHARS}))"

# "<trigger> ... on|via|por|auf|sur [my] <target>": the preposition right before the target.
# "a quick video call", "una llamada", "einen kurzen Anruf": an article before a call word.
_ARTICLE_BEFORE = regex(rf"(?<![{LATIN_WORD}])(?:{grammar_pattern('articles')})\s+(?:[a-z]+\s+){{0,2}}$")
# Between "send me your" and "number": at most two filler words ("your personal whatsapp number").
_FILLER_GAP = regex(rf"\s+(?:(?:{grammar_pattern('ask_fillers')})\s+){{0,2}}")
# After a social network someone has or uses, a purpose (grammar list have_purposes), a word or two
# on: the network is the work's ("an Instagram account for the shop", "Instagram pra divulgar").
_PURPOSE_AFTER = regex(rf"(?:\s+[^\W\d_]+){{0,2}}?\s+(?:{grammar_pattern('have_purposes')})(?![^\W_])")
# After an app someone has, words saying it is installed or on a test device (grammar list have_installed,
# up to three words on): the app is software of the work, not a channel to talk on ("Do you have
# WhatsApp installed on the test phone?", "Hast du WhatsApp auf dem Testhandy installiert?").
_INSTALLED_AFTER = regex(rf"(?:\s+[^\W\d_]+){{0,3}}?\s+(?:{grammar_pattern('have_installed')})(?![^\W_])")
# After a contact noun that names no channel, whose it is when it is someone else's (grammar list
# third_party_of): "the contact OF A printer", "um contato DA gráfica"; not when the "of" opens the
# addressee's own possessive (Vietnamese says "your" as "of you": "thông tin liên lạc CỦA BẠN").
_OF_SOMEONE_ELSE = regex(
    rf"\s+(?!(?:{grammar_pattern('possessives')})(?![^\W_]))(?:{grammar_pattern('third_party_of')})(?![^\W_])"
)
# Between "do you have" and "telegram": articles only.
_HAVE_GAP = regex(rf"{_BLANK}(?:(?:{grammar_pattern('have_fillers')}){_BLANK}){{0,2}}")
# Hindi: "whatsapp pe baat karo", "insta pe DM karo", "mujhe call karo".
# A suffix may stay glued to the channel's name (Turkish "WhatsApp'tan", Bangla "হোয়াটসঅ্যাপে").
# In scripts written without spaces the verb may follow the particle directly ("メールアドレス教えて").
_HINDI_GAP = regex(rf"[\w'’]{{0,8}}(?:\s+(?:{grammar_pattern('hindi_fillers')})){{0,5}}(?:\s+|(?<={UNSPACED_CHARS}))")
# After a word of a script written without spaces the suffix must be a particle ("メールアドレスを教えて",
# "카톡으로 연락"): "メールアドレスの変更方法を教えて" asks how to change it, not for it.
_POSTPOSITION = rf"(?:{grammar_pattern('postpositions')})"
_UNSPACED_GAP = regex(rf"{_POSTPOSITION}?(?:\s+(?:{grammar_pattern('hindi_fillers')})){{0,5}}\s*")
_UNSPACED_END = regex(UNSPACED_CHARS)
_PLEASE_GAP = regex(r"[\s,]+")
# "インスタのDMください", "카톡으로 연락주세요": a particle glued to the channel's name.
_CHANNEL_FIRST_GAP = regex(rf"[\s:,-]{{1,4}}|(?<={UNSPACED_CHARS})(?:{grammar_pattern('postpositions')}|{grammar_pattern('genitives')})\s*")
# "WhatsApp?", "your number?", "ur whatsapp no?": nothing else in the question. A preposition may lead
# to the channel ("а в тг есть?"), a possessive may follow it ("viber mo po?"); the pack's "have" words
# stand on either side (blanked out before the match: "телегу маєш?", "¿tenés wsp?").
_BARE_BEFORE = regex(
    rf"\s*(?:(?:{grammar_pattern('bare_question_before')}){_BLANK})?(?:(?:{grammar_pattern('prepositions')})\s+)?"
)
_BARE_AFTER = regex(
    r"(?:['’][^\W\d_]{1,5})?"  # a suffix after an apostrophe: Turkish "WhatsApp'ın var mı?"
    rf"(?:{_BLANK}(?:{grammar_pattern('bare_question_after')}|{grammar_pattern('possessives_after')}))*"
    r"(?:\s*(?:,|/|\bor\b|\bou\b|\boder\b|\bo\b|\by\b|\band\b)\s*[^\s?]+){0,3}\s*"  # "Viber or WhatsApp?"
)
# "WhatsApp is better for me", "Telegram es más fácil": a chat app named first, then preferred.
_PREFERENCE_AFTER = regex(
    rf"[ \t]+(?:{grammar_pattern('preference_after')})(?:[ \t]+(?:{grammar_pattern('preference_tail')}))?[ \t]*(?:$|[.!?,;)\n])"
    # "現金でも大丈夫です", "微信转账行不行": glued after a word written without spaces; what follows is
    # the sentence's verb ending.
    rf"|(?:(?<={UNSPACED_CHARS})|\s*(?={UNSPACED_CHARS}))(?:{grammar_pattern('postpositions')})?\s*(?:{grammar_pattern('unspaced_preference_after')})"
)
_BARE_CALL_BEFORE = regex(rf"\s*(?:(?:{grammar_pattern('articles')})\s+)?")
_POSSESSIVE_BEFORE = regex(rf"(?<![{LATIN_WORD}])(?:{grammar_pattern('possessives')})\s+$")
# Tagalog, Indonesian, Vietnamese put the possessive after the noun: "number MO", "nomor KAMU".
_POSSESSIVE_AFTER = regex(rf"\s+(?:{grammar_pattern('possessives_after')})(?![^\W_])")
# "call me" asks for a call only when what follows is about the call: "call me when you're free",
# "call me at 5", "call me back", or nothing. "Call me Sam", "call me crazy" name or joke.
_WORD_AFTER = regex(r"[ \t]+([^\W\d_]+)")
_CALL_ME_CONTINUATIONS = frozenset(GRAMMAR["call_me_continuations"])
_QUOTES = "'\"‘’“”«"
# "a thumbnail that says CALL ME MAYBE": the words are a label, not a request.
_LABEL_BEFORE = regex(rf"(?<![a-z])(?:{grammar_pattern('label_words')})\s+$")

_DEST_NOUN_CHANNELS = frozenset({"email", "whatsapp", "skype", "telegram"})
_NUMBER_WORDS = GRAMMAR["number_words"]
_PAYMENT_CHANNELS = channels_in("payment")
_MESSENGER_LIKE = frozenset({"chat", "social"})
_CHAT_LIKE = frozenset({"chat", "call", "video_call", "email", "phone", "scheduling"})
_BARE_QUESTION_CATEGORIES = _CHAT_LIKE | {"payment"}
_MESSENGER_LIKE_OR_CHAT = _MESSENGER_LIKE | _CHAT_LIKE  # what a "there" may point back to


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    cues = cues_of(doc)
    classes = cues.classes
    if not gated:
        return _candidates(doc, cues)
    if classes.isdisjoint(_TRIGGER_SET) and not (
        not classes.isdisjoint(_TARGET_SET) and (
            _asks(cues.text) or "prefer" in classes or "qparticle" in classes and _particle_closes(cues) or "qopener" in classes
        )
    ) and not ("callword" in classes and not classes.isdisjoint(_CHANNEL_SET)) and not (
        "callask" in classes and ("callword" in classes or "phoning" in classes)  # "could you give me a quick call?"
    ) and not (
        _says_better_place(classes)  # "let's continue where it's faster"
        or _says_other_place(classes)  # "may iba ka bang app?"
    ):
        return ()  # most messages: no trigger, so no generator is started
    return _candidates(doc, cues)


@bounded
def _candidates(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    targets = cues.of(*_TARGETS)
    if not targets:
        yield from _on_their_own(doc, cues)
        return
    if not cues.classes.isdisjoint(_FILTERED_BY):
        targets = _targets(cues, targets)
    target_starts = [t.start for t in targets]
    # Each target keeps the nearest trigger that reaches it ("let's CONTINUE on WhatsApp").
    nearest: dict[Hit, Hit] = {}
    for trigger in cues.of("reach", "talk", "modal", "have", "ask", "offer", "dest"):
        first = bisect_left(target_starts, trigger.end)
        for k in range(first, len(targets)):  # not targets[first:]: a copy of the rest per trigger
            target = targets[k]
            if target.start - trigger.end > _WINDOW:
                break
            if _pairs(cues, trigger, target):
                if not _quoted(doc, trigger.start):
                    nearest[target] = trigger
                break
    for target, trigger in nearest.items():
        yield _candidate(doc, trigger.start, target.end, target, trigger.cls)
    if cues.has("reach"):
        yield from _channel_first(doc, cues, targets, set(nearest))
    if "near" in cues.classes or "callword" in cues.classes:
        yield from _near(doc, cues, targets, target_starts)
    if cues.has("after", "please"):
        yield from _hindi_and_please(doc, cues, targets)
    if _asks(text) or "qparticle" in cues.classes or "qopener" in cues.classes:
        yield from _bare_questions(doc, cues, targets)
    if cues.has("prefer"):
        yield from _preferences(doc, cues, targets)
    if "there" in cues.classes:
        yield from _there(doc, cues, targets)
    yield from _on_their_own(doc, cues)


_FILTERED_BY = frozenset({"noun", "noun_weak", "internal"})  # the classes _targets reads


def _targets(cues: Cues, targets: list[Hit]) -> list[Hit]:
    """The targets a request may name, less contact nouns that are a payment's and ways to pay that are
    the platform's own."""
    if "noun" in cues.classes or "noun_weak" in cues.classes:
        # The "numer" of "numer karty" (a card number, a way to pay): the longer name decides. The
        # details of an account ("seus dados bancários", "seus dados da conta", Arabic "بيانات حسابك")
        # are a payment's, which the payment detector reports: no contact noun.
        accounts = cues.of("payacct") + [c for c in cues.of("channel") if c.arg in _PAYMENT_CHANNELS]  # a new list
        if accounts:
            accounts.sort(key=_START)
            longest = max(a.end - a.start for a in accounts)
        targets = [
            t for t in targets
            if t.cls not in _NOUNS or not (cues.inside_phrase(t, _IS_CHANNEL) or accounts and _account_detail(cues, t, accounts, longest))
        ]
    if "internal" in cues.classes and not cues.channels.isdisjoint(_PAYMENT_CHANNELS):
        # A way to pay inside a phrase of the platform's own payment ("can I pay WITH MY CARD?": what every
        # checkout takes) is the order's payment, not a way to pay someone.
        internal = cues.of("internal")
        targets = [t for t in targets if t.arg not in _PAYMENT_CHANNELS or not _inside_any(t, internal)]
    return targets


def _inside_any(hit: Hit, phrases: list[Hit]) -> bool:
    """Whether the hit lies inside a longer one of `phrases` (a few hits: no index of the text's hits)."""
    return any(p.start <= hit.start and hit.end <= p.end and p.end - p.start > hit.end - hit.start for p in phrases)


_START = itemgetter(0)  # Hit.start, read in C
_DETAIL_GAP = regex(r"\s*(?:\S{1,3}\s+)?$")  # at most one short word ("da", "de", "of") between


def _account_detail(cues: Cues, noun: Hit, accounts: list[Hit], longest: int) -> bool:
    """Whether an account word or a way to pay overlaps the noun or follows it with at most one short
    word between ("your details OF the account"). `accounts` are sorted by start, `longest` is the
    longest one's length: only those starting from that far before the noun to 8 characters after it
    are read (a long text stays linear)."""
    first = bisect_left(accounts, noun.start - longest, key=_START)
    for a in accounts[first : bisect_right(accounts, noun.end + 8, lo=first, key=_START)]:
        if a.start < noun.end and noun.start < a.end:
            return True
        if noun.end <= a.start <= noun.end + 8 and _DETAIL_GAP.fullmatch(cues.text, noun.end, a.start):
            return True
    return False


_DESCRIBED_BEFORE = regex(rf"(?<![\w'’])(?:{grammar_pattern('outside_described')})\s+$")

# Words about money: a request to go outside said with them is about paying outside ("let's do it
# outside, we both save the fee", "platform ke bahar deal karte hain", "давай мимо площадки, так дешевле").
_MONEY = ("pay", "payfee", "paydirect", "money", "fee")


def _on_their_own(doc: Document, cues: Cues) -> Iterator[Finding]:
    """Requests that need no target: "call me", "contact me directly", "outside Fiverr"."""
    # "platform ke bahar deal karte hain": the outside phrase said with money is paying outside, and a
    # direct phrase overlapping it ("bahar deal") says the same, no second request.
    paid_outside = [h for h in cues.of("outside") if _about_money(cues, h)] if cues.has("outside") and cues.has(*_MONEY) else ()
    for hit in cues.of("direct"):
        if _direct_is_benign(doc, cues, hit) or _names_a_way_to_pay(cues, hit):
            continue
        if paid_outside and any(o.start < hit.end and hit.start < o.end for o in paid_outside):
            continue
        if hit.arg in (None, "offplatform") and (_about_money(cues, hit) or _way_to_pay_beside(cues, hit)):
            yield _outside_payment(doc, hit.start, hit.end)  # "hacemos por fuera y te ahorras la comisión"
            continue
        paying = _way_to_pay_after(cues, hit)
        if paying is not None:  # "I'll mail you a check", "text me your card number": about paying
            yield _candidate(doc, hit.start, paying.end, paying, "direct")
            continue
        yield _candidate(doc, hit.start, hit.end, hit, "direct")
    if "callbare" in cues.classes:
        yield from _called(doc, cues)
    if "callask" in cues.classes:
        yield from _call_asked(doc, cues)
    if "near" in cues.classes and "paydirect" in cues.classes:
        yield from _contacted_directly(doc, cues)
    for hit in cues.of("outside"):
        if _DESCRIBED_BEFORE.search(cues.text, max(0, hit.start - 24), hit.start):
            continue  # "I also have clients outside of Fiverr": where they are, not a move
        start = _extend_back(cues, hit)
        # "let's do Wise instead of Fiverr" is about paying outside.
        paying = [c for c in cues.in_clause(cues.of("channel", "channel_weak", "abbrev"), hit.start) if c.arg in _PAYMENT_CHANNELS]
        channel = paying[0].arg if paying else "offplatform"
        if not paying and (_about_money(cues, hit) or _way_to_pay_beside(cues, hit)):
            # "let's do it outside and you save the fee": paying outside, said without a way to pay
            yield _outside_payment(doc, start, hit.end)
            continue
        yield _candidate(doc, start, hit.end, Hit(hit.start, hit.end, "outside", channel), "outside")
    classes = cues.classes
    if "elsewhere" in classes or _says_better_place(classes) or _says_other_place(classes):
        yield from _elsewhere(doc, cues)


# "Kun je me vanavond even bellen?", "Kannst du mich morgen kurz anrufen?", "Możesz do mnie jutro
# zadzwonić?": a call verb at the end of its clause (class "callbare", grammar list bare_call_verbs)
# with the writer or the addressee as its object a few words before it (called_pronouns, object forms
# only: "je" is also "you" the subject). Words between are no article or determiner: "Laat me even de
# klant bellen" calls someone else.
_CALLED = regex(
    rf"(?<![\w'’])(?:{grammar_pattern('called_pronouns')})"
    rf"(?:\s+(?!(?:{grammar_pattern('articles')}|{grammar_pattern('determiners')})\s)[^\W\d_]+){{0,3}}\s+$"
)


def _called(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    for hit in cues.of("callbare"):
        start = max(cues.clause(hit.start)[0], hit.start - 40)
        m = _CALLED.search(text, start, hit.start)
        if m is None or within(cues.of("here", "internal"), m.start(), hit.end):
            continue  # "Möchtest du mich hier über Fiverr anrufen?": a call on the platform
        if not _direct_is_benign(doc, cues, Hit(m.start(), hit.end, "direct", "call")):
            yield _candidate(doc, m.start(), hit.end, Hit(m.start(), hit.end, "direct", "call"), "direct")


# "Could you call her? She doesn't type", "¿lo puedes llamar tú?", "kannst du ihn kurz anrufen?",
# "could you give me a quick call?", "전화 한 통 주실 수 있나요?": a call asked of the addressee (grammar
# call_askers, class callask: "can you", "puedes", "kannst du", "주실 수 있나요", on either side of the call
# in its clause) asks for a call off the platform when what it asks is a call (a call word with its
# article, or any in a script written without spaces: "전화 한 통") or a verb of calling (class phoning:
# grammar bare_call_verbs, call_verbs) whose object is a person: a pronoun before it (called_pronouns,
# called_others, the clitics that stand only before a verb: called_clitics) or after it, a preposition
# between ("ligar PRA ELA", "do niej"), or glued into the verb (called_verb_forms: "llamarla",
# "l'appeler"). "Can you call the API?", "could you call it v2?" call no one; a name after "call her"
# names ("call her Luna in the story"; naming_call_verbs).
# A call word as the means a talk is held by, its preposition right before it ("lo hablamos por
# videollamada", "talk by phone call", "reden per Videoanruf"): a call, no article needed.
_MEANS_BEFORE = regex(rf"(?<![{LATIN_WORD}])(?:{grammar_pattern('means_prepositions')})\s+$")
_CALL_ASK_REACH = 48  # characters between the asking words and the call, either side
_PERSONS = f"{grammar_pattern('called_pronouns')}|{grammar_pattern('called_others')}"
_PERSON_BEFORE = regex(
    rf"(?<![\w'’])(?:{_PERSONS}|{grammar_pattern('called_clitics')})"
    rf"(?:\s+(?!(?:{grammar_pattern('articles')}|{grammar_pattern('determiners')})\s)[^\s\d,.;:!?،؟।。，！？]+){{0,3}}"  # words of any script (Bangla's vowel signs are no \w)
    rf"(?:\s+(?:{grammar_pattern('articles')}))?{_BLANK}$"  # the article of a call noun ("উনাকে একটা ফোন দিতে")
)
_PERSON_AFTER = regex(rf"{_BLANK}(?:[^\W\d_]{{1,4}}[ \t]+)?(?:{_PERSONS})(?![^\W_])")
# In Japanese and Korean the asking words follow the call word, at most a counter or a light verb
# between ("전화 한 통 주실 수 있나요", "お電話いただけますか", "電話していただけますか"): "打ち合わせの資料を
# まとめていただけますか" asks for the work.
_CALL_GAP_UNSPACED = regex(r"[\s\u3040-\u309f\uac00-\ud7af]{0,5}")
_CALLED_VERB_FORMS = frozenset(GRAMMAR["called_verb_forms"])
_QUOTE_AFTER = regex(rf"[ \t]*[{_QUOTES}”»]")  # "call them 'Starter'": a name follows
_NAMING_CALL_VERBS = frozenset(GRAMMAR["naming_call_verbs"])


def _call_asked(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    calls = cues.of("callword", "phoning")
    if not calls:
        return
    for ask in cues.of("callask"):
        best = None
        for call in within(calls, max(0, ask.start - _CALL_ASK_REACH), ask.end + _CALL_ASK_REACH):
            if call.start < ask.end and ask.start < call.end:
                continue
            if not cues.same_clause(min(ask.start, call.start), max(ask.start, call.start)):
                continue
            if call.cls == "callword":
                if not _asked_call_word(cues, call) or _UNSPACED_END.match(text, call.end - 1) and not (
                    call.end <= ask.start and _CALL_GAP_UNSPACED.fullmatch(text, call.end, ask.start)
                ):
                    continue
            elif not _calls_a_person(doc, cues, call):
                continue
            if best is None or abs(call.start - ask.start) < abs(best.start - ask.start):
                best = call
        if best is None or _quoted(doc, min(ask.start, best.start)):
            continue
        start, end = min(ask.start, best.start), max(ask.end, best.end)
        yield _candidate(doc, start, end, Hit(start, end, "callverb", best.arg if best.cls == "callword" else "call"), "call_asked")


def _asked_call_word(cues: Cues, call: Hit) -> bool:
    """Whether a call word is a call asked for: a call app's call ("a zoom call"), or a bare call with its
    article ("a quick call", "una telefonata") or in a script written without spaces ("전화 한 통"); not
    the work's nor the platform's own, nor the part of a longer word ("전화번호", a phone number)."""
    text = cues.text
    if call.arg in ("call", "phone") and not _UNSPACED_END.match(text, call.start) and not _ARTICLE_BEFORE.search(
        text, max(0, call.start - 30), call.start
    ):
        return False
    return not cues.inside_phrase(call, _IS_TARGET) and not _call_stays_here(cues, call)


_IS_TARGET = frozenset(_TARGETS).__contains__


def _calls_a_person(doc: Document, cues: Cues, verb: Hit) -> bool:
    """Whether a verb of calling has a person for its object (see _call_asked)."""
    text = cues.text
    if is_work_object(text, verb) or _quoted(doc, verb.start):
        return False  # "a 'call us' button"
    if text[verb.start : verb.end] in _CALLED_VERB_FORMS:
        return True
    if _platform_before(cues, verb) or _platform_right_after(cues, verb):
        return False  # "can you call me here through the site?"
    after = _PERSON_AFTER.match(text, verb.end)
    if after is not None:
        if text[verb.start : verb.end] in _NAMING_CALL_VERBS:
            word = _WORD_AFTER.match(text, after.end())
            if word is not None and word.group(1) not in _CALL_ME_CONTINUATIONS or _QUOTE_AFTER.match(text, after.end()):
                return False  # "could you call her Luna in the story", "call them something catchier"
        return True
    return _PERSON_BEFORE.search(text, max(0, verb.start - 40), verb.start) is not None


# "escríbeme directo", "me chama direto", "راسلني مباشرة", "direct message karo", "напишіть мені
# напряму": a verb of contact (class near) with a "directly" (grammar direct_adverbs) right after it (a
# short pronoun or two between: "write to me directly") or right before it asks to be reached outside
# the chat, no channel named. Sending verbs (reach) are left out: "send me the file directly" delivers.
_DIRECT_ADVERB = grammar_pattern("direct_adverbs")
_ADVERB_AFTER = regex(rf"(?:[ \t]+[^\W\d_]{{1,5}}){{0,2}}[ \t]+(?:{_DIRECT_ADVERB})(?![^\W_])")
# The adverb before the verb may have the addressee between, as after it ("напряму з вами зв'язатися",
# "directamente contigo hablar"): up to two short words.
_ADVERB_BEFORE = regex(rf"(?<![^\W_])(?:{_DIRECT_ADVERB})(?:[ \t]+[^\W\d_]{{1,5}}){{0,2}}[ \t]+$")
_ADVERB_BEFORE_REACH = 40


def _contacted_directly(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    for hit in cues.of("near"):
        after = _ADVERB_AFTER.match(text, hit.end)
        if after is not None:
            span = Hit(hit.start, after.end(), "direct", None)
        elif before := _ADVERB_BEFORE.search(text, max(0, hit.start - _ADVERB_BEFORE_REACH), hit.start):
            span = Hit(before.start(), hit.end, "direct", None)
        else:
            continue
        if _WORK_AFTER_DIRECT.match(text, span.end) or _direct_is_benign(doc, cues, span):
            continue  # "talk directly to the printer", "message me directly if unclear, I reply fast here"
        yield _candidate(doc, span.start, span.end, span, "direct")


def _names_a_way_to_pay(cues: Cues, hit: Hit) -> bool:
    """Whether what a request asks for is named longer as a way to pay ("скинь НОМЕР карты", "podaj
    numer karty", "カード番号を教えて", "vos COORDONNÉES bancaires"): a card or account number or bank
    details, which the payment talk reports."""
    if cues.channels.isdisjoint(_PAYMENT_CHANNELS):
        return False
    return any(
        c.arg in _PAYMENT_CHANNELS and (c.start < hit.start or c.end > hit.end)
        for c in within(cues.of("channel"), max(0, hit.start - 24), hit.end + 40)  # a name runs on past the request
        if c.start < hit.end and c.end > hit.start
    )


_PAY_AFTER_DIRECT = 20  # characters from a request to the way to pay it names ("mail you A CHECK")


def _way_to_pay_after(cues: Cues, hit: Hit) -> Hit | None:
    """The way to pay named right after a request in its clause, if any."""
    if cues.channels.isdisjoint(_PAYMENT_CHANNELS):
        return None
    after = within(cues.of("channel", "channel_weak", "abbrev"), hit.end, hit.end + _PAY_AFTER_DIRECT)
    paying = next((c for c in after if c.arg in _PAYMENT_CHANNELS and not is_work_object(cues.text, c)), None)
    return paying if paying is not None and cues.same_clause(hit.start, paying.start) else None


def _way_to_pay_beside(cues: Cues, hit: Hit) -> bool:
    """Whether a way to pay (not the work's: "the PayPal button") is named in the sentence of a move off
    the platform that names no channel ("Lydia ou Paylib, comme tu préfères, mais hors site", "PayPal,
    aber außerhalb der Seite"): the move is where to pay."""
    if cues.channels.isdisjoint(_PAYMENT_CHANNELS):
        return False
    a, b = cues.sentence(hit.start)
    if a > 0:  # across a contrast word ("..., MAIS hors site"): the sentence before it, when no stop ends it
        before = cues.sentence(a - 1)
        if not any(c in ".!?\n。！？" for c in cues.text[before[1] : a]):
            a = before[0]
    return any(
        c.arg in _PAYMENT_CHANNELS and (c.end <= hit.start or c.start >= hit.end) and not is_work_object(cues.text, c)
        for c in within(cues.of("channel", "channel_weak", "abbrev"), a, b)
    )


def _about_money(cues: Cues, hit: Hit) -> bool:
    """Whether the sentence of a request that names no channel, or the next one (the reason often
    follows: "dá pra fazer por fora? a taxa tá muito alta"), talks about money (words other than its own)."""
    money = cues.of(*_MONEY)
    if not money:
        return False
    end = cues.sentence(hit.start)[1]
    # The next sentence: a contrast word between them ("para mas mura": Portuguese "mas" is "but") is
    # counted with the sentence before it, so step over it.
    pos = end + 1
    while pos < min(len(cues.text), end + 12) and cues.sentence(pos)[1] <= end:
        pos += 1
    if pos < len(cues.text):
        end = max(end, cues.sentence(pos)[1])
    text = cues.text
    return any(
        (p.end <= hit.start or p.start >= hit.end) and not _own_manner_or_weak(text, hit, p) and not _manner_only(cues, p, money)
        for p in within(money, max(0, hit.start - 200), min(end, hit.end + 200))
        if p.start >= cues.sentence(hit.start)[0]
    )


_DIRECT_ADVERBS = frozenset(GRAMMAR["direct_adverbs"])


def _manner_only(cues: Cues, word: Hit, money: list[Hit]) -> bool:
    """A bare "directly" (grammar direct_adverbs) in a clause about the platform here ("aqui trava DIRETO": it
    freezes all the time here), with no other money word and no way to pay in it, says how the platform
    behaves, not money: "me paga direto", "direto, sem taxa", "next project let's work directly" still are."""
    text = cues.text
    if word.cls != "paydirect" or text[word.start : word.end] not in _DIRECT_ADVERBS:
        return False
    if not cues.in_clause(cues.of("here", "complaint"), word.start):
        return False
    others = [m for m in cues.in_clause(money, word.start) if text[m.start : m.end] not in _DIRECT_ADVERBS]
    if others:
        return False
    return cues.channels.isdisjoint(_PAYMENT_CHANNELS) or not any(
        c.arg in _PAYMENT_CHANNELS for c in cues.in_clause(cues.of("channel", "channel_weak", "abbrev"), word.start)
    )


def _own_manner_or_weak(text: str, hit: Hit, word: Hit) -> bool:
    """A money word that says nothing about money here: a time of future orders, a weak payment verb, which is one only with a
    way to pay ("Como FAÇO pra falar contigo?": "how do I"), or "directly" right beside the request,
    which is how it reaches ("skontaktować się z tobą BEZPOŚREDNIO")."""
    if word.cls == "pay" and word.arg in ("weak", "next"):
        return True  # "next": a time of the next orders ("next time", "المرة الجاية"), no money
    if word.cls != "paydirect":
        return False
    gap = text[hit.end : word.start] if word.start >= hit.end else text[word.end : hit.start]
    return len(gap) <= 2 and (not gap or gap.isspace())


# "could we talk about this elsewhere?", "is there another way I can reach you?", "passons par un
# autre canal", "başka bir yerden konuşalım mı?": somewhere or some way other than here, with a verb of
# contact in its clause, before or after it. A way or a means ("another way", "otro medio": argument
# "weak") needs a verb that reaches someone; talking alone may be about the work ("discuss another way
# to animate it").
_ELSEWHERE_VERBS = ("reach", "near", "talk", "after", "callword", "callverb", "noun", "noun_weak", "ask", "pay", "have", "modal")
_MONEY_VERBS = frozenset({"pay"})
_ELSEWHERE_CLASS = frozenset({"elsewhere"}).__contains__
_NOT_MONEY_VERB = frozenset(_ELSEWHERE_VERBS).difference(_MONEY_VERBS).__contains__
_ELSEWHERE_WEAK_VERBS = frozenset({"reach", "near", "after", "callword", "callverb", "noun", "noun_weak", "ask", "pay", "have"})


_PARTICLE_TAIL = regex(rf"\s*(?:{grammar_pattern('question_particles')})\s*")


def _question_ends_with(cues: Cues, hit: Hit, opener: Hit | None = None) -> bool:
    """Whether the hit's sentence is a question that ends with it ("do you use another app?"); with an
    `opener` (a "have" before it or the hit itself), also the message's last sentence left without its mark
    when the opener opens its clause or closes the message ("do you use another app", "koi doosra app hai
    aapke paas")."""
    start, end = cues.sentence(hit.start)
    text = cues.text
    if not (text[hit.end : end].isspace() | (hit.end == end)) and not _PARTICLE_TAIL.fullmatch(text, hit.end, end):
        return False  # "koi aur app use karte ho KYA?": a question particle may close it
    if end < len(text) and text[end] in "?؟":
        return True
    return opener is not None and _opens_unclosed(cues, opener, start, end)


def _opens_unclosed(cues: Cues, opener: Hit, start: int, end: int) -> bool:
    """Whether text[start:end] is the message's last sentence, left without a mark, and asked by its word
    order: the opener (a "have": "do you have", "gebruik je", "¿usas") opens its clause, or ends the
    sentence ("... hai aapke paas")."""
    text = cues.text
    if not _unclosed_last(text, start, end):
        return False
    return opener.end >= len(text[:end].rstrip()) or not text[cues.clause(opener.start)[0] : opener.start].strip(" \t\n¿¡")


_BARE_OTHER_WORDS = 3  # words before "another app" in a question that asks only for it (one after: "app khác KHÔNG?")
_PREPOSITION_WORD = regex(rf"(?<![^\W_])(?:{grammar_pattern('prepositions')})(?![^\W_])")


def _bare_other_app(cues: Cues, hit: Hit) -> bool:
    """A short question about another app and little else ("may iba ka bang app?", "another app?",
    "app khác không?", "другой мессенджер есть?"): no verb needed, the question asks for one. Not with a
    preposition among its words ("another app for the animation?") or the app being the work."""
    start, end = cues.sentence(hit.start)
    if not (end < len(cues.text) and cues.text[end] in "?؟？") or is_work_object(cues.text, hit):
        return False
    before, after = cues.text[start : hit.start], cues.text[hit.end : end]
    return (
        len(before.split()) <= _BARE_OTHER_WORDS and len(after.split()) <= 1
        and _PREPOSITION_WORD.search(before + " " + after) is None
    )


_HAVE_AFTER = 8  # characters from a place to a "have" after it ("koi dusra app HAI tumhare paas?")
_USE_TAIL = frozenset({"modal", "talk", "reach", "near", "callverb"})


def _used_to_reach(cues: Cues, hit: Hit, opener: Hit | None = None) -> bool:
    """Whether the question goes on after the place with what it is for, a verb of contact or "we can"
    ("you got another app WE CAN use?", "¿tienes otra app PARA HABLAR?"), and nothing else (without its
    mark when the `opener` asks by word order: "do you have another app we can use")."""
    start, end = cues.sentence(hit.start)
    if not (end < len(cues.text) and cues.text[end] in "?؟？" or opener is not None and _opens_unclosed(cues, opener, start, end)):
        return False
    return any(h.cls in _USE_TAIL for h in within(cues.hits, hit.end, end)) and cues.same_clause(hit.start, end - 1)


def _question_of(cues: Cues, hit: Hit) -> bool:
    """Whether the hit's sentence is a question."""
    end = cues.sentence(hit.start)[1]
    return end < len(cues.text) and cues.text[end] in "?؟？"


# "let's continue where it's cheaper", "давайте продолжим там, где удобнее", "もっと早いところで",
# "di tempat yang lebih cepat": a place (pack class `somewhere`) said better than here (`better`: faster,
# easier, cheaper, more convenient) is somewhere else, in either order, a few characters apart in one
# sentence; it then needs a verb of contact in the clause where the place starts ("там, где"), like any
# `elsewhere` phrase. A place talked about ("let's talk
# ABOUT where it's cheaper", grammar list better_place_topics) and a comparative that takes a verb of
# the work ("easier TO read", "plus simple DE mettre": better_place_complements) are no move. In scripts
# written without spaces the two stand side by side ("更方便的地方", "早いところ"; not "地方印刷更便宜").
_BETTER_GAP = 20
_BETTER_GAP_UNSPACED = 1
_WAY_GAP_UNSPACED = 2  # "もっと早い連絡方法": a noun of contact may stand between
_UNSPACED = regex("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # Han and kana
# "the version WHERE the animation is faster": a place word right after a determiner and a noun
# qualifies that noun.
_NOUN_BEFORE = regex(rf"(?<![\w'’])(?:{grammar_pattern('determiners')}|{grammar_pattern('articles')})\s+[^\W\d_]+\s+$")
_TOPIC_BEFORE = regex(rf"(?<![\w'’])(?:{grammar_pattern('better_place_topics')})\s+$")
_COMPLEMENT_AFTER = regex(rf"\s+(?:{grammar_pattern('better_place_complements')})(?![^\W_])")


# A verb of contact whose object is someone else: a determiner and a noun right after it.
_OTHER_OBJECT = regex(rf"\s+(?:(?:{grammar_pattern('other_object_prepositions')})\s+)?(?:{grammar_pattern('determiners')}|{grammar_pattern('articles')})\s+[^\W\d_]")


def _relative(text: str, place: Hit) -> bool:
    """Whether a place word can be a relative one, qualifying the noun before it: one word ("the version
    WHERE", "la versión DONDE"), not a phrase ("la discussion LÀ OÙ c'est plus rapide", "LÀ-BAS")."""
    return not any(c in " -" for c in text[place.start : place.end])


def _says_better_place(classes: Set[str]) -> bool:
    """Whether the scan found what `_better_places` reads: a place or way and a word saying better."""
    return "better" in classes and ("somewhere" in classes or "way" in classes)


def _better_places(cues: Cues) -> list[Hit]:
    """The places and ways said better than here, as `elsewhere` hits: a place (arg "better") needs a
    verb of contact in its clause; a way (`way`: "a faster way", "способ побыстрее", "更快的方式") is
    arg "better_way": like `elsewhere:weak` it needs a verb that reaches someone ("is there a better way to
    export it" is the work), and not someone else ("a better way to get in touch with the audience")."""
    text = cues.text
    betters = cues.of("better")
    found = []
    for place in cues.of("somewhere", "way"):
        is_way = place.cls == "way"
        near = within(betters, max(0, place.start - _BETTER_GAP - 24), place.end + _BETTER_GAP + 24)
        for better in sorted(near, key=lambda b: abs(b.start - place.start)):  # the nearest first
            gap = better.start - place.end if better.start >= place.start else place.start - better.end
            start, end = min(place.start, better.start), max(place.end, better.end)
            unspaced = _UNSPACED.match(text, start) or _UNSPACED.match(text, end - 1)
            limit = (_WAY_GAP_UNSPACED if is_way else _BETTER_GAP_UNSPACED) if unspaced else _BETTER_GAP
            if gap > limit or any(c in ".!?;:\n。！？" for c in text[start:end]):
                continue
            if (
                _TOPIC_BEFORE.search(text, max(0, start - 24), start)
                or not is_way and _COMPLEMENT_AFTER.match(text, end)
                or place.start == start and not is_way and _relative(text, place) and _NOUN_BEFORE.search(text, max(0, start - 32), start)
            ):
                continue
            found.append(Hit(start, end, "elsewhere", "better_way" if is_way else "better"))
            break
    return found


# "another app", "otra aplicación", "app khác", "aplikasi lain", "koi dusra app", "другой мессенджер",
# "may iba ka bang app?": a word for other (pack class `other`) beside an app or platform to talk on
# (`medium`), a place (`somewhere`) or a way (`way`), in either order, is somewhere other than here, as
# an `elsewhere` phrase is (a way: `elsewhere:weak`). What may stand between: nothing, or up to two
# short words (Tagalog's enclitics "ka bang", "ba kayong"; "another chat app"); in scripts written
# without spaces the two stand side by side ("别的软件", "다른 앱"). Each pack fills the three classes,
# so a new phrasing is read from its parts, not from a list of whole phrases.
_OTHER_PARTNERS = frozenset({"medium", "somewhere", "way"})
_OTHER_GAP = regex(r"(?:\s+[^\W\d_]{1,5}){0,2}\s+|\s*")
_OTHER_REACH = 16
_OPPOSITE_BEFORE = regex(rf"(?<![^\W_])(?:{grammar_pattern('opposite_before')})\s+$")


def _says_other_place(classes: Set[str]) -> bool:
    """Whether the scan found what `_other_places` reads: an other-word and an app, place or way."""
    return "other" in classes and not classes.isdisjoint(_OTHER_PARTNERS)


def _other_places(cues: Cues) -> list[Hit]:
    text = cues.text
    partners = cues.of("medium", "somewhere", "way")
    found = []
    for other in cues.of("other"):
        for part in within(partners, max(0, other.start - _OTHER_REACH - 16), other.end + _OTHER_REACH):
            if part.start < other.end and other.start < part.end:
                continue
            a, b = (other, part) if other.end <= part.start else (part, other)
            if b.start - a.end > _OTHER_REACH or not _OTHER_GAP.fullmatch(text, a.end, b.start):
                continue
            if b.start == a.end and not (_UNSPACED.match(text, a.end - 1) or _UNSPACED.match(text, b.start)):
                continue  # glued Latin words are one word
            found.append(Hit(a.start, b.end, "elsewhere", "weak" if part.cls == "way" else "other_app" if part.cls == "medium" else None))
            break
    return found


def _elsewhere(doc: Document, cues: Cues) -> Iterator[Finding]:
    text = cues.text
    verbs = cues.of(*_ELSEWHERE_VERBS)
    places = cues.of("elsewhere")
    if _says_better_place(cues.classes):
        places = sorted((*places, *_better_places(cues)), key=lambda h: (h.start, h.end))
    if _says_other_place(cues.classes):
        places = sorted((*places, *_other_places(cues)), key=lambda h: (h.start, h.end))
    for hit in places:
        if is_work_object(text, hit) or _on_own_feature(cues, hit.start):
            continue  # "the talk privately feature of the app"; "a way to call through the site itself"
        if hit.arg == "weak" and _OPPOSITE_BEFORE.search(text, max(0, hit.start - 8), hit.start) and any(
            o.start == hit.start for o in within(cues.of("other"), hit.start, hit.end)
        ):
            continue  # "send it THE other way around": the opposite direction, not another means
        if hit.arg != "other_app" and _thing_moved(cues, hit):
            continue  # "move THE BUTTON to another place", "ロゴを別の場所に移動": the work's thing moved there
        best = None
        for verb in within(verbs, max(0, hit.start - _NEAR_REACH), hit.end + _NEAR_REACH):
            if verb.start < hit.end and hit.start < verb.end and not (
                hit.arg == "better_way" and hit.start < verb.start and verb.end < hit.end
            ):
                continue  # a part of the same words; not "もっと早い連絡方法" (a way OF contact)
            if hit.arg in ("weak", "better_way") and verb.cls not in _ELSEWHERE_WEAK_VERBS and not _way_to_talk(cues, hit, verb):
                continue
            if hit.arg == "weak" and verb.cls in ("talk", "near") and verb.end <= hit.start and _TOPIC_BEFORE.search(text, max(0, hit.start - 24), hit.start):
                continue  # "hablemos DE otra forma de mostrar el menú": a way talked about
            if hit.arg == "better_way" and _OTHER_OBJECT.match(text, verb.end):
                continue  # "a better way to get in touch with THE audience" reaches others
            if verb.cls == "noun_weak" and not _possessed(text, verb) and not (hit.arg in ("weak", "better_way") and _question_of(cues, hit)):
                continue  # "another way, for the contact form"; a question asks for it: "koi aur tareeka hai contact ka?"
            if verb.cls in _MONEY_VERBS and (
                cues.inside_phrase(verb, _NOT_MONEY_VERB) or paid_by_the_work(text, *cues.clause(verb.start))
            ):
                continue  # the "chuyển" of Vietnamese "nói chuyện" (to talk); "customers will pay on my website"
            if verb.cls == "ask" and not (verb.end <= hit.start and _FILLER_GAP.fullmatch(text, verb.end, hit.start)):
                continue  # "can I have your other contact"; not "can it be done another way"
            if verb.cls == "modal" and not (
                verb.end <= hit.start and (hit.arg == "private" or hit.arg is None and _about_money(cues, hit))
            ):
                # "let's do the rest off this site, you keep the 20%": a proposal to pay there; "let's sort
                # this out privately" (elsewhere:private): a proposal to leave; not "let's try another way"
                continue
            if verb.cls == "have" and not (
                verb.end <= hit.start and _HAVE_GAP.fullmatch(text, verb.end, hit.start)
                and (_question_ends_with(cues, hit, verb) or _used_to_reach(cues, hit, verb))
                or hit.end <= verb.start and verb.start - hit.end <= _HAVE_AFTER and _question_ends_with(cues, verb, verb)
            ):
                # "¿usas alguna otra app?", "you got another app we can use?", Hindi "koi dusra app hai
                # tumhare paas?" (have after it); not "a design for another app", "another app for the animation?"
                continue
            if is_work_object(text, verb) or not (
                cues.same_clause(min(hit.start, verb.start), max(hit.start, verb.start))
                or _complements(cues, hit, verb) and hit.arg != "better"
            ):
                continue
            if best is None or abs(verb.start - hit.start) < abs(best.start - hit.start):
                best = verb
        if best is None and hit.arg == "other_app" and _bare_other_app(cues, hit) and not _quoted(doc, hit.start):
            yield _candidate(doc, hit.start, hit.end, Hit(hit.start, hit.end, "elsewhere", "offplatform"), "outside")
            continue
        if best is None and hit.arg is None and _way_to_pay_beside(cues, hit) and not _quoted(doc, hit.start):
            yield _outside_payment(doc, hit.start, hit.end)  # "PayPal, aber außerhalb der Seite": where to pay
            continue
        if best is None or _quoted(doc, min(hit.start, best.start)):
            continue
        start, end = min(hit.start, best.start), max(hit.end, best.end)
        if best.cls == "pay" or _about_money(cues, Hit(start, end, "elsewhere", None)):
            yield _outside_payment(doc, start, end)  # "let's settle the rest somewhere else, it's cheaper"
        else:
            yield _candidate(doc, start, end, Hit(start, end, "elsewhere", "offplatform"), "outside")


# A verb of moving or talking with an object of its own before the place or way: a determiner and a noun
# (one or two words and a short preposition: "move THE BUTTON TO another place", "move O TÍTULO PRA outro
# lugar"), or, where the object goes before the place, a noun with its object particle ("ロゴを別の場所に",
# "로고를 다른 곳으로"). What it moves is a thing of the work, unless the object is the conversation itself
# (grammar conversation_nouns: "move our chat elsewhere"). Apps are left out: "move the meeting to another app".
_MOVERS = frozenset({"talk", "reach", "near"})
_MOVED_OBJECT = regex(
    rf"\s+(?!(?:{grammar_pattern('prepositions')})\s)(?:{grammar_pattern('determiners')}|{grammar_pattern('articles')})\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)(?:\s+[^\W\d_]{{1,4}})?\s+"
)
_OBJECT_PARTICLE_BEFORE = regex(rf"([^\W\d_]+)(?:{grammar_pattern('object_particles')})\s*$")
_CONVERSATION_NOUNS = frozenset(GRAMMAR["conversation_nouns"])


_MOVING_VERBS = tuple(GRAMMAR["moving_verbs"])
_MOVED_REACH = 24  # characters from the place to a moving verb after it ("ロゴを別の場所に移動")


def _is_moving(text: str, verb: Hit) -> bool:
    said = text[verb.start : verb.end]
    return said.split(" ", 1)[0] in _MOVING_VERBS or bool(_UNSPACED.match(said)) and said.startswith(_MOVING_VERBS)


def _thing_moved(cues: Cues, place: Hit) -> bool:
    """Whether another place or way is where a moving verb carries a thing of its own ("move THE BUTTON to
    another place"), not the talk ("discuss the details somewhere else": no moving verb)."""
    if not cues.has(*_MOVERS):
        return False
    text = cues.text
    movers = [v for v in cues.of(*_MOVERS) if _is_moving(text, v)]
    if not movers:
        return False
    for verb in within(movers, max(0, place.start - _NEAR_REACH), place.start):
        m = _MOVED_OBJECT.fullmatch(text, verb.end, place.start)
        if m is not None and not _CONVERSATION_NOUNS.intersection(m.group(1).split()):
            return True
    m = _OBJECT_PARTICLE_BEFORE.search(text, max(0, place.start - 16), place.start)
    if m is None or any(m.group(1).endswith(n) for n in _CONVERSATION_NOUNS):
        return False
    return any(cues.same_clause(place.start, v.start) for v in within(movers, place.end, place.end + _MOVED_REACH))


_WAY_PURPOSE = regex(r"(?:\s+[^\W\d_]{1,5}){1,3}\s+|\s*")  # "another way FOR US TO talk", "otra forma DE", "cara lain BUAT"


def _way_to_talk(cues: Cues, way: Hit, verb: Hit) -> bool:
    """Whether a talk verb says what another way is for, right after it with at most three short words
    between ("is there another way for us to talk?", "c'è un altro modo per parlare?", "ada cara lain buat
    ngobrol?"): a way to talk is a channel; a talk verb before the way talks about it ("let's talk about
    another way to animate it")."""
    return (
        verb.cls in ("talk", "near") and 0 <= verb.start - way.end <= 16
        and _WAY_PURPOSE.fullmatch(cues.text, way.end, verb.start) is not None and cues.same_clause(way.start, verb.start)
    )


_COMPLEMENT_GAP = 24  # characters from "another way" to the verb of its infinitive clause


def _complements(cues: Cues, hit: Hit, verb: Hit) -> bool:
    """Whether the verb opens the infinitive clause that says what the other way or place is for,
    right after it across a comma ("eine andere Möglichkeit, dich zu erreichen", "inny sposób, żeby
    się skontaktować"): in one sentence, the verb close behind."""
    return 0 <= verb.start - hit.end <= _COMPLEMENT_GAP and cues.sentence(hit.start) == cues.sentence(verb.start)


def _outside_payment(doc: Document, start: int, end: int) -> Finding:
    o_start, o_end = doc.view.to_original(start, end)
    return Finding(
        Kind.PAYMENT,
        Severity.WARN,
        o_start,
        o_end,
        "payment.outside_talk",
        "Paying or being paid outside the platform is against its rules and removes the protection of the order.",
        None,
        "Please pay through the order so both of us stay protected.",
        None,
    )


def _pairs(cues: Cues, trigger: Hit, target: Hit) -> bool:
    # The clause test last: most pairs fail on their words, and clauses cost a pass over the text.
    return _joined(cues, trigger, target) and cues.same_clause(trigger.start, target.start)


def _joined(cues: Cues, trigger: Hit, target: Hit) -> bool:
    """Whether the words between a trigger and a target join them as the trigger's class needs."""
    text = cues.text
    kind = target.cls
    if kind in ("callword", "callverb"):
        if trigger.cls not in ("talk", "modal"):
            return False
        generic = target.arg in ("call", "phone")  # "a call" needs its article; "zoom call" does not
        if kind == "callword" and generic and not _ARTICLE_BEFORE.search(text, max(0, target.start - 30), target.start) and not (
            _MEANS_BEFORE.search(text, max(0, target.start - 12), target.start)  # "lo hablamos POR videollamada"
        ):
            return False
        return not _call_stays_here(cues, target)
    if is_work_object(text, target):
        return False
    cls = trigger.cls
    if cls == "dest":  # "send it to my email", "ping me on my whatsapp"; not "on my phone"
        if not text[trigger.end : target.start].isspace():
            return False
        if kind in ("noun", "noun_weak"):
            return target.arg in _DEST_NOUN_CHANNELS or any(n in text[target.start : target.end] for n in _NUMBER_WORDS)
        categories = category_of(target.arg)
        return kind in ("channel", "abbrev") and "chat" in categories and "social" not in categories
    if cls in ("have", "ask") and kind in _CHANNEL_SET and _INSTALLED_AFTER.match(text, target.end):
        return False  # "Do you have PayPal installed on the test phone?": the app, for the work
    if cls in ("ask", "offer"):
        if cls == "ask" and kind in _NOUNS and target.arg is None and _indefinite_contact(text, trigger, target):
            return True
        if kind == "noun_weak" and not _possessed(text, target):
            return False
        if kind == "noun" and target.arg is None and _OF_SOMEONE_ELSE.match(text, target.end):
            return False  # "¿me pasas algún contacto de imprenta?": someone else's contact
        return _FILLER_GAP.fullmatch(text, trigger.end, target.start) is not None or trigger.end == target.start
    if kind == "noun_weak" and not (target.arg == "email" or _possessed(text, target)):
        if not (cls == "have" and _number_asked(cues, target)):
            return False  # "contacte-moi par mail", "call me on my number"; not "the number of pages"
    if cls == "have":
        categories = category_of(target.arg)
        if trigger.arg == "chat" and not (kind == "noun" or categories & _CHAT_LIKE and "social" not in categories):
            return False  # "easier on WhatsApp" is a preference; "better on Instagram" may be the design
        if trigger.arg == "chat" and kind == "noun" and target.arg == "phone" and not _possessed(text, target):
            return False  # "mais fácil pelo celular ver o layout": the device, not a number to call
        if "social" in categories and _PURPOSE_AFTER.match(text, target.end):
            return False  # "Do you have a Facebook page for the shop?", "Você usa Instagram pra divulgar?": the work
        return _HAVE_GAP.fullmatch(text, trigger.end, target.start) is not None
    adjacent = cls == "reach" and text[trigger.end : target.start].isspace()  # "me manda um whats"
    # A talk verb may end in the preposition itself ("hop on skype", "get on zoom").
    since = trigger.start if cls == "talk" else trigger.end - 1
    if not adjacent and not PREPOSITION_BEFORE.search(text, max(since, target.start - 24), target.start):
        return False
    if cls == "modal" and not (category_of(target.arg) & _CHAT_LIKE or kind == "noun"):
        # "let's post it on Instagram" is work; "let's talk there on Instagram" is not.
        return bool(cues.in_clause(cues.of("talk"), trigger.start))
    return True


def _call_stays_here(cues: Cues, target: Hit) -> bool:
    """Whether a call word is the work's ("a call button") or a call on the platform itself: booked
    through it (its name, or its own feature: "internal:own") or placed here ("a video call here")."""
    text = cues.text
    if is_work_object(text, target):
        return True
    return _on_own_feature(cues, target.start) or any(
        _MARKETPLACE_NAMED.search(text, h.start, h.end) for h in cues.in_clause(cues.of("internal"), target.start)
    ) or _platform_right_after(cues, target)


# "give me A contact so I can add you", "Gibst du mir EINEN Kontakt?", "geef je me EEN contact": a contact
# noun (grammar asked_contact_nouns) asked for with an indefinite article is the other side's contact,
# as "your contact" is; "give me a contact OF a printer" is someone else's, "a contact form" the work's.
_INDEFINITE_GAP = regex(
    rf"\s+(?:(?:{grammar_pattern('ask_fillers')})\s+){{0,2}}(?:{grammar_pattern('articles')}|{grammar_pattern('indefinite_quantifiers')})\s+"
)
_ASKED_CONTACT_NOUNS = frozenset(GRAMMAR["asked_contact_nouns"])


def _indefinite_contact(text: str, trigger: Hit, noun: Hit) -> bool:
    return (
        text[noun.start : noun.end] in _ASKED_CONTACT_NOUNS
        and _INDEFINITE_GAP.fullmatch(text, trigger.end, noun.start) is not None
        and not _OF_SOMEONE_ELSE.match(text, noun.end)
    )


def _number_asked(cues: Cues, noun: Hit) -> bool:
    """Whether a phone noun nobody owns ends a question, nothing after it but a question's tail ("do you
    have a number?", "aap ke paas koi number hai?"): having a number asked about is asking for it; "do
    you have a number in mind?" is not."""
    if noun.arg != "phone" or not _question_of(cues, noun):
        return False
    return _BARE_AFTER.fullmatch(cues.text, noun.end, cues.sentence(noun.start)[1]) is not None


def _channel_first(doc: Document, cues: Cues, targets: list[Hit], done: set[Hit]) -> Iterator[Finding]:
    """The channel said first: "skype add me", "WhatsApp: message me"."""
    text = cues.text
    for trigger in cues.of("reach"):
        before = within(targets, max(0, trigger.start - 24), trigger.start)
        if not before:
            continue
        target = before[-1]
        if (
            target not in done
            and target.cls in ("channel", "abbrev")
            and category_of(target.arg) & _MESSENGER_LIKE
            and _CHANNEL_FIRST_GAP.fullmatch(text, target.end, trigger.start)
            and not is_work_object(text, target)
        ):
            yield _candidate(doc, target.start, trigger.end, target, "reach")


_NEAR_REACH = 40  # characters between a "near" verb and its channel, either side
_POSTPOSITION_AFTER = regex(_POSTPOSITION)  # "Zoomで打ち合わせ": the particle of means after a weak name
_CALL_APPS = frozenset({"call", "video_call"})


def _near(doc: Document, cues: Cues, targets: list[Hit], target_starts: list[int]) -> Iterator[Finding]:
    """A verb of contact from a language whose word order varies ("WhatsApp'tan bana yaz",
    "واٹس ایپ پر رابطہ کریں", "كلمني واتس"): a request with a chat, call or email channel, or a
    contact noun, anywhere in its clause within a few words, before or after it."""
    text = cues.text
    for hit in cues.of("near", "callword"):
        calls = hit.cls == "callword"  # "una videollamada por Meet", "Zoomで打ち合わせ": a call word near a call app
        if calls and is_work_object(text, hit):
            continue  # "WhatsApp aur call ka button": a call button of the work
        best = None
        # within(targets, a, b), bisecting the targets' starts the caller has (no key call per step)
        a, b = max(0, hit.start - _NEAR_REACH), hit.end + _NEAR_REACH
        i = bisect_left(target_starts, a)
        for target in targets[i : bisect_left(target_starts, b, lo=i)]:
            if target.end > b:
                continue
            if target.cls == "channel_weak" and calls and (
                PREPOSITION_BEFORE.search(text, max(0, target.start - 24), target.start) or _POSTPOSITION_AFTER.match(text, target.end)
            ):
                if not category_of(target.arg) & _CALL_APPS:
                    continue  # "una videollamada por Meet": a weak name after a preposition
            elif target.cls in ("channel", "abbrev"):
                if not category_of(target.arg) & (_CALL_APPS if calls else _CHAT_LIKE):
                    continue
            elif target.cls == "channel_weak" and not calls and _POSTPOSITION_AFTER.match(text, target.end):
                if not category_of(target.arg) & _CHAT_LIKE:
                    continue  # "LINEに移りませんか": a weak name followed by a particle is the app
            elif calls:
                continue
            elif target.cls == "noun_weak" and not calls and _number_to_reach(cues, target, hit):
                pass  # "Ada nomor yang bisa saya hubungi?", "Bạn có số nào để mình liên lạc không?"
            elif target.cls != "noun" or target.arg is None and not _possessed(text, target):
                continue  # "Добавьте контакты компании в подвал": a contact noun nobody owns is the work's
            if target.start < hit.end and hit.start < target.end or is_work_object(text, target):
                continue
            if not cues.same_clause(min(hit.start, target.start), max(hit.start, target.start)):
                continue
            if best is None or abs(target.start - hit.start) < abs(best.start - hit.start):
                best = target
        if best is not None and not _on_own_feature(cues, hit.start):
            yield _candidate(doc, min(hit.start, best.start), max(hit.end, best.end), best, "near")


_RELATIVE_REACH = 28  # characters from a phone noun to the verb of the clause that says what it is for


def _number_to_reach(cues: Cues, noun: Hit, verb: Hit) -> bool:
    """A phone noun nobody owns yet, followed closely by a verb of contact in a question: "is there a
    number I can reach you on?" ("Ada nomor yang bisa saya hubungi?", "May number ka ba na pwede kitang
    ma-contact?"): the number asked for is the other side's."""
    return noun.arg == "phone" and 0 <= verb.start - noun.end <= _RELATIVE_REACH and _question_of(cues, noun)


def _on_own_feature(cues: Cues, pos: int) -> bool:
    """Whether the clause at `pos` names the platform's own feature ("from the order page",
    "la función de la propia plataforma"; pack class internal:own): a call made with it stays on it."""
    if "internal" not in cues.classes:
        return False
    owns = [h for h in cues.of("internal") if h.arg == "own"]  # before the clause: it costs a pass over the text
    return bool(owns) and bool(cues.in_clause(owns, pos))


def _hindi_and_please(doc: Document, cues: Cues, targets: list[Hit]) -> Iterator[Finding]:
    text = cues.text
    afters = cues.of("after")
    pleases = cues.of("please")
    if not afters and not pleases:
        return
    for target in targets:
        if is_work_object(text, target):
            continue
        if target.cls == "noun_weak" and not _possessed(text, target):
            continue  # "order number de do" asks for an order number
        gap = _UNSPACED_GAP if _UNSPACED_END.match(text, target.end - 1) else _HINDI_GAP
        for hit in within(afters, target.end, target.end + 60):
            # A Latin name ends where a word of a script without spaces begins ("QQ多少").
            if gap.fullmatch(text, target.end, hit.start) or (target.end == hit.start and _UNSPACED_END.match(text, hit.start)):
                yield _candidate(doc, target.start, hit.end, target, "after")
                break
        for hit in within(pleases, target.end + 1, target.end + 40):
            if _PLEASE_GAP.fullmatch(text, target.end, hit.start):
                if target.cls in ("noun", "noun_weak") or (
                    target.cls in ("channel", "abbrev") and category_of(target.arg) & {"chat", "call", "payment"}
                ):
                    yield _candidate(doc, target.start, hit.end, target, "please")
                break


def _bare_questions(doc: Document, cues: Cues, targets: list[Hit]) -> Iterator[Finding]:
    """A question that is only a channel or contact noun: "WhatsApp?", "your number?"; in the languages
    that ask with a final particle and no question mark, closed by one of the pack's `question_particles`
    ("有vx吗", "có zalo không", "may viber ka ba")."""
    text = cues.text
    have = cues.of("have")
    particles = cues.of("qparticle")
    for target in targets:
        if target.cls == "callverb":
            continue
        if target.cls in ("channel", "abbrev") and not category_of(target.arg) & _BARE_QUESTION_CATEGORIES:
            continue  # "Instagram?" may be about the work; "WhatsApp?", "PayPal?" ask to move
        start, end = cues.sentence(target.start)
        if end < len(text) and text[end] in "?؟":
            close = end + 1
        else:
            particle = _closing_particle(text, particles, target, end) if particles else None
            if particle is not None:
                close = _before_marks(text, particle.end, end)  # with the words after it, not the marks
                end = particle.start  # the bare question is what stands before the particle
            elif _QUESTION_OPENER.match(text, start) and _unclosed_last(text, start, end):
                close = _before_marks(text, target.end, end)  # "ano fb mo": an interrogative opens it, no mark closes it
            else:
                continue
        # "call?", "a quick call?" on their own ask for one; "skype call?" names the app.
        before = _BARE_CALL_BEFORE if target.cls == "callword" and target.arg in ("call", "phone") else _BARE_BEFORE
        if not before.fullmatch(text, start, target.start) or not _BARE_AFTER.fullmatch(text, target.end, end):
            if not have:
                continue
            # "вайбер маєш?", "а телега есть?": the question's "have" words said around the channel
            if not (
                before.fullmatch(_blanked(text, start, target.start, have))
                and _BARE_AFTER.fullmatch(_blanked(text, target.end, end, have))
            ):
                continue
        # "may number ka ba?", "got a number?": a phone noun with a question's opening word before it
        if target.cls != "noun_weak" or _possessed(text, target) or (target.arg == "phone" and start < target.start and text[start : target.start].strip()):
            yield _candidate(doc, target.start, close, target, "question")


# A bare question left without its mark is still one when an interrogative opens it (grammar
# question_openers: "ano fb mo", "anong number mo"): the message's last sentence, nothing but the
# channel and a bare question's words in it.
_QUESTION_OPENER = regex(rf"\s*(?:{grammar_pattern('question_openers')})(?![^\W_])")


def _unclosed_last(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the message's last sentence and no mark ends it: nothing but blanks
    after it, its last character a letter or digit (not ".", "!", an emoji)."""
    tail = text[start:end].rstrip()
    return bool(tail) and tail[-1].isalnum() and not text[end:].strip()




def _before_marks(text: str, start: int, end: int) -> int:
    """Where text[start:end] ends without its trailing blanks, marks and emoji."""
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    return end


def _particle_closes(cues: Cues) -> bool:
    """Whether a question particle closes a sentence of the text (the pre-check of a bare question
    without a question mark: "ko", "ba", "か" stand inside many sentences that ask nothing)."""
    text = cues.text
    return any(QUESTION_TAIL.fullmatch(text, p.end, cues.sentence(p.start)[1]) for p in cues.of("qparticle"))


def _closing_particle(text: str, particles: list[Hit], target: Hit, end: int) -> Hit | None:
    """The question particle after `target` that closes its sentence (ending at `end`), if one does:
    only the words a bare question may add and closing marks follow it ("有微信吗亲", "có zalo không b")."""
    return next((p for p in within(particles, target.end, end) if QUESTION_TAIL.fullmatch(text, p.end, end)), None)


def _blanked(text: str, start: int, end: int, hits: list[Hit]) -> str:
    """text[start:end] with the hits that lie wholly inside it written as blanks."""
    out = text[start:end]
    for h in within(hits, start, end):
        if h.end <= end:
            out = out[: h.start - start] + " " * (h.end - h.start) + out[h.end - start :]
    return out


def _preferences(doc: Document, cues: Cues, targets: list[Hit]) -> Iterator[Finding]:
    """ "WhatsApp is better for me", "Telegram is easier", "Skrill works for me", "bank transfer na
    lang po": a chat or call app, or a way to pay, preferred. Social networks are left out
    ("Instagram is better for the launch" may be the work)."""
    text = cues.text
    for target in targets:
        if target.cls not in ("channel", "abbrev"):
            continue
        categories = category_of(target.arg)
        if not categories & _BARE_QUESTION_CATEGORIES or "social" in categories or is_work_object(text, target):
            continue
        m = _PREFERENCE_AFTER.match(text, target.end)
        if m:
            end = m.end() - (1 if m.group()[-1:] in ".!?,;)\n" else 0)
            yield _candidate(doc, target.start, end, target, "preference")


_THERE_REACH = 160  # characters back from "there" to the channel it points to


def _there(doc: Document, cues: Cues, targets: list[Hit]) -> Iterator[Finding]:
    """ "you on WhatsApp? easier to send voice notes THERE", "Bạn có dùng Telegram không? Nhắn mình
    QUA ĐÓ", "LinkedIn pe request bheji hai, WAHAN baat karte hain": a verb of contact with a word
    pointing back (class `there`) moves the talk to the chat app or network named before it in the
    message. Without one named it points nowhere off the platform ("I'll reply on the order page,
    let's continue there")."""
    text = cues.text
    for hit in cues.of("there"):
        named = [
            t for t in targets
            if t.end <= hit.start and hit.start - t.end <= _THERE_REACH and t.cls in _CHANNEL_SET
            and category_of(t.arg) & _MESSENGER_LIKE_OR_CHAT and not is_work_object(text, t)
        ]
        if named:
            yield _candidate(doc, hit.start, hit.end, Hit(hit.start, hit.end, "there", named[-1].arg), "there")


def _possessed(text: str, target: Hit) -> bool:
    """ "YOUR number", "APNA number", "number MO": a weak contact noun that belongs to someone."""
    return (
        _POSSESSIVE_BEFORE.search(text, max(0, target.start - 12), target.start) is not None
        or _POSSESSIVE_AFTER.match(text, target.end) is not None
    )


# "I'll work directly in your Figma file", "talk directly to the printer", "работать напрямую в файле":
# a bare "<verb> directly" (two words, no one named) followed by a place in the work or by someone
# else (grammar list direct_work_after). "Let's work directly", "deal directly with you" still ask.
_BARE_DIRECT = regex(
    rf"[^\W\d_]+\s+(?:{grammar_pattern('direct_adverbs')})|(?:{grammar_pattern('direct_adverbs')})\s+[^\W\d_]+"
)
_WORK_AFTER_DIRECT = regex(rf"[ \t]+(?:{grammar_pattern('direct_work_after')})(?![^\W_])")


def _direct_is_benign(doc: Document, cues: Cues, hit: Hit) -> bool:
    text = cues.text
    if _quoted(doc, hit.start) or _LABEL_BEFORE.search(text, max(0, hit.start - 12), hit.start):
        return True  # a quoted UI label: the 'Call me back' button
    if is_work_object(text, hit):
        return True  # "share contact form mockups", "the talk privately feature"
    if _WORK_AFTER_DIRECT.match(text, hit.end) and _BARE_DIRECT.fullmatch(text, hit.start, hit.end):
        return True  # "work directly in your Figma file": the work, or someone else
    if _on_own_feature(cues, hit.start):
        return True  # "uma chamada de vídeo pela ferramenta da plataforma": the platform's own feature
    if text[hit.start : hit.end].endswith(("call me", "call you")):
        after = _WORD_AFTER.match(text, hit.end)
        if after and after.group(1) not in _CALL_ME_CONTINUATIONS:
            return True  # "call me Sam", "call me crazy", "they call me the logo guy"
    elif hit.arg in ("phone", "call") and _name_follows(doc, hit):
        return True  # "llámame Nacho", "Appelle-moi Max", "Chiamami Giò": a name, not a call
    # "text me the changes here in the chat": here, on the platform. A request that names no channel
    # ("DM me if anything is unclear, I reply fast here") reads "here" in the whole sentence.
    # "yahan nahi" (not here) is a "here" inside a phrase of somewhere else.
    calls = hit.arg == "call" or any(c.start < hit.end and hit.start < c.end for c in cues.of("callword"))
    if calls and _platform_before(cues, hit):
        return True  # "trên sàn này có gọi video không?", "Trên Fiverr có gọi video...": a call on the platform asked about
    here = _here_of(doc, cues)
    if not here:
        return False  # no need for the sentence or clause
    end = cues.sentence(hit.start)[1] if hit.arg is None else min(cues.clause(hit.start)[1], hit.end + 30)
    return bool(within(here, hit.end, min(end, hit.end + 80)))


def _here_of(doc: Document, cues: Cues) -> list[Hit]:
    """The "here" hits that are no part of a phrase of somewhere else and that their clause does not
    complain of, found once per analysis (each request of a text asks: a text of many requests and
    "here" words made this quadratic)."""
    here = doc.memo.get("here")
    if here is None:
        here = doc.memo["here"] = [
            h for h in cues.of("here") if not cues.inside_phrase(h, _ELSEWHERE_CLASS) and not _complained_of(cues, h)
        ]
    return here


def _complained_of(cues: Cues, here: Hit) -> bool:
    """Whether the clause of a "here" complains of it ("replies here are slow", "yahan reply late aata
    hai", "тут дуже незручно"; class complaint): the reason to leave, not where the request stays."""
    return "complaint" in cues.classes and bool(cues.in_clause(cues.of("complaint"), here.start))


# The marketplace named in an `internal` phrase ("a call via Fiverr", "over Upwork's video call").
_MARKETPLACE_NAMED = regex(rf"(?<![a-z])(?:fiverr|{grammar_pattern('marketplace_names')}|{grammar_pattern('marketplace_names_in_phrases')})(?![a-z])")
_HERE_AFTER = 16  # characters from a call word to the "here" that places it ("a video call here on the platform")


def _platform_right_after(cues: Cues, target: Hit) -> bool:
    """Whether "here" follows a call word closely in its clause ("can we do a video call here?")."""
    if "here" not in cues.classes:
        return False
    after = within(cues.of("here"), target.end, target.end + _HERE_AFTER)
    return any(not cues.inside_phrase(h, _ELSEWHERE_CLASS) and cues.same_clause(target.start, h.start) for h in after)


def _platform_before(cues: Cues, hit: Hit) -> bool:
    """Whether "here" or the platform (class here, internal; not inside a phrase of somewhere else)
    stands before the hit in its clause: a call asked about there is the platform's own."""
    if "here" not in cues.classes and "internal" not in cues.classes:
        return False
    start = cues.clause(hit.start)[0]
    return any(not cues.inside_phrase(h, _ELSEWHERE_CLASS) for h in within(cues.of("here", "internal"), start, hit.start))


def _name_follows(doc: Document, hit: Hit) -> bool:
    """Whether a capitalized word that is no channel follows a call verb (in the original text): the
    verb names someone ("llámame Nacho"), in any language; "call me crazy" is English's own list."""
    after = _WORD_AFTER.match(doc.view.text, hit.end)
    if after is None or after.group(1) in _CALL_ME_CONTINUATIONS:
        return False
    start = doc.view.to_original(after.start(1), after.start(1) + 1)[0]
    word = doc.text[start : start + len(after.group(1))]
    if not word[:1].isupper() or word.isupper():
        return False  # "llámame mañana"; "CALL ME NOW"
    return not within(cues_of(doc).of(*_TARGETS), after.start(1), after.end(1) + 1)


def _extend_back(cues: Cues, hit: Hit) -> int:
    """Start an "outside Fiverr" span at the verb just before it ("talk outside Fiverr")."""
    verbs = cues.of("talk", "reach", "pay")
    if not verbs:
        return hit.start  # no need for the clause
    before = within(verbs, max(cues.clause(hit.start)[0], hit.start - 30), hit.start)
    return next((h.start for h in before if hit.start - h.end <= 12), hit.start)


def _quoted(doc: Document, start: int) -> bool:
    """A request that opens a quotation is a label or a title ("the 'Book a call' button")."""
    o_start = doc.view.to_original(start, start + 1)[0]
    return o_start > 0 and doc.text[o_start - 1] in _QUOTES


def _candidate(doc: Document, start: int, end: int, target: Hit, how: str) -> Finding:
    channel = target.arg or "offplatform"
    o_start, o_end = doc.view.to_original(start, end)
    if "payment" in category_of(channel):
        return Finding(
            Kind.PAYMENT,
            Severity.WARN,
            o_start,
            o_end,
            "payment.request_channel",
            f"Asking to pay or be paid through {label(channel)} takes the payment off the platform, "
            "which is against its rules.",
            channel,
            "Please pay through the order so both of us stay protected.",
            None,
        )
    if target.cls in ("callword", "callverb") or (channel in ("call", "phone") and how == "direct"):
        reason = (
            "Calls outside the platform are only allowed when support approves them for the order."
        )
        suggestion = "Let's go through it here in the order chat."
    elif how == "outside":
        reason = "Moving the conversation outside the platform is against its rules and can get the account flagged."
        suggestion = "Let's keep the conversation here in the order chat."
    elif how == "offer":
        reason = "Offering contact details for another channel moves the conversation off the platform."
        suggestion = "Let's keep the conversation here in the order chat."
    else:
        reason = (
            f"Asking to move the conversation to {label(channel)} takes it off the platform, "
            "which can get the account flagged."
        )
        suggestion = "Let's keep the conversation here in the order chat."
    return Finding(
        Kind.OFFPLATFORM_REQUEST,
        Severity.WARN,
        o_start,
        o_end,
        f"request.{how}",
        reason,
        channel,
        suggestion,
        None,
    )
