"""Phone detector, end to end through analyze(): notations and obfuscations that are phone numbers,
numbers that are something else, and spans that point at the right ORIGINAL characters."""

from __future__ import annotations

import pytest
from span_prefixes import ASTRAL_AND_COMBINING_PREFIXES

from companion.engine import Kind, Severity, analyze
from companion.engine.detectors import phone
from companion.engine.document import Document
from companion.engine.text import normalize


def phones(text: str):
    return [f for f in analyze(text).findings if f.kind is Kind.PHONE]


def only_phone(text: str):
    found = phones(text)
    assert len(found) == 1, f"expected one phone finding, got {[(f.rule, text[f.start:f.end]) for f in found]}"
    return found[0]


# (case id, text, the span that must be flagged, rule)
FLAGGED = [
    # an extension's word and digits a few words after a short local number say it is one to call
    ("extension_said_after", "ask for me at reception, 555-0199 and then my extension is 4471", "555-0199", "phone.national"),
    ("extension_in_vietnamese", "văn phòng 3823 4417 máy lẻ 105", "3823 4417 máy lẻ 105", "phone.national"),
    # classic notations, no cue needed: valid numbers as people write them in their country
    ("uk_international", "+44 20 7946 0958", "+44 20 7946 0958", "phone.international"),
    ("us_parentheses", "(415) 555-0132", "(415) 555-0132", "phone.national"),
    ("us_international", "reach me on +1 415 555 0132 anytime", "+1 415 555 0132", "phone.international"),
    ("pk_mobile_dash", "0300-1234567", "0300-1234567", "phone.national"),
    ("in_international", "+91 98765 43210", "+91 98765 43210", "phone.international"),
    ("in_mobile_bare", "9876543210", "9876543210", "phone.national"),
    ("br_international", "+55 11 91234-5678", "+55 11 91234-5678", "phone.international"),
    ("de_mobile", "0171 2345678", "0171 2345678", "phone.national"),
    ("fr_pairs", "06 12 34 56 78", "06 12 34 56 78", "phone.national"),
    ("es_mobile_grouped", "612 345 678", "612 345 678", "phone.national"),
    ("ng_mobile", "08031234567", "08031234567", "phone.national"),
    ("ph_mobile", "09171234567", "09171234567", "phone.national"),
    ("bd_mobile", "01712345678", "01712345678", "phone.national"),
    ("ng_international_label", "Phone: +234 803 123 4567", "+234 803 123 4567", "phone.international"),
    ("double_zero_prefix", "0044 20 7946 0958", "0044 20 7946 0958", "phone.international"),
    ("uk_trunk_in_parentheses", "+44 (0)20 7946 0958", "+44 (0)20 7946 0958", "phone.international"),
    ("us_dotted_groups", "415.555.0132", "415.555.0132", "phone.national"),
    ("es_dotted_with_cue", "mi móvil: 612.345.678", "612.345.678", "phone.national"),
    ("plus_inside_parentheses", "(+44) 20 7946 0958", "(+44) 20 7946 0958", "phone.international"),
    ("plus_then_space", "+ 91 98765 43210", "+ 91 98765 43210", "phone.international"),
    # a cue makes merely "possible" numbers count (fictional 555-01xx, placeholders typed as real)
    ("cue_local_seven_digits", "text me 555 0132", "555 0132", "phone.national"),
    ("cue_placeholder_sequence", "my number is 1234567890", "1234567890", "phone.national"),
    ("cue_after_number", "9876543210 is my whatsapp", "9876543210", "phone.national"),
    ("plus_after_an_id_word", "my number with country code +92 300 1234567", "+92 300 1234567", "phone.international"),
    ("in_case_is_not_a_case_number", "in case 0300 1234567 is busy", "0300 1234567", "phone.national"),
    ("hash_after_a_phone_word", "Ph # 0321-1234567", "0321-1234567", "phone.national"),
    ("mixed_digits_and_words", "my number is 0 three 0 0 one 2 three 4 five 6 seven",
     "0 three 0 0 one 2 three 4 five 6 seven", "phone.spelled_words"),
    ("pairs_with_constant_step", "98 76 54 32 10 is my whatsapp", "98 76 54 32 10", "phone.national"),
    ("spaced_placeholder_with_cue", "my number is 1 2 3 4 5 6 7 8 9 0", "1 2 3 4 5 6 7 8 9 0", "phone.spaced_digits"),
    ("weak_cue_attached", "phone: 555 0132", "555 0132", "phone.national"),
    ("cue_in_parentheses_after", "0300 1234567 (whatsapp)", "0300 1234567", "phone.national"),
    # disguises
    ("spaced_digits", "my number is 4 1 5 5 5 5 0 1 3 2", "4 1 5 5 5 5 0 1 3 2", "phone.spaced_digits"),
    ("dotted_digits", "4.1.5.5.5.5.0.1.3.2", "4.1.5.5.5.5.0.1.3.2", "phone.spaced_digits"),
    ("dashed_digits", "0-3-0-0-1-2-3-4-5-6-7", "0-3-0-0-1-2-3-4-5-6-7", "phone.spaced_digits"),
    ("english_words", "whatsapp me nine eight seven six five four three two one zero",
     "nine eight seven six five four three two one zero", "phone.spelled_words"),
    ("words_mixed_with_digits", "nine 1 seven 3 four 5 six 7 eight 9", "nine 1 seven 3 four 5 six 7 eight 9",
     "phone.spelled_words"),
    ("oh_and_double", "call four one five double five five oh one three two",
     "four one five double five five oh one three two", "phone.spelled_words"),
    ("triple_and_leading_oh", "oh seven seven double oh nine triple one two three",
     "oh seven seven double oh nine triple one two three", "phone.spelled_words"),
    # a word for "." or "-" read aloud between the spelled groups
    ("spoken_dots_between_word_groups", "my cell is four one five dot five five five dot zero one three two",
     "four one five dot five five five dot zero one three two", "phone.spelled_words"),
    ("spoken_punto_whose_letters_hold_a_digit_word", "mi número es seis uno dos punto tres cuatro cinco punto seis siete ocho",
     "seis uno dos punto tres cuatro cinco punto seis siete ocho", "phone.spelled_words"),
    ("english_tens", "ninety eight seventy six five four three two one zero",
     "ninety eight seventy six five four three two one zero", "phone.spelled_words"),
    ("hindi_latin", "mera number hai nau aath saat chhe paanch char teen do ek shunya",
     "nau aath saat chhe paanch char teen do ek shunya", "phone.spelled_words"),
    ("spanish", "mi número es seis uno dos tres cuatro cinco seis siete ocho",
     "seis uno dos tres cuatro cinco seis siete ocho", "phone.spelled_words"),
    ("portuguese_accents", "meu número é nove um nove oito sete seis cinco quatro três dois",
     "nove um nove oito sete seis cinco quatro três dois", "phone.spelled_words"),
    ("german_umlaut", "meine Nummer: null eins sieben sechs zwei drei vier fünf sechs sieben",
     "null eins sieben sechs zwei drei vier fünf sechs sieben", "phone.spelled_words"),
    ("french", "appelle-moi zéro six un deux trois quatre cinq six sept huit",
     "zéro six un deux trois quatre cinq six sept huit", "phone.spelled_words"),
    ("french_pairs", "appelle-moi zéro six douze trente quatre cinquante six",
     "zéro six douze trente quatre cinquante six", "phone.spelled_words"),
    ("words_with_commas", "nine, eight, seven, three, five, four, three, two, one, zero",
     "nine, eight, seven, three, five, four, three, two, one, zero", "phone.spelled_words"),
    ("words_glued_to_digits", "nine8seven6five4three2one0", "nine8seven6five4three2one0", "phone.spelled_words"),
    ("words_glued_together", "ninefoureightsevensixfivefourthreetwoone", "ninefoureightsevensixfivefourthreetwoone",
     "phone.spelled_words"),
    ("split_over_lines_with_cue", "my number is\n+44 7911\n123456", "+44 7911\n123456", "phone.international"),
    ("words_broken_by_punctuation", "Mi número: seis, uno, dos... tres cuatro cinco / seis siete ocho",
     "seis, uno, dos... tres cuatro cinco / seis siete ocho", "phone.spelled_words"),
    ("ph_prefix_glued", "Ph.03001234567", "03001234567", "phone.national"),
    ("country_code_without_plus", "whatsapp 923001234567", "923001234567", "phone.international"),
    ("letter_o_for_zero", "O3OO 12345 67", "O3OO 12345 67", "phone.letter_digits"),
    ("letters_l_and_o", "4l5 555 Ol32", "4l5 555 Ol32", "phone.letter_digits"),
    ("arabic_indic", "٠٣٠٠ ١٢٣٤٥٦٧", "٠٣٠٠ ١٢٣٤٥٦٧", "phone.other_script"),
    ("persian_with_cue", "۰۹۱۲ ۳۴۵ ۶۷۸۹ call me", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "phone.other_script"),
    ("devanagari", "९८७६५ ४३२१०", "९८७६५ ४३२१०", "phone.other_script"),
    ("fullwidth", "０３００－１２３４５６７", "０３００－１２３４５６７", "phone.other_script"),
    ("circled", "call ④①⑤⑤⑤⑤⓪①③②", "④①⑤⑤⑤⑤⓪①③②", "phone.other_script"),
    ("dingbat_circled", "whatsapp ❾❽❼❻❺❹❸❷❶⓿", "❾❽❼❻❺❹❸❷❶⓿", "phone.other_script"),
    ("keycaps", "4️⃣1️⃣5️⃣5️⃣5️⃣5️⃣0️⃣1️⃣3️⃣2️⃣", "4️⃣1️⃣5️⃣5️⃣5️⃣5️⃣0️⃣1️⃣3️⃣2️⃣", "phone.other_script"),
    ("zero_width_inside", "98765\u200b43210", "98765\u200b43210", "phone.national"),
    # regional notations, as sellers write them
    ("pk_mobile_space", "my number is 0321 1234567", "0321 1234567", "phone.national"),
    ("pk_international_dashes", "+92-300-1234567", "+92-300-1234567", "phone.international"),
    ("pk_double_zero", "0092 300 1234567", "0092 300 1234567", "phone.international"),
    ("pk_country_code_without_plus_with_cue", "whatsapp 92 300 1234567", "92 300 1234567", "phone.international"),
    ("bd_mobile_dash", "my no is 01712-345678", "01712-345678", "phone.national"),
    ("bd_international", "+880 1712 345678", "+880 1712 345678", "phone.international"),
    ("bd_international_glued", "+8801712345678", "+8801712345678", "phone.international"),
    ("ng_mobile_grouped", "0803 123 4567 is my line", "0803 123 4567", "phone.national"),
    ("ng_international", "+234 803 123 4567", "+234 803 123 4567", "phone.international"),
    ("ph_mobile_grouped", "text me 0917 123 4567", "0917 123 4567", "phone.national"),
    ("ph_international", "+63 917 123 4567", "+63 917 123 4567", "phone.international"),
    ("ph_international_parentheses", "(+63) 917-123-4567", "(+63) 917-123-4567", "phone.international"),
    ("br_area_code_bare", "me chama no 11 91234-5678", "11 91234-5678", "phone.national"),
    ("br_area_code_parentheses_split_nine", "meu zap (11) 9 1234-5678", "(11) 9 1234-5678", "phone.national"),
    # words and digits mixed, in several languages
    ("english_words_and_digits_alternating", "call me nine 8 seven 6 five 4 three 2 one 0",
     "nine 8 seven 6 five 4 three 2 one 0", "phone.spelled_words"),
    ("english_words_indian_mobile", "my number nine eight seven six five four three two one zero",
     "nine eight seven six five four three two one zero", "phone.spelled_words"),
    ("english_words_double", "zero three double zero one two three four five six seven",
     "zero three double zero one two three four five six seven", "phone.spelled_words"),
    ("hindi_latin_words", "nau aath saat chhe paanch chaar teen do ek shunya",
     "nau aath saat chhe paanch chaar teen do ek shunya", "phone.spelled_words"),
    ("hindi_latin_words_then_digits", "mera number nau aath saat 6 5 4 3 2 1 0 hai", "nau aath saat 6 5 4 3 2 1 0",
     "phone.spelled_words"),
    ("spanish_words", "llama al seis uno dos tres cuatro cinco seis siete ocho",
     "seis uno dos tres cuatro cinco seis siete ocho", "phone.spelled_words"),
    ("german_words_with_umlaut", "ruf mich an: null eins fünf eins zwei drei vier fünf sechs sieben",
     "null eins fünf eins zwei drei vier fünf sechs sieben", "phone.spelled_words"),
    # letters standing in for digits
    ("letters_o_and_l_at_the_end", "my num is 98765 432lO", "98765 432lO", "phone.letter_digits"),
    ("letters_o_and_l_in_pk_mobile", "call me at O3OO-l234567", "O3OO-l234567", "phone.letter_digits"),
    # glued to a cue written without blanks, to a cue's last word, or to a messenger reached by number
    ("glued_to_despaced_cue", "textme4155550188pls", "4155550188", "phone.national"),
    ("glued_to_cue_tail", "call karo9876543210abhi", "9876543210", "phone.national"),
    ("glued_to_turkish_cue", "numaram05421234567", "05421234567", "phone.national"),
    ("glued_to_messenger", "viber0671234567 ok", "0671234567", "phone.national"),
    ("glued_to_messenger_abbreviation", "wa081298765432 ya", "081298765432", "phone.national"),
    # digit words of more packs, and groups separated by the Arabic or CJK comma
    ("indonesian_words", "nol delapan satu tiga dua dua tiga tiga empat empat", "nol delapan satu tiga dua dua tiga tiga empat empat",
     "phone.spelled_words"),
    ("tagalog_words_commas", "sero siyam isa pito, dalawa tatlo apat, lima anim pito walo",
     "sero siyam isa pito, dalawa tatlo apat, lima anim pito walo", "phone.spelled_words"),
    ("arabic_comma_groups", "صفر خمسة خمسة، تسعة ثمانية سبعة، ستة خمسة أربعة ثلاثة",
     "صفر خمسة خمسة، تسعة ثمانية سبعة، ستة خمسة أربعة ثلاثة", "phone.spelled_words"),
    # a number given in pieces with words between them: a trunk "0" or a "+" opens it, or a cue is near
    ("split_by_words_tagalog", "0917 yung umpisa tapos 555 1234 yung dulo", "0917 yung umpisa tapos 555 1234", "phone.split"),
    ("split_after_a_country_code", "my number's +63, then 917 555 1234", "+63, then 917 555 1234", "phone.split"),
    ("split_over_a_number_read_already", "mein Handy: 0176 und dann 2345 6789", "0176 und dann 2345 6789", "phone.split"),
    ("split_in_bangla_digits", "নম্বর ০১৭১২ তারপর ৩৪৫৬৭৮", "০১৭১২ তারপর ৩৪৫৬৭৮", "phone.split"),
    # ... without a trunk "0", a cue in the text opens it; "..." is a pause, not a sentence's end
    ("split_without_trunk_after_a_cue", "mera number 98765 hai, baaki 43210", "98765 hai, baaki 43210", "phone.split"),
    ("split_over_an_ellipsis", "sdt em 0912 ... à quên, đuôi 557 381 nhé", "0912 ... à quên, đuôi 557 381", "phone.split"),
    # a landline's word, the line's place between it and a short local number (phone_line_words)
    ("landline_word_then_place", "fixo do escritório: 3245-7180 (BH), de manhã", "3245-7180", "phone.national"),
    ("line_word_after_a_weak_cue", "front desk line is 555-0147, ask for Dana", "555-0147", "phone.national"),
    # one group a line, the first after a cue on its own line
    ("groups_over_lines_after_a_cue_on_the_first", "wa ke 0856\n1234\n5678 ya", "0856\n1234\n5678", "phone.national"),
]


@pytest.mark.parametrize(("text", "span", "rule"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_flags_phone_notations(text, span, rule):
    finding = only_phone(text)
    assert text[finding.start : finding.end] == span
    assert finding.rule == rule
    assert finding.severity is Severity.BLOCK
    assert finding.channel == "phone"
    assert finding.mask == "[number removed]"
    assert finding.suggestion
    assert not any(ch.isdigit() for ch in finding.reason)  # reasons never quote the number


CLEAN = [
    ("extension_word_without_digits", "the total is 3356 2290 and the extension adds 12 more screens"),
    ("extension_word_inside_a_word", "the batch 3245 7180 text 12"),
    ("order_id_letters", "order #FO81234567 is late"),
    ("order_id_bare_letters", "FO12345678"),
    ("order_number_label", "order number 1234567890"),
    ("order_id_is", "My order id is 98765432101"),
    ("invoice_label", "Invoice no. 2024031500"),
    ("hash_number", "see #1234567890 in the tracker"),
    ("price_dollar", "$1,250.00"),
    ("price_code_after", "1500 USD"),
    ("price_big_grouped", "The total is 12,345,678 views"),
    ("price_rupees_before", "Rs. 25000000 budget"),
    ("price_label", "The price is 15000000"),
    ("dotted_thousands_amount", "Son 2.500.000 de visitas al mes"),
    ("dotted_thousands_big", "R$ ou 1.250.000.000 no total"),
    ("date_iso", "2024-03-15"),
    ("date_slashes", "15/03/2024"),
    ("date_dots", "due 15.03.2024"),
    ("date_words", "March 15, 2024"),
    ("date_and_time", "Meeting on 2024-03-15 10:30"),
    ("time", "10:30"),
    ("isbn_label", "ISBN 978-3-16-148410-0"),
    ("isbn_bare", "9783161484100"),
    ("ean_checksum", "barcode 4006381333931"),
    ("ean_checksum_bare", "4006381333931"),
    ("tracking_alnum", "tracking 1Z999AA10123456784"),
    ("tracking_digits", "tracking number 9400 1000 0000 0000 0000 00"),
    ("version", "v2.3.14"),
    ("version_four_parts", "1.2.3.4"),
    ("version_label", "version 10.4.12.1234"),
    ("resolution", "1920x1080"),
    ("resolution_spaced", "1920 x 1080 px"),
    ("percentage", "95%"),
    ("ip_address", "192.168.1.1"),
    ("hex_colour", "#FF5733"),
    ("unix_timestamp", "1700000000"),
    ("unix_timestamp_ms", "1700000000123"),
    ("timestamp_label", "timestamp 1699999999"),
    ("placeholder_ascending", "123456789"),
    ("placeholder_zeros", "0000000000"),
    ("placeholder_ten", "1234567890"),
    ("quantity_words", "5000 words"),
    ("quantity_revisions", "3 revisions"),
    ("quantity_big_views", "50000000 views"),
    ("range_budget", "budget 100000-250000"),
    ("range_bare", "Range 1000000-2000000"),
    ("card_number", "Card 4111 1111 1111 1111"),
    ("list_of_small_numbers", "I'll deliver in 3 days, 2 revisions, 1 source file"),
    ("spelled_small_count", "I have done one two three of them"),
    ("number_of_revisions", "the number of revisions is 3"),
    ("short_digits_with_cue", "call me in 5 minutes"),
    ("url_path_number", "fiverr.com/orders/12345678901"),
    ("word_oh_around_digits", "oh 2 or 3 files, o well"),
    ("zip_code", "zip 94107"),
    ("seven_digit_no_cue", "ticket 5550132 updated"),
    ("bare_random_eight_digits", "ref 48293018"),
    ("numbered_list", "Number the slides 1 2 3 4 5 6 7 8 9 10"),
    ("numbered_list_with_weak_cue", "slide number: 1 2 3 4 5 6 7 8 9 10"),
    ("round_amount_near_strong_cue", "our whatsapp group has 2500000 members"),
    ("round_amount_no_unit", "our whatsapp channel reached 2500000"),
    ("countdown_words", "ten nine eight seven six five four three two one"),
    ("step_list", "sizes 10, 20, 30, 40, 50, 60, 70"),
    ("cpf_shape", "CPF 123.456.789-09"),
    ("ssn_shape", "SSN 123-45-6789"),
    ("cnic_shape", "35202-1234567-1"),
    ("spanish_order_and_invoice", "Mi número de pedido es 4471 y la factura 2024-117"),
    ("german_invoice", "Rechnungsnummer 2024001234"),
    ("sample_local_only_international", 'In the JSON: {"phone": "+1-555-0100"}'),
    ("lines_without_cue", "Totals:\n2019\n2020 2021"),
    ("tracking_code_before_digits", "tracking number 1Z 999 AA1 01 2345 6784"),
    ("decimal_list", "0.5 0.25 0.125 0.0625"),
    ("phone_as_product_word", "Phone screen 1080 2400 needs a new mockup"),
    ("call_far_from_short_number", "Call of Duty thumbnail, ref 5550132 in the brief"),
    # labels in many languages
    ("spanish_order_number_word", "pedido número 98765432101"),
    ("russian_order_then_number_word", "заказ номер 123-45-67 оплачен"),
    ("turkish_order_then_number_word", "sipariş numarası 0532 123 45 67"),
    ("french_order_number", "numéro de commande 1234567890"),
    ("french_order_number_sign", "N° de commande 0612345678"),
    ("german_order_label_on_a_mobile_shape", "Bestellnummer: 0171 2345678"),
    ("spanish_reference", "Referencia: 0300 1234567"),
    ("spanish_invoice", "factura 0300123456"),
    ("invoice_hash_on_a_mobile_shape", "Invoice # 0300 1234567"),
    ("account_number_on_a_mobile_shape", "Account no. 0300 1234567"),
    ("model_number", "Model no. 0300 1234567"),
    ("sku_with_label", "SKU 300-1234567"),
    ("item_code_grouped", "Item code 98765-43210"),
    ("amazon_order_id", "Order ID 112-1234567-1234567"),
    # bank details
    ("uk_sort_code_and_account", "sort code 12-34-56, account 12345678"),
    ("india_ifsc_and_account", "IFSC SBIN0001234 acc 12345678901"),
    # lakh / crore amounts
    ("lakh_amount", "Total: 1,50,000 INR"),
    ("lakh_amount_words_after", "budget is 12,50,000 rupees"),
    ("lakh_amount_rupee_suffix", "Rs. 2,50,000/- only"),
    ("gst_on_lakh_amount", "GST 18% on 1,18,000"),
    # dates and times
    ("iso_date", "deadline 2024-03-15"),
    ("dotted_date", "delivered on 15.03.2024"),
    ("us_date_and_time", "on 03/15/2024 at 10:30"),
    ("slashed_iso_date", "2024/03/15"),
    ("dashed_date", "15-03-2024 delivery"),
    ("time_range", "between 10:30 - 11:45"),
    # other numbers
    ("word_count_range", "from 10000-15000 words"),
    ("windows_build_version", "version 10.0.19045.3803"),
    ("isbn_hyphenated", "ISBN 978-3-16-148410-0"),
    ("page_list", "page 1 2 3 4 5 6 7 8"),
    ("employee_number_on_a_mobile_shape", "Employee no 0300 1234567"),
    ("file_size_in_bytes_after_a_phone_word", "My phone died, sorry for the delay. The file is 12345678 bytes"),
    # glued to a word that is no cue and no messenger: a code
    ("code_glued_to_letters", "use promo SAVE0612345678 at checkout"),
    # tax and company registration numbers
    ("dutch_chamber_of_commerce", "KvK-nummer 87654321 staat op de factuur"),
    ("polish_tax_id", "NIP 526-104-08-28 na fakturze"),
    ("russian_tax_id", "ИНН 500100732259 в договоре"),
    ("vietnamese_tax_code", "mã số thuế 0301234567 trên hóa đơn"),
    ("korean_business_number", "사업자등록번호 220-81-62517 입니다"),
    ("german_vat_id", "USt-IdNr 123456789 steht im Impressum"),
    # digit groups with words between them that are no number: hours, a piece named otherwise, a label
    ("split_hours", "open 0930 to 1230 and 1430 to 1830"),
    ("split_piece_named_otherwise", "0917 daw yung model tapos 1234567 yung serial"),
    ("split_after_a_label", "the serial is 0917 then 2345678 on the back"),
    ("split_quantities", "I bought 250 units then 300 more and then 450"),
    ("postal_code_label_over_place_words", "o CEP da loja é 01310-100, coloca no mapa"),
    ("split_piece_named_after_an_ellipsis", "Rechnung 0151 ... und Artikel 234 56789"),
    ("split_without_trunk_or_cue", "page 98765 then section 43210"),
    ("groups_over_lines_without_a_cue_before", "stok 0120\n340\n560 pcs, wa ke gudang"),
    # a label, "my" and a copula or topic particle before an id-shaped number
    ("label_my_copula_tagalog", "ang order number ko po ay 0917123, paki-check"),
    ("label_topic_particle_japanese", "注文番号は 1234-5678-9012 です"),
    ("label_my_copula_indonesian", "no resi saya adalah 0812345678901"),
    # a cue's letters going on in a Latin letter normalize() keeps: "zap" in "zapłaty" (pl: payment)
    ("cue_inside_polish_word", "zostało do zapłaty 555 0132"),
    ("spoken_dots_in_a_version", "version four dot five dot one ships on friday"),
    ("spoken_dash_in_a_page_range", "pages 12 dash 48 need the new header, then 50 dash 61"),
]


@pytest.mark.parametrize("text", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_leaves_numbers_that_are_not_phones_clean(text):
    assert phones(text) == []


PREFIXES = [*ASTRAL_AND_COMBINING_PREFIXES, ("arabic_text", "رقمي ")]
FORMS = [
    "+44 20 7946 0958",
    "(415) 555-0132",
    "4.1.5.5.5.5.0.1.3.2",
    "nine eight seven six five four three two one zero",
    "٠٣٠٠ ١٢٣٤٥٦٧",
    "4l5 555 Ol32",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("prefix", [p[1] for p in PREFIXES], ids=[p[0] for p in PREFIXES])
def test_span_points_into_original_after_astral_and_combining_characters(prefix, form):
    text = prefix + "my number: " + form + " 🙏"
    finding = only_phone(text)
    start = len(prefix) + len("my number: ")
    assert (finding.start, finding.end) == (start, start + len(form))


def test_two_numbers_separated_by_a_comma_are_two_findings():
    text = "numbers: 0300-1234567, 0311-7654321"
    spans = sorted(text[f.start : f.end] for f in phones(text))
    assert spans == ["0300-1234567", "0311-7654321"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Order 12345\n+44 20 7946 0958", ["+44 20 7946 0958"]),
        ("ref 12345 +44 20 7946 0958", ["+44 20 7946 0958"]),
        ("call 0300 1234567\n0311 7654321", ["0300 1234567", "0311 7654321"]),
        ("Qty 12\n0300 1234567", ["0300 1234567"]),
        ("415 555 0132 / 415 555 0133", ["415 555 0132", "415 555 0133"]),
        ("+44 20 7946 0958, " + ", ".join(str(i) for i in range(100)), ["+44 20 7946 0958"]),
    ],
    ids=[
        "order_line_then_phone_line",
        "short_number_then_international",
        "two_lines_two_numbers",
        "count_line",
        "slash_between_two_numbers",
        "number_hidden_at_the_head_of_a_long_list",
    ],
)
def test_a_run_that_is_not_one_number_is_read_piece_by_piece(text, expected):
    assert sorted(text[f.start : f.end] for f in phones(text)) == expected


def test_number_next_to_an_order_id_is_still_found():
    text = "Order #FO81234567 is done, call me on +44 20 7946 0958"
    assert text[only_phone(text).start : only_phone(text).end] == "+44 20 7946 0958"


def test_trailing_portuguese_article_is_not_read_as_zero():
    text = "me liga no 11 91234-5678 o quanto antes"
    assert text[only_phone(text).start : only_phone(text).end] == "11 91234-5678"


@pytest.mark.parametrize(
    "text",
    ["1 " * 10000, "1" * 20000, "one two " * 2500, "+1 (" * 5000, "0o" * 10000, "9-" * 10000, "⑩" * 20000],
    ids=["digit_space_run", "digit_block", "digit_words", "plus_parens", "digit_letter_mix", "dash_run", "expanding"],
)
def test_adversarial_long_inputs_finish_and_stay_well_formed(text):
    text = text[:20000]
    for f in phone.detect(Document(text, normalize(text), "message")):
        assert 0 <= f.start < f.end <= len(text)


def test_a_text_stuffed_with_numbers_checks_a_bounded_number_of_them():
    text = "\n".join(f"call 0300 12345{i:02d}" for i in range(100))
    found = sorted(phone.detect(Document(text, normalize(text), "message")), key=lambda c: c.start)
    assert len(found) == phone.MAX_VALIDATIONS
    assert text[found[0].start : found[0].end] == "0300 1234500"


def test_a_lone_surrogate_in_the_text_does_not_stop_the_detector():
    text = "\ud83dx my number is 0300 1234567"
    doc = Document(text, normalize(text), "message")
    found = list(phone.detect(doc))
    assert [text[c.start : c.end] for c in found] == ["0300 1234567"]


def test_a_number_given_twice_is_checked_with_phonenumbers_once_per_analysis(monkeypatch):
    """phonenumbers' parses answer the same for the same digits: the second "0917 123 4567" reuses
    the first one's answer (a text that repeats a number or its pieces asked again and again), and
    both are still found; the next analysis asks afresh (no digits outlive an analysis)."""
    parses = []
    parse = phone.phonenumbers.parse
    monkeypatch.setattr(phone.phonenumbers, "parse", lambda *args: parses.append(args) or parse(*args))
    once = [f.rule for f in phones("my number is 0917 123 4567")]
    asked_once = len(parses)
    twice = phones("my number is 0917 123 4567, again: 0917 123 4567")
    assert once == ["phone.national"] and [f.rule for f in twice] == ["phone.national"] * 2
    assert len(parses) == 2 * asked_once  # the second analysis parsed again, once for both numbers
