"""`tslcd push` on Huawei VRP end to end against the lab, through the real Netmiko drivers.

VRP V5 (AR router, USG firewall): the change applies at once and is saved only once verified;
VRP V8: the change is committed with ``commit trial`` and confirmed with ``commit`` once verified,
and a trial nobody confirms is rolled back by the device itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import netmiko
import pytest
import yaml
from conftest import RunningLab

from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES
from tslcd.push.rollout import RolloutPolicy
from tslcd.services import push as service
from tslcd.services.backup import run_backup
from tslcd.store.configs import ConfigStore

pytestmark = [pytest.mark.lab, pytest.mark.slow]

AR, USG, NE = "ubnd-pt-r1", "ubnd-ct-fw1", "ubnd-ts-r1"


def _config(lab: RunningLab, confirm_minutes: int = 10) -> Path:
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["templates"] = str(TEMPLATES)
    raw["push"] = {"confirm_minutes": confirm_minutes}
    path = lab.config_path.with_name("push.yaml")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    lab.config.templates = str(TEMPLATES)
    lab.config.push.confirm_minutes = confirm_minutes
    return path


def tslcd(config: Path, *args: str, kill_at: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI as an operator runs it (killing itself at ``kill_at``, if given)."""
    env = {**os.environ, "TSLCD_TEST_KILL_AT": kill_at}
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=280, env=env)


def _show(lab: RunningLab, host: str, command: str) -> str:
    with netmiko.ConnectHandler(**lab.netmiko_args(host)) as conn:
        return str(conn.send_command(command))


def _body(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if not line.startswith("!")]


@pytest.mark.parametrize(("template", "hosts"), [("baseline", [AR, USG, NE]), ("firewall-policy", [USG])])
def test_dry_run_commit_verify_and_rollback(fresh_lab: RunningLab, template: str, hosts: list[str]) -> None:
    lab = fresh_lab
    config = _config(lab)
    names = f"name={'|'.join(hosts)}"
    before = run_backup(lab.config, [names], lab=True).commit
    dry = tslcd(config, "push", template, "-f", names, "--vars", str(CHANGE_VARS), "--lab", "--json")
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert sorted(h for g in planned["groups"] for h in g["hosts"]) == sorted(hosts)
    assert not planned["failures"]
    assert run_backup(lab.config, [names], lab=True).commit is None, "a dry run changed a device"

    report = service.commit(lab.config, template, [names], CHANGE_VARS, lab=True,
                            policy=RolloutPolicy(canary=0, batch_size=3))
    assert {h.host: h.status for h in report.hosts} == dict.fromkeys(hosts, "applied"), \
        [h.message for h in report.hosts]
    saved = _show(lab, hosts[0], "display saved-configuration")
    expected = "local-user tslcd-netops privilege level 15" if template == "baseline" else "TSLCD-LAN-LGSP"
    assert expected in saved, "a verified change is saved"
    again = tslcd(config, "push", template, "-f", names, "--vars", str(CHANGE_VARS), "--lab", "--json")
    assert json.loads(again.stdout)["groups"] == []

    undone = tslcd(config, "rollback", str(report.change_id), "--lab", "--yes", "--json")
    assert undone.returncode == 0, undone.stderr + undone.stdout
    assert {h["host"]: h["status"] for h in json.loads(undone.stdout)["hosts"]} == \
        dict.fromkeys(hosts, "rolled-back")
    run_backup(lab.config, [names], lab=True)
    store = ConfigStore(lab.data_dir)
    for host in hosts:
        assert _body(store.read(host)) == _body(store.read(host, before)), host


def test_v8_trial_nobody_confirms_rolls_back(fresh_lab: RunningLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The push dies once the change is committed on trial: the NE rolls back by itself."""
    monkeypatch.setenv("TSLCD_LAB_TIME_SCALE", "30")  # commit trial 60 -> 2 s
    lab = fresh_lab
    config = _config(lab, confirm_minutes=1)
    before = _show(lab, NE, "display current-configuration")
    killed = tslcd(config, "push", "baseline", "-f", f"name={NE}", "--vars", str(CHANGE_VARS), "--lab",
                   "--commit", "--yes", kill_at=f"sent:{NE}")
    assert killed.returncode == -9, killed.stderr
    deadline = time.monotonic() + 20
    while "tslcd-netops" in _show(lab, NE, "display current-configuration") and time.monotonic() < deadline:
        time.sleep(0.5)
    after = _show(lab, NE, "display current-configuration")
    assert _body(after) == _body(before)
    recovered = tslcd(config, "changes", "recover", "--lab", "--yes")
    assert recovered.returncode == 0, recovered.stderr + recovered.stdout
