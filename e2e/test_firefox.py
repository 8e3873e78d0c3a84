"""What only Firefox needs: the manifest declares the Firefox that the suite really runs, and its
extension-page CSP lets the background reach ws://127.0.0.1 (Firefox's default MV3 CSP has
upgrade-insecure-requests, which turns ws:// into wss:// and the companion is never reached)."""

import json

import pytest

from companion.testing.components import extension_dir

MANIFEST = json.loads((extension_dir() / "manifest.json").read_text(encoding="utf-8"))


def test_strict_min_version_is_the_firefox_under_test(cg_firefox):
    declared = MANIFEST["browser_specific_settings"]["gecko"]["strict_min_version"]
    running = cg_firefox.version
    assert int(running.split(".")[0]) == int(declared.split(".")[0]), (
        f"the suite runs Firefox {running}; the manifest declares strict_min_version {declared}")


def test_extension_pages_csp_keeps_loopback_websockets_plain():
    policy = MANIFEST["content_security_policy"]["extension_pages"]
    assert "upgrade-insecure-requests" not in policy
    assert "script-src 'self'" in policy


@pytest.mark.cg_browsers("firefox")
def test_the_background_reaches_the_companion_over_plain_ws(cg_page, cg_companion, site):
    """The control for the CSP above: with it, Firefox connects (status connected, not offline)."""
    cg_page.open(site.order_page("chat.html"), composer="#chat-input", expect_status="connected")
    assert cg_page.status() == "connected"
