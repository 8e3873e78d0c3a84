"""The compiled lexicon: what the lexicon stage derives from the data files at import (parsed
language packs, folded grammar lists, the cue automaton's key table, the phone regions' lengths),
kept in ONE generated file so that an import reads it instead of deriving it again (~4× faster).

It works like Python's own bytecode cache: the file lives in lexicon/__pycache__/ (or, where the
package is read-only, in the user's cache directory), is written by the first import that has to
derive the values, and carries the digest of everything they are derived from — every file under
data/, every engine source file, the Python and phonenumbers versions and pyahocorasick's binary. A file whose
digest differs is never read: the values are derived again (the same code as without a cache) and
the file replaced. So it cannot go stale, in a fresh clone, a worktree or an installed wheel; nothing
ever needs regenerating by hand. `CONTACT_GUARD_NO_LEXICON_CACHE=1` derives everything at import.

Only data goes in: words, tables and keys from the data files, the cue automaton built from them, and
the compiled form of the engine's own regular expressions (below). Nothing a user types is ever stored. The format is pickle, read by an unpickler that refuses every
class but pyahocorasick's Automaton (strings, numbers, tuples, lists, dicts and the automaton: no
code can be loaded from the file).

    value = compiled.value("name", build)   # build() -> data (or the automaton), run only on a miss
    compiled.save()                          # once, at the end of `import companion.engine`

Regular expressions: Python compiles a pattern with a parser written in Python, and the engine's
patterns, built from the lexicon's words, are large — compiling them was ~70 % of an import. Like the
bytecode of a module, their compiled form (the regex engine's code: a list of numbers) is kept in the
file with the pattern's source and rebuilt with the regex engine's own constructor, the last step of
`re.compile`. A pattern built so is equal (`==`: same source, flags and code) to what `re.compile`
returns; the digest includes the regex engine's version, and anything unexpected falls back to
`re.compile`.

    pattern = regex(source, flags)  # == re.compile(source, flags); the engine's modules call it
                                    # for every pattern they build

Only while the engine is being imported (until save()) is a pattern not yet in the file compiled and
kept for it; a pattern built after that (a function called per message) is compiled by re.compile
as usual and kept nowhere here.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import os
import re
import sys
from array import array
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import _sre

T = TypeVar("T")

FORMAT = 1  # bump when the layout of the stored values changes without an engine source change
_ENGINE = Path(__file__).resolve().parent.parent
_FILE_NAME = "lexicon.cache"


def _digest(engine: Path = _ENGINE) -> bytes:
    """What the stored values are derived from: every data file and engine source file (content
    and relative path), the Python version and phonenumbers' version."""
    import ahocorasick  # the stored automaton is in its own format
    import phonenumbers  # its metadata gives the phone regions' lengths; both are imported by the engine anyway

    h = hashlib.sha256(
        f"{FORMAT} {sys.version_info[:3]} {sys.implementation.name} {_sre.MAGIC} {_sre.CODESIZE} {phonenumbers.__version__}".encode()
    )
    h.update(Path(ahocorasick.__file__).read_bytes())
    files = sorted(
        [p for p in (engine / "data").rglob("*") if p.is_file()] + [p for p in engine.rglob("*.py") if "__pycache__" not in p.parts]
    )
    for path in files:
        h.update(b"\0" + path.relative_to(engine).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.digest()


def _places() -> list[Path]:
    """Where the file may be: beside the lexicon's bytecode, then the user's cache directory."""
    places = [Path(__file__).resolve().parent / "__pycache__" / _FILE_NAME]
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or str(Path.home() / ".cache")
    places.append(Path(cache_home) / "contact-guard" / f"{hashlib.sha256(str(_ENGINE).encode()).hexdigest()[:16]}-{_FILE_NAME}")
    return places


def _read(places: list[Path], digest: bytes) -> dict[Hashable, Any]:
    """The stored values of the first place whose file carries `digest`, or {}."""
    if os.environ.get("CONTACT_GUARD_NO_LEXICON_CACHE"):
        return {}
    for place in places:
        try:
            raw = place.read_bytes()
        except OSError:
            continue
        if raw[:32] != digest:
            continue
        try:
            stored = _Unpickler(io.BytesIO(raw[32:])).load()
        except Exception:  # a torn or foreign file (pickle raises many kinds): derive again
            continue
        if isinstance(stored, dict):
            return stored
    return {}


class _Unpickler(pickle.Unpickler):
    """Data and the automaton only: any other class or function named in the file is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("ahocorasick", "Automaton"):
            import ahocorasick

            return ahocorasick.Automaton
        raise pickle.UnpicklingError(f"{module}.{name} is not lexicon data")


_DIGEST = _digest()
_STORED: dict[Hashable, Any] = _read(_places(), _DIGEST)
_DERIVED: dict[Hashable, Any] = {}  # values derived in this process, for save()
_importing = True  # until save(): the engine's modules are being imported


def value(name: Hashable, build: Callable[[], T]) -> T:
    """The stored value `name`, or build() when there is none (then save() stores it)."""
    if name in _STORED:
        return _STORED[name]
    built = _DERIVED[name] = build()
    return built


def regex(source: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(source, flags); while the engine is imported, built from the stored code when the
    file has it (see the module's docstring) and stored by save() when it has not. After the import
    it is re.compile itself: a pattern built per message goes through re's own cache, and is kept
    nowhere here. Lexicon patterns only, never user text."""
    if not _importing:
        return re.compile(source, flags)
    return stored_regex(source, flags)


def stored_regex(source: str, flags: int = 0) -> re.Pattern[str]:
    """A lexicon pattern built from its stored code, compiled (and stored by the next save()) when
    the file has none: the engine's import and a LazyPattern's first use."""
    key = ("regex", source, int(flags))
    stored = _STORED.get(key) or _DERIVED.get(key)
    try:
        if stored is None:
            stored = _DERIVED[key] = _regex_code(source, int(flags))
        final_flags, code, groups, groupindex, indexgroup = stored
        return _sre.compile(source, final_flags, array(_CODE_TYPE, code).tolist(), groups, groupindex, indexgroup)
    except Exception:  # another regex engine than the one the code was made for: compile as usual
        _DERIVED.pop(key, None)
        return re.compile(source, flags)


_CODE_TYPE = {2: "H", 4: "I", 8: "Q"}.get(_sre.CODESIZE, "I")


def _regex_code(source: str, flags: int) -> tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]:
    """What re.compile(source, flags) hands the regex engine's constructor (re._compiler.compile)."""
    from re import _compiler, _parser

    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, array(_CODE_TYPE, code).tobytes(), parsed.state.groups - 1, groupindex, tuple(indexgroup)


_LATER: set[tuple[str, int]] = set()  # patterns compiled on first use (files.LazyPattern)


def regex_later(source: str, flags: int = 0) -> None:
    """A pattern that will be compiled on first use with stored_regex(): a save() stores its code too."""
    _LATER.add((source, int(flags)))


def save() -> None:
    """Store the values derived in this import (if any), atomically; a place that cannot be
    written is skipped, and with none the next import derives them again (slower, same result).
    Ends the import: regex() keeps no new pattern after it."""
    global _importing
    try:
        _store()
    finally:
        _importing = False


def _store() -> None:
    if os.environ.get("CONTACT_GUARD_NO_LEXICON_CACHE"):
        return
    for source, flags in _LATER:  # so that their first use reads their code too
        if ("regex", source, flags) not in _STORED:
            stored_regex(source, flags)
    if not _DERIVED:
        return
    payload = _DIGEST + pickle.dumps({**_STORED, **_DERIVED}, protocol=pickle.HIGHEST_PROTOCOL)
    for place in _places():
        temp = place.with_name(f"{place.name}.{os.getpid()}.tmp")
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(payload)
            os.replace(temp, place)  # atomic: a concurrent import reads the old file or the new one
        except OSError:
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                pass
            continue
        _STORED.update(_DERIVED)
        _DERIVED.clear()
        return
