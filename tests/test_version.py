"""One version number: companion.__version__ is what the package metadata, `contact-guard
--version`, the protocol's welcome.companion, the extension's manifest and package.json all say."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from companion import __version__
from companion.client import ClientHandshake
from companion.protocol import Welcome, encode
from companion.session import Session

REPO = Path(__file__).resolve().parent.parent


def test_version_is_a_plain_release_number():
    parts = __version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts), __version__


def test_installed_package_metadata_has_the_same_version():
    # pyproject's version is dynamic, read from companion/__init__.py at install time
    assert version("contact-guard") == __version__


def test_extension_manifest_package_json_and_npm_lock_agree():
    manifest = json.loads((REPO / "extension/src/manifest.json").read_text(encoding="utf-8"))
    package = json.loads((REPO / "extension/package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "extension/package-lock.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__
    assert package["version"] == __version__
    assert lock["version"] == lock["packages"][""]["version"] == __version__


def test_cli_version_flag():
    result = subprocess.run([sys.executable, "-m", "companion", "--version"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert result.stdout.strip() == f"contact-guard {__version__}"


def test_the_protocol_welcome_carries_the_version():
    # The sans-I/O session through the handshake, as the extension does it (companion/client.py).
    token, port = "0123456789abcdef" * 4, 47821
    session = Session(token, port=port, now=0.0)
    handshake = ClientHandshake(token, port)
    [challenge] = session.receive(handshake.hello(), now=0.0).messages
    [welcome] = session.receive(handshake.answer(encode(challenge)), now=0.0).messages
    assert isinstance(welcome, Welcome)
    assert welcome.companion == __version__
