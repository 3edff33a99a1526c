"""Schedules: cron parsing, systemd units that systemd itself accepts, a cron.d file."""

from __future__ import annotations

import configparser
import os
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


def test_schedule_cli_install_list_remove(tmp_path: Path) -> None:
    import sys

    root = Path(__file__).resolve().parents[2]

    env = {**os.environ, "TSLCD_USERNAME": "netops", "TSLCD_PASSWORD": "s3cret-for-test"}

    def tslcd(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tslcd", *args], capture_output=True, text=True,
                              cwd=root, timeout=60, env=env)

    target = tmp_path / "systemd"
    credentials = tmp_path / "tslcd.env"
    dry = tslcd("schedule", "install", "--backup", "0 2 * * *", "--audit", "30 2 * * 1",
                "--dir", str(target), "--env-file", str(credentials), "--dry-run")
    assert dry.returncode == 0 and f"would write {target}/tslcd-backup.timer" in dry.stdout
    assert not target.exists() and not credentials.exists()
    done = tslcd("schedule", "install", "--backup", "0 2 * * *", "--audit", "30 2 * * 1",
                 "--dir", str(target), "--env-file", str(credentials))
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in target.iterdir())
    assert files == ["tslcd-audit.service", "tslcd-audit.timer", "tslcd-backup.service",
                     "tslcd-backup.timer"]
    listed = tslcd("schedule", "list", "--dir", str(target)).stdout
    assert "OnCalendar=Mon *-*-* 02:30:00" in listed and "run backup" in listed
    analyze = shutil.which("systemd-analyze")
    if analyze:
        verify = subprocess.run([analyze, "verify", *map(str, target.iterdir())], capture_output=True,
                                text=True)
        assert [line for line in verify.stderr.splitlines() if "tslcd-" in line] == []
    assert tslcd("schedule", "install", "--backup", "0 25 * * *", "--dir", str(target)).returncode == 2
    removed = tslcd("schedule", "remove", "--dir", str(target))
    assert removed.stdout.count("removed") == 4 and list(target.iterdir()) == []


def test_credentials_file_is_private_and_its_bad_lines_are_named(tmp_path: Path) -> None:
    from tslcd.schedule.envfile import credential_variables, read_env_file, write_env_file

    values = credential_variables({"TSLCD_USERNAME": "u", "TSLCD_CISCO_ASA_PASSWORD": "p=q r",
                                   "TSLCD_CONFIG": "x", "HOME": "/root"})
    assert values == {"TSLCD_CISCO_ASA_PASSWORD": "p=q r", "TSLCD_USERNAME": "u"}
    path = tmp_path / "tslcd.env"
    write_env_file(path, values)
    assert path.stat().st_mode & 0o777 == 0o600 and read_env_file(path) == values
    path.write_text("TSLCD_USERNAME=u\nnot a setting\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(InputError, match=r"tslcd.env:2: expected NAME=value"):
        read_env_file(path)
    with pytest.raises(InputError, match="a credential must be one line"):
        write_env_file(path, {"TSLCD_PASSWORD": "a\nb"})


def test_listener_is_installed_as_a_service_or_at_reboot(tmp_path: Path) -> None:
    from tslcd.schedule.units import listener_unit

    how = Invocation(executable=Path("/usr/bin/tslcd"), config=tmp_path / "tslcd.yaml", workdir=tmp_path,
                     env_file=tmp_path / "tslcd.env", user="netops")
    unit = listener_unit(how)["tslcd-listener.service"]
    service = configparser.ConfigParser(strict=True, interpolation=None)
    service.read_string(unit)
    assert service["Service"]["ExecStart"] == (f"/usr/bin/tslcd --config {tmp_path}/tslcd.yaml listen "
                                               f"--env-file {tmp_path}/tslcd.env")
    assert service["Service"]["User"] == "netops" and service["Service"]["Restart"] == "on-failure"
    cron = cron_file([Job("backup", parse_cron("0 2 * * *"))], how, listener=True)["tslcd"]
    assert cron.splitlines()[-1].startswith("@reboot netops cd ")
    assert cron.splitlines()[-1].endswith(f"listen --env-file {tmp_path}/tslcd.env >/dev/null 2>&1")
