"""A compromised device, end to end: control sequences typed into lab devices over SSH come back
through the real drivers, are stored as the device has them (no NUL), and `tslcd show`, `diff`,
`history` and the audit in every format print them as visible marks, never as ESC bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import netmiko
import pytest
from conftest import RunningLab

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b"
HOSTILE = f"X{ESC}]52;c;ZXZpbA==\x07{ESC}]0;pwned\x07{ESC}[2J<script>&"
SHOWN = "X␛]52;c;ZXZpbA==␇␛]0;pwned␇␛[2J<script>&"
HOSTS = "name=stttt-r1|stp-fw1"


def _cli(config: Path, *args: str) -> bytes:
    result = subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_control_sequences_from_a_device_reach_no_terminal(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    _cli(lab.config_path, "backup", "--lab", "--filter", HOSTS)
    with netmiko.ConnectHandler(**lab.netmiko_args("stttt-r1")) as conn:
        conn.enable()
        conn.send_config_set(["interface GigabitEthernet0/0/0", f" description {HOSTILE}"], cmd_verify=False)
    with netmiko.ConnectHandler(**lab.netmiko_args("stp-fw1")) as conn:
        conn.send_config_set(["config system interface", 'edit "wan1"', f'set description "{HOSTILE}"',
                              "next", "end"], cmd_verify=False)
    _cli(lab.config_path, "backup", "--lab", "--filter", HOSTS)

    stored = subprocess.run(["git", "-C", str(lab.data_dir / "backups"), "grep", "-c", "-F", HOSTILE],
                            capture_output=True, text=True, check=True).stdout
    assert stored.count(":1") == 2  # the store keeps the device's text, as a text file
    outputs = {(host, what): _cli(lab.config_path, what, host)
               for host in ("stttt-r1", "stp-fw1") for what in ("show", "diff")}
    outputs["stp-fw1", "history"] = _cli(lab.config_path, "history", "stp-fw1")
    for fmt in ("table", "html"):  # every format on hostile text: test_neutralise.py
        outputs["audit", fmt] = _cli(lab.config_path, "audit", "--format", fmt, "--filter", HOSTS)
    for what, out in outputs.items():
        assert ESC.encode() not in out and b"\x07" not in out, what
    assert all(SHOWN.encode() in outputs[host, "show"] for host in ("stttt-r1", "stp-fw1"))
