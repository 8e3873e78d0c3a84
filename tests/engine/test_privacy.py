"""No module-level state keeps what the user typed once analyze() returns: no cache of characters
(the old fold cache), no memo of digits (the old lru_cache on phone numbers), no cue scan. A canary
text (a random token, a rare astral character, digits) is analyzed; afterwards no container object
anywhere in the process holds a string with the token or the character."""

from __future__ import annotations

import gc
import secrets
import sys
import types

from companion.engine import analyze


def _analyze_canary(token: str, rare: str, digits: str) -> None:
    texts = [
        f"mail {token}@gmail.com or {token} at gmail dot com, whatsapp +1 415 555 {digits[-4:]}",
        f"{rare}{token}{rare} ｃａｌｌ ⑨⑧⑦⑥⑤④③②①⓪ skype: live:{token} @{token} wa.me/1415555{secrets.randbelow(9000) + 1000}",
        f"{rare} pay me to {token}@okaxis, telegram @{token}, call me at ٠٣٠٠١٢٣٤٥٦٧",
    ]
    for text in texts:
        assert analyze(text, surface="message", allow=["zoom"], platform="Fiverr").findings


def _holders(token: str, rare: str, digits: str = "no digits") -> list[str]:
    """What is reachable from the engine's modules (and phonenumbers', which it calls) and holds a
    string with the token or the rare character. Walked with gc.get_referents, which also sees
    containers the collector does not track (a dict of strings) and the storage of lru_cache."""
    roots = [m for name, m in sorted(sys.modules.items()) if name.startswith(("companion.engine", "phonenumbers"))]
    seen: set[int] = set()
    stack: list[tuple[object, str]] = [(m, m.__name__) for m in roots]
    found = []
    while stack:
        obj, path = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            if token in obj or rare in obj or digits in obj:
                found.append(path)
            continue
        if isinstance(obj, types.ModuleType) and obj not in roots:
            continue  # other modules (builtins, re...) are not the engine's state
        if isinstance(obj, (int, float, bytes, type(None))):
            continue
        if isinstance(obj, dict):  # a dict with only str keys does not report its keys to the gc
            stack.extend((k, path) for k in list(obj))
        for ref in gc.get_referents(obj):
            stack.append((ref, path))
    return found


def test_nothing_keeps_the_text_or_its_characters_after_analyze():
    token = "cq" + secrets.token_hex(6)  # made at run time: no constant of this module holds it
    rare = chr(0x20000 + secrets.randbelow(0x5000))  # a CJK Extension B character no table lists
    digits = f"1415555{secrets.randbelow(9000) + 1000}"  # what a phone memo would keep
    _analyze_canary(token, rare, digits)
    gc.collect()
    assert _holders(token, rare, digits) == []


def test_the_check_can_fail_a_module_level_memo_is_found(monkeypatch):
    import companion.engine.text

    token = "cq" + secrets.token_hex(6)
    rare = chr(0x20000 + secrets.randbelow(0x5000))
    monkeypatch.setattr(companion.engine.text, "_MEMO", {rare: "x", "y": f"x{token}x"}, raising=False)
    assert len(_holders(token, rare)) >= 2
