"""The lab SRXs end to end through tslcd and the real Netmiko ``juniper_junos`` driver: backup
(masked), facts, push (dry run, commit with commit confirmed, verify, rollback), a commit nobody
confirms reverting by the device's own timer, the unattended run, and the syslog listener."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import netmiko
import pytest
import yaml
from conftest import RunningLab, free_port

from tests.listener.harness import free_udp_port, listener_config, running_listener, wait_for
from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES
from tslcd.config import load_config
from tslcd.lab.assemble import assemble_lab
from tslcd.lab.inprocess import LabThread
from tslcd.services.backup import run_backup
from tslcd.services.lab import lab_twin
from tslcd.store.configs import BACKUP_DIR, ConfigStore

pytestmark = pytest.mark.lab

SRX, OTHER = "sgtvt-fw1", "stnmt-fw1"
SECRET_VARS = [v for k, v in yaml.safe_load(CHANGE_VARS.read_text(encoding="utf-8")).items()
               if k.startswith("admin_password")]


def _config(lab: RunningLab, confirm_minutes: int = 1) -> Path:
    """The lab's tslcd.yaml with the repository's templates and a short confirm window."""
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["templates"] = str(TEMPLATES)
    raw["push"] = {"confirm_minutes": confirm_minutes}
    raw["timeouts"] = {"connect": 4, "command": 8, "banner": 4, "auth": 4}
    raw["retries"] = 0
    path = lab.config_path.with_name("junos.yaml")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def tslcd(config: Path, *args: str, kill_at: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI as an operator runs it (killing itself at ``kill_at``, if given)."""
    env = {**os.environ, "TSLCD_TEST_KILL_AT": kill_at}
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=240, env=env)


def device(lab: RunningLab, host: str, command: str = "show configuration | display set") -> str:
    """What the device answers now, over Netmiko (the referee, not tslcd's records)."""
    with netmiko.ConnectHandler(**lab.netmiko_args(host)) as conn:
        return str(conn.send_command(command))


def _policies(config: str, source: str, destination: str) -> list[str]:
    """A zone pair's policy names in the order the device lists them (the order it matches)."""
    names = re.findall(rf"^set security policies from-zone {source} to-zone {destination} policy (\S+) ",
                       config, re.M)
    return list(dict.fromkeys(names))


def test_backup_stores_the_display_set_config_masked(fresh_lab: RunningLab) -> None:
    config = _config(fresh_lab)
    result = tslcd(config, "backup", "--lab", "-f", f"name={SRX}|{OTHER}", "--json")
    assert result.returncode == 0, result.stderr
    stored = ConfigStore(fresh_lab.data_dir).read(SRX)
    assert f"set system host-name {SRX}" in stored
    assert "set security policies from-zone trust to-zone untrust policy LAN-LGSP then permit" in stored
    assert "$6$" not in stored and "$9$" not in stored
    assert "set system root-authentication encrypted-password <removed>" in stored
    assert re.search(r"^set snmp community <removed> authorization read-only$", stored, re.M)
    again = tslcd(config, "backup", "--lab", "-f", f"name={SRX}", "--json")
    assert again.returncode == 0 and json.loads(again.stdout).get("commit") is None  # nothing changed


def test_facts_of_an_srx(fresh_lab: RunningLab) -> None:
    result = tslcd(_config(fresh_lab), "facts", "--lab", "--json", "-f", f"name={SRX}")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)["facts"][SRX]
    assert facts["model"] == "srx1500" and facts["os_version"] == "21.4R3-S5.4"
    assert re.fullmatch(r"DA\d{6}AF", facts["serial"]) and facts["uptime_seconds"] > 40 * 86400


def test_push_dry_run_commit_verify_and_rollback(fresh_lab: RunningLab) -> None:
    config = _config(fresh_lab, confirm_minutes=5)
    before = device(fresh_lab, SRX)
    dry = tslcd(config, "push", "firewall-policy", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS), "--lab",
                "--json")
    assert dry.returncode == 0, dry.stderr
    [group] = json.loads(dry.stdout)["groups"]
    assert group["hosts"] == [SRX]
    commands = "\n".join(group["commands"])
    assert "delete security policies from-zone trust to-zone untrust policy LAN-LGSP then permit" in commands
    assert ("set security policies from-zone trust to-zone untrust policy TSLCD-LAN-LGSP then permit"
            in commands)
    assert device(fresh_lab, SRX) == before  # a dry run changes nothing

    done = tslcd(config, "push", "firewall-policy", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS), "--lab",
                 "--commit", "--yes", "--json")
    assert done.returncode == 0, done.stderr + done.stdout
    after = device(fresh_lab, SRX)
    assert _policies(after, "trust", "untrust") == ["TSLCD-LAN-LGSP", "TSLCD-LAN-CONG-DVC", "TSLCD-DENY-LOG"]
    assert _policies(after, "untrust", "trust") == ["TSLCD-MGMT-SSH", "TSLCD-DENY-LOG"]
    commits = device(fresh_lab, SRX, "show system commit").splitlines()
    assert "commit confirmed, rollback in 5mins" in commits[1] and "commit confirmed" not in commits[0]
    dry_again = tslcd(config, "push", "firewall-policy", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS),
                      "--lab", "--json")
    assert json.loads(dry_again.stdout)["groups"] == []  # verified: nothing of the template missing

    change_id = json.loads(tslcd(config, "changes", "--json").stdout)[0]["id"]
    undone = tslcd(config, "rollback", str(change_id), "--lab", "--yes", "--json")
    assert undone.returncode == 0, undone.stderr + undone.stdout
    assert device(fresh_lab, SRX) == before


def test_baseline_push_keeps_no_secret_in_the_change_log(fresh_lab: RunningLab) -> None:
    config = _config(fresh_lab)
    done = tslcd(config, "push", "baseline", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS), "--lab",
                 "--commit", "--yes", "--json")
    assert done.returncode == 0, done.stderr + done.stdout
    shown = tslcd(config, "changes", "1", "--json").stdout
    assert "encrypted-password <removed>" in shown
    assert not any(secret in shown for secret in SECRET_VARS)
    assert "set system login user tslcd-netops class TSLCD-ADMIN" in device(fresh_lab, SRX)


def test_a_commit_nobody_confirms_is_rolled_back_by_the_device(fresh_lab: RunningLab,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSLCD_LAB_TIME_SCALE", "15")  # one minute -> 4 s
    config = _config(fresh_lab, confirm_minutes=1)
    before = device(fresh_lab, SRX)
    killed = tslcd(config, "push", "firewall-policy", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS),
                   "--lab", "--commit", "--yes", kill_at=f"sent:{SRX}")
    assert killed.returncode == -9, killed.stderr
    assert device(fresh_lab, SRX) != before
    deadline = time.monotonic() + 15
    while device(fresh_lab, SRX) != before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert device(fresh_lab, SRX) == before
    assert "rollback (commit confirmed timeout)" in device(fresh_lab, SRX, "show system commit")
    recovered = tslcd(config, "changes", "recover", "--lab", "--yes")
    assert recovered.returncode == 0, recovered.stderr + recovered.stdout
    assert device(fresh_lab, SRX) == before


def test_a_dead_push_left_pending_is_settled_before_the_next_change(fresh_lab: RunningLab) -> None:
    """Killed after the commit confirmed: recovery confirms the pending commit (stopping the timer)
    and then puts the pre-change config back, computed from what the device holds now."""
    config = _config(fresh_lab, confirm_minutes=30)
    before = device(fresh_lab, SRX)
    killed = tslcd(config, "push", "firewall-policy", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS),
                   "--lab", "--commit", "--yes", kill_at=f"sent:{SRX}")
    assert killed.returncode == -9, killed.stderr
    assert "commit confirmed, rollback in" in device(fresh_lab, SRX, "show system commit").splitlines()[0]
    recovered = tslcd(config, "changes", "recover", "--lab", "--yes")
    assert recovered.returncode == 0, recovered.stderr + recovered.stdout
    assert device(fresh_lab, SRX) == before
    assert "rollback in" not in device(fresh_lab, SRX, "show system commit").splitlines()[0]


def test_unattended_backup_and_audit(fresh_lab: RunningLab) -> None:
    result = tslcd(_config(fresh_lab), "run", "backup+audit", SRX, OTHER, "--lab")
    assert result.returncode == 0, result.stderr + result.stdout
    stored = ConfigStore(fresh_lab.data_dir).read(OTHER)
    assert "set system host-name stnmt-fw1" in stored and "$9$" not in stored


def test_a_commit_is_announced_by_syslog_and_backed_up(fresh_lab: RunningLab) -> None:
    port = free_udp_port()
    config = listener_config(fresh_lab.config, port)
    assert run_backup(config, [f"name={SRX}"], lab=True).commit is not None  # the device as it was
    with running_listener(config) as handled:
        with netmiko.ConnectHandler(**fresh_lab.netmiko_args(SRX)) as conn:
            conn.send_config_set([f"set system syslog host 127.0.0.1 port {port}",
                                  "set system syslog host 127.0.0.1 any notice",
                                  "set system ntp server 10.9.9.9"], exit_config_mode=False)
            conn.commit(and_quit=True)
        wait_for(handled)
    [event] = handled
    assert (event.host, event.user) == (SRX, fresh_lab.credentials.username)
    assert "+set system ntp server 10.9.9.9" in event.lines


def test_a_line_the_srx_refuses_leaves_neither_change_nor_candidate(fresh_lab: RunningLab) -> None:
    """The device refuses the 6th line: the lines before it sat in the shared candidate only, and
    the rollback discards them (``rollback 0``); nothing was committed."""
    config = _config(fresh_lab)
    before = device(fresh_lab, SRX)
    fresh_lab.fault(SRX, "reject-after", 5)
    try:
        result = tslcd(config, "push", "firewall-policy", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS),
                       "--lab", "--commit", "--yes", "--json")
    finally:
        fresh_lab.clear_all()
    assert result.returncode == 1, result.stderr + result.stdout
    [host] = json.loads(result.stdout)["hosts"]
    assert host["status"] == "rolled-back" and "the device rejected `" in host["message"]
    assert device(fresh_lab, SRX) == before
    with netmiko.ConnectHandler(**fresh_lab.netmiko_args(SRX)) as conn:
        conn.config_mode()
        assert conn.send_command("show | compare").strip() == ""
        assert len(conn.send_command("run show system commit").splitlines()) == 1  # no commit made


def test_the_twin_boots_the_srx_from_its_masked_backup(fresh_lab: RunningLab, tmp_path: Path) -> None:
    """A drifted SRX backed up, the lab twin booted from that backup: the dry run is the same."""
    with netmiko.ConnectHandler(**fresh_lab.netmiko_args(SRX)) as conn:
        conn.send_config_set(["set system ntp server 10.9.9.9"], exit_config_mode=False)
        conn.commit(and_quit=True)
    config = _config(fresh_lab)
    assert not run_backup(fresh_lab.config, [f"name={SRX}"], lab=True).failed
    args = ("push", "baseline", "-f", f"name={SRX}", "--vars", str(CHANGE_VARS), "--lab", "--json")
    before = json.loads(tslcd(config, *args).stdout)
    fresh_lab.thread.stop()

    twin_yaml = tmp_path / "twin" / "tslcd.yaml"
    twin_yaml.parent.mkdir()
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["data"] = str(tmp_path / "twin" / "data")
    raw["lab"]["port"] = free_port()
    twin_yaml.write_text(yaml.safe_dump(raw), encoding="utf-8")
    shutil.copytree(fresh_lab.data_dir / BACKUP_DIR, tmp_path / "twin" / "data" / BACKUP_DIR)
    loaded = load_config(str(twin_yaml))
    [seeded] = lab_twin(loaded, [f"name={SRX}"])
    assert seeded.from_backup and any("encrypted-password <removed>" in line for line in seeded.replaced)
    twin = LabThread(assemble_lab(loaded, [f"name={SRX}"])).start()
    try:
        after = json.loads(tslcd(twin_yaml, *args).stdout)
    finally:
        twin.stop()
    assert before["groups"] and after["groups"] == before["groups"]
    assert "delete system ntp server 10.9.9.9" in "\n".join(before["groups"][0]["commands"])
