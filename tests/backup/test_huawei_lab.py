"""Backups and facts of the lab VRP devices through the real Netmiko drivers: secrets masked,
facts (model, serial from ``display esn``, software, uptime) parsed from real-shaped output."""

from __future__ import annotations

import json

import pytest
from conftest import RunningLab

from tslcd.store.configs import ConfigStore

from .conftest import tslcd

pytestmark = pytest.mark.lab

HOSTS = {"ubnd-pt-r1": "AR6280", "ubnd-ct-fw1": "USG6525E", "ubnd-ts-r1": "NE40E-M2K"}
FILTER = f"name={'|'.join(HOSTS)}"


def test_backup_is_masked_and_facts_are_read(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    backup = tslcd(lab.config_path, "backup", "--lab", "--filter", FILTER)
    assert backup.returncode == 0, backup.stderr
    store = ConfigStore(lab.data_dir)
    for host in HOSTS:
        stored = store.read(host) or ""
        assert f"sysname {host}" in stored and stored.rstrip().endswith("return")
        assert "!Software Version" not in stored  # volatile: an upgrade is no config change
        assert "irreversible-cipher <removed>" in stored or "password simple <removed>" in stored
        assert "$1c$" not in stored and "%^%#" not in stored, host
    assert "security-policy" in (store.read("ubnd-ct-fw1") or "")

    facts = tslcd(lab.config_path, "facts", "--lab", "--json", "--filter", FILTER)
    assert facts.returncode == 0, facts.stderr
    found = json.loads(facts.stdout)["facts"]
    for host, model in HOSTS.items():
        assert found[host]["model"] == model
        assert found[host]["serial"].startswith("2102")
        assert found[host]["os_version"].startswith(("V300R", "V600R", "V800R"))
        assert found[host]["uptime_seconds"] > 0
