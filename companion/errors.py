"""Every exception Contact Guard raises on purpose, in one tree.

    ContactGuardError
    ├── TextTooLongError      analyze() got more than MAX_TEXT_CHARS characters
    ├── UnknownSurfaceError   analyze() got a surface that is not in SURFACES
    ├── ConfigError           the config dir, config.json or pairing token cannot be used
    ├── ProtocolError         a client message is not protocol version 2: carries the wire error
    │                         `code` and a fixed `detail` (never anything from the message)
    └── NotTheCompanion       (companion/client.py) the peer did not prove the pairing token

Messages never quote the user's text: they say what was wrong, not what was typed.
"""

from __future__ import annotations


class ContactGuardError(Exception):
    """Base class of every error raised on purpose by the companion."""


class TextTooLongError(ContactGuardError, ValueError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"text is {length} characters long; the limit is {limit}")
        self.length = length
        self.limit = limit


class UnknownSurfaceError(ContactGuardError, ValueError):
    def __init__(self, surface: str) -> None:
        super().__init__(
            f"unknown surface {surface[:40]!r}; expected message, requirements, delivery, offer or other"
        )
        self.surface = surface


class ConfigError(ContactGuardError):
    """The config dir or the pairing token cannot be used."""


class ProtocolError(ContactGuardError):
    """A message that breaks protocol version 2; `code` is the wire error code, `detail` one of
    protocol.BAD_MESSAGE_DETAILS (or another fixed sentence): never a value from the message."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
