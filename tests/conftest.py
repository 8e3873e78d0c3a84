"""Shared pytest hooks. `terminal_summary`: tests append text blocks (e.g. the corpus's per-family
precision/recall table) that are printed in pytest's terminal summary, so they show without -s."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No per-example deadline: it is a timing assertion, and on a shared 2-core machine a 200 ms
# deadline fails property tests at random (FlakyFailure: DeadlineExceeded) without any bug.
settings.register_profile("contact-guard", deadline=None)
settings.load_profile("contact-guard")

_SUMMARY_BLOCKS: list[str] = []


@pytest.fixture(scope="session")
def terminal_summary() -> list[str]:
    return _SUMMARY_BLOCKS


def pytest_terminal_summary(terminalreporter) -> None:
    for block in _SUMMARY_BLOCKS:
        terminalreporter.write_sep("=", "corpus scores")
        terminalreporter.write_line(block)
