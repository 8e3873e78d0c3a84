"""`contact-guard install-autostart` / `uninstall-autostart`: start the companion at every login.

- Linux: a systemd user unit, ~/.config/systemd/user/contact-guard.service, enabled and started
  with `systemctl --user enable --now` (restarted if it fails).
- macOS: a LaunchAgent, ~/Library/LaunchAgents/dev.contactguard.companion.plist, loaded with
  `launchctl bootstrap gui/UID` (RunAtLoad, kept alive after a crash).
- Windows: a Task Scheduler task "Contact Guard companion" (at logon of this user, no time limit,
  pythonw.exe so no console window), created from an XML file with `schtasks /Create /XML`.

The companion runs as `<this Python> -m companion serve [--port P] [--config-dir D]`, so the task
keeps working for the venv or pipx install that wrote it. When the service manager cannot be
reached (no systemd user session, e.g. in a container or WSL), the file is still written and the
message says how to enable it later; the exit status is then 1.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from xml.sax.saxutils import escape

UNIT_NAME = "contact-guard.service"
AGENT_LABEL = "dev.contactguard.companion"
TASK_NAME = "Contact Guard companion"

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess]


@dataclass(frozen=True)
class Plan:
    """What autostart means on one platform: a file, and the commands that (un)register it."""

    path: Path
    content: bytes
    enable: list[list[str]]
    disable: list[list[str]]
    manager: str  # the service manager's name, for messages
    later: str  # how to enable it by hand when the manager cannot be reached now


def serve_command(python: str, port: int | None = None, config_dir: str | None = None) -> list[str]:
    command = [python, "-m", "companion", "serve"]
    if port is not None:
        command += ["--port", str(port)]
    if config_dir:
        command += ["--config-dir", str(Path(config_dir).expanduser().resolve())]
    return command


def plan_for(platform: str, command: list[str], home: Path, env: dict[str, str]) -> Plan:
    if platform.startswith("linux"):
        config_home = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        path = config_home / "systemd" / "user" / UNIT_NAME
        return Plan(
            path, systemd_unit(command).encode(),
            enable=[["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", UNIT_NAME]],
            disable=[["systemctl", "--user", "disable", "--now", UNIT_NAME]],
            manager="systemctl --user",
            later=f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}",
        )
    if platform == "darwin":
        path = home / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"
        uid = env.get("UID") or str(os.getuid())
        return Plan(
            path, launch_agent(command, home),
            enable=[["launchctl", "bootstrap", f"gui/{uid}", str(path)]],
            disable=[["launchctl", "bootout", f"gui/{uid}/{AGENT_LABEL}"]],
            manager="launchctl",
            later=f"launchctl bootstrap gui/{uid} {path}",
        )
    if platform in ("win32", "cygwin"):
        local = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
        path = local / "contact-guard" / "autostart-task.xml"
        user = f"{env.get('USERDOMAIN', '')}\\{env.get('USERNAME', '')}".lstrip("\\")
        return Plan(
            path, task_xml(windowless(command), user),
            enable=[["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(path), "/F"]],
            disable=[["schtasks", "/Delete", "/TN", TASK_NAME, "/F"]],
            manager="schtasks",
            later=f'schtasks /Create /TN "{TASK_NAME}" /XML "{path}" /F',
        )
    raise ValueError(f"autostart is not supported on {platform}")


def systemd_unit(command: list[str]) -> str:
    return (
        "[Unit]\n"
        "Description=Contact Guard companion (local WebSocket server for the browser extension)\n"
        "\n"
        "[Service]\n"
        f"ExecStart={' '.join(_systemd_quote(part) for part in command)}\n"
        "Restart=on-failure\n"
        "RestartSec=5\n\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def _systemd_quote(word: str) -> str:
    # systemd splits ExecStart like a shell but expands % specifiers and $VARIABLES itself.
    word = word.replace("%", "%%").replace("$", "$$")
    if word and not any(c in word for c in " \t\"'\\;"):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def launch_agent(command: list[str], home: Path) -> bytes:
    log = str(home / "Library" / "Logs" / "contact-guard.log")
    return plistlib.dumps({
        "Label": AGENT_LABEL,
        "ProgramArguments": command,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ProcessType": "Background",
        "StandardErrorPath": log,  # the companion logs counts and timings, never typed text
        "StandardOutPath": log,
    })


def windowless(command: list[str]) -> list[str]:
    """pythonw.exe beside python.exe, so logging in does not open a console window."""
    python = PureWindowsPath(command[0])
    if python.name.lower() == "python.exe":
        command = [str(python.with_name("pythonw.exe")), *command[1:]]
    return command


def task_xml(command: list[str], user: str) -> bytes:
    arguments = subprocess.list2cmdline(command[1:])
    user_id = f"<UserId>{escape(user)}</UserId>" if user else ""
    xml = f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Contact Guard companion: the local WebSocket server for the browser extension.</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>{user_id}
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">{user_id}
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>3</Count>
    </RestartOnFailure>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(command[0])}</Command>
      <Arguments>{escape(arguments)}</Arguments>
    </Exec>
  </Actions>
</Task>
"""
    return xml.encode("utf-16")  # schtasks reads the XML as UTF-16 (with its BOM)


def _run(command: Sequence[str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=60)


def install(plan: Plan, out, run: Runner = _run) -> int:
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    plan.path.write_bytes(plan.content)
    out.write(f"contact-guard: wrote {plan.path}\n")
    problem = _run_all(plan.enable, run)
    if problem:
        out.write(f"contact-guard: autostart is NOT enabled: {plan.manager} is unavailable here ({problem}).\n"
                  f"  The file is in place; where {plan.manager} works, enable it with:\n    {plan.later}\n")
        return 1
    out.write(f"contact-guard: autostart enabled with {plan.manager}; the companion starts at every login\n")
    return 0


def uninstall(plan: Plan, out, run: Runner = _run) -> int:
    existed = plan.path.exists()
    problem = _run_all(plan.disable, run) if existed else None
    plan.path.unlink(missing_ok=True)
    if not existed:
        out.write(f"contact-guard: autostart was not installed ({plan.path} does not exist)\n")
        return 0
    out.write(f"contact-guard: removed {plan.path}\n")
    if problem:
        out.write(f"contact-guard: note: {plan.manager} could not be asked to stop it ({problem})\n")
    return 0


def _run_all(commands: list[list[str]], run: Runner) -> str | None:
    """None when every command succeeded, else why the first one did not."""
    for command in commands:
        try:
            result = run(command)
        except FileNotFoundError:
            return f"`{command[0]}` is not installed"
        except (OSError, subprocess.SubprocessError) as exc:
            return f"`{' '.join(command)}` failed: {exc}"
        if result.returncode != 0:
            why = (result.stderr or result.stdout or "").strip().splitlines()
            return f"`{' '.join(command)}` exited {result.returncode}" + (f": {why[0]}" if why else "")
    return None


def run_install_autostart(args, out=None, run: Runner = _run) -> int:
    out = out or sys.stdout
    command = serve_command(sys.executable, args.port, args.config_dir)
    try:
        plan = plan_for(sys.platform, command, Path.home(), dict(os.environ))
    except ValueError as exc:
        out.write(f"contact-guard: {exc}\n")
        return 2
    return install(plan, out, run)


def run_uninstall_autostart(args, out=None, run: Runner = _run) -> int:
    out = out or sys.stdout
    try:
        plan = plan_for(sys.platform, serve_command(sys.executable), Path.home(), dict(os.environ))
    except ValueError as exc:
        out.write(f"contact-guard: {exc}\n")
        return 2
    return uninstall(plan, out, run)
