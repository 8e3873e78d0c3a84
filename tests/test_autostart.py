"""install-autostart / uninstall-autostart: the files for systemd (Linux), launchd (macOS) and the
Windows Task Scheduler, parsed back, and the commands that register them, with a recording runner
(only Linux runs here). On this machine, the real CLI with `systemctl` missing: a clear message,
the unit still written, exit 1."""

from __future__ import annotations

import configparser
import io
import os
import plistlib
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from companion.autostart import (
    AGENT_LABEL,
    TASK_NAME,
    UNIT_NAME,
    install,
    plan_for,
    serve_command,
    systemd_unit,
    uninstall,
)

REPO = Path(__file__).resolve().parent.parent
TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


class Recorder:
    def __init__(self, fail_with: str | None = None, missing: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail_with, self.missing = fail_with, missing

    def __call__(self, command):
        self.calls.append(list(command))
        if self.missing:
            raise FileNotFoundError(command[0])
        return subprocess.CompletedProcess(command, 1 if self.fail_with else 0, "", self.fail_with or "")


def test_serve_command_names_this_python_and_the_options(tmp_path):
    assert serve_command("/opt/venv/bin/python") == ["/opt/venv/bin/python", "-m", "companion", "serve"]
    assert serve_command("/p", 5000, str(tmp_path)) == ["/p", "-m", "companion", "serve", "--port", "5000",
                                                        "--config-dir", str(tmp_path.resolve())]


def test_systemd_unit_runs_the_companion_and_quotes_odd_paths(tmp_path):
    command = ["/home/a b/venv/bin/python", "-m", "companion", "serve", "--config-dir", "/x/100%/$HOME"]
    unit = configparser.ConfigParser(interpolation=None)
    unit.read_string(systemd_unit(command))
    exec_start = unit["Service"]["ExecStart"]
    assert shlex.split(exec_start.replace("%%", "%").replace("$$", "$")) == command
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "default.target"


def test_linux_plan_writes_the_user_unit_and_enables_it(tmp_path):
    plan = plan_for("linux", ["/py", "-m", "companion", "serve"], tmp_path, {"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert plan.path == tmp_path / "cfg" / "systemd" / "user" / UNIT_NAME
    run, out = Recorder(), io.StringIO()
    assert install(plan, out, run) == 0
    assert plan.path.read_bytes() == plan.content
    assert run.calls == [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", UNIT_NAME]]
    assert "autostart enabled" in out.getvalue()
    run = Recorder()
    assert uninstall(plan, io.StringIO(), run) == 0
    assert run.calls == [["systemctl", "--user", "disable", "--now", UNIT_NAME]] and not plan.path.exists()


@pytest.mark.parametrize("runner, why", [
    (Recorder(missing=True), "`systemctl` is not installed"),
    (Recorder(fail_with="Failed to connect to bus: No medium found"), "Failed to connect to bus"),
])
def test_without_a_systemd_user_session_the_unit_is_still_written_and_the_message_says_so(tmp_path, runner, why):
    plan = plan_for("linux", ["/py", "-m", "companion", "serve"], tmp_path, {})
    out = io.StringIO()
    assert install(plan, out, runner) == 1
    assert plan.path == tmp_path / ".config" / "systemd" / "user" / UNIT_NAME and plan.path.exists()
    message = out.getvalue()
    assert "NOT enabled" in message and why in message
    assert f"systemctl --user enable --now {UNIT_NAME}" in message


def test_macos_launch_agent(tmp_path):
    command = ["/Users/a/.local/pipx/venvs/contact-guard/bin/python", "-m", "companion", "serve"]
    plan = plan_for("darwin", command, tmp_path, {"UID": "501"})
    assert plan.path == tmp_path / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"
    agent = plistlib.loads(plan.content)
    assert agent["Label"] == AGENT_LABEL and agent["ProgramArguments"] == command
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    run = Recorder()
    assert install(plan, io.StringIO(), run) == 0
    assert run.calls == [["launchctl", "bootstrap", "gui/501", str(plan.path)]]
    run = Recorder()
    uninstall(plan, io.StringIO(), run)
    assert run.calls == [["launchctl", "bootout", f"gui/501/{AGENT_LABEL}"]] and not plan.path.exists()


def test_windows_task_scheduler_xml(tmp_path):
    command = [r"C:\Users\Ann Lee\pipx\venvs\contact-guard\Scripts\python.exe", "-m", "companion", "serve",
               "--config-dir", r"C:\Users\Ann Lee\AppData\Local\contact-guard"]
    env = {"LOCALAPPDATA": str(tmp_path / "Local"), "USERDOMAIN": "DESK", "USERNAME": "Ann & Co"}
    plan = plan_for("win32", command, tmp_path, env)
    assert plan.content.startswith(b"\xff\xfe")  # UTF-16 with a BOM, as schtasks wants
    task = ET.fromstring(plan.content.decode("utf-16").split("?>", 1)[1])
    exec_ = task.find("t:Actions/t:Exec", TASK_NS)
    assert exec_.find("t:Command", TASK_NS).text.endswith(r"Scripts\pythonw.exe")  # no console window
    assert exec_.find("t:Arguments", TASK_NS).text == (
        r'-m companion serve --config-dir "C:\Users\Ann Lee\AppData\Local\contact-guard"')
    assert task.find("t:Triggers/t:LogonTrigger/t:UserId", TASK_NS).text == "DESK\\Ann & Co"
    assert task.find("t:Settings/t:ExecutionTimeLimit", TASK_NS).text == "PT0S"
    run = Recorder()
    assert install(plan, io.StringIO(), run) == 0
    assert run.calls == [["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(plan.path), "/F"]]
    run = Recorder()
    uninstall(plan, io.StringIO(), run)
    assert run.calls == [["schtasks", "/Delete", "/TN", TASK_NAME, "/F"]]


def test_real_cli_on_this_machine_without_systemctl(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "PATH": str(bin_dir)}
    result = subprocess.run([sys.executable, "-m", "companion", "install-autostart", "--port", "47999"],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    unit = tmp_path / "cfg" / "systemd" / "user" / UNIT_NAME
    assert result.returncode == 1, result.stdout + result.stderr
    assert "`systemctl` is not installed" in result.stdout and str(unit) in result.stdout
    assert f"{sys.executable} -m companion serve --port 47999" in unit.read_text()
    removed = subprocess.run([sys.executable, "-m", "companion", "uninstall-autostart"],
                             capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    assert removed.returncode == 0 and not unit.exists()
