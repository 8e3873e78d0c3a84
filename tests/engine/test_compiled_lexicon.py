"""The compiled lexicon (companion/engine/lexicon/compiled.py): what an import reads from the
generated file is exactly what the data files and sources give when derived afresh, a file derived
from other inputs is never read, and a fresh interpreter writes the file and then reads it."""

from __future__ import annotations

import json
import pickle
import os
import re
import shutil
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path
from re import _compiler as re_compiler

from companion.engine.detectors import phone
from companion.engine.lexicon import automaton, compiled, files, grammar, packs

ENGINE = Path(compiled.__file__).resolve().parent.parent


def test_the_values_in_use_equal_a_fresh_derivation_from_the_data_files():
    """Whether this process read them from the file or derived them, they are what the current data
    files and sources give: the file is never stale."""
    assert [astuple(p) for p in packs.PACKS.values()] == [astuple(p) for p in packs._load().values()]
    assert grammar.GRAMMAR == grammar._grammar()
    # (less the anywhere automaton's placeholder keys, which carry no hit: see test_prechecks)
    both = [(key, found) for key, found in [*automaton.AUTOMATON.items(), *automaton.ANYWHERE.items()] if found[1]]
    assert {key: value for key, (_, value) in both} == automaton._key_table()
    assert len(both) == len(automaton._key_table())  # no key in both
    assert automaton.OPEN_KEYS == any(key[0] != " " or key[-1] != " " for key in automaton._key_table())
    assert [(r, t, tuple(sorted(lengths)), m, tuple(sorted(local))) for r, t, lengths, m, local in phone._REGION_LENGTHS] == phone._region_table()
    alternations = [(key[1], source) for key, source in compiled._STORED.items() if isinstance(key, tuple) and key[0] == "alternation"]
    for words, source in alternations:
        assert source == files._first_characters_gate(words) + files._alternation(words)


def test_the_digest_covers_every_data_file_and_source(tmp_path):
    copy = tmp_path / "engine"
    shutil.copytree(ENGINE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert compiled._digest(copy) == compiled._digest(ENGINE)  # where it lies does not matter
    pack = copy / "data" / "lang" / "es.toml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    after_data = compiled._digest(copy)
    assert after_data != compiled._digest(ENGINE)
    source = copy / "text.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert compiled._digest(copy) not in (after_data, compiled._digest(ENGINE))


def test_a_file_of_other_inputs_or_torn_is_not_read(tmp_path):
    digest = compiled._digest()
    good, stale, torn = tmp_path / "good", tmp_path / "stale", tmp_path / "torn"
    good.write_bytes(digest + pickle.dumps({"x": (1, "a")}))
    stale.write_bytes(b"\0" * 32 + pickle.dumps({"x": (2, "b")}))
    torn.write_bytes(digest + pickle.dumps({"x": (3, "c")})[:-3])
    assert compiled._read([stale, good], digest) == {"x": (1, "a")}
    assert compiled._read([torn, tmp_path / "missing"], digest) == {}
    assert compiled._read([stale], digest) == {}


def test_a_file_naming_code_is_refused(tmp_path):
    """Only data and the automaton are read: a pickle that would call a function is not."""
    digest = compiled._digest()
    evil = tmp_path / "evil"
    evil.write_bytes(digest + pickle.dumps({"x": os.getcwd}))  # any global other than the automaton
    assert compiled._read([evil], digest) == {}


def _import_in_fresh_interpreter(env: dict[str, str]) -> dict:
    code = (
        "import json, companion.engine as e; from companion.engine.lexicon import compiled as c;"
        "r = e.analyze('add me on whatsapp +44 20 7946 0958');"
        "print(json.dumps({'read': sorted(k for k in c._STORED if isinstance(k, str)), 'verdict': r.verdict, 'derived': len(c._DERIVED)}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_fresh_interpreter_reads_the_stored_values_and_finds_the_same(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("CONTACT_GUARD_NO_LEXICON_CACHE", None)
    first = _import_in_fresh_interpreter(env)
    second = _import_in_fresh_interpreter(env)
    assert first["verdict"] == second["verdict"] == "block"
    assert set(second["read"]) >= {"automata", "grammar", "packs", "phone_regions"}
    assert second["derived"] == 0  # nothing compiled, lazily compiled patterns included
    no_cache = _import_in_fresh_interpreter({**env, "CONTACT_GUARD_NO_LEXICON_CACHE": "1"})
    assert no_cache["read"] == [] and no_cache["verdict"] == "block"


def test_an_import_that_reads_the_file_derives_nothing_and_leaves_it_as_it_is(tmp_path):
    """Whatever the process's string hashing (a word list built from a set comes in another order in
    every process), the stored keys match: an import that found the file writes nothing."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("CONTACT_GUARD_NO_LEXICON_CACHE", None)
    _import_in_fresh_interpreter({**env, "PYTHONHASHSEED": "1"})  # writes the file if it is missing or stale
    place = next(p for p in compiled._places() if p.exists() and p.read_bytes()[:32] == compiled._DIGEST)
    written = place.read_bytes()
    for seed in ("2", "3"):
        _import_in_fresh_interpreter({**env, "PYTHONHASHSEED": seed})
        assert place.read_bytes() == written


def test_save_stores_what_was_derived_where_it_can_write(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file, so nothing can be written below it")
    target = tmp_path / "cache" / "lexicon.cache"
    monkeypatch.setattr(compiled, "_places", lambda: [blocked / "lexicon.cache", target])
    monkeypatch.setattr(compiled, "_STORED", {})
    monkeypatch.setattr(compiled, "_DERIVED", {})
    monkeypatch.setattr(compiled, "_LATER", set())
    monkeypatch.delenv("CONTACT_GUARD_NO_LEXICON_CACHE", raising=False)
    assert compiled.value("words", lambda: ("a", "b")) == ("a", "b")
    compiled.save()
    assert compiled._read([target], compiled._DIGEST) == {"words": ("a", "b")}
    assert not list(tmp_path.rglob("*.tmp"))
    assert json.dumps(compiled.value("words", lambda: ("never", "built"))) == '["a", "b"]'


def test_unspaced_reads_the_same_ranges_as_the_regex_class():
    import re

    pattern = re.compile(automaton.UNSPACED_CHARS)
    for code in [*range(0x1000, 0x10000, 7), 0x1100, 0x11FF, 0x3040, 0xD7AF, 0xFAFF, 0xFB00, 0x20000]:
        if 0xD800 <= code < 0xE000:
            continue
        assert automaton.unspaced(chr(code)) == (pattern.search(chr(code)) is not None), hex(code)


def _engine_patterns() -> dict[str, re.Pattern]:
    """Every pattern the engine's modules hold (module globals, lazily compiled ones forced, and the
    registry's per-host path patterns), by where it is."""
    import companion.engine  # noqa: F401  (all of its modules)
    from companion.engine.lexicon.registry import DOMAINS

    found: dict[str, re.Pattern] = {}
    holders = {f"{name}.{attr}": value for name, module in sorted(sys.modules.items()) if name.startswith("companion.engine")
               for attr, value in vars(module).items()}
    holders |= {f"DOMAINS[{host}]": path for host, (_, path) in DOMAINS.items() if path is not None}
    for where, value in holders.items():
        if isinstance(value, files.LazyPattern):
            value = value.search.__self__  # compiles it now: a pattern that cannot compile fails here
        if isinstance(value, re.Pattern):
            found[where] = value
    return found


def test_every_pattern_of_the_engine_is_what_re_compile_makes_of_its_source():
    """Built from stored code or compiled on first use, each pattern equals (same source, flags and
    regex code) a fresh compilation of its source: none is missing, stale or wrong."""
    patterns = _engine_patterns()
    assert len(patterns) > 200
    for where, pattern in patterns.items():
        assert pattern == re_compiler.compile(pattern.pattern, pattern.flags), where


def test_the_stored_code_of_every_pattern_is_what_the_regex_compiler_makes():
    stored = [key for key in {**compiled._STORED, **compiled._DERIVED} if isinstance(key, tuple) and key[0] == "regex"]
    assert len(stored) > 200
    for _, source, flags in stored:
        assert compiled.stored_regex(source, flags) == re_compiler.compile(source, flags), source[:80]


def test_after_the_import_regex_compiles_as_usual_and_keeps_nothing():
    """A pattern built after the import (a function called per message) is not kept: the file holds
    the engine's own patterns only, and nothing derived from a message stays alive here."""
    source = "(?:zz|yy)+k"
    pattern = compiled.regex(source, re.I)
    assert pattern == re_compiler.compile(source, re.I)
    assert ("regex", source, int(re.I)) not in {**compiled._STORED, **compiled._DERIVED}


def test_the_engine_builds_its_patterns_with_regex():
    """re.compile in an engine module would be parsed again at every import (the import target):
    the modules call the lexicon's regex(), which reads the stored code."""
    engine = Path(compiled.__file__).resolve().parent.parent
    direct = [str(path.relative_to(engine)) for path in engine.rglob("*.py")
              if path.name != "compiled.py" and re.search(r"(?<![\w.])re\.compile\(", path.read_text(encoding="utf-8"))]
    assert not direct, direct
