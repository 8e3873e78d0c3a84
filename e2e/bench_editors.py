"""What the extension costs while typing in the seven real rich editors and a textarea
(scripts/bench-e2e editors [--browser chromium|firefox]).

For each editor page (e2e/editors, Enter makes a paragraph; `textarea` is a plain <textarea> on the
same page) the same --chars characters (default 2,000: a long message with a contact detail every
500 characters, 4 findings in 2,000; --dense: one in every other sentence, 76 findings) are typed as fast as the driver sends keys, in one browser
with the extension and a paired companion, alternating over --rounds rounds between the page served
on 127.0.0.1 (where the extension runs) and the same page served on 127.0.0.2 (which no content
script matches: the same browser, processes and settings, without the extension's work):

- typing cost: the CPU time of the page's main thread over the whole run (the content script runs
  on that thread), with / without -> the ratio (target <= 1.2). CPU time rather than wall time: on a
  loaded machine a task's wall time also counts the time its thread waited for a core. 127.0.0.1 and
  127.0.0.2 are different sites, so their pages get different processes. Chromium: the renderer
  main thread's utime+stime (/proc, Linux) of the renderer that worked the most during the run;
  the renderer's task time (CDP Performance.getMetrics TaskDuration, wall time) is shown beside it.
  Firefox: the main thread of the page's content process (ChromeUtils.requestProcInfo). Both count
  in 10 ms clock ticks;
- long tasks (> 50 ms) seen during the run, with and without the extension. Chromium: the Long Tasks
  API. Firefox has none: a 10 ms timer in the page counts the gaps over 50 ms beyond its period;
- Chromium only: the longest unbroken stretch of the extension's own JavaScript (a V8 CPU profile of
  a further run with the extension, samples with a chrome-extension:// frame on the stack): a long
  task caused by the extension needs such a stretch over 50 ms (target: under 50 ms).

--key-delay MS waits MS ms between keys: the default types as fast as keys are sent, a load no human
makes (the extension paces its analyses to a burst like that); 100 is a fast typist.
--thread N puts a conversation of N earlier messages above the composer (both pages), in a scroll box
scrolled to its end as chat pages do; each message has some text, two links and a button: the page
the extension's placement of its card and chip has to keep clear of is then a long one.

Every run checks that the editor's model ends with exactly the typed text. --extension DIR measures
another build of the extension (an unpacked copy of an older commit). --baseline DIR measures a second
build in the same run, in a second browser, its runs interleaved with this build's (with, without,
baseline with, baseline without in one round, the baseline's pair first in the next: use an even
--rounds), so that a before/after is not skewed by the load changing between two runs nor by the
order; each build's ratio is taken against the "without" page of its own browser
(two browsers of the same code differ by up to 1.5x under load), and the extension's own cost
(ratio - 1) is printed relative to the baseline's. The load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError, sync_playwright

import functools
import http.server
import threading

from bench import extension_samples
from harness import E2E_DIR, Companion, SiteServer, free_port, launch_browser

EDITORS = ["prosemirror", "tiptap", "lexical", "draft", "slate", "quill", "ckeditor", "textarea"]
COMPOSER = '[contenteditable="true"], textarea'

RATIO_TARGET = 1.2
READY_TIMEOUT_S = 120  # an editor page's bundle loads slowly on a loaded machine
LONG_TASK_MS = 50.0
# What is typed: a long message as people write them on a marketplace (about 2,000 characters),
# with a contact detail now and then (CONTACTS, every CONTACT_EVERY characters: 2,000 characters
# hold three, 4 findings), so that the underlines' painting is part of what is measured, as it is
# in a real message. --dense types the earlier text instead, an address or a phone number in every
# other sentence (76 findings in 2,000 characters): a worst case no real message reaches.
PLAIN = [
    "Thanks for the order, I will start on the logo today. ",
    "The first three concepts should be ready by Friday, each with a short note on the idea behind it. ",
    "Warm colours, a hand-drawn feel and a clean wordmark, as in the examples you sent. ",
    "If one of them is close but not quite right, tell me what to change and I will rework it.\n",
    "I usually send sketches first, then the vector files once we agree on a direction. ",
    "The brief mentions a bakery in Porto, so I will keep the palette soft and the letters round. ",
    "Please also let me know the sizes you need for the shop sign and the packaging.\n",
    "Revisions are included until you are happy with the result, within the scope of the order. ",
]
CONTACTS = [
    "If anything is unclear just write to ana.souza@gmail.com and I will answer. ",
    "Or call me on +55 11 98765 4321 in the afternoon.\n",
]
CONTACT_EVERY = 500
DENSE_SENTENCES = [
    "Thanks for the order, I will start on the logo today. ",
    "If anything is unclear just write to ana.souza@gmail.com and I will answer. ",
    "The first three concepts should be ready by Friday. ",
    "Or call me on +55 11 98765 4321 in the afternoon.\n",
    "Warm colours, a hand-drawn feel and a clean wordmark. ",
]

LONG_TASKS_JS = """() => { window.cgLongTasks = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) window.cgLongTasks.push(e.duration); })
    .observe({type: "longtask"}); }"""

# Firefox has no Long Tasks API: a page script (a <script> element, so it runs in the page, not in
# Marionette's sandbox) ticks every 10 ms and keeps each gap that ran over 50 ms past its period.
GAPS_JS = """() => { const script = document.createElement('script');
  script.textContent = `(() => { const gaps = []; let last = performance.now();
    setInterval(() => { const now = performance.now(); if (now - last - 10 > 50) gaps.push(now - last - 10);
      last = now; document.documentElement.dataset.cgGaps = JSON.stringify(gaps); }, 10); })();`;
  document.documentElement.append(script); }"""
GAPS_READ_JS = "() => JSON.parse(document.documentElement.dataset.cgGaps || '[]')"
# A long conversation above the composer (--thread N): each message some text nodes, two links and a
# button, in a scroll box scrolled to its end.
THREAD_JS = """(count) => { const thread = document.getElementById('thread');
  thread.style.cssText = 'max-height: 40vh; overflow: auto';
  const items = [];
  for (let i = 0; i < count; i++) {
    const item = document.createElement('li');
    const who = document.createElement('b');
    who.textContent = i % 2 ? 'ana_souza ' : 'me ';
    const link = document.createElement('a');
    link.href = '#m' + i;
    link.textContent = 'reference ' + i;
    const file = document.createElement('a');
    file.href = '#f' + i;
    file.textContent = 'brief-' + i + '.pdf';
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.textContent = 'Reply';
    item.append(who, 'Message ' + i + ' about the logo concepts, see ', link, ' and the file ', file, ' ', reply);
    items.push(item);
  }
  thread.replaceChildren(...items);
  thread.scrollTop = thread.scrollHeight; }"""
MODEL_JS = """() => { document.dispatchEvent(new Event('editor-model'));
  return document.getElementById('editor-model').value; }"""
# The CPU time (ns) of the main thread of each web content process, by site.
PROC_JS = """const [done] = arguments;
ChromeUtils.requestProcInfo().then(info => {
  const cpu = {};
  for (const child of info.children) {
    const main = (child.threads || []).find(t => t.tid === child.pid);
    if (child.origin && main) cpu[child.origin] = (cpu[child.origin] || 0) + main.cpuTime;
  }
  done(cpu);
});"""


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


def typed_text(chars: int, dense: bool = False) -> str:
    """`chars` characters of a message: plain sentences with a contact detail every CONTACT_EVERY
    characters (dense: the old text, one in every other sentence)."""
    text = ""
    if dense:
        while len(text) < chars:
            text += DENSE_SENTENCES[len(text) % len(DENSE_SENTENCES)]
        return text[:chars].rstrip("\n")
    plain = contacts = 0
    while len(text) < chars:
        if len(text) >= (contacts + 1) * CONTACT_EVERY:
            text += CONTACTS[contacts % len(CONTACTS)]
            contacts += 1
        else:
            text += PLAIN[plain % len(PLAIN)]
            plain += 1
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


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def check_model(model: str, text: str) -> None:
    if model != text:
        raise AssertionError(f"typed text not intact: {len(model)} characters in the model, {len(text)} typed")


def renderer_ticks(profile_dir: Path) -> dict[int, int]:
    """Main-thread CPU clock ticks of each page renderer of the Chromium using `profile_dir`."""
    ticks = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            # Renderers rewrite their title: one string, words separated by spaces or NULs.
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ") + b" "
            if b"--type=renderer " not in command or b"--extension-process " in command or \
                    f"--user-data-dir={profile_dir} ".encode() not in command:
                continue
            fields = (proc / "task" / proc.name / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        ticks[int(proc.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def open_editor(page, url: str) -> None:
    """Loads an editor page, a second time when it did not get ready: on the shared machine (load
    average 20-30) a page load now and then never finished, which ended a run of 20 minutes."""
    for attempt in (1, 2):
        page.goto(url)
        try:
            page.wait_for_selector("html[data-editor-ready]", timeout=READY_TIMEOUT_S * 1000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            print(f"  ({url} did not get ready in {READY_TIMEOUT_S} s: loaded again)", flush=True)


def type_once(page, url: str, text: str, *, profile: bool = False, profile_dir: Path | None = None,
              thread: int = 0, delay: float = 0) -> dict:
    page.bring_to_front()
    open_editor(page, url)
    if thread:
        page.evaluate(THREAD_JS, thread)
    page.locator(COMPOSER).first.click()
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
    ticks = renderer_ticks(profile_dir) if profile_dir else {}
    page.keyboard.type(text, delay=delay)
    page.wait_for_timeout(300)  # the last answers are painted
    task_ms = (task_seconds() - before) * 1000
    after = renderer_ticks(profile_dir) if profile_dir else {}
    cpu_ms = max((after[pid] - ticks.get(pid, 0) for pid in after), default=0) * 1000 / os.sysconf("SC_CLK_TCK")
    result = {"busy_ms": cpu_ms, "task_ms": task_ms, "long_tasks": page.evaluate("window.cgLongTasks")}
    if profile:
        result["stretches"] = extension_stretches_ms(cdp.send("Profiler.stop")["profile"])
    check_model(page.evaluate("window.__editorModelText()"), text)
    cdp.detach()
    return result


def firefox_type_once(browser, tab, url: str, text: str, thread: int = 0, delay: float = 0) -> dict:
    """One run in Firefox: the page's content-process main thread CPU time and the timer gaps."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    site = f"{parts.scheme}://{parts.hostname}"
    client = browser.client
    client.switch_to_window(tab.handle)
    tab.goto(url)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not tab.evaluate("() => document.documentElement.dataset.editorReady === 'true'"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not get ready")
        time.sleep(0.05)
    if thread:
        tab.evaluate(THREAD_JS, thread)
    tab.click(COMPOSER)  # a real click: the editor takes the focus and the caret
    tab.evaluate(GAPS_JS)

    def cpu_ms() -> float:
        with client.using_context("chrome"):
            return client.execute_async_script(PROC_JS)[site] / 1e6

    time.sleep(0.3)
    before = cpu_ms()
    tab.type(text, delay=delay)
    time.sleep(0.3)  # the last answers are painted
    busy_ms = cpu_ms() - before
    result = {"busy_ms": busy_ms, "long_tasks": tab.evaluate(GAPS_READ_JS)}
    check_model(tab.evaluate(MODEL_JS), text)
    return result


def in_turn(turn: int, this_build, baseline_build) -> list:
    """The two builds' runs of round `turn`, the build that goes first alternating: on the shared
    machine whichever pair went first read slower (ProseMirror, Chromium, the same two builds, 3
    rounds each way: 1.80 first vs 1.68, then 1.90 first vs 1.62), so a fixed order set them apart."""
    if baseline_build is None:
        return [this_build]
    return [this_build, baseline_build] if turn % 2 == 0 else [baseline_build, this_build]


HEADER = (f"  {'editor':<12} {'with ext':>10} {'without':>10} {'ratio':>7}  {'long tasks with / without':>27}"
          f"  {'longest ext JS stretch':>22}  {'task ratio':>9}")


def run(browser_name: str, chars: int, rounds: int, editors: list[str], extension: Path | None,
        baseline: Path | None = None, thread: int = 0, delay: float = 0, dense: bool = False) -> int:
    text = typed_text(chars, dense)
    print(f"load average before: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cg-bench-editors-") as scratch, \
            SiteServer(E2E_DIR / "editors") as site, UnwatchedServer(E2E_DIR / "editors") as unwatched:
        companion = Companion(Path(scratch) / "config", free_port())
        token = companion.pair()
        companion.start()
        try:
            if browser_name == "firefox":
                met = run_firefox(Path(scratch), companion.port, token, site, unwatched, text, rounds, editors,
                                  extension, baseline, thread, delay, dense, allow=companion.allow_firefox)
            else:
                met = run_chromium(Path(scratch), companion.port, token, site, unwatched, text, rounds, editors,
                                   extension, baseline, thread, delay, dense)
        finally:
            companion.stop()
    long_target = (f"no extension JS stretch >= {LONG_TASK_MS:.0f} ms, so no long task is the extension's"
                   if browser_name == "chromium" else f"no more gaps over {LONG_TASK_MS:.0f} ms with than without")
    print(f"  (targets: ratio <= {RATIO_TARGET}; {long_target})")
    print(f"load average after: {load_average()}")
    print(f"\n{'all targets met' if met else 'TARGET MISSED'}")
    return 0 if met else 1


def pace(delay: float) -> str:
    return f"{delay:g} ms apart" if delay else "as fast as keys are sent"


def urls(site, unwatched, name: str) -> tuple[str, str]:
    path = f"/editor.html?editor={name}&enter=newline"
    return site.origin + path, unwatched.origin + path


def run_chromium(scratch: Path, port: int, token: str, site, unwatched, text: str, rounds: int,
                 editors: list[str], extension: Path | None, baseline: Path | None = None, thread: int = 0,
                 delay: float = 0, dense: bool = False) -> bool:
    met = True
    with sync_playwright() as playwright:
        kwargs = {"extension_dir": extension} if extension else {}
        with_extension = launch_browser(playwright, scratch / "profile", **kwargs)
        with_extension.set_settings({"port": port, "token": token})
        ext_page = with_extension.context.new_page()
        plain_page = with_extension.context.new_page()
        base_browser = base_page = None
        if baseline:
            base_browser = launch_browser(playwright, scratch / "baseline-profile", extension_dir=baseline)
            base_browser.set_settings({"port": port, "token": token})
            base_page = base_browser.context.new_page()
            base_plain_page = base_browser.context.new_page()
        version = ext_page.evaluate("navigator.userAgent.match(/Chrome\\/([\\d.]+)/)?.[1] ?? '?'")
        print(f"Typing cost in real rich editors (Chromium {version}; {len(text)} characters{' (dense)' if dense else ''} typed "
              f"{pace(delay)}, {rounds} round(s), median renderer main-thread CPU time; task-time ratio last)"
              + (f"; a thread of {thread} messages above the composer" if thread else ""))
        print(HEADER, flush=True)
        for name in editors:
            data = {"with": [], "without": [], "long_with": [], "long_without": [], "task_with": [], "task_without": []}
            base = {"with": [], "without": [], "long_with": [], "task_with": [], "task_without": []}
            url, plain_url = urls(site, unwatched, name)
            def this_build() -> None:
                done = type_once(ext_page, url, text, profile_dir=scratch / "profile", thread=thread, delay=delay)
                data["with"].append(done["busy_ms"])
                data["task_with"].append(done["task_ms"])
                data["long_with"] += done["long_tasks"]
                done = type_once(plain_page, plain_url, text, profile_dir=scratch / "profile", thread=thread,
                                 delay=delay)
                data["without"].append(done["busy_ms"])
                data["task_without"].append(done["task_ms"])
                data["long_without"] += done["long_tasks"]

            def baseline_build() -> None:
                done = type_once(base_page, url, text, profile_dir=scratch / "baseline-profile",
                                 thread=thread, delay=delay)
                base["with"].append(done["busy_ms"])
                base["task_with"].append(done["task_ms"])
                base["long_with"] += done["long_tasks"]
                done = type_once(base_plain_page, plain_url, text, profile_dir=scratch / "baseline-profile",
                                 thread=thread, delay=delay)
                base["without"].append(done["busy_ms"])
                base["task_without"].append(done["task_ms"])

            for turn in range(rounds):
                for measure in in_turn(turn, this_build, baseline_build if base_page else None):
                    measure()
            data["stretches"] = type_once(ext_page, url, text, profile=True, thread=thread, delay=delay)["stretches"]
            met &= report_line(name, data)
            if base_page:
                report_baseline(name, data, base)
        with_extension.context.close()
        if base_browser:
            base_browser.context.close()
    return met


def run_firefox(scratch: Path, port: int, token: str, site, unwatched, text: str, rounds: int,
                editors: list[str], extension: Path | None, baseline: Path | None = None, thread: int = 0,
                 delay: float = 0, dense: bool = False, *, allow=None) -> bool:
    """`allow(uuid)`: lets a Firefox install connect (the companion refuses installs it was not told
    about: without it the extension would only ever run its reduced check, never analyse or paint)."""
    from companion.testing.firefox import FirefoxBrowser

    met = True
    browser = FirefoxBrowser(scratch / "firefox-profile", extension=extension)
    base_browser = base_tab = base_plain_tab = None
    try:
        browser.set_settings({"port": port, "token": token})
        if allow:
            allow(browser.uuid)
        ext_tab = browser.new_tab()
        plain_tab = browser.new_tab()
        if baseline:
            base_browser = FirefoxBrowser(scratch / "baseline-firefox-profile", extension=baseline)
            base_browser.set_settings({"port": port, "token": token})
            if allow:
                allow(base_browser.uuid)
            base_tab = base_browser.new_tab()
            base_plain_tab = base_browser.new_tab()
        print(f"Typing cost in real rich editors (Firefox {browser.version}; {len(text)} characters{' (dense)' if dense else ''} typed "
              f"{pace(delay)}, {rounds} round(s), median content-process main-thread CPU time)"
              + (f"; a thread of {thread} messages above the composer" if thread else ""))
        print(HEADER, flush=True)
        for name in editors:
            data = {"with": [], "without": [], "long_with": [], "long_without": []}
            base = {"with": [], "without": [], "long_with": []}
            url, plain_url = urls(site, unwatched, name)
            def this_build() -> None:
                done = firefox_type_once(browser, ext_tab, url, text, thread, delay)
                data["with"].append(done["busy_ms"])
                data["long_with"] += done["long_tasks"]
                done = firefox_type_once(browser, plain_tab, plain_url, text, thread, delay)
                data["without"].append(done["busy_ms"])
                data["long_without"] += done["long_tasks"]

            def baseline_build() -> None:
                done = firefox_type_once(base_browser, base_tab, url, text, thread, delay)
                base["with"].append(done["busy_ms"])
                base["long_with"] += done["long_tasks"]
                done = firefox_type_once(base_browser, base_plain_tab, plain_url, text, thread, delay)
                base["without"].append(done["busy_ms"])

            for turn in range(rounds):
                for measure in in_turn(turn, this_build, baseline_build if base_tab else None):
                    measure()
            met &= report_line(name, data)
            if base_tab:
                report_baseline(name, data, base)
    finally:
        browser.close()
        if base_browser:
            base_browser.close()
    return met


def report_line(name: str, data: dict) -> bool:
    with_ms, without_ms = statistics.median(data["with"]), statistics.median(data["without"])
    ratio = with_ms / without_ms
    profiled = "stretches" in data
    longest = max(data.get("stretches", ()), default=0.0)
    long_with = f"{len(data['long_with'])} (max {max(data['long_with'], default=0):.0f} ms)"
    long_without = f"{len(data['long_without'])} (max {max(data['long_without'], default=0):.0f} ms)"
    stretch = f"{longest:19.1f} ms" if profiled else f"{'-':>22}"
    task = ""
    if data.get("task_with"):
        task = f"  {statistics.median(data['task_with']) / statistics.median(data['task_without']):9.2f}"
    print(f"  {name:<12} {with_ms:8.0f}ms {without_ms:8.0f}ms {ratio:7.2f}  {long_with:>13} / {long_without:<13}"
          f"  {stretch}{task}", flush=True)
    if profiled:
        return ratio <= RATIO_TARGET and longest < LONG_TASK_MS
    return ratio <= RATIO_TARGET and len(data["long_with"]) <= len(data["long_without"])


def report_baseline(name: str, data: dict, base: dict) -> None:
    """The baseline build's line against its own browser's runs without the extension (two browsers
    of identical code measured 1.52-1.58x of each other under load, so each build is divided by its
    own "without"), and the extension's own cost of this build relative to the baseline's, each as a
    fraction of its own "without" run."""
    with_ms, without_ms = statistics.median(data["with"]), statistics.median(data["without"])
    base_ms, base_without_ms = statistics.median(base["with"]), statistics.median(base["without"])
    long_with = f"{len(base['long_with'])} (max {max(base['long_with'], default=0):.0f} ms)"
    task = ""
    if base.get("task_with"):
        task = f"  {statistics.median(base['task_with']) / statistics.median(base['task_without']):9.2f}"
    print(f"  {'  baseline':<12} {base_ms:8.0f}ms {base_without_ms:8.0f}ms {base_ms / base_without_ms:7.2f}"
          f"  {long_with:>13}{'':16}  {'-':>22}{task}")
    own, base_own = with_ms / without_ms - 1, base_ms / base_without_ms - 1
    if base_own > 0:
        print(f"  {'':<12} extension's own cost {own:.2f} of its page vs baseline's {base_own:.2f}"
              f" ({own / base_own:.2f}x)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench-e2e editors", description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2000, help="characters typed per run (default 2000)")
    parser.add_argument("--rounds", type=int, default=1, help="with/without runs per editor (default 1)")
    parser.add_argument("--editor", action="append", choices=EDITORS, help="only this editor (repeatable)")
    parser.add_argument("--browser", choices=["chromium", "firefox"], default="chromium",
                        help="the browser to measure in (default chromium)")
    parser.add_argument("--extension", type=Path, metavar="DIR",
                        help="the unpacked extension to measure (default: extension/src of this checkout)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="a second unpacked build measured in the same run, interleaved (before/after)")
    parser.add_argument("--thread", type=int, default=0, metavar="N",
                        help="a conversation of N messages above the composer (default none)")
    parser.add_argument("--key-delay", type=float, default=0, metavar="MS",
                        help="wait MS ms between keys (default 0: as fast as keys are sent; a fast typist is ~100)")
    parser.add_argument("--dense", action="store_true",
                        help="type the old worst case: a contact detail in every other sentence (76 findings in 2,000 characters)")
    args = parser.parse_args(argv)
    if args.chars < 1 or args.rounds < 1 or args.thread < 0 or args.key_delay < 0:
        parser.error("--chars and --rounds must be positive, --thread and --key-delay not negative")
    for option, build in (("--extension", args.extension), ("--baseline", args.baseline)):
        if build and not (build / "manifest.json").is_file():
            parser.error(f"{option} {build}: no manifest.json there")
    # Firefox installs by absolute path.
    extension = args.extension.resolve() if args.extension else None
    baseline = args.baseline.resolve() if args.baseline else None
    return run(args.browser, args.chars, args.rounds, args.editor or EDITORS, extension, baseline, args.thread,
               args.key_delay, args.dense)


if __name__ == "__main__":
    sys.exit(main())
