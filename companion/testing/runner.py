"""Runs one scenario (companion.testing.scenarios) on a page helper and lists every mismatch:
what was painted, the card, the paste dialog, where the underline sits, the send guard."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from .page import PAINT_TIMEOUT_S, ComposerPage
from .scenarios import Mismatch, Scenario, painting_problems

SEND_WINDOW_S = 1.5  # how long a send confirmation gets to appear


def run(scenario: Scenario, page: ComposerPage, *, url: str, mismatches: list[Mismatch],
        check_layout: bool = False) -> None:
    if scenario.allow:
        page.browser.set_settings({"allow": {urlsplit(url).path or "/": list(scenario.allow)}})
    page.open(url, composer=scenario.composer, send=scenario.send, surface=scenario.surface)

    if scenario.input == "paste":
        page.paste(scenario.text)
        if scenario.verdict == "block":
            try:
                page.wait_for(page.paste_dialog, "the paste dialog")
            except AssertionError:
                mismatches.append(Mismatch("paste dialog", "a paste with a block finding did not wait for a choice"))
                return
            if page.text() != "":
                mismatches.append(Mismatch("paste dialog", "the guarded paste landed before the user chose"))
            page.choose("paste-anyway")
    else:
        page.type(scenario.text)
    try:
        page.wait_for_text(scenario.text)
    except AssertionError as problem:
        mismatches.append(Mismatch("text", f"the composer does not hold the text as typed: {problem}"))
        return

    if not scenario.marks:
        mismatches += painting_problems(scenario, page.wait_quiet())
        card = page.card()
        if card is not None and card.verdict in ("block", "warn"):
            mismatches.append(Mismatch("verdict", f"verdict {card.verdict}, expected {scenario.verdict}"))
    else:
        deadline = time.monotonic() + PAINT_TIMEOUT_S
        while True:
            marks = page.marks()
            problems = painting_problems(scenario, marks)
            if not problems or time.monotonic() > deadline:
                break
            page.wait(0.04)
        if problems:
            painted = ", ".join(map(str, marks)) or "nothing"
            mismatches += [Mismatch(p.category, f"{p.detail} (painted: {painted})") for p in problems]
        mismatches += [Mismatch("underline position", p) for m in marks for p in page.underline_problems(m)]
        _check_card(scenario, page, mismatches)

    if check_layout:
        mismatches += [Mismatch("covers a control", f"a panel covers {c}") for c in page.covered_controls()]
    if scenario.send_confirm is not None:
        _check_send(scenario, page, mismatches)


def _check_card(scenario: Scenario, page: ComposerPage, mismatches: list[Mismatch]) -> None:
    card = page.card()
    verdict = card.verdict if card else "ok"
    if scenario.verdict not in ("block", "warn"):
        if verdict in ("block", "warn"):
            mismatches.append(Mismatch("verdict", f"verdict {verdict}, expected {scenario.verdict}"))
        return
    if verdict != scenario.verdict:
        mismatches.append(Mismatch("verdict", f"verdict {verdict}, expected {scenario.verdict}"))
        return
    if not card.visible:
        mismatches.append(Mismatch("card", "the card is not shown"))
    for expected in scenario.marks:
        explained = [f for f in card.findings if (f.kind, f.severity) == (expected.kind, expected.severity)]
        if not explained or not explained[0].text:
            mismatches.append(Mismatch("card", f"the card does not explain {expected.describe()}"))


def _check_send(scenario: Scenario, page: ComposerPage, mismatches: list[Mismatch]) -> None:
    page.send()
    deadline = time.monotonic() + SEND_WINDOW_S
    dialog = page.send_dialog()
    while dialog is None and time.monotonic() < deadline:
        page.wait(0.04)
        dialog = page.send_dialog()
    if dialog is not None:
        page.choose("send-cancel")
    if (dialog is not None) != scenario.send_confirm:
        mismatches.append(Mismatch("send guard", "sending asked for a confirmation" if dialog else
                                   "sending did not ask for a confirmation"))
