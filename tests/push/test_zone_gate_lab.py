"""The zone policy gate end to end: a push that opens a flow zones.yaml forbids is refused against the
lab's FortiGate (real Netmiko sessions), and goes through only with --accept-risk --ticket, which the
change log records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import RunningLab

from tests.push.helpers import CHANGE_VARS
from tests.push.test_push_lab import _backup, _config, tslcd
from tslcd.push.changelog import ChangeLog
from tslcd.store.configs import ConfigStore

pytestmark = [pytest.mark.lab, pytest.mark.slow]

HOST = "skhcn-fw1"
FLOW = "tcp 203.0.113.0/24 -> 10.10.16.0/24 port 22"


def _opening_vars(tmp_path: Path) -> Path:
    """The example variables with skhcn-fw1's management network moved to an Internet prefix."""
    raw = yaml.safe_load(CHANGE_VARS.read_text(encoding="utf-8"))
    raw["hosts"] = {HOST: {"mgmt_prefix": "203.0.113.0/24"}}
    path = tmp_path / "open-ssh.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_push_opening_a_forbidden_flow_is_refused_unless_the_risk_is_accepted(
        fresh_lab: RunningLab, tmp_path: Path) -> None:
    lab = fresh_lab
    config = _config(lab)
    target = ["-f", f"name={HOST}"]
    _backup(lab, [f"name={HOST}"])
    standard = tslcd(config, "push", "firewall-policy", *target, "--vars", str(CHANGE_VARS), "--lab",
                     "--commit", "--yes", "--json")
    assert standard.returncode == 0, standard.stderr
    assert json.loads(standard.stdout)["dry_run"]["forbidden"] == []
    opening = _opening_vars(tmp_path)

    dry = tslcd(config, "push", "firewall-policy", *target, "--vars", str(opening), "--lab")
    assert dry.returncode == 0, dry.stderr
    assert f"traffic impact on {HOST}:" in dry.stdout
    assert f"now permits {FLOW} (wan1 -> lan)" in dry.stdout
    assert "FORBIDDEN" in dry.stderr and "internet -> agency_lan" in dry.stderr

    head = ConfigStore(lab.data_dir).resolve("HEAD")
    changes = len(ChangeLog(lab.data_dir).list())
    refused = tslcd(config, "push", "firewall-policy", *target, "--vars", str(opening), "--lab",
                    "--commit", "--yes")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    words = " ".join(refused.stderr.split())
    assert "refused" in words and HOST in words and FLOW in words
    assert "zones.yaml: no flow from internet to agency_lan allows it" in words
    assert len(ChangeLog(lab.data_dir).list()) == changes, "a refused change was logged"
    assert _backup(lab, [f"name={HOST}"]) is None, "a refused change reached the device"
    assert ConfigStore(lab.data_dir).resolve("HEAD") == head

    no_ticket = tslcd(config, "push", "firewall-policy", *target, "--vars", str(opening), "--lab",
                      "--commit", "--yes", "--accept-risk")
    assert no_ticket.returncode == 2 and "--accept-risk needs --ticket" in no_ticket.stderr

    accepted = tslcd(config, "push", "firewall-policy", *target, "--vars", str(opening), "--lab",
                     "--commit", "--yes", "--accept-risk", "--ticket", "CR-2026-118", "--json")
    assert accepted.returncode == 0, accepted.stderr
    done = json.loads(accepted.stdout)
    change_id = done["change_id"]
    regions = [r for lst in done["dry_run"]["impact"][HOST]["lists"] for r in lst["regions"]]
    assert any(r["change"] == "newly permitted" and r["source"] == ["203.0.113.0/24"]
               and r["destination"] == ["10.10.16.0/24"] and r["destination_ports"] == "22" for r in regions)
    assert [f["flow"] for f in done["dry_run"]["forbidden"]] == [FLOW]
    record = ChangeLog(lab.data_dir).get(change_id)
    assert record.ticket == "CR-2026-118" and {h.status for h in record.hosts} == {"applied"}
    assert record.accepted_risk.startswith("accepted under ticket CR-2026-118:")
    assert FLOW in record.accepted_risk and "internet -> agency_lan" in record.accepted_risk
    shown = tslcd(config, "changes", str(change_id))
    assert "risk accepted:" in shown.stdout
    assert "203.0.113.0" in (ConfigStore(lab.data_dir).read(HOST) or "")
