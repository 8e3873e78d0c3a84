"""The pytest plugin (companion.testing.plugin) as pytest loads it from the installed entry point:
inert for a project that does not ask for it; with --cg-scenarios, one test per scenario and browser
(collection only here: the browser runs are in e2e/)."""

import json
import subprocess
import sys

SCENARIO = {"id": "inbox-email", "url": "/inbox.html", "composer": "#reply", "text": "ana@gmail.com",
            "expect": {"verdict": "block", "marks": [{"text": "ana@gmail.com", "severity": "block", "kind": "email"}]}}


def pytest_in(folder, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120)


def test_inert_for_a_project_that_does_not_ask(tmp_path):
    (tmp_path / "test_plain.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
    (tmp_path / "data.json").write_text(json.dumps([SCENARIO]))  # not a scenario folder: not collected
    done = pytest_in(tmp_path, "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout and "Contact Guard" not in done.stdout


def test_each_scenario_is_one_test_per_browser_even_outside_the_given_paths(tmp_path):
    scenarios = tmp_path / "qa" / "scenarios"
    scenarios.mkdir(parents=True)
    (scenarios / "inbox.json").write_text(json.dumps([SCENARIO, SCENARIO | {"id": "only-firefox", "browsers": ["firefox"]}]))
    (tmp_path / "elsewhere").mkdir()
    done = pytest_in(tmp_path / "elsewhere", "--collect-only", "-q", "--cg-scenarios", str(scenarios),
                     "--cg-browser", "chromium,firefox")
    assert done.returncode == 0, done.stdout + done.stderr
    collected = sorted(line.split("::")[-1] for line in done.stdout.splitlines() if "::" in line)
    assert collected == ["inbox-email[chromium]", "inbox-email[firefox]", "only-firefox[firefox]"]

    chosen = pytest_in(tmp_path / "elsewhere", "--collect-only", "-q", "--cg-scenarios", str(scenarios),
                       "--cg-browser", "chromium", "-k", "inbox")
    assert [line.split("::")[-1] for line in chosen.stdout.splitlines() if "::" in line] == ["inbox-email[chromium]"]


def test_a_malformed_scenario_file_is_a_collection_error_naming_it(tmp_path):
    (tmp_path / "broken.json").write_text(json.dumps([SCENARIO | {"input": "dictate"}]))
    done = pytest_in(tmp_path, "--collect-only", "-q", "--cg-scenarios", str(tmp_path), "--cg-browser", "chromium")
    assert done.returncode != 0
    assert "broken.json:inbox-email: 'input' is 'type' or 'paste'" in done.stdout


def test_an_unknown_browser_is_a_usage_error(tmp_path):
    done = pytest_in(tmp_path, "--collect-only", "--cg-browser", "safari")
    assert done.returncode == 4 and "--cg-browser" in done.stderr
