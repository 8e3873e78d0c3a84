"""A Firefox install the companion was not told about is refused, and the user is told how to
allow it (issue #12: every moz-extension:// origin passed the handshake; Firefox gives each install
a random one, so the companion now accepts only the uuids listed in its config.json)."""

import json
import re
import shlex
import subprocess
import sys
import time

import pytest

from companion.testing.components import health_status

REFUSED = re.compile(r"refuses this browser", re.IGNORECASE)
PAIRED = re.compile(r"(?<!not )\bpaired\b", re.IGNORECASE)


def reconnect(cg_browser, token: str) -> None:
    """New settings make the extension connect again at once (instead of its slow retry)."""
    cg_browser.set_settings({"token": "0" * 64})
    cg_browser.set_settings({"token": token})


@pytest.mark.cg_browsers("firefox")
def test_an_install_not_allowed_is_refused_and_the_options_page_gives_the_command_that_allows_it(
        cg_browser, cg_companion, cg_page):
    process = cg_companion.process
    config = process.config_dir / "config.json"
    origin = f"moz-extension://{cg_browser.uuid}"
    config.write_text(json.dumps({"extra_extension_ids": []}))  # forget this install
    process.allowed.discard(cg_browser.uuid)
    try:
        process.reload()
        for _ in range(200):
            if health_status(process.port, origin) == 403:
                break
            time.sleep(0.05)
        assert health_status(process.port, origin) == 403
        reconnect(cg_browser, cg_companion.token)

        cg_page.tab.goto(cg_browser.extension_url("options/options.html"))
        cg_page.wait_for(lambda: REFUSED.search(cg_page.texts("#pair-status")[0]),
                         "the options page saying the companion refuses this browser", timeout_s=10)
        command = cg_page.texts("#allow-command")[0]
        assert command == f"contact-guard pair --allow-firefox {cg_browser.uuid}"

        # What the user runs (contact-guard is `python -m companion` here, with the test's config dir).
        done = subprocess.run([sys.executable, "-m", "companion", *shlex.split(command)[1:],
                               "--config-dir", str(process.config_dir)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        for _ in range(200):
            if health_status(process.port, origin) == 200:
                break
            time.sleep(0.05)
        reconnect(cg_browser, cg_companion.token)
        cg_page.wait_for(lambda: PAIRED.search(cg_page.texts("#pair-status")[0]), "paired", timeout_s=10)
    finally:
        process.allow_firefox(cg_browser.uuid)  # for the tests after this one
