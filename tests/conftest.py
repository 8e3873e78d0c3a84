"""Shared pytest hooks. `terminal_summary`: tests append text blocks (e.g. the corpus's per-family
precision/recall table) that are printed in pytest's terminal summary, so they show without -s."""

from __future__ import annotations

import pytest

_SUMMARY_BLOCKS: list[str] = []


@pytest.fixture(scope="session")
def terminal_summary() -> list[str]:
    return _SUMMARY_BLOCKS


def pytest_terminal_summary(terminalreporter) -> None:
    for block in _SUMMARY_BLOCKS:
        terminalreporter.write_sep("=", "corpus scores")
        terminalreporter.write_line(block)
