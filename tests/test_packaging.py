"""The built wheel works outside the checkout, as `pipx install dist/contact_guard-*.whl` would use
it: built with scripts/package's command, installed into a fresh venv, then `contact-guard
--version`, `scan` and `serve --port 0` run from a temp dir. The venv borrows its dependencies from
the test venv's site-packages (a path line, so that venv's editable hook is not loaded): installing
them again would only re-test the lock file, at a minute of network time; the fresh-clone check does
that for real."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from companion import __version__

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "companion" / "engine" / "data"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)],
        check=True, capture_output=True, cwd=out,
    )
    shutil.rmtree(REPO / "build", ignore_errors=True)  # setuptools' scratch dir
    [built] = out.glob("contact_guard-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """bin/ of a fresh venv with the wheel installed (and the dependencies importable)."""
    root = tmp_path_factory.mktemp("venv")
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "--no-index", str(wheel)], check=True, capture_output=True)
    return root / "bin"


def run(bin_dir: Path, *args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(bin_dir / "contact-guard"), *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=60)


def test_wheel_is_named_for_the_version_and_carries_every_lexicon_file(wheel):
    assert wheel.name == f"contact_guard-{__version__}-py3-none-any.whl"
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"companion/engine/data/{p.relative_to(DATA).as_posix()}" for p in DATA.rglob("*") if p.is_file()}
    assert expected and expected <= shipped, sorted(expected - shipped)
    assert not [name for name in shipped if "__pycache__" in name or name.startswith("tests/")]


def test_installed_wheel_runs_version_and_scan_outside_the_checkout(installed, tmp_path):
    assert run(installed, "--version", cwd=tmp_path).stdout.strip() == f"contact-guard {__version__}"
    # the module really comes from the venv, not from this checkout
    origin = subprocess.run([str(installed / "python"), "-c", "import companion; print(companion.__file__)"],
                            capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(REPO) not in origin
    messages = [{"id": 1, "text": "mail me at john dot smith at gmail dot com"}, {"id": 2, "text": "zoom in on the logo"}]
    result = run(installed, "scan", stdin="".join(json.dumps(m) + "\n" for m in messages), cwd=tmp_path)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["verdict"] for a in answers] == ["block", "ok"]  # spelled-out email needs the lexicon data
    assert any(f["kind"] == "email" for f in answers[0]["findings"])
    assert result.returncode == 1


def test_installed_wheel_serves_on_a_free_port(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    process = subprocess.Popen(
        [str(installed / "contact-guard"), "serve", "--port", "0", "--config-dir", str(tmp_path / "config")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        assert "listening on ws://127.0.0.1:" in line, (line, process.stderr.read() if process.poll() is not None else "")
        assert (tmp_path / "config" / "token").exists()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0
