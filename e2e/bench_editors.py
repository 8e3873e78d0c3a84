"""What the extension costs while typing in the seven real rich editors (scripts/bench-e2e editors).

For each editor page (e2e/editors, Enter makes a paragraph) the same --chars characters (default
2,000: sentences with an e-mail address and a phone number now and then, and paragraph breaks) are
typed as fast as Playwright sends keys, in one Chromium with the extension and a paired companion,
alternating over --rounds rounds between the page served on 127.0.0.1 (where the extension runs) and
the same page served on 127.0.0.2 (which no content script matches: the same browser, processes and
settings, without the extension's work):

- typing cost: the renderer main thread's busy time over the whole run (CDP Performance.getMetrics
  TaskDuration; the content script runs on that thread), with / without -> the ratio (target <= 1.2);
- long tasks (> 50 ms, PerformanceObserver) seen during the run, with and without the extension;
- the longest unbroken stretch of the extension's own JavaScript (a V8 CPU profile of a further run
  with the extension, samples with a chrome-extension:// frame on the stack): a long task caused by
  the extension needs such a stretch over 50 ms (target: under 50 ms).

Every run checks that the editor's model ends with exactly the typed text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import functools
import http.server
import threading

from bench import extension_samples
from harness import E2E_DIR, Companion, SiteServer, free_port, launch_browser

EDITORS = ["prosemirror", "tiptap", "lexical", "draft", "slate", "quill", "ckeditor"]
RATIO_TARGET = 1.2
LONG_TASK_MS = 50.0
SENTENCES = [
    "Thanks for the order, I will start on the logo today. ",
    "If anything is unclear just write to ana.souza@gmail.com and I will answer. ",
    "The first three concepts should be ready by Friday. ",
    "Or call me on +55 11 98765 4321 in the afternoon.\n",
    "Warm colours, a hand-drawn feel and a clean wordmark. ",
]

LONG_TASKS_JS = """() => { window.cgLongTasks = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) window.cgLongTasks.push(e.duration); })
    .observe({type: "longtask"}); }"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class UnwatchedServer:
    """e2e/editors on http://127.0.0.2:<port>: a loopback origin the extension's content script
    does not match (it runs on 127.0.0.1 and localhost only)."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), handler)
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.2:{self._server.server_address[1]}"

    def __enter__(self) -> UnwatchedServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def typed_text(chars: int) -> str:
    text = ""
    while len(text) < chars:
        text += SENTENCES[len(text) % len(SENTENCES)]
    return text[:chars].rstrip("\n")


def extension_stretches_ms(profile: dict) -> list[float]:
    """Lengths of the unbroken runs of samples with the extension's code on the stack."""
    stretches, current = [], 0.0
    for own, ms in extension_samples(profile):
        if own:
            current += ms
        elif current:
            stretches.append(current)
            current = 0.0
    if current:
        stretches.append(current)
    return stretches


def type_once(page, url: str, text: str, *, profile: bool = False) -> dict:
    page.bring_to_front()
    page.goto(url)
    page.wait_for_selector("html[data-editor-ready]")
    page.locator('[contenteditable="true"]').first.click()
    page.evaluate(LONG_TASKS_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if profile:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
        cdp.send("Profiler.start")

    def task_seconds() -> float:
        return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")

    before = task_seconds()
    page.keyboard.type(text)
    page.wait_for_timeout(300)  # the last answers are painted
    busy_ms = (task_seconds() - before) * 1000
    result = {"busy_ms": busy_ms, "long_tasks": page.evaluate("window.cgLongTasks")}
    if profile:
        result["stretches"] = extension_stretches_ms(cdp.send("Profiler.stop")["profile"])
    model = page.evaluate("window.__editorModelText()")
    if model != text:
        raise AssertionError(f"typed text not intact: {len(model)} characters in the model, {len(text)} typed")
    cdp.detach()
    return result


HEADER = (f"  {'editor':<12} {'with ext':>10} {'without':>10} {'ratio':>7}  {'long tasks with / without':>27}"
          f"  {'longest ext JS stretch':>22}")


def run(chars: int, rounds: int, editors: list[str]) -> int:
    text = typed_text(chars)
    met = True
    with tempfile.TemporaryDirectory(prefix="cg-bench-editors-") as scratch, \
            SiteServer(E2E_DIR / "editors") as site, UnwatchedServer(E2E_DIR / "editors") as unwatched, \
            sync_playwright() as playwright:
        companion = Companion(Path(scratch) / "config", free_port())
        token = companion.pair()
        companion.start()
        try:
            with_extension = launch_browser(playwright, Path(scratch) / "profile")
            with_extension.set_settings({"port": companion.port, "token": token})
            ext_page = with_extension.context.new_page()
            plain_page = with_extension.context.new_page()
            version = ext_page.evaluate("navigator.userAgent.match(/Chrome\\/([\\d.]+)/)?.[1] ?? '?'")
            print(f"Typing cost in real rich editors (Chromium {version}; {chars} characters typed as fast as "
                  f"keys are sent, {rounds} round(s), median busy time)")
            print(HEADER, flush=True)
            for name in editors:
                data = {"with": [], "without": [], "long_with": [], "long_without": []}
                url = f"{site.origin}/editor.html?editor={name}&enter=newline"
                plain_url = f"{unwatched.origin}/editor.html?editor={name}&enter=newline"
                for _ in range(rounds):
                    done = type_once(ext_page, url, text)
                    data["with"].append(done["busy_ms"])
                    data["long_with"] += done["long_tasks"]
                    done = type_once(plain_page, plain_url, text)
                    data["without"].append(done["busy_ms"])
                    data["long_without"] += done["long_tasks"]
                data["stretches"] = type_once(ext_page, url, text, profile=True)["stretches"]
                met &= report_line(name, data)
            with_extension.context.close()
        finally:
            companion.stop()
    print(f"  (targets: ratio <= {RATIO_TARGET}; no extension JS stretch >= {LONG_TASK_MS:.0f} ms, so no long task"
          " is the extension's)")
    print(f"\n{'all targets met' if met else 'TARGET MISSED'}")
    return 0 if met else 1


def report_line(name: str, data: dict) -> bool:
    with_ms, without_ms = statistics.median(data["with"]), statistics.median(data["without"])
    ratio = with_ms / without_ms
    longest = max(data["stretches"], default=0.0)
    long_with = f"{len(data['long_with'])} (max {max(data['long_with'], default=0):.0f} ms)"
    long_without = f"{len(data['long_without'])} (max {max(data['long_without'], default=0):.0f} ms)"
    print(f"  {name:<12} {with_ms:8.0f}ms {without_ms:8.0f}ms {ratio:7.2f}  {long_with:>13} / {long_without:<13}"
          f"  {longest:19.1f} ms", flush=True)
    return ratio <= RATIO_TARGET and longest < LONG_TASK_MS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench-e2e editors", description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2000, help="characters typed per run (default 2000)")
    parser.add_argument("--rounds", type=int, default=1, help="with/without runs per editor (default 1)")
    parser.add_argument("--editor", action="append", choices=EDITORS, help="only this editor (repeatable)")
    args = parser.parse_args(argv)
    if args.chars < 1 or args.rounds < 1:
        parser.error("--chars and --rounds must be positive")
    return run(args.chars, args.rounds, args.editor or EDITORS)


if __name__ == "__main__":
    sys.exit(main())
