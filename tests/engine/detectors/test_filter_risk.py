"""filter_risk detector: benign text that the platform's naive keyword filter would still hold gets
info-level advice with a rewording that says what happens through the platform; real findings
take precedence over advice on the same words."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze


def advice(text: str, **kwargs):
    return [f for f in analyze(text, **kwargs).findings if f.kind is Kind.FILTER_RISK]


# (case id, text, rule, suggestion or None)
ADVISED = [
    ("rule_dont_share_email", "please don't share your email here", "filter_risk.negated", "Let's keep all communication here in the order chat."),
    ("rule_against_tos", "I can't give you my phone number, it's against the ToS", "filter_risk.rule_talk", "Let's keep everything here in the order chat."),
    ("rule_spanish", "Solo podemos hablar por el chat de Fiverr, no por WhatsApp", "filter_risk.rule_talk", "Let's keep everything here in the order chat."),
    ("rule_portuguese", "Não posso passar meu WhatsApp, é contra as regras da Fiverr", None, None),
    ("rule_german", "Wir dürfen nur über den Fiverr-Chat kommunizieren, nicht per E-Mail", "filter_risk.rule_talk", "Let's keep everything here in the order chat."),
    ("rule_french", "On ne peut communiquer que par la messagerie Fiverr, pas par Skype", "filter_risk.rule_talk", "Let's keep everything here in the order chat."),
    ("rule_hinglish", "bhai Fiverr ke bahar WhatsApp pe baat karna allowed nahi hai", None, None),
    ("outside_of_fiverr_refusal", "Sorry, I can't work outside of Fiverr", None, None),
    ("past_phone_call", "As we decided during our phone call, the logo stays blue", "filter_risk.past_reference", "as we agreed earlier"),
    ("email_newsletter", "I need an email newsletter template for Black Friday", "filter_risk.trigger_word", None),
    ("phone_case", "Make a phone case mockup with my pattern", "filter_risk.trigger_word", None),
    ("telegram_bot", "Telegram bot project: I need the /start and /help commands", "filter_risk.trigger_word", None),
    ("skype_style_hyphen", "Skype-style ringtone for my app's incoming call screen", "filter_risk.trigger_word", None),
    ("german_email_compound", "Die E-Mail-Vorlage für den Newsletter ist fertig", "filter_risk.trigger_word", None),
    ("french_elision", "J'ai reçu l'e-mail de Fiverr concernant la livraison", "filter_risk.trigger_word", None),
    ("quoted_email_label", "Can you make the 'Email us' button less prominent?", "filter_risk.trigger_word", None),
    ("paypal_integration", "Integrate PayPal checkout into my WooCommerce store", "filter_risk.trigger_word", None),
    ("bare_at_sign", "Remove the @ from the logo, it looks odd", "filter_risk.at_sign", None),
    ("at_mention", "Reply to @maria's comment on draft 2", "filter_risk.at_sign", None),
    ("css_at_rule", "@media (max-width: 600px) needs fixing", "filter_risk.at_sign", None),
]


@pytest.mark.parametrize(("text", "rule", "suggestion"), [c[1:] for c in ADVISED], ids=[c[0] for c in ADVISED])
def test_advises_on_text_the_naive_filter_would_hold(text, rule, suggestion):
    report = analyze(text)
    assert report.verdict == "info", [(f.kind, f.rule, text[f.start : f.end]) for f in report.findings]
    found = advice(text)
    assert found and all(f.severity is Severity.INFO for f in found)
    if rule is not None:
        matching = [f for f in found if f.rule == rule]
        assert matching, [f.rule for f in found]
        assert matching[0].suggestion == suggestion


def test_rule_talk_advice_covers_the_sentence_so_the_suggestion_can_replace_it():
    text = "We can only discuss this via Fiverr chat, not on WhatsApp."
    (finding,) = advice(text)
    assert text[finding.start : finding.end] == "We can only discuss this via Fiverr chat, not on WhatsApp"


@pytest.mark.parametrize("platform, place", [
    ("Fiverr", "the order chat"),  # Fiverr's own word
    ("Upwork", "Upwork messages"),
    ("PeoplePerHour", "the PeoplePerHour WorkStream"),
    ("Toptal", "the order chat"),  # not in data/platform_chats.tsv: maybe another site, whose chat is off-platform
    (None, "the order chat"),
])
def test_the_platform_names_the_chat_in_suggestions(platform, place):
    text = "I can't give you my phone number, it's against the ToS"
    (finding,) = advice(text, platform=platform)
    assert finding.suggestion == f"Let's keep everything here in {place}."


def test_past_reference_span_is_the_phrase_the_suggestion_replaces():
    text = "As we decided during our phone call, the logo stays blue"
    (finding,) = advice(text)
    assert text[finding.start : finding.end] == "As we decided during our phone call"


def test_trigger_word_span_is_the_word_in_the_original_text():
    text = "😀 I need an EMAIL newsletter template"
    (finding,) = advice(text)
    assert text[finding.start : finding.end] == "EMAIL"


def test_at_sign_span_is_its_token_without_trailing_punctuation():
    text = "Thanks @john, great work"
    (finding,) = advice(text)
    assert text[finding.start : finding.end] == "@john"


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("メール：taro@example.com", ["taro@example.com"]),
        ("連絡は「＠taro_w」まで、または「＠hanako」", ["＠taro_w", "＠hanako"]),
        ("email:john@x and more", ["email:john@x"]),  # ASCII: the token as it is
    ],
    ids=["full_width_colon", "corner_brackets", "ascii_colon_kept"],
)
def test_at_sign_span_ends_at_full_width_punctuation_of_a_script_without_spaces(text, spans):
    """The token around an "@" in Japanese or Chinese runs on through punctuation that has no blank after it."""
    assert [text[f.start : f.end] for f in advice(text)] == spans


CLEAN = [
    ("safe_phrasing", "We can only discuss this via Fiverr chat."),
    ("rule_talk_spanish", "Solo podemos hablar por el chat de Fiverr"),
    ("refusal_without_trigger", "I can't work outside the platform, sorry"),
    ("files_outside", "files sent outside aren't protected"),
    ("number_of_revisions", "the number of revisions is 3, and the 4th costs $10"),
    ("past_reference_without_trigger_word", "As discussed on our call yesterday, I made the header smaller"),
    ("suggested_rewording", "Let's keep everything here in the order chat"),
    ("can_only_without_platform", "I can only start tomorrow morning"),
    ("instagram_deliverable", "I'll make 10 Instagram posts and 5 stories for the launch"),
]


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_no_advice_without_a_trigger(text):
    assert analyze(text).findings == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my skype: live:john_1", Kind.HANDLE),
        ("don't tell anyone, email me at john.smith@gmail.com", Kind.EMAIL),
        ("add me on whatsapp", Kind.OFFPLATFORM_REQUEST),
        ("telegram @alexdesigns", Kind.HANDLE),
    ],
    ids=["handle_with_cue_word", "email_after_negation", "request", "at_handle"],
)
def test_no_advice_where_a_real_finding_covers_the_words(text, kind):
    report = analyze(text)
    assert any(f.kind is kind for f in report.findings)
    assert advice(text) == []


def test_thousands_of_at_signs_give_bounded_advice():
    text = "@a " * 6000
    found = advice(text)
    assert 0 < len(found) <= 64
    assert all(text[f.start : f.end] == "@a" for f in found)
