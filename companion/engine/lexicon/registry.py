"""The channel registry (data/channels.json): every off-platform channel with its label,
categories, aliases, and the domains (with the path that identifies one person or meeting) that
lead to it, plus the file-hosting domains. Loaded once, at import."""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.engine.lexicon.files import LazyPattern, load_json


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    label: str
    categories: frozenset[str]



REGISTRY = load_json("channels.json")

CHANNELS: dict[str, Channel] = {
    c["name"]: Channel(c["name"], c["label"], frozenset(c["categories"])) for c in REGISTRY["channels"]
}

# Channels whose ids are numbers (a QQ number): digits after their cue are an id.
NUMERIC_IDS: frozenset[str] = frozenset(c["name"] for c in REGISTRY["channels"] if c.get("numeric_ids"))
NAMED_PROFILES: frozenset[str] = frozenset(c["name"] for c in REGISTRY["channels"] if c.get("named_profiles"))

FILE_HOSTING: frozenset[str] = frozenset(REGISTRY["file_hosting"]["domains"])

# Links to a profile on sites the registry does not list: path segments, page words, reference hosts.
PROFILE_SITES: dict[str, list[str]] = REGISTRY["profile_sites"]

# An app's own link scheme -> its channel ("viber://chat?number=...").
APP_SCHEMES: dict[str, str] = REGISTRY["app_schemes"]

# host -> (channel name, regex of an identifying path (compiled when first used: a message names
# one or two of these hosts), or None when the bare host is enough)
DOMAINS: dict[str, tuple[str, re.Pattern[str] | None]] = {
    host: (c["name"], LazyPattern(path) if path else None)
    for c in REGISTRY["channels"]
    for host, path in c["domains"].items()
}


def channels_in(*categories: str) -> frozenset[str]:
    """Names of the channels in any of these categories."""
    return frozenset(c.name for c in CHANNELS.values() if c.categories & set(categories))


def label(channel: str | None) -> str:
    found = CHANNELS.get(channel or "")
    return found.label if found else "another app"


def category_of(channel: str | None) -> frozenset[str]:
    found = CHANNELS.get(channel or "")
    return found.categories if found else frozenset()


