"""systemd service/timer units (or a cron.d file) that run `tslcd run ...` unattended."""

from __future__ import annotations

import getpass
import os
import shlex
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
    env_file: Path | None = None
    filters: tuple[str, ...] = ()

    def argv(self, action: str) -> list[str]:
        """The command line of one run."""
        argv = [str(self.executable), "--config", str(self.config), "run", action]
        for expression in self.filters:
            argv += ["--filter", expression]
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
        env = f"EnvironmentFile={how.env_file}\n" if how.env_file else ""
        files[f"{job.unit_name}.service"] = (
            "[Unit]\n"
            f"Description=tslcd {job.action} of the TSLCD network (unattended)\n"
            "After=network-online.target\nWants=network-online.target\n\n"
            "[Service]\nType=oneshot\n"
            f"WorkingDirectory={how.workdir}\n"
            f"{env}"
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


def cron_file(jobs: list[Job], how: Invocation, user: str | None = None) -> dict[str, str]:
    """A cron.d file (with the user field) holding every job."""
    user = user or getpass.getuser()
    lines = ["# tslcd unattended runs (written by `tslcd schedule install --cron`)",
             "SHELL=/bin/sh", "PATH=/usr/local/bin:/usr/bin:/bin"]
    for job in jobs:
        command = f"cd {shlex.quote(str(how.workdir))} && "
        if how.env_file:
            command += f"set -a && . {shlex.quote(str(how.env_file))} && set +a && "
        command += shlex.join(how.argv(job.action)) + " >/dev/null 2>&1"
        lines.append(f"{job.schedule.text} {user} {command}")
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


def describe(path: Path) -> str:
    """One line per installed file: its schedule (timers, cron) or its command (services)."""
    text = path.read_text(encoding="utf-8")
    wanted = ("OnCalendar=", "ExecStart=") if path.suffix in (".timer", ".service") else ()
    if wanted:
        return next((line for line in text.splitlines() if line.startswith(wanted)), "")
    jobs = [line for line in text.splitlines() if line and not line.startswith(("#", "SHELL", "PATH"))]
    return "; ".join(jobs)
