"""What the extension costs while typing in the seven real rich editors and a textarea
(scripts/bench-e2e editors [--browser chromium|firefox]).

For each editor page (e2e/editors, Enter makes a paragraph; `textarea` is a plain <textarea> on the
same page) the same --chars characters (default 2,000: a long message with a contact detail every
500 characters, 4 findings in 2,000; --dense: one in every other sentence, 76 findings) are typed as
fast as the driver sends keys, in one browser with the extension and a paired companion, on the page
served on 127.0.0.1 (where the extension runs) and on the same page served on 127.0.0.2 (which no
content script matches: the same browser, processes and settings, without the extension's work;
another site, so another renderer or content process). The method (e2e/README.md says why):

- typing cost: the CPU time of the page's main thread (the content script runs on that thread; CPU
  time, not wall time: on a loaded machine a task's wall time also counts the time its thread waited
  for a core). Chromium: the renderer main thread's scheduler run time (schedstat, ns, Linux);
  Firefox: the main thread of the page's content process (ChromeUtils.requestProcInfo). Each round
  types the text into both pages, --chunk characters at a time taking turns (ABBA; each page in a
  window of its own), and counts each page's CPU time during its own turns only (type_pair), so
  that both meet the same load; --chunk 0 runs whole runs one after the other instead (with first
  in even rounds). A round's ratio is its with / its without, and the line gives the median of the
  rounds' ratios, their spread (min-max), a 95 % interval of the median and the load average range
  (target: median <= 1.2). Chromium prints the renderer's task time ratio (CDP TaskDuration, wall
  time) last;
- long tasks: after the rounds, one traced run with the extension and one without (bench_trace.py:
  Chromium's tracing, Firefox's profiler). A long task (> 50 ms wall) is the extension's when its
  CPU time is over 50 ms and would not be without the extension's own script time in it (target:
  none). Tasks long only because the machine is loaded, or by the page's own work, are shown but
  do not count against it.

--key-delay MS waits MS ms between keys: the default types as fast as keys are sent, a load no human
makes (the extension paces its analyses to a burst like that); 100 is a fast typist.
--thread N puts a conversation of N earlier messages above the composer (both pages), in a scroll box
scrolled to its end as chat pages do; each message has some text, two links and a button: the page
the extension's placement of its card and chip has to keep clear of is then a long one.

Every run checks that the editor's model ends with exactly the typed text. --extension DIR measures
another build of the extension (an unpacked copy of an older commit). --baseline DIR measures a second
build in the same run, in a second browser, its rounds interleaved with this build's (this build's
pair first in even rounds, the baseline's in odd ones: use an even --rounds), so that a before/after
is not skewed by the load changing between two runs nor by the order; each build's ratio is taken
against the "without" page of its own browser (two browsers of the same code differ by up to 1.5x
under load), and the change is each round's ratio of this build minus the baseline's in the same
round. The load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import math
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

import bench_trace
from harness import E2E_DIR, Companion, SiteServer, free_port, launch_browser

EDITORS = ["prosemirror", "tiptap", "lexical", "draft", "slate", "quill", "ckeditor", "textarea"]
COMPOSER = '[contenteditable="true"], textarea'

RATIO_TARGET = 1.2
READY_TIMEOUT_S = 120  # an editor page's bundle loads slowly on a loaded machine
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


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def check_model(model: str, text: str) -> None:
    if model != text:
        at = next((i for i, (a, b) in enumerate(zip(model, text)) if a != b), min(len(model), len(text)))
        raise AssertionError(f"typed text not intact: {len(model)} characters in the model, {len(text)} typed; from"
                             f" character {at} the model has {model[max(0, at - 20):at + 20]!r}, typed {text[max(0, at - 20):at + 20]!r}")


def renderer_cpu_ns(profile_dir: Path) -> dict[int, int]:
    """Main-thread CPU time (ns) of each page renderer of the Chromium using `profile_dir`: the
    scheduler's own account of the time the thread ran (/proc/PID/task/PID/schedstat, first field;
    Linux), exact to the nanosecond where /proc's utime+stime count 10 ms clock ticks (2,000
    characters are 150-800 ticks: a tick's rounding was up to 0.7 % of a run)."""
    cpu = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            # Renderers rewrite their title: one string, words separated by spaces or NULs.
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ") + b" "
            if b"--type=renderer " not in command or b"--extension-process " in command or \
                    f"--user-data-dir={profile_dir} ".encode() not in command:
                continue
            task = proc / "task" / proc.name
            try:
                cpu[int(proc.name)] = int((task / "schedstat").read_text().split()[0])
            except (OSError, IndexError, ValueError):  # no schedstat (kernel without schedstats): ticks
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                cpu[int(proc.name)] = (int(fields[11]) + int(fields[12])) * 10**9 // os.sysconf("SC_CLK_TCK")
        except OSError:  # gone meanwhile
            continue
    return cpu


def open_editor(page, url: str) -> None:
    """Loads an editor page, a second time when it did not get ready: on the shared machine (load
    average 20-30) a page load now and then never finished, which ended a run of 20 minutes. The
    page is brought to the front first: TipTap's page loaded into the window behind (the interleaved
    round's second window) twice never got ready in 2 x 120 s at load 5-9."""
    for attempt in (1, 2):
        page.bring_to_front()
        page.goto(url)
        try:
            page.wait_for_selector("html[data-editor-ready]", timeout=READY_TIMEOUT_S * 1000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            print(f"  ({url} did not get ready in {READY_TIMEOUT_S} s: loaded again)", flush=True)


def type_once(page, url: str, text: str, *, trace: bool = False, profile_dir: Path | None = None,
              thread: int = 0, delay: float = 0) -> dict:
    """One run in Chromium: the renderer main thread's CPU time (/proc) and task time (CDP), the
    Long Tasks API's entries; `trace`: instead a traced run, read by bench_trace (who did what)."""
    page.bring_to_front()
    open_editor(page, url)
    if thread:
        page.evaluate(THREAD_JS, thread)
    page.locator(COMPOSER).first.click()
    page.evaluate(LONG_TASKS_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if trace:
        bench_trace.start(cdp)

    def task_seconds() -> float:
        return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")

    before = task_seconds()
    cpu_before = renderer_cpu_ns(profile_dir) if profile_dir else {}
    page.keyboard.type(text, delay=delay)
    page.wait_for_timeout(300)  # the last answers are painted
    task_ms = (task_seconds() - before) * 1000
    cpu_after = renderer_cpu_ns(profile_dir) if profile_dir else {}
    cpu_ms = max((cpu_after[pid] - cpu_before.get(pid, 0) for pid in cpu_after), default=0) / 1e6
    result = {"busy_ms": cpu_ms, "task_ms": task_ms, "long_tasks": page.evaluate("window.cgLongTasks")}
    if trace:
        result["traced"] = bench_trace.main_thread(bench_trace.stop(cdp)).summary()
    check_model(page.evaluate("window.__editorModelText()"), text)
    cdp.detach()
    return result


def _open_firefox_page(client, tab, url: str, thread: int) -> str:
    """Load `url` in `tab`'s window, wait for its editor, give it the page's own thread if asked and
    click into the composer (a real click: the editor takes the focus and the caret); returns the
    page's site, the key of its content process in PROC_JS."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    client.switch_to_window(tab.handle)
    tab.goto(url)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not tab.evaluate("() => document.documentElement.dataset.editorReady === 'true'"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not get ready")
        time.sleep(0.05)
    if thread:
        tab.evaluate(THREAD_JS, thread)
    tab.click(COMPOSER)
    return f"{parts.scheme}://{parts.hostname}"


def firefox_type_once(browser, tab, url: str, text: str, thread: int = 0, delay: float = 0,
                      trace: bool = False) -> dict:
    """One run in Firefox: the page's content-process main thread CPU time; `trace`: instead a run
    under Firefox's profiler, read by bench_trace (long tasks and the extension's part in them)."""
    client = browser.client
    site = _open_firefox_page(client, tab, url, thread)

    def cpu_ms() -> float:
        with client.using_context("chrome"):
            return client.execute_async_script(PROC_JS)[site] / 1e6

    time.sleep(0.3)
    if trace:
        with client.using_context("chrome"):
            client.execute_async_script(bench_trace.GECKO_START_JS)
    before = cpu_ms()
    tab.type(text, delay=delay)
    time.sleep(0.3)  # the last answers are painted
    busy_ms = cpu_ms() - before
    result = {"busy_ms": busy_ms, "long_tasks": []}
    if trace:
        with client.using_context("chrome"):
            profile = json.loads(client.execute_async_script(bench_trace.GECKO_STOP_JS))
        result["traced"] = bench_trace.gecko_main_thread(profile).summary()
    check_model(tab.evaluate(MODEL_JS), text)
    return result


# Characters per turn of an interleaved round (--chunk).
CHUNK = 200
# How long a page's turn lasts after its last key of a chunk: the work the keys left (the frame,
# the extension's send 50 ms after the last key, its answer and painting) falls in its own turn.
CHUNK_SETTLE_S = 0.1


def thread_cpu_ns(pid: int) -> int:
    """CPU time (ns) of the main thread of process `pid` (schedstat)."""
    return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0])


def chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def busiest(before: dict[int, int], after: dict[int, int]) -> int | None:
    return max(after, key=lambda pid: after[pid] - before.get(pid, 0), default=None)


def renderer_of(page, profile_dir: Path) -> int | None:
    """The renderer process (pid) of `page`: the one whose main thread works while the page spins
    for 300 ms (taken only when it clearly worked the most: another renderer may still be busy
    loading its page; on a loaded machine 300 ms of wall time are far fewer of CPU)."""
    for _ in range(5):
        before = renderer_cpu_ns(profile_dir)
        page.evaluate("() => { const end = performance.now() + 300; while (performance.now() < end); }")
        after = renderer_cpu_ns(profile_dir)
        pid = busiest(before, after)
        if pid is None:
            continue
        others = sum(after[other] - before.get(other, 0) for other in after if other != pid)
        if after[pid] - before.get(pid, 0) >= max(20e6, 3 * others):
            return pid
    return None


def type_pair(pages: tuple, urls_: tuple[str, str], text: str, *, profile_dir: Path, chunk: int,
              turn: int, thread: int = 0, delay: float = 0) -> tuple[dict, dict]:
    """One round in Chromium, interleaved: the same text typed into the page with the extension and
    the page without it (each in its own window: a background tab gets no frames), CHUNK characters
    at a time taking turns (with first in even rounds, and the order flips each chunk: ABBA), so that
    both see the same load within a second or so rather than the load of their own minute. Each
    page's cost is the CPU time of its own renderer's main thread (schedstat) during its own turns
    (each chunk's keys and CHUNK_SETTLE_S after them) and the 300 ms after the last chunk: the time
    a page sits idle while the other one is typed into is nobody's (the extension's 400 ms look at
    the page would otherwise count twice as often as in a whole run)."""
    for page, url in zip(pages, urls_):
        open_editor(page, url)
        if thread:
            page.evaluate(THREAD_JS, thread)
        page.locator(COMPOSER).first.click()
        page.evaluate(LONG_TASKS_JS)
    pids = [renderer_of(page, profile_dir) for page in pages]
    if None in pids or pids[0] == pids[1]:
        raise AssertionError(f"the two pages' renderers were not told apart: {pids}")
    cdps = [page.context.new_cdp_session(page) for page in pages]
    for cdp in cdps:
        cdp.send("Performance.enable")

    def task_seconds(cdp) -> float:
        return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")

    tasks = [task_seconds(cdp) for cdp in cdps]
    spent = [0, 0]

    def typed(which: int, part: str) -> None:
        before = thread_cpu_ns(pids[which])
        pages[which].keyboard.type(part, delay=delay)
        time.sleep(CHUNK_SETTLE_S)
        spent[which] += thread_cpu_ns(pids[which]) - before

    for i, part in enumerate(chunks(text, chunk)):
        for which in (0, 1) if (turn + i) % 2 == 0 else (1, 0):
            typed(which, part)
    # The last answers are painted (both pages wait the same 300 ms, as one whole run does).
    ends = [thread_cpu_ns(pid) for pid in pids]
    time.sleep(0.3)
    for which, pid in enumerate(pids):
        spent[which] += thread_cpu_ns(pid) - ends[which]
    results = []
    for page, cdp, pid, task in zip(pages, cdps, pids, tasks):
        results.append({"busy_ms": spent[pids.index(pid)] / 1e6, "task_ms": (task_seconds(cdp) - task) * 1000,
                        "long_tasks": page.evaluate("window.cgLongTasks")})
        check_model(page.evaluate("window.__editorModelText()"), text)
        cdp.detach()
    return results[0], results[1]


def firefox_type_pair(browser, tabs: tuple, urls_: tuple[str, str], text: str, *, chunk: int, turn: int,
                      thread: int = 0, delay: float = 0) -> tuple[dict, dict]:
    """One round in Firefox, interleaved as type_pair (each page in its own window); each page's cost
    is the CPU time of its content process's main thread (the two sites have their own processes)."""
    client = browser.client
    sites = []
    for tab, url in zip(tabs, urls_):
        sites.append(_open_firefox_page(client, tab, url, thread))

    def cpu_ms() -> dict:
        with client.using_context("chrome"):
            return client.execute_async_script(PROC_JS)

    time.sleep(0.3)
    spent = [0.0, 0.0]
    for i, part in enumerate(chunks(text, chunk)):
        for which in (0, 1) if (turn + i) % 2 == 0 else (1, 0):
            # Each turn's window takes the focus: Draft.js puts keys typed into a window without it
            # out of order (its first key, an Enter). A focus change per turn is the extension's
            # work too (focus listeners, the chip): about 1 % against it at 200 characters a turn.
            client.switch_to_window(tabs[which].handle, focus=True)
            before = cpu_ms()[sites[which]]
            tabs[which].type(part, delay=delay)
            time.sleep(CHUNK_SETTLE_S)
            spent[which] += cpu_ms()[sites[which]] - before
    # The last answers are painted (both pages wait the same 300 ms, as one whole run does).
    ends = cpu_ms()
    time.sleep(0.3)
    after = cpu_ms()
    for which, site in enumerate(sites):
        spent[which] += after[site] - ends[site]
    results = []
    for tab, site in zip(tabs, sites):
        client.switch_to_window(tab.handle, focus=False)
        check_model(tab.evaluate(MODEL_JS), text)
        results.append({"busy_ms": spent[sites.index(site)] / 1e6, "long_tasks": []})
    return results[0], results[1]


def in_turn(turn: int, this_build, baseline_build) -> list:
    """The two builds' runs of round `turn`, the build that goes first alternating: on the shared
    machine whichever pair went first read slower (ProseMirror, Chromium, the same two builds, 3
    rounds each way: 1.80 first vs 1.68, then 1.90 first vs 1.62), so a fixed order set them apart."""
    if baseline_build is None:
        return [this_build]
    return [this_build, baseline_build] if turn % 2 == 0 else [baseline_build, this_build]


class Build:
    """One build's figures for one editor: each round's runs with and without the extension, taken
    one right after the other (with first in even rounds, without first in odd ones), and its
    traced runs. The ratio of a round is its with / its without: the two runs of a round met the
    same load."""

    def __init__(self, run_with, run_without, run_pair=None) -> None:
        self.run_with, self.run_without = run_with, run_without
        self.run_pair = run_pair  # (turn) -> (with, without): the interleaved round (--chunk)
        self.with_ms: list[float] = []
        self.without_ms: list[float] = []
        self.task_with: list[float] = []
        self.task_without: list[float] = []
        self.long_with: list[float] = []
        self.long_without: list[float] = []
        self.loads: list[float] = []
        self.traced: dict[str, dict] = {}

    def measure(self, turn: int) -> None:
        self.loads.append(os.getloadavg()[0])
        runs = [("with", self.run_with), ("without", self.run_without)]
        if self.run_pair:
            pair = dict(zip(("with", "without"), self.run_pair(turn)))
            runs = [(label, lambda _trace, label=label: pair[label]) for label in ("with", "without")]
        for label, run in runs if turn % 2 == 0 else runs[::-1]:
            done = run(False)
            getattr(self, f"{label}_ms").append(done["busy_ms"])
            if "task_ms" in done:
                getattr(self, f"task_{label}").append(done["task_ms"])
            getattr(self, f"long_{label}").extend(done["long_tasks"])
        self.loads.append(os.getloadavg()[0])

    def trace(self, which: tuple[str, ...] = ("with", "without")) -> None:
        for label in which:
            self.traced[label] = (self.run_with if label == "with" else self.run_without)(True)["traced"]

    @property
    def ratios(self) -> list[float]:
        return [w / n for w, n in zip(self.with_ms, self.without_ms)]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float, float] | None:
    """A distribution-free confidence interval of the median of `values` (each round's ratio):
    (low, high, coverage), the k-th smallest and k-th largest value for the largest k whose
    coverage, from the binomial distribution of how many values fall below the true median, is
    still at least `confidence`. None with too few values (fewer than 6 for 95 %): 4 rounds give
    [min, max] at 87.5 % only, which is why round 11's ranges all held 1.2 and decided nothing."""
    ordered = sorted(values)
    n = len(ordered)
    below = 0.0  # P(Binomial(n, 1/2) <= k - 1)
    best = None
    for k in range(1, n // 2 + 1):
        below += math.comb(n, k - 1) / 2 ** n
        coverage = 1 - 2 * below
        if coverage < confidence:
            break
        best = (ordered[k - 1], ordered[n - k], coverage)
    return best


def verdict(values: list[float], target: float = RATIO_TARGET) -> str:
    """'met' when the whole interval of the median is at or under `target`, 'missed' when it is
    all over it, 'open' when it holds the target (more rounds, or a larger change, decide it)."""
    interval = median_interval(values)
    if interval is None:
        return "few"
    low, high, _ = interval
    return "met" if high <= target else "missed" if low > target else "open"


HEADER = (f"  {'editor':<12} {'with ext':>9} {'without':>9} {'ratio':>6} {'(min-max)':>11} {'95% CI':>11}"
          f" {'target':>6} {'load':>9}"
          f"  {'traced: long tasks with/without':>31} {'ext':>4} {'ext max':>8} {'ext share':>9}  {'task ratio':>10}")


def run(browser_name: str, chars: int, rounds: int, editors: list[str], extension: Path | None,
        baseline: Path | None = None, thread: int = 0, delay: float = 0, dense: bool = False,
        steps: bool = False, chunk: int = 0) -> int:
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
                                  extension, baseline, thread, delay, dense, allow=companion.allow_firefox, chunk=chunk)
            else:
                met = run_chromium(Path(scratch), companion.port, token, site, unwatched, text, rounds, editors,
                                   extension, baseline, thread, delay, dense, steps, chunk)
        finally:
            companion.stop()
    print(f"  (targets: median ratio <= {RATIO_TARGET}, 'target' met when the median's 95% CI is all under it,"
          f" missed when all over, open when it holds it; no long task the extension made long: 'ext' = 0)")
    print(f"load average after: {load_average()}")
    print(f"\n{'all targets met' if met else 'TARGET MISSED'}")
    return 0 if met else 1


def pace(delay: float) -> str:
    return f"{delay:g} ms apart" if delay else "as fast as keys are sent"


def urls(site, unwatched, name: str) -> tuple[str, str]:
    path = f"/editor.html?editor={name}&enter=newline"
    return site.origin + path, unwatched.origin + path


def measure_editor(name: str, rounds: int, this: Build, base: Build | None, steps: bool = False) -> bool:
    """`rounds` rounds of both builds (interleaved, see in_turn and Build.measure), then the traced
    runs; prints the lines of `name` (`steps`: and where the traced runs' main-thread time went)."""
    for turn in range(rounds):
        for build in in_turn(turn, this, base):
            build.measure(turn)
    if TRACED_RUNS:
        this.trace()
        if base:
            base.trace(("with",))
    met = report_line(name, this)
    if base:
        report_baseline(this, base)
    if steps:
        report_steps(this, base)
    return met


STEPS_SHOWN = 14
# False (--no-trace): no traced runs after the rounds (the long-task columns show '-'): a third less
# time for a run that only compares ratios.
TRACED_RUNS = True


def report_steps(this: Build, base: Build | None) -> None:
    """Chromium: the self thread time of each kind of trace event (Paint, Layout, UpdateLayoutTree,
    FunctionCall, ...) in the traced run with the extension and without it (and the baseline's with),
    the steps that differ most first: where the extension's extra cost is spent, its own script or
    the rendering work it makes the browser do. One traced run each: a hint, not a figure."""
    runs = [("with", this.traced.get("with")), ("without", this.traced.get("without"))]
    if base:
        runs.append(("base with", base.traced.get("with")))
    if not all(run and run.get("steps") for _, run in runs):
        return
    names = set().union(*(run["steps"] for _, run in runs))
    with_, without = runs[0][1]["steps"], runs[1][1]["steps"]
    names = sorted(names, key=lambda n: -abs(with_.get(n, 0.0) - without.get(n, 0.0)))[:STEPS_SHOWN]
    print(f"  {'':<12} traced main thread: " + " / ".join(f"{label} {run['cpu_ms']:.0f} ms" for label, run in runs)
          + "; self thread time by step (ms):")
    for step in names:
        print(f"  {'':<14}{step:<44}" + " ".join(f"{run['steps'].get(step, 0.0):9.1f}" for _, run in runs))


def new_window(context, opener):
    """A page in a window of its own: a second tab of the same window is in the background, and a
    background tab gets no animation frames (an interleaved round types into both in turn)."""
    cdp = context.new_cdp_session(opener)
    with context.expect_page() as opened:
        cdp.send("Target.createTarget", {"url": "about:blank", "newWindow": True})
    cdp.detach()
    return opened.value


def run_chromium(scratch: Path, port: int, token: str, site, unwatched, text: str, rounds: int,
                 editors: list[str], extension: Path | None, baseline: Path | None = None, thread: int = 0,
                 delay: float = 0, dense: bool = False, steps: bool = False, chunk: int = 0) -> bool:
    met = True
    with sync_playwright() as playwright:
        kwargs = {"extension_dir": extension} if extension else {}
        with_extension = launch_browser(playwright, scratch / "profile", **kwargs)
        with_extension.set_settings({"port": port, "token": token})

        def two_pages(browser, profile_dir: Path) -> tuple:
            first = browser.context.new_page()
            return first, new_window(browser.context, first), profile_dir

        pages = {"this": two_pages(with_extension, scratch / "profile")}
        base_browser = None
        if baseline:
            base_browser = launch_browser(playwright, scratch / "baseline-profile", extension_dir=baseline)
            base_browser.set_settings({"port": port, "token": token})
            pages["base"] = two_pages(base_browser, scratch / "baseline-profile")
        version = pages["this"][0].evaluate("navigator.userAgent.match(/Chrome\\/([\\d.]+)/)?.[1] ?? '?'")
        print(f"Typing cost in real rich editors (Chromium {version}; {len(text)} characters{' (dense)' if dense else ''} typed "
              f"{pace(delay)}, {rounds} round(s): renderer main-thread CPU time, median of each round's with/without;"
              f" traced runs: Chromium tracing)" + (f"; a thread of {thread} messages above the composer" if thread else ""))
        print(HEADER, flush=True)

        def build(which: str, url: str, plain_url: str) -> Build:
            ext_page, plain_page, profile_dir = pages[which]
            pair = None
            if chunk:
                def pair(turn: int) -> tuple[dict, dict]:
                    return type_pair((ext_page, plain_page), (url, plain_url), text, profile_dir=profile_dir, chunk=chunk,
                                     turn=turn, thread=thread, delay=delay)
            return Build(
                lambda trace: type_once(ext_page, url, text, trace=trace, profile_dir=profile_dir, thread=thread, delay=delay),
                lambda trace: type_once(plain_page, plain_url, text, trace=trace, profile_dir=profile_dir, thread=thread,
                                        delay=delay),
                pair)

        for name in editors:
            url, plain_url = urls(site, unwatched, name)
            met &= measure_editor(name, rounds, build("this", url, plain_url),
                                  build("base", url, plain_url) if baseline else None, steps)
        with_extension.context.close()
        if base_browser:
            base_browser.context.close()
    return met


def run_firefox(scratch: Path, port: int, token: str, site, unwatched, text: str, rounds: int,
                editors: list[str], extension: Path | None, baseline: Path | None = None, thread: int = 0,
                delay: float = 0, dense: bool = False, *, allow=None, chunk: int = 0) -> bool:
    """`allow(uuid)`: lets a Firefox install connect (the companion refuses installs it was not told
    about: without it the extension would only ever run its reduced check, never analyse or paint)."""
    from companion.testing.firefox import FirefoxBrowser, FirefoxTab

    met = True
    browsers = {}
    try:
        for which, build_dir in (("this", extension), ("base", baseline)):
            if which == "base" and not baseline:
                continue
            browser = FirefoxBrowser(scratch / f"{which}-firefox-profile", extension=build_dir)
            browsers[which] = browser
            browser.set_settings({"port": port, "token": token})
            if allow:
                allow(browser.uuid)
            # Each page in a window of its own (a background tab gets no frames: see new_window).
            first = browser.new_tab()
            second = FirefoxTab(browser, browser.client.open(type="window", focus=False)["handle"])
            browsers[which] = (browser, first, second)
        print(f"Typing cost in real rich editors (Firefox {browsers['this'][0].version}; {len(text)} characters"
              f"{' (dense)' if dense else ''} typed {pace(delay)}, {rounds} round(s): content-process main-thread CPU time,"
              f" median of each round's with/without; traced runs: Firefox's profiler)"
              + (f"; a thread of {thread} messages above the composer" if thread else ""))
        print(HEADER, flush=True)

        def build(which: str, url: str, plain_url: str) -> Build:
            browser, ext_tab, plain_tab = browsers[which]
            pair = None
            if chunk:
                def pair(turn: int) -> tuple[dict, dict]:
                    return firefox_type_pair(browser, (ext_tab, plain_tab), (url, plain_url), text, chunk=chunk, turn=turn,
                                             thread=thread, delay=delay)
            return Build(lambda trace: firefox_type_once(browser, ext_tab, url, text, thread, delay, trace),
                         lambda trace: firefox_type_once(browser, plain_tab, plain_url, text, thread, delay, trace),
                         pair)

        for name in editors:
            url, plain_url = urls(site, unwatched, name)
            met &= measure_editor(name, rounds, build("this", url, plain_url),
                                  build("base", url, plain_url) if baseline else None)
    finally:
        for entry in browsers.values():
            (entry[0] if isinstance(entry, tuple) else entry).close()
    return met


def traced_columns(build: Build) -> str:
    with_, without = build.traced.get("with"), build.traced.get("without")
    if not with_:
        return f"{'-':>31} {'-':>4} {'-':>8} {'-':>9}"
    long_with = f"{len(with_['long'])} (max {max(with_['long'], default=0):.0f} ms)"
    long_without = f"{len(without['long'])} (max {max(without['long'], default=0):.0f} ms)" if without else "-"
    return (f"{long_with:>15} / {long_without:<13} {len(with_['extensions']):>4} {with_['longest_own_ms']:6.1f}ms"
            f" {with_['share']:9.1%}")


def ratio_columns(build: Build) -> str:
    ratios = build.ratios
    spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
    interval = median_interval(ratios)
    ci = f"{interval[0]:.2f}-{interval[1]:.2f}" if interval else "-"
    loads = f"{min(build.loads):.0f}-{max(build.loads):.0f}"
    return (f"{statistics.median(build.with_ms):7.0f}ms {statistics.median(build.without_ms):7.0f}ms"
            f" {build.ratio:6.2f} {spread:>11} {ci:>11} {verdict(ratios):>6} {loads:>9}")


def report_line(name: str, build: Build) -> bool:
    task = ""
    if build.task_with:
        task = f"  {statistics.median([w / n for w, n in zip(build.task_with, build.task_without)]):10.2f}"
    print(f"  {name:<12} {ratio_columns(build)}  {traced_columns(build)}{task}", flush=True)
    extensions = build.traced["with"]["extensions"] if "with" in build.traced else []
    for wall, cpu, own in extensions:
        print(f"  {'':<12} a long task the extension made long: {wall:.0f} ms, {cpu:.0f} ms CPU, {own:.0f} ms its own")
    return build.ratio <= RATIO_TARGET and not extensions


def report_baseline(this: Build, base: Build) -> None:
    """The baseline build's line (its ratios against its own browser's runs without the extension:
    two browsers of identical code measured 1.52-1.58x of each other under load), then the change
    of the extension's cost: each round's ratio of this build minus the baseline's in the same round."""
    task = ""
    if base.task_with:
        task = f"  {statistics.median([w / n for w, n in zip(base.task_with, base.task_without)]):10.2f}"
    print(f"  {'  baseline':<12} {ratio_columns(base)}  {traced_columns(base)}{task}")
    deltas = [a - b for a, b in zip(this.ratios, base.ratios)]
    interval = median_interval(deltas)
    ci = f", 95% CI {interval[0]:+.2f} to {interval[1]:+.2f}" if interval else ""
    print(f"  {'':<12} ratio change (this - baseline, round by round): median {statistics.median(deltas):+.2f}"
          f" (min {min(deltas):+.2f}, max {max(deltas):+.2f}{ci})", flush=True)


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
    parser.add_argument("--steps", action="store_true",
                        help="Chromium: print the traced runs' main-thread time by step (Paint, Layout, style, script...)")
    parser.add_argument("--chunk", type=int, default=CHUNK, metavar="N",
                        help=f"each round types N characters into the page with the extension, then N into the one"
                             f" without, in turn (default {CHUNK}; 0: one whole run, then the other)")
    parser.add_argument("--no-trace", action="store_true",
                        help="skip the traced runs (long tasks, --steps): ratios only, a third faster")
    args = parser.parse_args(argv)
    global TRACED_RUNS
    TRACED_RUNS = not args.no_trace
    if args.chars < 1 or args.rounds < 1 or args.thread < 0 or args.key_delay < 0 or args.chunk < 0:
        parser.error("--chars and --rounds must be positive, --thread and --key-delay not negative")
    for option, build in (("--extension", args.extension), ("--baseline", args.baseline)):
        if build and not (build / "manifest.json").is_file():
            parser.error(f"{option} {build}: no manifest.json there")
    # Firefox installs by absolute path.
    extension = args.extension.resolve() if args.extension else None
    baseline = args.baseline.resolve() if args.baseline else None
    return run(args.browser, args.chars, args.rounds, args.editor or EDITORS, extension, baseline, args.thread,
               args.key_delay, args.dense, args.steps, args.chunk)


if __name__ == "__main__":
    sys.exit(main())
