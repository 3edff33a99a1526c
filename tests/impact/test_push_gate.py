"""A push plan's impact, computed offline, and the zone policy gate over it.

The config a device would hold after a plan is predicted without the device
(`tslcd.push.diff.after_config`); the lab's device models, typed the plan's commands, are the
referee. A plan that opens a flow ``inventory/zones.yaml`` does not list is refused unless the
risk is accepted under a ticket.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES, configure, model, sample
from tslcd.audit.runner import DeviceConfig
from tslcd.errors import InputError
from tslcd.inventory import HostInfo
from tslcd.platforms import get_platform
from tslcd.push.diff import after_config, plan
from tslcd.push.render import Renderer, load_vars
from tslcd.sanitize import sanitize
from tslcd.services.audit import load_zone_policy
from tslcd.services.change_impact import ForbiddenChange, gate, impacts
from tslcd.services.impact import compare
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path

CASES = [("stttt-r1", "baseline"), ("stttt-r1", "restructure"), ("stttt-fw1", "baseline"),
         ("stttt-fw1", "firewall-policy"), ("stc-fw1", "firewall-policy"), ("stc-fw1", "baseline"),
         ("skhcn-fw1", "firewall-policy")]
HOST = "skhcn-fw1"  # a FortiGate (role firewall, LAN 10.10.16.0/24)


def _render(host: HostInfo, template: str, vars_path: Path = CHANGE_VARS) -> str:
    _config, inventory = sample()
    return Renderer(TEMPLATES, template, inventory, load_vars(vars_path)).render(host).text


def _opening_vars(tmp_path: Path) -> Path:
    """The example change variables, with the management network moved to an Internet prefix:
    the firewall policy's SSH rule then lets the Internet into the agency LAN."""
    raw = yaml.safe_load(CHANGE_VARS.read_text(encoding="utf-8"))
    raw["hosts"] = {HOST: {"mgmt_prefix": "203.0.113.0/24"}}
    path = tmp_path / "open-ssh.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("host", "template"), CASES)
def test_the_predicted_config_decides_every_packet_as_the_device_does(host: str, template: str) -> None:
    _config, inventory = sample()
    info = inventory.hosts[host]
    device = model(info)
    before = device.running_config()
    change = _render(info, template)
    predicted = after_config(info.platform, before, change)
    assert configure(device, plan(host, info.platform, before, change).commands) == []
    real = device.running_config()
    data = info.flat()
    same = compare(DeviceConfig(host, info.platform, real, data, "device"),
                   DeviceConfig(host, info.platform, predicted, data, "predicted"))
    assert not same.changed, [i.name for i in same.changed]
    assert {lst.name for lst in same.lists} == {i.name for i in compare(
        DeviceConfig(host, info.platform, before, data, "b"),
        DeviceConfig(host, info.platform, real, data, "a")).lists}


def _standard_then_opening(tmp_path: Path) -> tuple[HostInfo, str, str]:
    """skhcn-fw1 holding the standard policy, and the change that opens SSH from the Internet."""
    _config, inventory = sample()
    info = inventory.hosts[HOST]
    device = model(info)
    standard = _render(info, "firewall-policy")
    assert configure(device, plan(HOST, info.platform, device.running_config(), standard).commands) == []
    return info, device.running_config(), _render(info, "firewall-policy", _opening_vars(tmp_path))


def test_a_plan_opening_ssh_from_the_internet_is_flagged_and_refused(tmp_path: Path) -> None:
    config, _inventory = sample()
    info, running, opening = _standard_then_opening(tmp_path)
    planned = plan(HOST, info.platform, running, opening)
    impact = impacts({HOST: info}, [planned], load_zone_policy(config))
    assert impact.lines(HOST) == ["now permits tcp 203.0.113.0/24 -> 10.10.16.0/24 port 22 (wan1 -> lan)",
                                  "now denies tcp 10.0.99.0/24 -> 10.10.16.0/24 port 22 (wan1 -> lan)"]
    (flow,) = impact.flows
    assert (flow.host, flow.list_name, flow.src_zone, flow.dst_zone) == (HOST, "wan1 -> lan", "internet",
                                                                         "agency_lan")
    assert flow.flow == "tcp 203.0.113.0/24 -> 10.10.16.0/24 port 22"
    assert flow.as_dict()["rule"].endswith("zones.yaml: no flow from internet to agency_lan allows it "
                                           "(flows not listed there are forbidden)")

    with pytest.raises(ForbiddenChange) as refused:
        gate(impact, accept_risk=False, ticket="")
    text = str(refused.value)
    assert HOST in text and "tcp 203.0.113.0/24 -> 10.10.16.0/24 port 22" in text and "zones.yaml" in text
    assert refused.value.exit_code == 2
    with pytest.raises(InputError, match="--accept-risk needs --ticket"):
        gate(impact, accept_risk=True, ticket="")
    accepted = gate(impact, accept_risk=True, ticket="CR-2026-118")
    assert accepted.splitlines()[0] == "accepted under ticket CR-2026-118:"
    assert flow.line() in accepted


def test_the_standard_policy_opens_nothing_the_zones_forbid() -> None:
    config, inventory = sample()
    plans, texts, hosts = [], {}, {}
    for name in ("skhcn-fw1", "stttt-fw1", "stc-fw1"):
        info = inventory.hosts[name]
        texts[name] = _render(info, "firewall-policy")
        plans.append(plan(name, info.platform, model(info).running_config(), texts[name]))
        hosts[name] = info
    impact = impacts(hosts, plans, load_zone_policy(config))
    assert set(impact.reports) == set(hosts) and not impact.unanalysed
    assert not impact.flows
    assert gate(impact, accept_risk=False, ticket="") == ""


def test_impact_template_plans_against_the_latest_backup_offline(tmp_path: Path) -> None:
    """`tslcd impact HOST --template T --vars F`: nothing is contacted (no lab runs here)."""
    info, running, _opening = _standard_then_opening(tmp_path)
    project = tmp_path / "tslcd.yaml"
    project.write_text(yaml.safe_dump({"inventory": str(ROOT / "inventory"), "templates": str(TEMPLATES),
                                       "data": str(tmp_path / "data")}), encoding="utf-8")
    store = ConfigStore(tmp_path / "data")
    store.prepare()
    with store.writer():
        store.write([StoredConfig(HOST, layout_path(HOST, info.get("agency_type"), info.get("agency_code")),
                                  sanitize(running, get_platform(info.platform)))])
        store.commit("backup")
    args = [sys.executable, "-m", "tslcd", "--config", str(project), "impact", HOST,
            "--template", "firewall-policy", "--vars", str(_opening_vars(tmp_path))]
    shown = subprocess.run([*args, "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert shown.returncode == 1, shown.stderr
    doc = json.loads(shown.stdout)
    (report,) = doc["hosts"]
    assert report["host"] == HOST
    assert [lst["list"] for lst in report["lists"] if lst["regions"]] == ["wan1 -> lan"]
    (forbidden,) = doc["forbidden"]
    assert forbidden["flow"] == "tcp 203.0.113.0/24 -> 10.10.16.0/24 port 22"
    assert "FORBIDDEN" in shown.stderr and "internet -> agency_lan" in shown.stderr
    clean = subprocess.run([*args[:-2], "--vars", str(CHANGE_VARS)], capture_output=True, text=True, cwd=ROOT,
                           timeout=120)
    assert clean.returncode == 0, clean.stderr
    assert "1 host(s) already have this change" in clean.stdout
