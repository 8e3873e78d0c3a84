"""Latency of the real stack, as a user feels it (run through scripts/bench-e2e).

1. Last keystroke -> underline painted, over --trials trials per composer (textarea and
   contenteditable): each trial fills the composer with "... ana.souza<i>@gmail", lets it settle,
   then types ".com" as a fast burst (--burst-gap, default 15 ms between keys: faster than the
   extension's debounce, so the last keystroke waits for it — the worst case of a fast typist).
   A probe in the page takes the last keydown's timestamp and the moment the mark for the completed
   address is in the DOM and the next frame has been produced; the figure includes the debounce, the
   companion round trip and painting. (An edit touching a painted span drops it, so the mark can only
   come from the companion's answer to the completed text.)
2. The extension's main-thread time per keystroke while typing at 10 keys/s (every keystroke is
   analysed and painted): the renderer's V8 CPU profile (CDP Profiler, 50 us sampling) of each
   keystroke, counting samples with a chrome-extension:// frame on the stack (the content script's
   JavaScript, including layouts it forces); and, for context, Chromium's accounting of all the
   renderer main thread's work (CDP Performance.getMetrics TaskDuration, rendering included) with
   the extension and in a browser without it, same page. Long tasks (> 50 ms, PerformanceObserver)
   on the page are counted over the whole run.
3. The extension's JavaScript per second while nobody types and a block card and the chip are
   shown (--idle S seconds per composer, V8 profile as in 2): what keeping the card clear of the
   page's controls costs between keystrokes (the 400 ms look at the panels' spots, fields.js).

--browser firefox measures (1) in Firefox ESR (Marionette; the probe's result is read back from a
data attribute, as Marionette's scripts run in a sandbox of their own); (2) is Chromium's (CDP).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness import MOCK_PAGES, Companion, SiteServer, chromium_executable, free_port, launch_browser
from order_page import OrderPage

LATENCY_TARGET_P95_MS = 50.0
MAIN_THREAD_TARGET_MEDIAN_MS = 2.0
TYPING_GAP_MS = 100  # 10 keys per second
SETTLE_MS = 250
IDLE_S = 10.0
CARD_TIMEOUT_MS = 30_000  # the card of a typed message, on a loaded machine
TAIL = ".com"
SENTENCE = "Sure, write to ana.souza@gmail.com with the files. "
COMPOSERS = (("textarea", "chat"), ("contenteditable", "chat-rich"))

PROBE_JS = """([key, end]) => {
  const root = document.querySelector("contact-guard-root").shadowRoot;
  const wanted = `[data-cg-for="${key}"] .cg-mark[data-kind="email"][data-end="${end}"]`;
  window.cgProbe = new Promise((resolve, reject) => {
    let keyAt = null;
    const onKey = e => { keyAt = e.timeStamp; };
    window.addEventListener("keydown", onKey, {capture: true});
    const observer = new MutationObserver(() => {
      if (!root.querySelector(wanted)) return;
      const inDomAt = performance.now();
      observer.disconnect();
      window.removeEventListener("keydown", onKey, {capture: true});
      requestAnimationFrame(() => {  // after this frame's paint step, the underline is on screen
        const after = new MessageChannel();
        after.port1.onmessage = () => resolve({keyAt, inDomAt, paintedAt: performance.now()});
        after.port2.postMessage(null);
      });
    });
    observer.observe(root, {subtree: true, childList: true, attributes: true});
    setTimeout(() => { observer.disconnect(); reject(new Error("not painted within 5 s")); }, 5000);
  });
}"""

LONG_TASKS_JS = """() => { window.cgLongTasks = 0;
  new PerformanceObserver(list => { window.cgLongTasks += list.getEntries().length; })
    .observe({type: "longtask"}); }"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_latency(order: OrderPage, trials: int, burst_gap_ms: float) -> list[float]:
    samples = []
    for trial in range(trials):
        prefix = f"Sure, write to ana.souza{trial}@gmail"
        order.composer.fill(prefix)
        order.page.wait_for_timeout(SETTLE_MS)  # the prefix's own analysis is answered and painted
        order.page.evaluate(PROBE_JS, [order.composer_id, len(prefix + TAIL)])  # ASCII: UTF-16 length
        order.page.keyboard.type(TAIL, delay=burst_gap_ms)
        timing = order.page.evaluate("window.cgProbe")
        samples.append(timing["paintedAt"] - timing["keyAt"])
    return samples


def main_thread_ms_per_keystroke(page, composer_id: str, keystrokes: int, *, profile: bool) -> list[float]:
    """Per keystroke: the extension's JavaScript time (profile=True) or the renderer main thread's
    task time (profile=False; separate runs, as profiling slows the renderer down), in ms."""
    cdp = page.context.new_cdp_session(page)
    if profile:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 50})
    else:
        cdp.send("Performance.enable")

    def task_seconds() -> float:
        return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")

    page.locator(f"#{composer_id}").focus()
    samples = []
    text = (SENTENCE * (keystrokes // len(SENTENCE) + 1))[:keystrokes]
    for char in text:
        if profile:
            cdp.send("Profiler.start")
        else:
            before = task_seconds()
        page.keyboard.press(char)
        page.wait_for_timeout(TYPING_GAP_MS)
        if profile:
            samples.append(extension_js_ms(cdp.send("Profiler.stop")["profile"]))
        else:
            samples.append((task_seconds() - before) * 1000)
    cdp.detach()
    return samples


def idle_extension_js_ms_per_s(order: OrderPage, seconds: float) -> float:
    """Part (3): the composer gets a block message, its card opens; then nobody types for
    `seconds` while the renderer is profiled: the extension's JavaScript in ms per second."""
    page = order.page
    order.open()
    page.locator(f"#{order.composer_id}").focus()
    page.keyboard.type(SENTENCE)
    card = f'contact-guard-root [data-cg-for="{order.composer_id}"] > .cg-banner:not([hidden]):not([data-collapsed])'
    page.wait_for_selector(card, state="attached", timeout=CARD_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # the answers are in and painted: what follows is the idle page
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 50})
    cdp.send("Profiler.start")
    started = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    profile = cdp.send("Profiler.stop")["profile"]
    elapsed = time.monotonic() - started
    cdp.detach()
    return extension_js_ms(profile) / elapsed


def extension_samples(profile: dict) -> list[tuple[bool, float]]:
    """Each sample of a V8 CPU profile: whether a frame of the extension's scripts is on its stack,
    and its duration in ms."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", ())}
    verdicts: dict[int, bool] = {}

    def in_extension(node_id: int) -> bool:
        if node_id not in verdicts:
            own = nodes[node_id]["callFrame"]["url"].startswith("chrome-extension://")
            verdicts[node_id] = own or (node_id in parent and in_extension(parent[node_id]))
        return verdicts[node_id]

    return [(in_extension(sample), delta / 1000) for sample, delta in zip(profile["samples"], profile["timeDeltas"])]


def extension_js_ms(profile: dict) -> float:
    """Time of the samples whose stack holds a frame of the extension's scripts."""
    return sum(ms for own, ms in extension_samples(profile) if own)


# Firefox: the composer holds `text` with the caret at its end, as if typed (an input event follows).
FILL_JS = """([selector, text]) => { const el = document.querySelector(selector); el.focus();
  if (el.isContentEditable) {
    el.textContent = text;
    const range = document.createRange(); range.selectNodeContents(el); range.collapse(false);
    const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
  } else { el.value = text; el.setSelectionRange(text.length, text.length); }
  el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText'})); }"""
# Firefox: PROBE_JS's timings land in a data attribute of <html> (Marionette's sandbox is not kept).
FIREFOX_PROBE_JS = PROBE_JS.replace("window.cgProbe = new Promise(", "delete document.documentElement.dataset.cgProbe;\n  new Promise(") \
    .replace("  });\n}", "  }).then(t => { document.documentElement.dataset.cgProbe = JSON.stringify(t); },\n"
             "         e => { document.documentElement.dataset.cgProbe = JSON.stringify({error: String(e)}); });\n}")


def firefox_latency(trials: int, burst_gap_ms: float) -> tuple[dict, str]:
    """Part (1) in Firefox: {composer label: [ms]} and the Firefox version."""
    import json

    from companion.testing.firefox import FirefoxBrowser

    figures = {}
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as scratch, SiteServer() as site:
        companion = Companion(Path(scratch) / "config", free_port())
        token = companion.pair()
        companion.start()
        browser = FirefoxBrowser(Path(scratch) / "firefox-profile")
        try:
            browser.set_settings({"port": companion.port, "token": token})
            companion.allow_firefox(browser.uuid)
            tab = browser.new_tab()
            browser.client.switch_to_window(tab.handle)
            for label, name in COMPOSERS:
                file, selector, _send = MOCK_PAGES[name]
                tab.goto(site.order_page(file))
                deadline = time.monotonic() + 30
                while not tab.evaluate("() => document.querySelector('contact-guard-root')?.shadowRoot"
                                       "?.querySelector('.cg-status')?.dataset.status === 'connected'"):
                    if time.monotonic() > deadline:
                        raise AssertionError("the extension did not connect")
                    tab.click(selector)
                    time.sleep(0.1)
                key = tab.evaluate("(s) => { const el = document.querySelector(s); return el.id || el.getAttribute('name'); }", selector)
                samples = []
                for trial in range(trials):
                    prefix = f"Sure, write to ana.souza{trial}@gmail"
                    tab.evaluate(FILL_JS, [selector, prefix])
                    time.sleep(SETTLE_MS / 1000)
                    tab.evaluate(FIREFOX_PROBE_JS, [key, len(prefix + TAIL)])
                    tab.type(TAIL, delay=burst_gap_ms)
                    deadline = time.monotonic() + 10
                    while not (raw := tab.evaluate("() => document.documentElement.dataset.cgProbe")):
                        if time.monotonic() > deadline:
                            raise AssertionError("the probe never answered")
                        time.sleep(0.01)
                    timing = json.loads(raw)
                    if "error" in timing:
                        raise AssertionError(f"trial {trial}: {timing['error']}")
                    samples.append(timing["paintedAt"] - timing["keyAt"])
                figures[label] = samples
            return figures, browser.version
        finally:
            browser.close()
            companion.stop()


def report_latency(browser: str, version: str, latencies: dict[str, list[float]], trials: int,
                   burst_gap_ms: float) -> bool:
    """Print the keystroke -> underline table of one browser; True when every p95 meets the target."""
    print(f"Contact Guard end-to-end latency ({browser} {version}, real extension + companion)")
    print(f"\nLast keystroke of a burst ({burst_gap_ms:g} ms between keys) -> underline painted, "
          f"{trials} trials per composer (target p95 <= {LATENCY_TARGET_P95_MS:.0f} ms, debounce included):")
    print(f"  {'composer':<16} {'p50':>8} {'p95':>8} {'max':>8}")
    met = True
    for label, latency in latencies.items():
        p95 = percentile(latency, 0.95)
        met &= p95 <= LATENCY_TARGET_P95_MS
        print(f"  {label:<16} {statistics.median(latency):6.1f}ms {p95:6.1f}ms {max(latency):6.1f}ms")
    return met


def report_firefox(figures: dict, trials: int, burst_gap_ms: float, version: str) -> int:
    met = report_latency("Firefox", version, figures, trials, burst_gap_ms)
    print("  (main-thread time per keystroke: Chromium only, scripts/bench-e2e without --browser)")
    print(f"\n{'all targets met' if met else 'TARGET MISSED'}")
    return 0 if met else 1


def run(trials: int, keystrokes: int, burst_gap_ms: float, idle_s: float = IDLE_S) -> int:
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as scratch, SiteServer() as site, \
            sync_playwright() as playwright:
        companion = Companion(Path(scratch) / "config", free_port())
        token = companion.pair()
        companion.start()
        try:
            with_extension = launch_browser(playwright, Path(scratch) / "profile")
            with_extension.set_settings({"port": companion.port, "token": token})
            page = with_extension.context.new_page()
            for label, name in COMPOSERS:
                order = OrderPage(page, site, name).open()
                page.evaluate(LONG_TASKS_JS)
                latency = measure_latency(order, trials, burst_gap_ms)
                long_tasks = page.evaluate("window.cgLongTasks")
                figures[label] = {"latency": latency}
                for measure, profile in (("extension_js", True), ("task", False)):
                    order.open()
                    page.evaluate(LONG_TASKS_JS)
                    figures[label][measure] = main_thread_ms_per_keystroke(
                        page, order.composer_id, keystrokes, profile=profile)
                    long_tasks += page.evaluate("window.cgLongTasks")
                figures[label]["long_tasks"] = long_tasks
                if idle_s > 0:
                    figures[label]["idle"] = idle_extension_js_ms_per_s(order, idle_s)
            with_extension.context.close()

            plain = playwright.chromium.launch(executable_path=chromium_executable(), headless=True)
            version = plain.version
            page = plain.new_page()
            for label, name in COMPOSERS:
                order = OrderPage(page, site, name)
                page.goto(order.url)
                figures[label]["baseline"] = main_thread_ms_per_keystroke(
                    page, order.composer_id, keystrokes, profile=False)
            plain.close()
        finally:
            companion.stop()
    return report(figures, trials, keystrokes, burst_gap_ms, version)


def report(figures: dict, trials: int, keystrokes: int, burst_gap_ms: float, version: str) -> int:
    met = report_latency("Chromium", version, {label: data["latency"] for label, data in figures.items()},
                         trials, burst_gap_ms)
    print(f"\nMain-thread time per keystroke, {keystrokes} keystrokes at {1000 // TYPING_GAP_MS} keys/s "
          f"(target: extension median <= {MAIN_THREAD_TARGET_MEDIAN_MS:.0f} ms):")
    print(f"  {'composer':<16} {'extension JS':>14} {'p95':>8}   {'renderer total with / without ext':>34} "
          f"{'long tasks':>11}")
    for label, data in figures.items():
        extension_js = data["extension_js"]
        median_js = statistics.median(extension_js)
        met &= median_js <= MAIN_THREAD_TARGET_MEDIAN_MS
        with_ext = statistics.median(data["task"])
        without = statistics.median(data["baseline"])
        print(f"  {label:<16} {median_js:12.2f}ms {percentile(extension_js, 0.95):6.2f}ms   "
              f"{with_ext:23.2f}ms / {without:5.2f}ms {data['long_tasks']:>11}")
    print("  (extension JS: V8 profile samples in the content script; renderer total: CDP TaskDuration)")
    idle = {label: data["idle"] for label, data in figures.items() if "idle" in data}
    if idle:
        print("\nExtension JS while nobody types, a block card and the chip shown (no target; the 400 ms look "
              "at the panels' spots):")
        for label, ms_per_s in idle.items():
            print(f"  {label:<16} {ms_per_s:8.2f} ms/s")
    print(f"\n{'all targets met' if met else 'TARGET MISSED'}")
    return 0 if met else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench-e2e", description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100, help="latency trials per composer (default 100)")
    parser.add_argument("--keystrokes", type=int, default=100,
                        help="keystrokes sampled for main-thread time per composer (default 100)")
    parser.add_argument("--burst-gap", type=float, default=15.0, metavar="MS",
                        help="ms between the keys of the measured burst (default 15)")
    parser.add_argument("--browser", choices=["chromium", "firefox"], default="chromium",
                        help="firefox: the keystroke -> underline latency in Firefox ESR (default chromium)")
    parser.add_argument("--idle", type=float, default=IDLE_S, metavar="S",
                        help=f"seconds profiled idle with a card shown, per composer (default {IDLE_S:.0f}; 0: skip)")
    args = parser.parse_args(argv)
    if args.trials < 1 or args.keystrokes < 1 or args.burst_gap < 0:
        parser.error("--trials and --keystrokes must be positive, --burst-gap not negative")
    if args.browser == "firefox":
        figures, version = firefox_latency(args.trials, args.burst_gap)
        return report_firefox(figures, args.trials, args.burst_gap, version)
    return run(args.trials, args.keystrokes, args.burst_gap, args.idle)


if __name__ == "__main__":
    sys.exit(main())
