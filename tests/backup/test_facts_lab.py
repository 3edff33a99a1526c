"""`tslcd facts` and `inventory list --facts` against the lab, through NAPALM and Netmiko."""

from __future__ import annotations

import json

import pytest
from conftest import RunningLab

from tslcd.platforms import get_platform
from tslcd.services.facts import latest_facts
from tslcd.tasks.facts import parse_facts
from tslcd.tasks.failures import HostFailure

from .conftest import tslcd

pytestmark = pytest.mark.lab


def test_facts_are_collected_stored_and_listed(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    with lab.faulted("sct-fw1", "auth-fail"):
        result = tslcd(lab.config_path, "facts", "--lab", "--json", "--filter", "district=long-xuyen")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["failed"] == {"sct-fw1": {"error_class": "authentication",
                                            "message": "login refused: wrong username or password (or key)"}}
    facts = report["facts"]
    by_platform = {lab.platforms[h]: f for h, f in facts.items()}
    assert by_platform.keys() == {"cisco_ios", "fortinet", "cisco_asa", "juniper_junos", "paloalto_panos"}
    for platform, f in by_platform.items():
        assert f["model"] and f["serial"] and f["os_version"], platform
    assert by_platform["cisco_ios"]["os_version"] == "17.6.5"
    assert by_platform["cisco_ios"]["uptime_seconds"] > 86400
    assert by_platform["cisco_asa"]["uptime_seconds"] > 86400
    stored = latest_facts(lab.config)
    assert set(stored) == set(facts) and "sct-fw1" not in stored
    listed = json.loads(tslcd(lab.config_path, "inventory", "list", "--facts", "--json",
                              "--filter", "district=long-xuyen").stdout)
    by_name = {h["name"]: h["facts"] for h in listed["hosts"]}
    assert by_name["sct-fw1"] is None
    assert by_name["ttdl-core-r1"]["serial"] == facts["ttdl-core-r1"]["serial"]


def test_facts_parsing_needs_something_recognisable() -> None:
    with pytest.raises(HostFailure, match="printed nothing recognisable"):
        parse_facts("Unknown action 0\n", get_platform("fortinet"))
