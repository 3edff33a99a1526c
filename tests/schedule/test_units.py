"""Schedules: cron parsing, systemd units that systemd itself accepts, a cron.d file."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from tslcd.errors import InputError
from tslcd.schedule.cron import parse_cron
from tslcd.schedule.units import Invocation, Job, cron_file, installed, systemd_units, write_files


@pytest.mark.parametrize(
    ("cron", "calendar"),
    [
        ("0 2 * * *", "*-*-* 02:00:00"),
        ("30 2 * * 1", "Mon *-*-* 02:30:00"),
        ("*/20 6-7 * * mon-fri", "Mon,Tue,Wed,Thu,Fri *-*-* 06,07:00,20,40:00"),
        ("0 3 1 */6 *", "*-01,07-01 03:00:00"),
        ("15 1 * * 0,7", "Sun *-*-* 01:15:00"),
    ],
)
def test_cron_to_on_calendar(cron: str, calendar: str) -> None:
    assert parse_cron(cron).on_calendar() == calendar


@pytest.mark.parametrize(
    ("cron", "message"),
    [("0 2 * *", "5 fields"), ("61 2 * * *", "minute '61'"), ("0 2 1 * 1", "both day of month"),
     ("0 */0 * * *", "bad step")],
)
def test_bad_cron_is_named(cron: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_cron(cron)


def invocation(tmp_path: Path) -> Invocation:
    exe = Path(shutil.which("tslcd") or "/usr/bin/true")
    return Invocation(executable=exe, config=tmp_path / "tslcd.yaml", workdir=tmp_path,
                      filters=("role=firewall",))


def test_systemd_units_are_valid(tmp_path: Path) -> None:
    jobs = [Job("backup", parse_cron("0 2 * * *")), Job("audit", parse_cron("30 2 * * 1"))]
    written = write_files(tmp_path / "units", systemd_units(jobs, invocation(tmp_path)))
    names = sorted(p.name for p in written)
    assert names == ["tslcd-audit.service", "tslcd-audit.timer", "tslcd-backup.service",
                     "tslcd-backup.timer"]
    assert installed(tmp_path / "units") == sorted(written, key=lambda p: (p.suffix != ".service", p.name))
    timer = configparser.ConfigParser(strict=True)
    timer.read(tmp_path / "units" / "tslcd-audit.timer")
    assert timer["Timer"]["OnCalendar"] == "Mon *-*-* 02:30:00"
    assert timer["Timer"]["Unit"] == "tslcd-audit.service"
    service = configparser.ConfigParser(strict=True, interpolation=None)
    service.read(tmp_path / "units" / "tslcd-backup.service")
    assert service["Service"]["ExecStart"].endswith("run backup --filter role=firewall")
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed: units checked by parsing only")
    for path in written:
        if path.suffix == ".timer":
            calendar = configparser.ConfigParser()
            calendar.read(path)
            check = subprocess.run([analyze, "calendar", calendar["Timer"]["OnCalendar"]],
                                   capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
    verify = subprocess.run([analyze, "verify", *map(str, written)], capture_output=True, text=True)
    problems = [line for line in verify.stderr.splitlines() if "tslcd-" in line]
    assert problems == [], verify.stderr


def test_cron_file(tmp_path: Path) -> None:
    jobs = [Job("backup+audit", parse_cron("0 2 * * *"))]
    text = cron_file(jobs, invocation(tmp_path), user="netops")["tslcd"]
    line = text.splitlines()[-1]
    assert line.startswith("0 2 * * * netops cd ")
    assert "run backup+audit --filter role=firewall" in line
