"""Meeting detector, end to end through analyze(): a proposal to meet in person is a request to deal
off the platform (warn offplatform_request, rule request.meet); greetings, deadlines, addresses to
print or ship to, meetings at a time and reports of someone else's proposal stay clean."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze


def meetings(text: str):
    """Requests to deal off the platform: a clean near-miss may have none, of any rule."""
    return [f for f in analyze(text).findings if f.kind is Kind.OFFPLATFORM_REQUEST]


# (case id, text): two of meet / in person / a place to sit, or one phrase that says both, or
# "meet at" a named place.
FLAGGED = [
    ("en_meet_in_person", "shall we meet up near the station and do the review in person?"),
    ("es_cafe_en_persona", "¿nos vemos en una cafetería y lo cerramos en persona?"),
    ("ru_lichno_kafe", "давайте встретимся в кафе и обсудим"),
    ("ja_both_in_one", "一度直接お会いして打ち合わせしませんか"),
    ("hi_milke_baat", "kal milke baat karte hain, sab clear ho jayega"),
    ("tl_meet_at_named_place", "kita tayo sa Robinsons Galleria bukas"),
    ("tr_kahve_yuz_yuze", "bir kahvede yüz yüze konuşalım"),
    ("es_quedamos_en_persona", "Estoy en Valencia también, ¿quedamos en un café y lo vemos en persona?"),
    ("ru_lichno", "Я тоже в Перми, давайте встретимся лично и всё обсудим?"),
    ("tr_yuz_yuze", "Ben de İzmir'deyim, bir kafede yüz yüze konuşalım mı?"),
    ("tr_yuz_yuze_gorusebiliriz", "beş yüz lira, yüz yüze görüşebiliriz"),
    ("zh_dangmian", "我也在成都，周末见个面当面聊聊吧"),
    ("ja_chokusetsu_oai", "同じ大阪なので、一度カフェで直接お会いして打ち合わせしませんか？"),
]
CLEAN = [
    ("greeting", "nice to meet you, looking forward to the project"),
    ("deadline", "we can meet the deadline if the coffee photos come tonight"),
    ("meet_at_a_time", "meeting at noon, I'll send the grid after"),
    ("cafe_address_on_flyer", "put the café address on the flyer: 4 Mill Lane"),
    ("work_describes_people_meeting", "Design a poster for a café where students meet up after class"),
    ("platform_call", "let's meet here on the order's call, face to face is not needed"),
    ("en_meet_the_deadline", "We'll meet the deadline on Friday, the files are almost done."),
    ("en_met_before", "I met the client in person last year at a trade fair."),
    ("it_goodbye", "Ci vediamo al prossimo ordine, grazie mille!"),
    ("ru_goodbye", "Встретимся в следующем заказе, спасибо!"),
    ("tr_goodbye", "Toplantıda görüşmek üzere, iyi çalışmalar"),
]


@pytest.mark.parametrize("text", [c[1] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_meeting_in_person_warns(text):
    (finding,) = [f for f in meetings(text) if f.rule == "request.meet"]  # the one reading of meeting in person
    assert finding.severity is Severity.WARN


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_no_meeting_in_person_stays_clean(text):
    assert meetings(text) == []


def test_a_report_of_a_proposal_does_not_warn():
    assert analyze("a buyer asked me to meet him in person at a café, I said no and reported it").verdict == "ok"
