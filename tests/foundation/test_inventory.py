"""The sample province and inventory validation: every problem reported at once, with its place."""

from __future__ import annotations

import ipaddress
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tslcd.config import load_config
from tslcd.errors import InventoryError
from tslcd.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[2]


def raw_hosts() -> dict:
    return yaml.safe_load((ROOT / "inventory" / "hosts.yaml").read_text(encoding="utf-8"))


def test_sample_inventory_is_valid_and_complete() -> None:
    inventory = load_inventory(load_config(str(ROOT / "tslcd.yaml")))
    hosts = list(inventory)
    assert len(hosts) == len(raw_hosts())
    dc = [h for h in hosts if h.get("agency_type") == "ttdl"]
    assert {h.get("role") for h in dc} >= {"router", "firewall", "switch"}
    sites = {h.get("agency_code") for h in hosts if h.get("agency_type") != "ttdl"}
    districts = {h.get("agency_code") for h in hosts if h.get("agency_type") == "ubnd-cap-huyen"}
    assert len(sites - districts) >= 18 and len(districts) >= 11
    for code in sites:
        site = [h for h in hosts if h.get("agency_code") == code]
        assert sorted(h.get("role") for h in site) == ["firewall", "router"], code
        assert next(h for h in site if h.get("role") == "router").platform in ("cisco_ios", "huawei",
                                                                              "huawei_vrpv8")
    asa_sites = {h.get("agency_code") for h in hosts if h.platform == "cisco_asa"}
    forti_sites = {h.get("agency_code") for h in hosts if h.platform == "fortinet"}
    assert len(asa_sites) >= 4 and len(forti_sites) > len(asa_sites)
    for host in hosts:
        assert ipaddress.ip_address(host.hostname) in ipaddress.ip_network("127.0.0.0/8")
        for key in ("agency_code", "agency_name", "agency_type", "district", "role", "lan_prefix",
                    "wan_prefix", "circuit_id", "bandwidth_mbps"):
            assert host.get(key) not in (None, ""), (host.name, key)
    names = {h.get("agency_name") for h in hosts}
    assert "Sở Thông tin và Truyền thông" in names and "Ủy ban nhân dân huyện An Phú" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_groups_exist_per_agency_type_district_role_and_platform() -> None:
    inventory = load_inventory(load_config(str(ROOT / "tslcd.yaml")))
    for host in inventory:
        for value in (host.get("agency_type"), host.get("district"), host.get("role"), host.platform):
            assert value in inventory.groups, (host.name, value)
            assert value in host.groups
    assert inventory.hosts["ubnd-ap-r1"].get("district_name") == "Huyện An Phú"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_all_four_problems_are_reported_together(inventory_copy: Path) -> None:
    hosts = inventory_copy.parent / "inventory" / "hosts.yaml"
    _edit(hosts, "stc-r1:\n  hostname: 127.21.2.1\n  platform: cisco_ios",
          "stc-r1:\n  hostname: 127.21.2.1\n  platform: nokia_sros")
    _edit(hosts, "skhdt-r1:\n  hostname: 127.21.3.1", "skhdt-r1:\n  hostname: 127.21.1.1")
    _edit(hosts, "syt-r1:\n  hostname: 127.21.4.1\n  platform: cisco_ios\n  groups:\n  - so\n",
          "syt-r1:\n  hostname: 127.21.4.1\n  platform: cisco_ios\n  groups:\n  - so-moi\n")
    _edit(hosts, "snv-fw1:\n  hostname: 127.21.6.2\n", "snv-fw1:\n  hostname: [127.21.6.2\n")
    with pytest.raises(InventoryError) as info:
        load_inventory(load_config(str(inventory_copy)))
    problems = info.value.problems
    text = "\n".join(problems)
    lines = hosts.read_text(encoding="utf-8").splitlines()
    assert len(problems) == 4, text
    assert "YAML syntax error" in text and "hosts.yaml:" in text
    line = lines.index("  platform: nokia_sros") + 1
    assert f"hosts.yaml:{line}: host 'stc-r1': unknown platform" in text
    assert "host 'syt-r1': group 'so-moi' is not defined" in text
    assert "host 'skhdt-r1': management address 127.21.1.1 is already used by host 'stttt-r1'" in text


def test_duplicate_host_names_missing_data_and_stored_password(inventory_copy: Path) -> None:
    hosts = inventory_copy.parent / "inventory" / "hosts.yaml"
    text = hosts.read_text(encoding="utf-8")
    text += "stttt-r1:\n  hostname: 127.99.0.1\n  platform: cisco_ios\n  groups: [so]\n"
    text += ("new-fw:\n  hostname: 127.99.0.2\n  platform: fortinet\n  password: hunter2\n"
             "  data: {agency_code: X, agency_type: so, role: firewall}\n")
    hosts.write_text(text, encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        load_inventory(load_config(str(inventory_copy)))
    report = str(info.value)
    assert "duplicate entry 'stttt-r1' (first defined at line" in report
    assert "host 'new-fw': missing required data 'agency_name'" in report
    assert "host 'new-fw': 'password' must not be stored in the inventory" in report
    assert "hunter2" not in report


def test_hierarchy_is_data_communes_instead_of_districts(inventory_copy: Path) -> None:
    """A post-2025 province: communes/wards and a merged department, no code change needed."""
    inv_dir = inventory_copy.parent / "inventory"
    groups = yaml.safe_load((inv_dir / "groups.yaml").read_text(encoding="utf-8"))
    groups["phuong-my-thoi"] = {"data": {"commune_name": "Phường Mỹ Thới"}}
    groups["ubnd-cap-xa"] = {"data": {"agency_type_name": "UBND cấp xã"}}
    (inv_dir / "groups.yaml").write_text(yaml.safe_dump(groups, allow_unicode=True), encoding="utf-8")
    hosts = yaml.safe_load((inv_dir / "hosts.yaml").read_text(encoding="utf-8"))
    hosts["ubnd-mythoi-r1"] = {
        "hostname": "127.23.1.1", "platform": "cisco_ios",
        "groups": ["ubnd-cap-xa", "phuong-my-thoi", "router", "cisco_ios"],
        "data": {"agency_code": "UBND-MT", "agency_name": "Ủy ban nhân dân phường Mỹ Thới",
                 "agency_type": "ubnd-cap-xa", "commune": "phuong-my-thoi", "role": "router"},
    }
    (inv_dir / "hosts.yaml").write_text(yaml.safe_dump(hosts, allow_unicode=True), encoding="utf-8")
    inventory = load_inventory(load_config(str(inventory_copy)))
    host = inventory.hosts["ubnd-mythoi-r1"]
    assert host.get("commune_name") == "Phường Mỹ Thới" and host.get("district") is None


def test_counts_match_the_yaml() -> None:
    from tslcd.services.inventory import counts

    inventory = load_inventory(load_config(str(ROOT / "tslcd.yaml")))
    raw = raw_hosts()
    result = counts(list(inventory))
    assert result["platform"] == dict(Counter(h["platform"] for h in raw.values()))
    assert result["role"] == dict(Counter(h["data"]["role"] for h in raw.values()))
    assert result["district"] == dict(Counter(h["data"]["district"] for h in raw.values()))
