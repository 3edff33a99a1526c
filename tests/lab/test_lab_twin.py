"""The lab twin: a lab booted from the sample's backups rehearses a push as the original lab does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import netmiko
import pytest
import yaml
from conftest import SAMPLE_INVENTORY, SAMPLE_TOPOLOGY, RunningLab, free_port

from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES
from tslcd.config import load_config
from tslcd.lab.assemble import assemble_lab
from tslcd.lab.inprocess import LabThread
from tslcd.lab.twin import LAB_VALUE, unmask
from tslcd.services.backup import run_backup
from tslcd.services.lab import lab_twin
from tslcd.store.configs import BACKUP_DIR, ConfigStore

pytestmark = [pytest.mark.lab, pytest.mark.slow]

SITES = "agency_code=STC|SKHDT"  # a router, an ASA and a FortiGate


def _project(root: Path, port: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "tslcd.yaml"
    path.write_text(yaml.safe_dump({
        "inventory": str(SAMPLE_INVENTORY), "data": str(root / "data"), "templates": str(TEMPLATES),
        "lab": {"port": port, "topology": str(SAMPLE_TOPOLOGY)},
    }), encoding="utf-8")
    return path


def _dry_run(config: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), "push", "baseline",
                           "-f", SITES, "--vars", str(CHANGE_VARS), "--lab", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_twin_from_backups_rehearses_the_push_the_original_lab_would_get(fresh_lab: RunningLab,
                                                                       tmp_path: Path) -> None:
    original = fresh_lab
    # Production drifted from what the lab generates: the twin must hold the drift.
    with netmiko.ConnectHandler(**original.netmiko_args("stc-r1")) as cli:
        cli.enable()
        cli.send_config_set(["ip ssh time-out 60", "no logging trap"])
        cli.save_config()
    report = run_backup(original.config, [SITES], lab=True)
    assert not report.failed, report.failed
    raw = yaml.safe_load(original.config_path.read_text(encoding="utf-8"))
    config = original.config_path.with_name("push.yaml")
    config.write_text(yaml.safe_dump({**raw, "templates": str(TEMPLATES)}), encoding="utf-8")
    before = _dry_run(config)
    assert before["groups"] and not before["failures"]
    assert not any({"stc-r1", "skhdt-r1"} <= set(g["hosts"]) for g in before["groups"]), "no drift"
    original.thread.stop()

    twin_config = _project(tmp_path / "twin", free_port())
    shutil.copytree(original.data_dir / BACKUP_DIR, tmp_path / "twin" / "data" / BACKUP_DIR)
    loaded = load_config(str(twin_config))
    seeded = {d.name: d for d in lab_twin(loaded, [SITES])}
    assert all(d.from_backup for d in seeded.values()) and len(seeded) == 4
    assert any("<removed>" in line for d in seeded.values() for line in d.replaced)
    twin = LabThread(assemble_lab(loaded, [SITES])).start()
    try:
        after = _dry_run(twin_config)
    finally:
        twin.stop()
    assert after["groups"] == before["groups"]
    assert after["failures"] == before["failures"]
    assert ConfigStore(loaded.data_dir).read("stc-r1") == ConfigStore(original.data_dir).read("stc-r1")


def test_unmask_gives_lab_values_and_names_the_lines() -> None:
    creds = type("C", (), {"username": "u", "password": "lab-pass", "secret": "lab-secret"})()
    text, replaced = unmask("enable password <removed> pbkdf2\nusername admin password <removed> pbkdf2 "
                            "privilege 15\n    set psksecret ENC <removed>\nsnmp-server community <removed>\n"
                            "hostname x\n", creds)
    assert text.splitlines() == ["enable password lab-secret",
                                 "username admin password lab-pass privilege 15",
                                 f"    set psksecret {LAB_VALUE}", f"snmp-server community {LAB_VALUE}",
                                 "hostname x"]
    assert replaced == ["enable password <removed> pbkdf2",
                        "username admin password <removed> pbkdf2 privilege 15",
                        "set psksecret ENC <removed>", "snmp-server community <removed>"]
