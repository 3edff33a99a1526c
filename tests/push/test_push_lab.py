"""`tslcd push` end to end against the lab: real NAPALM/Netmiko sessions over SSH, real faults.

Backups (the git store) are the referee: a dry run commits nothing, a commit shows up in them, a
device that failed mid-push and a rolled-back change come back byte for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import netmiko
import pytest
import yaml
from conftest import RunningLab

import tslcd.tasks.confirm as switch
from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES
from tslcd.push.changelog import ChangeLog
from tslcd.push.locks import device_lock
from tslcd.push.rollout import RolloutPolicy
from tslcd.services import push as service
from tslcd.services.backup import run_backup
from tslcd.store.configs import ConfigStore

pytestmark = [pytest.mark.lab, pytest.mark.slow]

# Four agencies in Long Xuyên: their routers (IOS) and firewalls (two FortiGates, two ASAs).
SITES = "agency_code=STTTT|STC|SKHDT|SYT"
ROUTERS = ["stttt-r1", "stc-r1", "skhdt-r1", "syt-r1"]


def _config(lab: RunningLab) -> Path:
    """The lab's tslcd.yaml with the repository's templates."""
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["templates"] = str(TEMPLATES)
    path = lab.config_path.with_name("push.yaml")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    lab.config.templates = str(TEMPLATES)
    return path


def tslcd(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as an operator runs it."""
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=280)


def _head(lab: RunningLab) -> str | None:
    return ConfigStore(lab.data_dir).resolve("HEAD")


def _body(text: str | None) -> list[str]:
    """A stored config without its header comments (FortiOS names the last user in them)."""
    return [line for line in (text or "").splitlines() if not line.startswith("#")]


def _backup(lab: RunningLab, filters: Sequence[str] = (SITES,)) -> str | None:
    """Back the sites up; returns the new commit (None: nothing changed)."""
    report = run_backup(lab.config, list(filters), lab=True)
    assert not report.failed, report.failed
    return report.commit


@pytest.mark.parametrize("template", ["baseline", "restructure", "firewall-policy"])
def test_dry_run_changes_nothing_commit_applies_second_run_is_empty(fresh_lab: RunningLab,
                                                                    template: str) -> None:
    lab = fresh_lab
    config = _config(lab)
    filters = ["-f", SITES]
    _backup(lab)

    dry = tslcd(config, "push", template, *filters, "--vars", str(CHANGE_VARS), "--lab", "--json")
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    changed_hosts = sorted(h for g in planned["groups"] for h in g["hosts"])
    assert changed_hosts and not planned["failures"]
    assert _backup(lab) is None, "a dry run changed a device"

    done = tslcd(config, "push", template, *filters, "--vars", str(CHANGE_VARS), "--lab", "--commit",
                 "--yes", "--canary", "1", "--batch-size", "4", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert sorted(h["host"] for h in report["hosts"]) == changed_hosts
    assert {h["status"] for h in report["hosts"]} == {"applied"}
    store = ConfigStore(lab.data_dir)
    for group in planned["groups"]:
        stored = store.read(group["hosts"][0]) or ""
        added = [c.strip() for c in group["commands"] if c.strip().startswith(("interface ", "set subnet",
                                                                              "access-list ", "ntp server"))]
        assert all(line in stored for line in added), (group["hosts"][0], added)

    again = tslcd(config, "push", template, *filters, "--vars", str(CHANGE_VARS), "--lab", "--json")
    assert json.loads(again.stdout)["groups"] == []
    second = tslcd(config, "push", template, *filters, "--vars", str(CHANGE_VARS), "--lab", "--commit",
                   "--yes")
    assert second.returncode == 0, second.stderr
    assert "Nothing to change" in second.stdout


def test_missing_variable_fails_before_any_device_is_touched(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    config = _config(lab)
    _backup(lab)
    result = tslcd(config, "push", "restructure", "-f", SITES, "--lab", "--commit", "--yes")
    assert result.returncode == 2
    assert "host stttt-r1: template cisco_ios/restructure.j2, line 12: undefined variable: wan_pool" \
        in result.stderr
    assert _backup(lab) is None
    assert ChangeLog(lab.data_dir).list() == []


def test_rejected_command_mid_push_rolls_back_and_halts(fresh_lab: RunningLab,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    lab = fresh_lab
    _config(lab)
    firewalls = ["stttt-fw1", "skhdt-fw1", "snv-fw1", "stp-fw1"]
    before = _backup(lab, [f"name={'|'.join(firewalls)}"]) or _head(lab)
    real_apply = switch.apply_armed

    def apply_until_rejected(task, platform, commands, window):  # type: ignore[no-untyped-def]
        """The device refuses the 31st line of the change; it accepts lines again afterwards."""
        try:
            return real_apply(task, platform, commands, window)
        finally:
            lab.clear("skhdt-fw1", "reject-after")

    monkeypatch.setattr(switch, "apply_armed", apply_until_rejected)
    lab.fault("skhdt-fw1", "reject-after", 30)
    report = service.commit(lab.config, "firewall-policy", [f"name={'|'.join(firewalls)}"], CHANGE_VARS,
                            lab=True, policy=RolloutPolicy(canary=0, batch_size=2, max_failures=0))
    lab.clear_all()
    by_host = {h.host: h for h in report.hosts}
    assert by_host["skhdt-fw1"].status == "rolled-back", by_host["skhdt-fw1"].message
    assert "command-rejected: the device rejected `" in by_host["skhdt-fw1"].message
    assert by_host["stttt-fw1"].status == "applied"
    assert report.halted == "1 failure(s), more than --max-failures 0"
    assert report.not_reached == ["snv-fw1", "stp-fw1"]
    store = ConfigStore(lab.data_dir)
    assert _body(store.read("skhdt-fw1")) == _body(store.read("skhdt-fw1", before))
    assert _body(store.read("stttt-fw1")) != _body(store.read("stttt-fw1", before))
    logged = ChangeLog(lab.data_dir).get(report.change_id or 0)
    assert logged.status == "halted"
    assert {h.host: h.status for h in logged.hosts} == {"stttt-fw1": "applied", "skhdt-fw1": "rolled-back"}


def test_session_dropped_mid_push_rolls_back(fresh_lab: RunningLab, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = fresh_lab
    _config(lab)
    before = _backup(lab, ["name=stttt-r1|stc-r1"]) or _head(lab)
    real_apply = switch.apply_armed

    def apply_then_drop(task, platform, commands, window):  # type: ignore[no-untyped-def]
        """Half the change goes in; then the device cuts the session during the rest."""
        if task.host.name != "stc-r1":
            return real_apply(task, platform, commands, window)
        half = len(commands) // 2
        real_apply(task, platform, commands[:half], window)
        lab.fault("stc-r1", "drop")
        try:
            return real_apply(task, platform, commands[half:], window)
        finally:
            lab.clear("stc-r1", "drop")

    monkeypatch.setattr(switch, "apply_armed", apply_then_drop)
    report = service.commit(lab.config, "restructure", ["name=stttt-r1|stc-r1"], CHANGE_VARS, lab=True,
                            policy=RolloutPolicy(canary=0, batch_size=2, max_failures=1))
    by_host = {h.host: h for h in report.hosts}
    assert by_host["stc-r1"].status == "rolled-back", by_host["stc-r1"].message
    assert "disconnected" in by_host["stc-r1"].message or "timeout" in by_host["stc-r1"].message
    assert by_host["stttt-r1"].status == "applied"
    assert report.halted is None
    store = ConfigStore(lab.data_dir)
    assert store.read("stc-r1") == store.read("stc-r1", before)


def test_rollback_restores_every_device_of_a_change(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    config = _config(lab)
    before = _backup(lab) or _head(lab)
    report = service.commit(lab.config, "restructure", [SITES], CHANGE_VARS, lab=True,
                            policy=RolloutPolicy(canary=1, batch_size=5))
    assert {h.status for h in report.hosts} == {"applied"}
    store = ConfigStore(lab.data_dir)
    assert all(store.read(r) != store.read(r, before) for r in ROUTERS)

    result = tslcd(config, "rollback", str(report.change_id), "--lab", "--yes", "--json")
    assert result.returncode == 0, result.stderr
    undone = json.loads(result.stdout)
    assert {h["host"]: h["status"] for h in undone["hosts"]} == dict.fromkeys(ROUTERS, "rolled-back")
    assert all(store.read(r) == store.read(r, before) for r in ROUTERS)
    listed = tslcd(config, "changes", "--json")
    changes = json.loads(listed.stdout)
    assert [c["kind"] for c in changes] == ["rollback", "push"]
    assert changes[0]["rolls_back"] == report.change_id
    assert changes[1]["counts"] == {"applied": 4} and changes[1]["template"] == "restructure"
    shown = json.loads(tslcd(config, "changes", str(report.change_id), "--json").stdout)
    assert all("vrf definition TSLCD-" in h["commands"] and "no vrf definition" in h["rollback"]
               for h in shown["hosts"])


def test_a_locked_device_is_not_touched(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    _config(lab)
    with device_lock(lab.data_dir, "stc-r1"):
        report = service.commit(lab.config, "restructure", ["name=stttt-r1|stc-r1"], CHANGE_VARS, lab=True,
                                policy=RolloutPolicy(canary=0, batch_size=2, max_failures=1))
    by_host = {h.host: h for h in report.hosts}
    assert by_host["stc-r1"].status == "busy"
    assert "being changed by another push" in by_host["stc-r1"].message
    assert by_host["stttt-r1"].status == "applied"


def test_rollback_of_the_ios_baseline_on_a_router_with_banners(fresh_lab: RunningLab) -> None:
    """The baseline adds a multi-line login banner (NAPALM merge, ^C delimiters) to a router that has
    a multi-line MOTD and a one-line exec banner; rolling it back (`no banner login`, no text) leaves
    the stored backup exactly as before."""
    lab = fresh_lab
    _config(lab)
    conn = netmiko.ConnectHandler(**lab.netmiko_args("stttt-r1"))
    conn.enable()
    conn.send_config_set(["banner exec ^CChỉ dùng cho công vụ^C"], cmd_verify=False)
    conn.save_config()
    conn.disconnect()
    store = ConfigStore(lab.data_dir)
    before = _backup(lab, ["name=stttt-r1"]) or _head(lab)
    assert "banner exec ^CChỉ dùng cho công vụ^C" in (store.read("stttt-r1", before) or "")
    report = service.commit(lab.config, "baseline", ["name=stttt-r1"], CHANGE_VARS, lab=True,
                            policy=RolloutPolicy(canary=0, batch_size=1))
    assert [(h.host, h.status) for h in report.hosts] == [("stttt-r1", "applied")], report.hosts
    assert "banner login ^C" in (store.read("stttt-r1") or "")
    undone = service.rollback(lab.config, report.change_id, lab=True)
    assert [(h.host, h.status) for h in undone.hosts] == [("stttt-r1", "rolled-back")], undone.hosts
    assert store.read("stttt-r1") == store.read("stttt-r1", before)
