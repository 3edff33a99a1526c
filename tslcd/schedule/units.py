"""systemd service/timer units (or a cron.d file) that run `tslcd run ...` unattended."""

from __future__ import annotations

import getpass
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tslcd.errors import InputError
from tslcd.schedule.cron import CronSpec

UNIT_PREFIX = "tslcd-"
CRON_FILE = "tslcd"
PARTS = ("backup", "audit", "compliance")  # what a run can do, in the order it does them
JOBS = ("backup", "audit", "backup+audit", "compliance", "backup+audit+compliance")


@dataclass(frozen=True)
class Job:
    """One scheduled action: what `tslcd run` does and when."""

    action: str  # parts of PARTS joined by "+", e.g. backup+audit
    schedule: CronSpec

    @property
    def unit_name(self) -> str:
        """tslcd-backup, tslcd-audit, tslcd-backup-audit."""
        return UNIT_PREFIX + self.action.replace("+", "-")


@dataclass(frozen=True)
class Invocation:
    """How the scheduler starts tslcd: the executable, the config, the working folder."""

    executable: Path
    config: Path
    workdir: Path
    env_file: Path | None = None  # the credentials file `tslcd run --env-file` reads (mode 0600)
    filters: tuple[str, ...] = ()
    user: str | None = None  # the account the run runs as (systemd User=, the cron.d user field)

    def argv(self, action: str) -> list[str]:
        """The command line of one run."""
        argv = [str(self.executable), "--config", str(self.config), "run", action]
        for expression in self.filters:
            argv += ["--filter", expression]
        if self.env_file:
            argv += ["--env-file", str(self.env_file)]
        return argv


def check_action(action: str) -> str:
    """Only the actions `tslcd run` knows may be scheduled: parts of PARTS, each once, in order."""
    parts = action.split("+")
    if not all(p in PARTS for p in parts) or parts != sorted(set(parts), key=PARTS.index):
        raise InputError(f"unknown scheduled action {action!r} (use {', '.join(PARTS)} joined by '+' "
                         f"in that order, e.g. {', '.join(JOBS[2:])})")
    return action


def systemd_units(jobs: list[Job], how: Invocation) -> dict[str, str]:
    """File name -> text for each job's service and timer."""
    files: dict[str, str] = {}
    for job in jobs:
        user = f"User={how.user}\n" if how.user else ""
        files[f"{job.unit_name}.service"] = (
            "[Unit]\n"
            f"Description=tslcd {job.action} of the TSLCD network (unattended)\n"
            "After=network-online.target\nWants=network-online.target\n\n"
            "[Service]\nType=oneshot\n"
            f"WorkingDirectory={how.workdir}\n"
            f"{user}"
            f"ExecStart={shlex.join(how.argv(job.action))}\n"
            "Nice=10\nTimeoutStartSec=4h\n"
            # 3 = already running: a skipped run is not a failed unit.
            "SuccessExitStatus=3\n"
        )
        files[f"{job.unit_name}.timer"] = (
            "[Unit]\n"
            f"Description=tslcd {job.action} schedule ({job.schedule.text})\n\n"
            "[Timer]\n"
            f"OnCalendar={job.schedule.on_calendar()}\n"
            "Persistent=true\n"
            f"Unit={job.unit_name}.service\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )
    return files


LISTENER_UNIT = UNIT_PREFIX + "listener"


def listener_argv(how: Invocation) -> list[str]:
    """The command line of the syslog listener (`tslcd listen`)."""
    argv = [str(how.executable), "--config", str(how.config), "listen"]
    return argv + (["--env-file", str(how.env_file)] if how.env_file else [])


def listener_unit(how: Invocation) -> dict[str, str]:
    """A systemd service keeping `tslcd listen` running (started at boot, restarted on failure)."""
    user = f"User={how.user}\n" if how.user else ""
    return {f"{LISTENER_UNIT}.service": (
        "[Unit]\n"
        "Description=tslcd syslog listener: back up a device when it reports a config change\n"
        "After=network-online.target\nWants=network-online.target\n\n"
        "[Service]\nType=simple\n"
        f"WorkingDirectory={how.workdir}\n"
        f"{user}"
        f"ExecStart={shlex.join(listener_argv(how))}\n"
        "Restart=on-failure\nRestartSec=5\n\n"
        "[Install]\nWantedBy=multi-user.target\n"
    )}


def cron_file(jobs: list[Job], how: Invocation, user: str | None = None,
              listener: bool = False) -> dict[str, str]:
    """A cron.d file (with the user field) holding every job."""
    user = user or how.user or getpass.getuser()
    lines = ["# tslcd unattended runs (written by `tslcd schedule install --cron`)",
             "SHELL=/bin/sh", "PATH=/usr/local/bin:/usr/bin:/bin"]
    for job in jobs:
        command = f"cd {shlex.quote(str(how.workdir))} && "
        command += shlex.join(how.argv(job.action)) + " >/dev/null 2>&1"
        lines.append(f"{job.schedule.text} {user} {command}")
    if listener:  # cron has no service manager: start the listener at boot
        lines.append(f"@reboot {user} cd {shlex.quote(str(how.workdir))} && "
                     f"{shlex.join(listener_argv(how))} >/dev/null 2>&1")
    return {CRON_FILE: "\n".join(lines) + "\n"}


def write_files(target: Path, files: dict[str, str]) -> list[Path]:
    """Write each file atomically into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = target / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written


def installed(target: Path) -> list[Path]:
    """tslcd's units or cron file in ``target``."""
    if not target.is_dir():
        return []
    found = sorted(target.glob(f"{UNIT_PREFIX}*.service")) + sorted(target.glob(f"{UNIT_PREFIX}*.timer"))
    cron = target / CRON_FILE
    return [*found, *([cron] if cron.is_file() else [])]


def installed_command(path: Path) -> tuple[list[str], Path | None, str | None]:
    """What an installed service or cron file starts: argv, working folder and user.

    Why: `schedule check` runs exactly that, not what install would write today.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".service":
        keys = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        workdir = keys.get("WorkingDirectory")
        return shlex.split(keys.get("ExecStart", "")), Path(workdir) if workdir else None, keys.get("User")
    job = next((line for line in text.splitlines()
                if line and not line.startswith(("#", "SHELL", "PATH", "@reboot"))), "")
    words = shlex.split(job)
    if len(words) < 10 or words[6] != "cd" or words[8] != "&&":
        raise InputError(f"{path}: not a cron.d file tslcd wrote")
    argv = words[9:]
    if argv[-2:] == [">/dev/null", "2>&1"]:
        argv = argv[:-2]
    return argv, Path(words[7]), words[5]


def run_as_scheduled(argv: list[str], workdir: Path | None,
                     user: str | None) -> subprocess.CompletedProcess[str]:
    """Run an installed command with ``--check-login`` as the scheduler would: in its folder, as
    its user, with a bare environment (only PATH, HOME, LANG), never a terminal."""
    if not argv:
        raise InputError("the installed unit has no command")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    current = getpass.getuser()
    prefix: list[str] = []
    if user and user != current:
        if os.geteuid() != 0:
            raise InputError(f"the runs run as {user!r}: run `tslcd schedule check` as root or as {user}")
        prefix = ["runuser", "-u", user, "--"]
    env["HOME"] = str(Path("~" + (user or current)).expanduser())
    return subprocess.run([*prefix, *argv, "--check-login"], cwd=workdir, env=env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=300, check=False)


def describe(path: Path) -> str:
    """One line per installed file: its schedule (timers, cron) or its command (services)."""
    text = path.read_text(encoding="utf-8")
    wanted = ("OnCalendar=", "ExecStart=") if path.suffix in (".timer", ".service") else ()
    if wanted:
        return next((line for line in text.splitlines() if line.startswith(wanted)), "")
    jobs = [line for line in text.splitlines() if line and not line.startswith(("#", "SHELL", "PATH"))]
    return "; ".join(jobs)
