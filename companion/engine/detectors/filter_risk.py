"""Placeholder: replaced by the real detector."""

from __future__ import annotations

from collections.abc import Iterator

from companion.engine.document import Document
from companion.engine.model import Candidate


def detect(doc: Document) -> Iterator[Candidate]:
    return iter(())
