"""`tslcd cmd` against the lab through the real drivers: grouped answers, parsing, refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RunningLab

from tslcd.store.outputs import load_outputs
from tslcd.store.records import RunLog

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]


def tslcd(lab: RunningLab, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(lab.config_path), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_identical_answers_are_grouped_and_kept_with_the_run(lab: RunningLab) -> None:
    result = tslcd(lab, "cmd", "show running-config | include ^hostname", "-f",
                   "role=router", "-f", "district=an-phu|chau-doc", "--lab", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    hosts = sorted(h for answer in report["answers"] for h in answer["hosts"])
    assert len(hosts) >= 2 and all(h.endswith("-r1") for h in hosts)
    assert len(report["answers"]) == len(hosts)  # each answer names its own hostname
    same = tslcd(lab, "cmd", "show running-config | include ^ip ssh version", "-f", "role=router",
                 "-f", "district=an-phu|chau-doc", "--lab", "--json")
    grouped = json.loads(same.stdout)["answers"]
    assert len(grouped) == 1 and sorted(grouped[0]["hosts"]) == hosts  # one answer, every host
    run = RunLog(lab.data_dir).runs("cmd")[0]
    command, outputs = load_outputs(lab.data_dir, run.id)
    assert command == "show running-config | include ^ip ssh version" and sorted(outputs) == hosts


def test_the_plain_output_names_the_hosts_of_each_answer(lab: RunningLab) -> None:
    result = tslcd(lab, "cmd", "show running-config | include ^ip ssh version", "-f", "role=router",
                   "-f", "district=an-phu|chau-doc", "--lab")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("== ") == 1 and "hosts) ==" in result.stdout


def test_parse_returns_records_through_ntc_templates(lab: RunningLab) -> None:
    result = tslcd(lab, "cmd", "show ip interface brief", "stttt-r1", "--lab", "--parse", "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)["parsed"]["stttt-r1"]
    assert records and {"interface", "ip_address", "status"} <= set(records[0])


def test_a_config_command_is_refused_before_any_device_is_contacted(lab: RunningLab) -> None:
    before = len(RunLog(lab.data_dir).runs("cmd"))
    for command in ("configure terminal", "show run ; conf t", "show run | redirect flash:x"):
        result = tslcd(lab, "cmd", command, "-f", "role=router", "--lab")
        assert result.returncode == 2, (command, result.stderr)
        assert "refused" in result.stderr and "cisco_ios" in result.stderr
        assert "Traceback" not in result.stderr
    assert len(RunLog(lab.data_dir).runs("cmd")) == before


def test_fortigate_get_runs(lab: RunningLab) -> None:
    result = tslcd(lab, "cmd", "get system status", "-f", "platform=fortinet,district=an-phu", "--lab")
    assert result.returncode == 0, result.stderr
    assert "Version:" in result.stdout
