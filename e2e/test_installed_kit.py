"""The QA kit as someone who only installed the package gets it: the wheel built from this checkout
with its `test` extra at the locked versions, in a fresh venv, run from a temporary folder outside
the repository against a page served there, with two scenario files (one passing, one failing on
purpose). Proves the plugin loads by its entry point, the extension ships inside the wheel, and a
failure gives JUnit XML with the artifacts attached."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from companion.testing.components import SiteServer
from harness import REPO_DIR

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Helpdesk reply</title></head>
<body style="font: 16px sans-serif; margin: 40px">
  <h1>Reply to the customer</h1>
  <form id="reply-form" onsubmit="event.preventDefault(); document.querySelector('#reply').value = ''">
    <textarea id="reply" rows="4" cols="60"></textarea>
    <p><button id="send" type="submit">Send reply</button></p>
  </form>
</body></html>
"""

PASSING = """[
  {"id": "reply-with-an-address", "url": "/reply.html", "composer": "#reply", "send": "#send",
   "surface": "message", "text": "Sure, write to ana.souza@gmail.com with the files.",
   "expect": {"verdict": "block", "send_confirm": true,
              "marks": [{"text": "ana.souza@gmail.com", "severity": "block", "kind": "email"}]}},
  {"id": "saved-copy-stays-quiet", "file": "saved/reply.html", "composer": "#reply",
   "text": "We can only discuss this via Fiverr chat.", "expect": {"verdict": "ok"}}
]
"""

# Deliberately wrong: the address is expected to pass unnoticed.
FAILING = """[
  {"id": "expects-the-address-to-pass", "url": "/reply.html", "composer": "#reply",
   "text": "my mail is ana.souza@gmail.com", "expect": {"verdict": "ok"}}
]
"""


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{command[:3]} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the built wheel + its test extra, pinned to the lock's versions."""
    scratch = tmp_path_factory.mktemp("installed-kit")
    assert not scratch.resolve().is_relative_to(REPO_DIR)
    wheels = scratch / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(REPO_DIR)])
    wheel = next(wheels.glob("contact_guard-*.whl"))
    # The lock's versions as constraints (its hashes are for the whole dev set; this is a subset).
    pins = [re.match(r"^([A-Za-z0-9_.-]+==[^ ;\\]+)(\s*;[^\\]+)?", line)
            for line in (REPO_DIR / "requirements-dev.txt").read_text().splitlines()]
    constraints = scratch / "constraints.txt"
    constraints.write_text("".join(f"{m.group(1)}{m.group(2) or ''}\n" for m in pins if m))
    venv = scratch / "venv"
    uv = Path(sys.executable).parent / "uv"  # in the dev lock; does what pip does, in seconds
    if uv.exists():
        run([str(uv), "venv", "--quiet", "--python", sys.executable, str(venv)])
        run([str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
             f"{wheel}[test]", "-c", str(constraints)], cwd=scratch)
    else:
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"{wheel}[test]", "-c", str(constraints)], cwd=scratch)
    return venv


def test_the_installed_plugin_runs_scenarios_against_a_page_it_never_saw(installed, tmp_path):
    project = tmp_path / "helpdesk-qa"
    (project / "site" / "saved").mkdir(parents=True)
    (project / "site" / "reply.html").write_text(PAGE)
    (project / "scenarios" / "saved").mkdir(parents=True)
    (project / "scenarios" / "saved" / "reply.html").write_text(PAGE)  # a saved copy of the page
    (project / "scenarios" / "reply.json").write_text(PASSING)
    (project / "scenarios" / "wrong.json").write_text(FAILING)
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("CG_", "PYTEST_", "PYTHON", "VIRTUAL_ENV"))}

    with SiteServer(project / "site") as site:
        done = subprocess.run(
            [str(installed / "bin" / "pytest"), "--cg-scenarios", "scenarios", "--cg-base-url", site.origin,
             "--junitxml", "out/junit.xml", "-p", "no:cacheprovider", "-q"],
            cwd=project, env=environment, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output  # tests ran, one scenario failed (per browser)

    suite = ElementTree.parse(project / "out" / "junit.xml").getroot().find("testsuite")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    browsers = ("chromium", "firefox")
    assert sorted(cases) == sorted(f"{s}[{b}]" for s in ("reply-with-an-address", "saved-copy-stays-quiet",
                                                        "expects-the-address-to-pass") for b in browsers), output
    for browser in browsers:
        for passing in ("reply-with-an-address", "saved-copy-stays-quiet"):
            assert cases[f"{passing}[{browser}]"].find("failure") is None, output
        failed = cases[f"expects-the-address-to-pass[{browser}]"]
        assert "unexpected block/email 'ana.souza@gmail.com'" in failed.find("failure").get("message", "") + (
            failed.find("failure").text or ""), output
        properties = {p.get("name"): p.get("value") for p in failed.iter("property")}
        assert properties["cg_browser"] == browser
        expected = {"cg_screenshot": "screenshot.png", "cg_console": "console.log",
                    "cg_companion_log": "companion.log"} | ({"cg_trace": "trace.zip"} if browser == "chromium" else {})
        for name, file in expected.items():
            path = Path(properties[name])
            assert path.name == file and path.is_file() and path.stat().st_size > 0, (name, path)
            assert path.is_relative_to(project / "out" / "cg-artifacts")
        assert Path(properties["cg_screenshot"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # The summary table: 3 scenarios per browser, the failure counted by its kind.
    assert re.search(r"chromium\s+3\s+2\s+1", output) and re.search(r"firefox\s+3\s+2\s+1", output), output
    assert re.search(r"unexpected email\s+2", output), output
