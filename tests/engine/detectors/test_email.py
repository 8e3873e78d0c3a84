"""Email detector, end to end through analyze(): which texts hold an address, which rule names the
form, and that every span points at the right ORIGINAL characters."""

from __future__ import annotations

import pytest
from span_prefixes import ASTRAL_AND_COMBINING_PREFIXES

from companion.engine import Kind, Severity, analyze
from companion.engine.detectors import email


def emails(text: str):
    return [f for f in analyze(text).findings if f.kind is Kind.EMAIL]


def only_email(text: str):
    found = emails(text)
    assert len(found) == 1, f"expected one email finding, got {[(f.rule, text[f.start:f.end]) for f in found]}"
    return found[0]


# (case id, text, the span that must be flagged, rule)
FLAGGED = [
    ("plain", "Sure, write to john.smith@gmail.com", "john.smith@gmail.com", "email.plain"),
    ("plain_upper_case", "Contact me: JOHN.SMITH@GMAIL.COM thanks", "JOHN.SMITH@GMAIL.COM", "email.plain"),
    ("plain_country_tld", "priya.k@rediffmail.co.in is mine", "priya.k@rediffmail.co.in", "email.plain"),
    ("plain_plus_tag", "use maria+orders@outlook.com", "maria+orders@outlook.com", "email.plain"),
    ("plain_sentence_end_dot", "Mail: ana_lopez@yahoo.es.", "ana_lopez@yahoo.es", "email.plain"),
    ("plain_mailto", "mailto:sam.lee@proton.me", "sam.lee@proton.me", "email.plain"),
    ("ssh_as_a_topic", "For the SSH key, send it to my email sam.k.dev@gmail.com", "sam.k.dev@gmail.com", "email.plain"),
    ("plain_provider_without_tld", "mail me john99@gmail", "john99@gmail", "email.plain"),
    ("accented_local_is_plain", "josé.garcía@gmail.com", "josé.garcía@gmail.com", "email.plain"),
    ("in_url_query", "https://site.com/signup?email=john@gmail.com", "john@gmail.com", "email.plain"),
    ("dot_left_out", "john@gmailcom", "john@gmailcom", "email.plain"),
    ("tld_typo_keeps_provider", "john@gmail.con", "john@gmail", "email.plain"),
    ("fullwidth_at_and_dot", "john＠gmail．com", "john＠gmail．com", "email.disguised_characters"),
    ("cyrillic_lookalikes", "jоhn@gmаil.com", "jоhn@gmаil.com", "email.disguised_characters"),
    ("small_capitals", "ᴊᴏʜɴ@ɢᴍᴀɪʟ⋅ᴄᴏᴍ", "ᴊᴏʜɴ@ɢᴍᴀɪʟ⋅ᴄᴏᴍ", "email.disguised_characters"),
    ("math_bold_letters", "𝐣𝐨𝐡𝐧@𝐠𝐦𝐚𝐢𝐥.𝐜𝐨𝐦", "𝐣𝐨𝐡𝐧@𝐠𝐦𝐚𝐢𝐥.𝐜𝐨𝐦", "email.disguised_characters"),
    ("circled_letters", "ⓙⓞⓗⓝ@ⓖⓜⓐⓘⓛ.ⓒⓞⓜ", "ⓙⓞⓗⓝ@ⓖⓜⓐⓘⓛ.ⓒⓞⓜ", "email.disguised_characters"),
    ("zero_width_inside", "john\u200b@gm\u200dail.com", "john\u200b@gm\u200dail.com", "email.disguised_characters"),
    ("bidi_control_inside", "john\u202e@gmail.com", "john\u202e@gmail.com", "email.disguised_characters"),
    ("spaced_letters", "j o h n @ g m a i l . c o m", "j o h n @ g m a i l . c o m", "email.spaced_letters"),
    ("at_dot_words", "john at gmail dot com", "john at gmail dot com", "email.spelled_at_dot"),
    ("at_dot_words_upper", "john AT gmail DOT com", "john AT gmail DOT com", "email.spelled_at_dot"),
    ("dotted_local_words", "john dot smith at outlook dot com", "john dot smith at outlook dot com", "email.spelled_at_dot"),
    ("parentheses", "john(at)gmail(dot)com", "john(at)gmail(dot)com", "email.spelled_at_dot"),
    ("square_brackets", "john [at] gmail [dot] com", "john [at] gmail [dot] com", "email.spelled_at_dot"),
    ("curly_brackets", "john{at}gmail{dot}com", "john{at}gmail{dot}com", "email.spelled_at_dot"),
    ("angle_brackets", "john <at> yahoo <dot> com", "john <at> yahoo <dot> com", "email.spelled_at_dot"),
    ("defanged_dot", "john.smith[at]brightpixel[.]co.uk", "john.smith[at]brightpixel[.]co.uk", "email.spelled_at_dot"),
    ("at_the_rate", "rahul at the rate gmail dot com", "rahul at the rate gmail dot com", "email.spelled_at_dot"),
    ("spanish_arroba_punto", "escríbeme: juan arroba gmail punto com", "juan arroba gmail punto com", "email.spelled_at_dot"),
    ("portuguese_ponto", "joao arroba hotmail ponto com", "joao arroba hotmail ponto com", "email.spelled_at_dot"),
    ("french_arobase_point", "jean arobase gmail point com", "jean arobase gmail point com", "email.spelled_at_dot"),
    ("german_punkt", "max.mueller at gmx punkt de", "max.mueller at gmx punkt de", "email.spelled_at_dot"),
    ("spaced_at_sign", "john @ gmail . com", "john @ gmail . com", "email.spelled_at_dot"),
    ("plain_at_spelled_dot", "john@gmail(dot)com", "john@gmail(dot)com", "email.spelled_at_dot"),
    ("spaced_letters_and_words", "j o h n at g m a i l dot c o m", "j o h n at g m a i l dot c o m", "email.spelled_at_dot"),
    ("spaced_letters_spelled_at_dot", "j o h n a t g m a i l d o t c o m", "j o h n a t g m a i l d o t c o m",
     "email.spelled_at_dot"),
    ("bracketed_a_for_at", "john(a)gmail.com", "john(a)gmail.com", "email.spelled_at_dot"),
    ("provider_broken_up", "rahul123 at g mail dot com", "rahul123 at g mail dot com", "email.spelled_at_dot"),
    ("provider_broken_up_named", "my hot mail is maria.garcia", "hot mail is maria.garcia", "email.provider_named"),
    ("role_mailbox_spelled", "contact at brightpixel dot com", "contact at brightpixel dot com", "email.spelled_at_dot"),
    ("provider_without_tld_id_like", "johnsmith1990 at gmail", "johnsmith1990 at gmail", "email.spelled_at_dot"),
    ("email_me_at_provider", "email me at john dot smith at outlook", "john dot smith at outlook", "email.spelled_at_dot"),
    ("country_second_level_words", "mail me at rahul_sharma at yahoo dot co dot in", "rahul_sharma at yahoo dot co dot in", "email.spelled_at_dot"),
    ("dash_marks", "sam.lee -at- icloud -dot- com", "sam.lee -at- icloud -dot- com", "email.spelled_at_dot"),
    ("underscore_marks", "john_at_gmail_dot_com", "john_at_gmail_dot_com", "email.spelled_at_dot"),
    ("glued_upper_case_words", "johnATgmailDOTcom", "johnATgmailDOTcom", "email.spelled_at_dot"),
    ("glued_all_caps", "JOHNSMITH1990ATGMAILDOTCOM", "JOHNSMITH1990ATGMAILDOTCOM", "email.spelled_at_dot"),
    ("glued_with_dots", "john.k.at.gmail.com", "john.k.at.gmail.com", "email.spelled_at_dot"),
    ("split_name_plus_domain", "johnsmith1990 + @gmail.com", "johnsmith1990 + @gmail.com", "email.split_address"),
    ("split_name_space_domain", "john @gmail.com", "john @gmail.com", "email.split_address"),
    ("split_with_spaced_dot", "john.smith @gmail .com", "john.smith @gmail .com", "email.split_address"),
    ("split_domain_then_name", "Just add @gmail.com after johnsmith1990", "@gmail.com after johnsmith1990",
     "email.split_address"),
    ("my_gmail_is", "my gmail is johnsmith1990", "gmail is johnsmith1990", "email.provider_named"),
    ("my_gmail_is_plain_name", "my gmail is johnsmith", "gmail is johnsmith", "email.provider_named"),
    ("gmail_id_colon", "my gmail id: johnsmith1990", "gmail id: johnsmith1990", "email.provider_named"),
    ("provider_colon", "gmail: john.smith", "gmail: john.smith", "email.provider_named"),
    ("hotmail_is_dotted", "my hotmail is maria.garcia", "hotmail is maria.garcia", "email.provider_named"),
    ("local_on_provider", "john.smith on gmail", "john.smith on gmail", "email.provider_named"),
    ("email_id_is", "my email id is john_smith90", "email id is john_smith90", "email.provider_named"),
    ("spanish_my_gmail_is", "mi gmail es juanperez90", "gmail es juanperez90", "email.provider_named"),
    ("portuguese_my_gmail_is", "meu gmail é joao.silva", "gmail é joao.silva", "email.provider_named"),
    ("german_my_gmail_is", "mein gmail ist max.mueller", "gmail ist max.mueller", "email.provider_named"),
    ("french_my_gmail_is", "mon gmail est jean.dupont", "gmail est jean.dupont", "email.provider_named"),
    ("spanish_local_en_provider", "juan.perez en gmail", "juan.perez en gmail", "email.provider_named"),
    ("portuguese_local_no_provider", "joao.silva no gmail", "joao.silva no gmail", "email.provider_named"),
    ("provider_then_id", "add me: gmail johnsmith1990", "gmail johnsmith1990", "email.provider_named"),
    # every joint between the provider and the name: a dash, an arrow, an equals sign
    ("provider_dash_id", "gmail - johnsmith1990", "gmail - johnsmith1990", "email.provider_named"),
    ("provider_arrow_id", "gmail-> john.k99", "gmail-> john.k99", "email.provider_named"),
    ("provider_equals_id", "gmail=john.k99", "gmail=john.k99", "email.provider_named"),
    ("email_equals_id", "my email=john_k99", "email=john_k99", "email.provider_named"),
    ("name_ending_like_a_verb", "mohammed at gmail dot com", "mohammed at gmail dot com", "email.spelled_at_dot"),
    ("name_ending_like_an_adverb", "emily at yahoo dot com", "emily at yahoo dot com", "email.spelled_at_dot"),
    ("provider_colon_name_ends_clause", "gmail: johnsmith", "gmail: johnsmith", "email.provider_named"),
    ("name_then_conjunction", "my gmail is johnsmith and my phone is off", "gmail is johnsmith", "email.provider_named"),
    ("spelled_company_domain_with_cue", "you can reach john at acmecorp dot com", "john at acmecorp dot com",
     "email.spelled_at_dot"),
    # "at"/"dot" words in other languages and Hinglish
    ("hinglish_at_the_rate", "my email is john.smith at the rate gmail dot com", "john.smith at the rate gmail dot com",
     "email.spelled_at_dot"),
    ("hinglish_attherate", "john.smith attherate gmail dot com", "john.smith attherate gmail dot com", "email.spelled_at_dot"),
    ("hinglish_at_d_rate", "my email is rahul at d rate gmail dot com", "rahul at d rate gmail dot com", "email.spelled_at_dot"),
    ("hinglish_at_the_rate_of", "mail me: rahul.verma at the rate of yahoo.com", "rahul.verma at the rate of yahoo.com",
     "email.spelled_at_dot"),
    ("hinglish_mera_email_hai", "mera email hai rohit.kumar at gmail dot com", "rohit.kumar at gmail dot com",
     "email.spelled_at_dot"),
    ("spanish_arroba_punto", "juan.perez arroba gmail punto com", "juan.perez arroba gmail punto com", "email.spelled_at_dot"),
    ("portuguese_arroba_ponto", "meu email: joao.silva arroba gmail ponto com", "joao.silva arroba gmail ponto com",
     "email.spelled_at_dot"),
    ("german_punkt", "schreib mir: max.mueller at gmx punkt de", "max.mueller at gmx punkt de", "email.spelled_at_dot"),
    ("french_arobase_point", "mon mail: pierre.dupont arobase orange point fr", "pierre.dupont arobase orange point fr",
     "email.spelled_at_dot"),
    ("bracketed_at_the_rate", "email: rahul.k (at the rate) gmail.com", "rahul.k (at the rate) gmail.com",
     "email.spelled_at_dot"),
    ("upper_case_at_dot_country", "mail: priya AT yahoo DOT co DOT in", "priya AT yahoo DOT co DOT in", "email.spelled_at_dot"),
    # an address broken over two lines
    ("line_break_after_at", "email me at john.smith@\ngmail.com", "john.smith@\ngmail.com", "email.split_address"),
    ("line_break_before_at", "my email is john.smith\n@gmail.com", "john.smith\n@gmail.com", "email.split_address"),
    ("line_break_before_tld", "contact me: johnsmith90@gmail\n.com", "johnsmith90@gmail\n.com", "email.split_address"),
    # provider named with the user name, with a cue
    ("gmail_id_is_name", "my gmail id is rahul.sharma92", "gmail id is rahul.sharma92", "email.provider_named"),
    ("name_on_gmail_with_cue", "mail me, it's rahul.sharma on gmail", "rahul.sharma on gmail", "email.provider_named"),
    ("name_at_gmail_with_cue", "contact me rahul.sharma at gmail", "rahul.sharma at gmail", "email.spelled_at_dot"),
    ("bare_name_at_gmail_then_cue", "john at gmail, mail me there", "john at gmail", "email.spelled_at_dot"),
    ("at_sign_left_out", "email id - rahul.k1 gmail.com", "rahul.k1 gmail.com", "email.provider_named"),
    ("at_sign_and_dot_left_out", "send it to rahulk1 gmail com", "rahulk1 gmail com", "email.provider_named"),
    # the provider's name glued to its top-level domain, or one with a hyphen, after the user name
    ("at_sign_and_dot_left_out_glued", "my email is rahul.k1 gmailcom", "rahul.k1 gmailcom", "email.provider_named"),
    ("local_on_hyphenated_provider", "john.smith on t-online", "john.smith on t-online", "email.provider_named"),
    ("at_sign_left_out_hyphenated_provider", "email: jan.k2 t-online de", "jan.k2 t-online de", "email.provider_named"),
    ("split_provider_name_after_at", "johnsmith@g mail.com", "johnsmith@g mail.com", "email.spaced_letters"),
    # a capital I or a look-alike (Greek Iota, Cyrillic I) for the l of a provider name
    ("greek_iota_for_l_in_gmail", "my gmai\u0399 is john.k99", "gmai\u0399 is john.k99", "email.provider_named"),
    ("capital_i_for_l_in_hotmail", "write to john.k99 on hotmaiI", "john.k99 on hotmaiI", "email.provider_named"),
    ("cyrillic_i_for_l_spelled", "mail me: john.k99 at gmai\u0406 dot com", "john.k99 at gmai\u0406 dot com",
     "email.spelled_at_dot"),
    # a provider named with a user name, in each language's word order (pack [email] roles)
    ("french_possessive_copula", "mon gmail c'est lea.graphisme88", "gmail c'est lea.graphisme88", "email.provider_named"),
    ("tagalog_possessive_after", "yung yahoo ko ay mark.edits.ph", "yahoo ko ay mark.edits.ph", "email.provider_named"),
    ("indonesian_possessive_after_colon", "gmail saya: dewi.desain", "gmail saya: dewi.desain", "email.provider_named"),
    ("chinese_glued_possessive_copula", "我的gmail是 wang.li.design", "gmail是 wang.li.design", "email.provider_named"),
    ("japanese_topic_marker", "Gmailは tanaka.works.jp です", "Gmailは tanaka.works.jp", "email.provider_named"),
    # "at"/"dot" transliterated, and a spelled "at" before a domain typed with its dot
    ("russian_transliterated_caps", "IVAN.P SOBAKA GMAIL TOCHKA COM", "IVAN.P SOBAKA GMAIL TOCHKA COM", "email.spelled_at_dot"),
    ("bracketed_polish_at_typed_dot", "ola_foto(małpa)interia.pl", "ola_foto(małpa)interia.pl", "email.spelled_at_dot"),
    ("spelled_at_before_typed_domain", "olena.ux собачка ukr.net", "olena.ux собачка ukr.net", "email.spelled_at_dot"),
    # a colon glued after the address is punctuation, not a remote's path or port
    ("fullwidth_colon_glued_after", "メール：taro@gmail.com：よろしく", "taro@gmail.com", "email.plain"),
    ("colon_glued_before_a_word", "mail: taro.k@yahoo.com:thanks", "taro.k@yahoo.com", "email.plain"),
    # words of another script glued before a Latin user name are not in the address
    ("chinese_words_glued_before", "邮箱是wang123@qq.com", "wang123@qq.com", "email.plain"),
    ("cyrillic_user_latin_domain", "почта:иван@mail.ru", "иван@mail.ru", "email.international"),
]


@pytest.mark.parametrize(("text", "span", "rule"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_flags_address_forms(text, span, rule):
    finding = only_email(text)
    assert text[finding.start : finding.end] == span
    assert finding.rule == rule
    assert finding.severity is Severity.BLOCK
    assert finding.channel == "email"
    assert finding.mask == "[address removed]"
    assert finding.suggestion
    assert span.lower() not in finding.reason.lower()  # reasons never quote the text


CLEAN = [
    ("meet_at_noon", "Let's meet at noon tomorrow"),
    ("look_at_logo", "Please look at the logo and the banner"),
    ("at_gmails_interface", "The colours look off at gmail's interface"),
    ("looked_at_site_dot_com", "I looked at gmail dot com yesterday"),
    ("work_at_place", "I am at work at the moment"),
    ("time_with_dot", "The meeting at 5 dot 30"),
    ("git_scp_remote", "git@github.com:org/repo.git"),
    ("git_clone_command", "run git clone git@gitlab.com:team/app.git first"),
    ("git_remote_without_path", "git@gitlab.com:app.git"),
    ("ssh_host_and_port", "connect as deploy@build.brightpixel.io:2222"),
    ("scp_home_path", "scp x deploy@build.brightpixel.io:~/site"),
    ("ssh_command", "ssh deploy@build.brightpixel.io"),
    ("ssh_with_options", "ssh -i key.pem -p 2222 ubuntu@build.brightpixel.io"),
    ("git_remote_add", "git remote add origin deploy@git.brightpixel.io"),
    ("root_prompt", "root@server:~# ls -la"),
    ("url_userinfo", "https://user:pass@site.com/path"),
    ("url_userinfo_provider_host", "https://deploy:token@gmail.com/x"),
    ("python_decorator", "@property\ndef name(self):"),
    ("npm_scope", "npm i @babel/core@7.24.0"),
    ("css_media", "@media (max-width: 600px) { .a { color: red } }"),
    ("package_version", "react@18.2.0 is installed"),
    ("retina_asset", "export logo@2x.png and logo@3x.png"),
    ("spec_example_com", "The form should accept name@example.com in the spec"),
    ("example_org", "for instance user@example.org"),
    ("test_com_placeholder", "use foo@test.com as a fixture"),
    ("reserved_tld_test", "alice@shop.test receives the mail"),
    ("placeholder_local", "enter yourname@gmail.com in the field"),
    ("placeholder_domain", "e.g. sales@yourcompany.com"),
    ("mention", "Reply to @someone please"),
    ("at_here", "@here the files are ready"),
    ("my_gmail_is_full", "my gmail is full"),
    ("gmail_is_great", "gmail is great"),
    ("gmail_better_than", "Gmail is better than Outlook for this"),
    ("my_email_is_down", "my email is down today"),
    ("find_me_on_gmail", "find me on gmail"),
    ("everything_on_gmail", "everything is on gmail"),
    ("check_email_at_home", "I'll check my email at home"),
    ("email_newsletter", "I need an email newsletter template"),
    ("check_your_email_invoice", "check your email for Fiverr's invoice"),
    ("short_local_c", "mail a and c at gmail dot"),
    ("at_this_point", "the logo at this point com"),
    ("ip_domain", "admin@192.168.1.1"),
    ("list_items_in_parentheses", "see item (a) and (b) of the gmail brief"),
    ("a_gmail_dot_com", "I have a gmail dot com account"),
    ("cloud_host_login", "log in as ubuntu@ec2-3-4-5-6.compute-1.amazonaws.com first"),
    ("noreply_commit_address", "Co-authored-by: bot <12345+bot@users.noreply.github.com>"),
    ("spanish_gmail_is_great", "gmail es genial para esto"),
    ("spanish_gmail_is_slow", "mi gmail es muy lento hoy"),
    ("email_label_file_name", "Email: newsletter_v2.html is attached"),
    ("email_template_name", "my email template_v2 is ready for review"),
    ("bare_provider_domain", "I only use @gmail.com accounts"),
    ("provider_colon_sentence", "Gmail: integration done, Outlook next"),
    ("my_gmail_is_adjective", "my gmail is compromised, so use the chat"),
    ("spelled_site_not_mailbox", "Check the demo at mysite dot com"),
    ("name_at_company_no_cue", "I met John at Google dot com conference"),
    ("glued_without_provider", "whatever.com is at the bottom"),
    ("at_words_in_a_sentence", "Let's meet at the office at 10, I'll email the agenda"),
    ("my_gmail_inbox", "my gmail inbox is full of spam lol"),
    ("dot_com_bubble", "the dot com bubble was in 2000"),
    ("punkt_in_a_list", "Point 3: punkt 4 of the list"),
    ("providers_in_a_sentence", "I use gmail for work and outlook at home"),
    ("provider_domains_as_topic", "I use gmail.com and outlook.com"),
    ("moved_between_providers", "please contact me, i moved from yahoo.com to gmail.com"),
    ("provider_domain_for_a_design", "design a banner for yahoo.co.in"),
    ("at_rate_price", "we paid at rate 5 dollars"),
    ("word_before_provider_domain_with_cue", "contact me, the website mirrors yahoo.com"),
    ("tool_before_provider_domain_with_cue", "reach me if figma gmail.com integration breaks"),
    # near misses of the rules above
    ("japanese_topic_marker_without_a_name", "Gmailは便利ですね"),
    ("indonesian_possessive_after_then_a_plain_word", "gmail saya penuh sekali"),
    ("at_before_a_typed_domain_is_a_place", "we met at acme.io last year"),
    ("spelled_at_before_a_site", "look at example.com for ideas"),
]


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_leaves_benign_text_clean(text):
    assert emails(text) == []


PREFIXES = [*ASTRAL_AND_COMBINING_PREFIXES, ("keycaps", "1️⃣2️⃣ ")]
FORMS = [
    "john.smith@gmail.com",
    "john at gmail dot com",
    "j o h n @ g m a i l . c o m",
    "john＠gmail．com",
    "john.smith on gmail",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("prefix", [p[1] for p in PREFIXES], ids=[p[0] for p in PREFIXES])
def test_span_points_into_original_after_astral_and_combining_characters(prefix, form):
    text = prefix + form + " thanks 🙏"
    finding = only_email(text)
    assert (finding.start, finding.end) == (len(prefix), len(prefix) + len(form))


def test_two_addresses_in_one_message_are_both_flagged():
    text = "write to anna.k@gmail.com or to her colleague bob at outlook dot com"
    spans = sorted(text[f.start : f.end] for f in emails(text))
    assert spans == ["anna.k@gmail.com", "bob at outlook dot com"]


def test_widest_reading_wins_over_a_provider_prefix():
    # the plain view alone sees "john@gmail"; the spelled view covers the whole address
    text = "john@gmail (dot) com"
    assert text[only_email(text).start : only_email(text).end] == text


def test_benign_at_word_does_not_swallow_a_nearby_address():
    text = "look at this: maria.garcia@hotmail.com"
    assert text[only_email(text).start : only_email(text).end] == "maria.garcia@hotmail.com"


@pytest.mark.parametrize(
    "text",
    ["a at b dot " * 1800, "@" * 20000, "a@b.c " * 3333, "j o h n " * 2500, "gmail is x1 " * 1666],
    ids=["at_dot_repeated", "at_signs", "tiny_addresses", "spaced_letters", "provider_named_repeated"],
)
def test_adversarial_long_inputs_finish_and_stay_well_formed(text):
    text = text[:20000]
    found = list(email.detect(_doc(text)))
    for f in found:
        assert 0 <= f.start < f.end <= len(text)


def _doc(text: str):
    from companion.engine.document import Document
    from companion.engine.text import normalize

    return Document(text, normalize(text), "message")


def test_a_text_full_of_addresses_reports_the_first_ones_up_to_the_cap():
    text = " ".join(f"user{i}@gmail.com" for i in range(300))
    found = sorted(email.detect(_doc(text)), key=lambda c: c.start)
    assert len(found) == email.MAX_FINDINGS
    assert text[found[0].start : found[0].end] == "user0@gmail.com"
