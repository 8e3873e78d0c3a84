"""What the engine produces: findings, reports, and the candidates detectors hand to the policy."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import IntEnum, StrEnum


def direct_init(cls: type) -> type:
    """Give a frozen, slotted dataclass an __init__ that stores each field through its slot
    descriptor. The generated one goes through object.__setattr__ per field, twice as slow, and
    every analysis builds several of these objects. Same signature, defaults and result."""
    params, stores, scope = [], [], {}
    for f in fields(cls):
        scope[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not MISSING:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
            stores.append(f"_set_{f.name}(self, {f.name})")
        elif f.default_factory is not MISSING:
            scope[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=None")
            stores.append(f"_set_{f.name}(self, _factory_{f.name}() if {f.name} is None else {f.name})")
        else:
            params.append(f.name)
            stores.append(f"_set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(stores)
    exec(source, scope)  # noqa: S102 - built from the class's own field names, as dataclasses does
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


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


@direct_init
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


@direct_init
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


@direct_init
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
