"""Request detector, end to end through analyze(): asking or offering to move off the platform without
an identifier warns, in English, Spanish, Portuguese, German, French and Hindi-in-Latin; the same
words used for the work, in rule talk or in a past reference do not."""

from __future__ import annotations

import pytest

from companion.engine import Kind, Severity, analyze


def requests(text: str, **kwargs):
    return [f for f in analyze(text, **kwargs).findings if f.kind is Kind.OFFPLATFORM_REQUEST]


# (case id, text, a word the warned span must contain, channel or None)
FLAGGED = [
    ("add_me_on_skype", "add me on skype", "skype", "skype"),
    ("continue_on_whatsapp", "Let's continue on WhatsApp, it's faster", "WhatsApp", "whatsapp"),
    ("send_me_your_number", "send me your number", "number", "phone"),
    ("whats_your_email", "what's your email?", "email", "email"),
    ("call_me", "call me", "call me", "phone"),
    ("call_me_when", "call me when the order is delivered", "call me", "phone"),
    ("talk_on_zoom", "can we talk on zoom", "zoom", "zoom"),
    ("dm_me_on_insta", "DM me on insta for the references", "insta", "instagram"),
    ("contact_me_directly", "contact me directly for a better price", "directly", None),
    ("outside_fiverr", "let's discuss outside fiverr", "outside fiverr", None),
    ("off_the_platform", "let's take this off the platform", "off the platform", None),
    ("quick_call", "Can we discuss the details on a quick call?", "call", "call"),
    ("zoom_call_no_article", "can we do AnyDesk + WhatsApp call?", "WhatsApp call", "whatsapp"),
    ("have_telegram", "do you have telegram? easier to talk there", "telegram", "telegram"),
    ("offer_contact_details", "I'll share my contact details after you place the order", "contact details", None),
    ("send_you_on_whatsapp", "I'll send you the zoom link on WhatsApp", "WhatsApp", "whatsapp"),
    ("typo_channel", "lets talk on whatsap", "whatsap", "whatsapp"),
    ("slang_number", "can u gimme ur numbr", "numbr", "phone"),
    ("upper_case", "ADD ME ON SKYPE PLEASE", "SKYPE", "skype"),
    ("number_please", "whatsapp number pls", "number", "whatsapp"),
    ("spanish_write_me", "escríbeme por Telegram", "Telegram", "telegram"),
    ("spanish_give_number", "pásame tu número porfa", "número", "phone"),
    ("spanish_call_me", "llámame cuando puedas", "llámame", "phone"),
    ("spanish_outside", "mejor seguimos fuera de Fiverr", "fuera de Fiverr", None),
    ("portuguese_zap", "me chama no zap", "zap", "whatsapp"),
    ("portuguese_whats", "me manda um whats", "whats", "whatsapp"),
    ("portuguese_talk", "vamos conversar pelo WhatsApp?", "WhatsApp", "whatsapp"),
    ("german_write_me", "schreib mir auf WhatsApp", "WhatsApp", "whatsapp"),
    ("german_call_me", "Ruf mich bitte an, dann klären wir das", "Ruf mich", "phone"),
    ("german_give_number", "Gib mir deine Nummer", "Nummer", "phone"),
    ("german_phone_call_verb", "Können wir kurz telefonieren?", "telefonieren", "phone"),
    ("french_contact_me", "contacte-moi sur WhatsApp", "WhatsApp", "whatsapp"),
    ("french_call_me", "Appelle-moi ce soir", "Appelle-moi", "phone"),
    ("french_give_number", "donne-moi ton numéro", "numéro", "phone"),
    ("hindi_whatsapp_karo", "mujhe whatsapp karo", "whatsapp", "whatsapp"),
    ("hindi_give_number", "apna number do", "number", "phone"),
    ("hindi_talk_on_whatsapp", "whatsapp pe baat karte hain", "whatsapp", "whatsapp"),
    ("request_despite_earlier_rule_talk", "I know it's against the rules but can we talk on Skype?", "Skype", "skype"),
    ("past_reference_then_request", "As we decided on our call, let's continue on WhatsApp from now", "WhatsApp", "whatsapp"),
    ("dont_hesitate_is_not_a_negation", "don't hesitate to call me", "call me", "phone"),
    ("send_to_my_email", "Can you send the files to my email?", "email", "email"),
    ("on_my_whatsapp", "ping me on my whatsapp", "whatsapp", "whatsapp"),
    ("add_you_on", "Can I add you on Skype?", "Skype", "skype"),
    ("contact_you_on_number", "Can I contact you on your personal number?", "number", "phone"),
    ("chat_me_up", "pls chat me up on whatsapp", "whatsapp", "whatsapp"),
    ("tagalog_add_me", "add mo ako sa fb", "fb", "facebook"),
    ("bangla_give_number", "apnar number den", "number", "phone"),
    ("bare_question_channel", "whatsapp?", "whatsapp", "whatsapp"),
    ("bare_question_your_number", "your number?", "number", "phone"),
    ("bare_question_channel_number", "WhatsApp number?", "WhatsApp", "whatsapp"),
    ("keep_in_touch", "Let's keep in touch on LinkedIn", "LinkedIn", "linkedin"),
    ("take_it_offline", "Let's take this conversation offline", "offline", None),
    ("french_by_mail", "Contacte-moi par mail", "mail", "email"),
    ("on_my_number", "call me on my number", "number", "phone"),
    ("german_per_zoom", "Lass uns per Zoom sprechen", "Zoom", "zoom"),
    ("portuguese_face", "me adiciona no face", "face", "facebook"),
    ("portuguese_wpp", "me chama no wpp", "wpp", "whatsapp"),
    ("hinglish_kar_dena", "whatsapp kar dena", "whatsapp", "whatsapp"),
    ("hinglish_save_my_number", "mera number save kar lo", "number", "phone"),
    ("nearest_trigger_survives_past_clause", "As we decided on our call, let's continue on WhatsApp", "continue on WhatsApp", "whatsapp"),
    ("channel_first", "skype add me", "skype", "skype"),
    ("add_on_channel", "add on skype", "skype", "skype"),
    ("typo_verb", "contect me on whatsapp", "whatsapp", "whatsapp"),
    ("easier_on_channel", "easier on telegram", "telegram", "telegram"),
    ("only_use_channel", "I only use WhatsApp, sorry", "WhatsApp", "whatsapp"),
    ("bare_channel_call_question", "skype call?", "skype", "skype"),
    ("get_ur_contact", "can I get ur contact", "contact", None),
    ("either_channel_question", "Viber or WhatsApp?", "Viber", "viber"),
    ("more_active_on", "I'm more active on WhatsApp", "WhatsApp", "whatsapp"),
    ("inbox_you_my_number", "I'll inbox you my number", "number", "phone"),
    ("let_me_know_your", "Let me know your WhatsApp", "WhatsApp", "whatsapp"),
    ("hyphenated_channel_name", "add me on whats-app", "whats-app", "whatsapp"),
    ("at_sign_in_channel_name", "msg me on wh@tsapp", "wh@tsapp", "whatsapp"),
    ("consultation_on_zoom", "This offer includes a 30-minute consultation on Zoom", "Zoom", "zoom"),
    # requests written many ways (Tagalog/Taglish, ES, PT, DE, FR, Hindi-in-Latin, short English)
    ("tagalog_text_mo_ako", "text mo ako sa viber", "viber", "viber"),
    ("taglish_pa_pm", "pa-PM na lang po sa FB", "FB", "facebook"),
    ("tagalog_chat_tayo", "chat tayo sa messenger", "messenger", "facebook"),
    ("tagalog_i_add_mo_ako", "i-add mo ako sa fb", "fb", "facebook"),
    ("spanish_mandame_un", "mándame un WhatsApp", "WhatsApp", "whatsapp"),
    ("spanish_escribeme_al", "escríbeme al wsp", "wsp", "whatsapp"),
    ("spanish_pasame_tu_numero", "pásame tu número", "número", "phone"),
    ("portuguese_manda_um_zap", "me manda um zap", "zap", "whatsapp"),
    ("portuguese_add_no_insta", "me add no insta", "insta", "instagram"),
    ("german_meld_dich_per", "meld dich per WhatsApp", "WhatsApp", "whatsapp"),
    ("french_ecris_moi_sur", "écris-moi sur WhatsApp", "WhatsApp", "whatsapp"),
    ("french_ajoute_moi", "ajoute-moi sur insta", "insta", "instagram"),
    ("hindi_whatsapp_pe_msg", "mujhe whatsapp pe msg karo", "whatsapp", "whatsapp"),
    ("hindi_insta_pe_aa_jao", "insta pe aa jao", "insta", "instagram"),
    ("friend_request_on_facebook", "send me a friend request on Facebook", "Facebook", "facebook"),
    ("follow_and_dm", "follow me on insta and DM", "insta", "instagram"),
    ("pm_me_alone", "PM me", "PM me", None),
    ("inbox_me_on_fb", "inbox me on FB", "FB", "facebook"),
    ("hit_me_up_on_snap", "hit me up on snap", "snap", "snapchat"),
    ("number_to_reach_you", "is there a number I can reach you at?", "number", "phone"),
    ("chat_app_preferred", "whatsapp is better for me", "whatsapp", "whatsapp"),
    ("chat_app_easier_spanish", "Telegram es más fácil para mí", "Telegram", "telegram"),
    ("call_outside", "can we do a quick call outside", "call", None),
    ("bare_call_question", "call?", "call", "call"),
    ("bare_quick_call_question", "a quick call?", "call", "call"),
    ("disguised_spaced_letters", "add me on s k y p e", "s k y p e", "skype"),
    ("disguised_leet", "text me on wh4tsapp", "wh4tsapp", "whatsapp"),
    ("disguised_split", "add me on tele-gram", "tele-gram", "telegram"),
    ("messenger_app", "message me on messenger", "messenger", "facebook"),
    ("hmu_on_whatsapp", "hmu on whatsapp", "whatsapp", "whatsapp"),
    ("shoot_me_a_text", "shoot me a text on whatsapp", "whatsapp", "whatsapp"),
    ("channel_as_verb", "viber me", "viber me", "viber"),
    ("got_channel_question", "got whatsapp?", "whatsapp", "whatsapp"),
    ("tagalog_call_me", "tawag ka sa akin", "tawag", "phone"),
    ("tagalog_na_lang", "message mo na lang ako sa messenger", "messenger", "facebook"),
    ("tagalog_channel_first", "sa viber na lang tayo mag-usap", "viber", "viber"),
    ("quick_zoom_question", "can we hop on a quick zoom?", "zoom", "zoom"),
    ("prefer_chat_app", "prefer whatsapp", "whatsapp", "whatsapp"),
    ("subscribe_to_my_channel", "subscribe to my youtube channel for the tutorials", "youtube", "youtube"),
    ("contact_on_without_me", "contact on telegram", "telegram", "telegram"),
    ("phonetic_misspelling", "add me on diskord", "diskord", "discord"),
    ("indonesian_hubungi_saya", "hubungi saya di WhatsApp", "WhatsApp", "whatsapp"),
    ("urdu_rabta_karein", "whatsapp pe rabta karein", "whatsapp", "whatsapp"),
    ("talk_privately", "let's talk privately", "talk privately", None),
    ("talk_to_me_directly", "talk to me directly", "directly", None),
    ("reach_me_outside", "reach me outside", "outside", None),
    ("share_contact_no_noun", "pls share contact", "share contact", None),
    ("chat_app_better_alone", "whatsapp better", "whatsapp", "whatsapp"),
    ("tagalog_usap_tayo_sa", "usap tayo sa viber para mabilis", "viber", "viber"),
    ("tagalog_mag_usap_na_lang_tayo", "Mag-usap na lang tayo sa Messenger po", "Messenger", "facebook"),
    ("portuguese_manda_teu_email", "Manda teu email que eu te envio os arquivos", "email", "email"),
    ("portuguese_passa_o_teu_whats", "passa o teu whats", "whats", "whatsapp"),
    ("spelled_channel_as_verb", "plz w h a t s a p p me bro", "w h a t s a p p", "whatsapp"),
    ("look_alike_channel_as_verb", "wh4tsapp me tonight", "wh4tsapp", "whatsapp"),
    ("split_channel_as_verb", "tele-gram me when you are free", "tele-gram", "telegram"),
    ("bare_question_have_after_the_channel", "вайбер маєш?", "вайбер", "viber"),
    ("bare_question_possessive_after_the_channel", "telegram mo po?", "telegram", "telegram"),
]


@pytest.mark.parametrize(("text", "word", "channel"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_warns_on_requests_to_leave_the_platform(text, word, channel):
    found = [f for f in requests(text) if word in text[f.start : f.end]]
    assert found, f"no request span containing {word!r}: {[(f.rule, text[f.start:f.end]) for f in requests(text)]}"
    assert found[0].severity is Severity.WARN
    if channel is not None:
        assert found[0].channel == channel
    assert analyze(text).verdict == "warn"


BENIGN = [
    ("call_to_action", "Call-to-action should say 'Book now'"),
    ("click_to_call", "can you add a click-to-call button to the mobile header?"),
    ("call_me_name", "Call me Sam, by the way 😊"),
    ("quoted_ui_label", "The 'Call me back' button in the app should be green"),
    ("label_in_design", "Make a YouTube thumbnail that says CALL ME MAYBE in neon"),
    ("send_file", "I'll send you the file tonight"),
    ("send_me_your_logo", "Send me your logo files in the highest resolution"),
    ("email_newsletter", "I need an email newsletter template for Black Friday"),
    ("phone_case", "Make a phone case mockup with my pattern"),
    ("zoom_in", "zoom in on the logo, the edges are blurry"),
    ("number_of_revisions", "the number of revisions is 3"),
    ("number_of_pages", "Tell me the number of pages and I'll quote"),
    ("telegram_bot", "Telegram bot project: I need the /start and /help commands"),
    ("whatsapp_clone", "I need a WhatsApp clone app in Flutter"),
    ("instagram_post", "Let's do an Instagram post design for the launch"),
    ("post_on_instagram", "let's post it on Instagram stories next week"),
    ("past_phone_call", "as we decided during our phone call, the logo stays blue"),
    ("rule_dont_share_email", "please don't share your email here"),
    ("rule_cant_give_number", "I can't give you my phone number, it's against the ToS"),
    ("rule_only_fiverr_chat", "We can only discuss this via Fiverr chat"),
    ("rule_doesnt_allow", "Sorry, Fiverr doesn't allow us to talk on Skype or WhatsApp"),
    ("text_me_here", "Text me the changes here in the chat"),
    ("message_me_here", "Message me here anytime, I'm online until 10pm"),
    ("continue_on_fiverr", "Let's continue here on Fiverr"),
    ("add_me_as_collaborator", "Add me as a collaborator on the Figma file"),
    ("reach_out_to_support", "Please reach out to Fiverr support about the refund"),
    ("im_on_a_call", "I'm on a call right now, will reply in 10 minutes"),
    ("had_a_call", "I had a call with my team, they like draft 2"),
    ("calendly_widget", "Can you embed a Calendly widget on my website?"),
    ("spanish_write_here", "Escríbeme aquí cuando tengas el boceto"),
    ("portuguese_call_here", "Me chama aqui no chat quando terminar"),
    ("german_write_here", "Schreib mir hier im Chat, wenn du fertig bist"),
    ("french_write_here", "Écris-moi ici quand tu as fini"),
    ("hindi_deliverable", "insta ke liye 5 reels edit karne hain"),
    ("hindi_here", "yahin Fiverr chat pe baat karte hain"),
    ("suggested_rewording", "Let's keep everything here in the order chat"),
    ("checked_on_my_phone", "I checked it on my phone, looks good"),
    ("posted_on_my_instagram", "I'll post it on my Instagram"),
    ("in_my_email_drafts", "It's in my email drafts"),
    ("call_me_crazy", "Call me crazy but I love the red version"),
    ("they_call_me", "They call me the logo guy"),
    ("call_you_by_name", "I'll call you Mr. Smith from now on"),
    ("quoted_book_a_call", "Add a 'Book a call' button to the hero"),
    ("need_to_meet_deadline", "We need to meet the deadline on Friday"),
    ("have_a_call_with_team", "I have a call with my team at 3"),
    ("add_to_my_phone_mockup", "Add my phone number and email to the flyer, I'll send them via Fiverr chat"),
    ("hindi_my_phone_broke", "mera phone kharab hai"),
    ("order_number_please", "order number please"),
    ("looks_better_on_instagram", "The logo looks better on Instagram"),
    ("call_inside_a_question", "which API call?"),
    ("preference_for_social_network", "Instagram is better for the launch."),
    ("preference_about_integration", "WhatsApp is easier to integrate than SMS"),
    ("follow_me_through_the_steps", "follow me through the steps below"),
    ("search_for_inspiration", "look for Modern Logos on Instagram for inspiration"),
    ("spanish_send_the_logo", "mándame el logo en PNG"),
    ("german_report_back_here", "meld dich hier, wenn du fertig bist"),
    ("number_of_revisions_question", "number of revisions?"),
    ("app_theme_looks_better", "the logo looks better on WhatsApp dark mode"),
    ("preference_known_in_market", "WhatsApp is better known in Brazil, so the ad should target it"),
    ("send_the_brief_here", "send me the brief here in the chat"),
    ("prefer_a_brand_colour", "I prefer WhatsApp green for the button"),
    ("visit_my_website", "visit my website"),
    ("marketing_reach", "reach on Instagram grew 20%"),
    ("dm_me_answered_here", "DM me if anything is unclear, I reply fast here"),
    ("italian_di_is_of", "il logo di WhatsApp deve essere verde"),
    ("contact_form_mockups", "please share contact form mockups"),
    ("app_feature_name", "the talk privately feature of the app"),
    ("speed_comparison", "I want the app faster, like WhatsApp faster"),
    ("contact_button_in_a_mockup", "add a contact button on the Instagram mockup"),
    ("work_channel_first", "Telegram bot, message me for details"),
    ("either_format_question", "PNG or SVG?"),
    ("either_social_ads_question", "Instagram or Facebook ads?"),
    ("active_on_fiverr", "I'm active on Fiverr daily"),
    ("available_on_stores", "The app is available on Android and iOS"),
    ("whatsup_greeting", "whatsup?"),
    ("face_shape", "Face: round, eyes: blue"),
    ("portuguese_send_file_here", "Me manda o logo em PNG"),
    ("mobile_version", "We can continue with the mobile version tomorrow."),
    ("question_about_the_work", "Do you have experience with Telegram bots?"),
    ("portuguese_manda_seu_logo", "manda seu logo em PNG que eu ajusto"),
    ("tagalog_usap_tayo_here", "usap tayo dito sa Fiverr bukas"),
    ("bare_have_question_about_a_logo", "маєш логотип вайбера?"),
]


@pytest.mark.parametrize("text", [c[1] for c in BENIGN], ids=[c[0] for c in BENIGN])
def test_benign_uses_do_not_warn(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]
    assert requests(text) == []


def test_spans_point_at_the_original_text_after_emoji():
    text = "🏳️‍🌈😀 add me on skype"
    (finding,) = requests(text)
    assert text[finding.start : finding.end] == "add me on skype"


def test_allowed_channel_request_is_info():
    (finding,) = requests("can we talk on zoom", allow=["video_call"])
    assert finding.severity is Severity.INFO


def test_request_carries_a_suggestion_and_no_mask():
    (finding,) = requests("add me on skype")
    assert finding.suggestion and "here" in finding.suggestion
    assert finding.mask is None


# (case id, text, the URL or address): a channel alias inside an address ("wa" in "wa.me", "t" in
# "t.me", "ig" in a path) is part of the address, not a request cue; the link or email finding
# covers that token alone.
ALIAS_INSIDE_ADDRESS = [
    ("wa_me_quicker", "Quicker on wa.me/5511987654321 if you prefer", "wa.me/5511987654321"),
    ("t_me_easier", "Easier on t.me/novadesigns if you like", "t.me/novadesigns"),
    ("fb_me_better", "better on fb.me/novastudio for me", "fb.me/novastudio"),
    ("line_me_easier", "easier on line.me/ti/p/abc123 for me", "line.me/ti/p/abc123"),
    ("zoom_us_call", "can we talk on zoom.us/j/84512345678 tomorrow", "zoom.us/j/84512345678"),
    ("ig_in_path", "message me on https://www.instagram.com/ig.nova.studio/", "https://www.instagram.com/ig.nova.studio/"),
    ("wa_me_defanged", "Quicker on wa[.]me/5511987654321 if you prefer", "wa[.]me/5511987654321"),
    ("skype_in_email", "quicker on john.skype@gmail.com", "john.skype@gmail.com"),
]


@pytest.mark.parametrize(("text", "address"), [c[1:] for c in ALIAS_INSIDE_ADDRESS], ids=[c[0] for c in ALIAS_INSIDE_ADDRESS])
def test_channel_alias_inside_an_address_is_not_a_request_cue(text, address):
    start = text.index(address)
    end = start + len(address)
    findings = analyze(text).findings
    overlapping = [f for f in findings if f.start < end and start < f.end]
    assert [(f.kind, f.start, f.end) for f in overlapping] == [
        (Kind.EMAIL if "@" in address else Kind.LINK, start, end)
    ]
    assert overlapping[0].severity is Severity.BLOCK


def test_a_request_beside_an_address_still_warns():
    """Words outside the address keep working: the request names WhatsApp itself."""
    text = "wa.me/5511987654321 quicker on whatsapp"
    assert [(f.kind, text[f.start : f.end]) for f in analyze(text).findings] == [
        (Kind.LINK, "wa.me/5511987654321"),
        (Kind.OFFPLATFORM_REQUEST, "quicker on whatsapp"),
    ]


# A move off the platform that names no channel, with a way to pay named in its sentence (across a
# contrast word too), says where to pay: paying outside, verb or not.
@pytest.mark.parametrize(
    "text",
    ["PayPal, aber außerhalb der Seite", "Lydia ou Paylib, comme tu préfères, mais hors site", "facciamo con Satispay fuori dal sito, ok?"],
)
def test_a_move_off_the_site_beside_a_way_to_pay_is_paying_outside(text):
    report = analyze(text)
    assert report.verdict == "warn"
    assert [f.rule for f in report.findings if f.severity is Severity.WARN] == ["payment.outside_talk"]


@pytest.mark.parametrize(
    "text",
    ["j'accepte Lydia sur la plateforme, jamais hors plateforme", "PayPal nur über die Seite, nicht außerhalb der Seite"],
)
def test_a_way_to_pay_kept_on_the_site_is_no_payment(text):
    assert analyze(text).severity < Severity.WARN


# A call asked of the addressee (request.call_asked): the asking words ("can you", "puedes", "kannst du",
# "주실 수 있나요") with a call word or a verb of calling whose object is a person, in any of the packs.
CALL_ASKED = [
    ("en_call_him", "The logo is for my dad's shop, could you call him to get the details?", "call"),
    ("en_quick_ring", "would you mind giving me a quick ring tomorrow morning?", "quick ring"),
    ("en_quick_call", "could you give me a quick call when you have a minute?", "quick call"),
    ("es_clitic_before", "El encargo es de mi padre, ¿lo puedes llamar tú directamente?", "llamar"),
    ("es_glued_object", "¿Puedes llamarla mañana? Ella no usa el chat.", "llamarla"),
    ("fr_elided_object", "C'est pour ma mère, vous pouvez l'appeler directement ?", "appeler"),
    ("de_third_person", "Das Logo ist für meinen Vater, kannst du ihn bitte kurz anrufen?", "anrufen"),
    ("nl_third_person", "Het is voor mijn moeder, kun je haar even bellen?", "bellen"),
    ("it_glued_object", "Il lavoro è per mio zio, puoi chiamarlo tu?", "chiamarlo"),
    ("pt_preposition_between", "É pro meu pai, você consegue ligar pra ele hoje?", "ligar"),
    ("pl_do_niego", "To dla mojego taty, możesz do niego zadzwonić jutro?", "zadzwonić"),
    ("ru_dative_before", "Заказ для отца, можешь ему позвонить?", "позвонить"),
    ("uk_dative_before", "Це для тата, можете йому зателефонувати?", "зателефонувати"),
    ("id_person_after", "Ini pesanan ayah saya, bisa telepon dia langsung?", "telepon"),
    ("tl_enclitic_person", "Para kay tatay po ito, pwede niyo po ba siyang tawagan?", "tawagan"),
    ("hi_asker_after", "order papa ke liye hai, aap unko ek baar call kar doge?", "call"),
    ("ar_person_after", "الطلب لأبوي، ممكن تتصل عليه مباشرة؟", "تتصل"),
    ("bn_article_of_call_noun", "অর্ডারটা আব্বুর জন্য, আপনি কি উনাকে একটা ফোন দিতে পারবেন?", "ফোন"),
    ("vi_person_after", "Đơn này của bố mình, bạn gọi điện cho bố mình được không?", "gọi điện"),
    ("zh_person_glued_before", "这是我爸爸的订单，你能直接给他打个电话吗？", "打个电话"),
    ("ja_asker_after_call_word", "父の注文なので、父に直接お電話いただけますか？", "電話"),
    ("ko_counter_between", "아버지 주문이에요, 직접 전화 한 번 해주실 수 있나요?", "전화"),
]
CALL_NOT_ASKED = [
    ("en_your_call", "That's your call, either layout works for me."),
    ("en_call_the_api", "Can you call the API once per page instead of twice?"),
    ("en_call_it_done", "I'll call it done once you approve the last file."),
    ("en_call_it_v2", "could you call it v2 and keep the old one as v1?"),
    ("en_naming_a_person", "Could you call her Luna in the story instead of Mia?"),
    ("en_refusal", "I can't call outside the platform, let's keep it here."),
    ("en_report", "A buyer asked me to call him on his phone and I reported it."),
    ("en_platform_feature", "Can we do a video call through Fiverr's own call feature?"),
    ("en_quoted_label", "Could you add a 'call us' button to the header?"),
    ("es_call_a_function", "¿Puedes llamar a la función solo cuando el formulario sea válido?"),
    ("fr_call_a_function", "Tu peux appeler la fonction après le chargement de la page ?"),
    ("pt_turn_on", "Você pode ligar o modo escuro no site?"),
    ("de_someone_else_by_article", "Kannst du die Druckerei anrufen und nach dem Papier fragen?"),
    ("ja_meeting_papers_are_work", "打ち合わせの資料をまとめていただけますか？"),
]


@pytest.mark.parametrize(("text", "word"), [c[1:] for c in CALL_ASKED], ids=[c[0] for c in CALL_ASKED])
def test_a_call_asked_of_the_addressee_warns(text, word):
    found = requests(text)
    assert found, text
    assert any(word in text[f.start : f.end] for f in found), [(text[f.start : f.end], f.rule) for f in found]


@pytest.mark.parametrize("text", [c[1] for c in CALL_NOT_ASKED], ids=[c[0] for c in CALL_NOT_ASKED])
def test_a_call_that_calls_no_one_off_the_platform_stays_clean(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]


# A contact noun asked for with an indefinite article (grammar asked_contact_nouns): the other side's
# contact, as "your contact" is; someone else's ("of a printer") or the work's ("a contact form") is not.
INDEFINITE_CONTACT = [
    ("en_give_us_a_contact", "We run everything through Slack. Can you give me a contact so I can add you to the workspace?", "contact"),
    ("de_einen_kontakt", "Wir arbeiten über Slack. Gibst du mir einen Kontakt für die Einladung?", "Kontakt"),
    ("nl_een_contact", "We werken via Slack. Geef je me een contact zodat ik je kan uitnodigen?", "contact"),
    ("es_algun_dato", "Trabajamos en Notion; pásame algún dato de contacto y te damos acceso.", "dato de contacto"),
]
INDEFINITE_CONTACT_CLEAN = [
    ("en_contact_form", "Can you give me a contact form on the landing page?"),
    ("en_someone_elses", "can you give me a contact of a good printer in Lisbon?"),
    ("de_someone_elses", "Gib mir einen Kontakt von einer Druckerei, bitte."),
]


@pytest.mark.parametrize(("text", "word"), [c[1:] for c in INDEFINITE_CONTACT], ids=[c[0] for c in INDEFINITE_CONTACT])
def test_a_contact_asked_with_an_indefinite_article_warns(text, word):
    assert any(word in text[f.start : f.end] for f in requests(text)), [(f.rule, text[f.start : f.end]) for f in requests(text)]


@pytest.mark.parametrize("text", [c[1] for c in INDEFINITE_CONTACT_CLEAN], ids=[c[0] for c in INDEFINITE_CONTACT_CLEAN])
def test_someone_elses_contact_or_the_works_stays_clean(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]


# Another app, account or site asked about (an `other` word beside a `medium`, with a "have" or use verb
# before or after it, or a short question on its own), in the packs' own words.
OTHER_APP = [
    ("en_another_account", "do you have another account somewhere? this site logs me out"),
    ("bn_use_after", "অন্য কোনো অ্যাপ ইউজ করেন? এখানে নোটিফিকেশন আসে না"),
    ("hi_use_after_with_particle", "aap koi aur app use karte ho kya? yahan message late aata hai"),
    ("it_use_before_purpose_after", "Usi qualche altra app per messaggiare? Qui non arriva niente"),
    ("tl_relative_use_after", "Meron ka bang ibang app na gamit? Di kasi ako nano-notify dito"),
    ("ru_instrumental", "Вы пользуетесь каким-нибудь другим мессенджером? Тут уведомления не приходят."),
    ("zh_what_else", "你还用什么聊天软件？这里老收不到消息。"),
]
OTHER_APP_CLEAN = [
    ("en_another_site_for_the_work", "Can you make the same banner for another site, in blue?"),
    ("en_test_account", "do you have another account for testing the admin panel?"),
    ("tl_login_with_phone", "Kailangan ng app na may login gamit ang username at OTP"),
    ("zh_use_for_the_work", "这个软件用别的字体可以吗？"),
]


@pytest.mark.parametrize("text", [c[1] for c in OTHER_APP], ids=[c[0] for c in OTHER_APP])
def test_another_app_or_account_asked_about_warns(text):
    assert requests(text), text


@pytest.mark.parametrize("text", [c[1] for c in OTHER_APP_CLEAN], ids=[c[0] for c in OTHER_APP_CLEAN])
def test_another_app_or_site_of_the_work_stays_clean(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]


# A report to the platform labelled at the message's opening (grammar report_labels) frames its first
# sentence as a report about someone else; a dispute's label is written to the other side, and a later
# sentence may still ask.
REPORTED_BY_LABEL = [
    ("ru_zhaloba", "Жалоба: пользователь после отказа снова просит мой номер телефона."),
    ("id_laporan", "Laporan: buyer ini masih minta nomor HP aku padahal udah aku tolak."),
    ("tl_reklamo", "Reklamo: yung seller humihingi ng bayad sa GCash sa labas ng site, paki-check po"),
    ("ja_bracketed", "【お問い合わせ】出品者から直接振込を求められました。規約違反ではないでしょうか。"),
]
ASKED_AFTER_A_LABEL = [
    ("es_dispute_label", "Disputa: cancelemos el pedido y lo que llevas hecho te lo pago directamente por transferencia"),
    ("en_label_not_opening", "Thanks for the draft. Report: send me your number and I'll call you."),
    ("zh_later_sentence", "投诉：卖家延期 5 天。我私下给你转 200 块可以吗？"),
]


@pytest.mark.parametrize("text", [c[1] for c in REPORTED_BY_LABEL], ids=[c[0] for c in REPORTED_BY_LABEL])
def test_a_report_labelled_at_the_opening_does_not_warn(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]


@pytest.mark.parametrize("text", [c[1] for c in ASKED_AFTER_A_LABEL], ids=[c[0] for c in ASKED_AFTER_A_LABEL])
def test_a_request_outside_a_reports_first_sentence_still_warns(text):
    assert analyze(text).severity is Severity.WARN, text


# Bare questions the packs had no words for: an interrogative opening one left without its mark
# (grammar question_openers: "ano fb mo"), the polite Japanese "…はお持ちでしょうか。" closed by か, the
# Chinese "V" glued after 有 (WeChat).
BARE_QUESTIONS_MORE = [
    ("tl_opener_no_mark", "ano fb mo", "fb"),
    ("tl_anong_no_mark", "anong ig mo", "ig"),
    ("ja_polite_have", "LINEはお持ちでしょうか。", "LINE"),
    ("ja_polite_use", "Chatworkはお使いでしょうか。", "Chatwork"),
    ("zh_v_after_have", "有V吗", "V"),
]
BARE_QUESTIONS_MORE_CLEAN = [
    ("tl_page_of_the_work", "ano fb page ng shop niyo"),
    ("tl_sentence_goes_on", "ano fb mo kasi yung logo"),
    ("ja_stickers_are_work", "LINEスタンプはお持ちでしょうか。"),
    ("zh_vue_experience", "有vue开发经验吗"),
]


@pytest.mark.parametrize(("text", "word"), [c[1:] for c in BARE_QUESTIONS_MORE], ids=[c[0] for c in BARE_QUESTIONS_MORE])
def test_more_bare_questions_warn(text, word):
    assert any(word in text[f.start : f.end] for f in requests(text)), [(f.rule, text[f.start : f.end]) for f in requests(text)]


@pytest.mark.parametrize("text", [c[1] for c in BARE_QUESTIONS_MORE_CLEAN], ids=[c[0] for c in BARE_QUESTIONS_MORE_CLEAN])
def test_more_bare_questions_near_misses_stay_clean(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]


# Finding the addressee is reaching them: "find you" and its forms in each pack (near), with "where else"
# or "besides here" in the clause, ask where else to reach them.
FIND_YOU_ELSEWHERE = [
    ("en_where_else_find_you", "where else can I find you if this account gets closed?"),
    ("it_dove_altro", "Dove altro ti posso trovare? Hai un sito?"),
    ("pl_gdzie_jeszcze", "Gdzie jeszcze mogę pana znaleźć poza tym portalem?"),
    ("uk_de_shche", "Де ще вас можна знайти? Є сайт чи сторінка?"),
    ("zh_besides_here", "除了这里还能在哪儿找到你？"),
    ("ko_besides_here", "여기 말고 어디서 찾을 수 있어요?"),
]
FIND_SOMETHING_ELSE = [
    ("en_find_the_font", "where else can I find the font you used on the poster?"),
    ("en_find_customers", "Can you help us find customers on Instagram for the new shop?"),
    ("it_trovare_il_file", "Dove altro posso trovare il file sorgente?"),
]


@pytest.mark.parametrize("text", [c[1] for c in FIND_YOU_ELSEWHERE], ids=[c[0] for c in FIND_YOU_ELSEWHERE])
def test_where_else_to_find_the_addressee_warns(text):
    assert requests(text), text


@pytest.mark.parametrize("text", [c[1] for c in FIND_SOMETHING_ELSE], ids=[c[0] for c in FIND_SOMETHING_ELSE])
def test_finding_something_else_stays_clean(text):
    report = analyze(text)
    assert report.severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in report.findings]



# Another way or place in words the packs lacked: hi "raasta" (a way), pt-BR "conversarmos" (talk), ko
# "딴 데서" (elsewhere, colloquial).
@pytest.mark.parametrize(
    "text",
    [
        "aap koi dusra raasta bataiye baat karne ka",
        "Haveria outra forma de conversarmos? Tenho dificuldade com este chat.",
        "여기 너무 느려요 딴 데서 얘기해요",
    ],
)
def test_another_way_or_place_in_more_words_warns(text):
    assert requests(text), text


def test_a_way_of_the_work_stays_clean():
    text = "koi dusra raasta dikhao logo ko animate karne ka"  # another way to animate the logo: the work
    assert analyze(text).severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in analyze(text).findings]


def test_a_call_word_as_the_means_needs_no_article():
    # grammar means_prepositions: "por videollamada" is a call; "the call" of a function is not asked
    text = "¿Te parece si lo hablamos por videollamada mañana?"
    assert any("videollamada" in text[f.start : f.end] for f in requests(text)), requests(text)
    clean = "Can we talk about the API call by the checkout page?"
    assert analyze(clean).severity < Severity.WARN, [(f.rule, clean[f.start : f.end]) for f in analyze(clean).findings]
