"""What the engine produces: one `Finding` type from the detector that proposes it to the wire, and
the `Report` that carries them.

A detector proposes a finding with the severity its evidence is worth on its own (an identifier
`block`, a request `warn`, an allowed exception or filter advice `info`); the context stage notes the
cues around it (`cues`); the policy settles the final severity (or drops the finding) from the kind,
the cues, the surface and `allow`.
"""

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


NO_CUES: frozenset[str] = frozenset()


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
    # What the context stage found around the span ("rule_talk", "negated", "past", "quoted",
    # "placed_in_work"); read by the policy, never sent on the wire.
    cues: frozenset[str] = field(default=NO_CUES, compare=False, repr=False)

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
