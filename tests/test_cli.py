"""`contact-guard` itself: --help documents every command, schema prints unless -o."""

from __future__ import annotations

import subprocess
import sys

from companion.protocol import SCHEMA_PATH, schema_text


def contact_guard(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_help_lists_every_command():
    result = contact_guard("--help")
    assert result.returncode == 0
    for command in ("serve", "pair", "scan", "schema", "--version"):
        assert command in result.stdout


def test_schema_prints_to_stdout_and_writes_a_file_only_with_o(tmp_path):
    """`contact-guard schema` must not overwrite the tracked file in a checkout."""
    before = SCHEMA_PATH.stat().st_mtime_ns
    result = contact_guard("schema", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == schema_text()
    assert SCHEMA_PATH.stat().st_mtime_ns == before
    target = tmp_path / "out.json"
    assert contact_guard("schema", "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert contact_guard("schema", "--check", "-o", str(target)).returncode == 0
    target.write_text("{}", encoding="utf-8")
    assert contact_guard("schema", "--check", "-o", str(target)).returncode == 1
