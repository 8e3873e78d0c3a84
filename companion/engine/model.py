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
    # "placed_in_work", "order_paid"...); read by the policy, never sent on the wire.
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


def _set_slots() -> None:
    """Finding.__init__ with the same parameters, setting each field through its slot's own
    descriptor. The dataclass's generated __init__ of a frozen class sets each through
    object.__setattr__ (its own __setattr__ refuses): ~2.5x as slow, and a message builds one or two
    findings (a detector's, then the context's and the policy's copies). Equality, hashing, repr and
    the refusal to change a field after __init__ stay the dataclass's."""
    slots = Finding.__dict__
    set_kind, set_severity, set_start, set_end, set_rule, set_reason, set_channel, set_suggestion, set_mask, set_cues = (
        slots[name].__set__ for name in ("kind", "severity", "start", "end", "rule", "reason", "channel", "suggestion", "mask", "cues")
    )

    def __init__(
        self: Finding,
        kind: Kind,
        severity: Severity,
        start: int,
        end: int,
        rule: str,
        reason: str,
        channel: str | None = None,
        suggestion: str | None = None,
        mask: str | None = None,
        cues: frozenset[str] = NO_CUES,
    ) -> None:
        set_kind(self, kind)
        set_severity(self, severity)
        set_start(self, start)
        set_end(self, end)
        set_rule(self, rule)
        set_reason(self, reason)
        set_channel(self, channel)
        set_suggestion(self, suggestion)
        set_mask(self, mask)
        set_cues(self, cues)

    __init__.__qualname__ = "Finding.__init__"
    Finding.__init__ = __init__  # type: ignore[method-assign]


_set_slots()


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
