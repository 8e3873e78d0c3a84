"""The extension's reduced check (extension/src/lib/offline-rules.js + reduced-check.js) is generated
from the engine's data and must stay a subset of what the engine finds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.engine import analyze

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "scripts" / "offline_rules.py"

# Obvious contact details the reduced check must catch, and benign texts it must leave alone.
OBVIOUS = [
    "write to ana.souza@gmail.com tomorrow",
    "my number is +44 20 7946 0958",
    "call me at (415) 555-0132",
    "whatsapp: wa.me/15551234567",
    "join https://t.me/johnny_b for updates",
    "pay at paypal.me/johnsmith",
    "zoom.us/j/123456789 at 5",
]
BENIGN = [
    "We can only discuss this via Fiverr chat.",
    "check your email for Fiverr's invoice",
    "@media screen and (max-width: 600px)",
    "the total is $1,500.00 for 3 logos",
    "delivery on 2024-05-12 10:30",
    "order FO81C2D5E7 revision 2",
    "drive.google.com/file/d/abc123 has the files",
]


def test_the_generated_rules_are_up_to_date():
    done = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def reduced(texts: list[str]) -> list[list[dict]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the extension's reduced check (scripts/setup --dev installs it)")
    script = (
        "import { reducedFindings } from './extension/src/lib/reduced-check.js';"
        "const texts = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(texts.map((t) => reducedFindings(t))));"
    )
    done = subprocess.run([node, "--input-type=module", "-e", script, json.dumps(texts)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_reduced_check_catches_the_obvious_and_the_engine_agrees():
    for text, findings in zip(OBVIOUS, reduced(OBVIOUS), strict=True):
        assert findings, f"reduced check missed: {text!r}"
        engine = [f for f in analyze(text, surface="message").findings if f.severity.name == "BLOCK"]
        for finding in findings:
            # ASCII texts: UTF-16 and code-point offsets agree.
            assert any(f.start < finding["end"] and finding["start"] < f.end for f in engine), (
                f"reduced finding {text[finding['start']:finding['end']]!r} in {text!r} is no engine block finding"
            )


def test_the_reduced_check_leaves_benign_texts_alone():
    for text, findings in zip(BENIGN, reduced(BENIGN), strict=True):
        assert findings == [], f"reduced check flagged {text!r}: {findings}"


def test_the_reduced_mask_is_clean_for_the_engine():
    rules = reduced(["x@gmail.com"])[0][0]
    assert analyze(f"Hi, {rules['mask']} thanks", surface="message").findings == ()
