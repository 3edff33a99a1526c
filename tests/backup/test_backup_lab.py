"""`tslcd backup` end to end: real Netmiko/NAPALM sessions over SSH to every sample lab device."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

from tslcd.store.configs import ConfigStore
from tslcd.store.db import connect

from .conftest import ROOT, tight_config, tslcd

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def _backup(config: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    result = tslcd(config, "backup", "--lab", "--json", *args)
    return result, json.loads(result.stdout)


def _commits(lab: RunningLab) -> int:
    out = subprocess.run(["git", "-C", str(lab.data_dir / "backups"), "rev-list", "--count", "HEAD"],
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


def _fsck(lab: RunningLab) -> None:
    result = subprocess.run(["git", "-C", str(lab.data_dir / "backups"), "fsck", "--full", "--strict"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_backup_commits_only_what_changed_and_diff_shows_it(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    first, report = _backup(lab.config_path)
    assert first.returncode == 0, first.stderr
    assert report["counts"] == {"changed": len(lab.addresses), "unchanged": 0, "failed": 0}
    progress = [line for line in first.stderr.splitlines() if line.startswith("backup: ok ")]
    assert len(progress) == len(lab.addresses) and "backup: ok     stttt-r1 (" in first.stderr
    store = ConfigStore(lab.data_dir)
    assert store.hosts() == sorted(lab.addresses)
    assert (lab.data_dir / "backups" / "so" / "STTTT" / "stttt-r1.cfg").is_file()

    second, report = _backup(lab.config_path)
    assert second.returncode == 0, second.stderr
    assert report["counts"]["unchanged"] == len(lab.addresses) and report["commit"] is None
    assert _commits(lab) == 1

    with ConnectHandler(**lab.netmiko_args("stttt-r1")) as conn:
        conn.enable()
        conn.send_config_set(["ntp server 10.0.10.99", "interface GigabitEthernet0/0/1",
                              "description LAN - Sở Thông tin và Truyền thông (đã đổi)"])
    with ConnectHandler(**lab.netmiko_args("stttt-fw1")) as conn:  # a FortiGate
        conn.send_config_set(["config system global", 'set alias "STTTT - đã đổi"', "end"])
    third, report = _backup(lab.config_path)
    assert third.returncode == 0, third.stderr
    changed = sorted(h["host"] for h in report["hosts"] if h["status"] == "changed")
    assert changed == ["stttt-fw1", "stttt-r1"]
    assert _commits(lab) == 2
    message = subprocess.run(["git", "-C", str(lab.data_dir / "backups"), "log", "-1", "--format=%B"],
                             capture_output=True, text=True, check=True).stdout
    assert message.startswith(f"backup run {report['run_id']}: 2 changed, {len(lab.addresses) - 2} unchanged")

    diff = tslcd(lab.config_path, "diff", "stttt-r1")
    assert diff.returncode == 0, diff.stderr
    added = [line for line in diff.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert "+ntp server 10.0.10.99" in added
    assert "+ description LAN - Sở Thông tin và Truyền thông (đã đổi)" in added
    assert len(added) <= 3
    forti = tslcd(lab.config_path, "diff", "stttt-fw1").stdout
    assert '+    set alias "STTTT - đã đổi"' in forti

    history = tslcd(lab.config_path, "history", "stttt-r1", "--json")
    revisions = json.loads(history.stdout)["revisions"]
    assert len(revisions) == 2 and len(json.loads(history.stdout)["attempts"]) == 3
    old = tslcd(lab.config_path, "show", "stttt-r1", "--at", revisions[1]["commit"][:10])
    assert "ntp server 10.0.10.99" not in old.stdout and "hostname stttt-r1" in old.stdout
    assert "ntp server 10.0.10.99" in tslcd(lab.config_path, "show", "stttt-r1").stdout
    between = tslcd(lab.config_path, "diff", "stttt-r1", revisions[1]["commit"], revisions[0]["commit"])
    assert between.stdout == diff.stdout
    recent = json.loads(tslcd(lab.config_path, "changed", "--since", "1 hour ago", "--json").stdout)
    assert set(recent) == set(lab.addresses)
    _fsck(lab)


def test_failing_hosts_are_classified_and_keep_their_last_good_config(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    config = tight_config(lab)
    baseline, _ = _backup(config)
    assert baseline.returncode == 0, baseline.stderr
    store = ConfigStore(lab.data_dir)
    faulty = {"stttt-r1": ("hang", "timeout"), "ttdl-core-fw1": ("auth-fail", "authentication"),
              "stc-r1": ("drop", "disconnected")}
    before = {host: store.read(host) for host in faulty}
    with ConnectHandler(**lab.netmiko_args("stttt-r1")) as conn:  # a change the failed run must not see
        conn.enable()
        conn.send_config_set(["ntp server 10.0.10.98"])
    for host, (kind, _) in faulty.items():
        lab.fault(host, kind)
    try:
        result, report = _backup(config)
    finally:
        lab.clear_all()
    assert result.returncode == 1
    failed = {h["host"]: h["error_class"] for h in report["hosts"] if h["status"] == "failed"}
    assert failed == {host: cls for host, (_, cls) in faulty.items()}
    assert report["counts"]["unchanged"] == len(lab.addresses) - 3
    for host in faulty:
        assert f"backup: FAILED {host}: {failed[host]}: " in result.stderr
        assert store.read(host) == before[host]
    assert report["commit"] is None and _commits(lab) == 1
    with closing(connect(lab.data_dir)) as conn:
        rows = conn.execute("SELECT host, error_class, attempts FROM device_results WHERE run_id = ? "
                            "AND status = 'failed'", (report["run_id"],)).fetchall()
    attempts = {row["host"]: (row["error_class"], row["attempts"]) for row in rows}
    assert attempts == {"stttt-r1": ("timeout", 2), "ttdl-core-fw1": ("authentication", 1),
                        "stc-r1": ("disconnected", 2)}


def test_a_killed_run_leaves_a_consistent_store_and_the_next_run_succeeds(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    first, _ = _backup(lab.config_path)
    assert first.returncode == 0, first.stderr
    with ConnectHandler(**lab.netmiko_args("stttt-r1")) as conn:
        conn.enable()
        conn.send_config_set(["ntp server 10.0.10.97"])
    for host in lab.addresses:
        lab.fault(host, "latency", 0.05)
    try:
        for after_hosts in (5, 30, len(lab.addresses)):  # mid-fetch, and as the store is written
            proc = subprocess.Popen([sys.executable, "-m", "tslcd", "--config", str(lab.config_path),
                                     "backup", "--lab"], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            assert proc.stderr is not None
            done = 0
            while done < after_hosts and proc.stderr.readline():
                done += 1
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
            _fsck(lab)
    finally:
        lab.clear_all()
    result, _ = _backup(lab.config_path)
    assert result.returncode == 0, result.stderr
    _fsck(lab)
    assert "ntp server 10.0.10.97" in (ConfigStore(lab.data_dir).read("stttt-r1") or "")
    with closing(connect(lab.data_dir)) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM device_runs ORDER BY id")]
    assert statuses[0] == "ok" and statuses[-1] == "ok"
    assert set(statuses[1:-1]) <= {"interrupted", "ok"}


def test_two_runs_at_once_are_refused(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    lab.fault("stttt-r1", "latency", 0.5)
    try:
        slow = subprocess.Popen([sys.executable, "-m", "tslcd", "--config", str(lab.config_path), "backup",
                                 "--lab", "--filter", "stttt-r1"], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        second = tslcd(lab.config_path, "backup", "--lab", "--filter", "stc-r1")
        slow.communicate(timeout=60)
    finally:
        lab.clear_all()
    assert second.returncode == 1 and "another tslcd run" in second.stderr
    assert "Traceback" not in second.stderr
    assert slow.returncode == 0
