"""The input every stage reads: the original text, its normalized view, where it is typed and on
which platform."""

from __future__ import annotations

from typing import Any

from companion.engine.text import View


class Document:
    """Read by every stage, changed by none (its memo apart). A plain class with slots: a frozen
    dataclass sets each field through object.__setattr__, and building one cost ~5x as much (a few
    microseconds of every message)."""

    __slots__ = ("text", "view", "surface", "platform", "memo")

    def __init__(self, text: str, view: View, surface: str, platform: str | None = None) -> None:
        self.text = text  # exactly what the user typed
        self.view = view  # normalize(text): lower case, ASCII digits, look-alikes folded, invisibles removed
        self.surface = surface  # message | requirements | delivery | offer | other
        self.platform = platform  # the marketplace's name for suggestions ("Fiverr"), or None
        # Values derived from the text that several stages read (the cue scan), computed by the first
        # reader and kept for the others: it lives and dies with this one analysis.
        self.memo: dict[Any, Any] = {}  # keys: names of derived values, or a detector (detectors.base.found_by)

    @property
    def chat(self) -> str:
        """How suggestions name the place to talk: "the Fiverr chat", or "the order chat"."""
        return f"the {self.platform} chat" if self.platform else "the order chat"
