"""Where a page's main thread spends its CPU time, and whose its long tasks are (for
e2e/bench_editors.py): Chromium's tracing through CDP, Firefox's own profiler through Marionette.

Chromium: a trace gives every task of the renderer's main thread with its wall time (`dur`) and its thread
(CPU) time (`tdur`), and inside it each call into JavaScript (FunctionCall, EvaluateScript, ...)
with the URL of the script called. The extension's JavaScript is the calls into its own scripts
(chrome-extension://): their thread time counts for it, the layout and style its code forces
included (they run inside the call). The trace names only the outermost call of a task, so with V8's
stack samples (start(samples=True)) the samples decide instead (see _attribute_by_samples).

Firefox: its profiler (Services.profiler, sampling every 1 ms with each sample's thread CPU time)
marks each task of a main thread over 50 ms (a "LongTask" marker); the samples inside a marker
whose innermost script frame is one of the extension's scripts (moz-extension://) are its time in
that task (the same rule: an editor's handler inside an event the extension dispatched is the page's).

Either way a long task counts against the extension only when the extension made it long (see
Task.extensions): a task long because its thread waited for a core on a loaded machine, or long by
the page's own work, does not.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field

# Categories for tasks, script calls, and the rendering steps (style, layout, paint, compositing).
CATEGORIES = ",".join([
    "toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute",
    "blink", "cc", "disabled-by-default-devtools.timeline.frame",
])
LONG_TASK_MS = 50.0
SCRIPT_EVENTS = {"FunctionCall", "EvaluateScript", "v8.callFunction", "V8.Execute", "TimerFire", "EventDispatch",
                 "FireAnimationFrame", "v8.evaluateModule", "v8.compile"}
TASK_EVENTS = {"RunTask", "ThreadControllerImpl::RunTask"}


# V8's sampling profiler in the trace: each sample's JavaScript stack, with the scripts' URLs.
SAMPLES_CATEGORY = "disabled-by-default-v8.cpu_profiler"


def start(cdp, *, samples: bool = False) -> None:
    """`samples`: also V8's stack samples, so that the extension's time is read from its stacks
    (see main_thread) — what its code does in microtasks and in the browser's native calls too."""
    categories = CATEGORIES.split(",") + ([SAMPLES_CATEGORY] if samples else [])
    cdp.send("Tracing.start", {"transferMode": "ReturnAsStream", "traceConfig": {
        "recordMode": "recordAsMuchAsPossible", "includedCategories": categories,
        "excludedCategories": ["*"],
    }})


def stop(cdp) -> list[dict]:
    """Ends the trace and returns its events."""
    done: dict = {}
    cdp.on("Tracing.tracingComplete", lambda params: done.update(params))
    cdp.send("Tracing.end")
    while "stream" not in done:
        cdp.send("Runtime.evaluate", {"expression": "0"})  # lets the event arrive
    chunks = []
    while True:
        part = cdp.send("IO.read", {"handle": done["stream"], "size": 1 << 22})
        chunks.append(part["data"])
        if part.get("eof"):
            break
    cdp.send("IO.close", {"handle": done["stream"]})
    data = json.loads("".join(chunks))
    return data["traceEvents"] if isinstance(data, dict) else data


@dataclass
class Task:
    start_us: float
    wall_ms: float
    cpu_ms: float
    extension_ms: float = 0.0  # thread time of the calls into the extension's scripts inside it

    @property
    def long(self) -> bool:
        return self.wall_ms > LONG_TASK_MS

    @property
    def extensions(self) -> bool:
        """A long task the extension made long: without its own script time the task's CPU time
        would be under the threshold. A task long only in wall time (its thread waited for a core:
        the machine's doing) or long by the page's own work is not the extension's."""
        return self.long and self.cpu_ms > LONG_TASK_MS and self.cpu_ms - self.extension_ms <= LONG_TASK_MS


@dataclass
class MainThread:
    """A page's main thread over a run: its tasks (Chromium: every task; Firefox: the long ones),
    its CPU time and the extension's part of it, and (Chromium) the self thread time by event name."""
    tasks: list[Task] = field(default_factory=list)
    cpu_ms: float = 0.0
    extension_ms: float = 0.0
    steps_ms: dict[str, float] = field(default_factory=dict)
    longest_own: float | None = None  # Firefox: the longest unbroken run of the extension's samples (CPU ms)

    def long_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.long]

    def extensions_long_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.extensions]

    def summary(self) -> dict:
        """What the bench prints of a traced run."""
        return {
            "long": [t.wall_ms for t in self.long_tasks()],
            "extensions": [(t.wall_ms, t.cpu_ms, t.extension_ms) for t in self.extensions_long_tasks()],
            # Chromium: the most of the extension's script time in one task
            "longest_own_ms": self.longest_own if self.longest_own is not None
            else max((t.extension_ms for t in self.tasks), default=0.0),
            "share": self.extension_ms / self.cpu_ms if self.cpu_ms else 0.0,
            "cpu_ms": self.cpu_ms,
            "steps": dict(self.steps_ms),
        }


def _thread_ms(event: dict) -> float:
    return event.get("tdur", event.get("dur", 0)) / 1000


def main_thread(events: list[dict], own_prefix: str = "chrome-extension://") -> MainThread:
    """The busiest renderer main thread of the trace (the page typed into): its top-level tasks,
    the extension's script time in each, and the thread time of each kind of step."""
    renderers = {(e["pid"], e["tid"]) for e in events
                 if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    by_thread: dict[tuple, list[dict]] = {}
    for event in events:
        key = (event.get("pid"), event.get("tid"))
        if key in renderers and event.get("ph") == "X":
            by_thread.setdefault(key, []).append(event)
    if not by_thread:
        return MainThread()
    busiest = max(by_thread.values(),
                  key=lambda evs: sum(_thread_ms(e) for e in evs if e["name"] in TASK_EVENTS))
    busiest.sort(key=lambda e: (e["ts"], -e.get("dur", 0)))
    thread = MainThread()
    task_end = -1.0
    task = None
    own_end = -1.0  # the end of the extension's script call being inside (calls nest)
    stack: list[list] = []  # [end, name, child thread time, own thread time] of the events being inside
    entries: list[list] = []
    for event in busiest:
        ts, dur = event["ts"], event.get("dur", 0)
        name = event["name"]
        while stack and ts >= stack[-1][0]:
            stack.pop()
        if stack:
            stack[-1][2] += _thread_ms(event)
        if name in TASK_EVENTS and ts >= task_end:  # a top-level task (RunTask nests in ThreadControllerImpl::RunTask)
            task = Task(ts, dur / 1000, _thread_ms(event))
            thread.tasks.append(task)
            task_end = ts + dur
        if name in SCRIPT_EVENTS and task is not None and ts >= own_end:
            data = event.get("args", {}).get("data", {}) or {}
            url = data.get("url") or data.get("scriptName") or ""
            if url.startswith(own_prefix):
                task.extension_ms += _thread_ms(event)
                own_end = ts + dur
        entry = [ts + dur, name, 0.0, _thread_ms(event)]
        stack.append(entry)
        entries.append(entry)
    for _end, name, children, own in entries:
        thread.steps_ms[name] = thread.steps_ms.get(name, 0.0) + max(own - children, 0.0)
    _attribute_by_samples(events, busiest[0]["pid"], busiest[0]["tid"], thread.tasks, own_prefix)
    thread.cpu_ms = sum(t.cpu_ms for t in thread.tasks)
    thread.extension_ms = sum(t.extension_ms for t in thread.tasks)
    return thread


def _attribute_by_samples(events: list[dict], pid: int, tid: int, tasks: list[Task], own_prefix: str) -> None:
    """With V8's stack samples in the trace (start(samples=True)): a task's share of samples whose
    innermost script frame is the extension's, times its CPU time, is the extension's time in it.
    The calls (FunctionCall ...) say too little and too much: they miss what its code does after an
    `await` (a microtask: RunMicrotasks names no script), and a call into an extension script counts
    whole although the trace shows no call inside it, so a page's handler run by an event the
    extension dispatched (an editor taking a paste that page-world.js replayed: 100-250 ms for
    50,000 characters) would count as the extension's. A sample is taken wherever the thread is, so
    the browser's work in a native call the extension made (execCommand inserting a long text)
    counts for it, while the editor's handler counts for the page: its frame is innermost."""
    profile = next((e["id"] for e in events if e.get("name") == "Profile" and e.get("pid") == pid
                    and e.get("tid") == tid), None)
    if profile is None:
        return
    start = next(e["args"]["data"]["startTime"] for e in events if e.get("name") == "Profile" and e["id"] == profile
                 and e.get("pid") == pid)
    nodes: dict[int, tuple[int | None, bool | None]] = {}  # id -> (parent, the extension's frame; None: no script)
    samples: list[tuple[float, int]] = []
    at = start
    for event in events:
        if event.get("name") != "ProfileChunk" or event.get("id") != profile or event.get("pid") != pid:
            continue
        data = event["args"]["data"]
        cpu_profile = data.get("cpuProfile", {})
        for node in cpu_profile.get("nodes", []):
            url = node["callFrame"].get("url", "")
            nodes[node["id"]] = (node.get("parent"), url.startswith(own_prefix) if url else None)
        for node, delta in zip(cpu_profile.get("samples", []), data.get("timeDeltas", [])):
            at += delta
            samples.append((at, node))
    owned: dict[int, bool] = {}

    def own(node: int | None) -> bool:
        """Whether the innermost frame with a script URL, from `node` outwards, is the extension's."""
        chain = []
        while node is not None and node not in owned:
            chain.append(node)
            parent, mine = nodes.get(node, (None, None))
            if mine is not None:
                owned[node] = mine
                break
            node = parent
        verdict = owned.get(node, False) if node is not None else False
        for entry in chain:
            owned[entry] = verdict
        return verdict

    samples.sort()
    times = [ts for ts, _ in samples]
    for task in tasks:
        first, last = bisect.bisect_left(times, task.start_us), bisect.bisect_left(times, task.start_us + task.wall_ms * 1000)
        inside = samples[first:last]
        if inside:
            share = sum(1 for _, node in inside if own(node)) / len(inside)
            task.extension_ms = share * task.cpu_ms


# Firefox's profiler, started and read in Marionette's chrome context.
GECKO_START_JS = """const [done] = arguments;
Services.profiler.StartProfiler(1 << 24, 1, ["js", "cpu", "stackwalk"], ["GeckoMain"]);
done(true);"""
GECKO_STOP_JS = """const [done] = arguments;
Services.profiler.getProfileDataAsync().then(profile => { Services.profiler.StopProfiler(); done(JSON.stringify(profile)); },
  error => { Services.profiler.StopProfiler(); done(String(error)); });"""


def gecko_main_thread(profile: dict, pid: int | None = None, own_prefix: str = "moz-extension://") -> MainThread:
    """The main thread of the content process `pid` (None: the busiest content process) in a
    Gecko profile: its long tasks (LongTask markers) with their CPU time and the extension's part."""
    threads = [proc["threads"][0] for proc in profile.get("processes", [])
               if proc.get("threads") and proc["threads"][0].get("processType") == "tab"
               and proc["threads"][0].get("processName") not in ("WebExtensions", "Privileged Content")]
    if pid is not None:
        threads = [t for t in threads if int(t.get("pid", -1)) == pid]
    if not threads:
        return MainThread()

    def cpu_ns(thread: dict) -> float:
        column = thread["samples"]["schema"].get("threadCPUDelta")
        return sum(row[column] or 0 for row in thread["samples"]["data"] if column is not None and len(row) > column)

    thread = max(threads, key=cpu_ns)
    strings = thread["stringTable"]
    samples = thread["samples"]
    stack_at, time_at = samples["schema"]["stack"], samples["schema"]["time"]
    cpu_at = samples["schema"].get("threadCPUDelta")
    prefix_at, frame_at = thread["stackTable"]["schema"]["prefix"], thread["stackTable"]["schema"]["frame"]
    stacks = thread["stackTable"]["data"]
    location_at = thread["frameTable"]["schema"]["location"]
    # Script frames (their location names a script URL) -> whether the script is the extension's.
    script_frames = {i: own_prefix in strings[frame[location_at]] for i, frame in enumerate(thread["frameTable"]["data"])
                     if "://" in strings[frame[location_at]]}
    owned: dict[int, bool] = {}

    def own(stack: int | None) -> bool:
        """Whether the innermost script frame of `stack` is the extension's."""
        chain = []
        while stack is not None and stack not in owned:
            frame = stacks[stack][frame_at]
            if frame in script_frames:
                owned[stack] = script_frames[frame]
                break
            chain.append(stack)
            stack = stacks[stack][prefix_at]
        verdict = owned.get(stack, False) if stack is not None else False
        for entry in chain:
            owned[entry] = verdict
        return verdict

    rows = [(row[time_at], (row[cpu_at] or 0) / 1e6 if cpu_at is not None and len(row) > cpu_at else 0.0,
             row[stack_at] is not None and own(row[stack_at])) for row in samples["data"]]
    longest = current = 0.0
    for _, cpu, mine in rows:
        current = current + cpu if mine else 0.0
        longest = max(longest, current)
    result = MainThread(cpu_ms=sum(cpu for _, cpu, _ in rows), extension_ms=sum(cpu for _, cpu, mine in rows if mine),
                        longest_own=longest)
    markers = thread["markers"]
    name_at, start_at, end_at = (markers["schema"][k] for k in ("name", "startTime", "endTime"))
    for marker in markers["data"]:
        if strings[marker[name_at]] != "LongTask" or marker[end_at] is None:
            continue
        start, end = marker[start_at], marker[end_at]
        # A sample's CPU time is what its thread used since the sample before it.
        inside = [(cpu, mine) for at, cpu, mine in rows if start < at <= end]
        task = Task(start * 1000, end - start, sum(cpu for cpu, _ in inside))
        task.extension_ms = sum(cpu for cpu, mine in inside if mine)
        result.tasks.append(task)
    return result
