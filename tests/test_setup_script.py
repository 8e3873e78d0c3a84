"""scripts/setup where Python's venv module is missing (Debian without python3-venv): it stops at
once with a message naming the Debian package, before creating anything. Run on a copy of the
script in a temp dir, with stand-in pythons that fail `import ensurepip` as Debian's do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_missing_ensurepip_names_the_debian_package(tmp_path):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup", project / "scripts" / "setup")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    stand_in = (f"#!/bin/sh\ncase \"$*\" in *ensurepip*) echo \"No module named 'ensurepip'\" >&2; exit 1;; esac\n"
                f"exec {sys.executable} \"$@\"\n")
    for name in ("python3.13", "python3.12", "python3.11", "python3"):
        (fake_bin / name).write_text(stand_in)
        (fake_bin / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:/usr/bin:/bin"}
    result = subprocess.run(["bash", "scripts/setup"], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "apt-get install python3-venv" in result.stderr and "venv/ensurepip" in result.stderr
    assert f"python{sys.version_info[0]}.{sys.version_info[1]}-venv" in result.stderr
    assert not (project / ".venv").exists()
