"""policy.decide(): severities from strength, `allow`, surfaces, negation / rule-talk / past-reference
context, and overlap handling. Unit cases build candidates by hand; end-to-end cases go through
analyze()."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze
from companion.engine.document import Document
from companion.engine.model import Finding
from companion.engine.policy import decide
from companion.engine.text import normalize


def doc(text: str, surface: str = "message") -> Document:
    return Document(text, normalize(text), surface)


def cand(kind, strength, start, end, channel=None, rule="test.rule"):
    return Finding(kind, strength, start, end, rule, "why", channel)


TEXT = "some words here to hold spans, and more words after that point"


@pytest.mark.parametrize(
    ("strength", "severity"),
    [
        (Severity.BLOCK, Severity.BLOCK),
        (Severity.WARN, Severity.WARN),
        (Severity.INFO, Severity.INFO),
        (Severity.INFO, Severity.INFO),
    ],
    ids=["identifier_blocks", "request_warns", "exception_is_info", "advice_is_info"],
)
def test_severity_follows_strength(strength, severity):
    report = decide(doc(TEXT), [cand(Kind.HANDLE, strength, 0, 4)], frozenset())
    assert report.findings[0].severity is severity
    assert report.verdict == severity.label


def test_no_candidates_is_ok():
    assert decide(doc(TEXT), [], frozenset()).verdict == "ok"


def test_verdict_is_the_highest_severity_and_findings_are_sorted_by_start():
    candidates = [
        cand(Kind.LINK, Severity.INFO, 40, 45),
        cand(Kind.HANDLE, Severity.BLOCK, 20, 25),
        cand(Kind.EMAIL, Severity.BLOCK, 0, 4),
    ]
    report = decide(doc(TEXT), candidates, frozenset())
    assert [f.start for f in report.findings] == [0, 20, 40]
    assert report.verdict == "block"


def test_decide_does_not_mutate_its_input():
    candidates = [cand(Kind.HANDLE, Severity.BLOCK, 5, 9), cand(Kind.EMAIL, Severity.BLOCK, 0, 4)]
    before = list(candidates)
    decide(doc(TEXT), candidates, frozenset())
    assert candidates == before


# ------------------------------------------------------------------------------------- allow


@pytest.mark.parametrize(
    ("allow", "channel", "severity"),
    [
        ({"zoom"}, "zoom", Severity.INFO),
        ({"video_call"}, "zoom", Severity.INFO),
        ({"video_call"}, "google_meet", Severity.INFO),
        ({"calendly"}, "calendly", Severity.INFO),
        ({"scheduling"}, "calendly", Severity.INFO),
        ({"zoom"}, "whatsapp", Severity.BLOCK),
        ({"video_call"}, "telegram", Severity.BLOCK),
        (set(), "zoom", Severity.BLOCK),
    ],
    ids=["by_name", "by_category", "category_covers_meet", "scheduling_name", "scheduling_category", "other_channel_stays", "category_excludes_chat", "nothing_allowed"],
)
def test_allow_turns_findings_on_approved_channels_into_info(allow, channel, severity):
    report = decide(doc(TEXT), [cand(Kind.LINK, Severity.BLOCK, 0, 4, channel)], frozenset(allow))
    (finding,) = report.findings
    assert finding.severity is severity
    if severity is Severity.INFO:
        assert "approved" in finding.reason


def test_allow_through_analyze_is_case_insensitive():
    assert analyze("https://zoom.us/j/84512345678", allow=["Zoom "]).verdict == "info"


def test_allow_covers_requests_on_that_channel():
    assert analyze("let's hop on a zoom call at 5", allow=["zoom"]).verdict == "info"


def test_an_approved_call_app_covers_a_call_that_names_no_app():
    assert analyze("let's hop on a quick call at 5", allow=["zoom"]).verdict == "info"
    assert analyze("let's hop on a quick call at 5").verdict == "warn"


def test_allow_does_not_cover_a_phone_number_for_a_video_call():
    assert analyze("call me on +1 415 555 0132", allow=["video_call"]).verdict == "block"


# ----------------------------------------------------------------------------------- surfaces


@pytest.mark.parametrize("surface", ["message", "requirements", "delivery", "offer", "other"])
def test_file_hosting_is_info_on_every_surface(surface):
    report = analyze("Files: https://drive.google.com/file/d/1AbC/view", surface=surface)
    assert report.verdict == "info"


def test_delivery_surface_says_file_links_are_expected():
    (finding,) = analyze("https://we.tl/t-AbCdEf1234", surface="delivery").findings
    assert "expected in a delivery" in finding.reason


@pytest.mark.parametrize("surface", ["requirements", "delivery", "offer"])
def test_identifiers_block_on_every_surface(surface):
    assert analyze("wa.me/14155550132", surface=surface).verdict == "block"


# ------------------------------------------------------------------------------------ context

DOWNGRADED = [
    ("negation_before", "please don't add me on skype", "filter_risk.negated"),
    ("cant_give", "I can't give you my phone number", "filter_risk.negated"),
    ("rule_later_in_sentence", "telling you to add me on skype would be against the ToS", "filter_risk.rule_talk"),
    ("rule_in_same_clause", "Fiverr doesn't allow us to talk on Skype", "filter_risk.rule_talk"),
    ("payment_negated", "I can't accept payment outside Fiverr", "filter_risk.negated"),
    ("german_postverbal_negation", "Ich darf dir meine E-Mail nicht geben", "filter_risk.negated"),
    ("consequence_ban", "Fiverr may ban accounts that move to Skype", "filter_risk.rule_talk"),
    ("consequence_suspend", "Fiverr will suspend me if I share my WhatsApp", "filter_risk.rule_talk"),
    ("spanish_clitic_negation", "no me escribas por WhatsApp, aquí es mejor", "filter_risk.negated"),
    ("french_ne_pas", "Ne m'écris pas sur WhatsApp s'il te plaît", "filter_risk.negated"),
    ("hinglish_rule_talk", "bhai Fiverr pe hi baat karo, phone number share karna allowed nahi hai", "filter_risk.rule_talk"),
]


@pytest.mark.parametrize(("text", "rule"), [c[1:] for c in DOWNGRADED], ids=[c[0] for c in DOWNGRADED])
def test_requests_in_rule_talk_are_dropped_and_their_filter_trigger_advised(text, rule):
    report = analyze(text)
    assert report.verdict == "info", [(f.rule, text[f.start : f.end]) for f in report.findings]
    assert all(f.kind is Kind.FILTER_RISK for f in report.findings)
    assert any(f.rule == rule for f in report.findings), [f.rule for f in report.findings]


RULE_TALK_WITHOUT_TRIGGER = [
    ("safe_phrasing", "We can only discuss this via Fiverr chat."),
    ("hinglish_outside", "bhai Fiverr ke bahar baat karna allowed nahi hai"),
    ("spanish_refusal", "no trabajo fuera de la plataforma"),
    ("portuguese_payment_rule", "O pagamento é feito só pela Fiverr, não por transferência"),
    ("negated_call", "please don't call me, I prefer to keep it in writing here"),
    ("quoted_line_refused", "> скинь свой номер\nизвините, общаемся только здесь"),
    ("order_paid_by_its_number", "заказ №4471289 оплачен картой через сайт, проверьте"),
    ("order_number_reported_paid", "orderan #FO77120 sudah dibayar pakai OVO ya kak"),
]


@pytest.mark.parametrize("text", [c[1] for c in RULE_TALK_WITHOUT_TRIGGER], ids=[c[0] for c in RULE_TALK_WITHOUT_TRIGGER])
def test_rule_talk_without_a_filter_trigger_gets_no_finding(text):
    report = analyze(text)
    assert report.findings == (), [(f.rule, text[f.start : f.end]) for f in report.findings]


NOT_DOWNGRADED = [
    ("identifier_after_negation", "don't email me at john.smith@gmail.com", "block"),
    ("negation_in_other_clause", "I'm not sure about the colors, add me on skype", "warn"),
    ("but_resets_rule_talk", "I know it's against the rules but can we talk on Skype?", "warn"),
    ("past_in_other_clause", "As we decided on our call, let's continue on WhatsApp", "warn"),
    ("dont_forget", "don't forget to add me on skype", "warn"),
    ("cant_you", "can't you just add me on skype?", "warn"),
    ("refusal_then_offer", "Sorry I can't, but you can add me on Skype", "warn"),
    ("no_worries", "No worries, just text me on WhatsApp", "warn"),
    ("quoted_line_answered_yes", "> do you have whatsapp?\nyes, the same number as on my card", "warn"),
    ("order_number_but_paid_directly", "orderan #FO77120, transfer langsung ke OVO aku aja ya kak", "warn"),
    ("order_number_but_paid_to_you", "paid you on paypal for order #48213, check your account", "warn"),
    ("own_line_under_a_quote", "> how do we continue?\nsorry for the delay, let's continue on whatsapp", "warn"),
]


@pytest.mark.parametrize(("text", "verdict"), [c[1:] for c in NOT_DOWNGRADED], ids=[c[0] for c in NOT_DOWNGRADED])
def test_context_that_does_not_govern_the_request_keeps_it(text, verdict):
    assert analyze(text).verdict == verdict


# ----------------------------------------------------------------------------------- overlaps


def test_overlapping_candidates_of_one_kind_keep_the_strongest():
    candidates = [cand(Kind.LINK, Severity.INFO, 0, 20), cand(Kind.LINK, Severity.BLOCK, 5, 10)]
    (finding,) = decide(doc(TEXT), candidates, frozenset()).findings
    assert (finding.severity, finding.start) == (Severity.BLOCK, 5)


def test_overlapping_candidates_of_equal_strength_keep_the_longest():
    candidates = [cand(Kind.PHONE, Severity.BLOCK, 5, 10), cand(Kind.PHONE, Severity.BLOCK, 3, 15)]
    (finding,) = decide(doc(TEXT), candidates, frozenset()).findings
    assert (finding.start, finding.end) == (3, 15)


def test_adjacent_candidates_of_one_kind_are_both_kept():
    candidates = [cand(Kind.PHONE, Severity.BLOCK, 0, 5), cand(Kind.PHONE, Severity.BLOCK, 5, 9)]
    assert len(decide(doc(TEXT), candidates, frozenset()).findings) == 2


def test_overlapping_candidates_of_different_kinds_are_both_kept():
    candidates = [cand(Kind.PHONE, Severity.BLOCK, 0, 10), cand(Kind.PAYMENT, Severity.BLOCK, 0, 10)]
    assert {f.kind for f in decide(doc(TEXT), candidates, frozenset()).findings} == {Kind.PHONE, Kind.PAYMENT}


def test_request_inside_an_identifier_of_the_same_channel_is_dropped():
    candidates = [
        cand(Kind.HANDLE, Severity.BLOCK, 0, 30, "skype"),
        cand(Kind.OFFPLATFORM_REQUEST, Severity.WARN, 5, 15, "skype"),
        cand(Kind.OFFPLATFORM_REQUEST, Severity.WARN, 35, 45, "skype"),
    ]
    findings = decide(doc(TEXT), candidates, frozenset()).findings
    assert [(f.kind, f.start) for f in findings] == [(Kind.HANDLE, 0), (Kind.OFFPLATFORM_REQUEST, 35)]


def test_request_and_identifier_in_one_sentence_block_on_the_id():
    text = "add me on skype: live:john_1"
    report = analyze(text)
    assert report.verdict == "block"
    blocked = [text[f.start : f.end] for f in report.findings if f.severity is Severity.BLOCK]
    assert blocked == ["live:john_1"]


def test_advice_overlapping_a_real_finding_is_dropped():
    candidates = [cand(Kind.FILTER_RISK, Severity.INFO, 0, 10), cand(Kind.EMAIL, Severity.BLOCK, 5, 20)]
    findings = decide(doc(TEXT), candidates, frozenset()).findings
    assert [f.kind for f in findings] == [Kind.EMAIL]


@pytest.mark.parametrize(
    ("strength", "advice_kept"),
    [(Severity.WARN, ["email"]), (Severity.BLOCK, ["email"]), (Severity.INFO, ["there", "email"])],
    ids=["warning_covers_its_sentence", "block_covers_its_sentence", "info_covers_only_its_words"],
)
def test_advice_apart_from_a_real_finding_is_dropped_only_in_a_sentence_with_a_warning(strength, advice_kept):
    text = "Add me over there now. The email template is done."
    candidates = [
        cand(Kind.OFFPLATFORM_REQUEST, strength, 0, 6),
        cand(Kind.FILTER_RISK, Severity.INFO, 12, 17),  # "there", same sentence, not overlapping
        cand(Kind.FILTER_RISK, Severity.INFO, 27, 32),  # "email", next sentence
    ]
    findings = decide(doc(text), candidates, frozenset()).findings
    assert [text[f.start : f.end] for f in findings if f.kind is Kind.FILTER_RISK] == advice_kept
    assert [f.kind for f in findings][0] is Kind.OFFPLATFORM_REQUEST


def test_overlapping_advice_keeps_the_longest_even_when_a_finding_covers_it():
    text = "Add me over there now. The email template is done."
    candidates = [
        cand(Kind.FILTER_RISK, Severity.INFO, 27, 32, rule="short"),  # "email": would be kept alone
        cand(Kind.FILTER_RISK, Severity.INFO, 7, 41, rule="long"),  # spans both sentences
        cand(Kind.OFFPLATFORM_REQUEST, Severity.WARN, 0, 6),
    ]
    findings = decide(doc(text), candidates, frozenset()).findings
    # The long advice wins over the short one, then the request's sentence drops it: no advice left.
    assert [f.kind for f in findings] == [Kind.OFFPLATFORM_REQUEST]


def test_advice_in_a_sentence_with_a_warning_is_dropped_but_kept_elsewhere():
    text = "The email template is done. Add me on skype. Phone case next."
    report = analyze(text)
    kinds = [(f.kind, text[f.start : f.end]) for f in report.findings]
    assert (Kind.FILTER_RISK, "email") in kinds
    assert (Kind.FILTER_RISK, "Phone") in kinds
    assert not any(k is Kind.FILTER_RISK and "skype" in span.lower() for k, span in kinds)


# ------------------------------------------------------------------ content of the deliverable

DESIGN_CONTENT = [
    ("handle_on_the_flyer", "put our Instagram handle @novacafe on the flyer"),
    ("handle_in_the_footer", "please include our Instagram @novacafe in the footer"),
    ("telegram_on_the_banner", "place the Telegram handle @nova_news on the banner"),
    ("tiktok_on_the_business_card", "show our TikTok @novacafe on the business card"),
    ("profile_link_to_the_footer", "add instagram.com/novacafe to the footer of the website"),
    ("page_link_on_the_poster", "put facebook.com/novacafe on the poster"),
    ("chat_link_behind_a_button", "add a WhatsApp button linking to wa.me/14155550132 on the website"),
    ("profile_name_then_placement", "the Facebook page name is Nova Cafe, put it on the flyer"),
    ("handle_then_placement", "our insta is @novacafe - please add it to the menu"),
]


@pytest.mark.parametrize("text", [c[1] for c in DESIGN_CONTENT], ids=[c[0] for c in DESIGN_CONTENT])
def test_handles_and_links_placed_in_the_deliverable_are_info(text):
    report = analyze(text)
    assert report.verdict == "info", [(f.rule, f.severity) for f in report.findings]
    assert any(
        f.kind in (Kind.HANDLE, Kind.LINK) and "content for the work" in f.reason and f.suggestion for f in report.findings
    )


CONTACT_NOT_CONTENT = [
    ("phone_stays_blocked", "put our WhatsApp +1 415 555 0132 on the flyer", "phone"),
    ("email_stays_blocked", "add hello@novacafe.com to the footer", "email"),
    ("request_in_the_sentence", "add me on insta @nova_design and I'll put it on the flyer", "handle"),
    ("placement_without_a_deliverable", "my telegram @nova_design, put it in your contacts", "handle"),
    ("infinitive_is_not_a_place", "use my Telegram @nova to send the logo", "handle"),
    ("no_placement_verb", "follow @nova_design on instagram for the flyer updates", "handle"),
]


@pytest.mark.parametrize(("text", "kind"), [c[1:] for c in CONTACT_NOT_CONTENT], ids=[c[0] for c in CONTACT_NOT_CONTENT])
def test_contacts_that_are_not_deliverable_content_still_block(text, kind):
    report = analyze(text)
    assert report.verdict == "block"
    assert any(f.kind == kind and f.severity is Severity.BLOCK for f in report.findings)


# ---- the platform the text is written on (data/platform_chats.tsv) ------------------------------


def test_a_request_to_talk_on_the_platform_itself_is_staying_on_it():
    """On Upwork, "message me on Upwork" keeps the conversation where it is; on Fiverr (or with no
    platform named) the same words ask to move to another marketplace."""
    text = "message me on upwork"
    assert analyze(text, platform="Upwork").findings == ()
    for platform in (None, "Fiverr"):
        (finding,) = analyze(text, platform=platform).findings
        assert (finding.kind, finding.severity, finding.channel) == (Kind.OFFPLATFORM_REQUEST, Severity.WARN, "upwork")


@pytest.mark.parametrize("text", ["lets talk outside upwork", "can we chat off upwork?", "contact me without upwork"])
def test_asking_to_leave_the_platform_it_is_written_on_still_warns(text):
    """The excuse is for talking on the platform: asking to go outside it names it too, and stays a request."""
    (finding,) = analyze(text, platform="Upwork").findings
    assert (finding.kind, finding.severity) == (Kind.OFFPLATFORM_REQUEST, Severity.WARN)


def test_on_its_own_platform_only_its_own_channel_is_excused():
    (finding,) = analyze("message me on whatsapp", platform="Upwork").findings
    assert (finding.kind, finding.channel) == (Kind.OFFPLATFORM_REQUEST, "whatsapp")
    (other,) = analyze("message me on upwork", platform="PeoplePerHour").findings
    assert other.channel == "upwork"


def test_a_profile_link_to_the_platform_itself_is_still_a_link():
    """Only requests are excused: a link to a person's profile stays what it was (the link detector's
    verdict), even on that platform."""
    text = "contact me on upwork.com/freelancers/~01abc"
    on_upwork = [(f.kind, f.severity) for f in analyze(text, platform="Upwork").findings]
    assert on_upwork == [(f.kind, f.severity) for f in analyze(text).findings]
    assert (Kind.LINK, Severity.BLOCK) in on_upwork
