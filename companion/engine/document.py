"""The input every stage reads: the original text, its normalized view, where it is typed and on
which platform."""

from __future__ import annotations

from typing import Any

from companion.engine.lexicon.files import load_table
from companion.engine.text import View

# How suggestions name the place to talk when the platform has no words of its own listed (no
# platform, or Fiverr's own word).
DEFAULT_CHAT = "the order chat"
# platform -> (the channel that is the platform itself or None, how suggestions name its place to
# talk): data/platform_chats.tsv.
PLATFORMS: dict[str, tuple[str | None, str]] = {
    platform: (None if channel == "-" else channel, place) for platform, channel, place in load_table("platform_chats.tsv")
}
_BY_FOLDED_NAME = {platform.casefold(): entry for platform, entry in PLATFORMS.items()}


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
        """How suggestions name the place to talk: the platform's own words ("Upwork messages",
        "the order chat" on Fiverr), else "the order chat" (a name the engine does not know might be
        another site's, whose chat is off-platform)."""
        listed = _BY_FOLDED_NAME.get(self.platform.casefold()) if self.platform else None
        return listed[1] if listed else DEFAULT_CHAT

    @property
    def home_channel(self) -> str | None:
        """The channel that is the platform the text is written on ("upwork" on Upwork), or None."""
        listed = _BY_FOLDED_NAME.get(self.platform.casefold()) if self.platform else None
        return listed[0] if listed else None

    def worded(self, suggestion: str | None) -> str | None:
        """A detector's suggestion (written with DEFAULT_CHAT) in this platform's words."""
        if suggestion is None or DEFAULT_CHAT not in suggestion:
            return suggestion
        chat = self.chat
        return suggestion if chat == DEFAULT_CHAT else suggestion.replace(DEFAULT_CHAT, chat)
