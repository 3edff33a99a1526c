"""The unattended run on Huawei VRP devices: backup and audit, a change by hand flagged
out-of-band on the next run, nothing asked of anyone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import netmiko
import pytest

from tests.conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]
HOSTS = ("ubnd-pt-r1", "ubnd-ct-fw1", "ubnd-ts-r1")
SELECTION = "name=" + "|".join(HOSTS)
MANUAL_LINE = "ip route-static 10.99.0.0 255.255.0.0 NULL0 description do-tay"

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def tslcd(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT, stdin=subprocess.DEVNULL)


def test_unattended_run_backs_up_audits_and_flags_a_manual_change(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    first = tslcd(lab.config_path, "run", "backup+audit", "--lab", "--filter", SELECTION)
    assert first.returncode == 0, first.stderr
    assert "3 hosts, 3 changed, 0 failed, 0 out-of-band" in first.stdout
    with netmiko.ConnectHandler(**lab.netmiko_args("ubnd-pt-r1")) as conn:
        conn.send_config_set([MANUAL_LINE])
    second = tslcd(lab.config_path, "run", "backup+audit", "--lab", "--filter", SELECTION)
    assert second.returncode == 0, second.stderr
    assert "1 out-of-band" in second.stdout
    report = json.loads(sorted((lab.data_dir / "reports" / "runs").glob("*.json"))[-1].read_text("utf-8"))
    flagged = {o["host"]: o for o in report["out_of_band"]}
    assert set(flagged) == {"ubnd-pt-r1"} and flagged["ubnd-pt-r1"]["lines"] == [f"+ {MANUAL_LINE}"]
