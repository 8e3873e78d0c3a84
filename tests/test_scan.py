"""`contact-guard scan`: the real CLI as a subprocess (`python -m companion scan`) and run_scan
in-process. Ordering, per-line flushing, error lines, exit codes, text marks, surface/allow flags,
bad bytes, and that typed text never reaches stderr or an error answer."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import build_parser
from companion.engine import analyze
from companion.scan import MAX_LINE_BYTES, run_scan

REPO = Path(__file__).resolve().parent.parent
PHONE_TEXT = "call me +1 415 555 0132"
PHONE = "+1 415 555 0132"
CLEAN_TEXT = "Thanks for the order! I'll deliver the first draft tomorrow"
CANARY = "canary-7f3e-zebra-quartz"  # must never show up anywhere but in findings' offsets


def cli(*args: str, stdin: bytes = b"", timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "scan", *args],
        input=stdin, capture_output=True, cwd=REPO, timeout=timeout,
    )


def scan_in_process(lines: list[bytes] | bytes, *args: str) -> tuple[int, list[dict], str]:
    data = lines if isinstance(lines, bytes) else b"".join(line + b"\n" for line in lines)
    out, err = io.BytesIO(), io.StringIO()
    status = run_scan(build_parser().parse_args(["scan", *args]), stdin=io.BytesIO(data), stdout=out, stderr=err)
    return status, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def jsonl(**fields) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


# --- subprocess: the real CLI ------------------------------------------------------------------


def test_cli_answers_every_line_in_order_and_exits_1_when_something_is_flagged():
    texts = [CLEAN_TEXT, PHONE_TEXT, "zoom in on the logo", "Please make the header bigger"] * 10
    stdin = b"".join(jsonl(id=f"m{i}", text=t) + b"\n" for i, t in enumerate(texts))
    result = cli(stdin=stdin)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answers] == [f"m{i}" for i in range(len(texts))]
    assert [a["verdict"] for a in answers][:2] == ["ok", "block"]
    assert result.returncode == 1
    assert result.stderr == b""


def test_cli_exits_0_when_nothing_is_flagged():
    result = cli(stdin=jsonl(id=1, text=CLEAN_TEXT) + b"\n" + jsonl(id=2, text="Could you make the text bigger?") + b"\n")
    assert result.returncode == 0, result.stdout
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == ["ok", "ok"]


def test_cli_flushes_each_answer_before_stdin_is_closed():
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "scan"], cwd=REPO,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        for i, text in enumerate([PHONE_TEXT, CLEAN_TEXT]):
            proc.stdin.write(jsonl(id=i, text=text) + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, "no answer while stdin is still open"
            answer = json.loads(proc.stdout.readline())
            assert answer["id"] == i
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 1


def test_cli_missing_file_is_a_usage_error_with_a_clear_message(tmp_path):
    missing = tmp_path / "nope.jsonl"
    result = cli(str(missing))
    assert result.returncode == 2
    assert b"cannot open" in result.stderr and str(missing).encode() in result.stderr
    assert result.stdout == b""


def test_cli_directory_and_bad_flags_are_usage_errors(tmp_path):
    assert cli(str(tmp_path)).returncode == 2
    assert cli("--format", "xml").returncode == 2
    assert cli("--surface", "inbox").returncode == 2


def test_cli_reads_a_file_with_bom_crlf_and_invalid_utf8_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + jsonl(id="a", text=PHONE_TEXT) + b"\r\n"
        + b'{"id": "b", "text": "caf\xe9"}\r\n'
        + b"\r\n"
        + jsonl(id="c", text=CLEAN_TEXT) + b"\r\n"
    )
    result = cli(str(path))
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["a", None, "c"]
    assert answers[0]["verdict"] == "block"
    assert "UTF-8" in answers[1]["error"]
    assert answers[2]["verdict"] == "ok"
    assert result.returncode == 1


def test_cli_text_format_marks_the_span_and_summarises():
    result = cli("--format", "text", stdin=f"{CLEAN_TEXT}\n\n{PHONE_TEXT}\n".encode())
    report = result.stdout.decode()
    assert f"⟦{PHONE}⟧" in report
    assert "line 3: block" in report and "line 1" not in report
    assert "phone" in report and "suggestion:" in report
    assert "2 messages checked: 1 block, 1 ok" in report
    assert result.returncode == 1


def test_cli_text_format_exits_0_on_clean_input_and_reports_bad_bytes():
    result = cli("--format", "text", stdin=CLEAN_TEXT.encode() + b"\n")
    assert result.returncode == 0 and b"1 message checked: 1 ok" in result.stdout
    result = cli("--format", "text", stdin=b"\xff\xfe broken\n" + CLEAN_TEXT.encode() + b"\n")
    assert b"line 1: error: line is not valid UTF-8" in result.stdout
    assert b"2 messages checked: 1 ok, 1 error" in result.stdout


def test_cli_progress_bar_only_on_a_terminal_and_never_shows_text(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(jsonl(id=i, text=f"{CANARY} {PHONE_TEXT}") + b"\n" for i in range(3000)))
    piped = cli(str(path))
    assert piped.stderr == b""
    main_fd, terminal_fd = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "companion", "scan", str(path)], cwd=REPO,
            stdout=subprocess.PIPE, stderr=terminal_fd, timeout=120,
        )
        os.close(terminal_fd)
        shown = b""
        while select.select([main_fd], [], [], 0.5)[0]:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main_fd)
    assert proc.stdout.count(b"\n") == 3000
    assert b"lines" in shown and b"%" in shown
    assert CANARY.encode() not in shown


# --- in-process -------------------------------------------------------------------------------


def test_bad_lines_get_an_error_answer_and_the_run_goes_on():
    lines = [
        b"not json " + CANARY.encode(),
        b"[1, 2]",
        jsonl(id="no-text"),
        jsonl(id="num", text=42),
        jsonl(id="surf", text=CANARY, surface="inbox"),
        jsonl(id="surf-type", text=CANARY, surface=3),
        jsonl(id="allow", text=CANARY, allow="zoom"),
        jsonl(id="long", text=CANARY + "x" * 20_000),
        b"\xc3\x28" + CANARY.encode(),
        jsonl(id="ok", text=CLEAN_TEXT),
    ]
    status, answers, err = scan_in_process(lines)
    assert [a["id"] for a in answers] == [None, None, "no-text", "num", "surf", "surf-type", "allow", "long", None, "ok"]
    errors = [a["error"] for a in answers[:-1]]
    assert all("error" in a and "verdict" not in a for a in answers[:-1])
    assert "invalid JSON" in errors[0]
    assert "object" in errors[1]
    assert "text" in errors[2] and "string" in errors[3]
    assert "surface" in errors[4] and "surface" in errors[5] and "allow" in errors[6]
    assert "20000" in errors[7] and "UTF-8" in errors[8]
    assert answers[-1]["verdict"] == "ok"
    assert not any(CANARY in e for e in errors)
    assert err == ""
    assert status == 1


def test_a_line_too_long_to_hold_is_skipped_without_losing_the_next():
    huge = b'{"id": "huge", "text": "' + b"9 " * (MAX_LINE_BYTES // 2 + 10) + b'"}'
    status, answers, _ = scan_in_process([huge, jsonl(id="next", text=PHONE_TEXT)])
    assert answers[0]["id"] is None and "longer than" in answers[0]["error"]
    assert answers[1]["id"] == "next" and answers[1]["verdict"] == "block"


def test_blank_lines_are_skipped_and_ids_are_echoed_as_given():
    status, answers, _ = scan_in_process([b"", b"   ", jsonl(id=7, text=CLEAN_TEXT), jsonl(text=CLEAN_TEXT)])
    assert [a["id"] for a in answers] == [7, None]
    assert status == 0


def test_findings_match_the_engine_with_code_point_offsets():
    text = "😀👍🏽 ok so my mail is john.smith@gmail.com and call me +1 415 555 0132"
    status, [answer], _ = scan_in_process([jsonl(id=1, text=text)])
    expected = analyze(text)
    assert answer["verdict"] == expected.verdict == "block"
    assert answer["findings"] == [f.to_dict() for f in expected.findings]
    email = text.index("john.smith@gmail.com")
    assert any(f["start"] <= email and email + 20 <= f["end"] for f in answer["findings"])
    for f in answer["findings"]:
        assert set(f) == {"kind", "severity", "start", "end", "rule", "channel", "reason", "suggestion", "mask"}


@pytest.mark.parametrize("surface", ["message", "requirements", "delivery", "offer", "other"])
def test_surface_flag_reaches_the_engine(surface):
    drive = "The video is 3 GB, here it is: https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view and call me +1 415 555 0132"
    status, [answer], _ = scan_in_process([jsonl(id=1, text=drive)], "--surface", surface)
    assert answer["findings"] == [f.to_dict() for f in analyze(drive, surface=surface).findings]


def test_surface_flag_is_used_unless_the_line_has_its_own():
    args = build_parser().parse_args(["scan"])
    args.surface = "not-a-surface"  # only the lines without their own surface can trip on it
    out = io.BytesIO()
    data = jsonl(id="own", text=CLEAN_TEXT, surface="delivery") + b"\n" + jsonl(id="flag", text=CLEAN_TEXT) + b"\n"
    run_scan(args, stdin=io.BytesIO(data), stdout=out, stderr=io.StringIO())
    own, flag = (json.loads(line) for line in out.getvalue().splitlines())
    assert own["verdict"] == "ok"
    assert "unknown surface" in flag["error"]


def test_allow_flag_and_line_allow_reach_the_engine():
    text = "join here https://zoom.us/j/84512345678 at 5pm"
    _, [by_flag], _ = scan_in_process([jsonl(id=1, text=text)], "--allow", "zoom")
    _, [by_line], _ = scan_in_process([jsonl(id=1, text=text, allow=["zoom"])])
    _, [none], _ = scan_in_process([jsonl(id=1, text=text)])
    expected = [f.to_dict() for f in analyze(text, allow=["zoom"]).findings]
    assert by_flag["findings"] == by_line["findings"] == expected
    assert none["findings"] == [f.to_dict() for f in analyze(text).findings]


def test_odd_unicode_is_answered():
    texts = ["\u202e\u2066" + CANARY, "a\u0301\u0308" * 500, "\ud83d" + "x", "\x00\x1b[31m", "🏳️‍🌈" * 1000]
    lines = [json.dumps({"id": i, "text": t}).encode() for i, t in enumerate(texts)]
    status, answers, err = scan_in_process(lines)
    assert [a["id"] for a in answers] == list(range(len(texts)))
    assert all("verdict" in a for a in answers), answers
    assert err == ""


def test_text_format_shows_invisible_characters_and_never_uses_stderr():
    out, err = io.BytesIO(), io.StringIO()
    text = f"{CANARY} john\u200b@\u200bgmail.com\n"
    status = run_scan(build_parser().parse_args(["scan", "--format", "text"]),
                      stdin=io.BytesIO(text.encode()), stdout=out, stderr=err)
    report = out.getvalue().decode()
    assert "⟨U+200B⟩" in report and "\u200b" not in report
    assert "⟦" in report and "⟧" in report
    assert err.getvalue() == ""
    assert status == 1
