"""Meeting detector, end to end through analyze(): a proposal to meet in person is a request to deal
off the platform (warn offplatform_request, rule request.meet); greetings, deadlines, addresses to
print or ship to, meetings at a time and reports of someone else's proposal stay clean."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze


def meetings(text: str):
    return [f for f in analyze(text).findings if f.rule == "request.meet"]


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
]
CLEAN = [
    ("greeting", "nice to meet you, looking forward to the project"),
    ("deadline", "we can meet the deadline if the coffee photos come tonight"),
    ("meet_at_a_time", "meeting at noon, I'll send the grid after"),
    ("cafe_address_on_flyer", "put the café address on the flyer: 4 Mill Lane"),
    ("work_describes_people_meeting", "Design a poster for a café where students meet up after class"),
    ("platform_call", "let's meet here on the order's call, face to face is not needed"),
]


@pytest.mark.parametrize("text", [c[1] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_meeting_in_person_warns(text):
    (finding,) = meetings(text)
    assert finding.kind is Kind.OFFPLATFORM_REQUEST and finding.severity is Severity.WARN


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_no_meeting_in_person_stays_clean(text):
    assert meetings(text) == []


def test_a_report_of_a_proposal_does_not_warn():
    assert analyze("a buyer asked me to meet him in person at a café, I said no and reported it").verdict == "ok"
