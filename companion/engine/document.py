"""The input every stage reads: the original text, its normalized view, where it is typed and on
which platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.engine.text import View


@dataclass(frozen=True, slots=True)
class Document:
    text: str  # exactly what the user typed
    view: View  # normalize(text): lower case, ASCII digits, look-alikes folded, invisibles removed
    surface: str  # message | requirements | delivery | offer | other
    platform: str | None = None  # the marketplace's name for suggestions ("Fiverr"), or None
    # Values derived from the text that several stages read (the cue scan), computed by the first
    # reader and kept for the others: it lives and dies with this one analysis.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def chat(self) -> str:
        """How suggestions name the place to talk: "the Fiverr chat", or "the order chat"."""
        return f"the {self.platform} chat" if self.platform else "the order chat"
