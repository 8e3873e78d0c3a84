"""Handle detector, end to end through analyze(): messenger and social ids are found only WITH a
channel cue, the span is the id itself in the ORIGINAL text, and mentions, code and deliverables
stay clean."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze


def handles(text: str, **kwargs):
    return [f for f in analyze(text, **kwargs).findings if f.kind is Kind.HANDLE]


# (case id, text, the span that must be blocked, channel, rule)
FLAGGED = [
    ("skype_live_cid", "add me on skype: live:.cid.3f8a9b2c1d", "live:.cid.3f8a9b2c1d", "skype", "handle.skype_live"),
    ("skype_live_without_cue", "live:john.smith_92 is me", "live:john.smith_92", "skype", "handle.skype_live"),
    ("skype_colon_name", "Skype: priya_k88", "priya_k88", "skype", "handle.cued_id"),
    ("skype_id_word", "skype id john_doe", "john_doe", "skype", "handle.cued_id"),
    ("my_skype_is_plain_name", "my skype is johnsmith", "johnsmith", "skype", "handle.cued_id"),
    ("skype_uri", "skype:john.doe?call", "john.doe", "skype", "handle.cued_id"),
    ("telegram_at", "telegram @alexdesigns", "@alexdesigns", "telegram", "handle.cued_at_handle"),
    ("telegram_abbreviation", "tg: @maria_ux", "@maria_ux", "telegram", "handle.cued_id"),
    ("telegram_username_is", "my telegram username is rahul_dev99", "rahul_dev99", "telegram", "handle.cued_id"),
    ("telegram_slang_tele", "hit me up on tele @k1r4_dev", "@k1r4_dev", "telegram", "handle.cued_at_handle"),
    ("instagram_is_at", "my insta is @jane.designs", "@jane.designs", "instagram", "handle.cued_id"),
    ("instagram_ig_colon", "ig: jane.designs", "jane.designs", "instagram", "handle.cued_id"),
    ("instagram_cue_after", "DM @studio.north on instagram", "@studio.north", "instagram", "handle.cued_at_handle"),
    ("discord_legacy_tag", "discord: john#1234", "john#1234", "discord", "handle.cued_id"),
    ("discord_new_username", "my discord is nova.codes", "nova.codes", "discord", "handle.cued_id"),
    ("discord_dash_separator", "add me on discord — kaito_dev", "kaito_dev", "discord", "handle.cued_id"),
    ("snapchat_colon", "snap: xyz_22", "xyz_22", "snapchat", "handle.cued_id"),
    ("snapchat_plain_name", "snap: clarawright", "clarawright", "snapchat", "handle.cued_id"),
    ("wechat_id", "wechat id: abc123", "abc123", "wechat", "handle.cued_id"),
    ("wechat_chinese_cue", "微信: liwei_1988", "liwei_1988", "wechat", "handle.cued_id"),
    ("line_id", "line id: @mika_tokyo", "@mika_tokyo", "line", "handle.cued_id"),
    ("signal_username", "signal: alex.42", "alex.42", "signal", "handle.cued_id"),
    ("viber_at", "viber @carlos_m", "@carlos_m", "viber", "handle.cued_at_handle"),
    ("tiktok_at", "my tiktok @dance.queen", "@dance.queen", "tiktok", "handle.cued_at_handle"),
    ("twitter_x_colon", "X: @maria_ux (DMs open)", "@maria_ux", "twitter", "handle.cued_id"),
    ("twitter_word", "my twitter @jdoe_design", "@jdoe_design", "twitter", "handle.cued_at_handle"),
    ("spanish_cue", "agrégame en telegram: @lucia_art", "@lucia_art", "telegram", "handle.cued_id"),
    ("german_cue", "Mein Insta: @lena.zeichnet", "@lena.zeichnet", "instagram", "handle.cued_id"),
    ("french_cue_spaced_colon", "Ajoute-moi sur Snap : clara_drw", "clara_drw", "snapchat", "handle.cued_id"),
    ("hinglish_cue_far", "insta pe follow karo aur DM karo: @ankit.edits", "@ankit.edits", "instagram", "handle.cued_at_handle"),
    ("upper_case_cue_keeps_id_case", "My TELEGRAM: @Crypto_Dev_X", "@Crypto_Dev_X", "telegram", "handle.cued_id"),
    ("facebook_search_my_name", "facebook: search my name John Smith", "John Smith", "facebook", "handle.search_my_name"),
    ("linkedin_find_me_as", "find me on LinkedIn as Ana Souza", "Ana Souza", "linkedin", "handle.search_my_name"),
    ("search_my_name_without_name", "just search my name on facebook", "search my name on facebook", "facebook", "handle.search_my_name"),
    ("search_name_on_facebook_add_me", "search Ana Souza on facebook and add me", "Ana Souza", "facebook", "handle.search_name"),
    ("search_name_on_linkedin", "search Maria Lopez on LinkedIn", "Maria Lopez", "linkedin", "handle.search_name"),
    ("look_for_name_on_tiktok", "look for Nova Studio on TikTok", "Nova Studio", "tiktok", "handle.search_name"),
    ("search_my_name_viber", "search my name John Smith on Viber", "John Smith", "viber", "handle.search_my_name"),
    ("search_me_on_instagram_inbox", "search me on instagram Nova Designs and inbox me", "Nova Designs", "instagram", "handle.search_my_name"),
    ("search_my_name_youtube_colon", "search my name on youtube: Nova Designs", "Nova Designs", "youtube", "handle.search_my_name"),
    ("disguised_channel_at_handle", "my te\u0399egram is @nova_design", "@nova_design", "telegram", "handle.cued_id"),
    ("spelled_out_channel_id", "my s.k.y.p.e is john.doe", "john.doe", "skype", "handle.cued_id"),
    ("facebook_name_is", "my facebook name is Ana Souza", "Ana Souza", "facebook", "handle.profile_name"),
    ("on_linkedin_i_am", "on LinkedIn I'm Carlos Mendoza, add me", "Carlos Mendoza", "linkedin", "handle.profile_name"),
    ("as_after_we_are_on", "We're on Instagram as Nova Studio", "Nova Studio", "instagram", "handle.profile_name"),
    ("as_after_add_me", "add me on facebook as Ana Souza", "Ana Souza", "facebook", "handle.profile_name"),
    # the channel asked for or about, the id labelled at the start of the next sentence
    ("id_label_in_next_sentence", "Add me on Telegram! ID: nova_builds", "nova_builds", "telegram", "handle.cued_id"),
    ("id_after_fullwidth_question", "LINE交換しませんか？ID: haruka0612", "haruka0612", "line", "handle.cued_id"),
    ("at_handle_on_next_line", "insta?\n@maya.creates", "@maya.creates", "instagram", "handle.cued_id"),
    # a longer sentence: the id labelled far from the channel a request names
    ("far_id_after_colon", "you can find me on Instagram where I post all my latest illustration work and sketches: maya.creates",
     "maya.creates", "instagram", "handle.cued_id"),
    ("spelled_id_then_search_verb", "instada zeynep nokta cizer diye arat", "zeynep nokta cizer", "instagram", "handle.cued_id"),
    ("host_shaped_id_then_search_verb", "insta pe ali.arts.pk search kar lo", "ali.arts.pk", "instagram", "handle.shaped_id"),
    # a name shaped like a file after a word naming the account's name (id_markers, name_markers)
    ("file_shaped_id_after_a_name_word", "discord pe aa jao, mera naam wahan hasnain.exe hai", "hasnain.exe", "discord", "handle.shaped_id"),
    ("file_shaped_id_after_username", "discord grubunda benim kullanıcı adım elif.jpeg", "elif.jpeg", "discord", "handle.shaped_id"),
    # "más rápido" is "faster" (a `better` phrase), not the contrast word "mas": one sentence, so the
    # channel cues the @handle directly
    ("far_at_handle_after_id_word", "me escribes por Instagram, que es donde más rápido contesto, soy @sofi.ilustra",
     "@sofi.ilustra", "instagram", "handle.cued_at_handle"),
    ("after_emoji_offsets", "😀👍🏽 telegram @alexdesigns", "@alexdesigns", "telegram", "handle.cued_at_handle"),
    ("fullwidth_cue", "ｔｅｌｅｇｒａｍ @alexdesigns", "@alexdesigns", "telegram", "handle.cued_at_handle"),
    # a profile name labelled by a name word after it, the sentence going on
    ("name_word_after_the_name", "pm mo na lang ako sa messenger, Joanna Paula Cruz yung name, naka-pink yung dp",
     "Joanna Paula Cruz", "facebook", "handle.profile_name"),
    ("request_before_the_clause_comma", "fb pe add kar lo, Usman Tariq naam hai mera, profile pic mein logo hai",
     "Usman Tariq", "facebook", "handle.profile_name"),
    ("add_verb_before_the_clause_comma", "add fb aku ya, Dewi Lestari namanya, fotonya pakai hijab",
     "Dewi Lestari", "facebook", "handle.profile_name"),
    ("name_word_with_accents_after", "me chama no face, Ana Clara Souza é meu nome lá, foto de praia",
     "Ana Clara Souza", "facebook", "handle.profile_name"),
    ("glued_case_ending", "facebookta aratın: Elif Tasarım Atölyesi", "Elif Tasarım Atölyesi", "facebook", "handle.search_my_name"),
    ("at_sign_named_as_the_account", "mon @ c'est camille.dessine", "camille.dessine", None, "handle.at_noun"),
    ("host_shaped_account_after_label", "ig ko: joy.prints.ph, follow mo ako", "joy.prints.ph", "instagram", "handle.cued_id"),
    ("display_name_label", "add me on discord, display name Nova Prints", "Nova Prints", "discord", "handle.profile_name"),
    ("display_name_verb_label", "no zap meu nome aparece como Ju Doces Finos", "Ju Doces Finos", "whatsapp", "handle.profile_name"),
    ("at_sign_with_my_after_it", "yung @ ko ay bea.creates", "bea.creates", None, "handle.at_noun"),
    # a bare name word opening the words after the network (right after it, or after a request's comma)
    ("bare_name_word_after_the_network", "Zalo tên Thảo Nguyên Decor nha", "Thảo Nguyên Decor", "zalo", "handle.profile_name"),
    ("bare_name_word_after_a_request_comma", "imo par add kar lein, naam Bilal Ahmed Photography hai",
     "Bilal Ahmed Photography", "imo", "handle.profile_name"),
]


@pytest.mark.parametrize(("text", "span", "channel", "rule"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_blocks_cued_handles(text, span, channel, rule):
    found = handles(text)
    spans = {text[f.start : f.end]: f for f in found}
    assert span in spans, f"expected {span!r}, got {list(spans)}"
    finding = spans[span]
    assert finding.severity is Severity.BLOCK
    assert finding.channel == channel
    assert finding.rule == rule
    assert finding.mask == "[contact removed]"
    assert analyze(text).verdict == "block"


# (case id, text): no handle finding, and nothing that would warn the user.
CLEAN = [
    ("at_here", "@here the new drafts are uploaded"),
    ("site_after_network_label", "Instagram: shop.lena.com goes in the footer"),
    ("file_talked_about_after_label", "discord: server.js crashes on start"),
    ("display_name_in_a_mockup", "in the whatsapp mockup the display name shows John Doe"),
    ("display_name_without_network", "on Fiverr my display name is Nova Prints"),
    ("my_at_key", "my @ key is broken, logo_v2.png is attached"),
    ("at_as_a_time", "meet me @ 5pm, my file is brief_v2.pdf"),
    ("at_as_matrix_product", "out = my @ w.t  # numpy"),
    ("reply_to_someone", "Reply to @maria's comment on draft 2"),
    ("thanks_mention", "Thanks @john for the quick feedback!"),
    ("platform_support", "I asked @Fiverr support about the refund"),
    ("css_media_query", "@media (max-width: 600px) { .nav { display: none } }"),
    ("python_decorator", "@property is missing on the getter"),
    ("npm_scope", "install @angular/core and @types/node"),
    ("fiverr_username", "I'm on Fiverr as @designbyrahul, check my other gigs here"),
    ("telegram_bot_project", "Telegram bot project: the bot should reply in 3 languages"),
    ("instagram_deliverable", "I'll make 10 Instagram posts and 5 stories"),
    ("discord_banner", "Design a Discord server banner at 960x540"),
    ("line_height", "Line height should be 1.5 and letter spacing 0.02em"),
    ("line_colon_style", "Line: dotted"),
    ("signal_icon", "Add a signal strength icon to the status bar"),
    ("snap_as_word", "My snap judgement: version B is better"),
    ("live_as_word", "live: the site is live now, check the homepage"),
    ("my_skype_is_broken", "my skype is broken anyway, chatting here is fine"),
    ("linkedin_profile_rewrite", "LinkedIn profile rewrite and headline optimization"),
    ("instagram_handle_field", "The Instagram handle field should be optional in the signup form"),
    ("email_after_cue_is_not_a_handle", "skype: john.smith@gmail.com"),
    ("phone_after_cue_is_not_a_handle", "whatsapp: 4155550132"),
    ("heading_after_colon", "LinkedIn: Rewrite my summary"),
    ("style_value_after_line", "Line: 2px, color: #333"),
    ("coordinates_after_x", "X: 120px, Y: 40px"),
    ("mention_near_work_channel", "Thanks @john, the Telegram bot works now"),
    ("mention_near_instagram_post", "I saw your Instagram post, @maria liked it"),
    ("code_assignment_to_x", "x = copy.copy(y) # make a shallow copy of y"),
    ("code_mode_string_x", "'x:bz2' create a tarfile with bzip2 compression"),
    ("spec_value_optional", "Instagram: optional"),
    ("spec_value_size", "TikTok - 1080x1920"),
    ("spec_value_version", "Discord: v2.3"),
    ("number_word_is_not_a_marker", "Share your WhatsApp number so I can send the files"),
    ("search_for_inspiration", "look for Modern Logos on Instagram for inspiration"),
    ("search_lower_case_words", "search the hashtag on instagram"),
    ("find_a_single_word", "find Canva on facebook ads"),
    ("telegraph_not_telegram", "my telegraph article is @ the top"),
    ("name_marker_without_a_name", "on instagram I am not sure which font works"),
    ("name_typed_on_a_cover", "type Nova Designs on the Facebook cover"),
    ("third_party_brand_lookup", "look up Nova Studio on LinkedIn to see their brand colors"),
    ("name_marker_then_lower_case", "my facebook name is on the invoice"),
    # "as" is a preposition unless the writer is the one on the network ("find me", "I'm on")
    ("as_a_role_of_the_network", "I use Facebook as Marketing Tool"),
    ("as_in_an_instruction", "Use LinkedIn as Lead Generator for the agency"),
    ("label_after_a_channel_that_is_the_work", "The Telegram bot is done. ID: bot_v2"),
    ("unlabelled_word_after_a_request", "Add me on Telegram! Thanks"),
    ("spelled_words_without_a_search_verb", "en instagram la nota punto final va aparte"),
    ("file_name_after_a_file_word", "the telegram bot's file name is setup_v2.exe"),
    ("file_sent_as_a_file_name", "I sent it on telegram as setup.exe"),
    ("file_worked_on_after_i_am", "on discord I'm fixing main_menu.py in the bot"),
    ("host_name_without_a_search_verb", "check the insta ads for brand.co.uk assets"),
    ("far_file_name_after_a_request", "Reach me on WhatsApp about the files for the project: logo_final.png"),
    ("far_id_after_a_sentence_end", "Reach me on WhatsApp if you need. The layer is named: header_main"),
    ("quoted_search_query", "fb te search korun 'minimalist logo' tahole idea paben"),
    ("name_word_in_post_text", "sa fb post ilagay mo, Kristel Anne Lopez yung pangalan ng may-ari ng shop"),
    ("name_without_a_name_word", "add me on fb, Monday Tuesday Friday work best for calls"),
    ("bare_name_word_written_into_the_work", "banner par naam Bilal Ahmed Photography likhein, facebook ka icon bhi"),
    ("bare_name_word_without_a_request", "instagram, naam aur logo dono Bilal Ahmed Photography ke hain"),
    ("bare_name_word_naming_a_bot_built", "telegram bot banana hai, naam Order Tracker Pro rakhna"),
]


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_stays_clean_without_a_cued_id(text):
    assert handles(text) == []


def test_mention_without_cue_is_only_filter_advice():
    report = analyze("Thanks @john for the quick feedback!")
    assert report.verdict == "info"
    assert {f.kind for f in report.findings} == {Kind.FILTER_RISK}


def test_allowed_channel_turns_a_handle_into_info():
    (finding,) = handles("skype: live:john_1", allow=["skype"])
    assert finding.severity is Severity.INFO
    assert "approved" in finding.reason


def test_reason_never_quotes_the_text():
    (finding,) = handles("telegram @alexdesigns")
    assert "alexdesigns" not in finding.reason
