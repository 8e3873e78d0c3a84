"""The compiled lexicon: what the lexicon stage derives from the data files at import (parsed
language packs, folded grammar lists, the cue automaton's key table, the phone regions' lengths),
kept in ONE generated file so that an import reads it instead of deriving it again (~4× faster).

It works like Python's own bytecode cache: the file lives in lexicon/__pycache__/ (or, where the
package is read-only, in the user's cache directory), is written by the first import that has to
derive the values, and carries the digest of everything they are derived from — every file under
data/, every engine source file, the Python and phonenumbers versions (the automaton itself is
built from the stored key table, so pyahocorasick's version does not matter). A file whose
digest differs is never read: the values are derived again (the same code as without a cache) and
the file replaced. So it cannot go stale, in a fresh clone, a worktree or an installed wheel; nothing
ever needs regenerating by hand. `CONTACT_GUARD_NO_LEXICON_CACHE=1` derives everything at import.

Only data goes in: words, tables and keys from the data files. Nothing a user types is ever stored.
The format is `marshal` (strings, numbers, tuples, lists, dicts only: no code is loaded from it).

    value = compiled.value("name", build)   # build() -> marshal-able data, run only on a miss
    compiled.save()                          # once, at the end of `import companion.engine`
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

FORMAT = 1  # bump when the layout of the stored values changes without an engine source change
_ENGINE = Path(__file__).resolve().parent.parent
_FILE_NAME = "lexicon.cache"


def _digest(engine: Path = _ENGINE) -> bytes:
    """What the stored values are derived from: every data file and engine source file (content
    and relative path), the Python version and phonenumbers' version."""
    import phonenumbers  # its metadata gives the phone regions' lengths; imported by the engine anyway

    h = hashlib.sha256(f"{FORMAT} {sys.version_info[:3]} {sys.implementation.name} {phonenumbers.__version__}".encode())
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


def _read(places: list[Path], digest: bytes) -> dict[str, Any]:
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
            stored = marshal.loads(raw[32:])
        except (EOFError, ValueError, TypeError):
            continue  # a torn or foreign file: derive again
        if isinstance(stored, dict):
            return stored
    return {}


_DIGEST = _digest()
_STORED: dict[str, Any] = _read(_places(), _DIGEST)
_DERIVED: dict[str, Any] = {}  # values derived in this process, for save()


def value(name: str, build: Callable[[], T]) -> T:
    """The stored value `name`, or build() when there is none (then save() stores it)."""
    if name in _STORED:
        return _STORED[name]
    built = _DERIVED[name] = build()
    return built


def save() -> None:
    """Store the values derived in this import (if any), atomically; a place that cannot be
    written is skipped, and with none the next import derives them again (slower, same result)."""
    if not _DERIVED or os.environ.get("CONTACT_GUARD_NO_LEXICON_CACHE"):
        return
    payload = _DIGEST + marshal.dumps({**_STORED, **_DERIVED})
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
