"""`contact-guard scan [FILE|-]`: check messages like a linter.

Input (`--input-format`, default jsonl):
  jsonl  one {"id", "text", "surface"?, "allow"?} a line (a line's own surface/allow win over the
         flags); blank lines skipped; CRLF and a UTF-8 BOM accepted.
  lines  each non-empty line is a message; its id is its line number.
  csv    a header row naming the columns: `text` (required), `id`, `surface`, `allow` (channels
         separated by ";"); others ignored; quoted fields may span lines.
Output (`--format`, default jsonl), one answer per message in input order:
  jsonl  {"id", "verdict", "findings": [{kind, severity, start, end, rule, channel, reason,
         suggestion, mask}]} a line, flushed as each is answered; {"id", "error", "line"} for
         input that cannot be checked (the run goes on).
  csv    a header, then one row per finding (a message without findings: one row, empty finding
         columns; an unreadable one: the `error` column).
  text   a readable report of the messages with findings, spans marked ⟦…⟧, then a count.
  sarif  one SARIF 2.1.0 document (written at the end), for code-scanning tools.
Offsets: `start`/`end` in jsonl, csv and sarif `properties` are code points (Python string
indices), from 0, end exclusive. The text report shows positions as line:column inside the
message, both from 1 (the span's first and last character). SARIF regions use
columnKind unicodeCodePoints; for `lines` input the region is exact in the input file.

`--jobs N` (0 = one per CPU) checks batches in N processes; answers still come out in input
order, each batch flushed as soon as it and all before it are answered (a slow typist on stdin
gets each answer at once: batches are only what has already arrived). `--dask ADDRESS` sends the
batches to a Dask scheduler instead (companion.batch; `pip install contact-guard[dask]`).

stderr: a progress bar while a FILE is read, only when stderr is a terminal; then one summary line
(messages, flagged, errors, findings per kind) unless --quiet. Never any typed text.
Exit status: 0 nothing is block/warn, 1 something is (or a message could not be checked, so a
pipeline never passes on input it did not read), 2 usage errors (unreadable file, bad options).
"""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import sys
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final

from companion import __version__
from companion.engine import MAX_TEXT_CHARS, Report, analyze
from companion.errors import ContactGuardError

# A JSON line may spell every character as a 12-byte surrogate-pair escape; anything longer cannot
# hold a text within the limit, and is skipped without being held in memory.
MAX_LINE_BYTES: Final = MAX_TEXT_CHARS * 12 + 64 * 1024
BOM: Final = b"\xef\xbb\xbf"
EXIT_CLEAN, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2
INPUT_FORMATS: Final = ("jsonl", "lines", "csv")
OUTPUT_FORMATS: Final = ("jsonl", "text", "sarif", "csv")
BATCH_SIZE: Final = 256
CSV_COLUMNS: Final = ("line", "id", "verdict", "kind", "severity", "start", "end", "rule", "channel", "reason",
                      "suggestion", "mask", "error")
SARIF_LEVELS: Final = {"block": "error", "warn": "warning", "info": "note"}


class LineError(ValueError):
    """Input that cannot be checked; `reason` never quotes it."""

    def __init__(self, reason: str, message_id: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id


class UsageError(Exception):
    """Bad options or input that make the whole run impossible (exit 2)."""


@dataclass(frozen=True, slots=True)
class Options:
    """What a worker needs to check a batch and render its answers (picklable)."""

    input_format: str = "jsonl"
    output_format: str = "jsonl"
    surface: str = "message"
    allow: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    id: object
    text: str
    surface: str
    allow: tuple[str, ...]


# An input record: (line number, what was read): the raw line (bytes, None when too long) for
# jsonl/lines, a dict of fields for csv, or a LineError.
Record = tuple[int, object]


@dataclass(frozen=True, slots=True)
class Checked:
    """One message's answer: the jsonl answer dict, and its rendering in the output format."""

    line: int
    answer: dict
    rendered: bytes


@dataclass(frozen=True, slots=True)
class Answered:
    """A batch's answers as a worker hands them back: the output bytes to write, the counts for the
    summary line and, for SARIF only (assembled at the end), the (line, answer) pairs. Small on
    purpose: it is what a --jobs process or a Dask worker sends back, and sending every answer's
    dict beside its rendering cost more CPU than the rendering itself."""

    count: int
    rendered: bytes
    summary: Summary
    answers: tuple[tuple[int, dict], ...] = ()


# --- one message -----------------------------------------------------------------------------------


def check_record(record: Record, options: Options) -> Checked:
    line_no, data = record
    message_id = line_no if options.input_format == "lines" else None
    text = None
    try:
        message = to_message(line_no, data, options)
        message_id, text = message.id, message.text
        report = check(message)
        answer = {"id": message_id, "verdict": report.verdict, "findings": [f.to_dict() for f in report.findings]}
    except LineError as exc:
        answer = {"id": exc.message_id if exc.message_id is not None else message_id, "error": exc.reason,
                  "line": line_no}
        report = None
    return Checked(line_no, answer, render(line_no, answer, text, report, options.output_format))


def check_batch(batch: list[Record], options: Options) -> Answered:
    """The unit of work a process or a Dask worker gets: records in, answers in the same order."""
    checked = [check_record(record, options) for record in batch]
    summary = Summary()
    for item in checked:
        summary.add(item.answer)
    answers = tuple((item.line, item.answer) for item in checked) if options.output_format == "sarif" else ()
    return Answered(len(checked), b"".join(item.rendered for item in checked), summary, answers)


def to_message(line_no: int, data: object, options: Options) -> Message:
    if isinstance(data, LineError):
        raise data
    if options.input_format == "csv":
        return csv_message(line_no, data, options)
    text = decode_line(data)
    if options.input_format == "lines":
        return Message(line_no, text, options.surface, options.allow)
    return parse_message(text, options.surface, options.allow)


def decode_line(raw: bytes | None) -> str:
    if raw is None:
        raise LineError(f"line is longer than {MAX_LINE_BYTES} bytes, so its text exceeds the {MAX_TEXT_CHARS}-character limit")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"line is not valid UTF-8 (bad byte at offset {exc.start})") from None


def parse_message(line: str, surface: str, allow: tuple[str, ...]) -> Message:
    """A jsonl line -> Message; LineError (carrying the id when known) if it is not one."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise LineError("invalid JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise LineError(f"expected a JSON object, got {_json_type(obj)}")
    return message_from_fields(obj, surface, allow)


def message_from_fields(obj: dict, surface: str, allow: tuple[str, ...]) -> Message:
    """{"id", "text", "surface"?, "allow"?} -> Message (jsonl lines and companion.batch items)."""
    message_id = obj.get("id")
    if "text" not in obj:
        raise LineError('missing "text"', message_id)
    if not isinstance(obj["text"], str):
        raise LineError(f'"text" must be a string, not {_json_type(obj["text"])}', message_id)
    line_surface = obj.get("surface", surface)
    if not isinstance(line_surface, str):
        raise LineError(f'"surface" must be a string, not {_json_type(line_surface)}', message_id)
    line_allow = obj.get("allow", allow)
    if not isinstance(line_allow, (list, tuple)) or not all(isinstance(a, str) for a in line_allow):
        raise LineError('"allow" must be a list of strings', message_id)
    return Message(message_id, obj["text"], line_surface, tuple(line_allow))


def csv_message(line_no: int, row: dict, options: Options) -> Message:
    message_id = row.get("id") or None
    text = row.get("text")
    if text is None:
        raise LineError("this row has fewer fields than the header (no text)", message_id)
    if any(_has_bad_bytes(value) for value in row.values() if isinstance(value, str)):
        raise LineError("row is not valid UTF-8", None)
    surface = row.get("surface") or options.surface
    allow = tuple(a for a in (row.get("allow") or "").replace(";", " ").split()) or options.allow
    return Message(message_id, text, surface, allow)


def _has_bad_bytes(value: str) -> bool:
    # csv rows are decoded with surrogateescape: a lone surrogate from U+DC80..U+DCFF is a bad byte
    return any("\udc80" <= char <= "\udcff" for char in value)


def check(message: Message) -> Report:
    try:
        return analyze(message.text, surface=message.surface, allow=message.allow)
    except ContactGuardError as exc:  # too long, unknown surface: messages never quote the text
        raise LineError(str(exc), message.id) from None
    except Exception as exc:  # an engine bug must not end the run or leak the text
        raise LineError(f"internal error while checking this message ({type(exc).__name__})", message.id) from None


# --- rendering (in the worker: it has the text) ----------------------------------------------------


def render(line_no: int, answer: dict, text: str | None, report: Report | None, output_format: str) -> bytes:
    if output_format == "jsonl":
        return json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n"
    if output_format == "csv":
        return csv_rows(line_no, answer)
    if output_format == "text":
        return text_report(line_no, answer, text, report).encode("utf-8")
    return b""  # sarif: one document, assembled at the end from the answers


def csv_rows(line_no: int, answer: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    base = {"line": line_no, "id": "" if answer["id"] is None else answer["id"]}
    if "error" in answer:
        rows = [{**base, "error": answer["error"]}]
    else:
        rows = [{**base, "verdict": answer["verdict"], **finding} for finding in answer["findings"]] or [
            {**base, "verdict": answer["verdict"]}]
    for row in rows:
        writer.writerow(["" if row.get(column) is None else row.get(column) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def text_report(line_no: int, answer: dict, text: str | None, report: Report | None) -> str:
    name = f"line {line_no}" + (f" (id {answer['id']})" if answer["id"] not in (None, line_no) else "")
    if report is None:
        return f"{name}: error: {answer['error']}\n\n"
    if not report.findings:
        return ""
    lines = [f"{name}: {report.verdict}", "  " + mark_spans(text, [(f.start, f.end) for f in report.findings])]
    for f in report.findings:
        channel = f" via {f.channel}" if f.channel else ""
        where = f"{position(text, f.start)}-{position(text, max(f.start, f.end - 1))}"
        lines.append(f"  {f.severity.label:<5} {f.kind.value}{channel} at {where} [{f.rule}]: {f.reason}")
        if f.suggestion:
            lines.append(f"        suggestion: {f.suggestion}")
    return "\n".join(lines) + "\n\n"


def position(text: str, offset: int) -> str:
    """line:column of a code-point offset inside the message, both counted from 1."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def mark_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with ⟦…⟧ around the (merged) spans; invisible and control characters shown as
    ⟨U+XXXX⟩ so a bidi override or a zero-width joiner cannot scramble the terminal."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    opens = {start for start, _ in merged}
    closes = {end for _, end in merged}
    parts = []
    for i, char in enumerate(text):
        if i in closes:
            parts.append("⟧")
        if i in opens:
            parts.append("⟦")
        parts.append(_visible(char))
    if len(text) in closes:
        parts.append("⟧")
    return "".join(parts)


def _visible(char: str) -> str:
    return f"⟨U+{ord(char):04X}⟩" if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char


def _json_type(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# --- reading ---------------------------------------------------------------------------------------


def read_lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes without the line ending, or None for a line too long to hold)."""
    line_no = 0
    while True:
        raw = source.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        line_no += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := source.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            raw = None
        else:
            if line_no == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            raw = raw.rstrip(b"\r\n")
        yield line_no, raw


def _tell(source: BinaryIO) -> int:
    try:
        return source.tell()
    except (OSError, ValueError, AttributeError):
        return 0


def read_records(source: BinaryIO, input_format: str) -> Iterator[Record]:
    lines = read_lines(source)
    if input_format == "csv":
        yield from read_csv(lines)
        return
    for line_no, raw in lines:
        if raw is not None and not raw.strip():
            continue  # blank lines are not messages
        yield line_no, raw


def read_csv(lines: Iterator[tuple[int, bytes | None]]) -> Iterator[Record]:
    state = {"line": 0, "too_long": set()}

    def text_lines() -> Iterator[str]:
        for line_no, raw in lines:
            state["line"] = line_no
            if raw is None:
                state["too_long"].add(line_no)
                raw = b""
            yield raw.decode("utf-8", "surrogateescape") + "\n"

    reader = csv.reader(text_lines())
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise UsageError(f"the CSV header cannot be read: {exc}") from None
    columns = [name.strip().lower() for name in header]
    if "text" not in columns:
        raise UsageError(f"the CSV header must name a `text` column (it has: {', '.join(columns) or 'nothing'})")
    first_line = state["line"] + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield first_line, LineError(f"invalid CSV: {exc}")
            first_line = state["line"] + 1
            continue
        record_lines = range(first_line, state["line"] + 1)
        line_no, first_line = first_line, state["line"] + 1
        if not any(field.strip() for field in row):
            continue
        if any(n in state["too_long"] for n in record_lines):
            yield line_no, LineError(f"row has a line longer than {MAX_LINE_BYTES} bytes")
            continue
        yield line_no, dict(zip(columns, row, strict=False))


def batches(records: Iterable[Record], size: int = BATCH_SIZE) -> Iterator[list[Record]]:
    """Records grouped for workers: up to `size`, but never waiting for input that has not arrived
    (a reader thread fills a queue; a batch is whatever is there when the previous one left)."""
    pending: queue.Queue = queue.Queue(maxsize=size * 8)
    done = object()

    def read() -> None:
        try:
            for record in records:
                pending.put(record)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            pending.put(exc)
        pending.put(done)

    threading.Thread(target=read, name="scan-reader", daemon=True).start()
    while True:
        item = pending.get()
        batch: list[Record] = []
        while item is not done:
            if isinstance(item, BaseException):
                raise item
            batch.append(item)
            if len(batch) >= size:
                break
            try:
                item = pending.get_nowait()
            except queue.Empty:
                break
        if batch:
            yield batch
        if item is done:
            return


# --- running ---------------------------------------------------------------------------------------


def run_scan(args, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None, stderr=None) -> int:
    """Entry point for `scan`; the streams default to the process's (binary stdin/stdout)."""
    stdout = sys.stdout.buffer if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    options = Options(args.input_format, args.format, args.surface, tuple(args.allow))
    if args.jobs < 0:
        stderr.write("contact-guard scan: --jobs must be 0 (one per CPU) or more\n")
        return EXIT_USAGE
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    from_file = args.file != "-"
    try:
        source = open(args.file, "rb") if from_file else (sys.stdin.buffer if stdin is None else stdin)  # noqa: SIM115
    except OSError as exc:
        stderr.write(f"contact-guard scan: cannot open {args.file}: {exc.strerror or exc}\n")
        return EXIT_USAGE
    progress = Progress.for_input(source, stderr) if from_file else None
    summary = Summary()
    sink = Sink(stdout, options, summary, progress, artifact=args.file if from_file else "stdin")
    try:
        sink.start()
        # Batches are what has arrived: a file goes 256 lines at a time (one flush each), a live
        # pipe line by line.
        work = batches(read_records(source, options.input_format))
        if args.dask:
            from companion.batch import check_on_cluster

            answered = check_on_cluster(args.dask, work, options)
        elif jobs > 1:
            answered = check_in_processes(work, options, jobs)
        else:
            answered = (check_batch(batch, options) for batch in work)
        for checked in answered:
            sink.write(checked)
        sink.finish()
    except UsageError as exc:
        stderr.write(f"contact-guard scan: {exc}\n")
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        _silence_stdout()
        return EXIT_FLAGGED
    except KeyboardInterrupt:
        return 130
    finally:
        if progress:
            progress.finish()
        if from_file:
            source.close()
    if not args.quiet:
        stderr.write(summary.line() + "\n")
        stderr.flush()
    return EXIT_FLAGGED if summary.flagged or summary.errors else EXIT_CLEAN


def check_in_processes(work: Iterator[list[Record]], options: Options, jobs: int) -> Iterator[Answered]:
    """Batches checked by `jobs` processes, answered in input order as soon as each is ready."""
    import functools
    import multiprocessing

    # fork starts workers without re-importing; the engine's data is loaded once, before forking
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        analyze("warm up: compile the lexicons once, before the workers are forked")
    with multiprocessing.get_context(method).Pool(jobs) as pool:
        yield from pool.imap(functools.partial(check_batch, options=options), work)


class Sink:
    """Writes answers in the output format, flushing after each batch; keeps the summary."""

    def __init__(self, out: BinaryIO, options: Options, summary: Summary, progress: Progress | None,
                 artifact: str) -> None:
        self.out, self.options, self.summary, self.progress = out, options, summary, progress
        self.artifact = artifact
        self.sarif_results: list[dict] = []
        self.sarif_errors: list[dict] = []
        self.rules: dict[str, str] = {}

    def start(self) -> None:
        if self.options.output_format == "csv":
            self.out.write((",".join(CSV_COLUMNS) + "\n").encode())
        elif self.options.output_format == "text":
            self.out.write("# positions are line:column inside each message, counted from 1\n\n".encode())

    def write(self, answered: Answered) -> None:
        self.summary.merge(answered.summary)
        for line, answer in answered.answers:
            self._collect_sarif(line, answer)
        if answered.rendered:
            self.out.write(answered.rendered)
        self.out.flush()
        if self.progress and answered.count:
            self.progress.advance(answered.count)

    def finish(self) -> None:
        if self.options.output_format == "text":
            self.out.write(self.summary.text_footer().encode())
        elif self.options.output_format == "sarif":
            self.out.write(json.dumps(self._sarif(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        self.out.flush()

    def _collect_sarif(self, line: int, answer: dict) -> None:
        location = {"artifactLocation": {"uri": self.artifact}}
        if "error" in answer:
            self.sarif_errors.append({
                "level": "error", "message": {"text": f"line {line}: {answer['error']}"},
                "locations": [{"physicalLocation": {**location, "region": {"startLine": line}}}],
            })
            return
        for finding in answer["findings"]:
            self.rules.setdefault(finding["rule"], finding["kind"])
            region = {"startLine": line}
            if self.options.input_format == "lines":  # the message is the line: columns are exact
                region.update(startColumn=finding["start"] + 1, endColumn=finding["end"] + 1)
            self.sarif_results.append({
                "ruleId": finding["rule"],
                "level": SARIF_LEVELS.get(finding["severity"], "note"),
                "message": {"text": finding["reason"]},
                "locations": [{"physicalLocation": {**location, "region": region}}],
                "properties": {"id": answer["id"], **{k: finding[k] for k in (
                    "kind", "severity", "start", "end", "channel", "suggestion", "mask")}},
            })

    def _sarif(self) -> dict:
        return {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "contact-guard", "version": __version__,
                    "rules": [{"id": rule, "shortDescription": {"text": f"{kind} finding ({rule})"}}
                              for rule, kind in sorted(self.rules.items())],
                }},
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": self.sarif_errors}],
                "results": self.sarif_results,
            }],
        }


class Summary:
    """Counts for the summary line: never any text."""

    def __init__(self) -> None:
        self.messages = self.flagged = self.errors = 0
        self.verdicts: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()

    def add(self, answer: dict) -> None:
        self.messages += 1
        if "error" in answer:
            self.errors += 1
            return
        self.verdicts[answer["verdict"]] += 1
        self.flagged += answer["verdict"] in ("block", "warn")
        self.kinds.update(finding["kind"] for finding in answer["findings"])

    def merge(self, other: Summary) -> None:
        """Adds a batch's counts (made where the batch was checked)."""
        self.messages += other.messages
        self.flagged += other.flagged
        self.errors += other.errors
        self.verdicts.update(other.verdicts)
        self.kinds.update(other.kinds)

    def line(self) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        verdicts = ", ".join(f"{self.verdicts[v]} {v}" for v in ("block", "warn") if self.verdicts[v])
        return (f"contact-guard scan: {self.messages} message{'s' * (self.messages != 1)}, {self.flagged} flagged"
                + (f" ({verdicts})" if verdicts else "")
                + f", {self.errors} error{'s' * (self.errors != 1)}"
                + (f"; findings by kind: {kinds}" if kinds else ""))

    def text_footer(self) -> str:
        counts = {**{v: self.verdicts[v] for v in ("block", "warn", "info", "ok")}, "error": self.errors}
        listed = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        return f"{self.messages} message{'s' * (self.messages != 1)} checked: {listed or 'none'}\n"


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


class Progress:
    """A one-line bar on stderr: messages answered, and how far into the file they are."""

    WIDTH = 30
    INTERVAL_S = 0.1

    def __init__(self, source: BinaryIO, total_bytes: int, stderr) -> None:
        self.source = source
        self.total = max(total_bytes, 1)
        self.stderr = stderr
        self.done = 0
        self.shown_at = 0.0

    @classmethod
    def for_input(cls, source: BinaryIO, stderr) -> Progress | None:
        try:
            if not stderr.isatty():
                return None
            return cls(source, os.fstat(source.fileno()).st_size, stderr)
        except (OSError, ValueError, AttributeError):
            return None

    def advance(self, answered: int) -> None:
        self.done += answered
        now = time.monotonic()
        if now - self.shown_at >= self.INTERVAL_S:
            self.shown_at = now
            self._draw(min(_tell(self.source) / self.total, 1.0))

    def _draw(self, fraction: float) -> None:
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {fraction:4.0%} read, {self.done} messages checked")
        self.stderr.flush()

    def finish(self) -> None:
        if not self.shown_at:
            return
        self.stderr.write("\r" + " " * (self.WIDTH + 50) + "\r")
        self.stderr.flush()

