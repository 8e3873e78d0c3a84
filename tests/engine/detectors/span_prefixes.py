"""Text put before a finding to check that its span still points into the original text: astral
characters (two UTF-16 units, one code point), combining marks and invisibles that normalization
folds or drops. Shared by the detector tests; each adds the prefixes its own family cares about."""

ASTRAL_AND_COMBINING_PREFIXES = [
    ("emoji", "😀 "),
    ("skin_tone_emoji", "👍🏽👍🏽 "),
    ("zwj_flag", "🏳️‍🌈 "),
    ("math_double_struck", "𝕏𝔸 "),
    ("combining_acute", "Jose\u0301 says "),
    ("zero_width_space", "hi\u200b\u200b "),
    ("fullwidth_words", "ｈｅｌｌｏ "),
]
