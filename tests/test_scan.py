"""`contact-guard scan`: the real CLI as a subprocess (`python -m companion scan`) and run_scan
in-process. Ordering, per-line flushing, error lines naming their line, exit codes, input formats
(jsonl, lines, csv) apart from output formats (jsonl, text, sarif, csv), text marks and line:column,
surface/allow flags, bad bytes, --jobs, the summary line, and that typed text never reaches stderr
or an error answer."""

from __future__ import annotations

import csv
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


# A guard against a hung scan, not a speed limit: a 2-core machine shared by a whole team has been
# seen at load 28, where 3,000 messages took over a minute.
HANG_GUARD_S = 600


def cli(*args: str, stdin: bytes = b"", timeout: float = HANG_GUARD_S) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "scan", *args],
        input=stdin, capture_output=True, cwd=REPO, timeout=timeout,
    )


def scan_in_process(lines: list[bytes] | bytes, *args: str) -> tuple[int, list[dict], str]:
    data = lines if isinstance(lines, bytes) else b"".join(line + b"\n" for line in lines)
    out, err = io.BytesIO(), io.StringIO()
    status = run_scan(build_parser().parse_args(["scan", "-q", *args]), stdin=io.BytesIO(data), stdout=out, stderr=err)
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
    assert result.stderr.decode().strip() == (
        "contact-guard scan: 40 messages, 10 flagged (10 block), 0 errors; findings by kind: offplatform_request 10, phone 10")
    assert cli("-q", stdin=stdin).stderr == b""


def test_cli_exits_0_when_nothing_is_flagged():
    result = cli(stdin=jsonl(id=1, text=CLEAN_TEXT) + b"\n" + jsonl(id=2, text="Could you make the text bigger?") + b"\n")
    assert result.returncode == 0, result.stdout
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == ["ok", "ok"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_flushes_each_answer_before_stdin_is_closed(jobs):
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "scan", "--jobs", jobs], cwd=REPO,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        for i, text in enumerate([PHONE_TEXT, CLEAN_TEXT]):
            proc.stdin.write(jsonl(id=i, text=text) + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], HANG_GUARD_S)  # a hang guard, not a timing check
            assert ready, "no answer while stdin is still open"
            answer = json.loads(proc.stdout.readline())
            assert answer["id"] == i
    finally:
        proc.stdin.close()
        proc.wait(timeout=HANG_GUARD_S)
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
    assert "UTF-8" in answers[1]["error"] and answers[1]["line"] == 2
    assert answers[2]["verdict"] == "ok"
    assert result.returncode == 1


def test_cli_text_format_marks_the_span_and_summarises():
    result = cli("--input-format", "lines", "--format", "text", stdin=f"{CLEAN_TEXT}\n\n{PHONE_TEXT}\n".encode())
    report = result.stdout.decode()
    assert f"⟦{PHONE}⟧" in report
    assert "line 3: block" in report and "line 1" not in report
    assert "positions are line:column inside each message, counted from 1" in report
    start = PHONE_TEXT.index(PHONE)
    assert f"phone via phone at 1:{start + 1}-1:{start + len(PHONE)} [" in report
    assert "phone" in report and "suggestion:" in report
    assert "2 messages checked: 1 block, 1 ok" in report
    assert result.returncode == 1


def test_cli_text_format_exits_0_on_clean_input_and_reports_bad_bytes():
    result = cli("--input-format", "lines", "--format", "text", stdin=CLEAN_TEXT.encode() + b"\n")
    assert result.returncode == 0 and b"1 message checked: 1 ok" in result.stdout
    result = cli("--input-format", "lines", "--format", "text", stdin=b"\xff\xfe broken\n" + CLEAN_TEXT.encode() + b"\n")
    assert b"line 1: error: line is not valid UTF-8" in result.stdout
    assert b"2 messages checked: 1 ok, 1 error" in result.stdout


def test_cli_progress_bar_only_on_a_terminal_and_never_shows_text(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(jsonl(id=i, text=f"{CANARY} {PHONE_TEXT}") + b"\n" for i in range(3000)))
    piped = cli(str(path))
    assert b"\r" not in piped.stderr and b"[" not in piped.stderr  # a summary line, no bar
    main_fd, terminal_fd = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "companion", "scan", str(path)], cwd=REPO,
            stdout=subprocess.PIPE, stderr=terminal_fd, timeout=HANG_GUARD_S,
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
    assert b"messages checked" in shown and b"%" in shown and b"\r[" in shown
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
    assert [a["line"] for a in answers[:-1]] == list(range(1, 10))
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
    args = build_parser().parse_args(["scan", "-q"])
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
    status = run_scan(build_parser().parse_args(["scan", "-q", "--input-format", "lines", "--format", "text"]),
                      stdin=io.BytesIO(text.encode()), stdout=out, stderr=err)
    report = out.getvalue().decode()
    assert "⟨U+200B⟩" in report and "\u200b" not in report
    assert "⟦" in report and "⟧" in report
    assert err.getvalue() == ""
    assert status == 1


# --- input formats apart from output formats, sarif, csv, --jobs -------------------------------------


MIXED = [CLEAN_TEXT, PHONE_TEXT, "zoom in on the logo", "mail me at john dot smith at gmail dot com",
         "add me on skype: live:cid.123abc", "We can only discuss this via Fiverr chat.", "pay me via paypal.me/annlee"]


def mixed_jsonl(n: int) -> bytes:
    lines = []
    for i in range(n):
        if i % 97 == 13:
            lines.append(b"{broken json " + CANARY.encode())
        else:
            lines.append(jsonl(id=f"m{i}", text=f"{MIXED[i % len(MIXED)]} #{i}"))
    return b"\n".join(lines) + b"\n"


def test_text_output_reads_jsonl_input_unless_told_otherwise():
    result = cli("--format", "text", stdin=jsonl(id="x", text=PHONE_TEXT) + b"\n")
    report = result.stdout.decode()
    assert "line 1 (id x): block" in report and f"⟦{PHONE}⟧" in report
    assert '"text"' not in report  # the JSON line was parsed, not reported as a message


def test_csv_input_with_a_quoted_multiline_field_and_csv_output():
    data = (
        "id,text,surface,allow\r\n"
        f'a,"{CLEAN_TEXT}",,\r\n'
        f'b,"first line\nsecond: {PHONE_TEXT}",message,\r\n'
        'c,"join here https://zoom.us/j/84512345678 at 5pm",,zoom;meet\r\n'
    ).encode() + b'd,"caf\xe9"\r\n'
    result = cli("--input-format", "csv", "--format", "csv", stdin=data)
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert {r["id"] for r in rows} == {"a", "b", "c", ""}
    a = [r for r in rows if r["id"] == "a"]
    assert len(a) == 1 and a[0]["verdict"] == "ok" and a[0]["kind"] == ""
    b_text = f"first line\nsecond: {PHONE_TEXT}"
    expected_b = analyze(b_text).findings
    b = [r for r in rows if r["id"] == "b"]
    assert [(r["kind"], int(r["start"]), int(r["end"])) for r in b] == [(f.kind.value, f.start, f.end) for f in expected_b]
    assert {r["line"] for r in b} == {"3"}  # the record starts on line 3
    c_text = "join here https://zoom.us/j/84512345678 at 5pm"
    c = [r for r in rows if r["id"] == "c"]
    assert [r["severity"] for r in c] == [f.severity.label for f in analyze(c_text, allow=["zoom", "meet"]).findings]
    bad = [r for r in rows if r["error"]]
    assert len(bad) == 1 and "UTF-8" in bad[0]["error"] and bad[0]["line"] == "6"
    assert result.returncode == 1


def test_csv_input_without_a_text_column_is_a_usage_error():
    result = cli("--input-format", "csv", stdin=b"id,message\n1,hello\n")
    assert result.returncode == 2 and b"text" in result.stderr and result.stdout == b""


def test_sarif_output_for_lines_input_points_at_the_exact_columns():
    texts = [CLEAN_TEXT, PHONE_TEXT, "mail me at john dot smith at gmail dot com"]
    result = cli("--input-format", "lines", "--format", "sarif", stdin="\n".join(texts).encode() + b"\n")
    sarif = json.loads(result.stdout)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["name"] == "contact-guard"
    expected = [(n, f) for n, t in enumerate(texts, 1) for f in analyze(t).findings]
    assert len(run["results"]) == len(expected)
    for result_, (line, finding) in zip(run["results"], expected, strict=True):
        region = result_["locations"][0]["physicalLocation"]["region"]
        text = texts[region["startLine"] - 1]
        assert region["startLine"] == line and result_["ruleId"] == finding.rule
        assert text[region["startColumn"] - 1:region["endColumn"] - 1] == text[finding.start:finding.end]
        assert result_["level"] == {"block": "error", "warn": "warning", "info": "note"}[finding.severity.label]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {f.rule for _, f in expected}


def test_jobs_give_the_same_answers_in_the_same_order(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(mixed_jsonl(1500))
    one = cli(str(path))
    two = cli(str(path), "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and two.stderr == one.stderr
    answers = [json.loads(line) for line in two.stdout.splitlines()]
    assert len(answers) == 1500
    errors = [a for a in answers if "error" in a]
    assert [a["line"] for a in errors] == [i + 1 for i in range(1500) if i % 97 == 13]
    assert CANARY.encode() not in two.stdout + two.stderr
    assert b"16 errors" in two.stderr


def test_negative_jobs_is_a_usage_error():
    assert cli("--jobs", "-1", stdin=b"").returncode == 2
