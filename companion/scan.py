"""`contact-guard scan [FILE|-] [--format jsonl|text] [--surface S] [--allow CH]`: check messages
like a linter.

jsonl: each input line is {"id", "text", "surface"?, "allow"?}; each answer is one line, in input
order, flushed as soon as it is written: {"id", "verdict", "findings": [...]} with code-point
offsets, or {"id", "error"} for a line that cannot be checked (the run goes on). A line's own
surface/allow win over --surface/--allow. Blank lines are skipped; CRLF and a UTF-8 BOM are accepted.
text: each non-empty line is a message; the report shows lines with findings, spans marked ⟦…⟧.

Exit status: 0 nothing is block/warn, 1 something is (or a line could not be checked, so a pipeline
never passes on input it did not read), 2 usage errors (e.g. the file cannot be opened).
Privacy: stderr only ever gets usage errors and a progress bar; error answers never quote the text.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from companion.engine import MAX_TEXT_CHARS, Report, analyze
from companion.errors import ContactGuardError

# A JSON line may spell every character as a 12-byte surrogate-pair escape; anything longer cannot
# hold a text within the limit, and is skipped without being held in memory.
MAX_LINE_BYTES = MAX_TEXT_CHARS * 12 + 64 * 1024
BOM = b"\xef\xbb\xbf"
EXIT_CLEAN, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2


class LineError(ValueError):
    """An input line that cannot be checked; `reason` never quotes the line."""

    def __init__(self, reason: str, message_id: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id


@dataclass(frozen=True)
class Message:
    id: object
    text: str
    surface: str
    allow: tuple[str, ...]


def run_scan(args, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None, stderr=None) -> int:
    """Entry point for `scan`; the streams default to the process's (binary stdin/stdout)."""
    stdout = sys.stdout.buffer if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    from_file = args.file != "-"
    try:
        source = open(args.file, "rb") if from_file else (sys.stdin.buffer if stdin is None else stdin)  # noqa: SIM115
    except OSError as exc:
        stderr.write(f"contact-guard scan: cannot open {args.file}: {exc.strerror or exc}\n")
        return EXIT_USAGE
    progress = Progress.for_input(source, stderr) if from_file else None
    scan = scan_jsonl if args.format == "jsonl" else scan_text
    try:
        return scan(read_lines(source, progress), stdout, args.surface, tuple(args.allow))
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


def read_lines(source: BinaryIO, progress: Progress | None = None) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes without the line ending) per line; None for a line too long to hold."""
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
        if progress:
            progress.advance(source)
        yield line_no, raw


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


def check(message: Message) -> Report:
    try:
        return analyze(message.text, surface=message.surface, allow=message.allow)
    except ContactGuardError as exc:  # too long, unknown surface: messages never quote the text
        raise LineError(str(exc), message.id) from None
    except Exception as exc:  # an engine bug must not end the run or leak the text
        raise LineError(f"internal error while checking this line ({type(exc).__name__})", message.id) from None


def scan_jsonl(lines, out: BinaryIO, surface: str, allow: tuple[str, ...]) -> int:
    status = EXIT_CLEAN
    for _, raw in lines:
        if raw is not None and not raw.strip():
            continue
        message_id = None
        try:
            message = parse_message(decode_line(raw), surface, allow)
            message_id = message.id
            report = check(message)
            answer = {"id": message_id, "verdict": report.verdict, "findings": [f.to_dict() for f in report.findings]}
            if report.flagged:
                status = EXIT_FLAGGED
        except LineError as exc:
            answer = {"id": exc.message_id if exc.message_id is not None else message_id, "error": exc.reason}
            status = EXIT_FLAGGED
        out.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()
    return status


def scan_text(lines, out: BinaryIO, surface: str, allow: tuple[str, ...]) -> int:
    counts = {"block": 0, "warn": 0, "info": 0, "ok": 0, "error": 0}
    for line_no, raw in lines:
        if raw is not None and not raw.strip():
            continue
        try:
            text = decode_line(raw)
            report = check(Message(line_no, text, surface, allow))
        except LineError as exc:
            counts["error"] += 1
            out.write(f"line {line_no}: error: {exc.reason}\n\n".encode())
            out.flush()
            continue
        counts[report.verdict] += 1
        if report.findings:
            out.write(format_report(line_no, text, report).encode("utf-8"))
            out.flush()
    checked = sum(counts.values())
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    out.write(f"{checked} message{'s' * (checked != 1)} checked: {summary or 'none'}\n".encode())
    out.flush()
    return EXIT_FLAGGED if counts["block"] or counts["warn"] or counts["error"] else EXIT_CLEAN


def format_report(line_no: int, text: str, report: Report) -> str:
    lines = [f"line {line_no}: {report.verdict}", "  " + mark_spans(text, [(f.start, f.end) for f in report.findings])]
    for f in report.findings:
        channel = f" via {f.channel}" if f.channel else ""
        lines.append(f"  {f.severity.label:<5} {f.kind.value}{channel} at {f.start + 1}-{f.end} [{f.rule}]: {f.reason}")
        if f.suggestion:
            lines.append(f"        suggestion: {f.suggestion}")
    return "\n".join(lines) + "\n\n"


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


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


class Progress:
    """A one-line bar on stderr driven by bytes read out of the file's size; never shows text."""

    WIDTH = 30
    INTERVAL_S = 0.1

    def __init__(self, total_bytes: int, stderr) -> None:
        self.total = max(total_bytes, 1)
        self.stderr = stderr
        self.lines = 0
        self.shown_at = 0.0

    @classmethod
    def for_input(cls, source: BinaryIO, stderr) -> Progress | None:
        try:
            if not stderr.isatty():
                return None
            return cls(os.fstat(source.fileno()).st_size, stderr)
        except (OSError, ValueError, AttributeError):
            return None

    def advance(self, source: BinaryIO) -> None:
        self.lines += 1
        now = time.monotonic()
        if now - self.shown_at >= self.INTERVAL_S:
            self.shown_at = now
            self._draw(min(source.tell() / self.total, 1.0))

    def _draw(self, fraction: float) -> None:
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {fraction:4.0%} {self.lines} lines")
        self.stderr.flush()

    def finish(self) -> None:
        if not self.shown_at:
            return
        self.stderr.write("\r" + " " * (self.WIDTH + 30) + "\r")
        self.stderr.flush()
