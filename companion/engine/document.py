"""The input every detector reads: the original text, its normalized view, and where it is typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.engine.model import direct_init
from companion.engine.view import View


@direct_init
@dataclass(frozen=True, slots=True)
class Document:
    text: str  # exactly what the user typed
    view: View  # normalize(text): lower case, ASCII digits, look-alikes folded, invisibles removed
    surface: str  # message | requirements | delivery | offer | other
    # Values derived from the text that several detectors read (the cue scan), computed by the
    # first reader and kept for the others: it lives and dies with this one analysis.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
