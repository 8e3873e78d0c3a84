"""What the engine produces: findings, reports, and the candidates detectors hand to the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Kind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    HANDLE = "handle"
    LINK = "link"
    OFFPLATFORM_REQUEST = "offplatform_request"
    PAYMENT = "payment"
    FILTER_RISK = "filter_risk"


class Severity(IntEnum):
    """Ordered so that max() gives the report's verdict."""

    OK = 0
    INFO = 1
    WARN = 2
    BLOCK = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Strength(IntEnum):
    """How concrete a candidate is, before the policy looks at context.

    IDENTIFIER: a concrete off-platform id or payment destination (an address, a number, a handle).
    REQUEST:    asking or offering to move off-platform, or off-platform payment talk, without an id.
    EXCEPTION:  something allowed by design (a file-hosting link for a large delivery).
    ADVICE:     benign text the platform's naive filter would still hold (filter_risk).
    """

    ADVICE = 0
    EXCEPTION = 1
    REQUEST = 2
    IDENTIFIER = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """A detector's raw match. Offsets are in the ORIGINAL text (detectors map them back)."""

    kind: Kind
    strength: Strength
    start: int
    end: int
    rule: str
    reason: str
    channel: str | None = None
    suggestion: str | None = None
    mask: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    severity: Severity
    start: int  # code points, into the original text
    end: int
    rule: str  # stable dotted id, e.g. "email.spelled_at_dot"
    reason: str  # one plain sentence for the user
    channel: str | None = None
    suggestion: str | None = None
    mask: str | None = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "severity": self.severity.label,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "channel": self.channel,
            "reason": self.reason,
            "suggestion": self.suggestion,
            "mask": self.mask,
        }


@dataclass(frozen=True, slots=True)
class Report:
    findings: tuple[Finding, ...] = field(default=())

    @property
    def severity(self) -> Severity:
        return max((f.severity for f in self.findings), default=Severity.OK)

    @property
    def verdict(self) -> str:
        """"block", "warn", "info" or "ok"."""
        return self.severity.label

    @property
    def flagged(self) -> bool:
        """True when the user should be warned (block or warn)."""
        return self.severity >= Severity.WARN


SURFACES = frozenset({"message", "requirements", "delivery", "offer", "other"})
MAX_TEXT_CHARS = 20_000
