"""`tslcd cmd` on the lab Palo Alto firewalls: read-only commands run and parse through
ntc-templates, anything that writes (`set`, `request`, `commit`, `configure`) is refused first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RunningLab

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]
FIREWALLS = "platform=paloalto_panos"


def tslcd(lab: RunningLab, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(lab.config_path), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_show_system_info_runs_filters_and_parses(lab: RunningLab) -> None:
    result = tslcd(lab, "cmd", "show system info", "-f", FIREWALLS, "--lab", "--parse", "--json")
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)["parsed"]
    assert set(parsed) == {"sxd-fw1", "snnptnt-fw1"}
    assert parsed["sxd-fw1"][0]["model"] == "PA-VM" and parsed["sxd-fw1"][0]["hostname"] == "sxd-fw1"
    matched = tslcd(lab, "cmd", "show system info | match sw-version", "-f", FIREWALLS, "--lab")
    assert matched.returncode == 0 and "sw-version: 10.2.9-h1" in matched.stdout


def test_writing_commands_are_refused_before_any_device_is_contacted(lab: RunningLab) -> None:
    for command in ("set cli pager on", "request restart system", "configure", "commit",
                    "show system info | redirect x", "debug software restart process management-server"):
        result = tslcd(lab, "cmd", command, "-f", FIREWALLS, "--lab")
        assert result.returncode == 2, (command, result.stderr)
        assert "refused" in result.stderr and "paloalto_panos" in result.stderr
