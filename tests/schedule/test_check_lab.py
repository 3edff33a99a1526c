"""Unattended runs that really run: install writes the credentials file, `schedule check` runs the
installed command as the timer will (bare environment) and logs in to a lab device with it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.lab


def _project(tmp_path: Path, lab: RunningLab) -> Path:
    """A project whose inventory reaches the lab's devices on the lab's port, with no lab
    credentials: a run must log in with the credentials it is given, as in production."""
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", inventory)
    defaults = yaml.safe_load((inventory / "defaults.yaml").read_text(encoding="utf-8"))
    defaults["port"] = lab.port
    (inventory / "defaults.yaml").write_text(yaml.safe_dump(defaults, allow_unicode=True), encoding="utf-8")
    config = tmp_path / "tslcd.yaml"
    config.write_text(f"inventory: {inventory}\ndata: data\n", encoding="utf-8")
    return config


def tslcd(config: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)


def _bare_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("TSLCD_")}


@pytest.mark.parametrize("cron", [False, True])
def test_install_writes_the_credentials_and_check_logs_in(tmp_path: Path, lab: RunningLab,
                                                          cron: bool) -> None:
    config = _project(tmp_path, lab)
    creds = lab.credentials
    env = {**_bare_env(), "TSLCD_USERNAME": creds.username, "TSLCD_PASSWORD": creds.password,
           "TSLCD_SECRET": creds.secret or creds.password}
    units = tmp_path / "units"
    installed = tslcd(config, "schedule", "install", "--backup", "0 2 * * *", "--dir", str(units),
                      "-f", "stttt-r1", *(["--cron"] if cron else []), env=env)
    assert installed.returncode == 0, installed.stderr
    env_file = tmp_path / "data" / "schedule" / "tslcd.env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600 and env_file.stat().st_uid == os.geteuid()
    assert f"TSLCD_PASSWORD={creds.password}\n" in env_file.read_text(encoding="utf-8")
    unit_text = "".join(p.read_text(encoding="utf-8") for p in units.iterdir())
    assert creds.password not in unit_text and f"--env-file {env_file}" in unit_text
    # check runs the installed command with a bare environment: the file is its only source
    checked = tslcd(config, "schedule", "check", "--dir", str(units), *(["--cron"] if cron else []),
                    env=_bare_env())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"login ok: stttt-r1 as {creds.username}" in checked.stdout
    assert "can log in" in checked.stdout


def test_check_says_when_the_run_could_not_log_in(tmp_path: Path, lab: RunningLab) -> None:
    config = _project(tmp_path, lab)
    env = {**_bare_env(), "TSLCD_USERNAME": lab.credentials.username, "TSLCD_PASSWORD": "Xq-not-it-93"}
    units = tmp_path / "units"
    assert tslcd(config, "schedule", "install", "--backup", "0 2 * * *", "--dir", str(units),
                 "-f", "stttt-r1", env=env).returncode == 0
    checked = tslcd(config, "schedule", "check", "--dir", str(units), env=_bare_env())
    assert checked.returncode != 0 and "could not log in" in checked.stderr
    assert "login failed: stttt-r1" in checked.stdout and "authentication" in checked.stdout
    assert "Xq-not-it-93" not in checked.stdout + checked.stderr
    env_file = tmp_path / "data" / "schedule" / "tslcd.env"
    env_file.chmod(0o644)  # a credentials file others can read is refused, named
    refused = tslcd(config, "schedule", "check", "--dir", str(units), env=_bare_env())
    assert refused.returncode == 2 and "readable by others (mode 0644)" in refused.stdout


def test_install_without_credentials_names_what_to_set(tmp_path: Path, lab: RunningLab) -> None:
    config = _project(tmp_path, lab)
    result = tslcd(config, "schedule", "install", "--backup", "0 2 * * *", "--dir",
                   str(tmp_path / "units"), env=_bare_env())
    assert result.returncode == 2 and "set TSLCD_USERNAME and TSLCD_PASSWORD" in result.stderr
