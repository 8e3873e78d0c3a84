"""The input every detector reads: the original text, its normalized view, and where it is typed."""

from __future__ import annotations

from dataclasses import dataclass

from companion.engine.view import View


@dataclass(frozen=True, slots=True)
class Document:
    text: str  # exactly what the user typed
    view: View  # normalize(text): lower case, ASCII digits, look-alikes folded, invisibles removed
    surface: str  # message | requirements | delivery | offer | other
