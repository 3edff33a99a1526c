"""PAN-OS end to end against the lab firewalls through the real Netmiko driver (``paloalto_panos``):
backup (set format, secrets masked), facts, push dry run / commit / verify / rollback, a refused
commit and a failed verify that both leave the firewall as it was, and the unattended run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import netmiko
import pytest
import yaml
from conftest import RunningLab

import tslcd.tasks.confirm as switch
from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES
from tslcd.push.changelog import ChangeLog
from tslcd.push.rollout import RolloutPolicy
from tslcd.services import push as service
from tslcd.services.backup import run_backup
from tslcd.services.facts import run_facts
from tslcd.store.configs import ConfigStore

pytestmark = [pytest.mark.lab, pytest.mark.slow]

PA = "sxd-fw1"
ONE = f"name={PA}"
SECRETS = ("$5$tslcdlab$", "tslcd-ro-sxd", "labsxdpsk")


def _config(lab: RunningLab) -> Path:
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["templates"] = str(TEMPLATES)
    path = lab.config_path.with_name("panos.yaml")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    lab.config.templates = str(TEMPLATES)
    return path


def tslcd(config: Path, *args: str, kill_at: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TSLCD_TEST_KILL_AT": kill_at}
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=400, env=env)


def running(lab: RunningLab) -> str:
    """The firewall's running config in set format, read over a session of its own."""
    with netmiko.ConnectHandler(**lab.netmiko_args(PA)) as conn:
        conn.send_command("set cli config-output-format set")
        return str(conn.send_command("show config running"))


def test_backup_is_set_format_and_masked_and_facts_are_read(fresh_lab: RunningLab) -> None:
    report = run_backup(fresh_lab.config, [ONE], lab=True)
    assert not report.failed, report.failed
    stored = ConfigStore(fresh_lab.data_dir).read(PA) or ""
    assert f"set deviceconfig system hostname {PA}" in stored
    assert 'set address LAN-SXD description "Mạng LAN Sở Xây dựng - Thành phố Long Xuyên"' in stored
    assert "set mgt-config users admin phash <removed>" in stored
    assert not [s for s in SECRETS if s in stored]
    facts = run_facts(fresh_lab.config, [ONE], lab=True).facts[PA]
    assert facts["model"] == "PA-VM" and facts["os_version"] == "10.2.9-h1"
    assert facts["serial"].startswith("0079") and facts["uptime_seconds"] > 86400


def test_policy_dry_run_commit_verify_second_run_empty_then_rollback(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    config = _config(lab)
    before = running(lab)
    dry = tslcd(config, "push", "firewall-policy", "-f", ONE, "--vars", str(CHANGE_VARS), "--lab", "--json")
    assert dry.returncode == 0, dry.stderr
    [group] = json.loads(dry.stdout)["groups"]
    assert "delete rulebase security rules CHAN-VAO-LAN" in group["commands"]
    assert running(lab) == before, "a dry run changed the firewall"

    done = tslcd(config, "push", "firewall-policy", "-f", ONE, "--vars", str(CHANGE_VARS), "--lab",
                 "--commit", "--yes", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    [host] = json.loads(done.stdout)["hosts"]
    assert host["status"] == "applied", host
    after = running(lab)
    rules = [line.split()[4] for line in after.splitlines()
             if line.startswith("set rulebase security rules ")]
    assert list(dict.fromkeys(rules)) == ["TSLCD-LAN-LGSP", "TSLCD-LAN-CONG-DVC", "TSLCD-MGMT-SSH",
                                          "TSLCD-DENY-LOG"]
    again = tslcd(config, "push", "firewall-policy", "-f", ONE, "--vars", str(CHANGE_VARS), "--lab", "--json")
    assert json.loads(again.stdout)["groups"] == []

    change_id = json.loads(done.stdout)["change_id"]
    undone = tslcd(config, "rollback", str(change_id), "--lab", "--yes", "--json")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert [h["status"] for h in json.loads(undone.stdout)["hosts"]] == ["rolled-back"]
    assert running(lab) == before


def test_a_refused_commit_and_a_failed_verify_leave_the_firewall_as_it_was(
        fresh_lab: RunningLab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = fresh_lab
    templates = tmp_path / "templates" / "paloalto_panos"
    templates.mkdir(parents=True)
    (templates / "bad-ref.j2").write_text(
        "set rulebase security rules SAI-THAM-CHIEU from khong-co-zone\n", encoding="utf-8")
    (templates / "banner.j2").write_text(
        'set deviceconfig system login-banner "Thử nghiệm"\n', encoding="utf-8")
    lab.config.templates = str(tmp_path / "templates")
    before = running(lab)
    policy = RolloutPolicy(canary=0, batch_size=1)
    refused = service.commit(lab.config, "bad-ref", [ONE], lab=True, policy=policy, interactive=False)
    [host] = refused.hosts
    assert host.status == "rolled-back", host.message
    assert "not a valid reference" in host.message or "rejected" in host.message
    assert running(lab) == before
    with netmiko.ConnectHandler(**lab.netmiko_args(PA)) as conn:  # nothing left in the candidate
        assert conn.send_command("show config diff").strip() == ""

    def typed_never_committed(task: Any, platform: Any, commands: Sequence[str] = ()) -> str:
        return switch.send_lines(task, platform, commands) if commands else ""

    monkeypatch.setattr(switch, "commit_candidate", typed_never_committed)
    unverified = service.commit(lab.config, "banner", [ONE], lab=True, policy=policy, interactive=False)
    [host] = unverified.hosts
    assert host.status == "rolled-back" and "still missing" in host.message, host.message
    assert running(lab) == before
    with netmiko.ConnectHandler(**lab.netmiko_args(PA)) as conn:
        assert conn.send_command("show config diff").strip() == ""


def test_unattended_run_backs_up_and_audits_the_firewalls(fresh_lab: RunningLab) -> None:
    result = tslcd(fresh_lab.config_path, "run", "backup+audit", "--lab", "--filter",
                   "name=sxd-fw1|snnptnt-fw1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 hosts, 2 changed, 0 failed" in result.stdout
    stored = ConfigStore(fresh_lab.data_dir).read("snnptnt-fw1") or ""
    assert "set deviceconfig system hostname snnptnt-fw1" in stored


@pytest.mark.parametrize("step", ["sending", "sent"])
def test_killed_mid_push_then_recovered(fresh_lab: RunningLab, step: str) -> None:
    """Killed with half the lines in the candidate (``sending``) or after the commit (``sent``):
    `changes recover` drops what waits in the candidate and brings the running config back."""
    lab = fresh_lab
    config = _config(lab)
    before = running(lab)
    killed = tslcd(config, "push", "baseline", "-f", ONE, "--vars", str(CHANGE_VARS), "--lab", "--commit",
                   "--yes", kill_at=f"{step}:{PA}")
    assert killed.returncode == -9, killed.stderr
    with netmiko.ConnectHandler(**lab.netmiko_args(PA)) as conn:
        pending = conn.send_command("show config diff").strip()
    assert bool(pending) == (step == "sending")  # typed, never committed
    recovered = tslcd(config, "changes", "recover", "--lab", "--yes", "--json")
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    [change] = [c for c in ChangeLog(lab.data_dir).list() if c.kind == "push"]
    assert change.status == "recovered"
    assert running(lab) == before
    with netmiko.ConnectHandler(**lab.netmiko_args(PA)) as conn:
        assert conn.send_command("show config diff").strip() == ""
