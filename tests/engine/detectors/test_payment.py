"""Payment detector: paying outside the platform warns, payment destinations block (handles after a
payment cue, IBAN, Bitcoin, Ethereum, UPI), and the checksums behind the account formats are
checked on published vectors and on one-character corruptions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.engine import Kind, Severity, analyze
from companion.engine.detectors.payment import (
    is_valid_base58check_address,
    is_valid_bech32_address,
    is_valid_eth_address,
    is_valid_iban,
    keccak256,
    words_pattern,
)


def payments(text: str, **kwargs):
    return [f for f in analyze(text, **kwargs).findings if f.kind is Kind.PAYMENT]


# ------------------------------------------------------------------------------- payment talk

TALK = [
    ("pay_directly_via_paypal", "pay me directly via PayPal and I'll give you a discount"),
    ("cancel_and_pay_outside", "cancel the order and pay me outside"),
    ("send_money_to_paypal", "send the money to my paypal"),
    ("bank_transfer_outside", "I accept bank transfer outside fiverr"),
    ("payoneer_wise_directly", "pay via Payoneer/Wise directly"),
    ("western_union", "send the money through Western Union instead"),
    ("crypto", "can you pay with crypto? USDT preferred"),
    ("skip_fees", "Let's skip Fiverr fees, bank transfer is fine for me"),
    ("venmo_offer", "Can I pay you on Venmo for the extra revisions?"),
    ("spanish_paypal", "págame por PayPal y te hago descuento"),
    ("refund_through_a_way_to_pay", "I can refund you through Wise if you cancel"),
    ("refund_french", "Je te rembourse par Lydia si tu annules"),
    ("half_then_rest_on_pix", "A metade agora e o resto no Pix"),
    ("tip_by_bizum", "Si quieres dejar propina, por Bizum mejor"),
    ("cut_as_a_share_then_direct", "Upwork se queda con el 10%, mejor págame directo"),
    ("cut_as_a_fraction_then_the_difference_on_the_side", "Fiverr keeps a fifth of everything, pay me the difference on the side"),
    ("cut_in_vietnamese", "Sàn thu 20% phí, mình làm ngoài cho rẻ"),
    ("spanish_direct_transfer", "mejor hazme una transferencia directa"),
    ("portuguese_pix", "pague por pix"),
    ("german_direct", "Überweis mir das Geld direkt, ohne Fiverr"),
    ("french_paypal_direct", "paye-moi par PayPal directement"),
    ("hinglish_upi", "payment UPI se kar do, Fiverr ka charge bachega"),
    ("do_you_take_venmo", "Do you take Venmo?"),
    ("zelle_me", "Zelle me the money"),
    ("accept_cash_app", "I accept Cash App"),
    ("instead_of_fiverr", "let's do Wise instead of Fiverr"),
    ("french_paie_moi", "paie-moi par PayPal"),
    ("tip_via_paypal", "Can I send you a tip via PayPal?"),
    ("hinglish_direct_money", "paise direct bhej do"),
    # money-transfer services and wallets
    ("moneygram", "I can pay you through MoneyGram"),
    ("remitly_question", "can you pay via Remitly?"),
    ("transferwise_destination", "send the money to my TransferWise"),
    ("skrill", "pay with Skrill please"),
    ("bank_transfer_question", "can you send it by bank transfer?"),
    ("wire_to_account", "I'll wire the money to your account"),
    ("gcash", "send payment to my GCash"),
    ("send_via_easypaisa", "send via Easypaisa"),
    ("send_on_phonepe", "send on PhonePe"),
    ("bkash_bangla", "bKash e taka pathan"),
    ("binance_pay", "pay with Binance Pay"),
    ("send_usdt_to_wallet", "send USDT to my wallet"),
    ("send_me_usdt", "send me USDT"),
    ("pix_portuguese", "manda por Pix"),
    ("pix_make_one_directly", "Pode fazer um Pix direto pra mim que eu libero o vídeo"),
    # split payments and tips
    ("half_on_paypal", "half on PayPal and half here"),
    ("rest_outside", "pay the rest outside"),
    ("upfront_via_wise", "send 50% upfront via Wise"),
    ("tip_me_on_paypal", "tip me on PayPal"),
    # cheaper outside
    ("discount_if_direct", "I'll give you a discount if you pay me directly"),
    ("less_if_outside", "if you pay outside I can do it for less"),
    ("bare_payment_question", "PayPal?"),
    ("either_payment_question", "paypal or wise?"),
]


@pytest.mark.parametrize("text", [c[1] for c in TALK], ids=[c[0] for c in TALK])
def test_payment_outside_the_platform_warns(text):
    found = payments(text)
    assert any(f.severity is Severity.WARN for f in found), [(f.rule, text[f.start : f.end]) for f in found]
    assert analyze(text).verdict == "warn"


TALK_BENIGN = [
    ("fiverr_handles_payment", "Fiverr handles the payment, no need for PayPal"),
    ("rule_cant_accept", "I can't accept payment outside Fiverr, sorry"),
    ("rule_not_allowed", "I'm not allowed to take payments through PayPal, only through Fiverr"),
    ("paypal_integration", "Integrate PayPal checkout into my WooCommerce store"),
    ("paypal_at_checkout", "I'll pay with PayPal at checkout"),
    ("paid_for_order", "I've paid for the order, please check your dashboard"),
    ("custom_offer", "Can you send a custom offer for the extra pages? I'll pay there"),
    ("pay_attention", "Pay attention to the kerning on the wordmark"),
    ("accept_direct_feedback", "I accept direct feedback on the drafts"),
    ("western_blot", "Western blot diagram for my biology paper"),
    ("cash_flow", "Cash flow chart for the pitch deck, 5 years"),
    ("price", "The price is $45 for 3 revisions"),
    ("spanish_rule", "El pago se hace solo por Fiverr, no por transferencia"),
    ("hinglish_paid", "payment ho gaya hai, order check karo"),
    ("paypal_payment_option_in_app", "The app needs a PayPal payment option"),
    ("bank_transfer_as_topic", "write a blog post about bank transfer"),
    ("google_pay_logo", "the Google Pay logo in the footer"),
    ("pay_attention_bank_holiday", "Pay attention to the bank holiday"),
    ("integrate_paypal_payments", "Integrate PayPal payments into my Shopify store"),
    ("flyer_for_a_transfer_service", "design a Western Union flyer and send it to me"),
    ("send_the_wallet_screenshots", "can you send the Wise app screenshots?"),
    ("half_of_the_banner", "the other half of the banner should show the Paytm QR code design"),
    ("spanish_send_the_logo", "envia el logo de PayPal"),
    ("send_the_rest_of_the_files", "I'll send the rest of the files tomorrow"),
    ("send_payment_through_fiverr", "I will send the payment through Fiverr"),
    ("patreon_banner", "create a Patreon banner for me"),
    ("kofi_header", "make a Ko-fi page header"),
    ("question_about_a_logo", "Is the PayPal logo ok?"),
    ("payment_screen_being_designed", "Design the payment screen with GCash and Maya buttons"),
    ("spanish_payment_screen_of_a_store", "Necesito la pantalla de pago de mi tienda con opción de Bizum"),
    ("refund_by_the_platform", "Sàn sẽ hoàn tiền cho bạn qua thẻ, không cần chuyển khoản"),
    ("half_of_the_site_now", "Metade do site agora e o resto depois"),
    ("tip_left_on_the_order", "Gracias por la propina que dejaste en el pedido"),
    ("cut_explains_the_price", "Fiverr takes 20% so my prices are a bit higher"),
    ("price_cut_through_the_order", "Take 20% off the banner price, I'll pay through the order"),
    ("fee_share_and_the_platform_paying_directly", "The service fee is 20% and the rest goes directly to the seller's balance"),
]


@pytest.mark.parametrize("text", [c[1] for c in TALK_BENIGN], ids=[c[0] for c in TALK_BENIGN])
def test_payment_talk_on_the_platform_stays_below_warn(text):
    assert analyze(text).severity < Severity.WARN, [(f.rule, text[f.start : f.end]) for f in analyze(text).findings]


# ------------------------------------------------------------------------------- destinations

DESTINATIONS = [
    ("paypal_handle", "my paypal is john.smith88", "john.smith88", "payment.handle"),
    ("paypal_colon_plain", "paypal: johnsmith", "johnsmith", "payment.handle"),
    ("venmo_at_handle", "venmo @John-Smith-22", "@John-Smith-22", "payment.handle"),
    ("cashapp_cashtag", "cashapp $jsmith88", "$jsmith88", "payment.cashtag"),
    ("cashtag_cue_after", "send it to $jsmith88 on cash app", "$jsmith88", "payment.cashtag"),
    ("pix_phone_key", "chave pix: 11987654321", "11987654321", "payment.handle"),
    ("pix_cpf_key", "chave pix CPF 123.456.789-09", "123.456.789-09", "payment.handle"),
    ("iban_grouped", "IBAN: DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00", "payment.iban"),
    ("iban_compact", "my iban DE89370400440532013000 (Sparkasse)", "DE89370400440532013000", "payment.iban"),
    ("iban_grouped_then_word", "Überweisung an AT74 1223 3079 2440 2685 bitte", "AT74 1223 3079 2440 2685", "payment.iban"),
    ("iban_with_letters", "Sort it via bank: GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32", "payment.iban"),
    ("iban_lower_case", "iban: it14x7465075291703423667127", "it14x7465075291703423667127", "payment.iban"),
    ("btc_p2pkh", "BTC: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "payment.bitcoin"),
    ("btc_p2sh", "send btc to 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "payment.bitcoin"),
    ("btc_bech32", "my wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "payment.bitcoin"),
    ("btc_bech32_upper", "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "payment.bitcoin"),
    ("btc_taproot_bech32m", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", "payment.bitcoin"),
    ("eth_eip55", "ETH: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "payment.ethereum"),
    ("eth_lower_with_cue", "usdt erc20 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "payment.ethereum"),
    ("upi_known_suffix", "rahul.sharma@okicici", "rahul.sharma@okicici", "payment.upi"),
    ("upi_cue_other_suffix", "UPI: ankit@mybank", "ankit@mybank", "payment.upi"),
    ("upi_phone_number", "gpay kar do 9876543210@paytm pe", "9876543210@paytm", "payment.upi"),
    ("tron_address", "USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "payment.tron"),
    ("mobile_money_account_number", "Easypaisa account 03451234567", "03451234567", "payment.handle"),
    ("bkash_number_colon", "bKash number: 01712345678", "01712345678", "payment.handle"),
    ("indian_bank_account", "HDFC a/c 50100123456789", "50100123456789", "payment.handle"),
    ("nigerian_bank_account", "GTBank 0123456789 John Okafor", "0123456789", "payment.handle"),
    ("ifsc_code", "IFSC: HDFC0001234", "HDFC0001234", "payment.handle"),
    ("uk_account_number", "sort code 12-34-56, account number 12345678", "12345678", "payment.handle"),
    # an account, card or wallet number after its label, in any language (grammar.tsv account_cues)
    ("sort_code_alone", "sort code 40-47-84 please", "40-47-84", "payment.account_number"),
    ("aba_routing_number", "routing 026009593 for the wire", "026009593", "payment.account_number"),
    ("polish_account_label", "numer konta: 61 1090 1014 0000 0712 1981 2874", "61 1090 1014 0000 0712 1981 2874", "payment.account_number"),
    ("korean_account_label_then_bank", "계좌: 광주은행 1002-345-678901", "1002-345-678901", "payment.account_number"),
    ("japanese_transfer_label", "振込先：みずほ銀行 新宿支店 普通 7654321", "7654321", "payment.account_number"),
    ("chinese_bank_card_label", "银行卡号 6217 0012 3456 7890 12", "6217 0012 3456 7890 12", "payment.account_number"),
    ("russian_wallet_label", "кошелёк 4100 9876 5432 1098", "4100 9876 5432 1098", "payment.account_number"),
    ("bangla_account_label", "হিসাব নম্বর 2051234567890", "2051234567890", "payment.account_number"),
    # Pix keys after "pix": a random key, a CPF with valid check digits
    ("pix_random_key", "pix: 7d9f2b1c-4e3a-4b5c-8d6e-1f2a3b4c5d6e", "7d9f2b1c-4e3a-4b5c-8d6e-1f2a3b4c5d6e", "payment.pix_key"),
    ("pix_cpf", "faz o pix pro CPF 529.982.247-25", "529.982.247-25", "payment.pix_key"),
    # the other common chains, each by its own checksum (Solana has none: a crypto cue is needed)
    ("litecoin_legacy", "LTC: LaHzwmag7hALdzerP4aaHKT8pHApzvzaH3", "LaHzwmag7hALdzerP4aaHKT8pHApzvzaH3", "payment.litecoin"),
    ("litecoin_bech32", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", "payment.litecoin"),
    ("dogecoin", "doge here DR56dv23V8ZrR32PaRZzUCcWtC7PD6mKmw", "DR56dv23V8ZrR32PaRZzUCcWtC7PD6mKmw", "payment.dogecoin"),
    ("xrp_genesis", "XRP rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh tag 7", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "payment.xrp"),
    ("solana_with_cue", "my solana wallet Cv7i78JRdwZWvAdE8yJN7otiP99YEnTdiygRkTjb7eTF", "Cv7i78JRdwZWvAdE8yJN7otiP99YEnTdiygRkTjb7eTF", "payment.solana"),
    ("ton_bounceable", "TON: EQB3BvhdhpACSta9o0Ab6cjLzMk19s0fYSJq4VM4rho0AN6r", "EQB3BvhdhpACSta9o0Ab6cjLzMk19s0fYSJq4VM4rho0AN6r", "payment.ton"),
    ("ton_non_bounceable", "UQBNM7oNJGrATIGxuvI-O_nu9fefK0k0r4f1UgtpuUsNmEhW", "UQBNM7oNJGrATIGxuvI-O_nu9fefK0k0r4f1UgtpuUsNmEhW", "payment.ton"),
    # a phone number, e-mail address or link given as a way to pay's account, as the other detector reads it
    ("wallet_number_after_colon", "GCash: 0918 222 4607", "0918 222 4607", "payment.handle"),
    ("wallet_number_arabizi_words", "ib3at el 3arboon Vodafone Cash 3ala 010 9876 5432", "010 9876 5432", "payment.handle"),
    ("wallet_number_with_o_for_zero", "Kapora için Papara da olur: 1O2 938 4756", "1O2 938 4756", "payment.handle"),
    ("paypal_email_after_preposition", "PayPal an jonas.brandt@web.de bitte", "jonas.brandt@web.de", "payment.handle"),
    ("wise_email_spelled", "wise email is marcus.webb at protonmail dot com", "marcus.webb at protonmail dot com", "payment.handle"),
    ("payment_link", "paypal.me/rubenartworks", "paypal.me/rubenartworks", "payment.link"),
    ("bank_paid_to_a_phone_number", "Передоплату можна на ПриватБанк за номером 067 123 45 67", "067 123 45 67", "payment.handle"),
    ("wallet_number_in_the_next_sentence", "Maya pwede? eto account ko 0918 765 4321", "0918 765 4321", "payment.handle"),
]


@pytest.mark.parametrize(("text", "span", "rule"), [c[1:] for c in DESTINATIONS], ids=[c[0] for c in DESTINATIONS])
def test_payment_destinations_block(text, span, rule):
    found = {text[f.start : f.end]: f for f in payments(text) if f.severity is Severity.BLOCK}
    assert span in found, f"expected {span!r}, got {list(found)}"
    assert found[span].rule == rule
    assert found[span].mask == "[account removed]"


DESTINATIONS_CLEAN = [
    ("iban_bad_checksum", "For the form demo use DE89 3704 0044 0532 0130 01, it's invalid on purpose"),
    ("iban_unknown_country", "reference XX89370400440532013000"),
    ("btc_bad_checksum", "my validator accepts 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb, please fix it"),
    ("eth_bad_eip55", "the checksum test should reject 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
    ("eth_lower_without_cue", "commit 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed in the log"),
    ("tx_hash", "tx hash 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 confirmed"),
    ("git_sha", "fixed in 5c504ed432cb51138bcf09aa5e8a410dd4a1e204"),
    ("email_is_not_upi", "rahul@paytm.com is the support address in the mockup"),
    ("stock_ticker", "$AAPL dropped 3% today, use that in the chart"),
    ("cashtag_without_cue", "the variable $total is wrong"),
    ("bank_name_only", "Bank: HDFC"),
    ("amount_after_wallet", "JazzCash 2000 rupees bhej do"),
    ("numbers_after_generic_bank", "The bank 1500 2000 report"),
    # near misses of account labels: amounts, counts, a routing table, an invalid CPF
    ("amount_after_account_word", "my account was charged 250000 rupees"),
    ("count_after_account_word", "the konto has 1234567 views"),
    ("routing_table_count", "the routing table has 1234567 entries"),
    ("account_ending_digits", "bank account ending 4821"),
    ("pix_invalid_cpf", "o pix do CPF 123.456.789-00 falhou no teste"),
    # the other chains with one character changed, and a Solana-shaped key without a crypto cue
    ("litecoin_bad_checksum", "LaHzwmag7hALdzerP4aaHKT8pHApzvzaH4"),
    ("dogecoin_bad_checksum", "DR56dv23V8ZrR32PaRZzUCcWtC7PD6mKmx"),
    ("xrp_bad_checksum", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTj"),
    ("ton_bad_crc", "EQB3BvhdhpACSta9o0Ab6cjLzMk19s0fYSJq4VM4rho0AN6s"),
    ("solana_shape_without_cue", "build id Cv7i78JRdwZWvAdE8yJN7otiP99YEnTdiygRkTjb7eTF in the changelog"),
    ("solana_shape_in_a_url", "send it to https://example.com/f/Cv7i78JRdwZWvAdE8yJN7otiP99YEnTdiygRkTjb7eTF"),
    # near misses of identifiers paid to: the wallet in another sentence, someone's address after the
    # way to pay's name, a bare payment domain
    ("wallet_in_another_sentence", "I used GCash for the groceries. Ring me at 0917 555 0199 when you're free"),
    ("address_after_paypal_support", "paypal support emailed me at ana.k@gmail.com"),
    ("bare_payment_domain", "add a paypal.me button to the footer"),
    ("bank_then_a_phone_in_an_unrelated_sentence", "Мій банк ПриватБанк. Телефонуйте 067 123 45 67 після обіду"),
]


@pytest.mark.parametrize("text", [c[1] for c in DESTINATIONS_CLEAN], ids=[c[0] for c in DESTINATIONS_CLEAN])
def test_lookalike_destinations_are_not_blocked(text):
    assert [f for f in payments(text) if f.severity is Severity.BLOCK] == []


# ---------------------------------------------------------------------------------- checksums


@pytest.mark.parametrize(
    "iban",
    ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300", "PK36SCBL0000001123456702"],
)
def test_valid_ibans_pass_mod97(iban):
    assert is_valid_iban(iban)


@pytest.mark.parametrize(
    "iban",
    ["DE89370400440532013001", "GB82WEST12345698765433", "DE8937040044053201300", "ZZ89370400440532013000", "DE8937040044053201300X"],
    ids=["last_digit", "uk_last_digit", "too_short", "unknown_country", "letter_in_place_of_digit"],
)
def test_broken_ibans_fail_mod97(iban):
    assert not is_valid_iban(iban)


@pytest.mark.parametrize(
    "address",
    ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"],
    ids=["btc_genesis", "btc_p2pkh", "btc_p2sh", "tron_usdt_contract"],
)
def test_base58check_accepts_real_addresses(address):
    assert is_valid_base58check_address(address)


@pytest.mark.parametrize(
    "address",
    ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", "1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a"],
    ids=["changed_last_char", "changed_p2sh", "invalid_base58_char"],
)
def test_base58check_rejects_corruptions(address):
    assert not is_valid_base58check_address(address)


@pytest.mark.parametrize(
    "address",
    ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"],
    ids=["v0", "v0_upper", "v1_bech32m"],
)
def test_bech32_accepts_real_addresses(address):
    assert is_valid_bech32_address(address)


@pytest.mark.parametrize(
    "address",
    ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp", "bc1Qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "tb1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
    ids=["changed_checksum", "mixed_case", "testnet_prefix"],
)
def test_bech32_rejects_corruptions(address):
    assert not is_valid_bech32_address(address)


def test_keccak256_matches_the_published_empty_digest():
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_keccak256_pads_a_block_boundary():
    # 135 bytes leave exactly one byte of padding (0x81); 136 bytes need a whole extra block.
    assert keccak256(b"a" * 135) != keccak256(b"a" * 136)
    assert len(keccak256(b"a" * 136)) == 32


@pytest.mark.parametrize(
    "address",
    ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"],
)
def test_eip55_accepts_the_specification_vectors(address):
    assert is_valid_eth_address(address, cued=False)


def test_eip55_rejects_a_flipped_case():
    assert not is_valid_eth_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", cued=True)


@pytest.mark.parametrize("address", ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"], ids=["lower", "upper"])
def test_single_case_eth_needs_a_crypto_cue(address):
    assert is_valid_eth_address(address, cued=True)
    assert not is_valid_eth_address(address, cued=False)


def test_a_lone_surrogate_is_read_like_any_text():
    assert analyze("\ud83d IBAN DE89370400440532013000").verdict == "block"
    assert analyze("\ud83dx").verdict == "ok"


# A word list as a prefix tree (account labels are scanned over every position of a 20,000-character
# text): it must match exactly what the longest-first list of the same words matches.
_LABELS = ["account", "account no", "account number", "a/c", "aba", "acct", "sort code", "s", "계좌", "계좌번호", "银行卡号", "银行"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_LABELS, " ", "  ", "x", "no", "1234567", "\n", "b"]), max_size=12).map("".join))
def test_prefix_tree_matches_the_longest_first_list(text):
    tree = re.compile(f"(?<![a-z])(?:{words_pattern(_LABELS)})(?![a-z])")
    listed = re.compile(
        "(?<![a-z])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_LABELS, key=len, reverse=True)) + ")(?![a-z])"
    )
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in listed.finditer(text)]


# ------------------------------------------------------------------- round 6: shapes of paying

@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("PayPayで送りますね", "payment.outside_talk"),  # verb-final: the way to pay, a postposition, send
        ("kun je me een betaalverzoek sturen?", "payment.outside_talk"),  # nothing between, the verb ends the clause
        ("te hago un Bizum y listo", "payment.outside_talk"),  # a light verb with the way to pay right after
        ("Wise would be cheaper for both of us", "payment.preference"),
    ],
)
def test_a_way_to_pay_with_a_verb_of_sending_or_a_preference_warns(text, rule):
    assert [f.rule for f in payments(text) if f.severity is Severity.WARN] == [rule]


@pytest.mark.parametrize(
    "text",
    [
        "did Payoneer send you the invoice",  # the way to pay is the subject, the verb does not end the clause
        "te hago un logo para Bizum",  # a light verb with the way to pay behind a preposition: the work
        "PayPal at checkout is easier for me",  # the platform's checkout between the way to pay and the preference
        "PayPayのバナーを送ります",  # the banner stands between: the work
    ],
)
def test_the_near_misses_of_those_shapes_are_no_payment(text):
    assert payments(text) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Yape al 987 654 321", "987 654 321"),
        ("বিকাশ পার্সোনাল: ০১৭১২-৩৪৫৬৭৮", "০১৭১২-৩৪৫৬৭৮"),  # a Bangla word ending in a vowel sign between
        ("Zelle to jdoe@outlook.com", "jdoe@outlook.com"),
        ("支付宝：wang.fang@163.com", "wang.fang@163.com"),  # glued by a colon: the wallet's name is no part of the address
        ("PayPal:maria.k@gmail.com", "maria.k@gmail.com"),
    ],
)
def test_a_number_or_address_after_a_wallet_is_a_payment_destination(text, span):
    found = [text[f.start : f.end] for f in payments(text) if f.severity is Severity.BLOCK]
    assert found == [span]


@pytest.mark.parametrize(
    "text",
    [
        "Easypaisa app has 12345678 users",
        "paypal support emailed me at ana.k@gmail.com",
        "JazzCash has 20000000 rupees in fees",
        "邮箱：wang.fang@163.com",  # an e-mail after its own label, no way to pay
    ],
)
def test_a_count_or_an_unrelated_address_after_a_wallet_is_no_destination(text):
    assert [f for f in payments(text) if f.severity is Severity.BLOCK] == []


# A pack word that ends in a vowel sign (Bangla "ক্রিপ্টো", Hindi "क्रिप्टो") is a whole word
# (text.whole_word): `\b` found no end there, so the cue was never seen.
_LOWER_ETH = "0x52908400098527886e0f7030069857d2e4169ee7"


@pytest.mark.parametrize("cue", ["ক্রিপ্টো", "क्रिप्टो में"])
def test_a_crypto_cue_ending_in_a_vowel_sign_makes_a_one_case_address_count(cue):
    assert [f.rule for f in payments(f"{cue} {_LOWER_ETH}")] == ["payment.ethereum"]


def test_a_crypto_cue_glued_into_a_longer_word_is_no_cue():
    assert payments(f"ক্রিপ্টোগ্রাফি {_LOWER_ETH}") == []  # cryptography: no whole crypto word


def test_future_orders_without_the_middleman_leave_the_platform():
    assert [f.rule for f in payments("Los próximos pedidos los hacemos sin intermediarios, ¿vale?")] == ["payment.future_orders"]


def test_future_orders_with_a_bare_directly_are_no_payment():
    assert payments("Los próximos trabajos los hacemos directamente en Figma") == []


# A past payment reported after a subject or auxiliary, with nobody paid outside and no "directly":
# the order's own payment (tests/corpus/LABELING.md, "Payment details and cards").
@pytest.mark.parametrize(
    "text",
    [
        "I paid with PayPal, receipt is on the order page",
        "my UPI app shows order 12345678 as paid",
        "The buyer paid with Apple Pay through the app, order started",
    ],
)
def test_a_reported_past_payment_is_no_payment_talk(text):
    assert payments(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I paid you on PayPal yesterday, check your account",  # a person paid
        "I paid directly via PayPal, please start",  # directly
        "I prefer getting paid in USDT",  # no report: a preference
    ],
)
def test_a_past_payment_to_a_person_or_directly_still_warns(text):
    assert [f.severity for f in payments(text)] == [Severity.WARN]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("let's do a direct bank transfer", "payment.direct_way"),  # a one-word "direct" beside a generic way to pay
        ("خلينا نخليها تحويل بنكي مباشر", "payment.direct_way"),
        ("Надішліть, будь ласка, номер рахунку", "payment.asked"),  # a "please" aside between verb and object
        ("Volgende opdrachten doen we onderling, scheelt de kosten", "payment.future_orders"),  # a bare "onderling" + money
    ],
)
def test_round7_payment_shapes_warn(text, rule):
    assert [f.rule for f in payments(text)] == [rule]


@pytest.mark.parametrize(
    "text",
    [
        "ask PayPal directly about the refund",  # a brand beside "directly": whom to contact
        "pole numer karty na mojej stronie nie działa",  # a place ("on my site"), not a one-word "direct"
        "Can the store's checkout offer direct bank transfer to customers?",  # building payments
        "Надішліть, будь ласка, файли",
        "Volgende opdrachten bespreken we onderling in het team",  # no money word
    ],
)
def test_round7_payment_shapes_near_misses_stay_clean(text):
    assert payments(text) == []


def test_a_bank_account_number_in_groups_after_a_banks_name_is_read_whole():
    text = "Techcombank: 1903 5566 7788 99"
    assert [text[f.start : f.end] for f in payments(text)] == ["1903 5566 7788 99"]


@pytest.mark.parametrize(
    "text",
    ["I can send the rest today, do you have PayPal?", "glad to pay the remainder now, Venmo or PayPal, your call"],
)
def test_a_way_to_pay_in_the_clause_after_a_verb_of_paying_warns(text):
    assert [f.rule for f in payments(text)] == ["payment.outside_talk"]


@pytest.mark.parametrize(
    "text",
    [
        "I'll pay for the order now, the PayPal logo on the mockup must be bigger",  # the work
        "I'll pay the rest through the order, Wise is not needed",  # the platform in the sentence
    ],
)
def test_a_way_to_pay_in_the_next_clause_about_something_else_is_no_payment(text):
    assert payments(text) == []


def test_a_way_to_pay_then_instead_is_a_preference():
    assert [f.rule for f in payments("would you be ok with Venmo instead?")] == ["payment.preference"]


@pytest.mark.parametrize(
    "text",
    ["Can you add Apple Pay instead of PayPal to the checkout page?", "I paid with my card instead, it's all on the order"],
)
def test_instead_in_a_clause_building_payments_or_reporting_one_is_no_payment(text):
    assert payments(text) == []
