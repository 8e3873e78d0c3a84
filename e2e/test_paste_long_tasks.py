"""A paste of a large text (50,000 characters: over the companion's limit, so the reduced check runs
in the page) makes no long task of the extension's, in each kind of composer — a textarea, a text
input, a plain contenteditable and the seven real rich editors — in Chromium and in Firefox.

The page's main thread is recorded while the text is pasted (a real Ctrl+V from the clipboard) and
until the extension has settled on it (its chip says the text is too long to check): Chromium by a
trace over CDP, Firefox by its own profiler (e2e/bench_trace.py reads both). Two things fail it:
a task over 50 ms that the extension made long (without the extension's own CPU time in it the task
would be under 50 ms: bench_trace.Task.extensions; a task long because the machine was loaded, or
long by the page's or the editor's own work, is not the extension's), and any one task in which the
extension's own scripts ran for more than 50 ms of CPU time (Firefox: the longest unbroken run of
its samples), even inside a task that the page made long anyway. A held paste (an address in the
text: the paste dialog, then "Paste anyway", the text replayed through the editor's own paste
path) is measured the same way. What was measured is printed (-s).

In the default run: the held paste (the extension's own re-insert) into a textarea, a plain
contenteditable, ProseMirror and CKEditor 5, and a clean paste into a plain contenteditable — about
half a minute per browser. The whole matrix (every kind, clean and held; about 2 minutes per browser
on a loaded 2-core machine) with CG_LONG_TASKS=1:

    CG_LONG_TASKS=1 .venv/bin/python -m pytest e2e/test_paste_long_tasks.py -q -s

Measured 2026-12-05 (round 14, load 6-11), the whole matrix, one run each: the extension's longest
CPU in one task 4-21 ms in either browser (it was 517 ms in a Chromium textarea); every held paste
passes in Chromium. What failed, as tasks the extension made long by a few ms: Firefox's TipTap clean
paste and Slate held paste (tasks of 54 and 63 ms of CPU, 14 and 15 of them the extension's) and
Chromium's Lexical clean paste (51, 8): the extension reading the new 50,000-character text after the
editor's own paste handling (docs/editors.md), outside the default run.
"""

from __future__ import annotations

import json
import os

import pytest

import bench_trace
from harness import open_mock
from test_editors import EDITORS, EditorPage, editors_origin  # noqa: F401 (a fixture)

FULL_MATRIX = os.environ.get("CG_LONG_TASKS") == "1"

LONG_TASK_MS = bench_trace.LONG_TASK_MS
SIZE = 50_000
EMAIL = "ana.souza@gmail.com"
SETTLE_TIMEOUT_S = 60.0  # a 50,000-character paste into a rich editor on a loaded 2-core machine

# Lines of a brief, as a long paste usually is (each line a paragraph in a rich editor).
_LINE = ("The logo should use the warm colours of the bakery, a hand-drawn wheat motif and the name "
         "in a rounded serif; please keep the source layers and send two small variants for the app icon. ")


def big_text(first_line: str = "") -> str:
    lines = [first_line] if first_line else []
    while sum(len(line) + 1 for line in lines) < SIZE:
        lines.append(_LINE.strip())
    return "\n".join(lines)[:SIZE].rstrip()


MOCK_COMPOSERS = {  # kind -> (mock page, composer)
    "textarea": ("chat", None),
    "input": ("requirements", "#req-business"),
    "contenteditable": ("chat-rich", None),
}
KINDS = [*MOCK_COMPOSERS, *EDITORS]
# The default run: the extension's own re-insert of a held paste in each way it goes in (native
# editing; a paste event the editor takes, in a light and the heaviest editor), and the reading of a
# clean one.
CLEAN_KINDS = KINDS if FULL_MATRIX else ["contenteditable"]
HELD_KINDS = KINDS if FULL_MATRIX else ["textarea", "contenteditable", "prosemirror", "ckeditor"]


def open_composer(cg_page, site, origin: str, kind: str):
    if kind in MOCK_COMPOSERS:
        page_name, composer = MOCK_COMPOSERS[kind]
        page = open_mock(cg_page, site, page_name)
        if composer:
            page.use(composer)
            page.click(composer)
        return page
    return EditorPage(cg_page, origin, kind, enter_sends=False).open().page


_LENGTH_JS = """(selector) => { const el = document.querySelector(selector);
  return el.nodeName === 'TEXTAREA' || el.nodeName === 'INPUT' ? el.value.length : el.textContent.length; }"""


class Recorder:
    """The page's main thread while `run` happens: Chromium's trace, Firefox's profiler."""

    def __init__(self, cg_page) -> None:
        self.page = cg_page
        self.chromium = cg_page.browser_name == "chromium"

    def __enter__(self) -> Recorder:
        if self.chromium:
            page = self.page.tab.page
            self.cdp = page.context.new_cdp_session(page)
            bench_trace.start(self.cdp, samples=True)
        else:
            with self.page.tab.client.using_context("chrome"):
                self.page.tab.client.execute_async_script(bench_trace.GECKO_START_JS)
        return self

    def __exit__(self, *exc) -> None:
        if self.chromium:
            self.thread = bench_trace.main_thread(bench_trace.stop(self.cdp))
            self.cdp.detach()
        else:
            client = self.page.tab.client
            with client.using_context("chrome"):
                profile = json.loads(client.execute_async_script(bench_trace.GECKO_STOP_JS))
            self.thread = bench_trace.gecko_main_thread(profile)


def assert_no_long_task_of_ours(recorder: Recorder, what: str) -> None:
    thread = recorder.thread
    summary = thread.summary()
    print(f"\n{what}: long tasks {[round(ms) for ms in summary['long']]} ms; the extension's longest "
          f"{summary['longest_own_ms']:.1f} ms of CPU in one task, {thread.extension_ms:.0f} of "
          f"{thread.cpu_ms:.0f} ms in all")
    assert thread.cpu_ms > 0, f"{what}: nothing recorded"
    ours = [(round(t.wall_ms), round(t.cpu_ms), round(t.extension_ms)) for t in thread.extensions_long_tasks()]
    assert ours == [], f"{what}: long tasks the extension made long (wall, CPU, the extension's CPU ms): {ours}"
    assert summary["longest_own_ms"] <= LONG_TASK_MS, (
        f"{what}: the extension ran {summary['longest_own_ms']:.0f} ms of CPU in one task")


def wait_settled(page, selector: str, what: str) -> None:
    """The text is in and the extension has looked at it (over the limit: its chip says so)."""
    page.poll(lambda: page.evaluate(_LENGTH_JS, selector), lambda n: n >= SIZE * 0.98, SETTLE_TIMEOUT_S,
              lambda n: f"{what}: {n} characters landed")
    page.poll(page.status, lambda status: status == "too_long", SETTLE_TIMEOUT_S,
              lambda status: f"{what}: the chip says {status!r}, not too_long")
    page.wait(0.5)  # whatever the extension does after it (painting, timers) is recorded too


@pytest.mark.parametrize("kind", CLEAN_KINDS)
def test_a_large_paste_makes_no_long_task_of_the_extension(cg_page, site, editors_origin, kind):  # noqa: F811
    page = open_composer(cg_page, site, editors_origin, kind)
    what = f"{kind}, {page.browser_name}, clean paste of {SIZE:,} characters"
    with Recorder(page) as recorder:
        page.paste(big_text())
        wait_settled(page, page.selector, what)
    assert_no_long_task_of_ours(recorder, what)


@pytest.mark.parametrize("kind", HELD_KINDS)
def test_a_large_held_paste_makes_no_long_task_of_the_extension(cg_page, site, editors_origin, kind):  # noqa: F811
    page = open_composer(cg_page, site, editors_origin, kind)
    what = f"{kind}, {page.browser_name}, held paste of {SIZE:,} characters"
    with Recorder(page) as recorder:
        page.paste(big_text(f"Write to {EMAIL} for the files."))
        page.wait_for(page.paste_dialog, f"{what}: the paste dialog", SETTLE_TIMEOUT_S)
        page.choose("paste-anyway")
        wait_settled(page, page.selector, what)
    assert_no_long_task_of_ours(recorder, what)
