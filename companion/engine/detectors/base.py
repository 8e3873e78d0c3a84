"""What every detector shares: the bound on how many findings one detector yields per message, and
each detector's findings kept for the analysis (found_by)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from itertools import islice

from companion.engine.document import Document
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


def found_by(doc: Document, detect: Callable[[Document], Iterable[Finding]]) -> tuple[Finding, ...]:
    """`detect(doc)`, run once per analysis: the pipeline runs every detector, and the payment detector
    reads the phone, e-mail and link detectors' findings (the account a wallet is paid on); running
    them again cost ~4% of every message. Kept in doc.memo, which lives and dies with the analysis."""
    found = doc.memo.get(detect)  # keyed by the detector itself: no key string built per call
    if found is None:
        found = doc.memo[detect] = tuple(detect(doc))
    return found
