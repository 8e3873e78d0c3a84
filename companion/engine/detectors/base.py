"""What every detector shares: the bound on how many findings one detector yields per message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from itertools import islice

from companion.engine.model import Finding

# A message gets at most this many findings from one detector: past that, more underlines tell the
# user nothing new (the verdict is already decided), and a 20,000-character message of "@a @a @a..."
# stays fast.
MAX_CANDIDATES = 64


def bounded(detect: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
    """Wrap a detector so it yields at most MAX_CANDIDATES findings (and stops working there)."""

    @wraps(detect)
    def bounded_detect(*args: object) -> Iterator[Finding]:
        return islice(detect(*args), MAX_CANDIDATES)

    return bounded_detect
