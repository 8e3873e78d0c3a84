"""Link detector, end to end through analyze(): links that lead to one person, meeting or profile off
the platform are blocked with the whole URL as the span (also defanged, spelled and spaced forms);
file-hosting links are the allowed large-delivery exception; everything else stays clean."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze


def links(text: str, **kwargs):
    return [f for f in analyze(text, **kwargs).findings if f.kind is Kind.LINK]


# (case id, text, the span that must be blocked, channel)
FLAGGED = [
    # "." and "/" read aloud in the packs' languages, a spaced "." before a host label (round 8)
    ("spelled_es_punto_barra", "mi perfil es instagram punto com barra tallerdelu", "instagram punto com barra tallerdelu", "instagram"),
    ("spelled_ru_tochka_slesh", "пиши сюда: t точка me слэш kotik_art", "t точка me слэш kotik_art", "telegram"),
    ("spaced_dot_tabs", "t\t.\tme / nova_makes", "t\t.\tme / nova_makes", "telegram"),
    ("zalo_group", "vào nhóm zalo.me/g/abcd1234", "zalo.me/g/abcd1234", "zalo"),
    ("wa_me_number", "message me here wa.me/14155550132", "wa.me/14155550132", "whatsapp"),
    ("wa_me_https_query", "https://wa.me/919876543210?text=hi", "https://wa.me/919876543210?text=hi", "whatsapp"),
    ("whatsapp_group_invite", "join: https://chat.whatsapp.com/Ab12Cd34Ef56Gh78", "https://chat.whatsapp.com/Ab12Cd34Ef56Gh78", "whatsapp"),
    ("whatsapp_api_send", "api.whatsapp.com/send?phone=923001234567", "api.whatsapp.com/send?phone=923001234567", "whatsapp"),
    ("t_me_name", "t.me/alexdesigns", "t.me/alexdesigns", "telegram"),
    ("zoom_meeting", "Let's meet: https://zoom.us/j/84512345678?pwd=Qm9v", "https://zoom.us/j/84512345678?pwd=Qm9v", "zoom"),
    ("zoom_subdomain", "join us02web.zoom.us/j/81234567890", "us02web.zoom.us/j/81234567890", "zoom"),
    ("google_meet_code", "meet.google.com/abc-defg-hij at 5pm?", "meet.google.com/abc-defg-hij", "google_meet"),
    ("teams_meetup", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc", "teams"),
    ("calendly", "book a slot: calendly.com/john-smith/30min", "calendly.com/john-smith/30min", "calendly"),
    ("cal_com", "https://cal.com/priya/intro", "https://cal.com/priya/intro", "calendly"),
    ("discord_invite", "join my server discord.gg/x7Kp2Qa", "discord.gg/x7Kp2Qa", "discord"),
    ("discord_user", "https://discord.com/users/812345678901234567", "https://discord.com/users/812345678901234567", "discord"),
    ("skype_invite", "join.skype.com/invite/AbCdEf12", "join.skype.com/invite/AbCdEf12", "skype"),
    ("messenger", "m.me/john.smith.design", "m.me/john.smith.design", "facebook"),
    ("instagram_profile", "instagram.com/lina.creates", "instagram.com/lina.creates", "instagram"),
    ("facebook_www", "here's my fb https://www.facebook.com/rahul.verma", "https://www.facebook.com/rahul.verma", "facebook"),
    ("linkedin_in", "linkedin.com/in/ana-souza-ux connect with me", "linkedin.com/in/ana-souza-ux", "linkedin"),
    ("x_profile_sentence_end", "follow x.com/maria_ux.", "x.com/maria_ux", "twitter"),
    ("upwork_profile", "my upwork: https://www.upwork.com/freelancers/~01a2b3c4d5", "https://www.upwork.com/freelancers/~01a2b3c4d5", "upwork"),
    ("freelancer_profile", "hire me at freelancer.com/u/rahulv92", "freelancer.com/u/rahulv92", "freelancer"),
    ("paypal_me", "paypal.me/johnsmith88", "paypal.me/johnsmith88", "paypal"),
    ("wa_me_message_link", "https://wa.me/message/ABCDEF123", "https://wa.me/message/ABCDEF123", "whatsapp"),
    ("telegram_private_invite", "t.me/+AbCdEf12345", "t.me/+AbCdEf12345", "telegram"),
    ("zoom_personal_room", "zoom.us/my/johnsmith", "zoom.us/my/johnsmith", "zoom"),
    ("snapchat_add", "snapchat.com/add/jenny.b22", "snapchat.com/add/jenny.b22", "snapchat"),
    ("defanged_brackets", "wa[.]me/14155550132", "wa[.]me/14155550132", "whatsapp"),
    ("defanged_scheme_and_dot", "hxxps://calendly[.]com/john-smith", "hxxps://calendly[.]com/john-smith", "calendly"),
    ("defanged_parentheses", "zoom(.)us/j/84512345678", "zoom(.)us/j/84512345678", "zoom"),
    ("spelled_dot_slash", "zoom dot us slash j slash 84512345678", "zoom dot us slash j slash 84512345678", "zoom"),
    ("spelled_dot_spaced_slash", "t dot me / alexdesigns", "t dot me / alexdesigns", "telegram"),
    ("spaced_out_letters", "w a . m e / 1 4 1 5 5 5 5 0 1 3 2", "w a . m e / 1 4 1 5 5 5 5 0 1 3 2", "whatsapp"),
    ("upper_case", "WA.ME/923001234567", "WA.ME/923001234567", "whatsapp"),
    ("zero_width_inside", "join\u200b.skype\u200b.com/invite/XyZ987", "join\u200b.skype\u200b.com/invite/XyZ987", "skype"),
    ("fullwidth", "ｗａ．ｍｅ／１４１５５５５０１３２", "ｗａ．ｍｅ／１４１５５５５０１３２", "whatsapp"),
    ("zoom_meeting_id", "Zoom ID: 845 1234 5678, passcode 1234", "845 1234 5678", "zoom"),
    ("teams_meeting_id", "Teams meeting ID 123 456 789", "123 456 789", "teams"),
    ("google_meet_code", "join the meet abc-defg-hij", "abc-defg-hij", "google_meet"),
    ("after_emoji", "🇧🇷 me chama: wa.me/5511987654321", "wa.me/5511987654321", "whatsapp"),
    # more call, scheduling, tip-page and marketplace hosts (registry data)
    ("whereby_room", "join here: whereby.com/nova-room", "whereby.com/nova-room", "whereby"),
    ("jitsi_room", "meet.jit.si/NovaDesignSync", "meet.jit.si/NovaDesignSync", "jitsi"),
    ("webex_personal_room", "https://acme.webex.com/meet/john.smith", "https://acme.webex.com/meet/john.smith", "webex"),
    ("gotomeeting_join", "https://global.gotomeeting.com/join/123456789", "https://global.gotomeeting.com/join/123456789", "gotomeeting"),
    ("teams_live_meet", "https://teams.live.com/meet/9876543210", "https://teams.live.com/meet/9876543210", "teams"),
    ("zoho_meeting", "meeting.zoho.com/meeting/register?sessionId=12345", "meeting.zoho.com/meeting/register?sessionId=12345", "zoho_meeting"),
    ("skype_join_link", "join.skype.com/invite/abc123XYZ", "join.skype.com/invite/abc123XYZ", "skype"),
    ("cal_com", "book me at cal.com/nova", "cal.com/nova", "calendly"),
    ("tidycal", "tidycal.com/nova/30min", "tidycal.com/nova/30min", "calendly"),
    ("hubspot_meetings", "meetings.hubspot.com/john-smith", "meetings.hubspot.com/john-smith", "calendly"),
    ("buymeacoffee", "tip me at buymeacoffee.com/nova", "buymeacoffee.com/nova", "tips"),
    ("ko_fi", "ko-fi.com/novadesign", "ko-fi.com/novadesign", "tips"),
    ("patreon", "patreon.com/novadesigns", "patreon.com/novadesigns", "tips"),
    ("freelancer_profile", "www.freelancer.com/u/novadesign", "www.freelancer.com/u/novadesign", "freelancer"),
    ("toptal_resume", "toptal.com/resume/john-smith", "toptal.com/resume/john-smith", "toptal"),
    ("ninety_nine_designs", "99designs.com/profiles/nova", "99designs.com/profiles/nova", "ninety_nine_designs"),
    ("workana", "workana.com/freelancer/nova", "workana.com/freelancer/nova", "workana"),
    ("malt", "malt.fr/profile/novadesign", "malt.fr/profile/novadesign", "malt"),
    ("youtube_channel", "youtube.com/@novadesigns", "youtube.com/@novadesigns", "youtube"),
    ("messenger_link", "m.me/nova.designs", "m.me/nova.designs", "facebook"),
    # profiles on sites the registry does not list: a profile word as a path segment, then an id
    ("profile_u_segment", "my page: hirelocal.example-jobs.com/u/karim_dev", "hirelocal.example-jobs.com/u/karim_dev", None),
    ("profile_after_language", "gigsnow.co.id/id/freelancer/budi-wp", "gigsnow.co.id/id/freelancer/budi-wp", None),
    ("profile_numeric_id", "https://taskmarket.jp/users/7654321", "https://taskmarket.jp/users/7654321", None),
    ("profile_at_segment", "find me: studio-market.kr/@곰디자인", "studio-market.kr/@곰디자인", None),
    ("profile_local_word", "mein Profil: freiberufler.de/profil/anna-koch", "freiberufler.de/profil/anna-koch", None),
    # an app's own link scheme, meeting and payment-link hosts
    ("viber_scheme", "viber://chat?number=%2B380671234567", "viber://chat?number=%2B380671234567", "viber"),
    ("telegram_scheme", "tg://resolve?domain=nova_design", "tg://resolve?domain=nova_design", "telegram"),
    ("tencent_meeting", "会议：meeting.tencent.com/dm/Xy12Ab34", "meeting.tencent.com/dm/Xy12Ab34", "tencent_meeting"),
    ("yandex_telemost", "telemost.yandex.ru/j/98765432101234", "telemost.yandex.ru/j/98765432101234", "telemost"),
    ("kakao_channel", "pf.kakao.com/_AbCxYz", "pf.kakao.com/_AbCxYz", "kakaotalk"),
    ("mercado_pago_link", "paga aquí: mpago.la/1AbC2dE", "mpago.la/1AbC2dE", "mercado_pago"),
    ("stripe_payment_link", "buy.stripe.com/4gw5kA9xQ2", "buy.stripe.com/4gw5kA9xQ2", "stripe_link"),
]


@pytest.mark.parametrize(("text", "span", "channel"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_blocks_contact_links(text, span, channel):
    found = {text[f.start : f.end]: f for f in links(text)}
    assert span in found, f"expected {span!r}, got {list(found)}"
    assert found[span].severity is Severity.BLOCK
    assert found[span].channel == channel
    assert found[span].mask == "[link removed]"


FILE_HOSTING = [
    ("google_drive", "https://drive.google.com/file/d/1AbCdEf/view?usp=sharing"),
    ("google_docs", "docs.google.com/document/d/1xYz/edit"),
    ("dropbox", "https://www.dropbox.com/s/abc123/final_logo_pack.zip?dl=0"),
    ("wetransfer_short", "https://we.tl/t-AbCdEf1234"),
    ("wetransfer", "wetransfer.com/downloads/abc123"),
    ("onedrive_short", "https://1drv.ms/u/s!AbCdEf"),
    ("mega", "https://mega.nz/file/AbC#key"),
]


@pytest.mark.parametrize("url", [c[1] for c in FILE_HOSTING], ids=[c[0] for c in FILE_HOSTING])
@pytest.mark.parametrize("surface", ["message", "delivery"])
def test_file_hosting_links_are_the_large_delivery_exception(url, surface):
    text = f"The files are too big to upload, here: {url}"
    (finding,) = links(text, surface=surface)
    assert text[finding.start : finding.end] == url
    assert finding.severity is Severity.INFO
    assert finding.rule == "link.file_hosting"
    assert "too large to upload" in finding.reason
    assert analyze(text, surface=surface).verdict == "info"


def test_file_link_with_an_off_platform_request_still_warns():
    report = analyze("here is the drive link drive.google.com/file/d/1AbC/view, and add me on skype")
    assert report.verdict == "warn"
    assert any(f.kind is Kind.LINK and f.severity is Severity.INFO for f in report.findings)


CLEAN = [
    ("pack_dot_words_without_a_host", "el punto de la barra lateral tiene que ser más grande"),
    ("bare_domain_in_spec", "Add a WhatsApp chat button (wa.me link) to my Shopify footer"),
    ("bare_zoom_domain_rule_talk", "We can't use zoom.us links here"),
    ("fiverr_inbox", "https://www.fiverr.com/inbox is where I'll reply"),
    ("fiverr_gig", "see my other gig: https://www.fiverr.com/designbyrahul/create-a-minimal-logo"),
    ("dribbble_reference", "Reference: https://dribbble.com/shots/1234567-Bakery-logo"),
    ("behance_portfolio", "I like this style https://www.behance.net/gallery/98765432/Brand-Identity"),
    ("github_repo", "Bug is here: https://github.com/acme/shop/issues/42"),
    ("google_fonts", "Use this font: fonts.google.com/specimen/Inter"),
    ("youtube_reference", "Watch https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("example_com", "use https://example.com/docs as the base URL"),
    ("zoom_js_library", "I'm on version 2.3 of the zoom.js plugin"),
    ("figma_file", "the Figma file is at figma.com/file/AbC123/Landing-Page"),
    ("buyers_site", "Our site is www.bakerybliss.com, use the same colors"),
    ("spelled_unrelated_domain", "The domain on the card will be bakerybliss dot com"),
    ("email_domain_is_not_a_link", "write to t.me.fan@gmail.com"),
    ("instagram_post_reference", "https://www.instagram.com/p/Cxyz123/ like this style"),
    ("instagram_reel_reference", "https://www.instagram.com/reel/Cxyz123/"),
    ("tweet_reference", "look at x.com/nike/status/123456789 for the vibe"),
    ("tiktok_video_reference", "tiktok.com/@brand/video/123 this trend"),
    ("linkedin_post_reference", "https://www.linkedin.com/posts/someone_activity-123"),
    ("zoom_percentage", "zoom 200% on the logo"),
    ("zoom_and_a_price", "zoom in, the price is 1500 rupees"),
    ("youtube_video_reference", "see youtube.com/watch?v=abc123 for the style"),
    ("patreon_post_reference", "patreon.com/posts/12345 has the brief"),
    ("bare_marketplace_domain", "I also sell on upwork.com"),
    ("bare_scheduling_domain", "cal.com is a nice tool"),
    # near misses of profile paths: a page of the site, a reference site, a signed-in mailbox
    ("profile_page_word", "log in at shop-builder.com/user/login first"),
    ("profile_settings", "change it under mysite.com/profile/settings"),
    ("python_profile_docs", "see docs.python.org/3/library/profile.html"),
    ("stackoverflow_user", "the answer by stackoverflow.com/users/12345/jon-skeet helped"),
    ("gmail_account_index", "mail.google.com/mail/u/0/#inbox"),
    ("profile_word_in_file_name", "download example-assets.net/profile.png"),
    ("scheme_word_in_prose", "the deadline://soon joke"),
]


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_unrelated_and_bare_links_stay_clean(text):
    assert [f for f in links(text) if f.severity > Severity.INFO] == []


def test_allowed_zoom_link_is_info_with_an_approval_reason():
    (finding,) = links("Here's the link: https://zoom.us/j/84512345678", allow=["video_call"])
    assert finding.severity is Severity.INFO
    assert "approved" in finding.reason


def test_allow_does_not_cover_other_channels():
    assert analyze("https://zoom.us/j/84512345678 or wa.me/14155550132", allow=["zoom"]).verdict == "block"


# A site of the writer's own given as a route to reach them (rule link.contact_site): the host is the
# span, whatever its top-level domain; (case id, text, the span that must be blocked).
CONTACT_SITES = [
    ("en_contact_form", "My portfolio lives at idaroth.studio and the contact form there reaches me fastest", "idaroth.studio"),
    ("fr_contact_page", "mon site paulinemercier.fr a une page contact, écrivez-moi par là", "paulinemercier.fr"),
    ("zh_contact_details", "我的个人网站 zhouyu.design 底部有联系方式", "zhouyu.design"),
    ("quoted_button_label", "Portfolio ko: bea-santos.carrd.co, may 'Message me' button doon", "bea-santos.carrd.co"),
    ("path_kept", "moje portfolio i kontakt: ewakowal.pl/kontakt", "ewakowal.pl/kontakt"),
]
# The same words without the route, or with the site as the work, a file name or a placeholder.
NOT_CONTACT_SITES = [
    ("portfolio_only", "my portfolio is at idaroth.studio, the brand work is near the top"),
    ("contact_form_is_the_work", "please fix the contact form on my site idaroth.studio, it sends nothing"),
    ("someone_elses_site", "the contact page of northgate-tools.com shows the old hours, update it?"),
    ("host_name_is_no_work_verb_check", "rename contact_form.py and see example.com/contact in my portfolio notes"),
    ("file_name", "my portfolio file is logo.ai, the contact form mockup is in it"),
    ("glued_work_verb_ja", "私のサイトのお問い合わせフォームのデザインをお願いします: sakura-shop.jp"),
    ("glued_work_verb_zh", "我的网站 abc-shop.cn 的联系方式页面需要重新设计"),
    ("request_before_the_route", "message me if the contact form on shopnorth.com breaks again"),
]


@pytest.mark.parametrize("text,span", [c[1:] for c in CONTACT_SITES], ids=[c[0] for c in CONTACT_SITES])
def test_own_site_with_a_contact_route_blocks(text, span):
    (finding,) = [f for f in links(text) if f.rule == "link.contact_site"]
    assert finding.severity is Severity.BLOCK
    assert text[finding.start : finding.end] == span


@pytest.mark.parametrize("text", [c[1] for c in NOT_CONTACT_SITES], ids=[c[0] for c in NOT_CONTACT_SITES])
def test_site_without_a_route_to_the_writer_stays_clean(text):
    assert [f for f in links(text) if f.rule == "link.contact_site"] == []
